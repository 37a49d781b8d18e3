"""Chapter: reading training curves (contract module ``diagnostics``): the bias-variance diagnosis from the
human-level, training and validation errors, and the exponential moving average (EMA) that smooths a noisy curve,
bias-corrected as Adam corrects its moments.

Lectures: TUM I2DL lecture 6 (the basic recipe): slide 38 (a training curve read through EMA smoothing) and slide
50 (bias vs variance, credits A. Ng: human level 1%, training 5%, validation 8%: avoidable bias 4% against variance
3%, work on the bias first); the lecture 5 recap, slides 10-11 (Adam's moments start at zero and are divided by
1 - beta**t, the bias correction that ema_smooth applies).

- test_bias_variance.py: the lecture's numbers (in fractions and in percent), the gaps as exact float differences,
  the diagnosis naming the larger gap with ties to bias, and the flip to "variance" once the validation error grows.
- test_ema.py: a worked example by hand (beta 0.5 on [2, 4]; the default beta 0.9 on [1, 2, 3]), the documented
  recursion with and without the correction, the weights recovered from unit impulses (they sum to 1), a constant
  curve staying constant, beta = 0 giving the curve back, the variance of smoothed Gaussian noise bounded by about
  (1 - beta) / (1 + beta) of the noise's, and the input left as it was.

common.py has the strategies, the exact EMA (fractions.Fraction) the values are compared with, and the derivation
of the EMA's rounding bound.
"""
