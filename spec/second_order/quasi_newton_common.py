"""What this chapter's quasi-Newton property modules (test_bfgs.py, test_lbfgs.py) share: strategies for SPD
matrices and curvature pairs, the rounding bounds of the BFGS update, smooth test functions that record their calls,
a trusted BFGS update and two-loop recursion written here, and a small quasi-Newton solver whose steps the mutants
and alternatives override.

Sources: TUM I2DL lecture 6, slides 23-24 (BFGS and L-BFGS among the second-order methods, "only if you can do full
batch updates"); the formulas are Nocedal and Wright, Numerical Optimization (2nd ed.), eq. 6.17 (the BFGS inverse
update), eq. 6.20 (the scaled H_0), Algorithm 7.4 (the two-loop recursion), section 3.1 (the Wolfe conditions).
"""

from __future__ import annotations

from collections import deque
from functools import cache

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import OptimizeResult

from spec import expect
from spec.expect import EPS

U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative

LECTURE = "TUM I2DL lecture 6, slides 23-24 (second-order methods: Newton, BFGS and L-BFGS for full-batch problems)"
BFGS_UPDATE = LECTURE + "; Nocedal and Wright, Numerical Optimization, eq. 6.17 (the BFGS inverse update) and 6.12 (secant)"
TWO_LOOP = LECTURE + "; Nocedal and Wright, Numerical Optimization, Algorithm 7.4 (the L-BFGS two-loop recursion)"
LINE_SEARCH = LECTURE + "; Nocedal and Wright, Numerical Optimization, section 3.1 and Algorithm 6.1 (BFGS with a Wolfe line search)"

MAX_N = 5
COND = 100.0  # SPD matrices here have eigenvalues in [0.1, 10]: condition number <= 100


# Strategies.


def dimensions(min_value: int = 1, max_value: int = MAX_N):
    return st.integers(min_value, max_value)


@cache  # one strategy object per size: building strategies inside every draw is slow
def orthogonal_matrices(n: int):
    """Q of shape (n, n) with Q^T Q = I: the Q of the QR factorization of a Gaussian matrix drawn from a seed
    (Haar-distributed up to signs; a seed keeps hypothesis's generation cheap for n^2 entries)."""
    return st.integers(0, 2**32 - 1).map(lambda seed: np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))[0])


@cache  # one strategy object per size: building strategies inside every draw is slow
def eigenvalue_lists(n: int, low: float, high: float):
    """n eigenvalues in [low, high], often exactly at the ends (so the condition number is often exactly high / low)."""
    values = st.one_of(st.sampled_from([low, high, 1.0]), st.floats(low, high))
    return st.lists(values, min_size=n, max_size=n).map(np.array)


@cache  # one strategy object per size: building strategies inside every draw is slow
def spd_with_eigenvalues(n: int, low: float = 0.1, high: float = 10.0):
    """(M, eigenvalues): M = Q diag(lambda) Q^T, symmetric (exactly) positive definite, eigenvalues in [low, high]."""

    def build(parts):
        lam, Q = parts
        M = (Q * lam) @ Q.T
        return 0.5 * (M + M.T), lam

    return st.tuples(eigenvalue_lists(n, low, high), orthogonal_matrices(n)).map(build)


@cache  # one strategy object per size: building strategies inside every draw is slow
def spd_matrices(n: int, low: float = 0.1, high: float = 10.0):
    """Symmetric positive definite (n, n) matrices with eigenvalues in [low, high]."""
    return spd_with_eigenvalues(n, low, high).map(lambda p: p[0])


STEP_ENTRIES = st.one_of(st.sampled_from([0.0, 1.0, -1.0, 3.0]), st.floats(-3, 3, allow_subnormal=False))


@cache  # one strategy object per size: building strategies inside every draw is slow
def steps(n: int):
    """s of shape (n,), entries in [-3, 3], |s| >= 0.1 (a step that moved)."""
    return hnp.arrays(np.float64, (n,), elements=STEP_ENTRIES).filter(lambda s: np.linalg.norm(s) >= 0.1)


@cache  # one strategy object per size: building strategies inside every draw is slow
def curvature_pairs(n: int, high: float = 10.0):
    """(s, y) with y = A s for an SPD A with eigenvalues in [0.1, high]: the change of gradient along a step s of a
    quadratic (or, by the mean value theorem, of any smooth strictly convex function), so y^T s > 0 and the angle
    between s and y is at most arccos(2 sqrt(k) / (1 + k)), k = high / 0.1 (cos >= 0.198 for k = 100)."""
    return st.tuples(steps(n), spd_matrices(n, 0.1, high)).map(lambda p: (p[0], p[1] @ p[0]))


@cache  # one strategy object per size: building strategies inside every draw is slow
def pair_histories(n: int, max_pairs: int = 4, min_pairs: int = 0):
    """(S, Y) of shape (k, n), oldest pair first, each pair as curvature_pairs gives it."""

    def stack(pairs):
        k = len(pairs)
        return (np.array([p[0] for p in pairs]).reshape(k, n), np.array([p[1] for p in pairs]).reshape(k, n))

    return st.lists(curvature_pairs(n), min_size=min_pairs, max_size=max_pairs).map(stack)


def gammas():
    return st.one_of(st.sampled_from([1.0, 0.5, 2.0]), st.floats(0.1, 10.0))


# The trusted update and two-loop recursion, and their rounding bounds.


def bfgs_product_form(H, s, y):
    """(I - rho s y^T) H (I - rho y s^T) + rho s s^T, rho = 1 / (y^T s): the contract's formula, as written."""
    rho = 1.0 / (y @ s)
    V = np.eye(len(s)) - rho * np.outer(y, s)
    return V.T @ H @ V + rho * np.outer(s, s)


def update_bound(H, s, y):
    """(E, factor): an entrywise bound factor * U * E on the rounding error of any correct way of computing the
    BFGS update of (H, s, y).

    E = |V|^T |H| |V| + kappa rho |s| |s|^T, V = I - rho y s^T, |V| = I + rho |y| |s|^T, kappa = |y|^T |s| / y^T s >= 1:
    every term that the product form sums, and every term of the expanded form
    H + rho^2 (s^T y + y^T H y) s s^T - rho (H y s^T + s y^T H), is bounded entrywise by a part of E (the rho^2 s^T y
    term by kappa rho |s||s|^T). The dot product y^T s is off by n U |y|^T|s| = n U kappa y^T s, so rho is off by
    (n kappa + 1) U relative and rho^2 by twice that; the other dot products and matrix products (y^T H y, H y,
    V^T H V) are off by n U to 2 n U relative to their terms' absolute values; the final sum of at most 5 terms adds
    5 U. A term is thus off by at most (2 n (kappa + 1) + 5) U times its part of E; factor = 2 (2 n (kappa + 1) + 5)
    doubles that for the few roundings not counted (the scalings by 2 and 1/2, symmetrizing).
    """
    n = len(s)
    ys = float(y @ s)
    rho = 1.0 / ys
    kappa = float(np.abs(y) @ np.abs(s)) / ys
    absV = np.eye(n) + rho * np.outer(np.abs(y), np.abs(s))
    E = absV.T @ np.abs(H) @ absV + kappa * rho * np.outer(np.abs(s), np.abs(s))
    return E, 2.0 * (2.0 * n * (kappa + 1.0) + 5.0)


def spec_two_loop(g, S, Y, gamma=None):
    """-H_k g by the two-loop recursion (Nocedal and Wright, Algorithm 7.4), written here; gamma None takes
    s^T y / y^T y of the newest pair (1 without pairs)."""
    k = len(S)
    if gamma is None:
        gamma = float(S[-1] @ Y[-1]) / float(Y[-1] @ Y[-1]) if k else 1.0
    q = np.array(g, dtype=np.float64)
    alpha = np.zeros(k)
    for i in reversed(range(k)):
        alpha[i] = (S[i] @ q) / (Y[i] @ S[i])
        q = q - alpha[i] * Y[i]
    r = gamma * q
    for i in range(k):
        beta = (Y[i] @ r) / (Y[i] @ S[i])
        r = r + (alpha[i] - beta) * S[i]
    return -r


def history_bound(S, Y, gamma):
    """(E_k, factor): an entrywise bound factor * U * E_k on the rounding error of H_k, the BFGS updates of gamma I
    by the pairs in order, however it is computed (matrices or the two-loop recursion applied to a vector).

    E_0 = gamma I, E_{j+1} = |V_j|^T E_j |V_j| + kappa_j rho_j |s_j||s_j|^T: the absolute values of everything the
    product form sums; an error made in update j is carried on by the later updates through |V|^T . |V|, so after k
    updates the errors add up to at most k times the one-update bound of update_bound (with the largest kappa), and
    the final product with g adds (n + 1) U. The two-loop recursion multiplies g by the same factors V_j one at a
    time, each product off by the same relative amounts.
    """
    n = S.shape[1]
    E = gamma * np.eye(n)
    worst = 0.0
    for s, y in zip(S, Y):
        Ej, factor = update_bound(E, s, y)
        E, worst = Ej, max(worst, factor)
    return E, (len(S) + 1) * max(worst, 2.0 * (n + 1))


# Test functions that record their calls.


class Recorded:
    """fun and grad of a test function, keeping a copy of every x fun was called at, with the loss it returned."""

    name = "f"

    def __init__(self):
        self.calls: list = []

    def fun(self, x):
        x = np.array(x, dtype=np.float64)
        value = float(self.value(x))
        self.calls.append((x, value))
        return value

    def grad(self, x):
        return self.gradient(np.array(x, dtype=np.float64))

    def fresh(self):
        """The same function with an empty record (hypothesis may run one example twice)."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.calls = []
        return other

    def __repr__(self):
        return self.name


class Quadratic(Recorded):
    """f(x) = 1/2 (x - c)^T A (x - c) with A SPD: strictly convex, minimizer c, Hessian A, minimum 0 (no constant, so
    near c the loss is computed to a small relative error and a line search can still see it fall)."""

    def __init__(self, A, c):
        super().__init__()
        self.A, self.c = A, c
        self.name = f"1/2 (x - c)^T A (x - c) with A = {np.array2string(A, precision=4)}, c = {np.array2string(c, precision=4)}"

    def value(self, x):
        e = x - self.c
        return 0.5 * e @ (self.A @ e)

    def gradient(self, x):
        return self.A @ (x - self.c)

    def gradient_error(self, x):
        """An entrywise bound on the rounding error of gradient(x): x - c off by U |x - c|, the product by
        (n + 1) U |A| |x - c| more."""
        return (len(x) + 2) * U * (np.abs(self.A) @ (np.abs(x) + np.abs(self.c)))


class Rosenbrock(Recorded):
    """f(x) = 100 (x2 - x1^2)^2 + (1 - x1)^2: the banana valley, minimum 0 at (1, 1), Hessian there
    [[802, -400], [-400, 200]], whose inverse is [[0.5, 1], [1, 2.005]] (max row sum 3.005)."""

    name = "Rosenbrock 100 (x2 - x1^2)^2 + (1 - x1)^2"
    MINIMIZER = np.array([1.0, 1.0])
    START = np.array([-1.2, 1.0])
    INVERSE_HESSIAN = np.array([[0.5, 1.0], [1.0, 2.005]])

    def value(self, x):
        return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2

    def gradient(self, x):
        return np.array([-400.0 * x[0] * (x[1] - x[0] ** 2) - 2.0 * (1.0 - x[0]), 200.0 * (x[1] - x[0] ** 2)])


class Lorentzian(Recorded):
    """f(x) = sum log(1 + (x_i - 1)^2): smooth, not convex where |x_i - 1| > 1 (there a step can have y^T s < 0),
    its only stationary point the minimizer (1, ..., 1) with Hessian 2 I, and bounded level sets, so a method whose
    every step lowers f converges to it."""

    name = "sum log(1 + (x_i - 1)^2)"

    def value(self, x):
        return np.sum(np.log1p((x - 1.0) ** 2))

    def gradient(self, x):
        return 2.0 * (x - 1.0) / (1.0 + (x - 1.0) ** 2)


@cache  # one strategy object per size: building strategies inside every draw is slow
def lorentzian_starts():
    """x0 in [-6, 6]^n, n in [1, 4]: often where f is not convex."""
    return dimensions(1, 4).flatmap(lambda n: hnp.arrays(np.float64, (n,), elements=st.floats(-6, 6)))


# Entries 0 or of magnitude in [1e-3, 5]: a magnitude like 1e-151 would underflow in the squares of an update.
ENTRIES = st.floats(-5, 5, allow_subnormal=False).map(lambda v: v if abs(v) >= 1e-3 else 0.0)


@cache  # one strategy object per size: building strategies inside every draw is slow
def points(n: int):
    """x of shape (n,), entries 0, 1, -5 or in [-5, 5] (magnitude >= 1e-3)."""
    return hnp.arrays(np.float64, (n,), elements=st.one_of(st.sampled_from([0.0, 1.0, -5.0]), ENTRIES))


@cache  # one strategy object per size: building strategies inside every draw is slow
def quadratics(min_n: int = 1, max_n: int = MAX_N, low: float = 0.1, high: float = 10.0):
    """(Quadratic, x0, eigenvalues of A): A SPD with eigenvalues in [low, high], c and x0 in [-5, 5]^n."""

    def build(parts):
        (A, lam), c, x0 = parts
        return Quadratic(A, c), x0, lam

    return dimensions(min_n, max_n).flatmap(
        lambda n: st.tuples(spd_with_eigenvalues(n, low, high), points(n), points(n)).map(build))


def iterates(problem: Recorded, x0, loss_history):
    """The iterates x_0 = x0, x_1, ..., x_K: for each k >= 1, the first point fun was called at (after x_{k-1}'s
    call) whose loss is exactly loss_history[k]. None where no call matches (loss_history[k] is then not the loss at
    any point the solver evaluated)."""
    points = [np.array(x0, dtype=np.float64)]
    start = 0
    for k in range(1, len(loss_history)):
        found = next((i for i in range(start, len(problem.calls)) if problem.calls[i][1] == loss_history[k]), None)
        if found is None:
            return points, k
        points.append(problem.calls[found][0])
        start = found
    return points, None


# A correct quasi-Newton solver written here, whose steps mutants and alternatives override.


class SpecQuasiNewton:
    """BFGS (memory None, the full matrix H) or L-BFGS (the last `memory` pairs, deques), with Armijo backtracking
    from a = 1 (halving, c1 = 1e-4) and a curvature check: a pair with y^T s <= 0 is not used.

    H_0 = I for BFGS, unscaled (the contract allows it); L-BFGS scales by the newest pair.
    """

    C1 = 1e-4
    MAX_HALVINGS = 60
    RESTART = True  # restart from -g when the direction is not a descent direction

    def __init__(self, memory=None):
        self.memory = memory

    # Steps.

    def start(self, n):
        self.H = np.eye(n)
        self.S, self.Y = deque(maxlen=self.memory or 1), deque(maxlen=self.memory or 1)

    def direction(self, g):
        if self.memory is None:
            return -self.H @ g
        S = np.array(self.S).reshape(len(self.S), len(g))
        Y = np.array(self.Y).reshape(len(self.Y), len(g))
        return spec_two_loop(g, S, Y)

    def line_search(self, fun, grad, x, f, g, d):
        """(x_new, f_new, g_new, evaluations), or None when no halving lowered the loss."""
        slope = float(g @ d)
        alpha = 1.0
        for i in range(self.MAX_HALVINGS):
            x_new = x + alpha * d
            f_new = fun(x_new)
            if np.isfinite(f_new) and f_new <= f + self.C1 * alpha * slope and f_new < f:
                return x_new, f_new, grad(x_new), i + 1
            alpha *= 0.5
        return None

    def curvature_ok(self, s, y):
        return float(y @ s) > 0

    def update(self, s, y):
        if self.memory is None:
            self.H = bfgs_product_form(self.H, s, y)
        else:
            self.S.append(s)
            self.Y.append(y)

    def converged(self, g, gtol):
        return np.max(np.abs(g)) <= gtol

    def result(self, x, f, g, nit, nfev, success, history):
        message = "max|grad| <= gtol" if success else "stopped before max|grad| <= gtol"
        result = OptimizeResult(x=x, fun=f, nit=nit, nfev=nfev, success=success, message=message,
                                loss_history=np.array(history))
        if self.memory is None:
            result.hess_inv = self.H
        return result

    # The loop.

    def __call__(self, fun, grad, x0, gtol, max_iter):
        x = np.array(x0, dtype=np.float64)
        f, g = fun(x), grad(x)
        nfev, history = 1, [f]
        self.start(len(x))
        success = False
        for nit in range(max_iter + 1):
            if self.converged(g, gtol):
                success = True
                break
            if nit == max_iter:
                break
            d = self.direction(g)
            if self.RESTART and not g @ d < 0:  # not a descent direction: restart from -g
                self.start(len(x))
                d = -g
            found = self.line_search(fun, grad, x, f, g, d)
            if found is None:
                break
            x_new, f_new, g_new, evaluations = found
            nfev += evaluations
            s, y = x_new - x, g_new - g
            if self.curvature_ok(s, y):
                self.update(s, y)
            x, f, g = x_new, f_new, g_new
            history.append(f)
        return self.result(x, f, g, len(history) - 1, nfev, success, history)


def as_bfgs(solver_class):
    """A bfgs(fun, grad, x0, gtol, max_iter) that runs a fresh solver_class() each call."""

    def bfgs(fun, grad, x0, gtol=1e-8, max_iter=1000):
        return solver_class()(fun, grad, x0, gtol, max_iter)

    bfgs.__doc__ = solver_class.__doc__
    bfgs.__name__ = solver_class.__name__
    return bfgs


def as_lbfgs(solver_class):
    """An lbfgs(fun, grad, x0, m, gtol, max_iter) that runs a fresh solver_class(m) each call."""

    def lbfgs(fun, grad, x0, m=10, gtol=1e-8, max_iter=1000):
        return solver_class(m)(fun, grad, x0, gtol, max_iter)

    lbfgs.__doc__ = solver_class.__doc__
    lbfgs.__name__ = solver_class.__name__
    return lbfgs


# Checks shared by the properties of bfgs and lbfgs.


def result_inputs(problem, x0, **more):
    return {"function": repr(problem), "x0": x0, **more}


def check_fields(name, result, problem, x0, gtol, max_iter):
    """The OptimizeResult's entries agree with each other and with the loss (module newton's conventions)."""
    inputs = result_inputs(problem, x0, gtol=gtol, max_iter=max_iter, nit=result.nit, message=result.message)
    history = np.asarray(result.loss_history, dtype=np.float64)
    # fun, grad and loss are deterministic: the same x gives the same float, so these are exact.
    expect.equal(f"{name}(...).fun", result.fun, problem.value(np.array(result.x)),
                 why="the loss at the returned x (fun == loss(x))", inputs=inputs)
    expect.equal(f"{name}(...).loss_history[0]", history[0], problem.value(np.array(x0)),
                 why="the loss at x0", inputs=inputs)
    expect.equal(f"{name}(...).loss_history[-1]", history[-1], result.fun, why="fun, the loss at the returned x",
                 inputs=inputs)
    expect.holds(f"{name}(...).nit", np.array(result.nit), result.nit <= max_iter, f"<= max_iter = {max_iter}",
                 inputs=inputs)
    if result.success:
        worst = float(np.max(np.abs(problem.gradient(np.array(result.x)))))
        expect.holds("max|grad(x)| at the x of a run with success=True", np.array(worst), worst <= gtol,
                     f"<= gtol = {gtol} (success means the convergence test max|grad| <= gtol was met)",
                     inputs=inputs)


def check_monotone(name, result, problem, x0):
    """loss_history never increases: every accepted step has f(x_{k+1}) <= f(x_k) (the line search's sufficient
    decrease). Compared exactly: the entries are the losses the solver itself computed."""
    history = np.asarray(result.loss_history, dtype=np.float64)
    rises = np.diff(history)
    expect.holds(f"the change of {name}(...).loss_history from iteration k to k + 1", rises, rises <= 0,
                 "<= 0: the line search accepts only steps that do not raise the loss",
                 inputs=result_inputs(problem, x0, loss_history=history))


def check_quadratic_minimizer(name, result, problem, x0, gtol):
    """On f = 1/2 (x - c)^T A (x - c) the solver succeeds and x is within ||A^-1||_inf (gtol + delta) of c.

    x - c = A^{-1} grad(x) exactly; the solver saw grad(x) computed with an error of at most delta =
    gradient_error(x) entrywise and stopped at max|computed grad| <= gtol, so max|grad(x)| <= gtol + max delta and
    max|x - c| <= ||A^{-1}||_inf (gtol + max delta). ||A^{-1}||_inf is computed from inv(A) (cond(A) <= 100: off by
    far less than the factor 1.01 allowed for it)."""
    inputs = result_inputs(problem, x0, gtol=gtol, nit=result.nit, message=result.message)
    expect.equal(f"{name}(...).success", float(bool(result.success)), 1.0,
                 why="True: a strictly convex quadratic's minimizer is reached within max_iter = 1000", inputs=inputs)
    x = np.array(result.x)
    bound = 1.01 * np.abs(np.linalg.inv(problem.A)).sum(axis=1).max() * (gtol + problem.gradient_error(x).max())
    expect.close(f"{name}(...).x", x, problem.c, atol=bound, why="the minimizer c, where A (x - c) = 0",
                 inputs=inputs)


def check_lorentzian(name, result, problem, x0, gtol):
    """On sum log(1 + (x_i - 1)^2) the solver reaches (1, ..., 1): the Hessian there is 2 I, so
    max|x - 1| <= gtol / 2 (1 + o(1)); the factor 2 covers the o(1) and the gradient's rounding (<= 4 U, far below
    gtol)."""
    inputs = result_inputs(problem, x0, gtol=gtol, nit=result.nit, message=result.message)
    expect.equal(f"{name}(...).success", float(bool(result.success)), 1.0,
                 why="True: every step that lowers this loss leads to its only stationary point", inputs=inputs)
    expect.close(f"{name}(...).x", np.array(result.x), np.ones(len(x0)), atol=gtol,
                 why="the minimizer (1, ..., 1)", inputs=inputs)


def check_rosenbrock(name, result, problem, gtol):
    """From the standard start (-1.2, 1) the solver reaches (1, 1): near it x - x* = H*^{-1} grad(x) to first order,
    max row sum of H*^{-1} = 3.005, so max|x - x*| <= 3.005 gtol (1 + o(1)); the factor 2 covers the o(1) (the
    Hessian changes by a relative 1e-5 over |x - x*| <= 1e-7) and the gradient's rounding near (1, 1)
    (|grad| error <= 400 * 8 U = 4e-13, far below gtol)."""
    inputs = result_inputs(problem, problem.START, gtol=gtol, nit=result.nit, message=result.message)
    expect.equal(f"{name}(...).success", float(bool(result.success)), 1.0,
                 why="True: Rosenbrock's minimum is reached from (-1.2, 1) within max_iter = 1000", inputs=inputs)
    expect.close(f"{name}(...).x", np.array(result.x), problem.MINIMIZER, atol=2 * 3.005 * gtol,
                 why="the minimizer (1, 1)", inputs=inputs)


# The iterates' directions. A step s_k = x_{k+1} - x_k is a positive multiple of the quasi-Newton direction d_k
# (the line search only chooses its length). Both s_k and the d_k recomputed here from the recorded iterates carry
# rounding: s_k's entries are off by U (|x_k| + |x_{k+1}|), the pairs' y_j (gradient differences) by
# gradient_error at both ends. Only the first iterations, while every pair's relative error is <= CLEAN = 1e-10,
# are checked. With A's eigenvalues in [1, 10] every pair has rho |y| |s| <= (1 + 10) / (2 sqrt(10)) = 1.74, so each
# of the k <= 6 updates multiplies a relative error by at most |V|^2 <= 2.74^2 = 7.5 (and H_k's condition number
# bounds the rest by 10^2 * 7.5^6 < 2e7): the unit directions agree within 2e7 * 1e-10 * (a few) < DIRECTION_TOL =
# 1e-2 in the worst case the bound allows; in practice they agree to 1e-8 while a wrong direction (s and y swapped,
# the loops reversed, the oldest pairs kept) is off by 0.1 to 1.
CLEAN = 1e-10
DIRECTION_TOL = 1e-2
CHECKED_STEPS = 6


def clean_pairs(problem, points):
    """The pairs (s_j, y_j) of the iterates, as long as each is computed to a relative error <= CLEAN."""
    S, Y = [], []
    for a, b in zip(points[:-1], points[1:]):
        s, y = b - a, problem.gradient(b) - problem.gradient(a)
        ds = U * np.linalg.norm(np.abs(a) + np.abs(b))
        dy = np.linalg.norm(problem.gradient_error(a) + problem.gradient_error(b))
        if not (ds <= CLEAN * np.linalg.norm(s) and dy <= CLEAN * np.linalg.norm(y)):
            break
        S.append(s)
        Y.append(y)
    return S, Y


def check_steps_follow(name, result, problem, x0, expected_directions, what):
    """Each of the first steps is a positive multiple of one of expected_directions(g_k, S[:k], Y[:k])."""
    points, missing = iterates(problem, x0, np.asarray(result.loss_history, dtype=np.float64))
    inputs = result_inputs(problem, x0, loss_history=np.asarray(result.loss_history))
    if missing is not None:
        expect.fail(f"{name}(...).loss_history[{missing}] = {result.loss_history[missing]!r} is not the loss at any "
                    "point where fun was called after the previous iterate: loss_history must hold the loss at "
                    "each iterate", inputs)
    S, Y = clean_pairs(problem, points)
    n = len(x0)
    for k in range(min(len(S), CHECKED_STEPS)):
        g = problem.gradient(points[k])
        step = S[k] / np.linalg.norm(S[k])
        candidates = [d / np.linalg.norm(d) for d in expected_directions(g, np.array(S[:k]).reshape(k, n),
                                                                       np.array(Y[:k]).reshape(k, n))]
        errors = [float(np.max(np.abs(step - d))) for d in candidates]
        best = candidates[int(np.argmin(errors))]
        expect.close(f"the direction of step {k} of {name}, (x_{k + 1} - x_{k}) / |x_{k + 1} - x_{k}|", step, best,
                     atol=DIRECTION_TOL, why=what(k), inputs={**inputs, "x_k": points[k], "x_k+1": points[k + 1]})
