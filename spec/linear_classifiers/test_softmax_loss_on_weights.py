"""The softmax loss of a linear classifier: softmax_loss_naive / softmax_loss_vectorized(W, X, y, reg) -> (loss, dW).

L = (1/N) sum_i -log softmax(s[i])[y[i]] + reg * sum(W**2),  s = X @ W,
dW = X.T @ (softmax(s) - onehot(y)) / N + 2 * reg * W.

Every property is stated once and runs on both versions (the contract's VERSIONS name
"softmax_loss_on_weights"): a student who has written only one of them sees that one graded. One more property
compares the two.

Tolerances (u = EPS/2, the relative error of one float64 rounding; S = max over i, j of sum_d |X[i, d] W[d, j]|, the
size of the numbers a score is made of; K = D * C; R = reg * sum(W**2)):
- A score is within D u S of exact. An example's loss lse(s_i) - s_iy moves by at most D u S with each (lse is
  1-Lipschitz in the largest change of its arguments); computing it (the shift by the row's maximum, C exps and their
  sum, the log, adding the maximum back, subtracting s_iy) rounds by at most u (5S + 3 log C + C + 2). Together under
  (D + 3) u (2S + log C + C). Averaging N losses of size up to 2S + log C adds N u of that; R is within (K + 1) u R
  and adding it one u more. So an implementation's loss is within u [(N + D + 3)(2S + log C + C) + (K + 2) R].
- dW: each probability p = exp(s_j - lse) has the same absolute error in its exponent, so p is off by at most
  (D + 3) u (2S + log C + C) + u absolute (p <= 1); subtracting the one-hot is exact or one more u. Summing N terms
  X[i, d] (p - onehot) and dividing by N: mean_i |X[i, d]| [(D + 3)(2S + log C + C) + N + 2] u, plus 4 u reg |W| for
  2 reg W and the final addition.
Comparing two float64 computations (the implementation and the spec's, or naive and vectorized) doubles the bound:
EPS [...]; a safety factor 2 makes the tolerances below 2 EPS [...].

Scores stay within 700 of each other in every example: beyond 745, exp of the lowest underflows to 0, and a correct
implementation that takes -log of a probability (as CS231n's own solution does) returns inf for such an example.
"""

import numpy as np
import scipy.special
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.gradcheck import SAFETY, check_gradient
from spec.linear_classifiers.strategies import (
    correct_class_leads,
    linear_problems,
    positive_regularization_strengths,
    problems_won_by_a_wrong_class,
    problems_won_by_the_correct_class,
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
from spec.strategies import row_offsets

CONCEPT = "softmax loss on weights"
GT = "Georgia Tech CS 4803/7643, linear classifiers: softmax loss, -log P(Y = y_i | X = x_i), cat example L_i = 2.04"
GT_MIN_MAX = "Georgia Tech CS 4803/7643, linear classifiers, slides 73-74: 'what is the min/max possible loss L_i? min 0, max infinity'"
GT_REG = "Georgia Tech CS 4803/7643, linear classifiers: full loss = data loss + regularization, L(W) + reg R(W)"
I2DL = "TUM I2DL lecture 6 recap: softmax with the maximum subtracted (numerical stability), cross-entropy"
CS231N = "CS231n lecture 4 (2015), slide 34: 'when W = 0, what is the CIFAR-10 loss for softmax?' (log 10 = 2.3026)"
CS231N_NOTES = "CS231n linear classification notes: softmax example, scores (-2.85, 0.86, 0.28), y = 2, loss 1.04"
CS231N_ASSIGNMENT = "CS231n assignment 1, softmax.py: softmax_loss_naive and softmax_loss_vectorized, checked by grad_check_sparse"

NAIVE, VECTORIZED = "softmax_loss_naive", "softmax_loss_vectorized"

# The CS231n notes' example: scores (-2.85, 0.86, 0.28) with y = 2, on weights: X = [[1]], so X @ W is W's only row.
# exp: 0.057844, 2.363161, 1.323130, sum 3.744135; p = (0.015449, 0.631163, 0.353387); -log(0.353387) = 1.0401906.
# To 17 digits (mpmath, 30 places): loss 1.0401905694301083, p = (0.015449315676073601, 0.63116335360470873,
# 0.35338733071921767); dW = x.T (p - onehot(2)) / 1.
NOTES_X, NOTES_W, NOTES_Y = np.array([[1.0]]), np.array([[-2.85, 0.86, 0.28]]), np.array([2])
NOTES_LOSS = 1.0401905694301083
NOTES_DW = np.array([[0.015449315676073601, 0.63116335360470873, 0.35338733071921767 - 1.0]])
# Georgia Tech's (and I2DL's) batch on weights: X = identity, W = the lecture's scores, one row per image. The slide's
# 2.04 (cat), then 0.079 and 6.156, average 2.7587; to 16 digits (mpmath):
GT_X, GT_W, GT_Y = np.eye(3), CAT_CAR_FROG_SCORES, CAT_CAR_FROG_LABELS
GT_LOSSES = [2.0403551528001706, 0.07913177829134902, 6.156477201664211]
GT_MEAN = 2.758654710918577

# CIFAR-10 sized, once: 2 images of 32 x 32 x 3 pixel values plus the bias trick's column of ones (D = 3073), C = 10.
CIFAR_X = np.hstack([np.random.default_rng(0).integers(0, 256, (2, 3072)).astype(np.float64), np.ones((2, 1))])
CIFAR_W, CIFAR_Y = np.zeros((3073, 10)), np.array([3, 8])

# A wrong class 40 ahead: -log p_y = 40 + log(1 + e^-40) = 40.0; a log clipped at p = 1e-15 caps it at 34.5.
FAR_BEHIND_X, FAR_BEHIND_W, FAR_BEHIND_Y = np.array([[1.0]]), np.array([[0.0, 40.0]]), np.array([0])


def score_size(W, X) -> float:
    """S: the largest sum_d |X[i, d] W[d, j]|, the size of the numbers a score is made of."""
    return float((np.abs(X) @ np.abs(W)).max(initial=0.0))


def _size(W, X) -> float:
    """2S + log C + C: the size the rounding of an example's loss (and of a probability's exponent) scales with."""
    c = W.shape[1]
    return 2 * score_size(W, X) + np.log(c) + c


def loss_tolerance(W, X, reg) -> float:
    """Error allowed between two float64 computations of the loss (module docstring)."""
    n, d = X.shape
    return 2 * EPS * ((n + d + 3) * _size(W, X) + (W.size + 2) * reg * np.sum(W * W))


def gradient_tolerance(W, X, reg) -> np.ndarray:
    """Error allowed between two float64 computations of dW (module docstring)."""
    n, d = X.shape
    data = np.abs(X).mean(axis=0)[:, None] * ((d + 3) * _size(W, X) + n + 2)
    return 2 * EPS * (data + 4 * reg * np.abs(W))


def _log_probs(s):
    shifted = s - s.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def trusted_softmax_loss(W, X, y, reg) -> float:
    """The definition, computed here by the stable log-sum-exp: -mean log p[i, y[i]] + reg * sum(W**2)."""
    return -_log_probs(X @ W)[np.arange(len(y)), y].mean() + reg * np.sum(W * W)


def trusted_softmax_gradient(W, X, y, reg) -> np.ndarray:
    """X.T @ (softmax(X @ W) - onehot(y)) / N + 2 reg W."""
    G = np.exp(_log_probs(X @ W))
    G[np.arange(len(y)), y] -= 1.0
    return X.T @ G / len(y) + 2 * reg * W


def _lead_bounds(W, X, y):
    """Mean over examples of log(1 + e^-g) and log(1 + (C - 1) e^-g), g the correct class's lead: the loss lies
    between them (the best wrong class alone contributes e^-g to sum_j e^(s_j - s_y) - 1, all C - 1 at most
    (C - 1) e^-g)."""
    g = correct_class_leads(W, X, y)
    with np.errstate(over="ignore"):  # e^-g overflows only far beyond the 700 spread the strategies allow
        return np.log1p(np.exp(-g)).mean(), np.log1p((W.shape[1] - 1) * np.exp(-g)).mean(), g


def _digits(bound, loss) -> str:
    """The bound with enough digits to see how it differs from the loss."""
    return expect.fmt_pair(float(bound), float(loss))[0]


# The properties: each is stated once and runs on both versions, softmax_loss_naive and softmax_loss_vectorized
# (the contract's VERSIONS name "softmax_loss_on_weights"); the last one compares the two.

# (W, X, y) with leads in the hundreds: scores X @ W = [[300, -100, 50], [0, 100, -100]], so with y = (0, 1) the
# correct classes lead by 250 and 100 (p_y rounds to 1, the loss to ~e^-100), and with y = (1, 0) wrong classes lead
# by 400 and 100 (loss (400 + 100) / 2 = 250, up to e^-250).
BIG_LEAD = (np.array([[3.0, -1.0, 0.5], [0.0, 2.0, -2.0]]), np.array([[100.0, 0.0], [0.0, 50.0]]), np.array([0, 1]))


@prop(CONCEPT, GT, "The loss is the negative log-likelihood -mean(log p[i, y[i]]) of p = softmax(X @ W), plus reg * sum(W**2).")
@given(problem=linear_problems(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.0)
@example(problem=(FAR_BEHIND_W, FAR_BEHIND_X, FAR_BEHIND_Y), reg=0.0)
def test_softmax_loss_is_the_negative_log_likelihood(softmax_loss_on_weights, problem, reg):
    W, X, y = problem
    loss, _ = softmax_loss_on_weights(W, X, y, reg)
    expect.close(f"loss of {softmax_loss_on_weights.__name__}", loss, trusted_softmax_loss(W, X, y, reg),
                 atol=loss_tolerance(W, X, reg), why="-mean over i of log softmax(X @ W)[i, y[i]], plus reg * sum(W**2)",
                 inputs=inputs_of(W, X, y, reg))


@prop(CONCEPT, CS231N, "With W = 0 the loss is log C whatever X (log 10 = 2.3026 for CIFAR-10: D = 3073, C = 10).")
@given(problem=linear_problems(), reg=regularization_strengths())
@example(problem=(CIFAR_W, CIFAR_X, CIFAR_Y), reg=1e-5)
def test_softmax_loss_of_zero_weights_is_log_C(softmax_loss_on_weights, problem, reg):
    _, X, y = problem
    c = problem[0].shape[1]
    W = np.zeros((X.shape[1], c))
    loss, _ = softmax_loss_on_weights(W, X, y, reg)
    expect.close(f"loss of {softmax_loss_on_weights.__name__}", loss, np.log(c), atol=loss_tolerance(W, X, reg),
                 why=f"W = 0: every class has probability 1/C, the loss is log C = log {c}",
                 inputs=inputs_of(W, X, y, reg))


@prop(CONCEPT, CS231N_NOTES, "The loss matches the worked examples: CS231n's scores (-2.85, 0.86, 0.28) with y = 2 give 1.0401906 (and dW = p - onehot); Georgia Tech's cat, car, frog give 2.04, 0.079, 6.156.")
def test_softmax_loss_matches_the_worked_examples(softmax_loss_on_weights):
    fname = softmax_loss_on_weights.__name__
    for rows, value in (([0], GT_LOSSES[0]), ([1], GT_LOSSES[1]), ([2], GT_LOSSES[2]), ([0, 1, 2], GT_MEAN)):
        X, y = GT_X[rows], GT_Y[rows]
        loss, _ = softmax_loss_on_weights(GT_W, X, y, 0.0)
        expect.close(f"loss of {fname}", loss, value, atol=loss_tolerance(GT_W, X, 0.0) + EPS * value,
                     why="Georgia Tech: cat 2.04 (= -log 0.13), car 0.079, frog 6.156, average 2.7587 "
                         "(X = identity, so X @ W = W)", inputs=inputs_of(GT_W, X, y, 0.0))
    inputs = inputs_of(NOTES_W, NOTES_X, NOTES_Y, 0.0)
    loss, dW = softmax_loss_on_weights(NOTES_W, NOTES_X, NOTES_Y, 0.0)
    # The 17-digit values are within u of exact as float64: EPS |value| more.
    expect.close(f"loss of {fname}", loss, NOTES_LOSS, atol=loss_tolerance(NOTES_W, NOTES_X, 0.0) + EPS * NOTES_LOSS,
                 why="CS231n notes: scores (-2.85, 0.86, 0.28), y = 2: -log 0.353387 = 1.0401906", inputs=inputs)
    expect.close(f"dW of {fname}", dW, NOTES_DW,
                 atol=gradient_tolerance(NOTES_W, NOTES_X, 0.0) + EPS * np.abs(NOTES_DW),
                 why="p - onehot(y) = (0.015449, 0.631163, 0.353387 - 1), times x = 1", inputs=inputs)


@prop(CONCEPT, GT_MIN_MAX, "The loss lies between 0 and infinity: log(1 + e^-g) <= L_i <= log(1 + (C - 1) e^-g) for the correct class's lead g, so it tends to 0 as the correct class pulls ahead and grows without bound (beyond -g) as a wrong one does.")
@given(problem=st.one_of(problems_won_by_the_correct_class(), problems_won_by_a_wrong_class()))
@example(problem=BIG_LEAD)
@example(problem=(BIG_LEAD[0], BIG_LEAD[1], np.array([1, 0])))
def test_softmax_loss_is_between_0_and_infinity(softmax_loss_on_weights, problem):
    W, X, y = problem
    fname = softmax_loss_on_weights.__name__
    loss, _ = softmax_loss_on_weights(W, X, y, 0.0)
    lower, upper, g = _lead_bounds(W, X, y)
    tol = loss_tolerance(W, X, 0.0)
    inputs = {**inputs_of(W, X, y, 0.0), "lead g of the correct class": g}
    expect.holds(f"loss of {fname}", loss, loss >= lower - tol,
                 f"at least mean log(1 + e^-g) = {_digits(lower, loss)} (allowed {tol:.2g} below): never negative, "
                 "and more than the mean lead -g of a wrong class, without bound", inputs=inputs)
    expect.holds(f"loss of {fname}", loss, loss <= upper + tol,
                 f"at most mean log(1 + (C - 1) e^-g) = {_digits(upper, loss)} (allowed {tol:.2g} above), which "
                 "tends to 0 as the lead g grows", inputs=inputs)


@st.composite
def problems_and_offsets(draw):
    """((W, X, y), offsets): a problem and one offset of up to +-1000 per example."""
    W, X, y = draw(linear_problems())
    return (W, X, y), draw(row_offsets(len(y)))


@prop(CONCEPT, I2DL, "The loss and dW stay finite and correct when every score of an example is offset by up to +-1000 (subtract each row's maximum before exp).")
@given(case=problems_and_offsets())
@example(case=((GT_W, GT_X, GT_Y), np.array([1000.0, -1000.0, 1000.0])))
def test_softmax_loss_is_finite_for_scores_of_magnitude_1000(softmax_loss_on_weights, case):
    (W, X, y), offsets = case
    fname = softmax_loss_on_weights.__name__
    # A last column of X holding one offset per example and a row of ones in W add the offset to every score of
    # that example: exp() of the raw scores overflows (or underflows to 0 / 0), softmax does not change.
    X, W = np.hstack([X, offsets[:, None]]), np.vstack([W, np.ones(W.shape[1])])
    loss, dW = softmax_loss_on_weights(W, X, y, 0.0)
    inputs = inputs_of(W, X, y, 0.0)
    expect.holds(f"loss of {fname}", loss, np.isfinite(loss), "finite (subtract each row's maximum before exp)",
                 inputs=inputs)
    expect.holds(f"dW of {fname}", dW, np.isfinite(dW), "finite (subtract each row's maximum before exp)",
                 inputs=inputs)
    expect.close(f"loss of {fname}", loss, trusted_softmax_loss(W, X, y, 0.0), atol=loss_tolerance(W, X, 0.0),
                 why="-mean log softmax(X @ W)[i, y[i]]", inputs=inputs)
    expect.close(f"dW of {fname}", dW, trusted_softmax_gradient(W, X, y, 0.0), atol=gradient_tolerance(W, X, 0.0),
                 why="X.T @ (softmax(X @ W) - onehot(y)) / N", inputs=inputs)


@prop(CONCEPT, CS231N_ASSIGNMENT, "dW is the gradient of the loss (with reg >= 0): it matches centered finite differences.")
@given(problem=linear_problems(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)
# dW[0, 0] = 0 here, but the third derivative along W[0, 0] is 1000 * 2/27 = 74: truncation error alone, 1.2e-9.
@example(problem=(np.zeros((1, 3)), np.full((3, 1), 10.0), np.array([0, 1, 1])), reg=0.0)
def test_softmax_gradient_matches_finite_differences(softmax_loss_on_weights, problem, reg):
    W, X, y = problem
    _, dW = softmax_loss_on_weights(W, X, y, reg)
    # Rounding: a loss near 0 is a log-sum-exp minus a score, both of size up to S + log C, plus the reg term; that
    # size S' sets the error of each evaluation, and check_gradient's own rule allows SAFETY * EPS * S' / step for it
    # (step >= h = 1e-5). Truncation: the central difference is off by step^2 / 6 times the third derivative along
    # W[d, c], mean_i X[i, d]^3 k3(p[i, c]) with |k3| = |p (1 - p)(1 - 2p)| <= 1 / (6 sqrt 3). Where that entry of
    # the gradient is 0 (W = 0 with balanced labels, say) rtol does not cover it, so atol carries it too, doubled:
    # with |x| <= 10 and step <= 2e-5, at most 1.3e-8.
    h = 1e-5
    scale = _size(W, X) + reg * np.sum(W * W)
    step = h * max(1.0, float(np.abs(W).max(initial=0.0)))
    truncation = 2 * step**2 / 6 * float(np.abs(X).max(initial=0.0)) ** 3 / (6 * np.sqrt(3))
    check_gradient(lambda V: softmax_loss_on_weights(V, X, y, reg)[0], W, dW, h=h,
                   atol=SAFETY * EPS * scale / h + truncation,
                   name=f"dW of {softmax_loss_on_weights.__name__}(W, X, y, reg={reg:g})")


@prop(CONCEPT, GT_REG, "Regularization adds exactly reg * sum(W**2) to the loss, whatever N (the batch, or the batch repeated twice), and 2 * reg * W to dW: with X = 0 that is all of dW (not reg * W).")
@given(problem=linear_problems(), reg=positive_regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)
def test_softmax_regularization_adds_reg_sum_of_squares_and_2_reg_W(softmax_loss_on_weights, problem, reg):
    check_regularization(softmax_loss_on_weights, *problem, reg, loss_tolerance)


@prop(CONCEPT, GT, "The loss and dW are averages over the batch: repeating every example leaves them unchanged.")
@given(problem=linear_problems(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)
def test_softmax_loss_is_a_batch_average(softmax_loss_on_weights, problem, reg):
    check_batch_average(softmax_loss_on_weights, *problem, reg, loss_tolerance, gradient_tolerance)


@prop(CONCEPT, CS231N_ASSIGNMENT, "softmax_loss_naive and softmax_loss_vectorized agree on the loss and on dW.")
@given(problem=linear_problems(), reg=regularization_strengths())
@example(problem=(GT_W, GT_X, GT_Y), reg=0.5)  # square W: a transposed W does not crash here
def test_softmax_naive_and_vectorized_agree(softmax_loss_naive, softmax_loss_vectorized, problem, reg):
    check_versions_agree(softmax_loss_naive, softmax_loss_vectorized, *problem, reg, loss_tolerance, gradient_tolerance)


# Mutants: the softmax loss on weights as students get it wrong. The naive ones share CS231n's loop.


def _softmax_loops(W, X, y, *, shift=True, minus_one=True, W_by_rows=False, log_epsilon=0.0):
    """CS231n's softmax_loss_naive loop, with its usual slips as switches: the summed data loss and dW."""
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(X.shape[0]):
        if W_by_rows:  # the lecture's (C, D) layout: row j of W as class j's template
            scores = np.array([W[j].dot(X[i]) for j in range(W.shape[1])])
        else:
            scores = X[i].dot(W)
        if shift:
            scores = scores - np.max(scores)
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss += -np.log(p[y[i]] + log_epsilon)
        for j in range(W.shape[1]):
            dW[:, j] += (p[j] - (minus_one and j == y[i])) * X[i]
    return loss, dW


def _finish(loss, dW, W, reg, n):
    return loss / n + reg * np.sum(W * W), dW / n + 2 * reg * W


@mutant(of=NAIVE, kills=[test_softmax_naive_and_vectorized_agree, test_softmax_loss_matches_the_worked_examples])
def softmax_naive_indexing_W_by_rows(W, X, y, reg):
    """scores[j] = W[j].dot(X[i]): the lecture's row-per-class W inside the contract's (D, C) one; wrong on square W
    and a crash otherwise."""
    return _finish(*_softmax_loops(W, X, y, W_by_rows=True), W, reg, len(y))


@mutant(of=NAIVE, kills=[test_softmax_loss_is_finite_for_scores_of_magnitude_1000])
def softmax_naive_without_max_shift(W, X, y, reg):
    """exp() of the raw scores: inf / inf = nan once a score passes 709."""
    return _finish(*_softmax_loops(W, X, y, shift=False), W, reg, len(y))


@mutant(of=NAIVE, kills=[test_softmax_gradient_matches_finite_differences, test_softmax_naive_and_vectorized_agree,
                         test_softmax_loss_matches_the_worked_examples])
def softmax_naive_gradient_missing_minus_one(W, X, y, reg):
    """dW[:, j] += p[j] * X[i] for every class: the -1 on the correct class forgotten."""
    return _finish(*_softmax_loops(W, X, y, minus_one=False), W, reg, len(y))


@mutant(of=NAIVE, kills=[test_softmax_regularization_adds_reg_sum_of_squares_and_2_reg_W,
                         test_softmax_gradient_matches_finite_differences])
def softmax_naive_reg_gradient_without_the_2(W, X, y, reg):
    """dW += reg * W: the factor 2 forgotten."""
    loss, dW = _softmax_loops(W, X, y)
    return loss / len(y) + reg * np.sum(W * W), dW / len(y) + reg * W


@mutant(of=NAIVE, kills=[test_softmax_regularization_adds_reg_sum_of_squares_and_2_reg_W])
def softmax_naive_dividing_by_N_after_adding_reg(W, X, y, reg):
    """The regularization added before dividing by N: reg * sum(W**2) / N."""
    loss, dW = _softmax_loops(W, X, y)
    return (loss + reg * np.sum(W * W)) / len(y), (dW + 2 * reg * W) / len(y)


@mutant(of=NAIVE, kills=[test_softmax_loss_is_a_batch_average, test_softmax_loss_of_zero_weights_is_log_C,
                         test_softmax_loss_matches_the_worked_examples,
                         test_softmax_loss_is_the_negative_log_likelihood])
def softmax_naive_summed_not_averaged(W, X, y, reg):
    """The loss and dW summed over the examples, never divided by N."""
    return _finish(*_softmax_loops(W, X, y), W, reg, 1)


@mutant(of=NAIVE, kills=[test_softmax_loss_is_between_0_and_infinity, test_softmax_loss_is_the_negative_log_likelihood])
def softmax_naive_with_epsilon_in_the_log(W, X, y, reg):
    """-log(p + 1e-10) "to avoid log(0)": negative once p rounds to 1, and never above -log(1e-10) = 23."""
    return _finish(*_softmax_loops(W, X, y, log_epsilon=1e-10), W, reg, len(y))


def _vectorized_parts(W, X, y, shift=True):
    s = X @ W
    if shift:
        s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    G = p.copy()
    G[np.arange(len(y)), y] -= 1.0
    return p, G


@mutant(of=VECTORIZED, kills=[test_softmax_loss_is_finite_for_scores_of_magnitude_1000])
def softmax_vectorized_without_max_shift(W, X, y, reg):
    """exp() of the raw scores: inf / inf = nan once a score passes 709."""
    p, G = _vectorized_parts(W, X, y, shift=False)
    n = len(y)
    return -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W), X.T @ G / n + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_softmax_gradient_matches_finite_differences,
                              test_softmax_naive_and_vectorized_agree,
                              test_softmax_loss_matches_the_worked_examples])
def softmax_vectorized_gradient_missing_minus_one(W, X, y, reg):
    """dW = X.T @ p / N: the one-hot never subtracted."""
    p, _ = _vectorized_parts(W, X, y)
    n = len(y)
    return -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W), X.T @ p / n + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_softmax_gradient_matches_finite_differences,
                              test_softmax_loss_is_a_batch_average, test_softmax_naive_and_vectorized_agree])
def softmax_vectorized_gradient_not_divided_by_N(W, X, y, reg):
    """The loss is averaged over N, its gradient X.T @ (p - onehot) is not."""
    p, G = _vectorized_parts(W, X, y)
    n = len(y)
    return -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W), X.T @ G + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_softmax_regularization_adds_reg_sum_of_squares_and_2_reg_W,
                              test_softmax_gradient_matches_finite_differences])
def softmax_vectorized_reg_gradient_without_the_2(W, X, y, reg):
    """dW += reg * W: the factor 2 forgotten."""
    p, G = _vectorized_parts(W, X, y)
    n = len(y)
    return -np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W), X.T @ G / n + reg * W


@mutant(of=VECTORIZED, kills=[test_softmax_regularization_adds_reg_sum_of_squares_and_2_reg_W])
def softmax_vectorized_reg_divided_by_N(W, X, y, reg):
    """(data + reg * sum(W**2)) / N: the penalty shrinks as the batch grows."""
    p, G = _vectorized_parts(W, X, y)
    n = len(y)
    return (-np.log(p[np.arange(n), y]).sum() + reg * np.sum(W * W)) / n, (X.T @ G + 2 * reg * W) / n


@mutant(of=VECTORIZED, kills=[test_softmax_loss_is_a_batch_average,
                              test_softmax_loss_of_zero_weights_is_log_C,
                              test_softmax_loss_matches_the_worked_examples,
                              test_softmax_loss_is_the_negative_log_likelihood])
def softmax_vectorized_summed_not_averaged(W, X, y, reg):
    """The data loss and its gradient summed over the examples, not averaged."""
    p, G = _vectorized_parts(W, X, y)
    return -np.log(p[np.arange(len(y)), y]).sum() + reg * np.sum(W * W), X.T @ G + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_softmax_loss_is_between_0_and_infinity,
                              test_softmax_loss_is_the_negative_log_likelihood])
def softmax_vectorized_with_clipped_log(W, X, y, reg):
    """-log(clip(p, 1e-15, 1)) "to avoid log(0)": each example's loss capped at 34.5."""
    p, G = _vectorized_parts(W, X, y)
    n = len(y)
    loss = -np.log(np.clip(p[np.arange(n), y], 1e-15, 1.0)).mean()
    return loss + reg * np.sum(W * W), X.T @ G / n + 2 * reg * W


@mutant(of=VECTORIZED, kills=[test_softmax_loss_is_between_0_and_infinity,
                              test_softmax_loss_of_zero_weights_is_log_C,
                              test_softmax_loss_is_the_negative_log_likelihood])
def softmax_vectorized_without_the_minus(W, X, y, reg):
    """mean(log p_y): the log-likelihood itself, to be maximized, not its negative."""
    p, G = _vectorized_parts(W, X, y)
    n = len(y)
    return np.log(p[np.arange(n), y]).mean() + reg * np.sum(W * W), X.T @ G / n + 2 * reg * W


# Correct alternatives: written another way, they must pass every property above.


@alternative(of=NAIVE)
def softmax_naive_by_logsumexp(W, X, y, reg):
    """One example at a time with scipy.special.logsumexp; p = exp(s - lse); the penalty by np.vdot."""
    n, c = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(n):
        scores = X[i] @ W
        lse = scipy.special.logsumexp(scores)
        loss += lse - scores[y[i]]
        for j in range(c):
            dW[:, j] += (np.exp(scores[j] - lse) - (1.0 if j == y[i] else 0.0)) * X[i]
    return loss / n + reg * np.vdot(W, W), dW / n + reg * 2 * W


@alternative(of=NAIVE)
def softmax_naive_from_probabilities(W, X, y, reg):
    """CS231n's solution style: probabilities of the shifted scores, then -log of the correct one; dW per example by
    an outer product."""
    n = X.shape[0]
    loss, dW = 0.0, np.zeros(W.shape)
    for i in range(n):
        scores = X[i].dot(W)
        scores -= scores.max()
        probs = np.exp(scores) / np.sum(np.exp(scores))
        loss -= np.log(probs[y[i]])
        probs[y[i]] -= 1
        dW += np.outer(X[i], probs)
    loss /= n
    dW /= n
    loss += reg * np.sum(W * W)
    dW += 2 * reg * W
    return loss, dW


@alternative(of=VECTORIZED)
def softmax_vectorized_with_one_hot(W, X, y, reg):
    """log-softmax, a one-hot matrix of the labels, the loss as -sum(onehot * log p) / N; a 0-d array as the loss."""
    n, c = X.shape[0], W.shape[1]
    s = X.dot(W)
    log_p = s - s.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    onehot = np.eye(c)[y]
    loss = np.asarray(-(onehot * log_p).sum() / n + reg * np.linalg.norm(W) ** 2)
    return loss, X.T.dot(np.exp(log_p) - onehot) / n + (W + W) * reg
