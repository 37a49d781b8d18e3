"""Quasi-Newton methods: BFGS and L-BFGS (module ``quasi_newton``; I2DL lecture 6, "BFGS and L-BFGS").

Instead of the Hessian, BFGS keeps an approximation H of its inverse, updated after every step s = x_{k+1} - x_k
from the change of gradient y = grad_{k+1} - grad_k so that the secant condition H_{k+1} y = s holds. L-BFGS keeps
only the last m pairs (s, y) and applies H to a gradient by the two-loop recursion, never forming an n x n matrix.

The solvers return a ``scipy.optimize.OptimizeResult`` as described in module ``newton`` (x, fun, nit, nfev,
success, message, loss_history); the convergence test is gtol, max|grad| <= gtol. The step length along the
quasi-Newton direction comes from a line search that ensures the loss decreases and y^T s > 0 (Armijo
backtracking with a curvature check, or the Wolfe conditions); a pair with y^T s <= 0 is not used for an update.
"""

from spec.contract.newton import RESULT
from spec.contract.types import Array, Callable, Integer, OptimizeResult, Scalar

_FUN = Callable("x, shape (n,)", "the loss, a float")
_GRAD = Callable("x, shape (n,)", "the gradient, shape (n,)")


def bfgs_update(H: Array("n", "n"), s: Array("n"), y: Array("n")) -> Array("n", "n"):
    """The BFGS update of an inverse-Hessian approximation:
    H_new = (I - rho s y^T) H (I - rho y s^T) + rho s s^T, with rho = 1 / (y^T s).

    Inputs:
    - H: the current approximation, symmetric positive definite, shape (n, n); read-only.
    - s: the step x_{k+1} - x_k, shape (n,); y: the change of gradient, shape (n,); y^T s > 0 (a pair with
      y^T s <= 0 is never passed: a solver skips it; raising a ValueError for one is fine).

    Returns H_new, shape (n, n): symmetric, positive definite, and H_new y = s (the secant condition).
    """


def lbfgs_direction(g: Array("n"), s_history: Array("k", "n"), y_history: Array("k", "n"), gamma: Scalar() = None
                    ) -> Array("n"):
    """The L-BFGS search direction -H g by the two-loop recursion over the stored pairs.

    Inputs:
    - g: the gradient, shape (n,).
    - s_history, y_history: the last k pairs, oldest first, each shape (k, n) (k may be 0); y_i^T s_i > 0.
    - gamma: the initial approximation is H0 = gamma * I; None takes gamma = s^T y / y^T y of the newest pair
      (1 when k = 0).

    Returns the direction, shape (n,). It equals -H_k g, where H_k is bfgs_update applied to H0 with the pairs in
    order: with the same H0 and every pair in memory, L-BFGS and BFGS agree.
    """


def bfgs(fun: _FUN, grad: _GRAD, x0: Array("n"), gtol: Scalar() = 1e-8, max_iter: Integer() = 1000
         ) -> OptimizeResult(**RESULT.entries, hess_inv=Array("n", "n")):
    """BFGS: x_{k+1} = x_k + alpha_k d_k with d_k = -H_k grad(x_k), H_0 = I (or scaled after the first step), and
    H updated by bfgs_update after every step with y^T s > 0.

    Inputs:
    - fun, grad: the loss and its gradient at x.
    - x0: the start, shape (n,); read-only.
    - gtol: stop with success when max|grad(x)| <= gtol.
    - max_iter: the largest number of iterations.

    Returns an OptimizeResult (see the module) that also holds hess_inv, the final H, shape (n, n).
    """


def lbfgs(fun: _FUN, grad: _GRAD, x0: Array("n"), m: Integer() = 10, gtol: Scalar() = 1e-8,
          max_iter: Integer() = 1000) -> RESULT:
    """L-BFGS: as bfgs, with the direction from lbfgs_direction over the last m pairs (gamma from the newest pair).

    Inputs:
    - fun, grad, x0, gtol, max_iter: as bfgs.
    - m: the memory, the number of pairs (s, y) kept, >= 1.

    Returns an OptimizeResult (see the module).
    """
