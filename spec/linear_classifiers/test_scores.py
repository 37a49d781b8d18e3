"""The linear score function: linear_scores(X, W, b) -> X @ W + b, and the bias trick append_bias_column(X).

The lecture writes one example as a column, f(x, W) = Wx + b with W of shape (C, D); the contract stacks examples as
rows, so X is (N, D), W is the lecture's W transposed, (D, C), and scores are X @ W + b, shape (N, C).

Tolerances. A score is a sum of D products plus a bias: computed in float64 in any order, it is within
(D + 1) u M of the exact value (u = EPS/2 per rounding), where M = sum_d |X[i, d] W[d, j]| + |b[j]| is the size of the
numbers it is made of (cancellation can make the score itself much smaller than M). Expected values below are
computed exactly (fractions of the float64 inputs, rounded once), so a comparison allows the implementation's
(D + 1) u M plus u |score| for that one rounding, doubled for safety: (D + 2) EPS M.
"""

from fractions import Fraction

import numpy as np
from hypothesis import example, given

from spec import expect
from spec.expect import EPS
from spec.linear_classifiers.strategies import DATA_MAGNITUDE, entries, hyperplane_cases, score_inputs
from spec.property import alternative, mutant, prop

CONCEPT = "linear score function"
GT = "Georgia Tech CS 4803/7643, linear classifiers, slides 22 and 27: f(x, W) = Wx + b (algebraic viewpoint)"
GT_GEOMETRIC = "Georgia Tech CS 4803/7643, linear classifiers, slide 32: hyperplanes cutting up space (geometric viewpoint)"
CS231N = "CS231n linear classification notes: the bias trick (a column of ones in X, a row of b in W)"

# The lecture's 4-pixel "cat" image and its weights, one row per class (cat, dog, ship) as on the slide.
CAT_PIXELS = np.array([56.0, 231.0, 24.0, 2.0])
LECTURE_W_ROWS = np.array([[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0.0, 0.25, 0.2, -0.3]])
LECTURE_B = np.array([1.1, 3.2, -1.2])
# In the contract's convention: X is (1, 4) (plus an all-black image, whose scores are the biases), W is (4, 3).
LECTURE_X = np.stack([CAT_PIXELS, np.zeros(4)])
LECTURE_W = LECTURE_W_ROWS.T
# Checked by hand:
#   cat:  0.2*56 - 0.5*231 + 0.1*24 + 2.0*2  = 11.2 - 115.5 + 2.4 + 4.0 = -97.9,  + 1.1 = -96.8  (as on the slide)
#   dog:  1.5*56 + 1.3*231 + 2.1*24 + 0.0*2  = 84.0 + 300.3 + 50.4 + 0  = 434.7,  + 3.2 = 437.9  (as on the slide)
#   ship: 0.0*56 + 0.25*231 + 0.2*24 - 0.3*2 = 0 + 57.75 + 4.8 - 0.6    = 61.95,  - 1.2 = 60.75
# The slide's ship score 61.95 is Wx without the ship's bias -1.2: the correct score is 60.75.
LECTURE_SCORES = np.array([[-96.8, 437.9, 60.75], LECTURE_B])


def exact_scores(X, W, b=None) -> np.ndarray:
    """X @ W (+ b) computed exactly in rational arithmetic from the float64 inputs, rounded once to float64."""
    n, c = X.shape[0], W.shape[1]
    bias = np.zeros(c) if b is None else b
    Xf = [[Fraction(float(v)) for v in row] for row in X]
    Wf = [[Fraction(float(v)) for v in row] for row in W]
    return np.array([[float(sum((Xf[i][k] * Wf[k][j] for k in range(W.shape[0])), Fraction(float(bias[j]))))
                      for j in range(c)] for i in range(n)]).reshape(n, c)


def score_size(X, W, b) -> np.ndarray:
    """M[i, j] = sum_d |X[i, d] W[d, j]| + |b[j]|: the size of the numbers score [i, j] is made of."""
    return np.abs(X) @ np.abs(W) + np.abs(b)


def score_tolerance(X, W, b) -> np.ndarray:
    """Error allowed in scores against exact_scores: (D + 2) EPS M (see the module docstring)."""
    return (X.shape[1] + 2) * EPS * score_size(X, W, b)


@prop(CONCEPT, GT, "The lecture's 4-pixel cat image (56, 231, 24, 2) scores -96.8 (cat), 437.9 (dog) and 60.75 (ship; the slide's 61.95 forgets the ship's bias -1.2); an all-black image scores the biases.")
def test_linear_scores_match_the_lecture_example(linear_scores):
    scores = linear_scores(LECTURE_X, LECTURE_W, LECTURE_B)
    # The decimal values above are exact in decimal; as float64 each is within u |value| of it.
    expect.close("scores", scores, LECTURE_SCORES,
                 atol=score_tolerance(LECTURE_X, LECTURE_W, LECTURE_B) + EPS * np.abs(LECTURE_SCORES),
                 why="cat -96.8, dog 437.9, ship 60.75 = 61.95 - 1.2; a black image scores b",
                 inputs={"X": LECTURE_X, "W": LECTURE_W, "b": LECTURE_B})


@prop(CONCEPT, GT, "scores[i, j] = sum_d X[i, d] * W[d, j] + b[j]: one row per example, column j of W is the template of class j.")
@given(XWb=score_inputs())
@example(XWb=(LECTURE_X, LECTURE_W, LECTURE_B))
@example(XWb=(np.array([[1.0, 2.0, 3.0]]), np.arange(9.0).reshape(3, 3), np.array([0.5, -1.0, 2.0])))  # square W
def test_linear_scores_are_X_times_W_plus_b(linear_scores, XWb):
    X, W, b = XWb
    expect.close("scores", linear_scores(X, W, b), exact_scores(X, W, b), atol=score_tolerance(X, W, b),
                 why="X @ W + b", inputs={"X": X, "W": W, "b": b})


@prop(CONCEPT, GT, "The part without the bias is linear: f(aX) - b = a (f(X) - b) for every real a.")
@given(XWb=score_inputs(), a=entries(DATA_MAGNITUDE))
@example(XWb=(LECTURE_X, LECTURE_W, LECTURE_B), a=2.0)
def test_linear_scores_without_the_bias_are_homogeneous(linear_scores, XWb, a):
    X, W, b = XWb
    left = linear_scores(a * X, W, b) - b
    right = a * (linear_scores(X, W, b) - b)
    # Both sides are within (D + 3) u (|a| M + (1 + |a|) |b|) of a X @ W (M = |X| @ |W|): the rounding of a * X
    # (u |a| M), each score's (D + 1) u, the subtraction of b and the product with a (u each, on numbers of that
    # size). Their difference: (D + 3) EPS (...), doubled for safety.
    M, B = np.abs(X) @ np.abs(W), np.abs(b)
    tol = 2 * (X.shape[1] + 3) * EPS * (abs(a) * M + (1 + abs(a)) * B)
    expect.close("linear_scores(a X, W, b) - b", left, right, atol=tol, why="a (linear_scores(X, W, b) - b)",
                 inputs={"X": X, "W": W, "b": b, "a": a})


@prop(CONCEPT, CS231N, "append_bias_column(X) is X with a column of ones appended last: shape (N, D + 1).")
@given(XWb=score_inputs())
@example(XWb=(LECTURE_X, LECTURE_W, LECTURE_B))
def test_append_bias_column_appends_a_column_of_ones(append_bias_column, XWb):
    X = XWb[0]
    out = append_bias_column(X)
    inputs = {"X": X}
    expect.equal("append_bias_column(X)[:, :D]", out[:, :-1], X, why="the first D columns are X, unchanged",
                 inputs=inputs)
    expect.equal("append_bias_column(X)[:, D]", out[:, -1], 1.0, why="the last column is all ones", inputs=inputs)


@prop(CONCEPT, CS231N, "The bias trick gives the same scores: append_bias_column(X) @ vstack([W, b]) equals linear_scores(X, W, b).")
@given(XWb=score_inputs())
@example(XWb=(LECTURE_X, LECTURE_W, LECTURE_B))
def test_the_bias_trick_gives_the_same_scores(linear_scores, append_bias_column, XWb):
    X, W, b = XWb
    Xb, Wb = append_bias_column(X), np.vstack([W, b])
    # Against the exact product of append_bias_column(X) and vstack([W, b]): X @ W + b when the column is right.
    expect.close("linear_scores(X, W, b)", linear_scores(X, W, b), exact_scores(Xb, Wb),
                 atol=score_tolerance(X, W, b), why="append_bias_column(X) @ vstack([W, b])",
                 inputs={"X": X, "W": W, "b": b, "append_bias_column(X)": Xb})


@prop(CONCEPT, GT_GEOMETRIC, "Classes i and j score equally exactly on the hyperplane (w_i - w_j) . x + b_i - b_j = 0; a step along its normal w_i - w_j makes i win, a step back makes j win.")
@given(case=hyperplane_cases())
@example(case=(CAT_PIXELS, LECTURE_W, LECTURE_B, 0, 2))  # the cat/ship boundary of the lecture's classifier
def test_the_decision_boundary_of_two_classes_is_a_hyperplane(linear_scores, case):
    x0, W, b, i, j = case
    n, c = W[:, i] - W[:, j], b[i] - b[j]
    # x0 projected onto the hyperplane n . x + c = 0, then moved by +-n / |n|^2, where n . x + c is +-1.
    x = x0 - (n @ x0 + c) / (n @ n) * n
    step = n / (n @ n)
    X = np.stack([x, x + step, x - step])
    scores = linear_scores(X, W, b)
    gap = scores[:, i] - scores[:, j]
    # s_i - s_j for the points actually built (rounded): exact. Each score is within (D + 1) u M of its exact value,
    # the difference rounds once more; doubled: (D + 2) EPS (M_i + M_j).
    exact = exact_scores(X, W, b)
    expected = exact[:, i] - exact[:, j]
    M = score_size(X, W, b)
    tol = (X.shape[1] + 2) * EPS * (M[:, i] + M[:, j]) + EPS * np.abs(expected)
    inputs = {"W": W, "b": b, "i": i, "j": j, "points (on the boundary, a step towards i, a step towards j)": X}
    expect.close(f"scores[:, {i}] - scores[:, {j}]", gap, expected, atol=tol,
                 why="(w_i - w_j) . x + b_i - b_j: 0 on the boundary, then +1 and -1", inputs=inputs)
    expect.holds(f"scores[:, {i}] - scores[:, {j}]", gap, np.array([True, gap[1] > 0, gap[2] < 0]),
                 "positive a step along w_i - w_j (class i wins) and negative a step back (class j wins)",
                 inputs=inputs)


# Mutants: the score function and the bias trick as students get them wrong.


@mutant(of="linear_scores", kills=[test_linear_scores_match_the_lecture_example, test_linear_scores_are_X_times_W_plus_b,
                                   test_the_bias_trick_gives_the_same_scores,
                                   test_the_decision_boundary_of_two_classes_is_a_hyperplane])
def linear_scores_with_W_transposed(X, W, b):
    """X @ W.T + b: the lecture's (C, D) convention inside the contract's (D, C) one; wrong (or a crash) unless W is
    square and symmetric."""
    return X @ W.T + b


@mutant(of="linear_scores", kills=[test_linear_scores_match_the_lecture_example, test_linear_scores_are_X_times_W_plus_b,
                                   test_linear_scores_without_the_bias_are_homogeneous,
                                   test_the_bias_trick_gives_the_same_scores,
                                   test_the_decision_boundary_of_two_classes_is_a_hyperplane])
def linear_scores_without_the_bias(X, W, b):
    """X @ W: the bias forgotten (the slide's 61.95 for the ship)."""
    return X @ W


@mutant(of="linear_scores", kills=[test_linear_scores_match_the_lecture_example, test_linear_scores_are_X_times_W_plus_b,
                                   test_linear_scores_without_the_bias_are_homogeneous,
                                   test_the_bias_trick_gives_the_same_scores,
                                   test_the_decision_boundary_of_two_classes_is_a_hyperplane])
def linear_scores_subtracting_the_bias(X, W, b):
    """X @ W - b: a sign slip."""
    return X @ W - b


@mutant(of="append_bias_column", kills=[test_append_bias_column_appends_a_column_of_ones,
                                        test_the_bias_trick_gives_the_same_scores])
def append_bias_column_prepending_the_ones(X):
    """The column of ones put first: the bias then multiplies the first row of W, not the last."""
    return np.hstack([np.ones((X.shape[0], 1)), X])


@mutant(of="append_bias_column", kills=[test_append_bias_column_appends_a_column_of_ones,
                                        test_the_bias_trick_gives_the_same_scores])
def append_bias_column_of_zeros(X):
    """np.zeros instead of np.ones: the right shape, but the bias row of W is multiplied by 0."""
    return np.hstack([X, np.zeros((X.shape[0], 1))])


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="linear_scores")
def linear_scores_in_the_lecture_convention(X, W, b):
    """The lecture's column form f = W x + b with W as (C, D), one column per example, transposed back."""
    W_lecture = W.T
    return (W_lecture @ X.T + b[:, None]).T


@alternative(of="linear_scores")
def linear_scores_with_a_loop_over_classes(X, W, b):
    """One class at a time: scores[:, j] = X . W[:, j] + b[j], by einsum."""
    scores = np.empty((X.shape[0], W.shape[1]))
    for j in range(W.shape[1]):
        scores[:, j] = np.einsum("nd,d->n", X, W[:, j]) + b[j]
    return scores


@alternative(of="append_bias_column")
def append_bias_column_by_c_(X):
    """np.c_ with a vector of ones."""
    return np.c_[X, np.ones(X.shape[0])]


@alternative(of="append_bias_column")
def append_bias_column_by_filling(X):
    """A new array of ones, X copied into its first D columns."""
    out = np.ones((X.shape[0], X.shape[1] + 1))
    out[:, :-1] = X
    return out
