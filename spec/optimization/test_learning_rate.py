"""The importance of the learning rate: on a convex quadratic f(W) = 0.5 w^T A w with largest curvature L, gradient
descent converges for steps below 2/L and diverges above.

A = diag(a) acts on the entries of W (any shape), with a in [L / kappa, L], kappa <= 10, and some entry exactly L.
Gradient descent is equivariant under rotations (W -> Q W gives Q times the same iterates), so a diagonal A loses
nothing, and it keeps the derivation exact: each entry evolves alone, w_{t+1} = (1 - lr a) w_t.

Rounding. Per entry the step computes fl(w - fl(lr fl(a w))): with |theta| <= U for each rounding,
|w_{t+1}| <= (|1 - lr a| + 3 U lr a + U) |w_t| <= (|1 - lr a| + 10 U) |w_t| for lr a <= 3. And 1 - lr a computed
here is off by at most 3 U. So with rho = max_i |1 - lr a_i| (computed) + 13 U every entry shrinks at least by rho
per step, the loss 0.5 sum a w^2 by rho^2; and the entry where a = L grows at least by |1 - lr L| - 13 U. The loss
is a sum of n positive terms of 3 roundings each: computed, it is within (n + 3) U relative of exact; a ratio of two
within 3 (n + 3) U. Where entries shrink fast (lr a near 1 shrinks an entry to its rounding error at once) the loss
reaches the subnormal range, below TINY = 2.2e-308, where rounding is absolute (at most 2^-1075 an operation):
the convergence check allows 4 n TINY more, which no term of the loss can exceed there.
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.optimization.common import TINY, U, bounded_arrays, weight_shapes
from spec.property import mutant, prop

CONCEPT = "learning rate"
I2DL = ("TUM I2DL lecture 6 recap, slide 5: 'importance of learning rate' (too high: the loss explodes; good: it "
        "converges); lecture 5 recap, slide 3: theta_{k+1} = theta_k - alpha grad L")
NUM_ITERS = 30
MAX_CONDITION = 10.0


class Quadratic:
    """loss_and_grad of f(W) = 0.5 * sum(a * W**2): (f(W), a * W)."""

    def __init__(self, a):
        self.a = a

    def __call__(self, W):
        return self.loss(W), self.a * W

    def loss(self, W) -> float:
        return float(0.5 * np.sum(self.a * W * W))

    def __repr__(self):
        return f"(0.5 * sum(a * W**2), a * W), a = {np.array2string(self.a, precision=4)}"


@st.composite
def quadratics(draw):
    """(f, W0, L): curvatures a in [L / kappa, L] with kappa in [1, 10] and a[top] = L; W0 in [-1, 1] with
    W0[top] = 1 (so the steepest direction is always present)."""
    shape = draw(weight_shapes())
    L = draw(st.one_of(st.sampled_from([0.1, 1.0, 10.0]), st.floats(0.1, 10.0)))
    kappa = draw(st.one_of(st.sampled_from([1.0, MAX_CONDITION]), st.floats(1.0, MAX_CONDITION)))
    a = L * draw(bounded_arrays(shape, 1.0 / kappa, 1.0))
    W0 = draw(bounded_arrays(shape, -1.0, 1.0))
    top = tuple(draw(st.integers(0, s - 1)) for s in shape)
    a[top], W0[top] = L, 1.0
    return Quadratic(a), W0, L


QUADRATIC0 = (Quadratic(np.array([[10.0, 1.0], [4.0, 2.5]])), np.array([[1.0, -1.0], [0.5, 1.0]]), 10.0)


@prop(CONCEPT, I2DL, "On a convex quadratic with largest curvature L, gradient descent with a step below 2/L (0.5/L to 1.9/L) converges: each step multiplies the loss by at most max|1 - lr a|^2 < 1.")
@given(problem=quadratics(), factor=st.one_of(st.sampled_from([1.9, 1.0]), st.floats(0.5, 1.9)))
@example(problem=QUADRATIC0, factor=1.9)
def test_steps_below_2_over_L_converge(gradient_descent, problem, factor):
    f, W0, L = problem
    lr = factor / L
    inputs = {"loss_and_grad": repr(f), "W0": W0, "learning_rate": lr, "num_iters": NUM_ITERS}
    W, history = gradient_descent(f, W0, lr, NUM_ITERS)
    losses = np.append(np.asarray(history, dtype=np.float64), f.loss(W))
    rho = float(np.max(np.abs(1.0 - lr * f.a))) + 13 * U  # < 1: lr a in [0.05, 1.9]
    ratio = rho**2 * (1 + 3 * (f.a.size + 3) * U)
    floor = 4 * f.a.size * TINY
    for t in range(NUM_ITERS):
        name = f"loss_history[{t + 1}]" if t + 1 < NUM_ITERS else "the loss at the W returned"
        expect.holds(name, losses[t + 1], losses[t + 1] <= ratio * losses[t] + floor,
                     f"<= {ratio:.6f} * {float(losses[t])!r} (the loss before): with learning_rate = {factor:g} / L "
                     f"< 2 / L each step shrinks every entry w by |1 - lr a| <= {rho:.6f}", inputs=inputs)


@prop(CONCEPT, I2DL, "On a convex quadratic with largest curvature L, gradient descent with a step above 2/L (2.1/L to 3/L) diverges: after 30 steps the loss has grown at least (lr L - 1)^60 / n-fold.")
@given(problem=quadratics(), factor=st.one_of(st.sampled_from([2.1, 3.0]), st.floats(2.1, 3.0)))
@example(problem=QUADRATIC0, factor=2.1)
def test_steps_above_2_over_L_diverge(gradient_descent, problem, factor):
    f, W0, L = problem
    lr = factor / L
    inputs = {"loss_and_grad": repr(f), "W0": W0, "learning_rate": lr, "num_iters": NUM_ITERS}
    W, _ = gradient_descent(f, W0, lr, NUM_ITERS)
    # The entry where a = L starts at 1 and grows by at least r = |1 - lr L| - 13 U per step: f(W_T) >= 0.5 L r^2T.
    # Every entry of W0 is at most 1 and every a at most L: f(W0) <= 0.5 L n. So f(W_T) / f(W0) >= r^2T / n.
    r = abs(1.0 - lr * L) - 13 * U
    n = f.a.size
    growth = r ** (2 * NUM_ITERS) / n * (1 - 3 * (n + 3) * U)
    start, end = f.loss(W0), f.loss(W)
    expect.holds("loss at the W returned / loss at W0", end / start, end >= growth * start,
                 f">= {growth:.4g} (= (lr L - 1)^{2 * NUM_ITERS} / {n}): with learning_rate = {factor:g} / L > 2 / L "
                 f"the steepest entry overshoots the minimum and grows by |1 - lr L| = {factor - 1:g} per step",
                 inputs=inputs)


# Mutants.


@mutant(of="gradient_descent", kills=[test_steps_below_2_over_L_converge])
def gradient_descent_with_unit_length_steps(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """W -= learning_rate * dW / |dW|: the gradient normalized, so every step has length learning_rate."""
    W, history = W0.copy(), []
    for _ in range(num_iters):
        loss, dW = loss_and_grad(W)
        history.append(loss)
        norm = np.linalg.norm(dW)
        W = W - learning_rate * dW / (norm if norm > 0 else 1.0)
    return W, history


@mutant(of="gradient_descent", kills=[test_steps_above_2_over_L_diverge])
def gradient_descent_halving_the_step_when_the_loss_rises(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """Halves the learning rate whenever the loss went up: a 'safe' schedule, not the fixed step of the contract,
    and it hides the lecture's lesson that too large a learning rate diverges."""
    W, history, lr = W0.copy(), [], learning_rate
    for _ in range(num_iters):
        loss, dW = loss_and_grad(W)
        if history and loss > history[-1]:
            lr /= 2
        history.append(loss)
        W = W - lr * dW
    return W, history


@mutant(of="gradient_descent", kills=[test_steps_above_2_over_L_diverge])
def gradient_descent_with_clipped_gradients(loss_and_grad, W0, learning_rate=1e-3, num_iters=100):
    """np.clip(dW, -1, 1) before the step: gradient clipping, which the contract's fixed-step descent does not do."""
    W, history = W0.copy(), []
    for _ in range(num_iters):
        loss, dW = loss_and_grad(W)
        history.append(loss)
        W = W - learning_rate * np.clip(dW, -1.0, 1.0)
    return W, history

