"""The maxout layer: maxout_forward(x, w, b) -> (out, cache), maxout_backward(dout, cache) -> (dx, dw, db).

K affine pieces z[k] = x @ w[k] + b[k] (w of shape (K, D, M), b of shape (K, M)); each unit takes the largest:
out[n, m] = max over k of z[k][n, m] (I2DL's max(w1^T x + b1, w2^T x + b2) for K = 2). The gradient flows through
each unit's winning piece only. Where pieces tie for the maximum the layer has a kink, and the contract accepts any
subgradient: the whole of dout to one of the tied pieces, or shares of it (>= 0, summing to 1) among them.

Values are compared within the error of a float64 dot product (spec/layers/common.py): the max of K values each
within e of their exact value is within e of the exact max. The gradient properties keep every unit's winner at
least GAP ahead of the other pieces (separated_biases), except the one about ties, which builds exact ties from
small integers (sums of products of small integers are exact in float64, in any order).
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.layers.common import (U, affine_sizes, affine_value_tolerance, check_weighted_gradients, expect_shapes,
                                upstreams)
from spec.property import alternative, mutant, prop
from spec.strategies import reals

MAXOUT = "maxout"
I2DL = "TUM I2DL lecture 3, slide 7 (activation functions: maxout max(w1^T x + b1, w2^T x + b2))"
CS231N = "CS231n layers.py conventions (forward -> (out, cache), backward -> (dx, dw, db)); I2DL lecture 3, slide 7 (maxout)"

MAGNITUDE = 5.0  # |x|, |w|, |b| <= 5 as drawn: pieces of size <= 6 * 25 + 5 = 155 (D <= 6)
MAX_PIECES = 4
MAX_UNITS = 4

# Gradient checks step x by at most t = 1e-5 max(1, max|x|) along a unit vector (or one entry by that much), which
# moves a piece z[k][n, m] = x_n . w[k][:, m] + b[k, m] by at most t sqrt(D) max|w| (Cauchy-Schwarz); likewise for w,
# and b moves it by 1e-5 max(1, |b|). A unit's winner then stays ahead of the runner-up as long as their margin is
# over twice the largest such move, reach() below. With |x|, |w| <= 5, D <= 6 and |b| <= 2 * 155 + 2 after
# separated_biases: reach <= 1e-5 * max(5 * 2.45 * 5, 312) = 3.2e-3, so a margin of GAP = 1 is 150 times that.
GAP = 1.0

# I2DL's maxout with K = 2 pieces of one unit (M = 1) on two examples, by hand:
#   piece 0: w = (1, -1), b = 0      row 0, x = (1, 2): 1 - 2 = -1            row 1, x = (-1, 0.5): -1 - 0.5 = -1.5
#   piece 1: w = (0.5, 0.5), b = -1.5                  0.5 + 1 - 1.5 = 0                -0.5 + 0.25 - 1.5 = -1.75
# out = [[0], [-1.5]]: piece 1 wins row 0 (by 1), piece 0 row 1 (by 0.25). With dout = [[2], [-1]]:
# dx = [2 * (0.5, 0.5), -1 * (1, -1)] = [[1, 1], [-1, 1]], dw[0] = -1 * (-1, 0.5) = [[1], [-0.5]],
# dw[1] = 2 * (1, 2) = [[2], [4]], db = [[-1], [2]].
HAND_X = np.array([[1.0, 2.0], [-1.0, 0.5]])
HAND_W = np.array([[[1.0], [-1.0]], [[0.5], [0.5]]])
HAND_B = np.array([[0.0], [-1.5]])
HAND_OUT = np.array([[0.0], [-1.5]])
HAND_DOUT = np.array([[2.0], [-1.0]])
HAND_DX = np.array([[1.0, 1.0], [-1.0, 1.0]])
HAND_DW = np.array([[[1.0], [-0.5]], [[2.0], [4.0]]])
HAND_DB = np.array([[-1.0], [2.0]])


def pieces(x, w, b) -> np.ndarray:
    """z of shape (K, N, M): z[k] = x @ w[k] + b[k]."""
    return np.matmul(x, w) + b[:, None, :]


def maxout_sizes(x, w, b) -> np.ndarray:
    """(N, M): the largest over the pieces of the size of the terms each sums (common.affine_sizes)."""
    return np.max([affine_sizes(x, w[k], b[k]) for k in range(w.shape[0])], axis=0)


def maxout_value_tolerance(x, w, b) -> np.ndarray:
    """Two correct computations of a piece differ by at most 2 (D + 2) U A (common.affine_value_tolerance); the max
    is 1-Lipschitz, so two correct outs differ by at most the largest of those over the pieces."""
    return np.max([affine_value_tolerance(x, w[k], b[k]) for k in range(w.shape[0])], axis=0)


def reach(x, w, b) -> float:
    """The most a gradient check's step moves any piece (see GAP)."""
    d = x.shape[1]
    big_x, big_w, big_b = (float(np.max(np.abs(a), initial=0.0)) for a in (x, w, b))
    return 1e-5 * max(max(1.0, big_x) * np.sqrt(d) * big_w, max(1.0, big_w) * np.sqrt(d) * big_x, max(1.0, big_b))


def margins(z) -> np.ndarray:
    """(N, M): how far each unit's winning piece is ahead of the runner-up (inf when K = 1)."""
    if z.shape[0] == 1:
        return np.full(z.shape[1:], np.inf)
    top = np.sort(z, axis=0)
    return top[-1] - top[-2]


def separated_biases(x, w, b, gap: float = GAP) -> np.ndarray:
    """b, changed where needed so that every unit's winner leads the other pieces by at least gap on every example.

    A column m whose drawn biases leave some example's top two pieces closer than gap gets a new bias for the piece
    that wins example 0: raised until that piece beats every other by 2 gap on every example (the drawn biases keep
    their winners where they already are far enough apart)."""
    b = b.copy()
    z = pieces(x, w, b)
    for m in np.flatnonzero((margins(z) < gap).any(axis=0)):
        k = int(np.argmax(z[:, 0, m]))
        without_bias = z[k, :, m] - b[k, m]
        others = np.delete(z[:, :, m], k, axis=0)
        b[k, m] = float(np.max(others - without_bias)) + 2 * gap
    return b


@st.composite
def maxout_inputs(draw, pieces_count=None):
    """(x, w, b): x of shape (N, D), w of shape (K, D, M), b of shape (K, M), entries in [-5, 5]."""
    n, d = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    k = draw(st.integers(1, MAX_PIECES) if pieces_count is None else pieces_count)
    m = draw(st.integers(1, MAX_UNITS))
    x = draw(hnp.arrays(np.float64, (n, d), elements=reals(MAGNITUDE)))
    w = draw(hnp.arrays(np.float64, (k, d, m), elements=reals(MAGNITUDE)))
    b = draw(hnp.arrays(np.float64, (k, m), elements=reals(MAGNITUDE)))
    return x, w, b


@st.composite
def separated_maxout_inputs(draw):
    """(x, w, b, dout): every unit's winner at least GAP ahead (separated_biases), and an upstream gradient."""
    x, w, b = draw(maxout_inputs())
    b = separated_biases(x, w, b)
    z = pieces(x, w, b)
    assert margins(z).min() >= GAP > 2 * reach(x, w, b), "spec bug: separated_biases did not separate the pieces"
    return x, w, b, draw(upstreams((x.shape[0], w.shape[2])))


@st.composite
def tied_maxout_inputs(draw):
    """(x, w, b, dout) of small integers, with exact ties: some pieces copy another piece's column (its weights and
    bias), so they tie on every example, and small integers tie by chance too. Every value is exact in float64."""
    ints = st.integers(-3, 3).map(float)
    n, d, k, m = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(2, MAX_PIECES)), draw(st.integers(1, 3))
    x = draw(hnp.arrays(np.float64, (n, d), elements=ints))
    w = draw(hnp.arrays(np.float64, (k, d, m), elements=ints))
    b = draw(hnp.arrays(np.float64, (k, m), elements=ints))
    for piece in range(1, k):
        for unit in range(m):
            source = draw(st.one_of(st.none(), st.integers(0, piece - 1)))
            if source is not None:
                w[piece, :, unit], b[piece, unit] = w[source, :, unit], b[source, unit]
    return x, w, b, draw(hnp.arrays(np.float64, (n, m), elements=ints))


@st.composite
def affine_layers_and_upstream(draw):
    """(x, w, b, dout): an affine layer on x of shape (N, D), w (D, M), b (M,), and dout (N, M)."""
    x, w, b = draw(maxout_inputs(pieces_count=st.just(1)))
    return x, w[0], b[0], draw(upstreams((x.shape[0], w.shape[2])))


@prop(MAXOUT, I2DL, "maxout_forward(x, w, b)[0] is, for each unit, the largest of the K pieces: out[n, m] = max over k of (x @ w[k] + b[k])[n, m].")
@given(xwb=maxout_inputs())
@example(xwb=(HAND_X, HAND_W, HAND_B))
def test_maxout_forward_is_the_largest_piece(maxout_forward, xwb):
    x, w, b = xwb
    out, _ = maxout_forward(x, w, b)
    inputs = {"x": x, "w": w, "b": b}
    expect_shapes("maxout_forward", {"out": out}, {"out": (x.shape[0], w.shape[2])}, inputs)
    expect.close("out of maxout_forward(x, w, b)", out, pieces(x, w, b).max(axis=0),
                 atol=maxout_value_tolerance(x, w, b), why="the max over k of x @ w[k] + b[k]", inputs=inputs)


@prop(MAXOUT, CS231N, "maxout_backward's dx, dw and db match the central-difference gradients of sum(dout * maxout_forward(x, w, b)[0]) where every unit's winning piece is ahead of the others (no ties).")
@given(case=separated_maxout_inputs())
@example(case=(HAND_X, HAND_W, HAND_B, HAND_DOUT))
def test_maxout_backward_matches_finite_differences(maxout_forward, maxout_backward, case):
    # Piecewise linear and no step crosses a tie (GAP): no truncation error, rounding only (weighted_value_scale,
    # with the largest piece's sizes).
    x, w, b, dout = case
    check_weighted_gradients(maxout_forward, maxout_backward, {"x": x, "w": w, "b": b}, dout, maxout_sizes(x, w, b),
                             "maxout_backward", {"x": x, "w": w, "b": b, "dout": dout})


@prop(MAXOUT, CS231N, "Where pieces tie for a unit's maximum, maxout_backward may route that unit's dout to any of them or split it: shares >= 0 summing to 1, on the tied pieces only, and the same shares in dx, dw and db.")
@given(case=tied_maxout_inputs())
@example(case=(np.array([[1.0, 2.0]]), np.array([[[1.0], [1.0]], [[1.0], [1.0]], [[3.0], [0.0]]]),
               np.array([[0.0], [0.0], [0.0]]), np.array([[2.0]])))
def test_maxout_gradient_at_ties_is_a_subgradient(maxout_forward, maxout_backward, case):
    # Every value below is a small integer, or a share times one: exact, or within a few roundings.
    # One unit at a time (dout = 1 there, 0 elsewhere): db[:, m] are the shares s; dw[k][:, m] = s[k] x[n] (one
    # rounding each, |x| <= 3: 2 U 3 allowed for two computations), dx[n] = sum_k s[k] w[k][:, m] (K roundings of
    # terms <= 3: 2 (K + 1) U 3). A whole dout then gives the sums of those, weighted by dout (linearity).
    x, w, b, dout = case
    k_count, n_count, m_count = w.shape[0], x.shape[0], w.shape[2]
    z = pieces(x, w, b)
    best = z == z.max(axis=0)  # the tied maxima, exactly: integer arithmetic
    inputs = {"x": x, "w": w, "b": b}
    _, cache = maxout_forward(x, w, b)
    shares = np.zeros(z.shape)
    for n, m in np.ndindex(n_count, m_count):
        unit = np.zeros((n_count, m_count))
        unit[n, m] = 1.0
        dx, dw, db = maxout_backward(unit, cache)
        where = f"maxout_backward(dout, cache) with dout = 1 at unit [{n}, {m}] and 0 elsewhere"
        other_units = np.arange(m_count) != m
        expect.equal(f"db of {where}, outside column {m}", db[:, other_units], 0.0,
                     why="this dout reaches the pieces of unit m only", inputs=inputs)
        s = db[:, m]
        expect.holds(f"the share of dout given to each piece (db[:, {m}]) by {where}", s,
                     np.where(best[:, n, m], s >= 0, s == 0),
                     f">= 0 on the pieces tied for the maximum {z[:, n, m].max():g} of unit [{n}, {m}] "
                     f"(pieces {np.flatnonzero(best[:, n, m]).tolist()}) and 0 on the others", inputs=inputs)
        expect.close(f"the sum of the shares db[:, {m}] of {where}", s.sum(), 1.0, atol=2 * k_count * U,
                     why=f"pieces {np.flatnonzero(best[:, n, m]).tolist()} tie for the maximum there; the whole of dout goes to "
                         "them, to one (e.g. the argmax) or split, never the whole of it to each", inputs=inputs)
        expected_dw = np.zeros(w.shape)
        expected_dw[:, :, m] = s[:, None] * x[n]
        expect.close(f"dw of {where}", dw, expected_dw, atol=6 * U,
                     why=f"share s[k] times x[{n}] in dw[k][:, {m}], the shares s = db[:, {m}]", inputs=inputs)
        expected_dx = np.zeros(x.shape)
        expected_dx[n] = s @ w[:, :, m]
        expect.close(f"dx of {where}", dx, expected_dx, atol=6 * (k_count + 1) * U,
                     why=f"sum over k of s[k] w[k][:, {m}] in row {n}, the shares s = db[:, {m}]", inputs=inputs)
        shares[:, n, m] = s
    # With the whole dout: implementation and expectation each within (K M + 1) U (dx), (N + 1) U (dw, db) of the
    # sums of the absolute values of their terms.
    dx, dw, db = maxout_backward(dout, cache)
    routed = shares * dout
    inputs["dout"] = dout
    w_max = np.abs(w).max(axis=0)
    expect.close("dx of maxout_backward(dout, cache)", dx, np.einsum("knm,kdm->nd", routed, w),
                 atol=2 * (k_count * m_count + 1) * U * (np.abs(dout) @ w_max.T),
                 why="dout routed with the shares this implementation gave each unit alone", inputs=inputs)
    expect.close("dw of maxout_backward(dout, cache)", dw, np.einsum("nd,knm->kdm", x, routed),
                 atol=2 * (n_count + 1) * U * (np.abs(x).T @ np.abs(dout)),
                 why="dout routed with the shares this implementation gave each unit alone", inputs=inputs)
    expect.close("db of maxout_backward(dout, cache)", db, routed.sum(axis=1),
                 atol=2 * (n_count + 1) * U * np.abs(dout).sum(axis=0),
                 why="dout routed with the shares this implementation gave each unit alone", inputs=inputs)


@prop(MAXOUT, I2DL, "Maxout with K = 1 piece is the affine layer: maxout_forward(x, w[None], b[None]) equals affine_forward(x, w, b), and its backward gives affine_backward's dx, dw[0] and db[0].")
@given(case=affine_layers_and_upstream())
@example(case=(HAND_X, HAND_W[0], HAND_B[0], HAND_DOUT))
def test_maxout_with_one_piece_is_affine(maxout_forward, maxout_backward, affine_forward, affine_backward, case):
    # Each value is computed twice, by two correct computations of one sum: out within affine_value_tolerance;
    # dx (sums of M products) within 2 (M + 1) U (|dout| @ |w|.T), dw and db (sums over the N examples) within
    # 2 (N + 1) U (|x|.T @ |dout|) and 2 (N + 1) U sum|dout|.
    x, w, b, dout = case
    n, m = dout.shape
    inputs = {"x": x, "w": w, "b": b, "dout": dout}
    out, cache = maxout_forward(x, w[None], b[None])
    affine_out, affine_cache = affine_forward(x, w, b)
    expect.close("out of maxout_forward(x, w[None], b[None])", out, affine_out,
                 atol=affine_value_tolerance(x, w, b), why="out of affine_forward(x, w, b)", inputs=inputs)
    dx, dw, db = maxout_backward(dout, cache)
    affine_dx, affine_dw, affine_db = affine_backward(dout, affine_cache)
    expect.close("dx of maxout_backward with K = 1", dx, affine_dx,
                 atol=2 * (m + 1) * U * (np.abs(dout) @ np.abs(w).T), why="dx of affine_backward", inputs=inputs)
    expect.close("dw[0] of maxout_backward with K = 1", dw[0], affine_dw,
                 atol=2 * (n + 1) * U * (np.abs(x).T @ np.abs(dout)), why="dw of affine_backward", inputs=inputs)
    expect.close("db[0] of maxout_backward with K = 1", db[0], affine_db,
                 atol=2 * (n + 1) * U * np.abs(dout).sum(axis=0), why="db of affine_backward", inputs=inputs)


# Mutants. Those of one pass keep the reference's cache (x, w, the index of each unit's winning piece).


@mutant(of="maxout_forward", kills=[test_maxout_forward_is_the_largest_piece, test_maxout_gradient_at_ties_is_a_subgradient])
def maxout_forward_taking_the_min(x, w, b):
    """The smallest piece instead of the largest (np.min / np.argmin)."""
    z = np.matmul(x, w) + b[:, None, :]
    winner = np.argmin(z, axis=0)
    return np.take_along_axis(z, winner[None], axis=0)[0], (x, w, winner)


@mutant(of="maxout_forward", kills=[test_maxout_forward_is_the_largest_piece, test_maxout_with_one_piece_is_affine])
def maxout_forward_without_the_biases(x, w, b):
    """max over k of x @ w[k]: the biases b forgotten."""
    z = np.matmul(x, w)
    winner = np.argmax(z, axis=0)
    return np.take_along_axis(z, winner[None], axis=0)[0], (x, w, winner)


@mutant(of="maxout_forward", kills=[test_maxout_forward_is_the_largest_piece])
def maxout_forward_with_the_biases_of_the_wrong_piece(x, w, b):
    """b[k] added to piece K - 1 - k (b reversed along the pieces): the biases paired with the wrong weights."""
    z = np.matmul(x, w) + b[::-1, None, :]
    winner = np.argmax(z, axis=0)
    return np.take_along_axis(z, winner[None], axis=0)[0], (x, w, winner)


@mutant(of="maxout_backward", kills=[test_maxout_backward_matches_finite_differences,
                                     test_maxout_gradient_at_ties_is_a_subgradient])
def maxout_backward_to_every_piece(dout, cache):
    """dout sent to all K pieces of each unit, not only to the winner."""
    x, w, winner = cache
    routed = np.broadcast_to(dout, (w.shape[0], *dout.shape))
    return np.matmul(routed, np.swapaxes(w, 1, 2)).sum(axis=0), np.matmul(x.T, routed), routed.sum(axis=1)


@mutant(of="maxout_backward", kills=[test_maxout_backward_matches_finite_differences, test_maxout_with_one_piece_is_affine])
def maxout_backward_dw_divided_by_n(dout, cache):
    """dw averaged over the batch (divided by N), as if dout did not already carry the loss's 1/N."""
    x, w, winner = cache
    routed = np.where(np.arange(w.shape[0])[:, None, None] == winner, dout, 0.0)
    return (np.matmul(routed, np.swapaxes(w, 1, 2)).sum(axis=0), np.matmul(x.T, routed) / x.shape[0],
            routed.sum(axis=1))


@mutant(of="maxout_backward", kills=[test_maxout_backward_matches_finite_differences])
def maxout_backward_with_a_mask_of_the_wrong_layout(dout, cache):
    """One-hot mask np.eye(K)[winner], of shape (N, M, K), reshaped to (K, N, M) instead of moving its last axis."""
    x, w, winner = cache
    k = w.shape[0]
    routed = np.eye(k)[winner].reshape(k, *winner.shape) * dout
    return np.matmul(routed, np.swapaxes(w, 1, 2)).sum(axis=0), np.matmul(x.T, routed), routed.sum(axis=1)


@mutant(of="maxout_backward", kills=[test_maxout_backward_matches_finite_differences])
def maxout_backward_dx_through_the_first_piece(dout, cache):
    """dx = (dout routed to piece 0) @ w[0].T: the other pieces' contributions to dx forgotten."""
    x, w, winner = cache
    routed = np.where(np.arange(w.shape[0])[:, None, None] == winner, dout, 0.0)
    return routed[0] @ w[0].T, np.matmul(x.T, routed), routed.sum(axis=1)


def maxout_forward_caching_the_pieces(x, w, b):
    z = np.matmul(x, w) + b[:, None, :]
    out = z.max(axis=0)
    return out, (x, w, z, out)


@mutant(of="maxout_backward", kills=[test_maxout_gradient_at_ties_is_a_subgradient],
        also={"maxout_forward": maxout_forward_caching_the_pieces})
def maxout_backward_to_every_tied_piece(dout, cache):
    """mask = (z == out): right without ties, but a unit's whole dout goes to each of its tied pieces (twice the
    gradient for two)."""
    x, w, z, out = cache
    routed = (z == out) * dout
    return np.matmul(routed, np.swapaxes(w, 1, 2)).sum(axis=0), np.matmul(x.T, routed), routed.sum(axis=1)


# Correct alternatives.


@alternative(of="maxout_forward")
def maxout_forward_with_loops(x, w, b):
    """Piece by piece, keeping the running maximum; a later piece wins only if strictly larger (the first wins ties)."""
    out = x @ w[0] + b[0]
    winner = np.zeros(out.shape, dtype=int)
    for k in range(1, w.shape[0]):
        z = x @ w[k] + b[k]
        better = z > out
        out = np.where(better, z, out)
        winner[better] = k
    return out, (x, w, winner)


@alternative(of="maxout_forward")
def maxout_forward_preferring_the_last_tied_piece(x, w, b):
    """By einsum, and ties broken the other way: the last of the tied pieces wins."""
    z = np.einsum("nd,kdm->knm", x, w) + b[:, None, :]
    k = w.shape[0]
    winner = k - 1 - np.argmax(z[::-1], axis=0)
    return np.take_along_axis(z, winner[None], axis=0)[0], (x, w, winner)


@alternative(of="maxout_backward")
def maxout_backward_with_loops(dout, cache):
    """Unit by unit: dout[n, m] goes to w[winner][:, m], x[n] and b of the winning piece."""
    x, w, winner = cache
    dx, dw, db = np.zeros(x.shape), np.zeros(w.shape), np.zeros((w.shape[0], w.shape[2]))
    for n, m in np.ndindex(*dout.shape):
        k = winner[n, m]
        dx[n] += dout[n, m] * w[k, :, m]
        dw[k, :, m] += dout[n, m] * x[n]
        db[k, m] += dout[n, m]
    return dx, dw, db


@alternative(of="maxout_backward")
def maxout_backward_by_einsum(dout, cache):
    """A one-hot mask of the winners, then einsum."""
    x, w, winner = cache
    mask = np.moveaxis(np.eye(w.shape[0])[winner], -1, 0)  # (K, N, M)
    routed = mask * dout
    return np.einsum("knm,kdm->nd", routed, w), np.einsum("nd,knm->kdm", x, routed), routed.sum(axis=1)


def maxout_backward_splitting_ties(dout, cache):
    x, w, z, out = cache
    tied = z == out
    routed = tied / tied.sum(axis=0) * dout
    return np.einsum("knm,kdm->nd", routed, w), np.einsum("nd,knm->kdm", x, routed), routed.sum(axis=1)


@alternative(of="maxout_forward", also={"maxout_backward": maxout_backward_splitting_ties})
def maxout_forward_for_splitting_ties(x, w, b):
    """Caches every piece and out; its backward splits a unit's dout evenly among the pieces tied for the max."""
    z = np.matmul(x, w) + b[:, None, :]
    out = z.max(axis=0)
    return out, (x, w, z, out)
