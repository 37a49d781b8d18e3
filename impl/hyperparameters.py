"""Hyperparameter search (contract: spec/contract/hyperparameters.py): grid search over a grid of values and random
search inside ranges (uniform or log-uniform), each keeping the first configuration with the highest score."""

import itertools
import math

import numpy as np

from impl import _validate


def _function(evaluate):
    if not callable(evaluate):
        raise ValueError(f"evaluate must be a function of a config dict, got {type(evaluate).__name__}")  # noqa: TRY004 (the contract's ValueError)
    return evaluate


def _score(value):
    if np.ndim(value) != 0:
        raise ValueError(f"evaluate must return a number, got an array of shape {np.shape(value)}")
    try:
        return float(np.asarray(value)[()])
    except (TypeError, ValueError):
        raise ValueError(f"evaluate must return a number, got {type(value).__name__}") from None


def _search(evaluate, configs):
    """Evaluate each config in turn; the best is the first with the highest score (a NaN never counts as higher,
    and a NaN first score is replaced by the first number)."""
    results, best = [], None
    for config in configs:
        score = _score(evaluate(dict(config)))
        results.append((config, score))
        if best is None or score > best[1] or (math.isnan(best[1]) and not math.isnan(score)):
            best = (config, score)
    return best[0], best[1], results


def grid_search(evaluate, grid):
    _function(evaluate)
    if not isinstance(grid, dict) or not grid:
        raise ValueError(f"grid must be a non-empty dict {{name: list of values}}, got {grid!r}")
    values = []
    for name, options in grid.items():
        if isinstance(options, (str, bytes)) or not hasattr(options, "__len__") or len(options) == 0:
            raise ValueError(f"grid[{name!r}] must be a non-empty list of values, got {options!r}")
        values.append(list(options))
    names = list(grid)
    configs = (dict(zip(names, combination)) for combination in itertools.product(*values))
    return _search(evaluate, configs)


def _range(name, spec):
    if not isinstance(spec, (tuple, list)) or len(spec) not in (2, 3):
        raise ValueError(f"ranges[{name!r}] must be (low, high) or (low, high, 'log'), got {spec!r}")
    low = _validate.real_number(f"ranges[{name!r}]'s low", spec[0])
    high = _validate.real_number(f"ranges[{name!r}]'s high", spec[1])
    scale = spec[2] if len(spec) == 3 else "linear"
    if scale not in ("linear", "log"):
        raise ValueError(f"ranges[{name!r}]'s scale must be 'log' (or left out for uniform), got {scale!r}")
    if low > high:
        raise ValueError(f"ranges[{name!r}] must have low <= high, got low {low!r} > high {high!r}")
    if scale == "log" and low <= 0:
        raise ValueError(f"ranges[{name!r}] is a 'log' range: low must be > 0, got {low!r}")
    return low, high, scale


def random_hyperparameter_search(evaluate, ranges, num_trials=20, seed=None):
    _function(evaluate)
    if not isinstance(ranges, dict) or not ranges:
        raise ValueError(f"ranges must be a non-empty dict {{name: (low, high) or (low, high, 'log')}}, got {ranges!r}")
    parsed = {name: _range(name, spec) for name, spec in ranges.items()}
    num_trials = _validate.count("num_trials", num_trials, 1)
    rng = np.random.default_rng(seed)
    # All draws at once, one row per trial and one column per hyperparameter (in the order of ranges).
    u = rng.random((num_trials, len(parsed)))
    columns = {}
    for j, (name, (low, high, scale)) in enumerate(parsed.items()):
        if scale == "log":
            a, b = math.log10(low), math.log10(high)
            columns[name] = np.clip(10.0 ** (a + (b - a) * u[:, j]), low, high)
        else:
            columns[name] = np.clip(low + (high - low) * u[:, j], low, high)
    configs = ({name: float(columns[name][t]) for name in parsed} for t in range(num_trials))
    return _search(evaluate, configs)
