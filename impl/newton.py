"""Newton's method (contract: spec/contract/newton.py): x_{k+1} = x_k - H(x_k)^{-1} grad(x_k).

The step solves H d = -g (scipy.linalg.solve, an LU with partial pivoting; the inverse is never formed). Every step
is taken (no line search): on a quadratic with a positive definite Hessian the first one lands on the minimizer.
The run ends with success when max|grad| <= gtol, and without it when max_iter steps were taken, the Hessian is
singular, the step is not finite, or the step no longer changes x (rounding: the gradient cannot get below gtol).
"""

import numpy as np
import scipy.linalg
from scipy.optimize import OptimizeResult

from impl import _validate


def function(name, f):
    if not callable(f):
        raise ValueError(f"{name} must be a function of x, got {type(f).__name__}")
    return f


def start(x0):
    x0 = _validate.real_array("x0", x0)
    if x0.ndim != 1 or x0.size == 0:
        raise ValueError(f"x0 must have shape (n,) with n >= 1, got shape {x0.shape}")
    return x0.astype(np.float64, copy=True)


def tolerance(name, value):
    return _validate.real_number(name, value, minimum=0)


def scalar_value(name, value):
    """What a loss function returned, as a float."""
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must return a float (a scalar), got an array of shape {np.shape(value)}")
    return float(np.asarray(value, dtype=np.float64)[()])


def array_value(name, value, shape):
    """What a gradient, Hessian, residual or Jacobian function returned, as a float64 array of the given shape
    (None in `shape` accepts any size on that axis)."""
    value = _validate.real_array(name, value)
    if value.ndim != len(shape) or any(s is not None and s != v for s, v in zip(shape, value.shape)):
        wanted = "(" + ", ".join("m" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
        raise ValueError(f"{name} must return an array of shape {wanted}, got shape {value.shape}")
    return value


def result(x, fun, nit, nfev, success, message, history, **extra):
    return OptimizeResult(x=x, fun=float(fun), nit=int(nit), nfev=int(nfev), success=bool(success),
                          message=message, loss_history=np.asarray(history, dtype=np.float64), **extra)


def newton(fun, grad, hess, x0, gtol=1e-10, max_iter=100):
    fun, grad, hess = function("fun", fun), function("grad", grad), function("hess", hess)
    x = start(x0)
    gtol = tolerance("gtol", gtol)
    max_iter = _validate.count("max_iter", max_iter, 0)
    n = x.size

    f = scalar_value("fun", fun(x.copy()))
    nfev, nit, history = 1, 0, [f]
    success, message = False, f"the iteration limit max_iter = {max_iter} was reached before max|grad| <= gtol"
    while True:
        g = array_value("grad", grad(x.copy()), (n,))
        if np.max(np.abs(g)) <= gtol:
            success, message = True, "converged: max|grad| <= gtol"
            break
        if nit >= max_iter:
            break
        H = array_value("hess", hess(x.copy()), (n, n))
        try:
            d = scipy.linalg.solve(H, -g, check_finite=False)
        except (scipy.linalg.LinAlgError, ValueError):
            message = "the Hessian is singular: the Newton step is undefined"
            break
        if not np.all(np.isfinite(d)):
            message = "the Newton step is not finite (the Hessian is singular or not finite)"
            break
        x_new = x + d
        if np.array_equal(x_new, x):
            message = "the Newton step no longer changes x (rounding): max|grad| cannot get below gtol"
            break
        x = x_new
        f = scalar_value("fun", fun(x.copy()))
        nfev, nit = nfev + 1, nit + 1
        history.append(f)
    return result(x, f, nit, nfev, success, message, history)
