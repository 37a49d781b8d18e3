"""What the diagnostics chapter's property modules share: lecture sources, strategies, the exact EMA, and the EMA's
rounding bound.

The rounding bound (ema_rounding). Write c_t = 1 - beta**t, S_t = max(|x_1|, ..., |x_t|), U = EPS / 2, and let
V_t = beta V_{t-1} + (1 - beta) |x_t| (V_0 = 0) be the EMA of |x|, so V_t <= c_t S_t. Every correct way to compute
the smoothed curve that the chapter knows of is within

    U S_t (4 / (1 - beta) + 2 t + 13)

of the exact value at step t (first order in U; the last constant covers the second-order terms and the final
rounding of the exact value to a float):

- The recursion v = beta v + (1 - beta) x (a Python loop, scipy's lfilter): a step adds at most 2 U beta |v_{t-1}| +
  3 U (1 - beta) |x_t| (1 - beta rounded, two products, one sum); v + (1 - beta)(x - v) at most U |v_t| + 3 U (1 -
  beta) (|x_t| + |v_{t-1}|). An error is multiplied by beta at every later step, so the error of v_t is at most the
  sum of beta**(t - s) times the error added at step s. With |v_s| <= V_s <= c_s S_t and
  sum_s beta**(t - s) c_s <= c_t / (1 - beta), both forms give v_t within U S_t c_t (2 / (1 - beta) + 6).
- The correction: beta**t is within t U beta**t relative (a running product; pow is within U), so 1 - beta**t is
  within U (t beta**t / c_t + 1) <= U (1 / (1 - beta) + 1) relative (t beta**t <= beta**(t-1) + ... + 1 =
  c_t / (1 - beta)); the division adds U. Dividing v_t by c_t: within U S_t (3 / (1 - beta) + 8), as |v_t / c_t| <= S_t.
- A running weighted mean m = m + g_t (x - m), g_t = (1 - beta) / c_t: an error is multiplied by 1 - g_t =
  beta c_{t-1} / c_t, so one made at step s by beta**(t - s) c_s / c_t; the errors of x - m, of g_t (that of c_t) and
  of the product and sum add up, with g_s c_s = 1 - beta and max over t of (1 - beta) t**2 beta**t / c_t <=
  0.65 / (1 - beta), to at most U S_t (3.7 / (1 - beta) + 11).
- The weighted sum (a matrix of weights (1 - beta) beta**(t - s) / c_t times x): each weight is within
  ((t - s) + 4) U + (that of c_t) relative, the weights sum to 1 (or to c_t), and summing t products adds (t - 1) U
  times the sum of their sizes, <= S_t: within U S_t (2 t + 6 + 1.01 / (1 - beta)).
- Without the correction the same bounds hold (the division is left out, and v_t <= c_t S_t <= S_t).

The properties compare with the exact value (computed with fractions.Fraction from the float inputs, then rounded),
so the bound of one implementation is the tolerance: nothing is doubled.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from spec.expect import EPS

U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative

I2DL_BIAS_VARIANCE = ("TUM I2DL lecture 6, slide 50 (bias vs variance, credits A. Ng: human level error 1%, "
                      "training set error 5%, val/test set error 8%; bias = underfitting, variance = overfitting)")
I2DL_EMA = ("TUM I2DL lecture 6, slide 38 (training curves: EMA smoothing) and lecture 5 recap, slides 10-11 (Adam: "
            "moving averages started at zero, bias-corrected by 1 - beta**t)")

# The lecture's numbers, as fractions of 1 and in percent.
LECTURE_FRACTIONS = (0.01, 0.05, 0.08)
LECTURE_PERCENT = (1.0, 5.0, 8.0)


# Bias and variance.

# Error rates on a grid of exact binary fractions: k / 1024 (fractions of 1) or k / 4 (percent, quarter points).
# Every difference of two of them, and every comparison of two differences, is exact in float64 (all are multiples
# of 2**-10 below 2**7: 17 bits), so a diagnosis on them does not depend on how a correct implementation rounds.
FRACTION_STEPS = 1024
PERCENT_STEPS = 4


def grid_units():
    """(steps, top): error rates k / steps for k in [0, top * steps]: fractions of 1, or percent."""
    return st.sampled_from([(FRACTION_STEPS, 1), (PERCENT_STEPS, 100)])


@st.composite
def grid_error_triples(draw):
    """(human_error, train_error, val_error) on the exact grid of one unit, in any order; a third of them tied (the
    two gaps equal), the case the contract sends to "bias"."""
    steps, top = draw(grid_units())
    k = st.integers(0, top * steps)
    if draw(st.integers(0, 2)) == 0:
        human = draw(st.integers(0, top * steps // 2))
        gap = draw(st.integers(-human // 2, (top * steps - human) // 2))
        return human / steps, (human + gap) / steps, (human + 2 * gap) / steps
    return draw(k) / steps, draw(k) / steps, draw(k) / steps


@st.composite
def grid_bias_problems(draw):
    """(human_error, train_error, step) on the exact grid of one unit: human <= train, and the tie point
    val = 2 train - human (where the two gaps are equal) plus the step > 0 is still an error rate of the unit."""
    steps, top = draw(grid_units())
    n = top * steps
    human = draw(st.integers(0, n // 4))
    train = draw(st.integers(human, (n - 1 + human) // 2))  # so that tie = 2 train - human <= n - 1
    step = draw(st.integers(1, n - (2 * train - human)))
    return human / steps, train / steps, step / steps


def error_rates():
    """Any float error rate in [0, 100] (fractions or percent), often the lecture's decimals."""
    return st.one_of(st.sampled_from([*LECTURE_FRACTIONS, *LECTURE_PERCENT, 0.0, 0.1, 0.3]),
                     st.floats(0.0, 100.0, allow_subnormal=False))


# EMA.


def betas(low: float = 0.0, high: float = 0.999):
    """Smoothing factors in [low, high] (the contract allows [0, 1)), often 0, 0.5 and the common 0.9, 0.98, 0.99."""
    common = [b for b in (0.0, 0.5, 0.9, 0.98, 0.99) if low <= b <= high]
    return st.one_of(st.sampled_from(common), st.floats(low, high, allow_subnormal=False))


def seeds():
    return st.integers(0, 2**32 - 1)


# The bound above is relative: it holds while no step underflows (below 2.2e-308 float64 rounds absolutely, and
# (1 - beta) x of a tiny x loses its digits). Curves and constants are 0 or at least 1e-100 in size: (1 - beta) x then
# stays far above the underflow threshold (1 - beta >= 0.001), and an underflowing beta**t or beta * v (tiny beta) is
# off by at most 2.5e-324, negligible against U S_t >= 1e-116.
SMALLEST = 1e-100


def sizable(low: float, high: float):
    """Floats in [low, high] that are 0 or at least SMALLEST in size."""
    return st.floats(low, high, allow_subnormal=False).filter(lambda v: v == 0 or abs(v) >= SMALLEST)


_LEVELS = st.sampled_from([0.0, 1.0, 2.3, -5.0]) | sizable(-100, 100)
_SPREADS = st.sampled_from([0.0, 1.0]) | sizable(0, 50)


def curves(max_length: int = 16):
    """A noisy curve (a loss per iteration): T values around a drawn level, from a drawn seed; as an ndarray or, half
    the time, as the list of floats CS231n's training loop returns."""
    return st.builds(_curve, st.integers(1, max_length), _LEVELS, _SPREADS, seeds(), st.booleans())


def _curve(length, level, spread, seed, as_list):
    values = level + spread * np.random.default_rng(seed).standard_normal(length)
    return values.tolist() if as_list else values


def constants():
    """A constant level: nonzero mostly (a constant 0 stays 0 under any linear mistake)."""
    return st.sampled_from([1.0, -2.5, 2.3]) | sizable(-1e3, 1e3).filter(lambda c: c != 0)


def ema_exact(values, beta: float, bias_correction: bool) -> np.ndarray:
    """The contract's smoothed curve computed exactly from the float inputs (fractions.Fraction), rounded at the end:
    v_0 = 0, v_t = beta v_{t-1} + (1 - beta) x_t, and v_t / (1 - beta**t) with the correction."""
    b = Fraction(beta)
    v, power, out = Fraction(0), Fraction(1), []
    for x in np.asarray(values, dtype=np.float64).tolist():
        v = b * v + (1 - b) * Fraction(x)
        power *= b
        out.append(float(v / (1 - power)) if bias_correction else float(v))
    return np.array(out, dtype=np.float64)


def ema_weights_exact(length: int, beta: float, bias_correction: bool) -> list:
    """The exact weights w[t][s] = (1 - beta) beta**(t - s) / (1 - beta**t) (without the division when
    bias_correction is False) of values[s] in smoothed[t] (0-based, s <= t), as Fractions; w[t][s] = 0 for s > t."""
    b = Fraction(beta)
    rows = []
    for t in range(1, length + 1):
        norm = 1 - b**t if bias_correction else Fraction(1)
        rows.append([(1 - b) * b ** (t - s) / norm if s <= t else Fraction(0) for s in range(1, length + 1)])
    return rows


def ema_rounding(values, beta: float) -> np.ndarray:
    """How far a correct smoothed curve may be from the exact one, step by step: U S_t (4 / (1 - beta) + 2 t + 13),
    S_t the largest |value| so far (the derivation is in this module's docstring)."""
    values = np.abs(np.asarray(values, dtype=np.float64))
    t = np.arange(1, values.size + 1)
    return U * np.maximum.accumulate(values) * (4 / (1 - beta) + 2 * t + 13) if values.size else values
