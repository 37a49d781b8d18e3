"""The regression losses L1 and L2: l1_loss / l2_loss(pred, target, reduction) -> (loss, dpred).

L1 = sum_i |pred[i] - target[i]|, L2 = sum_i (pred[i] - target[i])^2 (the lecture's sum of squared differences);
"mean" divides both by N (L2 then is the MSE). dpred = sign(pred - target) (0 where equal), resp. 2 (pred - target),
over N for the mean. The best constant prediction is the median of the targets under L1 and their mean under L2.
"""

import numpy as np
import scipy.optimize
from hypothesis import example, given

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.loss_functions.strategies import (
    predictions_and_targets,
    predictions_away_from_targets,
    predictions_meeting_targets,
    target_vectors,
)
from spec.property import alternative, mutant, prop

CONCEPT = "L1 and L2 losses"
I2DL = "TUM I2DL lecture 6 recap, slide 26 (naive losses: L2 and L1, optimum at the mean and at the median)"
I2DL3 = "TUM I2DL lecture 3, slide 8 (regression losses: L1 and MSE)"

REDUCTIONS = ("mean", "sum")

# The lecture's two 4x4 images (slide 26), flattened row by row: they differ only in the first row,
# (12, 24, 42, 23) against (15, 20, 40, 25).
IMAGE_A = np.array([12, 24, 42, 23, 34, 32, 5, 2, 12, 31, 12, 31, 31, 64, 5, 13], dtype=np.float64)
IMAGE_B = np.array([15, 20, 40, 25, 34, 32, 5, 2, 12, 31, 12, 31, 31, 64, 5, 13], dtype=np.float64)


def l1_rtol(n) -> float:
    """Relative error of a correct L1 loss, from either reduction, against the exact value.

    Each |d| is rounded once (u = EPS/2 relative), adding N nonnegative terms in any order adds (N - 1) u, the
    division of the mean u: (N + 1) u. The spec's own value carries as much again: 2 EPS (N + 1) = 4u (N + 1)
    is twice the sum of both.
    """
    return 2 * EPS * (n + 1)


def l2_rtol(n) -> float:
    """Relative error of a correct L2 loss against the exact value: each d is rounded once, d^2 doubles that and
    rounds once more (3u), the sum of N nonnegative terms adds (N - 1) u, the mean's division u; by a norm squared,
    the square root and the squaring add 2u: under (N + 4) u. Twice the sum of two such errors: 2 EPS (N + 4)."""
    return 2 * EPS * (n + 4)


# Below the smallest normal float, TINY = 2.2e-308, numbers keep an absolute spacing of 2^-1074 instead of u
# relative (gradual underflow): the square of a difference under 1.5e-154 loses its relative precision. The
# comparisons of losses and gradients also allow (N + 1) TINY: far above those absolute errors, and far below any
# value that does not underflow.
TINY = float(np.finfo(np.float64).tiny)


def best_constant(loss_fn, target):
    """The constant prediction c that minimizes loss_fn(c * ones(N), target), by scipy's bounded Brent search.

    scipy.optimize.fminbound stops when its bracket around the best point x has half-width at most
    tol2 = 2 (sqrt(EPS) |x| + xatol / 3), having kept the minimizer of a unimodal function inside the bracket: so x
    is within 2 tol1 = 2 sqrt(EPS) |x| + 2 xatol / 3 of it (as long as the function's rounding cannot reorder the
    values it compares: see the callers).
    """
    lo, hi = float(target.min()) - 1.0, float(target.max()) + 1.0
    result = scipy.optimize.minimize_scalar(
        lambda c: loss_fn(np.full(len(target), c), target)[0], bounds=(lo, hi), method="bounded",
        options={"xatol": 1e-12},
    )
    return float(result.x)


def search_tolerance(target) -> float:
    """Twice fminbound's own guarantee (see best_constant), with |x| <= max|target| + 1."""
    return 2 * (2 * np.sqrt(EPS) * (np.abs(target).max() + 1) + 1e-12)


@prop(CONCEPT, I2DL3, "The L1 loss is the sum of the absolute differences |pred - target|, or their mean (over N) with reduction='mean'.")
@given(pt=predictions_and_targets())
@example(pt=(IMAGE_A, IMAGE_B))
def test_l1_loss_is_the_sum_or_mean_of_absolute_differences(l1_loss, pt):
    pred, target = pt
    n = len(pred)
    total = np.abs(pred - target).sum()
    for reduction, expected in (("mean", total / n), ("sum", total)):
        loss, _ = l1_loss(pred, target, reduction=reduction)
        expect.close(f"loss ({reduction})", loss, expected, rtol=l1_rtol(n), atol=(n + 1) * TINY,
                     why=f"{reduction} of |pred - target|", inputs={"pred": pred, "target": target})


@prop(CONCEPT, I2DL, "The L2 loss is the sum of the squared differences (pred - target)^2, or their mean (the MSE) with reduction='mean': no square root, no 1/2.")
@given(pt=predictions_and_targets())
@example(pt=(IMAGE_A, IMAGE_B))
def test_l2_loss_is_the_sum_or_mean_of_squared_differences(l2_loss, pt):
    pred, target = pt
    n = len(pred)
    total = ((pred - target) ** 2).sum()
    for reduction, expected in (("mean", total / n), ("sum", total)):
        loss, _ = l2_loss(pred, target, reduction=reduction)
        expect.close(f"loss ({reduction})", loss, expected, rtol=l2_rtol(n), atol=(n + 1) * TINY,
                     why=f"{reduction} of (pred - target)^2", inputs={"pred": pred, "target": target})


@prop(CONCEPT, I2DL, "The lecture's images differ by (3, 4, 2, 2) in one row: L2 = 9 + 16 + 4 + 4 = 33 and L1 = 3 + 4 + 2 + 2 = 11 (the slide's totals 66 and 15 are misprints).")
def test_regression_losses_match_the_lecture_example(l1_loss, l2_loss):
    # Slide 26 writes "9 + 16 + 4 + 4 + 0 + ... + 0 = 66" and "3 + 4 + 2 + 2 + 0 + ... + 0 = 15": the terms are
    # right (12 - 15, 24 - 20, 42 - 40, 23 - 25; all other pixels equal) but they add up to 33 and 11. Over the
    # N = 16 pixels: means 33/16 = 2.0625 and 11/16 = 0.6875. Every value is exact in float64.
    inputs = {"pred": IMAGE_A, "target": IMAGE_B}
    for name, fn, total in (("L2", l2_loss, 33.0), ("L1", l1_loss, 11.0)):
        for reduction, value in (("sum", total), ("mean", total / 16)):
            loss, _ = fn(IMAGE_A, IMAGE_B, reduction=reduction)
            expect.close(f"{name} loss ({reduction})", loss, value, atol=4 * EPS * value,
                         why="worked example", inputs=inputs)


@prop(CONCEPT, I2DL, "The best constant prediction under the L2 loss is the mean of the targets (found by scipy.optimize on the loss).")
@given(target=target_vectors())
@example(target=np.array([1.0, 2.0, 9.0]))  # mean 4, median 2
def test_l2_optimal_constant_prediction_is_the_mean(l2_loss, target):
    c = best_constant(l2_loss, target)
    mean, m, n = float(target.mean()), np.abs(target).max(), len(target)
    # Besides the search's own tolerance: L(c) = (c - mean)^2 + const (mean reduction) is computed within
    # rtol = (N + 4) u of values up to (2M + 2)^2 on the bracket, so the search cannot tell apart points closer to
    # the mean than sqrt(2 (N + 4) u) (2M + 2); twice that is 2 sqrt((N + 4) EPS) (2M + 2).
    tol = search_tolerance(target) + 2 * np.sqrt((n + 4) * EPS) * (2 * m + 2)
    expect.close("argmin_c l2_loss(c, target)", c, mean, atol=tol, why="the mean of the targets",
                 inputs={"target": target})


@prop(CONCEPT, I2DL, "The best constant prediction under the L1 loss is the median of the targets (any point between the two middle ones for even N; found by scipy.optimize on the loss).")
@given(target=target_vectors())
@example(target=np.array([1.0, 2.0, 9.0]))  # mean 4, median 2
def test_l1_optimal_constant_prediction_is_the_median(l1_loss, target):
    c = best_constant(l1_loss, target)
    ordered, n = np.sort(target), len(target)
    low, high = ordered[(n - 1) // 2], ordered[n // 2]  # the median interval: one point for odd N
    m = np.abs(target).max()
    # Besides the search's own tolerance: outside [low, high] the mean L1 loss has slope at least 1/N, and it is
    # computed within (N + 1) u of values up to 2M + 2, so the search is misled only within
    # 2 N (N + 1) u (2M + 2) of the interval; twice that is 2 N (N + 1) EPS (2M + 2).
    tol = search_tolerance(target) + 2 * n * (n + 1) * EPS * (2 * m + 2)
    inputs = {"target": target}
    what = f"the median {expect.fmt(low)}" if low == high else f"between the middle targets {expect.fmt(low)} and {expect.fmt(high)}"
    expect.holds("argmin_c l1_loss(c, target)", c, low - tol <= c <= high + tol, f"{what} (to {tol:.1g})", inputs=inputs)


OUTLIER_SHIFT = 1000.0


@prop(CONCEPT, I2DL, "L1 is robust to outliers, L2 is not: moving the largest of N >= 3 targets 1000 further away moves the best L1 prediction (the median) less than the best L2 one (the mean, by 1000/N).")
@given(target=target_vectors(min_size=3))
@example(target=np.array([1.0, 2.0, 9.0]))
def test_l1_is_more_robust_to_an_outlier_than_l2(l1_loss, l2_loss, target):
    moved = target.copy()
    moved[np.argmax(target)] += OUTLIER_SHIFT
    shift_l1 = abs(best_constant(l1_loss, moved) - best_constant(l1_loss, target))
    shift_l2 = abs(best_constant(l2_loss, moved) - best_constant(l2_loss, target))
    # The median interval does not move (for N >= 3 the largest target is outside it, or tied with a value that
    # stays), so the L1 optimum moves at most across it: at most the spread of the targets, 20 here, plus the
    # searches' tolerances (under 1e-4 with targets up to 1010). The L2 optimum moves by 1000/N >= 140.
    expect.holds("shift of the best L1 prediction", shift_l1, shift_l1 < shift_l2,
                 f"less than the shift of the best L2 prediction, {shift_l2:.6g} (1000/N = {OUTLIER_SHIFT / len(target):.6g})",
                 inputs={"target": target, "target with its largest moved by +1000": moved})


@prop(CONCEPT, I2DL3, "Away from its kinks (pred = target), dpred is the gradient of the L1 loss, for either reduction: it matches centered finite differences.")
@given(pt=predictions_away_from_targets())
@example(pt=(np.array([1.0, -2.0]), np.array([0.0, 0.5])))
def test_l1_gradient_matches_finite_differences(l1_loss, pt):
    pred, target = pt
    for reduction in REDUCTIONS:
        _, dpred = l1_loss(pred, target, reduction=reduction)
        # Steps of at most 1e-5 * 20 cannot cross a kink 1e-3 away: the loss is linear around pred.
        check_gradient(lambda z: l1_loss(z, target, reduction=reduction)[0], pred, dpred,
                       name=f"dpred of l1_loss(pred, target, reduction={reduction!r})")


@prop(CONCEPT, I2DL3, "dpred is the gradient of the L2 loss, for either reduction: it matches centered finite differences.")
@given(pt=predictions_and_targets())
@example(pt=(np.array([1.0, -2.0]), np.array([0.0, 0.5])))
def test_l2_gradient_matches_finite_differences(l2_loss, pt):
    pred, target = pt
    for reduction in REDUCTIONS:
        _, dpred = l2_loss(pred, target, reduction=reduction)
        # Quadratic, so central differences have no truncation error. But the loss near pred = target is small
        # while it is computed from pred and target themselves (up to M = max|pred|, |target|): pred +- step rounds
        # within u |pred|, which moves the midpoint of the difference quotient and so its value by up to
        # 2u |pred| (the curvature is 2), with no sign of it in the tiny loss. The squares are computed from
        # numbers of size up to (2M + 1)^2 each, N of them for the sum: that is the scale of the loss's rounding.
        scale = (2 * max(np.abs(pred).max(), np.abs(target).max()) + 1) ** 2 * (len(pred) if reduction == "sum" else 1)
        check_gradient(lambda z: l2_loss(z, target, reduction=reduction)[0], pred, dpred, value_scale=scale,
                       name=f"dpred of l2_loss(pred, target, reduction={reduction!r})")


@prop(CONCEPT, I2DL3, "The L1 gradient is sign(pred - target) (over N for the mean), and exactly 0 where the prediction equals the target.")
@given(ptm=predictions_meeting_targets())
@example(ptm=(np.array([1.0, 2.0, -3.0]), np.array([1.0, 0.0, -3.0]), np.array([True, False, True])))
def test_l1_gradient_is_the_sign_and_zero_where_prediction_equals_target(l1_loss, ptm):
    pred, target, met = ptm
    n = len(pred)
    inputs = {"pred": pred, "target": target}
    for reduction, size in (("mean", 1.0 / n), ("sum", 1.0)):
        _, dpred = l1_loss(pred, target, reduction=reduction)
        expect.equal(f"dpred ({reduction})", np.where(met, dpred, 0.0), 0.0,
                     why="pred equals target there: the contract's subgradient is 0", inputs=inputs)
        # +-1 over N: one rounding of 1/N by the implementation and one by the spec: rtol 2 EPS is twice that.
        expect.close(f"dpred ({reduction})", dpred, np.sign(pred - target) * size, rtol=2 * EPS,
                     why=f"sign(pred - target){' / N' if reduction == 'mean' else ''}", inputs=inputs)


SUM_VS_MEAN = "the two reductions differ by exactly N; the other properties tell which of the two is wrong"


def _check_sum_is_N_times_mean(fn, pred, target, rtol):
    n = len(pred)
    loss_mean, d_mean = fn(pred, target, reduction="mean")
    loss_sum, d_sum = fn(pred, target, reduction="sum")
    inputs = {"pred": pred, "target": target}
    # "Exactly N times" holds up to rounding: computed with one summation, sum / N is the mean up to one division.
    # A correct implementation may add the terms differently for the two (each over N first, say), so each is
    # allowed the loss's own error, within rtol of the exact value (the spec's division adds u/2, included there).
    expect.close("loss with reduction='mean'", loss_mean, loss_sum / n, rtol=rtol, atol=(n + 1) * TINY,
                 why=f"the loss with reduction='sum' divided by N = {n} ({SUM_VS_MEAN})", inputs=inputs)
    # The gradients are the same elementwise value, over N for the mean: one rounding for the division (two if
    # 1/N is rounded first), u/2 for the spec's: rtol 2 EPS is over twice that.
    expect.close("dpred with reduction='mean'", d_mean, d_sum / n, rtol=2 * EPS, atol=(n + 1) * TINY,
                 why=f"dpred with reduction='sum' divided by N = {n} ({SUM_VS_MEAN})", inputs=inputs)


@prop(CONCEPT, I2DL3, "The L1 loss with reduction='sum' is N times the one with 'mean' (up to rounding), and so is its gradient.")
@given(pt=predictions_and_targets(min_size=2))
@example(pt=(IMAGE_A, IMAGE_B))
def test_l1_loss_sum_is_N_times_the_mean(l1_loss, pt):
    _check_sum_is_N_times_mean(l1_loss, *pt, rtol=l1_rtol(len(pt[0])))


@prop(CONCEPT, I2DL3, "The L2 loss with reduction='sum' is N times the one with 'mean' (the MSE, up to rounding), and so is its gradient.")
@given(pt=predictions_and_targets(min_size=2))
@example(pt=(IMAGE_A, IMAGE_B))
def test_l2_loss_sum_is_N_times_the_mean(l2_loss, pt):
    _check_sum_is_N_times_mean(l2_loss, *pt, rtol=l2_rtol(len(pt[0])))


# Mutants: the regression losses as students get them wrong.


def _reduce(total, grad, n, reduction):
    return (total / n, grad / n) if reduction == "mean" else (total, grad)


@mutant(of="l1_loss", kills=[test_l1_loss_is_the_sum_or_mean_of_absolute_differences, test_l1_optimal_constant_prediction_is_the_median, test_l1_is_more_robust_to_an_outlier_than_l2, test_regression_losses_match_the_lecture_example])
def l1_loss_with_squared_differences(pred, target, reduction="mean"):
    """Squares the differences (the L2 loss under the L1 name), with the matching gradient."""
    d = pred - target
    return _reduce((d * d).sum(), 2 * d, len(d), reduction)


@mutant(of="l1_loss", kills=[test_l1_gradient_is_the_sign_and_zero_where_prediction_equals_target])
def l1_loss_gradient_one_at_zero_difference(pred, target, reduction="mean"):
    """np.where(d >= 0, 1, -1): the gradient is +1 where the prediction is already right."""
    d = pred - target
    return _reduce(np.abs(d).sum(), np.where(d >= 0, 1.0, -1.0), len(d), reduction)


@mutant(of="l1_loss", kills=[test_l1_gradient_matches_finite_differences, test_l1_gradient_is_the_sign_and_zero_where_prediction_equals_target])
def l1_loss_gradient_with_the_sign_flipped(pred, target, reduction="mean"):
    """sign(target - pred): the derivative taken with respect to the target."""
    d = pred - target
    return _reduce(np.abs(d).sum(), -np.sign(d), len(d), reduction)


@mutant(of="l1_loss", kills=[test_l1_gradient_matches_finite_differences, test_l1_loss_sum_is_N_times_the_mean])
def l1_loss_gradient_not_averaged(pred, target, reduction="mean"):
    """The mean's loss is divided by N, its gradient is not."""
    d = pred - target
    loss, _ = _reduce(np.abs(d).sum(), np.sign(d), len(d), reduction)
    return loss, np.sign(d)


@mutant(of="l1_loss", kills=[test_l1_loss_sum_is_N_times_the_mean, test_l1_loss_is_the_sum_or_mean_of_absolute_differences, test_regression_losses_match_the_lecture_example])
def l1_loss_with_the_reductions_swapped(pred, target, reduction="mean"):
    """"mean" adds the terms up and "sum" averages them."""
    d = pred - target
    return _reduce(np.abs(d).sum(), np.sign(d), len(d), "sum" if reduction == "mean" else "mean")


@mutant(of="l2_loss", kills=[test_l2_loss_is_the_sum_or_mean_of_squared_differences, test_regression_losses_match_the_lecture_example, test_l2_gradient_matches_finite_differences])
def l2_loss_as_the_euclidean_norm(pred, target, reduction="mean"):
    """np.linalg.norm(pred - target): the L2 norm, a square root where the loss has none (gradient 2 d kept)."""
    d = pred - target
    return _reduce(np.linalg.norm(d), 2 * d, len(d), reduction)


@mutant(of="l2_loss", kills=[test_l2_loss_is_the_sum_or_mean_of_squared_differences, test_regression_losses_match_the_lecture_example])
def l2_loss_with_one_half(pred, target, reduction="mean"):
    """(1/2) sum d^2 with gradient d: a common convention, but not the lecture's (nor the contract's)."""
    d = pred - target
    return _reduce(0.5 * (d * d).sum(), d, len(d), reduction)


@mutant(of="l2_loss", kills=[test_l2_loss_is_the_sum_or_mean_of_squared_differences, test_l2_optimal_constant_prediction_is_the_mean, test_l1_is_more_robust_to_an_outlier_than_l2, test_regression_losses_match_the_lecture_example])
def l2_loss_with_absolute_differences(pred, target, reduction="mean"):
    """Absolute differences (the L1 loss under the L2 name), with the matching gradient."""
    d = pred - target
    return _reduce(np.abs(d).sum(), np.sign(d), len(d), reduction)


@mutant(of="l2_loss", kills=[test_l2_gradient_matches_finite_differences])
def l2_loss_gradient_without_the_2(pred, target, reduction="mean"):
    """dpred = pred - target: the factor 2 of the square's derivative forgotten."""
    d = pred - target
    return _reduce((d * d).sum(), d, len(d), reduction)


@mutant(of="l2_loss", kills=[test_l2_gradient_matches_finite_differences, test_l2_loss_sum_is_N_times_the_mean])
def l2_loss_gradient_not_averaged(pred, target, reduction="mean"):
    """The mean's loss is divided by N, its gradient is not."""
    d = pred - target
    loss, _ = _reduce((d * d).sum(), 2 * d, len(d), reduction)
    return loss, 2 * d


@mutant(of="l2_loss", kills=[test_l2_loss_sum_is_N_times_the_mean, test_l2_loss_is_the_sum_or_mean_of_squared_differences, test_regression_losses_match_the_lecture_example])
def l2_loss_with_the_reductions_swapped(pred, target, reduction="mean"):
    """"mean" adds the terms up and "sum" averages them."""
    d = pred - target
    return _reduce((d * d).sum(), 2 * d, len(d), "sum" if reduction == "mean" else "mean")


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="l1_loss")
def l1_loss_with_loops(pred, target, reduction="mean"):
    """Element by element with if/else for the sign (0 where equal)."""
    n = len(pred)
    loss, dpred = 0.0, np.zeros_like(pred)
    for i in range(n):
        d = pred[i] - target[i]
        loss += abs(d)
        dpred[i] = 1.0 if d > 0 else (-1.0 if d < 0 else 0.0)
    if reduction == "mean":
        return loss / n, dpred / n
    return loss, dpred


@alternative(of="l1_loss")
def l1_loss_averaging_each_term(pred, target, reduction="mean"):
    """np.mean for the mean, each term over N first for the gradient (1/N times the sign); a 0-d array loss."""
    d = pred - target
    if reduction == "mean":
        return np.mean(np.abs(d), keepdims=True).reshape(()), np.sign(d) * (1.0 / len(d))
    return np.linalg.norm(d, 1), np.sign(d)


@alternative(of="l2_loss")
def l2_loss_with_loops(pred, target, reduction="mean"):
    """Element by element, summed in order."""
    n = len(pred)
    loss, dpred = 0.0, np.zeros_like(pred)
    for i in range(n):
        d = pred[i] - target[i]
        loss += d ** 2
        dpred[i] = 2 * d
    if reduction == "mean":
        return loss / n, dpred / n
    return loss, dpred


@alternative(of="l2_loss")
def l2_loss_by_dot_product(pred, target, reduction="mean"):
    """d . d (BLAS), the mean as the sum of d_i^2 / N term by term, and the gradient as (2/N) d."""
    d = pred - target
    if reduction == "mean":
        return np.sum(d * d / len(d)), (2.0 / len(d)) * d
    return np.dot(d, d), 2 * d


@alternative(of="l2_loss")
def l2_loss_as_squared_norm(pred, target, reduction="mean"):
    """np.linalg.norm(d) ** 2 (a square root, then its square)."""
    d = pred - target
    return _reduce(np.linalg.norm(d) ** 2, 2 * d, len(d), reduction)
