"""A correct fully connected network written here, for this chapter's alternatives and mutants.

``LoopNetwork`` runs the layers in explicit Python loops, keeps each layer's cache in a list, and computes the
softmax cross-entropy by log-sum-exp: another way of writing CS231n's fc_net.py than the reference's. Its steps are
methods, so that each mutant (a class deriving from a correct one) overrides just the step a student gets wrong.
"""

from __future__ import annotations

import numpy as np

LEAKY_SLOPE = 0.01


class LoopNetwork:
    """{affine - activation} x (L - 1) - affine - softmax, one layer at a time."""

    def _setup(self, dims, activation, weight_scale, reg, rng):
        self.dims = [int(d) for d in dims]
        self.activation = activation
        self.reg = reg
        self.num_layers = len(self.dims) - 1
        self.params = {}
        for i in range(1, self.num_layers + 1):
            fan_in, fan_out = self.dims[i - 1], self.dims[i]
            self.params[f"W{i}"] = self._initial_weights(rng, (fan_in, fan_out), weight_scale)
            self.params[f"b{i}"] = self._initial_biases(fan_out)

    # Initialization.

    def _initial_weights(self, rng, shape, weight_scale):
        return weight_scale * rng.standard_normal(shape)

    def _initial_biases(self, size):
        return np.zeros(size)

    # Forward and backward steps.

    def _flatten(self, X):
        return X.reshape(X.shape[0], -1)

    def _activated(self, i):
        """Does layer i (1-based) end with the activation? Every hidden layer does, the scores' layer does not."""
        return i < self.num_layers

    def _affine(self, h, W, b, i):
        return h @ W + b

    def _activation_forward(self, z):
        if self.activation == "relu":
            return np.maximum(z, 0.0), z
        if self.activation == "leaky_relu":
            return np.where(z > 0, z, LEAKY_SLOPE * z), z
        if self.activation == "sigmoid":
            out = 1.0 / (1.0 + np.exp(-z))
            return out, out
        out = np.tanh(z)
        return out, out

    def _activation_backward(self, dout, cache):
        if self.activation == "relu":
            return dout * (cache > 0)
        if self.activation == "leaky_relu":
            return dout * np.where(cache > 0, 1.0, LEAKY_SLOPE)
        if self.activation == "sigmoid":
            return dout * cache * (1.0 - cache)
        return dout * (1.0 - cache**2)

    def _data_loss(self, scores, y):
        """The mean softmax cross-entropy by log-sum-exp, and its gradient (softmax - onehot) / N."""
        n = scores.shape[0]
        top = scores.max(axis=1, keepdims=True)
        lse = top + np.log(np.exp(scores - top).sum(axis=1, keepdims=True))
        log_p = scores - lse
        dscores = np.exp(log_p)
        dscores[np.arange(n), y] -= 1.0
        return -log_p[np.arange(n), y].sum() / n, dscores / n

    def _penalty(self):
        return sum(self.reg * np.sum(self.params[f"W{i}"] ** 2) for i in range(1, self.num_layers + 1))

    def _weight_gradient(self, h, dz, i):
        return h.T @ dz

    def _bias_gradient(self, dz, i):
        return dz.sum(axis=0)

    def _penalty_gradient(self, key):
        return 2.0 * self.reg * self.params[key] if key.startswith("W") else 0.0

    # The loss.

    def loss(self, X, y=None):
        h = self._flatten(X)
        caches = []
        for i in range(1, self.num_layers + 1):
            z = self._affine(h, self.params[f"W{i}"], self.params[f"b{i}"], i)
            if self._activated(i):
                out, cache = self._activation_forward(z)
            else:
                out, cache = z, None
            caches.append((h, cache))
            h = out
        scores = h
        if y is None:
            return scores

        loss, dz = self._data_loss(scores, y)
        loss += self._penalty()
        grads = {}
        for i in range(self.num_layers, 0, -1):
            h_in, cache = caches[i - 1]
            if cache is not None:
                dz = self._activation_backward(dz, cache)
            grads[f"W{i}"] = self._weight_gradient(h_in, dz, i) + self._penalty_gradient(f"W{i}")
            grads[f"b{i}"] = self._bias_gradient(dz, i) + self._penalty_gradient(f"b{i}")
            dz = dz @ self.params[f"W{i}"].T
        return float(loss), grads


class TwoLayerNetWithLoops(LoopNetwork):
    """TwoLayerNet as a LoopNetwork with one ReLU hidden layer; weights from the global RNG (np.random), as CS231n's
    weight_scale * np.random.randn(D, H)."""

    def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        self._setup((input_dim, hidden_dim, num_classes), "relu", weight_scale, reg, np.random)


class FullyConnectedNetWithLoops(LoopNetwork):
    """FullyConnectedNet as a LoopNetwork; weights from np.random.default_rng(seed)."""

    def __init__(self, hidden_dims, input_dim=3072, num_classes=10, activation="relu", reg=0.0, weight_scale=1e-2,
                 seed=None):
        self._setup((input_dim, *hidden_dims, num_classes), activation, weight_scale, reg,
                    np.random.default_rng(seed))
