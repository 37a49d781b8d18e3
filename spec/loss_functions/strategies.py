"""Hypothesis strategies of this chapter's sigmoid, binary cross-entropy, regression losses and regularization.

Shared building blocks (``reals``, ``batch_sizes``) come from spec/strategies.py; everything here is local to the
loss-functions chapter. Arrays stay small and values bounded and finite; exact zeros, ±1 and ties are frequent.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec.strategies import MAX_ROWS, batch_sizes, reals

MAX_COLUMNS = 7


def elementwise_inputs(magnitude: float = 10.0, rows=None, columns=None):
    """Inputs of an elementwise function, shape (N, D), with D >= 1."""
    rows = batch_sizes() if rows is None else rows
    columns = st.integers(1, MAX_COLUMNS) if columns is None else columns
    return st.tuples(rows, columns).flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=reals(magnitude)))


def vectors(n: int, elements):
    return hnp.arrays(np.float64, (n,), elements=elements)


def unit_interval():
    """Numbers in [0, 1], often exactly 0, 1 or 1/2."""
    return st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0.0, 1.0, allow_subnormal=False))


@st.composite
def logits_and_targets(draw, magnitude: float = 10.0, hard: bool = False, min_size: int = 1):
    """(x, t): logits of shape (N,) and targets of shape (N,), in {0, 1} if hard, else in [0, 1]."""
    n = draw(batch_sizes(min_value=min_size))
    x = draw(vectors(n, reals(magnitude)))
    t = draw(vectors(n, st.sampled_from([0.0, 1.0]) if hard else unit_interval()))
    return x, t


@st.composite
def predictions_and_targets(draw, magnitude: float = 10.0, min_size: int = 1):
    """(pred, target), both of shape (N,); often equal somewhere (reals favours 0 and ±1)."""
    n = draw(batch_sizes(min_value=min_size))
    return draw(vectors(n, reals(magnitude))), draw(vectors(n, reals(magnitude)))


@st.composite
def predictions_away_from_targets(draw, distance: float = 1e-3, magnitude: float = 10.0):
    """(pred, target) with every |pred[i] - target[i]| >= distance (away from the kink of |d|), up to rounding."""
    n = draw(batch_sizes())
    target = draw(vectors(n, reals(magnitude)))
    size = draw(vectors(n, st.floats(distance, magnitude)))
    sign = draw(vectors(n, st.sampled_from([-1.0, 1.0])))
    return target + sign * size, target


@st.composite
def predictions_meeting_targets(draw, magnitude: float = 10.0):
    """(pred, target, met): pred[i] == target[i] exactly where met[i] (at least one), anything elsewhere."""
    n = draw(batch_sizes())
    target = draw(vectors(n, reals(magnitude)))
    other = draw(vectors(n, reals(magnitude)))
    met = draw(hnp.arrays(np.bool_, (n,)).filter(lambda m: m.any()))
    return np.where(met, target, other), target, met


def target_vectors(min_size: int = 1, magnitude: float = 10.0):
    """Real targets of shape (N,)."""
    return batch_sizes(min_value=min_size, max_value=MAX_ROWS + 1).flatmap(lambda n: vectors(n, reals(magnitude)))


def weight_matrices(magnitude: float = 10.0):
    """Weights of shape (D, C), with exact zeros among them."""
    return elementwise_inputs(magnitude, rows=st.integers(1, MAX_ROWS), columns=st.integers(1, MAX_COLUMNS))


@st.composite
def weights_away_from_zero(draw, distance: float = 1e-3, magnitude: float = 10.0):
    """Weights of shape (D, C) with every |W[i, j]| >= distance (away from the kink of |w| at 0)."""
    shape = draw(st.tuples(st.integers(1, MAX_ROWS), st.integers(1, MAX_COLUMNS)))
    size = draw(hnp.arrays(np.float64, shape, elements=st.floats(distance, magnitude)))
    sign = draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0])))
    return sign * size


def regularization_strengths(max_value: float = 100.0):
    """reg >= 0: often 0, CS231n's 1e-5, 0.5 or 1."""
    return st.one_of(st.sampled_from([0.0, 1e-5, 0.5, 1.0]), st.floats(0.0, max_value, allow_subnormal=False))
