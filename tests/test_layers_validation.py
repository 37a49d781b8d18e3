"""The reference impl/layers.py rejects malformed input with a ValueError that names the argument and what it should
be, accepts x of any shape, and keeps its documented caches (the mutants and alternatives in spec/layers/ rely on
them)."""

import numpy as np
import pytest

from impl import layers as L

X = np.array([[-1.5, 0.0, 2.0], [0.5, -0.25, 3.0]])
NAMES = ["relu", "leaky_relu", "elu", "sigmoid", "tanh"]


@pytest.mark.parametrize("name", NAMES)
def test_forward_refuses_non_real_x_and_backward_a_wrongly_shaped_dout(name):
    forward, backward = getattr(L, f"{name}_forward"), getattr(L, f"{name}_backward")
    with pytest.raises(ValueError, match=r"x must be an array of real numbers, got dtype object"):
        forward(np.array([[None, 1.0]]))
    _, cache = forward(X)
    with pytest.raises(ValueError, match=r"upstream gradient dout must have the shape of the forward output, \(2, 3\), "
                                         r"got \(3, 2\)"):
        backward(np.ones((3, 2)), cache)


def test_slopes_are_checked():
    with pytest.raises(ValueError, match=r"alpha must lie in \[0, 1\), got 1.5"):
        L.leaky_relu_forward(X, 1.5)
    with pytest.raises(ValueError, match=r"alpha must be > 0, got 0.0"):
        L.elu_forward(X, 0.0)
    with pytest.raises(ValueError, match=r"alpha must be a finite number, got nan"):
        L.prelu_forward(X, np.nan)
    with pytest.raises(ValueError, match=r"alpha must be a number, got an array of shape \(3,\)"):
        L.prelu_forward(X, np.ones(3))
    with pytest.raises(ValueError, match=r"cache must be what prelu_forward returned, got ndarray"):
        L.prelu_backward(X, X)


def test_any_shape_and_the_documented_caches():
    x = np.arange(-12.0, 12.0).reshape(2, 3, 4) / 4
    out, cache = L.relu_forward(x)
    assert cache is x and out.shape == x.shape
    np.testing.assert_array_equal(L.relu_backward(np.ones_like(x), cache), (x > 0).astype(float))
    out, cache = L.sigmoid_forward(x)
    assert cache is out
    out, cache = L.tanh_forward(x)
    assert cache is out
    for name in ("leaky_relu", "elu"):
        _, cache = getattr(L, f"{name}_forward")(x)
        assert cache[0] is x and isinstance(cache[1], float)
    dx, dalpha = L.prelu_backward(np.ones_like(x), L.prelu_forward(x, 0.3)[1])
    assert dx.shape == x.shape and dalpha == pytest.approx(np.minimum(x, 0).sum())
    ints = np.array([[-1, 0, 2]])
    np.testing.assert_array_equal(L.relu_forward(ints)[0], [[0.0, 0.0, 2.0]])
    assert L.relu_forward(ints)[0].dtype == np.float64
