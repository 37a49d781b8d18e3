"""Regularization of the weights: l2_regularization / l1_regularization(W, reg) -> (loss, dW).

L2: reg * sum(W**2), dW = 2 * reg * W (CS231n's linear classifiers: no factor 1/2).
L1: reg * sum(|W|), dW = reg * sign(W), with the subgradient 0 where W is exactly 0.
Both are added to a data loss by the caller, on weights only (never on biases).
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.loss_functions.strategies import regularization_strengths, weight_matrices, weights_away_from_zero
from spec.property import alternative, mutant, prop

CONCEPT = "regularization"
GT = "Georgia Tech CS 4803/7643, loss functions: full loss = data loss + regularization (L2, L1)"
CS231N = "CS231n linear classifiers: loss += reg * np.sum(W * W), dW += 2 * reg * W"

# A small weight matrix with an exact zero, and CS231n-like strengths.
LECTURE_W = np.array([[0.5, -1.0, 0.0], [2.0, 0.25, -3.0]])


def l2_value_rtol(k) -> float:
    """Relative error of reg * sum(W**2) over K entries: each square rounds once (u = EPS/2), adding K nonnegative
    terms adds (K - 1) u, the product with reg one more: (K + 1) u; by a norm squared the square root and the
    squaring add up to 3u more: under (K + 4) u. The spec's own value is within (K + 1) u: 2 EPS (K + 3) is about
    twice the sum of both."""
    return 2 * EPS * (k + 3)


def l1_value_rtol(k) -> float:
    """Relative error of reg * sum(|W|): |w| is exact, adding K terms (K - 1) u, the product u: K u; the spec's as
    much again. 2 EPS (K + 1) is about twice the sum of both."""
    return 2 * EPS * (k + 1)


# Below the smallest normal float, TINY = 2.2e-308, numbers keep an absolute spacing of 2^-1074 instead of u
# relative (gradual underflow): a square or product of tiny weights loses its relative precision there. Every
# comparison below also allows underflow_floor(...), about K (1 + reg) TINY: far above those absolute errors, and
# far below any value that does not underflow.
TINY = float(np.finfo(np.float64).tiny)


def underflow_floor(W, reg) -> float:
    return (W.size + 1) * (1.0 + reg) * TINY


# dW = 2 reg W: 2 reg is exact (a power of two), the product rounds once; (W + W) reg, reg * 2 * W, loops: the
# same single rounding. The spec's 2 * reg * W rounds once too: rtol 2 EPS = 4u is twice the sum.
# dW = reg sign(W): one rounding at most, and as much for the spec's: the same 2 EPS.
GRADIENT_RTOL = 2 * EPS


@prop(CONCEPT, CS231N, "The L2 regularization loss is reg * sum(W**2): no square root, no factor 1/2.")
@given(W=weight_matrices(), reg=regularization_strengths())
@example(W=LECTURE_W, reg=0.5)  # 0.5 * (0.25 + 1 + 0 + 4 + 0.0625 + 9) = 7.15625
def test_l2_regularization_is_reg_times_the_sum_of_squares(l2_regularization, W, reg):
    loss, _ = l2_regularization(W, reg)
    expect.close("loss", loss, reg * np.sum(W ** 2), rtol=l2_value_rtol(W.size),
                 atol=underflow_floor(W, reg), why="reg * sum(W**2)",
                 inputs={"W": W, "reg": reg})


@prop(CONCEPT, CS231N, "The gradient of the L2 regularization is 2 * reg * W.")
@given(W=weight_matrices(), reg=regularization_strengths())
@example(W=LECTURE_W, reg=0.5)
def test_l2_regularization_gradient_is_2_reg_W(l2_regularization, W, reg):
    _, dW = l2_regularization(W, reg)
    expect.close("dW", dW, 2 * reg * W, rtol=GRADIENT_RTOL, atol=underflow_floor(W, reg), why="2 * reg * W", inputs={"W": W, "reg": reg})


@prop(CONCEPT, CS231N, "dW is the gradient of the L2 regularization loss: it matches centered finite differences.")
@given(W=weight_matrices(), reg=regularization_strengths())
@example(W=LECTURE_W, reg=0.5)
def test_l2_regularization_gradient_matches_finite_differences(l2_regularization, W, reg):
    _, dW = l2_regularization(W, reg)
    # A sum of squares: no cancellation, so the loss's own size sets its rounding; quadratic, so central
    # differences have no truncation error.
    check_gradient(lambda z: l2_regularization(z, reg)[0], W, dW, name="dW of l2_regularization(W, reg)")


@prop(CONCEPT, GT, "With reg = 0 the L2 regularization and its gradient are exactly 0.")
@given(W=weight_matrices())
@example(W=LECTURE_W)
def test_l2_regularization_is_zero_without_regularization(l2_regularization, W):
    loss, dW = l2_regularization(W, 0.0)
    inputs = {"W": W, "reg": 0.0}
    expect.equal("loss", loss, 0.0, why="reg = 0", inputs=inputs)
    expect.equal("dW", dW, 0.0, why="reg = 0", inputs=inputs)


@prop(CONCEPT, GT, "The L2 regularization scales linearly with its strength: reg multiplied by a multiplies the loss and dW by a.")
@given(W=weight_matrices(), reg=regularization_strengths(), a=st.floats(0.0, 10.0, allow_subnormal=False))
@example(W=LECTURE_W, reg=0.5, a=3.0)
def test_l2_regularization_scales_linearly_with_reg(l2_regularization, W, reg, a):
    loss, dW = l2_regularization(W, reg)
    loss_a, dW_a = l2_regularization(W, a * reg)
    inputs = {"W": W, "reg": reg, "a": a}
    # a * reg rounds by u, the spec's a * loss by u more, each loss within its value error (K + 4) u: under
    # (2K + 10) u, and 2 EPS (K + 5) is about twice that. Each dW within one rounding, a * reg and the spec's a * dW
    # one each: 4u; 4 EPS is twice that.
    floor = underflow_floor(W, max(reg, a * reg))
    expect.close("loss for a * reg", loss_a, a * loss, rtol=2 * EPS * (W.size + 5), atol=floor, why="a * loss for reg",
                 inputs=inputs)
    expect.close("dW for a * reg", dW_a, a * dW, rtol=4 * EPS, atol=floor, why="a * dW for reg", inputs=inputs)


@prop(CONCEPT, GT, "The L1 regularization loss is reg * sum(|W|).")
@given(W=weight_matrices(), reg=regularization_strengths())
@example(W=LECTURE_W, reg=0.5)  # 0.5 * (0.5 + 1 + 0 + 2 + 0.25 + 3) = 3.375
def test_l1_regularization_is_reg_times_the_sum_of_absolute_values(l1_regularization, W, reg):
    loss, _ = l1_regularization(W, reg)
    expect.close("loss", loss, reg * np.sum(np.abs(W)), rtol=l1_value_rtol(W.size),
                 atol=underflow_floor(W, reg), why="reg * sum(|W|)",
                 inputs={"W": W, "reg": reg})


@prop(CONCEPT, GT, "The gradient of the L1 regularization is reg * sign(W): +-reg, and exactly 0 where a weight is 0.")
@given(W=weight_matrices(), reg=regularization_strengths())
@example(W=LECTURE_W, reg=0.5)
def test_l1_regularization_gradient_is_reg_sign_W(l1_regularization, W, reg):
    _, dW = l1_regularization(W, reg)
    inputs = {"W": W, "reg": reg}
    expect.equal("dW", np.where(W == 0, dW, 0.0), 0.0, why="W is 0 there: the contract's subgradient is 0",
                 inputs=inputs)
    expect.close("dW", dW, reg * np.sign(W), rtol=GRADIENT_RTOL, atol=underflow_floor(W, reg), why="reg * sign(W)",
                 inputs=inputs)


@prop(CONCEPT, GT, "Away from its kinks (W = 0), dW is the gradient of the L1 regularization loss: it matches centered finite differences.")
@given(W=weights_away_from_zero(), reg=regularization_strengths())
@example(W=np.array([[0.5, -1.0], [2.0, -3.0]]), reg=0.5)
def test_l1_regularization_gradient_matches_finite_differences(l1_regularization, W, reg):
    _, dW = l1_regularization(W, reg)
    # Steps of at most 1e-5 * 10 cannot cross the kink at 0 from |w| >= 1e-3: the loss is linear around W.
    check_gradient(lambda z: l1_regularization(z, reg)[0], W, dW, name="dW of l1_regularization(W, reg)")


@prop(CONCEPT, GT, "With reg = 0 the L1 regularization and its gradient are exactly 0.")
@given(W=weight_matrices())
@example(W=LECTURE_W)
def test_l1_regularization_is_zero_without_regularization(l1_regularization, W):
    loss, dW = l1_regularization(W, 0.0)
    inputs = {"W": W, "reg": 0.0}
    expect.equal("loss", loss, 0.0, why="reg = 0", inputs=inputs)
    expect.equal("dW", dW, 0.0, why="reg = 0", inputs=inputs)


@prop(CONCEPT, GT, "The L1 regularization scales linearly with its strength: reg multiplied by a multiplies the loss and dW by a.")
@given(W=weight_matrices(), reg=regularization_strengths(), a=st.floats(0.0, 10.0, allow_subnormal=False))
@example(W=LECTURE_W, reg=0.5, a=3.0)
def test_l1_regularization_scales_linearly_with_reg(l1_regularization, W, reg, a):
    loss, dW = l1_regularization(W, reg)
    loss_a, dW_a = l1_regularization(W, a * reg)
    inputs = {"W": W, "reg": reg, "a": a}
    # As for L2 with the L1 value error K u: under (2K + 2) u, and 2 EPS (K + 1) is twice that; dW as for L2.
    floor = underflow_floor(W, max(reg, a * reg))
    expect.close("loss for a * reg", loss_a, a * loss, rtol=2 * EPS * (W.size + 1), atol=floor, why="a * loss for reg",
                 inputs=inputs)
    expect.close("dW for a * reg", dW_a, a * dW, rtol=4 * EPS, atol=floor, why="a * dW for reg", inputs=inputs)


# Mutants: regularization as students get it wrong.


@mutant(of="l2_regularization", kills=[test_l2_regularization_gradient_is_2_reg_W, test_l2_regularization_gradient_matches_finite_differences])
def l2_regularization_gradient_without_the_2(W, reg):
    """dW = reg * W: the factor 2 of the square's derivative forgotten."""
    return reg * np.sum(W * W), reg * W


@mutant(of="l2_regularization", kills=[test_l2_regularization_is_reg_times_the_sum_of_squares, test_l2_regularization_gradient_is_2_reg_W])
def l2_regularization_with_one_half(W, reg):
    """0.5 * reg * sum(W**2) with dW = reg * W: CS231n's 2020+ fc_net convention, not the contract's."""
    return 0.5 * reg * np.sum(W * W), reg * W


@mutant(of="l2_regularization", kills=[test_l2_regularization_is_reg_times_the_sum_of_squares, test_l2_regularization_gradient_matches_finite_differences])
def l2_regularization_as_the_norm(W, reg):
    """reg * np.linalg.norm(W): the Frobenius norm, not its square (gradient 2 reg W kept)."""
    return reg * np.linalg.norm(W), 2 * reg * W


@mutant(of="l2_regularization", kills=[test_l2_regularization_is_zero_without_regularization, test_l2_regularization_scales_linearly_with_reg, test_l2_regularization_gradient_is_2_reg_W])
def l2_regularization_gradient_without_reg(W, reg):
    """dW = 2 * W: the strength forgotten in the gradient."""
    return reg * np.sum(W * W), 2 * W


@mutant(of="l1_regularization", kills=[test_l1_regularization_is_reg_times_the_sum_of_absolute_values, test_l1_regularization_gradient_matches_finite_differences])
def l1_regularization_without_the_absolute_value(W, reg):
    """reg * sum(W), so negative weights lower the penalty; the gradient reg * sign(W) kept."""
    return reg * np.sum(W), reg * np.sign(W)


@mutant(of="l1_regularization", kills=[test_l1_regularization_is_reg_times_the_sum_of_absolute_values])
def l1_regularization_as_squares(W, reg):
    """reg * sum(W**2): the L2 penalty under the L1 name."""
    return reg * np.sum(W * W), reg * np.sign(W)


@mutant(of="l1_regularization", kills=[test_l1_regularization_gradient_is_reg_sign_W])
def l1_regularization_gradient_reg_at_zero(W, reg):
    """np.where(W >= 0, reg, -reg): a weight that is already 0 gets pushed to +reg * lr."""
    return reg * np.sum(np.abs(W)), np.where(W >= 0, reg, -reg)


@mutant(of="l1_regularization", kills=[test_l1_regularization_gradient_matches_finite_differences, test_l1_regularization_gradient_is_reg_sign_W])
def l1_regularization_gradient_reg_W(W, reg):
    """dW = reg * W: the L2 gradient's shape (without its 2) instead of the sign."""
    return reg * np.sum(np.abs(W)), reg * W


@mutant(of="l1_regularization", kills=[test_l1_regularization_is_zero_without_regularization, test_l1_regularization_scales_linearly_with_reg])
def l1_regularization_gradient_without_reg(W, reg):
    """dW = sign(W): the strength forgotten in the gradient."""
    return reg * np.sum(np.abs(W)), np.sign(W)


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="l2_regularization")
def l2_regularization_with_loops(W, reg):
    """Entry by entry, summed in order."""
    loss, dW = 0.0, np.zeros_like(W)
    for index, w in np.ndenumerate(W):
        loss += reg * w * w
        dW[index] = 2 * reg * w
    return loss, dW


@alternative(of="l2_regularization")
def l2_regularization_as_squared_norm(W, reg):
    """reg * ||W||_F ** 2 and (W + W) * reg; a 0-d array loss."""
    return np.asarray(reg * np.linalg.norm(W) ** 2), (W + W) * reg


@alternative(of="l2_regularization")
def l2_regularization_by_vdot(W, reg):
    """np.vdot(W, W) (BLAS) and reg * 2 * W."""
    return reg * np.vdot(W, W), reg * 2 * W


@alternative(of="l1_regularization")
def l1_regularization_with_loops(W, reg):
    """Entry by entry, the sign by if/elif (0 at 0)."""
    loss, dW = 0.0, np.zeros_like(W)
    for index, w in np.ndenumerate(W):
        loss += abs(w)
        dW[index] = reg if w > 0 else (-reg if w < 0 else 0.0)
    return reg * loss, dW


@alternative(of="l1_regularization")
def l1_regularization_by_norm(W, reg):
    """np.linalg.norm of the flattened W with ord=1, the sign by np.where."""
    return reg * np.linalg.norm(W.ravel(), 1), np.where(W > 0, reg, np.where(W < 0, -reg, 0.0))
