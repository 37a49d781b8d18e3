"""The reference impl/newton.py rejects malformed input with a ValueError that names the argument and what it should
be, leaves x0 as it found it, and ends without success (and with a message saying why) when the Hessian is
singular or max_iter runs out."""

import numpy as np
import pytest
from scipy.optimize import OptimizeResult

from impl.newton import newton

A = np.array([[2.0, 1.0], [1.0, 3.0]])
B = np.array([1.0, -1.0])


def fun(x):
    return float(0.5 * x @ A @ x - B @ x)


def grad(x):
    return A @ x - B


def hess(x):
    return A.copy()


X0 = np.array([0.5, -0.25])


def test_functions_must_be_callable():
    with pytest.raises(ValueError, match=r"fun must be a function of x, got ndarray"):
        newton(np.zeros(2), grad, hess, X0)
    with pytest.raises(ValueError, match=r"grad must be a function of x, got float"):
        newton(fun, 1.0, hess, X0)
    with pytest.raises(ValueError, match=r"hess must be a function of x, got NoneType"):
        newton(fun, grad, None, X0)


def test_x0_must_be_a_nonempty_real_vector():
    with pytest.raises(ValueError, match=r"x0 must have shape \(n,\) with n >= 1, got shape \(2, 1\)"):
        newton(fun, grad, hess, X0[:, None])
    with pytest.raises(ValueError, match=r"x0 must have shape \(n,\) with n >= 1, got shape \(0,\)"):
        newton(fun, grad, hess, np.zeros(0))
    with pytest.raises(ValueError, match=r"x0 must be an array of real numbers, got dtype object"):
        newton(fun, grad, hess, np.array([None, 1.0]))


def test_gtol_and_max_iter_are_checked():
    with pytest.raises(ValueError, match=r"gtol must be >= 0, got -1.0"):
        newton(fun, grad, hess, X0, gtol=-1.0)
    with pytest.raises(ValueError, match=r"gtol must be a finite number, got nan"):
        newton(fun, grad, hess, X0, gtol=np.nan)
    with pytest.raises(ValueError, match=r"max_iter must be an integer >= 0, got 10.0"):
        newton(fun, grad, hess, X0, max_iter=10.0)
    with pytest.raises(ValueError, match=r"max_iter must be an integer >= 0, got -1"):
        newton(fun, grad, hess, X0, max_iter=-1)


def test_what_the_functions_return_is_checked():
    with pytest.raises(ValueError, match=r"fun must return a float \(a scalar\), got an array of shape \(2,\)"):
        newton(lambda x: x, grad, hess, X0)
    with pytest.raises(ValueError, match=r"grad must return an array of shape \(2,\), got shape \(3,\)"):
        newton(fun, lambda x: np.zeros(3), hess, X0)
    with pytest.raises(ValueError, match=r"hess must return an array of shape \(2, 2\), got shape \(2,\)"):
        newton(fun, grad, lambda x: np.ones(2), X0)


def test_result_on_a_quadratic_and_x0_untouched():
    x0 = X0.copy()
    res = newton(fun, grad, hess, x0)
    assert isinstance(res, OptimizeResult)
    assert x0.tobytes() == X0.tobytes()
    np.testing.assert_allclose(res.x, np.linalg.solve(A, B), rtol=1e-14)
    assert res.success and res.nit == 1 and res.nfev == 2
    assert res.loss_history.shape == (2,) and res.loss_history[-1] == res.fun
    ints = newton(fun, grad, hess, np.array([1, 2]))  # an integer start is accepted (as floats)
    assert ints.success and ints.x.dtype == np.float64


def test_a_singular_hessian_ends_the_run_without_success():
    res = newton(fun, grad, lambda x: np.zeros((2, 2)), X0)
    assert not res.success and "singular" in res.message
    assert res.nit == 0 and res.loss_history.shape == (1,)


def test_max_iter_zero_takes_no_step():
    res = newton(fun, grad, hess, X0, max_iter=0)
    assert not res.success and res.nit == 0 and "max_iter" in res.message
    assert res.x.tobytes() == X0.tobytes()
