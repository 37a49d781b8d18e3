"""The reference impl/hyperparameters.py rejects malformed input with a ValueError that names the argument and what
it should be, and keeps the contract's conventions at the edges (ties, NaN scores, a degenerate range)."""

import math

import pytest

from impl import hyperparameters as hp


def constant(config):
    return 0.0


def test_grid_search_checks_its_arguments():
    with pytest.raises(ValueError, match=r"evaluate must be a function of a config dict, got int"):
        hp.grid_search(3, {"a": [1]})
    with pytest.raises(ValueError, match=r"grid must be a non-empty dict"):
        hp.grid_search(constant, {})
    with pytest.raises(ValueError, match=r"grid\['a'\] must be a non-empty list of values, got \[\]"):
        hp.grid_search(constant, {"a": []})
    with pytest.raises(ValueError, match=r"grid\['a'\] must be a non-empty list of values, got 'abc'"):
        hp.grid_search(constant, {"a": "abc"})
    with pytest.raises(ValueError, match=r"evaluate must return a number, got an array of shape \(2,\)"):
        hp.grid_search(lambda c: [1.0, 2.0], {"a": [1]})
    with pytest.raises(ValueError, match=r"evaluate must return a number, got str"):
        hp.grid_search(lambda c: "good", {"a": [1]})


def test_grid_search_passes_a_new_dict_and_skips_nan_scores():
    seen = []

    def mutating(config):
        seen.append(config)
        config["a"] = -1  # the caller's results must not see this
        return {1: math.nan, 2: 0.5, 3: 0.5}[len(seen)]

    best, score, results = hp.grid_search(mutating, {"a": [10, 20, 30]})
    assert best == {"a": 20} and score == 0.5
    assert [c for c, _ in results] == [{"a": 10}, {"a": 20}, {"a": 30}]


def test_random_hyperparameter_search_checks_its_arguments():
    with pytest.raises(ValueError, match=r"ranges must be a non-empty dict"):
        hp.random_hyperparameter_search(constant, [(0, 1)])
    with pytest.raises(ValueError, match=r"ranges\['lr'\] must be \(low, high\) or \(low, high, 'log'\), got 0.1"):
        hp.random_hyperparameter_search(constant, {"lr": 0.1})
    with pytest.raises(ValueError, match=r"ranges\['lr'\] must have low <= high, got low 2.0 > high 1.0"):
        hp.random_hyperparameter_search(constant, {"lr": (2.0, 1.0)})
    with pytest.raises(ValueError, match=r"ranges\['lr'\] is a 'log' range: low must be > 0, got 0.0"):
        hp.random_hyperparameter_search(constant, {"lr": (0.0, 1.0, "log")})
    with pytest.raises(ValueError, match=r"ranges\['lr'\]'s scale must be 'log' \(or left out for uniform\), got 'ln'"):
        hp.random_hyperparameter_search(constant, {"lr": (1e-5, 1e-1, "ln")})
    with pytest.raises(ValueError, match=r"ranges\['lr'\]'s low must be a finite number, got inf"):
        hp.random_hyperparameter_search(constant, {"lr": (math.inf, 1.0)})
    with pytest.raises(ValueError, match=r"num_trials must be an integer >= 1, got 0"):
        hp.random_hyperparameter_search(constant, {"lr": (0.0, 1.0)}, num_trials=0)


def test_random_hyperparameter_search_keeps_values_in_range_and_repeats_with_its_seed():
    ranges = {"lr": (1e-5, 1e-1, "log"), "p": (0.5, 0.5), "q": (1e-3, 1e-3, "log")}
    a = hp.random_hyperparameter_search(lambda c: -abs(math.log10(c["lr"]) + 3), ranges, 50, seed=1)
    b = hp.random_hyperparameter_search(lambda c: -abs(math.log10(c["lr"]) + 3), ranges, 50, seed=1)
    assert a == b and len(a[2]) == 50
    for config, _ in a[2]:
        assert 1e-5 <= config["lr"] <= 1e-1 and config["p"] == 0.5 and config["q"] == 1e-3
