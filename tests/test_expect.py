"""Meta-tests of the assertion helpers: a student reads these messages, so their content is part of the product."""

import numpy as np
import pytest

from spec import expect


def message(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_close_names_the_worst_entry_its_index_and_the_input():
    actual = np.array([[0.5, 0.5], [0.12, 0.88]])
    expected = np.array([[0.5, 0.5], [0.13, 0.87]])
    text = message(expect.close, "softmax(x)", actual, expected, atol=1e-3, why="worked example",
                   inputs={"x": np.array([[0.0, 0.0], [1.0, 3.0]])})
    assert text.startswith("softmax(x)[1, 0]=0.12, but should be 0.13 (off by 0.01, allowed 0.001) [worked example]")
    assert "2 of 4 entries are off." in text
    assert "x = [[0., 0.],\n [1., 3.]]" in text


def test_close_reports_nan_first_and_accepts_matching_infinities():
    text = message(expect.close, "p", np.array([1.0, np.nan, 5.0]), np.array([0.0, 0.0, 0.0]), atol=0.1)
    assert text.startswith("p[1]=nan, but should be 0")
    expect.close("p", np.array([np.inf, 1.0]), np.array([np.inf, 1.0]))


def test_close_passes_within_tolerance_and_fails_just_outside():
    expect.close("v", 1.0 + 1e-9, 1.0, atol=1e-9 + 1e-16)
    with pytest.raises(AssertionError):
        expect.close("v", 1.0 + 3e-9, 1.0, atol=1e-9)
    expect.close("v", 100.0 * (1 + 1e-7), 100.0, rtol=2e-7)


def test_close_shows_enough_digits_to_see_the_difference():
    text = message(expect.close, "row sums", np.array([1.0 + 3e-13]), 1.0, atol=2.7e-15)
    assert text.startswith("row sums[0]=1.0000000000003, but should be 1 (off by 3e-13, allowed 2.7e-15)")


def test_close_on_scalars_has_no_index():
    assert message(expect.close, "loss", 2.5, 2.302585, atol=1e-8).startswith("loss=2.5, but should be 2.302585 ")


def test_holds_names_the_first_offending_entry_and_the_requirement():
    p = np.array([[0.2, 1.2], [-0.1, 0.5]])
    text = message(expect.holds, "softmax(x)", p, (p >= 0) & (p <= 1), "in [0, 1]")
    assert text.startswith("softmax(x)[0, 1]=1.2, but should be in [0, 1]")
    assert "2 of 4 entries are off." in text
    expect.holds("p", p, p < 2, "below 2")


def test_equal_is_exact():
    expect.equal("dx", np.zeros(3), 0.0)
    with pytest.raises(AssertionError):
        expect.equal("dx", np.array([0.0, 5e-324]), 0.0)


def test_an_exact_mismatch_gives_no_tolerance_in_its_message():
    # "off by 3, allowed 0" means nothing for a class label.
    with pytest.raises(AssertionError) as info:
        expect.equal("y_pred", np.array([0, 1, 4]), np.array([0, 1, 1]), why="majority vote")
    text = str(info.value)
    assert text.startswith("y_pred[2]=4, but should be 1 [majority vote]"), text
    assert "allowed" not in text
