"""Fully connected networks (module ``networks``; CS231n ``fc_net.py`` conventions).

A network is a class: the constructor draws its parameters into the dict ``params``, and ``loss(X, y=None)``
runs the network on a batch. Without labels it returns the class scores, shape (N, C); with labels it returns
``(loss, grads)``: the softmax cross-entropy averaged over the batch plus the L2 regularization, and a dict of
gradients keyed exactly like ``params``, each shaped like its parameter.

Parameters: the weights of layer i are ``params["W<i>"]``, shape (fan-in, fan-out), its biases ``params["b<i>"]``,
shape (fan-out,), for i = 1, ..., L. Weights are drawn from a normal distribution with mean 0 and standard deviation
``weight_scale``; biases start at 0. The input X of shape (N, d1, ..., dk) is flattened row-major to (N, D), as by
the affine layer.

Regularization: ``loss`` adds ``reg * sum(W**2)`` summed over every weight matrix, whose gradient is ``2 * reg * W``;
biases are never regularized. (This is the linear classifiers' convention. CS231n's 2020+ fc_net.py writes
``0.5 * reg * sum(W**2)``: with this contract, drop the 0.5.)

Properties set ``params`` entries to chosen arrays and call ``loss`` again; ``loss`` must read the current
``params`` at each call and must not modify them.
"""

from spec.contract.types import Array, Choice, Given, Grads, Integer, Labels, Params, Returns, Scalar, Sizes

_LOSS_RETURNS = Given("y", yes=Returns(loss=Scalar(), grads=Grads("params")), no=Array("N", "C"))


class TwoLayerNet:
    """A two-layer network: affine - ReLU - affine - softmax (CS231n's TwoLayerNet).

    Attributes:
    - params: W1 of shape (D, H), b1 (H,), W2 (H, C), b2 (C,) for input_dim D, hidden_dim H and num_classes C.
    """

    params: Params("W1, b1, W2, b2")

    def __init__(
        self,
        input_dim: Integer() = 3072,
        hidden_dim: Integer() = 100,
        num_classes: Integer() = 10,
        weight_scale: Scalar() = 1e-3,
        reg: Scalar() = 0.0,
    ):
        """Inputs:
        - input_dim: D, the size of one (flattened) input.
        - hidden_dim: H, the width of the hidden layer.
        - num_classes: C.
        - weight_scale: the standard deviation of the initial weights.
        - reg: the L2 regularization strength.

        Returns a TwoLayerNet whose params hold the initial weights and zero biases.
        """

    def loss(
        self,
        X: Array("N", "*d"),
        y: Labels("N") = None,
    ) -> _LOSS_RETURNS:
        """Scores, or loss and gradients, for a batch.

        Inputs:
        - X: shape (N, d1, ..., dk) with d1 * ... * dk = D.
        - y: integer labels of shape (N,) in [0, C), or None.

        Returns:
        - without y: scores of shape (N, C) (before the softmax).
        - with y: a tuple (loss, grads): loss a float, the mean softmax cross-entropy plus reg * (sum(W1**2) +
          sum(W2**2)); grads a dict with the keys of params, grads[k] the gradient of loss with respect to
          params[k], shaped like it.
        """


class FullyConnectedNet:
    """A fully connected network of any depth: {affine - activation} x (L - 1) - affine - softmax.

    Attributes:
    - params: W1, b1, ..., WL, bL with L = len(hidden_dims) + 1: W1 of shape (D, hidden_dims[0]), W<i> of shape
      (hidden_dims[i-2], hidden_dims[i-1]), WL of shape (hidden_dims[-1], C) (WL of shape (D, C) with no hidden
      layers: a softmax classifier).
    """

    params: Params("W1, b1, ..., WL, bL")

    def __init__(
        self,
        hidden_dims: Sizes(),
        input_dim: Integer() = 3072,
        num_classes: Integer() = 10,
        activation: Choice("relu", "leaky_relu", "sigmoid", "tanh") = "relu",
        reg: Scalar() = 0.0,
        weight_scale: Scalar() = 1e-2,
        seed: Integer() = None,
    ):
        """Inputs:
        - hidden_dims: the widths of the hidden layers, a list of L - 1 positive ints (the network's width and depth).
        - input_dim: D; num_classes: C.
        - activation: the nonlinearity after every hidden affine layer: "relu", "leaky_relu" (slope 0.01),
          "sigmoid" or "tanh".
        - reg: the L2 regularization strength.
        - weight_scale: the standard deviation of the initial weights.
        - seed: if not None, the initial weights are drawn from a generator seeded with it (the same seed gives the
          same params).

        Returns a FullyConnectedNet whose params hold the initial weights and zero biases.
        """

    def loss(
        self,
        X: Array("N", "*d"),
        y: Labels("N") = None,
    ) -> _LOSS_RETURNS:
        """Scores, or loss and gradients, for a batch.

        Inputs:
        - X: shape (N, d1, ..., dk) with d1 * ... * dk = D.
        - y: integer labels of shape (N,) in [0, C), or None.

        Returns:
        - without y: scores of shape (N, C) (before the softmax).
        - with y: a tuple (loss, grads): loss a float, the mean softmax cross-entropy plus reg times the sum of
          squares of every weight matrix W1, ..., WL (never the biases); grads a dict with the keys of params.
        """
