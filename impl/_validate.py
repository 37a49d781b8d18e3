"""Input checks shared by the reference functions: clear errors on bad input, before any arithmetic.

Every check raises a ValueError that names the argument and says what it should be, e.g.
``labels y must have shape (N,) = (2,) to match x of shape (2, 3), got (3,)``.
"""

import math
import numbers

import numpy as np

_FLOAT64 = np.dtype(np.float64)


def real_array(name, value):
    """value as a float64 array of any shape; booleans and integers are converted, anything else is refused."""
    if type(value) is np.ndarray and value.dtype == _FLOAT64:  # already one: as np.asarray and astype return it
        return value
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def matrix(name, value, dims):
    """value as a float64 matrix; `dims` names its axes for the message, e.g. "(N, D)"."""
    value = real_array(name, value)
    if value.ndim != 2:
        raise ValueError(f"{name} must have shape {dims}, got shape {value.shape}")
    return value


def nonempty(name, value, what="example", dim="N"):
    """value's first axis must hold at least one entry: a loss averages over it."""
    if value.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one {what} ({dim} >= 1), got shape {value.shape}")


def labels(y, n, c=None, *, name="labels y", against="X"):
    """y as int64 labels of shape (n,), each in [0, c) (or >= 0 when c is None); `against` says where n comes from."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape (N,) = ({n},) to match {against}, got {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integers, got dtype {y.dtype}")
    if n:
        low = y.min()  # each reduction once: a loss checks its labels on every call
        if c is not None:
            high = y.max()
            if low < 0 or high >= c:
                raise ValueError(f"{name} must lie in [0, C) = [0, {c}), got values from {low} to {high}")
        if low < 0:
            raise ValueError(f"{name} must be >= 0, got values from {low} to {y.max()}")
    return y.astype(np.int64, copy=False)


def real_number(name, value, *, minimum=None):
    """value as a finite float (a Python or NumPy real, or a 0-d array), at least `minimum` if given."""
    if type(value) is float and math.isfinite(value) and (minimum is None or value >= minimum):
        # The common case, a Python float in range, without NumPy's and the numbers ABC's checks: an update rule
        # checks each of its hyperparameters on every call, and the Solver calls it per parameter per step.
        return value
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must be a number, got an array of shape {np.shape(value)}")
    if isinstance(value, np.ndarray):
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return float(value)


def count(name, value, minimum):
    """value as an int >= minimum (a Python or NumPy integer; a float such as 10.0 is refused)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def choice(name, value, options):
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(repr(o) for o in options)}, got {value!r}")
    return value


def scores_and_labels(x, y):
    """Check x as an (N, C) score matrix with N >= 1 and y as N labels in [0, C); return them as float and int."""
    x = matrix("scores x", x, "(N, C)")
    nonempty("scores x", x)
    return x, labels(y, x.shape[0], x.shape[1], against=f"x of shape {x.shape}")
