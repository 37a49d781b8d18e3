"""ReLU and leaky ReLU layers: relu_forward(x) -> (out, cache), relu_backward(dout, cache) -> dx, and the same for
leaky_relu with a slope alpha on the negative side.

ReLU: out = max(0, x), dx = dout where x > 0 and 0 where x < 0; at the kink x == 0 any subgradient is accepted
(CS231n's dout * (x > 0) gives 0 there, dout * (x >= 0) gives dout: both are correct). Leaky: out = x where x > 0 and alpha x elsewhere (= max(alpha x, x) for alpha < 1),
dx = dout or alpha dout. Both are piecewise linear: every value is x, 0, or one product alpha * x, so the values and
gradients are compared exactly (a correct implementation computes the same single product).
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.layers.common import activation_inputs, check_layer_gradient, inputs_and_upstream
from spec.property import alternative, mutant, prop

RELU = "ReLU"
LEAKY = "leaky ReLU"
I2DL = "TUM I2DL lecture 3, slide 7 (activation functions: ReLU max(0, x), leaky ReLU max(0.1x, x))"
CS231N = "CS231n layers.py (relu_forward / relu_backward: out = max(0, x), dx = dout * (x > 0))"

X0 = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0], [1.0, -1.0, 0.0, -0.0, 7.25]])
DOUT0 = np.array([[1.0, -2.0, 3.0, -4.0, 5.0], [0.5, 0.25, -1.0, 2.0, -3.0]])


def slopes():
    """Leaky slopes in [0, 1): 0 (plain ReLU), CS231n's 0.01, I2DL's 0.1, and anything in between."""
    return st.one_of(st.sampled_from([0.0, 0.01, 0.1, 0.5]), st.floats(0.0, 0.99, allow_subnormal=False))


@prop(RELU, I2DL, "ReLU's forward pass is max(0, x), exactly, and returns a cache.")
@given(x=activation_inputs(magnitude=1000.0))
@example(x=X0)
def test_relu_forward_is_max_of_0_and_x(relu_forward, x):
    out, _ = relu_forward(x)
    expect.equal("out of relu_forward(x)", out, np.maximum(x, 0.0), why="max(0, x)", inputs={"x": x})


def check_gradient_with_a_kink_at_0(name, dx, x, dout, slope, inputs):
    """dx is exactly dout where x > 0 and slope * dout where x < 0; at the kink x == 0 any subgradient is accepted,
    a value between slope * dout and dout (CS231n's dout * (x > 0) gives the first, dout * (x >= 0) the second).
    Where x == 0 the exact expected values are the two ends, so the bounds need no tolerance."""
    expect.equal(name, np.where(x != 0, dx, 0.0), np.where(x > 0, dout, np.where(x < 0, slope * dout, 0.0)),
                 why=f"dout where x > 0, {'alpha * dout' if slope else '0'} where x < 0", inputs=inputs)
    low, high = np.minimum(slope * dout, dout), np.maximum(slope * dout, dout)
    expect.holds(f"{name} where x == 0", dx, (x != 0) | ((dx >= low) & (dx <= high)),
                 f"a subgradient at the kink: between {'alpha * dout' if slope else '0'} and dout", inputs=inputs)


@prop(RELU, CS231N, "relu_backward returns exactly dout where x > 0 and exactly 0 where x < 0; at the kink x == 0 any subgradient (between 0 and dout).")
@given(xd=inputs_and_upstream())
@example(xd=(X0, DOUT0))
def test_relu_gradient_is_dout_where_x_is_positive_and_0_elsewhere(relu_forward, relu_backward, xd):
    x, dout = xd
    _, cache = relu_forward(x)
    dx = relu_backward(dout, cache)
    check_gradient_with_a_kink_at_0("relu_backward(dout, cache)", dx, x, dout, 0.0, {"x": x, "dout": dout})


@prop(RELU, CS231N, "relu_backward(dout, cache) matches the central-difference gradient of sum(dout * relu_forward(x)[0]) (x away from the kink).")
@given(xd=inputs_and_upstream(kink_free=True))
def test_relu_backward_matches_finite_differences(relu_forward, relu_backward, xd):
    x, dout = xd
    check_layer_gradient(relu_forward, relu_backward, x, dout, name="dx of relu_backward")


@prop(LEAKY, I2DL, "Leaky ReLU's forward pass is x where x > 0 and alpha x elsewhere (max(alpha x, x)); alpha defaults to 0.01.")
@given(x=activation_inputs(magnitude=1000.0), alpha=slopes())
@example(x=X0, alpha=0.1)
def test_leaky_relu_forward_is_max_of_alpha_x_and_x(leaky_relu_forward, x, alpha):
    out, _ = leaky_relu_forward(x, alpha)
    expect.equal(f"out of leaky_relu_forward(x, alpha={alpha!r})", out, np.where(x > 0, x, alpha * x),
                 why="x where x > 0, alpha * x elsewhere", inputs={"x": x})
    default, _ = leaky_relu_forward(x)
    expect.equal("out of leaky_relu_forward(x)", default, np.where(x > 0, x, 0.01 * x),
                 why="the default slope alpha = 0.01", inputs={"x": x})


@prop(LEAKY, CS231N, "leaky_relu_backward returns exactly dout where x > 0 and alpha * dout where x < 0; at the kink x == 0 any subgradient (between alpha * dout and dout).")
@given(xd=inputs_and_upstream(), alpha=slopes())
@example(xd=(X0, DOUT0), alpha=0.1)
def test_leaky_relu_gradient_is_dout_or_alpha_dout(leaky_relu_forward, leaky_relu_backward, xd, alpha):
    x, dout = xd
    _, cache = leaky_relu_forward(x, alpha)
    dx = leaky_relu_backward(dout, cache)
    check_gradient_with_a_kink_at_0(f"leaky_relu_backward(dout, cache) (alpha={alpha!r})", dx, x, dout, alpha,
                                    {"x": x, "dout": dout})


@prop(LEAKY, CS231N, "leaky_relu_backward(dout, cache) matches the central-difference gradient of sum(dout * leaky_relu_forward(x, alpha)[0]).")
@given(xd=inputs_and_upstream(kink_free=True), alpha=slopes())
def test_leaky_relu_backward_matches_finite_differences(leaky_relu_forward, leaky_relu_backward, xd, alpha):
    x, dout = xd
    check_layer_gradient(leaky_relu_forward, leaky_relu_backward, x, dout,
                         name=f"dx of leaky_relu_backward (alpha={alpha!r})", alpha=alpha)


@prop(LEAKY, I2DL, "A leaky ReLU with slope 0 is the ReLU: the same out and the same dx (away from the kink x == 0, where each may take its own subgradient).")
@given(xd=inputs_and_upstream())
@example(xd=(X0, DOUT0))
def test_leaky_relu_with_slope_0_is_relu(relu_forward, relu_backward, leaky_relu_forward, leaky_relu_backward, xd):
    x, dout = xd
    out, cache = leaky_relu_forward(x, 0.0)
    relu_out, relu_cache = relu_forward(x)
    inputs = {"x": x, "dout": dout}
    expect.equal("out of leaky_relu_forward(x, alpha=0.0)", out, relu_out, why="out of relu_forward(x)", inputs=inputs)
    off_kink = x != 0
    expect.equal("leaky_relu_backward(dout, cache) with alpha=0.0 (where x != 0)",
                 np.where(off_kink, leaky_relu_backward(dout, cache), 0.0),
                 np.where(off_kink, relu_backward(dout, relu_cache), 0.0), why="relu_backward(dout, cache)",
                 inputs=inputs)


# Mutants.


@mutant(of="relu_forward", kills=[test_relu_forward_is_max_of_0_and_x,
                                  test_relu_gradient_is_dout_where_x_is_positive_and_0_elsewhere])
def relu_forward_in_place(x):
    """np.maximum(x, 0, out=x): saves an allocation and overwrites the caller's x (the harness sees it)."""
    np.maximum(x, 0.0, out=x)
    return x, x


@mutant(of="relu_backward", kills=[test_relu_gradient_is_dout_where_x_is_positive_and_0_elsewhere,
                                   test_relu_backward_matches_finite_differences])
def relu_backward_unmasked(dout, cache):
    """dx = dout: the upstream gradient passed through everywhere, as if ReLU were the identity."""
    return dout.copy()


@alternative(of="relu_backward")
def relu_backward_with_x_ge_0_mask(dout, cache):
    """dout * (x >= 0): the other subgradient at the kink x == 0, which the contract accepts."""
    return dout * (cache >= 0)


@mutant(of="relu_backward", kills=[test_relu_gradient_is_dout_where_x_is_positive_and_0_elsewhere,
                                   test_relu_backward_matches_finite_differences])
def relu_backward_ignoring_dout(dout, cache):
    """Returns the local gradient (x > 0) only, forgetting to multiply by the upstream dout."""
    return (cache > 0).astype(np.float64)


@mutant(of="leaky_relu_forward", kills=[test_leaky_relu_forward_is_max_of_alpha_x_and_x,
                                        test_leaky_relu_with_slope_0_is_relu])
def leaky_relu_forward_with_a_fixed_slope(x, alpha=0.01):
    """The slope hard-coded as 0.01: the alpha argument is ignored."""
    return np.maximum(0.01 * x, x), (x, alpha)


@mutant(of="leaky_relu_backward", kills=[test_leaky_relu_gradient_is_dout_or_alpha_dout,
                                         test_leaky_relu_backward_matches_finite_differences])
def leaky_relu_backward_with_slope_0(dout, cache):
    """Copied from relu_backward: slope 0 on the negative side instead of alpha."""
    x, _ = cache
    return dout * (x > 0)


@alternative(of="leaky_relu_backward")
def leaky_relu_backward_with_x_ge_0_mask(dout, cache):
    """np.where(x >= 0, dout, alpha dout): the other subgradient at the kink x == 0, which the contract accepts."""
    x, alpha = cache
    return np.where(x >= 0, dout, alpha * dout)


@mutant(of="leaky_relu_backward", kills=[test_leaky_relu_gradient_is_dout_or_alpha_dout,
                                         test_leaky_relu_backward_matches_finite_differences])
def leaky_relu_backward_ignoring_dout(dout, cache):
    """Returns the local gradient (1 or alpha) only, forgetting the upstream dout."""
    x, alpha = cache
    return np.where(x > 0, 1.0, alpha) + 0.0 * dout


# Correct alternatives.


@alternative(of="relu_forward")
def relu_forward_by_a_mask_product(x):
    """x * (x > 0), keeping x (gives -0.0 for negative x, which equals 0)."""
    return x * (x > 0), x


@alternative(of="relu_forward")
def relu_forward_caching_out(x):
    """np.maximum(0, x), caching out instead of x: out > 0 exactly where x > 0."""
    out = np.maximum(0.0, x)
    return out, out


@alternative(of="relu_backward")
def relu_backward_by_assignment(dout, cache):
    """CS231n's dx = dout.copy(); dx[x <= 0] = 0."""
    dx = dout.copy()
    dx[cache <= 0] = 0
    return dx


@alternative(of="relu_backward")
def relu_backward_by_mask_product(dout, cache):
    """dout * (x > 0)."""
    return dout * (cache > 0)


@alternative(of="leaky_relu_forward")
def leaky_relu_forward_by_maximum(x, alpha=0.01):
    """np.maximum(alpha x, x), which is the leaky ReLU for alpha < 1."""
    return np.maximum(alpha * x, x), (x, alpha)


@alternative(of="leaky_relu_forward")
def leaky_relu_forward_with_loops(x, alpha=0.01):
    """Entry by entry, caching out (out > 0 exactly where x > 0 when alpha >= 0)."""
    out = np.empty_like(x)
    for i in np.ndindex(x.shape):
        out[i] = x[i] if x[i] > 0 else alpha * x[i]
    return out, (out, alpha)


@alternative(of="leaky_relu_backward")
def leaky_relu_backward_by_local_gradient(dout, cache):
    """dout * where(x > 0, 1, alpha): the local gradient first, then the chain rule."""
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha)
