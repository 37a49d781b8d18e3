"""k-nearest neighbours (module ``knn``; CS231n ``k_nearest_neighbor.py`` conventions, as functions).

CS231n's ``KNearestNeighbor`` class keeps the training set from ``train(X, y)``; here it is passed in. X_train is
(M, D) with one training example per row, X is (N, D) with one test example per row; a distance matrix ``dists`` is
(N, M) with ``dists[i, j]`` the Euclidean (L2) distance between the i-th test example and the j-th training example.
The three distance functions compute the same matrix three ways (two loops, one loop, no loops), as in CS231n.
"""

from spec.contract.types import Array, Integer, Labels

# One matrix, three ways: a property of "compute_distances" runs on each of them.
VERSIONS = {
    "compute_distances": ("compute_distances_two_loops", "compute_distances_one_loop", "compute_distances_no_loops")
}


def compute_distances_two_loops(X_train: Array("M", "D"), X: Array("N", "D")) -> Array("N", "M"):
    """Euclidean distances between test and training examples, with a loop over both.

    Inputs:
    - X_train: training data, shape (M, D); one example per row.
    - X: test data, shape (N, D); one example per row.

    Returns:
    - dists: shape (N, M), dists[i, j] = sqrt(sum_d (X[i, d] - X_train[j, d])**2), the Euclidean distance
      between the i-th test example and the j-th training example (with the square root).
    """


def compute_distances_one_loop(X_train: Array("M", "D"), X: Array("N", "D")) -> Array("N", "M"):
    """Euclidean distances between test and training examples, with one loop over the test examples.

    Inputs:
    - X_train: training data, shape (M, D).
    - X: test data, shape (N, D).

    Returns:
    - dists: shape (N, M), the same matrix as compute_distances_two_loops: dists[i, j] = ||X[i] - X_train[j]||.
    """


def compute_distances_no_loops(X_train: Array("M", "D"), X: Array("N", "D")) -> Array("N", "M"):
    """Euclidean distances between test and training examples, without any explicit Python loop.

    Inputs:
    - X_train: training data, shape (M, D).
    - X: test data, shape (N, D).

    Returns:
    - dists: shape (N, M), the same matrix as compute_distances_two_loops: dists[i, j] = ||X[i] - X_train[j]||.
      Every entry must be finite and non-negative. The usual vectorized route expands
      ||x - y||^2 = ||x||^2 + ||y||^2 - 2 x.y; rounding can make that slightly negative when x and y are (almost)
      the same point, so clip it at 0 before the square root.
    """


def predict_labels(dists: Array("N", "M"), y_train: Labels("M"), k: Integer() = 1) -> Labels("N"):
    """Predict a label for each test example by a majority vote of its k nearest training examples.

    Inputs:
    - dists: distances, shape (N, M); dists[i, j] is the distance between the i-th test example and the j-th
      training example.
    - y_train: labels of the training examples, shape (M,); non-negative integers.
    - k: the number of nearest neighbours that vote, an int with 1 <= k <= M.

    Returns:
    - y_pred: an ndarray of integer dtype, shape (N,) (CS231n's np.zeros(num_test) is float: give it dtype=int);
      y_pred[i] is the label that occurs most often among the labels of the k training examples nearest to test
      example i. A tie between labels goes to the smaller label. Where training examples tie for the k-th nearest
      place, any of them may be taken.
    """
