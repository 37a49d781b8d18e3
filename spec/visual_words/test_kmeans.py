"""k-means by Lloyd's iterations: kmeans(X, k, num_iters=100, seed=None, init=None) -> (centroids, labels,
loss_history).

Start from init, or from k distinct rows of X drawn with np.random.default_rng(seed) (k-means++ allowed); then at
most num_iters times: assign every point to its nearest centroid, move every centroid to the mean of its points (a
centroid with no point stays), and stop after an iteration whose assignment repeats the previous one. loss_history
holds, per iteration run, the within-cluster sum of squares of that iteration's assignment with its moved centroids;
labels are nearest to the returned centroids.

Floating point (spec/visual_words/common.py derives every bound): distances computed by the expansion ||x||^2 -
2 x.c + ||c||^2 are off by a rounding on the scale of ||x||^2, so a point nearly equidistant from two centroids may
go to either. The properties allow that slack, and the one that compares a whole run with the trusted Lloyd's
iterations draws data without such near-ties.
"""

import warnings

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.visual_words.common import (
    LECTURE,
    Lloyd,
    Problem,
    kmeans_problems,
    lloyd_trace,
    loss_tolerance,
    mean_tolerance,
    nearest,
    nearest_slack,
    points_with_duplicates,
    problems_with_an_unreachable_centroid,
    seeds,
    squared_distances,
    sum_of_squares,
)

CONCEPT = "k-means"

# A worked example, by hand: four points on a line, 0, 1, 10 and 11, two clusters started at 0 and 1.
# Iteration 1: 0 goes to the centroid at 0; 1, 10 and 11 to the one at 1. The centroids move to 0 and
#   (1 + 10 + 11) / 3 = 22/3; the sum of squares is 0 + (19/3)^2 + (8/3)^2 + (11/3)^2 = (361 + 64 + 121) / 9 = 546/9.
# Iteration 2: 1 is now nearer 0 (distance 1) than 22/3 (distance 19/3): {0, 1} and {10, 11}, centroids 0.5 and 10.5,
#   sum of squares 4 * 0.25 = 1.
# Iteration 3: the same assignment again: the centroids stay, the sum of squares is 1, and the run stops.
# With a third centroid started at 100 (no point is ever nearest to it), it stays at 100 and the rest is the same.
WORKED_X = np.array([[0.0], [1.0], [10.0], [11.0]])
WORKED_CASES = [
    (np.array([[0.0], [1.0]]), np.array([[0.5], [10.5]])),
    (np.array([[0.0], [1.0], [100.0]]), np.array([[0.5], [10.5], [100.0]])),
]
WORKED_LABELS = np.array([0, 0, 1, 1])
WORKED_HISTORY = np.array([546 / 9, 1.0, 1.0])


def checked_labels(labels, problem: Problem, call: str):
    """labels as an int array after checking that each is a centroid index in [0, k)."""
    labels = np.asarray(labels)
    expect.holds(f"labels of {call}", labels, (labels >= 0) & (labels < problem.k),
                 f"a centroid index in [0, k) = [0, {problem.k})", inputs=problem.inputs())
    return labels.astype(np.int64)


def run(kmeans, problem: Problem):
    """kmeans on the problem: (centroids, labels, loss_history as an array, the call as text for messages)."""
    call = problem.call_text()
    centroids, labels, history = problem.run(kmeans)
    return centroids, checked_labels(labels, problem, call), np.asarray(history, dtype=np.float64), call


@prop(CONCEPT, LECTURE, "loss_history has one entry per iteration run (1 <= T <= num_iters), each a sum of squares >= 0 that never increases from one iteration to the next, and the returned labels and centroids have a sum of squares at most its last entry.")
@given(problem=kmeans_problems())
@example(problem=Problem(WORKED_X, 2, 100, None, WORKED_CASES[0][0]))
def test_kmeans_loss_never_increases(kmeans, problem):
    centroids, labels, history, call = run(kmeans, problem)
    inputs = problem.inputs()
    T = len(history)
    if not 1 <= T <= problem.num_iters:
        expect.fail(f"loss_history of {call} has {T} entries, but should have one per iteration run: between 1 and "
                    f"num_iters = {problem.num_iters}", inputs)
    tol = loss_tolerance(problem.X, problem.init)  # rounding of two entries and of an assignment (common.py)
    expect.holds(f"loss_history of {call}", history, history >= -tol, "a sum of squares, >= 0", inputs=inputs)
    for t in range(1, T):
        if history[t] > history[t - 1] + tol:
            expect.fail(f"loss_history[{t}]={history[t]:.10g} of {call}, but loss_history[{t - 1}]="
                        f"{history[t - 1]:.10g}: the within-cluster sum of squares rose by {history[t] - history[t - 1]:.3g} "
                        f"(rounding allows {tol:.2g}); reassigning points to their nearest centroid and moving each "
                        f"centroid to its points' mean can only lower it", inputs)
    final = sum_of_squares(problem.X, centroids, labels)
    if final > history[-1] + tol:
        expect.fail(f"the returned labels and centroids of {call} have a within-cluster sum of squares of "
                    f"{final:.10g}, but loss_history[-1]={history[-1]:.10g} (rounding allows {tol:.2g} more): the "
                    "last entry is the sum of squares of the last assignment with the moved centroids, and the "
                    "returned labels (nearest to those centroids) can only do as well or better", inputs)


@prop(CONCEPT, LECTURE, "Every returned label is the index of a centroid nearest its point among the returned centroids (up to float64 rounding in a near-tie).")
@given(problem=kmeans_problems())
@example(problem=Problem(WORKED_X, 2, 1, None, WORKED_CASES[0][0]))
def test_kmeans_labels_are_the_nearest_centroids(kmeans, problem):
    centroids, labels, _, call = run(kmeans, problem)
    X = problem.X
    d = squared_distances(X, centroids)
    rows = np.arange(len(X))
    chosen, best = d[rows, labels], d.min(axis=1)
    slack = nearest_slack(X, centroids)  # distances computed by either route, near-ties (common.py)
    bad = np.flatnonzero(chosen > best + slack)
    if len(bad):
        i = int(bad[0])
        expect.fail(f"labels[{i}]={labels[i]} of {call}, but X[{i}] is nearer centroid {int(d[i].argmin())} "
                    f"(squared distance {best[i]:.10g}) than centroid {labels[i]} ({chosen[i]:.10g}); every point "
                    f"must be labelled with its nearest returned centroid\n{len(bad)} of {len(X)} labels are off."
                    f"\ncentroids = {expect.fmt(centroids)}", problem.inputs())


@prop(CONCEPT, LECTURE, "With k equal to the number of distinct points (each repeated), k-means starts from all of them and reaches a sum of squares of 0 (up to rounding), equal points sharing a label and different points not.")
@given(case=points_with_duplicates(), seed=seeds(), num_iters=st.sampled_from([1, 2, 100]))
@example(case=(np.array([[5.0], [5.0], [5.0], [-1.0], [5.0]]), 2), seed=0, num_iters=1)
def test_kmeans_with_k_distinct_points_reaches_loss_0(kmeans, case, seed, num_iters):
    X, m = case
    problem = Problem(X, m, num_iters, seed, None)
    _, labels, history, call = run(kmeans, problem)
    inputs = problem.inputs()
    tol = loss_tolerance(X)  # the exact loss is 0 up to the means' rounding (second order); L of common.py
    if history[-1] > tol:
        expect.fail(f"loss_history[-1]={history[-1]:.10g} of {call}, but should be 0 (allowed {tol:.2g}): X has "
                    f"k = {m} distinct points, so k distinct initial rows are all of them and every point sits on "
                    "its own centroid", inputs)
    same_point = (X[:, None, :] == X[None, :, :]).all(axis=2)
    same_label = labels[:, None] == labels[None, :]
    bad = np.argwhere(same_point != same_label)
    if len(bad):
        i, j = (int(v) for v in bad[0])
        expect.fail(f"labels[{i}]={labels[i]} and labels[{j}]={labels[j]} of {call}, but X[{i}] and X[{j}] are "
                    f"{'the same point' if same_point[i, j] else 'different points'}: with one centroid on each of "
                    f"the k = {m} distinct points, equal points share a label and different points do not", inputs)


@prop(CONCEPT, LECTURE, "From given initial centroids, the centroids, labels and loss_history equal those of a trusted Lloyd's iterations, which stop after the first iteration whose assignment repeats the previous one (running on changes nothing).")
@given(problem=kmeans_problems(with_init=True, iterations=st.one_of(st.integers(1, 6), st.just(100))))
@example(problem=Problem(WORKED_X, 2, 100, None, WORKED_CASES[0][0]))
@example(problem=Problem(WORKED_X, 3, 100, None, WORKED_CASES[1][0]))
@example(problem=Problem(WORKED_X, 2, 1, None, WORKED_CASES[0][0]))
def test_kmeans_matches_lloyds_iterations(kmeans, problem):
    X, init, num_iters = problem.X, problem.init, problem.num_iters
    trace = lloyd_trace(X, init, num_iters)  # runs all num_iters iterations, notes where to stop
    assume(not trace.ambiguous)  # a near-tie in some assignment: correct implementations may part ways there
    centroids, labels, history, call = run(kmeans, problem)
    inputs = problem.inputs()
    if len(history) != trace.stop:
        why = (f"iteration {trace.stop} repeats the assignment of iteration {trace.stop - 1}: the run stops there"
               if trace.stop < num_iters else f"no assignment repeats the previous one within num_iters = {num_iters}")
        expect.fail(f"loss_history of {call} has {len(history)} entries, but should have {trace.stop}: {why}. "
                    f"The trusted run's losses: {expect.fmt(trace.history[:trace.stop])}", inputs)
    expect.equal(f"labels of {call}", labels, trace.labels,
                 why="Lloyd's iterations: the labels nearest to the last centroids", inputs=inputs)
    expect.close(f"centroids of {call}", centroids, trace.centroids,
                 atol=mean_tolerance(X),  # means of the same points summed in another order (common.py)
                 why="Lloyd's iterations: assign to the nearest, move to the mean; a centroid with no point stays",
                 inputs=inputs)
    expect.close(f"loss_history of {call}", history, trace.history[:trace.stop],
                 atol=loss_tolerance(X, init),  # two correct sums of squares of the same step (common.py)
                 why="the sum of squares of each iteration's assignment with its moved centroids", inputs=inputs)


@prop(CONCEPT, LECTURE, "When the run stops early (it converged), every centroid with points is the mean of the points labelled with it.")
@given(problem=kmeans_problems(iterations=st.just(100)))
@example(problem=Problem(WORKED_X, 2, 100, None, WORKED_CASES[0][0]))
def test_kmeans_centroids_are_the_means_of_their_points(kmeans, problem):
    centroids, labels, history, call = run(kmeans, problem)
    if len(history) >= problem.num_iters:
        return  # it may have stopped without converging: nothing to check
    X = problem.X
    tol = mean_tolerance(X)  # two correct means of the same points (common.py)
    for j in range(problem.k):
        members = X[labels == j]
        if len(members):
            expect.close(f"centroids[{j}] of {call}", centroids[j], members.mean(axis=0), atol=tol,
                         why=f"the mean of the {len(members)} points labelled {j}: the run stopped after "
                             f"{len(history)} of {problem.num_iters} iterations, so it converged and every centroid "
                             "sits at its points' mean", inputs=problem.inputs())


@prop(CONCEPT, LECTURE, "A centroid that no point is ever nearest to stays exactly where it started, and no label names it.")
@given(case=problems_with_an_unreachable_centroid())
@example(case=(Problem(WORKED_X, 3, 100, None, WORKED_CASES[1][0]), 2))
def test_kmeans_keeps_a_centroid_that_gets_no_point(kmeans, case):
    problem, j = case
    centroids, labels, _, call = run(kmeans, problem)
    inputs = problem.inputs()
    expect.equal(f"centroids[{j}] of {call}", centroids[j], problem.init[j],
                 why=f"init[{j}] lies farther from every point than some other centroid, at every iteration: it "
                     "never gets a point and must stay where it is (not move to 0, NaN or a point)", inputs=inputs)
    expect.holds(f"labels of {call}", labels, labels != j,
                 f"never {j}: centroid {j} is farther from every point than another centroid", inputs=inputs)


@prop(CONCEPT, LECTURE, "The same seed gives the same run: the same centroids, labels and loss_history.")
@given(problem=kmeans_problems(with_init=False))
def test_kmeans_seed_reproduces_the_run(kmeans, problem):
    first = run(kmeans, problem)
    second = run(kmeans, problem)
    inputs = problem.inputs()
    for name, a, b in zip(("centroids", "labels", "loss_history"), first[:3], second[:3]):
        if np.shape(a) != np.shape(b):
            expect.fail(f"{name} of {first[3]} has shape {np.shape(b)} on the second call but {np.shape(a)} on the "
                        "first: the same seed must give the same run", inputs)
        expect.equal(f"{name} of {first[3]}, called again", b, a,
                     why="the first call's: the initial rows are drawn with np.random.default_rng(seed)",
                     inputs=inputs)


@prop(CONCEPT, LECTURE, "Worked example: points 0, 1, 10, 11 from centroids 0 and 1 end at 0.5 and 10.5 with labels 0, 0, 1, 1 and loss_history 546/9, 1, 1; a third centroid at 100 stays there.")
def test_kmeans_worked_example(kmeans):
    for init, expected in WORKED_CASES:
        problem = Problem(WORKED_X, len(init), 100, None, init)
        centroids, labels, history, call = run(kmeans, problem)
        inputs = problem.inputs()
        expect.close(f"centroids of {call}", centroids, expected, atol=mean_tolerance(WORKED_X),
                     why="by hand: {0, 1} and {10, 11} after two iterations (546/9 then 1)", inputs=inputs)
        expect.equal(f"labels of {call}", labels, WORKED_LABELS, why="{0, 1} and {10, 11}", inputs=inputs)
        if len(history) != 3:
            expect.fail(f"loss_history of {call} has {len(history)} entries, but should have 3: iteration 3 repeats "
                        "the assignment of iteration 2, and the run stops after it", inputs)
        expect.close(f"loss_history of {call}", history, WORKED_HISTORY, atol=loss_tolerance(WORKED_X, init),
                     why="by hand: 546/9 (1 is still with 10 and 11), then 1 and 1", inputs=inputs)


# Mutants: Lloyd's iterations (common.Lloyd) with one step a student gets wrong.


class AssigningOnce(Lloyd):
    def __init__(self):
        self.first = None

    def assign(self, X, C):
        if self.first is None:
            self.first = nearest(X, C)
        return self.first


@mutant(of="kmeans", kills=[test_kmeans_labels_are_the_nearest_centroids, test_kmeans_matches_lloyds_iterations,
                            test_kmeans_worked_example])
def kmeans_assigning_once(X, k, num_iters=100, seed=None, init=None):
    """Assigns the points once, before the loop, and then only moves the centroids: the labels never change."""
    return AssigningOnce()(X, k, num_iters, seed, init)


class NotMoving(Lloyd):
    def move(self, X, labels, C):
        return C.copy()


@mutant(of="kmeans", kills=[test_kmeans_matches_lloyds_iterations, test_kmeans_centroids_are_the_means_of_their_points,
                            test_kmeans_worked_example])
def kmeans_not_moving_the_centroids(X, k, num_iters=100, seed=None, init=None):
    """Reassigns the points at every iteration but never moves the centroids (the update step is missing)."""
    return NotMoving()(X, k, num_iters, seed, init)


class ToTheMedian(Lloyd):
    def move(self, X, labels, C):
        moved = C.copy()
        for j in range(C.shape[0]):
            if (labels == j).any():
                moved[j] = np.median(X[labels == j], axis=0)
        return moved


@mutant(of="kmeans", kills=[test_kmeans_matches_lloyds_iterations, test_kmeans_centroids_are_the_means_of_their_points,
                            test_kmeans_worked_example])
def kmeans_moving_to_the_median(X, k, num_iters=100, seed=None, init=None):
    """Moves each centroid to the coordinate-wise median of its points (k-medians), not their mean."""
    return ToTheMedian()(X, k, num_iters, seed, init)


class ToTheFirstPoint(Lloyd):
    def move(self, X, labels, C):
        moved = C.copy()
        for j in range(C.shape[0]):
            if (labels == j).any():
                moved[j] = X[labels == j][0]
        return moved


@mutant(of="kmeans", kills=[test_kmeans_matches_lloyds_iterations, test_kmeans_centroids_are_the_means_of_their_points,
                            test_kmeans_worked_example])
def kmeans_moving_to_the_first_point(X, k, num_iters=100, seed=None, init=None):
    """Moves each centroid to the first point labelled with it instead of the mean of all of them."""
    return ToTheFirstPoint()(X, k, num_iters, seed, init)


class ToTheFarthest(Lloyd):
    def assign(self, X, C):
        return squared_distances(X, C).argmax(axis=1)


@mutant(of="kmeans", kills=[test_kmeans_labels_are_the_nearest_centroids, test_kmeans_matches_lloyds_iterations,
                            test_kmeans_with_k_distinct_points_reaches_loss_0, test_kmeans_worked_example])
def kmeans_assigning_to_the_farthest(X, k, num_iters=100, seed=None, init=None):
    """argmax instead of argmin: every point goes to its farthest centroid."""
    return ToTheFarthest()(X, k, num_iters, seed, init)


class ZeroingEmpty(Lloyd):
    def move(self, X, labels, C):
        moved = np.zeros_like(C)
        for j in range(C.shape[0]):
            if (labels == j).any():
                moved[j] = X[labels == j].mean(axis=0)
        return moved


@mutant(of="kmeans", kills=[test_kmeans_keeps_a_centroid_that_gets_no_point, test_kmeans_matches_lloyds_iterations,
                            test_kmeans_worked_example])
def kmeans_zeroing_an_empty_cluster(X, k, num_iters=100, seed=None, init=None):
    """Builds the new centroids in np.zeros((k, D)): a centroid that gets no point drops to the origin."""
    return ZeroingEmpty()(X, k, num_iters, seed, init)


class NanForEmpty(Lloyd):
    def move(self, X, labels, C):
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.array([X[labels == j].mean(axis=0) for j in range(C.shape[0])])


@mutant(of="kmeans", kills=[test_kmeans_keeps_a_centroid_that_gets_no_point, test_kmeans_worked_example])
def kmeans_with_nan_for_an_empty_cluster(X, k, num_iters=100, seed=None, init=None):
    """X[labels == j].mean(axis=0) for every j: the mean of no points is NaN, and the centroid is lost."""
    return NanForEmpty()(X, k, num_iters, seed, init)


class PreviousLabels(Lloyd):
    def final_labels(self, X, C, last_labels):
        return last_labels


@mutant(of="kmeans", kills=[test_kmeans_labels_are_the_nearest_centroids, test_kmeans_matches_lloyds_iterations])
def kmeans_returning_the_last_assignment(X, k, num_iters=100, seed=None, init=None):
    """Returns the labels of the last assignment, made before the centroids' last move, not those nearest to the
    returned centroids (they differ when num_iters runs out before convergence)."""
    return PreviousLabels()(X, k, num_iters, seed, init)


class AnyRows(Lloyd):
    def initial(self, X, k, seed):
        return X[np.random.default_rng(seed).choice(X.shape[0], size=k, replace=False)].copy()


@mutant(of="kmeans", kills=[test_kmeans_with_k_distinct_points_reaches_loss_0])
def kmeans_starting_from_rows_that_may_repeat(X, k, num_iters=100, seed=None, init=None):
    """Starts from k different row indices, which may hold equal points: two centroids on one point."""
    return AnyRows()(X, k, num_iters, seed, init)


class Unseeded(Lloyd):
    def initial(self, X, k, seed):
        return super().initial(X, k, None)


@mutant(of="kmeans", kills=[test_kmeans_seed_reproduces_the_run])
def kmeans_ignoring_the_seed(X, k, num_iters=100, seed=None, init=None):
    """np.random.default_rng() without the seed: every call starts from other rows."""
    return Unseeded()(X, k, num_iters, seed, init)


class NeverStopping(Lloyd):
    stops_early = False


@mutant(of="kmeans", kills=[test_kmeans_matches_lloyds_iterations, test_kmeans_worked_example])
def kmeans_without_stopping_early(X, k, num_iters=100, seed=None, init=None):
    """Runs all num_iters iterations: loss_history goes on repeating the converged loss."""
    return NeverStopping()(X, k, num_iters, seed, init)


class LossBeforeTheMove(Lloyd):
    def loss(self, X, C, labels, previous_C):
        return sum_of_squares(X, previous_C, labels)


@mutant(of="kmeans", kills=[test_kmeans_matches_lloyds_iterations, test_kmeans_worked_example])
def kmeans_recording_the_loss_before_the_move(X, k, num_iters=100, seed=None, init=None):
    """Records the sum of squares of the assignment with the centroids it was made with, before they move."""
    return LossBeforeTheMove()(X, k, num_iters, seed, init)


class MeanSquaredDistance(Lloyd):
    def loss(self, X, C, labels, previous_C):
        return sum_of_squares(X, C, labels) / X.shape[0]


@mutant(of="kmeans", kills=[test_kmeans_loss_never_increases, test_kmeans_matches_lloyds_iterations,
                            test_kmeans_worked_example])
def kmeans_recording_the_mean_squared_distance(X, k, num_iters=100, seed=None, init=None):
    """Records the mean of the squared distances, not their sum."""
    return MeanSquaredDistance()(X, k, num_iters, seed, init)


class OneTooMany(Lloyd):
    def __call__(self, X, k, num_iters=100, seed=None, init=None):
        return super().__call__(X, k, num_iters + 1, seed, init)


@mutant(of="kmeans", kills=[test_kmeans_loss_never_increases, test_kmeans_matches_lloyds_iterations])
def kmeans_running_one_iteration_too_many(X, k, num_iters=100, seed=None, init=None):
    """for it in range(num_iters + 1): one iteration more than asked for when the run does not converge."""
    return OneTooMany()(X, k, num_iters, seed, init)


class ExpansionWithoutTheTwo(Lloyd):
    def assign(self, X, C):
        return ((X**2).sum(axis=1)[:, None] - X @ C.T + (C**2).sum(axis=1)[None, :]).argmin(axis=1)


@mutant(of="kmeans", kills=[test_kmeans_labels_are_the_nearest_centroids, test_kmeans_matches_lloyds_iterations])
def kmeans_with_the_expansion_missing_its_factor_2(X, k, num_iters=100, seed=None, init=None):
    """Distances by ||x||^2 - x.c + ||c||^2: the factor 2 of the cross term forgotten."""
    return ExpansionWithoutTheTwo()(X, k, num_iters, seed, init)


# Correct alternatives.


@alternative(of="kmeans")
def kmeans_by_broadcasting_and_loops_over_clusters(X, k, num_iters=100, seed=None, init=None):
    """The trusted Lloyd's iterations: distances by broadcasting the differences to (N, k, D), each mean by a loop
    over the clusters."""
    return Lloyd()(X, k, num_iters, seed, init)


def _expansion(X, C):
    return np.maximum((X**2).sum(axis=1)[:, None] - 2.0 * X @ C.T + (C**2).sum(axis=1)[None, :], 0.0)


@alternative(of="kmeans")
def kmeans_plus_plus(X, k, num_iters=100, seed=None, init=None):
    """k-means++ seeding (each next centroid a point drawn with probability proportional to its squared distance
    to the nearest chosen one: never a point already chosen), distances by the expansion, means by np.add.at."""
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if init is None:
        rng = np.random.default_rng(seed)
        chosen = [X[rng.integers(n)]]
        for _ in range(1, k):
            d2 = ((X[:, None, :] - np.array(chosen)[None, :, :]) ** 2).sum(axis=2).min(axis=1)
            chosen.append(X[rng.choice(n, p=d2 / d2.sum())])
        C = np.array(chosen)
    else:
        C = np.array(init, dtype=np.float64)
    history, previous = [], None
    for _ in range(num_iters):
        labels = _expansion(X, C).argmin(axis=1)
        sums = np.zeros_like(C)
        np.add.at(sums, labels, X)
        counts = np.bincount(labels, minlength=k)
        C = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], C)
        history.append(float(((X - C[labels]) ** 2).sum()))
        if previous is not None and (labels == previous).all():
            break
        previous = labels
    return C, _expansion(X, C).argmin(axis=1), np.array(history)


@alternative(of="kmeans")
def kmeans_reusing_the_next_distances(X, k, num_iters=100, seed=None, init=None):
    """Distances by scipy's cdist (sqeuclidean), means by np.bincount with weights, column by column; the initial
    rows a permutation of the distinct ones; each loss read off the distances that the next assignment uses, and the
    history a list of floats (as CS231n's train returns it)."""
    import scipy.spatial.distance

    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    if init is None:
        rows = np.unique(X, axis=0)
        C = rows[np.random.default_rng(seed).permutation(len(rows))[:k]]
    else:
        C = np.array(init, dtype=np.float64)
    D2 = scipy.spatial.distance.cdist(X, C, "sqeuclidean")
    labels, history, it = None, [], 0
    while it < num_iters:
        it += 1
        new = D2.argmin(axis=1)
        counts = np.bincount(new, minlength=k)
        C = C.copy()
        for col in range(d):
            sums = np.bincount(new, weights=X[:, col], minlength=k)
            C[counts > 0, col] = sums[counts > 0] / counts[counts > 0]
        D2 = scipy.spatial.distance.cdist(X, C, "sqeuclidean")
        history.append(float(D2[np.arange(n), new].sum()))
        done = labels is not None and np.array_equal(new, labels)
        labels = new
        if done:
            break
    return C, D2.argmin(axis=1), history
