"""The reference impl/quasi_newton.py rejects malformed input with a ValueError that names the argument and what it
should be, before any arithmetic; and returns scipy's OptimizeResult with the contract's entries."""

import numpy as np
import pytest
from scipy.optimize import OptimizeResult

from impl import quasi_newton as qn

H = np.eye(2)
S = np.array([1.0, 0.0])
Y = np.array([2.0, 0.5])


def fun(x):
    return float(x @ x)


def grad(x):
    return 2.0 * x


def test_bfgs_update_wants_a_square_H_and_matching_vectors():
    with pytest.raises(ValueError, match=r"H must have shape \(n, n\), got shape \(2,\)"):
        qn.bfgs_update(np.ones(2), S, Y)
    with pytest.raises(ValueError, match=r"H must be a square matrix of shape \(n, n\), got shape \(2, 3\)"):
        qn.bfgs_update(np.ones((2, 3)), S, Y)
    with pytest.raises(ValueError, match=r"step s must have shape \(n,\) = \(2,\) to match H of shape \(2, 2\), got shape \(3,\)"):
        qn.bfgs_update(H, np.ones(3), Y)
    with pytest.raises(ValueError, match=r"gradient change y must have shape \(n,\) = \(2,\) to match H of shape \(2, 2\), got shape \(2, 1\)"):
        qn.bfgs_update(H, S, np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"H must be an array of real numbers, got dtype <U1"):
        qn.bfgs_update(np.array([["a", "b"], ["c", "d"]]), S, Y)


def test_bfgs_update_refuses_a_pair_without_positive_curvature():
    with pytest.raises(ValueError, match=r"y\^T s > 0 \(the curvature condition\), got y\^T s = -2.0"):
        qn.bfgs_update(H, S, -Y)
    with pytest.raises(ValueError, match=r"y\^T s > 0"):
        qn.bfgs_update(H, S, np.array([0.0, 1.0]))


def test_bfgs_update_leaves_its_inputs_and_returns_a_symmetric_float_matrix():
    H0 = np.array([[2, 0], [0, 1]])  # integers are converted
    out = qn.bfgs_update(H0, S, Y)
    assert out.dtype == np.float64 and np.array_equal(out, out.T)
    assert np.allclose(out @ Y, S)
    assert np.array_equal(H0, [[2, 0], [0, 1]])


def test_lbfgs_direction_wants_matching_histories():
    g = np.ones(2)
    with pytest.raises(ValueError, match=r"gradient g must have shape \(n,\), got shape \(2, 1\)"):
        qn.lbfgs_direction(np.ones((2, 1)), np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"s_history must have shape \(k, n\), got shape \(2,\)"):
        qn.lbfgs_direction(g, S, Y[None])
    with pytest.raises(ValueError, match=r"s_history must have shape \(k, n\) = \(k, 2\) to match g of shape \(2,\), got \(1, 3\)"):
        qn.lbfgs_direction(g, np.ones((1, 3)), np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"y_history must have the shape of s_history, \(1, 2\), got \(2, 2\)"):
        qn.lbfgs_direction(g, S[None], np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"every pair must have y_i\^T s_i > 0 \(the curvature condition\), got -2.0 at pair 1"):
        qn.lbfgs_direction(g, np.array([S, S]), np.array([Y, -Y]))


def test_lbfgs_direction_wants_a_positive_gamma():
    g = np.ones(2)
    with pytest.raises(ValueError, match=r"gamma must be > 0 \(H_0 = gamma I is positive definite\), got -1.0"):
        qn.lbfgs_direction(g, S[None], Y[None], -1.0)
    with pytest.raises(ValueError, match=r"gamma must be a finite number, got nan"):
        qn.lbfgs_direction(g, S[None], Y[None], float("nan"))
    with pytest.raises(ValueError, match=r"gamma must be a number, got an array of shape \(2,\)"):
        qn.lbfgs_direction(g, S[None], Y[None], np.ones(2))


@pytest.mark.parametrize("solver", [qn.bfgs, qn.lbfgs])
def test_solvers_want_a_vector_start_and_a_finite_loss(solver):
    with pytest.raises(ValueError, match=r"x0 must have shape \(n,\), got shape \(1, 2\)"):
        solver(fun, grad, np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"x0 must hold at least one parameter \(n >= 1\), got shape \(0,\)"):
        solver(fun, grad, np.zeros(0))
    with pytest.raises(ValueError, match=r"fun\(x0\) must be a finite number, got nan"):
        solver(lambda x: float("nan"), grad, np.ones(2))
    with pytest.raises(ValueError, match=r"fun\(x0\) must be a number, got an array of shape \(2,\)"):
        solver(lambda x: x, grad, np.ones(2))
    with pytest.raises(ValueError, match=r"grad\(x0\) must be a finite array of x0's shape \(2,\), got shape \(3,\)"):
        solver(fun, lambda x: np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match=r"fun must be a function of x, got int"):
        solver(1, grad, np.ones(2))


@pytest.mark.parametrize("solver", [qn.bfgs, qn.lbfgs])
def test_solvers_want_valid_tolerances(solver):
    with pytest.raises(ValueError, match=r"gtol must be >= 0.0, got -1.0"):
        solver(fun, grad, np.ones(2), gtol=-1.0)
    with pytest.raises(ValueError, match=r"max_iter must be an integer >= 0, got 2.5"):
        solver(fun, grad, np.ones(2), max_iter=2.5)


def test_lbfgs_wants_a_memory_of_at_least_one_pair():
    with pytest.raises(ValueError, match=r"m must be an integer >= 1, got 0"):
        qn.lbfgs(fun, grad, np.ones(2), m=0)


@pytest.mark.parametrize("solver", [qn.bfgs, qn.lbfgs])
def test_solvers_return_scipys_result_and_leave_x0(solver):
    x0 = np.array([3.0, -4.0])
    result = solver(fun, grad, x0)
    assert isinstance(result, OptimizeResult) and result.success and np.allclose(result.x, 0.0)
    assert len(result.loss_history) == result.nit + 1 and result.loss_history[0] == 25.0
    assert np.array_equal(x0, [3.0, -4.0])
    assert ("hess_inv" in result) == (solver is qn.bfgs)


def test_bfgs_stops_when_the_line_search_finds_no_decrease():
    # A loss that is flat at rounding level: no trial point lowers it, so the run ends with success False.
    result = qn.bfgs(lambda x: 1.0, lambda x: np.array([1.0]), np.zeros(1))
    assert not result.success and result.nit == 0 and "line search" in result.message
