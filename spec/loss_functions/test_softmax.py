"""Softmax: class scores in, class probabilities out.

softmax(x)[i, j] = exp(x[i, j]) / sum_k exp(x[i, k]), row by row.
"""

import math

import numpy as np
import scipy.special
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.property import alternative, mutant, prop
from spec.strategies import row_offsets, score_matrices

CONCEPT = "softmax"
I2DL = "TUM I2DL lecture 6 recap, slides 21-24 (softmax formulation)"
GT = "Georgia Tech CS 4803/7643, linear classifiers: the softmax function"

# The I2DL recap's cat image (slide 30): scores cat 3.2, car 5.1, frog -1.7.
LECTURE_SCORES = np.array([[3.2, 5.1, -1.7]])


def sum_tolerance(x) -> float:
    """|sum_j softmax(x)[i, j] - 1| for a correct float64 softmax of rows of C scores, M = max|x|.

    Max-shift route: each exp is correctly rounded to within u = EPS/2; summing C terms adds at most (C - 1) u
    relative error, the division one more u, so each probability is within (C + 1) u relative, and their sum,
    itself summed with (C - 1) u error, is within (2C + 1) u of 1.
    Log-domain route, exp(x - logsumexp(x)): logsumexp is rounded to within u (M + log C) absolutely, and exp turns
    an absolute error in its argument into the same relative error, weighted by p: u (M + 2 log C) more.
    Together under u (2C + 1 + M + 2 log C); the factor 4 of safety gives 4 EPS (C + 1 + M + log C).
    """
    c, m = x.shape[1], float(np.abs(x).max())
    return 4 * EPS * (c + 1 + m + np.log(c))


@prop(CONCEPT, I2DL, "Each row of softmax(x) is a probability vector: every entry in [0, 1], summing to 1.")
@given(x=score_matrices())
@example(x=LECTURE_SCORES)
def test_softmax_rows_are_probability_vectors(softmax, x):
    p = softmax(x)
    expect.holds("softmax(x)", p, (p >= 0) & (p <= 1), "in [0, 1]", inputs={"x": x})
    expect.close("softmax(x).sum(axis=1)", p.sum(axis=1), 1.0, atol=sum_tolerance(x), inputs={"x": x})


@prop(CONCEPT, GT, "Adding the same constant to every score of a row leaves that row's probabilities unchanged.")
@given(x=score_matrices(), data=st.data())
def test_softmax_is_unchanged_by_adding_a_constant_to_a_row(softmax, x, data):
    c = data.draw(row_offsets(len(x)), label="c")
    shifted = x + c[:, None]
    # x + c is rounded to within u |x + c|, so exponents move by up to 2u (|c| + max|x|) after the row maximum is
    # taken off: a relative change of the same size in each probability, on top of the (C + 1) u of the softmax
    # itself. rtol = 4 EPS (|c| + max|x| + C) bounds both with a safety factor of about 2.
    rtol = 4 * EPS * (np.abs(c)[:, None] + np.abs(x).max() + x.shape[1])
    p = softmax(x)
    expect.close(
        "softmax(x + c)", softmax(shifted), p, atol=rtol * p, why="should equal softmax(x) row by row",
        inputs={"x": x, "c (added to each row)": c},
    )


@prop(CONCEPT, I2DL, "Softmax is numerically stable: scores as large as ±1000 still give finite probabilities.")
@given(x=score_matrices(magnitude=1000.0))
@example(x=np.array([[1000.0, 0.0], [-1000.0, -999.0]]))  # rows 2000 apart: a max taken over the whole batch fails
def test_softmax_is_finite_for_scores_of_magnitude_1000(softmax, x):
    p = softmax(x)
    expect.holds("softmax(x)", p, np.isfinite(p), "finite (subtract each row's maximum before exp)", inputs={"x": x})
    expect.close("softmax(x).sum(axis=1)", p.sum(axis=1), 1.0, atol=sum_tolerance(x), inputs={"x": x})


@prop(CONCEPT, GT, "Softmax preserves order: a higher score never gets a lower probability; equal scores, equal ones.")
@given(x=score_matrices())
@example(x=LECTURE_SCORES)
def test_softmax_preserves_the_order_of_scores(softmax, x):
    p = softmax(x)
    for i in range(x.shape[0]):
        lower = x[i][:, None] < x[i][None, :]  # lower[j, k]: score j is below score k
        tied = x[i][:, None] == x[i][None, :]
        wrong = (lower & (p[i][:, None] > p[i][None, :])) | (tied & (p[i][:, None] != p[i][None, :]))
        if wrong.any():
            j, k = (int(v) for v in np.argwhere(wrong)[0])
            scores = f"x[{i}, {j}]={expect.fmt(x[i, j])} and x[{i}, {k}]={expect.fmt(x[i, k])}"
            should = ("are equal, so their probabilities should be equal" if tied[j, k]
                      else "are in this order, so their probabilities should be too")
            p_j, p_k = expect.fmt_pair(float(p[i, j]), float(p[i, k]))
            expect.fail(f"softmax(x)[{i}, {j}]={p_j} and softmax(x)[{i}, {k}]={p_k}, but the scores {scores} {should}",
                        {"x": x})


# Scores up to ±300: rows spread up to 600, so every probability is a normal float (e^-600 > 2.2e-308, the
# smallest) and exact odds are computable by any correct route, while clipping p (at 1e-15, say) shows at once.
ODDS_MAGNITUDE = 300.0


@prop(CONCEPT, I2DL, "The odds of two classes are the exponentiated difference of their scores: p_j / p_k = e^(x_j - x_k).")
@given(x=score_matrices(magnitude=ODDS_MAGNITUDE))
@example(x=LECTURE_SCORES)
@example(x=np.array([[0.0, 40.0]]))  # p = (4.2e-18, 1): clipping p at 1e-15 fails here
def test_softmax_odds_are_exponentiated_score_differences(softmax, x):
    p = softmax(x)
    expect.holds("softmax(x)", p, p > 0, f"positive (exp is never 0 for scores in ±{ODDS_MAGNITUDE:g})", inputs={"x": x})
    # Compared in logs: log p_j - log p_k = x_j - x_k, with M = max|x|. By the log-domain route each p is within
    # u (|x_j - lse| + |lse|) <= u (3M + log C) relative (lse = logsumexp of the row; the max-shift route's
    # (2C + 1) u is covered too), each log within that plus u |log p| <= u (2M + log C), and the spec's own
    # x_j - x_k is rounded by u 2M: in all under u (12M + 4 log C + 4C + 2). 4 EPS (C + 3M + 2) is twice that.
    c, m = x.shape[1], np.abs(x).max()
    log_odds = np.log(p)[:, :, None] - np.log(p)[:, None, :]
    expect.close(
        "log-odds L", log_odds, x[:, :, None] - x[:, None, :], atol=4 * EPS * (c + 3 * m + 2),
        why="L[i, j, k] = log(p[i, j] / p[i, k]) with p = softmax(x) should equal x[i, j] - x[i, k]", inputs={"x": x},
    )


@prop(CONCEPT, I2DL, "The lectures' worked examples: softmax(3.2, 5.1, -1.7) = (0.13, 0.87, 0.00) and softmax(1, -2, 0) = (0.705, 0.035, 0.259).")
def test_softmax_matches_the_lecture_examples(softmax):
    # I2DL recap slide 30 rounds to two places; CS231n's notes to three. Here to 8 places, worked out by hand from
    # e^3.2 = 24.5325, e^5.1 = 164.0219, e^-1.7 = 0.18268 and e^1 = 2.71828, e^-2 = 0.13534, e^0 = 1.
    cases = [
        ([3.2, 5.1, -1.7], [0.12998254, 0.86904954, 0.00096793]),
        ([1.0, -2.0, 0.0], [0.70538451, 0.03511903, 0.25949646]),
    ]
    for scores, probabilities in cases:
        x = np.array([scores])
        expect.close("softmax(x)", softmax(x), [probabilities], atol=5e-9, why="worked example", inputs={"x": x})


# Mutants: softmax as students get it wrong.


@mutant(of="softmax", kills=[test_softmax_is_finite_for_scores_of_magnitude_1000, test_softmax_is_unchanged_by_adding_a_constant_to_a_row])
def softmax_without_max_shift(x):
    """exp() of the raw scores: overflows to inf/inf = nan for scores near 1000."""
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


@mutant(of="softmax", kills=[test_softmax_is_finite_for_scores_of_magnitude_1000])
def softmax_with_global_max_shift(x):
    """Subtracts the maximum of the whole batch, not of each row: rows far below it underflow to 0/0."""
    e = np.exp(x - x.max())
    return e / e.sum(axis=1, keepdims=True)


@mutant(of="softmax", kills=[test_softmax_rows_are_probability_vectors])
def softmax_normalized_over_the_batch_axis(x):
    """Sums over axis 0 (the examples) instead of axis 1 (the classes)."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@mutant(of="softmax", kills=[test_softmax_rows_are_probability_vectors])
def softmax_normalized_over_the_whole_matrix(x):
    """Divides by the sum over every entry of the batch, not per row."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum()


@mutant(of="softmax", kills=[test_softmax_preserves_the_order_of_scores])
def softmax_of_negated_scores(x):
    """exp(-x), as in the sigmoid's 1 / (1 + e^-x): turns the order of the classes upside down."""
    e = np.exp(-(x - x.min(axis=1, keepdims=True)))
    return e / e.sum(axis=1, keepdims=True)


@mutant(of="softmax", kills=[test_softmax_odds_are_exponentiated_score_differences])
def softmax_with_clipped_probabilities(x):
    """Clips the probabilities to [1e-15, 1 - 1e-15] "to avoid log(0)": wrong wherever a class is that unlikely."""
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return np.clip(e / e.sum(axis=1, keepdims=True), 1e-15, 1 - 1e-15)


@mutant(of="softmax", kills=[test_softmax_odds_are_exponentiated_score_differences, test_softmax_matches_the_lecture_examples])
def softmax_without_exponential(x):
    """Normalizes the scores themselves (made non-negative and offset by 1) instead of their exponentials."""
    shifted = x - x.min(axis=1, keepdims=True) + 1.0
    return shifted / shifted.sum(axis=1, keepdims=True)


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="softmax")
def softmax_with_loops(x):
    """Row by row and class by class with Python floats and math.exp, as a first attempt often is."""
    out = np.empty_like(x)
    for i, row in enumerate(x):
        top = max(row)
        exps = [math.exp(v - top) for v in row]
        total = sum(exps)
        for j, e in enumerate(exps):
            out[i, j] = e / total
    return out


@alternative(of="softmax")
def softmax_through_log_softmax(x):
    """exp(x - logsumexp(x)): the log-domain route."""
    return np.exp(x - scipy.special.logsumexp(x, axis=1, keepdims=True))


@alternative(of="softmax")
def softmax_from_scipy(x):
    """scipy.special.softmax along the class axis."""
    return scipy.special.softmax(x, axis=1)
