"""What the SVM and softmax losses on weights share: (W, X, y, reg) -> (loss, dW), the data loss averaged over N
plus reg * sum(W**2). Each check takes the caller's tolerances, derived for its own loss:
``loss_tolerance(W, X, reg) -> float`` and ``gradient_tolerance(W, X, reg) -> array``.
"""

import numpy as np

from spec import expect
from spec.expect import EPS


def inputs_of(W, X, y, reg) -> dict:
    return {"W": W, "X": X, "y": y, "reg": reg}


def check_regularization(loss_fn, W, X, y, reg, loss_tolerance):
    """The loss minus its reg = 0 value is reg * sum(W**2) for the batch and the batch repeated twice (so not divided
    by N); with X = 0, dW is 2 * reg * W exactly (so not reg * W)."""
    fname = loss_fn.__name__
    penalty = reg * np.sum(W * W)
    for name, X_, y_ in (("the batch", X, y), ("the batch repeated twice", np.concatenate([X, X]), np.concatenate([y, y]))):
        full, _ = loss_fn(W, X_, y_, reg)
        data, _ = loss_fn(W, X_, y_, 0.0)
        # Each call's data loss is within the loss bound of exact, the penalty within (K + 1) u R, the additions and
        # the subtraction here round once each on numbers up to |full|: loss_tolerance plus 2 EPS |full|.
        expect.close(f"{fname}(reg) - {fname}(reg=0) on {name}", full - data, penalty,
                     atol=loss_tolerance(W, X_, reg) + 2 * EPS * abs(full),
                     why="reg * sum(W**2), the same for any number of examples", inputs=inputs_of(W, X, y, reg))
    X0 = np.zeros_like(X)
    _, dW = loss_fn(W, X0, y, reg)
    # X = 0 makes the data gradient X.T @ G exactly 0, so dW is 2 reg W: one rounding (2 reg is exact), two in some
    # orders: 2 EPS.
    expect.close(f"dW of {fname} with X = 0", dW, 2 * reg * W, rtol=2 * EPS,
                 why="X = 0: only the regularization's 2 * reg * W", inputs=inputs_of(W, X0, y, reg))


def check_batch_average(loss_fn, W, X, y, reg, loss_tolerance, gradient_tolerance):
    """Repeating every example leaves the loss and dW unchanged."""
    fname = loss_fn.__name__
    X2, y2 = np.concatenate([X, X]), np.concatenate([y, y])
    loss, dW = loss_fn(W, X, y, reg)
    loss2, dW2 = loss_fn(W, X2, y2, reg)
    inputs = inputs_of(W, X, y, reg)
    # The bounds for the doubled batch cover both calls (they grow with N).
    expect.close(f"loss of {fname} on the batch repeated twice", loss2, loss, atol=loss_tolerance(W, X2, reg),
                 why="the loss of the batch: an average does not change when every example is repeated", inputs=inputs)
    expect.close(f"dW of {fname} on the batch repeated twice", dW2, dW, atol=gradient_tolerance(W, X2, reg),
                 why="dW of the batch: the gradient of an average does not change either", inputs=inputs)


def check_versions_agree(naive, vectorized, W, X, y, reg, loss_tolerance, gradient_tolerance):
    """The naive and the vectorized version return the same loss and dW."""
    inputs = inputs_of(W, X, y, reg)
    loss_naive, dW_naive = naive(W, X, y, reg)
    loss_vec, dW_vec = vectorized(W, X, y, reg)
    why = "the two versions must agree (the other properties tell which is wrong)"
    expect.close(f"loss of {vectorized.__name__}", loss_vec, loss_naive, atol=loss_tolerance(W, X, reg),
                 why=f"the loss of {naive.__name__}: {why}", inputs=inputs)
    expect.close(f"dW of {vectorized.__name__}", dW_vec, dW_naive, atol=gradient_tolerance(W, X, reg),
                 why=f"dW of {naive.__name__}: {why}", inputs=inputs)
