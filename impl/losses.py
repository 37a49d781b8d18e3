"""Losses on class scores: softmax, the softmax (cross-entropy) loss and the multiclass SVM (hinge) loss.

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
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"scores x must have shape (N, C), got shape {x.shape}")
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
