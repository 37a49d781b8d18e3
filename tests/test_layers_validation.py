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


def test_affine_refuses_malformed_input():
    x, w, b = np.ones((2, 3, 4)), np.ones((12, 5)), np.ones(5)
    with pytest.raises(ValueError, match=r"x must have shape \(N, d1, ..., dk\), a batch of N inputs, got shape \(12,\)"):
        L.affine_forward(np.ones(12), w, b)
    with pytest.raises(ValueError, match=r"weights w must have shape \(D, M\) with D = d1 \* ... \* dk = 12 for x of "
                                         r"shape \(2, 3, 4\), got \(4, 5\)"):
        L.affine_forward(x, np.ones((4, 5)), b)
    with pytest.raises(ValueError, match=r"weights w must have shape \(D, M\), got shape \(12,\)"):
        L.affine_forward(x, np.ones(12), b)
    with pytest.raises(ValueError, match=r"biases b must have shape \(M,\) = \(5,\) to match w of shape \(12, 5\), "
                                         r"got \(1, 5\)"):
        L.affine_forward(x, w, np.ones((1, 5)))
    with pytest.raises(ValueError, match=r"x must be an array of real numbers, got dtype <U1"):
        L.affine_forward(np.array([["a"]]), np.ones((1, 1)), np.ones(1))
    _, cache = L.affine_forward(x, w, b)
    with pytest.raises(ValueError, match=r"upstream gradient dout must have the shape of the forward output, \(2, 5\), "
                                         r"got \(5, 2\)"):
        L.affine_backward(np.ones((5, 2)), cache)
    with pytest.raises(ValueError, match=r"cache must be what affine_forward returned, got ndarray"):
        L.affine_backward(np.ones((2, 5)), x)
    with pytest.raises(ValueError, match=r"x must have shape \(N, d1, ..., dk\)"):
        L.affine_relu_forward(np.ones(12), w, b)
    with pytest.raises(ValueError, match=r"cache must be what affine_relu_forward returned, got tuple"):
        L.affine_relu_backward(np.ones((2, 5)), cache)


def test_maxout_refuses_malformed_input():
    x, w, b = np.ones((2, 3)), np.ones((4, 3, 5)), np.ones((4, 5))
    with pytest.raises(ValueError, match=r"x must have shape \(N, D\), got shape \(2, 3, 1\)"):
        L.maxout_forward(np.ones((2, 3, 1)), w, b)
    with pytest.raises(ValueError, match=r"weights w must have shape \(K, D, M\) with D = 3 for x of shape \(2, 3\), "
                                         r"got \(3, 5\)"):
        L.maxout_forward(x, np.ones((3, 5)), b)
    with pytest.raises(ValueError, match=r"weights w must have shape \(K, D, M\) with D = 3 for x of shape \(2, 3\), "
                                         r"got \(4, 2, 5\)"):
        L.maxout_forward(x, np.ones((4, 2, 5)), b)
    with pytest.raises(ValueError, match=r"weights w must hold at least one piece \(K >= 1\), got shape \(0, 3, 5\)"):
        L.maxout_forward(x, np.ones((0, 3, 5)), np.ones((0, 5)))
    with pytest.raises(ValueError, match=r"biases b must have shape \(K, M\) = \(4, 5\) to match w of shape "
                                         r"\(4, 3, 5\), got \(5,\)"):
        L.maxout_forward(x, w, np.ones(5))
    _, cache = L.maxout_forward(x, w, b)
    with pytest.raises(ValueError, match=r"upstream gradient dout must have the shape of the forward output, \(2, 5\), "
                                         r"got \(2, 4\)"):
        L.maxout_backward(np.ones((2, 4)), cache)
    with pytest.raises(ValueError, match=r"cache must be what maxout_forward returned, got list"):
        L.maxout_backward(np.ones((2, 5)), list(cache))


def test_weighted_layers_keep_their_documented_caches_and_take_any_batch():
    x = np.arange(24.0).reshape(2, 3, 4) / 10 - 1
    w, b = np.linspace(-1, 1, 60).reshape(12, 5), np.linspace(-1, 1, 5)
    out, cache = L.affine_forward(x, w, b)
    assert cache[0] is x and cache[1] is w and cache[2] is b
    np.testing.assert_allclose(out, x.reshape(2, 12) @ w + b)
    out, (affine_cache, relu_cache) = L.affine_relu_forward(x, w, b)
    assert affine_cache[0] is x
    np.testing.assert_allclose(relu_cache, x.reshape(2, 12) @ w + b)
    np.testing.assert_array_equal(out, np.maximum(relu_cache, 0))
    # maxout: (x, w, the index of each unit's winning piece), the first of tied pieces winning.
    xm = np.array([[1.0, 2.0], [-1.0, 0.0]])
    wm = np.array([[[1.0], [1.0]], [[1.0], [1.0]], [[0.0], [-1.0]]])
    out, (cx, cw, winner) = L.maxout_forward(xm, wm, np.zeros((3, 1)))
    assert cx is xm and cw is wm
    np.testing.assert_array_equal(out, [[3.0], [0.0]])
    np.testing.assert_array_equal(winner, [[0], [2]])
    _, _, db = L.maxout_backward(np.ones((2, 1)), (cx, cw, winner))
    np.testing.assert_array_equal(db, [[1.0], [0.0], [1.0]])
    # An empty batch, and integer inputs converted to float64.
    out, cache = L.affine_forward(np.zeros((0, 3, 4)), w, b)
    assert out.shape == (0, 5) and [g.shape for g in L.affine_backward(out, cache)] == [(0, 3, 4), (12, 5), (5,)]
    out, cache = L.maxout_forward(np.zeros((0, 2)), wm, np.zeros((3, 1)))
    assert out.shape == (0, 1) and [g.shape for g in L.maxout_backward(out, cache)] == [(0, 2), (3, 2, 1), (3, 1)]
    out, _ = L.affine_forward(np.array([[1, 2]]), np.array([[1], [1]]), np.array([0]))
    assert out.dtype == np.float64 and out.tolist() == [[3.0]]
