"""Linear classifiers on weights (module ``linear_classifier``; CS231n ``linear_svm.py``, ``softmax.py`` and
``linear_classifier.py`` conventions).

X is (N, D) with one example per row, W is (D, C), b is (C,); scores are X @ W + b, shape (N, C). The losses on
weights return ``(loss, dW)``: the data loss averaged over N plus ``reg * sum(W**2)``, and its gradient.
"""

from spec.contract.types import Array, Choice, History, Integer, Labels, Returns, Scalar

# CS231n writes each loss twice, with loops and vectorized: a property of "svm_loss_on_weights" runs on both.
VERSIONS = {
    "svm_loss_on_weights": ("svm_loss_naive", "svm_loss_vectorized"),
    "softmax_loss_on_weights": ("softmax_loss_naive", "softmax_loss_vectorized"),
}


def linear_scores(X: Array("N", "D"), W: Array("D", "C"), b: Array("C")) -> Array("N", "C"):
    """The linear score function f(x, W) = Wx + b, one row per example (CS231n: X.dot(W) + b).

    The lecture writes one example as a column, f(x) = Wx + b with W of shape (C, D); here examples are rows and W
    is its transpose, (D, C): scores = X @ W + b.

    Inputs:
    - X: data, shape (N, D); X[i] is example i (an image stretched into D numbers).
    - W: weights, shape (D, C); column j is the template of class j.
    - b: biases, shape (C,).

    Returns:
    - scores: shape (N, C), scores[i, j] = sum_d X[i, d] * W[d, j] + b[j].
    """


def append_bias_column(X: Array("N", "D")) -> Array("N", "D+1"):
    """The bias trick: append a column of ones to X, so that biases become the last row of the weights.

    X @ W + b == append_bias_column(X) @ np.vstack([W, b]): with the trick a linear classifier is X @ W alone
    (CS231n appends the ones as the last column: D = 3072 + 1 = 3073 for CIFAR-10).

    Inputs:
    - X: data, shape (N, D).

    Returns:
    - X_with_ones: shape (N, D + 1); its first D columns are X, its last column is all ones.
    """


def svm_loss_naive(W: Array("D", "C"), X: Array("N", "D"), y: Labels("N"), reg: Scalar()) -> Returns(
    loss=Scalar(), dW=Array("D", "C")
):
    """Multiclass SVM (hinge) loss of a linear classifier, with loops (CS231n linear_svm.svm_loss_naive).

    Scores are X @ W (the bias trick: biases, if any, are the last row of W and X ends in a column of ones).

    Inputs:
    - W: weights, shape (D, C).
    - X: data, shape (N, D).
    - y: labels, shape (N,); y[i] in [0, C) is the correct class of example i.
    - reg: regularization strength (float, >= 0).

    Returns a tuple of:
    - loss: float, (1/N) * sum_i sum_{j != y[i]} max(0, s[i, j] - s[i, y[i]] + 1) + reg * sum(W**2), s = X @ W.
      The margin is 1. The regularization covers W as given: with the bias trick that includes the bias row,
      as in CS231n; biases kept separately (linear_scores's b) are never regularized.
    - dW: gradient of the loss with respect to W, shape (D, C), including 2 * reg * W. Where a margin is exactly 0
      the loss has a kink; any subgradient is accepted there (CS231n counts only margins > 0).
    Loop over the examples (and classes) here; svm_loss_vectorized computes the same without loops.
    """


def svm_loss_vectorized(W: Array("D", "C"), X: Array("N", "D"), y: Labels("N"), reg: Scalar()) -> Returns(
    loss=Scalar(), dW=Array("D", "C")
):
    """Multiclass SVM (hinge) loss of a linear classifier, without loops (CS231n linear_svm.svm_loss_vectorized).

    Inputs: W (D, C), X (N, D), y (N,) and reg, as for svm_loss_naive.

    Returns a tuple of:
    - loss: float, the mean hinge loss (margin 1) of the scores X @ W plus reg * sum(W**2).
    - dW: its gradient with respect to W, shape (D, C), including 2 * reg * W.
    Both versions must agree wherever no margin is exactly 0.
    """


def softmax_loss_naive(W: Array("D", "C"), X: Array("N", "D"), y: Labels("N"), reg: Scalar()) -> Returns(
    loss=Scalar(), dW=Array("D", "C")
):
    """Softmax (cross-entropy) loss of a linear classifier, with loops (CS231n softmax.softmax_loss_naive).

    Scores are X @ W (the bias trick: biases, if any, are the last row of W and X ends in a column of ones).

    Inputs:
    - W: weights, shape (D, C).
    - X: data, shape (N, D).
    - y: labels, shape (N,); y[i] in [0, C) is the correct class of example i.
    - reg: regularization strength (float, >= 0).

    Returns a tuple of:
    - loss: float, (1/N) * sum_i -log softmax(s[i])[y[i]] + reg * sum(W**2), s = X @ W. The regularization covers
      W as given (with the bias trick, the bias row too, as in CS231n; separate biases are never regularized).
      Must stay finite and accurate for scores as large as 1000 in magnitude (subtract each row's maximum before
      exp); within one example the scores are at most 700 apart, so -log of a probability computed that way is
      finite too.
    - dW: gradient of the loss with respect to W, shape (D, C): X.T @ (softmax(s) - onehot(y)) / N + 2 * reg * W.
    Loop over the examples here; softmax_loss_vectorized computes the same without loops.
    """


def softmax_loss_vectorized(W: Array("D", "C"), X: Array("N", "D"), y: Labels("N"), reg: Scalar()) -> Returns(
    loss=Scalar(), dW=Array("D", "C")
):
    """Softmax (cross-entropy) loss of a linear classifier, without loops (CS231n softmax.softmax_loss_vectorized).

    Inputs: W (D, C), X (N, D), y (N,) and reg, as for softmax_loss_naive.

    Returns a tuple of:
    - loss: float, the mean cross-entropy of the scores X @ W plus reg * sum(W**2); finite for scores as large as
      1000 in magnitude.
    - dW: its gradient with respect to W, shape (D, C), including 2 * reg * W.
    Both versions must agree.
    """


def train_linear_classifier(
    X: Array("N", "D"),
    y: Labels("N", defines_classes=True),
    loss: Choice("softmax", "svm") = "softmax",
    learning_rate: Scalar() = 1e-3,
    reg: Scalar() = 1e-5,
    num_iters: Integer(sizes="T") = 100,
    batch_size: Integer() = 200,
    seed: Integer() = 0,
) -> Returns(W=Array("D", "C"), loss_history=History("T")):
    """Train a linear classifier by minibatch stochastic gradient descent (CS231n LinearClassifier.train).

    C = max(y) + 1 classes. W starts as 0.001 * standard normal values of shape (D, C), drawn from a generator
    seeded with `seed`; the same seed gives the same result, so every draw must come from that seed (rng =
    np.random.default_rng(seed), then rng.standard_normal and rng.choice; or np.random.seed(seed), then np.random.randn
    and np.random.choice, as CS231n). Each of the num_iters iterations samples batch_size examples with replacement
    (rng.choice(N, batch_size)), so that batch_size may exceed N and a batch may hold an example twice; it computes
    the loss and its gradient on them with the vectorized loss ("softmax": softmax_loss_vectorized, "svm":
    svm_loss_vectorized, both with `reg`), records the loss, and updates W -= learning_rate * dW.

    Inputs:
    - X: training data, shape (N, D) (append the column of ones first to learn biases: the bias trick).
    - y: training labels, shape (N,), integers >= 0; C = max(y) + 1.
    - loss: "softmax" or "svm".
    - learning_rate: the step size, a float >= 0; reg: the regularization strength, a float >= 0.
    - num_iters: the number of SGD steps, T.
    - batch_size: examples per step.
    - seed: seeds every random draw (the initial W and the minibatches).

    Returns a tuple of:
    - W: the trained weights, shape (D, C).
    - loss_history: the minibatch loss (regularization included) at each iteration, before its update: a list of
      T = num_iters floats, or an ndarray of shape (T,).
    """


def predict_linear(W: Array("D", "C"), X: Array("N", "D")) -> Labels("N"):
    """Predict labels with a linear classifier: the class with the highest score (CS231n LinearClassifier.predict).

    Inputs:
    - W: weights, shape (D, C).
    - X: data, shape (N, D).

    Returns:
    - y_pred: an ndarray of integer labels, shape (N,); y_pred[i] = argmax_j (X @ W)[i, j]. Where scores tie, any of the tied
      classes is accepted.
    """
