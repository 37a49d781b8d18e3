"""k-nearest neighbours: Euclidean distance matrices (two loops, one loop, no loops) and the majority vote.

Shapes and return values are stated in spec/contract/knn.py.
"""

import numpy as np

from impl import _validate


def _points(X_train, X):
    """Check X_train (M, D) and X (N, D) as non-empty float data with the same D; return them as float arrays."""
    X_train = _validate.matrix("training data X_train", X_train, "(M, D)")
    X = _validate.matrix("test data X", X, "(N, D)")
    if X.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"test data X must have shape (N, D) = (N, {X_train.shape[1]}) to match X_train of shape "
            f"{X_train.shape}, got {X.shape}"
        )
    _validate.nonempty("training data X_train", X_train, dim="M")
    _validate.nonempty("test data X", X)
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
    dists = _validate.matrix("distances dists", dists, "(N, M)")
    n, m = dists.shape
    if m == 0:
        raise ValueError(f"dists must hold at least one training example (M >= 1), got shape {dists.shape}")
    _validate.nonempty("dists", dists, what="test example")
    y_train = _validate.labels(y_train, m, name="training labels y_train", against=f"dists of shape {dists.shape}")
    k = _validate.count("k", k, 1)
    if k > m:
        raise ValueError(f"k must lie in [1, M] = [1, {m}], got k = {k}")
    if not np.isfinite(dists).all():
        raise ValueError("distances dists must be finite, got NaN or inf")

    # The k nearest of each row (a stable sort: among equal distances the earlier training example comes first).
    nearest = np.argsort(dists, axis=1, kind="stable")[:, :k]
    # Vote over the distinct labels, sorted ascending, so that argmax, which returns the first of equal counts,
    # breaks a tie toward the smaller label.
    classes, codes = np.unique(y_train, return_inverse=True)
    votes = codes.reshape(-1)[nearest]  # (N, k) class indices
    counts = np.zeros((n, len(classes)), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(n), k), votes.ravel()), 1)
    return classes[counts.argmax(axis=1)].astype(np.int64)
