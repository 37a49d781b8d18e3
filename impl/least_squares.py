"""Nonlinear least squares (contract: spec/contract/least_squares.py): Gauss-Newton, Levenberg and
Levenberg-Marquardt on loss(x) = sum(r(x)**2).

The steps are least-squares solutions, never solutions of the normal equations formed explicitly (forming J^T J
squares the condition number):

- Gauss-Newton: delta minimizes ||J delta + r||, np.linalg.lstsq (an SVD, safe also when J is rank deficient);
- damped: delta minimizes ||J delta + r||^2 + lambda delta^T D delta, the least-squares solution of the stacked
  system [J; sqrt(lambda D)] delta = [-r; 0], whose normal equations are (J^T J + lambda D) delta = -J^T r.

Levenberg and Levenberg-Marquardt share one loop, Moré's (MINPACK's lmder) written with lambda: in the scaled
coordinates z = D^1/2 x the damping is lambda I, and the solver keeps a trust radius for ||D^1/2 delta||.

- D: I for Levenberg; for Marquardt the running maximum of diag(J^T J) over the iterates (diag(J^T J) at x0, a
  column that is 0 there taken as 1), so that a column that vanishes later cannot make D singular.
- Steps: one SVD of J D^-1/2 = U S V^T per iterate gives the damped step for every lambda, D^1/2 delta =
  -V S (S^2 + lambda)^-1 U^T r, with no J^T J formed; the first trial uses lambda = damping, and its scaled length is
  the first radius. Later lambdas are the smallest >= 0 whose step is as long as the radius (within 10%; lambda = 0,
  the Gauss-Newton step, when that one is shorter), by Newton's method on 1 / ||D^1/2 delta(lambda)||.
- The gain ratio rho = (f - f_new) / (f - ||r + J delta||^2), the actual over the predicted reduction (the predicted
  one computed as ||J delta||^2 + 2 lambda ||D^1/2 delta||^2, which is never negative): rho <= 1/4 multiplies the
  radius by 0.1 to 0.5 (by a quadratic interpolation of the loss along delta when it rose), rho >= 3/4 (or lambda = 0)
  sets it to 2 ||D^1/2 delta||. A trial is accepted only when f_new < f: loss_history strictly decreases.
- Convergence: gtol, max|J^T r| <= gtol at each iterate; after every trial, ftol: the actual and the predicted relative
  reductions are both <= ftol (and rho <= 2), or xtol: ||D^1/2 delta|| <= xtol ||D^1/2 x||. A run also ends, without
  success, when a trial no longer changes x in float64 or lambda exceeds 1e32 (only reachable with xtol = 0).
"""

import numpy as np
from numpy.linalg import norm

from impl import _validate
from impl.newton import array_value, function, result, start, tolerance

MAX_DAMPING = 1e32  # beyond it every step underflows against x: the run ends (only reachable with xtol = 0)


def _residuals_and_jacobian(r, J):
    r = _validate.real_array("residuals r", r)
    if r.ndim != 1:
        raise ValueError(f"residuals r must have shape (m,), got shape {r.shape}")
    J = _validate.matrix("Jacobian J", J, "(m, n)")
    if J.shape[0] != r.shape[0]:
        raise ValueError(f"Jacobian J must have shape (m, n) with m = {r.shape[0]} rows to match r, got {J.shape}")
    if J.shape[1] == 0:
        raise ValueError(f"Jacobian J must have at least one column (n >= 1), got shape {J.shape}")
    return r, J


def _lstsq(A, b):
    return np.linalg.lstsq(A, b, rcond=None)[0]


def _gn_step(r, J):
    return _lstsq(J, -r)


def _damped_step(r, J, damping, marquardt):
    n = J.shape[1]
    d = np.einsum("ij,ij->j", J, J) if marquardt else np.ones(n)  # diag(J^T J) = squared column norms
    A = np.vstack([J, np.diag(np.sqrt(damping * d))])
    return _lstsq(A, np.concatenate([-r, np.zeros(n)]))


def gauss_newton_step(r, J):
    r, J = _residuals_and_jacobian(r, J)
    return _gn_step(r, J)


def levenberg_marquardt_step(r, J, damping, marquardt=True):
    r, J = _residuals_and_jacobian(r, J)
    damping = _validate.real_number("damping", damping)
    if not damping > 0:
        raise ValueError(f"damping must be > 0, got {damping!r}")
    if not isinstance(marquardt, (bool, np.bool_)):
        raise ValueError(f"marquardt must be True or False, got {marquardt!r}")
    return _damped_step(r, J, damping, bool(marquardt))


class _Problem:
    """r(x) and J(x) with their shapes checked, counting the evaluations of r."""

    def __init__(self, residuals, jacobian, x0):
        self.residuals, self.jacobian = function("residuals", residuals), function("jacobian", jacobian)
        self.nfev = 0
        self.m = None
        self.n = x0.size

    def r(self, x):
        r = array_value("residuals", self.residuals(x.copy()), (self.m,))
        self.m = r.shape[0]
        self.nfev += 1
        return r

    def J(self, x):
        return array_value("jacobian", self.jacobian(x.copy()), (self.m, self.n))


def _settings(ftol, xtol, gtol, max_iter):
    return tolerance("ftol", ftol), tolerance("xtol", xtol), tolerance("gtol", gtol), \
        _validate.count("max_iter", max_iter, 0)


def _small_step(delta, x, xtol):
    return norm(delta) <= xtol * (xtol + norm(x))


def gauss_newton(residuals, jacobian, x0, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=100):
    x = start(x0)
    problem = _Problem(residuals, jacobian, x)
    ftol, xtol, gtol, max_iter = _settings(ftol, xtol, gtol, max_iter)
    r = problem.r(x)
    f = float(r @ r)
    nit, history = 0, [f]
    success, message = False, f"the iteration limit max_iter = {max_iter} was reached before convergence"
    while True:
        J = problem.J(x)
        if np.max(np.abs(J.T @ r)) <= gtol:
            success, message = True, "converged: max|J^T r| <= gtol"
            break
        if nit >= max_iter:
            break
        delta = _gn_step(r, J)
        x_new = x + delta
        r_new = problem.r(x_new)
        f_new = float(r_new @ r_new)
        if not np.isfinite(f_new):
            message = "the Gauss-Newton step led to residuals that are not finite"
            break
        x, r, f_old, f = x_new, r_new, f, f_new
        nit += 1
        history.append(f)
        if abs(f_old - f) <= ftol * f_old:
            success, message = True, "converged: the loss changed by less than ftol * loss"
            break
        if _small_step(delta, x - delta, xtol):
            success, message = True, "converged: the step was shorter than xtol * (xtol + |x|)"
            break
    return result(x, f, nit, problem.nfev, success, message, history)


def _scaled_step(sigma, b, lam):
    """The damped step in the scaled coordinates: coefficients on V of -(S^T S + lam I)^-1 S^T b, i.e. -sigma b /
    (sigma^2 + lam) (0 where sigma = 0: the minimum-norm solution when lam = 0)."""
    q = sigma**2 + lam
    return -np.divide(sigma * b, q, out=np.zeros_like(b), where=sigma > 0)


def _damping_for_radius(sigma, b, radius):
    """The smallest lambda >= 0 whose scaled step is at most 1.1 radius long, within 10% of radius: lambda = 0 (the
    Gauss-Newton step) when that one is short enough, else Newton's method on 1/||p(lambda)|| - 1/radius, which is
    concave in lambda, so that the iterates from lambda = 0 rise monotonically to the root (More 1978)."""
    p = _scaled_step(sigma, b, 0.0)
    if norm(p) <= 1.1 * radius:
        return 0.0
    lam, s2, sb2 = 0.0, sigma**2, (sigma * b) ** 2
    for _ in range(100):
        q = s2 + lam
        p_norm = norm(_scaled_step(sigma, b, lam))
        if abs(p_norm - radius) <= 0.1 * radius or not np.isfinite(lam):
            break
        slope = float(np.sum(np.divide(sb2, q**3, out=np.zeros_like(q), where=sigma > 0))) / p_norm**3
        lam += (1.0 / radius - 1.0 / p_norm) / slope  # d(1/||p||)/d lambda = sum(sigma^2 b^2 / q^3) / ||p||^3
    return lam


def _damped(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt):
    x = start(x0)
    problem = _Problem(residuals, jacobian, x)
    damping = _validate.real_number("damping", damping)
    if not damping > 0:
        raise ValueError(f"damping must be > 0, got {damping!r}")
    ftol, xtol, gtol, max_iter = _settings(ftol, xtol, gtol, max_iter)
    r = problem.r(x)
    f = float(r @ r)
    J = problem.J(x)
    if marquardt:  # D: the running maximum of diag(J^T J); a column that is 0 at x0 starts at 1 (as MINPACK)
        d = np.einsum("ij,ij->j", J, J)
        d = np.where(d > 0, d, 1.0)
    else:
        d = np.ones(x.size)
    lam, radius, nit, history = damping, None, 0, [f]
    success, message = False, f"the iteration limit max_iter = {max_iter} was reached before convergence"
    while True:
        if np.max(np.abs(J.T @ r)) <= gtol:
            success, message = True, "converged: max|J^T r| <= gtol"
            break
        if nit >= max_iter:
            break
        if marquardt:
            d = np.maximum(d, np.einsum("ij,ij->j", J, J))
        scale = np.sqrt(d)  # in z = D^1/2 x the damping is lambda I and the trust region a ball
        left, sigma, Vt = np.linalg.svd(J / scale, full_matrices=False)
        b = left.T @ r
        if radius is not None:
            lam = _damping_for_radius(sigma, b, radius)
        stop = None
        while True:  # trial steps from x, the radius shrinking, until one lowers the loss or a test ends the run
            p = _scaled_step(sigma, b, lam)
            p_norm = norm(p)  # ||D^1/2 delta||
            if radius is None:
                radius = p_norm  # the first trial is the step with lambda = damping
            delta = (Vt.T @ p) / scale
            x_new = x + delta
            r_new = problem.r(x_new)
            with np.errstate(over="ignore", invalid="ignore"):  # an overflowing trial is rejected (inf or nan)
                f_new = float(r_new @ r_new)
            jp2 = float(np.sum((sigma * p) ** 2))  # ||J delta||^2
            predicted = (jp2 + 2.0 * lam * p_norm**2) / f  # relative: (f - ||r + J delta||^2) / f
            actual = (f - f_new) / f if f_new < 100.0 * f else -1.0  # NaN, inf, or far worse: -1 (as MINPACK)
            rho = actual / predicted if predicted > 0 else 0.0
            if rho <= 0.25:  # a poor model: shrink the radius (by a quadratic interpolation when the loss rose)
                slope = -(jp2 + lam * p_norm**2) / f
                shrink = 0.5 if actual >= 0 else 0.5 * slope / (slope + 0.5 * actual)
                if not f_new < 100.0 * f or shrink < 0.1:
                    shrink = 0.1
                radius = shrink * min(radius, 10.0 * p_norm)
            elif lam == 0.0 or rho >= 0.75:  # a good model: the next step may be twice as long
                radius = 2.0 * p_norm
            accepted = f_new < f  # NaN compares False: a step to non-finite residuals is rejected
            x_after = x_new if accepted else x
            if abs(actual) <= ftol and predicted <= ftol and rho <= 2.0:
                stop = True, "converged: the actual and the predicted relative reduction of the loss are <= ftol"
            elif p_norm <= xtol * norm(scale * x_after):
                stop = True, "converged: the scaled step ||D^1/2 delta|| <= xtol ||D^1/2 x||"
            elif not accepted and np.array_equal(x_new, x):
                stop = False, "the step no longer changes x (rounding) and no lower loss was found"
            if accepted or stop:
                break
            lam = _damping_for_radius(sigma, b, radius)
            if not lam <= MAX_DAMPING:  # also NaN
                stop = False, "the damping grew without bound: no step lowers the loss"
                break
        if accepted:
            x, r, f = x_new, r_new, f_new
            J = problem.J(x)
            nit += 1
            history.append(f)
        if stop:
            success, message = stop
            break
    return result(x, f, nit, problem.nfev, success, message, history)


def levenberg(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
    return _damped(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=False)


def levenberg_marquardt(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
    return _damped(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=True)
