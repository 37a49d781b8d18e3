"""Euclidean distance matrices: compute_distances_two_loops / _one_loop / _no_loops(X_train, X) -> dists, (N, M).

dists[i, j] = ||X[i] - X_train[j]|| = sqrt(sum_d (X[i, d] - X_train[j, d])^2), three ways, as in CS231n.

What is exact and what is not (derived in spec.nearest_neighbours.distance_tolerance): a distance is never negative
and never NaN, by any correct route. Computed from differences, a point's distance to itself is exactly 0 and the
matrix of a point set against itself exactly symmetric; computed by the expansion ||x||^2 + ||y||^2 - 2 x.y, it is
not: cancellation leaves an error of up to sqrt((2D + 4) u S) ~ 1e-8 |x| at a zero distance, and (2D + 4) u S / d at
a distance d, with S = ||x||^2 + ||y||^2. Every property below allows either route, whichever function it tests.
"""

import math

import numpy as np
import scipy.spatial.distance
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.nearest_neighbours import (
    CS231N,
    CS231N_NOTES,
    GT,
    TEST_IMAGE,
    TRAINING_IMAGE,
    distance_tolerance,
    euclidean_distances,
    point_sets,
    train_and_test_points,
)
from spec.property import alternative, mutant, prop

CONCEPT = "Euclidean distance"

# The worked example: CS231n's test image against its training image, against itself, and against a copy with two
# pixels changed by 3 and 4; then the black (all-zero) image against the same three.
WORKED_X_TRAIN = np.stack([TRAINING_IMAGE, TEST_IMAGE, TEST_IMAGE + np.eye(16)[0] * 3 + np.eye(16)[1] * 4])
WORKED_X = np.stack([TEST_IMAGE, np.zeros(16)])
# Worked out by hand, to 8 places:
# - test vs training: the 16 differences (46 12 14 1 / 82 13 39 33 / 12 10 0 30 / 2 32 22 108) square and sum to
#   2457 + 9503 + 1144 + 13176 = 26280, sqrt(26280) = 162.11107303 (162^2 = 26244; 162 + 36/324 - ... ). The
#   figure's L1 distance of the same images is 456 (the sum of the differences, not squared).
# - test vs itself: 0, exactly. Test vs the changed copy: sqrt(3^2 + 4^2) = 5, exactly (L1 would say 7).
# - black vs training: sqrt(148307) = 385.10647878; black vs test: sqrt(233651) = 483.37459594; black vs the changed
#   copy: sqrt(233651 + 2 (56 * 3 + 32 * 4) + 25) = sqrt(234268) = 484.01239654 (sums of squared pixels).
WORKED_DISTS = np.array([[162.11107303, 0.0, 5.0], [385.10647878, 483.37459594, 484.01239654]])
WORKED_ROUNDING = 5e-9  # the 8-place values above are within half a unit of the 8th place

# A test point a hair away from a training point, in one dimension so that every machine rounds alike:
# ||x||^2 + ||y||^2 - 2 x.y comes out NEGATIVE in float64 for both rows (-2.8e-17 and -5.7e-14; the exact squared
# distances are 1e-18 and 9e-18), so an unclipped square root gives NaN.
NEAR_X_TRAIN = np.array([[0.3], [12.9]])
NEAR_X = np.array([[0.300000001], [12.900000003]])

# Pixel-like points far from the origin, copied exactly and nudged: large magnitudes, maximal cancellation.
LARGE_X_TRAIN = np.array([[1e8, 1e8 + 1.0, -3e7], [255.0, 128.0, 0.0], [1e8 + 2.0, 1e8, -3e7]])
LARGE_X = np.array([[1e8, 1e8 + 1.0, -3e7], [1e8 + 2.0, 1e8, -3e7 + 1e-7], [255.0, 128.0, 0.0]])

# Images compared with themselves: every distance to a copy is 0, the diagonal of the self-distance matrix.
SELF_POINTS = np.stack([TEST_IMAGE, TRAINING_IMAGE, TEST_IMAGE + 0.1, TRAINING_IMAGE * 3.7])


def scale_factors():
    """c with 1e-3 <= |c| <= 1e3, either sign; powers of 2 (exact scaling) and others."""
    return st.one_of(
        st.sampled_from([2.0, -1.0, 0.5, -3.0, 1e3, 1e-3]),
        st.floats(-1e3, 1e3, allow_nan=False).filter(lambda c: abs(c) >= 1e-3),
    )


TWO, ONE, NO = "compute_distances_two_loops", "compute_distances_one_loop", "compute_distances_no_loops"


# The properties: each is stated once and runs on each of the three versions (contract.versions()).


def _finite(name, dists, inputs):
    expect.holds(name, dists, np.isfinite(dists),
                 "finite (NaN: clip ||x||^2 + ||y||^2 - 2 x.y at 0 before the square root)", inputs=inputs)


@prop(CONCEPT, CS231N, "Distances are never negative and never NaN, even where a test point equals (or almost equals) a training point or coordinates reach 1e8.")
@given(points=train_and_test_points())
@example(points=(NEAR_X_TRAIN, NEAR_X))
@example(points=(LARGE_X_TRAIN, LARGE_X))
@example(points=(SELF_POINTS, SELF_POINTS))
def test_distances_are_nonnegative_and_finite(compute_distances, points):
    X_train, X = points
    inputs = {"X_train": X_train, "X": X}
    dists = compute_distances(X_train, X)
    _finite(f"{compute_distances.__name__}(X_train, X)", dists, inputs)
    # A square root of a non-negative number is >= 0 by every route: exact, no tolerance.
    expect.holds(f"{compute_distances.__name__}(X_train, X)", dists, dists >= 0,
                 "at least 0: a distance is never negative", inputs=inputs)


@prop(CONCEPT, GT, "Distances are Euclidean: dists[i, j] = ||X[i] - X_train[j]||, with the square root, to within float64 rounding.")
@given(points=train_and_test_points())
@example(points=(WORKED_X_TRAIN, WORKED_X))
@example(points=(NEAR_X_TRAIN, NEAR_X))
@example(points=(LARGE_X_TRAIN, LARGE_X))
def test_distances_are_euclidean(compute_distances, points):
    X_train, X = points
    inputs = {"X_train": X_train, "X": X}
    dists = compute_distances(X_train, X)
    _finite(f"{compute_distances.__name__}(X_train, X)", dists, inputs)
    expect.close(f"{compute_distances.__name__}(X_train, X)", dists, euclidean_distances(X_train, X),
                 atol=distance_tolerance(X_train, X), why="should be ||X[i] - X_train[j]||, with the square root",
                 inputs=inputs)


@prop(CONCEPT, GT, "The distances of a point set to itself are symmetric with a zero diagonal (to within ~1e-8 |x| for the |x|^2 + |y|^2 - 2x.y expansion).")
@given(X=point_sets())
@example(X=SELF_POINTS)
@example(X=LARGE_X)
def test_distances_are_symmetric_with_a_zero_diagonal(compute_distances, X):
    fname = compute_distances.__name__
    inputs = {"X (as X_train and as X)": X}
    dists = compute_distances(X, X)
    _finite(f"{fname}(X, X)", dists, inputs)
    tol = distance_tolerance(X, X)
    # The diagonal: d = 0, so the tolerance is sqrt(E') = sqrt((4D + 8) EPS 2 ||x||^2), the expansion's worst case
    # (direct routes give exactly 0 there; the expansion does not, see the module docstring).
    expect.close(f"diagonal of {fname}(X, X)", np.diag(dists), 0.0, atol=np.diag(tol),
                 why="the distance of a point to itself is 0", inputs=inputs)
    # dists[i, j] and dists[j, i] are each within tol[i, j] = tol[j, i] of the same exact ||X[i] - X[j]||. Direct
    # routes are exactly symmetric (x - y = -(y - x) exactly); the expansion only if its matrix product is.
    expect.close(f"{fname}(X, X)", dists, dists.T, atol=2 * tol,
                 why="should equal its transpose: ||x - y|| = ||y - x||", inputs=inputs)


@prop(CONCEPT, GT, "Distances scale with the data: dist(c X_train, c X) = |c| dist(X_train, X) for any real c.")
@given(points=train_and_test_points(), c=scale_factors())
@example(points=(SELF_POINTS, SELF_POINTS), c=1e3)
@example(points=(WORKED_X_TRAIN, WORKED_X), c=-0.5)
def test_distances_scale_with_the_data(compute_distances, points, c):
    fname = compute_distances.__name__
    X_train, X = points
    inputs = {"X_train": X_train, "X": X, "c": c}
    cX_train, cX = c * X_train, c * X
    scaled, base = compute_distances(cX_train, cX), compute_distances(X_train, X)
    _finite(f"{fname}(c X_train, c X)", scaled, inputs)
    # Each side within its own tolerance of the exact distance of its inputs. The inputs c X differ from the exact
    # c times X by u |c x_k| per coordinate, which moves an exact distance by at most u |c| (||x|| + ||y||)
    # <= u |c| sqrt(2 S); |c| times base rounds by u more (inside the tolerances' factor 2). Safety factor 4 on the
    # input rounding: 2 EPS |c| sqrt(2 S).
    S = (X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :]
    tol = (distance_tolerance(cX_train, cX) + abs(c) * distance_tolerance(X_train, X)
           + 2 * EPS * abs(c) * np.sqrt(2 * S))
    expect.close(f"{fname}(c X_train, c X)", scaled, abs(c) * base, atol=tol,
                 why=f"should be |c| = {abs(c):g} times {fname}(X_train, X)", inputs=inputs)


@prop(CONCEPT, CS231N_NOTES, "Distances match the worked example: CS231n's two 4x4 images are sqrt(26280) = 162.11107303 apart (456 in L1).")
def test_distances_match_the_worked_example(compute_distances):
    inputs = {"X_train": WORKED_X_TRAIN, "X": WORKED_X}
    dists = compute_distances(WORKED_X_TRAIN, WORKED_X)
    expect.close(f"{compute_distances.__name__}(X_train, X)", dists, WORKED_DISTS,
                 atol=distance_tolerance(WORKED_X_TRAIN, WORKED_X) + WORKED_ROUNDING,
                 why="worked example: 162.11107303 = sqrt(26280) between the two images of CS231n's figure",
                 inputs=inputs)


@prop(CONCEPT, CS231N, "The two-loop, one-loop and no-loop distance functions compute the same matrix, to within float64 rounding.")
@given(points=train_and_test_points())
@example(points=(NEAR_X_TRAIN, NEAR_X))
@example(points=(WORKED_X_TRAIN, WORKED_X))
def test_the_three_distance_functions_agree(compute_distances_two_loops, compute_distances_one_loop,
                                            compute_distances_no_loops, points):
    X_train, X = points
    inputs = {"X_train": X_train, "X": X}
    two = compute_distances_two_loops(X_train, X)
    _finite(f"{TWO}(X_train, X)", two, inputs)
    # Each is within distance_tolerance of the exact distance (by whichever route it takes), so any two are within
    # twice that of each other.
    tol = 2 * distance_tolerance(X_train, X)
    for fname, fn in ((ONE, compute_distances_one_loop), (NO, compute_distances_no_loops)):
        expect.close(f"{fname}(X_train, X)", fn(X_train, X), two, atol=tol,
                     why=f"should equal {TWO}(X_train, X)", inputs=inputs)


# Mutants: distances as students get them wrong.


@mutant(of=TWO, kills=[test_distances_are_euclidean, test_distances_scale_with_the_data,
                       test_distances_match_the_worked_example, test_the_three_distance_functions_agree])
def two_loops_without_square_root(X_train, X):
    """The squared distance: the square root forgotten."""
    dists = np.empty((len(X), len(X_train)))
    for i in range(len(X)):
        for j in range(len(X_train)):
            dists[i, j] = np.sum((X[i] - X_train[j]) ** 2)
    return dists


@mutant(of=TWO, kills=[test_distances_are_nonnegative_and_finite, test_distances_are_euclidean,
                       test_distances_are_symmetric_with_a_zero_diagonal,
                       test_distances_match_the_worked_example])
def two_loops_signed_l1(X_train, X):
    """The lecture's L1 distance with the absolute value forgotten: sum_d (X[i, d] - X_train[j, d]), negative too."""
    dists = np.empty((len(X), len(X_train)))
    for i in range(len(X)):
        for j in range(len(X_train)):
            dists[i, j] = np.sum(X[i] - X_train[j])
    return dists


@mutant(of=TWO, kills=[test_distances_are_euclidean, test_distances_match_the_worked_example])
def two_loops_l1_distance(X_train, X):
    """The L1 (Manhattan) distance sum_d |X[i, d] - X_train[j, d]|, the lecture's other metric, for L2."""
    dists = np.empty((len(X), len(X_train)))
    for i in range(len(X)):
        for j in range(len(X_train)):
            dists[i, j] = np.sum(np.abs(X[i] - X_train[j]))
    return dists


@mutant(of=TWO, kills=[test_distances_are_euclidean,
                       test_distances_are_symmetric_with_a_zero_diagonal,
                       test_distances_match_the_worked_example])
def two_loops_with_a_plus_sign(X_train, X):
    """||X[i] + X_train[j]||: a sign typo; a point is then 2 |x| from itself."""
    dists = np.empty((len(X), len(X_train)))
    for i in range(len(X)):
        for j in range(len(X_train)):
            dists[i, j] = np.sqrt(np.sum((X[i] + X_train[j]) ** 2))
    return dists


@mutant(of=ONE, kills=[test_distances_are_euclidean, test_distances_scale_with_the_data,
                       test_distances_match_the_worked_example, test_the_three_distance_functions_agree])
def one_loop_without_square_root(X_train, X):
    """The squared distance: the square root forgotten."""
    dists = np.empty((len(X), len(X_train)))
    for i in range(len(X)):
        dists[i] = np.sum((X_train - X[i]) ** 2, axis=1)
    return dists


@mutant(of=ONE, kills=[test_distances_are_euclidean,
                       test_distances_are_symmetric_with_a_zero_diagonal,
                       test_distances_match_the_worked_example, test_the_three_distance_functions_agree])
def one_loop_summed_without_axis(X_train, X):
    """np.sum without axis=1: the whole row of the test point gets the root of its summed squared distances."""
    dists = np.empty((len(X), len(X_train)))
    for i in range(len(X)):
        dists[i] = np.sqrt(np.sum((X_train - X[i]) ** 2))
    return dists


@mutant(of=ONE, kills=[test_distances_are_nonnegative_and_finite, test_distances_are_euclidean,
                       test_distances_are_symmetric_with_a_zero_diagonal])
def one_loop_signed_l1(X_train, X):
    """The lecture's L1 distance with the absolute value forgotten: negative distances."""
    dists = np.empty((len(X), len(X_train)))
    for i in range(len(X)):
        dists[i] = np.sum(X[i] - X_train, axis=1)
    return dists


@mutant(of=NO, kills=[test_distances_are_euclidean, test_distances_scale_with_the_data,
                      test_distances_match_the_worked_example, test_the_three_distance_functions_agree])
def no_loops_without_square_root(X_train, X):
    """The squared distance ||x||^2 + ||y||^2 - 2 x.y, the square root forgotten."""
    return np.maximum((X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :] - 2.0 * (X @ X_train.T), 0.0)


@mutant(of=NO, kills=[test_distances_are_nonnegative_and_finite, test_distances_are_euclidean,
                      test_the_three_distance_functions_agree])
def no_loops_without_clipping(X_train, X):
    """sqrt(||x||^2 + ||y||^2 - 2 x.y) without clipping at 0: NaN where rounding leaves it slightly negative."""
    return np.sqrt((X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :] - 2.0 * (X @ X_train.T))


@mutant(of=NO, kills=[test_distances_are_euclidean, test_distances_are_symmetric_with_a_zero_diagonal,
                      test_distances_match_the_worked_example])
def no_loops_without_factor_2(X_train, X):
    """||x||^2 + ||y||^2 - x.y: the factor 2 of the cross term forgotten."""
    squared = (X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :] - X @ X_train.T
    return np.sqrt(np.maximum(squared, 0.0))


@mutant(of=NO, kills=[test_distances_are_euclidean, test_distances_are_symmetric_with_a_zero_diagonal,
                      test_distances_scale_with_the_data])
def no_loops_with_epsilon_under_the_root(X_train, X):
    """sqrt(s + 1e-8) "to avoid NaN": every zero distance becomes 1e-4, and small ones are inflated."""
    squared = (X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :] - 2.0 * (X @ X_train.T)
    return np.sqrt(np.maximum(squared, 0.0) + 1e-8)


@mutant(of=NO, kills=[test_distances_are_euclidean])
def no_loops_in_float32(X_train, X):
    """The expansion computed in float32 (as images are often loaded) and cast back: 1e-7 relative rounding, not 1e-16."""
    X_train, X = X_train.astype(np.float32), X.astype(np.float32)
    squared = (X**2).sum(axis=1)[:, None] + (X_train**2).sum(axis=1)[None, :] - 2.0 * (X @ X_train.T)
    return np.sqrt(np.maximum(squared, 0.0)).astype(np.float64)


# Correct alternatives: each function written the other ways students write it, by either route.


@alternative(of=TWO)
def two_loops_with_python_floats(X_train, X):
    """Pure Python: math.sqrt of a sum of squared differences, entry by entry."""
    dists = np.empty((len(X), len(X_train)))
    for i, x in enumerate(X.tolist()):
        for j, y in enumerate(X_train.tolist()):
            dists[i, j] = math.sqrt(sum((a - b) ** 2 for a, b in zip(x, y)))
    return dists


@alternative(of=TWO)
def two_loops_with_linalg_norm(X_train, X):
    """np.linalg.norm of each difference."""
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        for j in range(X_train.shape[0]):
            dists[i, j] = np.linalg.norm(X[i] - X_train[j])
    return dists


@alternative(of=TWO)
def two_loops_by_expansion(X_train, X):
    """sqrt(max(x.x + y.y - 2 x.y, 0)) pair by pair: the expansion inside the loops."""
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        for j in range(X_train.shape[0]):
            dists[i, j] = np.sqrt(max(X[i] @ X[i] + X_train[j] @ X_train[j] - 2 * X[i] @ X_train[j], 0.0))
    return dists


@alternative(of=ONE)
def one_loop_with_linalg_norm(X_train, X):
    """np.linalg.norm of a row's differences along axis 1."""
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        dists[i, :] = np.linalg.norm(X_train - X[i, :], axis=1)
    return dists


@alternative(of=ONE)
def one_loop_by_expansion(X_train, X):
    """A row at a time by the expansion: ||X_train||^2 - 2 X_train x + ||x||^2, clipped at 0."""
    train_squared = np.sum(X_train**2, axis=1)
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        dists[i, :] = np.sqrt(np.clip(train_squared - 2 * X_train @ X[i] + X[i] @ X[i], 0, None))
    return dists


@alternative(of=NO)
def no_loops_with_cdist(X_train, X):
    """scipy.spatial.distance.cdist, Euclidean."""
    return scipy.spatial.distance.cdist(X, X_train, metric="euclidean")


@alternative(of=NO)
def no_loops_by_broadcasting(X_train, X):
    """np.linalg.norm of the (N, M, D) array of broadcast differences."""
    return np.linalg.norm(X[:, None, :] - X_train[None, :, :], axis=2)


@alternative(of=NO)
def no_loops_with_abs_under_the_root(X_train, X):
    """The expansion in another order (-2 x.y + ||x||^2 + ||y||^2, keepdims), with abs() instead of clipping at 0."""
    squared = -2 * np.dot(X, X_train.T) + np.sum(np.square(X), axis=1, keepdims=True) + np.sum(np.square(X_train), axis=1)
    return np.sqrt(np.abs(squared))


@alternative(of=NO)
def no_loops_with_einsum(X_train, X):
    """The expansion with einsum for the squared norms and the cross term, clipped at 0."""
    squared = (np.einsum("ij,ij->i", X, X)[:, None] + np.einsum("ij,ij->i", X_train, X_train)[None, :]
               - 2 * np.einsum("id,jd->ij", X, X_train))
    return np.sqrt(np.clip(squared, 0.0, None))
