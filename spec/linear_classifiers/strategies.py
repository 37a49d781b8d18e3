"""Hypothesis strategies of the linear-classifiers chapter: data X (N, D), weights W (D, C), biases b (C,), labels y
(N,) and regularization strengths, alone or as whole problems (W, X, y) for the losses on weights.

Shared building blocks (``reals``, ``batch_sizes``, ``labels_for``) come from spec/strategies.py. Arrays stay small
(N <= 6, D <= 5, C <= 6); data lie in [-10, 10] and weights in [-2, 2] unless a strategy says otherwise, with exact
zeros, ±1 and ties among them. Magnitudes below 1e-50 are flushed to 0: no product of three entries (x * w * w,
reg * w * w) then leaves the normal range of float64, below which rounding is absolute rather than relative and no
tolerance of this chapter applies.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec.strategies import batch_sizes, class_counts, labels_for, reals

MAX_FEATURES = 5
MAX_CLASSES = 6
DATA_MAGNITUDE = 10.0
WEIGHT_MAGNITUDE = 2.0
UNDERFLOW = 1e-50


def entries(magnitude: float):
    """Floats in [-magnitude, magnitude], often exactly 0, ±1, ±magnitude; below 1e-50 in magnitude, exactly 0."""
    return reals(magnitude).map(lambda v: 0.0 if abs(v) < UNDERFLOW else v)


def _flush(a: np.ndarray) -> np.ndarray:
    return np.where(np.abs(a) < UNDERFLOW, 0.0, a)


def arrays_of_entries(shape, magnitude: float):
    """An array of ``entries(magnitude)``, flushed to 0 below 1e-50 as a whole (twice as fast as element by element)."""
    return hnp.arrays(np.float64, shape, elements=reals(magnitude)).map(_flush)


def feature_counts(min_value: int = 1, max_value: int = MAX_FEATURES):
    return st.integers(min_value, max_value)


def data_matrices(n: int, d: int, magnitude: float = DATA_MAGNITUDE):
    """X of shape (n, d): one example per row."""
    return arrays_of_entries((n, d), magnitude)


def weight_matrices(d: int, c: int, magnitude: float = WEIGHT_MAGNITUDE):
    """W of shape (d, c): column j is the template of class j."""
    return arrays_of_entries((d, c), magnitude)


def bias_vectors(c: int, magnitude: float = DATA_MAGNITUDE):
    return arrays_of_entries((c,), magnitude)


def regularization_strengths(max_value: float = 10.0):
    """reg >= 0: often 0, CS231n's 1e-5, 0.5 or 1; never below 1e-50 unless 0."""
    return st.one_of(
        st.sampled_from([0.0, 1e-5, 0.5, 1.0]),
        st.floats(0.0, max_value, allow_subnormal=False).map(lambda r: 0.0 if r < UNDERFLOW else r),
    )


def positive_regularization_strengths(max_value: float = 10.0):
    """reg > 0, at least 1e-5 (CS231n's smallest), so that reg * sum(W**2) is far above the data loss's rounding."""
    return st.one_of(st.sampled_from([1e-5, 0.5, 1.0, max_value]), st.floats(1e-5, max_value))


@st.composite
def score_inputs(draw, min_classes: int = 1):
    """(X, W, b) for linear_scores: shapes (N, D), (D, C), (C,)."""
    n, d, c = draw(batch_sizes()), draw(feature_counts()), draw(class_counts(min_value=min_classes, max_value=MAX_CLASSES))
    return draw(data_matrices(n, d)), draw(weight_matrices(d, c)), draw(bias_vectors(c))


@st.composite
def linear_problems(draw, rows=None, features=None, classes=None, data_magnitude: float = DATA_MAGNITUDE,
                    weight_magnitude: float = WEIGHT_MAGNITUDE):
    """(W, X, y): weights (D, C), data (N, D) and labels in [0, C), the arguments of a loss on weights."""
    n = draw(batch_sizes() if rows is None else rows)
    d = draw(feature_counts() if features is None else features)
    c = draw(class_counts(max_value=MAX_CLASSES) if classes is None else classes)
    W, X = draw(weight_matrices(d, c, weight_magnitude)), draw(data_matrices(n, d, data_magnitude))
    return W, X, draw(labels_for(n, c))


def svm_margins(W, X, y) -> np.ndarray:
    """s[i, j] - s[i, y[i]] + 1 for s = X @ W, with the correct class's own entry set to +inf (it is no margin)."""
    s = X @ W
    rows = np.arange(len(y))
    margins = s - s[rows, y][:, None] + 1.0
    margins[rows, y] = np.inf
    return margins


@st.composite
def problems_away_from_kinks(draw, distance: float = 1e-2):
    """(W, X, y) with every SVM margin s[i, j] - s[i, y[i]] + 1 (j != y[i]) at least `distance` away from 0, where
    the hinge has a kink: there every implementation takes the same branch, and a finite-difference step of
    h * max(1, |w|) <= 2e-5 moves a score by at most 10 * 2e-5 = 2e-4, far from crossing a kink."""
    W, X, y = draw(linear_problems())
    assume(np.abs(svm_margins(W, X, y)).min() >= distance)
    return W, X, y


@st.composite
def problems_with_every_margin_met(draw):
    """(W, X, y) where every correct score beats every other score of its example by at least 2 (twice the margin).

    Built to be separable: X gets C extra columns holding onehot(y) and W C extra rows holding M times the identity,
    which adds M to each example's correct score only; M is 2 more than the largest lead of a wrong class in the
    drawn X @ W. Every margin s_j - s_y + 1 is then <= -1, far from the kink at 0 whatever the rounding.
    """
    W, X, y = draw(linear_problems())
    n, c = len(y), W.shape[1]
    s = X @ W
    rows = np.arange(n)
    wrong_lead = (s - s[rows, y][:, None]).max()  # >= 0: the correct class's own entry is 0
    M = float(np.ceil(wrong_lead)) + 2.0
    onehot = np.eye(c)[y]
    return np.vstack([W, M * np.eye(c)]), np.hstack([X, onehot]), y


def weight_scales():
    """k >= 1 to multiply W by: every score, and so every lead of one class over another, grows k-fold."""
    return st.one_of(st.sampled_from([1.0, 10.0, 100.0, 1000.0]), st.floats(1.0, 1000.0))


def correct_class_leads(W, X, y) -> np.ndarray:
    """g[i] = s[i, y[i]] - max_{j != y[i]} s[i, j] for s = X @ W: positive where the correct class wins."""
    s = X @ W
    rows = np.arange(len(y))
    others = s.copy()
    others[rows, y] = -np.inf
    return s[rows, y] - others.max(axis=1)


def _scaled_weights(draw, max_spread):
    """(W, X) with W multiplied by k from weight_scales(), capped so that no example's scores spread over more than
    max_spread (beyond 745 the smallest probability exp(-spread) underflows to 0, and -log p computed from
    probabilities, as CS231n's own solution does, becomes inf)."""
    W, X, _ = draw(linear_problems())
    k = draw(weight_scales())
    s = X @ W
    spread = float((s.max(axis=1) - s.min(axis=1)).max())
    if spread > 0:
        k = min(k, max_spread / spread)
    return k * W, X


@st.composite
def problems_won_by_the_correct_class(draw, max_spread: float = 700.0):
    """(W, X, y) with W scaled up to 1000-fold (so leads reach hundreds) and each label a class with the highest
    score of its example (ties included)."""
    W, X = _scaled_weights(draw, max_spread)
    return W, X, np.argmax(X @ W, axis=1)


@st.composite
def problems_won_by_a_wrong_class(draw, max_spread: float = 700.0):
    """(W, X, y) with W scaled up to 1000-fold and each label a class with the lowest score of its example, so a
    wrong class leads by max - min >= 0, up to max_spread (0 only where all scores of the example tie)."""
    W, X = _scaled_weights(draw, max_spread)
    return W, X, np.argmin(X @ W, axis=1)


@st.composite
def hyperplane_cases(draw):
    """(x0, W, b, i, j): a point x0 (D,), weights (D, C), biases (C,) and two classes i != j whose templates differ
    by a normal n = W[:, i] - W[:, j] with |n| >= 0.1 (a pair of identical templates has no boundary)."""
    d, c = draw(feature_counts()), draw(class_counts(max_value=MAX_CLASSES))
    W, b = draw(weight_matrices(d, c)), draw(bias_vectors(c))
    i, j = draw(st.permutations(range(c)))[:2]
    assume(np.linalg.norm(W[:, i] - W[:, j]) >= 0.1)
    return draw(arrays_of_entries((d,), DATA_MAGNITUDE)), W, b, i, j

