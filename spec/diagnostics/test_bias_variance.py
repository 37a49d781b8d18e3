"""Bias vs variance: bias_variance(human_error, train_error, val_error) -> (avoidable_bias, variance, diagnosis).

avoidable_bias = train_error - human_error, variance = val_error - train_error, and the diagnosis names the larger
gap ("bias" on a tie: fix underfitting first). The lecture's human level 1%, training 5%, validation 8% give 4% and 3%:
a bias problem.

Rounding: each gap is one float subtraction, which IEEE 754 rounds correctly, so every correct implementation returns
the same float (t - h, -(h - t), exact fractions rounded: all equal): the gaps are compared exactly. In fractions the
lecture's 0.05 - 0.01 is 0.04000000000000001, not the float 0.04; the worked example allows that rounding (derived
there). The diagnosis is drawn on error rates whose differences and comparisons are exact (common.grid_error_triples),
so that a tie is a real tie for every correct implementation.
"""

from fractions import Fraction

import numpy as np
from hypothesis import example, given

from spec import expect
from spec.diagnostics.common import (
    I2DL_BIAS_VARIANCE,
    LECTURE_FRACTIONS,
    LECTURE_PERCENT,
    U,
    error_rates,
    grid_bias_problems,
    grid_error_triples,
)
from spec.property import alternative, mutant, prop

CONCEPT = "bias vs variance"


def expected_diagnosis(avoidable_bias, variance) -> str:
    return "bias" if avoidable_bias >= variance else "variance"


def call_text(human, train, val) -> str:
    return f"bias_variance({human!r}, {train!r}, {val!r})"


def expect_diagnosis(name, diagnosis, expected, *, why, inputs):
    """A diagnosis is a word: compared as a string (expect.equal compares numbers)."""
    if not isinstance(diagnosis, str) or diagnosis != expected:
        expect.fail(f"{name}={diagnosis!r}, but should be {expected!r} [{why}]", inputs)


@prop(CONCEPT, I2DL_BIAS_VARIANCE, "The lecture's human level 1%, training 5% and validation 8% give an avoidable bias of 4% and a variance of 3%: a bias problem, in fractions (0.01, 0.05, 0.08) and in percent (1, 5, 8).")
def test_bias_variance_of_the_lecture_example(bias_variance):
    # In percent the numbers are integers: 5 - 1 = 4 and 8 - 5 = 3 exactly.
    human, train, val = LECTURE_PERCENT
    inputs = {"human_error": human, "train_error": train, "val_error": val}
    bias, variance, diagnosis = bias_variance(human, train, val)
    expect.equal(f"avoidable_bias of {call_text(human, train, val)}", bias, 4.0,
                 why="training error - human-level error = 5% - 1%", inputs=inputs)
    expect.equal(f"variance of {call_text(human, train, val)}", variance, 3.0,
                 why="validation error - training error = 8% - 5%", inputs=inputs)
    expect_diagnosis(f"diagnosis of {call_text(human, train, val)}", diagnosis, "bias",
                 why="4% avoidable bias > 3% variance: work on the bias (underfitting) first", inputs=inputs)
    # In fractions: the floats 0.05 and 0.01 are within U * 0.05 and U * 0.01 of the decimals, their difference is
    # rounded once more (U * 0.04), and the float 0.04 is itself within U * 0.04 of 0.04: the gap a - b lands within
    # U (|a| + |b| + 2 |a - b|) of the float of the decimal difference (0.14 U; 0.05 - 0.01 is 1 ulp = 0.06 U above).
    human, train, val = LECTURE_FRACTIONS
    inputs = {"human_error": human, "train_error": train, "val_error": val}
    bias, variance, diagnosis = bias_variance(human, train, val)
    expect.close(f"avoidable_bias of {call_text(human, train, val)}", bias, 0.04,
                 atol=U * (train + human + 2 * 0.04), why="training error - human-level error = 0.05 - 0.01",
                 inputs=inputs)
    expect.close(f"variance of {call_text(human, train, val)}", variance, 0.03,
                 atol=U * (val + train + 2 * 0.03), why="validation error - training error = 0.08 - 0.05",
                 inputs=inputs)
    expect_diagnosis(f"diagnosis of {call_text(human, train, val)}", diagnosis, "bias",
                 why="0.04 avoidable bias > 0.03 variance: work on the bias (underfitting) first", inputs=inputs)


@prop(CONCEPT, I2DL_BIAS_VARIANCE, "The gaps are the exact float differences avoidable_bias = train_error - human_error and variance = val_error - train_error (either may be negative), not rounded, reversed or taken as distances.")
@given(human=error_rates(), train=error_rates(), val=error_rates())
@example(human=0.01, train=0.05, val=0.08)
@example(human=0.3, train=0.1, val=0.05)
def test_bias_variance_gaps_are_exact_differences(bias_variance, human, train, val):
    # One subtraction each, correctly rounded by IEEE 754: every correct computation gives this very float.
    inputs = {"human_error": human, "train_error": train, "val_error": val}
    bias, variance, _ = bias_variance(human, train, val)
    expect.equal(f"avoidable_bias of {call_text(human, train, val)}", bias, train - human,
                 why="train_error - human_error", inputs=inputs)
    expect.equal(f"variance of {call_text(human, train, val)}", variance, val - train,
                 why="val_error - train_error", inputs=inputs)


@prop(CONCEPT, I2DL_BIAS_VARIANCE, "The diagnosis names the larger gap: \"bias\" when avoidable_bias >= variance (ties to bias: fix underfitting first), else \"variance\".")
@given(errors=grid_error_triples())
@example(errors=LECTURE_PERCENT)
@example(errors=(1.0, 5.0, 9.0))
@example(errors=(0.25, 0.5, 0.75))
def test_diagnosis_names_the_larger_gap_ties_to_bias(bias_variance, errors):
    human, train, val = errors
    _, _, diagnosis = bias_variance(human, train, val)
    gaps = f"avoidable bias {train - human:g}, variance {val - train:g}"
    expect_diagnosis(f"diagnosis of {call_text(human, train, val)}", diagnosis,
                 expected_diagnosis(train - human, val - train),
                 why=f"{gaps}: the larger gap, and bias on a tie", inputs=dict(zip(
                     ("human_error", "train_error", "val_error"), errors)))


@prop(CONCEPT, I2DL_BIAS_VARIANCE, "Raising the validation error flips the diagnosis: \"bias\" up to the point where variance equals the avoidable bias (val = 2 train - human, a tie), \"variance\" beyond it, as when the lecture's 8% becomes 10%.")
@given(problem=grid_bias_problems())
@example(problem=(1.0, 5.0, 1.0))  # the lecture in percent: 8% is bias, 9% a tie (bias), 10% variance
def test_diagnosis_flips_when_the_validation_gap_dominates(bias_variance, problem):
    human, train, step = problem
    tie = 2 * train - human  # exact on the grid (and in whole percent): variance = val - train = train - human there
    for val, expected in ((tie - step, "bias"), (tie, "bias"), (tie + step, "variance")):
        _, _, diagnosis = bias_variance(human, train, val)
        how = "below" if val < tie else "at" if val == tie else "above"
        expect_diagnosis(f"diagnosis of {call_text(human, train, val)}", diagnosis, expected,
                     why=f"val_error {how} the tie point 2 * train_error - human_error = {tie:g}: variance "
                         f"{val - train:g} against avoidable bias {train - human:g}",
                     inputs={"human_error": human, "train_error": train, "val_error": val})


# Mutants.


@mutant(of="bias_variance", kills=[test_bias_variance_of_the_lecture_example,
                                   test_bias_variance_gaps_are_exact_differences,
                                   test_diagnosis_flips_when_the_validation_gap_dominates])
def bias_variance_with_the_variance_gap_reversed(human_error, train_error, val_error):
    """variance = train_error - val_error: the gap the wrong way round (negative when the model overfits)."""
    bias, variance = train_error - human_error, train_error - val_error
    return bias, variance, "bias" if bias >= variance else "variance"


@mutant(of="bias_variance", kills=[test_diagnosis_names_the_larger_gap_ties_to_bias,
                                   test_diagnosis_flips_when_the_validation_gap_dominates])
def bias_variance_with_ties_to_variance(human_error, train_error, val_error):
    """"bias" only when avoidable_bias > variance: a tie goes to variance."""
    bias, variance = train_error - human_error, val_error - train_error
    return bias, variance, "bias" if bias > variance else "variance"


@mutant(of="bias_variance", kills=[test_bias_variance_of_the_lecture_example,
                                   test_diagnosis_names_the_larger_gap_ties_to_bias])
def bias_variance_comparing_with_the_validation_gap_to_human(human_error, train_error, val_error):
    """Diagnoses by comparing the avoidable bias with val_error - human_error (the wrong pair: the whole gap to the
    human level), so the lecture's 4% against 7% reads as variance."""
    bias, variance = train_error - human_error, val_error - train_error
    return bias, variance, "bias" if bias >= val_error - human_error else "variance"


@mutant(of="bias_variance", kills=[test_bias_variance_of_the_lecture_example,
                                   test_bias_variance_gaps_are_exact_differences])
def bias_variance_with_the_training_error_as_bias(human_error, train_error, val_error):
    """avoidable_bias = train_error: the human level ignored (high training error = high bias)."""
    bias, variance = train_error, val_error - train_error
    return bias, variance, "bias" if bias >= variance else "variance"


@mutant(of="bias_variance", kills=[test_bias_variance_gaps_are_exact_differences])
def bias_variance_rounding_the_gaps(human_error, train_error, val_error):
    """Rounds the gaps to 4 decimals to hide the 0.04000000000000001 of 0.05 - 0.01."""
    bias, variance = round(train_error - human_error, 4), round(val_error - train_error, 4)
    return bias, variance, "bias" if bias >= variance else "variance"


@mutant(of="bias_variance", kills=[test_bias_variance_gaps_are_exact_differences])
def bias_variance_as_distances(human_error, train_error, val_error):
    """abs() of each gap: a validation error below the training error reads as positive variance."""
    bias, variance = abs(train_error - human_error), abs(val_error - train_error)
    return bias, variance, "bias" if bias >= variance else "variance"


# Correct alternatives.


@alternative(of="bias_variance")
def bias_variance_by_the_larger_of_the_gaps(human_error, train_error, val_error):
    """max over a dict of the gaps (the first, "bias", wins a tie), returned as a list."""
    gaps = {"bias": -(human_error - train_error), "variance": val_error - train_error}
    return [gaps["bias"], gaps["variance"], max(gaps, key=gaps.get)]


@alternative(of="bias_variance")
def bias_variance_with_exact_fractions(human_error, train_error, val_error):
    """The gaps in exact rational arithmetic, compared exactly, rounded to floats at the end."""
    human, train, val = Fraction(human_error), Fraction(train_error), Fraction(val_error)
    bias, variance = train - human, val - train
    return float(bias), float(variance), "variance" if variance > bias else "bias"


@alternative(of="bias_variance")
def bias_variance_with_numpy(human_error, train_error, val_error):
    """NumPy float64 scalars: np.subtract, the diagnosis picked by indexing with the comparison."""
    errors = np.array([human_error, train_error, val_error], dtype=np.float64)
    bias, variance = np.diff(errors)
    return bias, variance, ("variance", "bias")[int(bias >= variance)]
