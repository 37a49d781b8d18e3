"""Strategies and the layer gradient check shared by this chapter's property modules."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.strategies import batch_sizes, reals

U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative
MAX_COLUMNS = 6

# The gradient checks step by s = 1e-5 max(1, |x|) <= 1e-4 for |x| <= 10 (spec/gradcheck.py): an input at least
# KINK_GAP from 0 keeps x +- s on one side of the kink of ReLU, leaky ReLU, PReLU and ELU.
KINK_GAP = 1e-2


def shapes(rows=None, columns=None):
    rows = batch_sizes() if rows is None else rows
    return st.tuples(rows, st.integers(1, MAX_COLUMNS) if columns is None else columns)


def activation_inputs(magnitude: float = 10.0, shape=None):
    """x of shape (N, D), entries in [-magnitude, magnitude], often exactly 0 or +-1 (the kink of the ReLUs)."""
    shape = shapes() if shape is None else shape
    return shape.flatmap(lambda s: hnp.arrays(np.float64, s, elements=reals(magnitude)))


def off_the_kink(magnitude: float = 10.0):
    """Floats with KINK_GAP <= |t| <= magnitude, either sign (1 and -1 often)."""
    sizes = st.one_of(st.sampled_from([1.0, KINK_GAP, magnitude]), st.floats(KINK_GAP, magnitude))
    return st.tuples(st.sampled_from([1.0, -1.0]), sizes).map(lambda p: p[0] * p[1])


@st.composite
def inputs_and_upstream(draw, magnitude: float = 10.0, kink_free: bool = False, dout_magnitude: float = 10.0):
    """(x, dout): inputs of shape (N, D) and an upstream gradient of the same shape."""
    shape = draw(shapes())
    elements = off_the_kink(magnitude) if kink_free else reals(magnitude)
    x = draw(hnp.arrays(np.float64, shape, elements=elements))
    dout = draw(hnp.arrays(np.float64, shape, elements=reals(dout_magnitude)))
    return x, dout


def summed_scale(values) -> float:
    """The value_scale for check_gradient on phi = sum(dout * f(x)) of K = values.size terms (values = dout * f(x)).

    One evaluation of phi adds K terms of total size S = sum|dout f|: the K - 1 additions are off by at most
    (K - 1) U S together, the terms themselves by a few roundings each (f within 4U, the product with dout U):
    (K + 4) U S. Two evaluations differ by twice that, over the step 2s: (K + 4) U S / s. check_gradient allows
    SAFETY * EPS * V / s = 16 U V / s, so V = (K + 4) S / 16 suffices; V = (K + 4) S / 8 leaves a factor 2.
    """
    values = np.asarray(values)
    return (values.size + 4) * float(np.sum(np.abs(values))) / 8


def check_layer_gradient(forward, backward, x, dout, name: str, **params):
    """dx = backward(dout, cache) must be the gradient of sum(dout * forward(x)[0]) (central differences)."""
    out, cache = forward(x, **params)
    dx = backward(dout, cache)
    check_gradient(lambda z: forward(z, **params)[0], x, dx, upstream=dout, value_scale=summed_scale(dout * out),
                   name=name)
    return dx


# Layers with weights (affine, affine-ReLU, maxout): forward(x, w, b) -> (out, cache), backward(dout, cache) ->
# (dx, dw, db). Their values are sums of products, so the tolerances below come from the error of a float64 dot
# product: a sum of n terms, each a product or a bias, computed in any order (loops, BLAS, einsum) is within
# gamma_n * (the sum of the terms' absolute values), gamma_n = n U / (1 - n U) <= (n + 1) U for the sizes here.

MAX_BATCH = 4  # N
MAX_TRAILING = 4  # each of d1, ..., dk
MAX_OUTPUTS = 5  # M


def trailing_shapes(max_rank: int = 4):
    """(d1, ..., dk) with 1 <= k <= max_rank - 1: the shape of one input of an affine layer (x is (N, d1, ..., dk))."""
    return st.lists(st.integers(1, MAX_TRAILING), min_size=1, max_size=max_rank - 1).map(tuple)


@st.composite
def affine_inputs(draw, max_rank: int = 4, magnitude: float = 10.0, elements=None):
    """(x, w, b): x of shape (N, d1, ..., dk) of rank 2 to max_rank, w of shape (D, M) with D = d1 * ... * dk, b of
    shape (M,); entries from `elements` (default reals(magnitude): often 0, +-1 and ties)."""
    elements = reals(magnitude) if elements is None else elements
    n, dims, m = draw(batch_sizes(1, MAX_BATCH)), draw(trailing_shapes(max_rank)), draw(st.integers(1, MAX_OUTPUTS))
    x = draw(hnp.arrays(np.float64, (n, *dims), elements=elements))
    w = draw(hnp.arrays(np.float64, (int(np.prod(dims)), m), elements=elements))
    b = draw(hnp.arrays(np.float64, (m,), elements=elements))
    return x, w, b


def upstreams(shape, magnitude: float = 10.0):
    """An upstream gradient dout of the given shape."""
    return hnp.arrays(np.float64, shape, elements=reals(magnitude))


def flat(x) -> np.ndarray:
    """x of shape (N, d1, ..., dk) as the (N, D) matrix the affine layer multiplies: row-major, x.reshape(N, D)."""
    return x.reshape(x.shape[0], int(np.prod(x.shape[1:])))


def affine_sizes(x, w, b) -> np.ndarray:
    """A[n, m] = sum_i |x[n, i] w[i, m]| + |b[m]|: the size of the terms that out[n, m] = x_n . w_m + b_m adds up.

    A correct out[n, m] (any summation order) is within gamma_{D+1} A <= (D + 2) U A of the exact value."""
    return np.abs(flat(x)) @ np.abs(w) + np.abs(b)


def affine_value_tolerance(x, w, b) -> np.ndarray:
    """How far two correct computations of x.reshape(N, D) @ w + b may differ: each is within (D + 2) U A of the
    exact value (affine_sizes), so 2 (D + 2) U A apart."""
    return 2 * (w.shape[0] + 2) * U * affine_sizes(x, w, b)


def weighted_value_scale(sizes, dout, d: int) -> float:
    """value_scale for check_gradient on phi = sum(dout * out), where each out[n, m] is a sum of d + 1 terms (d
    products and a bias; maxout: its winning piece's; affine-ReLU: max(0, that), exact) of total size sizes[n, m].

    One evaluation: out within (d + 2) U sizes; the product with dout U |dout out| more; the sum of the K = N M
    products (K - 1) U sum|dout out|. As |out| <= sizes, phi is off by at most (d + K + 4) U T, T = sum(|dout| sizes).
    Two evaluations differ by twice that, over the step 2s: (d + K + 4) U T / s. check_gradient allows
    SAFETY * EPS * V / s = 16 U V / s, so V = (d + K + 4) T / 16 suffices; (d + K + 4) T / 8 leaves a factor 2 (the
    sizes at the perturbed points exceed those at x by at most a relative 1e-4)."""
    return (d + dout.size + 4) * float(np.sum(np.abs(dout) * sizes)) / 8


def expect_shapes(layer: str, results: dict, expected: dict, inputs: dict) -> None:
    """Every result has its expected shape (named for a student: "dx of affine_backward has shape ...")."""
    for name, value in results.items():
        if np.shape(value) != expected[name]:
            expect.fail(f"{name} of {layer} has shape {np.shape(value)}, but should have shape {expected[name]}",
                        inputs)


# check_weighted_gradients checks an argument of more entries than this along 6 random directions (spec/gradcheck.py's
# fast mode, 12 evaluations of the forward pass) instead of entry by entry (2 per entry): every call of a function
# under test goes through the harness's checks (about 0.2 ms), and x and w may have a few hundred entries.
FULL_CHECK_MAX_SIZE = 24


def check_weighted_gradients(forward, backward, args: dict, dout, sizes, layer: str, inputs: dict):
    """(dx, dw, db) = backward(dout, cache) must be the gradients of sum(dout * forward(x, w, b)[0]) with respect to
    x, w and b, each shaped like its argument (central differences, entry by entry on small arguments, along random
    directions on those of more than FULL_CHECK_MAX_SIZE entries).

    args: {"x": x, "w": w, "b": b}, in the forward's positional order (a student's may name them otherwise); sizes:
    see weighted_value_scale; layer: the backward's name, for the messages. Returns the gradients."""
    values = list(args.values())
    _, cache = forward(*values)
    grads = backward(dout, cache)
    names = [f"d{name}" for name in args]
    expect_shapes(layer, dict(zip(names, grads)),
                  {f"d{name}": np.shape(value) for name, value in args.items()}, inputs)
    scale = weighted_value_scale(sizes, dout, int(np.prod(values[0].shape[1:])))
    for i, (name, grad) in enumerate(zip(names, grads)):
        def f(z, i=i):
            return forward(*values[:i], z, *values[i + 1:])[0]

        check_gradient(f, values[i], grad, upstream=dout, value_scale=scale, name=f"{name} of {layer}",
                       full_max_size=FULL_CHECK_MAX_SIZE)
    return grads
