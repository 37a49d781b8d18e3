"""Quasi-Newton methods: BFGS and L-BFGS (contract: spec/contract/quasi_newton.py; I2DL lecture 6).

- ``bfgs_update`` applies the BFGS inverse update in its expanded form,
  H + (s^T y + y^T H y) s s^T / (s^T y)^2 - (H y s^T + s y^T H) / (s^T y), which costs O(n^2) (the product form
  (I - rho s y^T) H (I - rho y s^T) + rho s s^T costs two matrix products, O(n^3)) and is symmetrized at the end,
  so that rounding never makes H_new asymmetric.
- ``lbfgs_direction`` is the two-loop recursion (Nocedal and Wright, Numerical Optimization, Algorithm 7.4).
- ``bfgs`` and ``lbfgs`` share one loop; the step length comes from a line search written here for the strong Wolfe
  conditions (Nocedal and Wright, Algorithms 3.5 and 3.6: sufficient decrease f(x + a d) <= f(x) + c1 a g^T d and
  curvature |grad(x + a d)^T d| <= c2 |g^T d|, c1 = 1e-4, c2 = 0.9). The curvature condition makes y^T s > 0, so
  the updated H stays positive definite; scipy.optimize.line_search would do too, but it returns None when it fails
  instead of the best point with sufficient decrease it found, and its nfev counting differs from this contract's.
  Before the first update H_0 = I is scaled by y^T s / y^T y (Nocedal and Wright, eq. 6.20), so the first BFGS
  step is not one of length |g| along -g; the first line search starts at a = min(1, 1 / max|g|) for that reason.

Malformed input raises a ValueError naming the argument: H not a square matrix matching s and y, s or y not vectors,
y^T s <= 0, histories that are not (k, n) matrices matching g or have a pair with y_i^T s_i <= 0, gamma not a
positive number, x0 not a non-empty vector, fun(x0) not a finite number, grad(x0) not of x0's shape, gtol < 0,
max_iter < 0, m < 1.
"""

from collections import deque

import numpy as np
from scipy.optimize import OptimizeResult

from impl import _validate

C1, C2 = 1e-4, 0.9  # the Wolfe constants for quasi-Newton methods (Nocedal and Wright, section 3.1)
MAX_LINE_SEARCH = 40  # trial points per line search: the bracket shrinks by >= 10% each zoom step


def _vector(name, value, n=None, against=""):
    value = _validate.real_array(name, value)
    if value.ndim != 1 or (n is not None and value.shape[0] != n):
        expected = "(n,)" if n is None else f"(n,) = ({n},){against}"
        raise ValueError(f"{name} must have shape {expected}, got shape {value.shape}")
    return value


def _update(H, s, y, ys):
    """The BFGS inverse update, expanded: no n x n products, symmetric by construction."""
    rho = 1.0 / ys
    Hy = H @ y
    H_new = H + (rho * rho * (ys + y @ Hy)) * np.outer(s, s) - rho * (np.outer(Hy, s) + np.outer(s, Hy))
    return 0.5 * (H_new + H_new.T)


def bfgs_update(H, s, y):
    """H_new = (I - rho s y^T) H (I - rho y s^T) + rho s s^T, rho = 1 / (y^T s); see the contract."""
    H = _validate.matrix("H", H, "(n, n)")
    if H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a square matrix of shape (n, n), got shape {H.shape}")
    n = H.shape[0]
    against = f" to match H of shape {H.shape}"
    s = _vector("step s", s, n, against)
    y = _vector("gradient change y", y, n, against)
    ys = float(y @ s)
    if not ys > 0:
        raise ValueError(f"the pair (s, y) must have y^T s > 0 (the curvature condition), got y^T s = {ys!r}")
    return _update(H, s, y, ys)


def _two_loop(g, S, Y, gamma):
    """-H_k g by the two-loop recursion over the pairs S[i], Y[i] (oldest first), H_0 = gamma I."""
    k = len(S)
    rho = [1.0 / float(Y[i] @ S[i]) for i in range(k)]
    alpha = [0.0] * k
    q = np.array(g, dtype=np.float64)  # a copy: g is the caller's
    for i in range(k - 1, -1, -1):  # newest to oldest
        alpha[i] = rho[i] * float(S[i] @ q)
        q -= alpha[i] * Y[i]
    r = gamma * q
    for i in range(k):  # oldest to newest
        beta = rho[i] * float(Y[i] @ r)
        r += (alpha[i] - beta) * S[i]
    return -r


def lbfgs_direction(g, s_history, y_history, gamma=None):
    """-H_k g by the two-loop recursion; gamma None takes s^T y / y^T y of the newest pair (1 without pairs)."""
    g = _vector("gradient g", g)
    n = g.shape[0]
    S = _validate.matrix("s_history", s_history, "(k, n)")
    Y = _validate.matrix("y_history", y_history, "(k, n)")
    if S.shape[1] != n:
        raise ValueError(f"s_history must have shape (k, n) = (k, {n}) to match g of shape {g.shape}, got {S.shape}")
    if Y.shape != S.shape:
        raise ValueError(f"y_history must have the shape of s_history, {S.shape}, got {Y.shape}")
    ys = np.einsum("ij,ij->i", Y, S)
    if not (ys > 0).all():
        i = int(np.argmin(ys > 0))
        raise ValueError(f"every pair must have y_i^T s_i > 0 (the curvature condition), got {float(ys[i])!r} at pair {i}")
    if gamma is None:
        gamma = float(ys[-1] / (Y[-1] @ Y[-1])) if len(S) else 1.0
    else:
        gamma = _validate.real_number("gamma", gamma)
        if not gamma > 0:
            raise ValueError(f"gamma must be > 0 (H_0 = gamma I is positive definite), got {gamma!r}")
    return _two_loop(g, S, Y, gamma)


class _Problem:
    """fun and grad at x, validated at x0, counting the evaluations of fun."""

    def __init__(self, fun, grad, x0):
        if not callable(fun):
            raise ValueError(f"fun must be a function of x, got {type(fun).__name__}")
        if not callable(grad):
            raise ValueError(f"grad must be a function of x, got {type(grad).__name__}")
        self.fun, self.grad, self.nfev = fun, grad, 0
        self.x0 = _vector("x0", x0)
        if self.x0.shape[0] == 0:
            raise ValueError("x0 must hold at least one parameter (n >= 1), got shape (0,)")
        self.x0 = self.x0.copy()
        try:
            f0 = _validate.real_number("fun(x0)", self.f(self.x0))
        except ValueError as exc:
            raise ValueError(f"{exc} (fun must return the loss at x0 as a finite float)") from None
        g0 = self.g(self.x0)
        if g0.shape != self.x0.shape or not np.isfinite(g0).all():
            raise ValueError(f"grad(x0) must be a finite array of x0's shape {self.x0.shape}, got shape {g0.shape}")
        self.f0, self.g0 = f0, g0

    def f(self, x):
        self.nfev += 1
        value = self.fun(x.copy())
        return float(value) if np.ndim(value) == 0 else value

    def g(self, x):
        return np.asarray(self.grad(x.copy()), dtype=np.float64)


def _wolfe_line_search(problem, x, f0, g0, d, alpha1):
    """A step length a > 0 with f(x + a d) < f0, satisfying the strong Wolfe conditions when it can (Nocedal and
    Wright, Algorithms 3.5 and 3.6, with safeguarded quadratic / cubic interpolation in the zoom).

    Returns (alpha, x_new, f_new, g_new), or None when no trial point lowered the loss.
    """
    dphi0 = float(g0 @ d)
    evals = 0

    def phi(alpha):
        nonlocal evals
        evals += 1
        x_new = x + alpha * d
        f = problem.f(x_new)
        return x_new, (f if np.isfinite(f) else np.inf)

    def armijo(alpha, f):
        return f <= f0 + C1 * alpha * dphi0 and f < f0

    best = None  # the lowest trial point with sufficient decrease: (alpha, x, f, g)

    def zoom(lo, f_lo, dphi_lo, hi, f_hi, dphi_hi):
        nonlocal best
        while evals < MAX_LINE_SEARCH:
            width = hi - lo
            alpha = _interpolate(lo, f_lo, dphi_lo, hi, f_hi, dphi_hi)
            low_end, high_end = sorted((lo + 0.1 * width, hi - 0.1 * width))
            if not low_end <= alpha <= high_end:  # outside the bracket's middle 80%, or NaN: bisect
                alpha = lo + 0.5 * width
            x_new, f = phi(alpha)
            if not armijo(alpha, f) or f >= f_lo:
                hi, f_hi, dphi_hi = alpha, f, None
                continue
            g = problem.g(x_new)
            dphi = float(g @ d)
            if best is None or f < best[2]:
                best = (alpha, x_new, f, g)
            if abs(dphi) <= -C2 * dphi0:
                return alpha, x_new, f, g
            if dphi * (hi - lo) >= 0:
                hi, f_hi, dphi_hi = lo, f_lo, dphi_lo
            lo, f_lo, dphi_lo = alpha, f, dphi
        return best

    alpha_prev, f_prev, dphi_prev = 0.0, f0, dphi0
    alpha = alpha1
    while evals < MAX_LINE_SEARCH:
        x_new, f = phi(alpha)
        if not armijo(alpha, f) or (alpha_prev > 0 and f >= f_prev):
            return zoom(alpha_prev, f_prev, dphi_prev, alpha, f, None)
        g = problem.g(x_new)
        dphi = float(g @ d)
        if best is None or f < best[2]:
            best = (alpha, x_new, f, g)
        if abs(dphi) <= -C2 * dphi0:
            return alpha, x_new, f, g
        if dphi >= 0:
            return zoom(alpha, f, dphi, alpha_prev, f_prev, dphi_prev)
        alpha_prev, f_prev, dphi_prev = alpha, f, dphi
        alpha *= 4.0  # still going down steeply: expand
    return best


def _interpolate(lo, f_lo, dphi_lo, hi, f_hi, dphi_hi):
    """The minimizer of the cubic through both ends' values and slopes, or of the quadratic through f_lo, dphi_lo
    and f_hi when the slope at hi is unknown (NaN when neither has an interior minimum)."""
    h = hi - lo
    if dphi_hi is None or not np.isfinite(f_hi):
        if not np.isfinite(f_hi):
            return np.nan
        curvature = f_hi - f_lo - dphi_lo * h  # = c h^2 of f_lo + dphi_lo t + c t^2
        return lo - dphi_lo * h * h / (2.0 * curvature) if curvature > 0 else np.nan
    d1 = dphi_lo + dphi_hi - 3.0 * (f_lo - f_hi) / (lo - hi)
    radicand = d1 * d1 - dphi_lo * dphi_hi
    if radicand < 0:
        return np.nan
    d2 = np.copysign(np.sqrt(radicand), h)
    denominator = dphi_hi - dphi_lo + 2.0 * d2
    if denominator == 0:
        return np.nan
    return hi - h * (dphi_hi + d2 - d1) / denominator


def _minimize(fun, grad, x0, gtol, max_iter, memory):
    """The quasi-Newton loop: memory None keeps the full matrix H (BFGS), else the last `memory` pairs (L-BFGS)."""
    gtol = _validate.real_number("gtol", gtol, minimum=0.0)
    max_iter = _validate.count("max_iter", max_iter, 0)
    problem = _Problem(fun, grad, x0)
    x, f, g = problem.x0, problem.f0, problem.g0
    n = x.shape[0]
    H = np.eye(n)  # BFGS: the inverse-Hessian approximation, scaled before the first update
    pairs = deque(maxlen=memory or 1)  # L-BFGS: (s, y), oldest first
    updated = False
    history = [f]
    nit, success, message = 0, False, "Maximum number of iterations reached (max_iter)."
    while True:
        if np.max(np.abs(g)) <= gtol:
            success, message = True, "Optimization terminated successfully: max|grad| <= gtol."
            break
        if nit >= max_iter:
            break
        if memory is None:
            d = -(H @ g)
        else:
            S, Y = (np.array([p[i] for p in pairs]).reshape(len(pairs), n) for i in (0, 1))
            gamma = float(Y[-1] @ S[-1]) / float(Y[-1] @ Y[-1]) if pairs else 1.0
            d = _two_loop(g, S, Y, gamma)
        if not g @ d < 0:  # rounding made H indefinite along g: restart from steepest descent
            H, updated = np.eye(n), False
            pairs.clear()
            d = -g
        alpha1 = 1.0 if updated else min(1.0, 1.0 / np.max(np.abs(g)))
        found = _wolfe_line_search(problem, x, f, g, d, alpha1)
        if found is None:
            success, message = False, "The line search found no lower loss along the direction (precision loss)."
            break
        _, x_new, f_new, g_new = found
        s, y = x_new - x, g_new - g
        ys = float(y @ s)
        if ys > 0:  # the curvature condition: a pair with y^T s <= 0 would make H indefinite, so it is skipped
            if memory is None:
                if not updated:
                    H = (ys / float(y @ y)) * np.eye(n)  # Nocedal and Wright, eq. 6.20
                H = _update(H, s, y, ys)
            else:
                pairs.append((s, y))
            updated = True
        x, f, g = x_new, f_new, g_new
        nit += 1
        history.append(f)
    result = OptimizeResult(x=x, fun=f, nit=nit, nfev=problem.nfev, success=success, message=message,
                            loss_history=np.array(history), jac=g)
    if memory is None:
        result.hess_inv = H
    return result


def bfgs(fun, grad, x0, gtol=1e-8, max_iter=1000):
    """BFGS with the inverse-Hessian approximation H; see the contract."""
    return _minimize(fun, grad, x0, gtol, max_iter, None)


def lbfgs(fun, grad, x0, m=10, gtol=1e-8, max_iter=1000):
    """L-BFGS keeping the last m pairs (s, y); see the contract."""
    m = _validate.count("m", m, 1)
    return _minimize(fun, grad, x0, gtol, max_iter, m)
