"""What this chapter's property modules share: strategies for networks and batches, the network's forward pass and
loss computed here (the trusted values), their float64 error bounds, and the checks stated for both networks.

Notation: a network has layers l = 1, ..., L with weights W<l> (fan-in, fan-out) and biases b<l>; z<l> = h<l-1> @ W<l>
+ b<l> with h<0> = X flattened row-major to (N, D); h<l> = act(z<l>) for the hidden layers l < L; the scores are z<L>.
u = EPS / 2 is the unit roundoff: one float64 operation is off by at most u relative.

Sizes stay tiny (D <= 8, widths <= 4, C <= 4, N <= 4) so that central differences stay fast. The drawn weights are
entries of [-1, 1] divided by the fan-in, so every column of |W| sums to at most 1 and |z<l>| <= max|h<l-1>| + |b<l>|:
activations and scores stay of size 1 to 5 at every depth, and so do the derivatives the tolerances below bound.
"""

from __future__ import annotations

import numpy as np
import scipy.special
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.expect import EPS
from spec.gradcheck import check_gradient
from spec.strategies import labels_for, reals

U = EPS / 2
TINY = float(np.finfo(np.float64).tiny)

ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh")
LEAKY_SLOPE = 0.01  # the contract's leaky ReLU slope (CS231n's); I2DL's slides draw max(0.1 x, x)

# Bounds on |f'|, |f''|, |f'''| of each activation over the whole real line (for the ReLUs away from the kink at 0,
# where they are linear): sigma' = s (1 - s) <= 1/4, sigma'' = s (1 - s)(1 - 2s) with |.| <= 1 / (6 sqrt 3) (the
# maximum of p (1 - p)(1 - 2p)), sigma''' = q (1 - 6q) with q = s (1 - s) in [0, 1/4], so |.| <= 1/8; tanh' =
# 1 - t^2 <= 1, tanh'' = -2t (1 - t^2) with |.| <= 4 / (3 sqrt 3) (at t^2 = 1/3), tanh''' = -2 (1 - t^2)(1 - 3t^2)
# with |.| <= 2 (at t = 0).
DERIVATIVE_BOUNDS = {
    "relu": (1.0, 0.0, 0.0),
    "leaky_relu": (1.0, 0.0, 0.0),
    "sigmoid": (0.25, 1 / (6 * np.sqrt(3)), 0.125),
    "tanh": (1.0, 4 / (3 * np.sqrt(3)), 2.0),
}
# The rounding error of one activation value, absolute: ReLU is exact; the leaky product alpha z rounds once
# (u |h|, added below); sigmoid and tanh are a few roundings of numbers of size at most 1, whether computed as
# 1 / (1 + e^-z), e^z / (1 + e^z), np.tanh or 2 sigmoid(2z) - 1 (two sigmoid errors doubled plus one): 16 u covers
# each of these with room to spare.
SMOOTH_ROUNDING = 16 * U

H_STEP = 1e-5  # the step of the gradient checks, spec/gradcheck.py's default h
# ReLU nets are checked with every hidden pre-activation at least KINK_GAP from the kink at 0 (the strategies move
# the biases there); check_parameter_gradients derives that a step of the check moves none of them that far.
KINK_GAP = 1e-3
FULL_MAX_SIZE = 4  # parameters with more entries are checked in gradcheck's fast (directional) mode
DIRECTIONS = 2  # random directions per parameter in fast mode: a wrong gradient fails each with probability 1


# Small pieces.


def num_layers(params) -> int:
    return len(params) // 2


def layers_of(params) -> list:
    """[(W1, b1), ..., (WL, bL)]."""
    return [(params[f"W{i}"], params[f"b{i}"]) for i in range(1, num_layers(params) + 1)]


def weight_keys(params) -> list:
    return [f"W{i}" for i in range(1, num_layers(params) + 1)]


def activate(z, activation):
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "leaky_relu":
        return np.where(z > 0, z, LEAKY_SLOPE * z)
    if activation == "sigmoid":
        return scipy.special.expit(z)
    return np.tanh(z)


def penalty(params, reg) -> float:
    """reg * sum(W**2) over the weights W1, ..., WL (never the biases)."""
    return reg * sum(float(np.sum(params[k] * params[k])) for k in weight_keys(params))


def copy_params(params) -> dict:
    return {k: np.array(v, dtype=np.float64) for k, v in params.items()}


def set_params(net, params) -> None:
    """Put copies of `params` into the network under test (its loss must read them at the next call)."""
    for key, value in params.items():
        net.params[key] = value.copy()


def inputs_of(params, X, y=None, reg=None, activation=None) -> dict:
    shown = dict(params)
    shown["X"] = X
    if y is not None:
        shown["y"] = y
    if reg is not None:
        shown["reg"] = reg
    if activation is not None:
        shown["activation"] = activation
    return shown


# The forward pass and the loss, computed here.


def forward(params, X, activation):
    """(pre-activations z<1..L-1>, hidden outputs h<0..L-1>, scores): {affine - act} x (L - 1) - affine, X flattened
    row-major (C order, like x.reshape(N, -1))."""
    h = X.reshape(X.shape[0], -1)
    zs, hs = [], [h]
    layers = layers_of(params)
    for i, (W, b) in enumerate(layers):
        z = h @ W + b
        if i == len(layers) - 1:
            return zs, hs, z
        h = activate(z, activation)
        zs.append(z)
        hs.append(h)


def scores_of(params, X, activation):
    return forward(params, X, activation)[2]


def cross_entropy(scores, y) -> np.ndarray:
    """Per example -log softmax(scores)[i, y[i]] = logsumexp(scores[i]) - scores[i, y[i]] (stable)."""
    return scipy.special.logsumexp(scores, axis=1) - scores[np.arange(len(y)), y]


def trusted_loss(params, X, y, activation, reg) -> float:
    return float(cross_entropy(scores_of(params, X, activation), y).mean()) + penalty(params, reg)


def score_error(params, X, activation) -> np.ndarray:
    """A bound, entry by entry, on how far one float64 computation of the scores can be from the exact ones.

    Layer by layer, with e the bound on the error of h<l-1> (0 for X) and A1 = max|act'|:
    - z<l> = h<l-1> @ W<l> + b<l> sums fan-in + 1 terms: in any order (loops, BLAS, FMA) it rounds by at most
      (fan-in + 1) u times the size of the terms, |h| @ |W| + |b| (the classic dot-product bound, n u / (1 - n u)
      <= (n + 1) u here), and the error e of its inputs adds e @ |W|;
    - h<l> = act(z<l>) carries the error of z<l> times A1 (the activation is A1-Lipschitz) plus its own rounding
      (0 for ReLU, u |h| for the leaky product, 16 u for sigmoid and tanh).
    The magnitudes are the exact ones up to these tiny errors, which the bounds absorb by using |h| + e.
    """
    a1 = DERIVATIVE_BOUNDS[activation][0]
    layers = layers_of(params)
    h = X.reshape(X.shape[0], -1)
    e = np.zeros_like(h)
    for i, (W, b) in enumerate(layers):
        z = h @ W + b
        size = (np.abs(h) + e) @ np.abs(W) + np.abs(b)
        ez = e @ np.abs(W) + (W.shape[0] + 2) * U * size
        if i == len(layers) - 1:
            return ez
        h = activate(z, activation)
        rounding = U * np.abs(h) if activation == "leaky_relu" else 0.0
        if activation in ("sigmoid", "tanh"):
            rounding = SMOOTH_ROUNDING
        e = a1 * ez + rounding


def loss_error(params, X, y, activation, reg) -> float:
    """A bound on how far one float64 computation of the loss can be from the exact loss.

    For example i with scores s (each within e_i of exact, score_error) the loss logsumexp(s) - s_y moves by at most
    2 e_i (logsumexp is 1-Lipschitz in the largest change of its arguments). Computing it from the computed scores
    (the shift by the row's maximum, C exps and their sum, the log, adding the maximum back, subtracting s_y)
    rounds by at most u (5 S + 3 log C + C + 2), S = max|s| (the bound derived in spec/linear_classifiers); the
    same holds for -log of a computed probability. Averaging N losses of size up to 2 S + log C adds N u of that.
    The penalty reg * sum(W**2) over K weights is within (K + 1) u of exact, and adding it one u more. Every term
    is computed at the exact magnitudes plus their error bounds.
    """
    scores = scores_of(params, X, activation)
    e = score_error(params, X, activation).max(axis=1)
    s = np.abs(scores).max(axis=1) + e
    n, c = scores.shape
    log_c = np.log(c)
    per_example = 2 * e + U * (5 * s + 3 * log_c + c + 2)
    average = n * U * float(np.max(2 * s + log_c))
    k = sum(params[key].size for key in weight_keys(params))
    r = penalty(params, reg)
    total = float(np.max(per_example)) + average + (k + 2) * U * r
    return total + U * (float(np.max(2 * s + log_c)) + r)


# Strategies.


def input_shapes():
    """(d1, ..., dk), k = 1, 2 or 3, with D = d1 * ... * dk <= 8: X of shape (N, d1, ..., dk) tests the row-major
    flattening whenever two of the d's exceed 1."""
    return st.one_of(
        st.tuples(st.integers(1, 6)),
        st.tuples(st.integers(1, 4), st.integers(1, 2)),
        st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 2)),
    )


def widths(max_value: int = 4):
    return st.integers(1, max_value)


def depths():
    """hidden_dims: 0 to 3 hidden layers (0 is a softmax classifier), each 1 to 4 wide."""
    return st.lists(widths(), min_size=0, max_size=3)


def regularization_strengths():
    """0 (CS231n's default) half the time, else a strength in [0.01, 10]."""
    return st.one_of(st.just(0.0), st.floats(0.01, 10.0))


def positive_regularization_strengths():
    return st.one_of(st.sampled_from([0.1, 0.5, 1.0]), st.floats(0.01, 10.0))


def small_weight_scales():
    """CS231n's 1e-3 and smaller: 1e-5 .. 1e-3 (the initial-loss sanity check)."""
    return st.one_of(st.sampled_from([1e-3, 1e-4, 1e-5]), st.floats(-5.0, -3.0).map(lambda p: 10.0**p))


def initialization_scales():
    """Standard deviations from 1e-4 to 10 (log-uniform), CS231n's 1e-3 and 1e-2 often: away from 1, where the
    standard deviation and the variance coincide."""
    return st.one_of(st.sampled_from([1e-3, 1e-2, 5e-2, 5.0]), st.floats(-4.0, 1.0).map(lambda p: 10.0**p))


def seeds():
    return st.integers(0, 2**32 - 1)


def unit_reals():
    return reals(1.0)


@st.composite
def parameters_for(draw, dims):
    """params for layer sizes dims = (D, H1, ..., C): W<l> entries in [-1, 1] / fan-in, b<l> entries in [-1, 1]."""
    sizes = [(fan_in, fan_out) for fan_in, fan_out in zip(dims[:-1], dims[1:])]
    values = draw(hnp.arrays(np.float64, sum((fan_in + 1) * fan_out for fan_in, fan_out in sizes),
                             elements=unit_reals()))  # one draw for all of them: much faster to generate
    params, start = {}, 0
    for i, (fan_in, fan_out) in enumerate(sizes, start=1):
        params[f"W{i}"] = values[start:start + fan_in * fan_out].reshape(fan_in, fan_out) / fan_in
        start += fan_in * fan_out
        params[f"b{i}"] = values[start:start + fan_out].copy()
        start += fan_out
    return params


@st.composite
def batches(draw, input_shape, num_classes, rows=None):
    """(X, y): X of shape (N, *input_shape) with entries in [-1, 1], and N valid labels."""
    n = draw(st.integers(1, 4) if rows is None else rows)
    X = draw(hnp.arrays(np.float64, (n, *input_shape), elements=unit_reals()))
    return X, draw(labels_for(n, num_classes))


def away_from_the_kink(params, X, activation, gap=2 * KINK_GAP) -> dict:
    """A copy of params whose hidden biases are moved just enough that every hidden pre-activation z<l>[i, k] is at
    least `gap` from 0 (ReLU's kink), layer by layer; sigmoid and tanh nets are returned unchanged.

    For unit k the values to avoid are the N intervals (-z[i, k] - gap, -z[i, k] + gap) of shifts d: the smallest
    |d| outside all of them is 0 or an end of one of them. Shifts add at most 2 N gap to a bias.
    """
    params = copy_params(params)
    if activation not in ("relu", "leaky_relu"):
        return params
    h = X.reshape(X.shape[0], -1)
    for i in range(1, num_layers(params)):
        W, b = params[f"W{i}"], params[f"b{i}"]
        z = h @ W + b
        for k in range(z.shape[1]):
            column = z[:, k]
            candidates = sorted([0.0, *(-column - gap), *(-column + gap)], key=abs)
            shift = next(d for d in candidates if np.min(np.abs(column + d)) >= gap * (1 - 1e-9))
            b[k] += shift
        h = activate(h @ W + b, activation)
    return params


# The gradient check.


def derivative_majorants(params, X, activation):
    """For each layer l: (how fast any hidden pre-activation can move, B3), per unit of change of one of layer l's
    parameters along a unit direction (one entry, or a unit vector of the whole array in fast mode).

    Moving W<l> by t U (|U| = 1) moves z<l> by t h<l-1> U, whose entries are at most ||h<l-1>[i]||_2 (Cauchy-Schwarz;
    one entry: |h<l-1>[i, j]|); moving b<l> moves them by at most 1. So |dz<l>/dt| <= Z1 = max(1, max_i
    ||h<l-1>[i]||), and d2z<l>/dt2 = 0 (z<l> is affine in layer l's parameters). The layers after it only read z<l>:
    with A_r = max|act^(r)| and c = the largest column sum of |W<m+1>|, the chain rule gives, uniformly over the
    step, |dh/dt| <= A1 Z1, |d2h/dt2| <= A2 Z1^2 + A1 Z2, |d3h/dt3| <= A3 Z1^3 + 3 A2 Z1 Z2 + A1 Z3, and Z_r of
    z<m+1> is c times that. (For the ReLUs A2 = A3 = 0 as long as no pre-activation crosses the kink, which
    check_parameter_gradients rules out.) At the scores, the loss of one example is logsumexp(s) - s_y with
    s = s(t): its third derivative is the third cumulant of s' under softmax(s), at most (range of s')^3 / (6 sqrt 3)
    <= 8 V1^3 / (6 sqrt 3) (the largest third central moment of a distribution on an interval), plus 3 Cov(s', s'')
    <= 3 V1 V2, plus p . s''' - s'''_y <= 2 V3; the mean over examples is at most that, and reg * sum(W**2) is
    quadratic (third derivative 0). So B3 = 0.77 V1^3 + 3 V1 V2 + 2 V3 bounds |phi'''| along the step.
    """
    a1, a2, a3 = DERIVATIVE_BOUNDS[activation]
    layers = layers_of(params)
    _, hs, _ = forward(params, X, activation)
    out = []
    for l in range(1, len(layers) + 1):
        previous = hs[l - 1]
        z1 = max(1.0, float(np.sqrt((previous * previous).sum(axis=1)).max())) * (1 + 1e-6)
        z2 = z3 = 0.0
        moves = [z1] if l < len(layers) else []
        for m in range(l, len(layers)):  # the activation of layer m, then the affine layer m + 1
            h1, h2, h3 = a1 * z1, a2 * z1**2 + a1 * z2, a3 * z1**3 + 3 * a2 * z1 * z2 + a1 * z3
            c = float(np.abs(layers[m][0]).sum(axis=0).max(initial=0.0))
            z1, z2, z3 = c * h1, c * h2, c * h3
            if m + 1 < len(layers):
                moves.append(z1)
        b3 = 8 / (6 * np.sqrt(3)) * z1**3 + 3 * z1 * z2 + 2 * z3
        out.append((max(moves, default=0.0), b3))
    return out


def check_parameter_gradients(net, params, X, y, activation, reg, what: str) -> None:
    """Every grads[k] that net.loss(X, y) returns matches central differences of the loss in params[k].

    Tolerance (check_gradient's atol; rtol stays 1e-6):
    - rounding: each evaluation of the loss is within E = loss_error(...) of exact, so the difference quotient
      (phi(+) - phi(-)) / 2s is within 2E / 2s <= E / h (every step s >= h = 1e-5); doubled: 2 E / h.
    - truncation: the central difference is off by at most s^2 / 6 max|phi'''| <= s^2 B3 / 6 along the step, B3 from
      derivative_majorants, s <= h max(1, max|params|); doubled.
    For ReLU nets a step must not cross a kink: a step moves a hidden pre-activation by at most s Z1, which must stay
    below its distance to 0 (KINK_GAP by construction, less the forward pass's rounding). That is asserted here, as
    a fact about the strategies, not about the implementation.
    """
    _, grads = net.loss(X, y)
    biggest = max(float(np.abs(v).max(initial=0.0)) for v in params.values())
    step = H_STEP * max(1.0, biggest)
    rounding = 2 * loss_error(params, X, y, activation, reg) / H_STEP
    majorants = derivative_majorants(params, X, activation)
    if activation in ("relu", "leaky_relu") and num_layers(params) > 1:
        zs, _, _ = forward(params, X, activation)
        distance = min(float(np.abs(z).min()) for z in zs)
        move = step * max(m for m, _ in majorants)
        if not distance - 1e-9 > move:
            raise RuntimeError(f"spec bug: a pre-activation {distance:.3g} from the kink, a step moves it {move:.3g}")
    for key in params:
        layer = int(key[1:])
        truncation = 2 * step**2 / 6 * majorants[layer - 1][1]

        def loss_at(value, key=key):
            net.params[key] = value
            return net.loss(X, y)[0]

        try:
            check_gradient(loss_at, params[key], grads[key], h=H_STEP, atol=rounding + truncation,
                           full_max_size=FULL_MAX_SIZE, directions=DIRECTIONS,
                           name=f"grads[{key!r}] of {what}.loss(X, y)")
        finally:
            net.params[key] = params[key].copy()


# The checks shared by both networks.

HALF_CONVENTION = ("this contract uses reg * sum(W**2), without the 0.5 of CS231n 2020's fc_net.py "
                   "(0.5 * reg * sum(W**2), gradient reg * W): drop the 0.5")



def check_scores(net, params, X, activation, what: str) -> None:
    """loss(X) without labels is the forward pass computed here, within 4 times score_error (twice the bound, for the
    two computations compared, and a factor 2 to spare)."""
    set_params(net, params)
    scores = net.loss(X)
    expected = scores_of(params, X, activation)
    if np.shape(scores) != expected.shape:
        expect.fail(f"scores {what}.loss(X) have shape {np.shape(scores)}, but should have shape (N, C) = "
                    f"{expected.shape}", inputs_of(params, X, activation=activation))
    layers = " - ".join(["affine", activation] * (num_layers(params) - 1) + ["affine"])
    expect.close(f"scores {what}.loss(X)", scores, expected, atol=4 * score_error(params, X, activation),
                 why=f"{layers} on X flattened row-major to (N, D) = {X.reshape(X.shape[0], -1).shape}",
                 inputs=inputs_of(params, X, activation=activation))


def check_loss(net, params, X, y, activation, reg, what: str) -> None:
    """loss(X, y) is the mean softmax cross-entropy of the scores plus reg * sum(W**2), within 4 loss_error (twice
    the bound for the two computations, and a factor 2 to spare)."""
    set_params(net, params)
    loss, _ = net.loss(X, y)
    scores = scores_of(params, X, activation)
    per_example = cross_entropy(scores, y)
    r = penalty(params, reg)
    tol = 4 * loss_error(params, X, y, activation, reg)
    why = (f"the mean over the batch of -log softmax(scores)[i, y[i]] = {expect.fmt(per_example)}, plus "
           f"reg * sum(W**2) = {r:.6g}")
    if r > tol and abs(loss - (per_example.mean() + r / 2)) <= tol:
        why += "; " + HALF_CONVENTION
    expect.close(f"loss of {what}.loss(X, y)", loss, per_example.mean() + r, atol=tol, why=why,
                 inputs=inputs_of(params, X, y, reg, activation))


def other_biases(params) -> dict:
    """The same weights with the biases moved by 1: what regularization adds must not change."""
    moved = copy_params(params)
    for i in range(1, num_layers(params) + 1):
        moved[f"b{i}"] = moved[f"b{i}"] + 1.0
    return moved


def check_regularization(make, params, X, y, activation, reg, what: str) -> None:
    """With the same params, loss(reg) - loss(reg = 0) is reg * sum(W**2) over W1..WL, for the drawn biases and for
    biases moved by 1 (so never reg * sum(b**2)); grads[W] differ by 2 reg W, grads[b] not at all.

    Tolerances: the two losses are each within loss_error of exact, the subtraction here rounds once more on numbers
    of size |loss|: 2 loss_error + u |loss|, doubled. The gradients: nothing that the data part of a gradient is
    computed from depends on reg (the scores, their softmax and every backpropagated signal are the same), so a
    deterministic implementation computes it identically in both calls, g0; then adds 2 reg W (2 reg W rounds at most
    twice, the sum once: u |g0| + 3 u |2 reg W|), and the subtraction here rounds once more: u (|g0| + 4 |2 reg W|),
    doubled with a factor 2 to spare, and TINY for products that underflow.
    """
    net_reg, net_0 = make(reg), make(0.0)
    for label, p in (("the drawn params", params), ("the same weights with every bias moved by 1", other_biases(params))):
        set_params(net_reg, p)
        set_params(net_0, p)
        loss_reg, grads_reg = net_reg.loss(X, y)
        loss_0, grads_0 = net_0.loss(X, y)
        inputs = inputs_of(p, X, y, reg, activation)
        r, half = penalty(p, reg), 0.5 * penalty(p, reg)
        biases = reg * sum(float(np.sum(p[f"b{i}"] ** 2)) for i in range(1, num_layers(p) + 1))
        difference = loss_reg - loss_0
        tol = 2 * (2 * loss_error(p, X, y, activation, reg) + U * abs(loss_reg))
        why = "reg * sum(W**2) over the weights W1, ..., WL, never the biases"
        if abs(difference - half) <= tol and abs(half) > tol:
            why = HALF_CONVENTION
        elif abs(difference - r - biases) <= tol and abs(biases) > tol:
            why += f"; reg * sum(b**2) = {biases:.6g} was added too: biases are not regularized"
        expect.close(f"{what}.loss(X, y) with reg={reg:g} minus the loss with reg=0 ({label})", difference, r,
                     atol=tol, why=why, inputs=inputs)
        for key in p:
            g0 = np.abs(grads_0[key])
            if key.startswith("W"):
                expected = 2 * reg * p[key]
                atol = 2 * EPS * (g0 + 4 * np.abs(expected)) + 4 * TINY * (1 + reg)
                reg_why = "2 * reg * W, the gradient of reg * sum(W**2)"
                if np.allclose(grads_reg[key] - grads_0[key], 0.5 * expected, rtol=1e-9, atol=0) \
                        and np.abs(expected).max(initial=0) > 0:
                    reg_why = HALF_CONVENTION
            else:
                expected = np.zeros_like(p[key])
                atol = 2 * EPS * g0 + 4 * TINY * (1 + reg)
                reg_why = "0: biases are not regularized"
            expect.close(f"grads[{key!r}] with reg={reg:g} minus grads[{key!r}] with reg=0 ({label})",
                         grads_reg[key] - grads_0[key], expected, atol=atol, why=reg_why, inputs=inputs)


# Initialization.

GAUSSIAN_T = 7.0  # P(|N(0, 1)| > 7) = 2.6e-12
# Laurent and Massart (2000): for chi^2 with n degrees of freedom, P(chi2 >= n + 2 sqrt(n x) + 2x) <= e^-x and
# P(chi2 <= n - 2 sqrt(n x)) <= e^-x. With x = 23, e^-x = 1.0e-10.
CHI2_X = 23.0
MEAN_Z = 6.5  # P(|N(0, 1)| > 6.5) = 8.0e-11


def check_initial_weights(params, weight_scale, what: str) -> None:
    """Each weight matrix's entries look like n independent draws of N(0, weight_scale**2).

    With w ~ N(0, sigma^2) and the sample standard deviation s (ddof = 1), (n - 1) s^2 / sigma^2 is chi^2 with
    k = n - 1 degrees of freedom, so s lies in sigma [sqrt(1 - 2 sqrt(x/k)), sqrt(1 + 2 sqrt(x/k) + 2x/k)] except
    with probability 2 e^-x = 2e-10 (Laurent-Massart, x = 23); and the sample mean is N(0, sigma^2 / n), within
    6.5 sigma / sqrt(n) except with probability 8e-11. So a correct implementation fails this check with probability
    below 3e-10 per matrix (below 1e-6 over a thorough run of 2000 examples with up to 3 matrices each). Rounding (a
    few u relative) is far inside these bounds.
    """
    for key in weight_keys(params):
        W = params[key]
        n = W.size
        k = n - 1
        std = float(np.std(W, ddof=1))
        low = weight_scale * np.sqrt(max(0.0, 1 - 2 * np.sqrt(CHI2_X / k)))
        high = weight_scale * np.sqrt(1 + 2 * np.sqrt(CHI2_X / k) + 2 * CHI2_X / k)
        inputs = {"weight_scale": weight_scale, f"{key}.shape": W.shape}
        expect.holds(f"the sample standard deviation of {what}.params[{key!r}]", std, low <= std <= high,
                     f"about weight_scale = {weight_scale:.6g}: in [{low:.6g}, {high:.6g}] for {n} draws of "
                     "N(0, weight_scale**2) (a false failure has probability 2e-10); a standard deviation of "
                     f"sqrt(weight_scale) = {np.sqrt(weight_scale):.3g} would take weight_scale as the variance",
                     inputs=inputs)
        mean = float(np.mean(W))
        bound = MEAN_Z * weight_scale / np.sqrt(n)
        expect.holds(f"the mean of {what}.params[{key!r}]", mean, abs(mean) <= bound,
                     f"about 0: within {bound:.3g} = 6.5 weight_scale / sqrt({n}) for draws of a normal distribution "
                     "with mean 0 (a false failure has probability 8e-11)", inputs=inputs)


def check_initial_shapes(params, dims, what: str) -> None:
    """params has exactly the keys W1, b1, ..., WL, bL, W<l> of shape (dims[l-1], dims[l]), b<l> zeros (dims[l],),
    all float64."""
    expected_keys = [f"{kind}{i}" for i in range(1, len(dims)) for kind in ("W", "b")]
    if sorted(params) != sorted(expected_keys):
        expect.fail(f"{what}.params has keys {sorted(params)}, but should have exactly {expected_keys} for layer sizes "
                    f"{list(dims)} (D, the hidden widths, C)", {"layer sizes": list(dims)})
    for i in range(1, len(dims)):
        for key, shape in ((f"W{i}", (dims[i - 1], dims[i])), (f"b{i}", (dims[i],))):
            value = params[key]
            if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype != np.float64:
                got = (f"an ndarray of {value.dtype}, shape {value.shape}" if isinstance(value, np.ndarray)
                       else type(value).__name__)
                expect.fail(f"{what}.params[{key!r}] is {got}, but should be an ndarray of float64, shape {shape} "
                            f"(layer {i}: fan-in {dims[i - 1]}, fan-out {dims[i]})", {"layer sizes": list(dims)})
        expect.equal(f"{what}.params['b{i}']", params[f"b{i}"], np.zeros(dims[i]), why="biases start at 0",
                     inputs={"layer sizes": list(dims)})


def initial_score_bound(X, dims, activation, weight_scale) -> np.ndarray:
    """Per example, a bound on max_c |s[i, c]| for initial weights of standard deviation sigma = weight_scale and
    zero biases, failing with probability below 1e-9.

    Given the previous layer, each pre-activation z = h<l-1>[i] @ W<l>[:, k] is N(0, sigma^2 ||h<l-1>[i]||^2) (fresh
    weights), so |z| <= 7 sigma ||h<l-1>[i]|| except with probability 2.6e-12; ReLU, leaky ReLU and tanh have |act(z)|
    <= |z|, so ||h<l>[i]|| <= sqrt(H_l) 7 sigma ||h<l-1>[i]||; a sigmoid output lies in (0, 1), ||h<l>[i]|| <=
    sqrt(H_l). The scores are one more such layer: |s| <= 7 sigma ||h<L-1>[i]||. A union bound over the at most
    N (sum of widths + C) <= 200 Gaussians gives a failure probability below 200 * 2.6e-12 = 5e-10.
    """
    norm = np.sqrt((X.reshape(X.shape[0], -1) ** 2).sum(axis=1))
    for width in dims[1:-1]:
        if activation == "sigmoid":
            norm = np.full_like(norm, np.sqrt(width))
        else:
            norm = np.sqrt(width) * GAUSSIAN_T * weight_scale * norm
    return GAUSSIAN_T * weight_scale * norm


def check_initial_loss(net, X, y, dims, activation, weight_scale, what: str) -> None:
    """With small initial weights and reg = 0 the loss is about log C.

    For one example, logsumexp(s) lies between log C + mean(s) (Jensen) and log C + max(s), so
    loss_i - log C = logsumexp(s) - s_y - log C lies in [mean(s) - s_y, max(s) - s_y]: |loss_i - log C| <= the range
    of s <= 2 max|s| <= 2 B_i, B_i = initial_score_bound (failure probability below 1e-9). The mean over the batch is
    within mean(2 B_i). Rounding: scores of size <= B_i <= 1 cost at most u (5 + 3 log C + C + 2) per example and
    N u (2 + log C) for the mean (loss_error's terms with S = 1); doubled.
    """
    loss, _ = net.loss(X, y)
    n, c = X.shape[0], dims[-1]
    bound = initial_score_bound(X, dims, activation, weight_scale)
    rounding = 2 * U * ((5 + 3 * np.log(c) + c + 2) + n * (2 + np.log(c)))
    tol = float(np.mean(2 * bound)) + rounding
    expect.close(f"the initial loss of {what}.loss(X, y)", loss, np.log(c), atol=tol,
                 why=f"log C = log {c} (all C classes about equally likely, as CS231n's sanity check: log 10 = "
                     f"2.302585); allowed: twice the largest score that weights of standard deviation "
                     f"{weight_scale:.3g} give (a false failure has probability below 1e-9)",
                 inputs={"X": X, "y": y, "weight_scale": weight_scale, "layer sizes": list(dims),
                         "activation": activation})
