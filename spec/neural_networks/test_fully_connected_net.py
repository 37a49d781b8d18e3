"""The fully connected network: FullyConnectedNet(hidden_dims, input_dim, num_classes, activation, reg, weight_scale,
seed), CS231n's {affine - activation} x (L - 1) - affine - softmax with L = len(hidden_dims) + 1, params W1, b1, ...,
WL, bL, and activation "relu", "leaky_relu" (slope 0.01), "sigmoid" or "tanh" after every hidden affine layer.

The network's width (hidden_dims[i]) and depth (len(hidden_dims)) fix the shapes of its parameters; the rest is as for
the two-layer network (loss(X) = scores, loss(X, y) = (mean softmax cross-entropy + reg * sum of the squared weights,
grads keyed like params)). The tolerances and the gradient check are derived in spec/neural_networks/common.py.
"""

import numpy as np
import scipy.special
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.neural_networks.by_hand import FullyConnectedNetWithLoops
from spec.neural_networks.common import (
    ACTIVATIONS,
    away_from_the_kink,
    batches,
    check_initial_loss,
    check_initial_shapes,
    check_initial_weights,
    check_loss,
    check_parameter_gradients,
    check_regularization,
    check_scores,
    depths,
    initialization_scales,
    input_shapes,
    parameters_for,
    positive_regularization_strengths,
    regularization_strengths,
    seeds,
    set_params,
    small_weight_scales,
)
from spec.property import alternative, mutant, prop

CONCEPT = "fully connected network"
WIDTH_DEPTH = "network width and depth"
CS231N = ("CS231n assignment 2, fc_net.py: FullyConnectedNet, {affine - activation} x (L - 1) - affine - softmax; "
          "loss(X, y=None) returns the scores, or (loss, grads) keyed like params")
I2DL_WIDTH_DEPTH = "TUM I2DL lecture 6 recap, slide 2 (neural network width and depth)"
I2DL_ACTIVATIONS = ("TUM I2DL lecture 3, slide 7 (activation functions: sigmoid, tanh, ReLU, leaky ReLU); CS231n "
                    "fc_net.py (leaky slope 0.01)")
CS231N_GRADCHECK = ("CS231n lecture 4 (2015), slides 40-43: numerical gradient by centered differences, used to check "
                    "every parameter's analytic gradient")
CS231N_INIT = ("CS231n lecture 4 (2015), slide 34: 'when W = 0, what is the CIFAR-10 loss for softmax?' "
               "(log 10 = 2.302585); fc_net.py: weights weight_scale * randn, biases 0")
GT_REG = ("Georgia Tech CS 4803/7643, linear classifiers and loss functions: full loss = data loss + reg R(W), "
          "L2 on the weights only")

NET = "FullyConnectedNet"


@st.composite
def fc_problems(draw, kink_free=False):
    """(hidden_dims, activation, params, X, y): up to 3 hidden layers of width <= 4, D <= 8, C in 2..4, any activation,
    and a batch with X of shape (N, d1, ..., dk). kink_free moves the hidden biases of ReLU nets so that every hidden
    pre-activation is KINK_GAP from 0."""
    input_shape = draw(input_shapes())
    hidden, c = draw(depths()), draw(st.integers(2, 4))
    activation = draw(st.sampled_from(ACTIVATIONS))
    params = draw(parameters_for((int(np.prod(input_shape)), *hidden, c)))
    X, y = draw(batches(input_shape, c))
    if kink_free:
        params = away_from_the_kink(params, X, activation)
    return hidden, activation, params, X, y


def make(FullyConnectedNet, hidden, activation, params, reg=0.0):
    """A FullyConnectedNet sized for params (its own initial params are replaced by the properties)."""
    d, c = params["W1"].shape[0], params[f"W{len(hidden) + 1}"].shape[1]
    return FullyConnectedNet(list(hidden), input_dim=d, num_classes=c, activation=activation, reg=reg, seed=0)


def described(hidden, activation, reg=None) -> str:
    text = f"{NET}({list(hidden)}, activation={activation!r}"
    return text + (f", reg={reg:g})" if reg is not None else ")")


# Two hidden layers of width 3 on X of shape (3, 2, 2), N = 3 (so dividing by N twice shows): every activation cuts
# or bends here (negative pre-activations in both hidden layers), and no pre-activation is near the kink.
DEEP_PARAMS = {
    "W1": np.array([[0.5, -0.25, 0.125], [-0.5, 0.25, 0.25], [0.25, 0.5, -0.125], [-0.125, 0.25, 0.5]]) / 2,
    "b1": np.array([0.1, -0.2, 0.3]),
    "W2": np.array([[0.5, -0.5, 0.25], [0.25, 0.75, -0.5], [-0.25, 0.5, 0.75]]) / 2,
    "b2": np.array([-0.1, 0.05, 0.2]),
    "W3": np.array([[0.5, -0.5], [0.25, 0.75], [-0.75, 0.5]]) / 3,
    "b3": np.array([0.2, -0.1]),
}
DEEP_X = np.array([[[1.0, -0.5], [0.25, 0.75]], [[-1.0, 0.5], [0.5, -0.25]], [[0.5, 0.5], [-0.75, 1.0]]])
DEEP_Y = np.array([1, 0, 1])


def deep(activation):
    return [3, 3], activation, DEEP_PARAMS, DEEP_X, DEEP_Y


@prop(WIDTH_DEPTH, I2DL_WIDTH_DEPTH, "params holds exactly W1, b1, ..., WL, bL for L = len(hidden_dims) + 1 layers: W1 (D, hidden_dims[0]), W<i> (hidden_dims[i-2], hidden_dims[i-1]), WL (hidden_dims[-1], C), or W1 (D, C) with no hidden layers; biases start at 0.")
@given(d=st.integers(1, 8), hidden=st.lists(st.integers(1, 6), min_size=0, max_size=4), c=st.integers(2, 6),
       activation=st.sampled_from(ACTIVATIONS))
@example(d=5, hidden=[], c=3, activation="relu")
@example(d=4, hidden=[3, 5, 2], c=3, activation="tanh")
def test_fully_connected_net_params_follow_its_width_and_depth(FullyConnectedNet, d, hidden, c, activation):
    net = FullyConnectedNet(list(hidden), input_dim=d, num_classes=c, activation=activation)
    check_initial_shapes(net.params, (d, *hidden, c),
                         f"{NET}({list(hidden)}, input_dim={d}, num_classes={c}, activation={activation!r})")


@prop(CONCEPT, CS231N_INIT, "The initial weights look like draws of N(0, weight_scale**2): each matrix's sample standard deviation is about weight_scale and its mean about 0 (bounds that fail correct code with probability below 1e-9).")
@given(d=st.integers(20, 30), hidden=st.lists(st.integers(20, 30), min_size=1, max_size=2), c=st.integers(20, 25),
       weight_scale=initialization_scales(), seed=seeds())
@example(d=20, hidden=[20], c=20, weight_scale=1e-2, seed=0)
def test_fully_connected_net_initial_weights_have_standard_deviation_weight_scale(FullyConnectedNet, d, hidden, c,
                                                                                  weight_scale, seed):
    net = FullyConnectedNet(list(hidden), input_dim=d, num_classes=c, weight_scale=weight_scale, seed=seed)
    check_initial_weights(net.params, weight_scale, f"{NET}(weight_scale={weight_scale:.3g}, seed={seed})")


@prop(CONCEPT, CS231N, "Two networks built with the same seed (and configuration) have exactly the same params.")
@given(d=st.integers(1, 6), hidden=depths(), c=st.integers(2, 4), weight_scale=initialization_scales(), seed=seeds())
@example(d=3, hidden=[4], c=2, weight_scale=1e-2, seed=0)
def test_fully_connected_net_same_seed_gives_the_same_params(FullyConnectedNet, d, hidden, c, weight_scale, seed):
    first, second = (FullyConnectedNet(list(hidden), input_dim=d, num_classes=c, weight_scale=weight_scale, seed=seed)
                     for _ in range(2))
    for key in sorted(first.params):
        expect.equal(f"{NET}(seed={seed}).params[{key!r}] of a second network", second.params[key], first.params[key],
                     why="the first network's: the same seed gives the same params (np.random.default_rng(seed))",
                     inputs={"hidden_dims": list(hidden), "input_dim": d, "num_classes": c,
                             "weight_scale": weight_scale, "seed": seed})


@prop(CONCEPT, I2DL_ACTIVATIONS, "loss(X) without labels returns the scores of {affine - activation} x (L - 1) - affine with the chosen activation (leaky slope 0.01), shape (N, C), X of shape (N, d1, ..., dk) flattened row-major, with the params as set at the call.")
@given(problem=fc_problems())
@example(problem=deep("relu"))
@example(problem=deep("leaky_relu"))
@example(problem=deep("sigmoid"))
@example(problem=deep("tanh"))
def test_fully_connected_net_scores_are_the_forward_pass(FullyConnectedNet, problem):
    hidden, activation, params, X, _ = problem
    check_scores(make(FullyConnectedNet, hidden, activation, params), params, X, activation,
                 described(hidden, activation))


@prop(CONCEPT, CS231N, "loss(X, y) returns the mean softmax cross-entropy of the scores plus reg times the sum of the squares of every weight matrix W1, ..., WL.")
@given(problem=fc_problems(), reg=regularization_strengths())
@example(problem=deep("relu"), reg=0.0)
@example(problem=deep("sigmoid"), reg=0.5)
def test_fully_connected_net_loss_is_the_mean_cross_entropy_plus_l2(FullyConnectedNet, problem, reg):
    hidden, activation, params, X, y = problem
    check_loss(make(FullyConnectedNet, hidden, activation, params, reg), params, X, y, activation, reg,
               described(hidden, activation, reg))


@prop(CONCEPT, CS231N_GRADCHECK, "Every gradient in grads (W1, b1, ..., WL, bL) matches central finite differences of the loss, for each activation, with reg = 0 and with reg > 0 (ReLU inputs away from the kink).")
@given(problem=fc_problems(kink_free=True), reg=regularization_strengths())
@example(problem=deep("relu"), reg=0.0)
@example(problem=deep("leaky_relu"), reg=0.5)
@example(problem=deep("sigmoid"), reg=0.0)
@example(problem=deep("tanh"), reg=0.5)
def test_fully_connected_net_gradients_match_finite_differences(FullyConnectedNet, problem, reg):
    hidden, activation, params, X, y = problem
    net = make(FullyConnectedNet, hidden, activation, params, reg)
    set_params(net, params)
    check_parameter_gradients(net, params, X, y, activation, reg, described(hidden, activation, reg))


@prop(CONCEPT, GT_REG, "Regularization adds exactly reg * (sum(W1**2) + ... + sum(WL**2)) to the loss and 2 reg W to grads[W], for any biases (never reg * sum(b**2), and without CS231n 2020's 0.5).")
@given(problem=fc_problems(), reg=positive_regularization_strengths())
@example(problem=deep("tanh"), reg=0.5)
def test_fully_connected_net_regularizes_the_weights_only(FullyConnectedNet, problem, reg):
    hidden, activation, params, X, y = problem
    check_regularization(lambda r: make(FullyConnectedNet, hidden, activation, params, r), params, X, y, activation,
                         reg, described(hidden, activation))


@st.composite
def initial_problems(draw):
    """(hidden_dims, activation, C, X, y, weight_scale, seed): a small network of any activation, a batch with entries
    in [-1, 1] and weight_scale <= 1e-3."""
    input_shape = draw(input_shapes())
    hidden = draw(st.lists(st.integers(1, 8), min_size=0, max_size=3))
    c = draw(st.integers(2, 10))
    X, y = draw(batches(input_shape, c))
    return hidden, draw(st.sampled_from(ACTIVATIONS)), c, X, y, draw(small_weight_scales()), draw(seeds())


# CIFAR-10 sized, as in CS231n: D = 3 * 32 * 32, hidden layers of 100 and 50, C = 10, two images with entries in
# [-1, 1]: log 10 = 2.302585.
CIFAR_X = np.random.default_rng(0).uniform(-1, 1, (2, 3, 32, 32))
CIFAR = ([100, 50], "relu", 10, CIFAR_X, np.array([3, 8]), 1e-3, 0)


@prop(CONCEPT, CS231N_INIT, "With small initial weights (weight_scale 1e-5 .. 1e-3) and reg = 0 the loss is about log C (2.302585 for CIFAR-10's 10 classes), for every activation and depth, within a bound derived from the size of such weights' scores.")
@given(problem=initial_problems())
@example(problem=CIFAR)
@example(problem=([4, 4], "sigmoid", 2, DEEP_X, DEEP_Y, 1e-3, 0))
def test_fully_connected_net_initial_loss_is_about_log_C(FullyConnectedNet, problem):
    hidden, activation, c, X, y, weight_scale, seed = problem
    d = int(np.prod(X.shape[1:]))
    net = FullyConnectedNet(list(hidden), input_dim=d, num_classes=c, activation=activation, reg=0.0,
                            weight_scale=weight_scale, seed=seed)
    check_initial_loss(net, X, y, (d, *hidden, c), activation, weight_scale,
                       f"{described(hidden, activation)[:-1]}, weight_scale={weight_scale:.3g}, seed={seed})")


# Mutants: FullyConnectedNet as students get it wrong, each a FullyConnectedNetWithLoops with one step changed.


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_regularizes_the_weights_only])
class FullyConnectedNetRegularizingBiases(FullyConnectedNetWithLoops):
    """reg * sum(p**2) over every entry of params, biases included (and 2 reg b in their gradients)."""

    def _penalty(self):
        return sum(self.reg * np.sum(p**2) for p in self.params.values())

    def _penalty_gradient(self, key):
        return 2.0 * self.reg * self.params[key]


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_regularizes_the_weights_only,
                                       test_fully_connected_net_loss_is_the_mean_cross_entropy_plus_l2])
class FullyConnectedNetWithHalfReg(FullyConnectedNetWithLoops):
    """CS231n 2020's 0.5 * reg * sum(W**2), with its gradient reg * W: consistent, but not this contract."""

    def _penalty(self):
        return 0.5 * super()._penalty()

    def _penalty_gradient(self, key):
        return 0.5 * super()._penalty_gradient(key)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_regularizes_the_weights_only,
                                       test_fully_connected_net_loss_is_the_mean_cross_entropy_plus_l2])
class FullyConnectedNetRegularizingTheHiddenLayersOnly(FullyConnectedNetWithLoops):
    """for i in range(1, self.num_layers): an off-by-one that leaves WL out of the penalty (and its gradient)."""

    def _penalty(self):
        return sum(self.reg * np.sum(self.params[f"W{i}"] ** 2) for i in range(1, self.num_layers))

    def _penalty_gradient(self, key):
        return 0.0 if key == f"W{self.num_layers}" else super()._penalty_gradient(key)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_gradients_match_finite_differences,
                                       test_fully_connected_net_regularizes_the_weights_only])
class FullyConnectedNetWithoutRegInTheGradient(FullyConnectedNetWithLoops):
    """The loss has reg * sum(W**2), the gradients forget 2 reg W."""

    def _penalty_gradient(self, key):
        return 0.0


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_scores_are_the_forward_pass,
                                       test_fully_connected_net_loss_is_the_mean_cross_entropy_plus_l2])
class FullyConnectedNetIgnoringTheActivation(FullyConnectedNetWithLoops):
    """Always ReLU: the activation argument stored but never used."""

    def _activation_forward(self, z):
        return np.maximum(z, 0.0), z

    def _activation_backward(self, dout, cache):
        return dout * (cache > 0)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_scores_are_the_forward_pass])
class FullyConnectedNetWithI2DLsLeakySlope(FullyConnectedNetWithLoops):
    """Leaky ReLU with I2DL's slide slope max(0.1 x, x) instead of the contract's 0.01."""

    def _activation_forward(self, z):
        if self.activation == "leaky_relu":
            return np.where(z > 0, z, 0.1 * z), z
        return super()._activation_forward(z)

    def _activation_backward(self, dout, cache):
        if self.activation == "leaky_relu":
            return dout * np.where(cache > 0, 1.0, 0.1)
        return super()._activation_backward(dout, cache)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_scores_are_the_forward_pass,
                                       test_fully_connected_net_loss_is_the_mean_cross_entropy_plus_l2])
class FullyConnectedNetWithoutTheLastHiddenActivation(FullyConnectedNetWithLoops):
    """for i in range(1, L - 1): the activation after the last hidden layer forgotten (an off-by-one)."""

    def _activated(self, i):
        return i < self.num_layers - 1


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_scores_are_the_forward_pass,
                                       test_fully_connected_net_loss_is_the_mean_cross_entropy_plus_l2])
class FullyConnectedNetActivatingTheScores(FullyConnectedNetWithLoops):
    """{affine - activation} x L: the activation applied to the scores too."""

    def _activated(self, i):
        return True


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_gradients_match_finite_differences])
class FullyConnectedNetDividingByNTwice(FullyConnectedNetWithLoops):
    """dW = h.T @ dz / N, with dz already divided by N."""

    def _weight_gradient(self, h, dz, i):
        return h.T @ dz / h.shape[0]


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_gradients_match_finite_differences])
class FullyConnectedNetWithSigmoidDerivativeOfTheInput(FullyConnectedNetWithLoops):
    """sigmoid backward as z (1 - z) on the pre-activation z instead of s (1 - s) on the output."""

    def _activation_forward(self, z):
        out, cache = super()._activation_forward(z)
        return (out, z) if self.activation == "sigmoid" else (out, cache)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_gradients_match_finite_differences])
class FullyConnectedNetWithTanhDerivativeOfTheInput(FullyConnectedNetWithLoops):
    """tanh backward as 1 - z**2 on the pre-activation z instead of 1 - t**2 on the output."""

    def _activation_forward(self, z):
        out, cache = super()._activation_forward(z)
        return (out, z) if self.activation == "tanh" else (out, cache)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_initial_weights_have_standard_deviation_weight_scale,
                                       test_fully_connected_net_initial_loss_is_about_log_C])
class FullyConnectedNetWithVarianceWeightScale(FullyConnectedNetWithLoops):
    """np.sqrt(weight_scale) * randn: weight_scale taken as the variance, not the standard deviation."""

    def _initial_weights(self, rng, shape, weight_scale):
        return np.sqrt(weight_scale) * rng.standard_normal(shape)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_same_seed_gives_the_same_params])
class FullyConnectedNetIgnoringTheSeed(FullyConnectedNetWithLoops):
    """np.random.randn for the weights: the seed argument never reaches the generator."""

    def _initial_weights(self, rng, shape, weight_scale):
        return weight_scale * np.random.randn(*shape)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_loss_is_the_mean_cross_entropy_plus_l2,
                                       test_fully_connected_net_initial_loss_is_about_log_C])
class FullyConnectedNetSummingTheLoss(FullyConnectedNetWithLoops):
    """The cross-entropy summed over the batch, not averaged (the gradients summed too, consistently)."""

    def _data_loss(self, scores, y):
        loss, dscores = super()._data_loss(scores, y)
        return loss * scores.shape[0], dscores * scores.shape[0]


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_scores_are_the_forward_pass,
                                       test_fully_connected_net_gradients_match_finite_differences])
class FullyConnectedNetForgettingTheLastBias(FullyConnectedNetWithLoops):
    """scores = h @ WL with bL left out (its gradient still computed)."""

    def _affine(self, h, W, b, i):
        return h @ W if i == self.num_layers else h @ W + b


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_params_follow_its_width_and_depth])
class FullyConnectedNetWithTheFirstWidthEverywhere(FullyConnectedNetWithLoops):
    """Every hidden layer as wide as the first: dims = [D] + [hidden_dims[0]] * len(hidden_dims) + [C]."""

    def __init__(self, hidden_dims, input_dim=3072, num_classes=10, activation="relu", reg=0.0, weight_scale=1e-2,
                 seed=None):
        widths = [hidden_dims[0]] * len(hidden_dims) if hidden_dims else []
        super().__init__(widths, input_dim, num_classes, activation, reg, weight_scale, seed)


@mutant(of="FullyConnectedNet", kills=[test_fully_connected_net_params_follow_its_width_and_depth])
class FullyConnectedNetWithAnExtraLayer(FullyConnectedNetWithLoops):
    """L = len(hidden_dims) + 2 layers: an extra square layer of width C before the scores."""

    def __init__(self, hidden_dims, input_dim=3072, num_classes=10, activation="relu", reg=0.0, weight_scale=1e-2,
                 seed=None):
        super().__init__([*hidden_dims, num_classes], input_dim, num_classes, activation, reg, weight_scale, seed)


# Correct alternatives.


def _sigmoid(z):
    return scipy.special.expit(z)


LAYER_TABLE = {
    # name: (forward z -> (out, cache), backward (dout, cache) -> dz)
    "relu": (lambda z: (z * (z > 0), z > 0), lambda dout, mask: dout * mask),
    "leaky_relu": (lambda z: (np.maximum(0.01 * z, z), z), lambda dout, z: np.where(z >= 0, dout, 0.01 * dout)),
    "sigmoid": (lambda z: (_sigmoid(z),) * 2, lambda dout, s: dout * s * (1 - s)),
    "tanh": (lambda z: (2 * _sigmoid(2 * z) - 1,) * 2, lambda dout, t: dout * (1 - t) * (1 + t)),
}


@alternative(of="FullyConnectedNet")
class FullyConnectedNetWithALayerTable:
    """A table of activation functions, np.random.RandomState(seed), tanh as 2 sigmoid(2z) - 1, scipy's log_softmax,
    einsum and ones @ dz for the gradients, the penalty by np.linalg.norm."""

    def __init__(self, hidden_dims, input_dim=3072, num_classes=10, activation="relu", reg=0.0, weight_scale=1e-2,
                 seed=None):
        self.reg, self.activation = reg, activation
        self.num_layers = len(hidden_dims) + 1
        rng = np.random.RandomState(seed)
        dims = [input_dim, *hidden_dims, num_classes]
        self.params = {}
        for i in range(self.num_layers):
            self.params[f"W{i + 1}"] = rng.normal(0.0, weight_scale, size=(dims[i], dims[i + 1]))
            self.params[f"b{i + 1}"] = np.zeros(dims[i + 1])

    def loss(self, X, y=None):
        forward, backward = LAYER_TABLE[self.activation]
        out = np.reshape(X, (len(X), -1))
        inputs, caches = {}, {}
        for i in range(1, self.num_layers + 1):
            inputs[i] = out
            out = out @ self.params[f"W{i}"] + self.params[f"b{i}"]
            if i < self.num_layers:
                out, caches[i] = forward(out)
        if y is None:
            return out
        n = len(y)
        log_p = scipy.special.log_softmax(out, axis=1)
        weights = [self.params[f"W{i}"] for i in range(1, self.num_layers + 1)]
        loss = -np.mean(log_p[np.arange(n), y]) + self.reg * sum(np.linalg.norm(W) ** 2 for W in weights)
        dz = (np.exp(log_p) - np.eye(out.shape[1])[y]) / n
        grads = {}
        for i in range(self.num_layers, 0, -1):
            if i < self.num_layers:
                dz = backward(dz, caches[i])
            grads[f"W{i}"] = np.einsum("nd,nm->dm", inputs[i], dz) + 2 * self.reg * self.params[f"W{i}"]
            grads[f"b{i}"] = np.ones(n) @ dz
            dz = dz @ self.params[f"W{i}"].T
        return loss, grads


alternative(of="FullyConnectedNet")(FullyConnectedNetWithLoops)
