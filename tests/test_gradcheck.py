"""Self-tests of spec/gradcheck.py: it accepts right gradients, rejects wrong ones with a useful message, and its
numerical gradient is itself accurate (to a derived tolerance, with an O(h^2) error)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from spec.gradcheck import EPS, GradientMismatch, check_gradient, numerical_gradient

# An explicit example count, so that a "thorough" profile does not make these self-tests slow.
FEW = settings(max_examples=25, deadline=None)
MODES = pytest.mark.parametrize("mode", ["full", "fast"])

finite = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
away_from_zero = st.floats(0.5, 3) | st.floats(-3, -0.5)  # a gradient 2x that a wrong factor visibly changes
small = arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=4), elements=finite)
small_nonzero = arrays(np.float64, array_shapes(min_dims=1, max_dims=2, max_side=4), elements=away_from_zero)
logits = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 5)), elements=st.floats(-5, 5))


def sum_sq(z):
    return np.sum(z**2)


def logsumexp_rows(z):
    m = z.max(axis=1, keepdims=True)
    return float(np.sum(m[:, 0] + np.log(np.exp(z - m).sum(axis=1))))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def rng_x(shape, seed=0):
    """Fixed inputs with entries in +-[0.5, 2]: no gradient entry is near 0, so every wrong factor shows."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2, size=shape) * rng.choice([-1.0, 1.0], size=shape)


# ---------------------------------------------------------------- accepts correct gradients


@MODES
@FEW
@given(x=small)
def test_accepts_sum_of_squares(x, mode):
    check_gradient(sum_sq, x, 2 * x, mode=mode)


@MODES
@FEW
@given(x=small)
def test_accepts_sum_of_sin(x, mode):
    check_gradient(lambda z: np.sum(np.sin(z)), x, np.cos(x), mode=mode)


@MODES
@FEW
@given(x=logits)
def test_accepts_logsumexp_with_softmax_gradient(x, mode):
    check_gradient(logsumexp_rows, x, softmax(x), mode=mode, name="d logsumexp")


@MODES
@FEW
@given(data=st.data(), n=st.integers(1, 4), d=st.integers(1, 4), m=st.integers(1, 4))
def test_accepts_matmul_backward_with_upstream(data, n, d, m, mode):
    x = data.draw(arrays(np.float64, (n, d), elements=finite), label="x")
    w = data.draw(arrays(np.float64, (d, m), elements=finite), label="W")
    g = data.draw(arrays(np.float64, (n, m), elements=finite), label="upstream")
    check_gradient(lambda z: z @ w, x, g @ w.T, upstream=g, mode=mode, name="dx of x @ W")
    check_gradient(lambda z: x @ z, w, x.T @ g, upstream=g, mode=mode, name="dW of x @ W")


def test_auto_mode_uses_fast_mode_on_a_large_input():
    x, w = rng_x((20, 16)), rng_x((16, 3), seed=1)
    g = rng_x((20, 3), seed=2)
    check_gradient(lambda z: z @ w, x, g @ w.T, upstream=g)  # 320 > full_max_size elements: fast
    with pytest.raises(GradientMismatch, match="directional"):
        check_gradient(lambda z: z @ w, x, 1.01 * (g @ w.T), upstream=g)


@MODES
@FEW
@given(x=small)
def test_accepts_a_gradient_when_phi_is_large(x, mode):
    # |phi| ~ 1e6: each evaluation is rounded to ulp(1e6) = 1.2e-10, so the quotient is off by up to ~6e-6, more than
    # rtol * |2x|; the derived atol = 8 * eps * 1e6 / h = 1.8e-4 covers it.
    check_gradient(lambda z: 1e6 + np.sum(z**2), x, 2 * x, mode=mode)


@MODES
def test_inputs_in_the_thousands_are_accepted_with_a_smaller_h(mode):
    # The step h * |x_i| makes the truncation error h^2 x_i^2 / 6 |phi'''|: 1.7e-5 at |x| = 1e3 with h = 1e-5, but
    # 1.7e-9 with h = 1e-7, while the rounding part stays ~ eps * n / (h |x|) = 1e-11.
    x = np.linspace(-1000, 1000, 9) + 0.3
    check_gradient(lambda z: np.sum(np.sin(z)), x, np.cos(x), mode=mode, h=1e-7)


def test_the_rounding_part_of_atol_is_needed_when_phi_is_large():
    x = rng_x((20,))
    with pytest.raises(GradientMismatch):  # rtol alone rejects the correct gradient ...
        check_gradient(lambda z: 1e6 + np.sum(z**2), x, 2 * x, mode="full", atol=0.0)
    check_gradient(lambda z: 1e6 + np.sum(z**2), x, 2 * x, mode="full")  # ... the derived atol accepts it
    with pytest.raises(GradientMismatch):  # and a 1% error is still far above it
        check_gradient(lambda z: 1e6 + np.sum(z**2), x, 2.02 * x, mode="full")


# ---------------------------------------------------------------- rejects wrong gradients


@MODES
@FEW
@given(x=small_nonzero)
def test_rejects_a_gradient_scaled_by_1_01(x, mode):
    with pytest.raises(GradientMismatch):
        check_gradient(sum_sq, x, 1.01 * 2 * x, mode=mode)


@MODES
@FEW
@given(x=small_nonzero)
def test_rejects_a_sign_flipped_gradient(x, mode):
    with pytest.raises(GradientMismatch):
        check_gradient(sum_sq, x, -2 * x, mode=mode)


@MODES
def test_rejects_a_transposed_gradient(mode):
    a = rng_x((4, 4))  # f(z) = sum(A * z) has gradient A, not A.T
    check_gradient(lambda z: np.sum(a * z), rng_x((4, 4), seed=1), a, mode=mode)
    with pytest.raises(GradientMismatch):
        check_gradient(lambda z: np.sum(a * z), rng_x((4, 4), seed=1), a.T, mode=mode)


@MODES
def test_rejects_softmax_with_shifted_classes(mode):
    x = np.random.default_rng(3).normal(size=(3, 5))
    with pytest.raises(GradientMismatch):
        check_gradient(logsumexp_rows, x, np.roll(softmax(x), 1, axis=1), mode=mode)


def test_full_mode_names_the_one_wrong_element():
    x = rng_x((3, 4))
    wrong = 2 * x
    wrong[1, 2] += 1e-3
    with pytest.raises(GradientMismatch) as info:
        check_gradient(sum_sq, x, wrong, mode="full", name="dscores of softmax_loss")
    message = str(info.value)
    assert message.startswith("dscores of softmax_loss")
    assert f"d/dx[1, 2]: analytic={wrong[1, 2]:.6g}, but numerical=" in message
    assert "1 of 12 elements" in message
    assert "d/dx[0, 0]" not in message


def test_full_mode_lists_other_bad_elements_and_stays_short():
    x = rng_x((16, 16))
    with pytest.raises(GradientMismatch) as info:
        check_gradient(sum_sq, x, 3 * x, mode="full")
    message = str(info.value)
    assert "256 of 256 elements" in message and "... and 251 more" in message
    assert len(message.splitlines()) <= 25


def test_fast_mode_message_is_directional_and_points_to_full_mode():
    x = rng_x((300,))
    wrong = 2 * x
    wrong[7] += 0.5
    with pytest.raises(GradientMismatch) as info:
        check_gradient(sum_sq, x, wrong, mode="fast", seed=5, name="dW")
    message = str(info.value)
    assert message.startswith("dW")
    assert "directional derivative along a random direction" in message
    assert "seed=5" in message and "of 6 (seed" in message
    assert "cannot point at the wrong element" in message and 'mode="full"' in message
    assert len(message.splitlines()) <= 25


@pytest.mark.parametrize("bad, kind", [(np.nan, "NaN"), (np.inf, "inf"), (-np.inf, "inf")])
def test_non_finite_analytic_gradient_is_named(bad, kind):
    x = rng_x((2, 3))
    g = 2 * x
    g[0, 1] = bad
    with pytest.raises(GradientMismatch, match=rf"analytic gradient has {kind} at \[0, 1\]"):
        check_gradient(sum_sq, x, g)


def test_non_finite_numerical_gradient_is_reported():
    x = np.array([1e-7, 1.0])  # log(x - step) is NaN at the first element
    with pytest.raises(GradientMismatch, match="not finite"), np.errstate(invalid="ignore"):
        check_gradient(lambda z: np.sum(np.log(z)), x, 1 / x, mode="full")


# ---------------------------------------------------------------- x is never modified


@FEW
@given(x=small)
def test_x_is_unchanged(x):
    before = x.copy()

    def mutating_sum_sq(z):  # even an f that overwrites its argument cannot reach x or spoil the result
        value = np.sum(z**2)
        z[...] = 0.0
        return value

    np.testing.assert_allclose(numerical_gradient(mutating_sum_sq, x), 2 * x, rtol=1e-6, atol=1e-8)
    for mode in ("full", "fast"):
        check_gradient(mutating_sum_sq, x, 2 * x, mode=mode)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("call", ["numerical_gradient", "full", "fast"])
def test_x_is_unchanged_when_f_raises(call):
    x = rng_x((3, 3))
    before = x.copy()
    calls = []

    def failing(z):  # fails at the second evaluation, when x is perturbed
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return np.sum(z**2)

    with pytest.raises(RuntimeError, match="boom"):
        if call == "numerical_gradient":
            numerical_gradient(failing, x)
        else:
            check_gradient(failing, x, 2 * x, mode=call)
    np.testing.assert_array_equal(x, before)


# ---------------------------------------------------------------- accuracy of numerical_gradient itself


@FEW
@given(x=small)
def test_numerical_gradient_of_sum_sin_within_derived_bound(x):
    h, n = 1e-5, x.size
    # truncation: D = cos(x_i) * sin(s)/s, |sin(s)/s - 1| <= s^2/6, with s = h * max(1, |x_i|) <= 3h;
    # rounding: phi is a sum of n sines, each within eps, with a recursive-summation error <= (n - 1) * eps * n,
    # so each evaluation is within n * n * eps and the quotient within 2 * n^2 * eps / 2s <= n^2 * eps / h;
    # the final division adds eps relative (|D| <= 1).
    bound = (3 * h) ** 2 / 6 + n**2 * EPS / h + EPS
    numerical = numerical_gradient(lambda z: np.sum(np.sin(z)), x, h=h)
    assert numerical.shape == x.shape and numerical.dtype == np.float64
    assert np.max(np.abs(numerical - np.cos(x))) <= bound


@FEW
@given(x=logits)
def test_numerical_gradient_of_logsumexp_is_softmax(x):
    h = 1e-5
    # |phi'''| of log-sum-exp is at most 1/4 per element (a derivative of p(1 - p)), steps s <= 5h:
    # truncation <= (5h)^2 / 6 / 4.  Each evaluation of phi (<= 4 rows of <= 5 terms, |phi| <= 4 * (5 + log 5))
    # is within ~16 * eps * 27; the quotient within that / h.
    bound = (5 * h) ** 2 / 24 + 16 * EPS * 27 / h
    np.testing.assert_allclose(numerical_gradient(logsumexp_rows, x, h=h), softmax(x), rtol=0, atol=bound)


def test_numerical_gradient_with_upstream_is_the_vector_jacobian_product():
    x, w, g = rng_x((3, 4)), rng_x((4, 2), seed=1), rng_x((3, 2), seed=2)
    # linear in x: no truncation error; rounding of sum(g * (x @ w)) (~24 terms of size <= 8) is ~ 24 * 8 * eps / h
    np.testing.assert_allclose(numerical_gradient(lambda z: z @ w, x, upstream=g), g @ w.T, rtol=0,
                               atol=24 * 8 * EPS / 1e-5)


@pytest.mark.parametrize("f, df", [(np.sin, np.cos), (np.exp, np.exp), (np.tanh, lambda z: 1 - np.tanh(z) ** 2)])
def test_central_difference_error_is_second_order(f, df):
    x = np.linspace(0.2, 0.9, 8)  # |x| < 1, so the step is exactly h; phi''' is nonzero here
    errors = [np.abs(numerical_gradient(lambda z: np.sum(f(z)), x, h=h) - df(x)) for h in (1e-2, 5e-3, 2.5e-3)]
    # truncation (h^2/6 |phi'''| ~ 1e-6..1e-5) dwarfs rounding (~1e-13) at these h, so halving h quarters the error
    for big, smaller in zip(errors, errors[1:]):
        assert np.all((3.8 < big / smaller) & (big / smaller < 4.2))


def test_numerical_gradient_of_a_scalar_input_and_integers():
    assert numerical_gradient(lambda z: z**3, 2.0).shape == ()
    np.testing.assert_allclose(numerical_gradient(lambda z: z**3, 2.0), 12.0, rtol=1e-9)
    x = np.array([1, 2, 3])  # integer input is differentiated as float64 and left alone
    np.testing.assert_allclose(numerical_gradient(sum_sq, x), 2 * x, rtol=1e-9)
    assert x.dtype.kind == "i"


# ---------------------------------------------------------------- shape errors


def test_analytic_shaped_differently_from_x_is_a_value_error():
    x = rng_x((3, 4))
    with pytest.raises(ValueError, match=r"analytic gradient has shape \(4, 3\), but x has shape \(3, 4\)"):
        check_gradient(sum_sq, x, (2 * x).T)


def test_upstream_shaped_differently_from_f_x_is_a_value_error():
    x, w = rng_x((3, 4)), rng_x((4, 2))
    with pytest.raises(ValueError, match=r"upstream has shape \(2, 3\), but f\(x\) has shape \(3, 2\)"):
        check_gradient(lambda z: z @ w, x, np.zeros_like(x), upstream=np.ones((2, 3)))
    with pytest.raises(ValueError, match="upstream has shape"):
        numerical_gradient(lambda z: z @ w, x, upstream=np.ones(6))


def test_non_scalar_f_without_upstream_is_a_value_error():
    with pytest.raises(ValueError, match="not a scalar: pass upstream="):
        check_gradient(lambda z: 2 * z, rng_x((3,)), 2 * np.ones(3))


def test_bad_options_are_value_errors():
    x = rng_x((3,))
    with pytest.raises(ValueError, match="mode"):
        check_gradient(sum_sq, x, 2 * x, mode="slow")
    with pytest.raises(ValueError, match="h must be positive"):
        numerical_gradient(sum_sq, x, h=0.0)
    with pytest.raises(ValueError, match="directions"):
        check_gradient(sum_sq, x, 2 * x, mode="fast", directions=0)


def test_value_scale_covers_cancellation_inside_f():
    # phi = (1e6 + 1e-3 * sum(x**2)) - 1e6 is small, but each evaluation is rounded at the size of 1e6: invisible from
    # phi's value, so the correct gradient is rejected unless the caller says how large the cancelled numbers are.
    x = np.array([0.3, -0.7, 0.5])

    def f(z):
        return (1e6 + 1e-3 * np.sum(z**2)) - 1e6

    grad = 2e-3 * x
    with pytest.raises(GradientMismatch):
        check_gradient(f, x, grad, mode="full")
    check_gradient(f, x, grad, mode="full", value_scale=1e6)
    check_gradient(f, x, grad, mode="fast", value_scale=1e6)
    # The honest rounding bound at this scale, 8 eps 1e6 / 1e-5 = 1.8e-4, still rejects a sign error.
    with pytest.raises(GradientMismatch):
        check_gradient(f, x, -grad, mode="full", value_scale=1e6)
