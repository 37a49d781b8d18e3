"""The reference impl/visual_words.py rejects malformed input with a ValueError that names the argument and what it
should be, before any arithmetic; and a few facts about its well-formed results."""

import numpy as np
import pytest

from impl import visual_words

X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0]])


def test_kmeans_wants_a_matrix_of_points():
    with pytest.raises(ValueError, match=r"points X must have shape \(N, D\), got shape \(3,\)"):
        visual_words.kmeans(np.zeros(3), 1)
    with pytest.raises(ValueError, match=r"points X must hold at least one point \(N >= 1\), got shape \(0, 2\)"):
        visual_words.kmeans(np.zeros((0, 2)), 1)
    with pytest.raises(ValueError, match=r"points X must have at least one feature \(D >= 1\), got D = 0"):
        visual_words.kmeans(np.zeros((3, 0)), 1)
    with pytest.raises(ValueError, match=r"points X must be an array of real numbers, got dtype <U1"):
        visual_words.kmeans(np.array([["a", "b"]]), 1)
    with pytest.raises(ValueError, match=r"points X must be finite, got NaN or inf"):
        visual_words.kmeans(np.array([[0.0, np.nan], [1.0, 2.0]]), 1)


@pytest.mark.parametrize("k, error", [(0, r"k must be an integer >= 1, got 0"), (2.0, r"k must be an integer >= 1, got 2.0"),
                                      (True, r"k must be an integer >= 1, got True"),
                                      (5, r"points X must have at least k = 5 distinct rows, got 4 distinct rows")])
def test_kmeans_wants_k_between_1_and_the_distinct_rows(k, error):
    with pytest.raises(ValueError, match=error):
        visual_words.kmeans(X, k)


def test_kmeans_counts_distinct_rows_not_rows():
    duplicates = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match=r"points X must have at least k = 3 distinct rows, got 2 distinct rows"):
        visual_words.kmeans(duplicates, 3)
    # With as many clusters as distinct rows, each starts on its own point, whatever the seed: loss 0.
    for seed in range(20):
        _, labels, history = visual_words.kmeans(duplicates, 2, seed=seed)
        assert history[-1] == 0.0 and labels[0] == labels[1] == labels[2] != labels[3]


@pytest.mark.parametrize("num_iters", [0, -1, 1.5])
def test_kmeans_wants_at_least_one_iteration(num_iters):
    with pytest.raises(ValueError, match=r"num_iters must be an integer >= 1"):
        visual_words.kmeans(X, 2, num_iters=num_iters)


def test_kmeans_wants_init_of_shape_k_by_d():
    with pytest.raises(ValueError, match=r"initial centroids init must have shape \(k, D\), got shape \(2,\)"):
        visual_words.kmeans(X, 2, init=np.zeros(2))
    with pytest.raises(ValueError, match=r"initial centroids init must have shape \(k, D\) = \(2, 2\) to match k and X "
                                         r"of shape \(4, 2\), got \(3, 2\)"):
        visual_words.kmeans(X, 2, init=np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"initial centroids init must be finite, got NaN or inf"):
        visual_words.kmeans(X, 2, init=np.array([[0.0, np.inf], [1.0, 1.0]]))


def test_kmeans_returns_float_centroids_int64_labels_and_a_history():
    init = np.array([[0.0, 0.0], [0.0, 1.0]])
    before = init.copy()
    centroids, labels, history = visual_words.kmeans(X.astype(np.int32), 2, init=init)
    assert centroids.dtype == np.float64 and labels.dtype == np.int64 and history.dtype == np.float64
    np.testing.assert_array_equal(init, before)  # read-only
    np.testing.assert_array_equal(centroids, [[0.0, 0.5], [5.0, 5.5]])
    np.testing.assert_array_equal(labels, [0, 0, 1, 1])
    # Iteration 1: {(0,0)} and {(0,1), (5,5), (5,6)} with centroid (10/3, 4): (100/9 + 9) + (25/9 + 1) + (25/9 + 4)
    # = 276/9. Iteration 2: {(0,0), (0,1)} and {(5,5), (5,6)}: 4 * 0.25 = 1. Iteration 3 repeats it: stop.
    assert len(history) == 3 and history[0] == pytest.approx(276 / 9) and history[1] == history[2] == 1.0


def test_kmeans_stops_after_a_repeated_assignment_and_reproduces_its_seed():
    a = visual_words.kmeans(X, 2, seed=7)
    b = visual_words.kmeans(X, 2, seed=7)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert 2 <= len(a[2]) < 100
    assert len(visual_words.kmeans(X, 2, num_iters=1, seed=7)[2]) == 1


VOCABULARY = np.array([[0.0, 0.0], [1.0, 1.0], [4.0, 4.0]])


def test_bag_of_words_wants_matching_matrices():
    with pytest.raises(ValueError, match=r"vocabulary must have shape \(k, D\), got shape \(2,\)"):
        visual_words.bag_of_words(X, np.zeros(2))
    with pytest.raises(ValueError, match=r"descriptors must have shape \(M, D\), got shape \(2,\)"):
        visual_words.bag_of_words(np.zeros(2), VOCABULARY)
    with pytest.raises(ValueError, match=r"descriptors must have shape \(M, D\) = \(M, 2\) to match vocabulary of shape "
                                         r"\(3, 2\), got \(1, 3\)"):
        visual_words.bag_of_words(np.zeros((1, 3)), VOCABULARY)
    with pytest.raises(ValueError, match=r"vocabulary must hold at least one word \(k >= 1\), got shape \(0, 2\)"):
        visual_words.bag_of_words(X, np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"descriptors must be finite, got NaN or inf"):
        visual_words.bag_of_words(np.array([[np.nan, 0.0]]), VOCABULARY)
    with pytest.raises(ValueError, match=r"vocabulary must be an array of real numbers, got dtype <U1"):
        visual_words.bag_of_words(X, np.array([["a", "b"]]))


def test_bag_of_words_of_no_descriptors():
    # An image without detected features: all counts 0; its fractions are undefined.
    np.testing.assert_array_equal(visual_words.bag_of_words(np.zeros((0, 2)), VOCABULARY), [0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"descriptors must hold at least one descriptor \(M >= 1\) to be normalized"):
        visual_words.bag_of_words(np.zeros((0, 2)), VOCABULARY, normalized=True)


def test_bag_of_words_counts_at_the_nearest_word_ties_to_the_lowest():
    counts = visual_words.bag_of_words(X.astype(np.uint8), VOCABULARY)
    # (0,0) -> w0; (0,1) is at 1 from w0 and 1 from w1: the tie goes to w0; (5,5), (5,6) -> w2.
    assert counts.dtype == np.float64
    np.testing.assert_array_equal(counts, [2.0, 0.0, 2.0])
    np.testing.assert_array_equal(visual_words.bag_of_words(X, VOCABULARY, normalized=True), [0.5, 0.0, 0.5])
