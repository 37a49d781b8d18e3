"""Input checks shared by the reference functions: clear errors on bad input, before any arithmetic."""

import numpy as np


def scores_and_labels(x, y):
    """Check x as an (N, C) score matrix and y as N labels in [0, C); return them as float and int arrays."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if x.ndim != 2:
        raise ValueError(f"scores x must have shape (N, C), got shape {x.shape}")
    n, c = x.shape
    if y.shape != (n,):
        raise ValueError(f"labels y must have shape (N,) = ({n},) to match x of shape {x.shape}, got {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(f"labels y must be integers, got dtype {y.dtype}")
    if n and (y.min() < 0 or y.max() >= c):
        raise ValueError(f"labels y must lie in [0, C) = [0, {c}), got values from {y.min()} to {y.max()}")
    return x, y
