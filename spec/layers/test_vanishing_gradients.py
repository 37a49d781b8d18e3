"""Vanishing gradients: the gradient reaching the first layers of a deep stack of affine + sigmoid layers, built
from the contract's own affine_forward / affine_backward and sigmoid_forward / sigmoid_backward (or relu_*).

Backpropagation multiplies the upstream gradient by one local Jacobian per layer (the chain rule). For the layer
h = sigmoid(a), a = h_prev @ W + b, the backward pass is g_prev = (g * sigma'(a)) @ W.T, so per example
||g_prev|| <= ||W||_2 * max sigma' * ||g||, with sigma' = s (1 - s) <= 1/4 and ||W||_2 the spectral norm (the largest
singular value). Through L layers: ||dx|| <= ||dout|| * prod over the layers of ||W_l||_2 / 4, a factor 4 smaller
per layer for weights of norm 1. ReLU's derivative is 1 on its active side: a ReLU stack whose units stay active
(positive inputs, identity-like weights) passes the gradient back undiminished.

Norms of a batch of gradients are Frobenius norms (the bound holds row by row, hence for the sum of squares).
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.layers.common import U
from spec.property import mutant, prop
from spec.strategies import reals

VANISHING = "vanishing gradients"
RECAP = ("TUM I2DL lecture 6 recap, slide 16 ('problems of going deeper: vanishing gradients (multiplication of chain "
         "rule)'); lecture 5 recap, slide 2 (width and depth); lecture 3, slides 24-26 (sigma' = sigma (1 - sigma))")
RELU_RECAP = ("TUM I2DL lecture 6 recap, slide 16 (vanishing gradients); lecture 3, slide 7 (ReLU max(0, x): "
              "derivative 1 where x > 0, unlike the sigmoid's <= 1/4)")

MAX_DEPTH = 4
MAX_WIDTH = 5

# The tight case, by hand: x = 0, W_l = 2 I (spectral norm 2), b_1 = 0 and b_l = -1 above: every pre-activation is
# exactly 0 (0 @ 2I + 0 = 0, then sigmoid(0) = 1/2 and 1/2 @ 2I - 1 = 0), where sigma' = 1/4 exactly. So
# dx = dout * (2 / 4)^4 = dout / 16 exactly: the bound ||dout|| prod ||W_l||_2 / 4 holds with equality.
TIGHT_DEPTH, TIGHT_WIDTH = 4, 3
TIGHT_X = np.zeros((2, TIGHT_WIDTH))
TIGHT_WEIGHTS = tuple(2.0 * np.eye(TIGHT_WIDTH) for _ in range(TIGHT_DEPTH))
TIGHT_BIASES = (np.zeros(TIGHT_WIDTH),) + tuple(np.full(TIGHT_WIDTH, -1.0) for _ in range(TIGHT_DEPTH - 1))
TIGHT_DOUT = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])


@st.composite
def scaled_orthogonal(draw, rows: int, columns: int):
    """A (rows, columns) matrix with every singular value equal to a drawn c in [0.5, 4]: the bound's ||W||_2 is then
    exact in every direction."""
    seed = draw(hnp.arrays(np.float64, (max(rows, columns), min(rows, columns)),
                           elements=st.floats(-1, 1).filter(lambda t: abs(t) > 0.1)))
    q, r = np.linalg.qr(seed)
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)  # orthonormal columns
    c = draw(st.floats(0.5, 4.0))
    return c * (q if rows >= columns else q.T)


def weights(rows: int, columns: int):
    """Weights of one layer: arbitrary entries in [-3, 3], or a scaled orthogonal matrix (the bound tight along W)."""
    return st.one_of(hnp.arrays(np.float64, (rows, columns), elements=reals(3.0)), scaled_orthogonal(rows, columns))


@st.composite
def sigmoid_stacks(draw):
    """(x, weights, biases, dout): a stack of L = 1 to 4 affine + sigmoid layers of widths 1 to 5."""
    depth = draw(st.integers(1, MAX_DEPTH))
    widths = draw(st.lists(st.integers(1, MAX_WIDTH), min_size=depth + 1, max_size=depth + 1))
    n = draw(st.integers(1, 2))
    x = draw(hnp.arrays(np.float64, (n, widths[0]), elements=reals(3.0)))
    ws = tuple(draw(weights(widths[i], widths[i + 1])) for i in range(depth))
    bs = tuple(draw(hnp.arrays(np.float64, (widths[i + 1],), elements=reals(3.0))) for i in range(depth))
    dout = draw(hnp.arrays(np.float64, (n, widths[-1]), elements=reals(10.0)))
    return x, ws, bs, dout


@st.composite
def active_relu_stacks(draw):
    """(x, weights, biases, dout): identity-like weights (permutation matrices), positive x and biases >= 0, so that
    every pre-activation is positive (every ReLU active); dout without zeros."""
    depth, width, n = draw(st.integers(1, MAX_DEPTH)), draw(st.integers(1, MAX_WIDTH)), draw(st.integers(1, 2))
    x = draw(hnp.arrays(np.float64, (n, width), elements=st.floats(0.1, 5.0)))
    ws = tuple(np.eye(width)[draw(st.permutations(range(width)))] for _ in range(depth))
    bs = tuple(draw(hnp.arrays(np.float64, (width,), elements=st.floats(0.0, 2.0))) for _ in range(depth))
    sizes = st.floats(0.1, 10.0)
    dout = draw(hnp.arrays(np.float64, (n, width), elements=st.tuples(st.sampled_from([1.0, -1.0]), sizes).map(
        lambda p: p[0] * p[1])))
    return x, ws, bs, dout


def backward_through_stack(affine_forward, affine_backward, act_forward, act_backward, x, ws, bs, dout):
    """Forward through the stack, then back: the gradients reaching each layer's input, from the top layer's down."""
    caches, h = [], x
    for w, b in zip(ws, bs):
        a, affine_cache = affine_forward(h, w, b)
        h, act_cache = act_forward(a)
        caches.append((affine_cache, act_cache))
    grads, g = [], dout
    for affine_cache, act_cache in reversed(caches):
        g, _, _ = affine_backward(act_backward(g, act_cache), affine_cache)
        grads.append(g)
    return grads


def layer_factor(w) -> float:
    """The most one affine + sigmoid layer's backward pass may multiply a gradient's norm by, as computed in float64.

    Exactly: ||W||_2 / 4. Computed: a correct sigma' is at most 1/4 (1 + 8 U) (the sigmoid property's allowance),
    and times g one rounding more: 1/4 (1 + 10 U) bounds it. The product with W.T, a sum of M terms per entry, is
    within gamma_M |g| |W|.T of the exact one, whose Frobenius norm is at most (M + 1) U ||g|| ||W||_F. The spectral
    norm itself (np.linalg.norm(W, 2), an SVD) is backward stable: within a few (D + M) U ||W||_F; 2 (D + M + 2) U
    ||W||_F covers both."""
    d, m = w.shape
    return (np.linalg.norm(w, 2) + 2 * (d + m + 2) * U * np.linalg.norm(w)) * (1 + 10 * U) / 4


def norm_slack(n: int, width: int, depth: int) -> float:
    """The relative rounding of comparing ||g|| with ||dout|| times a product: each Frobenius norm of n * width
    entries is within (n width / 2 + 2) U, and the product of depth factors within depth U; doubled."""
    return 2 * (n * width + 4 + depth) * U


@prop(VANISHING, RECAP, "Through a stack of L affine + sigmoid layers, the gradient reaching the input of layer l is at most ||dout|| times the product over layers l..L of ||W||_2 / 4 (sigma' <= 1/4): it shrinks with depth, at least 4x per layer for weights of norm 1.")
@given(stack=sigmoid_stacks())
@example(stack=(TIGHT_X, TIGHT_WEIGHTS, TIGHT_BIASES, TIGHT_DOUT))
def test_sigmoid_stack_gradient_shrinks_by_a_quarter_of_the_weight_norm_per_layer(
        affine_forward, affine_backward, sigmoid_forward, sigmoid_backward, stack):
    x, ws, bs, dout = stack
    grads = backward_through_stack(affine_forward, affine_backward, sigmoid_forward, sigmoid_backward, x, ws, bs, dout)
    inputs = {"x": x, **{f"W{i + 1}": w for i, w in enumerate(ws)}, **{f"b{i + 1}": b for i, b in enumerate(bs)},
              "dout": dout}
    depth = len(ws)
    width = max(w.shape[0] for w in ws + (dout.T,))
    bound = float(np.linalg.norm(dout))
    for above, (w, g) in enumerate(zip(reversed(ws), grads), start=1):
        layer = depth - above + 1
        bound *= layer_factor(w)
        allowed = bound * (1 + norm_slack(x.shape[0], width, above))
        norm = float(np.linalg.norm(g))
        expect.holds(f"||gradient reaching the input of layer {layer} of {depth}||", norm, norm <= allowed,
                     f"at most {allowed:.6g} = ||dout|| * prod over layers {layer}..{depth} of ||W||_2 / 4 "
                     "(each sigmoid's derivative is at most 1/4)", inputs=inputs)


@prop(VANISHING, RELU_RECAP, "ReLU stacks have no such bound: with identity-like (permutation) weights and positive inputs every ReLU is active and dx is dout, permuted back, so ||dx|| = ||dout|| at every depth; the same stack with sigmoids shrinks it at least 4^L-fold.")
@given(stack=active_relu_stacks())
def test_relu_stack_passes_the_gradient_undiminished_where_sigmoids_shrink_it(
        affine_forward, affine_backward, relu_forward, relu_backward, sigmoid_forward, sigmoid_backward, stack):
    # ReLU stack: every local derivative is exactly 1 and W = a permutation matrix, so each backward step is
    # g @ P.T, every entry one product with 1 plus zeros: exact. Sigmoid stack: ||P||_2 = 1 exactly and g @ P.T is
    # exact, so only the sigmoid's local gradient (1/4 (1 + 10 U), see layer_factor) and the norms round.
    x, ws, bs, dout = stack
    inputs = {"x": x, **{f"W{i + 1}": w for i, w in enumerate(ws)}, **{f"b{i + 1}": b for i, b in enumerate(bs)},
              "dout": dout}
    depth = len(ws)
    relu_grads = backward_through_stack(affine_forward, affine_backward, relu_forward, relu_backward, x, ws, bs, dout)
    expected = dout
    for above, (w, g) in enumerate(zip(reversed(ws), relu_grads), start=1):
        expected = expected @ w.T
        expect.equal(f"gradient reaching the input of layer {depth - above + 1} of {depth} of a ReLU stack", g,
                     expected, why="dout, permuted back through the weights: every ReLU is active (derivative 1)",
                     inputs=inputs)
    sigmoid_grads = backward_through_stack(affine_forward, affine_backward, sigmoid_forward, sigmoid_backward,
                                           x, ws, bs, dout)
    allowed = float(np.linalg.norm(dout)) * ((1 + 10 * U) / 4) ** depth * (1 + norm_slack(*x.shape, depth))
    norm = float(np.linalg.norm(sigmoid_grads[-1]))
    expect.holds(f"||dx|| through the same {depth} layers with sigmoids instead of ReLUs", norm, norm <= allowed,
                 f"at most ||dout|| / 4^{depth} = {allowed:.6g} (the weights have norm 1 and sigma' <= 1/4), while "
                 f"the ReLU stack keeps ||dout|| = {float(np.linalg.norm(dout)):.6g}", inputs=inputs)


# Mutants. A sigmoid_backward alone keeps the reference's cache (out).


@mutant(of="sigmoid_backward", kills=[test_sigmoid_stack_gradient_shrinks_by_a_quarter_of_the_weight_norm_per_layer,
                                      test_relu_stack_passes_the_gradient_undiminished_where_sigmoids_shrink_it])
def sigmoid_backward_without_the_1_minus_s_factor(dout, cache):
    """dx = dout * s: sigma' taken as sigma, up to 1 instead of at most 1/4, so the gradient does not vanish."""
    return dout * cache


@mutant(of="sigmoid_backward", kills=[test_sigmoid_stack_gradient_shrinks_by_a_quarter_of_the_weight_norm_per_layer])
def sigmoid_backward_with_the_tanh_derivative(dout, cache):
    """dx = dout * (1 - s^2): tanh's derivative formula applied to the sigmoid's output (up to 1, not 1/4)."""
    return dout * (1.0 - cache**2)


def sigmoid_forward_caching_x(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), x


@mutant(of="sigmoid_backward", kills=[test_sigmoid_stack_gradient_shrinks_by_a_quarter_of_the_weight_norm_per_layer],
        also={"sigmoid_forward": sigmoid_forward_caching_x})
def sigmoid_backward_using_the_input(dout, cache):
    """Caches the input x, then applies the s (1 - s) formula to it: dx = dout * x (1 - x), unbounded in x."""
    return dout * cache * (1.0 - cache)


@mutant(of="relu_backward", kills=[test_relu_stack_passes_the_gradient_undiminished_where_sigmoids_shrink_it])
def relu_backward_times_the_output(dout, cache):
    """dx = dout * max(0, x): the ReLU itself used as its derivative."""
    return dout * np.maximum(cache, 0.0)


@mutant(of="affine_backward", kills=[test_relu_stack_passes_the_gradient_undiminished_where_sigmoids_shrink_it])
def affine_backward_without_transposing_w(dout, cache):
    """dx = dout @ w (no transpose): it runs only when w is square, and then sends the gradient to the wrong inputs."""
    x, w, b = cache
    return (dout @ w).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)
