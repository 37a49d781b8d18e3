"""The reference impl/least_squares.py rejects malformed input with a ValueError that names the argument and what it
should be, leaves x0 as it found it, and ends a run whose damping cannot find a lower loss without success."""

import numpy as np
import pytest

from impl import least_squares as ls

J = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
R = np.array([1.0, -2.0, 3.0])
A = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
Y = np.array([1.0, 2.0, 2.0])
X0 = np.array([0.5, -0.5])


def residuals(x):
    return A @ x - Y


def jacobian(x):
    return A.copy()


SOLVERS = [ls.gauss_newton, ls.levenberg, ls.levenberg_marquardt]


def test_steps_check_r_and_J():
    for step in (ls.gauss_newton_step, lambda r, J: ls.levenberg_marquardt_step(r, J, 1.0)):
        with pytest.raises(ValueError, match=r"residuals r must have shape \(m,\), got shape \(3, 1\)"):
            step(R[:, None], J)
        with pytest.raises(ValueError, match=r"Jacobian J must have shape \(m, n\), got shape \(3,\)"):
            step(R, R)
        with pytest.raises(ValueError, match=r"Jacobian J must have shape \(m, n\) with m = 3 rows to match r, "
                                             r"got \(2, 2\)"):
            step(R, J[:2])
        with pytest.raises(ValueError, match=r"Jacobian J must have at least one column \(n >= 1\), got shape "
                                             r"\(3, 0\)"):
            step(R, np.zeros((3, 0)))
        with pytest.raises(ValueError, match=r"residuals r must be an array of real numbers, got dtype complex128"):
            step(R + 1j, J)


def test_damped_step_checks_damping_and_marquardt():
    with pytest.raises(ValueError, match=r"damping must be > 0, got 0.0"):
        ls.levenberg_marquardt_step(R, J, 0.0)
    with pytest.raises(ValueError, match=r"damping must be a finite number, got inf"):
        ls.levenberg_marquardt_step(R, J, np.inf)
    with pytest.raises(ValueError, match=r"marquardt must be True or False, got 'yes'"):
        ls.levenberg_marquardt_step(R, J, 1.0, "yes")


def test_steps_match_the_worked_numbers():
    # (J^T J) delta = -J^T r with J^T J = [[2, 1], [1, 5]], J^T r = [4, -1]: delta = [-7/3, 2/3].
    np.testing.assert_allclose(ls.gauss_newton_step(R, J), [-7 / 3, 2 / 3], rtol=1e-14)
    np.testing.assert_allclose(ls.levenberg_marquardt_step(R, J, 1.0), np.array([-41.0, 8.0]) / 39, rtol=1e-14)
    np.testing.assert_allclose(ls.levenberg_marquardt_step(R, J, 1.0, False), np.array([-25.0, 7.0]) / 17,
                               rtol=1e-14)
    # A rank-deficient J (a zero column) still gives the minimum-norm least-squares step, no error.
    Jz = np.column_stack([J[:, 0], np.zeros(3)])
    np.testing.assert_allclose(ls.gauss_newton_step(R, Jz), [-2.0, 0.0], atol=1e-15)
    assert np.all(np.isfinite(ls.levenberg_marquardt_step(R, Jz, 1e-3)))


@pytest.mark.parametrize("solver", SOLVERS)
def test_solvers_check_their_arguments(solver):
    with pytest.raises(ValueError, match=r"residuals must be a function of x, got ndarray"):
        solver(R, jacobian, X0)
    with pytest.raises(ValueError, match=r"jacobian must be a function of x, got int"):
        solver(residuals, 3, X0)
    with pytest.raises(ValueError, match=r"x0 must have shape \(n,\) with n >= 1, got shape \(1, 2\)"):
        solver(residuals, jacobian, X0[None])
    with pytest.raises(ValueError, match=r"ftol must be >= 0, got -1.0"):
        solver(residuals, jacobian, X0, ftol=-1.0)
    with pytest.raises(ValueError, match=r"max_iter must be an integer >= 0, got 2.5"):
        solver(residuals, jacobian, X0, max_iter=2.5)
    with pytest.raises(ValueError, match=r"residuals must return an array of shape \(m,\), got shape \(3, 1\)"):
        solver(lambda x: residuals(x)[:, None], jacobian, X0)
    with pytest.raises(ValueError, match=r"jacobian must return an array of shape \(3, 2\), got shape \(2, 3\)"):
        solver(residuals, lambda x: A.T, X0)


@pytest.mark.parametrize("solver", [ls.levenberg, ls.levenberg_marquardt])
def test_damped_solvers_check_the_damping(solver):
    with pytest.raises(ValueError, match=r"damping must be > 0, got -0.001"):
        solver(residuals, jacobian, X0, damping=-1e-3)


@pytest.mark.parametrize("solver", SOLVERS)
def test_linear_problem_result_and_x0_untouched(solver):
    x0 = X0.copy()
    res = solver(residuals, jacobian, x0)
    assert x0.tobytes() == X0.tobytes()
    np.testing.assert_allclose(res.x, np.linalg.lstsq(A, Y, rcond=None)[0], rtol=1e-10)
    assert res.success and res.loss_history.shape == (res.nit + 1,) and res.nfev >= res.nit + 1
    assert res.loss_history[-1] == res.fun and isinstance(res.message, str)


@pytest.mark.parametrize("solver", [ls.levenberg, ls.levenberg_marquardt])
def test_a_run_at_the_minimum_with_zero_tolerances_ends(solver):
    # At the least-squares solution no step lowers the loss beyond rounding: with ftol = xtol = gtol = 0 the damping
    # grows until the step is exactly 0 (0 <= xtol (xtol + |x|)), instead of looping for ever.
    x_star = np.linalg.lstsq(A, Y, rcond=None)[0]
    res = solver(residuals, jacobian, x_star, ftol=0.0, xtol=0.0, gtol=0.0)
    assert res.nit <= 3 and res.nfev < 100
    np.testing.assert_allclose(res.x, x_star, rtol=1e-14)


def test_overflowing_trials_are_rejected():
    def exploding(x):
        with np.errstate(over="ignore"):  # the overflow is the point: such a trial must be rejected
            return np.exp(50 * x) - 1.0

    def exploding_jacobian(x):
        return np.diag(50 * np.exp(50 * x))

    res = ls.levenberg_marquardt(exploding, exploding_jacobian, np.array([1.0, -1.0]))
    assert np.all(np.diff(res.loss_history) < 0) and np.all(np.isfinite(res.x))
