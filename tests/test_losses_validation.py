"""The reference impl/losses.py rejects malformed input with a ValueError that names the argument and what it should
be, before any arithmetic."""

import numpy as np
import pytest

from impl import losses

SCORES = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])


# softmax, softmax_loss, svm_loss: scores (N, C) and labels (N,) in [0, C).


def test_softmax_wants_a_score_matrix():
    with pytest.raises(ValueError, match=r"scores x must have shape \(N, C\), got shape \(3,\)"):
        losses.softmax(np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("loss", [losses.softmax_loss, losses.svm_loss])
def test_losses_on_scores_check_their_labels(loss):
    with pytest.raises(ValueError, match=r"scores x must have shape \(N, C\), got shape \(3,\)"):
        loss(np.array([1.0, 2.0, 3.0]), np.array([0]))
    with pytest.raises(ValueError, match=r"labels y must have shape \(N,\) = \(2,\) to match x of shape \(2, 3\), got \(3,\)"):
        loss(SCORES, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"labels y must be integers, got dtype float64"):
        loss(SCORES, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"labels y must lie in \[0, C\) = \[0, 3\), got values from 0 to 3"):
        loss(SCORES, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"labels y must lie in \[0, C\) = \[0, 3\), got values from -1 to 0"):
        loss(SCORES, np.array([-1, 0]))


# sigmoid: elementwise, any shape of real numbers.


def test_sigmoid_takes_any_shape():
    assert losses.sigmoid(np.zeros((2, 3, 4))).shape == (2, 3, 4)
    assert losses.sigmoid(np.array([0.0])).tolist() == [0.5]
    assert losses.sigmoid(np.array(0.0)) == 0.5


def test_sigmoid_wants_real_numbers():
    with pytest.raises(ValueError, match=r"x must be an array of real numbers, got dtype <U1"):
        losses.sigmoid(np.array(["a"]))
    with pytest.raises(ValueError, match=r"x must be an array of real numbers, got dtype complex128"):
        losses.sigmoid(np.array([1j]))


# binary_cross_entropy_with_logits: logits x (N,), targets t (N,) in [0, 1], reduction "mean" or "sum".

X = np.array([1.0, -2.0, 0.5])
T = np.array([1.0, 0.0, 0.3])


def test_bce_wants_a_vector_of_logits():
    with pytest.raises(ValueError, match=r"logits x must have shape \(N,\), got shape \(3, 1\)"):
        losses.binary_cross_entropy_with_logits(X[:, None], T)
    with pytest.raises(ValueError, match=r"logits x must hold at least one example \(N >= 1\), got shape \(0,\)"):
        losses.binary_cross_entropy_with_logits(np.zeros(0), np.zeros(0))


def test_bce_wants_matching_targets_in_the_unit_interval():
    with pytest.raises(ValueError, match=r"targets t must have shape \(N,\) = \(3,\) to match x of shape \(3,\), got \(2,\)"):
        losses.binary_cross_entropy_with_logits(X, T[:2])
    with pytest.raises(ValueError, match=r"targets t must lie in \[0, 1\], got values from 0.0 to 2.0"):
        losses.binary_cross_entropy_with_logits(X, np.array([1.0, 0.0, 2.0]))
    with pytest.raises(ValueError, match=r"targets t must lie in \[0, 1\], got values from -1.0 to 1.0"):
        losses.binary_cross_entropy_with_logits(X, np.array([1.0, -1.0, 0.5]))
    with pytest.raises(ValueError, match=r"targets t must lie in \[0, 1\], got values from nan"):
        losses.binary_cross_entropy_with_logits(X, np.array([1.0, np.nan, 0.5]))


def test_bce_accepts_integer_and_boolean_targets():
    loss, _ = losses.binary_cross_entropy_with_logits(X, np.array([1, 0, 0]))
    assert loss == losses.binary_cross_entropy_with_logits(X, np.array([True, False, False]))[0]


@pytest.mark.parametrize("reduction", ["avg", "none", "Mean", None])
def test_bce_wants_a_known_reduction(reduction):
    with pytest.raises(ValueError, match=r"reduction must be one of 'mean', 'sum', got " + repr(reduction)):
        losses.binary_cross_entropy_with_logits(X, T, reduction=reduction)


# l1_loss, l2_loss: predictions and targets (N,), reduction "mean" or "sum".


@pytest.mark.parametrize("loss", [losses.l1_loss, losses.l2_loss])
def test_regression_losses_want_matching_vectors(loss):
    with pytest.raises(ValueError, match=r"predictions pred must have shape \(N,\), got shape \(2, 2\)"):
        loss(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"predictions pred must hold at least one example \(N >= 1\), got shape \(0,\)"):
        loss(np.zeros(0), np.zeros(0))
    with pytest.raises(ValueError, match=r"targets target must have shape \(N,\) = \(3,\) to match pred of shape \(3,\), got \(3, 1\)"):
        loss(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"target must be an array of real numbers, got dtype <U1"):
        loss(np.zeros(1), np.array(["a"]))
    with pytest.raises(ValueError, match=r"reduction must be one of 'mean', 'sum', got 'none'"):
        loss(np.zeros(3), np.zeros(3), reduction="none")


# l1_regularization, l2_regularization: weights of any shape, reg a finite number >= 0.


@pytest.mark.parametrize("regularization", [losses.l1_regularization, losses.l2_regularization])
def test_regularizations_want_a_nonnegative_scalar_strength(regularization):
    W = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"reg must be >= 0.0, got -0.5"):
        regularization(W, -0.5)
    with pytest.raises(ValueError, match=r"reg must be a finite number, got inf"):
        regularization(W, np.inf)
    with pytest.raises(ValueError, match=r"reg must be a finite number, got nan"):
        regularization(W, np.nan)
    with pytest.raises(ValueError, match=r"reg must be a number, got an array of shape \(2,\)"):
        regularization(W, np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match=r"reg must be a finite number, got '0.1'"):
        regularization(W, "0.1")
    with pytest.raises(ValueError, match=r"W must be an array of real numbers, got dtype object"):
        regularization(np.array([None, 1.0]), 0.1)


@pytest.mark.parametrize("regularization", [losses.l1_regularization, losses.l2_regularization])
def test_regularizations_take_any_shape_and_integer_strengths(regularization):
    loss, dW = regularization(np.ones((2, 3, 4)), 2)
    assert dW.shape == (2, 3, 4) and dW.dtype == np.float64
    assert loss == 48.0  # 2 * 24 ones, squared or not
    assert regularization(np.ones(3), np.float32(0.5))[0] == pytest.approx(1.5)


@pytest.mark.parametrize("loss", [losses.softmax_loss, losses.svm_loss])
def test_losses_on_scores_refuse_an_empty_batch(loss):
    # The mean over no examples is 0/0: refused with a message, not a NaN loss.
    with pytest.raises(ValueError, match=r"scores x must hold at least one example \(N >= 1\), got shape \(0, 3\)"):
        loss(np.zeros((0, 3)), np.zeros(0, dtype=int))
