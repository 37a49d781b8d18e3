"""The affine (fully connected) layer: affine_forward(x, w, b) -> (out, cache), affine_backward(dout, cache) ->
(dx, dw, db), CS231n's layers.py.

x holds N inputs of any shape (d1, ..., dk), each flattened row-major to a row of D = d1 * ... * dk entries:
out = x.reshape(N, D) @ w + b, of shape (N, M). Backward: dx = (dout @ w.T) reshaped to x's shape,
dw = x.reshape(N, D).T @ dout, db = dout summed over the batch. Every output is a sum of products, computed in an
order the implementation chooses (BLAS, einsum, loops), so values are compared within the error bound of a float64
dot product (spec/layers/common.py: affine_value_tolerance); the layer is linear in each argument, so the
finite-difference checks have no truncation error, only rounding (weighted_value_scale).
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.layers.common import (U, affine_inputs, affine_sizes, affine_value_tolerance, check_weighted_gradients,
                                expect_shapes, flat, upstreams)
from spec.property import alternative, mutant, prop

AFFINE = "affine layer"
CS231N = "CS231n layers.py (affine_forward: x of shape (N, d1, ..., dk) reshaped to (N, D), out = x w + b; affine_backward)"
CS231N_GOLDEN = ("CS231n assignment 2, fully connected nets notebook ('Test the affine_forward function': "
                 "x = linspace(-0.1, 0.5, 240).reshape(2, 4, 5, 6), w = linspace(-0.2, 0.3, 360).reshape(120, 3))")
CS231N_BATCH = "CS231n layers.py (a minibatch of N examples, one per row of x: out[i] = x[i] w + b)"

# CS231n's test of affine_forward. Checked by hand: in exact rational arithmetic (fractions.Fraction) the outputs
# are 1.49834966958427..., 1.70660132166291..., 1.91485297374156... and 3.25553198680668..., 3.51413270241605...,
# 3.77273341802543..., which round to the notebook's 8 decimals.
GOLDEN_X = np.linspace(-0.1, 0.5, 240).reshape(2, 4, 5, 6)
GOLDEN_W = np.linspace(-0.2, 0.3, 360).reshape(120, 3)
GOLDEN_B = np.linspace(-0.3, 0.1, 3)
GOLDEN_OUT = np.array([[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]])

# A rank-3 input small enough to check by hand: row 0 flattens to (1, 2, 3, 4, 5, 6), row 1 to (-1, 0, 0, 0, 0, 2);
# with w = e_1 - e_2 + 0.5 e_6 in column 0 and all ones in column 1: out = [[1 - 2 + 3, 21], [-1 + 1, 1]] + b.
# Flattened column-first (Fortran order) row 0 would be (1, 4, 2, 5, 3, 6): out[0, 0] = 1 - 4 + 3 = 0, not 2.
SMALL_X = np.array([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[-1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]])
SMALL_W = np.array([[1.0, 1.0], [-1.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.5, 1.0]])
SMALL_B = np.array([0.5, -1.0])
SMALL_OUT = np.array([[2.5, 20.0], [0.5, 0.0]])
SMALL_DOUT = np.array([[1.0, -2.0], [0.5, 3.0]])

# A CIFAR-10-like batch (3 images of 3 x 8 x 8, 10 classes): 576 entries in x, 1920 in w, checked by gradcheck's fast
# directional mode.
_RNG = np.random.default_rng(231)
LARGE_X = _RNG.uniform(-1.0, 1.0, (3, 3, 8, 8))
LARGE_W = _RNG.uniform(-0.5, 0.5, (192, 10))
LARGE_B = _RNG.uniform(-1.0, 1.0, 10)
LARGE_DOUT = _RNG.uniform(-2.0, 2.0, (3, 10))


@st.composite
def affine_inputs_and_upstream(draw, max_rank: int = 4):
    """(x, w, b, dout): an affine layer's inputs, x of rank 2 to max_rank, and an upstream gradient of shape (N, M)."""
    x, w, b = draw(affine_inputs(max_rank))
    return x, w, b, draw(upstreams((x.shape[0], w.shape[1])))


@st.composite
def affine_inputs_and_permutations(draw):
    """(x, w, b, dout, order): an affine layer's inputs, an upstream gradient and a reordering of the batch."""
    x, w, b, dout = draw(affine_inputs_and_upstream())
    return x, w, b, dout, np.array(draw(st.permutations(range(x.shape[0]))), dtype=int)


@prop(AFFINE, CS231N_GOLDEN, "affine_forward reproduces CS231n's worked numbers: x = linspace(-0.1, 0.5, 240).reshape(2, 4, 5, 6), w = linspace(-0.2, 0.3, 360).reshape(120, 3), b = linspace(-0.3, 0.1, 3) give [[1.49834967, 1.70660132, 1.91485297], [3.25553199, 3.5141327, 3.77273342]].")
def test_affine_forward_matches_the_cs231n_worked_numbers(affine_forward):
    # The published numbers are rounded to 8 decimals: within 5e-9 of the exact values (checked above). A correct
    # float64 out is within (D + 2) U A of the exact value (common.affine_sizes; D = 120, A <= 18.3: 2.5e-13).
    out, _ = affine_forward(GOLDEN_X, GOLDEN_W, GOLDEN_B)
    tolerance = 0.5e-8 + (GOLDEN_W.shape[0] + 2) * U * affine_sizes(GOLDEN_X, GOLDEN_W, GOLDEN_B)
    expect.close("out of affine_forward(x, w, b)", out, GOLDEN_OUT, atol=tolerance,
                 why="CS231n's test values; each image of x is flattened row-major, x.reshape(N, -1)",
                 inputs={"x": GOLDEN_X, "w": GOLDEN_W, "b": GOLDEN_B})


@prop(AFFINE, CS231N, "affine_forward(x, w, b)[0] is x.reshape(N, D) @ w + b: each of the N inputs flattened row-major (C order), for x of rank 2 to 4.")
@given(xwb=affine_inputs())
@example(xwb=(SMALL_X, SMALL_W, SMALL_B))
@example(xwb=(GOLDEN_X, GOLDEN_W, GOLDEN_B))
def test_affine_forward_is_flattened_x_times_w_plus_b(affine_forward, xwb):
    x, w, b = xwb
    out, _ = affine_forward(x, w, b)
    expect.close("out of affine_forward(x, w, b)", out, flat(x) @ w + b, atol=affine_value_tolerance(x, w, b),
                 why=f"x.reshape(N, D) @ w + b with N = {x.shape[0]}, D = {w.shape[0]}: each input flattened row-major",
                 inputs={"x": x, "w": w, "b": b})


@prop(AFFINE, CS231N, "out has shape (N, M); affine_backward returns dx shaped like x (N, d1, ..., dk) for every rank, dw shaped like w (D, M) and db shaped like b (M,).")
@given(xwbd=affine_inputs_and_upstream())
@example(xwbd=(SMALL_X, SMALL_W, SMALL_B, SMALL_DOUT))
def test_affine_output_and_gradient_shapes(affine_forward, affine_backward, xwbd):
    x, w, b, dout = xwbd
    inputs = {"x": x, "w": w, "b": b, "dout": dout}
    out, cache = affine_forward(x, w, b)
    expect_shapes("affine_forward", {"out": out}, {"out": (x.shape[0], w.shape[1])}, inputs)
    dx, dw, db = affine_backward(dout, cache)
    expect_shapes("affine_backward", {"dx": dx, "dw": dw, "db": db},
                  {"dx": x.shape, "dw": w.shape, "db": b.shape}, inputs)


@prop(AFFINE, CS231N, "affine_backward's dx, dw and db match the central-difference gradients of sum(dout * affine_forward(x, w, b)[0]) (the fast directional check on large inputs).")
@given(xwbd=affine_inputs_and_upstream())
@example(xwbd=(SMALL_X, SMALL_W, SMALL_B, SMALL_DOUT))
@example(xwbd=(LARGE_X, LARGE_W, LARGE_B, LARGE_DOUT))
def test_affine_backward_matches_finite_differences(affine_forward, affine_backward, xwbd):
    # Linear in each of x, w and b: no truncation error, the tolerance is rounding only (weighted_value_scale).
    x, w, b, dout = xwbd
    check_weighted_gradients(affine_forward, affine_backward, {"x": x, "w": w, "b": b}, dout,
                             affine_sizes(x, w, b), "affine_backward", {"x": x, "w": w, "b": b, "dout": dout})


@prop(AFFINE, CS231N_BATCH, "The affine layer treats each example alone: reordering the batch reorders out and dx the same way, and row i of out is what x[i] alone gives.")
@given(case=affine_inputs_and_permutations())
@example(case=(SMALL_X, SMALL_W, SMALL_B, SMALL_DOUT, np.array([1, 0])))
def test_affine_is_batch_equivariant(affine_forward, affine_backward, case):
    # Two correct computations of one row differ by at most affine_value_tolerance (2 (D + 2) U A); dx's rows are
    # sums of M products: two computations within 2 (M + 1) U (|dout| @ |w|.T).
    x, w, b, dout, order = case
    inputs = {"x": x, "w": w, "b": b, "dout": dout, "order": order}
    out, cache = affine_forward(x, w, b)
    dx, _, _ = affine_backward(dout, cache)
    tolerance = affine_value_tolerance(x, w, b)
    reordered, reordered_cache = affine_forward(x[order], w, b)
    expect.close("out of affine_forward(x[order], w, b)", reordered, out[order], atol=tolerance[order],
                 why="out[order]: the same rows, reordered", inputs=inputs)
    dx_reordered, _, _ = affine_backward(dout[order], reordered_cache)
    dx_tolerance = (2 * (w.shape[1] + 1) * U * (np.abs(dout) @ np.abs(w).T)).reshape(x.shape)
    expect.close("dx of affine_backward(dout[order], cache of x[order])", dx_reordered, dx[order],
                 atol=dx_tolerance[order], why="dx[order]: the same rows, reordered", inputs=inputs)
    for i in range(x.shape[0]):
        alone, _ = affine_forward(x[i:i + 1], w, b)
        expect.close(f"out of affine_forward(x[{i}:{i + 1}], w, b)", alone, out[i:i + 1], atol=tolerance[i:i + 1],
                     why=f"row {i} of out for the whole batch: row i depends on x[i] only", inputs=inputs)


# Mutants. A mutant of affine_forward keeps CS231n's cache (x, w, b), which the reference's affine_backward reads.


@mutant(of="affine_forward", kills=[test_affine_forward_matches_the_cs231n_worked_numbers,
                                    test_affine_forward_is_flattened_x_times_w_plus_b,
                                    test_affine_is_batch_equivariant])
def affine_forward_reshaped_to_d_by_n_and_transposed(x, w, b):
    """x.reshape(-1, N).T: the right shape (N, D), but each row mixes entries of several examples."""
    return x.reshape(-1, x.shape[0]).T @ w + b, (x, w, b)


@mutant(of="affine_forward", kills=[test_affine_forward_matches_the_cs231n_worked_numbers,
                                    test_affine_forward_is_flattened_x_times_w_plus_b])
def affine_forward_in_fortran_order(x, w, b):
    """x.reshape(N, -1, order="F"): each example flattened column-first, which w's rows do not follow (rank >= 3)."""
    return x.reshape(x.shape[0], -1, order="F") @ w + b, (x, w, b)


@mutant(of="affine_forward", kills=[test_affine_forward_matches_the_cs231n_worked_numbers,
                                    test_affine_forward_is_flattened_x_times_w_plus_b])
def affine_forward_channels_last(x, w, b):
    """Moves the first axis of each example last before flattening (images (C, H, W) read as (H, W, C))."""
    return np.moveaxis(x, 1, -1).reshape(x.shape[0], -1) @ w + b, (x, w, b)


@mutant(of="affine_forward", kills=[test_affine_forward_matches_the_cs231n_worked_numbers,
                                    test_affine_forward_is_flattened_x_times_w_plus_b])
def affine_forward_without_the_bias(x, w, b):
    """out = x.reshape(N, D) @ w: the bias b forgotten."""
    return x.reshape(x.shape[0], -1) @ w, (x, w, b)


@mutant(of="affine_forward", kills=[test_affine_output_and_gradient_shapes, test_affine_backward_matches_finite_differences])
def affine_forward_caching_the_flattened_x(x, w, b):
    """Caches x.reshape(N, D) instead of x: affine_backward then returns dx of shape (N, D), not x's shape."""
    x_flat = x.reshape(x.shape[0], -1)
    return x_flat @ w + b, (x_flat, w, b)


@mutant(of="affine_backward", kills=[test_affine_output_and_gradient_shapes, test_affine_backward_matches_finite_differences])
def affine_backward_dx_not_reshaped(dout, cache):
    """dx = dout @ w.T, left of shape (N, D) instead of reshaped back to x's shape (N, d1, ..., dk)."""
    x, w, b = cache
    return dout @ w.T, x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


@mutant(of="affine_backward", kills=[test_affine_output_and_gradient_shapes, test_affine_backward_matches_finite_differences])
def affine_backward_db_over_the_wrong_axis(dout, cache):
    """db = dout.sum(axis=1): summed over the outputs instead of over the batch."""
    x, w, b = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=1)


@mutant(of="affine_backward", kills=[test_affine_backward_matches_finite_differences])
def affine_backward_dw_divided_by_n(dout, cache):
    """dw averaged over the batch (divided by N): but dout already carries the loss's 1/N."""
    x, w, b = cache
    n = x.shape[0]
    return (dout @ w.T).reshape(x.shape), x.reshape(n, -1).T @ dout / n, dout.sum(axis=0)


@mutant(of="affine_backward", kills=[test_affine_backward_matches_finite_differences])
def affine_backward_db_averaged(dout, cache):
    """db = dout.mean(axis=0): averaged instead of summed over the batch."""
    x, w, b = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.mean(axis=0)


@mutant(of="affine_backward", kills=[test_affine_backward_matches_finite_differences, test_affine_is_batch_equivariant])
def affine_backward_dx_transposed_before_the_reshape(dout, cache):
    """dx = (w @ dout.T).reshape(x.shape): the (D, N) matrix reshaped without transposing it, mixing examples."""
    x, w, b = cache
    return (w @ dout.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


@mutant(of="affine_backward", kills=[test_affine_backward_matches_finite_differences])
def affine_backward_dw_from_the_unflattened_x(dout, cache):
    """dw = x.T @ dout: right for x of shape (N, D), but x.T reverses all axes of a rank-3 or rank-4 x."""
    x, w, b = cache
    return (dout @ w.T).reshape(x.shape), np.tensordot(x.T, dout, axes=1).reshape(w.shape), dout.sum(axis=0)


# Correct alternatives.


@alternative(of="affine_forward")
def affine_forward_by_einsum(x, w, b):
    """np.einsum("nd,dm->nm", x.reshape(N, -1), w) + b."""
    return np.einsum("nd,dm->nm", x.reshape(x.shape[0], -1), w) + b, (x, w, b)


@alternative(of="affine_forward")
def affine_forward_by_tensordot(x, w, b):
    """w reshaped to (d1, ..., dk, M) and contracted with x over all of an example's axes: no flattening of x."""
    return np.tensordot(x, w.reshape(*x.shape[1:], w.shape[1]), axes=x.ndim - 1) + b, (x, w, b)


@alternative(of="affine_forward")
def affine_forward_with_loops(x, w, b):
    """One output at a time: out[n, m] = sum over i of x_n[i] w[i, m], plus b[m]."""
    n, m = x.shape[0], w.shape[1]
    rows = x.reshape(n, -1)
    out = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            total = b[j]
            for k in range(rows.shape[1]):
                total += rows[i, k] * w[k, j]
            out[i, j] = total
    return out, (x, w, b)


@alternative(of="affine_backward")
def affine_backward_by_einsum(dout, cache):
    """dx, dw, db with np.einsum, dx reshaped to x's shape."""
    x, w, b = cache
    x_flat = x.reshape(x.shape[0], -1)
    dx = np.einsum("nm,dm->nd", dout, w).reshape(x.shape)
    return dx, np.einsum("nd,nm->dm", x_flat, dout), np.einsum("nm->m", dout)


@alternative(of="affine_backward")
def affine_backward_with_loops(dout, cache):
    """Example by example: dx[n] = w @ dout[n], dw += outer(x[n], dout[n]), db += dout[n]."""
    x, w, b = cache
    dx = np.zeros(x.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(w.shape[1])
    for n in range(x.shape[0]):
        dx[n] = (w @ dout[n]).reshape(x.shape[1:])
        dw += np.outer(x[n].ravel(), dout[n])
        db += dout[n]
    return dx, dw, db


def affine_backward_from_the_flattened_x(dout, cache):
    x_flat, shape, w = cache
    return (dout @ w.T).reshape(shape), x_flat.T @ dout, np.sum(dout, axis=0)


@alternative(of="affine_forward", also={"affine_backward": affine_backward_from_the_flattened_x})
def affine_forward_caching_the_flattened_x_and_its_shape(x, w, b):
    """Caches (x.reshape(N, D), x.shape, w): its backward reshapes dx to the cached shape."""
    x_flat = np.reshape(x, (x.shape[0], -1))
    return x_flat.dot(w) + b, (x_flat, x.shape, w)
