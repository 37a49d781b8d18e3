"""Strategy #3, following the gradient: gradient_descent(loss_and_grad, W0, learning_rate, num_iters) -> (W,
loss_history) with W_{t+1} = W_t - learning_rate * dW_t and loss_history[t] the loss at W_t, before step t; and the
reason it works, the negative gradient is a descent direction (on the students' own softmax loss).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.linear_classifiers.strategies import linear_problems
from spec.linear_classifiers.test_softmax_loss_on_weights import (
    gradient_tolerance,
    loss_tolerance,
)
from spec.optimization.common import GradientRecorder, U, bounded_arrays, weight_shapes
from spec.property import alternative, mutant, prop

CONCEPT = "gradient descent"
CS231N_UPDATE = ("CS231n lecture 4 (2015), slides 39 and 44-46: strategy #3, following the gradient; 'performing a "
                 "parameter update' W += -step_size * dW ('original W, negative gradient direction')")
I2DL_GD = "TUM I2DL lecture 5 recap, slide 3: gradient descent theta_{k+1} = theta_k - alpha grad_theta L(theta_k)"


class Slope:
    """loss(W) = sum(a * W + b * cos(W)), dW = a - b * sin(W), with |a| >= 1 and |b| <= 1/2: smooth, the gradient at
    least 1/2 and at most 3.5 in every entry, so every step moves W (no two steps at the same point) and any
    learning rate keeps W finite."""

    def __init__(self, a, b):
        self.a, self.b = a, b

    def __call__(self, W):
        return float(np.sum(self.a * W + self.b * np.cos(W))), self.a - self.b * np.sin(W)

    def __repr__(self):
        return (f"(sum(a * W + b * cos(W)), a - b * sin(W)), a = {np.array2string(self.a, precision=3)}, "
                f"b = {np.array2string(self.b, precision=3)}")


@st.composite
def descent_problems(draw):
    """(loss_and_grad, W0, learning_rate, num_iters)."""
    shape = draw(weight_shapes())
    signs = draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([1.0, -1.0])))
    a = signs * draw(bounded_arrays(shape, 1.0, 3.0))
    b = draw(bounded_arrays(shape, -0.5, 0.5))
    W0 = draw(bounded_arrays(shape, -5.0, 5.0))
    lr = draw(st.one_of(st.sampled_from([1e-3, 0.1, 1.0]), st.floats(1e-3, 10.0)))
    return Slope(a, b), W0, lr, draw(st.integers(0, 6))


SLOPE0 = (Slope(np.array([[1.0, -2.0], [1.5, 3.0]]), np.array([[0.5, -0.5], [0.25, 0.0]])),
          np.array([[0.3, -1.0], [2.0, 0.0]]), 0.1, 4)


@prop(CONCEPT, CS231N_UPDATE, "gradient_descent calls loss_and_grad at W_0 = W0, then at W_{t+1} = W_t - learning_rate * dW_t exactly, returns W_T, and records loss_history[t] = the loss at W_t before step t.")
@given(problem=descent_problems())
@example(problem=SLOPE0)
@example(problem=(SLOPE0[0], SLOPE0[1], 0.1, 0))
def test_gradient_descent_steps_along_the_negative_gradient(gradient_descent, problem):
    fn, W0, lr, num_iters = problem
    inputs = {"loss_and_grad": repr(fn), "W0": W0, "learning_rate": lr, "num_iters": num_iters}
    recorder = GradientRecorder(fn)
    W, history = gradient_descent(recorder, W0, lr, num_iters)
    history = np.asarray(history, dtype=np.float64)
    steps = recorder.steps()  # consecutive calls at the same W count once
    if len(steps) < num_iters:
        expect.fail(f"gradient_descent called loss_and_grad at {len(steps)} different points in {num_iters} "
                    "iterations; it should call it once per step, at the current W", inputs)
    expected = W0
    for t in range(num_iters):
        W_t, loss_t, dW_t = steps[t]
        what = "W0" if t == 0 else f"W_{t} = W_{t - 1} - learning_rate * dW_{t - 1}"
        expect.equal(f"the W of gradient_descent's call number {t + 1} to loss_and_grad", W_t, expected,
                     why=what, inputs=inputs)
        expect.equal(f"loss_history[{t}]", history[t], loss_t,
                     why=f"the loss at W_{t}, before step {t} (CS231n records the loss, then updates)", inputs=inputs)
        expected = W_t - lr * dW_t
    expect.equal("the W returned by gradient_descent", W, expected,
                 why=f"W_{num_iters}, the point after the last step W_{num_iters - 1} - learning_rate * dW"
                 if num_iters else "W0: no steps", inputs=inputs)


# Descent direction. For reg >= 0 the softmax loss of W is convex and L-smooth with L = ||X||_2^2 / (2N) + 2 reg:
# the Hessian of -log softmax(s)_y in the scores is diag(p) - p p^T, whose quadratic form v -> Var_p(v) is at most
# (max v - min v)^2 / 4 <= |v|^2 / 2 (Popoviciu); through s_i = W^T x_i the data term's Hessian form in a direction
# D is at most (1/2N) sum_i |D^T x_i|^2 = ||X D||_F^2 / 2N <= ||X||_2^2 |D|^2 / 2N; the penalty adds 2 reg |D|^2.
# A step W' = W - t g' with t = 1 / L' (L' >= L) and the computed gradient g' = g + e (|e| <= E) satisfies
#   f(W') <= f(W) - t g . g' + (L t^2 / 2) |g'|^2 <= f(W) - t |g'|^2 / 2 + t |e| |g'| = f(W) - t |g'| (|g'| / 2 - E).
# Rounding the step (a product and a subtraction, <= 2 U (|W| + t |g'|) per entry, |delta| in all) changes f by at
# most (2 |g'| + E) |delta| + L |delta|^2 / 2 (|grad f| <= |g| + L t |g'| <= 2 |g'| + E along the way); each computed
# loss is off by at most a quarter of the chapter's loss_tolerance (which compares two computations, with a factor
# 2 of safety), and E is at most the Frobenius norm of a quarter of its gradient_tolerance: the whole tolerances are
# used here, a factor 4 of safety.
# A gradient of the wrong sign ascends: by convexity f(W + t g) >= f(W) + t |g|^2.


@prop(CONCEPT, CS231N_UPDATE, "The negative gradient is a descent direction: a step of 1/L (L = ||X||^2 / 2N + 2 reg, the largest curvature of the softmax loss) along -dW of softmax_loss_vectorized lowers its loss by at least |dW|^2 / 2L (up to rounding).")
@given(problem=linear_problems(), reg=st.sampled_from([0.0, 1e-3, 0.5]))
def test_the_negative_gradient_is_a_descent_direction(softmax_loss_vectorized, problem, reg):
    W, X, y = problem
    inputs = {"W": W, "X": X, "y": y, "reg": reg}
    n = X.shape[0]
    L = (1 + 1e-6) * float(np.linalg.norm(X, 2)) ** 2 / (2 * n) + 2 * reg  # 1e-6: the SVD's own rounding, generously
    loss, dW = softmax_loss_vectorized(W, X, y, reg)
    g = float(np.linalg.norm(dW))
    if L == 0.0:  # X = 0 and reg = 0: the loss is log C everywhere, dW must be 0 (stated elsewhere)
        return
    t = 1.0 / L
    W_next = W - t * dW
    loss_next, _ = softmax_loss_vectorized(W_next, X, y, reg)
    E = float(np.linalg.norm(gradient_tolerance(W, X, reg)))
    delta = float(np.linalg.norm(2 * U * (np.abs(W) + t * np.abs(dW))))
    allowed = (-t * g * (g / 2 - E) + (2 * g + E) * delta + L * delta**2 / 2
               + loss_tolerance(W, X, reg) + loss_tolerance(W_next, X, reg))
    change = loss_next - loss
    expect.holds("loss(W - dW / L) - loss(W)", change, change <= allowed,
                 f"<= {allowed:.6g} (= -|dW|^2 / 2L up to rounding, |dW| = {g:.6g}, L = {L:.6g}): a small enough "
                 "step along the negative gradient lowers the loss; along +dW it rises", inputs=inputs)


# Mutants of gradient descent.


@mutant(of="gradient_descent", kills=[test_gradient_descent_steps_along_the_negative_gradient])
def gradient_descent_ascending(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """W += learning_rate * dW: a step along the gradient, uphill."""
    W, history = W0.copy(), []
    for _ in range(num_iters):
        loss, dW = loss_and_grad(W)
        history.append(loss)
        W = W + learning_rate * dW
    return W, history


@mutant(of="gradient_descent", kills=[test_gradient_descent_steps_along_the_negative_gradient])
def gradient_descent_recording_the_loss_after_the_step(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """Updates first, then records loss_and_grad(W) of the new W: the history is shifted by one step."""
    W, history = W0.copy(), []
    for _ in range(num_iters):
        _, dW = loss_and_grad(W)
        W = W - learning_rate * dW
        history.append(loss_and_grad(W)[0])
    return W, history


@mutant(of="gradient_descent", kills=[test_gradient_descent_steps_along_the_negative_gradient])
def gradient_descent_updating_W0_in_place(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """W = W0; W -= learning_rate * dW: the caller's W0 is overwritten (the contract says W0 is read-only)."""
    W, history = W0, []
    for _ in range(num_iters):
        loss, dW = loss_and_grad(W)
        history.append(loss)
        W -= learning_rate * dW
    return W, history


@mutant(of="gradient_descent", kills=[test_gradient_descent_steps_along_the_negative_gradient])
def gradient_descent_without_the_learning_rate(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """W -= dW: the step size forgotten."""
    W, history = W0.copy(), []
    for _ in range(num_iters):
        loss, dW = loss_and_grad(W)
        history.append(loss)
        W = W - dW
    return W, history


@mutant(of="softmax_loss_vectorized", kills=[test_the_negative_gradient_is_a_descent_direction])
def softmax_vectorized_gradient_of_the_wrong_sign(W, X, y, reg):
    """dW = X.T @ (onehot(y) - p) / N: the gradient of the log-likelihood (to be maximized) instead of the loss."""
    n = X.shape[0]
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    loss = float(-np.log(p[np.arange(n), y]).mean()) + reg * float(np.sum(W * W))
    onehot = np.zeros_like(p)
    onehot[np.arange(n), y] = 1.0
    return loss, X.T @ (onehot - p) / n + 2 * reg * W


# Correct alternatives of gradient descent.


@alternative(of="gradient_descent")
def gradient_descent_in_place_on_a_copy(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """CS231n's W += -step_size * dW, in place on its own copy of W0; the history a list."""
    W = np.array(W0, dtype=np.float64, copy=True)
    history = []
    for _ in range(num_iters):
        loss, dW = loss_and_grad(W.copy())
        history.append(loss)
        W += -learning_rate * dW
    return W, history


@alternative(of="gradient_descent")
def gradient_descent_asking_twice_per_step(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """One call for the loss and another for the gradient at the same W; the history preallocated."""
    W = W0.copy()
    history = np.zeros(num_iters)
    for t in range(num_iters):
        history[t] = loss_and_grad(W)[0]
        grad = loss_and_grad(W)[1]
        W = W - learning_rate * grad
    return W, history
