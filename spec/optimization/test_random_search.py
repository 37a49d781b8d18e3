"""Strategy #1, random search(loss_fn, shape, num_tries, scale, seed) -> (W, loss): the best of num_tries random
W = scale * randn(shape); and strategy #2, random local search(loss_fn, W0, num_steps, step_size, seed) ->
(W, loss_history): from W0, try W + step_size * randn and move there only if the loss is lower.

The properties pass a recording loss_fn (common.Recorder): "the best of what it tried" is checked against the
implementation's own tries, whatever generator and draw order it uses. Every comparison of losses is exact: the
losses are the floats loss_fn returned, passed on unchanged.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.optimization.common import (
    TAIL,
    Recorder,
    U,
    bounded_arrays,
    seeds,
    weight_shapes,
)
from spec.property import alternative, mutant, prop

RANDOM_SEARCH = "random search"
LOCAL_SEARCH = "random local search"
CS231N_RS = ("CS231n lecture 4 (2015), slides 30-33: strategy #1, random search (W = 0.0001 * randn(10, 3073), "
             "keep the W with the lowest loss)")
CS231N_RLS = ("CS231n lecture 4 (2015), slides 35-36: strategy #2, random local search (W_try = W + step_size * randn, "
              "move there only if its loss is lower)")


class Bowl:
    """loss(W) = sum((W / scale - target)**2), or that rounded to a multiple of `quantum` (> 0): then many tries
    tie, which is where "the best" must still be one of the tied tries."""

    def __init__(self, target, scale=1.0, quantum=0.0):
        self.target, self.scale, self.quantum = target, scale, quantum

    def __call__(self, W):
        value = float(np.sum((W / self.scale - self.target) ** 2))
        return float(np.round(value / self.quantum) * self.quantum) if self.quantum else value

    def __repr__(self):
        q = f", rounded to multiples of {self.quantum:g}" if self.quantum else ""
        return f"sum((W / {self.scale:g} - target)**2){q}, target = {np.array2string(self.target, precision=3)}"


def scales():
    """The scale of random search's tries: CS231n's 1e-4 and others from 1e-4 to 100."""
    return st.one_of(st.sampled_from([1e-4, 1e-2, 1.0, 10.0]), st.floats(1e-4, 100.0))


@st.composite
def bowls(draw, shape, scale=1.0):
    """A Bowl centred on a target of the given shape (in units of `scale`), smooth or rounded (ties)."""
    target = draw(bounded_arrays(shape, -2.0, 2.0))
    quantum = draw(st.sampled_from([0.0, 0.0, 1.0, 4.0]))
    return Bowl(target, scale, quantum)


@st.composite
def search_problems(draw):
    """(loss_fn, shape, num_tries, scale, seed) for random search."""
    shape, scale = draw(weight_shapes()), draw(scales())
    return draw(bowls(shape, scale)), shape, draw(st.integers(1, 20)), scale, draw(seeds())


# Random search.


@prop(RANDOM_SEARCH, CS231N_RS, "random_search calls loss_fn on num_tries different random W and returns one of them with the lowest loss, and that loss.")
@given(problem=search_problems())
@example(problem=(Bowl(np.zeros(3), 1e-4, 1.0), (3,), 10, 1e-4, 0))
def test_random_search_returns_the_best_of_its_tries(random_search, problem):
    bowl, shape, num_tries, scale, seed = problem
    loss_fn = Recorder(bowl)
    W, loss = random_search(loss_fn, shape, num_tries, scale, seed)
    inputs = {"loss_fn": repr(bowl), "shape": shape, "num_tries": num_tries, "scale": scale, "seed": seed}
    tries = loss_fn.distinct()
    expect.equal("number of different W that random_search passed to loss_fn", len(tries), num_tries,
                 why="num_tries tries, each a new random W", inputs=inputs)
    best = min(l for _, l in tries)
    expect.equal("the loss random_search returned", loss, best,
                 why=f"the lowest of the {num_tries} losses loss_fn returned for its tries", inputs=inputs)
    winners = [T for T, l in tries if l == best]
    if not any(np.array_equal(W, T) for T in winners):
        tried = any(np.array_equal(W, T) for T, _ in tries)
        expect.fail(f"random_search returned W =\n{expect.fmt(W)}\nwhich "
                    + ("is one of its tries, but not one with the lowest loss " if tried else
                       "is none of the W it passed to loss_fn; it should be a try with the lowest loss ")
                    + f"({float(best)!r}), e.g.\n{expect.fmt(winners[0])}", inputs)


@prop(RANDOM_SEARCH, CS231N_RS, "random_search with the same seed tries the same W and returns the same result; another seed tries other W.")
@given(problem=search_problems())
def test_random_search_is_reproducible_from_its_seed(random_search, problem):
    bowl, shape, num_tries, scale, seed = problem
    inputs = {"loss_fn": repr(bowl), "shape": shape, "num_tries": num_tries, "scale": scale, "seed": seed}
    first, second, other = Recorder(bowl), Recorder(bowl), Recorder(bowl)
    W1, loss1 = random_search(first, shape, num_tries, scale, seed)
    W2, loss2 = random_search(second, shape, num_tries, scale, seed)
    expect.equal("W of a second run with the same seed", W2, W1, why="W of the first run", inputs=inputs)
    expect.equal("loss of a second run with the same seed", loss2, loss1, why="loss of the first run", inputs=inputs)
    random_search(other, shape, num_tries, scale, (seed + 1) % 2**32)
    # Two generators with different seeds drawing the same first standard normal value: probability 0 in practice
    # (the draws are 53-bit floats).
    if np.array_equal(first.calls[0][0], other.calls[0][0]):
        expect.fail(f"random_search with seed {seed} and with seed {(seed + 1) % 2**32} tried the same first W: "
                    "every random number must come from np.random.default_rng(seed) (the seed is ignored?)", inputs)


# The scale of the tries. The tries' n entries z (in units of scale) should be n independent standard normal values.
# Laurent & Massart (2000, Lemma 1): for X = sum z^2 ~ chi^2(n), P(X >= n + 2 sqrt(n x) + 2x) <= e^-x and
# P(X <= n - 2 sqrt(n x)) <= e^-x; and the sum S = sum z ~ N(0, n) has P(|S| >= sqrt(2 n x)) <= 2 e^-x. With x = 30
# a correct implementation fails one of the three with probability below 4 e^-30 = 4e-13. With n >= 400 entries the
# mean square lies in [0.45, 1.70] and the mean in [-0.39, 0.39]: a uniform draw in [0, 1) (mean 1/2, mean square 1/3)
# fails both, scale**2 * randn or a fixed 1e-4 fails the mean square whenever scale is 3 or more times off.
MIN_ENTRIES = 400


@prop(RANDOM_SEARCH, CS231N_RS, "random_search's tries are scale * (standard normal values): their mean is near 0 and their mean square near scale**2 (bounds a correct implementation misses with probability < 1e-12).")
@given(shape=st.sampled_from([(8,), (2, 4), (3, 4), (4, 4), (2, 2, 3)]), scale=scales(), seed=seeds())
@example(shape=(3, 4), scale=1e-4, seed=0)
def test_random_search_tries_are_scale_times_standard_normal(random_search, shape, scale, seed):
    size = math.prod(shape)
    num_tries = -(-MIN_ENTRIES // size)  # at least MIN_ENTRIES entries in all
    loss_fn = Recorder(np.sum)
    random_search(loss_fn, shape, num_tries, scale, seed)
    z = np.concatenate([W.ravel() for W, _ in loss_fn.distinct()]) / scale  # one rounding: relative error U
    n = z.size
    inputs = {"shape": shape, "num_tries": num_tries, "scale": scale, "seed": seed}
    # z = W / scale is off by U relative, z^2 by 3U, their sum by n U more: (n + 3) U relative, far below the margins.
    slack = (n + 3) * U
    mean_square = float(np.sum(z * z)) / n
    low = (n - 2 * math.sqrt(n * TAIL)) / n * (1 - slack)
    high = (n + 2 * math.sqrt(n * TAIL) + 2 * TAIL) / n * (1 + slack)
    expect.holds(f"mean of (W / scale)**2 over the {n} entries of the tries", mean_square, low <= mean_square <= high,
                 f"in [{low:.3f}, {high:.3f}] (1 for standard normal values; each try is scale * randn)", inputs=inputs)
    mean = float(np.sum(z)) / n
    bound = math.sqrt(2 * n * TAIL) / n * (1 + slack)
    expect.holds(f"mean of W / scale over the {n} entries of the tries", mean, abs(mean) <= bound,
                 f"in [-{bound:.3f}, {bound:.3f}] (0 for standard normal values)", inputs=inputs)


# Random local search.

NUM_STEPS = 12


@st.composite
def local_search_problems(draw, num_steps=NUM_STEPS):
    """(loss_fn, W0, num_steps, step_size, seed): a bowl (smooth or rounded) and a start in [-3, 3]."""
    shape = draw(weight_shapes())
    W0 = draw(bounded_arrays(shape, -3.0, 3.0))
    step = draw(st.one_of(st.sampled_from([1e-2, 0.1, 1.0]), st.floats(1e-2, 2.0)))
    return draw(bowls(shape)), W0, num_steps, step, draw(seeds())


def local_inputs(bowl, W0, num_steps, step, seed) -> dict:
    return {"loss_fn": repr(bowl), "W0": W0, "num_steps": num_steps, "step_size": step, "seed": seed}


@prop(LOCAL_SEARCH, CS231N_RLS, "random_local_search never accepts a worse loss: its loss history is non-increasing, starts no higher than loss_fn(W0) and ends at loss_fn(W).")
@given(problem=local_search_problems())
@example(problem=(Bowl(np.array([1.0, -1.0])), np.zeros(2), NUM_STEPS, 0.5, 0))
def test_random_local_search_never_accepts_a_worse_loss(random_local_search, problem):
    bowl, W0, num_steps, step, seed = problem
    inputs = local_inputs(*problem)
    W, history = random_local_search(bowl, W0, num_steps, step, seed)
    history = np.asarray(history, dtype=np.float64)
    start = bowl(W0)
    expect.holds("loss_history[0]", history[0], history[0] <= start,
                 f"<= loss_fn(W0) = {float(start)!r}: a step moves only to a lower loss", inputs=inputs)
    rises = np.diff(history) > 0
    if rises.any():
        t = int(np.argmax(rises))
        expect.fail(f"loss_history[{t + 1}]={float(history[t + 1])!r}, but should be <= loss_history[{t}]={float(history[t])!r}: "
                    "random local search moves only when the try's loss is lower than the current W's", inputs)
    expect.equal("loss_history[-1]", history[-1], bowl(W), why="loss_fn(W) of the W returned", inputs=inputs)


@prop(LOCAL_SEARCH, CS231N_RLS, "random_local_search tries W0 and then num_steps new points, and after each step its loss is the lowest loss of everything tried so far.")
@given(problem=local_search_problems())
def test_random_local_search_keeps_the_running_minimum_of_its_tries(random_local_search, problem):
    bowl, W0, num_steps, step, seed = problem
    inputs = local_inputs(*problem)
    loss_fn = Recorder(bowl)
    _, history = random_local_search(loss_fn, W0, num_steps, step, seed)
    history = np.asarray(history, dtype=np.float64)
    points = loss_fn.distinct()  # W0 and the tries, in the order evaluated (a re-evaluated W is no new point)
    expect.equal("number of different W passed to loss_fn", len(points), num_steps + 1,
                 why="W0 and one new try W + step_size * randn per step", inputs=inputs)
    if not any(np.array_equal(W0, P) for P, _ in points):
        expect.fail("random_local_search never called loss_fn(W0): it cannot know whether a try is lower than the "
                    "start's loss", inputs)
    # After step t, W0 and the first t + 1 tries have been evaluated: the first t + 2 distinct points (an
    # implementation evaluating the try before the current W evaluates W0 second, which changes nothing).
    running_min = np.minimum.accumulate(np.array([l for _, l in points]))[1:]
    expect.equal("loss_history", history, running_min,
                 why="after each step, the lowest loss among W0 and the tries so far", inputs=inputs)


# Steps from the current point. On a smooth loss (no exact ties: the bowls below are not rounded), the current W after
# each step is known from the recorded losses: W0, then each try whose loss is lower than the current one's. Each try
# is then current + step_size * z, and the z of all T tries are N = T n independent standard normal values. As for
# random search's tries (Laurent & Massart), sum z^2 lies in [N - 2 sqrt(N x), N + 2 sqrt(N x) + 2x] but with
# probability 2 e^-x; x = 30 and N >= 480 give a mean square in [0.5, 1.63]. A search perturbing W0 instead has
# z = z_new - z_current (variance 2) once it has moved: a mean square near 2 after its first accepted step.
# (12 steps of W with at least 40 entries: the Python loop, not n, sets the cost of a run.)
# Rounding: z computed as (try - current) / step_size is off by at most 3 U (|try| + |current|) / step_size per entry,
# d; a sum of squares by 2 d sum|z| + N d^2 + N U sum z^2, added to the bounds.
PERTURB_STEPS, MIN_PERTURBED = 12, 480


@st.composite
def smooth_local_search_problems(draw):
    """(loss_fn, W0, step_size, seed) with at least MIN_PERTURBED / PERTURB_STEPS = 40 entries in W and a smooth bowl."""
    shape = draw(st.sampled_from([(40,), (5, 8), (4, 10), (6, 7), (2, 4, 5)]))
    W0 = draw(bounded_arrays(shape, -3.0, 3.0))
    step = draw(st.one_of(st.sampled_from([1e-2, 0.1, 1.0]), st.floats(1e-2, 2.0)))
    target = draw(bounded_arrays(shape, -3.0, 3.0))
    return Bowl(target), W0, step, draw(seeds())


@prop(LOCAL_SEARCH, CS231N_RLS, "Each try of random_local_search is the current W (not W0) plus step_size * (standard normal values): over all tries, (try - current W) / step_size has mean near 0 and mean square near 1 (bounds a correct implementation misses with probability < 1e-12).")
@given(problem=smooth_local_search_problems())
def test_random_local_search_perturbs_the_current_point(random_local_search, problem):
    bowl, W0, step, seed = problem
    inputs = local_inputs(bowl, W0, PERTURB_STEPS, step, seed)
    loss_fn = Recorder(bowl)
    random_local_search(loss_fn, W0, PERTURB_STEPS, step, seed)
    tries = [(P, l) for P, l in loss_fn.distinct() if not np.array_equal(P, W0)]
    if len(tries) != PERTURB_STEPS:
        expect.fail(f"random_local_search passed {len(tries)} different W besides W0 to loss_fn in {PERTURB_STEPS} "
                    "steps; it should try one new W per step", inputs)
    current, current_loss = W0, bowl(W0)
    zs, errors = [], []
    for P, l in tries:
        zs.append((P - current) / step)
        errors.append(3 * U * (np.abs(P) + np.abs(current)) / step)
        if l < current_loss:
            current, current_loss = P, l
    z, d = np.concatenate([a.ravel() for a in zs]), np.concatenate([a.ravel() for a in errors])
    n = z.size
    squares, total = float(np.sum(z * z)), float(np.sum(z))
    slack = 2 * float(np.sum(d * np.abs(z))) + float(np.sum(d * d)) + n * U * squares
    low, high = n - 2 * math.sqrt(n * TAIL) - slack, n + 2 * math.sqrt(n * TAIL) + 2 * TAIL + slack
    expect.holds(f"mean of ((try - current W) / step_size)**2 over the {n} entries of the tries", squares / n,
                 low <= squares <= high,
                 f"in [{low / n:.3f}, {high / n:.3f}] (1: each try is the current W + step_size * randn; perturbing "
                 "W0 instead gives about 2 once the search has moved)", inputs=inputs)
    bound = math.sqrt(2 * n * TAIL) + float(np.sum(d))
    expect.holds(f"mean of (try - current W) / step_size over the {n} entries of the tries", total / n,
                 abs(total) <= bound, f"in [-{bound / n:.3f}, {bound / n:.3f}] (0 for standard normal values)",
                 inputs=inputs)


@prop(LOCAL_SEARCH, CS231N_RLS, "random_local_search with the same seed gives the same run; another seed tries other W.")
@given(problem=local_search_problems(num_steps=5))
def test_random_local_search_is_reproducible_from_its_seed(random_local_search, problem):
    bowl, W0, num_steps, step, seed = problem
    inputs = local_inputs(*problem)
    first, other = Recorder(bowl), Recorder(bowl)
    W1, h1 = random_local_search(first, W0, num_steps, step, seed)
    W2, h2 = random_local_search(bowl, W0, num_steps, step, seed)
    expect.equal("W of a second run with the same seed", W2, W1, why="W of the first run", inputs=inputs)
    expect.equal("loss_history of a second run with the same seed", np.asarray(h2, float), np.asarray(h1, float),
                 why="loss_history of the first run", inputs=inputs)
    random_local_search(other, W0, num_steps, step, (seed + 1) % 2**32)
    if [P.tobytes() for P, _ in first.distinct()] == [P.tobytes() for P, _ in other.distinct()]:
        expect.fail(f"random_local_search with seed {seed} and with seed {(seed + 1) % 2**32} tried the same points: "
                    "every random number must come from np.random.default_rng(seed) (the seed is ignored?)", inputs)


# Mutants of random search.


def _loss_of(loss_fn, W):
    return float(loss_fn(W))


@mutant(of="random_search", kills=[test_random_search_returns_the_best_of_its_tries])
def random_search_returning_the_last_try(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """Loops over the tries but returns the last one and its loss (the 'best' bookkeeping forgotten)."""
    rng = np.random.default_rng(seed)
    for _ in range(num_tries):
        W = scale * rng.standard_normal(shape)
        loss = _loss_of(loss_fn, W)
    return W, loss


@mutant(of="random_search", kills=[test_random_search_returns_the_best_of_its_tries])
def random_search_keeping_the_best_loss_with_the_last_W(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """bestloss is updated when a try is better, but the W returned is the last try, not bestW."""
    rng = np.random.default_rng(seed)
    best = np.inf
    for _ in range(num_tries):
        W = scale * rng.standard_normal(shape)
        loss = _loss_of(loss_fn, W)
        if loss < best:  # noqa: PLR1730 (as a student writes it)
            best = loss
    return W, best


@mutant(of="random_search", kills=[test_random_search_returns_the_best_of_its_tries])
def random_search_keeping_the_highest_loss(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """np.argmax instead of np.argmin over the tries' losses."""
    rng = np.random.default_rng(seed)
    tries = [scale * rng.standard_normal(shape) for _ in range(num_tries)]
    losses = [_loss_of(loss_fn, W) for W in tries]
    i = int(np.argmax(losses))
    return tries[i], losses[i]


@mutant(of="random_search", kills=[test_random_search_returns_the_best_of_its_tries])
def random_search_seeding_inside_the_loop(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """rng = np.random.default_rng(seed) inside the loop: every try is the same W."""
    best_W, best = None, np.inf
    for _ in range(num_tries):
        W = scale * np.random.default_rng(seed).standard_normal(shape)
        loss = _loss_of(loss_fn, W)
        if loss < best:
            best_W, best = W, loss
    return best_W, best


@mutant(of="random_search", kills=[test_random_search_is_reproducible_from_its_seed])
def random_search_ignoring_the_seed(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """np.random.randn from the global generator, never seeded: two runs with the same seed differ."""
    best_W, best = None, np.inf
    for _ in range(num_tries):
        W = scale * np.random.randn(*shape)
        loss = _loss_of(loss_fn, W)
        if loss < best:
            best_W, best = W, loss
    return best_W, best


@mutant(of="random_search", kills=[test_random_search_is_reproducible_from_its_seed])
def random_search_with_a_fixed_seed(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """np.random.default_rng(0): reproducible, but every seed gives the same tries."""
    rng = np.random.default_rng(0)
    best_W, best = None, np.inf
    for _ in range(num_tries):
        W = scale * rng.standard_normal(shape)
        loss = _loss_of(loss_fn, W)
        if loss < best:
            best_W, best = W, loss
    return best_W, best


@mutant(of="random_search", kills=[test_random_search_tries_are_scale_times_standard_normal])
def random_search_with_uniform_tries(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """scale * rng.random(shape): uniform in [0, scale) instead of normal (np.random.rand for randn)."""
    rng = np.random.default_rng(seed)
    best_W, best = None, np.inf
    for _ in range(num_tries):
        W = scale * rng.random(shape)
        loss = _loss_of(loss_fn, W)
        if loss < best:
            best_W, best = W, loss
    return best_W, best


@mutant(of="random_search", kills=[test_random_search_tries_are_scale_times_standard_normal])
def random_search_with_scale_as_variance(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """rng.normal(0, scale**2): the scale taken for the variance, so the standard deviation is scale**2."""
    rng = np.random.default_rng(seed)
    best_W, best = None, np.inf
    for _ in range(num_tries):
        W = rng.normal(0.0, scale**2, shape)
        loss = _loss_of(loss_fn, W)
        if loss < best:
            best_W, best = W, loss
    return best_W, best


@mutant(of="random_search", kills=[test_random_search_tries_are_scale_times_standard_normal])
def random_search_with_the_lecture_scale_hard_coded(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """W = 0.0001 * randn, copied from the slide: the scale argument is ignored."""
    rng = np.random.default_rng(seed)
    best_W, best = None, np.inf
    for _ in range(num_tries):
        W = 0.0001 * rng.standard_normal(shape)
        loss = _loss_of(loss_fn, W)
        if loss < best:
            best_W, best = W, loss
    return best_W, best


# Correct alternatives of random search.


@alternative(of="random_search")
def random_search_with_a_running_best_on_ties(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """A running best that compares with <=: among tied tries it keeps the last (the contract accepts any)."""
    rng = np.random.default_rng(seed)
    best_W, best = None, np.inf
    for _ in range(num_tries):
        W = rng.normal(0.0, scale, size=shape)
        loss = loss_fn(W)
        if loss <= best:
            best_W, best = W, loss
    return best_W, best


@alternative(of="random_search")
def random_search_drawing_all_tries_at_once(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """Every try drawn in one array (num_tries, *shape), the losses in a list, np.argmin (the first of tied tries),
    and the winner's loss evaluated once more to return it."""
    tries = scale * np.random.default_rng(seed).standard_normal((num_tries, *shape))
    losses = [loss_fn(W) for W in tries]
    best = tries[int(np.argmin(losses))].copy()
    return best, float(loss_fn(best))


@alternative(of="random_search")
def random_search_with_randomstate(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    """CS231n's slide with the legacy generator: np.random.RandomState(seed).randn(*shape) * scale."""
    rs = np.random.RandomState(None if seed is None else seed % 2**32)
    bestloss, bestW = float("inf"), None
    for _ in range(num_tries):
        W = rs.randn(*shape) * scale
        loss = loss_fn(W)
        if loss < bestloss:
            bestloss, bestW = loss, W
    return bestW, bestloss


# Mutants of random local search.


@mutant(of="random_local_search", kills=[test_random_local_search_never_accepts_a_worse_loss,
                                          test_random_local_search_keeps_the_running_minimum_of_its_tries])
def random_local_search_always_moving(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """Moves to every try (the 'if loss < bestloss' test forgotten): a random walk, not a search."""
    rng = np.random.default_rng(seed)
    W, history = W0.copy(), []
    loss_fn(W)
    for _ in range(num_steps):
        W = W + step_size * rng.standard_normal(W.shape)
        history.append(float(loss_fn(W)))
    return W, history


@mutant(of="random_local_search", kills=[test_random_local_search_never_accepts_a_worse_loss,
                                          test_random_local_search_keeps_the_running_minimum_of_its_tries])
def random_local_search_comparing_with_the_start(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """Compares each try with the loss of W0 (computed once, never updated), not with the current W's."""
    rng = np.random.default_rng(seed)
    W, start = W0.copy(), float(loss_fn(W0.copy()))
    loss, history = start, []
    for _ in range(num_steps):
        W_try = W + step_size * rng.standard_normal(W.shape)
        loss_try = float(loss_fn(W_try))
        if loss_try < start:
            W, loss = W_try, loss_try
        history.append(loss)
    return W, history


@mutant(of="random_local_search", kills=[test_random_local_search_perturbs_the_current_point])
def random_local_search_perturbing_the_start(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """W_try = W0 + step_size * randn: keeps the best perturbation of the start, never building on a step taken."""
    rng = np.random.default_rng(seed)
    W, loss = W0.copy(), float(loss_fn(W0.copy()))
    history = []
    for _ in range(num_steps):
        W_try = W0 + step_size * rng.standard_normal(W0.shape)
        loss_try = float(loss_fn(W_try))
        if loss_try < loss:
            W, loss = W_try, loss_try
        history.append(loss)
    return W, history


@mutant(of="random_local_search", kills=[test_random_local_search_never_accepts_a_worse_loss,
                                          test_random_local_search_keeps_the_running_minimum_of_its_tries])
def random_local_search_starting_from_an_infinite_loss(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """bestloss = float('inf') as in random search: the first try is accepted even when worse than W0."""
    rng = np.random.default_rng(seed)
    W, loss, history = W0.copy(), np.inf, []
    for _ in range(num_steps):
        W_try = W + step_size * rng.standard_normal(W.shape)
        loss_try = float(loss_fn(W_try))
        if loss_try < loss:
            W, loss = W_try, loss_try
        history.append(loss)
    return W, history


@mutant(of="random_local_search", kills=[test_random_local_search_perturbs_the_current_point])
def random_local_search_with_step_size_as_variance(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """rng.normal(0, step_size**2): the step size taken for the variance of the perturbation."""
    rng = np.random.default_rng(seed)
    W, loss = W0.copy(), float(loss_fn(W0.copy()))
    history = []
    for _ in range(num_steps):
        W_try = rng.normal(W, step_size**2)
        loss_try = float(loss_fn(W_try))
        if loss_try < loss:
            W, loss = W_try, loss_try
        history.append(loss)
    return W, history


@mutant(of="random_local_search", kills=[test_random_local_search_is_reproducible_from_its_seed])
def random_local_search_ignoring_the_seed(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """np.random.randn from the global generator, never seeded."""
    W, loss = W0.copy(), float(loss_fn(W0.copy()))
    history = []
    for _ in range(num_steps):
        W_try = W + step_size * np.random.randn(*W.shape)
        loss_try = float(loss_fn(W_try))
        if loss_try < loss:
            W, loss = W_try, loss_try
        history.append(loss)
    return W, history


# Correct alternatives of random local search.


@alternative(of="random_local_search")
def random_local_search_accepting_ties(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """Moves when the try's loss is <= the current one: on a tie it moves to a point of the same loss, so the loss
    history is the same as with <."""
    rng = np.random.default_rng(seed)
    W, loss = np.array(W0, dtype=np.float64), float(loss_fn(W0))
    history = np.empty(num_steps)
    for t in range(num_steps):
        W_try = W + rng.normal(0.0, step_size, size=W.shape)
        loss_try = float(loss_fn(W_try))
        if loss_try <= loss:
            W, loss = W_try, loss_try
        history[t] = loss
    return W, history


@alternative(of="random_local_search")
def random_local_search_reevaluating_the_current_loss(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """No cached loss: each step evaluates the try first, then loss_fn(W) of the current W again, and records
    loss_fn(W) after the step (a list, as CS231n's train returns)."""
    rng = np.random.default_rng(seed)
    W, history = W0.copy(), []
    for _ in range(num_steps):
        W_try = W + step_size * rng.standard_normal(W.shape)
        if loss_fn(W_try) < loss_fn(W):
            W = W_try
        history.append(loss_fn(W))
    return W, history


@alternative(of="random_local_search")
def random_local_search_with_randomstate(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    """CS231n's slide with the legacy generator, W updated in place on its own copy."""
    rs = np.random.RandomState(None if seed is None else seed % 2**32)
    W = W0.copy()
    bestloss = loss_fn(W.copy())
    history = []
    for _ in range(num_steps):
        Wtry = W + rs.randn(*W.shape) * step_size
        loss = loss_fn(Wtry)
        if loss < bestloss:
            W[...] = Wtry
            bestloss = loss
        history.append(bestloss)
    return W, history
