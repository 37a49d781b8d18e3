"""The reference impl/diagnostics.py rejects malformed input with a ValueError that names the argument and what it
should be, returns Python floats and a string from bias_variance and a new float64 array from ema_smooth."""

import numpy as np
import pytest

from impl import diagnostics as d


def test_bias_variance_checks_its_error_rates():
    with pytest.raises(ValueError, match=r"human_error must be a finite number, got nan"):
        d.bias_variance(float("nan"), 0.05, 0.08)
    with pytest.raises(ValueError, match=r"train_error must be a number, got an array of shape \(2,\)"):
        d.bias_variance(0.01, np.array([0.05, 0.06]), 0.08)
    with pytest.raises(ValueError, match=r"val_error must be a finite number, got '8%'"):
        d.bias_variance(0.01, 0.05, "8%")
    with pytest.raises(ValueError, match=r"val_error must be a finite number, got True"):
        d.bias_variance(0.01, 0.05, True)


def test_bias_variance_returns_floats_and_the_lecture_diagnosis():
    bias, variance, diagnosis = d.bias_variance(1, 5, 8)
    assert (bias, variance, diagnosis) == (4.0, 3.0, "bias") and type(bias) is float and type(variance) is float
    assert d.bias_variance(np.float64(0.01), 0.05, 0.08)[2] == "bias"
    assert d.bias_variance(1.0, 5.0, 9.0)[2] == "bias"  # a tie
    assert d.bias_variance(1.0, 5.0, 10.0)[2] == "variance"


def test_ema_smooth_checks_values_beta_and_the_flag():
    with pytest.raises(ValueError, match=r"values must have shape \(T,\), one value per iteration, got shape \(2, 2\)"):
        d.ema_smooth(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"values must be an array of real numbers, got dtype <U1"):
        d.ema_smooth(["a", "b"])
    with pytest.raises(ValueError, match=r"beta must lie in \[0, 1\), got 1.0"):
        d.ema_smooth([1.0, 2.0], beta=1.0)
    with pytest.raises(ValueError, match=r"beta must lie in \[0, 1\), got -0.1"):
        d.ema_smooth([1.0, 2.0], beta=-0.1)
    with pytest.raises(ValueError, match=r"beta must be a finite number, got nan"):
        d.ema_smooth([1.0, 2.0], beta=float("nan"))
    with pytest.raises(ValueError, match=r"bias_correction must be True or False, got 'yes'"):
        d.ema_smooth([1.0, 2.0], bias_correction="yes")


def test_ema_smooth_returns_a_new_float64_array():
    values = np.array([2.0, 4.0])
    smoothed = d.ema_smooth(values, beta=0.5)
    assert smoothed.dtype == np.float64 and not np.shares_memory(smoothed, values)
    np.testing.assert_allclose(smoothed, [2.0, 10 / 3], rtol=1e-15)
    np.testing.assert_array_equal(d.ema_smooth([2, 4], beta=0.5, bias_correction=False), [1.0, 2.5])
    assert d.ema_smooth([], beta=0.9).shape == (0,)
    beta0 = d.ema_smooth(values, beta=0.0)
    np.testing.assert_array_equal(beta0, values)
    assert not np.shares_memory(beta0, values)
    np.testing.assert_array_equal(values, [2.0, 4.0])
