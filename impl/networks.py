"""Fully connected networks (CS231n's fc_net.py): a two-layer network and one of any depth, width and activation.

Shapes and return values are stated in spec/contract/networks.py. Both classes keep their parameters in the dict
``params`` (W1, b1, ..., WL, bL) and read it afresh at every call of ``loss``, which never modifies it.
``loss(X, y=None)`` flattens X of shape (N, d1, ..., dk) row-major to (N, D), runs {affine - activation} x (L - 1) -
affine, and returns the scores (N, C) without labels; with labels it returns (loss, grads), the softmax
cross-entropy averaged over the batch plus ``reg * sum(W**2)`` over the weights (never the biases), and its gradient
(``2 * reg * W`` from the regularization).

The layers and the loss are the reference's own (impl.layers, impl.losses.softmax_loss, which subtracts each row's
maximum before exp), so the network is vectorized and numerically stable wherever they are.
"""

import numpy as np

from impl import _validate
from impl.layers import (
    affine_backward,
    affine_forward,
    leaky_relu_backward,
    leaky_relu_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    tanh_backward,
    tanh_forward,
)
from impl.losses import softmax_loss

ACTIVATIONS = {
    "relu": (relu_forward, relu_backward),
    "leaky_relu": (leaky_relu_forward, leaky_relu_backward),  # the default slope alpha = 0.01
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
}


def _scale_and_reg(weight_scale, reg):
    return (_validate.real_number("weight_scale", weight_scale, minimum=0.0),
            _validate.real_number("reg", reg, minimum=0.0))


def _initial_params(rng, dims, weight_scale):
    """W<i> of shape (dims[i-1], dims[i]) drawn from N(0, weight_scale**2), b<i> zeros of shape (dims[i],)."""
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(dims[:-1], dims[1:]), start=1):
        params[f"W{i}"] = rng.normal(0.0, weight_scale, (fan_in, fan_out))
        params[f"b{i}"] = np.zeros(fan_out)
    return params


def _batch(X, y, input_dim, num_classes):
    """X as float64 of shape (N, d1, ..., dk) with d1 * ... * dk = input_dim; y as int64 labels or None."""
    X = _validate.real_array("data X", X)
    if X.ndim < 2 or int(np.prod(X.shape[1:])) != input_dim:
        raise ValueError(f"data X must have shape (N, d1, ..., dk) with d1 * ... * dk = D = {input_dim}, "
                         f"got shape {X.shape}")
    if y is not None:
        _validate.nonempty("data X", X)
        y = _validate.labels(y, X.shape[0], num_classes, against=f"X of shape {X.shape}")
    return X, y


def _params_of(params, dims):
    """The weights and biases of layers 1..L as float64 arrays, in order, checked against the layer sizes dims =
    (D, H1, ..., C): W<i> of shape (dims[i-1], dims[i]), b<i> of shape (dims[i],)."""
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict of arrays, got {type(params).__name__}")
    num_layers = len(dims) - 1
    layers = []
    for i in range(1, num_layers + 1):
        arrays = []
        for key, shape in ((f"W{i}", (dims[i - 1], dims[i])), (f"b{i}", (dims[i],))):
            if key not in params:
                raise ValueError(f"params has no {key!r}; a network with {num_layers} layers has W1, b1, ..., "
                                 f"W{num_layers}, b{num_layers}")
            value = _validate.real_array(f"params[{key!r}]", params[key])
            if value.shape != shape:
                raise ValueError(f"params[{key!r}] must have shape {shape} (layer sizes {list(dims)}), "
                                 f"got {value.shape}")
            arrays.append(value)
        layers.append(tuple(arrays))
    return layers


def _network_loss(layers, activation, X, y, reg):
    """{affine - activation} x (L - 1) - affine on X; the scores without y, else (loss, grads) with L2 on weights."""
    forward, backward = ACTIVATIONS[activation]
    caches = []
    out = X
    for i, (W, b) in enumerate(layers):
        out, affine_cache = affine_forward(out, W, b)
        activation_cache = None
        if i < len(layers) - 1:  # no activation on the scores
            out, activation_cache = forward(out)
        caches.append((affine_cache, activation_cache))
    if y is None:
        return out

    loss, dout = softmax_loss(out, y)
    loss += reg * sum(float(np.sum(W * W)) for W, _ in layers)
    grads = {}
    for i in range(len(layers), 0, -1):
        affine_cache, activation_cache = caches[i - 1]
        if activation_cache is not None:
            dout = backward(dout, activation_cache)
        dout, dW, db = affine_backward(dout, affine_cache)
        W = layers[i - 1][0]
        grads[f"W{i}"] = dW + 2.0 * reg * W
        grads[f"b{i}"] = db
    return float(loss), grads


class TwoLayerNet:
    """affine - ReLU - affine - softmax, with params W1 (D, H), b1 (H,), W2 (H, C), b2 (C,)."""

    def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        self.input_dim = _validate.count("input_dim", input_dim, 1)
        self.hidden_dim = _validate.count("hidden_dim", hidden_dim, 1)
        self.num_classes = _validate.count("num_classes", num_classes, 1)
        self.weight_scale, self.reg = _scale_and_reg(weight_scale, reg)
        self.params = _initial_params(np.random.default_rng(), (self.input_dim, self.hidden_dim, self.num_classes),
                                      self.weight_scale)

    def loss(self, X, y=None):
        X, y = _batch(X, y, self.input_dim, self.num_classes)
        dims = (self.input_dim, self.hidden_dim, self.num_classes)
        return _network_loss(_params_of(self.params, dims), "relu", X, y, self.reg)


class FullyConnectedNet:
    """{affine - activation} x (L - 1) - affine - softmax, with L = len(hidden_dims) + 1 and params W1, b1, ..., WL,
    bL; the weights drawn from np.random.default_rng(seed)."""

    def __init__(self, hidden_dims, input_dim=3072, num_classes=10, activation="relu", reg=0.0, weight_scale=1e-2,
                 seed=None):
        if not isinstance(hidden_dims, (list, tuple)):
            raise ValueError(f"hidden_dims must be a list of positive ints (the widths of the hidden layers), "
                             f"got {type(hidden_dims).__name__}")
        self.hidden_dims = [_validate.count(f"hidden_dims[{i}]", h, 1) for i, h in enumerate(hidden_dims)]
        self.input_dim = _validate.count("input_dim", input_dim, 1)
        self.num_classes = _validate.count("num_classes", num_classes, 1)
        self.activation = _validate.choice("activation", activation, tuple(ACTIVATIONS))
        self.weight_scale, self.reg = _scale_and_reg(weight_scale, reg)
        if seed is not None:
            seed = _validate.count("seed", seed, 0)
        self.num_layers = len(self.hidden_dims) + 1
        dims = (self.input_dim, *self.hidden_dims, self.num_classes)
        self.params = _initial_params(np.random.default_rng(seed), dims, self.weight_scale)

    def loss(self, X, y=None):
        X, y = _batch(X, y, self.input_dim, self.num_classes)
        dims = (self.input_dim, *self.hidden_dims, self.num_classes)
        return _network_loss(_params_of(self.params, dims), self.activation, X, y, self.reg)
