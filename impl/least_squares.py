"""Nonlinear least squares (contract: spec/contract/least_squares.py): Gauss-Newton, Levenberg and
Levenberg-Marquardt on loss(x) = sum(r(x)**2).

The steps are least-squares solutions, never solutions of the normal equations formed explicitly (forming J^T J
squares the condition number):

- Gauss-Newton: delta minimizes ||J delta + r||, np.linalg.lstsq (an SVD, safe also when J is rank deficient);
- damped: delta minimizes ||J delta + r||^2 + lambda delta^T D delta, the least-squares solution of the stacked
  system [J; sqrt(lambda D)] delta = [-r; 0], whose normal equations are (J^T J + lambda D) delta = -J^T r.

Levenberg and Levenberg-Marquardt share one loop: a trial step that lowers the loss is accepted and lambda is
divided by 10 (towards Gauss-Newton); one that does not is rejected and lambda multiplied by 10 (towards a short
gradient-descent step), and the step is tried again from the same x. Marquardt's D = diag(J^T J) is the squared
column norms of the current Jacobian, which makes the iterates invariant to a diagonal rescaling of x.
"""

import numpy as np
from numpy.linalg import norm

from impl import _validate
from impl.newton import array_value, function, result, start, tolerance

DECREASE, INCREASE = 10.0, 10.0  # lambda /= DECREASE after an accepted step, *= INCREASE after a rejected one
MAX_DAMPING = 1e32  # beyond it every step underflows against x: the run ends (only reachable with xtol = 0)
MIN_DAMPING = 1e-30  # lambda is not divided below it (at 0 it could never grow again)


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
    lam, nit, history = damping, 0, [f]
    success, message = False, f"the iteration limit max_iter = {max_iter} was reached before convergence"
    while True:
        if np.max(np.abs(J.T @ r)) <= gtol:
            success, message = True, "converged: max|J^T r| <= gtol"
            break
        if nit >= max_iter:
            break
        while True:  # try steps from x, raising lambda, until one lowers the loss
            delta = _damped_step(r, J, lam, marquardt)
            x_new = x + delta
            r_new = problem.r(x_new)
            with np.errstate(over="ignore", invalid="ignore"):  # an overflowing trial is rejected (inf or nan)
                f_new = float(r_new @ r_new)
            if f_new < f:  # NaN compares False: a step to non-finite residuals is rejected
                break
            if _small_step(delta, x, xtol):
                success, message = True, "converged: the step was shorter than xtol * (xtol + |x|)"
                break
            lam *= INCREASE
            if lam > MAX_DAMPING:
                message = "the damping grew without bound: no step lowers the loss"
                break
        if not f_new < f:
            break
        x, r, f_old, f = x_new, r_new, f, f_new
        J = problem.J(x)
        nit += 1
        history.append(f)
        lam = max(lam / DECREASE, MIN_DAMPING)
        if f_old - f <= ftol * f_old:
            success, message = True, "converged: the loss fell by less than ftol * loss"
            break
        if _small_step(delta, x - delta, xtol):
            success, message = True, "converged: the step was shorter than xtol * (xtol + |x|)"
            break
    return result(x, f, nit, problem.nfev, success, message, history)


def levenberg(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
    return _damped(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=False)


def levenberg_marquardt(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12, max_iter=1000):
    return _damped(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, marquardt=True)
