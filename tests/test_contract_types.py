"""Meta-tests of the contract's types: what they accept, and what they say when they reject."""

import numpy as np
import pytest

from spec.contract.types import Array, Choice, ContractViolation, Integer, Labels, Scalar


def test_array_binds_dimensions_and_names_them_on_a_mismatch():
    dims = {}
    Array("N", "C").bind(np.zeros((2, 3)), dims)
    assert dims == {"N": 2, "C": 3}
    with pytest.raises(ContractViolation, match=r"has shape \(3,\), the contract says \(N, C\) = \(2, 3\) here"):
        Array("N", "C").check(np.zeros(3), dims, "out")


def test_labels_accept_any_integer_dtype():
    Labels("N").check(np.array([0, 1], dtype=np.int32), {"N": 2}, "y")
    with pytest.raises(ContractViolation, match="dtype float64"):
        Labels("N").check(np.array([0.0, 1.0]), {"N": 2}, "y")


def test_scalar_integer_and_choice():
    assert Scalar().check(np.float32(2.5), {}, "loss") == 2.5
    assert Integer().check(np.int64(3), {}, "k") == 3
    for wrong in (3.0, True, "3"):
        with pytest.raises(ContractViolation, match="the contract says an int"):
            Integer().check(wrong, {}, "k")
    assert Choice("mean", "sum").check("sum", {}, "reduction") == "sum"
    with pytest.raises(ContractViolation, match=r"reduction is 'avg'; the contract says one of 'mean', 'sum'"):
        Choice("mean", "sum").check("avg", {}, "reduction")
