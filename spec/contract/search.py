"""Optimization strategies (module ``search``; CS231n lecture 4, "strategy #1, #2, #3").

Each strategy minimizes a loss over weights W of any shape, given as a function: ``loss_fn(W) -> float`` for the
search strategies, ``loss_and_grad(W) -> (loss, dW)`` for gradient descent (they leave the W they are given as it
was). Every random number comes from ``np.random.default_rng(seed)``: the same seed gives the same run.

Strategy #1, random search: try num_tries random weights, keep the best. Strategy #2, random local search: from a
start, try a random perturbation and move there only if it lowers the loss. Strategy #3, follow the gradient:
gradient descent with a fixed step.
"""

from spec.contract.types import Array, Callable, History, Integer, Returns, Scalar, Sizes

_LOSS_FN = Callable("W, an ndarray of float64 of the weights' shape", "the loss, a float")


def random_search(
    loss_fn: _LOSS_FN,
    shape: Sizes(shape="*w"),
    num_tries: Integer() = 1000,
    scale: Scalar() = 1e-4,
    seed: Integer() = None,
) -> Returns(W=Array("*w"), loss=Scalar()):
    """Random search: the best of num_tries random weight arrays (CS231n lecture 4, strategy #1).

    Inputs:
    - loss_fn: the loss of a weight array, loss_fn(W) -> float.
    - shape: the shape of W, a tuple of ints.
    - num_tries: how many random W to try, >= 1.
    - scale: each try is W = scale * (standard normal values of the given shape).
    - seed: the seed of the generator the tries are drawn from (the same seed gives the same tries).

    Returns a tuple (W, loss): W, of the given shape, the try with the lowest loss, and loss = loss_fn(W), the lowest
    loss of all tries (ties: any of the tied tries).
    """


def random_local_search(
    loss_fn: _LOSS_FN,
    W0: Array("*w"),
    num_steps: Integer(sizes="T") = 1000,
    step_size: Scalar() = 1e-4,
    seed: Integer() = None,
) -> Returns(W=Array("*w"), loss_history=History("T")):
    """Random local search (CS231n lecture 4, strategy #2).

    From W = W0 with its loss loss_fn(W0), each step tries W_try = W + step_size * (standard normal values shaped
    like W) and moves there (W = W_try) only if loss_fn(W_try) is lower than the loss of the current W (on a tie
    it may stay or move). Start from loss_fn(W0), not from an infinite best loss as CS231n's notes do: the first
    try must beat W0 too.

    Inputs:
    - loss_fn: the loss of a weight array, loss_fn(W) -> float.
    - W0: the start, any shape; read-only.
    - num_steps: T, the number of tries, >= 1.
    - step_size: the standard deviation of each coordinate's perturbation.
    - seed: the seed of the generator the perturbations are drawn from.

    Returns a tuple (W, loss_history): W, shaped like W0, the final weights; loss_history, shape (T,), the loss of
    the current W after each step (a list of floats or an ndarray), so loss_history[-1] == loss_fn(W).
    """


def gradient_descent(
    loss_and_grad: Callable("W, an ndarray of float64 of W0's shape", "(loss, dW): a float and dW shaped like W"),
    W0: Array("*w"),
    learning_rate: Scalar() = 1e-3,
    num_iters: Integer(sizes="T") = 100,
) -> Returns(W=Array("*w"), loss_history=History("T")):
    """Gradient descent with a fixed step (CS231n lecture 4, strategy #3, "following the gradient").

    W_0 = W0 and W_{t+1} = W_t - learning_rate * dW_t, where (loss_t, dW_t) = loss_and_grad(W_t).

    Inputs:
    - loss_and_grad: the loss and its gradient at W.
    - W0: the start, any shape; read-only.
    - learning_rate: the fixed step size, > 0.
    - num_iters: T, the number of steps, >= 0.

    Returns a tuple (W, loss_history): W = W_T, shaped like W0; loss_history, shape (T,), loss_history[t] = loss_t,
    the loss at W_t before step t (CS231n's convention: the loss at W_T itself is not in the history).
    """
