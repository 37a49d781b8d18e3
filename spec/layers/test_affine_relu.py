"""The affine-ReLU sandwich (CS231n's layer_utils): affine_relu_forward(x, w, b) -> (out, cache) with
out = max(0, x.reshape(N, D) @ w + b), and affine_relu_backward(dout, cache) -> (dx, dw, db): the ReLU's backward
(dout where the affine output a is positive, 0 where it is negative), then the affine layer's.

Where a is exactly 0 the ReLU has its kink, and any subgradient is accepted: a share g in [0, 1] of dout passes
(CS231n's mask a > 0 passes none, a >= 0 all of it). The finite-difference property keeps every |a| at least GAP
(kink_free_biases); the kink property builds exact zeros from small integers (sums of products of small integers
are exact in float64, in any order).
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.layers.common import (U, affine_inputs, affine_sizes, affine_value_tolerance, check_weighted_gradients,
                                flat, trailing_shapes, upstreams)
from spec.property import alternative, mutant, prop

SANDWICH = "affine-ReLU sandwich"
CS231N = "CS231n layer_utils.py (affine_relu_forward / affine_relu_backward: the affine layer, then a ReLU)"
I2DL = "TUM I2DL lecture 3, slides 20-21 (a layer as a computational graph: weights, sum, then max(0, x))"

# The gradient checks move x by at most t = 1e-5 max(1, max|x|) along a unit vector (or one entry by that much),
# which moves a[n, m] = x_n . w[:, m] + b[m] by at most t sqrt(D) max|w| (Cauchy-Schwarz); likewise for w, and b
# moves it by 1e-5 max(1, |b|). With |x|, |w| <= 10 and D <= 64 that is 8e-3, and |b| <= 64 * 100 + 6 after
# kink_free_biases: 6.4e-2. GAP = 1 keeps every step on one side of the kink, with a factor over 15 to spare.
GAP = 1.0

SMALL_X = np.array([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[-1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]])
SMALL_W = np.array([[1.0, 1.0], [-1.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [0.5, 1.0]])
SMALL_B = np.array([-3.0, -2.0])  # a = [[-0.5, 19], [-2.5, -1]]: out = [[0, 19], [0, 0]]
SMALL_DOUT = np.array([[1.0, -2.0], [0.5, 3.0]])

# A row whose affine output is exactly 0 in both columns (a = [[0, 0], [3, -1]]), integers throughout.
KINK_X = np.array([[1.0, -1.0], [2.0, 1.0]])
KINK_W = np.array([[1.0, 0.0], [1.0, -1.0]])
KINK_B = np.array([0.0, -1.0])
KINK_DOUT = np.array([[2.0, -3.0], [1.0, 1.0]])


def reach(x, w, b) -> float:
    """The most a gradient check's step moves any entry of a = x.reshape(N, D) @ w + b (see GAP)."""
    d = w.shape[0]
    big_x, big_w, big_b = (float(np.max(np.abs(a), initial=0.0)) for a in (x, w, b))
    return 1e-5 * max(max(1.0, big_x) * np.sqrt(d) * big_w, max(1.0, big_w) * np.sqrt(d) * big_x, max(1.0, big_b))


@st.composite
def kink_free_biases(draw, x, w, gap: float = GAP):
    """b with |a[n, m]| >= gap for every example n and unit m: -b[m] drawn from the places at least gap away from every
    x_n . w[:, m] (below them all, above them all, or in a wide enough gap between two), so that units are positive on
    some examples and negative on others."""
    products = flat(x) @ w
    b = np.empty(w.shape[1])
    for m in range(w.shape[1]):
        v = np.sort(products[:, m])
        places = [v[0] - gap - draw(st.floats(0, 5)), v[-1] + gap + draw(st.floats(0, 5))]
        places += [(lo + hi) / 2 for lo, hi in zip(v[:-1], v[1:]) if hi - lo >= 2 * gap + 1e-9 * (abs(lo) + abs(hi))]
        b[m] = -draw(st.sampled_from(places))
    return b


@st.composite
def kink_free_inputs(draw):
    """(x, w, b, dout): affine-ReLU inputs (x of rank 2 to 4) whose affine outputs are all at least GAP from 0."""
    x, w, _ = draw(affine_inputs())
    b = draw(kink_free_biases(x, w))
    a = flat(x) @ w + b
    assert np.abs(a).min() >= GAP / 2 > 2 * reach(x, w, b), "spec bug: kink_free_biases left a unit near the kink"
    return x, w, b, draw(upstreams(a.shape))


@st.composite
def inputs_with_zeros_at_the_kink(draw):
    """(x, w, b, dout) of small integers where, in some units m, exactly one example has the affine output
    a[n, m] == 0 exactly, and no unit has two: the other entries of a are integers or halves of odd integers, at
    least 1/2 away from the kink."""
    ints = st.integers(-3, 3).map(float)
    n, dims, m = draw(st.integers(1, 4)), draw(trailing_shapes(max_rank=3)), draw(st.integers(1, 3))
    x = draw(hnp.arrays(np.float64, (n, *dims), elements=ints))
    w = draw(hnp.arrays(np.float64, (int(np.prod(dims)), m), elements=ints))
    b = draw(hnp.arrays(np.float64, (m,), elements=ints))
    products = flat(x) @ w  # exact: integers
    for unit in range(m):
        column = products[:, unit]
        lone = [i for i in range(n) if np.sum(column == column[i]) == 1]
        if lone and draw(st.booleans()):
            b[unit] = -column[draw(st.sampled_from(lone))]
        elif np.sum(column + b[unit] == 0) > 1:  # the drawn bias zeroes several examples: move them all off 0
            b[unit] += 0.5
    return x, w, b, draw(hnp.arrays(np.float64, (n, m), elements=ints))


@prop(SANDWICH, CS231N, "affine_relu_forward(x, w, b)[0] is the affine layer followed by a ReLU: max(0, x.reshape(N, D) @ w + b).")
@given(xwb=affine_inputs())
@example(xwb=(SMALL_X, SMALL_W, SMALL_B))
def test_affine_relu_forward_is_relu_of_affine(affine_relu_forward, xwb):
    # max(0, .) is 1-Lipschitz: two correct outs differ by at most what two correct affine outputs do.
    x, w, b = xwb
    out, _ = affine_relu_forward(x, w, b)
    expect.close("out of affine_relu_forward(x, w, b)", out, np.maximum(0.0, flat(x) @ w + b),
                 atol=affine_value_tolerance(x, w, b), why="max(0, x.reshape(N, D) @ w + b)",
                 inputs={"x": x, "w": w, "b": b})


@prop(SANDWICH, CS231N, "affine_relu_backward's dx, dw and db match the central-difference gradients of sum(dout * affine_relu_forward(x, w, b)[0]) where no affine output is near the kink 0.")
@given(case=kink_free_inputs())
@example(case=(SMALL_X, SMALL_W, SMALL_B, SMALL_DOUT))
def test_affine_relu_backward_matches_finite_differences(affine_relu_forward, affine_relu_backward, case):
    # Piecewise linear and no step crosses the kink (GAP): rounding only (weighted_value_scale; max(0, a) is exact).
    x, w, b, dout = case
    check_weighted_gradients(affine_relu_forward, affine_relu_backward, {"x": x, "w": w, "b": b}, dout,
                             affine_sizes(x, w, b), "affine_relu_backward", {"x": x, "w": w, "b": b, "dout": dout})


@prop(SANDWICH, I2DL, "affine_relu_backward passes dout where the affine output a > 0 and nothing where a < 0; where a == 0 exactly, any share g in [0, 1] of dout (a subgradient), the same share in dx, dw and db.")
@given(case=inputs_with_zeros_at_the_kink())
@example(case=(KINK_X, KINK_W, KINK_B, KINK_DOUT))
def test_affine_relu_gradient_at_the_kink_is_a_subgradient(affine_relu_forward, affine_relu_backward, case):
    x, w, b, dout = case
    n_count, m_count = dout.shape
    a = flat(x) @ w + b  # exact: small integers
    inputs = {"x": x, "w": w, "b": b, "dout": dout}
    _, cache = affine_relu_forward(x, w, b)
    dx, dw, db = affine_relu_backward(dout, cache)
    # The share g[n, m] of dout[n, m] that passes the ReLU: 1 where a > 0, 0 where a < 0, and at a zero (at most one
    # per unit, see the strategy) what db says: db[m] = sum over n of g[n, m] dout[n, m], every other term known.
    passed = (a > 0).astype(float)
    assert (np.sum(a == 0, axis=0) <= 1).all(), "spec bug: two zeros of a in one unit, the shares are not recoverable"
    for n, m in zip(*np.nonzero(a == 0)):
        if dout[n, m] != 0:
            share = (db[m] - np.sum(passed[:, m] * dout[:, m])) / dout[n, m]
            # The known sum is exact (integers); db[m], a sum of N terms g dout, is within (N + 1) U sum|dout[:, m]|
            # of its exact value, so the share within that over |dout[n, m]| >= 1, plus 2 U for the division.
            slack = (n_count + 1) * U * np.abs(dout[:, m]).sum() + 2 * U
            expect.holds(f"the share of dout[{n}, {m}] that affine_relu_backward passes where a[{n}, {m}] == 0 "
                         f"(from db[{m}])", share, -slack <= share <= 1 + slack,
                         "in [0, 1]: a subgradient of max(0, a) at a = 0", inputs=inputs)
            passed[n, m] = share
    # Against the shares above: each of db, dw, dx is a sum of N, N, M terms g dout (times x or w), within
    # (N + 1) U, (N + 1) U, (M + 1) U of T = sum|dout| (times max|x| or max|w|) for the implementation and as much
    # for this expectation; a share's error (above) times |dout| <= 3 adds 3 ((N + 1) U T + 2 U) per unit, M units
    # for dx. All within 8 (N + M + 2) U (T + 1), times max(1, max|x|) for dw and max(1, max|w|) for dx.
    da = passed * dout
    slack = 8 * (n_count + m_count + 2) * U * (float(np.abs(dout).sum()) + 1)
    why = "dout masked by a > 0 (and the share read off db where a == 0), then the affine layer's backward"
    expect.close("db of affine_relu_backward", db, da.sum(axis=0), atol=slack, why=why, inputs=inputs)
    expect.close("dw of affine_relu_backward", dw, flat(x).T @ da, atol=slack * max(1.0, float(np.abs(x).max())),
                 why=why, inputs=inputs)
    expect.close("dx of affine_relu_backward", dx, (da @ w.T).reshape(x.shape),
                 atol=slack * max(1.0, float(np.abs(w).max())), why=why, inputs=inputs)


# Mutants. The reference's cache is (affine cache (x, w, b), ReLU cache a): those of one pass keep it.


@mutant(of="affine_relu_forward", kills=[test_affine_relu_forward_is_relu_of_affine])
def affine_relu_forward_without_the_relu(x, w, b):
    """Returns the affine output a itself: the ReLU of the sandwich forgotten."""
    a = x.reshape(x.shape[0], -1) @ w + b
    return a, ((x, w, b), a)


@mutant(of="affine_relu_forward", kills=[test_affine_relu_forward_is_relu_of_affine])
def affine_relu_forward_relu_first(x, w, b):
    """max(0, x) @ w + b: the two layers of the sandwich in the wrong order."""
    a = x.reshape(x.shape[0], -1) @ w + b
    return np.maximum(0.0, x).reshape(x.shape[0], -1) @ w + b, ((x, w, b), a)


@mutant(of="affine_relu_backward", kills=[test_affine_relu_backward_matches_finite_differences,
                                          test_affine_relu_gradient_at_the_kink_is_a_subgradient])
def affine_relu_backward_without_the_relu_mask(dout, cache):
    """The affine backward of dout itself: the ReLU's backward (its mask) skipped."""
    (x, w, b), a = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


@mutant(of="affine_relu_backward", kills=[test_affine_relu_backward_matches_finite_differences,
                                          test_affine_relu_gradient_at_the_kink_is_a_subgradient])
def affine_relu_backward_masking_by_x(dout, cache):
    """The ReLU mask applied to dx where x > 0, the input's sign, instead of to dout where the affine output a > 0."""
    (x, w, b), a = cache
    return (dout @ w.T).reshape(x.shape) * (x > 0), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


@mutant(of="affine_relu_backward", kills=[test_affine_relu_backward_matches_finite_differences,
                                          test_affine_relu_gradient_at_the_kink_is_a_subgradient])
def affine_relu_backward_masking_the_dx_path_only(dout, cache):
    """dx from the masked dout, but dw and db from the unmasked one."""
    (x, w, b), a = cache
    da = dout * (a > 0)
    return (da @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


@mutant(of="affine_relu_backward", kills=[test_affine_relu_backward_matches_finite_differences,
                                          test_affine_relu_gradient_at_the_kink_is_a_subgradient])
def affine_relu_backward_with_an_inverted_mask(dout, cache):
    """dout * (a <= 0): the mask the wrong way round, passing dout where the ReLU is flat."""
    (x, w, b), a = cache
    da = dout * (a <= 0)
    return (da @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ da, da.sum(axis=0)


# Correct alternatives.


@alternative(of="affine_relu_forward")
def affine_relu_forward_by_hand(x, w, b):
    """a = x.reshape(N, -1) @ w + b, out = np.maximum(a, 0), the CS231n cache ((x, w, b), a) built by hand."""
    a = x.reshape(x.shape[0], -1).dot(w) + b
    return np.maximum(a, 0.0), ((x, w, b), a)


@alternative(of="affine_relu_forward")
def affine_relu_forward_by_einsum_and_mask(x, w, b):
    """a by einsum, out = a * (a > 0)."""
    a = np.einsum("nd,dm->nm", x.reshape(x.shape[0], -1), w) + b
    return a * (a > 0), ((x, w, b), a)


@alternative(of="affine_relu_backward")
def affine_relu_backward_with_an_a_ge_0_mask(dout, cache):
    """da = dout * (a >= 0): the other subgradient at a == 0, all of dout passes there."""
    (x, w, b), a = cache
    da = dout * (a >= 0)
    return (da @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ da, da.sum(axis=0)


@alternative(of="affine_relu_backward")
def affine_relu_backward_by_assignment(dout, cache):
    """CS231n's da = dout.copy(); da[a <= 0] = 0, then the affine backward with loops over the batch."""
    (x, w, b), a = cache
    da = dout.copy()
    da[a <= 0] = 0
    dx, dw, db = np.zeros(x.shape), np.zeros(w.shape), np.zeros(w.shape[1])
    for n in range(x.shape[0]):
        dx[n] = (w @ da[n]).reshape(x.shape[1:])
        dw += np.outer(x[n].ravel(), da[n])
        db += da[n]
    return dx, dw, db


def affine_relu_backward_from_out(dout, cache):
    x, w, out = cache
    da = np.where(out > 0, dout, 0.0)
    return (da @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ da, da.sum(axis=0)


@alternative(of="affine_relu_forward", also={"affine_relu_backward": affine_relu_backward_from_out})
def affine_relu_forward_caching_out(x, w, b):
    """Caches (x, w, out): its backward masks dout where out > 0 (the same as a > 0)."""
    out = np.maximum(0.0, x.reshape(x.shape[0], -1) @ w + b)
    return out, (x, w, out)
