"""BFGS: bfgs_update(H, s, y) -> H_new, the update of an inverse-Hessian approximation, and bfgs(fun, grad, x0, gtol,
max_iter) -> OptimizeResult (with hess_inv), the quasi-Newton method built on it.

The update H_new = (I - rho s y^T) H (I - rho y s^T) + rho s s^T, rho = 1 / (y^T s), makes H_new y = s (the secant
condition: H_new maps the change of gradient to the step, as the inverse Hessian of a quadratic does) and keeps H
symmetric positive definite while y^T s > 0, so -H g stays a descent direction. Every tolerance comes from
update_bound in quasi_newton_common.py (the rounding of any correct way of computing the update).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.second_order.quasi_newton_common import (
    BFGS_UPDATE, LINE_SEARCH, U, Lorentzian, Quadratic, Rosenbrock, SpecQuasiNewton, as_bfgs, bfgs_product_form, check_fields,
    check_lorentzian, check_monotone, check_quadratic_minimizer, check_rosenbrock, check_steps_follow, curvature_pairs, dimensions, lorentzian_starts,
    quadratics, spd_matrices, update_bound,
)

UPDATE = "BFGS update"
SOLVER = "BFGS"

# A worked update, every number a short dyadic fraction: H = I, s = (1, 1), y = (1, 3), y^T s = 4, rho = 1/4,
# V = I - rho y s^T = [[0.75, -0.25], [-0.75, 0.25]], V^T V = [[1.125, -0.375], [-0.375, 0.125]],
# rho s s^T = [[0.25, 0.25], [0.25, 0.25]], H_new = [[1.375, -0.125], [-0.125, 0.375]];
# check: H_new y = (1.375 - 0.375, -0.125 + 1.125) = (1, 1) = s.
H0, S0, Y0 = np.eye(2), np.array([1.0, 1.0]), np.array([1.0, 3.0])
H0_NEW = np.array([[1.375, -0.125], [-0.125, 0.375]])
# An ill-conditioned quadratic (eigenvalues 0.1 and 10 along rotated axes) from a far start: a method whose H does
# not approach A^{-1} crawls along the valley.
ILL = Quadratic(np.array([[5.05, 4.95], [4.95, 5.05]]), np.array([1.0, -2.0]))
ILL_START = np.array([-4.0, 5.0])
# Eigenvalues 1 and 10 (the range the direction checks' tolerance is derived for).
STIFF = Quadratic(np.array([[5.5, 4.5], [4.5, 5.5]]), np.array([1.0, -2.0]))


def updates():
    """(H, s, y): H SPD with eigenvalues in [0.1, 10], (s, y) a curvature pair (y = A s, A SPD)."""
    return dimensions().flatmap(lambda n: st.tuples(spd_matrices(n), curvature_pairs(n))).map(
        lambda p: (p[0], p[1][0], p[1][1]))


def update_sequences():
    """(H, [(s_1, y_1), ..., (s_k, y_k)]), k in [1, 3], each pair y_j = A_j s_j with its own SPD A_j."""
    return dimensions().flatmap(
        lambda n: st.tuples(spd_matrices(n), st.lists(curvature_pairs(n), min_size=1, max_size=3)))


def update_inputs(H, s, y):
    return {"H": H, "s": s, "y": y, "y^T s": float(y @ s)}


def check_update(H_new, H, s, y, name="bfgs_update(H, s, y)"):
    """Symmetric, H_new y = s, and positive definite, within the rounding of update_bound."""
    inputs = update_inputs(H, s, y)
    E, factor = update_bound(H, s, y)
    tol = factor * U * E
    # An input H that is symmetric only up to rounding (the previous update's output) passes its asymmetry on:
    # H_new - H_new^T = V^T (H - H^T) V exactly, at most |V|^T |H - H^T| |V| entrywise, |V| = I + rho |y| |s|^T.
    absV = np.eye(len(s)) + np.outer(np.abs(y), np.abs(s)) / float(y @ s)
    inherited = absV.T @ np.abs(H - H.T) @ absV
    expect.close(f"{name}", H_new, H_new.T, atol=2 * tol + inherited, why="its transpose: H_new is symmetric",
                 inputs=inputs)
    # H_new is off by at most tol entrywise; (H_new + dH) y - s = dH y, and the product adds (n + 1) U |H_new| |y|.
    secant = H_new @ y
    expect.close(f"{name} @ y", secant, s, atol=tol @ np.abs(y) + (len(s) + 1) * U * (np.abs(H_new) @ np.abs(y)),
                 why="s: the secant condition H_new y = s", inputs=inputs)
    # Exactly, H_new^{-1} = B - B s s^T B / s^T B s + y y^T / y^T s with B = H^{-1} (the direct BFGS update), so
    # lambda_max(H_new^{-1}) <= trace(H_new^{-1}) <= trace(H^{-1}) + |y|^2 / y^T s, i.e.
    # lambda_min(H_new) >= L = 1 / (trace(H^{-1}) + |y|^2 / y^T s). The computed H_new is off by ||tol||_F at most
    # (in the 2-norm), eigvalsh by (n + 1) U ||H_new||_F; trace(H^{-1}) from eigvalsh(H) is off by far less than 1%.
    sym = 0.5 * (H_new + H_new.T)
    lowest = float(np.linalg.eigvalsh(sym)[0])
    bound = 0.99 / (np.sum(1.0 / np.linalg.eigvalsh(0.5 * (H + H.T))) + (y @ y) / (y @ s))
    slack = np.linalg.norm(tol) + (len(s) + 1) * U * np.linalg.norm(sym)
    expect.holds(f"the smallest eigenvalue of {name}", np.array(lowest), lowest >= bound - slack,
                 f">= 1 / (trace(H^-1) + |y|^2 / y^T s) = {bound:.4g} > 0: H_new stays positive definite while "
                 "y^T s > 0", inputs=inputs)


@prop(UPDATE, BFGS_UPDATE, "bfgs_update(H, s, y) satisfies the secant condition H_new y = s, and H_new is symmetric positive definite, for any SPD H and any pair with y^T s > 0.")
@given(update=updates())
@example(update=(H0, S0, Y0))
def test_bfgs_update_keeps_the_secant_condition_and_positive_definiteness(bfgs_update, update):
    H, s, y = update
    check_update(bfgs_update(H, s, y), H, s, y)


@prop(UPDATE, BFGS_UPDATE, "Along a sequence of BFGS updates with y^T s > 0, every H_k satisfies its newest secant condition and stays symmetric positive definite.")
@given(sequence=update_sequences())
def test_bfgs_updates_stay_positive_definite_along_a_sequence(bfgs_update, sequence):
    H, pairs = sequence
    for j, (s, y) in enumerate(pairs):
        H_new = bfgs_update(H, s, y)
        check_update(H_new, H, s, y, name=f"H_{j + 1} = bfgs_update(H_{j}, s_{j}, y_{j})")
        H = H_new


@prop(UPDATE, BFGS_UPDATE, "bfgs_update(H, s, y) is (I - rho s y^T) H (I - rho y s^T) + rho s s^T with rho = 1 / (y^T s) (checked on a worked example, H = I, s = (1, 1), y = (1, 3)).")
@given(update=updates())
@example(update=(H0, S0, Y0))
def test_bfgs_update_is_the_bfgs_formula(bfgs_update, update):
    H, s, y = update
    H_new = bfgs_update(H, s, y)
    E, factor = update_bound(H, s, y)
    # Both computations are off by at most factor U E (update_bound): they agree within twice that.
    expected = H0_NEW if (H is H0 and s is S0) else bfgs_product_form(H, s, y)
    expect.close("bfgs_update(H, s, y)", H_new, expected, atol=2 * factor * U * E,
                 why="(I - rho s y^T) H (I - rho y s^T) + rho s s^T, rho = 1 / y^T s", inputs=update_inputs(H, s, y))


@prop(UPDATE, BFGS_UPDATE + "; quadratic termination: with exact line searches on a strictly convex quadratic BFGS's directions are A-conjugate, so it reaches the minimizer in n steps with H_n = A^-1", "With exact line searches on a strictly convex quadratic 1/2 (x - c)^T A (x - c), n BFGS steps (H_0 = I, H updated by bfgs_update) reach the minimizer c, and H_n = A^-1.")
@given(problem=quadratics(max_n=4, low=1.0))
@example(problem=(STIFF, ILL_START, None))
def test_bfgs_with_exact_line_searches_terminates_in_n_steps(bfgs_update, problem):
    f, x0, _ = problem
    A, c = f.A, f.c
    n = len(c)
    lam = np.linalg.eigvalsh(A)
    k = lam[-1] / lam[0]
    # Rounding: step j starts from x_j - c, off by U (|x_j| + |c|), so s_j and y_j = A s_j carry a relative error of
    # at most eps_j = (n + 2) U k(A) max_i<=j |(|x_i| + |c|)| / |x_j - c| (the product with A adds (n + 1) U, A's condition
    # number k(A) turns an error in x_j - c into one in the exact step), and the update itself adds its own rounding
    # (update_bound) relative to H_{j+1}. Each BFGS update multiplies the relative
    # error of what it is given by at most |V|^2 <= (1 + rho |y||s|)^2 <= (1 + (1 + k) / (2 sqrt k))^2 (the cosine of
    # s and A s is >= 2 sqrt(k) / (1 + k)), so after n updates H_n and x_n are off by at most
    # amp * sum_j eps_j relative, amp = that factor to the n-th power (measured: at most a third of it).
    H = np.eye(n)
    x = np.array(x0, dtype=np.float64)
    eps, scale = 0.0, 0.0
    inputs = {"A": A, "c": c, "x0": x0}
    for j in range(n):
        e = x - c
        g = A @ e
        d = -H @ g
        curvature = float(d @ A @ d)
        if not np.any(g):  # already at c (x0 = c): nothing left to check
            return
        if curvature == 0.0:
            expect.fail(f"H_{j} grad(x_{j}) = 0 for a nonzero gradient: H_{j} from bfgs_update is singular, not positive definite",
                        {**inputs, f"H_{j}": H, f"grad(x_{j})": g})
        scale = max(scale, float(np.linalg.norm(np.abs(x) + np.abs(c))))  # x_j carries the errors of earlier steps
        step_eps = (n + 2) * U * k * scale / np.linalg.norm(e)
        if step_eps > 1e-6:  # x_j is c up to rounding (x0 - c in an invariant subspace of A): the rest is noise
            return
        s = (-(g @ d) / curvature) * d  # the exact line search along d
        y = A @ s
        E, factor = update_bound(H, s, y)
        H_new = bfgs_update(H, s, y)
        # The update's own rounding, relative to the exact H_{j+1} (the product form here): factor U max(E) / max|H_{j+1}|.
        eps += step_eps + factor * U * np.max(E) / np.max(np.abs(bfgs_product_form(H, s, y)))
        x, H = x + s, H_new
    amp = (1.0 + (1.0 + k) / (2.0 * np.sqrt(k))) ** (2 * n)
    A_inv = np.linalg.inv(A)
    expect.close(f"x_{n} after {n} BFGS steps with exact line searches", x, c,
                 atol=amp * eps * np.max(np.abs(np.asarray(x0) - c)), why="the minimizer c", inputs=inputs)
    expect.close(f"H_{n} after {n} BFGS updates with exact line searches", H, A_inv,
                 atol=amp * eps * np.max(np.abs(A_inv)), why="A^-1, the inverse Hessian", inputs=inputs)


# The solver.

ROSENBROCK_PROBLEM = Rosenbrock()


@prop(SOLVER, LINE_SEARCH, "bfgs's loss_history never increases: its line search accepts only steps that do not raise the loss (on convex quadratics and on Rosenbrock).")
@given(problem=quadratics(), max_iter=st.integers(1, 30))
@example(problem=(ROSENBROCK_PROBLEM, Rosenbrock.START, None), max_iter=60)
@example(problem=(ILL, ILL_START, None), max_iter=30)
def test_bfgs_loss_never_increases(bfgs, problem, max_iter):
    f, x0, _ = problem
    f = f.fresh()
    check_monotone("bfgs", bfgs(f.fun, f.grad, x0, max_iter=max_iter), f, x0)


@prop(SOLVER, LINE_SEARCH, "bfgs converges on strictly convex quadratics: success, and x within ||A^-1||_inf (gtol + rounding) of the minimizer.")
@given(problem=quadratics())
@example(problem=(ILL, ILL_START, None))
def test_bfgs_converges_on_strictly_convex_quadratics(bfgs, problem):
    f, x0, _ = problem
    f = f.fresh()
    check_quadratic_minimizer("bfgs", bfgs(f.fun, f.grad, x0), f, x0, 1e-8)


@prop(SOLVER, LINE_SEARCH, "bfgs reaches Rosenbrock's minimizer (1, 1) from the standard start (-1.2, 1) within 2 * 3.005 * gtol.")
def test_bfgs_converges_on_rosenbrock(bfgs):
    f = Rosenbrock()
    for gtol in (1e-8, 1e-6):
        check_rosenbrock("bfgs", bfgs(f.fun, f.grad, Rosenbrock.START, gtol=gtol), f, gtol)


@prop(SOLVER, LINE_SEARCH, "bfgs converges on the non-convex sum log(1 + (x_i - 1)^2), where some steps have y^T s <= 0 (those pairs must not update H): success, and x within gtol of (1, ..., 1).")
@given(x0=lorentzian_starts())
@example(x0=np.array([5.22086909, 3.79024265, -5.967138]))
def test_bfgs_converges_on_a_non_convex_function(bfgs, x0):
    f = Lorentzian()
    check_lorentzian("bfgs", bfgs(f.fun, f.grad, x0), f, x0, 1e-8)


@prop(SOLVER, LINE_SEARCH, "bfgs's result agrees with itself: fun == loss(x), loss_history[0] == loss(x0), loss_history[-1] == fun, nit <= max_iter, and success only when max|grad(x)| <= gtol.")
@given(problem=quadratics(), max_iter=st.integers(0, 40), gtol=st.sampled_from([1e-8, 1e-4, 1e-2]))
@example(problem=(ROSENBROCK_PROBLEM, Rosenbrock.START, None), max_iter=3, gtol=1e-8)
@example(problem=(ROSENBROCK_PROBLEM, Rosenbrock.START, None), max_iter=1000, gtol=1e-8)
def test_bfgs_result_fields_agree(bfgs, problem, max_iter, gtol):
    f, x0, _ = problem
    f = f.fresh()
    check_fields("bfgs", bfgs(f.fun, f.grad, x0, gtol=gtol, max_iter=max_iter), f, x0, gtol, max_iter)


@prop(SOLVER, LINE_SEARCH, "bfgs reports success=False when max_iter runs out before max|grad| <= gtol (Rosenbrock from (-1.2, 1) with max_iter <= 5).")
def test_bfgs_reports_failure_when_max_iter_is_too_small(bfgs):
    f = Rosenbrock()
    for max_iter in range(6):
        result = bfgs(f.fun, f.grad, Rosenbrock.START, max_iter=max_iter)
        inputs = {"function": repr(f), "x0": Rosenbrock.START, "max_iter": max_iter, "nit": result.nit,
                  "message": result.message}
        expect.equal("bfgs(...).success", float(bool(result.success)), 0.0,
                     why="False: (1, 1) is more than 5 iterations away, so max_iter ran out", inputs=inputs)
        expect.equal("bfgs(...).nit", result.nit, max_iter, why="max_iter: every iteration allowed was used",
                     inputs=inputs)


@prop(SOLVER, LINE_SEARCH, "bfgs's hess_inv is positive definite (the updates use only pairs with y^T s > 0), on convex quadratics and on the non-convex sum log(1 + (x_i - 1)^2).")
@given(problem=st.one_of(quadratics(), lorentzian_starts().map(lambda x0: (Lorentzian(), x0, None))),
       max_iter=st.integers(1, 30))
@example(problem=(ROSENBROCK_PROBLEM, Rosenbrock.START, None), max_iter=1000)
@example(problem=(Lorentzian(), np.array([5.22086909, 3.79024265, -5.967138]), None), max_iter=1000)
def test_bfgs_hess_inv_is_positive_definite(bfgs, problem, max_iter):
    f, x0, _ = problem
    f = f.fresh()
    result = bfgs(f.fun, f.grad, x0, max_iter=max_iter)
    H = np.asarray(result.hess_inv)
    inputs = {"function": repr(f), "x0": x0, "max_iter": max_iter, "nit": result.nit, "message": result.message}
    # Its symmetric part (an update computed in product form is symmetric only up to rounding) must have a
    # positive smallest eigenvalue: exactly, each update with y^T s > 0 keeps H positive definite, with a smallest
    # eigenvalue far above eigvalsh's error (n + 1) U ||H|| on these problems (checked per update by the
    # properties of bfgs_update), while one update with y^T s < 0 makes it indefinite.
    sym = 0.5 * (H + H.T)
    lowest = float(np.linalg.eigvalsh(sym)[0])
    slack = (len(x0) + 1) * U * float(np.linalg.norm(sym))
    expect.holds("the smallest eigenvalue of bfgs(...).hess_inv (its symmetric part)", np.array(lowest),
                 lowest > slack, f"> {slack:.2g} (eigvalsh's rounding): H stays positive definite while every pair "
                 "used has y^T s > 0", inputs=inputs)


def bfgs_directions(g, S, Y):
    """-H_k g with H_k the BFGS updates of H_0 = I, or of H_0 = (y_0^T s_0 / y_0^T y_0) I (scaled before the first
    update), by the pairs so far: both starts are allowed."""
    n = len(g)
    directions = []
    for scaled in (False, True):
        H = np.eye(n) * (float(S[0] @ Y[0]) / float(Y[0] @ Y[0]) if scaled and len(S) else 1.0)
        for s, y in zip(S, Y):
            H = bfgs_product_form(H, s, y)
        directions.append(-H @ g)
    return directions


@prop(SOLVER, LINE_SEARCH, "Each step of bfgs is a positive multiple of -H_k grad(x_k), H_k the BFGS updates of H_0 = I (or of the scaled H_0 = y^T s / y^T y I) by the steps so far (on convex quadratics).")
@given(problem=quadratics(min_n=2, low=1.0))
@example(problem=(STIFF, ILL_START, None))
def test_bfgs_steps_along_minus_H_times_the_gradient(bfgs, problem):
    f, x0, _ = problem
    f = f.fresh()
    result = bfgs(f.fun, f.grad, x0)
    check_steps_follow("bfgs", result, f, x0, bfgs_directions,
                       lambda k: f"-H_{k} grad(x_{k}) normalized, H_{k} from {k} BFGS updates of I or of the scaled I")


# Mutants of bfgs_update.


@mutant(of="bfgs_update", kills=[test_bfgs_update_keeps_the_secant_condition_and_positive_definiteness,
                                 test_bfgs_updates_stay_positive_definite_along_a_sequence,
                                 test_bfgs_update_is_the_bfgs_formula,
                                 test_bfgs_with_exact_line_searches_terminates_in_n_steps])
def bfgs_update_with_s_and_y_swapped(H, s, y):
    """(I - rho y s^T) H (I - rho s y^T) + rho y y^T: the roles of s and y exchanged (the update of the Hessian B,
    not of its inverse), so H_new s = y instead of H_new y = s."""
    return bfgs_product_form(H, y, s)


@mutant(of="bfgs_update", kills=[test_bfgs_update_keeps_the_secant_condition_and_positive_definiteness,
                                 test_bfgs_updates_stay_positive_definite_along_a_sequence,
                                 test_bfgs_update_is_the_bfgs_formula,
                                 test_bfgs_with_exact_line_searches_terminates_in_n_steps])
def bfgs_update_without_the_rho_s_s_term(H, s, y):
    """(I - rho s y^T) H (I - rho y s^T) only: without + rho s s^T, H_new y = 0 and H_new is singular."""
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V


@mutant(of="bfgs_update", kills=[test_bfgs_update_keeps_the_secant_condition_and_positive_definiteness,
                                 test_bfgs_update_is_the_bfgs_formula])
def bfgs_update_without_the_transpose(H, s, y):
    """(I - rho y s^T) H (I - rho y s^T) + rho s s^T: the same factor on both sides, not V^T H V; not symmetric."""
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V @ H @ V + rho * np.outer(s, s)


@mutant(of="bfgs_update", kills=[test_bfgs_update_is_the_bfgs_formula])
def bfgs_update_as_dfp(H, s, y):
    """The DFP update H - H y y^T H / (y^T H y) + s s^T / (y^T s): also secant and SPD, but not BFGS."""
    Hy = H @ y
    return H - np.outer(Hy, Hy) / (y @ Hy) + np.outer(s, s) / (y @ s)


@mutant(of="bfgs_update", kills=[test_bfgs_update_keeps_the_secant_condition_and_positive_definiteness,
                                 test_bfgs_update_is_the_bfgs_formula,
                                 test_bfgs_with_exact_line_searches_terminates_in_n_steps])
def bfgs_update_with_rho_as_y_dot_s(H, s, y):
    """rho = y^T s instead of 1 / (y^T s)."""
    rho = y @ s
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V + rho * np.outer(s, s)


# Correct alternatives of bfgs_update.


@alternative(of="bfgs_update")
def bfgs_update_expanded(H, s, y):
    """H + (s^T y + y^T H y) s s^T / (s^T y)^2 - (H y s^T + s y^T H) / (s^T y): O(n^2), no matrix products."""
    sy = s @ y
    Hy = H @ y
    yH = y @ H
    return H + (sy + y @ Hy) * np.outer(s, s) / sy ** 2 - (np.outer(Hy, s) + np.outer(s, yH)) / sy


@alternative(of="bfgs_update")
def bfgs_update_with_loops(H, s, y):
    """Entry by entry with Python loops, the product form's (V^T H V)_ij = sum_kl V_ki H_kl V_lj."""
    n = len(s)
    rho = 1.0 / sum(float(y[i] * s[i]) for i in range(n))
    V = [[(1.0 if i == j else 0.0) - rho * y[i] * s[j] for j in range(n)] for i in range(n)]
    HV = [[sum(H[i][k] * V[k][j] for k in range(n)) for j in range(n)] for i in range(n)]
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = sum(V[k][i] * HV[k][j] for k in range(n)) + rho * s[i] * s[j]
    return out


# Mutants of bfgs.


class SwappedBFGS(SpecQuasiNewton):
    """BFGS whose update exchanges s and y: H approaches the Hessian A instead of its inverse."""

    def update(self, s, y):
        self.H = bfgs_product_form(self.H, y, s)


class AnyStepBFGS(SpecQuasiNewton):
    """BFGS without a line search: every step x + d is accepted (a = 1), whether the loss falls or not."""

    def line_search(self, fun, grad, x, f, g, d):
        x_new = x + d
        return x_new, fun(x_new), grad(x_new), 1


class UncheckedCurvatureBFGS(SpecQuasiNewton):
    """BFGS with Armijo backtracking and no curvature check: H is updated with every pair, y^T s < 0 included, which
    makes H indefinite, and -H g then points uphill."""

    RESTART = False

    def curvature_ok(self, s, y):
        return float(y @ s) != 0


class AlwaysSuccessfulBFGS(SpecQuasiNewton):
    """BFGS that reports success=True whether or not max|grad| <= gtol was reached."""

    def result(self, x, f, g, nit, nfev, success, history):
        return super().result(x, f, g, nit, nfev, True, history)


class StaleLossBFGS(SpecQuasiNewton):
    """BFGS that returns fun, the loss of the previous iterate (fun stored before the step)."""

    def result(self, x, f, g, nit, nfev, success, history):
        out = super().result(x, f, g, nit, nfev, success, history)
        out.fun = history[-2] if len(history) > 1 else history[-1]
        return out


mutant(of="bfgs", kills=[test_bfgs_converges_on_strictly_convex_quadratics, test_bfgs_converges_on_rosenbrock,
                         test_bfgs_steps_along_minus_H_times_the_gradient])(as_bfgs(SwappedBFGS))
mutant(of="bfgs", kills=[test_bfgs_loss_never_increases])(as_bfgs(AnyStepBFGS))
mutant(of="bfgs", kills=[test_bfgs_converges_on_a_non_convex_function, test_bfgs_hess_inv_is_positive_definite])(
    as_bfgs(UncheckedCurvatureBFGS))
mutant(of="bfgs", kills=[test_bfgs_result_fields_agree, test_bfgs_reports_failure_when_max_iter_is_too_small])(
    as_bfgs(AlwaysSuccessfulBFGS))
mutant(of="bfgs", kills=[test_bfgs_result_fields_agree])(as_bfgs(StaleLossBFGS))


# Correct alternatives of bfgs.


class ArmijoBFGS(SpecQuasiNewton):
    """BFGS with H_0 = I, Armijo backtracking from a = 1 (halving) and a curvature check (pairs with y^T s <= 0 are
    skipped), the product form of the update."""


class ExpandedUpdateBFGS(SpecQuasiNewton):
    """BFGS with the expanded update, H_0 scaled by y^T s / y^T y before the first update, and backtracking that
    interpolates (the minimizer of the quadratic through f(x), g^T d and the rejected trial, clipped to
    [0.1 a, 0.5 a])."""

    def start(self, n):
        super().start(n)
        self.updated = False

    def update(self, s, y):
        if not self.updated:
            self.H = (s @ y) / (y @ y) * np.eye(len(s))
            self.updated = True
        self.H = bfgs_update_expanded(self.H, s, y)

    def line_search(self, fun, grad, x, f, g, d):
        slope = float(g @ d)
        alpha = 1.0
        for i in range(self.MAX_HALVINGS):
            x_new = x + alpha * d
            f_new = fun(x_new)
            if np.isfinite(f_new) and f_new <= f + self.C1 * alpha * slope and f_new < f:
                return x_new, f_new, grad(x_new), i + 1
            if np.isfinite(f_new):
                curvature = f_new - f - slope * alpha
                guess = -slope * alpha * alpha / (2.0 * curvature) if curvature > 0 else 0.5 * alpha
                alpha = min(max(guess, 0.1 * alpha), 0.5 * alpha)
            else:
                alpha *= 0.1
        return None


alternative(of="bfgs")(as_bfgs(ArmijoBFGS))
alternative(of="bfgs")(as_bfgs(ExpandedUpdateBFGS))
