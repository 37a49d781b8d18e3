"""Nonlinear least squares: Gauss-Newton, Levenberg and Levenberg-Marquardt (module ``least_squares``; I2DL
lecture 6).

A problem is a residual function r(x), shape (m,), of parameters x, shape (n,), with its Jacobian J(x), shape
(m, n), J[i, j] = d r_i / d x_j. The loss is the residual sum of squares, loss(x) = sum(r(x)**2) (NIST's RSS and
the Moré-Garbow-Hillstrom f; scipy's least_squares reports cost = loss / 2). Its gradient is 2 J^T r and
Gauss-Newton approximates its Hessian by 2 J^T J.

Each solver returns a ``scipy.optimize.OptimizeResult`` as described in module ``newton``: x, fun (the loss at x),
nit, nfev (evaluations of the residuals, rejected trial points included), success, message and loss_history
(shape (nit + 1,)). Convergence tests (a run that ends by one of them has success True):

- gtol, for every solver: max|J^T r| <= gtol at the current x.
- Gauss-Newton, and a correct choice for Levenberg and Levenberg-Marquardt too: ftol, the last accepted step
  lowered the loss by less than ftol * loss; xtol, the last step was shorter than xtol * (xtol + |x|) (Euclidean
  norms).
- What the reference's Levenberg and Levenberg-Marquardt use instead (MINPACK's lmder, scaled so that they do not
  depend on the units of x or of r): after every trial step delta from x, accepted or rejected, with f the loss at
  x, f_new the loss at x + delta and f_model = ||r + J delta||^2 the loss the linear model predicts,
  ftol: the actual relative reduction |f - f_new| / f and the predicted one (f - f_model) / f are both <= ftol
  (and (f - f_new) <= 2 (f - f_model)); xtol: ||D^1/2 delta|| <= xtol ||D^1/2 x|| (x after the trial; D the
  damping's matrix, I for Levenberg).

How lambda changes is each solver's own (the tests in spec/ accept any schedule that lowers lambda after good
steps and raises it after rejected ones: /10 and *10, /3 and *2, Nielsen's gain-ratio rule). The reference keeps a
trust radius, as MINPACK: the first trial uses lambda = damping and its scaled length ||D^1/2 delta|| is the radius;
with rho = (f - f_new) / (f - f_model), the radius is multiplied by 0.1 to 0.5 when rho <= 1/4 and set to
2 ||D^1/2 delta|| when rho >= 3/4, and each next lambda is the smallest >= 0 whose step is as long as the radius
(lambda = 0, the Gauss-Newton step, when that one is shorter); steps are still accepted only when f_new < f. For
Marquardt its D is the running maximum of diag(J^T J) over the iterates (diag(J^T J) at x0, as MINPACK: a column
that vanishes later cannot make D singular); the current diag(J^T J) is equally correct.
"""

from spec.contract.newton import RESULT
from spec.contract.types import Array, Callable, Flag, Integer, Scalar

_RESIDUALS = Callable("x, shape (n,)", "the residuals r(x), shape (m,)")
_JACOBIAN = Callable("x, shape (n,)", "the Jacobian J(x), shape (m, n)")


def gauss_newton_step(r: Array("m"), J: Array("m", "n")) -> Array("n"):
    """The Gauss-Newton step at a point with residuals r and Jacobian J: the delta that solves the normal equations
    (J^T J) delta = -J^T r, i.e. the least-squares solution of J delta = -r (np.linalg.lstsq, or a QR of J, is
    the numerically better way to get it).

    Inputs:
    - r: residuals, shape (m,); J: Jacobian, shape (m, n), of full column rank.

    Returns delta, shape (n,).
    """


def levenberg_marquardt_step(r: Array("m"), J: Array("m", "n"), damping: Scalar(), marquardt: Flag() = True
                             ) -> Array("n"):
    """The damped step: the delta that solves (J^T J + damping * D) delta = -J^T r, with D = diag(J^T J)
    (Marquardt's scaling, marquardt=True) or D = I (Levenberg's, marquardt=False).

    Inputs:
    - r: residuals, shape (m,); J: Jacobian, shape (m, n).
    - damping: lambda > 0. A very large lambda gives a short step along the negative gradient (scaled by
      diag(J^T J)^-1 for Marquardt); lambda -> 0 gives the Gauss-Newton step.
    - marquardt: True for D = diag(J^T J), False for D = I.

    Returns delta, shape (n,).
    """


def gauss_newton(
    residuals: _RESIDUALS,
    jacobian: _JACOBIAN,
    x0: Array("n"),
    ftol: Scalar() = 1e-12,
    xtol: Scalar() = 1e-12,
    gtol: Scalar() = 1e-12,
    max_iter: Integer() = 100,
) -> RESULT:
    """Gauss-Newton: x_{k+1} = x_k + gauss_newton_step(r(x_k), J(x_k)), every step taken (no damping, no line
    search).

    Inputs:
    - residuals, jacobian: r(x) and J(x).
    - x0: the start, shape (n,); read-only.
    - ftol, xtol, gtol: the convergence tests of the module.
    - max_iter: the largest number of steps.

    Returns an OptimizeResult (see the module). On a linear least-squares problem r(x) = A x - b the first step
    reaches the least-squares solution; on a problem with zero residual at the solution it converges fast from
    near it.
    """


def levenberg(
    residuals: _RESIDUALS,
    jacobian: _JACOBIAN,
    x0: Array("n"),
    damping: Scalar() = 1e-3,
    ftol: Scalar() = 1e-12,
    xtol: Scalar() = 1e-12,
    gtol: Scalar() = 1e-12,
    max_iter: Integer() = 1000,
) -> RESULT:
    """Levenberg's method: damped Gauss-Newton steps with D = I (levenberg_marquardt_step(..., marquardt=False)),
    the damping adjusted so that every accepted step lowers the loss.

    From lambda = damping, each iteration tries the damped step: if the loss at x + delta is lower than at x, the
    step is accepted and lambda usually decreases (divided by 10 in the simplest schedule; a gain-ratio rule such
    as Nielsen's or MINPACK's trust radius may keep or raise it after a poor step); otherwise the step is rejected
    (x stays) and lambda increases, and the step is tried again. Only accepted steps count
    as iterations (nit) and enter loss_history, so loss_history is strictly decreasing.

    Inputs:
    - residuals, jacobian: r(x) and J(x).
    - x0: the start, shape (n,); read-only.
    - damping: the initial lambda, > 0.
    - ftol, xtol, gtol: the convergence tests of the module (xtol also ends a run whose damping has grown so
      large that the steps vanish).
    - max_iter: the largest number of accepted steps.

    Returns an OptimizeResult (see the module).
    """


def levenberg_marquardt(
    residuals: _RESIDUALS,
    jacobian: _JACOBIAN,
    x0: Array("n"),
    damping: Scalar() = 1e-3,
    ftol: Scalar() = 1e-12,
    xtol: Scalar() = 1e-12,
    gtol: Scalar() = 1e-12,
    max_iter: Integer() = 1000,
) -> RESULT:
    """Levenberg-Marquardt: as levenberg, with Marquardt's scaling D = diag(J^T J)
    (levenberg_marquardt_step(..., marquardt=True); or, as MINPACK keeps it, the running maximum of diag(J^T J)
    over the iterates, which is diag(J^T J) at x0), which makes the iterates invariant to rescaling the
    parameters (x = S z for a positive diagonal S).

    Inputs: as levenberg.

    Returns an OptimizeResult (see the module).
    """
