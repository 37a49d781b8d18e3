"""The multiclass SVM loss of a linear classifier: svm_loss_naive / svm_loss_vectorized(W, X, y, reg) -> (loss, dW).

L = (1/N) sum_i sum_{j != y[i]} max(0, s[i, j] - s[i, y[i]] + 1) + reg * sum(W**2),  s = X @ W,
dW = X.T @ G / N + 2 * reg * W, with G[i, j] = 1 for each wrong class j whose margin is positive and
G[i, y[i]] = -(their count).

Every property is stated once and runs on both versions (the contract's VERSIONS name "svm_loss_on_weights"):
a student who has written only one of them sees that one graded. One more property compares the two.

Tolerances (u = EPS/2, the relative error of one float64 rounding; S = max over i, j of sum_d |X[i, d] W[d, j]|, the
size of the numbers a score is made of; K = D * C; R = reg * sum(W**2)):
- A score is within D u S of exact, a margin s_j - s_y + 1 within (D + 2) u (2S + 1) (two scores, two roundings on
  numbers up to 2S + 1); max(0, .) adds nothing. Summing the N (C - 1) margins in any order adds N C u times their
  total, at most N (C - 1)(2S + 1); dividing by N one u. R is within (K + 1) u R, adding it to the data loss one u more.
  So an implementation's loss is within u [(C - 1)(2S + 1)(D + N C + 4) + (K + 2) R] of exact.
- dW: G is an exact small integer matrix wherever no margin is within rounding of 0 (the properties on dW keep
  margins 1e-2 away from it). Column sums of at most N (C - 1) terms +-X[i, d] are within N C u (C - 1) sum_i |X[i, d]|,
  then / N; 2 reg W rounds once and the sum once: u [(N C + 2)(C - 1) sum_i |X[i, d]| / N + 4 reg |W|].
Comparing two float64 computations (the implementation and the spec's, or naive and vectorized) doubles the bound:
EPS [...]; a safety factor 2 makes the tolerances below 2 EPS [...].
"""

import numpy as np
from hypothesis import example, given

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.linear_classifiers.strategies import (
    linear_problems,
    positive_regularization_strengths,
    problems_away_from_kinks,
    problems_with_every_margin_met,
    regularization_strengths,
)
from spec.linear_classifiers.losses_on_weights import (
    check_batch_average,
    check_regularization,
    check_versions_agree,
    inputs_of,
)
from spec.loss_functions import CAT_CAR_FROG_LABELS, CAT_CAR_FROG_SCORES
from spec.property import alternative, mutant, prop

CONCEPT = "SVM loss on weights"
GT = "Georgia Tech CS 4803/7643, linear classifiers: multiclass SVM loss (worked example 2.9, 0, 12.9; 'W twice as large')"
GT_REG = "Georgia Tech CS 4803/7643, linear classifiers: full loss = data loss + regularization, L(W) + reg R(W)"
CS231N = "CS231n lecture 4 (2015), slide 34: 'when W = 0, what is the CIFAR-10 loss for SVM?' (C - 1 = 9)"
CS231N_NOTES = "CS231n linear classification notes: multiclass SVM example, scores (13, -7, 11), margin 10, loss 8"
CS231N_ASSIGNMENT = "CS231n assignment 1, linear_svm.py: svm_loss_naive and svm_loss_vectorized, checked by grad_check_sparse"

NAIVE, VECTORIZED = "svm_loss_naive", "svm_loss_vectorized"

# The CS231n notes' example: scores (13, -7, 11), y = 0, margin 10: max(0, -7 - 13 + 10) + max(0, 11 - 13 + 10) = 0 + 8.
# The hinge is positively homogeneous: max(0, s_j - s_y + delta) = delta max(0, s_j/delta - s_y/delta + 1), so with
# the contract's margin 1 the scores divided by 10 give 8 / 10: s = (1.3, -0.7, 1.1), max(0, -1.0) + max(0, 0.8) = 0.8.
# With X = [[1]] the scores are W's single row exactly. dW = x.T @ G with G = (-1, 0, 1) (class 2 violates): [[-1, 0, 1]].
# With reg = 0.1: + 0.1 * (1.69 + 0.49 + 1.21) = 0.339, loss 1.139, dW + 0.2 W = [[-0.74, -0.14, 1.22]].
NOTES_X, NOTES_W, NOTES_Y = np.array([[1.0]]), np.array([[1.3, -0.7, 1.1]]), np.array([0])
# Georgia Tech's batch on weights: with X the identity, X @ W = W, so W holds the lecture's scores (one row per image);
# losses 2.9, 0 and 12.9 (2.9 = max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1)), averaging 15.8 / 3 = 5.2667.
GT_X, GT_W, GT_Y = np.eye(3), CAT_CAR_FROG_SCORES, CAT_CAR_FROG_LABELS

# CIFAR-10 sized, once: 2 images of 32 x 32 x 3 pixel values plus the bias trick's column of ones (D = 3073), C = 10.
CIFAR_X = np.hstack([np.random.default_rng(0).integers(0, 256, (2, 3072)).astype(np.float64), np.ones((2, 1))])
CIFAR_W, CIFAR_Y = np.zeros((3073, 10)), np.array([3, 8])


def score_size(W, X) -> float:
    """S: the largest sum_d |X[i, d] W[d, j]|, the size of the numbers a score is made of."""
    return float((np.abs(X) @ np.abs(W)).max(initial=0.0))


def loss_tolerance(W, X, reg) -> float:
    """Error allowed between two float64 computations of the loss (module docstring)."""
    (n, d), c = X.shape, W.shape[1]
    data = (c - 1) * (2 * score_size(W, X) + 1) * (d + n * c + 4)
    return 2 * EPS * (data + (W.size + 2) * reg * np.sum(W * W))


def gradient_tolerance(W, X, reg) -> np.ndarray:
    """Error allowed between two float64 computations of dW, away from kinks (module docstring)."""
    n, c = X.shape[0], W.shape[1]
    data = (n * c + 2) * (c - 1) * np.abs(X).sum(axis=0)[:, None] / n
    return 2 * EPS * (data + 4 * reg * np.abs(W))


def trusted_svm_loss(W, X, y, reg) -> float:
    """The definition, computed here: mean over i of the hinge over j != y[i], plus reg * sum(W**2)."""
    s = X @ W
    rows = np.arange(len(y))
    margins = np.maximum(0.0, s - s[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    return margins.sum(axis=1).mean() + reg * np.sum(W * W)


# The properties: each is stated once and runs on both versions, svm_loss_naive and svm_loss_vectorized
# (the contract's VERSIONS name "svm_loss_on_weights"); the last one compares the two.


@prop(CONCEPT, GT, "The loss is the mean over examples of sum_{j != y[i]} max(0, s[i, j] - s[i, y[i]] + 1) of the scores s = X @ W, plus reg * sum(W**2).")
@given(problem=linear_problems(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.0)
def test_svm_loss_is_the_hinge_of_the_scores(svm_loss_on_weights, problem, reg):
    W, X, y = problem
    loss, _ = svm_loss_on_weights(W, X, y, reg)
    expect.close(f"loss of {svm_loss_on_weights.__name__}", loss, trusted_svm_loss(W, X, y, reg),
                 atol=loss_tolerance(W, X, reg),
                 why="mean over i of sum over j != y[i] of max(0, s[i, j] - s[i, y[i]] + 1), s = X @ W, "
                     "plus reg * sum(W**2)", inputs=inputs_of(W, X, y, reg))


@prop(CONCEPT, CS231N, "With W = 0 the loss is C - 1 whatever X (9 for CIFAR-10: D = 3073, C = 10): every wrong class misses the margin by exactly 1.")
@given(problem=linear_problems(), reg=regularization_strengths())
@example(problem=(CIFAR_W, CIFAR_X, CIFAR_Y), reg=1e-5)
def test_svm_loss_of_zero_weights_is_C_minus_1(svm_loss_on_weights, problem, reg):
    _, X, y = problem
    c = problem[0].shape[1]
    W = np.zeros((X.shape[1], c))
    loss, _ = svm_loss_on_weights(W, X, y, reg)
    expect.close(f"loss of {svm_loss_on_weights.__name__}", loss, c - 1.0, atol=loss_tolerance(W, X, reg),
                 why=f"W = 0: every score is 0, each of the C - 1 = {c - 1} wrong classes misses the margin by 1",
                 inputs=inputs_of(W, X, y, reg))


@prop(CONCEPT, CS231N_NOTES, "The loss matches the worked examples: CS231n's scores (13, -7, 11) with margin 10 give 8 (0.8 for (1.3, -0.7, 1.1) with margin 1, dW = (-1, 0, 1)); Georgia Tech's cat, car, frog give 2.9, 0, 12.9.")
def test_svm_loss_matches_the_worked_examples(svm_loss_on_weights):
    fname = svm_loss_on_weights.__name__
    for rows, value in (([0], 2.9), ([1], 0.0), ([2], 12.9), ([0, 1, 2], 15.8 / 3)):
        X, y = GT_X[rows], GT_Y[rows]
        loss, _ = svm_loss_on_weights(GT_W, X, y, 0.0)
        expect.close(f"loss of {fname}", loss, value, atol=loss_tolerance(GT_W, X, 0.0) + EPS * value,
                     why="Georgia Tech: cat 2.9, car 0, frog 12.9, average 5.27 (X = identity, so X @ W = W)",
                     inputs=inputs_of(GT_W, X, y, 0.0))
    for reg, value, grad in ((0.0, 0.8, [[-1.0, 0.0, 1.0]]), (0.1, 1.139, [[-0.74, -0.14, 1.22]])):
        inputs = inputs_of(NOTES_W, NOTES_X, NOTES_Y, reg)
        loss, dW = svm_loss_on_weights(NOTES_W, NOTES_X, NOTES_Y, reg)
        # The decimal values are within u of their float64 forms: EPS |value| more.
        expect.close(f"loss of {fname}", loss, value, atol=loss_tolerance(NOTES_W, NOTES_X, reg) + EPS * value,
                     why="CS231n notes: scores (13, -7, 11) with margin 10 give 8, i.e. (1.3, -0.7, 1.1) with "
                         f"margin 1 give 0.8; plus reg * sum(W**2) = {reg} * 3.39", inputs=inputs)
        expect.close(f"dW of {fname}", dW, grad, atol=gradient_tolerance(NOTES_W, NOTES_X, reg) + EPS * np.abs(grad),
                     why="class 2 violates the margin: +x for it, -x for the correct class 0, plus 2 reg W",
                     inputs=inputs)


@prop(CONCEPT, GT, "Once every correct class beats the others by the margin, the loss and dW are 0, and they stay 0 for 2 W: zero loss does not pin down W, hence regularization.")
@given(problem=problems_with_every_margin_met())
def test_svm_zero_loss_survives_doubling_W(svm_loss_on_weights, problem):
    W, X, y = problem
    fname = svm_loss_on_weights.__name__
    for name, weights in (("W", W), ("2 W", 2 * W)):
        loss, dW = svm_loss_on_weights(weights, X, y, 0.0)
        # Every margin is <= -1 (by construction), so every max(0, .) is exactly 0 and no class is active.
        inputs = {"W": W, "X": X, "y": y, "reg": 0.0}
        expect.equal(f"loss of {fname}({name}, X, y, 0)", loss, 0.0,
                     why="every correct score beats the others by at least 2, twice the margin", inputs=inputs)
        expect.equal(f"dW of {fname}({name}, X, y, 0)", dW, 0.0, why="no margin is violated: the hinge is flat",
                     inputs=inputs)


@prop(CONCEPT, CS231N_ASSIGNMENT, "dW is the gradient of the loss (with reg >= 0): it matches centered finite differences away from the hinge's kinks.")
@given(problem=problems_away_from_kinks(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)
def test_svm_gradient_matches_finite_differences(svm_loss_on_weights, problem, reg):
    W, X, y = problem
    _, dW = svm_loss_on_weights(W, X, y, reg)
    # Steps of h max(1, |w|) <= 2e-5 move a score by <= 2e-4, never across a kink 1e-2 away: the loss is piecewise
    # linear plus the quadratic reg term there, so central differences have no truncation error. The loss is made
    # of C - 1 margins of size up to 2S + 1 and the reg term: that sets its rounding (value_scale).
    scale = (W.shape[1] - 1) * (2 * score_size(W, X) + 1) + reg * np.sum(W * W)
    check_gradient(lambda V: svm_loss_on_weights(V, X, y, reg)[0], W, dW, value_scale=scale,
                   name=f"dW of {svm_loss_on_weights.__name__}(W, X, y, reg={reg:g})")


@prop(CONCEPT, GT_REG, "Regularization adds exactly reg * sum(W**2) to the loss, whatever N (the batch, or the batch repeated twice), and 2 * reg * W to dW: with X = 0 that is all of dW (not reg * W).")
@given(problem=linear_problems(), reg=positive_regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)
def test_svm_regularization_adds_reg_sum_of_squares_and_2_reg_W(svm_loss_on_weights, problem, reg):
    check_regularization(svm_loss_on_weights, *problem, reg, loss_tolerance)


@prop(CONCEPT, GT, "The loss and dW are averages over the batch: repeating every example leaves them unchanged.")
@given(problem=problems_away_from_kinks(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)
def test_svm_loss_is_a_batch_average(svm_loss_on_weights, problem, reg):
    check_batch_average(svm_loss_on_weights, *problem, reg, loss_tolerance, gradient_tolerance)


@prop(CONCEPT, CS231N_ASSIGNMENT, "svm_loss_naive and svm_loss_vectorized agree on the loss and on dW, wherever no margin is near the hinge's kink.")
@given(problem=problems_away_from_kinks(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)  # square W: a transposed W does not crash here
def test_svm_naive_and_vectorized_agree(svm_loss_naive, svm_loss_vectorized, problem, reg):
    check_versions_agree(svm_loss_naive, svm_loss_vectorized, *problem, reg, loss_tolerance, gradient_tolerance)


# Mutants: the SVM loss on weights as students get it wrong. The naive ones share CS231n's loop.


def _svm_loops(W, X, y, *, margin=1.0, skip_correct=True, count_correct=True, W_by_rows=False):
    """CS231n's svm_loss_naive loop, with its usual slips as switches: the summed data loss and dW (not averaged)."""
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(X.shape[0]):
        if W_by_rows:  # the lecture's (C, D) layout: row j of W as class j's template
            scores = np.array([W[j].dot(X[i]) for j in range(W.shape[1])])
        else:
            scores = X[i].dot(W)
        for j in range(W.shape[1]):
            if j == y[i] and skip_correct:
                continue
            m = scores[j] - scores[y[i]] + margin
            if m > 0:
                loss += m
                dW[:, j] += X[i]
                if count_correct:
                    dW[:, y[i]] -= X[i]
    return loss, dW


def _finish(loss, dW, W, reg, n):
    return loss / n + reg * np.sum(W * W), dW / n + 2 * reg * W


@mutant(of=NAIVE, kills=[test_svm_naive_and_vectorized_agree, test_svm_loss_matches_the_worked_examples])
def svm_naive_indexing_W_by_rows(W, X, y, reg):
    """scores[j] = W[j].dot(X[i]): the lecture's row-per-class W inside the contract's (D, C) one; wrong on square W
    and a crash otherwise."""
    return _finish(*_svm_loops(W, X, y, W_by_rows=True), W, reg, len(y))


@mutant(of=NAIVE, kills=[test_svm_loss_of_zero_weights_is_C_minus_1, test_svm_loss_matches_the_worked_examples,
                         test_svm_zero_loss_survives_doubling_W, test_svm_loss_is_the_hinge_of_the_scores])
def svm_naive_counting_the_correct_class(W, X, y, reg):
    """No `if j == y[i]: continue`: the correct class's own margin max(0, 1) adds 1 per example."""
    return _finish(*_svm_loops(W, X, y, skip_correct=False), W, reg, len(y))


@mutant(of=NAIVE, kills=[test_svm_gradient_matches_finite_differences, test_svm_regularization_adds_reg_sum_of_squares_and_2_reg_W,
                         test_svm_naive_and_vectorized_agree])
def svm_naive_reg_gradient_without_the_2(W, X, y, reg):
    """dW += reg * W: the factor 2 of the derivative of reg * W**2 forgotten."""
    loss, dW = _svm_loops(W, X, y)
    return loss / len(y) + reg * np.sum(W * W), dW / len(y) + reg * W


@mutant(of=NAIVE, kills=[test_svm_regularization_adds_reg_sum_of_squares_and_2_reg_W, test_svm_naive_and_vectorized_agree])
def svm_naive_dividing_by_N_after_adding_reg(W, X, y, reg):
    """The regularization added inside the sum, before dividing by N: reg * sum(W**2) / N."""
    loss, dW = _svm_loops(W, X, y)
    return (loss + reg * np.sum(W * W)) / len(y), (dW + 2 * reg * W) / len(y)


@mutant(of=NAIVE, kills=[test_svm_loss_is_a_batch_average, test_svm_loss_of_zero_weights_is_C_minus_1,
                         test_svm_loss_is_the_hinge_of_the_scores])
def svm_naive_summed_not_averaged(W, X, y, reg):
    """The loss and dW summed over the examples, never divided by N."""
    return _finish(*_svm_loops(W, X, y), W, reg, 1)


@mutant(of=NAIVE, kills=[test_svm_gradient_matches_finite_differences, test_svm_naive_and_vectorized_agree,
                         test_svm_loss_matches_the_worked_examples])
def svm_naive_gradient_missing_the_correct_class(W, X, y, reg):
    """dW[:, j] += X[i] for each violating class, but the -X[i] on the correct class's column forgotten."""
    return _finish(*_svm_loops(W, X, y, count_correct=False), W, reg, len(y))


def _vectorized_margins(W, X, y, margin=1.0):
    s = X @ W
    return np.maximum(0.0, s - s[np.arange(len(y)), y][:, None] + margin)


def _vectorized_gradient(margins, X, y):
    G = (margins > 0).astype(np.float64)
    G[np.arange(len(y)), y] = 0.0
    G[np.arange(len(y)), y] = -G.sum(axis=1)
    return X.T @ G


@mutant(of=VECTORIZED, kills=[test_svm_loss_of_zero_weights_is_C_minus_1,
                              test_svm_loss_matches_the_worked_examples,
                              test_svm_zero_loss_survives_doubling_W,
                              test_svm_loss_is_the_hinge_of_the_scores, test_svm_naive_and_vectorized_agree])
def svm_vectorized_counting_the_correct_class(W, X, y, reg):
    """margins[range(N), y] = 0 forgotten: every example adds max(0, s_y - s_y + 1) = 1."""
    margins = _vectorized_margins(W, X, y)
    n = len(y)
    return margins.sum() / n + reg * np.sum(W * W), _vectorized_gradient(margins, X, y) / n + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_svm_loss_is_the_hinge_of_the_scores,
                              test_svm_loss_of_zero_weights_is_C_minus_1,
                              test_svm_loss_matches_the_worked_examples])
def svm_vectorized_with_margin_0(W, X, y, reg):
    """max(0, s_j - s_y) without the margin 1: the perceptron-like loss, 0 at W = 0."""
    margins = _vectorized_margins(W, X, y, margin=0.0)
    margins[np.arange(len(y)), y] = 0.0
    n = len(y)
    return margins.sum() / n + reg * np.sum(W * W), _vectorized_gradient(margins, X, y) / n + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_svm_gradient_matches_finite_differences, test_svm_naive_and_vectorized_agree,
                              test_svm_loss_matches_the_worked_examples])
def svm_vectorized_gradient_missing_the_count(W, X, y, reg):
    """G = (margins > 0) with the correct class's entry left at 0: the -count on its column forgotten."""
    margins = _vectorized_margins(W, X, y)
    margins[np.arange(len(y)), y] = 0.0
    n = len(y)
    return margins.sum() / n + reg * np.sum(W * W), X.T @ (margins > 0).astype(np.float64) / n + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_svm_gradient_matches_finite_differences,
                              test_svm_regularization_adds_reg_sum_of_squares_and_2_reg_W])
def svm_vectorized_reg_gradient_without_the_2(W, X, y, reg):
    """dW += reg * W: the factor 2 forgotten."""
    margins = _vectorized_margins(W, X, y)
    margins[np.arange(len(y)), y] = 0.0
    n = len(y)
    return margins.sum() / n + reg * np.sum(W * W), _vectorized_gradient(margins, X, y) / n + reg * W


@mutant(of=VECTORIZED, kills=[test_svm_regularization_adds_reg_sum_of_squares_and_2_reg_W,
                              test_svm_naive_and_vectorized_agree])
def svm_vectorized_reg_divided_by_N(W, X, y, reg):
    """(data + reg * sum(W**2)) / N in one expression: the penalty shrinks as the batch grows."""
    margins = _vectorized_margins(W, X, y)
    margins[np.arange(len(y)), y] = 0.0
    n = len(y)
    return (margins.sum() + reg * np.sum(W * W)) / n, (_vectorized_gradient(margins, X, y) + 2 * reg * W) / n


@mutant(of=VECTORIZED, kills=[test_svm_loss_is_a_batch_average,
                              test_svm_loss_of_zero_weights_is_C_minus_1,
                              test_svm_loss_is_the_hinge_of_the_scores])
def svm_vectorized_summed_not_averaged(W, X, y, reg):
    """The data loss and its gradient summed over the examples, not averaged."""
    margins = _vectorized_margins(W, X, y)
    margins[np.arange(len(y)), y] = 0.0
    return margins.sum() + reg * np.sum(W * W), _vectorized_gradient(margins, X, y) + 2 * reg * W


# Correct alternatives: written another way, they must pass every property above.


@alternative(of=NAIVE)
def svm_naive_class_by_class(W, X, y, reg):
    """Python floats, one dot product per class; a margin of exactly 0 counts as violated (the other subgradient);
    the penalty by a loop over the entries of W."""
    n, c = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(n):
        correct = float(np.dot(X[i], W[:, y[i]]))
        for j in range(c):
            if j != y[i]:
                m = float(np.dot(X[i], W[:, j])) - correct + 1.0
                if m >= 0:
                    loss += m
                    dW[:, j] += X[i] / n
                    dW[:, y[i]] -= X[i] / n
    penalty = sum(w * w for w in W.flat)
    return loss / n + reg * penalty, dW + reg * 2 * W


@alternative(of=VECTORIZED)
def svm_vectorized_with_masks_and_add_at(W, X, y, reg):
    """Boolean masks for the wrong classes and the violations; the correct class's -count scattered by np.add.at."""
    n = len(y)
    s = X @ W
    wrong = np.ones(s.shape, dtype=bool)
    wrong[np.arange(n), y] = False
    margins = s - s[np.arange(n), y][:, None] + 1.0
    violated = wrong & (margins > 0)
    G = violated.astype(np.float64)
    np.add.at(G, (np.arange(n), y), -violated.sum(axis=1))
    loss = margins[violated].sum() / n + reg * np.linalg.norm(W) ** 2
    return loss, X.T @ G / n + (W + W) * reg


@alternative(of=VECTORIZED)
def svm_vectorized_over_all_classes_minus_one(W, X, y, reg):
    """The hinge summed over every class, the correct one's max(0, 1) = 1 subtracted afterwards (N in all)."""
    n = len(y)
    s = X @ W
    margins = s - np.take_along_axis(s, y[:, None], axis=1) + 1.0
    total = np.maximum(margins, 0.0).sum()
    G = (margins > 0).astype(np.float64)
    G[np.arange(n), y] = 0.0
    G[np.arange(n), y] = -G.sum(axis=1)
    return (total - n) / n + reg * np.vdot(W, W), np.dot(X.T, G) / n + 2 * reg * W
