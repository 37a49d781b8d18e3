"""random_hyperparameter_search(evaluate, ranges, num_trials, seed) -> (best_config, best_score, results): num_trials
configurations, each hyperparameter drawn independently, uniformly in (low, high) or log-uniformly in
(low, high, "log") (log(value) uniform in [log(low), log(high)]), every random number from
np.random.default_rng(seed); results every (config, score) in evaluation order, best_config the first best.

The properties check what the implementation evaluated (a recording evaluate, common.ScoreTable), whatever its
generator's draw order: the values lie in their ranges, log ranges are even in the exponent (a statistical bound
derived below), the same seed repeats the configurations, and the best is the first highest score.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.model_selection.common import (
    I2DL_RANDOM,
    TAIL,
    ScoreTable,
    U,
    first_best,
    other_seed,
    seeds,
    tied_scores,
)
from spec.property import alternative, mutant, prop

RANDOM = "random hyperparameter search"
NAMES = ("learning_rate", "reg", "dropout", "momentum")
LECTURE_RANGES = {"learning_rate": (1e-5, 1e-1, "log")}


def uniform_ranges():
    """(low, high) with low <= high, both in [-100, 100] (sometimes equal)."""
    ends = st.one_of(st.sampled_from([0.0, 1.0, -1.0, 0.5]), st.floats(-100, 100, allow_subnormal=False))
    return st.tuples(ends, ends).map(lambda p: (min(p), max(p)))


def log_ranges(min_decades: float = 0.0):
    """(low, high, "log") with 1e-8 <= low <= high <= 1e8 and high / low >= 10**min_decades."""
    def build(p):
        a, span = p
        return (10.0 ** a, 10.0 ** min(a + span, 8.0), "log")
    start = st.one_of(st.sampled_from([-5.0, -3.0, 0.0]), st.floats(-8.0, 8.0 - min_decades))
    return st.tuples(start, st.floats(min_decades, 8.0)).map(build)


@st.composite
def range_dicts(draw):
    """1 to 3 hyperparameters, each a uniform or a log range."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    return {name: draw(st.one_of(uniform_ranges(), log_ranges())) for name in names}


def range_tolerance(spec) -> float:
    """How far outside [low, high] a correct draw may land (the contract: a rounding error, a few ulps).

    Uniform: low + (high - low) r with r in [0, 1): the difference, the product and the sum each round once, so the
    value is within 2 U (|low| + |high|) + U |high| of a point of [low, high]; 4 U (|low| + |high|) covers it.
    Log: a = log(low) and b = log(high) (any base) are within 2 U |a| and 2 U |b| (a correctly rounded result, plus
    the library's error of about an ulp); u = a + (b - a) r is within 2 U (|a| + |b|) more; base**u or exp(u) turns
    an absolute error d of u into a relative error d ln(base) (of the natural logs: the errors scale with them), and
    adds 2 U of its own. Relative 4 U (|ln low| + |ln high|) + 2 U in all; 8 U (|ln low| + |ln high| + 1) leaves a
    factor 2."""
    low, high = spec[0], spec[1]
    if len(spec) == 3:
        return 8 * U * (abs(math.log(low)) + abs(math.log(high)) + 1) * high
    return 4 * U * (abs(low) + abs(high))


def wide(spec) -> bool:
    """high - low >= 1e-2 max(|low|, |high|): a range holding more than e^30 floats."""
    return spec[1] > spec[0] and spec[1] - spec[0] >= 1e-2 * max(abs(spec[0]), abs(spec[1]))


def inputs_of(ranges, num_trials, seed, evaluate=None) -> dict:
    inputs = {"ranges": ranges, "num_trials": num_trials, "seed": seed}
    if evaluate is not None:
        inputs["evaluate"] = repr(evaluate)
    return inputs


@prop(RANDOM, I2DL_RANDOM, "random_hyperparameter_search calls evaluate num_trials times, each config holding every hyperparameter of ranges with its value inside its range (up to a few ulps), and returns every (config, score) in order.")
@given(ranges=range_dicts(), num_trials=st.integers(1, 10), seed=seeds())
@example(ranges={**LECTURE_RANGES, "reg": (0.0, 1.0)}, num_trials=5, seed=0)
def test_random_search_stays_inside_its_ranges(random_hyperparameter_search, ranges, num_trials, seed):
    evaluate = ScoreTable(np.linspace(-1.0, 1.0, num_trials + 1))
    _, _, results = random_hyperparameter_search(evaluate, ranges, num_trials, seed)
    inputs = inputs_of(ranges, num_trials, seed)
    expect.equal("number of evaluations of random_hyperparameter_search", len(evaluate.calls), num_trials,
                 why="num_trials configurations, each evaluated once", inputs=inputs)
    for t, (config, _) in enumerate(evaluate.calls):
        if set(config) != set(ranges):
            expect.fail(f"trial {t} of random_hyperparameter_search evaluated a config with keys {sorted(config)}, but "
                        f"should have exactly the keys of ranges, {sorted(ranges)}", inputs)
        for name, spec in ranges.items():
            value, tol = float(config[name]), range_tolerance(spec)
            if not spec[0] - tol <= value <= spec[1] + tol:
                expect.fail(f"trial {t} of random_hyperparameter_search drew {name} = {value!r}, outside its range "
                            f"{spec} (allowed a rounding error of {tol:.2g})", inputs)
    if len(results) != len(evaluate.calls) or any(
            config != c or score != s for (config, score), (c, s) in zip(results, evaluate.calls)):
        expect.fail(f"random_hyperparameter_search's results {results} should be the {len(evaluate.calls)} "
                    "(config, score) pairs of its evaluations, in order", inputs)


# Log ranges, evenly in the exponent. With u = (ln x - ln low) / (ln high - ln low) uniform in [0, 1], each quarter
# [j/4, (j+1)/4) holds a fraction p = 1/4 of the draws on average. For N independent draws, Hoeffding's inequality
# gives P(|count_j / N - 1/4| >= t) <= 2 exp(-2 N t^2) for each quarter; over the 4 quarters 8 exp(-2 N t^2) <=
# e^-TAIL for t = sqrt((TAIL + ln 8) / (2 N)): with N = 400, t = 0.200, so each quarter holds between 5% and 45% of
# the draws unless an event of probability below e^-30 happens. A uniform draw on a range of at least two decades
# (high / low >= 100) puts a fraction (high - 10^(3/4 log10(high/low)) low) / (high - low) >= (100 - 31.6) / 99 =
# 0.69 of its draws in the top quarter: more than 0.45 + 10 standard deviations (0.023).
LOG_TRIALS = 400
HOEFFDING_T = math.sqrt((TAIL + math.log(8)) / (2 * LOG_TRIALS))


@prop(RANDOM, I2DL_RANDOM, "random_hyperparameter_search draws a (low, high, 'log') range evenly in the exponent: each quarter of [log low, log high] gets between 5% and 45% of 400 draws (a Hoeffding bound a correct implementation misses with probability < e^-30).")
@given(spec=log_ranges(min_decades=2.0), seed=seeds())
@example(spec=LECTURE_RANGES["learning_rate"], seed=0)
def test_random_search_samples_log_ranges_evenly_in_the_exponent(random_hyperparameter_search, spec, seed):
    ranges = {"learning_rate": spec}
    evaluate = ScoreTable([0.0])
    random_hyperparameter_search(evaluate, ranges, LOG_TRIALS, seed)
    inputs = inputs_of(ranges, LOG_TRIALS, seed)
    values = np.array([float(config.get("learning_rate", np.nan)) for config, _ in evaluate.calls])
    low, high = spec[0], spec[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        u = (np.log(values) - math.log(low)) / (math.log(high) - math.log(low))
    counts = np.array([np.sum((u >= j / 4) & (u < (j + 1) / 4)) for j in range(3)] + [np.sum(u >= 3 / 4)])
    share = counts / max(len(values), 1)
    quarters = [f"10^{math.log10(low) + j * math.log10(high / low) / 4:.3g}" for j in range(5)]
    expect.holds("the fraction of draws in quarter", share,
                 (share >= 0.25 - HOEFFDING_T) & (share <= 0.25 + HOEFFDING_T),
                 f"between {0.25 - HOEFFDING_T:.3f} and {0.25 + HOEFFDING_T:.3f}, about 1/4 (quarters of the exponent "
                 f"with edges {', '.join(quarters)}; counts {counts.tolist()} of {len(values)}: log-uniform means "
                 "as many draws in each decade)", inputs=inputs)


@prop(RANDOM, I2DL_RANDOM, "random_hyperparameter_search with the same seed evaluates the same configurations and returns the same result; another seed evaluates others (on a range wide enough that a repeat has probability below e^-30).")
@given(ranges=range_dicts().filter(lambda r: any(wide(s) for s in r.values())), num_trials=st.integers(1, 5),
       seed=seeds())
@example(ranges=LECTURE_RANGES, num_trials=3, seed=0)
def test_random_hyperparameter_search_is_reproducible_from_its_seed(random_hyperparameter_search, ranges, num_trials, seed):
    inputs = inputs_of(ranges, num_trials, seed)
    first, second, other = ScoreTable([0.0, 1.0]), ScoreTable([0.0, 1.0]), ScoreTable([0.0, 1.0])
    result1 = random_hyperparameter_search(first, ranges, num_trials, seed)
    result2 = random_hyperparameter_search(second, ranges, num_trials, seed)
    if first.calls != second.calls:
        expect.fail(f"random_hyperparameter_search with the same seed evaluated {[c for c, _ in second.calls]} the "
                    f"second time, {[c for c, _ in first.calls]} the first [every random number must come from "
                    "np.random.default_rng(seed)]", inputs)
    if result1[0] != result2[0] or result1[1] != result2[1]:
        expect.fail(f"random_hyperparameter_search with the same seed returned {result2[:2]} the second time, "
                    f"{result1[:2]} the first", inputs)
    random_hyperparameter_search(other, ranges, num_trials, other_seed(seed))
    # A wide range (see wide()) holds more than 1e-2 2^52 / 2 = 2.2e13 > e^30 floats, none of them much more likely
    # than the others to be drawn: two differently seeded generators drawing the same first value of it has
    # probability below about e^-30.
    if first.calls[:1] == other.calls[:1]:
        expect.fail(f"random_hyperparameter_search with seed {seed} and with seed {other_seed(seed)} evaluated the "
                    f"same first config {first.calls[0][0]} (the seed ignored?)", inputs)


@prop(RANDOM, I2DL_RANDOM, "random_hyperparameter_search returns the first evaluated configuration with the highest score and that score (ties to the first; zero and negative scores count).")
@given(ranges=range_dicts(), scores=st.integers(1, 8).flatmap(tied_scores), seed=seeds())
@example(ranges=LECTURE_RANGES, scores=[-1.0, 0.5, 0.5, -2.0], seed=0)
@example(ranges=LECTURE_RANGES, scores=[-1.0, -0.5, -0.5], seed=0)
def test_random_search_returns_the_first_best_configuration(random_hyperparameter_search, ranges, scores, seed):
    evaluate = ScoreTable(scores)
    best_config, best_score, _ = random_hyperparameter_search(evaluate, ranges, len(scores), seed)
    inputs = inputs_of(ranges, len(scores), seed, evaluate)
    config, score = first_best(evaluate.calls)
    expect.equal("best_score of random_hyperparameter_search", best_score, score,
                 why="the highest score evaluate returned", inputs=inputs)
    if best_config != config:
        expect.fail(f"random_hyperparameter_search's best_config is {best_config}, but should be {config}, the first "
                    f"evaluated configuration with the highest score {score!r} (scores in order: "
                    f"{[s for _, s in evaluate.calls]})", inputs)


# Mutants.


def _draw(rng, spec):
    low, high = spec[0], spec[1]
    if len(spec) == 3:
        return float(10 ** rng.uniform(math.log10(low), math.log10(high)))
    return float(rng.uniform(low, high))


def _search(evaluate, ranges, num_trials, rng, draw=_draw, better=lambda s, b: s > b):
    results, best = [], None
    for _ in range(num_trials):  # with no trial at all, best stays None and best[0] raises
        config = {name: draw(rng, spec) for name, spec in ranges.items()}
        score = evaluate(config)
        results.append((config, score))
        if best is None or better(score, best[1]):
            best = (config, score)
    return best[0], best[1], results


@mutant(of="random_hyperparameter_search", kills=[test_random_search_samples_log_ranges_evenly_in_the_exponent])
def random_search_sampling_log_ranges_uniformly(evaluate, ranges, num_trials=20, seed=None):
    """rng.uniform(low, high) for every range, the 'log' flag ignored: 1e-5 to 1e-1 gives 99% of draws above 1e-3."""
    return _search(evaluate, ranges, num_trials, np.random.default_rng(seed),
                   draw=lambda rng, spec: float(rng.uniform(spec[0], spec[1])))


@mutant(of="random_hyperparameter_search", kills=[test_random_search_stays_inside_its_ranges])
def random_search_mixing_log_bases(evaluate, ranges, num_trials=20, seed=None):
    """np.exp(rng.uniform(np.log10(low), np.log10(high))): the exponent in base 10, the power in base e."""
    def draw(rng, spec):
        if len(spec) == 3:
            return float(np.exp(rng.uniform(np.log10(spec[0]), np.log10(spec[1]))))
        return float(rng.uniform(spec[0], spec[1]))
    return _search(evaluate, ranges, num_trials, np.random.default_rng(seed), draw=draw)


@mutant(of="random_hyperparameter_search", kills=[test_random_search_stays_inside_its_ranges])
def random_search_with_one_trial_too_few(evaluate, ranges, num_trials=20, seed=None):
    """for t in range(1, num_trials): the loop starts at 1, so num_trials - 1 configurations."""
    return _search(evaluate, ranges, num_trials - 1, np.random.default_rng(seed))


@mutant(of="random_hyperparameter_search", kills=[test_random_hyperparameter_search_is_reproducible_from_its_seed])
def random_search_ignoring_its_seed(evaluate, ranges, num_trials=20, seed=None):
    """np.random.default_rng() without the seed: other configurations at every call."""
    return _search(evaluate, ranges, num_trials, np.random.default_rng())


@mutant(of="random_hyperparameter_search", kills=[test_random_hyperparameter_search_is_reproducible_from_its_seed])
def random_search_with_a_fixed_seed(evaluate, ranges, num_trials=20, seed=None):
    """np.random.default_rng(0): a seed hard-coded while debugging, the argument ignored."""
    return _search(evaluate, ranges, num_trials, np.random.default_rng(0))


@mutant(of="random_hyperparameter_search", kills=[test_random_search_returns_the_first_best_configuration])
def random_search_keeping_the_last_of_ties(evaluate, ranges, num_trials=20, seed=None):
    """if score >= best: a later configuration with an equal score replaces the first."""
    return _search(evaluate, ranges, num_trials, np.random.default_rng(seed), better=lambda s, b: s >= b)


@mutant(of="random_hyperparameter_search", kills=[test_random_search_returns_the_first_best_configuration])
def random_search_returning_the_worst(evaluate, ranges, num_trials=20, seed=None):
    """if score < best: the comparison of a loss, though the score is an accuracy."""
    return _search(evaluate, ranges, num_trials, np.random.default_rng(seed), better=lambda s, b: s < b)


# Correct alternatives.


@alternative(of="random_hyperparameter_search")
def random_search_by_exp_of_uniform_logs(evaluate, ranges, num_trials=20, seed=None):
    """exp(rng.uniform(ln low, ln high)) for a log range, rng.uniform(low, high) otherwise, drawn trial by trial."""
    def draw(rng, spec):
        if len(spec) == 3:
            return float(np.exp(rng.uniform(np.log(spec[0]), np.log(spec[1]))))
        return float(rng.uniform(spec[0], spec[1]))
    return _search(evaluate, ranges, num_trials, np.random.default_rng(seed), draw=draw)


@alternative(of="random_hyperparameter_search")
def random_search_drawing_each_hyperparameter_at_once(evaluate, ranges, num_trials=20, seed=None):
    """All num_trials values of one hyperparameter at a time (rng.uniform(size=num_trials)), 10 ** u for log ranges
    unclipped, then the trials; the best by np.argmax (its first maximum)."""
    rng = np.random.default_rng(seed)
    columns = {}
    for name, spec in ranges.items():
        if len(spec) == 3:
            columns[name] = 10.0 ** rng.uniform(np.log10(spec[0]), np.log10(spec[1]), size=num_trials)
        else:
            columns[name] = rng.uniform(spec[0], spec[1], size=num_trials)
    results = []
    for t in range(num_trials):
        config = {name: float(columns[name][t]) for name in ranges}
        results.append((config, evaluate(config)))
    best = int(np.argmax([score for _, score in results]))
    return results[best][0], results[best][1], results
