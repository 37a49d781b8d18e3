"""Linear classifiers on weights: scores X @ W + b, the bias trick, the multiclass SVM and softmax losses with L2
regularization (naive and vectorized), minibatch SGD training and prediction.

Shapes and return values are stated in spec/contract/linear_classifier.py.
"""

import numpy as np

from impl import _validate

LOSSES = ("softmax", "svm")


# Input checks (the shared ones are in impl/_validate.py).


def _data_and_weights(X, W):
    X = _validate.matrix("data X", X, "(N, D)")
    W = _validate.matrix("weights W", W, "(D, C)")
    if W.shape[0] != X.shape[1]:
        raise ValueError(
            f"weights W must have shape (D, C) with D = {X.shape[1]} rows to match X of shape {X.shape}, "
            f"got shape {W.shape}"
        )
    return X, W


def _loss_inputs(W, X, y, reg):
    X, W = _data_and_weights(X, W)
    _validate.nonempty("data X", X)
    y = _validate.labels(y, X.shape[0], W.shape[1], against=f"X of shape {X.shape}")
    return W, X, y, _validate.real_number("reg", reg, minimum=0.0)


# Scores.


def linear_scores(X, W, b):
    X, W = _data_and_weights(X, W)
    b = _validate.real_array("biases b", b)
    if b.shape != (W.shape[1],):
        raise ValueError(f"biases b must have shape (C,) = ({W.shape[1]},) to match W of shape {W.shape}, got {b.shape}")
    return X @ W + b


def append_bias_column(X):
    X = _validate.matrix("data X", X, "(N, D)")
    return np.hstack([X, np.ones((X.shape[0], 1))])


# Losses on weights: the data loss averaged over N, plus reg * sum(W**2).


def svm_loss_naive(W, X, y, reg):
    W, X, y, reg = _loss_inputs(W, X, y, reg)
    n, c = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(n):
        scores = X[i] @ W
        for j in range(c):
            if j == y[i]:
                continue
            margin = scores[j] - scores[y[i]] + 1.0
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]
                dW[:, y[i]] -= X[i]
    loss = loss / n + reg * np.sum(W * W)
    return float(loss), dW / n + 2.0 * reg * W


def svm_loss_vectorized(W, X, y, reg):
    W, X, y, reg = _loss_inputs(W, X, y, reg)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0  # the correct class is not compared with itself
    active = (margins > 0).astype(np.float64)
    active[rows, y] = -active.sum(axis=1)
    loss = margins.sum() / n + reg * np.sum(W * W)
    return float(loss), X.T @ active / n + 2.0 * reg * W


def softmax_loss_naive(W, X, y, reg):
    W, X, y, reg = _loss_inputs(W, X, y, reg)
    n, c = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(n):
        scores = X[i] @ W
        shifted = scores - scores.max()  # exp() of at most 0: no overflow
        log_norm = np.log(np.exp(shifted).sum())
        loss += log_norm - shifted[y[i]]
        for j in range(c):
            p = np.exp(shifted[j] - log_norm)
            dW[:, j] += (p - (j == y[i])) * X[i]
    loss = loss / n + reg * np.sum(W * W)
    return float(loss), dW / n + 2.0 * reg * W


def softmax_loss_vectorized(W, X, y, reg):
    W, X, y, reg = _loss_inputs(W, X, y, reg)
    n = X.shape[0]
    rows = np.arange(n)
    shifted = X @ W
    shifted -= shifted.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, y].mean() + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1.0
    return float(loss), X.T @ dscores / n + 2.0 * reg * W


# Training and prediction.


def train_linear_classifier(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, seed=0):
    X = _validate.matrix("data X", X, "(N, D)")
    _validate.nonempty("data X", X)
    y = _validate.labels(y, X.shape[0], against=f"X of shape {X.shape}")
    loss = _validate.choice("loss", loss, LOSSES)
    learning_rate = _validate.real_number("learning_rate", learning_rate, minimum=0.0)
    reg = _validate.real_number("reg", reg, minimum=0.0)
    num_iters = _validate.count("num_iters", num_iters, 0)
    batch_size = _validate.count("batch_size", batch_size, 1)
    seed = _validate.count("seed", seed, 0)
    loss_fn = softmax_loss_vectorized if loss == "softmax" else svm_loss_vectorized

    n, d = X.shape
    rng = np.random.default_rng(seed)
    W = 0.001 * rng.standard_normal((d, int(y.max()) + 1))
    history = np.empty(num_iters)
    for it in range(num_iters):
        batch = rng.choice(n, batch_size, replace=True)
        history[it], dW = loss_fn(W, X[batch], y[batch], reg)
        W -= learning_rate * dW
    return W, history


def predict_linear(W, X):
    X, W = _data_and_weights(X, W)
    return np.argmax(X @ W, axis=1)
