"""Layers: forward passes returning (out, cache), backward passes taking (dout, cache).

Shapes and return values are stated in spec/contract/layers.py. Every activation here is elementwise and accepts x
of any shape. The caches: affine keeps (x, w, b); relu keeps x; leaky_relu, elu and prelu keep (x, alpha); sigmoid
and tanh keep out, from which their derivatives s (1 - s) and 1 - t**2 follow without another exp; maxout keeps
(x, w, the index of each unit's winning piece); the affine-ReLU sandwich keeps (affine cache, relu cache).
"""

import numpy as np

from impl import _validate


def _upstream(dout, shape):
    dout = _validate.real_array("upstream gradient dout", dout)
    if dout.shape != shape:
        raise ValueError(f"upstream gradient dout must have the shape of the forward output, {shape}, got {dout.shape}")
    return dout


def _slope(name, alpha, *, below_one=False, positive=False):
    alpha = _validate.real_number(name, alpha, minimum=None)
    if positive and not alpha > 0:
        raise ValueError(f"{name} must be > 0, got {alpha!r}")
    if below_one and not 0 <= alpha < 1:
        raise ValueError(f"{name} must lie in [0, 1), got {alpha!r}")
    return alpha


def _cache_of(cache, n, what):
    if not isinstance(cache, tuple) or len(cache) != n:
        raise ValueError(f"cache must be what {what} returned, got {type(cache).__name__}")
    return cache


def _affine_inputs(x, w, b):
    x = _validate.real_array("x", x)
    if x.ndim < 2:
        raise ValueError(f"x must have shape (N, d1, ..., dk), a batch of N inputs, got shape {x.shape}")
    w = _validate.matrix("weights w", w, "(D, M)")
    d = int(np.prod(x.shape[1:]))
    if w.shape[0] != d:
        raise ValueError(f"weights w must have shape (D, M) with D = d1 * ... * dk = {d} for x of shape {x.shape}, "
                         f"got {w.shape}")
    b = _validate.real_array("biases b", b)
    if b.shape != (w.shape[1],):
        raise ValueError(f"biases b must have shape (M,) = ({w.shape[1]},) to match w of shape {w.shape}, got {b.shape}")
    return x, w, b


def _maxout_inputs(x, w, b):
    x = _validate.matrix("x", x, "(N, D)")
    w = _validate.real_array("weights w", w)
    if w.ndim != 3 or w.shape[1] != x.shape[1]:
        raise ValueError(f"weights w must have shape (K, D, M) with D = {x.shape[1]} for x of shape {x.shape}, "
                         f"got {w.shape}")
    if w.shape[0] == 0:
        raise ValueError(f"weights w must hold at least one piece (K >= 1), got shape {w.shape}")
    b = _validate.real_array("biases b", b)
    if b.shape != (w.shape[0], w.shape[2]):
        raise ValueError(f"biases b must have shape (K, M) = ({w.shape[0]}, {w.shape[2]}) to match w of shape "
                         f"{w.shape}, got {b.shape}")
    return x, w, b


def affine_forward(x, w, b):
    x, w, b = _affine_inputs(x, w, b)
    # (N, D) with D spelled out: reshape(N, -1) cannot infer D when the batch is empty (N = 0).
    return x.reshape(x.shape[0], w.shape[0]) @ w + b, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = _cache_of(cache, 3, "affine_forward")
    dout = _upstream(dout, (x.shape[0], w.shape[1]))
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], w.shape[0]).T @ dout
    return dx, dw, dout.sum(axis=0)


def affine_relu_forward(x, w, b):
    a, affine_cache = affine_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    return out, (affine_cache, relu_cache)


def affine_relu_backward(dout, cache):
    affine_cache, relu_cache = _cache_of(cache, 2, "affine_relu_forward")
    return affine_backward(relu_backward(dout, relu_cache), affine_cache)


def maxout_forward(x, w, b):
    x, w, b = _maxout_inputs(x, w, b)
    pieces = np.matmul(x, w) + b[:, None, :]  # (K, N, M): piece k is x @ w[k] + b[k]
    winner = np.argmax(pieces, axis=0)  # (N, M): the first of the tied pieces wins
    out = np.take_along_axis(pieces, winner[None], axis=0)[0]
    return out, (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = _cache_of(cache, 3, "maxout_forward")
    dout = _upstream(dout, winner.shape)
    # dout routed to each unit's winning piece only: dpieces[k] = dout where k won, 0 elsewhere.
    dpieces = np.where(np.arange(w.shape[0])[:, None, None] == winner, dout, 0.0)  # (K, N, M)
    dx = np.matmul(dpieces, np.swapaxes(w, 1, 2)).sum(axis=0)  # sum over k of dpieces[k] @ w[k].T
    dw = np.matmul(x.T, dpieces)  # dw[k] = x.T @ dpieces[k]
    return dx, dw, dpieces.sum(axis=1)


def relu_forward(x):
    x = _validate.real_array("x", x)
    return np.maximum(x, 0.0), x


def relu_backward(dout, cache):
    x = _validate.real_array("cache", cache)
    dout = _upstream(dout, x.shape)
    return np.where(x > 0, dout, 0.0)


def leaky_relu_forward(x, alpha=0.01):
    x = _validate.real_array("x", x)
    alpha = _slope("alpha", alpha, below_one=True)
    return np.where(x > 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = _cache_of(cache, 2, "leaky_relu_forward")
    dout = _upstream(dout, x.shape)
    return np.where(x > 0, dout, alpha * dout)


def elu_forward(x, alpha=1.0):
    x = _validate.real_array("x", x)
    alpha = _slope("alpha", alpha, positive=True)
    # expm1 of min(x, 0): never e^x of a large positive x, and accurate e^x - 1 near 0.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0))), (x, alpha)


def elu_backward(dout, cache):
    x, alpha = _cache_of(cache, 2, "elu_forward")
    dout = _upstream(dout, x.shape)
    return np.where(x > 0, dout, alpha * np.exp(np.minimum(x, 0.0)) * dout)


def sigmoid_forward(x):
    x = _validate.real_array("x", x)
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return out, out


def sigmoid_backward(dout, cache):
    out = _validate.real_array("cache", cache)
    dout = _upstream(dout, out.shape)
    return dout * out * (1.0 - out)


def tanh_forward(x):
    x = _validate.real_array("x", x)
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    out = _validate.real_array("cache", cache)
    dout = _upstream(dout, out.shape)
    return dout * (1.0 - out * out)


def prelu_forward(x, alpha):
    x = _validate.real_array("x", x)
    alpha = _slope("alpha", alpha)
    return np.where(x > 0, x, alpha * x), (x, alpha)


def prelu_backward(dout, cache):
    x, alpha = _cache_of(cache, 2, "prelu_forward")
    dout = _upstream(dout, x.shape)
    negative = x <= 0
    return np.where(negative, alpha * dout, dout), float(np.sum(dout * x * negative))
