"""Chapter: k-nearest neighbours (Euclidean distance matrices and the majority vote of the k nearest).

Lectures: Georgia Tech CS 4803/7643 (Batra), linear classifiers lecture, recap slides 10-12 (data-driven
classification, nearest neighbour and k-NN, its problems, hyperparameters and cross-validation); CS231n's
KNearestNeighbor assignment (compute_distances_two_loops / _one_loop / _no_loops, predict_labels; ties go to the
smaller label).

Shared here: the trusted distance (the definition, computed directly), the tolerance every distance property derives
from, and the strategies for point sets.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec.expect import EPS
from spec.strategies import reals

GT = "Georgia Tech CS 4803/7643 (Batra), linear classifiers lecture, slides 10-12 (nearest neighbour, k-NN)"
CS231N = "CS231n assignment 1, k_nearest_neighbor.py (compute_distances_*, predict_labels)"
CS231N_NOTES = "CS231n notes, image classification: the L1 distance of two 4x4 images (456), here in L2"

MAX_POINTS = 6
MAX_FEATURES = 5

# The two 4x4 images of CS231n's distance figure (the Georgia Tech deck borrows CS231n's k-NN slides; its text
# extraction lost the figure). |test - training| summed over the 16 pixels is the figure's L1 distance, 456 (checked:
# the rows of differences sum to 73 + 167 + 52 + 164). Flattened row by row, one image per row, as in the contract.
TEST_IMAGE = np.array([56, 32, 10, 18, 90, 23, 128, 133, 24, 26, 178, 200, 2, 0, 255, 220], dtype=np.float64)
TRAINING_IMAGE = np.array([10, 20, 24, 17, 8, 10, 89, 100, 12, 16, 178, 170, 4, 32, 233, 112], dtype=np.float64)


def euclidean_distances(X_train: np.ndarray, X: np.ndarray) -> np.ndarray:
    """dists[i, j] = ||X[i] - X_train[j]||, straight from the definition (differences, squares, sum, root).

    Each difference, square, the sum of D non-negative squares and the root are rounded to within u = EPS/2 of their
    values, so the result is within (D/2 + 2) u of the exact distance, relative: no cancellation, no clipping.
    A zero distance comes out exactly 0 and the matrix of X against itself is exactly symmetric.
    """
    return np.sqrt(((X[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=2))


def distance_tolerance(X_train: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The error allowed in dists[i, j], against euclidean_distances above, for a correct float64 implementation.

    With u = EPS/2, x = X[i], y = X_train[j], d = ||x - y|| and S = ||x||^2 + ||y||^2:

    - The direct route (differences; two loops, one loop, broadcasting, np.linalg.norm, scipy's cdist) is within
      (D/2 + 2) u d of d (see euclidean_distances); so is the spec's own value. Both together: (D + 4) u d.
    - The expansion ||x||^2 + ||y||^2 - 2 x.y (the usual no-loop route) rounds each squared norm to within D u of
      it, the dot product to within D u sum_k |x_k y_k| <= D u ||x|| ||y|| <= D u S / 2 (Cauchy-Schwarz, then
      2ab <= a^2 + b^2), so 2 x.y to within D u S; the two additions, on partial results of size at most 2S, add
      2 u S more, in whatever order they are done. The squared distance s = d^2 is thus off by at most
      E = (2D + 4) u S: an absolute error on the scale of |x|^2, however small d is (cancellation). Clipping at 0
      keeps that within [0, s + E]. The root turns it into |sqrt(s') - sqrt(s)| = |s' - s| / (sqrt(s') + sqrt(s)),
      at most E / d, and at most sqrt(E) (sqrt is 1/2-Hoelder: |sqrt(a) - sqrt(b)| <= sqrt(|a - b|)), which is the
      bound as d -> 0. So near a zero distance (a test point equal to a training point) the expansion can be off by
      sqrt(E) ~ 1e-8 sqrt(D) ||x||: an exact 0 there is NOT guaranteed; the direct route gives exactly 0.
    - The root itself rounds by u d more (inside the first term's 4).

    Measured on near-duplicate points (differences down to 1e-17 of the coordinates, offsets far from 0), the
    expansion's error reached 0.57 of this bound. The safety factor is 2 on the first term and 4 on E (so 2 on
    sqrt(E)): (D + 4) EPS d + min(E' / d, sqrt(E')), E' = 4 (2D + 4) u S = (4D + 8) EPS S.

    Valid while no square under- or overflows: the strategies below keep every nonzero coordinate between 1e-100
    and 1e11 in magnitude.
    """
    dims = X.shape[1]
    d = euclidean_distances(X_train, X)
    S = (X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :]
    E = (4 * dims + 8) * EPS * S
    safe_d = np.where(d > 0, d, 1.0)
    expansion = np.where(d > 0, np.minimum(E / safe_d, np.sqrt(E)), np.sqrt(E))
    return (dims + 4) * EPS * d + expansion


# Coordinates span pixel values (0-255) and far larger ones, around the origin or shifted far from it (images whose
# pixels are all near 128, say): the farther from the origin relative to the spread, the more the expansion cancels.
SCALES = (1.0, 10.0, 255.0, 1e4, 1e6)


def coordinates(scale: float):
    """Floats in [-scale, scale], often exactly 0, ±1, ±scale; magnitudes below 1e-100 become 0, so that no square
    underflows (the tolerance is relative to |x|^2 and does not cover underflow)."""
    return reals(scale).map(lambda v: 0.0 if abs(v) < 1e-100 else v)


def _array(draw, shape, scale):
    return draw(hnp.arrays(np.float64, shape, elements=coordinates(scale)))


@st.composite
def train_and_test_points(draw, max_points: int = MAX_POINTS):
    """(X_train, X) of shapes (M, D), (N, D). Each test row is a fresh point, an exact copy of a training row, or a
    copy nudged by ~1e-8 of the coordinates' scale (there the expansion cancels the most), all shifted alike by an
    offset of 0 or 100 times the scale. No coordinate exceeds 1e8 in magnitude."""
    dims = draw(st.integers(1, MAX_FEATURES))
    m, n = draw(st.integers(1, max_points)), draw(st.integers(1, max_points))
    scale = draw(st.sampled_from(SCALES))
    offset = draw(st.sampled_from([0.0, 100.0 * scale]))
    X_train = _array(draw, (m, dims), scale)
    rows = []
    for _ in range(n):
        kind = draw(st.sampled_from(["fresh", "copy", "nudged"]))
        if kind == "fresh":
            rows.append(_array(draw, (dims,), scale))
        else:
            row = X_train[draw(st.integers(0, m - 1))]
            rows.append(row.copy() if kind == "copy" else row + _array(draw, (dims,), scale * 1e-8))
    return X_train + offset, np.array(rows) + offset


@st.composite
def point_sets(draw, distinct: bool = False):
    """X of shape (N, D), N <= 2 * MAX_POINTS, with exact duplicates and near-duplicates among its rows unless
    `distinct` (then every row differs from every other in at least one coordinate, in shuffled order)."""
    X_train, X = draw(train_and_test_points())
    points = np.concatenate([X_train, X])
    if distinct:
        points = np.unique(points, axis=0)  # sorted: shuffle them back
        points = points[np.array(draw(st.permutations(range(len(points)))))]
    return points
