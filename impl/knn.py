"""k-nearest neighbours: Euclidean distance matrices (two loops, one loop, no loops) and the majority vote.

Shapes and return values are stated in spec/contract/knn.py.
"""

import numbers

import numpy as np


def _points(X_train, X):
    """Check X_train (M, D) and X (N, D) as non-empty float data with the same D; return them as float arrays."""
    X_train = np.asarray(X_train, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if X_train.ndim != 2:
        raise ValueError(f"training data X_train must have shape (M, D), got shape {X_train.shape}")
    if X.ndim != 2:
        raise ValueError(f"test data X must have shape (N, D), got shape {X.shape}")
    if X.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"test data X must have shape (N, D) = (N, {X_train.shape[1]}) to match X_train of shape "
            f"{X_train.shape}, got {X.shape}"
        )
    if X_train.shape[0] == 0:
        raise ValueError(f"training data X_train must hold at least one example (M >= 1), got shape {X_train.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"test data X must hold at least one example (N >= 1), got shape {X.shape}")
    if X.shape[1] == 0:
        raise ValueError("X_train and X must have at least one feature (D >= 1), got D = 0")
    return X_train, X


def compute_distances_two_loops(X_train, X):
    X_train, X = _points(X_train, X)
    dists = np.empty((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):  # the deliberate naive version (CS231n's compute_distances_two_loops)
        for j in range(X_train.shape[0]):
            diff = X[i] - X_train[j]
            dists[i, j] = np.sqrt(np.dot(diff, diff))
    return dists


def compute_distances_one_loop(X_train, X):
    X_train, X = _points(X_train, X)
    dists = np.empty((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):  # the deliberate one-loop version: a whole row of distances at a time
        dists[i] = np.sqrt(((X_train - X[i]) ** 2).sum(axis=1))
    return dists


def compute_distances_no_loops(X_train, X):
    X_train, X = _points(X_train, X)
    # ||x - y||^2 = ||x||^2 + ||y||^2 - 2 x.y: one matrix product instead of an (N, M, D) array of differences.
    # Where x and y are (nearly) the same point, the three terms cancel and rounding can leave a slightly negative
    # number: clip it at 0, or the square root gives NaN.
    squared = (X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :] - 2.0 * (X @ X_train.T)
    return np.sqrt(np.maximum(squared, 0.0))


def predict_labels(dists, y_train, k=1):
    dists = np.asarray(dists, dtype=np.float64)
    y_train = np.asarray(y_train)
    if dists.ndim != 2:
        raise ValueError(f"distances dists must have shape (N, M), got shape {dists.shape}")
    n, m = dists.shape
    if y_train.shape != (m,):
        raise ValueError(
            f"training labels y_train must have shape (M,) = ({m},) to match dists of shape {dists.shape}, "
            f"got {y_train.shape}"
        )
    if y_train.dtype.kind not in "iu":
        raise ValueError(f"training labels y_train must be integers, got dtype {y_train.dtype}")
    if m == 0:
        raise ValueError(f"dists must have at least one training example (M >= 1), got shape {dists.shape}")
    if n == 0:
        raise ValueError(f"dists must have at least one test example (N >= 1), got shape {dists.shape}")
    if y_train.min() < 0:
        raise ValueError(f"training labels y_train must be non-negative, got a minimum of {y_train.min()}")
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError(f"k must be an int, got {k!r} of type {type(k).__name__}")
    if not 1 <= k <= m:
        raise ValueError(f"k must lie in [1, M] = [1, {m}], got k = {k}")
    if not np.isfinite(dists).all():
        raise ValueError("distances dists must be finite, got NaN or inf")
    k = int(k)

    # The k nearest of each row (a stable sort: among equal distances the earlier training example comes first).
    nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]
    # Vote over the distinct labels, sorted ascending, so that argmax, which returns the first of equal counts,
    # breaks a tie toward the smaller label.
    classes, codes = np.unique(y_train, return_inverse=True)
    votes = codes.reshape(-1)[nearest]  # (N, k) class indices
    counts = np.zeros((n, len(classes)), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(n), k), votes.ravel()), 1)
    return classes[counts.argmax(axis=1)].astype(np.int64)
