"""Minibatches, on the students' own losses of a linear classifier (softmax_loss_vectorized and svm_loss_vectorized,
reg = 0): the gradient of the mean loss over a batch is the mean of the per-sample gradients, so averaging the
minibatch gradients over a partition of the data into equal batches gives the full-batch gradient (what makes
minibatch SGD an unbiased estimate of gradient descent).

Tolerances. The linear-classifier chapter bounds the error between two float64 computations of a loss and of dW
(loss_tolerance, gradient_tolerance in its test modules: twice one computation's bound, times 2 for safety), for any
batch. Here the batch's dW is one computation (within a quarter of gradient_tolerance(W, X) of exact), each of the
m per-sample or per-batch dW another (within a quarter of their own tolerance), and the spec's mean of m arrays
rounds by at most (m + 1) U times the mean of their absolute values. The sum of these, doubled for safety, is the
tolerance; likewise for the loss. The SVM's gradient is only defined away from its kinks: its problems keep every
margin 1e-2 away from 0, where no rounding of a score (below 1e-12 here) can change a branch.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from spec import expect
from spec.linear_classifiers import test_softmax_loss_on_weights as softmax_chapter
from spec.linear_classifiers import test_svm_loss_on_weights as svm_chapter
from spec.linear_classifiers.strategies import linear_problems, svm_margins
from spec.optimization.common import U
from spec.property import mutant, prop

CONCEPT = "minibatch gradient"
I2DL = ("TUM I2DL lecture 5 recap, slide 4 (and lecture 6 recap, slide 4): minibatch SGD, theta_{k+1} = theta_k - "
        "alpha grad L(theta_k, x_{1..m}, y_{1..m}) with grad L = (1/m) sum_i grad L_i, the gradient of the k-th batch "
        "of m training samples")
MARGIN_GAP = 1e-2


@st.composite
def partitioned_problems(draw, away_from_kinks=False):
    """(W, X, y, batches): a problem of N = k B examples (k in [2, 3] batches of B in [1, 2]) and a random partition
    of its indices into the k batches."""
    k, b = draw(st.integers(2, 3)), draw(st.integers(1, 2))
    W, X, y = draw(linear_problems(rows=st.just(k * b)))
    if away_from_kinks:
        assume(np.abs(svm_margins(W, X, y)).min() >= MARGIN_GAP)
    order = np.array(draw(st.permutations(range(k * b))))
    return W, X, y, [order[j * b:(j + 1) * b] for j in range(k)]


def _mean_and_rounding(parts):
    """The mean of m arrays (or floats), and the bound (m + 1) U mean(|part|) on the rounding of computing it."""
    stacked = np.array(parts, dtype=np.float64)
    m = len(parts)
    return stacked.sum(axis=0) / m, (m + 1) * U * np.abs(stacked).mean(axis=0)


def check_mean_of_parts(loss_fn, chapter, W, X, y, batches, what):
    """loss_fn(W, X, y, 0) has the mean loss and the mean dW of loss_fn on each batch of `batches` (index arrays)."""
    name = loss_fn.__name__
    loss, dW = loss_fn(W, X, y, 0.0)
    parts = [loss_fn(W, X[idx], y[idx], 0.0) for idx in batches]
    mean_loss, loss_rounding = _mean_and_rounding([p[0] for p in parts])
    mean_dW, dW_rounding = _mean_and_rounding([p[1] for p in parts])
    loss_allowed = 2 * (chapter.loss_tolerance(W, X, 0.0) / 4 + loss_rounding
                        + np.mean([chapter.loss_tolerance(W, X[idx], 0.0) for idx in batches]) / 4)
    dW_allowed = 2 * (chapter.gradient_tolerance(W, X, 0.0) / 4 + dW_rounding
                      + np.mean([chapter.gradient_tolerance(W, X[idx], 0.0) for idx in batches], axis=0) / 4)
    inputs = {"W": W, "X": X, "y": y, "reg": 0.0, what: [list(map(int, idx)) for idx in batches]}
    expect.close(f"loss of {name} on the whole batch", loss, mean_loss, atol=loss_allowed,
                 why=f"the mean of its losses on the {what} (the loss is a mean over the examples)", inputs=inputs)
    expect.close(f"dW of {name} on the whole batch", dW, mean_dW, atol=dW_allowed,
                 why=f"the mean of its dW on the {what} (the gradient of a mean is the mean of the gradients)",
                 inputs=inputs)


def single_examples(n):
    return [np.array([i]) for i in range(n)]


@prop(CONCEPT, I2DL, "softmax_loss_vectorized (reg = 0) on a batch gives the mean of its losses and dW on each example alone, and the mean of its losses and dW on the minibatches of a partition of the batch into equal parts.")
@given(problem=partitioned_problems())
def test_softmax_batch_gradient_is_the_mean_of_minibatch_gradients(softmax_loss_vectorized, problem):
    W, X, y, batches = problem
    check_mean_of_parts(softmax_loss_vectorized, softmax_chapter, W, X, y, single_examples(len(y)), "single examples")
    check_mean_of_parts(softmax_loss_vectorized, softmax_chapter, W, X, y, batches, "minibatches")


@prop(CONCEPT, I2DL, "svm_loss_vectorized (reg = 0, margins away from the kink) on a batch gives the mean of its losses and dW on each example alone, and the mean of its losses and dW on the minibatches of a partition of the batch into equal parts.")
@given(problem=partitioned_problems(away_from_kinks=True))
def test_svm_batch_gradient_is_the_mean_of_minibatch_gradients(svm_loss_vectorized, problem):
    W, X, y, batches = problem
    check_mean_of_parts(svm_loss_vectorized, svm_chapter, W, X, y, single_examples(len(y)), "single examples")
    check_mean_of_parts(svm_loss_vectorized, svm_chapter, W, X, y, batches, "minibatches")


# Mutants: batch bugs of the vectorized losses, which a single example does not show.


def _softmax_parts(W, X, y, axis=1):
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p = p / p.sum(axis=axis, keepdims=True)
    n = X.shape[0]
    onehot = np.zeros_like(p)
    onehot[np.arange(n), y] = 1.0
    return p, onehot, n


SOFTMAX_BATCH = [test_softmax_batch_gradient_is_the_mean_of_minibatch_gradients]
SVM_BATCH = [test_svm_batch_gradient_is_the_mean_of_minibatch_gradients]


@mutant(of="softmax_loss_vectorized", kills=SOFTMAX_BATCH)
def softmax_vectorized_gradient_summed_over_the_batch(W, X, y, reg):
    """The loss is averaged over N, the gradient summed (dW /= N forgotten): a minibatch's gradient then grows with
    the batch size."""
    p, onehot, n = _softmax_parts(W, X, y)
    loss = float(-np.log(p[np.arange(n), y]).mean()) + reg * float(np.sum(W * W))
    return loss, X.T @ (p - onehot) + 2 * reg * W


@mutant(of="softmax_loss_vectorized", kills=SOFTMAX_BATCH)
def softmax_vectorized_normalized_over_the_batch(W, X, y, reg):
    """exp(s) / exp(s).sum(axis=0): each class normalized over the examples instead of each example over the
    classes; right for no batch but the examples now depend on each other."""
    p, onehot, n = _softmax_parts(W, X, y, axis=0)
    loss = float(-np.log(p[np.arange(n), y]).mean()) + reg * float(np.sum(W * W))
    return loss, X.T @ (p - onehot) / n + 2 * reg * W


@mutant(of="softmax_loss_vectorized", kills=SOFTMAX_BATCH)
def softmax_vectorized_gradient_divided_by_D(W, X, y, reg):
    """dW /= X.shape[1]: divided by the number of features D instead of the number of examples N."""
    p, onehot, n = _softmax_parts(W, X, y)
    loss = float(-np.log(p[np.arange(n), y]).mean()) + reg * float(np.sum(W * W))
    return loss, X.T @ (p - onehot) / X.shape[1] + 2 * reg * W


def _svm_counts(W, X, y, correct):
    n = X.shape[0]
    s = X @ W
    margins = np.maximum(0.0, s - correct + 1.0)
    margins[np.arange(n), y] = 0.0
    G = (margins > 0).astype(np.float64)
    G[np.arange(n), y] = -G.sum(axis=1)
    return margins, G, n


@mutant(of="svm_loss_vectorized", kills=SVM_BATCH)
def svm_vectorized_gradient_summed_over_the_batch(W, X, y, reg):
    """The loss is averaged over N, the gradient X.T @ G is not divided by N."""
    s = X @ W
    margins, G, n = _svm_counts(W, X, y, s[np.arange(X.shape[0]), y][:, None])
    return float(margins.sum()) / n + reg * float(np.sum(W * W)), X.T @ G + 2 * reg * W


@mutant(of="svm_loss_vectorized", kills=SVM_BATCH)
def svm_vectorized_correct_scores_as_a_row(W, X, y, reg):
    """correct = s[range(N), y] without [:, None]: of shape (N,), it broadcasts along the classes, so each example
    is compared with the other examples' correct scores (right for N = 1; for N != C numpy refuses the shapes)."""
    s = X @ W
    margins, G, n = _svm_counts(W, X, y, s[np.arange(X.shape[0]), y])
    return float(margins.sum()) / n + reg * float(np.sum(W * W)), X.T @ G / n + 2 * reg * W
