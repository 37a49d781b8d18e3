"""The two-layer network: TwoLayerNet(input_dim, hidden_dim, num_classes, weight_scale, reg), CS231n's
affine - ReLU - affine - softmax with params W1 (D, H), b1 (H,), W2 (H, C), b2 (C,).

loss(X) = scores = relu(X W1 + b1) W2 + b2 (X flattened row-major to (N, D)); loss(X, y) = (mean softmax
cross-entropy + reg * (sum(W1**2) + sum(W2**2)), grads keyed like params). The tolerances and the gradient check are
derived in spec/neural_networks/common.py.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.neural_networks.by_hand import TwoLayerNetWithLoops
from spec.neural_networks.common import (
    away_from_the_kink,
    batches,
    check_initial_loss,
    check_initial_shapes,
    check_initial_weights,
    check_loss,
    check_parameter_gradients,
    check_regularization,
    check_scores,
    initialization_scales,
    input_shapes,
    inputs_of,
    loss_error,
    parameters_for,
    positive_regularization_strengths,
    regularization_strengths,
    score_error,
    set_params,
    small_weight_scales,
    widths,
)
from spec.property import alternative, mutant, prop

CONCEPT = "two-layer network"
CS231N = ("CS231n assignment 2, fc_net.py: TwoLayerNet, affine - relu - affine - softmax; loss(X, y=None) returns "
          "the scores, or (loss, grads) keyed like params")
CS231N_NOTEBOOK = "CS231n assignment 2, FullyConnectedNets notebook: the TwoLayerNet test with linspace parameters"
CS231N_GRADCHECK = ("CS231n lecture 4 (2015), slides 40-43: numerical gradient by centered differences, used to check "
                    "every parameter's analytic gradient")
CS231N_INIT = ("CS231n lecture 4 (2015), slide 34: 'when W = 0, what is the CIFAR-10 loss for softmax?' "
               "(log 10 = 2.302585); fc_net.py: weights weight_scale * randn, biases 0")
GT_REG = ("Georgia Tech CS 4803/7643, linear classifiers and loss functions: full loss = data loss + reg R(W), "
          "L2 on the weights only")

NET = "TwoLayerNet"


@st.composite
def two_layer_problems(draw, kink_free=False):
    """(params, X, y): a TwoLayerNet's params for D = prod(input shape) <= 8, H <= 4, C in 2..4, and a batch with X
    of shape (N, d1, ..., dk). kink_free moves b1 so that every hidden pre-activation is KINK_GAP from 0."""
    input_shape = draw(input_shapes())
    d, h, c = int(np.prod(input_shape)), draw(widths()), draw(st.integers(2, 4))
    params = draw(parameters_for((d, h, c)))
    X, y = draw(batches(input_shape, c))
    if kink_free:
        params = away_from_the_kink(params, X, "relu")
    return params, X, y


def make(TwoLayerNet, params, reg=0.0):
    """A TwoLayerNet sized for params (its own initial params are replaced by the properties)."""
    (d, h), c = params["W1"].shape, params["W2"].shape[1]
    return TwoLayerNet(input_dim=d, hidden_dim=h, num_classes=c, reg=reg)


# CS231n's notebook test of TwoLayerNet: N, D, H, C = 3, 5, 50, 7, parameters from np.linspace, and its published
# scores (8 decimals) and loss 3.4702243556 with y = (0, 5, 1). With reg = 1.0 the notebook expects 26.5948426952 =
# 3.4702243556 + 0.5 * 46.2492366793 (its fc_net.py had 0.5 * reg * sum(W**2)); sum(W1**2) + sum(W2**2) =
# 46.24923667928638 here, so this contract's loss is 3.4702243556 + 46.2492366793 = 49.7194610349 (float64 gives
# 49.719461034881775).
NB_N, NB_D, NB_H, NB_C = 3, 5, 50, 7
NB_PARAMS = {
    "W1": np.linspace(-0.7, 0.3, num=NB_D * NB_H).reshape(NB_D, NB_H),
    "b1": np.linspace(-0.1, 0.9, num=NB_H),
    "W2": np.linspace(-0.3, 0.4, num=NB_H * NB_C).reshape(NB_H, NB_C),
    "b2": np.linspace(-0.9, 0.1, num=NB_C),
}
NB_X = np.linspace(-5.5, 4.5, num=NB_N * NB_D).reshape(NB_D, NB_N).T
NB_Y = np.array([0, 5, 1])
NB_SCORES = np.array([
    [11.53165108, 12.2917344, 13.05181771, 13.81190102, 14.57198434, 15.33206765, 16.09215096],
    [12.05769098, 12.74614105, 13.43459113, 14.1230412, 14.81149128, 15.49994135, 16.18839143],
    [12.58373087, 13.20054771, 13.81736455, 14.43418138, 15.05099822, 15.66781506, 16.2846319],
])
NB_LOSS, NB_LOSS_REG = 3.4702243556, 49.7194610349

# A batch of two whose hidden units sit at the kink is avoided by the strategies; this one has N = 3 (so dividing by
# N twice, or not at all, shows), a ReLU that cuts (so a missing ReLU shows) and X of shape (3, 2, 2).
SMALL_PARAMS = {
    "W1": np.array([[0.5, -0.25, 0.125], [-0.5, 0.25, 0.25], [0.25, 0.5, -0.125], [-0.125, 0.25, 0.5]]),
    "b1": np.array([0.1, -0.2, 0.3]),
    "W2": np.array([[0.5, -0.5], [0.25, 0.75], [-0.25, 0.5]]),
    "b2": np.array([0.2, -0.1]),
}
SMALL_X = np.array([[[1.0, -0.5], [0.25, 0.75]], [[-1.0, 0.5], [0.5, -0.25]], [[0.5, 0.5], [-0.75, 1.0]]])
SMALL_Y = np.array([1, 0, 1])
SMALL = (SMALL_PARAMS, SMALL_X, SMALL_Y)


@prop(CONCEPT, CS231N, "params holds exactly W1 (D, H), b1 (H,), W2 (H, C), b2 (C,) as float64, and the biases start at 0.")
@given(d=st.integers(1, 8), h=st.integers(1, 8), c=st.integers(2, 8))
@example(d=3, h=4, c=2)
def test_two_layer_net_params_have_the_configured_shapes_and_zero_biases(TwoLayerNet, d, h, c):
    net = TwoLayerNet(input_dim=d, hidden_dim=h, num_classes=c)
    check_initial_shapes(net.params, (d, h, c), f"{NET}(input_dim={d}, hidden_dim={h}, num_classes={c})")


@prop(CONCEPT, CS231N_INIT, "The initial W1 and W2 look like draws of N(0, weight_scale**2): their sample standard deviation is about weight_scale and their mean about 0 (bounds that fail correct code with probability below 1e-9).")
@given(d=st.integers(20, 40), h=st.integers(20, 40), c=st.integers(20, 30), weight_scale=initialization_scales())
@example(d=20, h=20, c=20, weight_scale=1e-2)
def test_two_layer_net_initial_weights_have_standard_deviation_weight_scale(TwoLayerNet, d, h, c, weight_scale):
    net = TwoLayerNet(input_dim=d, hidden_dim=h, num_classes=c, weight_scale=weight_scale)
    check_initial_weights(net.params, weight_scale, f"{NET}(weight_scale={weight_scale:.3g})")


@prop(CONCEPT, CS231N, "loss(X) without labels returns the scores relu(X W1 + b1) W2 + b2 of shape (N, C), X of shape (N, d1, ..., dk) flattened row-major, with the params as set at the call.")
@given(problem=two_layer_problems())
@example(problem=SMALL)
def test_two_layer_net_scores_are_affine_relu_affine(TwoLayerNet, problem):
    params, X, _ = problem
    check_scores(make(TwoLayerNet, params), params, X, "relu", NET)


@prop(CONCEPT, CS231N, "loss(X, y) returns the mean softmax cross-entropy of the scores plus reg * (sum(W1**2) + sum(W2**2)).")
@given(problem=two_layer_problems(), reg=regularization_strengths())
@example(problem=SMALL, reg=0.0)
@example(problem=SMALL, reg=0.5)
def test_two_layer_net_loss_is_the_mean_cross_entropy_plus_l2(TwoLayerNet, problem, reg):
    params, X, y = problem
    check_loss(make(TwoLayerNet, params, reg), params, X, y, "relu", reg, NET)


@prop(CONCEPT, CS231N_NOTEBOOK, "CS231n's notebook test: the linspace parameters give its published scores (11.53165108 ... 16.2846319) and loss 3.4702243556; with reg = 1.0 the loss is 49.7194610349 here (the notebook's 26.5948426952 has a 0.5 that this contract drops).")
def test_two_layer_net_matches_the_cs231n_notebook(TwoLayerNet):
    inputs = inputs_of(NB_PARAMS, NB_X, NB_Y)
    net = TwoLayerNet(input_dim=NB_D, hidden_dim=NB_H, num_classes=NB_C, weight_scale=1e-3)
    set_params(net, NB_PARAMS)
    scores = net.loss(NB_X)
    # The published scores carry 8 decimals (within 5e-9 of exact); an implementation's are within score_error,
    # doubled with a factor 2 to spare.
    expect.close(f"scores {NET}.loss(X)", scores, NB_SCORES, atol=5e-9 + 4 * score_error(NB_PARAMS, NB_X, "relu"),
                 why="CS231n's correct_scores", inputs=inputs)
    for reg, value, why in ((0.0, NB_LOSS, "CS231n's correct_loss 3.4702243556"),
                            (1.0, NB_LOSS_REG, ("3.4702243556 + reg * sum(W**2) = 3.4702243556 + 46.2492366793; "
                                                "CS231n's 26.5948426952 is with 0.5 * reg * sum(W**2), which this "
                                                "contract does not use"))):
        net = TwoLayerNet(input_dim=NB_D, hidden_dim=NB_H, num_classes=NB_C, weight_scale=1e-3, reg=reg)
        set_params(net, NB_PARAMS)
        loss, _ = net.loss(NB_X, NB_Y)
        # 10 decimals published (5e-11), plus the loss's rounding bound doubled twice.
        expect.close(f"loss of {NET}(reg={reg:g}).loss(X, y)", loss, value,
                     atol=5e-11 + 4 * loss_error(NB_PARAMS, NB_X, NB_Y, "relu", reg), why=why,
                     inputs={**inputs, "reg": reg})


@prop(CONCEPT, CS231N_GRADCHECK, "Every gradient in grads (W1, b1, W2, b2) matches central finite differences of the loss, with reg = 0 and with reg > 0 (inputs away from the ReLU's kink).")
@given(problem=two_layer_problems(kink_free=True), reg=regularization_strengths())
@example(problem=SMALL, reg=0.0)
@example(problem=SMALL, reg=0.5)
def test_two_layer_net_gradients_match_finite_differences(TwoLayerNet, problem, reg):
    params, X, y = problem
    net = make(TwoLayerNet, params, reg)
    set_params(net, params)
    check_parameter_gradients(net, params, X, y, "relu", reg, f"{NET}(reg={reg:g})")


@prop(CONCEPT, GT_REG, "Regularization adds exactly reg * (sum(W1**2) + sum(W2**2)) to the loss and 2 reg W to grads[W], for any biases (never reg * sum(b**2), and without CS231n 2020's 0.5).")
@given(problem=two_layer_problems(), reg=positive_regularization_strengths())
@example(problem=SMALL, reg=0.5)
def test_two_layer_net_regularizes_the_weights_only(TwoLayerNet, problem, reg):
    params, X, y = problem
    check_regularization(lambda r: make(TwoLayerNet, params, r), params, X, y, "relu", reg, NET)


@st.composite
def initial_problems(draw):
    """(d, h, c, X, y, weight_scale): a small network, a batch with entries in [-1, 1], weight_scale <= 1e-3."""
    input_shape = draw(input_shapes())
    h, c = draw(widths(8)), draw(st.integers(2, 10))
    X, y = draw(batches(input_shape, c))
    return int(np.prod(input_shape)), h, c, X, y, draw(small_weight_scales())


# CIFAR-10 sized, as in CS231n: D = 3 * 32 * 32, H = 100, C = 10, two images with entries in [-1, 1]: log 10 =
# 2.302585 within twice the score bound, 2 * 7^2 * 1e-6 * sqrt(100) * ||x|| <= 0.055 for ||x|| <= sqrt(3072).
CIFAR_X = np.random.default_rng(0).uniform(-1, 1, (2, 3, 32, 32))
CIFAR = (3072, 100, 10, CIFAR_X, np.array([3, 8]), 1e-3)


@prop(CONCEPT, CS231N_INIT, "With small initial weights (weight_scale 1e-5 .. 1e-3) and reg = 0 the loss is about log C (2.302585 for CIFAR-10's 10 classes), within a bound derived from the size of such weights' scores.")
@given(problem=initial_problems())
@example(problem=CIFAR)
def test_two_layer_net_initial_loss_is_about_log_C(TwoLayerNet, problem):
    d, h, c, X, y, weight_scale = problem
    net = TwoLayerNet(input_dim=d, hidden_dim=h, num_classes=c, weight_scale=weight_scale, reg=0.0)
    check_initial_loss(net, X, y, (d, h, c), "relu", weight_scale, f"{NET}(weight_scale={weight_scale:.3g})")


# Mutants: TwoLayerNet as students get it wrong, each a TwoLayerNetWithLoops with one step changed.


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_regularizes_the_weights_only])
class TwoLayerNetRegularizingBiases(TwoLayerNetWithLoops):
    """reg * sum(p**2) over every entry of params, biases included (and 2 reg b in their gradients)."""

    def _penalty(self):
        return sum(self.reg * np.sum(p**2) for p in self.params.values())

    def _penalty_gradient(self, key):
        return 2.0 * self.reg * self.params[key]


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_regularizes_the_weights_only,
                                 test_two_layer_net_loss_is_the_mean_cross_entropy_plus_l2,
                                 test_two_layer_net_matches_the_cs231n_notebook])
class TwoLayerNetWithHalfReg(TwoLayerNetWithLoops):
    """CS231n 2020's 0.5 * reg * sum(W**2), with its gradient reg * W: consistent, but not this contract."""

    def _penalty(self):
        return 0.5 * super()._penalty()

    def _penalty_gradient(self, key):
        return 0.5 * super()._penalty_gradient(key)


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_gradients_match_finite_differences,
                                 test_two_layer_net_regularizes_the_weights_only])
class TwoLayerNetWithoutRegInTheGradient(TwoLayerNetWithLoops):
    """The loss has reg * sum(W**2), the gradients forget 2 reg W."""

    def _penalty_gradient(self, key):
        return 0.0


# (The notebook's example does not kill this one: its hidden pre-activations are all positive.)
@mutant(of="TwoLayerNet", kills=[test_two_layer_net_scores_are_affine_relu_affine,
                                 test_two_layer_net_loss_is_the_mean_cross_entropy_plus_l2])
class TwoLayerNetWithoutTheReLU(TwoLayerNetWithLoops):
    """affine - affine: the ReLU between the layers forgotten (forward and backward agree, so only the values show)."""

    def _activated(self, i):
        return False


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_gradients_match_finite_differences])
class TwoLayerNetDividingByNTwice(TwoLayerNetWithLoops):
    """dW = h.T @ dscores / N, with dscores already divided by N."""

    def _weight_gradient(self, h, dz, i):
        return h.T @ dz / h.shape[0]


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_gradients_match_finite_differences])
class TwoLayerNetWithSummedGradients(TwoLayerNetWithLoops):
    """The loss is averaged over the batch, its gradients are not (dscores never divided by N)."""

    def _data_loss(self, scores, y):
        loss, dscores = super()._data_loss(scores, y)
        return loss, dscores * scores.shape[0]


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_loss_is_the_mean_cross_entropy_plus_l2,
                                 test_two_layer_net_initial_loss_is_about_log_C])
class TwoLayerNetSummingTheLoss(TwoLayerNetWithLoops):
    """The cross-entropy summed over the batch, not averaged (the gradients summed too, consistently)."""

    def _data_loss(self, scores, y):
        loss, dscores = super()._data_loss(scores, y)
        return loss * scores.shape[0], dscores * scores.shape[0]


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_initial_weights_have_standard_deviation_weight_scale,
                                 test_two_layer_net_initial_loss_is_about_log_C])
class TwoLayerNetWithVarianceWeightScale(TwoLayerNetWithLoops):
    """np.sqrt(weight_scale) * randn: weight_scale taken as the variance, not the standard deviation."""

    def _initial_weights(self, rng, shape, weight_scale):
        return np.sqrt(weight_scale) * rng.standard_normal(shape)


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_initial_weights_have_standard_deviation_weight_scale])
class TwoLayerNetWithUniformWeights(TwoLayerNetWithLoops):
    """weight_scale * np.random.rand: uniform on [0, weight_scale), not normal."""

    def _initial_weights(self, rng, shape, weight_scale):
        return weight_scale * np.random.rand(*shape)


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_params_have_the_configured_shapes_and_zero_biases])
class TwoLayerNetWithRandomBiases(TwoLayerNetWithLoops):
    """Biases drawn like the weights instead of zeros."""

    def _initial_biases(self, size):
        return 1e-3 * np.random.standard_normal(size)


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_params_have_the_configured_shapes_and_zero_biases])
class TwoLayerNetWithTransposedWeights(TwoLayerNetWithLoops):
    """The lecture's W x layout: W1 of shape (H, D), W2 of shape (C, H), used as h @ W.T."""

    def _initial_weights(self, rng, shape, weight_scale):
        return weight_scale * rng.standard_normal(shape[::-1])

    def _affine(self, h, W, b, i):
        return h @ W.T + b

    def _weight_gradient(self, h, dz, i):
        return dz.T @ h


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_scores_are_affine_relu_affine,
                                 test_two_layer_net_gradients_match_finite_differences])
class TwoLayerNetForgettingTheLastBias(TwoLayerNetWithLoops):
    """scores = h @ W2 with b2 left out (its gradient still computed)."""

    def _affine(self, h, W, b, i):
        return h @ W if i == self.num_layers else h @ W + b


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_scores_are_affine_relu_affine])
class TwoLayerNetFlatteningColumnMajor(TwoLayerNetWithLoops):
    """X.reshape(N, -1, order="F"): the batch axis mixed into the features."""

    def _flatten(self, X):
        return X.reshape(X.shape[0], -1, order="F")


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_scores_are_affine_relu_affine,
                                 test_two_layer_net_loss_is_the_mean_cross_entropy_plus_l2])
class TwoLayerNetKeepingItsOwnWeights(TwoLayerNetWithLoops):
    """Copies the initial weights into attributes (self.W1 = ...) and computes with those: setting params later has
    no effect."""

    def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        super().__init__(input_dim, hidden_dim, num_classes, weight_scale, reg)
        self._frozen = {k: v.copy() for k, v in self.params.items()}

    def _affine(self, h, W, b, i):
        return h @ self._frozen[f"W{i}"] + self._frozen[f"b{i}"]


@mutant(of="TwoLayerNet", kills=[test_two_layer_net_scores_are_affine_relu_affine])
class TwoLayerNetReturningProbabilities(TwoLayerNetWithLoops):
    """loss(X) returns softmax(scores), the class probabilities, instead of the scores."""

    def loss(self, X, y=None):
        out = super().loss(X, y)
        if y is not None:
            return out
        e = np.exp(out - out.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


# Correct alternatives.


def affine_forward(x, w, b):
    """CS231n's affine layer: x (N, d1, ..., dk) flattened row-major."""
    return x.reshape(x.shape[0], -1) @ w + b, (x, w, b)


def affine_backward(dout, cache):
    x, w, _ = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


def relu_forward(x):
    return np.maximum(0, x), x


def relu_backward(dout, cache):
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx


def softmax_loss(x, y):
    """CS231n's softmax_loss on scores: probabilities with the row maximum subtracted, then -log p."""
    shifted = x - np.max(x, axis=1, keepdims=True)
    probs = np.exp(shifted)
    probs /= np.sum(probs, axis=1, keepdims=True)
    n = x.shape[0]
    loss = -np.sum(np.log(probs[np.arange(n), y])) / n
    dx = probs.copy()
    dx[np.arange(n), y] -= 1
    return loss, dx / n


@alternative(of="TwoLayerNet")
class TwoLayerNetWithLayerFunctions:
    """CS231n's fc_net.py written out: layer functions with caches, softmax by probabilities, the global RNG."""

    def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        self.reg = reg
        self.params = {
            "W1": weight_scale * np.random.randn(input_dim, hidden_dim),
            "b1": np.zeros(hidden_dim),
            "W2": weight_scale * np.random.randn(hidden_dim, num_classes),
            "b2": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        W1, b1, W2, b2 = (self.params[k] for k in ("W1", "b1", "W2", "b2"))
        a, affine1 = affine_forward(X, W1, b1)
        hidden, relu_cache = relu_forward(a)
        scores, affine2 = affine_forward(hidden, W2, b2)
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
        dhidden, dW2, db2 = affine_backward(dscores, affine2)
        _, dW1, db1 = affine_backward(relu_backward(dhidden, relu_cache), affine1)
        grads = {"W1": dW1 + 2 * self.reg * W1, "b1": db1, "W2": dW2 + 2 * self.reg * W2, "b2": db2}
        return loss, grads


alternative(of="TwoLayerNet")(TwoLayerNetWithLoops)
