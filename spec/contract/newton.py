"""Newton's method (module ``newton``; I2DL lecture 6, "second derivatives", "Newton's method").

Second-order methods of this contract (modules ``newton``, ``least_squares``, ``quasi_newton``) follow
scipy.optimize's conventions: a problem is given as functions of a parameter vector x of shape (n,), the start as
x0, the tolerances and the iteration limit as arguments, and each returns a ``scipy.optimize.OptimizeResult``:

- x: the final parameters, shape (n,); fun: the loss at x, a float;
- nit: the number of iterations (accepted steps); nfev: the number of evaluations of the loss (or the residuals),
  rejected trial points included;
- success: True when a convergence test was met, False when max_iter ran out (or the method broke down);
  message: a sentence saying which;
- loss_history: the loss at x0 and after every iteration, shape (nit + 1,): loss_history[0] = loss(x0) and
  loss_history[-1] = fun.

Convergence tests (each met test ends the run with success True): gtol, the gradient is small,
max|grad| <= gtol; and, where a method has them, ftol (the loss fell by less than ftol * loss in the last
iteration) and xtol (the last step was shorter than xtol * (xtol + |x|)).
"""

from spec.contract.types import Array, Callable, Flag, History, Integer, OptimizeResult, Scalar, Text

RESULT = OptimizeResult(x=Array("n"), fun=Scalar(), nit=Integer(sizes="K"), nfev=Integer(), success=Flag(),
                        message=Text(), loss_history=History("K+1"))


def newton(
    fun: Callable("x, shape (n,)", "the loss, a float"),
    grad: Callable("x", "the gradient, shape (n,)"),
    hess: Callable("x", "the Hessian, shape (n, n)"),
    x0: Array("n"),
    gtol: Scalar() = 1e-10,
    max_iter: Integer() = 100,
) -> RESULT:
    """Newton's method: x_{k+1} = x_k - H(x_k)^{-1} grad(x_k), the minimizer of the local quadratic model
    (solve the linear system H d = -grad; never form the inverse).

    Inputs:
    - fun, grad, hess: the loss, its gradient and its Hessian at x.
    - x0: the start, shape (n,); read-only.
    - gtol: stop with success when max|grad(x)| <= gtol.
    - max_iter: the largest number of steps.

    Returns an OptimizeResult (see the module): x, fun, nit, nfev, success, message, loss_history. On a quadratic
    loss with a positive definite Hessian (linear regression's least squares) the first step lands on the
    minimizer.
    """
