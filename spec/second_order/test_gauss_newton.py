"""Gauss-Newton: gauss_newton_step(r, J) -> delta solving (J^T J) delta = -J^T r, and gauss_newton(residuals,
jacobian, x0, ftol, xtol, gtol, max_iter) -> OptimizeResult taking every step.

The loss is sum(r**2), its gradient 2 J^T r; Gauss-Newton replaces the Hessian by 2 J^T J (the lecture's
"2 J^T J (x_k - x_{k+1}) = grad f(x_k): solve for the delta vector"). On r(x) = A x - b (linear least squares)
that model is exact, so one step lands on the least-squares solution; on a problem whose residual is zero at the
solution the neglected term sum r_i Hess r_i vanishes there, and Gauss-Newton converges fast (quadratically) from
near it.
"""

import numpy as np
import scipy.linalg
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.second_order.least_squares_common import (
    EXPONENTIAL,
    GN_SLIDE,
    SCIPY,
    U,
    check_result_fields,
    full_rank_matrix,
    gauss_newton_solve,
    linear_problems,
    norm,
    seeds,
    uniform_with_ties,
    zero_residual_problems,
    zero_residual_tolerance,
)

CONCEPT = "Gauss-Newton"

# A worked step: J = [[1, 0], [0, 2], [1, 1]], r = [1, -2, 3]. J^T J = [[2, 1], [1, 5]], J^T r = [4, -1];
# (J^T J) delta = -J^T r: det 9, delta = [[5, -1], [-1, 2]] [-4, 1] / 9 = [-21, 6] / 9 = [-7/3, 2/3].
J0 = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
R0 = np.array([1.0, -2.0, 3.0])
DELTA0 = np.array([-7.0 / 3.0, 2.0 / 3.0])


@st.composite
def residuals_and_jacobians(draw, magnitude=10.0):
    """(r, J): J of full column rank (full_rank_matrices: cond < 30) and r with entries up to magnitude."""
    n = draw(st.integers(1, 4))
    m = draw(st.integers(n, 8))
    rng = draw(seeds())
    return uniform_with_ties(rng, magnitude, m), full_rank_matrix(rng, m, n)


def normal_equations_slack(J, r, delta) -> float:
    """How large ||J^T J delta + J^T r|| may be for a correct delta, computed any backward-stable way.

    A backward-stable least-squares solver (QR, SVD) returns the exact solution of a problem (J + E, r + f) with
    ||E|| <= e ||J||, ||f|| <= e ||r||, e = c m n U. Then J^T (J delta + r) = -E^T (J delta + r) - J^T (E delta + f)
    up to second order, at most e ||J|| (||J|| ||delta|| + 2 ||r||) in size (||J delta + r|| <= ||r||). Cholesky on
    the normal equations: J^T J and J^T r are off by gamma_m ||J||^2 and gamma_m ||J|| ||r||, the solve adds
    c n U ||J^T J|| ||delta||: the same form. The property's own evaluation of J^T J delta + J^T r adds
    2 gamma_m (||J||^2 ||delta|| + ||J|| ||r||). With Frobenius norms and c = 4:
    8 (m + n) U ||J||_F (||J||_F ||delta|| + 2 ||r||).

    (The brief's scale ||J^T J|| ||delta|| + ||J^T r|| is too small when r is nearly orthogonal to J's columns: there
    ||J^T r|| << ||J|| ||r|| while every backward-stable solver still leaves e ||J|| ||r||.)"""
    m, n = J.shape
    return 8 * (m + n) * U * norm(J) * (norm(J) * norm(delta) + 2 * norm(r))


@prop(CONCEPT, GN_SLIDE, "gauss_newton_step(r, J) solves the normal equations (J^T J) delta = -J^T r: the residual J^T J delta + J^T r is at the rounding level of ||J|| (||J|| ||delta|| + ||r||).")
@given(rj=residuals_and_jacobians())
@example(rj=(R0, J0))
def test_gauss_newton_step_solves_the_normal_equations(gauss_newton_step, rj):
    r, J = rj
    inputs = {"r": r, "J": J}
    delta = gauss_newton_step(r, J)
    residual = J.T @ (J @ delta) + J.T @ r
    slack = normal_equations_slack(J, r, delta)
    expect.holds("||J^T J delta + J^T r|| for delta = gauss_newton_step(r, J)", norm(residual),
                 norm(residual) <= slack, f"<= {slack:.3g}: delta solves (J^T J) delta = -J^T r (step downhill: "
                 "-J^T r, and J^T J, not J J^T, on the left)", inputs=inputs)
    if r is R0:
        expect.close("gauss_newton_step(r, J)", delta, DELTA0, atol=slack, why="[-7/3, 2/3] (by hand)", inputs=inputs)


@prop(CONCEPT, GN_SLIDE, "On a linear least-squares problem r(x) = A x - b one Gauss-Newton step from any start gives the least-squares solution (np.linalg.lstsq's).")
@given(px=linear_problems())
def test_gauss_newton_solves_linear_least_squares_in_one_step(gauss_newton, px):
    problem, x0 = px
    inputs = {"A": problem.A, "b": problem.b, "x0": x0}
    res = gauss_newton(problem.residuals, problem.jacobian, x0, max_iter=1)
    expect.close("x of gauss_newton(..., max_iter=1)", res.x, problem.solution, atol=problem.solution_tolerance(x0),
                 why="the least-squares solution: on a linear problem J^T J is the exact Hessian / 2", inputs=inputs)


def problem_inputs(problem, x0):
    data = {"t": problem.t} if hasattr(problem, "t") else {"points": problem.points}
    return {"problem": type(problem).__name__, **data, "p_true": problem.p_true, "x0": x0}


@prop(CONCEPT, GN_SLIDE, "On a problem with zero residual at the true parameters (an exponential fit, a circle fit) Gauss-Newton from a nearby start converges to the true parameters, within the rounding of the data, in a few steps.")
@given(px=zero_residual_problems("near"))
@example(px=(EXPONENTIAL[0], EXPONENTIAL[0].p_true * 1.05))
def test_gauss_newton_converges_on_zero_residual_problems(gauss_newton, px):
    problem, x0 = px
    inputs = problem_inputs(problem, x0)
    # gtol = 0: a small J^T r alone (1e-12) would end the run before x is at the rounding level (its error is up to
    # ||J^T r|| / sigma_min^2); the run ends by ftol or xtol, where quadratic convergence has made the error tiny.
    res = gauss_newton(problem.residuals, problem.jacobian, x0, gtol=0.0, max_iter=30)
    expect.close("x of gauss_newton", res.x, problem.p_true, atol=zero_residual_tolerance(problem),
                 why="the true parameters, where the residual is zero", inputs=inputs)


@prop(CONCEPT, SCIPY, "gauss_newton's OptimizeResult agrees with itself: fun = sum(r(x)**2), loss_history[0] = loss(x0), loss_history[-1] = fun, nfev >= nit + 1, success on convergence, success False when max_iter = 0 cannot reach gtol.")
@given(px=st.one_of(linear_problems(), zero_residual_problems("near")))
def test_gauss_newton_result_fields_agree(gauss_newton, px):
    problem, x0 = px
    inputs = problem_inputs(problem, x0) if hasattr(problem, "p_true") else {"A": problem.A, "b": problem.b, "x0": x0}
    res = gauss_newton(problem.residuals, problem.jacobian, x0, gtol=0.0)
    check_result_fields("gauss_newton", res, problem, x0, 100, inputs)
    expect.holds("success of gauss_newton", res.success, res.success,
                 "True: the steps vanish (xtol) or the loss stops changing (ftol) on a problem it solves",
                 inputs=inputs)
    start = gauss_newton(problem.residuals, problem.jacobian, x0, max_iter=0)
    check_result_fields("gauss_newton(..., max_iter=0)", start, problem, x0, 0, inputs)
    g0 = problem.jacobian(x0).T @ problem.residuals(x0)
    if np.max(np.abs(g0)) > 2e-12:  # above gtol = 1e-12 by more than any rounding of J^T r at these sizes
        expect.holds("success of gauss_newton(..., max_iter=0)", start.success, not start.success,
                     "False: no step was allowed and max|J^T r| > gtol at x0", inputs=inputs)


# Mutants.


def gn_step_uphill(r, J):
    """(J^T J) delta = +J^T r: the sign of the gradient term flipped (a step uphill)."""
    return np.linalg.lstsq(J, r, rcond=None)[0]


def gn_step_doubled(r, J):
    """(J^T J) delta = -2 J^T r: the loss's gradient 2 J^T r with the Hessian approximated by J^T J (not 2 J^T J)."""
    return np.linalg.solve(J.T @ J, -2 * J.T @ r)


def gn_step_with_damping_1(r, J):
    """(J^T J + I) delta = -J^T r: Levenberg's damping with lambda = 1 left in."""
    return np.linalg.solve(J.T @ J + np.eye(J.shape[1]), -J.T @ r)


def gn_step_diagonal(r, J):
    """delta = -J^T r / diag(J^T J): only the diagonal of J^T J (each column on its own)."""
    return -(J.T @ r) / np.einsum("ij,ij->j", J, J)


mutant(of="gauss_newton_step", kills=[test_gauss_newton_step_solves_the_normal_equations])(gn_step_uphill)
mutant(of="gauss_newton_step", kills=[test_gauss_newton_step_solves_the_normal_equations])(gn_step_doubled)
mutant(of="gauss_newton_step", kills=[test_gauss_newton_step_solves_the_normal_equations])(gn_step_with_damping_1)
mutant(of="gauss_newton_step", kills=[test_gauss_newton_step_solves_the_normal_equations])(gn_step_diagonal)


@mutant(of="gauss_newton", kills=[test_gauss_newton_solves_linear_least_squares_in_one_step,
                                  test_gauss_newton_converges_on_zero_residual_problems])
def gauss_newton_uphill(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    """Every step along +J^T r's Gauss-Newton direction (the sign of J^T r flipped)."""
    return gauss_newton_solve(residuals, jacobian, x0, ftol, xtol, gtol, max_iter, step=gn_step_uphill)


@mutant(of="gauss_newton", kills=[test_gauss_newton_solves_linear_least_squares_in_one_step,
                                  test_gauss_newton_converges_on_zero_residual_problems])
def gauss_newton_doubled(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    """Steps twice too long: gradient 2 J^T r against the Hessian approximation J^T J."""
    return gauss_newton_solve(residuals, jacobian, x0, ftol, xtol, gtol, max_iter, step=gn_step_doubled)


@mutant(of="gauss_newton", kills=[test_gauss_newton_solves_linear_least_squares_in_one_step])
def gauss_newton_with_damping_1(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    """(J^T J + I) delta = -J^T r: a damped step, so one step falls short on a linear problem."""
    return gauss_newton_solve(residuals, jacobian, x0, ftol, xtol, gtol, max_iter, step=gn_step_with_damping_1)


@mutant(of="gauss_newton", kills=[test_gauss_newton_result_fields_agree])
def gauss_newton_that_always_succeeds(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    """success = True whatever stopped the loop (max_iter running out too)."""
    res = gauss_newton_solve(residuals, jacobian, x0, ftol, xtol, gtol, max_iter)
    res.success = True
    return res


@mutant(of="gauss_newton", kills=[test_gauss_newton_result_fields_agree])
def gauss_newton_with_rss_over_2(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    """fun and loss_history as scipy's cost = sum(r**2) / 2, not the contract's loss sum(r**2)."""
    res = gauss_newton_solve(residuals, jacobian, x0, ftol, xtol, gtol, max_iter)
    res.fun, res.loss_history = res.fun / 2, np.asarray(res.loss_history) / 2
    return res


# Alternatives.


@alternative(of="gauss_newton_step")
def gn_step_by_cholesky(r, J):
    """The normal equations (J^T J) delta = -J^T r formed and solved by Cholesky (squares the condition number)."""
    return scipy.linalg.cho_solve(scipy.linalg.cho_factor(J.T @ J), -(J.T @ r))


@alternative(of="gauss_newton_step")
def gn_step_by_qr(r, J):
    """J = QR (reduced), R delta = -Q^T r by back substitution."""
    Q, R = np.linalg.qr(J)
    return scipy.linalg.solve_triangular(R, -(Q.T @ r))


@alternative(of="gauss_newton")
def gauss_newton_by_normal_equations(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    """Every step from the normal equations by Cholesky, the loss as np.sum(r**2), the history as a list."""
    res = gauss_newton_solve(residuals, jacobian, x0, ftol, xtol, gtol, max_iter, step=gn_step_by_cholesky)
    res.loss_history = [float(v) for v in res.loss_history]
    return res


@alternative(of="gauss_newton")
def gauss_newton_by_qr(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    """Every step by a QR of J."""
    return gauss_newton_solve(residuals, jacobian, x0, ftol, xtol, gtol, max_iter, step=gn_step_by_qr)
