"""What this chapter's property modules share: the trusted k-means (Lloyd's iterations written from the definition)
and nearest-word histogram, the tolerances derived from float64, and strategies for point clouds, initial centroids
and vocabularies with their descriptors.

Rounding, once for the chapter (u = EPS / 2, the unit roundoff; x a point, c a centroid, S = ||x||^2 + ||c||^2):

- A squared distance ||x - c||^2 computed from the differences (loops, broadcasting, cdist) is within (D + 2) u of
  itself, relative, and ||x - c||^2 <= 2 S; by the expansion ||x||^2 - 2 x.c + ||c||^2 (one matrix product: the
  usual vectorized route) it is within (2D + 4) u S, absolute (spec.nearest_neighbours.distance_tolerance derives
  it). Either way: within E = (D + 2) EPS S of the exact value.
- So a nearest centroid picked from computed distances is within 2 E of the truly nearest (each of the two compared
  values is off by at most E): near-ties may go either way, and a property compares against the truly nearest
  with that slack, or avoids data where two centroids are that close to a point.
- A mean of n points, summed in any order and divided, is within n u max|x| of the exact mean in each coordinate.
- A within-cluster sum of squares over N points is within (N D + 2) u W of its exact value when computed from the
  differences (W = the sum itself, at most 2 sum_i S_i), and within (D + N + 1) EPS sum_i S_i by the expansion:
  both within L = (N D + 2) EPS sum_i S_i. A centroid off by the rounding of its mean changes it only to second order
  (by n ||c' - c||^2, since the exact mean minimizes it), far below L.

Every centroid of k-means is an initial one or a mean of points, so ||c||^2 <= C2 = the largest squared norm among
the points and the initial centroids; the bounds below use S_i <= ||x_i||^2 + C2.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from hypothesis import strategies as st

from spec.expect import EPS

LECTURE = ("CS231n lecture 4 (2015), slides 14-16 (bag of words: HOG on 32x32 patches, 144 numbers each; learn "
           "k-means centroids, a vocabulary of visual words; a 1000-d histogram for 1000 centroids)")

MAX_POINTS = 12
MAX_FEATURES = 4
MAX_K = 5
MAX_WORDS = 6
MAX_DESCRIPTORS = 10
HOG_SIZE = 144  # the lecture's descriptor: HOG of a 32x32 patch, 4 x 4 cells of 8x8 pixels, 9 orientation bins

# Scales of the coordinates (pixel-like 1 to 255 and far larger) and offsets of the whole cloud from the origin in
# units of the scale: the farther from the origin, the more the expansion cancels.
SCALES = (1.0, 10.0, 255.0, 1e4)
OFFSETS = (0.0, 0.0, 10.0)
SPREADS = (0.05, 0.3, 1.0)  # the spread of a blob, relative to the scale of the blob centres


def seeds():
    return st.integers(0, 2**32 - 1)


# The trusted computations.


def squared_distances(X, C) -> np.ndarray:
    """d[i, j] = ||X[i] - C[j]||^2 from the differences: within (D + 2) u relative, exactly 0 for equal rows."""
    return ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)


def nearest(X, C) -> np.ndarray:
    """The index of each row's nearest centroid, a tie to the lowest index (np.argmin)."""
    return squared_distances(X, C).argmin(axis=1)


def sum_of_squares(X, C, labels) -> float:
    """The within-cluster sum of squares sum_i ||X[i] - C[labels[i]]||^2, from the differences."""
    return float(((X - C[labels]) ** 2).sum())


def distinct_rows(X) -> np.ndarray:
    """The distinct rows of X in the order of their first occurrence."""
    _, first = np.unique(X, axis=0, return_index=True)
    return X[np.sort(first)]


class Lloyd:
    """k-means by Lloyd's iterations, written from the contract's words, one step per method (a mutant overrides the
    step a student gets wrong): start from init or k distinct rows of X drawn with np.random.default_rng(seed); at
    most num_iters times assign every point to its nearest centroid, move every centroid to the mean of its points
    (one with no point stays), record the sum of squares of that assignment with the moved centroids, and stop after
    an iteration whose assignment repeats the one before; return the centroids, the labels nearest to them, the
    history."""

    stops_early = True

    def initial(self, X, k, seed):
        rows = distinct_rows(X)
        return rows[np.random.default_rng(seed).choice(len(rows), size=k, replace=False)].copy()

    def assign(self, X, C):
        return nearest(X, C)

    def move(self, X, labels, C):
        moved = C.copy()
        for j in range(C.shape[0]):
            members = X[labels == j]
            if len(members):
                moved[j] = members.mean(axis=0)
        return moved

    def loss(self, X, C, labels, previous_C):
        return sum_of_squares(X, C, labels)

    def final_labels(self, X, C, last_labels):
        return self.assign(X, C)

    def __call__(self, X, k, num_iters=100, seed=None, init=None):
        X = np.asarray(X, dtype=np.float64)
        C = self.initial(X, k, seed) if init is None else np.array(init, dtype=np.float64)
        history, previous, labels = [], None, None
        for _ in range(num_iters):
            labels = self.assign(X, C)
            C, before = self.move(X, labels, C), C
            history.append(self.loss(X, C, labels, before))
            if self.stops_early and previous is not None and np.array_equal(labels, previous):
                break
            previous = labels
        return C, self.final_labels(X, C, labels).astype(np.int64), np.array(history)


# Tolerances (derived in the module docstring).


def centroid_bound(X, init=None) -> float:
    """C2: the largest squared norm of a point or an initial centroid, which bounds every centroid's."""
    norms = (X**2).sum(axis=1)
    if init is not None:
        norms = np.concatenate([norms, (np.asarray(init) ** 2).sum(axis=1)])
    return float(norms.max())


def loss_tolerance(X, init=None) -> float:
    """How far two correctly computed sums of squares of the same step may differ, and how much a loss may seem to
    rise from one iteration to the next: each entry is within L = (N D + 2) EPS sum_i S_i, and an assignment by
    computed distances costs at most 2 E_i = 2 (D + 2) EPS S_i more per point than the exact nearest one. A rise is
    at most 2 L + 2 (D + 2) EPS sum_i S_i; a factor 2 of safety: 4 (N D + D + 4) EPS sum_i S_i, with
    S_i = ||x_i||^2 + C2. (It also covers two entries of the same step, 2 L apart.)"""
    n, d = X.shape
    scale = float((X**2).sum()) + n * centroid_bound(X, init)
    return 4 * (n * d + d + 4) * EPS * scale


def nearest_slack(X, C) -> np.ndarray:
    """Per point: how much farther than the truly nearest centroid the chosen one may be, in squared distance, as the
    spec computes it. The implementation's choice is within 2 E_i of the exact nearest (E_i = (D + 2) EPS S_i, S_i =
    ||x_i||^2 + max_j ||c_j||^2), and the spec's own values are within E_i of exact each, so 4 E_i; a factor 2 of
    safety: 8 (D + 2) EPS S_i."""
    d = X.shape[1]
    S = (X**2).sum(axis=1) + float((C**2).sum(axis=1).max())
    return 8 * (d + 2) * EPS * S


def mean_tolerance(X) -> np.ndarray:
    """Per coordinate: how far two correct means of the same points (at most N of them) may differ. Each is within
    n u max|x| of the exact mean (any summation order, then a division), so 2 N u = N EPS apart; a factor 2 of safety
    and one more rounding: 2 (N + 1) EPS max_i |X[i, d]|."""
    return 2 * (X.shape[0] + 1) * EPS * np.abs(X).max(axis=0)


def too_close_to_call(X, C, mean_error=None) -> bool:
    """Does some point have two centroids so nearly equidistant that two correct implementations may assign it
    differently? The implementation's distances are within E_i = (D + 2) EPS S_i of exact (module docstring), the
    spec's too, and its centroids may differ from these by their means' rounding, at most mean_error per coordinate
    (so by at most delta = ||mean_error|| in norm), which moves a squared distance by at most
    2 ||x - c|| delta + delta^2 <= 2 sqrt(2 S_i) delta + delta^2. The gap between the two smallest squared distances
    must exceed twice the sum of those; a factor 2 of safety on top."""
    if C.shape[0] < 2:
        return False
    d = X.shape[1]
    dist = np.sort(squared_distances(X, C), axis=1)
    S = (X**2).sum(axis=1) + float((C**2).sum(axis=1).max())
    delta = 0.0 if mean_error is None else float(np.sqrt((np.asarray(mean_error) ** 2).sum()))
    threshold = 4 * (2 * (d + 2) * EPS * S + 2 * np.sqrt(2 * S) * delta + delta**2)
    return bool((dist[:, 1] - dist[:, 0] <= threshold).any())


class Trace(NamedTuple):
    centroids: np.ndarray  # after the last of the num_iters iterations
    labels: np.ndarray  # nearest to those centroids
    history: np.ndarray  # the sum of squares of every one of the num_iters iterations
    stop: int  # the number of iterations an early-stopping run makes: the first whose assignment repeats (or all)
    ambiguous: bool  # some assignment on the way was too close to call


def lloyd_trace(X, init, num_iters) -> Trace:
    """The trusted Lloyd's iterations from init, run for all num_iters iterations without stopping early, noting where
    an early-stopping run stops and whether any assignment was too close to call."""
    C = np.array(init, dtype=np.float64)
    error = mean_tolerance(X)
    history, previous, stop, ambiguous = [], None, num_iters, False
    for t in range(1, num_iters + 1):
        ambiguous |= too_close_to_call(X, C, error)
        labels = nearest(X, C)
        C = Lloyd().move(X, labels, C)
        history.append(sum_of_squares(X, C, labels))
        if previous is not None and stop == num_iters and np.array_equal(labels, previous):
            stop = t
        previous = labels
    ambiguous |= too_close_to_call(X, C, error)
    return Trace(C, nearest(X, C), np.array(history), stop, ambiguous)


# k-means problems.


class Problem(NamedTuple):
    X: np.ndarray
    k: int
    num_iters: int
    seed: int | None
    init: np.ndarray | None

    def run(self, kmeans):
        """kmeans called with the arguments this problem gives (seed or init, never both)."""
        if self.init is None:
            return kmeans(self.X, self.k, num_iters=self.num_iters, seed=self.seed)
        return kmeans(self.X, self.k, num_iters=self.num_iters, init=self.init)

    def call_text(self) -> str:
        given = f"seed={self.seed}" if self.init is None else "init=init"
        return f"kmeans(X, {self.k}, num_iters={self.num_iters}, {given})"

    def inputs(self) -> dict:
        shown = {"X": self.X, "k": self.k, "num_iters": self.num_iters}
        if self.init is None:
            shown["seed"] = self.seed
        else:
            shown["init"] = self.init
        return shown


def _width(X) -> float:
    """The largest extent of the cloud along a coordinate (1 for a single point at the origin)."""
    w = float(np.ptp(X, axis=0).max())
    return w if w > 0 else max(1.0, float(np.abs(X).max()))


@st.composite
def clustered_points(draw, max_points: int = MAX_POINTS, min_points: int = 1):
    """X of shape (N, D): N points around 1 to 4 blob centres (uniform in [-scale, scale]^D, the blobs normal with a
    spread of 0.05 to 1 scale), the whole cloud shifted by 0 or 10 scale; up to half the rows replaced by exact
    copies of other rows (duplicates, which k-means must cope with)."""
    rng = np.random.default_rng(draw(seeds()))
    n, d = draw(st.integers(min_points, max_points)), draw(st.integers(1, MAX_FEATURES))
    blobs = draw(st.integers(1, 4))
    scale = draw(st.sampled_from(SCALES))
    offset = draw(st.sampled_from(OFFSETS)) * scale
    spread = draw(st.sampled_from(SPREADS)) * scale
    centres = rng.uniform(-scale, scale, (blobs, d))
    X = centres[rng.integers(blobs, size=n)] + spread * rng.standard_normal((n, d)) + offset
    for _ in range(draw(st.integers(0, n // 2))):
        X[rng.integers(n)] = X[rng.integers(n)]
    return X


@st.composite
def initial_centroids(draw, X, k):
    """init of shape (k, D), distinct rows: k distinct points of X, such points nudged by 10% of the cloud's width,
    or points anywhere in the cloud's bounding box widened by 10% (where a centroid may get no point)."""
    rng = np.random.default_rng(draw(seeds()))
    rows = distinct_rows(X)
    kind = draw(st.sampled_from(["rows", "nudged", "box"]))
    width = _width(X)
    if kind == "box":
        low, high = X.min(axis=0) - 0.1 * width, X.max(axis=0) + 0.1 * width
        return rng.uniform(low, high, (k, X.shape[1]))
    init = rows[rng.choice(len(rows), size=k, replace=False)].copy()
    if kind == "nudged":
        init += 0.1 * width * rng.standard_normal(init.shape)
    return init


@st.composite
def kmeans_problems(draw, with_init=None, iterations=None, min_points: int = 1):
    """A Problem: clustered points, 1 <= k <= min(MAX_K, their distinct rows), num_iters from 1 to 4 (where a run
    is often cut short) or the default 100, and either a seed (init=None) or initial centroids (with_init: always
    given, never, or either)."""
    X = draw(clustered_points(min_points=min_points))
    k = draw(st.integers(1, min(MAX_K, len(distinct_rows(X)))))
    num_iters = draw(st.one_of(st.integers(1, 4), st.just(100)) if iterations is None else iterations)
    given = draw(st.booleans()) if with_init is None else with_init
    if given:
        return Problem(X, k, num_iters, None, draw(initial_centroids(X, k)))
    return Problem(X, k, num_iters, draw(seeds()), None)


@st.composite
def problems_with_an_unreachable_centroid(draw):
    """(problem, j): 2 <= k <= the distinct points of X; initial centroids of which k - 1 are distinct points of X
    and row j lies at 3 diameters of the
    cloud from its mean, in a random direction. Every point is within one diameter of every other, and the other
    centroids always stay in the cloud's convex hull (each is a point or a mean of points, or stays where it was), so
    each point has a centroid within one diameter and row j, at least two diameters from every point, never gets
    one: it must stay exactly where it started."""
    X = draw(clustered_points(min_points=2).filter(lambda X: len(distinct_rows(X)) >= 2))
    rows = distinct_rows(X)
    k = draw(st.integers(2, min(MAX_K, len(rows))))
    rng = np.random.default_rng(draw(seeds()))
    chosen = rows[rng.choice(len(rows), size=k - 1, replace=False)]
    diameter = float(np.sqrt(squared_distances(X, X).max()))
    direction = rng.standard_normal(X.shape[1])
    direction /= np.linalg.norm(direction)
    far = X.mean(axis=0) + 3 * diameter * direction
    j = draw(st.integers(0, k - 1))
    init = np.insert(chosen, j, far, axis=0)
    num_iters = draw(st.one_of(st.integers(1, 4), st.just(100)))
    return Problem(X, k, num_iters, None, init), j


@st.composite
def points_with_duplicates(draw):
    """(X, m): m distinct points (1 to 5, on a grid of spacing `scale`, shifted by 0 or 10 scale), each repeated 1 to
    4 times, in shuffled order. Distinct points are at least `scale` apart."""
    rng = np.random.default_rng(draw(seeds()))
    d = draw(st.integers(1, MAX_FEATURES))
    scale = draw(st.sampled_from((1.0, 0.1, 37.5, 1e3)))
    offset = draw(st.sampled_from(OFFSETS)) * scale
    grid = np.unique(rng.integers(-4, 5, (draw(st.integers(1, 5)), d)), axis=0)
    points = grid * scale + offset
    repeats = rng.integers(1, 5, size=len(points))
    X = np.repeat(points, repeats, axis=0)
    return X[rng.permutation(len(X))], len(points)


# Bag of words.


def histogram(descriptors, vocabulary) -> np.ndarray:
    """The trusted bag of words: the count of descriptors at each word, nearest by squared distances from the
    differences, a tie to the lowest index."""
    return np.bincount(nearest(descriptors, vocabulary), minlength=vocabulary.shape[0]).astype(np.float64)


@st.composite
def vocabularies(draw, max_words: int = MAX_WORDS):
    """k words of D dimensions, HOG-like non-negative entries in [0, scale) (D up to 4, or the lecture's 144)."""
    rng = np.random.default_rng(draw(seeds()))
    k = draw(st.integers(1, max_words))
    d = draw(st.one_of(st.integers(1, MAX_FEATURES), st.just(HOG_SIZE)))
    scale = draw(st.sampled_from((1.0, 0.2, 255.0)))
    return rng.uniform(0.0, scale, (k, d))


@st.composite
def descriptors_for(draw, vocabulary, max_descriptors: int = MAX_DESCRIPTORS):
    """M descriptors (1 to max_descriptors) of the vocabulary's width: each an exact copy of a word, a word nudged by
    up to 20% of the vocabulary's spread, or a point anywhere in its bounding box widened by half."""
    rng = np.random.default_rng(draw(seeds()))
    m = draw(st.integers(1, max_descriptors))
    k, d = vocabulary.shape
    low, high = vocabulary.min(axis=0), vocabulary.max(axis=0)
    width = max(float((high - low).max()), float(np.abs(vocabulary).max()), 1e-3)
    kinds = rng.integers(3, size=m)
    rows = []
    for kind in kinds:
        word = vocabulary[rng.integers(k)]
        if kind == 0:
            rows.append(word.copy())
        elif kind == 1:
            rows.append(word + 0.2 * width * rng.uniform(-1, 1, d))
        else:
            rows.append(rng.uniform(low - 0.5 * width, high + 0.5 * width))
    return np.array(rows)


@st.composite
def images(draw):
    """(descriptors, vocabulary): an image's descriptors and a vocabulary of visual words, with margins: no
    descriptor has two words nearly equidistant (too_close_to_call), so that every correct implementation counts
    it at the same word. (Drawn from continuous values, such near-ties almost never happen; the filter rejects them.)"""
    vocabulary = draw(vocabularies())
    descriptors = draw(descriptors_for(vocabulary))
    return draw(st.just((descriptors, vocabulary)).filter(lambda p: not too_close_to_call(*p)))


@st.composite
def integer_images(draw):
    """(descriptors, vocabulary): small integer coordinates in [-3, 3] (D 1 to 3), so that every squared distance is
    computed exactly by any route and equal distances are exact ties; 2 to 6 distinct words, and descriptors that
    are often the midpoint of two words (equidistant from them)."""
    rng = np.random.default_rng(draw(seeds()))
    d = draw(st.integers(1, 3))
    words = np.unique(rng.integers(-3, 4, (draw(st.integers(2, MAX_WORDS)), d)), axis=0)
    words = words[rng.permutation(len(words))].astype(np.float64)
    rows = []
    for _ in range(draw(st.integers(1, MAX_DESCRIPTORS))):
        a, b = words[rng.integers(len(words))], words[rng.integers(len(words))]
        middle = (a + b) / 2
        rows.append(middle if np.all(middle == np.round(middle)) else rng.integers(-3, 4, d).astype(np.float64))
    return np.array(rows), words
