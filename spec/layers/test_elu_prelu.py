"""ELU and parametric ReLU layers.

ELU: out = x where x > 0 and alpha (e^x - 1) where x <= 0; dx = dout or alpha e^x dout. It is continuous at 0
(both branches give 0) and bounded below by -alpha.
PReLU: out = x where x > 0 and alpha x where x <= 0, with alpha one learned float; prelu_backward returns
(dx, dalpha): dx = dout or alpha dout, dalpha = sum of dout * x over the entries where x <= 0.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.gradcheck import check_gradient
from spec.layers.common import U, activation_inputs, check_layer_gradient, inputs_and_upstream, summed_scale
from spec.property import alternative, mutant, prop

ELU = "ELU"
PRELU = "parametric ReLU"
I2DL = "TUM I2DL lecture 3, slide 7 (activation functions: ELU x if x > 0 else alpha (e^x - 1); parametric ReLU max(alpha x, x))"

X0 = np.array([[-3.0, -0.5, 0.0, 0.5, 2.0], [1000.0, -1000.0, -1.0, 1.0, -0.0]])
DOUT0 = np.array([[1.0, -2.0, 3.0, -4.0, 5.0], [0.5, 0.25, -1.0, 2.0, -3.0]])


def elu_alphas():
    return st.one_of(st.sampled_from([1.0, 0.5, 2.0]), st.floats(0.1, 3.0))


def prelu_alphas():
    """Learned slopes: anything, here in [-2, 2] (0 and 1 included: ReLU and the identity; above 1 too)."""
    return st.one_of(st.sampled_from([0.0, 0.25, 1.0, 1.5, -0.5]), st.floats(-2.0, 2.0, allow_subnormal=False))


def trusted_elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


@prop(ELU, I2DL, "ELU's forward pass is x where x > 0 and alpha (e^x - 1) elsewhere, finite for |x| up to 1000 (and alpha defaults to 1).")
@given(x=activation_inputs(magnitude=1000.0), alpha=elu_alphas())
@example(x=X0, alpha=1.0)
def test_elu_forward_is_x_or_alpha_times_exp_minus_1(elu_forward, x, alpha):
    # alpha (e^x - 1) for x <= 0: by expm1, within 2u relative, times alpha u more; by exp(x) - 1, e^x within 2u
    # relative of a number <= 1 and the subtraction u of a result <= 1: 3u absolute, times alpha. Both within
    # 4u alpha absolute, plus the trusted value's own 3u relative (<= 3u alpha): 8u alpha allowed.
    out, _ = elu_forward(x, alpha)
    expect.close(f"out of elu_forward(x, alpha={alpha!r})", out, trusted_elu(x, alpha), atol=8 * U * alpha,
                 why="x where x > 0, alpha (e^x - 1) where x <= 0", inputs={"x": x})
    default, _ = elu_forward(x)
    expect.close("out of elu_forward(x)", default, trusted_elu(x, 1.0), atol=8 * U,
                 why="the default alpha = 1", inputs={"x": x})


@prop(ELU, I2DL, "ELU is continuous at 0: just below 0 it is about alpha x (e^x - 1 ~ x), close to 0, as just above.")
@given(alpha=elu_alphas(), t=st.floats(1e-12, 1e-6))
def test_elu_is_continuous_at_0(elu_forward, alpha, t):
    # For -t <= x <= 0: alpha (e^x - 1) lies in [alpha x, alpha x + alpha x^2 / 2]; allowed |out - alpha x| <=
    # alpha t^2 / 2 + 4u alpha t (rounding relative to a result of size alpha t) + 4u (exp(x) - 1 rounded: 3u abs).
    x = np.array([[-t, -t / 2, 0.0, t / 2, t]])
    out, _ = elu_forward(x, alpha)
    expect.close(f"out of elu_forward(x, alpha={alpha!r})", out, np.where(x > 0, x, alpha * x),
                 atol=alpha * t * t / 2 + 4 * U * alpha * t + 4 * U * alpha,
                 why="x above 0, about alpha x below it: both go to 0 at 0", inputs={"x": x})


@prop(ELU, I2DL, "elu_backward(dout, cache) matches the central-difference gradient of sum(dout * elu_forward(x, alpha)[0]) (x away from 0).")
@given(xd=inputs_and_upstream(kink_free=True), alpha=elu_alphas())
def test_elu_backward_matches_finite_differences(elu_forward, elu_backward, xd, alpha):
    # For x <= 0 the derivatives are all alpha e^x: the truncation s^2/6 alpha e^x is s^2/6 <= 1.7e-9 relative to
    # the derivative (s <= 1e-4 for |x| <= 10); for x > 0 there is none.
    x, dout = xd
    check_layer_gradient(elu_forward, elu_backward, x, dout, name=f"dx of elu_backward (alpha={alpha!r})", alpha=alpha)


@prop(PRELU, I2DL, "PReLU's forward pass is x where x > 0 and alpha x elsewhere, exactly, for any learned slope alpha.")
@given(x=activation_inputs(magnitude=1000.0), alpha=prelu_alphas())
@example(x=X0, alpha=0.25)
@example(x=X0, alpha=1.5)
def test_prelu_forward_is_x_or_alpha_x(prelu_forward, x, alpha):
    out, _ = prelu_forward(x, alpha)
    expect.equal(f"out of prelu_forward(x, alpha={alpha!r})", out, np.where(x > 0, x, alpha * x),
                 why="x where x > 0, alpha * x where x <= 0", inputs={"x": x})


@prop(PRELU, I2DL, "prelu_backward's dx and dalpha match the central-difference gradients of sum(dout * prelu_forward(x, alpha)[0]) in x and in alpha.")
@given(xd=inputs_and_upstream(kink_free=True), alpha=prelu_alphas())
@example(xd=(np.array([[-3.0, -0.5, 0.5, 2.0]]), np.array([[1.0, -2.0, 3.0, -4.0]])), alpha=0.25)
def test_prelu_backward_matches_finite_differences(prelu_forward, prelu_backward, xd, alpha):
    # Piecewise linear in x (off the kink) and linear in alpha: no truncation, only the rounding of the sums
    # (summed_scale).
    x, dout = xd
    out, cache = prelu_forward(x, alpha)
    dx, dalpha = prelu_backward(dout, cache)
    check_gradient(lambda z: prelu_forward(z, alpha)[0], x, dx, upstream=dout, value_scale=summed_scale(dout * out),
                   name=f"dx of prelu_backward (alpha={alpha!r})")
    check_gradient(lambda a: prelu_forward(x, float(a[0]))[0], np.array([alpha]), np.array([dalpha]), upstream=dout,
                   value_scale=summed_scale(dout * out), name=f"dalpha of prelu_backward (alpha={alpha!r})")


# Mutants.


@mutant(of="elu_forward", kills=[test_elu_forward_is_x_or_alpha_times_exp_minus_1])
def elu_forward_by_mask_products(x, alpha=1.0):
    """x (x > 0) + alpha (e^x - 1) (x <= 0): e^1000 = inf, and inf * 0 = NaN."""
    return x * (x > 0) + alpha * (np.exp(x) - 1.0) * (x <= 0), (x, alpha)


@mutant(of="elu_forward", kills=[test_elu_forward_is_x_or_alpha_times_exp_minus_1, test_elu_is_continuous_at_0])
def elu_forward_without_the_minus_1(x, alpha=1.0):
    """alpha e^x for x <= 0: the - 1 forgotten, so out jumps from alpha to 0 at x = 0."""
    return np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0.0))), (x, alpha)


@mutant(of="elu_backward", kills=[test_elu_backward_matches_finite_differences])
def elu_backward_alpha_exp_everywhere(dout, cache):
    """dx = alpha e^x dout everywhere: the x > 0 branch's derivative 1 forgotten."""
    x, alpha = cache
    with np.errstate(over="ignore"):
        return alpha * np.exp(x) * dout


@mutant(of="elu_backward", kills=[test_elu_backward_matches_finite_differences])
def elu_backward_ignoring_dout(dout, cache):
    """Returns the local gradient (1 or alpha e^x) only, forgetting the upstream dout."""
    x, alpha = cache
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))) + 0.0 * dout


@mutant(of="prelu_forward", kills=[test_prelu_forward_is_x_or_alpha_x])
def prelu_forward_by_maximum(x, alpha):
    """np.maximum(alpha x, x): the leaky ReLU's formula, wrong once the learned alpha exceeds 1."""
    return np.maximum(alpha * x, x), (x, alpha)


@mutant(of="prelu_backward", kills=[test_prelu_backward_matches_finite_differences])
def prelu_backward_dalpha_over_every_entry(dout, cache):
    """dalpha = sum(dout * x) over every entry, not just where x <= 0."""
    x, alpha = cache
    return np.where(x > 0, dout, alpha * dout), float(np.sum(dout * x))


@mutant(of="prelu_backward", kills=[test_prelu_backward_matches_finite_differences])
def prelu_backward_dalpha_without_dout(dout, cache):
    """dalpha = sum of x where x <= 0: the upstream gradient left out of the slope's gradient."""
    x, alpha = cache
    return np.where(x > 0, dout, alpha * dout), float(np.sum(np.minimum(x, 0.0)))


@mutant(of="prelu_backward", kills=[test_prelu_backward_matches_finite_differences])
def prelu_backward_dx_with_slope_0(dout, cache):
    """dx = dout * (x > 0), copied from relu_backward: the learned slope ignored in dx."""
    x, _ = cache
    return dout * (x > 0), float(np.sum(dout * x * (x <= 0)))


# Correct alternatives.


@alternative(of="elu_forward")
def elu_forward_with_exp_minus_1_under_where(x, alpha=1.0):
    """np.where(x > 0, x, alpha (np.exp(x) - 1)): e^x overflows in the branch that is not taken (a warning only)."""
    with np.errstate(over="ignore"):
        return np.where(x > 0, x, alpha * (np.exp(x) - 1.0)), (x, alpha)


@alternative(of="elu_forward")
def elu_forward_by_assignment(x, alpha=1.0):
    """out = x.copy(); out[x <= 0] = alpha * np.expm1(x[x <= 0])."""
    out = x.copy()
    negative = x <= 0
    out[negative] = alpha * np.expm1(x[negative])
    return out, (x, alpha)


@alternative(of="elu_backward")
def elu_backward_from_out_plus_alpha(dout, cache):
    """For x <= 0, ELU' = alpha e^x = out + alpha: recomputes out from x and adds alpha."""
    x, alpha = cache
    out = alpha * np.expm1(np.minimum(x, 0.0))
    return np.where(x > 0, dout, (out + alpha) * dout)


@alternative(of="prelu_forward")
def prelu_forward_by_masks(x, alpha):
    """x (x > 0) + alpha x (x <= 0)."""
    return x * (x > 0) + alpha * x * (x <= 0), (x, alpha)


@alternative(of="prelu_backward")
def prelu_backward_by_masks(dout, cache):
    """dx by a boolean mask, dalpha as a dot product of dout and the negative part of x."""
    x, alpha = cache
    negative = x <= 0
    dx = dout.copy()
    dx[negative] *= alpha
    return dx, float(np.dot(dout.ravel(), np.minimum(x, 0.0).ravel()))
