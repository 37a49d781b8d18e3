"""The reference impl/gradients.py rejects malformed input with a ValueError that names the argument and what it
should be, accepts x of any shape, and leaves x as it found it even when f fails halfway."""

import numpy as np
import pytest

from impl import gradients as g

X = np.array([[0.1, -0.7, 1.1], [2.0, 0.3, -1.5]])
SCALAR_FUNCTIONS = [g.eval_numerical_gradient, g.eval_numerical_gradient_forward]


@pytest.mark.parametrize("grad", SCALAR_FUNCTIONS)
def test_scalar_gradients_check_f_x_and_h(grad):
    with pytest.raises(ValueError, match=r"f must be a function of one array, got ndarray"):
        grad(np.zeros(3), X)
    with pytest.raises(ValueError, match=r"x must be an array of real numbers, got dtype object"):
        grad(np.sum, np.array([[None, 1.0]]))
    with pytest.raises(ValueError, match=r"h must be > 0, got 0.0"):
        grad(np.sum, X, h=0.0)
    with pytest.raises(ValueError, match=r"h must be a finite number, got nan"):
        grad(np.sum, X, h=np.nan)
    with pytest.raises(ValueError, match=r"f must return a float \(a scalar\), got an array of shape \(2, 3\)"):
        grad(np.tanh, X)


def test_array_gradient_checks_df_against_f_of_x():
    with pytest.raises(ValueError, match=r"upstream gradient df must have the shape of f\(x\), \(2, 3\), got \(3, 2\)"):
        g.eval_numerical_gradient_array(np.tanh, X, np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"h must be > 0, got -1e-05"):
        g.eval_numerical_gradient_array(np.tanh, X, np.ones((2, 3)), h=-1e-5)


def test_any_shape_and_integer_input_are_accepted():
    x = np.arange(24.0).reshape(2, 3, 4) / 10
    np.testing.assert_allclose(g.eval_numerical_gradient(lambda z: np.sum(z**2), x), 2 * x, atol=1e-8)
    np.testing.assert_allclose(g.eval_numerical_gradient_array(np.sin, x, np.ones_like(x)), np.cos(x), atol=1e-8)
    ints = np.array([1, 2, 3])
    np.testing.assert_allclose(g.eval_numerical_gradient(lambda z: np.sum(z**2), ints), 2 * ints, atol=1e-8)
    assert ints.dtype.kind == "i"  # a copy was perturbed, not the integer array


def test_x_is_restored_even_when_f_raises():
    x = X.copy()
    calls = []

    def failing(z):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("boom")
        return float(np.sum(z))

    with pytest.raises(RuntimeError, match="boom"):
        g.eval_numerical_gradient(failing, x)
    assert x.tobytes() == X.tobytes()


def test_rel_error_checks_shapes():
    with pytest.raises(ValueError, match=r"x and y must have the same shape, got \(2, 3\) and \(3,\)"):
        g.rel_error(X, X[0])
    with pytest.raises(ValueError, match=r"x and y must hold at least one entry, got size 0"):
        g.rel_error(np.zeros((0, 2)), np.zeros((0, 2)))
    assert g.rel_error(np.zeros(3), np.zeros(3)) == 0.0
