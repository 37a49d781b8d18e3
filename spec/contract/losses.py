"""Losses on class scores (module ``losses``; CS231n ``layers.py`` conventions).

Scores are the unnormalized outputs of a classifier, one row per example: x has shape (N, C), y holds the correct
class of each row as an integer in [0, C). Losses return ``(loss, dx)``: the loss averaged over the N examples and
its gradient with respect to the scores, shaped like x. No regularization is added here.

The module also holds the sigmoid and the binary cross-entropy on logits (one score per example), the regression
losses L1 and L2 on predictions (one real target per example), and the L1 and L2 regularization terms on weights,
which return ``(loss, dW)`` for the caller to add to a data loss. Losses with a ``reduction`` average over the N
examples by default (``"mean"``) or add them up (``"sum"``); their gradient is that of the reduced loss.
"""

from spec.contract.types import Array, Choice, Labels, Returns, Scalar


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


def sigmoid(x: Array("N", "D")) -> Array("N", "D"):
    """Elementwise logistic sigmoid: turn a score into the probability of the positive class.

    Inputs:
    - x: scores, shape (N, D) (the function is elementwise: the reference accepts any shape, the contract checks
      (N, D)).

    Returns:
    - s: shape (N, D), s[i, j] = 1 / (1 + exp(-x[i, j])), in [0, 1].
      Must stay finite and accurate for |x| as large as 1000: exp(-x) overflows for x < -709, so compute
      exp(-|x|) (never above 1) and use 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0.
      In float64 s is strictly inside (0, 1) for |x| <= 30; from about x = 37 it rounds to exactly 1.0, and below
      about x = -745 to exactly 0.0 (the correctly rounded values).
    """


def binary_cross_entropy_with_logits(
    x: Array("N"), t: Array("N"), reduction: Choice("mean", "sum") = "mean"
) -> Returns(loss=Scalar(), dx=Array("N")):
    """Binary cross-entropy on logits: the sigmoid and the negative log-likelihood in one stable step.

    Inputs:
    - x: logits, shape (N,); sigmoid(x[i]) is the predicted probability that example i is positive.
    - t: targets, shape (N,), each in [0, 1]: 0 or 1 for hard labels, anything in between for soft ones.
    - reduction: "mean" averages the per-example losses over N, "sum" adds them up.

    Returns a tuple of:
    - loss: float, the mean (or sum) over i of
      -t[i] * log(sigmoid(x[i])) - (1 - t[i]) * log(1 - sigmoid(x[i])) = log(1 + exp(x[i])) - t[i] * x[i].
      Must stay finite and accurate for logits as large as 1000 in magnitude: do not take the log of a sigmoid
      that has rounded to 0 or 1; use log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)).
    - dx: gradient of the loss with respect to x, shape (N,): dx[i] = (sigmoid(x[i]) - t[i]) / N for "mean",
      sigmoid(x[i]) - t[i] for "sum".
    With hard targets this is the softmax loss on the two-class scores (0, x[i]) with label t[i].
    """


def l1_loss(
    pred: Array("N"), target: Array("N"), reduction: Choice("mean", "sum") = "mean"
) -> Returns(loss=Scalar(), dpred=Array("N")):
    """L1 loss (sum or mean of absolute differences) between predictions and real-valued targets.

    Inputs:
    - pred: predictions, shape (N,), one real number per example (flatten multi-output predictions first).
    - target: targets, shape (N,).
    - reduction: "mean" divides by N (the mean absolute error), "sum" does not.

    Returns a tuple of:
    - loss: float, sum_i |pred[i] - target[i]|, divided by N for "mean".
    - dpred: gradient of the loss with respect to pred, shape (N,): sign(pred[i] - target[i]), divided by N for
      "mean". Where pred[i] == target[i] the loss has a kink; the contract takes the subgradient 0 there (np.sign's
      sign(0) = 0, as PyTorch does), so that a prediction that is already right is left alone.
    The best constant prediction under this loss is the median of the targets.
    """


def l2_loss(
    pred: Array("N"), target: Array("N"), reduction: Choice("mean", "sum") = "mean"
) -> Returns(loss=Scalar(), dpred=Array("N")):
    """L2 loss (sum of squared differences, or their mean: the MSE) between predictions and real-valued targets.

    Inputs:
    - pred: predictions, shape (N,), one real number per example (flatten multi-output predictions first).
    - target: targets, shape (N,).
    - reduction: "mean" divides by N (the mean squared error), "sum" does not (the sum of squared differences).

    Returns a tuple of:
    - loss: float, sum_i (pred[i] - target[i])**2, divided by N for "mean". No square root and no factor 1/2.
    - dpred: gradient of the loss with respect to pred, shape (N,): 2 * (pred[i] - target[i]), divided by N for
      "mean".
    The best constant prediction under this loss is the mean of the targets.
    """


def l2_regularization(W: Array("D", "C"), reg: Scalar()) -> Returns(loss=Scalar(), dW=Array("D", "C")):
    """L2 regularization (weight decay) of a weight matrix, as in CS231n's linear classifiers.

    Inputs:
    - W: weights, shape (D, C) (never the biases). The reference accepts any shape.
    - reg: regularization strength, a float >= 0.

    Returns a tuple of:
    - loss: float, reg * sum(W**2). No factor 1/2.
    - dW: gradient of the loss with respect to W, shape (D, C): 2 * reg * W.
    """


def l1_regularization(W: Array("D", "C"), reg: Scalar()) -> Returns(loss=Scalar(), dW=Array("D", "C")):
    """L1 regularization of a weight matrix: pushes weights to exactly 0 (sparse weights).

    Inputs:
    - W: weights, shape (D, C) (never the biases). The reference accepts any shape.
    - reg: regularization strength, a float >= 0.

    Returns a tuple of:
    - loss: float, reg * sum(|W|).
    - dW: gradient of the loss with respect to W, shape (D, C): reg * sign(W). Where W[i, j] == 0 the loss has a
      kink; the contract takes the subgradient 0 there (np.sign's sign(0) = 0).
    """
