"""Sigmoid and tanh layers: *_forward(x) -> (out, cache), *_backward(dout, cache) -> dx.

sigmoid(x) = 1 / (1 + e^-x), sigmoid' = s (1 - s) <= 1/4;  tanh(x) = 2 sigmoid(2x) - 1, tanh' = 1 - tanh^2 <= 1.
Both saturate: for large |x| the derivative vanishes, and a stack of sigmoid layers shrinks the gradient by at
least 4x per layer (the vanishing-gradient point). Values are compared in absolute terms (both functions are
bounded by 1); the tolerances are a few u = EPS/2, derived next to each.
"""

import numpy as np
import scipy.special
from hypothesis import example, given

from spec import expect
from spec.expect import EPS
from spec.layers.common import U, activation_inputs, check_layer_gradient, inputs_and_upstream
from spec.property import alternative, mutant, prop

SIGMOID = "sigmoid layer"
TANH = "tanh layer"
I2DL = "TUM I2DL lecture 3, slide 7 (activation functions: sigmoid 1 / (1 + e^-x), tanh)"
I2DL_BACKPROP = "TUM I2DL lecture 3, slides 24-26 (backprop through the sigmoid: sigma' = (1 - sigma) sigma)"
VANISHING = "TUM I2DL lecture 2 and the lecture 0 recap (saturating activations, vanishing gradients: sigma' <= 1/4)"

EXTREMES = np.array([[-1000.0, -800.0, -40.0, -1.0, 0.0, 1.0, 40.0, 800.0, 1000.0]])

# |s - sigma(x)| of a correct float64 sigmoid: by e^-|x| and a quotient, e within 2u relative (NumPy's exp is
# within 1 ulp), 1 + e within u more, the quotient u: 4u relative on a value <= 1; by 0.5 (1 + tanh(x / 2)): 3u
# absolute. Both within 4u. The trusted value below is computed the first way, so the two differ by at most 8u.
SIGMOID_VALUE = 8 * U
# |t - tanh(x)|: np.tanh within 2u relative; (1 - e) / (1 + e) with e = e^-2|x|: e within 2u relative (e <= 1), so
# 1 - e and 1 + e within 3u absolute each and the quotient within (3u + 3u |t|) / (1 + e) + u <= 7u. Trusted: np.tanh.
TANH_VALUE = 9 * U


def trusted_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@prop(SIGMOID, I2DL, "sigmoid_forward(x)[0] is 1 / (1 + e^-x), finite and accurate for |x| up to 1000.")
@given(x=activation_inputs(magnitude=1000.0))
@example(x=EXTREMES)
def test_sigmoid_forward_is_the_logistic_function(sigmoid_forward, x):
    out, _ = sigmoid_forward(x)
    expect.close("out of sigmoid_forward(x)", out, trusted_sigmoid(x), atol=SIGMOID_VALUE,
                 why="1 / (1 + e^-x); compute e^-|x|, which cannot overflow", inputs={"x": x})


@prop(SIGMOID, I2DL_BACKPROP, "sigmoid_backward(dout, cache) matches the central-difference gradient of sum(dout * sigmoid_forward(x)[0]).")
@given(xd=inputs_and_upstream())
@example(xd=(np.array([[-3.0, 0.0, 0.5, 2.0]]), np.array([[1.0, -2.0, 3.0, 0.5]])))
def test_sigmoid_backward_matches_finite_differences(sigmoid_forward, sigmoid_backward, xd):
    # |x| <= 10 and the step s <= 1e-4: the truncation s^2/6 |sigma'''| is below s^2/6 |sigma'| (for the sigmoid,
    # |sigma'''| = sigma' |1 - 6 s + 6 s^2| <= sigma'), i.e. below 1.7e-9 relative to the derivative: far under rtol.
    x, dout = xd
    check_layer_gradient(sigmoid_forward, sigmoid_backward, x, dout, name="dx of sigmoid_backward")


@prop(SIGMOID, VANISHING, "The sigmoid's local gradient s (1 - s) lies in [0, 1/4]: with dout = 1, 0 <= dx <= 1/4 (at most 4x less than dout).")
@given(x=activation_inputs(magnitude=50.0))
@example(x=EXTREMES)
def test_sigmoid_gradient_is_at_most_a_quarter(sigmoid_forward, sigmoid_backward, x):
    # s (1 - s) <= 1/4 exactly, with equality at s = 1/2 (representable): computed as s (1 - s) it rounds to at most
    # 1/4; as s - s^2 it may exceed 1/4 by a rounding of a number below 1/2: u/2. Allowed: 1/4 + EPS.
    _, cache = sigmoid_forward(x)
    dx = sigmoid_backward(np.ones_like(x), cache)
    expect.holds("sigmoid_backward(ones, cache)", dx, (dx >= 0) & (dx <= 0.25 + EPS),
                 "in [0, 1/4]: sigma'(x) = sigma(x) (1 - sigma(x)) <= 1/4", inputs={"x": x})


@prop(TANH, I2DL, "tanh_forward(x)[0] is tanh(x), finite and accurate for |x| up to 1000.")
@given(x=activation_inputs(magnitude=1000.0))
@example(x=EXTREMES)
def test_tanh_forward_is_tanh(tanh_forward, x):
    out, _ = tanh_forward(x)
    expect.close("out of tanh_forward(x)", out, np.tanh(x), atol=TANH_VALUE,
                 why="(e^x - e^-x) / (e^x + e^-x); compute it from e^-2|x|, which cannot overflow", inputs={"x": x})


@prop(TANH, I2DL, "tanh is a scaled and shifted sigmoid: tanh_forward(x) = 2 sigmoid_forward(2x) - 1, for |x| up to 1000.")
@given(x=activation_inputs(magnitude=500.0))
@example(x=EXTREMES / 2)
def test_tanh_is_a_scaled_sigmoid(tanh_forward, sigmoid_forward, x):
    # 2x is exact; the sigmoid is within SIGMOID_VALUE / 2 = 4u of sigma(2x) (see above), doubled 8u, minus 1 a
    # rounding u of a result <= 1: 9u; tanh within 7u (see TANH_VALUE). Sum 16u.
    t, _ = tanh_forward(x)
    s, _ = sigmoid_forward(2 * x)
    expect.close("out of tanh_forward(x)", t, 2 * s - 1, atol=16 * U, why="2 sigmoid_forward(2x)[0] - 1", inputs={"x": x})


@prop(TANH, I2DL, "tanh_backward(dout, cache) matches the central-difference gradient of sum(dout * tanh_forward(x)[0]).")
@given(xd=inputs_and_upstream())
@example(xd=(np.array([[-3.0, 0.0, 0.5, 2.0]]), np.array([[1.0, -2.0, 3.0, 0.5]])))
def test_tanh_backward_matches_finite_differences(tanh_forward, tanh_backward, xd):
    # As for the sigmoid: |tanh'''| = tanh' |6 t^2 - 2| <= 4 tanh', so the truncation s^2/6 |tanh'''| stays below
    # 7e-9 relative to tanh' (s <= 1e-4 for |x| <= 10): far under rtol.
    x, dout = xd
    check_layer_gradient(tanh_forward, tanh_backward, x, dout, name="dx of tanh_backward")


@prop(TANH, VANISHING, "tanh's local gradient 1 - tanh(x)^2 lies in [0, 1]: with dout = 1, 0 <= dx <= 1, and 1 only at x = 0.")
@given(x=activation_inputs(magnitude=50.0))
@example(x=EXTREMES)
def test_tanh_gradient_is_at_most_1(tanh_forward, tanh_backward, x):
    # 1 - t^2 with |t| <= 1 is in [0, 1] in exact arithmetic and every rounding of it stays there (t^2 rounds to a
    # number in [0, 1], 1 minus it is exact by Sterbenz for t^2 >= 1/2 and within [0, 1] otherwise); (1 - t)(1 + t)
    # likewise. Allowed: [0, 1 + EPS].
    _, cache = tanh_forward(x)
    dx = tanh_backward(np.ones_like(x), cache)
    expect.holds("tanh_backward(ones, cache)", dx, (dx >= 0) & (dx <= 1 + EPS),
                 "in [0, 1]: tanh'(x) = 1 - tanh(x)^2", inputs={"x": x})


# Mutants.


@mutant(of="sigmoid_forward", kills=[test_sigmoid_forward_is_the_logistic_function, test_tanh_is_a_scaled_sigmoid])
def sigmoid_forward_as_exp_over_one_plus_exp(x):
    """e^x / (1 + e^x): the same function on paper, but inf / inf = NaN once x > 709."""
    e = np.exp(x)
    out = e / (1.0 + e)
    return out, out


@mutant(of="sigmoid_forward", kills=[test_sigmoid_forward_is_the_logistic_function])
def sigmoid_forward_in_place(x):
    """Computes in x's own memory (x *= -1; np.exp(x, out=x); ...): the caller's x is overwritten."""
    np.negative(x, out=x)
    np.exp(x, out=x)
    x += 1.0
    np.reciprocal(x, out=x)
    return x, x


@mutant(of="sigmoid_backward", kills=[test_sigmoid_backward_matches_finite_differences,
                                      test_sigmoid_gradient_is_at_most_a_quarter])
def sigmoid_backward_as_out(dout, cache):
    """dx = dout * s: the factor (1 - s) of s (1 - s) forgotten."""
    return dout * cache


@mutant(of="sigmoid_backward", kills=[test_sigmoid_backward_matches_finite_differences,
                                      test_sigmoid_gradient_is_at_most_a_quarter])
def sigmoid_backward_missing_the_factor_s(dout, cache):
    """dx = dout * (1 - s): the other factor forgotten."""
    return dout * (1.0 - cache)


@mutant(of="sigmoid_backward", kills=[test_sigmoid_backward_matches_finite_differences])
def sigmoid_backward_ignoring_dout(dout, cache):
    """Returns the local gradient s (1 - s) only, forgetting the upstream dout."""
    return cache * (1.0 - cache) + 0.0 * dout


@mutant(of="tanh_forward", kills=[test_tanh_forward_is_tanh])
def tanh_forward_by_its_definition(x):
    """(e^x - e^-x) / (e^x + e^-x): inf / inf = NaN once |x| > 710."""
    out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    return out, out


@mutant(of="tanh_forward", kills=[test_tanh_forward_is_tanh, test_tanh_is_a_scaled_sigmoid])
def tanh_forward_as_2_sigmoid_x_minus_1(x):
    """2 sigmoid(x) - 1, forgetting the 2 in sigmoid(2x): that is tanh(x / 2)."""
    out = 2.0 * trusted_sigmoid(x) - 1.0
    return out, out


@mutant(of="tanh_backward", kills=[test_tanh_backward_matches_finite_differences, test_tanh_gradient_is_at_most_1])
def tanh_backward_not_squared(dout, cache):
    """dx = dout * (1 - tanh): the square of 1 - tanh^2 forgotten (above 1 wherever tanh < 0)."""
    return dout * (1.0 - cache)


@mutant(of="tanh_backward", kills=[test_tanh_backward_matches_finite_differences])
def tanh_backward_applying_tanh_to_the_cache(dout, cache):
    """dout * (1 - tanh(cache)^2): treats the cached output as the input and takes tanh again."""
    return dout * (1.0 - np.tanh(cache) ** 2)


@mutant(of="tanh_backward", kills=[test_tanh_backward_matches_finite_differences])
def tanh_backward_ignoring_dout(dout, cache):
    """Returns the local gradient 1 - tanh^2 only, forgetting the upstream dout."""
    return 1.0 - cache**2 + 0.0 * dout


# Correct alternatives.


@alternative(of="sigmoid_forward")
def sigmoid_forward_naive_with_an_overflow_warning(x):
    """1 / (1 + e^-x): e^-x overflows to inf for x < -709 (a RuntimeWarning), and 1 / inf = 0 is still right."""
    with np.errstate(over="ignore"):
        out = 1.0 / (1.0 + np.exp(-x))
    return out, out


@alternative(of="sigmoid_forward")
def sigmoid_forward_by_tanh(x):
    """0.5 (1 + tanh(x / 2)): accurate in absolute terms, which is what the contract asks."""
    out = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out, out


@alternative(of="sigmoid_forward")
def sigmoid_forward_by_scipy(x):
    """scipy.special.expit."""
    out = scipy.special.expit(x)
    return out, out


@alternative(of="sigmoid_backward")
def sigmoid_backward_as_s_minus_s_squared(dout, cache):
    """dout * (s - s**2)."""
    return dout * (cache - cache**2)


@alternative(of="tanh_forward")
def tanh_forward_by_exp_of_minus_2_abs_x(x):
    """sign(x) (1 - e) / (1 + e) with e = e^-2|x| <= 1: never overflows."""
    e = np.exp(-2.0 * np.abs(x))
    out = np.sign(x) * (1.0 - e) / (1.0 + e)
    return out, out


@alternative(of="tanh_forward")
def tanh_forward_by_the_sigmoid(x):
    """2 sigmoid(2x) - 1, with a stable sigmoid."""
    out = 2.0 * trusted_sigmoid(2.0 * x) - 1.0
    return out, out


@alternative(of="tanh_backward")
def tanh_backward_factored(dout, cache):
    """dout * (1 - t)(1 + t)."""
    return dout * (1.0 - cache) * (1.0 + cache)
