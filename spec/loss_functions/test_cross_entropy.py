"""The softmax (cross-entropy) loss on scores: softmax_loss(x, y) -> (loss, dx).

L = (1/N) sum_i -log softmax(x)[i, y[i]],  dx = (softmax(x) - onehot(y)) / N.
"""

import numpy as np
import scipy.special
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.loss_functions import CAT_CAR_FROG_LABELS, CAT_CAR_FROG_SCORES
from spec.loss_functions.batch_average import check_loss_is_a_batch_average
from spec.property import alternative, mutant, prop
from spec.strategies import equal_score_batches, row_offsets, scores_and_labels, scores_with_a_leading_correct_class

CONCEPT = "cross-entropy loss"
I2DL = "TUM I2DL lecture 6 recap, slides 27-32 (cross-entropy worked example)"
GT = "Georgia Tech CS 4803/7643, linear classifiers: softmax loss, 'at initialization what is the loss?'"
CS231N = "CS231n lecture 4 (2015): 'when W = 0, what is the CIFAR-10 loss for softmax?'"

LECTURE_SCORES, LECTURE_LABELS = CAT_CAR_FROG_SCORES, CAT_CAR_FROG_LABELS


def trusted_losses(x, y):
    """Per-example -log softmax(x)[i, y[i]], by the stable log-sum-exp: the definition, computed here."""
    m = x.max(axis=1)
    lse = m + np.log(np.exp(x - m[:, None]).sum(axis=1))
    return lse - x[np.arange(len(y)), y]


def loss_tolerance(x) -> float:
    """Absolute error allowed in the mean loss of a correct float64 implementation.

    Each example's loss is a log-sum-exp minus a score, both of size up to 2 max|x| + log C, each rounded to within
    a few u = EPS/2 of that size; averaging N of them adds (N - 1) u relative. So |error| <= u (N + 3)(2 max|x| +
    log C + 1); the factor 4 over that is the safety margin: 2 EPS (N + 3)(2 max|x| + log C + 1).
    """
    n, c = x.shape
    return 2 * EPS * (n + 3) * (2 * np.abs(x).max() + np.log(c) + 1)


@prop(CONCEPT, GT, "With all scores equal, every class has probability 1/C and the loss is log C (log 10 = 2.3026 for CIFAR-10).")
@given(xy=equal_score_batches())
@example(xy=(np.zeros((1, 10)), np.array([3])))  # CS231n: W = 0 on CIFAR-10 gives -ln(0.1) = 2.302585
def test_cross_entropy_of_equal_scores_is_log_C(softmax_loss, xy):
    x, y = xy
    c = x.shape[1]
    loss, _ = softmax_loss(x, y)
    expect.close("loss", loss, np.log(c), atol=loss_tolerance(x), why=f"log C = log {c}", inputs={"x": x, "y": y})


@prop(CONCEPT, I2DL, "The cross-entropy loss is never negative: -log of a probability is >= 0.")
@given(xy=scores_and_labels())
@example(xy=(LECTURE_SCORES, LECTURE_LABELS))
def test_cross_entropy_is_nonnegative(softmax_loss, xy):
    x, y = xy
    loss, _ = softmax_loss(x, y)
    expect.holds("loss", loss, loss >= -loss_tolerance(x), "at least 0", inputs={"x": x, "y": y})


@prop(CONCEPT, GT, "As the correct score pulls ahead by g, each example's loss shrinks to 0: log(1 + e^-g) <= L_i <= log(1 + (C-1) e^-g).")
@given(xyg=scores_with_a_leading_correct_class())
def test_cross_entropy_vanishes_as_the_correct_score_grows(softmax_loss, xyg):
    x, y, gaps = xyg
    c = x.shape[1]
    loss, _ = softmax_loss(x, y)
    # The nearest competitor alone contributes e^-g; all C - 1 at most (C - 1) e^-g.
    lower, upper = np.log1p(np.exp(-gaps)).mean(), np.log1p((c - 1) * np.exp(-gaps)).mean()
    tol = loss_tolerance(x)
    inputs = {"x": x, "y": y, "lead of the correct score": gaps}
    expect.holds("loss", loss, loss >= lower - tol, f"at least mean log(1 + e^-g) = {lower:.6g}", inputs=inputs)
    expect.holds("loss", loss, loss <= upper + tol, f"at most mean log(1 + (C-1) e^-g) = {upper:.6g}", inputs=inputs)


@prop(CONCEPT, I2DL, "The loss is the mean over examples of -log softmax(x)[i, y[i]], the negative log-probability of the correct class.")
@given(xy=scores_and_labels(magnitude=300.0))  # spreads up to 600: p stays a normal float, -log p exact by any route
@example(xy=(LECTURE_SCORES, LECTURE_LABELS))
@example(xy=(np.array([[0.0, 40.0]]), np.array([0])))  # loss 40: clipping p at 1e-15 caps it at 34.5
def test_cross_entropy_is_the_mean_negative_log_probability_of_the_correct_class(softmax_loss, xy):
    x, y = xy
    loss, _ = softmax_loss(x, y)
    expect.close("loss", loss, trusted_losses(x, y).mean(), atol=loss_tolerance(x), why="mean of -log p[i, y[i]]",
                 inputs={"x": x, "y": y})


@prop(CONCEPT, I2DL, "The lecture's batch: scores (3.2, 5.1, -1.7), (1.3, 4.9, 2.0), (2.2, 2.5, -3.1) for cat, car, frog give losses 2.04, 0.079, 6.156 averaging 2.76.")
def test_cross_entropy_matches_the_lecture_example(softmax_loss):
    # Slide 32's per-example numbers, to more places: -log(24.5325 / 188.7371) = 2.040355, then 0.079132 and 6.156477.
    expected = [2.04035515, 0.07913178, 6.15647720]
    for i, value in enumerate(expected):
        x, y = LECTURE_SCORES[i : i + 1], LECTURE_LABELS[i : i + 1]
        expect.close("loss", softmax_loss(x, y)[0], value, atol=5e-9, why=f"example {i} of the lecture",
                     inputs={"x": x, "y": y})
    loss, _ = softmax_loss(LECTURE_SCORES, LECTURE_LABELS)
    expect.close("loss", loss, 2.75865471, atol=5e-9, why="the lecture's batch average 2.76",
                 inputs={"x": LECTURE_SCORES, "y": LECTURE_LABELS})


@prop(CONCEPT, I2DL, "Softmax loss is numerically stable: scores offset by as much as ±1000 give a finite, correct loss and gradient.")
@given(xy=scores_and_labels(), data=st.data())
@example(xy=(np.array([[0.0, -1.0], [1.0, 0.0]]), np.array([1, 1])), data=None)
def test_cross_entropy_is_finite_for_scores_of_magnitude_1000(softmax_loss, xy, data):
    x, y = xy
    # Every row moves by up to ±1000: exp() overflows unless each row's maximum is subtracted first. The spread
    # within a row stays under 20, so -log p[i, y[i]] computed from probabilities does not underflow either (that
    # takes a spread over 745, and the course's reference solution computes it that way).
    offsets = data.draw(row_offsets(len(x)), label="offsets") if data is not None else np.array([1000.0, -1000.0])
    x = x + offsets[:, None]
    loss, dx = softmax_loss(x, y)
    inputs = {"x": x, "y": y}
    expect.holds("dx", dx, np.isfinite(dx), "finite (subtract each row's maximum before exp)", inputs=inputs)
    expect.close("loss", loss, trusted_losses(x, y).mean(), atol=loss_tolerance(x), why="mean of -log p[i, y[i]]",
                 inputs=inputs)


@prop(CONCEPT, I2DL, "dx is the gradient of the loss: it matches centered finite differences.")
@given(xy=scores_and_labels())
@example(xy=(LECTURE_SCORES, LECTURE_LABELS))
def test_cross_entropy_gradient_matches_finite_differences(softmax_loss, xy):
    x, y = xy
    _, dx = softmax_loss(x, y)
    # The loss is log-sum-exp (up to max|x| + log C) minus a score (up to max|x|): a small loss is a difference of
    # much larger numbers, and those set its rounding error.
    scale = 2 * np.abs(x).max() + np.log(x.shape[1])
    check_gradient(lambda z: softmax_loss(z, y)[0], x, dx, value_scale=scale, name="dx of softmax_loss(x, y)")


@prop(CONCEPT, GT, "Each row of dx sums to 0: raising every score of an example by the same amount does not change the loss.")
@given(xy=scores_and_labels())
def test_cross_entropy_gradient_rows_sum_to_zero(softmax_loss, xy):
    x, y = xy
    n, c = x.shape
    _, dx = softmax_loss(x, y)
    # Row i of dx is (p_i - onehot) / N: its sum is (sum p_i - 1) / N, within (2C + 1) u / N (see test_softmax's
    # sum_tolerance), plus C u / N for rounding the entries and summing them. 4 EPS (C + 1) / N is twice that.
    expect.close("dx.sum(axis=1)", dx.sum(axis=1), 0.0, atol=4 * EPS * (c + 1) / n, inputs={"x": x, "y": y})


@prop(CONCEPT, GT, "The loss is an average: the batch repeated twice gives the same loss, and half the gradient per copy.")
@given(xy=scores_and_labels())
def test_cross_entropy_is_unchanged_by_duplicating_the_batch(softmax_loss, xy):
    x, y = xy
    # The doubled batch's loss carries the tolerance of 2N examples. Each dx entry is p / N with p within (C + 1) u
    # relative (test_softmax.sum_tolerance): 4 EPS (C + 1) relative, plus EPS / 2N for entries that round to ~0.
    check_loss_is_a_batch_average(softmax_loss, x, y, loss_atol=2 * loss_tolerance(np.concatenate([x, x])),
                                  dx_rtol=4 * EPS * (x.shape[1] + 1), dx_atol=EPS / (2 * len(x)))


# Mutants: the softmax loss as students get it wrong.


def _probs(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _gradient(p, y):
    d = p.copy()
    d[np.arange(len(y)), y] -= 1
    return d / len(y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_of_equal_scores_is_log_C, test_cross_entropy_is_finite_for_scores_of_magnitude_1000])
def softmax_loss_without_max_shift(x, y):
    """exp() of the raw scores: inf / inf = nan once a score nears 1000."""
    e = np.exp(x)
    p = e / e.sum(axis=1, keepdims=True)
    return -np.log(p[np.arange(len(y)), y]).mean(), _gradient(p, y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_of_equal_scores_is_log_C, test_cross_entropy_is_the_mean_negative_log_probability_of_the_correct_class, test_cross_entropy_vanishes_as_the_correct_score_grows, test_cross_entropy_matches_the_lecture_example])
def softmax_loss_with_log10(x, y):
    """np.log10 instead of the natural log."""
    p = _probs(x)
    return -np.log10(p[np.arange(len(y)), y]).mean(), _gradient(p, y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_is_unchanged_by_duplicating_the_batch, test_cross_entropy_of_equal_scores_is_log_C])
def softmax_loss_summed_not_averaged(x, y):
    """Sums the per-example losses and gradients instead of averaging them over N."""
    p = _probs(x)
    return -np.log(p[np.arange(len(y)), y]).sum(), _gradient(p, y) * len(y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_is_nonnegative, test_cross_entropy_of_equal_scores_is_log_C])
def softmax_loss_without_minus_sign(x, y):
    """The mean log-probability, without the minus: a likelihood to maximize, not a loss to minimize."""
    p = _probs(x)
    return np.log(p[np.arange(len(y)), y]).mean(), _gradient(p, y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_is_the_mean_negative_log_probability_of_the_correct_class, test_cross_entropy_vanishes_as_the_correct_score_grows])
def softmax_loss_indexing_columns_by_label(x, y):
    """p[:, y] instead of p[range(N), y]: an (N, N) block, averaged over every example for every label."""
    p = _probs(x)
    return -np.log(p[:, y]).mean(), _gradient(p, y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_is_the_mean_negative_log_probability_of_the_correct_class])
def softmax_loss_with_clipped_log(x, y):
    """-log(clip(p, 1e-15, 1)) "to avoid log(0)": caps each example's loss at 34.5."""
    p = _probs(x)
    return -np.log(np.clip(p[np.arange(len(y)), y], 1e-15, 1.0)).mean(), _gradient(p, y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_gradient_matches_finite_differences, test_cross_entropy_gradient_rows_sum_to_zero])
def softmax_loss_gradient_missing_minus_one(x, y):
    """dx = softmax(x) / N, forgetting to subtract 1 at the correct class."""
    p = _probs(x)
    return -np.log(p[np.arange(len(y)), y]).mean(), p / len(y)


@mutant(of="softmax_loss", kills=[test_cross_entropy_gradient_matches_finite_differences, test_cross_entropy_is_unchanged_by_duplicating_the_batch])
def softmax_loss_gradient_not_averaged(x, y):
    """The loss is averaged over N but the gradient is not."""
    p = _probs(x)
    return -np.log(p[np.arange(len(y)), y]).mean(), _gradient(p, y) * len(y)


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="softmax_loss")
def softmax_loss_with_loops(x, y):
    """CS231n's softmax_loss_naive style: one example at a time, the gradient accumulated in loops."""
    n, c = x.shape
    loss, dx = 0.0, np.zeros_like(x)
    for i in range(n):
        shifted = x[i] - np.max(x[i])
        probs = np.exp(shifted) / np.sum(np.exp(shifted))
        loss += -np.log(probs[y[i]])
        for j in range(c):
            dx[i, j] += (probs[j] - (j == y[i])) / n
    return loss / n, dx


@alternative(of="softmax_loss")
def softmax_loss_by_logsumexp(x, y):
    """logsumexp(x_i) - x_{i, y_i}, with take_along_axis; returns a 0-d array as the loss."""
    lse = scipy.special.logsumexp(x, axis=1)
    loss = np.mean(lse - np.take_along_axis(x, y[:, None], axis=1)[:, 0], keepdims=True).reshape(())
    dx = np.exp(x - lse[:, None])
    dx[np.arange(len(y)), y] -= 1.0
    return loss, dx / len(y)


@alternative(of="softmax_loss")
def softmax_loss_with_one_hot(x, y):
    """A one-hot matrix of the labels, the loss as -sum(onehot * log p) / N."""
    log_p = x - x.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    onehot = np.eye(x.shape[1])[y]
    return -(onehot * log_p).sum() / len(y), (np.exp(log_p) - onehot) / len(y)
