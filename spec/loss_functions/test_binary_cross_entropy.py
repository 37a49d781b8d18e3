"""Binary cross-entropy on logits: binary_cross_entropy_with_logits(x, t, reduction) -> (loss, dx).

Per example: -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x)) = log(1 + e^x) - t x; "mean" averages over the N
examples, "sum" adds them up; dx = sigmoid(x) - t, divided by N for "mean".
"""

import math

import numpy as np
import scipy.special
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.loss_functions.strategies import logits_and_targets, unit_interval, vectors
from spec.property import alternative, mutant, prop
from spec.strategies import batch_sizes

CONCEPT = "binary cross-entropy"
I2DL = "TUM I2DL lecture 6 recap, slides 20-24 (sigmoid for binary predictions; softmax loss as maximum likelihood)"
I2DL3 = "TUM I2DL lecture 3, slides 8 and 24-26 (cross-entropy loss; the sigmoid neuron)"

REDUCTIONS = ("mean", "sum")


def trusted_losses(x, t):
    """Per-example log(1 + e^x) - t x, by np.logaddexp (no overflow): the definition, computed here."""
    return np.logaddexp(0.0, x) - t * x


def trusted_sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def loss_tolerance(x, reduction="mean") -> float:
    """Absolute error allowed in the loss of a correct float64 implementation (M = max|x|).

    Each example's loss is log(1 + e^x) (up to M + log 2) minus t x (up to M), or the same from log-sigmoids: a few
    roundings on numbers up to 2M + 1 in size, so within 4u (2M + 1) (u = EPS/2). Averaging or adding N of them adds
    (N - 1) u relative to their sizes: in all under u (N + 4)(2M + 1) for the mean, N times that for the sum. The
    factor 4 of safety: 2 EPS (N + 4)(2M + 1).
    """
    n = len(x)
    per_example = 2 * EPS * (n + 4) * (2 * np.abs(x).max() + 1)
    return per_example * (n if reduction == "sum" else 1)


def dx_tolerance(x, reduction="mean") -> float:
    """Absolute error allowed in one computed dx = (sigmoid(x) - t) / N.

    The sigmoid is within 4u absolute (test_sigmoid.VALUE_ERROR), by a quotient or by the log domain
    exp(-log(1 + e^-x)), whose exponent's error 2u log(1 + e^-x) times sigmoid(x) stays under u; the subtraction
    and the division round by u/2 each: under 5u / N. With a safety factor over 2: 6 EPS / N = 12u / N. Comparing
    two computed gradients allows the sum of both errors.
    """
    return 6 * EPS / (len(x) if reduction == "mean" else 1)


@prop(CONCEPT, I2DL, "With hard targets, binary cross-entropy is the two-class softmax loss on the scores (0, x): the same loss, and dx is the gradient of the second score.")
@given(xt=logits_and_targets(magnitude=300.0, hard=True))  # scores 300 apart: every probability stays a normal float
@example(xt=(np.array([1.0, 1.0, -2.0]), np.array([1.0, 0.0, 0.0])))
def test_bce_is_the_two_class_softmax_loss(binary_cross_entropy_with_logits, softmax_loss, xt):
    x, t = xt
    scores = np.stack([np.zeros_like(x), x], axis=1)
    labels = t.astype(np.int64)
    loss, dx = binary_cross_entropy_with_logits(x, t)
    softmax_value, dscores = softmax_loss(scores, labels)
    inputs = {"x": x, "t": t, "scores (0, x)": scores}
    # The softmax loss's own tolerance (test_cross_entropy.loss_tolerance, C = 2) is 2 EPS (N + 3)(2M + log 2 + 1),
    # below loss_tolerance(x): the sum of both errors is under twice loss_tolerance(x).
    expect.close("loss", loss, softmax_value, atol=2 * loss_tolerance(x),
                 why="softmax_loss(scores (0, x), labels t)", inputs=inputs)
    # dscores[:, 1] = (p_1 - t) / N: p_1 within 3u relative by the max shift, or u (3M + log 2) by the log domain
    # (test_softmax's odds property), the subtraction and the division u/2 each; dx within 5u / N (dx_tolerance):
    # under u (3M + 7) / N in all. 2 EPS (2M + 6) / N = u (8M + 24) / N is over twice that.
    expect.close("dx", dx, dscores[:, 1], atol=2 * EPS * (2 * np.abs(x).max() + 6) / len(x),
                 why="the gradient of softmax_loss in the score x", inputs=inputs)


@prop(CONCEPT, I2DL3, "At logit 0 the prediction is 1/2 whatever the target: each example's loss is log 2 = 0.693 and dx = (1/2 - t), over N for the mean.")
@given(n=batch_sizes(), data=st.data())
@example(n=3, data=None)
def test_bce_of_zero_logits_is_log_2(binary_cross_entropy_with_logits, n, data):
    t = data.draw(vectors(n, unit_interval()), label="t") if data is not None else np.array([0.0, 0.3, 1.0])
    x = np.zeros(n)
    inputs = {"x": x, "t": t}
    for reduction, size in (("mean", 1), ("sum", n)):
        loss, dx = binary_cross_entropy_with_logits(x, t, reduction=reduction)
        # log 2 per example within a few u, and N of them averaged or added: rtol 2 EPS (N + 4) is loss_tolerance's.
        expect.close(f"loss ({reduction})", loss, size * math.log(2), rtol=2 * EPS * (n + 4),
                     why=f"{'N ' if size > 1 else ''}log 2", inputs=inputs)
        expect.close(f"dx ({reduction})", dx, (0.5 - t) * size / n, atol=dx_tolerance(x, reduction),
                     why=f"(1/2 - t){' / N' if reduction == 'mean' else ''}", inputs=inputs)


@prop(CONCEPT, I2DL3, "dx is the gradient of the loss, with hard or soft targets and either reduction: it matches centered finite differences.")
@given(xt=logits_and_targets())
@example(xt=(np.array([1.0, -2.0]), np.array([1.0, 0.3])))
def test_bce_gradient_matches_finite_differences(binary_cross_entropy_with_logits, xt):
    x, t = xt
    for reduction in REDUCTIONS:
        _, dx = binary_cross_entropy_with_logits(x, t, reduction=reduction)
        # Each example's loss is log(1 + e^x) - t x: a small loss can be the difference of numbers up to 2M + 1,
        # which set its rounding error (N of them for the sum).
        scale = (2 * np.abs(x).max() + 1) * (len(x) if reduction == "sum" else 1)
        check_gradient(lambda z: binary_cross_entropy_with_logits(z, t, reduction=reduction)[0], x, dx,
                       value_scale=scale, name=f"dx of binary_cross_entropy_with_logits(x, t, reduction={reduction!r})")


@prop(CONCEPT, I2DL, "Binary cross-entropy is numerically stable: logits as large as ±1000 give a finite, correct loss and gradient (up to 1000 per example, never capped).")
@given(xt=logits_and_targets(magnitude=1000.0))
@example(xt=(np.array([1000.0, -1000.0, 40.0, -40.0]), np.array([0.0, 1.0, 1.0, 0.0])))
def test_bce_is_stable_for_logits_of_magnitude_1000(binary_cross_entropy_with_logits, xt):
    x, t = xt
    loss, dx = binary_cross_entropy_with_logits(x, t)
    inputs = {"x": x, "t": t}
    expect.holds("dx", dx, np.isfinite(dx), "finite", inputs=inputs)
    # The trusted loss carries an error of the same kind, so the allowed error is doubled.
    expect.close("loss", loss, trusted_losses(x, t).mean(), atol=2 * loss_tolerance(x),
                 why="mean of log(1 + e^x) - t x (never take log of a sigmoid that rounded to 0 or 1)", inputs=inputs)
    # dx and the trusted (sigmoid - t) / N are each within dx_tolerance.
    expect.close("dx", dx, (trusted_sigmoid(x) - t) / len(x), atol=2 * dx_tolerance(x), why="(sigmoid(x) - t) / N",
                 inputs=inputs)


@prop(CONCEPT, I2DL3, "The sum reduction is N times the mean, for the loss and for dx.")
@given(xt=logits_and_targets(min_size=2))
@example(xt=(np.array([1.0, -2.0, 0.5]), np.array([1.0, 0.0, 0.3])))
def test_bce_sum_is_N_times_the_mean(binary_cross_entropy_with_logits, xt):
    x, t = xt
    n = len(x)
    loss_mean, dx_mean = binary_cross_entropy_with_logits(x, t, reduction="mean")
    loss_sum, dx_sum = binary_cross_entropy_with_logits(x, t, reduction="sum")
    inputs = {"x": x, "t": t}
    # Computed with the same summation, sum / N is the mean up to the rounding of one division; a correct
    # implementation may sum differently for the two (each term over N first, say), so each is allowed its own
    # loss_tolerance (the spec's division adds u / 2 relative more, far below).
    sum_vs_mean = "the two reductions differ by exactly N; the other properties tell which of the two is wrong"
    expect.close("loss with reduction='mean'", loss_mean, loss_sum / n, atol=2 * loss_tolerance(x),
                 why=f"the loss with reduction='sum' divided by N = {n} ({sum_vs_mean})", inputs=inputs)
    # dx (mean) and dx (sum) / N are each within dx_tolerance of (sigmoid - t) / N (the spec's division is one of
    # the roundings counted there).
    expect.close("dx with reduction='mean'", dx_mean, dx_sum / n, atol=2 * dx_tolerance(x),
                 why=f"dx with reduction='sum' divided by N = {n} ({sum_vs_mean})", inputs=inputs)


@prop(CONCEPT, I2DL3, "The lecture's sigmoid neuron (w.x + b = 1, sigmoid 0.73) as a binary prediction: loss -log 0.73 = 0.313 for target 1, -log 0.27 = 1.313 for target 0.")
def test_bce_matches_the_lecture_example(binary_cross_entropy_with_logits):
    # log(1 + e^-1) = log 1.36787944 = 0.31326169; for target 0, log(1 + e^1) = 1 + log(1 + e^-1) = 1.31326169;
    # the batch of both has mean 0.81326169 and sum 1.62652338.
    cases = [
        ((1.0,), (1.0,), "mean", 0.31326169),
        ((1.0,), (0.0,), "mean", 1.31326169),
        ((1.0, 1.0), (1.0, 0.0), "mean", 0.81326169),
        ((1.0, 1.0), (1.0, 0.0), "sum", 1.62652338),
    ]
    for x, t, reduction, value in cases:
        x, t = np.array(x), np.array(t)
        loss, _ = binary_cross_entropy_with_logits(x, t, reduction=reduction)
        expect.close("loss", loss, value, atol=5e-9, why=f"worked example, reduction={reduction!r}",
                     inputs={"x": x, "t": t})


# Mutants: binary cross-entropy as students get it wrong.


def _softplus(x):
    return np.logaddexp(0.0, x)


def _reduce(losses, dx, reduction):
    if reduction == "mean":
        return losses.mean(), dx / len(losses)
    return losses.sum(), dx


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_is_stable_for_logits_of_magnitude_1000])
def bce_by_logs_of_the_sigmoid(x, t, reduction="mean"):
    """-t log(s) - (1 - t) log(1 - s) with s = sigmoid(x): s rounds to 1.0 from x = 37, and log(0) = -inf."""
    s = trusted_sigmoid(x)
    losses = -(t * np.log(s) + (1 - t) * np.log(1 - s))
    return _reduce(losses, s - t, reduction)


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_is_stable_for_logits_of_magnitude_1000])
def bce_with_clipped_probabilities(x, t, reduction="mean"):
    """Clips s to [1e-7, 1 - 1e-7] before the logs (Keras's epsilon): each example's loss is capped at 16.1."""
    s = np.clip(trusted_sigmoid(x), 1e-7, 1 - 1e-7)
    losses = -(t * np.log(s) + (1 - t) * np.log(1 - s))
    return _reduce(losses, trusted_sigmoid(x) - t, reduction)


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_of_zero_logits_is_log_2, test_bce_is_the_two_class_softmax_loss, test_bce_matches_the_lecture_example])
def bce_with_log10(x, t, reduction="mean"):
    """np.log10 instead of the natural log."""
    return _reduce((_softplus(x) - t * x) / np.log(10), trusted_sigmoid(x) - t, reduction)


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_of_zero_logits_is_log_2, test_bce_is_the_two_class_softmax_loss, test_bce_matches_the_lecture_example])
def bce_without_the_negative_class_term(x, t, reduction="mean"):
    """-t log sigmoid(x) only: the (1 - t) log(1 - sigmoid(x)) term forgotten, so negatives cost nothing."""
    return _reduce(t * _softplus(-x), trusted_sigmoid(x) - t, reduction)


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_gradient_matches_finite_differences, test_bce_is_the_two_class_softmax_loss])
def bce_gradient_with_the_sign_flipped(x, t, reduction="mean"):
    """dx = t - sigmoid(x): the gradient of the log-likelihood, not of the loss."""
    return _reduce(_softplus(x) - t * x, t - trusted_sigmoid(x), reduction)


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_gradient_matches_finite_differences, test_bce_sum_is_N_times_the_mean])
def bce_gradient_not_averaged(x, t, reduction="mean"):
    """The mean's loss is averaged over N but its gradient is not."""
    loss, _ = _reduce(_softplus(x) - t * x, trusted_sigmoid(x) - t, reduction)
    return loss, trusted_sigmoid(x) - t


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_sum_is_N_times_the_mean, test_bce_is_the_two_class_softmax_loss, test_bce_of_zero_logits_is_log_2])
def bce_with_the_reductions_swapped(x, t, reduction="mean"):
    """"mean" adds the examples up and "sum" averages them."""
    return _reduce(_softplus(x) - t * x, trusted_sigmoid(x) - t, "sum" if reduction == "mean" else "mean")


@mutant(of="binary_cross_entropy_with_logits", kills=[test_bce_gradient_matches_finite_differences])
def bce_assuming_hard_targets(x, t, reduction="mean"):
    """Picks -log sigmoid(x) where t >= 1/2 and -log(1 - sigmoid(x)) elsewhere: wrong for soft targets."""
    losses = np.where(t >= 0.5, _softplus(-x), _softplus(x))
    return _reduce(losses, trusted_sigmoid(x) - t, reduction)


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="binary_cross_entropy_with_logits")
def bce_with_loops(x, t, reduction="mean"):
    """Example by example with math.log1p and math.exp, the stable softplus written out."""
    n = len(x)
    loss, dx = 0.0, np.zeros_like(x)
    for i in range(n):
        loss += max(x[i], 0.0) - t[i] * x[i] + math.log1p(math.exp(-abs(x[i])))
        s = 1.0 / (1.0 + math.exp(-x[i])) if x[i] >= 0 else math.exp(x[i]) / (1.0 + math.exp(x[i]))
        dx[i] = s - t[i]
    if reduction == "mean":
        return loss / n, dx / n
    return loss, dx


@alternative(of="binary_cross_entropy_with_logits")
def bce_by_log_sigmoids(x, t, reduction="mean"):
    """-t log sigmoid(x) - (1 - t) log sigmoid(-x), the log-sigmoids by np.logaddexp; each term over N first."""
    log_s, log_not_s = -np.logaddexp(0.0, -x), -np.logaddexp(0.0, x)
    terms = -(t * log_s + (1 - t) * log_not_s)
    dx = np.exp(log_s) - t
    if reduction == "mean":
        return np.sum(terms / len(x)), dx / len(x)
    return np.sum(terms), dx


@alternative(of="binary_cross_entropy_with_logits")
def bce_as_pytorch_writes_it(x, t, reduction="mean"):
    """max(x, 0) - x t + log(1 + exp(-|x|)) (log, not log1p), scipy's expit for the gradient; a 0-d array loss."""
    losses = np.maximum(x, 0) - x * t + np.log(1 + np.exp(-np.abs(x)))
    dx = scipy.special.expit(x) - t
    if reduction == "mean":
        return np.mean(losses, keepdims=True).reshape(()), dx / len(x)
    return np.sum(losses, keepdims=True).reshape(()), dx
