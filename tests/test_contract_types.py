"""Meta-tests of the contract's types: what they accept, and what they say when they reject."""

import numpy as np
import pytest

from spec.contract.types import (
    SELF, Array, Cache, Callable, Choice, ContractViolation, Dict, Flag, Given, Grads, History, Integer, Labels,
    ListOf, OptimizeResult, Returns, Scalar, Sizes, Text,
)


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


def test_a_dimension_may_be_a_bound_one_plus_a_constant():
    dims = {"N": 2, "D": 3}
    Array("N", "D+1").check(np.zeros((2, 4)), dims, "X_with_ones")
    with pytest.raises(ContractViolation, match=r"has shape \(2, 3\), the contract says \(N, D\+1\) = \(2, 4\) here"):
        Array("N", "D+1").check(np.zeros((2, 3)), dims, "X_with_ones")


def test_training_labels_fix_the_class_count_and_an_iteration_count_fixes_T():
    dims = {}
    Labels("N", defines_classes=True).bind(np.array([0, 3, 1]), dims)
    Integer(sizes="T").bind(5, dims)
    assert dims == {"N": 3, "C": 4, "T": 5}
    assert "C = max(y) + 1" in Labels("N", defines_classes=True).describe()
    plain = {}
    Labels("N").bind(np.array([0, 3, 1]), plain)
    assert plain == {"N": 3}, "ordinary labels must not guess C: W or the scores fix it"


def test_a_history_is_a_list_of_floats_or_an_array():
    dims = {"T": 2}
    assert History("T").check([1.0, np.float64(0.5)], dims, "loss_history").tolist() == [1.0, 0.5]
    History("T").check(np.array([1.0, 0.5]), dims, "loss_history")
    with pytest.raises(ContractViolation, match="holding NoneType"):
        History("T").check([1.0, None], dims, "loss_history")
    with pytest.raises(ContractViolation, match=r"has shape \(3,\)"):
        History("T").check([1.0, 0.5, 0.2], dims, "loss_history")


def test_a_callable_is_anything_that_can_be_called_and_says_what_it_maps():
    f = Callable("an ndarray of x's shape", "a float")
    assert f.describe() == "function taking an ndarray of x's shape and returning a float"
    dims = {"N": 2}
    f.bind(len, dims)
    assert dims == {"N": 2}, "a function fixes no dimension"
    assert f.check(np.sum, dims, "f") is np.sum
    f.check(lambda z: 0.0, dims, "f")
    with pytest.raises(ContractViolation, match=r"f is an ndarray; the contract says a function taking an ndarray"):
        f.check(np.zeros(3), dims, "f")
    assert Callable().describe() == "function"


def test_a_cache_is_anything_and_fixes_no_dimension():
    assert Cache().describe() == "anything: what backward needs"
    dims = {"N": 2}
    for value in (np.zeros((3, 4)), (np.ones(2), 0.5), None, {"x": 1}):
        Cache().bind(value, dims)
        assert Cache().check(value, dims, "cache") is value
    assert dims == {"N": 2}, "a cache fixes no dimension"


def test_a_rest_dimension_takes_any_number_of_trailing_axes():
    spec = Array("N", "*d")
    assert spec.describe() == "ndarray of float64, shape (N, d1, ..., dk)"
    for shape in [(2, 3), (2, 3, 4), (2, 1, 4, 5)]:
        dims = {}
        spec.bind(np.zeros(shape), dims)
        assert dims == {"N": 2, "*d": shape[1:]}
        spec.check(np.zeros(shape), dims, "dx")
    with pytest.raises(ContractViolation, match=r"has shape \(2, 12\), the contract says \(N, d1, ..., dk\) = \(2, 3, 4\)"):
        spec.check(np.zeros((2, 12)), {"N": 2, "*d": (3, 4)}, "dx")
    with pytest.raises(ContractViolation, match=r"has shape \(2,\)"):
        spec.check(np.zeros(2), {"N": 2}, "dx")  # a rest dimension is at least one axis


def test_a_returned_dimension_no_argument_fixed_is_bound_by_the_first_part_that_has_it():
    # affine_backward's dx and dw: x's shape lives in the cache, so the first part fixes D for the next.
    dims = {"N": 2, "M": 3}
    Array("N", "*d").check(np.zeros((2, 4, 5)), dims, "dx")
    Array("D", "M").check(np.zeros((20, 3)), dims, "dw")
    with pytest.raises(ContractViolation, match=r"the contract says \(D, M\) = \(20, 3\)"):
        Array("D", "M").check(np.zeros((21, 3)), dims, "dw again")


def test_grads_must_be_keyed_and_shaped_like_the_objects_params():
    class Net:
        params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3)}

    dims = {SELF: Net()}
    Grads().check({"W1": np.ones((2, 3)), "b1": np.ones(3)}, dims, "grads")
    with pytest.raises(ContractViolation, match=r"has keys \['W1'\], the contract says the keys of params, "
                                                r"\['W1', 'b1'\]; missing \['b1'\]"):
        Grads().check({"W1": np.ones((2, 3))}, dims, "grads")
    with pytest.raises(ContractViolation, match=r"grads\['b1'\] has shape \(1, 3\), the contract says \(3,\)"):
        Grads().check({"W1": np.ones((2, 3)), "b1": np.ones((1, 3))}, dims, "grads")
    with pytest.raises(ContractViolation, match="is a tuple; the contract says a dict keyed like params"):
        Grads().check((np.ones((2, 3)), np.ones(3)), dims, "grads")


def test_a_return_value_may_depend_on_whether_an_optional_argument_was_given():
    returns = Given("y", yes=Scalar(), no=Array("N", "C"))
    assert returns.choose({"X": 1, "y": None}) == Array("N", "C")
    assert returns.choose({"X": 1, "y": np.array([0])}) == Scalar()
    assert returns.describe() == "with y: float; without (None): ndarray of float64, shape (N, C)"


def test_sizes_are_a_list_of_ints():
    assert Sizes().check((3, np.int64(4)), {}, "hidden_dims") == [3, 4]
    for wrong in (3, [3.0], [True]):
        with pytest.raises(ContractViolation, match="the contract says a list of ints"):
            Sizes().check(wrong, {}, "hidden_dims")


def test_a_shape_argument_fixes_the_shape_of_the_result():
    dims = {}
    Sizes(shape="*w").bind((2, 3), dims)
    assert dims == {"*w": (2, 3)}
    Array("*w").check(np.zeros((2, 3)), dims, "W")
    with pytest.raises(ContractViolation, match=r"W has shape \(3, 2\), the contract says \(w1, ..., wk\) = \(2, 3\)"):
        Array("*w").check(np.zeros((3, 2)), dims, "W")


def test_a_dict_is_checked_entry_by_entry_and_names_a_missing_key():
    config = Dict(learning_rate=Scalar(), velocity=Array("*w"))
    dims = {"*w": (2,)}
    assert config.describe() == "dict with keys 'learning_rate', 'velocity'"
    good = {"learning_rate": 0.1, "velocity": np.zeros(2), "extra": "allowed"}
    assert config.check(good, dims, "config") is good
    with pytest.raises(ContractViolation, match=r"config has keys \['learning_rate'\], the contract says it holds "
                                                r"'learning_rate', 'velocity'; missing \['velocity'\]"):
        config.check({"learning_rate": 0.1}, dims, "config")
    with pytest.raises(ContractViolation, match=r"config\['velocity'\] has shape \(3,\)"):
        config.check({"learning_rate": 0.1, "velocity": np.zeros(3)}, dims, "config")
    with pytest.raises(ContractViolation, match="config is a list; the contract says a dict with keys"):
        config.check([], dims, "config")
    bound = {}
    config.bind({"velocity": np.zeros((4, 5))}, bound)  # as an argument, its entries bind dimensions too
    assert bound == {"*w": (4, 5)}


def test_a_choice_may_also_accept_a_function():
    rule = Choice("sgd", "adam", or_function="rule(w, dw, config) -> (next_w, config)")
    assert rule.check("adam", {}, "update_rule") == "adam"
    assert rule.check(print, {}, "update_rule") is print
    assert rule.describe() == "one of 'sgd', 'adam', or a function rule(w, dw, config) -> (next_w, config)"
    with pytest.raises(ContractViolation, match="update_rule is 'momentum'; the contract says one of 'sgd', 'adam', or"):
        rule.check("momentum", {}, "update_rule")
    with pytest.raises(ContractViolation):
        Choice("sgd").check(print, {}, "update_rule")


def test_an_optimize_result_is_scipys_and_sizes_its_history_by_nit():
    from scipy.optimize import OptimizeResult as ScipyResult

    result = OptimizeResult(x=Array("n"), nit=Integer(sizes="K"), success=Flag(), message=Text(),
                            loss_history=History("K+1"))
    good = ScipyResult(x=np.zeros(2), nit=3, success=True, message="converged", loss_history=[4.0, 2.0, 1.0, 0.5])
    assert result.check(good, {"n": 2}, "the result") is good
    with pytest.raises(ContractViolation, match=r"the result is a dict; the contract says a scipy.optimize.Optimize"):
        result.check(dict(good), {"n": 2}, "the result")
    with pytest.raises(ContractViolation, match=r"the result\['loss_history'\] has shape \(3,\), the contract says "
                                                r"\(K\+1,\) = \(4,\)"):
        result.check(ScipyResult({**good, "loss_history": [4.0, 2.0, 1.0]}), {"n": 2}, "the result")
    with pytest.raises(ContractViolation, match=r"the result\['success'\] is an int; the contract says a bool"):
        result.check(ScipyResult({**good, "success": 1}), {"n": 2}, "the result")
    with pytest.raises(ContractViolation, match=r"the result\['message'\] is a NoneType; the contract says a str"):
        result.check(ScipyResult({**good, "message": None}), {"n": 2}, "the result")
    assert Flag().check(np.bool_(False), {}, "success") is False


def test_a_dimension_plus_a_constant_is_checked_not_bound_from_the_value_itself():
    with pytest.raises(ContractViolation, match=r"has shape \(3, 3\), the contract says \(N, D\+1\) = \(3, 5\)"):
        Array("N", "D+1").check(np.zeros((3, 3)), {"D": 4}, "X with the bias column")


def test_a_list_checks_each_item_on_its_own_and_its_length():
    folds = ListOf(Returns(train=Array("n_train", dtype="int64"), val=Array("n_val", dtype="int64")), length="k")
    pairs = [(np.arange(3), np.arange(3, 5)), (np.arange(2), np.arange(2, 5))]  # fold sizes differ: allowed
    dims = {"k": 2}
    checked = folds.check(pairs, dims, "the output of kfold_indices")
    assert len(checked) == 2 and "n_train" not in dims  # an item's dimensions stay with the item
    with pytest.raises(ContractViolation, match=r"has 1 items, the contract says k = 2"):
        folds.check(pairs[:1], {"k": 2}, "the output of kfold_indices")
    with pytest.raises(ContractViolation, match=r"kfold_indices\[1\]'s val has dtype float64"):
        folds.check([pairs[0], (np.arange(2), np.ones(3))], {"k": 2}, "kfold_indices")
    with pytest.raises(ContractViolation, match="is a dict; the contract says a list of length k"):
        folds.check({}, {}, "kfold_indices")
    unsized = {}
    ListOf(Scalar(), length="T").bind([1.0, 2.0], unsized)
    assert unsized == {"T": 2}
