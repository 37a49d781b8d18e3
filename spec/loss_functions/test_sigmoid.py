"""The sigmoid: one score in, the probability of the positive class out.

sigmoid(x) = 1 / (1 + e^-x), elementwise.

What float64 can represent: the sigmoid's values lie strictly inside (0, 1), but 1 - sigmoid(x) ~ e^-x drops below
half the spacing of floats just under 1 (2^-54 = 5.6e-17) once x > 37.4, so from there the correctly rounded value
is exactly 1.0; at the other end sigmoid(x) ~ e^x drops below half the smallest subnormal (2^-1075) once
x < -745.1, and the correctly rounded value is exactly 0.0. So in float64 the range is [0, 1], and the open interval
(0, 1) is kept for |x| <= 30, where e^-30 = 9.4e-14 is hundreds of roundings away from either end.

Accuracy is absolute, not relative: 0.5 * (1 + tanh(x / 2)) is a correct sigmoid whose value near 0 is a difference
of numbers near 1 (for x = -40 it returns 0 instead of 4.2e-18), so every tolerance below is a few u = EPS/2 in
absolute terms.
"""

import math

import numpy as np
import scipy.special
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.loss_functions.strategies import elementwise_inputs, vectors
from spec.property import alternative, mutant, prop

CONCEPT = "sigmoid"
I2DL = "TUM I2DL lecture 6 recap, slide 20 (sigmoid for binary predictions)"
I2DL3 = "TUM I2DL lecture 3, slides 7 and 24-26 (sigmoid activation; backprop through the sigmoid neuron)"

# Absolute error of a correct float64 sigmoid, |s - sigma(x)|: each route is a few operations on numbers in [0, 2]
# whose exact result lies in [0, 1]. By exp(-|x|) and a quotient: exp within 1 ulp (2u relative; NumPy's exp is not
# always correctly rounded), 1 + e within u more, the quotient within u: 4u relative on a value <= 1. By tanh:
# tanh within 2u, 1 + tanh within u, the halving exact: 3u absolute. Either way under 4u = 2 EPS.
VALUE_ERROR = 2 * EPS

# |x| up to this bound keeps sigmoid(x) strictly inside (0, 1) in float64 (see the module docstring).
OPEN_INTERVAL = 30.0


def trusted_sigmoid(x):
    """sigma(x) by exp(-|x|), which never overflows: the definition, computed here."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@prop(CONCEPT, I2DL, "The sigmoid is a probability: every value in [0, 1] (float64 rounds to the ends past |x| = 37), and strictly inside (0, 1) for |x| <= 30.")
@given(x=elementwise_inputs(magnitude=1000.0))
@example(x=np.array([[-1000.0, -OPEN_INTERVAL, 0.0, OPEN_INTERVAL, 1000.0]]))
def test_sigmoid_values_are_probabilities(sigmoid, x):
    s = sigmoid(x)
    expect.holds("sigmoid(x)", s, (s >= 0) & (s <= 1), "in [0, 1]", inputs={"x": x})
    inner = np.abs(x) <= OPEN_INTERVAL
    expect.holds("sigmoid(x)", s, ~inner | ((s > 0) & (s < 1)),
                 f"strictly inside (0, 1) where |x| <= {OPEN_INTERVAL:g}", inputs={"x": x})


@prop(CONCEPT, I2DL, "The sigmoid is symmetric about (0, 1/2): sigmoid(-x) = 1 - sigmoid(x).")
@given(x=elementwise_inputs(magnitude=1000.0))
@example(x=np.array([[0.0, 1.0, -3.5, 1000.0]]))
def test_sigmoid_is_symmetric(sigmoid, x):
    # Both values are within VALUE_ERROR = 4u of the truth, and the spec's 1 - s rounds by at most u/2 more: 8.5u in
    # all. 8 EPS = 16u is about twice that.
    expect.close("sigmoid(-x)", sigmoid(-x), 1.0 - sigmoid(x), atol=8 * EPS, why="should equal 1 - sigmoid(x)",
                 inputs={"x": x})


@prop(CONCEPT, I2DL3, "The sigmoid is increasing, and never steeper than 1/4 (its slope at 0): 0 <= sigmoid(x + h) - sigmoid(x) <= h/4 for h >= 0.")
@given(xh=elementwise_inputs().flatmap(
    lambda x: st.tuples(st.just(x), vectors(x.size, st.floats(0.0, 10.0)).map(lambda h: h.reshape(x.shape)))))
@example(xh=(np.array([[0.0, -0.25]]), np.array([[0.5, 0.5]])))
def test_sigmoid_is_increasing_with_slope_at_most_a_quarter(sigmoid, xh):
    x, h = xh
    b = x + h
    step = b - x  # the step actually taken, up to the rounding of this subtraction (u |step|)
    rise = sigmoid(b) - sigmoid(x)
    # The two values are within 4u each and their difference rounds by u: 9u. The spec's step / 4 is within
    # u |step| / 4 of the exact quarter-step. 8 EPS (1 + step) = 16u (1 + step) covers both about twice.
    tol = 8 * EPS * (1 + step)
    inputs = {"x": x, "h": h}
    expect.holds("sigmoid(x + h) - sigmoid(x)", rise, rise >= -tol, "at least 0 (the sigmoid is increasing)", inputs=inputs)
    expect.holds("sigmoid(x + h) - sigmoid(x)", rise, rise <= step / 4 + tol,
                 "at most h/4 (the slope sigmoid(1 - sigmoid) is at most 1/4)", inputs=inputs)


@prop(CONCEPT, I2DL3, "The derivative of the sigmoid is sigmoid(x) (1 - sigmoid(x)): it matches centered finite differences.")
# At most 8 entries (see the tolerance note below).
@given(x=elementwise_inputs(magnitude=20.0, rows=st.integers(1, 2), columns=st.integers(1, 4)))
@example(x=np.array([[1.0, 0.0, -2.0]]))
def test_sigmoid_derivative_is_sigma_times_one_minus_sigma(sigmoid, x):
    s = sigmoid(x)
    # Elementwise, so the derivative of phi(x) = sum(sigmoid(x)) in x[i] is sigma'(x[i]). The checker allows
    # 8 EPS S / step = 16u S / step for rounding. Each value is accurate in absolute terms only (VALUE_ERROR = 4u:
    # by tanh, sigmoid(-20) is 1 + tanh(-10) halved, a difference of numbers near 1), so S is the count K of values,
    # not their sum: 4u for the one value that changes, and summing at most 8 values of size <= 1 adds at most 7u
    # to each evaluation: 2 (4u + 7u) = 22u <= 16u K for K >= 2; for K = 1 nothing is summed, 8u < 16u.
    # sigma''' <= 1/8, so the truncation (step^2 / 6) sigma''' is far below rtol.
    check_gradient(lambda z: sigmoid(z), x, s * (1 - s), upstream=np.ones_like(x), value_scale=float(x.size),
                   name="sigmoid(x) (1 - sigmoid(x)) as the derivative of sigmoid(x)")


@prop(CONCEPT, I2DL, "The sigmoid is numerically stable: scores as large as ±1000 give finite, accurate values, exactly 1.0 at the top.")
@given(x=elementwise_inputs(magnitude=1000.0))
@example(x=np.array([[-1000.0, -800.0, -40.0, 0.0, 40.0, 800.0, 1000.0]]))
def test_sigmoid_is_stable_for_scores_of_magnitude_1000(sigmoid, x):
    s = sigmoid(x)
    inputs = {"x": x}
    expect.holds("sigmoid(x)", s, np.isfinite(s), "finite (exp(-x) overflows for x < -709: use exp(-|x|))",
                 inputs=inputs)
    # VALUE_ERROR (4u) for the sigmoid under test, at most u/2 more for the trusted value: 2 EPS + EPS/4 < 3 EPS.
    expect.close("sigmoid(x)", s, trusted_sigmoid(x), atol=3 * EPS, inputs=inputs)
    # From x = 40, 1 - sigma(x) < 4.3e-18 is below the 5.6e-17 rounding threshold under 1: the correctly rounded
    # value is 1.0, and every route gives it (1 + e^-x rounds to 1; tanh(x/2) rounds to 1). At the bottom the
    # correctly rounded value is 0.0 only below -745 and 1e-200 is as good to 3 EPS: not demanded exactly there.
    top = x >= 40
    expect.equal("sigmoid(x)", np.where(top, s, 1.0), 1.0, why="exactly 1.0 for x >= 40 in float64", inputs=inputs)


@prop(CONCEPT, I2DL3, "The lecture's sigmoid neuron: w.x + b = 2(-1) + (-3)(-2) - 3 = 1 gives e^-1 = 0.37, 1 + e^-1 = 1.37, sigmoid(1) = 1/1.37 = 0.73.")
def test_sigmoid_matches_the_lecture_example(sigmoid):
    # Slide 25 rounds to two places. To 8 places: e^-1 = 0.36787944, sigmoid(1) = 1 / 1.36787944 = 0.73105858,
    # sigmoid(-1) = 1 - 0.73105858 = 0.26894142, sigmoid(0) = 1/2 exactly. (Slide 26's local gradient
    # -1/1.37^2 = -0.53444665 and sigmoid'(1) = 0.73105858 * 0.26894142 = 0.19661193 follow from these.)
    x = np.array([[1.0, -1.0, 0.0]])
    expect.close("sigmoid(x)", sigmoid(x), [[0.73105858, 0.26894142, 0.5]], atol=5e-9, why="worked example",
                 inputs={"x": x})


# Mutants: the sigmoid as students get it wrong.


@mutant(of="sigmoid", kills=[test_sigmoid_values_are_probabilities, test_sigmoid_is_symmetric, test_sigmoid_is_stable_for_scores_of_magnitude_1000])
def sigmoid_as_exp_over_one_plus_exp(x):
    """e^x / (1 + e^x): the same function on paper, but inf / inf = nan once x > 709."""
    e = np.exp(x)
    return e / (1.0 + e)


@mutant(of="sigmoid", kills=[test_sigmoid_is_increasing_with_slope_at_most_a_quarter, test_sigmoid_derivative_is_sigma_times_one_minus_sigma, test_sigmoid_matches_the_lecture_example])
def sigmoid_by_tanh_without_halving(x):
    """0.5 * (1 + tanh(x)): the tanh identity without the x/2, i.e. sigmoid(2x), twice as steep."""
    return 0.5 * (1.0 + np.tanh(x))


@mutant(of="sigmoid", kills=[test_sigmoid_is_increasing_with_slope_at_most_a_quarter, test_sigmoid_derivative_is_sigma_times_one_minus_sigma, test_sigmoid_matches_the_lecture_example])
def sigmoid_without_the_minus_sign(x):
    """1 / (1 + e^x) (stably): the minus sign of e^-x forgotten, which turns the sigmoid upside down."""
    return trusted_sigmoid(-x)


@mutant(of="sigmoid", kills=[test_sigmoid_values_are_probabilities, test_sigmoid_is_symmetric])
def sigmoid_as_tanh(x):
    """tanh(x), the other S-shaped activation of the lecture: its values lie in (-1, 1)."""
    return np.tanh(x)


@mutant(of="sigmoid", kills=[test_sigmoid_values_are_probabilities])
def sigmoid_as_a_step(x):
    """A hard threshold (the perceptron's step), 1/2 at 0: only 0, 1/2 and 1 come out."""
    return np.heaviside(x, 0.5)


@mutant(of="sigmoid", kills=[test_sigmoid_is_symmetric])
def sigmoid_with_epsilon_in_the_denominator(x):
    """1 / (1 + e^-x + 1e-8) (stably) "to avoid dividing by zero": every value a little too small."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e + 1e-8), e / (1.0 + e + 1e-8))


@mutant(of="sigmoid", kills=[test_sigmoid_is_stable_for_scores_of_magnitude_1000])
def sigmoid_with_clipped_output(x):
    """Clips the result to [1e-7, 1 - 1e-7] "so that log() never sees 0": wrong by up to 1e-7 at the ends."""
    return np.clip(trusted_sigmoid(x), 1e-7, 1 - 1e-7)


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="sigmoid")
def sigmoid_from_scipy(x):
    """scipy.special.expit."""
    return scipy.special.expit(x)


@alternative(of="sigmoid")
def sigmoid_by_tanh(x):
    """0.5 * (1 + tanh(x / 2)): accurate in absolute terms only (it returns 0 for x = -40)."""
    return 0.5 * (1.0 + np.tanh(x / 2))


@alternative(of="sigmoid")
def sigmoid_by_the_textbook_formula(x):
    """1 / (1 + exp(-x)) as written on the slide. exp(-x) overflows to inf for x < -709, with a RuntimeWarning, but
    1 / (1 + inf) = 0 is the right answer there (the true value is below 1e-308): not wrong, just noisy."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


@alternative(of="sigmoid")
def sigmoid_with_clipped_input(x):
    """Clips x to [-500, 500] first: sigmoid(-1000) comes out as 7e-218 instead of 0, within any absolute tolerance."""
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))


@alternative(of="sigmoid")
def sigmoid_with_loops(x):
    """Entry by entry with math.exp, branching on the sign as the stable formula does."""
    out = np.empty_like(x)
    for index, v in np.ndenumerate(x):
        if v >= 0:
            out[index] = 1.0 / (1.0 + math.exp(-v))
        else:
            e = math.exp(v)
            out[index] = e / (1.0 + e)
    return out


@alternative(of="sigmoid")
def sigmoid_through_log_sigmoid(x):
    """exp(-log(1 + e^-x)) with np.logaddexp: the log-domain route."""
    return np.exp(-np.logaddexp(0.0, -x))
