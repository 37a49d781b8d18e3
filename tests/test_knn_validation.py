"""The reference impl/knn.py rejects malformed input with a ValueError that names the argument and what it should
be, before any arithmetic."""

import numpy as np
import pytest

from impl import knn

X_TRAIN = np.arange(6.0).reshape(3, 2)
X = np.array([[0.5, 1.5]])
DISTANCES = [knn.compute_distances_two_loops, knn.compute_distances_one_loop, knn.compute_distances_no_loops]


@pytest.mark.parametrize("distances", DISTANCES)
def test_distances_want_two_matrices_with_the_same_width(distances):
    with pytest.raises(ValueError, match=r"training data X_train must have shape \(M, D\), got shape \(3,\)"):
        distances(np.zeros(3), X)
    with pytest.raises(ValueError, match=r"test data X must have shape \(N, D\), got shape \(2,\)"):
        distances(X_TRAIN, np.zeros(2))
    with pytest.raises(ValueError, match=r"test data X must have shape \(N, D\) = \(N, 2\) to match X_train of shape \(3, 2\), got \(1, 3\)"):
        distances(X_TRAIN, np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"test data X must be an array of real numbers, got dtype <U1"):
        distances(X_TRAIN, np.array([["a", "b"]]))


@pytest.mark.parametrize("distances", DISTANCES)
def test_distances_refuse_empty_sets(distances):
    with pytest.raises(ValueError, match=r"training data X_train must hold at least one example \(M >= 1\), got shape \(0, 2\)"):
        distances(np.zeros((0, 2)), X)
    with pytest.raises(ValueError, match=r"test data X must hold at least one example \(N >= 1\), got shape \(0, 2\)"):
        distances(X_TRAIN, np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"at least one feature \(D >= 1\), got D = 0"):
        distances(np.zeros((3, 0)), np.zeros((1, 0)))


def test_distances_accept_integer_pixels():
    # Images are often uint8: the reference converts them (a uint8 difference would wrap around below 0).
    dists = knn.compute_distances_no_loops(np.array([[0, 255]], dtype=np.uint8), np.array([[255, 0]], dtype=np.uint8))
    assert dists.dtype == np.float64 and dists[0, 0] == pytest.approx(255 * np.sqrt(2))


DISTS = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
Y_TRAIN = np.array([0, 1, 1])


def test_predict_labels_wants_a_distance_matrix_and_matching_labels():
    with pytest.raises(ValueError, match=r"distances dists must have shape \(N, M\), got shape \(3,\)"):
        knn.predict_labels(DISTS[0], Y_TRAIN)
    with pytest.raises(ValueError, match=r"training labels y_train must have shape \(N,\) = \(3,\) to match dists of shape \(2, 3\), got \(2,\)"):
        knn.predict_labels(DISTS, Y_TRAIN[:2])
    with pytest.raises(ValueError, match=r"training labels y_train must be integers, got dtype float64"):
        knn.predict_labels(DISTS, Y_TRAIN.astype(float))
    with pytest.raises(ValueError, match=r"training labels y_train must be >= 0, got values from -1 to 1"):
        knn.predict_labels(DISTS, np.array([0, -1, 1]))
    with pytest.raises(ValueError, match=r"distances dists must be finite, got NaN or inf"):
        knn.predict_labels(np.array([[1.0, np.nan, 0.0]]), Y_TRAIN)


def test_predict_labels_refuses_empty_sets():
    with pytest.raises(ValueError, match=r"dists must hold at least one training example \(M >= 1\), got shape \(2, 0\)"):
        knn.predict_labels(np.zeros((2, 0)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match=r"dists must hold at least one test example \(N >= 1\), got shape \(0, 3\)"):
        knn.predict_labels(np.zeros((0, 3)), Y_TRAIN)


@pytest.mark.parametrize("k, error", [(0, r"k must be an integer >= 1, got 0"), (4, r"k must lie in \[1, M\] = \[1, 3\], got k = 4"),
                                      (1.0, r"k must be an integer >= 1, got 1.0"), (True, r"k must be an integer >= 1, got True")])
def test_predict_labels_wants_k_between_1_and_M(k, error):
    with pytest.raises(ValueError, match=error):
        knn.predict_labels(DISTS, Y_TRAIN, k=k)


def test_predict_labels_accepts_numpy_integers_for_k():
    assert knn.predict_labels(DISTS, Y_TRAIN, k=np.int64(3)).tolist() == [1, 1]
