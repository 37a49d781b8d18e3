"""A bag of visual words: k-means by Lloyd's iterations, and the histogram of an image's descriptors against a
vocabulary of k-means centroids (CS231n lecture 4).

Shapes and return values are stated in spec/contract/visual_words.py.
"""

import numpy as np

from impl import _validate


def _squared_distances(X, C):
    """d[i, j] = ||X[i] - C[j]||^2 by the expansion ||x||^2 - 2 x.c + ||c||^2: one matrix product instead of an
    (N, k, D) array of differences. Where x and c (nearly) coincide the terms cancel and rounding can leave a
    slightly negative number: clip it at 0."""
    squared = (X**2).sum(axis=1)[:, None] - 2.0 * (X @ C.T) + (C**2).sum(axis=1)[None, :]
    return np.maximum(squared, 0.0)


def _nearest(X, C):
    """The index of each row's nearest centroid; np.argmin gives a tie to the lowest index."""
    return _squared_distances(X, C).argmin(axis=1)


def _finite(name, value):
    if not np.isfinite(value).all():
        raise ValueError(f"{name} must be finite, got NaN or inf")


def _means(X, labels, centroids):
    """Every centroid moved to the mean of its points; a centroid with no point stays where it is."""
    k = centroids.shape[0]
    counts = np.bincount(labels, minlength=k)
    sums = np.zeros_like(centroids)
    np.add.at(sums, labels, X)
    moved = centroids.copy()
    filled = counts > 0
    moved[filled] = sums[filled] / counts[filled, None]
    return moved


def _within_cluster_sum_of_squares(X, centroids, labels):
    """sum_i ||X[i] - centroids[labels[i]]||^2, from the differences (no cancellation)."""
    return float(((X - centroids[labels]) ** 2).sum())


def kmeans(X, k, num_iters=100, seed=None, init=None):
    X = _validate.matrix("points X", X, "(N, D)")
    _validate.nonempty("points X", X, what="point")
    if X.shape[1] == 0:
        raise ValueError("points X must have at least one feature (D >= 1), got D = 0")
    _finite("points X", X)
    k = _validate.count("k", k, 1)
    num_iters = _validate.count("num_iters", num_iters, 1)
    distinct, first = np.unique(X, axis=0, return_index=True)
    if len(distinct) < k:
        raise ValueError(f"points X must have at least k = {k} distinct rows, got {len(distinct)} distinct rows")

    if init is None:
        # k distinct points: draw k of the distinct rows (in the order of their first occurrence in X).
        rng = np.random.default_rng(seed)
        rows = np.sort(first)[rng.choice(len(first), size=k, replace=False)]
        centroids = X[rows].copy()
    else:
        init = _validate.matrix("initial centroids init", init, "(k, D)")
        if init.shape != (k, X.shape[1]):
            raise ValueError(
                f"initial centroids init must have shape (k, D) = ({k}, {X.shape[1]}) to match k and X of shape "
                f"{X.shape}, got {init.shape}"
            )
        _finite("initial centroids init", init)
        centroids = init.copy()

    loss_history = []
    previous = None
    for _ in range(num_iters):
        labels = _nearest(X, centroids)
        centroids = _means(X, labels, centroids)
        loss_history.append(_within_cluster_sum_of_squares(X, centroids, labels))
        if previous is not None and np.array_equal(labels, previous):
            break  # the assignment repeated: the centroids did not move, nothing would change any more
        previous = labels
    # Nearest among the returned centroids: after the last move (when num_iters ran out) the assignment may change.
    return centroids, _nearest(X, centroids).astype(np.int64), np.array(loss_history)


def bag_of_words(descriptors, vocabulary, normalized=False):
    vocabulary = _validate.matrix("vocabulary", vocabulary, "(k, D)")
    descriptors = _validate.matrix("descriptors", descriptors, "(M, D)")
    k, d = vocabulary.shape
    if k == 0:
        raise ValueError(f"vocabulary must hold at least one word (k >= 1), got shape {vocabulary.shape}")
    if descriptors.shape[1] != d:
        raise ValueError(
            f"descriptors must have shape (M, D) = (M, {d}) to match vocabulary of shape {vocabulary.shape}, "
            f"got {descriptors.shape}"
        )
    _finite("vocabulary", vocabulary)
    _finite("descriptors", descriptors)
    m = descriptors.shape[0]
    if normalized and m == 0:
        raise ValueError("descriptors must hold at least one descriptor (M >= 1) to be normalized, got shape "
                         f"{descriptors.shape}")
    counts = np.bincount(_nearest(descriptors, vocabulary), minlength=k).astype(np.float64)
    return counts / m if normalized else counts
