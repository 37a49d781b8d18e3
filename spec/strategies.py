"""Hypothesis strategies shared by the chapters, named after what they produce.

Arrays stay small (a few rows and classes): a property's failure is easiest to read on a small input, and hypothesis
shrinks towards small ones anyway. Values are bounded and finite; where a chapter needs extreme values (scores of
magnitude 1000) it asks for them by ``magnitude``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

MAX_ROWS = 6
MAX_CLASSES = 7


def batch_sizes(min_value: int = 1, max_value: int = MAX_ROWS):
    return st.integers(min_value, max_value)


def class_counts(min_value: int = 2, max_value: int = MAX_CLASSES):
    return st.integers(min_value, max_value)


def reals(magnitude: float = 10.0):
    """Finite floats in [-magnitude, magnitude], often exactly 0, ±1 or repeated values (ties)."""
    return st.one_of(
        st.sampled_from([0.0, 1.0, -1.0, 0.5, magnitude, -magnitude]),
        st.floats(-magnitude, magnitude, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    )


def score_matrices(rows=None, classes=None, magnitude: float = 10.0):
    """Class scores of shape (N, C), with exact ties and zeros among them."""
    rows = batch_sizes() if rows is None else rows
    classes = class_counts() if classes is None else classes
    shapes = st.tuples(rows, classes)
    return shapes.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=reals(magnitude)))


def labels_for(n: int, c: int):
    """Valid integer labels: shape (n,), each in [0, c)."""
    return hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1))


@st.composite
def scores_and_labels(draw, rows=None, classes=None, magnitude: float = 10.0):
    """(x, y): scores of shape (N, C) and valid labels of shape (N,)."""
    x = draw(score_matrices(rows, classes, magnitude))
    y = draw(labels_for(*x.shape))
    return x, y


@st.composite
def equal_score_batches(draw, max_classes: int = 12, magnitude: float = 1000.0):
    """(x, y): every score of the batch is the same value (as with W = 0), with valid labels."""
    n, c = draw(batch_sizes()), draw(class_counts(max_value=max_classes))
    level = draw(reals(magnitude))
    return np.full((n, c), level), draw(labels_for(n, c))


@st.composite
def scores_with_a_leading_correct_class(draw, leads=st.floats(0, 50)):
    """(x, y, lead): the correct score of row i beats the best other score of that row by exactly lead[i]."""
    x, y = draw(scores_and_labels())
    n = len(y)
    lead = np.array(draw(st.lists(leads, min_size=n, max_size=n)))
    x = x.copy()
    rows = np.arange(n)
    x[rows, y] = -np.inf
    x[rows, y] = x.max(axis=1) + lead
    return x, y, lead


def row_offsets(n: int, magnitude: float = 1000.0):
    """n constants, one per row, up to ±magnitude: added to scores, they make exp() overflow unless the row's
    maximum is subtracted first, while the spread within each row stays moderate."""
    return st.lists(reals(magnitude), min_size=n, max_size=n).map(np.array)
