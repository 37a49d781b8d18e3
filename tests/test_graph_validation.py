"""The reference impl/graph.py: clear errors on operands and inputs it cannot take, the documented backward-twice
semantics, stability at large magnitudes, no recursion limit on deep graphs, and subclasses kept by operations."""

import math
import sys

import pytest

from impl.graph import Value


def test_non_numbers_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match=r"Value data must be a finite number, got 'a'"):
        Value("a")
    with pytest.raises(ValueError, match=r"Value data must be a finite number, got nan"):
        Value(float("nan"))
    with pytest.raises(ValueError, match=r"Value data must be a number, got an array of shape \(2,\)"):
        import numpy as np

        Value(np.ones(2))
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"the other operand of Value \+ must be a Value or a real number, got str 'a'"):
        x + "a"
    with pytest.raises(TypeError, match=r"the other operand of Value \* must be a Value or a real number, got list"):
        [1.0] * x
    with pytest.raises(TypeError, match=r"got bool True"):
        x - True


def test_powers_take_a_constant_exponent_only():
    x = Value(2.0)
    with pytest.raises(TypeError, match=r"the exponent of Value \*\* must be a constant number, not a Value"):
        x ** Value(2.0)
    with pytest.raises(TypeError, match=r"a Value can only be raised to a constant power"):
        2.0 ** x
    with pytest.raises(ValueError, match=r"a negative base -8.0 has no real power with a non-integer exponent"):
        Value(-8.0) ** (1 / 3)
    with pytest.raises(ValueError, match=r"the derivative 0.5 \* 0 \*\* \(0.5 - 1\) is not finite"):
        Value(0.0) ** 0.5
    assert (Value(-2.0) ** 3).data == -8.0
    assert (Value(0.0) ** 0).data == 1.0


def test_log_of_a_non_positive_number_and_other_domain_errors():
    with pytest.raises(ValueError, match=r"Value.log needs a positive number, got data = 0.0"):
        Value(0.0).log()
    with pytest.raises(ValueError, match=r"Value.log needs a positive number, got data = -1.5"):
        Value(-1.5).log()
    with pytest.raises(ZeroDivisionError, match=r"Value division by zero: 1.0 / 0.0"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError):
        1.0 / Value(0.0)
    with pytest.raises(OverflowError, match=r"e \*\* 710.0 overflows float64"):
        Value(710.0).exp()


def test_backward_twice_accumulates_on_leaves_and_restarts_intermediate_nodes():
    x, y, z = Value(1.0), Value(-3.0), Value(4.0)
    d = x + y
    f = d * z
    f.backward()
    assert (x.grad, y.grad, z.grad, d.grad, f.grad) == (4.0, 4.0, -2.0, 4.0, 1.0)
    f.backward()
    assert (x.grad, y.grad, z.grad, d.grad, f.grad) == (8.0, 8.0, -4.0, 4.0, 1.0)
    x.grad = y.grad = z.grad = 0.0
    f.backward()
    assert (x.grad, y.grad, z.grad) == (4.0, 4.0, -2.0)
    leaf = Value(3.0)
    leaf.backward()
    leaf.backward()
    assert leaf.grad == 2.0


def test_fan_out_and_the_lecture_neuron():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    w0, x0, w1, x1, b = Value(2.0), Value(-1.0), Value(-3.0), Value(-2.0), Value(-3.0)
    f = 1 / (1 + (-1 * (w0 * x0 + w1 * x1 + b)).exp())
    f.backward()
    assert f.data == pytest.approx(0.7310585786300049, abs=1e-15)
    grads = [v.grad for v in (w0, x0, w1, x1, b)]
    assert grads == pytest.approx([-0.19661193324148185, 0.3932238664829637, -0.3932238664829637,
                                   -0.5898357997244456, 0.19661193324148185], abs=1e-14)


def test_sigmoid_tanh_and_relu_at_the_extremes():
    for x, s in ((1000.0, 1.0), (-1000.0, 0.0), (0.0, 0.5)):
        v = Value(x)
        node = v.sigmoid()
        node.backward()
        assert node.data == s and math.isfinite(v.grad) and v.grad == s * (1 - s)
    for x, t in ((1000.0, 1.0), (-1000.0, -1.0)):
        v = Value(x)
        node = v.tanh()
        node.backward()
        assert node.data == t and v.grad == 0.0
    v = Value(0.0)
    v.relu().backward()
    assert v.grad == 0.0


def test_deep_graphs_need_no_recursion():
    depth = 3 * sys.getrecursionlimit()
    x = Value(1.0)
    node = x
    for _ in range(depth):
        node = node * 1.0 + 0.0
    node.backward()
    assert x.grad == 1.0


def test_operations_keep_the_subclass():
    class Tagged(Value):
        pass

    x = Tagged(2.0)
    results = [x + 1, 1 + x, x - 1, 1 - x, x * 2, 2 * x, x / 2, 2 / x, -x, x**2, x.exp(), x.log(), x.tanh(),
               x.sigmoid(), x.relu(), x + Value(1.0)]
    assert all(type(r) is Tagged for r in results)
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"
