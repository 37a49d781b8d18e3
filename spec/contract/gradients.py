"""Numerical gradients (module ``gradients``; CS231n ``gradient_check.py`` conventions, as functions).

CS231n lecture 4 evaluates the gradient numerically: for each entry x_i, perturb it by a small h and see how f
changes. The "finite difference approximation" (f(x + h) - f(x)) / h has an error proportional to h; in practice
the "centered difference formula" (f(x + h) - f(x - h)) / 2h is used, whose error is proportional to h**2. Both are
slow (two evaluations of f per entry) but easy to write, which makes them the check of an analytic gradient
("gradient check"): compare the two with ``rel_error``.

x is (N, D) here (the contract checks 2-D arrays; a reference may accept any shape). f is any function of an array
shaped like x. CS231n perturbs x in place (x[i] += h, evaluate, restore); that is allowed, but every function here
must leave x exactly as it found it, bit for bit: save the old value and write it back (x[i] = old), since
x[i] + h - 2h + h need not round back to x[i].
"""

from spec.contract.types import Array, Callable, Scalar


def eval_numerical_gradient(
    f: Callable("an ndarray of x's shape", "a float"),
    x: Array("N", "D", mutable=True),
    h: Scalar() = 1e-5,
) -> Array("N", "D"):
    """Centered-difference gradient of a scalar function f at x.

    Inputs:
    - f: a function of one argument, an array shaped like x, returning a float.
    - x: the point at which to evaluate the gradient, shape (N, D). It may be perturbed in place during the call
      but must hold exactly its original values (bit for bit) afterwards.
    - h: the step, a small positive float.

    Returns:
    - grad: shape (N, D), grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h) for every entry i, with e_i the array
      that is 1 at entry i and 0 elsewhere. Its error is O(h**2) for smooth f.
    """


def eval_numerical_gradient_forward(
    f: Callable("an ndarray of x's shape", "a float"),
    x: Array("N", "D", mutable=True),
    h: Scalar() = 1e-5,
) -> Array("N", "D"):
    """Forward-difference ("finite difference approximation") gradient of a scalar function f at x.

    Inputs:
    - f: a function of one argument, an array shaped like x, returning a float.
    - x: the point, shape (N, D); as for eval_numerical_gradient, it must hold exactly its original values
      afterwards.
    - h: the step, a small positive float.

    Returns:
    - grad: shape (N, D), grad[i] = (f(x + h e_i) - f(x)) / h for every entry i. Its error is O(h) for smooth f.
    """


def eval_numerical_gradient_array(
    f: Callable("an ndarray of x's shape", "an ndarray of shape (N, M)"),
    x: Array("N", "D", mutable=True),
    df: Array("N", "M"),
    h: Scalar() = 1e-5,
) -> Array("N", "D"):
    """Centered-difference gradient of an array-valued function f, contracted with an upstream gradient df.

    This is what a layer's backward pass computes: the gradient with respect to x of sum(f(x) * df).

    Inputs:
    - f: a function of one argument, an array shaped like x, returning an array of shape (N, M).
    - x: the point, shape (N, D); as for eval_numerical_gradient, it must hold exactly its original values
      afterwards.
    - df: the upstream gradient, shape (N, M), the shape of f(x).
    - h: the step, a small positive float.

    Returns:
    - grad: shape (N, D), grad[i] = sum((f(x + h e_i) - f(x - h e_i)) * df) / (2 h) for every entry i.
    """


def rel_error(x: Array("N", "D"), y: Array("N", "D")) -> Scalar():
    """Relative error between two arrays of the same shape, as CS231n's gradient checks print it.

    Inputs:
    - x, y: arrays of shape (N, D), e.g. an analytic and a numerical gradient.

    Returns:
    - error: a float, max over entries of |x - y| / max(1e-8, |x| + |y|). The floor 1e-8 keeps it finite
      where both entries are 0 (there the term is 0).
    """
