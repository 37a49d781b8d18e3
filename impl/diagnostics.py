"""Reading training curves: the bias-variance diagnosis and EMA smoothing (contract: spec/contract/diagnostics.py)."""

import numpy as np

from impl import _validate


def bias_variance(human_error, train_error, val_error):
    human = _validate.real_number("human_error", human_error)
    train = _validate.real_number("train_error", train_error)
    val = _validate.real_number("val_error", val_error)
    avoidable_bias = train - human
    variance = val - train
    return avoidable_bias, variance, "bias" if avoidable_bias >= variance else "variance"


def _curve(values):
    curve = _validate.real_array("values", values)
    if curve.ndim != 1:
        raise ValueError(f"values must have shape (T,), one value per iteration, got shape {curve.shape}")
    return curve


def ema_smooth(values, beta=0.9, bias_correction=True):
    curve = _curve(values)
    beta = _validate.real_number("beta", beta)
    if not 0 <= beta < 1:
        raise ValueError(f"beta must lie in [0, 1), got {beta!r}")
    if not isinstance(bias_correction, (bool, np.bool_)):
        raise ValueError(f"bias_correction must be True or False, got {bias_correction!r}")
    # v_t = beta v_{t-1} + (1 - beta) x_t from v_0 = 0: each step depends on the one before, so this is a loop over
    # time (O(T)); every v_t is a convex combination of 0 and the values so far, so no step can overflow, and a
    # rounding error is damped by beta at every later step.
    smoothed = np.empty_like(curve)  # a new array: the caller's curve is never written to
    v = 0.0
    keep, take = beta, 1.0 - beta  # 1 - beta is exact for beta >= 1/2 (Sterbenz)
    for t, x in enumerate(curve.tolist()):
        v = keep * v + take * x
        smoothed[t] = v
    if bias_correction and beta > 0:
        # 1 - beta**t as -expm1(t log beta): no cancellation when beta**t is close to 1 (beta near 1, t small).
        t = np.arange(1, curve.size + 1, dtype=np.float64)
        smoothed /= -np.expm1(t * np.log(beta))
    return smoothed
