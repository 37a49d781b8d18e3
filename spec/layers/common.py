"""Strategies and the layer gradient check shared by this chapter's property modules."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

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
