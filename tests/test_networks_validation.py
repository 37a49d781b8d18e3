"""The reference impl/networks.py rejects malformed constructor arguments and batches with a ValueError that names the
argument and what it should be, reads params afresh at every call of loss without modifying them, and draws its
initial weights as documented (np.random.default_rng(seed) for FullyConnectedNet)."""

import numpy as np
import pytest

from impl.networks import FullyConnectedNet, TwoLayerNet


@pytest.mark.parametrize("kwargs, message", [
    ({"input_dim": 0}, r"input_dim must be an integer >= 1, got 0"),
    ({"hidden_dim": 2.0}, r"hidden_dim must be an integer >= 1, got 2.0"),
    ({"num_classes": True}, r"num_classes must be an integer >= 1, got True"),
    ({"weight_scale": -1.0}, r"weight_scale must be >= 0.0, got -1.0"),
    ({"reg": np.nan}, r"reg must be a finite number, got nan"),
    ({"reg": np.ones(2)}, r"reg must be a number, got an array of shape \(2,\)"),
])
def test_two_layer_net_checks_its_constructor_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TwoLayerNet(**{"input_dim": 4, "hidden_dim": 3, "num_classes": 2, **kwargs})


@pytest.mark.parametrize("kwargs, message", [
    ({"hidden_dims": 5}, r"hidden_dims must be a list of positive ints \(the widths of the hidden layers\), got int"),
    ({"hidden_dims": [3, 0]}, r"hidden_dims\[1\] must be an integer >= 1, got 0"),
    ({"hidden_dims": [True]}, r"hidden_dims\[0\] must be an integer >= 1, got True"),
    ({"activation": "elu"}, r"activation must be one of 'relu', 'leaky_relu', 'sigmoid', 'tanh', got 'elu'"),
    ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
    ({"seed": 1.5}, r"seed must be an integer >= 0, got 1.5"),
    ({"weight_scale": "big"}, r"weight_scale must be a finite number, got 'big'"),
    ({"reg": -0.5}, r"reg must be >= 0.0, got -0.5"),
])
def test_fully_connected_net_checks_its_constructor_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FullyConnectedNet(**{"hidden_dims": [3], "input_dim": 4, "num_classes": 2, **kwargs})


@pytest.mark.parametrize("make", [lambda: TwoLayerNet(4, 3, 3), lambda: FullyConnectedNet([3, 2], 4, 3, seed=0)])
def test_loss_checks_X_and_y(make):
    net = make()
    X = np.ones((2, 4))
    cases = [
        (np.ones((2, 5)), None, r"data X must have shape \(N, d1, ..., dk\) with d1 \* ... \* dk = D = 4, got shape \(2, 5\)"),
        (np.ones(4), None, r"data X must have shape \(N, d1, ..., dk\) with d1 \* ... \* dk = D = 4, got shape \(4,\)"),
        (np.array([["a"] * 4]), None, r"data X must be an array of real numbers, got dtype <U1"),
        (X, np.array([0, 3]), r"labels y must lie in \[0, C\) = \[0, 3\), got values from 0 to 3"),
        (X, np.array([0.0, 1.0]), r"labels y must be integers, got dtype float64"),
        (X, np.array([0]), r"labels y must have shape \(N,\) = \(2,\) to match X of shape \(2, 4\), got \(1,\)"),
        (np.ones((0, 4)), np.zeros(0, int), r"data X must hold at least one example \(N >= 1\), got shape \(0, 4\)"),
    ]
    for X_, y, message in cases:
        with pytest.raises(ValueError, match=message):
            net.loss(X_, y)
    assert net.loss(np.ones((0, 2, 2))).shape == (0, 3)  # scores of an empty batch are fine


def test_loss_checks_params():
    net = FullyConnectedNet([3], input_dim=4, num_classes=2, seed=0)
    net.params["W1"] = np.ones((5, 3))
    with pytest.raises(ValueError, match=r"params\['W1'\] must have shape \(4, 3\) \(layer sizes \[4, 3, 2\]\), got \(5, 3\)"):
        net.loss(np.ones((2, 4)))
    del net.params["W1"]
    with pytest.raises(ValueError, match=r"params has no 'W1'; a network with 2 layers has W1, b1, ..., W2, b2"):
        net.loss(np.ones((2, 4)))


def test_initial_params_and_the_seed():
    a = FullyConnectedNet([5, 4], input_dim=6, num_classes=3, weight_scale=0.1, seed=7)
    b = FullyConnectedNet([5, 4], input_dim=6, num_classes=3, weight_scale=0.1, seed=7)
    rng = np.random.default_rng(7)
    for key, shape in (("W1", (6, 5)), ("W2", (5, 4)), ("W3", (4, 3))):
        np.testing.assert_array_equal(a.params[key], rng.normal(0.0, 0.1, shape))
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert sorted(a.params) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert all(not a.params[f"b{i}"].any() for i in (1, 2, 3))
    assert FullyConnectedNet([], input_dim=6, num_classes=3).params["W1"].shape == (6, 3)
    two = TwoLayerNet(6, 5, 3)
    assert {k: v.shape for k, v in two.params.items()} == {"W1": (6, 5), "b1": (5,), "W2": (5, 3), "b2": (3,)}


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "sigmoid", "tanh"])
def test_loss_reads_params_at_each_call_and_leaves_them_alone(activation):
    net = FullyConnectedNet([3], input_dim=4, num_classes=2, activation=activation, reg=0.5, seed=1)
    X, y = np.linspace(-1, 1, 8).reshape(2, 2, 2), np.array([0, 1])
    before = {k: v.copy() for k, v in net.params.items()}
    loss, grads = net.loss(X, y)
    for key, value in before.items():
        np.testing.assert_array_equal(net.params[key], value)
    assert isinstance(loss, float) and set(grads) == set(before)
    net.params["b2"] = net.params["b2"] + 1.0  # the same shift of every score: the loss is unchanged, scores move
    np.testing.assert_allclose(net.loss(X, y)[0], loss, rtol=1e-12)
    assert np.all(net.loss(X) == net.loss(X.reshape(2, 4)))


def test_stable_for_large_scores():
    net = TwoLayerNet(2, 2, 2, reg=0.0)
    net.params.update(W1=np.eye(2) * 1000, b1=np.zeros(2), W2=np.array([[1.0, -1.0], [0.0, 0.0]]), b2=np.zeros(2))
    loss, grads = net.loss(np.array([[1.0, 0.0]]), np.array([1]))
    assert loss == pytest.approx(2000.0) and all(np.isfinite(g).all() for g in grads.values())
