"""The multiclass SVM (hinge) loss on scores: svm_loss(x, y) -> (loss, dx), margin 1.

L = (1/N) sum_i sum_{j != y[i]} max(0, x[i, j] - x[i, y[i]] + 1).
"""

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.loss_functions import CAT_CAR_FROG_LABELS, CAT_CAR_FROG_SCORES
from spec.loss_functions.batch_average import check_loss_is_a_batch_average
from spec.property import alternative, mutant, prop
from spec.strategies import (
    batch_sizes,
    class_counts,
    equal_score_batches,
    labels_for,
    scores_and_labels,
    scores_with_a_leading_correct_class,
)

CONCEPT = "hinge loss"
GT = "Georgia Tech CS 4803/7643, linear classifiers: multiclass SVM loss (worked example 2.9, 0, 12.9)"
I2DL = "TUM I2DL lecture 6 recap, slides 33-36 (hinge loss)"
CS231N = "CS231n lecture 4 (2015): 'when W = 0, what is the CIFAR-10 loss for SVM?'"

LECTURE_SCORES, LECTURE_LABELS = CAT_CAR_FROG_SCORES, CAT_CAR_FROG_LABELS


def trusted_hinge(x, y):
    """Per-example sum over j != y[i] of max(0, x[i, j] - x[i, y[i]] + 1): the definition, computed here."""
    margins = np.maximum(0.0, x - x[np.arange(len(y)), y][:, None] + 1.0)
    margins[np.arange(len(y)), y] = 0.0
    return margins.sum(axis=1)


def loss_tolerance(x) -> float:
    """Absolute error allowed in the mean hinge loss of a correct float64 implementation.

    Each margin x_j - x_y + 1 is rounded to within u (2 max|x| + 1) (u = EPS/2); summing C - 1 of them and
    averaging N rows adds (C + N) u relative to a total of at most (C - 1)(2 max|x| + 1). Together under
    u (C + N + 2) C (2 max|x| + 1); with a safety factor of 2: EPS (C + N + 2) C (2 max|x| + 1).
    """
    n, c = x.shape
    return EPS * (c + n + 2) * c * (2 * np.abs(x).max() + 1)


@st.composite
def scores_away_from_kinks(draw, distance=1e-3):
    """(x, y) with every margin x_j - x_y + 1 (j != y) at least `distance` away from 0, where the loss has a kink."""
    n, c = draw(batch_sizes()), draw(class_counts())
    x = draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-10, 10, allow_subnormal=False)))
    y = draw(labels_for(n, c))
    margins = x - x[np.arange(n), y][:, None] + 1.0
    margins[np.arange(n), y] = 1.0
    assume(np.abs(margins).min() >= distance)
    return x, y


@prop(CONCEPT, GT, "Once the correct score beats every other by the margin 1, the loss and its gradient are 0, and they stay 0 when all scores are doubled.")
# Leads of exactly 1 sit on the margin; the others clear it by at least 1e-3.
@given(xyl=scores_with_a_leading_correct_class(leads=st.one_of(st.just(1.0), st.floats(1.001, 11))))
def test_hinge_loss_is_zero_past_the_margin(svm_loss, xyl):
    x, y, lead = xyl
    inputs = {"x": x, "y": y}
    for name, scores in (("x", x), ("2x", 2 * x)):
        loss, dx = svm_loss(scores, y)
        expect.close(f"loss of {name}", loss, 0.0, atol=loss_tolerance(scores), why="every margin is met", inputs=inputs)
        clear = lead > 1.0  # exactly on the margin the loss has a kink and any subgradient is allowed
        expect.equal(f"dx of {name}", np.where(clear[:, None], dx, 0.0), 0.0,
                     why="the loss is flat where the correct score leads by more than the margin", inputs=inputs)


@prop(CONCEPT, CS231N, "With all scores equal (W = 0), every wrong class misses the margin by exactly 1: the loss is C - 1 (9 for CIFAR-10).")
@given(xy=equal_score_batches())
@example(xy=(np.zeros((1, 10)), np.array([3])))  # CS231n: W = 0 on CIFAR-10 gives 9
def test_hinge_loss_of_equal_scores_is_C_minus_1(svm_loss, xy):
    x, y = xy
    c = x.shape[1]
    loss, _ = svm_loss(x, y)
    expect.close("loss", loss, c - 1.0, atol=loss_tolerance(x), why=f"C - 1 = {c - 1}", inputs={"x": x, "y": y})


@prop(CONCEPT, I2DL, "The loss is the mean over examples of the sum over the wrong classes j != y[i] of max(0, x[i, j] - x[i, y[i]] + 1).")
@given(xy=scores_and_labels())
@example(xy=(LECTURE_SCORES, LECTURE_LABELS))
def test_hinge_loss_sums_margins_over_the_wrong_classes(svm_loss, xy):
    x, y = xy
    loss, _ = svm_loss(x, y)
    expect.close("loss", loss, trusted_hinge(x, y).mean(), atol=loss_tolerance(x),
                 why="mean over i of sum over j != y[i] of max(0, x[i, j] - x[i, y[i]] + 1)", inputs={"x": x, "y": y})


@prop(CONCEPT, GT, "The lecture's batch: cat, car and frog scores give hinge losses 2.9, 0 and 12.9, averaging 5.27.")
def test_hinge_loss_matches_the_lecture_example(svm_loss):
    # 2.9 = max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1); 0 for the car; 12.9 = 6.3 + 6.6; mean 15.8 / 3.
    for i, value in enumerate([2.9, 0.0, 12.9]):
        x, y = LECTURE_SCORES[i : i + 1], LECTURE_LABELS[i : i + 1]
        expect.close("loss", svm_loss(x, y)[0], value, atol=loss_tolerance(x), why=f"example {i} of the lecture",
                     inputs={"x": x, "y": y})
    loss, _ = svm_loss(LECTURE_SCORES, LECTURE_LABELS)
    expect.close("loss", loss, 15.8 / 3, atol=loss_tolerance(LECTURE_SCORES), why="the lecture's average 5.27",
                 inputs={"x": LECTURE_SCORES, "y": LECTURE_LABELS})


@prop(CONCEPT, GT, "Away from its kinks, dx is the gradient of the hinge loss: it matches centered finite differences.")
@given(xy=scores_away_from_kinks())
@example(xy=(LECTURE_SCORES, LECTURE_LABELS))
def test_hinge_loss_gradient_matches_finite_differences(svm_loss, xy):
    x, y = xy
    _, dx = svm_loss(x, y)
    # Steps of at most 1e-5 * max(1, 10) cannot cross a kink 1e-3 away: the loss is linear around x.
    # Each of the C - 1 margins x_j - x_y + 1 is computed from numbers up to 2 max|x| + 1 in size.
    scale = (x.shape[1] - 1) * (2 * np.abs(x).max() + 1)
    check_gradient(lambda z: svm_loss(z, y)[0], x, dx, value_scale=scale, name="dx of svm_loss(x, y)")


@prop(CONCEPT, GT, "Each row of dx sums to 0: the correct class gets minus the count of wrong classes that miss the margin.")
@given(xy=scores_and_labels())
@example(xy=(LECTURE_SCORES, LECTURE_LABELS))
def test_hinge_loss_gradient_rows_sum_to_zero(svm_loss, xy):
    x, y = xy
    n, c = x.shape
    _, dx = svm_loss(x, y)
    # Entries are k / N for small integers k: each rounded to within u |k| / N, and their sum within C u C / N more.
    expect.close("dx.sum(axis=1)", dx.sum(axis=1), 0.0, atol=EPS * c * c / n, inputs={"x": x, "y": y})


@prop(CONCEPT, GT, "The loss is an average: the batch repeated twice gives the same loss, and half the gradient per copy.")
@given(xy=scores_and_labels())
def test_hinge_loss_is_unchanged_by_duplicating_the_batch(svm_loss, xy):
    x, y = xy
    # dx entries are small integers over N (see the row-sum property): halving them is exact up to C u / 2N.
    check_loss_is_a_batch_average(svm_loss, x, y, loss_atol=2 * loss_tolerance(np.concatenate([x, x])),
                                  dx_atol=EPS * x.shape[1] / (2 * len(x)))


# Mutants: the hinge loss as students get it wrong.


def _margins(x, y):
    return np.maximum(0.0, x - x[np.arange(len(y)), y][:, None] + 1.0)


def _gradient(margins, y):
    active = (margins > 0).astype(float)
    active[np.arange(len(y)), y] = 0.0
    active[np.arange(len(y)), y] = -active.sum(axis=1)
    return active / len(y)


@mutant(of="svm_loss", kills=[test_hinge_loss_is_zero_past_the_margin, test_hinge_loss_of_equal_scores_is_C_minus_1, test_hinge_loss_sums_margins_over_the_wrong_classes, test_hinge_loss_matches_the_lecture_example])
def svm_loss_including_the_correct_class(x, y):
    """Sums the margin over every class, the correct one too: max(0, x_y - x_y + 1) adds 1 per example."""
    margins = _margins(x, y)
    return margins.sum() / len(y), _gradient(margins, y)


@mutant(of="svm_loss", kills=[test_hinge_loss_sums_margins_over_the_wrong_classes, test_hinge_loss_matches_the_lecture_example, test_hinge_loss_is_zero_past_the_margin])
def svm_loss_with_margin_sign_flipped(x, y):
    """max(0, x_y - x_j + 1): penalizes the correct class for leading."""
    margins = np.maximum(0.0, x[np.arange(len(y)), y][:, None] - x + 1.0)
    margins[np.arange(len(y)), y] = 0.0
    return margins.sum() / len(y), _gradient(margins, y)


@mutant(of="svm_loss", kills=[test_hinge_loss_is_unchanged_by_duplicating_the_batch, test_hinge_loss_of_equal_scores_is_C_minus_1])
def svm_loss_summed_not_averaged(x, y):
    """Sums over the examples instead of averaging over N (loss and gradient)."""
    margins = _margins(x, y)
    margins[np.arange(len(y)), y] = 0.0
    return margins.sum(), _gradient(margins, y) * len(y)


@mutant(of="svm_loss", kills=[test_hinge_loss_gradient_matches_finite_differences, test_hinge_loss_gradient_rows_sum_to_zero])
def svm_loss_gradient_missing_the_correct_class(x, y):
    """Gives each violating class +1 but forgets the -count at the correct class."""
    margins = _margins(x, y)
    margins[np.arange(len(y)), y] = 0.0
    return margins.sum() / len(y), (margins > 0).astype(float) / len(y)


@mutant(of="svm_loss", kills=[test_hinge_loss_gradient_matches_finite_differences, test_hinge_loss_is_unchanged_by_duplicating_the_batch])
def svm_loss_gradient_not_averaged(x, y):
    """The loss is averaged over N but the gradient is not."""
    margins = _margins(x, y)
    margins[np.arange(len(y)), y] = 0.0
    return margins.sum() / len(y), _gradient(margins, y) * len(y)


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="svm_loss")
def svm_loss_with_loops(x, y):
    """CS231n's svm_loss_naive style: loops over examples and classes."""
    n, c = x.shape
    loss, dx = 0.0, np.zeros_like(x)
    for i in range(n):
        for j in range(c):
            if j == y[i]:
                continue
            margin = x[i, j] - x[i, y[i]] + 1
            if margin > 0:
                loss += margin
                dx[i, j] += 1.0 / n
                dx[i, y[i]] -= 1.0 / n
    return loss / n, dx


@alternative(of="svm_loss")
def svm_loss_counting_kinks_as_active(x, y):
    """Every class, the correct one too, then minus the margin 1 per example; at a kink (margin exactly 0) it
    takes the other subgradient (margin >= 0 counts as active)."""
    n = len(y)
    rows = np.arange(n)
    margins = x - x[rows, y][:, None] + 1.0
    loss = (np.maximum(0.0, margins).sum() - n) / n
    active = (margins >= 0).astype(np.float64)
    active[rows, y] = 0.0
    active[rows, y] = -active.sum(axis=1)
    return loss, active / n
