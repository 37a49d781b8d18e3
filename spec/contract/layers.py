"""Layers: the affine layer, activation functions, maxout and the affine-ReLU sandwich, each with a forward and a
backward pass (module ``layers``; CS231n ``layers.py`` conventions).

The affine layer takes a batch of N inputs of any shape (N, d1, ..., dk), flattened row-major to (N, D) with
D = d1 * ... * dk (``x.reshape(N, -1)``). Every activation is elementwise on x of shape (N, D) (the contract checks
2-D arrays; a reference may accept any shape). ``*_forward(x, ...)`` returns ``(out, cache)``: out shaped like x, and a cache holding whatever the
backward pass will need (x, out, a parameter...; its contents are the implementation's own business).
``*_backward(dout, cache)`` receives the upstream gradient dout (the gradient of the loss with respect to out,
shaped like out) and the cache that the same implementation's forward returned, and returns dx, the gradient of the
loss with respect to x: dx = dout * f'(x) elementwise (the chain rule). Neither pass may modify its inputs.

Where an activation has a kink (ReLU and its leaky and parametric variants at x = 0) any subgradient is accepted
at x == 0 exactly: a value between the two sides' (CS231n's ``dout * (x > 0)`` takes the left one, 0 for ReLU).
"""

from spec.contract.types import Array, Cache, Returns, Scalar


def affine_forward(x: Array("N", "*d"), w: Array("D", "M"), b: Array("M")) -> Returns(out=Array("N", "M"), cache=Cache()):
    """Forward pass of an affine (fully connected) layer.

    Inputs:
    - x: a batch of N inputs, shape (N, d1, ..., dk); each is flattened row-major to a row of D = d1 * ... * dk
      entries (x.reshape(N, -1), never x.reshape(-1, N) or a transpose).
    - w: weights, shape (D, M).
    - b: biases, shape (M,).

    Returns a tuple of:
    - out: shape (N, M), out = x.reshape(N, D) @ w + b.
    - cache: whatever affine_backward needs (CS231n keeps (x, w, b)).
    """


def affine_backward(dout: Array("N", "M"), cache: Cache()) -> Returns(dx=Array("N", "*d"), dw=Array("D", "M"), db=Array("M")):
    """Backward pass of an affine layer.

    Inputs:
    - dout: upstream gradient, shape (N, M).
    - cache: what affine_forward returned.

    Returns a tuple of:
    - dx: shape (N, d1, ..., dk), the shape of x: dout @ w.T reshaped back to x's shape.
    - dw: shape (D, M), x.reshape(N, D).T @ dout (summed over the batch, not averaged: the loss already averaged).
    - db: shape (M,), dout summed over the batch axis.
    """


def relu_forward(x: Array("N", "D")) -> Returns(out=Array("N", "D"), cache=Cache()):
    """Forward pass of a rectified linear unit (ReLU).

    Inputs:
    - x: inputs, shape (N, D).

    Returns a tuple of:
    - out: shape (N, D), out = max(0, x) elementwise.
    - cache: whatever relu_backward needs (CS231n keeps x).
    """


def relu_backward(dout: Array("N", "D"), cache: Cache()) -> Array("N", "D"):
    """Backward pass of a ReLU.

    Inputs:
    - dout: upstream gradient, shape (N, D).
    - cache: what relu_forward returned.

    Returns:
    - dx: shape (N, D), dx = dout where x > 0 and exactly 0 where x < 0; at x == 0 any subgradient, a value
      between 0 and dout (CS231n's dout * (x > 0) gives 0).
    """


def leaky_relu_forward(x: Array("N", "D"), alpha: Scalar() = 0.01) -> Returns(out=Array("N", "D"), cache=Cache()):
    """Forward pass of a leaky ReLU.

    Inputs:
    - x: inputs, shape (N, D).
    - alpha: the slope of the negative side, a float in [0, 1) (I2DL's slides use 0.1, CS231n 0.01).

    Returns a tuple of:
    - out: shape (N, D), out = x where x > 0 and alpha * x elsewhere, i.e. max(alpha * x, x) for alpha < 1.
    - cache: whatever leaky_relu_backward needs.
    """


def leaky_relu_backward(dout: Array("N", "D"), cache: Cache()) -> Array("N", "D"):
    """Backward pass of a leaky ReLU.

    Inputs:
    - dout: upstream gradient, shape (N, D).
    - cache: what leaky_relu_forward returned.

    Returns:
    - dx: shape (N, D), dx = dout where x > 0 and alpha * dout where x < 0; at x == 0 any subgradient, a value
      between alpha * dout and dout.
    """


def elu_forward(x: Array("N", "D"), alpha: Scalar() = 1.0) -> Returns(out=Array("N", "D"), cache=Cache()):
    """Forward pass of an exponential linear unit (ELU).

    Inputs:
    - x: inputs, shape (N, D).
    - alpha: a positive float, the value -alpha that out approaches as x -> -inf.

    Returns a tuple of:
    - out: shape (N, D), out = x where x > 0 and alpha * (e^x - 1) where x <= 0. Finite for |x| up to 1000 (never
      evaluate e^x where x is large and positive; e^x - 1 is most accurate as np.expm1(x)).
    - cache: whatever elu_backward needs.
    """


def elu_backward(dout: Array("N", "D"), cache: Cache()) -> Array("N", "D"):
    """Backward pass of an ELU.

    Inputs:
    - dout: upstream gradient, shape (N, D).
    - cache: what elu_forward returned.

    Returns:
    - dx: shape (N, D), dx = dout where x > 0 and alpha * e^x * dout where x <= 0.
    """


def sigmoid_forward(x: Array("N", "D")) -> Returns(out=Array("N", "D"), cache=Cache()):
    """Forward pass of a sigmoid layer (the layer version of losses.sigmoid: same values, plus a cache).

    Inputs:
    - x: inputs, shape (N, D).

    Returns a tuple of:
    - out: shape (N, D), out = 1 / (1 + e^-x), in [0, 1]. Finite and accurate for |x| up to 1000 (see
      losses.sigmoid: compute e^-|x|, never e^x of a large x).
    - cache: whatever sigmoid_backward needs (CS231n-style: out).
    """


def sigmoid_backward(dout: Array("N", "D"), cache: Cache()) -> Array("N", "D"):
    """Backward pass of a sigmoid layer.

    Inputs:
    - dout: upstream gradient, shape (N, D).
    - cache: what sigmoid_forward returned.

    Returns:
    - dx: shape (N, D), dx = dout * s * (1 - s) with s = sigmoid(x). Note s (1 - s) <= 1/4: each sigmoid layer
      shrinks the gradient by at least 4x (vanishing gradients).
    """


def tanh_forward(x: Array("N", "D")) -> Returns(out=Array("N", "D"), cache=Cache()):
    """Forward pass of a tanh layer.

    Inputs:
    - x: inputs, shape (N, D).

    Returns a tuple of:
    - out: shape (N, D), out = tanh(x) = (e^x - e^-x) / (e^x + e^-x) = 2 sigmoid(2x) - 1, in [-1, 1]. Finite and
      accurate for |x| up to 1000.
    - cache: whatever tanh_backward needs.
    """


def tanh_backward(dout: Array("N", "D"), cache: Cache()) -> Array("N", "D"):
    """Backward pass of a tanh layer.

    Inputs:
    - dout: upstream gradient, shape (N, D).
    - cache: what tanh_forward returned.

    Returns:
    - dx: shape (N, D), dx = dout * (1 - tanh(x)**2), at most |dout|.
    """


def prelu_forward(x: Array("N", "D"), alpha: Scalar()) -> Returns(out=Array("N", "D"), cache=Cache()):
    """Forward pass of a parametric ReLU with one learned slope shared by every unit.

    Inputs:
    - x: inputs, shape (N, D).
    - alpha: the slope of the negative side, a float (a parameter, learned like a weight).

    Returns a tuple of:
    - out: shape (N, D), out = x where x > 0 and alpha * x where x <= 0.
    - cache: whatever prelu_backward needs.
    """


def prelu_backward(dout: Array("N", "D"), cache: Cache()) -> Returns(dx=Array("N", "D"), dalpha=Scalar()):
    """Backward pass of a parametric ReLU.

    Inputs:
    - dout: upstream gradient, shape (N, D).
    - cache: what prelu_forward returned.

    Returns a tuple of:
    - dx: shape (N, D), dx = dout where x > 0 and alpha * dout where x <= 0.
    - dalpha: a float, the gradient with respect to the slope: the sum of dout * x over the entries where x <= 0.
    """


def maxout_forward(x: Array("N", "D"), w: Array("K", "D", "M"), b: Array("K", "M")) -> Returns(out=Array("N", "M"), cache=Cache()):
    """Forward pass of a maxout layer with K pieces: each unit is the largest of K affine functions of x
    (I2DL lecture 3: max(w1^T x + b1, w2^T x + b2)).

    Inputs:
    - x: inputs, shape (N, D).
    - w: weights of the K pieces, shape (K, D, M).
    - b: biases of the K pieces, shape (K, M).

    Returns a tuple of:
    - out: shape (N, M), out[n, m] = max over k of (x @ w[k] + b[k])[n, m].
    - cache: whatever maxout_backward needs.
    """


def maxout_backward(dout: Array("N", "M"), cache: Cache()) -> Returns(dx=Array("N", "D"), dw=Array("K", "D", "M"), db=Array("K", "M")):
    """Backward pass of a maxout layer: the gradient flows through the winning piece of each unit only.

    Inputs:
    - dout: upstream gradient, shape (N, M).
    - cache: what maxout_forward returned.

    Returns a tuple of:
    - dx: shape (N, D); dw: shape (K, D, M); db: shape (K, M): the gradients of sum(dout * out). Where pieces tie
      for the maximum, any subgradient is accepted (the whole of dout to one of them, or split between them).
    """


def affine_relu_forward(x: Array("N", "*d"), w: Array("D", "M"), b: Array("M")) -> Returns(out=Array("N", "M"), cache=Cache()):
    """Forward pass of the affine-ReLU sandwich: an affine layer followed by a ReLU (CS231n's layer_utils).

    Inputs:
    - x: shape (N, d1, ..., dk); w: shape (D, M); b: shape (M,), as for affine_forward.

    Returns a tuple of:
    - out: shape (N, M), max(0, x.reshape(N, D) @ w + b).
    - cache: whatever affine_relu_backward needs (CS231n: the affine cache and the ReLU cache).
    """


def affine_relu_backward(dout: Array("N", "M"), cache: Cache()) -> Returns(dx=Array("N", "*d"), dw=Array("D", "M"), db=Array("M")):
    """Backward pass of the affine-ReLU sandwich: the ReLU's backward, then the affine layer's.

    Inputs:
    - dout: upstream gradient, shape (N, M).
    - cache: what affine_relu_forward returned.

    Returns a tuple of:
    - dx: shape (N, d1, ..., dk); dw: shape (D, M); db: shape (M,). Where the affine output is exactly 0, any
      subgradient of the ReLU is accepted, as for relu_backward.
    """
