"""The k-nearest-neighbour vote: predict_labels(dists, y_train, k=1) -> y_pred, shape (N,).

y_pred[i] is the label that occurs most often among the labels of the k training examples nearest to test example i
(the k smallest entries of dists[i]); a tie between labels goes to the smaller label (CS231n's convention).
No arithmetic on floats decides a label, so every check here is exact.
"""

from collections import Counter

import numpy as np
import scipy.stats
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.nearest_neighbours import CS231N, GT, euclidean_distances, point_sets
from spec.property import alternative, mutant, prop

CONCEPT = "k-nearest neighbours"

MAX_TRAINING = 8
MAX_TESTS = 5

# A worked example, by hand (the lecture shows k = 1, 3, 5 only as pictures of decision regions): five training
# examples with labels 2, 0, 1, 1, 0 and two test examples.
# Row 0, dists 0.5, 2.0, 1.0, 3.0, 1.5: by distance the labels are 2 (0.5), 1 (1.0), 0 (1.5), 0 (2.0), 1 (3.0).
#   k = 1: {2} -> 2. k = 2: {2, 1}, a tie -> 1. k = 3: {2, 1, 0}, a three-way tie -> 0. k = 4: 0 twice -> 0.
#   k = 5: 0 twice, 1 twice, 2 once, a tie -> 0.
# Row 1, dists 2.5, 3.5, 0.5, 1.5, 4.5: by distance the labels are 1, 1, 2, 0, 0.
#   k = 1, 2, 3, 4: 1 leads -> 1. k = 5: 0 twice and 1 twice, a tie -> 0.
WORKED_DISTS = np.array([[0.5, 2.0, 1.0, 3.0, 1.5], [2.5, 3.5, 0.5, 1.5, 4.5]])
WORKED_LABELS = np.array([2, 0, 1, 1, 0])
WORKED_PREDICTIONS = {1: [2, 1], 2: [1, 1], 3: [0, 1], 4: [0, 1], 5: [0, 0]}


def k_nearest_labels(dists, y_train, k):
    """The labels of the k nearest training examples of each row (N, k), nearest first; the rows of dists must have
    distinct entries, so that the k nearest are one set whatever the sort."""
    return y_train[np.argsort(dists, axis=1, kind="stable")[:, :k]]


def vote_text(labels) -> str:
    """'0: 2 votes, 1: 2 votes, 2: 1 vote' for the labels of one row's k nearest."""
    counts = sorted(Counter(labels.tolist()).items())
    return ", ".join(f"label {label}: {c} vote{'s' if c > 1 else ''}" for label, c in counts)


@st.composite
def distinct_distance_rows(draw, n, m):
    """(n, m) distances, every row a shuffle of m distinct non-negative values (an exact 0 among them at times)."""
    scale = draw(st.sampled_from([1.0, 0.5, 37.5, 1e6]))
    offset = draw(st.sampled_from([0.0, 0.25]))
    rows = [np.array(draw(st.permutations(range(m)))) for _ in range(n)]
    return (np.array(rows, dtype=np.float64) + offset) * scale


@st.composite
def votes(draw):
    """(dists, y_train, k): distinct distances in each row, labels among a few values (so ties happen), 1 <= k <= M."""
    m, n = draw(st.integers(1, MAX_TRAINING)), draw(st.integers(1, MAX_TESTS))
    values = draw(st.sampled_from([2, 3, 10]))
    y_train = draw(hnp.arrays(np.int64, (m,), elements=st.integers(0, values - 1)))
    return draw(distinct_distance_rows(n, m)), y_train, draw(st.integers(1, m))


@st.composite
def votes_with_equal_distances(draw):
    """(dists, y_train, k): distances from a few values (many equal: the k nearest are not one set), labels spread
    out over 0-20 (so that a training index or a count is rarely a label), 1 <= k <= M."""
    m, n = draw(st.integers(1, MAX_TRAINING)), draw(st.integers(1, MAX_TESTS))
    dists = draw(hnp.arrays(np.float64, (n, m), elements=st.sampled_from([0.0, 1.0, 2.5])))
    y_train = draw(hnp.arrays(np.int64, (m,), elements=st.integers(0, 20)))
    return dists, y_train, draw(st.integers(1, m))


@st.composite
def tied_votes(draw):
    """(dists, y_train, k, expected): the k nearest of every row give the same top count of votes to two or three
    labels (and fewer to any other); expected is the smallest of the tied labels. Rows differ in which of the k
    nearest is nearest, so a vote that breaks ties by the nearest label (Counter.most_common) fails some."""
    labels = draw(st.lists(st.integers(0, 9), min_size=2, max_size=4, unique=True))
    tied = labels[: draw(st.integers(2, min(3, len(labels))))]
    each = draw(st.integers(1, 3))
    near = tied * each
    for other in labels[len(tied):]:  # other labels in the vote, fewer times than the tied ones
        near += [other] * draw(st.integers(0, each - 1))
    far = draw(st.lists(st.sampled_from(labels), max_size=3))
    k, m = len(near), len(near) + len(far)
    n = draw(st.integers(1, 4))
    rows = []
    for _ in range(n):  # the k near ones get ranks 0..k-1 in some order, the far ones k..m-1
        ranks = np.concatenate([draw(st.permutations(range(k))), k + np.array(draw(st.permutations(range(m - k))), dtype=int)])
        rows.append(ranks)
    dists = (np.array(rows, dtype=np.float64) + 0.5) * draw(st.sampled_from([1.0, 3.0, 1e-3]))
    shuffle = np.array(draw(st.permutations(range(m))))  # the near ones need not come first among the columns
    return dists[:, shuffle], np.array(near + far, dtype=np.int64)[shuffle], k, min(tied)


@prop(CONCEPT, GT, "With k = 1, predicting on the (distinct) training points themselves gives back their own labels: each is its own nearest neighbour.")
@given(X_train=point_sets(distinct=True), data=st.data())
@example(X_train=np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]]), data=None)
def test_knn_with_k_1_reproduces_the_training_labels(predict_labels, X_train, data):
    m = len(X_train)
    if data is None:  # the explicit example: labels all different, test points in order
        y_train, order = np.array([2, 0, 1]), np.arange(m)
    else:
        y_train = data.draw(hnp.arrays(np.int64, (m,), elements=st.integers(0, 3)), label="y_train")
        order = np.array(data.draw(st.permutations(range(m)), label="order of the test points"))
    # The test points are the training points in another order. Computed from differences, the distance of a point
    # to itself is exactly 0, to any other point > 0 (distinct rows, no underflow): the nearest is unambiguous.
    dists = euclidean_distances(X_train, X_train[order])
    inputs = {"dists": dists, "y_train": y_train, "k": 1}
    expect.equal("predict_labels(dists, y_train, k=1)", predict_labels(dists, y_train, k=1), y_train[order],
                 why="test point i is training point order[i], at distance 0: its label is y_train[order[i]]",
                 inputs=inputs)


@prop(CONCEPT, CS231N, "A tie between labels in the vote goes to the smaller label, whichever of them is nearest.")
@given(case=tied_votes())
@example(case=(WORKED_DISTS[:1], WORKED_LABELS, 2, 1))  # labels 2 (nearest) and 1: the answer is 1
@example(case=(np.array([[0.0, 1.0, 2.0, 3.0]]), np.array([7, 3, 3, 7]), 4, 3))
def test_knn_ties_go_to_the_smaller_label(predict_labels, case):
    dists, y_train, k, expected = case
    inputs = {"dists": dists, "y_train": y_train, "k": k}
    y_pred = predict_labels(dists, y_train, k=k)
    nearest = k_nearest_labels(dists, y_train, k)
    for i in range(len(dists)):
        if y_pred[i] != expected:
            expect.fail(f"predict_labels(dists, y_train, k={k})[{i}]={y_pred[i]}, but should be {expected}: the {k} "
                        f"nearest (labels {nearest[i].tolist()}, nearest first) tie ({vote_text(nearest[i])}), and a "
                        f"tie goes to the smaller label", inputs)


@prop(CONCEPT, GT, "With k = M every training example votes: every prediction is the most common training label (the smallest, if tied).")
@given(case=votes_with_equal_distances())
@example(case=(np.array([[0.0, 1.0, 2.0, 3.0]]), np.array([5, 2, 5, 2]), None))  # 5 is nearest; the tie goes to 2
def test_knn_with_k_M_predicts_the_overall_majority(predict_labels, case):
    dists, y_train, _ = case
    m = len(y_train)
    counts = np.bincount(y_train)
    expected = int(np.argmax(counts))  # argmax returns the first, i.e. the smallest, of the most common labels
    inputs = {"dists": dists, "y_train": y_train, "k": m}
    expect.equal(f"predict_labels(dists, y_train, k={m})", predict_labels(dists, y_train, k=m),
                 np.full(len(dists), expected),
                 why=f"k = M = {m}: all vote, {vote_text(y_train)}; the majority is {expected}", inputs=inputs)


@prop(CONCEPT, GT, "Each prediction is a label with the most votes among the labels of the k nearest training examples.")
@given(case=votes())
@example(case=(WORKED_DISTS, WORKED_LABELS, 3))
@example(case=(np.array([[3.0, 0.0, 1.0, 2.0]]), np.array([4, 1, 1, 4]), 2))  # the 2 nearest are both 1
def test_knn_prediction_is_a_most_common_label_of_the_k_nearest(predict_labels, case):
    dists, y_train, k = case
    inputs = {"dists": dists, "y_train": y_train, "k": k}
    y_pred = predict_labels(dists, y_train, k=k)
    nearest = k_nearest_labels(dists, y_train, k)  # distinct distances: the k nearest are one set
    for i in range(len(dists)):
        votes_for = Counter(nearest[i].tolist())
        if votes_for[int(y_pred[i])] != max(votes_for.values()):
            expect.fail(f"predict_labels(dists, y_train, k={k})[{i}]={y_pred[i]}, but should be a label with the most "
                        f"votes among the {k} nearest (labels {nearest[i].tolist()}, nearest first: "
                        f"{vote_text(nearest[i])})", inputs)


@prop(CONCEPT, GT, "Every prediction is one of the training labels, even when many distances are equal.")
@given(case=votes_with_equal_distances())
@example(case=(np.array([[0.0, 1.0]]), np.array([7, 9]), 1))
def test_knn_predicted_labels_are_training_labels(predict_labels, case):
    dists, y_train, k = case
    y_pred = predict_labels(dists, y_train, k=k)
    expect.holds(f"predict_labels(dists, y_train, k={k})", y_pred, np.isin(y_pred, y_train),
                 f"one of the training labels {sorted(set(y_train.tolist()))}",
                 inputs={"dists": dists, "y_train": y_train, "k": k})


@prop(CONCEPT, GT, "The worked example: labels 2, 0, 1, 1, 0 at distances 0.5, 2, 1, 3, 1.5 give 2, 1, 0, 0, 0 for k = 1 to 5.")
def test_knn_prediction_matches_the_worked_example(predict_labels):
    for k, expected in WORKED_PREDICTIONS.items():
        expect.equal(f"predict_labels(dists, y_train, k={k})", predict_labels(WORKED_DISTS, WORKED_LABELS, k=k),
                     expected, why="worked example (see the comment at WORKED_DISTS)",
                     inputs={"dists": WORKED_DISTS, "y_train": WORKED_LABELS, "k": k})


# Mutants: the vote as students get it wrong (CS231n's loop over test examples).


@mutant(of="predict_labels", kills=[test_knn_ties_go_to_the_smaller_label, test_knn_with_k_M_predicts_the_overall_majority,
                                    test_knn_prediction_matches_the_worked_example])
def predict_ties_to_the_larger_label(dists, y_train, k=1):
    """Takes the last of the most common labels (np.argmax on the reversed counts): ties go to the larger label."""
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        counts = np.bincount(y_train[np.argsort(dists[i])[:k]])
        y_pred[i] = len(counts) - 1 - np.argmax(counts[::-1])
    return y_pred


@mutant(of="predict_labels", kills=[test_knn_ties_go_to_the_smaller_label, test_knn_with_k_M_predicts_the_overall_majority,
                                    test_knn_prediction_matches_the_worked_example])
def predict_with_counter_most_common(dists, y_train, k=1):
    """Counter(closest_y).most_common(1): among tied labels it picks the first counted, the nearest one's."""
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        closest_y = y_train[np.argsort(dists[i])[:k]]
        y_pred[i] = Counter(closest_y.tolist()).most_common(1)[0][0]
    return y_pred


@mutant(of="predict_labels", kills=[test_knn_with_k_1_reproduces_the_training_labels,
                                    test_knn_prediction_is_a_most_common_label_of_the_k_nearest,
                                    test_knn_prediction_matches_the_worked_example])
def predict_with_descending_argsort(dists, y_train, k=1):
    """np.argsort(-dists[i]): the k farthest vote instead of the k nearest."""
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        y_pred[i] = np.argmax(np.bincount(y_train[np.argsort(-dists[i])[:k]]))
    return y_pred


@mutant(of="predict_labels", kills=[test_knn_with_k_1_reproduces_the_training_labels,
                                    test_knn_prediction_is_a_most_common_label_of_the_k_nearest,
                                    test_knn_prediction_matches_the_worked_example])
def predict_skipping_the_nearest(dists, y_train, k=1):
    """argsort(...)[1:k + 1], as if the nearest were always the test example itself (leave-one-out by mistake)."""
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        y_pred[i] = np.argmax(np.bincount(y_train[np.argsort(dists[i])[1 : k + 1]], minlength=1))
    return y_pred


@mutant(of="predict_labels", kills=[test_knn_predicted_labels_are_training_labels,
                                    test_knn_prediction_is_a_most_common_label_of_the_k_nearest,
                                    test_knn_prediction_matches_the_worked_example])
def predict_votes_over_indices(dists, y_train, k=1):
    """Votes over the indices of the k nearest, never looking up their labels: returns a training index."""
    return np.array([np.argmax(np.bincount(np.argsort(row)[:k])) for row in dists], dtype=np.int64)


@mutant(of="predict_labels", kills=[test_knn_ties_go_to_the_smaller_label, test_knn_with_k_M_predicts_the_overall_majority,
                                    test_knn_prediction_is_a_most_common_label_of_the_k_nearest,
                                    test_knn_prediction_matches_the_worked_example])
def predict_ignoring_k(dists, y_train, k=1):
    """The label of the single nearest, whatever k is (k = 1 hard-wired)."""
    return y_train[np.argmin(dists, axis=1)].astype(np.int64)


@mutant(of="predict_labels", kills=[test_knn_predicted_labels_are_training_labels,
                                    test_knn_prediction_is_a_most_common_label_of_the_k_nearest])
def predict_returns_the_count(dists, y_train, k=1):
    """np.bincount(closest_y).max(): the winning number of votes instead of the winning label (max for argmax)."""
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        y_pred[i] = np.bincount(y_train[np.argsort(dists[i])[:k]]).max()
    return y_pred


# Correct alternatives.


@alternative(of="predict_labels")
def predict_with_bincount_loop(dists, y_train, k=1):
    """CS231n's usual loop: argsort, the k nearest labels, np.bincount, argmax (which takes the smallest of a tie)."""
    y_pred = np.zeros(dists.shape[0], dtype=np.int64)
    for i in range(dists.shape[0]):
        closest_y = y_train[np.argsort(dists[i])[:k]]
        y_pred[i] = np.argmax(np.bincount(closest_y))
    return y_pred


@alternative(of="predict_labels")
def predict_with_counter_and_min(dists, y_train, k=1):
    """Counter of the k nearest labels, then the smallest label with the top count."""
    y_pred = []
    for row in dists:
        counts = Counter(y_train[np.argsort(row)[:k]].tolist())
        best = max(counts.values())
        y_pred.append(min(label for label, c in counts.items() if c == best))
    return np.array(y_pred, dtype=np.int64)


@alternative(of="predict_labels")
def predict_with_argpartition_and_scipy_mode(dists, y_train, k=1):
    """np.argpartition for the k nearest (no full sort), scipy.stats.mode (which returns the smallest of a tie)."""
    nearest = np.argpartition(dists, k - 1, axis=1)[:, :k]
    return scipy.stats.mode(y_train[nearest], axis=1, keepdims=False).mode.astype(np.int64)


@alternative(of="predict_labels")
def predict_with_unique_counts(dists, y_train, k=1):
    """np.unique(..., return_counts=True) per row: unique labels come sorted, so argmax takes the smallest tie."""
    y_pred = np.zeros(len(dists), dtype=np.int64)
    for i, row in enumerate(dists):
        labels, counts = np.unique(y_train[np.argsort(row, kind="stable")[:k]], return_counts=True)
        y_pred[i] = labels[np.argmax(counts)]
    return y_pred
