"""Optimization strategies of CS231n lecture 4 (contract: spec/contract/search.py): random search, random local
search and gradient descent with a fixed step."""

import numpy as np

from impl import _validate


def _function(name, f):
    if not callable(f):
        raise ValueError(f"{name} must be a function of W, got {type(f).__name__}")
    return f


def _loss(name, value):
    """What a loss function returned, as a float: a number (a NaN loss is allowed and never counts as lower)."""
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must return a number, got an array of shape {np.shape(value)}")
    return float(np.asarray(value)[()])


def random_search(loss_fn, shape, num_tries=1000, scale=1e-4, seed=None):
    _function("loss_fn", loss_fn)
    if not isinstance(shape, (tuple, list)):
        raise ValueError(f"shape must be a tuple of ints, got {type(shape).__name__}")
    shape = tuple(_validate.count(f"shape[{i}]", s, 0) for i, s in enumerate(shape))
    num_tries = _validate.count("num_tries", num_tries, 1)
    scale = _validate.real_number("scale", scale, minimum=0)
    rng = np.random.default_rng(seed)
    best_W, best_loss = None, np.inf
    for _ in range(num_tries):
        W = scale * rng.standard_normal(shape)
        loss = _loss("loss_fn", loss_fn(W))
        # A NaN loss never counts as lower; a NaN first try is replaced by the first try with a number.
        if best_W is None or loss < best_loss or (np.isnan(best_loss) and not np.isnan(loss)):
            best_W, best_loss = W, loss
    return best_W, best_loss


def random_local_search(loss_fn, W0, num_steps=1000, step_size=1e-4, seed=None):
    _function("loss_fn", loss_fn)
    W = _validate.real_array("W0", W0).copy()
    num_steps = _validate.count("num_steps", num_steps, 1)
    step_size = _validate.real_number("step_size", step_size, minimum=0)
    rng = np.random.default_rng(seed)
    loss = _loss("loss_fn", loss_fn(W.copy()))
    history = np.empty(num_steps)
    for t in range(num_steps):
        W_try = W + step_size * rng.standard_normal(W.shape)
        loss_try = _loss("loss_fn", loss_fn(W_try.copy()))
        if loss_try < loss:
            W, loss = W_try, loss_try
        history[t] = loss
    return W, history


def gradient_descent(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    _function("loss_and_grad", loss_and_grad)
    W = _validate.real_array("W0", W0).copy()
    learning_rate = _validate.real_number("learning_rate", learning_rate, minimum=0)
    if learning_rate == 0:
        raise ValueError("learning_rate must be > 0, got 0.0")
    num_iters = _validate.count("num_iters", num_iters, 0)
    history = np.empty(num_iters)
    for t in range(num_iters):
        result = loss_and_grad(W.copy())
        if not isinstance(result, tuple) or len(result) != 2:
            raise ValueError("loss_and_grad must return a tuple (loss, dW)")
        loss, dW = result
        dW = _validate.real_array("dW", dW)
        if dW.shape != W.shape:
            raise ValueError(f"loss_and_grad's dW must have the shape of W0, {W.shape}, got {dW.shape}")
        history[t] = _loss("loss_and_grad", loss)
        W = W - learning_rate * dW
    return W, history
