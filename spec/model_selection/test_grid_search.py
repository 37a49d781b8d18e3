"""grid_search(evaluate, grid) -> (best_config, best_score, results): evaluate every combination of the grid's values
in the order of nested loops (the first key outermost), results every (config, score) in that order, best_config
the first with the highest score.

The properties pass a ScoreTable (common.py): an evaluate returning pre-drawn scores in call order, with many ties,
zeros and negatives, and keeping a copy of every config it was given. Scores are passed on unchanged, so every
comparison is exact.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.model_selection.common import I2DL_GRID, ScoreTable, first_best, tied_scores
from spec.property import alternative, mutant, prop

GRID = "grid search"
NAMES = ("learning_rate", "reg", "num_iters", "hidden_size")
LECTURE_GRID = {"learning_rate": [1e-2, 1e-3, 1e-4, 1e-5], "reg": [1e2, 1e3, 1e4, 1e5], "num_iters": [500, 1000, 1500]}


def grid_values():
    """A non-empty list of distinct values: floats (a learning rate) or ints (an iteration count)."""
    return st.one_of(st.lists(st.sampled_from([1e-5, 1e-4, 1e-3, 1e-2, 0.5, 1.0, 1e2]), min_size=1, max_size=4,
                              unique=True),
                     st.lists(st.integers(1, 2000), min_size=1, max_size=4, unique=True))


@st.composite
def grids_and_scores(draw):
    """(grid, scores): 1 to 3 hyperparameters of 1 to 4 values each, and one score per combination."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True))
    grid = {name: draw(grid_values()) for name in names}
    size = int(np.prod([len(v) for v in grid.values()]))
    return grid, draw(tied_scores(size))


def product_configs(grid) -> list:
    """The contract's evaluation order: itertools.product(*grid.values()), the first key outermost."""
    return [dict(zip(grid, values)) for values in itertools.product(*grid.values())]


TWO_BY_THREE = ({"learning_rate": [1e-3, 1e-2], "num_iters": [500, 1000, 1500]}, [0.0, 1.0, -1.0, 1.0, 0.5, -2.0])
ALL_NEGATIVE = ({"reg": [1e2, 1e3, 1e4]}, [-1.0, -0.5, -0.5])


@prop(GRID, I2DL_GRID, "grid_search calls evaluate once on each combination of the grid's values, in nested-loop order (the first key outermost, itertools.product's), and returns every (config, score) in that order.")
@given(problem=grids_and_scores())
@example(problem=TWO_BY_THREE)
def test_grid_search_evaluates_the_cartesian_product_in_nested_loop_order(grid_search, problem):
    grid, scores = problem
    evaluate = ScoreTable(scores)
    _, _, results = grid_search(evaluate, grid)
    inputs = {"grid": grid, "evaluate": repr(evaluate)}
    expected = product_configs(grid)
    called = [config for config, _ in evaluate.calls]
    if called != expected:
        i = next((i for i, (a, b) in enumerate(zip(called, expected)) if a != b), min(len(called), len(expected)))
        expect.fail(f"grid_search called evaluate {len(called)} times; call {i} was on "
                    f"{called[i] if i < len(called) else 'nothing'}, but should be on "
                    f"{expected[i] if i < len(expected) else 'nothing (every combination is evaluated once)'} "
                    f"({len(expected)} combinations, the first key outermost: itertools.product(*grid.values()))",
                    inputs)
    if len(results) != len(expected):
        expect.fail(f"grid_search's results has {len(results)} entries, but should have one per evaluation, "
                    f"{len(expected)}", inputs)
    for i, ((config, score), (called_config, returned)) in enumerate(zip(results, evaluate.calls)):
        if config != called_config or score != returned:
            expect.fail(f"grid_search's results[{i}] is ({config}, {score!r}), but should be ({called_config}, "
                        f"{returned!r}): the {i}-th evaluation, in order", inputs)


@prop(GRID, I2DL_GRID, "grid_search returns the first configuration with the highest score and that score (ties to the first; zero and negative scores count).")
@given(problem=grids_and_scores())
@example(problem=TWO_BY_THREE)
@example(problem=ALL_NEGATIVE)
def test_grid_search_returns_the_first_best_configuration(grid_search, problem):
    grid, scores = problem
    evaluate = ScoreTable(scores)
    best_config, best_score, _ = grid_search(evaluate, grid)
    inputs = {"grid": grid, "evaluate": repr(evaluate)}
    config, score = first_best(evaluate.calls)
    expect.equal("best_score of grid_search", best_score, score, why="the highest score evaluate returned",
                 inputs=inputs)
    if best_config != config:
        tied = [c for c, s in evaluate.calls if s == score]
        expect.fail(f"grid_search's best_config is {best_config}, but should be {config}: "
                    + (f"the first of the {len(tied)} configurations tied at the highest score {score!r}"
                       if len(tied) > 1 and best_config in tied else f"the configuration with the highest score "
                       f"{score!r}"), inputs)


def lecture_accuracy(config) -> float:
    """A made-up validation accuracy, highest (0.5) at learning rate 1e-3, reg 1e3 and 1500 iterations."""
    distance = abs(np.log10(config["learning_rate"]) + 3) + abs(np.log10(config["reg"]) - 3) \
        + abs(config["num_iters"] - 1500) / 500
    return 0.5 - 0.05 * float(distance)


@prop(GRID, I2DL_GRID, "The lecture's grid (4 learning rates x 4 regularization strengths x 3 iteration counts) is 48 evaluations, the second {1e-2, 1e2, 1000}, and the best is the configuration of the highest validation accuracy.")
def test_grid_search_on_the_lecture_grid(grid_search):
    calls = []

    def evaluate(config):
        calls.append(dict(config))
        return lecture_accuracy(config)

    best_config, best_score, results = grid_search(evaluate, LECTURE_GRID)
    inputs = {"grid": LECTURE_GRID, "evaluate": "0.5 - 0.05 * (|log10 lr + 3| + |log10 reg - 3| + |num_iters - 1500| / 500)"}
    expect.equal("number of evaluations of grid_search on the lecture's grid", len(calls), 48, why="4 x 4 x 3",
                 inputs=inputs)
    expect.equal("number of results of grid_search on the lecture's grid", len(results), 48, why="4 x 4 x 3",
                 inputs=inputs)
    second = {"learning_rate": 1e-2, "reg": 1e2, "num_iters": 1000}
    if calls[1] != second:
        expect.fail(f"grid_search's second evaluation was {calls[1]}, but should be {second} (num_iters is the "
                    "innermost loop)", inputs)
    best = {"learning_rate": 1e-3, "reg": 1e3, "num_iters": 1500}
    if best_config != best:
        expect.fail(f"grid_search's best_config on the lecture's grid is {best_config}, but should be {best}, the one "
                    "of the highest validation accuracy 0.5", inputs)
    expect.equal("best_score of grid_search on the lecture's grid", best_score, lecture_accuracy(best),
                 why="the accuracy of the best configuration", inputs=inputs)


# Mutants.


def _loop(evaluate, grid, better, start=None, order=None):
    names = list(grid)
    results, best_config, best_score = [], None, start
    for values in itertools.product(*(order or grid.values())):
        config = dict(zip(names if order is None else names[::-1], values))
        score = evaluate(config)
        results.append((config, score))
        if best_score is None or better(score, best_score):
            best_config, best_score = config, score
    return best_config, best_score, results


@mutant(of="grid_search", kills=[test_grid_search_returns_the_first_best_configuration,
                                 test_grid_search_on_the_lecture_grid])
def grid_search_returning_the_worst(evaluate, grid):
    """if score < best: the comparison turned around, as for a loss, though the score is an accuracy."""
    return _loop(evaluate, grid, lambda s, b: s < b)


@mutant(of="grid_search", kills=[test_grid_search_returns_the_first_best_configuration])
def grid_search_keeping_the_last_of_ties(evaluate, grid):
    """if score >= best: a later configuration with an equal score replaces the first."""
    return _loop(evaluate, grid, lambda s, b: s >= b)


@mutant(of="grid_search", kills=[test_grid_search_returns_the_first_best_configuration])
def grid_search_starting_from_best_val_0(evaluate, grid):
    """The slide's best_val = 0 start: when no score beats 0 the best configuration stays None."""
    return _loop(evaluate, grid, lambda s, b: s > b, start=0.0)


@mutant(of="grid_search", kills=[test_grid_search_evaluates_the_cartesian_product_in_nested_loop_order,
                                 test_grid_search_on_the_lecture_grid])
def grid_search_with_the_first_key_innermost(evaluate, grid):
    """The loops nested the other way round: the last key outermost."""
    return _loop(evaluate, grid, lambda s, b: s > b, order=list(grid.values())[::-1])


@mutant(of="grid_search", kills=[test_grid_search_evaluates_the_cartesian_product_in_nested_loop_order])
def grid_search_reusing_one_config_dict(evaluate, grid):
    """One dict updated in place for every combination: every entry of results is the same dict, the last config."""
    results, best_config, best_score = [], None, None
    config = {}
    for values in itertools.product(*grid.values()):
        config.update(zip(grid, values))
        score = evaluate(config)
        results.append((config, score))
        if best_score is None or score > best_score:
            best_config, best_score = dict(config), score
    return best_config, best_score, results


# Correct alternatives.


@alternative(of="grid_search")
def grid_search_by_recursion(evaluate, grid):
    """Nested loops by recursion over the keys (no itertools), the best kept with a strict > from the first result."""
    names = list(grid)
    results = []

    def loop(depth, partial):
        if depth == len(names):
            config = dict(partial)
            results.append((config, float(evaluate(config))))
            return
        for value in grid[names[depth]]:
            partial[names[depth]] = value
            loop(depth + 1, partial)
        partial.pop(names[depth], None)

    loop(0, {})
    best = results[0]
    for result in results[1:]:
        if result[1] > best[1]:
            best = result
    return best[0], best[1], results


@alternative(of="grid_search")
def grid_search_by_argmax(evaluate, grid):
    """All scores first (an index grid by np.ndindex, the last axis fastest), then np.argmax: its first maximum."""
    names, lists = list(grid), list(grid.values())
    results = []
    for index in np.ndindex(*(len(v) for v in lists)):
        config = {name: values[i] for name, values, i in zip(names, lists, index)}
        results.append((config, evaluate(config)))
    best = int(np.argmax([score for _, score in results]))
    return results[best][0], results[best][1], results
