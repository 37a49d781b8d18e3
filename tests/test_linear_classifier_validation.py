"""The reference impl/linear_classifier.py rejects malformed input with a ValueError that names the argument and
what it should be, before any arithmetic."""

import numpy as np
import pytest

from impl import linear_classifier as lc

X = np.arange(6.0).reshape(2, 3)  # N = 2, D = 3
W = np.ones((3, 4))  # C = 4
Y = np.array([0, 3])
LOSSES = [lc.svm_loss_naive, lc.svm_loss_vectorized, lc.softmax_loss_naive, lc.softmax_loss_vectorized]


def test_scores_want_data_weights_and_biases_that_fit():
    with pytest.raises(ValueError, match=r"data X must have shape \(N, D\), got shape \(3,\)"):
        lc.linear_scores(X[0], W, np.zeros(4))
    with pytest.raises(ValueError, match=r"weights W must have shape \(D, C\) with D = 3 rows to match X of shape \(2, 3\), got shape \(4, 3\)"):
        lc.linear_scores(X, W.T, np.zeros(4))
    with pytest.raises(ValueError, match=r"biases b must have shape \(C,\) = \(4,\) to match W of shape \(3, 4\), got \(1, 4\)"):
        lc.linear_scores(X, W, np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"data X must be an array of real numbers, got dtype object"):
        lc.append_bias_column(np.array([[None, 1.0]]))


@pytest.mark.parametrize("loss", LOSSES)
def test_losses_on_weights_check_shapes_and_labels(loss):
    with pytest.raises(ValueError, match=r"weights W must have shape \(D, C\) with D = 3 rows"):
        loss(W[:2], X, Y, 0.1)
    with pytest.raises(ValueError, match=r"labels y must have shape \(N,\) = \(2,\) to match X of shape \(2, 3\), got \(3,\)"):
        loss(W, X, np.array([0, 1, 2]), 0.1)
    with pytest.raises(ValueError, match=r"labels y must be integers, got dtype float64"):
        loss(W, X, Y.astype(float), 0.1)
    with pytest.raises(ValueError, match=r"labels y must lie in \[0, C\) = \[0, 4\), got values from 0 to 4"):
        loss(W, X, np.array([0, 4]), 0.1)
    with pytest.raises(ValueError, match=r"data X must hold at least one example \(N >= 1\), got shape \(0, 3\)"):
        loss(W, np.zeros((0, 3)), np.zeros(0, dtype=int), 0.1)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("reg, error", [(-1.0, r"reg must be >= 0.0, got -1.0"), (np.nan, r"reg must be a finite number, got nan"),
                                        ("0.1", r"reg must be a finite number, got '0.1'"),
                                        (np.array([0.1, 0.2]), r"reg must be a number, got an array of shape \(2,\)")])
def test_losses_on_weights_want_a_nonnegative_strength(loss, reg, error):
    with pytest.raises(ValueError, match=error):
        loss(W, X, Y, reg)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"loss": "hinge"}, r"loss must be one of 'softmax', 'svm', got 'hinge'"),
        ({"learning_rate": np.inf}, r"learning_rate must be a finite number, got inf"),
        ({"learning_rate": -1e-3}, r"learning_rate must be >= 0.0, got -0.001"),
        ({"num_iters": 10.0}, r"num_iters must be an integer >= 0, got 10.0"),
        ({"batch_size": 0}, r"batch_size must be an integer >= 1, got 0"),
        ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
    ],
)
def test_training_checks_its_settings(kwargs, error):
    with pytest.raises(ValueError, match=error):
        lc.train_linear_classifier(X, Y, **kwargs)


def test_training_checks_its_data():
    with pytest.raises(ValueError, match=r"labels y must be >= 0, got values from -1 to 3"):
        lc.train_linear_classifier(X, np.array([-1, 3]))
    with pytest.raises(ValueError, match=r"data X must hold at least one example \(N >= 1\), got shape \(0, 3\)"):
        lc.train_linear_classifier(np.zeros((0, 3)), np.zeros(0, dtype=int))


def test_training_reads_the_class_count_off_the_labels():
    # C = max(y) + 1, even when a class in between has no example (class 1 here).
    W_trained, history = lc.train_linear_classifier(X, np.array([0, 2]), num_iters=3, batch_size=2)
    assert W_trained.shape == (3, 3) and len(history) == 3


def test_predict_wants_weights_that_fit_the_data():
    with pytest.raises(ValueError, match=r"weights W must have shape \(D, C\) with D = 3 rows"):
        lc.predict_linear(W.T, X)
