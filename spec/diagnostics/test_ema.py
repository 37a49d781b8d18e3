"""EMA smoothing: ema_smooth(values, beta=0.9, bias_correction=True) -> smoothed, shape (T,).

v_0 = 0, v_t = beta v_{t-1} + (1 - beta) values[t - 1]; smoothed[t - 1] = v_t / (1 - beta**t) with the correction
(Adam's m_hat), v_t without. With the correction, smoothed[t - 1] is a weighted average of the values so far with
weights (1 - beta) beta**(t - s) / (1 - beta**t), s = 1..t, which sum to 1.

Every value is compared with the exact one (common.ema_exact: fractions from the float inputs), within the rounding
bound common.ema_rounding derives for every correct form (the recursion, a running weighted mean, a matrix of weights,
scipy's lfilter): U S_t (4 / (1 - beta) + 2 t + 13), S_t the largest |value| up to step t. Mistakes are off by a
fraction of the values themselves (a missing 1 - beta**t is a factor of 10 at the first step for beta = 0.9).

The smoothing of noise is checked statistically, with a bound that a correct implementation exceeds with probability
below e^-30 (derived at the property).
"""

import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.diagnostics.common import (
    I2DL_EMA,
    U,
    betas,
    constants,
    curves,
    ema_exact,
    ema_rounding,
    ema_weights_exact,
    seeds,
)
from spec.property import alternative, mutant, prop

CONCEPT = "EMA smoothing"


def call_text(values, beta, bias_correction) -> str:
    return f"ema_smooth(values, beta={beta!r}, bias_correction={bias_correction!r})"


def expect_smoothed(smoothed, values, beta, bias_correction, why, inputs, expected=None):
    """smoothed matches the exact EMA (or `expected`, itself exact) within the rounding bound, entry by entry."""
    expected = ema_exact(values, beta, bias_correction) if expected is None else expected
    expect.close(call_text(values, beta, bias_correction), smoothed, expected, atol=ema_rounding(values, beta),
                 why=why, inputs=inputs)


@prop(CONCEPT, I2DL_EMA, "Worked by hand: beta 0.5 on [2, 4] gives [2, 10/3] with the bias correction (v = 1, 2.5 divided by 1 - 0.5, 1 - 0.25) and [1, 2.5] without; the defaults (beta 0.9, corrected) on [1, 2, 3] give [1, 29/19, 561/271].")
def test_ema_worked_example_by_hand(ema_smooth):
    # beta = 0.5 on [2, 4]: v_1 = 0.5 * 0 + 0.5 * 2 = 1, v_2 = 0.5 * 1 + 0.5 * 4 = 2.5; corrected 1 / (1 - 0.5) = 2 and
    # 2.5 / (1 - 0.25) = 10/3. Every number but 10/3 is a float, so ema_exact gives exactly these.
    values = [2.0, 4.0]
    for flag, expected, how in (
        (True, np.array([2.0, 10 / 3]), ("v_1 = 0.5 * 0 + 0.5 * 2 = 1, 1 / (1 - 0.5) = 2; "
                                         "v_2 = 0.5 * 1 + 0.5 * 4 = 2.5, 2.5 / (1 - 0.5**2) = 10/3")),
        (False, np.array([1.0, 2.5]), "v_1 = 0.5 * 0 + 0.5 * 2 = 1, v_2 = 0.5 * 1 + 0.5 * 4 = 2.5, from v_0 = 0"),
    ):
        smoothed = ema_smooth(values, beta=0.5, bias_correction=flag)
        expect_smoothed(smoothed, values, 0.5, flag, how, {"values": values}, expected=expected)
    # The defaults on [1, 2, 3]: v = 0.1, 0.29, 0.561 (v_2 = 0.9 * 0.1 + 0.1 * 2, v_3 = 0.9 * 0.29 + 0.1 * 3), divided by
    # 1 - 0.9, 1 - 0.81, 1 - 0.729: 1, 29/19 = 1.5263..., 561/271 = 2.0701... (for the float nearest 0.9, which
    # ema_exact uses: these decimals are within a few U of its exact values).
    values = [1.0, 2.0, 3.0]
    smoothed = ema_smooth(values)
    expect.close("ema_smooth(values) (defaults beta=0.9, bias_correction=True)", smoothed,
                 ema_exact(values, 0.9, True), atol=ema_rounding(values, 0.9),
                 why="v = 0.1, 0.29, 0.561 over 1 - 0.9**t: 1, 29/19, 561/271", inputs={"values": values})
    smoothed = ema_smooth(values, bias_correction=False)
    expect.close("ema_smooth(values, bias_correction=False) (default beta=0.9)", smoothed,
                 ema_exact(values, 0.9, False), atol=ema_rounding(values, 0.9),
                 why="v = 0.1, 0.29, 0.561 from v_0 = 0", inputs={"values": values})


@prop(CONCEPT, I2DL_EMA, "With the bias correction, a constant curve stays that constant from the first step on: the weights of each smoothed value sum to 1.")
@given(level=constants(), length=st.integers(1, 40), beta=betas(), as_list=st.booleans())
@example(level=1.0, length=5, beta=0.9, as_list=True)
def test_ema_of_a_constant_curve_is_that_constant(ema_smooth, level, length, beta, as_list):
    values = np.full(length, level)
    values = values.tolist() if as_list else values
    smoothed = ema_smooth(values, beta, True)
    expect_smoothed(smoothed, values, beta, True, "the constant itself: v_t = c (1 - beta**t), divided by 1 - beta**t",
                    {"values": values, "beta": beta}, expected=np.full(length, level))


@prop(CONCEPT, I2DL_EMA, "Fed unit impulses, the bias-corrected EMA gives back its weights: smoothed[t] weighs values[s] by (1 - beta) beta**(t - s) / (1 - beta**t) for s <= t and by exactly 0 for s > t, and each step's weights sum to 1.")
@given(length=st.integers(1, 8), beta=betas())
@example(length=3, beta=0.5)
@example(length=4, beta=0.9)
def test_ema_weights_sum_to_1(ema_smooth, length, beta):
    # The EMA is linear in the values: smoothed(e_s)[t] is the weight of values[s] in smoothed[t]. Each weight is
    # within ema_rounding(e_s) of the exact one (S_t = 1 from step s on, 0 before it, so exactly 0 there); the row sum
    # of t of them within the sum of their bounds, plus 2 U for math.fsum (correctly rounded) of a sum near 1. (The
    # exact weights are rounded to floats for the comparison: ema_rounding's constant covers that.)
    weights = np.zeros((length, length))
    bounds = np.zeros((length, length))
    for s in range(length):
        impulse = np.zeros(length)
        impulse[s] = 1.0
        weights[:, s] = ema_smooth(impulse, beta, True)
        bounds[:, s] = ema_rounding(impulse, beta)
    inputs = {"beta": beta, "T": length}
    sums = np.array([math.fsum(row) for row in weights])
    expect.close(f"the weights of smoothed[t] summed over s (unit impulses fed to ema_smooth, beta={beta!r})", sums,
                 np.ones(length), atol=bounds.sum(axis=1) + 2 * U,
                 why="a weighted average: (1 - beta) (1 + beta + ... + beta**(t-1)) / (1 - beta**t) = 1",
                 inputs=inputs)
    exact = np.array([[float(w) for w in row] for row in ema_weights_exact(length, beta, True)])
    expect.close(f"weight [t, s] of values[s] in smoothed[t] (ema_smooth of the unit impulse e_s, beta={beta!r})",
                 weights, exact, atol=bounds,
                 why="(1 - beta) beta**(t - s) / (1 - beta**t) for s <= t, 0 for a later s (no look-ahead)",
                 inputs=inputs)


@prop(CONCEPT, I2DL_EMA, "Without the bias correction, the smoothed curve is the plain recursion v_t = beta v_{t-1} + (1 - beta) values[t-1] from v_0 = 0.")
@given(values=curves(), beta=betas())
@example(values=[2.0, 4.0], beta=0.5)
def test_ema_without_bias_correction_is_the_plain_recursion_from_0(ema_smooth, values, beta):
    smoothed = ema_smooth(values, beta, False)
    expect_smoothed(smoothed, values, beta, False, "v_t = beta v_{t-1} + (1 - beta) values[t-1] from v_0 = 0",
                    {"values": values, "beta": beta})


@prop(CONCEPT, I2DL_EMA, "With the bias correction, each smoothed value is v_t / (1 - beta**t), t counted from 1, as Adam's m_hat.")
@given(values=curves(), beta=betas())
@example(values=[2.0, 4.0], beta=0.5)
@example(values=[1.0, 2.0, 3.0], beta=0.9)
def test_ema_with_bias_correction_divides_by_1_minus_beta_to_the_t(ema_smooth, values, beta):
    smoothed = ema_smooth(values, beta, True)
    expect_smoothed(smoothed, values, beta, True,
                    "v_t / (1 - beta**t) with v_t = beta v_{t-1} + (1 - beta) values[t-1], v_0 = 0, t = 1, 2, ...",
                    {"values": values, "beta": beta})


@prop(CONCEPT, I2DL_EMA, "beta = 0 smooths nothing: the curve comes back as it was, with or without the bias correction.")
@given(values=curves(), bias_correction=st.booleans())
@example(values=[2.0, 4.0], bias_correction=True)
def test_ema_with_beta_0_returns_the_curve(ema_smooth, values, bias_correction):
    smoothed = ema_smooth(values, 0.0, bias_correction)
    expect_smoothed(smoothed, values, 0.0, bias_correction, "values itself: v_t = values[t-1] and 1 - 0**t = 1",
                    {"values": values}, expected=np.asarray(values, dtype=np.float64))


# Smoothing noise. x_t = mu + sigma z_t with z_t i.i.d. N(0, 1), T = NOISE_LENGTH. The bias-corrected EMA's weights sum
# to 1, so smoothed_t - mu = sigma sum_s w_ts z_s, of variance sigma^2 sum_s w_ts^2 = sigma^2 r (1 + beta**t) /
# (1 - beta**t), r = (1 - beta) / (1 + beta) the stationary EMA's ratio. Past the first BURN_IN steps (where the
# correction still leans on few values) the mean square Q = (1/n) sum_t (smoothed_t - mu)^2 over the n = T - BURN_IN
# later steps is sigma^2 z^T A z, A = W^T W / n (W the later rows of the weight matrix) positive semidefinite with
#   trace A = E = (1/n) sum_{t > BURN_IN} r (1 + beta**t) / (1 - beta**t),
#   largest eigenvalue lam <= ||W||_1 ||W||_inf / n <= 1 / (n (1 - beta**(BURN_IN + 1)))  (rows of W sum to 1, its
#   columns to at most 1 / (1 - beta**(BURN_IN + 1))), and sum of squared eigenvalues <= lam E.
# Laurent and Massart (2000, Lemma 1): P(z^T A z >= E + 2 sqrt(lam E y) + 2 lam y) <= e^-y; y = 30 (e^-30 = 9e-14 per
# example). For beta in [0.5, 0.99] this bound stays below 0.75 (0.747 at beta 0.5, where r = 1/3; 0.23 at 0.99): the
# variance is lowered, to about r of it. Rounding: the inputs are rounded to floats (within U |x_t|) and the EMA within
# ema_rounding, so sqrt(Q) moves by at most delta = max_t (ema_rounding_t + U S_t); computing Q adds (n + 4) U
# relative. A beta swapped with 1 - beta has ratio beta / (2 - beta) (0.82 at 0.9), above the bound for beta >= 0.7.
# (600 steps keep the explicit matrix of weights of a correct alternative small: 360,000 entries.)
NOISE_LENGTH = 600
BURN_IN = 120
TAIL = 30.0


def noise_bound(beta: float) -> float:
    """The bound on Q / sigma^2 that a correct EMA exceeds with probability <= e^-TAIL (see above)."""
    n = NOISE_LENGTH - BURN_IN
    t = np.arange(BURN_IN + 1, NOISE_LENGTH + 1)
    r = (1 - beta) / (1 + beta)
    mean = float(np.mean(r * (1 + beta**t) / (1 - beta**t)))
    lam = 1 / (n * (1 - beta ** (BURN_IN + 1)))
    return mean + 2 * math.sqrt(lam * mean * TAIL) + 2 * lam * TAIL


@prop(CONCEPT, I2DL_EMA, "Smoothing lowers the variance of i.i.d. Gaussian noise to about (1 - beta) / (1 + beta) of it (the stationary EMA's ratio): on 600 steps its mean square deviation stays below that plus a margin that correct code exceeds with probability below e^-30.")
@given(beta=betas(0.5, 0.99), level=st.sampled_from([0.0, 2.3]) | st.floats(-10, 10), sigma=st.floats(0.1, 10),
       seed=seeds())
@example(beta=0.9, level=2.3, sigma=1.0, seed=0)
def test_ema_lowers_the_variance_of_noise(ema_smooth, beta, level, sigma, seed):
    values = level + sigma * np.random.default_rng(seed).standard_normal(NOISE_LENGTH)
    smoothed = ema_smooth(values, beta, True)
    later = slice(BURN_IN, None)
    square = float(np.mean((smoothed[later] - level) ** 2))
    bound = noise_bound(beta)
    delta = float(np.max(ema_rounding(values, beta) + U * np.maximum.accumulate(np.abs(values))))
    allowed = (sigma * math.sqrt(bound) + delta) ** 2 * (1 + (NOISE_LENGTH + 4) * U)
    raw = float(np.mean((values[later] - level) ** 2))
    expect.holds(f"the mean square deviation of ema_smooth(noise, beta={beta!r}) from the level, over steps "
                 f"{BURN_IN + 1}..{NOISE_LENGTH}", square, square <= allowed,
                 f"<= {allowed:.4g}: about (1 - beta) / (1 + beta) = {(1 - beta) / (1 + beta):.4g} of the noise's "
                 f"variance sigma^2 = {sigma**2:.4g} (the raw curve's is {raw:.4g}), plus the margin",
                 inputs={"level": level, "sigma": sigma, "seed": seed, "values": values})


@prop(CONCEPT, I2DL_EMA, "ema_smooth leaves its input as it was, an ndarray or a list: the smoothed curve is computed elsewhere.")
@given(values=curves(), beta=betas(), bias_correction=st.booleans())
@example(values=np.array([2.0, 4.0]), beta=0.5, bias_correction=True)
def test_ema_leaves_its_input_as_it_was(ema_smooth, values, beta, bias_correction):
    before = np.array(values, dtype=np.float64)
    kind = type(values).__name__
    ema_smooth(values, beta, bias_correction)
    after = np.asarray(values, dtype=np.float64)
    if after.shape != before.shape:
        expect.fail(f"{call_text(values, beta, bias_correction)} changed the length of its input {kind} from "
                    f"{before.size} to {after.size}; it should leave it as it was", {"values": before})
    expect.equal(f"the input {kind} values after {call_text(values, beta, bias_correction)}", after, before,
                 why="what it was before the call: smooth into a new array", inputs={"values": before})


# Mutants.


@mutant(of="ema_smooth", kills=[test_ema_worked_example_by_hand,
                                test_ema_of_a_constant_curve_is_that_constant,
                                test_ema_weights_sum_to_1])
def ema_never_bias_corrected(values, beta=0.9, bias_correction=True):
    """The plain recursion even when the correction is asked for: the curve starts near 0."""
    v, out = 0.0, []
    for x in values:
        v = beta * v + (1 - beta) * x
        out.append(v)
    return np.array(out, dtype=np.float64)


@mutant(of="ema_smooth", kills=[test_ema_worked_example_by_hand,
                                test_ema_without_bias_correction_is_the_plain_recursion_from_0])
def ema_always_bias_corrected(values, beta=0.9, bias_correction=True):
    """Divides by 1 - beta**t whatever bias_correction says."""
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta**t))
    return np.array(out, dtype=np.float64)


@mutant(of="ema_smooth", kills=[test_ema_of_a_constant_curve_is_that_constant,
                                test_ema_without_bias_correction_is_the_plain_recursion_from_0,
                                test_ema_with_bias_correction_divides_by_1_minus_beta_to_the_t])
def ema_from_the_first_value(values, beta=0.9, bias_correction=True):
    """v_0 = values[0] instead of 0 (TensorBoard's start), then corrected as if it had started at 0."""
    values = np.asarray(values, dtype=np.float64)
    v, out = (float(values[0]) if values.size else 0.0), []
    for t, x in enumerate(values.tolist(), start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out, dtype=np.float64)


@mutant(of="ema_smooth", kills=[test_ema_with_bias_correction_divides_by_1_minus_beta_to_the_t,
                                test_ema_with_beta_0_returns_the_curve])
def ema_corrected_by_beta_to_the_t(values, beta=0.9, bias_correction=True):
    """Divides by beta**t instead of 1 - beta**t (and by 0 when beta = 0)."""
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / beta**t if bias_correction else v)
    return np.array(out, dtype=np.float64)


@mutant(of="ema_smooth", kills=[test_ema_with_bias_correction_divides_by_1_minus_beta_to_the_t,
                                test_ema_with_beta_0_returns_the_curve])
def ema_corrected_with_t_from_0(values, beta=0.9, bias_correction=True):
    """for t, x in enumerate(values): ... / (1 - beta**t): the first step divides by 1 - beta**0 = 0."""
    values = np.asarray(values, dtype=np.float64)
    v = np.zeros_like(values)
    previous = 0.0
    for t in range(values.size):
        previous = v[t] = beta * previous + (1 - beta) * values[t]
    if bias_correction:
        with np.errstate(divide="ignore", invalid="ignore"):
            v = v / (1 - beta ** np.arange(values.size))
    return v


@mutant(of="ema_smooth", kills=[test_ema_weights_sum_to_1,
                                test_ema_with_bias_correction_divides_by_1_minus_beta_to_the_t])
def ema_corrected_with_the_exponent_one_too_high(values, beta=0.9, bias_correction=True):
    """t counted from 1 and the exponent t + 1 as well: divides v_t by 1 - beta**(t + 1)."""
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta ** (t + 1)) if bias_correction else v)
    return np.array(out, dtype=np.float64)


@mutant(of="ema_smooth", kills=[test_ema_without_bias_correction_is_the_plain_recursion_from_0,
                                test_ema_with_beta_0_returns_the_curve,
                                test_ema_lowers_the_variance_of_noise])
def ema_with_beta_and_1_minus_beta_swapped(values, beta=0.9, bias_correction=True):
    """v_t = (1 - beta) v_{t-1} + beta x_t: beta weighs the new value, so 0.9 barely smooths at all."""
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = (1 - beta) * v + beta * x
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out, dtype=np.float64)


@mutant(of="ema_smooth", kills=[test_ema_leaves_its_input_as_it_was])
def ema_in_place(values, beta=0.9, bias_correction=True):
    """Smooths into np.asarray(values), which is the caller's own array when it is float64 already."""
    out = np.asarray(values, dtype=np.float64)
    v = 0.0
    for t in range(out.size):
        v = beta * v + (1 - beta) * out[t]
        out[t] = v / (1 - beta ** (t + 1)) if bias_correction else v
    return out


# Correct alternatives.


@alternative(of="ema_smooth")
def ema_by_the_documented_loop(values, beta=0.9, bias_correction=True):
    """The contract's formula in a Python loop over floats: v / (1 - beta**t)."""
    v, out = 0.0, []
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out, dtype=np.float64)


@alternative(of="ema_smooth")
def ema_by_a_matrix_of_weights(values, beta=0.9, bias_correction=True):
    """An explicit weighted sum: W[t, s] = (1 - beta) beta**(t - s) (/ (1 - beta**t)) for s <= t, 0 above, times x."""
    x = np.asarray(values, dtype=np.float64)
    t = np.arange(1, x.size + 1)[:, None]
    lag = t - t.T
    powers = np.power(beta, np.arange(x.size))  # beta**k for every lag k, gathered into the (Toeplitz) matrix
    weights = np.where(lag >= 0, (1 - beta) * powers[np.maximum(lag, 0)], 0.0)
    if bias_correction:
        weights = weights / (1 - beta**t)
    return weights @ x


@alternative(of="ema_smooth")
def ema_by_lfilter(values, beta=0.9, bias_correction=True):
    """scipy.signal.lfilter([1 - beta], [1, -beta], x) (the recursion as a linear filter), divided by 1 - beta**t with
    beta**t as a running product."""
    from scipy.signal import lfilter

    x = np.asarray(values, dtype=np.float64)
    v = lfilter([1 - beta], [1.0, -beta], x)
    return v / (1 - np.cumprod(np.full(x.size, beta))) if bias_correction else v


@alternative(of="ema_smooth")
def ema_as_a_running_weighted_mean(values, beta=0.9, bias_correction=True):
    """m += g_t (x_t - m) with gain g_t = (1 - beta) / (1 - beta**t) (or 1 - beta uncorrected): a running mean's
    update, which is the corrected EMA since beta (1 - beta**(t-1)) + 1 - beta = 1 - beta**t."""
    m, power, out = 0.0, 1.0, []
    for x in np.asarray(values, dtype=np.float64).tolist():
        power *= beta
        gain = (1 - beta) / (1 - power) if bias_correction else 1 - beta
        m += gain * (x - m)
        out.append(m)
    return np.array(out, dtype=np.float64)
