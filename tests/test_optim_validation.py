"""The reference impl/optim.py rejects malformed input with a ValueError that names the argument and what it should
be, leaves the caller's w, dw and config as they were, and keeps its state under the contract's keys (the properties
in spec/update_rules/ rely on that)."""

import copy

import numpy as np
import pytest

from impl import optim

W = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.5]])
DW = np.array([[0.5, 0.25, -4.0], [1.0, -1.0, 2.0]])
RULES = ["sgd", "sgd_momentum", "rmsprop", "adam"]
STATE = {"sgd_momentum": "velocity", "rmsprop": "cache", "adam": "m"}
HYPERPARAMETERS = {
    "sgd": ["learning_rate"],
    "sgd_momentum": ["learning_rate", "momentum"],
    "rmsprop": ["learning_rate", "decay_rate", "epsilon"],
    "adam": ["learning_rate", "beta1", "beta2", "epsilon"],
}


@pytest.mark.parametrize("name", RULES)
def test_w_and_dw_must_be_real_arrays_of_one_shape(name):
    rule = getattr(optim, name)
    with pytest.raises(ValueError, match=r"dw must have the shape of w, \(2, 3\), got \(3, 2\)"):
        rule(W, DW.T)
    with pytest.raises(ValueError, match=r"dw must have the shape of w, \(2, 3\), got \(6,\)"):
        rule(W, DW.ravel())
    with pytest.raises(ValueError, match=r"^w must be an array of real numbers, got dtype object"):
        rule(np.array([[None, 1.0]]), np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"^dw must be an array of real numbers, got dtype <U1"):
        rule(np.ones(2), np.array(["a", "b"]))


@pytest.mark.parametrize("name", RULES)
def test_config_must_be_a_dict_or_none(name):
    rule = getattr(optim, name)
    with pytest.raises(ValueError, match=r"config must be a dict or None, got list"):
        rule(W, DW, [("learning_rate", 1e-2)])
    with pytest.raises(ValueError, match=r"config must be a dict or None, got float"):
        rule(W, DW, 1e-2)


@pytest.mark.parametrize("name", RULES)
def test_hyperparameters_must_be_finite_numbers_in_range(name):
    rule = getattr(optim, name)
    with pytest.raises(ValueError, match=r"config\['learning_rate'\] must be >= 0.0, got -0.01"):
        rule(W, DW, {"learning_rate": -0.01})
    for key in HYPERPARAMETERS[name]:
        with pytest.raises(ValueError, match=rf"config\['{key}'\] must be a finite number, got nan"):
            rule(W, DW, {key: np.nan})
        with pytest.raises(ValueError, match=rf"config\['{key}'\] must be a finite number, got '0.1'"):
            rule(W, DW, {key: "0.1"})
        with pytest.raises(ValueError, match=rf"config\['{key}'\] must be a number, got an array of shape \(2,\)"):
            rule(W, DW, {key: np.array([0.1, 0.2])})


def test_decay_rates_momenta_and_betas_must_lie_in_their_ranges():
    with pytest.raises(ValueError, match=r"config\['momentum'\] must lie in \[0, 1\], got 1.5"):
        optim.sgd_momentum(W, DW, {"momentum": 1.5})
    with pytest.raises(ValueError, match=r"config\['momentum'\] must be >= 0.0, got -0.9"):
        optim.sgd_momentum(W, DW, {"momentum": -0.9})
    with pytest.raises(ValueError, match=r"config\['decay_rate'\] must lie in \[0, 1\], got 99"):
        optim.rmsprop(W, DW, {"decay_rate": 99})
    with pytest.raises(ValueError, match=r"config\['epsilon'\] must be >= 0.0, got -1e-08"):
        optim.rmsprop(W, DW, {"epsilon": -1e-8})
    with pytest.raises(ValueError, match=r"config\['beta1'\] must lie in \[0, 1\), got 1.0"):
        optim.adam(W, DW, {"beta1": 1.0})
    with pytest.raises(ValueError, match=r"config\['beta2'\] must lie in \[0, 1\), got 1.2"):
        optim.adam(W, DW, {"beta2": 1.2})
    # The ends that are allowed: no friction at momentum 1, a frozen cache at decay_rate 1, beta 0 (no averaging).
    optim.sgd_momentum(W, DW, {"momentum": 1.0})
    optim.rmsprop(W, DW, {"decay_rate": 1.0})
    optim.adam(W, DW, {"beta1": 0.0, "beta2": 0.0, "learning_rate": 0.0, "epsilon": 0.0})


@pytest.mark.parametrize("name", ["sgd_momentum", "rmsprop", "adam"])
def test_a_stored_state_must_have_the_shape_of_w(name):
    rule, key = getattr(optim, name), STATE[name]
    with pytest.raises(ValueError, match=rf"config\['{key}'\] must have the shape of w, \(2, 3\), got \(3, 2\)"):
        rule(W, DW, {key: np.zeros((3, 2))})
    with pytest.raises(ValueError, match=rf"config\['{key}'\] must be an array of real numbers, got dtype object"):
        rule(W, DW, {key: np.array([[None] * 3] * 2)})


def test_second_moments_must_be_nonnegative_and_t_an_integer():
    with pytest.raises(ValueError, match=r"config\['cache'\] must be >= 0 everywhere \(a moving average of squares\), "
                                         r"got a minimum of -1.0"):
        optim.rmsprop(W, DW, {"cache": -np.ones_like(W)})
    with pytest.raises(ValueError, match=r"config\['v'\] must have the shape of w, \(2, 3\), got \(3,\)"):
        optim.adam(W, DW, {"v": np.ones(3)})
    with pytest.raises(ValueError, match=r"config\['v'\] must be >= 0 everywhere"):
        optim.adam(W, DW, {"v": -np.ones_like(W)})
    with pytest.raises(ValueError, match=r"config\['t'\] must be an integer >= 0, got 2.0"):
        optim.adam(W, DW, {"t": 2.0})
    with pytest.raises(ValueError, match=r"config\['t'\] must be an integer >= 0, got -1"):
        optim.adam(W, DW, {"t": -1})
    assert optim.adam(W, DW, {"t": np.int64(4)})[1]["t"] == 5


@pytest.mark.parametrize("name", RULES)
def test_inputs_are_left_alone_and_the_state_is_kept_under_the_contract_keys(name):
    rule = getattr(optim, name)
    w, dw = W.copy(), DW.copy()
    config = {"learning_rate": 0.1}
    before = copy.deepcopy(config)
    next_w, returned = rule(w, dw, config)
    np.testing.assert_array_equal(w, W)
    np.testing.assert_array_equal(dw, DW)
    assert config == before and returned is not config
    assert next_w.shape == W.shape and next_w.dtype == np.float64
    assert returned["learning_rate"] == 0.1
    if name in STATE:
        assert returned[STATE[name]].shape == W.shape
    # Integer and boolean inputs are converted; any shape is accepted.
    next_w, _ = rule(np.arange(4).reshape(2, 1, 2), np.ones((2, 1, 2), dtype=int))
    assert next_w.dtype == np.float64 and next_w.shape == (2, 1, 2)


def test_the_documented_state_conventions():
    # CS231n's velocity convention v = mu v - lr dw; Adam's t incremented before use, m and v uncorrected.
    _, config = optim.sgd_momentum(W, DW, {"learning_rate": 0.1, "momentum": 0.5})
    np.testing.assert_array_equal(config["velocity"], -0.1 * DW)
    _, config = optim.adam(W, DW)
    assert config["t"] == 1 and isinstance(config["t"], int)
    np.testing.assert_allclose(config["m"], 0.1 * DW, rtol=1e-15)
    np.testing.assert_allclose(config["v"], 0.001 * DW**2, rtol=1e-15)
