"""The relative error of CS231n's gradient checks: rel_error(x, y) = max |x - y| / max(1e-8, |x| + |y|)."""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.expect import EPS
from spec.property import alternative, mutant, prop
from spec.strategies import reals

CONCEPT = "relative error"
CS231N = "CS231n lecture 4 (2015), slides 40-43 and gradient_check.py: compare analytic and numerical gradients by rel_error"


def trusted_rel_error(x, y) -> float:
    """The definition, computed here."""
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def rel_tolerance(expected: float) -> float:
    """|x - y|, |x| + |y| and their quotient are each rounded once (relative U = EPS/2 each), so a correct value is
    within 3U of the definition relative to it (the max picks the same entry up to that); 2 EPS = 4U covers it."""
    return 2 * EPS * expected


@st.composite
def pairs_of_arrays(draw):
    """(x, y) of the same shape (N, D), with zeros, ties and tiny values (below the 1e-8 floor) among them."""
    shape = draw(st.tuples(st.integers(1, 5), st.integers(1, 5)))
    values = st.one_of(reals(10.0), st.sampled_from([1e-9, -3e-9, 5e-10]))
    x = draw(hnp.arrays(np.float64, shape, elements=values))
    y = draw(hnp.arrays(np.float64, shape, elements=values))
    return x, y


# Worked example. Entry by entry:
#   |1e-9 - 0| / max(1e-8, 1e-9) = 1e-9 / 1e-8 = 0.1     (the floor at work; without it, 1e-9 / 1e-9 = 1)
#   |1 - 1| / 2 = 0,  |2 - 2| / 4 = 0,  |3 - 2.8| / 5.8 = 0.2 / 5.8 = 0.0345
# max = 0.1 (a mean would give (0.1 + 0.0345) / 4 = 0.0336).
WORKED_X = np.array([[1e-9, 1.0], [2.0, 3.0]])
WORKED_Y = np.array([[0.0, 1.0], [2.0, 2.8]])


@prop(CONCEPT, CS231N, "Worked example: rel_error([[1e-9, 1], [2, 3]], [[0, 1], [2, 2.8]]) = max(0.1, 0, 0, 0.2/5.8) = 0.1, the 1e-8 floor at work.")
def test_rel_error_worked_example(rel_error):
    expect.close("rel_error(x, y)", rel_error(WORKED_X, WORKED_Y), 0.1, atol=rel_tolerance(0.1),
                 why="|1e-9 - 0| / max(1e-8, 1e-9 + 0) = 0.1 is the largest of the four entries",
                 inputs={"x": WORKED_X, "y": WORKED_Y})


@prop(CONCEPT, CS231N, "rel_error(x, y) is the largest entry of |x - y| / max(1e-8, |x| + |y|).")
@given(xy=pairs_of_arrays())
@example(xy=(WORKED_X, WORKED_Y))
def test_rel_error_is_the_cs231n_formula(rel_error, xy):
    x, y = xy
    expected = trusted_rel_error(x, y)
    expect.close("rel_error(x, y)", rel_error(x, y), expected, atol=rel_tolerance(expected),
                 why="max over entries of |x - y| / max(1e-8, |x| + |y|)", inputs={"x": x, "y": y})


@prop(CONCEPT, CS231N, "rel_error(x, x) is exactly 0, zeros in x included (the 1e-8 floor keeps 0 / 0 away).")
@given(x=pairs_of_arrays().map(lambda xy: xy[0]))
@example(x=np.zeros((2, 3)))
def test_rel_error_of_equal_arrays_is_0(rel_error, x):
    # |x - x| = 0 exactly and 0 / anything positive = 0 exactly.
    expect.equal("rel_error(x, x)", rel_error(x, x.copy()), 0.0, why="x - x = 0 everywhere", inputs={"x": x})


@prop(CONCEPT, CS231N, "rel_error is symmetric: rel_error(x, y) == rel_error(y, x), exactly.")
@given(xy=pairs_of_arrays())
@example(xy=(np.array([[1.0, 2.0]]), np.array([[2.0, 2.0]])))
def test_rel_error_is_symmetric(rel_error, xy):
    x, y = xy
    # |x - y| = |y - x| and |x| + |y| = |y| + |x| hold exactly in float64 (negation and + are exact/commutative).
    expect.equal("rel_error(y, x)", rel_error(y, x), rel_error(x, y), why="rel_error(x, y)", inputs={"x": x, "y": y})


# Mutants: the relative error as students get it wrong.


@mutant(of="rel_error", kills=[test_rel_error_worked_example, test_rel_error_of_equal_arrays_is_0, test_rel_error_is_the_cs231n_formula])
def rel_error_without_the_floor(x, y):
    """|x - y| / (|x| + |y|): 0 / 0 = NaN where both are 0, and tiny entries count fully."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.max(np.abs(x - y) / (np.abs(x) + np.abs(y))))


@mutant(of="rel_error", kills=[test_rel_error_worked_example, test_rel_error_is_the_cs231n_formula])
def rel_error_as_a_mean(x, y):
    """Averages the entries' relative errors instead of taking the largest: one bad entry hides among good ones."""
    return float(np.mean(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


@mutant(of="rel_error", kills=[test_rel_error_is_symmetric, test_rel_error_is_the_cs231n_formula])
def rel_error_relative_to_x_only(x, y):
    """|x - y| / max(1e-8, |x|): relative to the first argument only, so swapping the arguments changes it."""
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x))))


# Correct alternatives.


@alternative(of="rel_error")
def rel_error_with_loops(x, y):
    """Entry by entry with Python floats, keeping the largest."""
    worst = 0.0
    for a, b in zip(x.ravel().tolist(), y.ravel().tolist()):
        worst = max(worst, abs(a - b) / max(1e-8, abs(a) + abs(b)))
    return worst


@alternative(of="rel_error")
def rel_error_as_numpy_scalar(x, y):
    """Returns a NumPy float64 (np.max's own result), not a Python float."""
    return np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))
