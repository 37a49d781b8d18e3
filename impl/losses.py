"""Losses on class scores: softmax, the softmax (cross-entropy) loss and the multiclass SVM (hinge) loss; the
sigmoid and the binary cross-entropy on logits; the L1 and L2 regression losses; L1 and L2 regularization.

Shapes and return values are stated in spec/contract/losses.py.
"""

import numpy as np

from impl import _validate


def _log_softmax(x):
    # Subtracting each row's maximum leaves softmax unchanged and keeps exp() from overflowing: the largest
    # exponent is 0, so the row sum lies in [1, C].
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(x):
    x = _validate.matrix("scores x", x, "(N, C)")
    shifted = np.exp(x - x.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def softmax_loss(x, y):
    x, y = _validate.scores_and_labels(x, y)
    n = x.shape[0]
    rows = np.arange(n)
    log_probs = _log_softmax(x)
    loss = -log_probs[rows, y].mean()
    dx = np.exp(log_probs)
    dx[rows, y] -= 1.0
    dx /= n
    return float(loss), dx


def svm_loss(x, y):
    x, y = _validate.scores_and_labels(x, y)
    n = x.shape[0]
    rows = np.arange(n)
    margins = np.maximum(0.0, x - x[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0  # the correct class is not compared with itself
    loss = margins.sum() / n
    active = (margins > 0).astype(np.float64)
    active[rows, y] = -active.sum(axis=1)
    return float(loss), active / n


# Input checks of the functions below (the shared ones are in impl/_validate.py).

REDUCTIONS = ("mean", "sum")


def _vector_pair(a, b, a_name, b_name, a_what, b_what):
    """Check a as an (N,) vector with N >= 1 and b as an (N,) vector that matches it; return both as float64."""
    a, b = _validate.real_array(a_name, a), _validate.real_array(b_name, b)
    if a.ndim != 1:
        raise ValueError(f"{a_what} {a_name} must have shape (N,), got shape {a.shape}")
    _validate.nonempty(f"{a_what} {a_name}", a)
    if b.shape != a.shape:
        raise ValueError(
            f"{b_what} {b_name} must have shape (N,) = ({a.shape[0]},) to match {a_name} of shape {a.shape}, "
            f"got {b.shape}"
        )
    return a, b


def _regularization_args(W, reg):
    return _validate.real_array("W", W), _validate.real_number("reg", reg, minimum=0.0)


def sigmoid(x):
    x = _validate.real_array("x", x)
    # exp(-|x|) lies in (0, 1], so it never overflows: 1 / (1 + e) for x >= 0 and e / (1 + e) = 1 / (1 + e^-x)
    # for x < 0. Each branch is a quotient of numbers near 1 and e: accurate to a few roundings, relative.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def binary_cross_entropy_with_logits(x, t, reduction="mean"):
    x, t = _vector_pair(x, t, "x", "t", "logits", "targets")
    reduction = _validate.choice("reduction", reduction, REDUCTIONS)
    if not ((t >= 0) & (t <= 1)).all():
        raise ValueError(f"targets t must lie in [0, 1], got values from {t.min()} to {t.max()}")
    # -t log s - (1 - t) log(1 - s) with s = sigmoid(x) is softplus(x) - t x, and
    # softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no exp overflows and no log of a rounded 0.
    losses = np.maximum(x, 0.0) - t * x + np.log1p(np.exp(-np.abs(x)))
    dx = sigmoid(x) - t
    if reduction == "mean":
        n = x.shape[0]
        return float(losses.sum() / n), dx / n
    return float(losses.sum()), dx


def l1_loss(pred, target, reduction="mean"):
    pred, target = _vector_pair(pred, target, "pred", "target", "predictions", "targets")
    reduction = _validate.choice("reduction", reduction, REDUCTIONS)
    diff = pred - target
    loss, dpred = np.abs(diff).sum(), np.sign(diff)  # sign(0) = 0: the subgradient at a kink is 0
    if reduction == "mean":
        n = pred.shape[0]
        return float(loss / n), dpred / n
    return float(loss), dpred


def l2_loss(pred, target, reduction="mean"):
    pred, target = _vector_pair(pred, target, "pred", "target", "predictions", "targets")
    reduction = _validate.choice("reduction", reduction, REDUCTIONS)
    diff = pred - target
    loss, dpred = (diff * diff).sum(), 2.0 * diff
    if reduction == "mean":
        n = pred.shape[0]
        return float(loss / n), dpred / n
    return float(loss), dpred


def l2_regularization(W, reg):
    W, reg = _regularization_args(W, reg)
    return float(reg * (W * W).sum()), 2.0 * reg * W


def l1_regularization(W, reg):
    W, reg = _regularization_args(W, reg)
    return float(reg * np.abs(W).sum()), reg * np.sign(W)  # sign(0) = 0: the subgradient at a kink is 0
