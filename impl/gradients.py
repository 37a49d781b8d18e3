"""Numerical gradients: centered and forward differences, the array-valued variant, and the relative error.

Shapes and return values are stated in spec/contract/gradients.py. x may have any shape here. Each entry of x is
perturbed in place, as in CS231n's gradient_check.py, and written back from a saved copy of its old value, so x
ends bit for bit as it began (even when f raises).
"""

import numpy as np

from impl import _validate


def _function(f):
    if not callable(f):
        raise ValueError(f"f must be a function of one array, got {type(f).__name__}")
    return f


def _point(x):
    """x itself when it can be perturbed in place (a writable float64 ndarray), else a float64 copy of it."""
    if isinstance(x, np.ndarray) and x.dtype == np.float64 and x.flags.writeable:
        return x
    return np.array(_validate.real_array("x", x), dtype=np.float64)


def _step(h):
    h = _validate.real_number("h", h)
    if not h > 0:
        raise ValueError(f"h must be > 0, got {h!r}")
    return h


def _scalar(value):
    value = np.asarray(value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"f must return a float (a scalar), got an array of shape {value.shape}")
    return float(value.reshape(()))


def _differences(f, x, h, offsets):
    """For every entry i, [f(x + o h e_i) for o in offsets], computed by perturbing x[i] in place and restoring it."""
    values = np.empty(x.shape + (len(offsets),))
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            for k, o in enumerate(offsets):
                x[i] = old + o * h
                values[i + (k,)] = f(x)
        finally:
            x[i] = old  # the saved value, not old + h - h: that need not round back to old
    return values


def eval_numerical_gradient(f, x, h=1e-5):
    f, x, h = _function(f), _point(x), _step(h)
    values = _differences(lambda z: _scalar(f(z)), x, h, (1.0, -1.0))
    return (values[..., 0] - values[..., 1]) / (2 * h)


def eval_numerical_gradient_forward(f, x, h=1e-5):
    f, x, h = _function(f), _point(x), _step(h)
    fx = _scalar(f(x))
    values = _differences(lambda z: _scalar(f(z)), x, h, (1.0,))
    return (values[..., 0] - fx) / h


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    f, x, h = _function(f), _point(x), _step(h)
    df = _validate.real_array("upstream gradient df", df)
    shape = np.shape(f(x))
    if df.shape != shape:
        raise ValueError(f"upstream gradient df must have the shape of f(x), {shape}, got {df.shape}")
    grad = np.empty(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + h
            pos = np.array(f(x), dtype=np.float64)  # a copy: f may return a view of x
            x[i] = old - h
            neg = np.array(f(x), dtype=np.float64)
        finally:
            x[i] = old
        grad[i] = np.sum((pos - neg) * df) / (2 * h)
    return grad


def rel_error(x, y):
    x = _validate.real_array("x", x)
    y = _validate.real_array("y", y)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    if x.size == 0:
        raise ValueError("x and y must hold at least one entry, got size 0")
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))
