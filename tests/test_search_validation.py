"""The reference impl/search.py rejects malformed input with a ValueError that names the argument and what it should
be, leaves W0 as it found it, and keeps the contract's conventions at the edges (ties, NaN losses, no steps)."""

import numpy as np
import pytest

from impl import search

W0 = np.array([[0.5, -1.0], [2.0, 0.0]])


def bowl(W):
    return float(np.sum(W**2))


def bowl_and_grad(W):
    return float(np.sum(W**2)), 2 * W


def test_random_search_checks_its_arguments():
    with pytest.raises(ValueError, match=r"loss_fn must be a function of W, got ndarray"):
        search.random_search(np.zeros(3), (3,))
    with pytest.raises(ValueError, match=r"shape must be a tuple of ints, got int"):
        search.random_search(bowl, 3)
    with pytest.raises(ValueError, match=r"shape\[1\] must be an integer >= 0, got 2.5"):
        search.random_search(bowl, (3, 2.5))
    with pytest.raises(ValueError, match=r"num_tries must be an integer >= 1, got 0"):
        search.random_search(bowl, (3,), num_tries=0)
    with pytest.raises(ValueError, match=r"scale must be >= 0, got -1.0"):
        search.random_search(bowl, (3,), scale=-1.0)
    with pytest.raises(ValueError, match=r"loss_fn must return a number, got an array of shape \(3,\)"):
        search.random_search(lambda W: W, (3,), num_tries=2)


def test_random_search_skips_a_nan_loss_and_keeps_the_first_of_tied_tries():
    calls = []

    def nan_first(W):
        calls.append(W)
        return float("nan") if len(calls) == 1 else 1.0

    W, loss = search.random_search(nan_first, (2,), num_tries=3, seed=0)
    assert loss == 1.0 and np.array_equal(W, calls[1])
    W1, _ = search.random_search(bowl, (2, 3), num_tries=5, seed=7)
    W2, _ = search.random_search(bowl, (2, 3), num_tries=5, seed=7)
    assert W1.shape == (2, 3) and np.array_equal(W1, W2)


def test_random_local_search_checks_its_arguments_and_leaves_W0():
    with pytest.raises(ValueError, match=r"loss_fn must be a function of W, got str"):
        search.random_local_search("bowl", W0)
    with pytest.raises(ValueError, match=r"W0 must be an array of real numbers, got dtype object"):
        search.random_local_search(bowl, np.array([None, 1.0]))
    with pytest.raises(ValueError, match=r"num_steps must be an integer >= 1, got 0"):
        search.random_local_search(bowl, W0, num_steps=0)
    with pytest.raises(ValueError, match=r"step_size must be >= 0, got -0.1"):
        search.random_local_search(bowl, W0, step_size=-0.1)
    with pytest.raises(ValueError, match=r"step_size must be a finite number, got nan"):
        search.random_local_search(bowl, W0, step_size=float("nan"))
    before = W0.copy()
    W, history = search.random_local_search(bowl, W0, num_steps=20, step_size=0.1, seed=0)
    assert np.array_equal(W0, before) and history.shape == (20,) and history[-1] == bowl(W)


def test_gradient_descent_checks_its_arguments_and_what_loss_and_grad_returns():
    with pytest.raises(ValueError, match=r"loss_and_grad must be a function of W, got float"):
        search.gradient_descent(1.0, W0)
    with pytest.raises(ValueError, match=r"learning_rate must be > 0, got 0.0"):
        search.gradient_descent(bowl_and_grad, W0, learning_rate=0.0)
    with pytest.raises(ValueError, match=r"learning_rate must be >= 0, got -0.1"):
        search.gradient_descent(bowl_and_grad, W0, learning_rate=-0.1)
    with pytest.raises(ValueError, match=r"num_iters must be an integer >= 0, got -1"):
        search.gradient_descent(bowl_and_grad, W0, num_iters=-1)
    with pytest.raises(ValueError, match=r"loss_and_grad must return a tuple \(loss, dW\)"):
        search.gradient_descent(bowl, W0, num_iters=1)
    with pytest.raises(ValueError, match=r"loss_and_grad's dW must have the shape of W0, \(2, 2\), got \(4,\)"):
        search.gradient_descent(lambda W: (0.0, np.zeros(4)), W0, num_iters=1)


def test_gradient_descent_without_steps_returns_W0_and_leaves_it():
    before = W0.copy()
    W, history = search.gradient_descent(bowl_and_grad, W0, learning_rate=0.25, num_iters=0)
    assert np.array_equal(W, W0) and W is not W0 and history.shape == (0,)
    W, history = search.gradient_descent(bowl_and_grad, W0, learning_rate=0.25, num_iters=2)
    assert np.array_equal(W0, before) and np.array_equal(W, W0 * 0.25) and history[0] == bowl(W0)
