"""A bag of visual words (module ``visual_words``; CS231n lecture 4, "bag of words").

An image yields a varying number of local descriptors (HOG on 32 x 32 patches, 144 numbers each); a linear
classifier needs one vector of fixed size. So learn a vocabulary of k "visual words", the k-means centroids of many
descriptors, and describe an image by how many of its descriptors fall nearest to each word: a histogram of k
entries (the lecture's 1000 centroids give a 1000-d vector).

Distances are Euclidean; a point's nearest centroid is the one at the smallest distance, ties going to the lowest
index (np.argmin).
"""

from spec.contract.types import Array, Flag, History, Integer, Returns


def kmeans(
    X: Array("N", "D"),
    k: Integer(sizes="k"),
    num_iters: Integer() = 100,
    seed: Integer() = None,
    init: Array("k", "D") = None,
) -> Returns(centroids=Array("k", "D"), labels=Array("N", dtype="int64"), loss_history=History("T")):
    """k-means clustering by Lloyd's iterations.

    Start from init if given, else from k distinct points of X (rows with different values) drawn with
    np.random.default_rng(seed); k-means++ seeding, which also picks distinct points, is allowed. Then repeat at
    most num_iters times: assign every point to its nearest centroid, then move every centroid to the mean of the
    points assigned to it (a centroid that gets no point stays where it is); stop early after an iteration whose
    assignment is the one before it (nothing would change any more).

    Inputs:
    - X: the points, shape (N, D); read-only.
    - k: the number of clusters, 1 <= k <= the number of distinct rows of X.
    - num_iters: the largest number of iterations, >= 1.
    - seed: the seed of the initialization's generator.
    - init: None, or the initial centroids, shape (k, D); read-only.

    Returns a tuple (centroids, labels, loss_history): centroids, shape (k, D), after the last iteration; labels,
    shape (N,), an integer array, labels[i] the index of the centroid nearest X[i] among the returned centroids;
    loss_history, shape (T,) with 1 <= T <= num_iters, one entry per iteration run, the one that finds the
    assignment unchanged included (a run that converges ends with two equal entries): the within-cluster sum of
    squares sum_i ||X[i] - centroids[labels_t[i]]||**2 of that iteration's assignment labels_t and its moved
    centroids. It never increases, and the returned assignment's sum of squares is at most its last entry.

    Raises ValueError when k < 1 or X has fewer than k distinct rows.
    """


def bag_of_words(
    descriptors: Array("M", "D"), vocabulary: Array("k", "D"), normalized: Flag() = False
) -> Array("k"):
    """The bag-of-visual-words histogram of an image's descriptors.

    Inputs:
    - descriptors: the image's local descriptors, shape (M, D), M >= 0 (an image without descriptors has all
      counts 0; normalized, it raises ValueError: there is no fraction of nothing); read-only.
    - vocabulary: the k visual words (k-means centroids), shape (k, D); read-only.
    - normalized: divide the counts by M, so that they sum to 1.

    Returns the histogram, an ndarray of float64 of shape (k,): entry j counts the descriptors whose nearest word
    is vocabulary[j] (normalized: the fraction). It sums to M (normalized: 1) and does not depend on the order of
    the descriptors.
    """
