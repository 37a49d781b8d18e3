"""Levenberg and Levenberg-Marquardt: levenberg_marquardt_step(r, J, damping, marquardt) -> delta solving
(J^T J + lambda D) delta = -J^T r (D = diag(J^T J) for Marquardt, I for Levenberg), and the solvers levenberg and
levenberg_marquardt, which adjust lambda so that every accepted step lowers the loss.

The damped step interpolates between Gauss-Newton (lambda -> 0) and a short gradient-descent step
-(1 / lambda) D^-1 J^T r (lambda -> infinity; the lecture's "gradient descent (large mu)", and for Marquardt "scale
each component of the gradient according to the curvature"). Marquardt's D = diag(J^T J) makes the method
invariant to rescaling the parameters: with x = S z (S a positive diagonal), the problem r(S z) has Jacobian J S and
D_z = S D S, so (S J^T J S + lambda S D S) delta_z = -S J^T r gives delta_z = S^-1 delta: the iterates are S^-1
times the originals. Levenberg's lambda I has no such S on both sides, so its iterates depend on the scaling.
"""

import numpy as np
import scipy.linalg
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.second_order.least_squares_common import (
    EXPONENTIAL,
    LEVENBERG_SLIDE,
    MARQUARDT_SLIDE,
    ROSENBROCK,
    SCIPY,
    U,
    check_result_fields,
    circle_fits,
    damped_normal_step,
    damped_solve,
    exponential_fits,
    full_rank_matrix,
    norm,
    seeds,
    uniform_with_ties,
    zero_residual_problems,
    zero_residual_tolerance,
)

CONCEPT = "Levenberg-Marquardt"

# Worked steps (J, r as in test_gauss_newton.py): J = [[1, 0], [0, 2], [1, 1]], r = [1, -2, 3], J^T J = [[2, 1],
# [1, 5]], J^T r = [4, -1], lambda = 1.
# Marquardt, D = diag(2, 5): [[4, 1], [1, 10]] delta = [-4, 1]: det 39, delta = [[10, -1], [-1, 4]] [-4, 1] / 39
#   = [-41, 8] / 39.
# Levenberg, D = I: [[3, 1], [1, 6]] delta = [-4, 1]: det 17, delta = [[6, -1], [-1, 3]] [-4, 1] / 17 = [-25, 7] / 17.
J0 = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
R0 = np.array([1.0, -2.0, 3.0])
WORKED = {True: np.array([-41.0, 8.0]) / 39.0, False: np.array([-25.0, 7.0]) / 17.0}


def scaling(J, marquardt):
    """The diagonal of D: diag(J^T J) (the squared column norms) or ones."""
    return np.einsum("ij,ij->j", J, J) if marquardt else np.ones(J.shape[1])


def flag_name(marquardt):
    return "marquardt=True (D = diag(J^T J))" if marquardt else "marquardt=False (D = I)"


@st.composite
def damped_step_inputs(draw, dampings=None):
    """(r, J, damping, marquardt): J of full column rank (cond < 30), |r_i| <= 10, damping log-uniform in
    [1e-6, 1e6] (or from `dampings`)."""
    n = draw(st.integers(1, 4))
    m = draw(st.integers(n, 8))
    rng = draw(seeds())
    damping = draw(dampings if dampings is not None else st.integers(-6, 6).map(lambda e: 10.0**e))
    return uniform_with_ties(rng, 10.0, m), full_rank_matrix(rng, m, n), damping, draw(st.booleans())


def damped_slack(J, r, delta, damping, marquardt) -> float:
    """How large ||(J^T J + lambda D) delta + J^T r|| may be for a correct delta: the Gauss-Newton slack
    (test_gauss_newton.normal_equations_slack) for the stacked matrix [J; sqrt(lambda D)], whose normal equations
    these are: 8 (m + n) U ||J_s||_F (||J_s||_F ||delta|| + 2 ||r||), ||J_s||_F^2 = ||J||_F^2 + lambda tr(D). Forming
    J^T J + lambda D adds U (||J||_F^2 + lambda tr D) ||delta||, inside it."""
    m, n = J.shape
    stacked = np.sqrt(norm(J) ** 2 + damping * scaling(J, marquardt).sum())
    return 8 * (m + n) * U * stacked * (stacked * norm(delta) + 2 * norm(r))


@prop(CONCEPT, MARQUARDT_SLIDE, "levenberg_marquardt_step(r, J, lambda, marquardt) solves (J^T J + lambda D) delta = -J^T r with D = diag(J^T J) for marquardt=True and D = I for marquardt=False.")
@given(inputs=damped_step_inputs())
@example(inputs=(R0, J0, 1.0, True))
@example(inputs=(R0, J0, 1.0, False))
def test_damped_step_solves_the_damped_normal_equations(levenberg_marquardt_step, inputs):
    r, J, damping, marquardt = inputs
    shown = {"r": r, "J": J, "damping": damping, "marquardt": marquardt}
    delta = levenberg_marquardt_step(r, J, damping, marquardt)
    d = scaling(J, marquardt)
    residual = J.T @ (J @ delta) + damping * d * delta + J.T @ r
    slack = damped_slack(J, r, delta, damping, marquardt)
    expect.holds(f"||(J^T J + lambda D) delta + J^T r|| with {flag_name(marquardt)}", norm(residual),
                 norm(residual) <= slack, f"<= {slack:.3g}: delta solves the damped normal equations (the damping "
                 "on the matrix's diagonal, D as the flag says)", inputs=shown)
    if r is R0:
        expect.close(f"levenberg_marquardt_step(r, J, 1.0, {marquardt})", delta, WORKED[marquardt], atol=slack,
                     why="the worked step (by hand)", inputs=shown)


@prop(CONCEPT, LEVENBERG_SLIDE, "With a very large damping (lambda = 1e6 ||J||^2 / min D) the damped step is the short gradient-descent step -(1/lambda) D^-1 J^T r, to a relative 2e-6 (scaled by diag(J^T J)^-1 for Marquardt).")
@given(inputs=damped_step_inputs(dampings=st.just(None)))
def test_large_damping_gives_a_short_gradient_descent_step(levenberg_marquardt_step, inputs):
    r, J, _, marquardt = inputs
    d = scaling(J, marquardt)
    # delta - delta_gd = -(lambda D)^-1 (J^T J delta + e), e the solver's residual (<= slack, see damped_slack).
    # With rho = ||J||^2 / (lambda min D) = 1e-6: ||delta - delta_gd|| <= rho ||delta|| + ||e|| / (lambda min D)
    # <= 2 rho ||delta_gd|| + 2 ||e|| / (lambda min D) (as rho <= 1/2).
    damping = 1e6 * norm(J) ** 2 / d.min()
    shown = {"r": r, "J": J, "damping": damping, "marquardt": marquardt}
    delta = levenberg_marquardt_step(r, J, damping, marquardt)
    gd = -(J.T @ r) / (damping * d)
    allowed = 2e-6 * norm(gd) + 2 * damped_slack(J, r, delta, damping, marquardt) / (damping * d.min())
    expect.close(f"levenberg_marquardt_step(r, J, {damping:.3g}, {marquardt})", delta, gd, atol=allowed,
                 why=f"-(1/lambda) D^-1 J^T r, {flag_name(marquardt)}: a very damped step is a short gradient step",
                 inputs=shown)


@prop(CONCEPT, LEVENBERG_SLIDE, "With a damping near zero (lambda = 1e-6 sigma_min(J)^2 / max D) the damped step is the Gauss-Newton step (the least-squares solution of J delta = -r), to a relative 1e-6.")
@given(inputs=damped_step_inputs(dampings=st.just(None)))
def test_small_damping_gives_the_gauss_newton_step(levenberg_marquardt_step, inputs):
    r, J, _, marquardt = inputs
    d = scaling(J, marquardt)
    sigma = np.linalg.svd(J, compute_uv=False)[-1]
    # delta - delta_gn = -(J^T J + lambda D)^-1 lambda D delta_gn: at most lambda max D ||delta_gn|| / sigma^2 = 1e-6
    # ||delta_gn||. Both solutions are least-squares solutions of problems with cond <= kappa = ||J||_F / sigma
    # (< 30): each within 8 (m + n) U kappa^2 (||delta_gn|| + ||r|| / sigma) of the exact one (as in
    # LinearProblem.solution_tolerance), so twice that apart.
    damping = 1e-6 * sigma**2 / d.max()
    shown = {"r": r, "J": J, "damping": damping, "marquardt": marquardt}
    delta = levenberg_marquardt_step(r, J, damping, marquardt)
    gn = np.linalg.lstsq(J, -r, rcond=None)[0]
    m, n = J.shape
    kappa = norm(J) / sigma
    allowed = 1e-6 * norm(gn) + 16 * (m + n) * U * kappa**2 * (norm(gn) + norm(r) / sigma)
    expect.close(f"levenberg_marquardt_step(r, J, {damping:.3g}, {marquardt})", delta, gn, atol=allowed,
                 why="the Gauss-Newton step: with no damping the damped step is the Gauss-Newton one", inputs=shown)


def problem_inputs(problem, x0):
    data = {"t": problem.t} if hasattr(problem, "t") else (
        {"points": problem.points} if hasattr(problem, "points") else {})
    return {"problem": type(problem).__name__, **data, "p_true": problem.p_true, "x0": x0}


FAR = st.one_of(exponential_fits("far"), circle_fits("far"))


def check_strict_decrease(name, res, inputs):
    history = np.asarray(res.loss_history)
    expect.holds(f"loss_history[1:] of {name}", history[1:], history[1:] < history[:-1],
                 "strictly below the loss before it: only steps that lower the loss are accepted (a rejected step "
                 "leaves x, and the history, as they were)", inputs=inputs)


@prop(CONCEPT, LEVENBERG_SLIDE, "levenberg's loss_history strictly decreases, from far starts too: every accepted step lowers the loss.")
@given(px=FAR)
@example(px=ROSENBROCK)
@example(px=EXPONENTIAL)
def test_levenberg_loss_history_strictly_decreases(levenberg, px):
    problem, x0 = px
    check_strict_decrease("levenberg", levenberg(problem.residuals, problem.jacobian, x0, max_iter=30),
                          problem_inputs(problem, x0))


@prop(CONCEPT, MARQUARDT_SLIDE, "levenberg_marquardt's loss_history strictly decreases, from far starts too: every accepted step lowers the loss.")
@given(px=FAR)
@example(px=ROSENBROCK)
@example(px=EXPONENTIAL)
def test_levenberg_marquardt_loss_history_strictly_decreases(levenberg_marquardt, px):
    problem, x0 = px
    check_strict_decrease("levenberg_marquardt",
                          levenberg_marquardt(problem.residuals, problem.jacobian, x0, max_iter=30),
                          problem_inputs(problem, x0))


def check_zero_residual_convergence(name, solver, problem, x0):
    # gtol = 0, as for Gauss-Newton: a small J^T r alone could end the run before x is at the rounding level.
    res = solver(problem.residuals, problem.jacobian, x0, gtol=0.0, max_iter=100)
    inputs = problem_inputs(problem, x0)
    expect.close(f"x of {name}", res.x, problem.p_true, atol=zero_residual_tolerance(problem),
                 why="the true parameters, where the residual is zero: near them lambda shrinks and the steps become "
                 "Gauss-Newton steps", inputs=inputs)
    # At the rounding level no trial lowers the loss any more: lambda grows until the steps pass xtol, a convergence
    # test, long before max_iter = 100 accepted steps.
    expect.holds(f"success of {name}", res.success, res.success,
                 f"True: the run converged, and said so (message: {res.message!r})", inputs=inputs)


@prop(CONCEPT, LEVENBERG_SLIDE, "From near the true parameters of a zero-residual problem (exponential fit, circle fit, Rosenbrock) levenberg converges to them within the rounding of the data, with success.")
@given(px=zero_residual_problems("near"))
@example(px=(ROSENBROCK[0], np.array([0.9, 0.8])))
def test_levenberg_converges_on_zero_residual_problems(levenberg, px):
    check_zero_residual_convergence("levenberg", levenberg, *px)


@prop(CONCEPT, MARQUARDT_SLIDE, "From near the true parameters of a zero-residual problem (exponential fit, circle fit, Rosenbrock) levenberg_marquardt converges to them within the rounding of the data, with success.")
@given(px=zero_residual_problems("near"))
@example(px=(ROSENBROCK[0], np.array([0.9, 0.8])))
def test_levenberg_marquardt_converges_on_zero_residual_problems(levenberg_marquardt, px):
    check_zero_residual_convergence("levenberg_marquardt", levenberg_marquardt, *px)


def rescaled(problem, s):
    """The problem in z = x / s: r_z(z) = r(s z), J_z(z) = J(s z) diag(s)."""
    return (lambda z: problem.residuals(s * z)), (lambda z: problem.jacobian(s * z) * s)


def step_error(A, r, delta) -> float:
    """A bound on ||D^1/2 (delta - exact)||, D = diag(A^T A), for a damped step delta computed by any correct solver
    from r and the Jacobian A (with any lambda > 0).

    The stacked matrix [A; sqrt(lambda D)] has condition at most kappa = cond(A): its sigma_min^2 >= sigma_min(A)^2
    + lambda min D and sigma_max^2 <= sigma_max(A)^2 + lambda max D, and sigma_min(A)^2 <= min D <= max D <=
    sigma_max(A)^2. The worst correct solver, the normal equations, is within c (m + n) n U kappa^2 (||delta|| +
    ||r|| / sigma_max(A)) of the exact step (the solve, and forming A^T r); c = 8. In the D^1/2 norm that is at most
    sqrt(max D) times as much. (A solver is not bound to be invariant itself: an SVD of J S is as accurate as
    cond(J S) allows, which grows with the spread of S.)"""
    sv = np.linalg.svd(A, compute_uv=False)
    if not (np.all(np.isfinite(A)) and sv[-1] > 0):
        return np.inf
    m, n = A.shape
    return (8 * (m + n) * n * U * (sv[0] / sv[-1]) ** 2 * (norm(delta) + norm(r) / sv[0])
            * np.sqrt(np.einsum("ij,ij->j", A, A).max()))


@prop(CONCEPT, MARQUARDT_SLIDE, "Marquardt's scaling makes levenberg_marquardt invariant to rescaling the parameters: on r(S z) from z0 = S^-1 x0 (S a positive diagonal) its first iterate is S^-1 times the first iterate on r(x) from x0, and both reach the same loss.")
@given(px=FAR, exponents=st.lists(st.integers(-10, 10), min_size=3, max_size=3))
@example(px=EXPONENTIAL, exponents=[0, 6, -6])
def test_marquardt_iterates_are_invariant_to_rescaling(levenberg_marquardt, px, exponents):
    problem, x0 = px
    # S = diag(2^k): x0 / S, J(S z) S and S z are exact, so the two runs see exactly scaled inputs (D_z = S D S) and
    # differ only by their rounding. Both try the same lambdas (a trial accepted in one run and rejected in the
    # other would need a loss that ties the current one to rounding, which the far starts here make negligible),
    # so x1 and S z1 are the same exact step, each computed within step_error of it in the D^1/2 norm (the same
    # norm for both: ||D^1/2 S dz|| = ||D_z^1/2 dz||), and each rounded when added to its start (U relative):
    # ||D^1/2 (x1 - S z1)|| <= step_error(J) + step_error(J S) + U (||D^1/2 x1|| + ||D_z^1/2 z1||), doubled.
    s = 2.0 ** np.array(exponents, dtype=np.float64)
    z0 = x0 / s
    inputs = {**problem_inputs(problem, x0), "S": s}
    original = levenberg_marquardt(problem.residuals, problem.jacobian, x0, max_iter=1)
    scaled = levenberg_marquardt(*rescaled(problem, s), z0, max_iter=1)
    if original.nit == 0:
        return
    J, r = problem.jacobian(x0), problem.residuals(x0)
    root_d = np.sqrt(np.einsum("ij,ij->j", J, J))
    allowed = 2 * (step_error(J, r, original.x - x0) + step_error(J * s, r, scaled.x - z0)
                   + 2 * U * norm(root_d * original.x))
    if not np.isfinite(allowed):  # a vanishing column: D is singular and there is no scale to be invariant to
        return
    gap = norm(root_d * (original.x - s * scaled.x))
    expect.holds("||D^1/2 (x1 - S z1)||, x1 and z1 the first iterates on r(x) and on r(S z)", gap, gap <= allowed,
                 f"<= {allowed:.3g}: S z1 = x1 (Marquardt's lambda diag(J^T J) scales with the parameters; a lambda I "
                 "does not)", inputs=inputs)
    # The losses: |f(x1) - f(S z1)| <= ||grad f|| ||x1 - S z1|| (to first order; grad f = 2 J^T r and
    # ||x1 - S z1|| <= gap / min sqrt(D)), plus the rounding of two sums of squares.
    slack = 2 * (J.shape[0] + 1) * U * original.fun + 2 * norm(problem.jacobian(original.x).T
                                                             @ problem.residuals(original.x)) * allowed / root_d.min()
    expect.close("loss_history[1] on r(S z)", scaled.loss_history[1], original.loss_history[1], atol=slack,
                 why="loss_history[1] on r(x): the same point, so the same loss", inputs=inputs)


# Levenberg's lambda I is not invariant: the exponential fit y = a e^(k t) + c (t = 0, 2/7, ..., 2; a = 2, k = -1.3,
# c = 0.5) from p0 = (1, 1, 0), with its first parameter rescaled by 2^4 (a = 16 z_1), and damping 0.1. The first
# trial step (lambda = damping) is accepted in both runs, and the first losses differ by far more than rounding:
# 13.38 on r(x) against 68.13 on r(S z) (computed with the trusted damped_solve of least_squares_common), where
# Marquardt gives the same loss in both.
LEVENBERG_SCALING = np.array([2.0**4, 1.0, 1.0])
LEVENBERG_DAMPING = 0.1


@prop(CONCEPT, LEVENBERG_SLIDE, "Levenberg's lambda I is not invariant to rescaling the parameters (Marquardt's diag(J^T J) is): on an exponential fit with its amplitude rescaled by 2^4 its first step reaches a loss of 68.1 instead of 13.4.")
def test_levenberg_depends_on_the_scaling_of_the_parameters(levenberg):
    problem, x0 = EXPONENTIAL
    s = LEVENBERG_SCALING
    inputs = {**problem_inputs(problem, x0), "S": s, "damping": LEVENBERG_DAMPING}
    original = levenberg(problem.residuals, problem.jacobian, x0, LEVENBERG_DAMPING, max_iter=1)
    scaled = levenberg(*rescaled(problem, s), x0 / s, LEVENBERG_DAMPING, max_iter=1)
    first, other = float(original.loss_history[1]), float(scaled.loss_history[1])
    expect.holds("|loss_history[1] on r(S z) - loss_history[1] on r(x)| / loss_history[1] on r(x)",
                 abs(first - other) / first, abs(first - other) > 0.1 * first,
                 f"> 0.1: levenberg's lambda I treats every parameter alike whatever its scale, so its first step "
                 f"depends on S (got {first:.6g} and {other:.6g}; is D = diag(J^T J), Marquardt's, used?)",
                 inputs=inputs)


def check_solver_fields(name, solver, problem, x0):
    inputs = problem_inputs(problem, x0)
    res = solver(problem.residuals, problem.jacobian, x0, max_iter=30)
    check_result_fields(name, res, problem, x0, 30, inputs)
    start = solver(problem.residuals, problem.jacobian, x0, max_iter=0)
    check_result_fields(f"{name}(..., max_iter=0)", start, problem, x0, 0, inputs)
    g0 = problem.jacobian(x0).T @ problem.residuals(x0)
    if np.max(np.abs(g0)) > 2e-12:  # above gtol = 1e-12 by more than any rounding of J^T r at these sizes
        expect.holds(f"success of {name}(..., max_iter=0)", start.success, not start.success,
                     "False: no step was allowed and max|J^T r| > gtol at x0", inputs=inputs)
        expect.equal(f"x of {name}(..., max_iter=0)", start.x, x0, why="x0: no step was allowed", inputs=inputs)


@prop(CONCEPT, SCIPY, "levenberg's OptimizeResult agrees with itself: fun = sum(r(x)**2), loss_history[0] = loss(x0), loss_history[-1] = fun, nfev >= nit + 1, a message; success False when max_iter = 0 cannot reach gtol.")
@given(px=st.one_of(FAR, zero_residual_problems("near")))
@example(px=ROSENBROCK)
def test_levenberg_result_fields_agree(levenberg, px):
    check_solver_fields("levenberg", levenberg, *px)


@prop(CONCEPT, SCIPY, "levenberg_marquardt's OptimizeResult agrees with itself: fun = sum(r(x)**2), loss_history[0] = loss(x0), loss_history[-1] = fun, nfev >= nit + 1, a message; success False when max_iter = 0 cannot reach gtol.")
@given(px=st.one_of(FAR, zero_residual_problems("near")))
@example(px=ROSENBROCK)
def test_levenberg_marquardt_result_fields_agree(levenberg_marquardt, px):
    check_solver_fields("levenberg_marquardt", levenberg_marquardt, *px)


# Mutants: steps.


def step_with_lambda_identity(r, J, damping, marquardt=True):
    """Marquardt using lambda I: the flag ignored, Levenberg's damping always."""
    return damped_normal_step(r, J, damping, False)


def step_always_marquardt(r, J, damping, marquardt=True):
    """Levenberg using diag(J^T J): the flag ignored, Marquardt's damping always."""
    return damped_normal_step(r, J, damping, True)


def step_damping_on_the_gradient(r, J, damping, marquardt=True):
    """(J^T J) delta = -(J^T r + lambda D 1): the damping added to the gradient instead of the matrix."""
    return np.linalg.solve(J.T @ J, -(J.T @ r + damping * scaling(J, marquardt)))


def step_damping_the_whole_matrix(r, J, damping, marquardt=True):
    """(J^T J + lambda J^T J) delta = -J^T r: lambda times the whole J^T J instead of its diagonal (a Gauss-Newton
    step shrunk by 1 / (1 + lambda))."""
    A = J.T @ J
    return np.linalg.solve(A + damping * (A if marquardt else np.eye(J.shape[1])), -(J.T @ r))


def step_with_J_Jt_diagonal(r, J, damping, marquardt=True):
    """Marquardt's scaling taken from J J^T: delta = -J^T (J J^T + lambda diag(J J^T))^-1 r (the push-through form of
    the damped step, right for lambda I, wrong for a diagonal scaling)."""
    K = J @ J.T
    D = np.diag(np.diag(K)) if marquardt else np.eye(J.shape[0])
    return -J.T @ np.linalg.solve(K + damping * D, r)


def step_gradient_only(r, J, damping, marquardt=True):
    """delta = -(1/lambda) D^-1 J^T r always: the large-damping limit used as the step."""
    return -(J.T @ r) / (damping * scaling(J, marquardt))


mutant(of="levenberg_marquardt_step", kills=[test_damped_step_solves_the_damped_normal_equations,
                                             test_large_damping_gives_a_short_gradient_descent_step
                                             ])(step_with_lambda_identity)
mutant(of="levenberg_marquardt_step", kills=[test_damped_step_solves_the_damped_normal_equations,
                                             test_large_damping_gives_a_short_gradient_descent_step
                                             ])(step_always_marquardt)
mutant(of="levenberg_marquardt_step", kills=[test_damped_step_solves_the_damped_normal_equations,
                                             test_large_damping_gives_a_short_gradient_descent_step
                                             ])(step_damping_on_the_gradient)
mutant(of="levenberg_marquardt_step", kills=[test_damped_step_solves_the_damped_normal_equations,
                                             test_large_damping_gives_a_short_gradient_descent_step
                                             ])(step_damping_the_whole_matrix)
mutant(of="levenberg_marquardt_step", kills=[test_damped_step_solves_the_damped_normal_equations
                                             ])(step_with_J_Jt_diagonal)
mutant(of="levenberg_marquardt_step", kills=[test_damped_step_solves_the_damped_normal_equations,
                                             test_small_damping_gives_the_gauss_newton_step])(step_gradient_only)


# Mutants: solvers.


def accept_always(f_new, f):
    return np.isfinite(f_new)


def inverted_update(lam, accepted, rho):
    """lambda * 10 after an accepted step, / 10 after a rejected one."""
    return lam * 10 if accepted else lam / 10


@mutant(of="levenberg_marquardt", kills=[test_levenberg_marquardt_loss_history_strictly_decreases])
def lm_accepting_steps_that_raise_the_loss(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12,
                                           gtol=1e-12, max_iter=1000):
    """Every trial step is taken, even one that raises the loss."""
    return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, accept=accept_always)


@mutant(of="levenberg", kills=[test_levenberg_loss_history_strictly_decreases])
def levenberg_accepting_steps_that_raise_the_loss(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12,
                                                  gtol=1e-12, max_iter=1000):
    """Every trial step is taken, even one that raises the loss."""
    return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=False,
                        accept=accept_always)


@mutant(of="levenberg_marquardt", kills=[test_levenberg_marquardt_converges_on_zero_residual_problems])
def lm_with_the_damping_update_inverted(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                                        max_iter=1000):
    """lambda grows after a success and shrinks after a failure: the steps shrink as the run goes well."""
    return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, update=inverted_update)


@mutant(of="levenberg", kills=[test_levenberg_converges_on_zero_residual_problems])
def levenberg_with_the_damping_update_inverted(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12,
                                               gtol=1e-12, max_iter=1000):
    """lambda grows after a success and shrinks after a failure."""
    return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=False,
                        update=inverted_update)


@mutant(of="levenberg_marquardt", kills=[test_marquardt_iterates_are_invariant_to_rescaling])
def lm_with_lambda_identity(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
    """Marquardt using lambda I (Levenberg's damping): not invariant to rescaling."""
    return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=False)


@mutant(of="levenberg", kills=[test_levenberg_depends_on_the_scaling_of_the_parameters])
def levenberg_with_marquardts_scaling(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                                      max_iter=1000):
    """Levenberg using lambda diag(J^T J): Marquardt's method under Levenberg's name."""
    return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=True)


@mutant(of="levenberg_marquardt", kills=[test_levenberg_marquardt_loss_history_strictly_decreases])
def lm_recording_rejected_trials(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                                 max_iter=1000):
    """The loss of every trial, rejected ones too, in loss_history (one per iteration, the last trial's)."""
    trials = []

    def logged(x):
        r = residuals(x)
        trials.append(float(r @ r))
        return r

    res = damped_solve(logged, jacobian, x0, damping, ftol, xtol, gtol, max_iter)
    res.loss_history = np.array(trials[:res.nit + 1])
    res.fun = float(res.loss_history[-1])
    return res


@mutant(of="levenberg_marquardt", kills=[test_levenberg_marquardt_result_fields_agree,
                                         test_levenberg_marquardt_converges_on_zero_residual_problems])
def lm_with_success_from_max_iter(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                                  max_iter=1000):
    """success = (nit == max_iter): the flag read the wrong way round."""
    res = damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter)
    res.success = res.nit == max_iter
    return res


@mutant(of="levenberg", kills=[test_levenberg_result_fields_agree])
def levenberg_counting_only_accepted_points(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12,
                                            gtol=1e-12, max_iter=1000):
    """nfev = nit: neither x0's evaluation nor the rejected trials counted."""
    res = damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=False)
    res.nfev = res.nit
    return res


# Alternatives.


@alternative(of="levenberg_marquardt_step")
def damped_step_by_cholesky(r, J, damping, marquardt=True):
    """The damped normal equations formed and solved by Cholesky."""
    return damped_normal_step(r, J, damping, marquardt)


@alternative(of="levenberg_marquardt_step")
def damped_step_by_augmented_qr(r, J, damping, marquardt=True):
    """The stacked least-squares problem [J; sqrt(lambda D)] delta = [-r; 0] by a QR (no J^T J formed); lstsq when
    the stacked matrix is rank deficient (Marquardt's D = 0 on a vanishing column)."""
    stacked = np.vstack([J, np.diag(np.sqrt(damping * scaling(J, marquardt)))])
    rhs = -np.concatenate([r, np.zeros(J.shape[1])])
    Q, R = np.linalg.qr(stacked)
    if np.any(np.abs(np.diag(R)) <= 1e-14 * np.abs(np.diag(R)).max(initial=0.0)):  # rank deficient: a zero column
        return np.linalg.lstsq(stacked, rhs, rcond=None)[0]
    return scipy.linalg.solve_triangular(R, Q.T @ rhs)


def nielsen(marquardt):
    def solver(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
        return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=marquardt,
                            nielsen=True)
    return solver


def times_2_over_3(lam, accepted, rho):
    """lambda / 3 after an accepted step, * 2 after a rejected one."""
    return lam / 3 if accepted else lam * 2


@alternative(of="levenberg_marquardt")
def lm_with_nielsens_update(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
    """Nielsen's damping schedule: lambda *= max(1/3, 1 - (2 rho - 1)^3) on success; lambda *= nu, nu *= 2 on
    failure (rho = actual / predicted reduction). The normal equations by Cholesky."""
    return nielsen(True)(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter)


@alternative(of="levenberg_marquardt")
def lm_dividing_by_3(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
    """lambda / 3 on success, * 2 on failure, the steps by a QR of the stacked matrix, the history as a list."""
    res = damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, update=times_2_over_3,
                       step=damped_step_by_augmented_qr)
    res.loss_history = list(res.loss_history)
    return res


@alternative(of="levenberg")
def levenberg_with_nielsens_update(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                                   max_iter=1000):
    """Nielsen's damping schedule with D = I."""
    return nielsen(False)(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter)


@alternative(of="levenberg")
def levenberg_dividing_by_3(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                            max_iter=1000):
    """lambda / 3 on success, * 2 on failure, D = I."""
    return damped_solve(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=False,
                        update=times_2_over_3)
