"""Losses on class scores (module ``losses``; CS231n ``layers.py`` conventions).

Scores are the unnormalized outputs of a classifier, one row per example: x has shape (N, C), y holds the correct
class of each row as an integer in [0, C). Losses return ``(loss, dx)``: the loss averaged over the N examples and
its gradient with respect to the scores, shaped like x. No regularization is added here.
"""

from spec.contract.types import Array, Labels, Returns, Scalar


def softmax(x: Array("N", "C")) -> Array("N", "C"):
    """Row-wise softmax: turn class scores into class probabilities.

    Inputs:
    - x: scores, shape (N, C); x[i, j] is the score of class j for example i.

    Returns:
    - probs: shape (N, C), probs[i, j] = exp(x[i, j]) / sum_k exp(x[i, k]).
      Each row is a probability vector. Must stay finite for scores as large as 1000 in magnitude
      (subtract each row's maximum before exponentiating).
    """


def softmax_loss(x: Array("N", "C"), y: Labels("N")) -> Returns(loss=Scalar(), dx=Array("N", "C")):
    """Softmax (cross-entropy) loss on scores, averaged over the batch.

    Inputs:
    - x: scores, shape (N, C).
    - y: labels, shape (N,); y[i] in [0, C) is the correct class of example i.

    Returns a tuple of:
    - loss: float, (1/N) * sum_i -log(softmax(x)[i, y[i]]).
    - dx: gradient of the loss with respect to x, shape (N, C):
      dx[i, j] = (softmax(x)[i, j] - [j == y[i]]) / N.
    """


def svm_loss(x: Array("N", "C"), y: Labels("N")) -> Returns(loss=Scalar(), dx=Array("N", "C")):
    """Multiclass SVM (hinge) loss on scores with margin 1, averaged over the batch.

    Inputs:
    - x: scores, shape (N, C).
    - y: labels, shape (N,); y[i] in [0, C) is the correct class of example i.

    Returns a tuple of:
    - loss: float, (1/N) * sum_i sum_{j != y[i]} max(0, x[i, j] - x[i, y[i]] + 1).
    - dx: gradient of the loss with respect to x, shape (N, C). Where a margin is exactly 0 the loss has a kink;
      any subgradient is accepted there (CS231n counts only margins > 0).
    """
