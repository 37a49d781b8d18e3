"""Reading training curves (module ``diagnostics``; I2DL lectures 5-6, "basic recipe" and "learning curves").

- Bias and variance (A. Ng, quoted in the lecture): the gap between the human-level error and the training error is
  the avoidable bias (underfitting), the gap between the training error and the validation error the variance
  (overfitting); work first on the larger one. The lecture's example: human level 1%, training 5%, validation 8%.
- A training curve is noisy (each loss is one minibatch's); it is read smoothed by an exponential moving average
  (EMA), v_t = beta * v_{t-1} + (1 - beta) * x_t from v_0 = 0, with the bias correction Adam applies to its
  moments, v_t / (1 - beta**t), so that the smoothed curve does not start near 0.
"""

from spec.contract.types import Choice, Flag, History, Returns, Scalar


def bias_variance(
    human_error: Scalar(), train_error: Scalar(), val_error: Scalar()
) -> Returns(avoidable_bias=Scalar(), variance=Scalar(), diagnosis=Choice("bias", "variance")):
    """Bias-variance diagnosis from three error rates (in any one unit: fractions or percent).

    Inputs:
    - human_error: the human-level (or best achievable) error.
    - train_error: the training set error.
    - val_error: the validation (or test) set error.

    Returns a tuple (avoidable_bias, variance, diagnosis): avoidable_bias = train_error - human_error, variance =
    val_error - train_error (either may be negative), and diagnosis "bias" when avoidable_bias >= variance (the
    larger gap, ties to bias: fix underfitting first), else "variance", comparing the two gaps as returned (so that
    the diagnosis never contradicts the numbers next to it). The lecture's 1%, 5%, 8% give 4% and 3%: a
    bias problem.
    """


def ema_smooth(values: History("T"), beta: Scalar() = 0.9, bias_correction: Flag() = True) -> History("T"):
    """Exponential moving average of a curve (a loss or accuracy per iteration), optionally bias-corrected.

    v_0 = 0 and v_t = beta * v_{t-1} + (1 - beta) * values[t - 1] for t = 1, ..., T; smoothed[t - 1] is
    v_t / (1 - beta**t) with bias correction (as Adam's m_hat), v_t without. With the correction each smoothed value
    is a weighted average of the values so far: its weights (1 - beta) * beta**(t - s) / (1 - beta**t), s = 1..t,
    sum to 1, so a constant curve stays constant.

    Inputs:
    - values: the curve, shape (T,), a list of floats or an ndarray; read-only.
    - beta: the smoothing factor, 0 <= beta < 1 (0 returns the curve itself; 0.9 averages over about 10 values).
    - bias_correction: divide by 1 - beta**t.

    Returns the smoothed curve, a new ndarray of float64 of shape (T,) (never values itself, even for beta = 0).

    Raises ValueError when beta is outside [0, 1).
    """
