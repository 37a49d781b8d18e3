"""Newton's method: newton(fun, grad, hess, x0, gtol, max_iter) -> OptimizeResult, x_{k+1} = x_k - H(x_k)^{-1} g(x_k).

The lecture's question, "can you apply Newton's method for linear regression? What do you get?", answered: the
loss ||X w - y||^2 is a quadratic with Hessian 2 X^T X, so its local quadratic model is the loss itself and one
Newton step lands on the least-squares solution (np.linalg.lstsq's). On a smooth strictly convex loss Newton
converges quadratically near the minimum: the gap to the minimum is squared (times a constant) at each step, i.e.
the number of correct digits roughly doubles.
"""

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.second_order.least_squares_common import (
    NEWTON_SLIDES,
    REGRESSION_SLIDE,
    SCIPY,
    LinearProblem,
    U,
    check_result_fields,
    linear_problems,
    newton_solve,
    norm,
    seeds,
    uniform_with_ties,
)

CONCEPT = "Newton's method"

# The lecture's example in numbers: fit y = w1 + w2 t to (t, y) = (0, 1), (1, 3), (2, 4), (3, 8); the normal
# equations X^T X w = X^T y, [[4, 6], [6, 14]] w = [16, 35], give w = (0.7, 2.2) (det 20: w1 = (16*14 - 6*35)/20 =
# 14/20, w2 = (4*35 - 6*16)/20 = 44/20). Newton from w = 0 lands there in one step.
REGRESSION = LinearProblem(np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]), np.array([1.0, 3.0, 4.0, 8.0]))
REGRESSION_W = np.array([0.7, 2.2])


def quadratic_inputs(problem, x0):
    return {"X": problem.A, "y": problem.b, "w0": x0}


@prop(CONCEPT, REGRESSION_SLIDE, "On linear regression's loss ||X w - y||^2 (Hessian 2 X^T X) one Newton step from any start lands on the least-squares solution, np.linalg.lstsq's.")
@given(px=linear_problems())
@example(px=(REGRESSION, np.zeros(2)))
def test_newton_solves_linear_regression_in_one_step(newton, px):
    problem, x0 = px
    inputs = quadratic_inputs(problem, x0)
    res = newton(problem.loss, problem.grad, problem.hess, x0, max_iter=1)
    if np.max(np.abs(problem.grad(x0))) > 2e-10:  # far above gtol = 1e-10 (and any rounding of the gradient)
        expect.equal("nit of newton(..., max_iter=1)", res.nit, 1, why="one step taken", inputs=inputs)
    expected = REGRESSION_W if problem is REGRESSION else problem.solution
    expect.close("x after one Newton step", res.x, expected, atol=problem.solution_tolerance(x0),
                 why="the least-squares solution (np.linalg.lstsq): the quadratic model of a quadratic is exact",
                 inputs=inputs)


# A smooth strictly convex loss that is not a quadratic, with a known minimizer x*:
#   f(x) = mu/2 ||x||^2 + sum_j w_j log cosh(b_j . x - a_j) - c . x,  c = mu x* + B^T (w tanh(B x* - a)),
#   grad = mu x + B^T (w tanh(z)) - c,  H = mu I + B^T diag(w sech^2(z)) B,  z = B x - a  (grad(x*) = 0).
# mu I <= H <= (mu + w_max ||B||^2) I = M I. The Hessian is Lipschitz: d/dz sech^2 = -2 sech^2 tanh, at most
# 4 / (3 sqrt 3) < 0.77 in size, so ||H(x) - H(y)|| <= 0.77 w_max ||B||^2 max_j |b_j . (x - y)|
# <= L ||x - y|| with L = 0.77 w_max ||B||_2^2 max_j ||b_j||.
# Newton's error (e_k = ||x_k - x*||): e_{k+1} = ||H_k^-1 (H_k (x_k - x*) - (g_k - g*))|| <= L / (2 mu) e_k^2, for
# any x_k. From e_0 <= mu / L every step at least halves the error: pure Newton converges (from farther it may
# cycle: log cosh is almost linear far from its minimum). The gap to the minimum f_k - f* lies in
# [mu/2 e_k^2, M/2 e_k^2] (strong convexity and smoothness), so for every k
#   gap_{k+1} <= M/2 (L / 2 mu)^2 e_k^4 <= M/2 (L / 2 mu)^2 (2 gap_k / mu)^2 = M L^2 / (2 mu^4) gap_k^2 = C gap_k^2.
# The gaps are known only as well as the losses: each loss is a sum of m + n + 1 terms of total size S (log cosh
# within a few U: 8 U S per evaluation), so gap_k = loss_history[k] - fun is off by at most
# NOISE = 16 (m + n + 1) U S. The property checks gap_{k+1} <= 2 C gap_k^2 + 2 NOISE (a factor 2 of safety).
@dataclass(frozen=True, eq=False)
class LogCoshLoss:
    mu: float
    w: np.ndarray
    B: np.ndarray
    a: np.ndarray
    x_star: np.ndarray

    @property
    def c(self):
        return self.mu * self.x_star + self.B.T @ (self.w * np.tanh(self.B @ self.x_star - self.a))

    def fun(self, x):
        z = self.B @ x - self.a
        return float(0.5 * self.mu * x @ x + self.w @ (np.logaddexp(z, -z) - np.log(2.0)) - self.c @ x)

    def grad(self, x):
        return self.mu * x + self.B.T @ (self.w * np.tanh(self.B @ x - self.a)) - self.c

    def hess(self, x):
        s = 1.0 / np.cosh(self.B @ x - self.a) ** 2
        return self.mu * np.eye(self.B.shape[1]) + self.B.T @ ((self.w * s)[:, None] * self.B)

    @property
    def lipschitz(self) -> float:
        if not self.B.any():
            return 0.0
        return 0.77 * self.w.max() * np.linalg.norm(self.B, 2) ** 2 * np.linalg.norm(self.B, axis=1).max()

    @property
    def constant(self) -> float:
        """C = M L^2 / (2 mu^4), see above."""
        M = self.mu + self.w.max() * np.linalg.norm(self.B, 2) ** 2
        return M * self.lipschitz**2 / (2 * self.mu**4)

    def noise(self, x) -> float:
        z = self.B @ x - self.a
        size = 0.5 * self.mu * x @ x + self.w @ (np.abs(z) + np.log(2.0)) + np.abs(self.c) @ np.abs(x)
        return 16 * (self.B.shape[0] + self.B.shape[1] + 1) * U * size


@st.composite
def log_cosh_losses(draw):
    """(loss, x0): n in [1, 4], m in [1, 5] terms, mu in [0.5, 2], w_j in [0.5, 2], |b_ij| <= 1, |a_j| <= 3,
    |x*_i| <= 3, and x0 at a distance of 10% to 100% of mu / L from x* (where Newton converges, see above)."""
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    rng = draw(seeds())
    loss = LogCoshLoss(rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0, m), uniform_with_ties(rng, 1.0, (m, n)),
                       uniform_with_ties(rng, 3.0, m), uniform_with_ties(rng, 3.0, n))
    direction = rng.standard_normal(n)
    radius = loss.mu / loss.lipschitz if loss.lipschitz > 0 else 3.0
    return loss, loss.x_star + min(radius, 3.0) * rng.uniform(0.1, 1.0) * direction / norm(direction)


_EXAMPLE = LogCoshLoss(0.5, np.array([2.0, 1.0, 1.5]), np.array([[1.0, 0.5], [-0.5, 1.0], [1.0, -1.0]]),
                       np.array([3.0, -2.0, 1.0]), np.array([1.0, -2.0]))
LOG_COSH = (_EXAMPLE, _EXAMPLE.x_star + _EXAMPLE.mu / _EXAMPLE.lipschitz * np.array([0.6, -0.8]))


def log_cosh_inputs(loss, x0):
    return {"mu": loss.mu, "w": loss.w, "B": loss.B, "a": loss.a, "x*": loss.x_star, "x0": x0}


@prop(CONCEPT, NEWTON_SLIDES, "On a smooth strictly convex loss, from a start where pure Newton converges (within mu / L of the minimum), Newton reaches max|grad| <= gtol, and quadratically: the gap to the minimum is at most a constant times the previous gap squared (the number of correct digits roughly doubles per step).")
@given(fx=log_cosh_losses())
@example(fx=LOG_COSH)
def test_newton_converges_quadratically_near_the_minimum(newton, fx):
    loss, x0 = fx
    inputs = log_cosh_inputs(loss, x0)
    res = newton(loss.fun, loss.grad, loss.hess, x0)
    # On convergence max|grad| <= gtol = 1e-10; the gradient of the returned x, computed here, may differ from the
    # solver's by rounding: a sum of m + 2 terms, each at most mu |x| + sum_j w_j |b_ij| + |c_i| < 40 here (tanh
    # within 1 ulp), i.e. by at most (m + 6) U 40 < 1e-13. 1e-10 + 1e-12 leaves room for it.
    expect.holds("success of newton", res.success, res.success, "True: Newton converges on a strictly convex loss",
                 inputs=inputs)
    g = loss.grad(res.x)
    expect.holds("max|grad(x)| at the returned x", np.max(np.abs(g)), np.max(np.abs(g)) <= 1e-10 + 1e-12,
                 "<= gtol = 1e-10 (the run reported success)", inputs=inputs)
    history = np.asarray(res.loss_history)
    gaps = history - res.fun
    noise, c = loss.noise(res.x), loss.constant
    for k in range(len(gaps) - 1):
        if 2 * c * abs(gaps[k]) <= 1:  # (c = 0 for a quadratic: every gap qualifies)
            bound = 2 * c * gaps[k] ** 2 + 2 * noise
            expect.holds(f"loss_history[{k + 1}] - fun (the gap to the minimum after step {k + 1})", gaps[k + 1],
                         abs(gaps[k + 1]) <= bound,
                         f"at most 2 C gap_k^2 + noise = {bound:.3g} with gap_k = {gaps[k]:.3g} and C = {c:.3g}: "
                         "quadratic convergence (it shrank only linearly: is the Hessian recomputed at every step, "
                         "and the step H^-1 g?)", inputs=inputs)


@prop(CONCEPT, SCIPY, "newton's OptimizeResult agrees with itself: fun = fun(x), loss_history[0] = fun(x0) and loss_history[-1] = fun, nfev >= nit + 1, success with a message on convergence, success False when max_iter = 0 or 1 cannot reach gtol.")
@given(fx=log_cosh_losses())
@example(fx=LOG_COSH)
def test_newton_result_fields_agree(newton, fx):
    loss, x0 = fx
    inputs = log_cosh_inputs(loss, x0)
    res = newton(loss.fun, loss.grad, loss.hess, x0)
    check_result_fields("newton", res, None, x0, 100, inputs, loss=loss.fun)
    expect.holds("success of newton (run to convergence)", res.success, res.success,
                 "True: max|grad| <= gtol is reached on a strictly convex loss", inputs=inputs)
    g0 = np.max(np.abs(loss.grad(x0)))
    for max_iter in (0, 1):
        short = newton(loss.fun, loss.grad, loss.hess, x0, max_iter=max_iter)
        check_result_fields(f"newton(..., max_iter={max_iter})", short, None, x0, max_iter, inputs, loss=loss.fun)
        # The gradient at the returned x, computed here, is within 1e-12 of the solver's (see above): the run cannot
        # have converged when it is above gtol + 1e-12.
        if np.max(np.abs(loss.grad(short.x))) > 1e-10 + 1e-12 and g0 > 1e-10 + 1e-12:
            expect.holds(f"success of newton(..., max_iter={max_iter})", short.success, not short.success,
                         f"False: max_iter = {max_iter} steps ended with max|grad| > gtol", inputs=inputs)
            expect.equal(f"nit of newton(..., max_iter={max_iter})", short.nit, max_iter,
                         why="every allowed step is taken", inputs=inputs)
        if max_iter == 0:
            expect.equal("x of newton(..., max_iter=0)", short.x, x0, why="no step taken", inputs=inputs)


# Mutants.


def newton_along_H_g(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """x_{k+1} = x_k - H g: the Hessian multiplied instead of inverted (no linear solve)."""
    return newton_solve(fun, grad, hess, x0, gtol, max_iter, direction=lambda H, g: -H @ g)


def newton_uphill(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """x_{k+1} = x_k + H^-1 g: the sign of the step flipped."""
    return newton_solve(fun, grad, hess, x0, gtol, max_iter, direction=lambda H, g: np.linalg.solve(H, g))


def newton_with_half_steps(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """x_{k+1} = x_k - 0.5 H^-1 g: a learning rate kept from gradient descent ('we got rid of the learning rate!')."""
    return newton_solve(fun, grad, hess, x0, gtol, max_iter, direction=lambda H, g: -0.5 * np.linalg.solve(H, g))


def newton_with_the_diagonal_hessian(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """x_{k+1} = x_k - g / diag(H): each coordinate scaled by its own curvature, the off-diagonal terms dropped."""
    return newton_solve(fun, grad, hess, x0, gtol, max_iter, direction=lambda H, g: -g / np.diag(H))


def newton_with_a_frozen_hessian(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """The Hessian computed once at x0 and reused: converges only linearly."""
    return newton_solve(fun, grad, hess, x0, gtol, max_iter, frozen=True)


mutant(of="newton", kills=[test_newton_solves_linear_regression_in_one_step,
                           test_newton_converges_quadratically_near_the_minimum])(newton_along_H_g)
mutant(of="newton", kills=[test_newton_solves_linear_regression_in_one_step,
                           test_newton_converges_quadratically_near_the_minimum,
                           test_newton_result_fields_agree])(newton_uphill)
mutant(of="newton", kills=[test_newton_solves_linear_regression_in_one_step,
                           test_newton_converges_quadratically_near_the_minimum])(newton_with_half_steps)
mutant(of="newton", kills=[test_newton_solves_linear_regression_in_one_step])(newton_with_the_diagonal_hessian)
mutant(of="newton", kills=[test_newton_converges_quadratically_near_the_minimum])(newton_with_a_frozen_hessian)


@mutant(of="newton", kills=[test_newton_result_fields_agree])
def newton_that_always_succeeds(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """success = True whatever stopped the loop (max_iter running out too)."""
    res = newton_solve(fun, grad, hess, x0, gtol, max_iter)
    res.success = True
    return res


@mutant(of="newton", kills=[test_newton_result_fields_agree])
def newton_counting_only_steps(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """nfev = nit: the evaluation of the loss at x0 is not counted."""
    res = newton_solve(fun, grad, hess, x0, gtol, max_iter)
    res.nfev = res.nit
    return res


@mutant(of="newton", kills=[test_newton_result_fields_agree])
def newton_reporting_the_previous_loss(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """fun is the loss before the last step (the loop stores f before updating x)."""
    res = newton_solve(fun, grad, hess, x0, gtol, max_iter)
    history = np.asarray(res.loss_history)
    res.fun = float(history[-2]) if len(history) > 1 else res.fun
    res.loss_history = np.concatenate([history[:-1], [res.fun]])
    return res


# Alternatives.


@alternative(of="newton")
def newton_with_a_cholesky_solve(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """The step from a Cholesky factorization of H (positive definite near a minimum of a convex loss)."""
    return newton_solve(fun, grad, hess, x0, gtol, max_iter,
                        direction=lambda H, g: scipy.linalg.cho_solve(scipy.linalg.cho_factor(H), -g))


@alternative(of="newton")
def newton_with_lstsq_and_a_list_history(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    """The step by np.linalg.lstsq (robust to a singular H), the history returned as a list of floats."""
    res = newton_solve(fun, grad, hess, x0, gtol, max_iter,
                       direction=lambda H, g: np.linalg.lstsq(H, -g, rcond=None)[0])
    res.loss_history = [float(v) for v in res.loss_history]
    return res
