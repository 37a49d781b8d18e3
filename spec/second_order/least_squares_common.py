"""Problems, strategies, trusted solvers and the result checks shared by test_newton.py, test_gauss_newton.py and
test_levenberg_marquardt.py.

Problems are small (m <= 10 residuals, n <= 4 parameters) and their conditioning is known by construction, so that
every tolerance can be written in terms of float64's unit roundoff U and the problem's condition number:

- ``LinearProblem``: r(x) = A x - b (linear regression's least squares), A = rows [diag(s); B] in a drawn order,
  |s_j| in [1, 8], |B_ij| <= 1: A^T A = diag(s)^2 + B^T B >= I, so sigma_min(A) >= 1, and
  sigma_max(A) <= ||A||_F <= sqrt(64 n + m n) < 30: cond(A) < 30 for every drawn problem.
- ``ExponentialFit``: y_i = a e^(k t_i) + c at t_i in [0, 2], data generated from known parameters p* = (a, k, c)
  (zero residual at p*).
- ``CircleFit``: points on a circle of centre (u, v) and radius R, r_i = |q_i - (u, v)| - R (zero residual at the
  circle's parameters).

The trusted solvers here (``newton_solve``, ``gauss_newton_solve``, ``damped_solve``) follow the contract's
docstrings; the spec files derive their mutants and alternatives from them (never from impl/).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from hypothesis import strategies as st
from scipy.optimize import OptimizeResult

from spec import expect
from spec.expect import EPS

U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative

LECTURE = "TUM I2DL lecture 6 (second derivatives, Newton's method, Gauss-Newton, Levenberg, Levenberg-Marquardt)"
NEWTON_SLIDES = "TUM I2DL lecture 6, slides 15-19 (Newton's method: x_{k+1} = x_k - H^{-1} grad f(x_k))"
REGRESSION_SLIDE = ("TUM I2DL lecture 6, slide 18: 'Can you apply Newton's method for linear regression? What do you "
                    "get as a result?'")
GN_SLIDE = ("TUM I2DL lecture 6, slide 20 (Gauss-Newton: the Hessian approximated by 2 J^T J; solve "
            "2 J^T J (x_k - x_{k+1}) = grad f(x_k) for the delta vector)")
LEVENBERG_SLIDE = ("TUM I2DL lecture 6, slide 21 (Levenberg: 'damped' Gauss-Newton, (J^T J + lambda I) delta = "
                   "-J^T r, lambda adjusted in each iteration so that f(x_k) > f(x_{k+1}); large lambda: gradient "
                   "descent)")
MARQUARDT_SLIDE = ("TUM I2DL lecture 6, slide 22 (Levenberg-Marquardt: (J^T J + lambda diag(J^T J)) delta = -J^T r, "
                   "each component of the gradient scaled by the curvature)")
SCIPY = "scipy.optimize's OptimizeResult conventions (x, fun, nit, nfev, success, message), contract module newton"


def norm(v) -> float:
    return float(np.linalg.norm(v))


def sum_of_squares_slack(r) -> float:
    """How far two correct computations of sum(r**2) may differ: each square is within U relative, and a sum of m
    non-negative terms in any order within (m - 1) U relative, so each is within (m + 1) U of the exact value and
    two are at most 2 (m + 1) U sum(r**2) apart."""
    r = np.asarray(r, dtype=np.float64)
    return 2 * (r.size + 1) * U * float(r @ r)


# Problems.


@dataclass(frozen=True, eq=False)
class LinearProblem:
    """r(x) = A x - b: linear least squares (linear regression with X = A, y = b)."""

    A: np.ndarray
    b: np.ndarray

    def residuals(self, x):
        return self.A @ x - self.b

    def jacobian(self, x):
        return self.A.copy()

    def loss(self, x) -> float:
        r = self.residuals(x)
        return float(r @ r)

    def grad(self, x):
        return 2.0 * self.A.T @ self.residuals(x)

    def hess(self, x):
        return 2.0 * self.A.T @ self.A

    @property
    def solution(self) -> np.ndarray:
        """numpy's least-squares solution (an SVD)."""
        return np.linalg.lstsq(self.A, self.b, rcond=None)[0]

    def solution_tolerance(self, x0) -> float:
        """How far a correct solver's least-squares solution may be from numpy's, entry by entry.

        With sigma = sigma_min(A), kappa = ||A||_F / sigma (< 30 here) and x* the solution:
        - the normal equations (Newton's step: H = 2 A^T A, g = 2 A^T (A x0 - b), the squarest way) are off by
          gamma_m ||A||_F (||A||_F ||x0|| + ||b||) in g and by gamma_m ||A||_F^2 ||.|| in H (gamma_m <= (m + 1) U);
          solving with H (backward stable, cond(H) = kappa^2) turns an error e in g into e / (2 sigma^2) and adds
          c n U kappa^2 ||x* - x0||; adding the step to x0 adds U ||x*||;
        - numpy's SVD solution is within c U (kappa ||x*|| + kappa^2 ||A x* - b|| / ||A||_F) of x* (Golub and
          Van Loan 5.3.8), and ||A x* - b|| <= ||b||.
        Every term is at most (m + n) U kappa^2 (||x0|| + ||x*|| + ||b|| / sigma): twice that for the two
        solutions, and a factor 4 for the constants c (which are small for n <= 4): 8 (m + n) U kappa^2 (...)."""
        sigma = np.linalg.svd(self.A, compute_uv=False)[-1]
        kappa = norm(self.A) / sigma
        m, n = self.A.shape
        return 8 * (m + n) * U * kappa**2 * (norm(x0) + norm(self.solution) + norm(self.b) / sigma)


@dataclass(frozen=True, eq=False)
class ExponentialFit:
    """y_i = a e^(k t_i) + c, fitted for p = (a, k, c) to data generated from p_true: zero residual at p_true."""

    t: np.ndarray
    p_true: np.ndarray

    @staticmethod
    def model(p, t):
        with np.errstate(over="ignore", invalid="ignore"):  # a far trial point may overflow: inf, and rejected
            return p[0] * np.exp(p[1] * t) + p[2]

    @property
    def y(self):
        return self.model(self.p_true, self.t)

    def residuals(self, p):
        return self.model(p, self.t) - self.y

    def jacobian(self, p):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(p[1] * self.t)
            return np.column_stack([e, p[0] * self.t * e, np.ones_like(self.t)])

    def term_sizes(self, p) -> np.ndarray:
        """|a e^(kt)| + |c| at each t: what one residual adds up (its rounding is a few U of it)."""
        return np.abs(p[0] * np.exp(p[1] * self.t)) + np.abs(p[2]) + np.abs(self.y)


@dataclass(frozen=True, eq=False)
class CircleFit:
    """r_i = |q_i - (u, v)| - R for points q_i on the circle of p_true = (u, v, R): zero residual at p_true."""

    points: np.ndarray  # (m, 2)
    p_true: np.ndarray

    def residuals(self, p):
        return np.hypot(self.points[:, 0] - p[0], self.points[:, 1] - p[1]) - p[2]

    def jacobian(self, p):
        d = self.points - p[:2]
        dist = np.hypot(d[:, 0], d[:, 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.column_stack([-d[:, 0] / dist, -d[:, 1] / dist, -np.ones(len(d))])

    def term_sizes(self, p) -> np.ndarray:
        return np.abs(self.points - p[:2]).sum(axis=1) + abs(p[2]) + np.abs(self.points).sum(axis=1)


def loss_of(problem, x) -> float:
    r = problem.residuals(x)
    return float(r @ r)


def zero_residual_tolerance(problem) -> float:
    """How far a solver's converged parameters may be from p_true, entry by entry.

    The data are p_true's model values rounded (a few U each: an exp or hypot within 1 ulp, a product, a sum, then
    the difference with y), so each residual at any p is off by at most 4 U T_i, T_i = term_sizes(p)_i. The
    minimizer of the computed loss is therefore within ||4 U T|| / sigma_min(J(p_true)) of p_true (first order: a
    change dr of the residuals moves the least-squares solution by J^+ dr), and the final iterate, whose steps are
    computed from residuals just as rounded, is within as much of that; storing x adds U ||p_true||.
    A factor 2 of safety: 2 (8 U ||T|| / sigma_min + U ||p_true||) = 16 U ||T|| / sigma_min + 2 U ||p_true||."""
    p = problem.p_true
    sigma = np.linalg.svd(problem.jacobian(p), compute_uv=False)[-1]
    return 16 * U * norm(problem.term_sizes(p)) / sigma + 2 * U * norm(p)


# Strategies. Hypothesis draws the sizes and a seed; the entries come from NumPy's generator with that seed. Drawing
# every entry through hypothesis cost about 25 ms an example (these solvers run in well under 1 ms), and the
# properties' failure messages show the whole input anyway. Entries are often exactly 0 or +-1 (ties and zeros).


def seeds():
    return st.integers(0, 2**32 - 1).map(np.random.default_rng)


def signed_uniform(rng, low, high, size=None):
    """Floats with low <= |t| <= high, either sign."""
    return rng.uniform(low, high, size) * rng.choice([-1.0, 1.0], size)


def uniform_with_ties(rng, magnitude, size):
    """Floats in [-magnitude, magnitude], about a fifth of them exactly 0, 1 or -1."""
    values = rng.uniform(-magnitude, magnitude, size)
    special = rng.random(size) < 0.2
    return np.where(special, rng.choice([0.0, 1.0, -1.0], size), values)


def full_rank_matrix(rng, m, n):
    """A of shape (m, n), m >= n: rows [diag(s); B] in a random order, 1 <= |s_j| <= 8, |B_ij| <= 1, so
    sigma_min(A) >= 1 and cond(A) < 30 (see the module)."""
    A = np.vstack([np.diag(signed_uniform(rng, 1.0, 8.0, n)), uniform_with_ties(rng, 1.0, (m - n, n))])
    return A[rng.permutation(m)]


@st.composite
def full_rank_matrices(draw, max_rows=8, max_columns=4):
    n = draw(st.integers(1, max_columns))
    m = draw(st.integers(n, max_rows))
    return full_rank_matrix(draw(seeds()), m, n)


@st.composite
def linear_problems(draw, magnitude=10.0):
    """(problem, x0): r(x) = A x - b with A a full_rank_matrix (cond < 30), b and x0 with entries up to magnitude."""
    n = draw(st.integers(1, 4))
    m = draw(st.integers(n, 8))
    rng = draw(seeds())
    A = full_rank_matrix(rng, m, n)
    return LinearProblem(A, uniform_with_ties(rng, magnitude, m)), uniform_with_ties(rng, magnitude, n)


@st.composite
def exponential_fits(draw, start="near"):
    """(problem, p0): an exponential fit a e^(k t) + c on m in [5, 10] points t in [0, 2], p_true with 0.5 <= |a| <= 5,
    0.3 <= |k| <= 1.5, |c| <= 2. start="near": p0 within 10% of p_true in a and k and 0.1 in c; "far": p0 drawn
    independently of p_true from the same ranges."""
    m = draw(st.integers(5, 10))
    rng = draw(seeds())
    t = np.linspace(0.0, 2.0, m)
    def parameters():
        return np.array([signed_uniform(rng, 0.5, 5.0), signed_uniform(rng, 0.3, 1.5), rng.uniform(-2.0, 2.0)])
    p = parameters()
    if start == "near":
        p0 = p * np.array([1 + rng.uniform(-0.1, 0.1), 1 + rng.uniform(-0.1, 0.1), 1.0])
        p0[2] += rng.uniform(-0.1, 0.1)
    else:
        p0 = parameters()
    return ExponentialFit(t, p), p0


@st.composite
def circle_fits(draw, start="near"):
    """(problem, p0): m in [4, 8] points spread over at least half of a circle of centre |u|, |v| <= 5 and radius
    R in [0.5, 5]. start="near": p0 within 0.1 R of the centre and 10% of R; "far": the centre moved by up to 2 R
    (never onto a data point) and the radius anywhere in [0.5, 5]."""
    m = draw(st.integers(4, 8))
    rng = draw(seeds())
    u, v, R = rng.uniform(-5.0, 5.0), rng.uniform(-5.0, 5.0), rng.uniform(0.5, 5.0)
    first, span = rng.uniform(0.0, 2 * np.pi), rng.uniform(np.pi, 2 * np.pi)
    angles = first + span * np.arange(m) / m
    points = np.column_stack([u + R * np.cos(angles), v + R * np.sin(angles)])
    scale = 0.1 if start == "near" else 2.0
    shift = rng.uniform(-scale, scale, 2) * R
    radius = R * (1 + rng.uniform(-0.1, 0.1)) if start == "near" else rng.uniform(0.5, 5.0)
    p0 = np.array([u + shift[0], v + shift[1], radius])
    while np.min(np.hypot(*(points - p0[:2]).T)) < 0.05 * R:  # near a data point |q - c| is not smooth
        p0[:2] = (p0[:2] + np.array([u, v])) / 2
    return CircleFit(points, np.array([u, v, R])), p0


def zero_residual_problems(start="near"):
    return st.one_of(exponential_fits(start), circle_fits(start))


# A fixed far example, MGH's Rosenbrock function as residuals: r = (10 (x2 - x1^2), 1 - x1), from (-1.2, 1).
class Rosenbrock:
    p_true = np.array([1.0, 1.0])

    def residuals(self, x):
        return np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])

    def jacobian(self, x):
        return np.array([[-20.0 * x[0], 10.0], [-1.0, 0.0]])

    def term_sizes(self, x):
        return np.array([10 * (abs(x[1]) + x[0] ** 2), 1 + abs(x[0])])


ROSENBROCK = (Rosenbrock(), np.array([-1.2, 1.0]))
EXPONENTIAL = (ExponentialFit(np.linspace(0.0, 2.0, 8), np.array([2.0, -1.3, 0.5])), np.array([1.0, 1.0, 0.0]))


# Trusted solvers, written as the contract's docstrings say; the spec files make mutants and alternatives of them.


def result(x, fun, nit, nfev, success, message, history):
    return OptimizeResult(x=x, fun=float(fun), nit=nit, nfev=nfev, success=success, message=message,
                          loss_history=np.array(history, dtype=np.float64))


def newton_solve(fun, grad, hess, x0, gtol=1e-10, max_iter=100, *, direction=None, frozen=False):
    """Newton's method; `direction(H, g)` gives the step (default: solve H d = -g); frozen: the Hessian of x0 reused."""
    direction = direction or (lambda H, g: np.linalg.solve(H, -g))
    x = np.array(x0, dtype=np.float64)
    f = float(fun(x))
    history, nfev, nit, H = [f], 1, 0, None
    while True:
        g = grad(x)
        if np.max(np.abs(g)) <= gtol:
            return result(x, f, nit, nfev, True, "converged: max|grad| <= gtol", history)
        if nit >= max_iter:
            return result(x, f, nit, nfev, False, "max_iter reached", history)
        if H is None or not frozen:
            H = hess(x)
        d = direction(H, g)
        if not np.all(np.isfinite(d)) or np.array_equal(x + d, x):
            return result(x, f, nit, nfev, False, "no progress", history)
        x = x + d
        f = float(fun(x))
        nfev, nit = nfev + 1, nit + 1
        history.append(f)


def lstsq_step(r, J):
    return np.linalg.lstsq(J, -r, rcond=None)[0]


def gauss_newton_solve(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100, *, step=None):
    """Gauss-Newton with every step taken; `step(r, J)` gives delta (default: lstsq of J delta = -r)."""
    step = step or lstsq_step
    x = np.array(x0, dtype=np.float64)
    r = residuals(x)
    f = float(r @ r)
    history, nfev, nit = [f], 1, 0
    while True:
        J = jacobian(x)
        if np.max(np.abs(J.T @ r)) <= gtol:
            return result(x, f, nit, nfev, True, "converged: gtol", history)
        if nit >= max_iter:
            return result(x, f, nit, nfev, False, "max_iter reached", history)
        delta = step(r, J)
        x_new = x + delta
        r = residuals(x_new)
        nfev += 1
        f_old, f = f, float(r @ r)
        if not np.isfinite(f):
            return result(x, f_old, nit, nfev, False, "residuals not finite", history)
        nit += 1
        history.append(f)
        small = norm(delta) <= xtol * (xtol + norm(x))
        x = x_new
        if abs(f_old - f) <= ftol * f_old or small:
            return result(x, f, nit, nfev, True, "converged: ftol or xtol", history)


def damped_normal_step(r, J, lam, marquardt):
    """(J^T J + lam D) delta = -J^T r, solved as the normal equations by Cholesky; when the matrix is not
    numerically positive definite (a vanishing column of J, or lam so small that J^T J's rank deficiency shows), by
    lstsq of the same system."""
    A = J.T @ J
    D = np.diag(np.diag(A)) if marquardt else np.eye(J.shape[1])
    return solve_positive(A + lam * D, -(J.T @ r))


def solve_positive(M, b):
    """M x = b by Cholesky, or by lstsq when M is not numerically positive definite."""
    try:
        return scipy.linalg.cho_solve(scipy.linalg.cho_factor(M), b)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(M, b, rcond=None)[0]


def classic_update(lam, accepted, rho):
    """Divide by 10 after an accepted step, multiply by 10 after a rejected one."""
    return lam / 10 if accepted else lam * 10


def damped_solve(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000, *,
                 marquardt=True, step=None, update=classic_update, accept=None, nielsen=False):
    """Levenberg (marquardt=False) or Levenberg-Marquardt (True): trial steps from x until one lowers the loss.

    step(r, J, lam, marquardt) gives delta (default: the normal equations); update(lam, accepted, rho) the next
    lambda (rho = actual / predicted reduction); accept(f_new, f) whether a trial is taken (default f_new < f);
    nielsen: Nielsen's schedule (lambda *= max(1/3, 1 - (2 rho - 1)^3) on success; lambda *= nu, nu *= 2 on
    failure)."""
    step = step or damped_normal_step
    accept = accept or (lambda f_new, f: f_new < f)
    x = np.array(x0, dtype=np.float64)
    r = residuals(x)
    f = float(r @ r)
    J = jacobian(x)
    lam, nu, history, nfev, nit = damping, 2.0, [f], 1, 0
    while True:
        g = J.T @ r
        if np.max(np.abs(g)) <= gtol:
            return result(x, f, nit, nfev, True, "converged: gtol", history)
        if nit >= max_iter:
            return result(x, f, nit, nfev, False, "max_iter reached", history)
        while True:
            delta = step(r, J, lam, marquardt)
            r_new = residuals(x + delta)
            nfev += 1
            with np.errstate(over="ignore", invalid="ignore"):
                f_new = float(r_new @ r_new)
            predicted = -float(2 * delta @ g + (J @ delta) @ (J @ delta))
            rho = (f - f_new) / predicted if predicted > 0 else 0.0
            if accept(f_new, f) and np.isfinite(f_new):
                break
            if norm(delta) <= xtol * (xtol + norm(x)):
                return result(x, f, nit, nfev, True, "converged: xtol", history)
            if nielsen:
                lam, nu = lam * nu, nu * 2
            else:
                lam = update(lam, False, rho)
            if lam > 1e32:
                return result(x, f, nit, nfev, False, "damping overflow", history)
        small = norm(delta) <= xtol * (xtol + norm(x))
        x, r, f_old, f = x + delta, r_new, f, f_new
        J = jacobian(x)
        nit += 1
        history.append(f)
        if nielsen:
            lam, nu = max(lam * max(1 / 3, 1 - (2 * rho - 1) ** 3), 1e-30), 2.0
        else:
            lam = max(update(lam, True, rho), 1e-30)
        if f_old - f <= ftol * f_old or small:
            return result(x, f, nit, nfev, True, "converged: ftol or xtol", history)


# Checks of an OptimizeResult, shared by the solvers' properties.


def check_result_fields(name, res, problem, x0, max_iter, inputs, loss=None):
    """fun == loss(x), loss_history[0] == loss(x0), loss_history[-1] == fun, nit <= max_iter, nfev >= nit + 1, a
    non-empty message. `loss(x)` defaults to sum(r(x)**2); losses computed by the solver and by the spec may
    differ by the rounding of a sum of squares (sum_of_squares_slack)."""
    if loss is None:
        def loss(x):
            return loss_of(problem, x)
        slack = sum_of_squares_slack
    else:
        def slack(_):
            return 0.0
    residual_at = (lambda x: problem.residuals(x)) if hasattr(problem, "residuals") else (lambda x: loss(x))
    at_x, at_x0 = loss(res.x), loss(x0)
    expect.close(f"fun of {name}", res.fun, at_x, atol=slack(residual_at(res.x)),
                 why="the loss at the returned x", inputs=inputs)
    expect.close(f"loss_history[0] of {name}", res.loss_history[0], at_x0, atol=slack(residual_at(x0)),
                 why="the loss at x0", inputs=inputs)
    expect.close(f"loss_history[-1] of {name}", res.loss_history[-1], res.fun, why="fun, the loss at the returned x",
                 atol=slack(residual_at(res.x)), inputs=inputs)
    expect.holds(f"nit of {name}", res.nit, res.nit <= max_iter, f"at most max_iter = {max_iter}", inputs=inputs)
    expect.holds(f"nfev of {name}", res.nfev, res.nfev >= res.nit + 1,
                 f"at least nit + 1 = {res.nit + 1} (x0 and every accepted step are evaluated)", inputs=inputs)
    expect.holds(f"message of {name}", repr(res.message), bool(res.message.strip()),
                 "a sentence saying why the run ended", inputs=inputs)
