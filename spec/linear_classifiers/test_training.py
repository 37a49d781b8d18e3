"""Training a linear classifier by minibatch SGD, and predicting with it (CS231n's LinearClassifier.train / predict):

    train_linear_classifier(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                            seed=0) -> (W, loss_history)
    predict_linear(W, X) -> y_pred = argmax_j (X @ W)[i, j]

W starts as 0.001 * N(0, 1) values of shape (D, C), C = max(y) + 1; each iteration draws a minibatch (with replacement),
records its loss (regularization included) at the current W, then steps W -= learning_rate * dW.

What can be checked without knowing the random draws. The minibatches come from the implementation's own generator
(np.random.default_rng(seed).choice, .integers, the global np.random seeded with np.random.seed, drawn before or after
W...), so no property here depends on which examples a batch holds, or on the order of the draws; only on what the
contract fixes:
- batches are drawn anew at each iteration, with replacement: on two examples with batch_size = 2, some of 64 batches
  repeat an example, and not all are alike (a correct implementation fails this with probability below 1e-19);
- learning_rate = 0 leaves W where it started, so every recorded loss is a mean of per-example losses at the returned W;
- on a data set of identical examples every minibatch has the same loss and gradient, so the whole SGD path is fixed
  by the initial W, and that W is what the same call with learning_rate = 0 returns (the initial draw does not depend
  on the learning rate);
- the initial W is a sample of 0.001 * N(0, 1): its mean and spread over 600 or more entries are pinned down;
- on separable data of the shape below, every correct implementation classifies the training set perfectly after
  100 steps, whichever minibatches it draws (the argument is at separable_sets).
"""

import numpy as np
import scipy.special
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.expect import EPS
from spec.property import alternative, mutant, prop

CONCEPT = "linear classifier training"
I2DL_SGD = "TUM I2DL lecture 6 recap, slide 4 (SGD: theta_k+1 = theta_k - alpha * grad L on a minibatch of m samples)"
CS231N_UPDATE = "CS231n lecture 4 (2015), slides 44-46 (the parameter update: W moves along the negative gradient)"
GT_INIT = ("Georgia Tech CS 4803/7643, softmax loss, Q2: 'at initialization all s will be approximately equal; "
           "what is the loss? A: log(C)'")
CS231N_TRAIN = ("CS231n assignment 1, linear_classifier.py (LinearClassifier.train: W = 0.001 * randn(D, C), "
                "C = max(y) + 1, batches by np.random.choice(num_train, batch_size, replace=True))")
GT_SCORES = ("Georgia Tech CS 4803/7643, linear classifiers, slides 22-23: the cat image 56, 231, 24, 2 scores "
             "-96.8 (cat), 437.9 (dog)")

LOSSES = ("softmax", "svm")
INIT_SCALE = 0.001  # the contract: W starts as 0.001 * standard normal values
# A standard normal value exceeds 8 in magnitude with probability 1.2e-15: every bound below that needs the initial W
# to be small uses |W0| <= 8 * 0.001, which a correct implementation breaks about once in 10^14 entries.
INIT_BOUND = 8 * INIT_SCALE


# Trusted losses, straight from the definitions (scores X @ W, margin 1, the stable log-sum-exp).


def per_example_losses(W, X, y, loss):
    """The data loss of each example at W, shape (N,): -log softmax(s_i)[y_i] (softmax), or
    sum_{j != y_i} max(0, s_ij - s_iy + 1) (SVM), with s = X @ W."""
    s = X @ W
    rows = np.arange(len(y))
    correct = s[rows, y][:, None]
    if loss == "softmax":
        return scipy.special.logsumexp(s - correct, axis=1)
    margins = np.maximum(0.0, s - correct + 1.0)
    margins[rows, y] = 0.0
    return margins.sum(axis=1)


def one_example_loss_and_gradient(W, x, c, loss, reg):
    """Loss and gradient at W of the one example (x, c), regularization included: the loss of any minibatch of copies
    of it. Softmax: outer(x, p - onehot); SVM: outer(x, active - n_active * onehot) (margins > 0 count)."""
    s = x @ W
    if loss == "softmax":
        p = np.exp(s - scipy.special.logsumexp(s))
        data, dscores = scipy.special.logsumexp(s) - s[c], p
        dscores[c] -= 1.0
    else:
        margins = s - s[c] + 1.0
        margins[c] = 0.0
        active = (margins > 0).astype(np.float64)
        data, dscores = margins[margins > 0].sum(), active
        dscores[c] = -active.sum()
    return data + reg * np.sum(W * W), np.outer(x, dscores) + 2.0 * reg * W


def score_scale(X, W) -> float:
    """The size of the numbers the scores are made of: max over i, j of sum_d |X[i, d] W[d, j]| (at least 1e-300)."""
    return max(float((np.abs(X) @ np.abs(W)).max()), 1e-300)


def minibatch_loss_tolerance(X, W, reg, batch_size) -> float:
    """Absolute error allowed in a minibatch loss computed by a correct float64 implementation at W.

    Each score is a sum of D products, within D u S of exact (S = score_scale, u = EPS/2); a softmax loss is a
    log-sum-exp minus a score, an SVM loss a sum of C - 1 margins, both of numbers up to 2S + 1 and C of them, so each
    example's loss is within (D + C + 4) u (2S + C + 1); the batch mean adds B u of that size. reg * sum(W**2) sums
    D*C squares: (D*C + 2) u relative. Doubling for safety: EPS ((B + D + C + 4)(2S + C + 1) + (D*C + 2) reg sum W^2).
    """
    d, c = W.shape
    return EPS * ((batch_size + d + c + 4) * (2 * score_scale(X, W) + c + 1) + (d * c + 2) * reg * np.sum(W * W))


# Strategies, named after what they produce.


def losses():
    return st.sampled_from(LOSSES)


def seeds():
    return st.integers(0, 2**32 - 1)


def regs():
    return st.one_of(st.sampled_from([0.0, 1e-5, 1.0]), st.floats(0.0, 1.0, allow_subnormal=False))


def features(magnitude):
    return st.one_of(st.sampled_from([0.0, 1.0, -1.0, 0.5, magnitude, -magnitude]),
                     st.floats(-magnitude, magnitude, allow_nan=False, allow_subnormal=False))


@st.composite
def training_sets(draw, max_rows=6, max_features=4, max_classes=6, magnitude=1.0):
    """(X, y): N examples of D features in [-magnitude, magnitude], labels with C = max(y) + 1 >= 2; some of the
    classes below max(y) may be absent (C is still max(y) + 1)."""
    n = draw(st.integers(1, max_rows))
    d = draw(st.integers(1, max_features))
    c = draw(st.integers(2, max_classes))
    X = draw(hnp.arrays(np.float64, (n, d), elements=features(magnitude)))
    y = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    y[draw(st.integers(0, n - 1))] = c - 1  # the largest label is present: C = c
    return X, y


@st.composite
def wide_training_sets(draw):
    """(X, y) whose W has at least 600 entries (D = ceil(600 / C)), labels with C = max(y) + 1 in [2, 6], often
    with classes missing below the largest (y = [0, 2] has C = 3). X's values play no part at num_iters = 0."""
    c = draw(st.integers(2, 6))
    n = draw(st.integers(1, 5))
    d = -(-600 // c)
    X = np.full((n, d), draw(features(1.0)))
    y = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    y[draw(st.integers(0, n - 1))] = c - 1
    return X, y


@st.composite
def identical_example_sets(draw):
    """(X, y): N copies of one example x (D <= 4 features in [-1, 1]) with label c >= 1 (so C = c + 1 <= 4).

    Every minibatch of such a set has the same loss and gradient as the single example, whatever rows it draws."""
    n = draw(st.integers(1, 4))
    d = draw(st.integers(1, 4))
    x = draw(hnp.arrays(np.float64, (d,), elements=features(1.0)))
    c = draw(st.integers(1, 3))
    return np.tile(x, (n, 1)), np.full(n, c)


@st.composite
def zero_and_far_example_sets(draw):
    """(X, y): two examples, x_0 = 0 (all its scores are 0) and x_1 with entries up to 100 in magnitude (its scores
    at the initial W are of size 0.1), labels with C = max(y) + 1 >= 2: their losses at the initial W differ."""
    d = draw(st.integers(1, 4))
    far = draw(hnp.arrays(np.float64, (d,), elements=st.floats(-100.0, 100.0, allow_subnormal=False)))
    far[draw(st.integers(0, d - 1))] = draw(st.sampled_from([-100.0, -10.0, 10.0, 100.0]))
    c = draw(st.integers(2, 5))
    y = np.array([draw(st.integers(0, c - 1)), c - 1])
    if draw(st.booleans()):
        y = y[::-1].copy()
    return np.vstack([np.zeros(d), far]), y


def householder(v):
    """The reflection I - 2 v v^T / |v|^2 (orthogonal and symmetric); the identity when v is (nearly) 0."""
    vv = float(v @ v)
    if vv < 1e-2:
        return np.eye(len(v))
    return np.eye(len(v)) - 2.0 * np.outer(v, v) / vv


SEPARABLE_STEPS = 100
SEPARABLE_LEARNING_RATE = 1.0


@st.composite
def separable_sets(draw):
    """(X, y): each class k lies along its own unit direction q_k (orthonormal, q_k = H e_k for a reflection H):
    x_i = a_i q_{y_i} with lengths a_i in [1, 2], C in [2, 4] classes of 1 to 4 examples each, D in [C, C + 2].

    Why 100 steps of SGD with learning rate 1, reg = 0 and batches of B >= 8 classify every example correctly, with
    any minibatches.
    Write G_kj = q_k . (w_k - w_j) (w_c the columns of W). Example i of class k has scores s_ic = a_i q_k . w_c,
    so it is classified correctly iff G_kj > 0 for all j != k, and its loss depends on W only through the G_kj.
    A step changes w_c by -(lr / B) sum_{i in batch} x_i dscores_ic, so q_k . w_c changes only through the examples of
    class k (q_k . x_i = 0 for the others): classes do not interact. An example of class k in the batch adds
    (lr / B) a_i (dscores_ij - dscores_ik) to G_kj, namely (lr / B) a_i (1 - p_k + p_j) for softmax and
    (lr / B) a_i (n_active + [j active]) for the SVM: never negative, so with reg = 0 every G_kj only grows, whatever
    the step size, and every example's loss only falls.
    Start: G_kj ~ N(0, 2e-6) from W0 = 0.001 N(0, 1), so G_kj >= -g0 with g0 = 8 * sqrt(2) * 0.001 = 0.0114.
    Growth, softmax: while G_kj < g* = 0.25, p_j >= exp(-a_max (g* + g0)) / C (the scores of the example differ by at
    most a_max (g* + g0)), and 1 - p_k + p_j >= 2 p_j, so each class-k example drawn adds at least
    (lr / B) a_min 2 exp(-2 * 0.2614) / 4 = 0.296 lr / B; G_kj >= g* once M_k >= 0.2614 B / (0.296 lr) = 0.88 B such
    draws (lr = 1).
    SVM: while G_kj < 0.25 every margin j of a class-k example is active (a_i G_kj < 0.5), each draw adds at least
    (lr / B) a_min (1 + 1) = 2 lr / B, so M_k >= 0.13 B draws suffice.
    Draws: by step 90 (the last tenth begins) the batches held 90 B examples, each of class k with probability
    n_k / N >= 1/13: M_k ~ Binomial(90 B, 1/13), mean 6.9 B. With B >= 8, P(M_k < 0.88 B) <= P(Bin(720, 1/13) <= 7)
    = 5.7e-17 (scipy.stats.binom; smaller still for larger B).
    So in the last tenth every G_kj >= 0.25: each softmax loss is at most log(1 + (C - 1) e^-0.25) (0.576 for C = 2,
    1.205 for C = 4), each SVM loss at most 0.75 (C - 1), while the first recorded loss is at least
    log C - 2 g0 (0.67 for C = 2, 1.36 for C = 4) or (C - 1)(1 - 2 g0): the mean of the last tenth is below the first.
    Scores stay moderate: a step adds at most lr a_max (1 - p_k + p_j) <= 4 to a G, and softmax growth slows to
    logarithmic once p_k is near 1 (SVM growth stops at G = 1), so |s| stays far below 1000.
    """
    c = draw(st.integers(2, 4))
    d = c + draw(st.integers(0, 2))
    counts = [draw(st.integers(1, 4)) for _ in range(c)]
    y = np.repeat(np.arange(c), counts)
    n = len(y)
    lengths = np.array(draw(st.lists(st.floats(1.0, 2.0), min_size=n, max_size=n)))
    H = householder(draw(hnp.arrays(np.float64, (d,), elements=st.floats(-1.0, 1.0, allow_subnormal=False))))
    X = lengths[:, None] * H[y]  # row k of the symmetric H is q_k = H e_k
    order = np.array(draw(st.permutations(range(n))))
    return X[order], y[order]


@st.composite
def tie_free_predictions(draw):
    """(W, X): integer features and weights in [-3, 3] plus a bias column of ones whose weights are distinct eighths
    (a permutation of 0/8 .. (C-1)/8). Every score is an integer plus a distinct eighth, so no two scores of a row tie
    (they differ by at least 1/8), and every partial sum is a multiple of 1/8 below 2^6: X @ W is exact in any order."""
    n, d, c = draw(st.integers(1, 6)), draw(st.integers(1, 4)), draw(st.integers(2, 7))
    X = draw(hnp.arrays(np.float64, (n, d), elements=st.integers(-3, 3).map(float)))
    W = draw(hnp.arrays(np.float64, (d, c), elements=st.integers(-3, 3).map(float)))
    eighths = np.array(draw(st.permutations(range(c))), dtype=np.float64) / 8
    return np.vstack([W, eighths]), np.hstack([X, np.ones((n, 1))])


def sgd_on_one_example(W0, x, c, loss, lr, reg, steps):
    """The SGD path on copies of (x, c): (losses recorded before each step, W after each step), by the definition."""
    W, recorded, path = W0.copy(), [], [W0.copy()]
    for _ in range(steps):
        value, dW = one_example_loss_and_gradient(W, x, c, loss, reg)
        recorded.append(value)
        W = W - lr * dW
        path.append(W)
    return np.array(recorded), path


def sgd_path_tolerance(path, x, lr, reg, batch_size) -> float:
    """Absolute error allowed in W after len(path) - 1 SGD steps of a correct implementation, against the exact path.

    One step: dW is a mean of B identical terms x_d dscores_c (each dscore within (C + D + 4) u of exact, relative to
    its size <= max(1, C - 1)) plus 2 reg W: within (B + C + D + 6) u G, where G = max|x| max(1, C - 1) + 2 reg max|W|
    bounds |dW|; W - lr dW adds u max|W|. So each step adds r = u (lr (B + C + D + 6) G + 2 max|W|).
    An error e in W moves softmax(x . W) by at most |x|_1 e / 2 (the Jacobian's rows sum to at most 1/2 in absolute
    value) and the gradient by |x|_inf |x|_1 e / 2 + 2 reg e: over a step an earlier error grows at most by the factor
    A = 1 + lr (|x|_inf |x|_1 + 2 reg) (the SVM's active set does not change here: its margins stay near 1). After T
    steps: T A^T r; times 4 for safety.
    """
    steps = len(path) - 1
    d, c = path[0].shape
    w_max = max(float(np.abs(W).max()) for W in path)
    g_max = float(np.abs(x).max()) * max(1, c - 1) + 2 * reg * w_max
    per_step = EPS / 2 * (lr * (batch_size + c + d + 6) * g_max + 2 * w_max)
    growth = (1 + lr * (float(np.abs(x).max() * np.abs(x).sum()) + 2 * reg)) ** steps
    return 4 * steps * growth * per_step


# Properties.


@prop(CONCEPT, CS231N_TRAIN, "With num_iters = 0 training returns the initial W: shape (D, C) with C = max(y) + 1 (labels 0 and 2 make 3 classes), filled with 0.001 * N(0, 1) values (mean about 0, root mean square about 0.001), and an empty loss history.")
@given(data=wide_training_sets(), seed=seeds())
@example(data=(np.ones((2, 200)), np.array([0, 2])), seed=0)
def test_initial_weights_are_small_gaussian_values_for_max_label_plus_one_classes(train_linear_classifier, data, seed):
    X, y = data
    d, c = X.shape[1], int(y.max()) + 1
    W, history = train_linear_classifier(X, y, num_iters=0, seed=seed)
    inputs = {"y": y, "X.shape": X.shape, "seed": seed, "num_iters": 0}
    expect.equal("W.shape", np.array(W.shape), np.array([d, c]), why="(D, C) with C = max(y) + 1", inputs=inputs)
    expect.equal("len(loss_history)", len(history), 0, why="no iterations, no losses", inputs=inputs)
    # W = 0.001 z with n = D*C >= 600 independent standard normal z. mean(z) ~ N(0, 1/n): |mean(W)| <= 6 * 0.001 /
    # sqrt(n) fails with probability 2e-9. mean(z^2) ~ chi^2_n / n: outside [0.64, 1.44] with probability below
    # exp(-n/2 (0.64 - 1 - ln 0.64)) + exp(-n/2 (0.44 - ln 1.44)) < 2e-10 (Chernoff, n = 600), so the root mean
    # square lies within 20% of 0.001.
    n = W.size
    mean, rms = float(W.mean()), float(np.sqrt(np.mean(W**2)))
    expect.holds("mean of W", mean, abs(mean) <= 6 * INIT_SCALE / np.sqrt(n),
                 f"within 6 standard errors of 0, |mean| <= {6 * INIT_SCALE / np.sqrt(n):.3g} (W = 0.001 * N(0, 1))",
                 inputs=inputs)
    expect.holds("root mean square of W", rms, 0.8 * INIT_SCALE <= rms <= 1.2 * INIT_SCALE,
                 "within 20% of 0.001 (W = 0.001 * N(0, 1), not zeros, not N(0, 1))", inputs=inputs)


@prop(CONCEPT, CS231N_TRAIN, "Training is reproducible: the same seed gives exactly the same W and loss history, and another seed another initial W.")
@given(data=training_sets(), loss=losses(), lr=st.floats(0.0, 1.0), reg=regs(), num_iters=st.integers(0, 5),
       batch_size=st.integers(1, 8), seed=st.integers(0, 2**32 - 2))
def test_training_is_reproducible_from_its_seed(train_linear_classifier, data, loss, lr, reg, num_iters, batch_size,
                                                seed):
    X, y = data
    args = dict(loss=loss, learning_rate=lr, reg=reg, num_iters=num_iters, batch_size=batch_size)
    inputs = {"X": X, "y": y, **args, "seed": seed}
    W1, history1 = train_linear_classifier(X, y, **args, seed=seed)
    W2, history2 = train_linear_classifier(X, y, **args, seed=seed)
    why = ("the same call with the same seed must repeat exactly: every draw, the minibatch indices included, must "
           "come from the seeded generator (rng.choice with rng = np.random.default_rng(seed), not np.random.choice)")
    expect.equal("W of the second run", W2, W1, why=why, inputs=inputs)
    expect.equal("loss_history of the second run", history2, history1, why=why, inputs=inputs)
    # Two independent draws of D*C normal values coincide with probability 0.
    W_other, _ = train_linear_classifier(X, y, num_iters=0, seed=seed + 1)
    W_this, _ = train_linear_classifier(X, y, num_iters=0, seed=seed)
    same = bool(np.all(W_other == W_this))
    expect.holds(f"(initial W with seed={seed + 1}) == (initial W with seed={seed})", same, not same,
                 "False: every random draw must come from the seed argument", inputs=inputs)


@prop(CONCEPT, I2DL_SGD, "With learning_rate = 0, W never moves, so each of the num_iters recorded losses is a minibatch mean at the returned W: finite, and between the smallest and the largest per-example loss there, plus reg * sum(W**2).")
@given(data=training_sets(magnitude=10.0), loss=losses(), reg=regs(), num_iters=st.integers(1, 6),
       batch_size=st.integers(1, 12), seed=seeds())
def test_recorded_losses_are_minibatch_means_at_W(train_linear_classifier, data, loss, reg, num_iters, batch_size,
                                                  seed):
    X, y = data
    W, history = train_linear_classifier(X, y, loss=loss, learning_rate=0.0, reg=reg, num_iters=num_iters,
                                         batch_size=batch_size, seed=seed)
    inputs = {"X": X, "y": y, "loss": loss, "learning_rate": 0.0, "reg": reg, "num_iters": num_iters,
              "batch_size": batch_size, "seed": seed, "returned W": W}
    expect.holds("loss_history", history, np.isfinite(history), "finite", inputs=inputs)
    each = per_example_losses(W, X, y, loss)
    penalty = reg * np.sum(W * W)
    tol = minibatch_loss_tolerance(X, W, reg, batch_size)
    low, high = each.min() + penalty, each.max() + penalty
    requirement = (f"in [{low:.10g}, {high:.10g}]: a mean of the per-example {loss} losses at W "
                   f"({np.array2string(each, precision=6)}) plus reg * sum(W**2) = {penalty:.3g}, "
                   "recorded before the update")
    expect.holds("loss_history", history, (history >= low - tol) & (history <= high + tol), requirement, inputs=inputs)


REDRAWS = 64


@prop(CONCEPT, CS231N_TRAIN, "Each iteration draws a new minibatch, with replacement: on two examples with different losses, batch_size = 2 and learning_rate = 0, the recorded losses vary, and some batch repeats one example (its loss is not the mean of the two).")
@given(data=zero_and_far_example_sets(), loss=losses(), reg=regs(), seed=seeds())
def test_minibatches_are_redrawn_with_replacement_at_every_iteration(train_linear_classifier, data, loss, reg, seed):
    X, y = data
    W, history = train_linear_classifier(X, y, loss=loss, learning_rate=0.0, reg=reg, num_iters=REDRAWS, batch_size=2,
                                         seed=seed)
    each = per_example_losses(W, X, y, loss) + reg * np.sum(W * W)
    tol = minibatch_loss_tolerance(X, W, reg, 2)
    # The two losses may coincide by chance (their difference is of size 0.1 at W = 0.001 * N(0, 1)): no test then.
    assume(abs(each[0] - each[1]) > 1e3 * tol)
    inputs = {"X": X, "y": y, "loss": loss, "learning_rate": 0.0, "reg": reg, "num_iters": REDRAWS, "batch_size": 2,
              "seed": seed, "per-example losses at W (regularization included)": each}
    # With replacement a batch is (0, 0) or (1, 1) with probability 1/4 each, else one of each. All 64 batches of one
    # kind: probability 2 (1/4)^64 + (1/2)^64 < 1e-19; none repeating an example: (1/2)^64 = 5e-20.
    spread = float(history.max() - history.min())
    expect.holds("max - min of loss_history", spread, spread > 2 * tol,
                 "above 0: each iteration draws a new minibatch (not the same one, not the whole data set)",
                 inputs=inputs)
    off_mean = np.abs(history - each.mean()) > 2 * tol
    expect.holds("the number of recorded losses that differ from the mean of the two", int(off_mean.sum()),
                 off_mean.any(), "at least 1: drawing with replacement, some of the 64 batches repeat one example",
                 inputs=inputs)


@prop(CONCEPT, GT_INIT, "The first recorded loss is taken at the initial W = 0.001 * N(0, 1), before any update, where all scores are nearly equal: about log C for softmax and C - 1 for the SVM (the W = 0 sanity check), whatever the learning rate.")
@given(data=training_sets(), loss=losses(), lr=st.floats(1.0, 10.0), reg=regs(), num_iters=st.integers(1, 3),
       batch_size=st.integers(1, 8), seed=seeds())
@example(data=(np.eye(10)[:4], np.array([3, 9, 0, 1])), loss="softmax", lr=1.0, reg=0.0, num_iters=1,
         batch_size=4, seed=0)  # 10 classes: log 10 = 2.3026, as on the slide
def test_first_recorded_loss_is_about_log_C_or_C_minus_1(train_linear_classifier, data, loss, lr, reg, num_iters,
                                                         batch_size, seed):
    X, y = data
    d, c = X.shape[1], int(y.max()) + 1
    _, history = train_linear_classifier(X, y, loss=loss, learning_rate=lr, reg=reg, num_iters=num_iters,
                                         batch_size=batch_size, seed=seed)
    # With |W0| <= INIT_BOUND, two scores of example i differ by at most spread = |x_i|_1 * 2 * INIT_BOUND (<= 0.064
    # for |x| <= 1, D <= 4). Softmax: L_i = log sum_l exp(s_l - s_y), each term in [e^-spread, e^spread], so
    # |L_i - log C| <= spread. SVM: every margin 1 + s_j - s_y is in [1 - spread, 1 + spread], all active, so L_i is
    # within (C - 1) spread of C - 1. The penalty adds [0, reg * D * C * INIT_BOUND^2].
    spread = 2 * INIT_BOUND * float(np.abs(X).sum(axis=1).max())
    target, slack = (np.log(c), spread) if loss == "softmax" else (c - 1.0, (c - 1) * spread)
    low, high = target - slack, target + slack + reg * d * c * INIT_BOUND**2
    tol = minibatch_loss_tolerance(X, np.full((d, c), INIT_BOUND), reg, batch_size)  # rounding, at |W0| <= INIT_BOUND
    name = "log C" if loss == "softmax" else "C - 1"
    expect.holds("loss_history[0]", history[0], low - tol <= history[0] <= high + tol,
                 f"within {slack:.3g} of {name} = {target:.6g} (C = {c}): the loss at the initial W, recorded before "
                 "its update", inputs={"X": X, "y": y, "loss": loss, "learning_rate": lr, "reg": reg,
                                       "num_iters": num_iters, "batch_size": batch_size, "seed": seed})


@prop(CONCEPT, CS231N_UPDATE, "Each iteration records the minibatch loss at W and then steps W -= learning_rate * dW: on copies of one example (every minibatch alike, any batch size) the history and the final W follow that recursion from the initial W, which the same call with learning_rate = 0 returns.")
@given(data=identical_example_sets(), loss=losses(), lr=st.floats(1e-3, 1e-2), reg=regs(), num_iters=st.integers(1, 4),
       batch_size=st.integers(1, 9), seed=seeds())
@example(data=(np.array([[1.0, -0.5]] * 2), np.array([2, 2])), loss="softmax", lr=1e-2, reg=0.0, num_iters=2,
         batch_size=5, seed=1)  # a batch larger than the data set: sampling is with replacement
@example(data=(np.array([[0.5, 1.0, -1.0]] * 3), np.array([1, 1, 1])), loss="svm", lr=1e-2, reg=0.5, num_iters=3,
         batch_size=2, seed=7)
def test_each_iteration_records_the_loss_then_steps_against_the_gradient(train_linear_classifier, data, loss, lr, reg,
                                                                         num_iters, batch_size, seed):
    X, y = data
    x, c = X[0], int(y[0])
    args = dict(loss=loss, reg=reg, num_iters=num_iters, batch_size=batch_size, seed=seed)
    W0, frozen = train_linear_classifier(X, y, learning_rate=0.0, **args)
    W, history = train_linear_classifier(X, y, learning_rate=lr, **args)
    inputs = {"X": X, "y": y, "learning_rate": lr, **args, "initial W (from learning_rate=0)": W0}
    # Steps of size <= 0.01 on |x| <= 1, D, C <= 4, T <= 4 move a margin s_j - s_y by at most lr C |x|^2 <= 0.16 a
    # step: the SVM's margins stay in (0.29, 1.71), away from its kink at 0, and the path is unique.
    expected, path = sgd_on_one_example(W0, x, c, loss, lr, reg, num_iters)
    w_tol = sgd_path_tolerance(path, x, lr, reg, batch_size)
    expect.close("loss_history with learning_rate=0", frozen, np.full(num_iters, expected[0]),
                 atol=minibatch_loss_tolerance(X, W0, reg, batch_size),
                 why="W stays at its initial value, and every minibatch of identical examples has the same loss",
                 inputs=inputs)
    # The loss at the step's W, plus the change an error in W makes: |dL/dW| <= G per entry, D*C entries.
    g_max = float(np.abs(x).max()) * max(1, c) + 2 * reg * max(float(np.abs(P).max()) for P in path)
    loss_tol = max(minibatch_loss_tolerance(X, P, reg, batch_size) for P in path) + W0.size * g_max * w_tol
    expect.close("loss_history", history, expected, atol=loss_tol,
                 why="loss_history[t] is the loss at W_t, before the update W_t+1 = W_t - learning_rate * dW(W_t)",
                 inputs=inputs)
    expect.close("W", W, path[-1], atol=w_tol,
                 why=f"{num_iters} steps W -= learning_rate * dW from the initial W", inputs=inputs)


@prop(CONCEPT, I2DL_SGD, "On linearly separable data (each class along its own direction) 100 SGD steps, softmax or SVM, classify every training example correctly (measured with predict_linear), and the losses of the last tenth average below the first.")
@given(data=separable_sets(), loss=losses(), batch_size=st.integers(8, 32), seed=seeds())
def test_training_fits_linearly_separable_data(train_linear_classifier, predict_linear, data, loss, batch_size, seed):
    X, y = data
    W, history = train_linear_classifier(X, y, loss=loss, learning_rate=SEPARABLE_LEARNING_RATE, reg=0.0,
                                         num_iters=SEPARABLE_STEPS, batch_size=batch_size, seed=seed)
    inputs = {"X": X, "y": y, "loss": loss, "learning_rate": SEPARABLE_LEARNING_RATE, "reg": 0.0,
              "num_iters": SEPARABLE_STEPS, "batch_size": batch_size, "seed": seed, "trained W": W}
    predicted = predict_linear(W, X)
    by_argmax = np.argmax(X @ W, axis=1)
    expect.equal("predict_linear(W, X)", predicted, y,
                 why=f"the trained classifier should fit separable training data; argmax(X @ W) gets "
                     f"{int((by_argmax == y).sum())} of {len(y)} right", inputs=inputs)
    first, last = float(history[0]), float(np.mean(history[-SEPARABLE_STEPS // 10:]))
    expect.holds(f"mean of the last {SEPARABLE_STEPS // 10} recorded losses", last, last < first,
                 f"below the first recorded loss {first:.6g}: training should lower the loss", inputs=inputs)


LECTURE_IMAGE = np.array([[56.0, 231.0, 24.0, 2.0, 1.0]])  # the cat image, with the bias trick's 1
LECTURE_W = np.array([[0.2, 1.5, 0.0], [-0.5, 1.3, 0.25], [0.1, 2.1, 0.2], [2.0, 0.0, -0.3], [1.1, 3.2, -1.2]])
# Scores (by hand): cat 11.2 - 115.5 + 2.4 + 4.0 + 1.1 = -96.8, dog 84 + 300.3 + 50.4 + 0 + 3.2 = 437.9,
# ship 0 + 57.75 + 4.8 - 0.6 - 1.2 = 60.75 (the slide's 61.95 leaves out the bias): the classifier says dog (1).


@prop(CONCEPT, GT_SCORES, "predict_linear returns, for each example, the index of its highest score in X @ W: integer labels of shape (N,) (the lecture's cat image gets 'dog', 437.9 beating -96.8 and 60.75).")
@given(case=tie_free_predictions())
@example(case=(LECTURE_W, LECTURE_IMAGE))
def test_prediction_is_the_class_with_the_highest_score(predict_linear, case):
    W, X = case
    predicted = predict_linear(W, X)
    # Without ties (the strategy's scores differ by >= 1/8, the lecture's by > 300) the argmax is unique.
    expected = np.argmax(X @ W, axis=1)
    expect.equal("y_pred", predicted, expected, why="argmax over classes of the scores X @ W, row by row",
                 inputs={"W": W, "X": X, "X @ W": X @ W})


# Shared by the mutants and alternatives below (they may not import impl/): the vectorized losses on weights.


def _softmax_loss(W, X, y, reg):
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    loss = -np.log(p[rows, y]).mean() + reg * np.sum(W * W)
    p[rows, y] -= 1.0
    return loss, X.T @ p / len(y) + 2 * reg * W


def _svm_loss(W, X, y, reg):
    s = X @ W
    rows = np.arange(len(y))
    margins = np.maximum(0.0, s - s[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    active = (margins > 0).astype(np.float64)
    active[rows, y] = -active.sum(axis=1)
    return margins.sum() / len(y) + reg * np.sum(W * W), X.T @ active / len(y) + 2 * reg * W


def _loss_function(loss):
    return _softmax_loss if loss == "softmax" else _svm_loss


def _sgd(X, y, loss, learning_rate, reg, num_iters, batch_size, rng, W):
    """The correct loop, from a given generator and initial W."""
    history = []
    for _ in range(num_iters):
        batch = rng.choice(len(X), batch_size, replace=True)
        value, dW = _loss_function(loss)(W, X[batch], y[batch], reg)
        history.append(value)
        W = W - learning_rate * dW
    return W, np.array(history, dtype=np.float64)


def _start(X, y, seed):
    rng = np.random.default_rng(seed)
    return rng, 0.001 * rng.standard_normal((X.shape[1], int(y.max()) + 1))


# Mutants: training as students get it wrong.


@mutant(of="train_linear_classifier", kills=[test_each_iteration_records_the_loss_then_steps_against_the_gradient, test_training_fits_linearly_separable_data])
def train_by_gradient_ascent(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, seed=0):
    """W += learning_rate * dW: climbs the loss instead of descending it."""
    rng, W = _start(X, y, seed)
    return _sgd(X, y, loss, -learning_rate, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_each_iteration_records_the_loss_then_steps_against_the_gradient, test_training_fits_linearly_separable_data])
def train_without_updating_W(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, seed=0):
    """Computes and records each minibatch loss but never applies the update (W_new computed, W kept)."""
    rng, W = _start(X, y, seed)
    history = []
    for _ in range(num_iters):
        batch = rng.choice(len(X), batch_size)
        value, dW = _loss_function(loss)(W, X[batch], y[batch], reg)
        history.append(value)
        W_new = W - learning_rate * dW  # noqa: F841 (never assigned back)
    return W, np.array(history)


@mutant(of="train_linear_classifier", kills=[test_recorded_losses_are_minibatch_means_at_W, test_first_recorded_loss_is_about_log_C_or_C_minus_1, test_each_iteration_records_the_loss_then_steps_against_the_gradient])
def train_always_with_svm_loss(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                               seed=0):
    """Ignores the loss argument: always the SVM loss (the loss function hard-wired from the SVM notebook)."""
    rng, W = _start(X, y, seed)
    return _sgd(X, y, "svm", learning_rate, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_first_recorded_loss_is_about_log_C_or_C_minus_1, test_each_iteration_records_the_loss_then_steps_against_the_gradient])
def train_recording_the_loss_after_the_update(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100,
                                              batch_size=200, seed=0):
    """Updates W first, then records the minibatch loss of the updated W."""
    rng, W = _start(X, y, seed)
    history = []
    for _ in range(num_iters):
        batch = rng.choice(len(X), batch_size)
        _, dW = _loss_function(loss)(W, X[batch], y[batch], reg)
        W = W - learning_rate * dW
        history.append(_loss_function(loss)(W, X[batch], y[batch], reg)[0])
    return W, np.array(history)


@mutant(of="train_linear_classifier", kills=[test_initial_weights_are_small_gaussian_values_for_max_label_plus_one_classes])
def train_with_classes_counted_by_unique_labels(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100,
                                                batch_size=200, seed=0):
    """C = len(np.unique(y)): one class short when a label below the largest is absent (y = [0, 2] has C = 3)."""
    rng = np.random.default_rng(seed)
    W = 0.001 * rng.standard_normal((X.shape[1], len(np.unique(y))))
    return _sgd(X, y, loss, learning_rate, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_initial_weights_are_small_gaussian_values_for_max_label_plus_one_classes])
def train_from_zero_weights(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, seed=0):
    """W = np.zeros((D, C)) instead of 0.001 * randn: not the contract's start."""
    rng = np.random.default_rng(seed)
    return _sgd(X, y, loss, learning_rate, reg, num_iters, batch_size, rng, np.zeros((X.shape[1], int(y.max()) + 1)))


@mutant(of="train_linear_classifier", kills=[test_initial_weights_are_small_gaussian_values_for_max_label_plus_one_classes, test_first_recorded_loss_is_about_log_C_or_C_minus_1])
def train_from_unscaled_randn(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                              seed=0):
    """W = randn(D, C), forgetting the factor 0.001: the initial scores are far from equal."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((X.shape[1], int(y.max()) + 1))
    return _sgd(X, y, loss, learning_rate, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_initial_weights_are_small_gaussian_values_for_max_label_plus_one_classes])
def train_appending_the_bias_column_itself(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100,
                                           batch_size=200, seed=0):
    """Appends the column of ones inside train (the caller does the bias trick): W comes back (D + 1, C)."""
    X = np.hstack([X, np.ones((len(X), 1))])
    rng, W = _start(X, y, seed)
    return _sgd(X, y, loss, learning_rate, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_training_is_reproducible_from_its_seed])
def train_with_an_unseeded_generator(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                                     seed=0):
    """np.random.default_rng() without the seed: every run differs."""
    rng = np.random.default_rng()
    W = 0.001 * rng.standard_normal((X.shape[1], int(y.max()) + 1))
    return _sgd(X, y, loss, learning_rate, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_training_is_reproducible_from_its_seed])
def train_with_a_hard_coded_seed(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                                 seed=0):
    """np.random.default_rng(0) whatever the seed argument: every seed gives the same run."""
    rng, W = _start(X, y, 0)
    return _sgd(X, y, loss, learning_rate, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_each_iteration_records_the_loss_then_steps_against_the_gradient, test_minibatches_are_redrawn_with_replacement_at_every_iteration])
def train_sampling_without_replacement(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100,
                                       batch_size=200, seed=0):
    """rng.choice(N, batch_size, replace=False): no example twice in a batch, and an error when batch_size > N."""
    rng, W = _start(X, y, seed)
    history = []
    for _ in range(num_iters):
        batch = rng.choice(len(X), batch_size, replace=False)
        value, dW = _loss_function(loss)(W, X[batch], y[batch], reg)
        history.append(value)
        W = W - learning_rate * dW
    return W, np.array(history)


@mutant(of="train_linear_classifier", kills=[test_each_iteration_records_the_loss_then_steps_against_the_gradient])
def train_ignoring_the_learning_rate(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                                     seed=0):
    """W -= dW: the learning rate is never applied."""
    rng, W = _start(X, y, seed)
    return _sgd(X, y, loss, 1.0, reg, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_recorded_losses_are_minibatch_means_at_W, test_each_iteration_records_the_loss_then_steps_against_the_gradient])
def train_without_regularization(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                                 seed=0):
    """Calls the loss with reg = 0: neither the recorded losses nor the steps include the regularization."""
    rng, W = _start(X, y, seed)
    return _sgd(X, y, loss, learning_rate, 0.0, num_iters, batch_size, rng, W)


@mutant(of="train_linear_classifier", kills=[test_recorded_losses_are_minibatch_means_at_W, test_first_recorded_loss_is_about_log_C_or_C_minus_1])
def train_never_filling_the_history(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                                    seed=0):
    """loss_history = np.zeros(num_iters) allocated, but the loss is kept in a local variable and never stored."""
    rng, W = _start(X, y, seed)
    loss_history = np.zeros(num_iters)
    for _ in range(num_iters):
        batch = rng.choice(len(X), batch_size)
        value, dW = _loss_function(loss)(W, X[batch], y[batch], reg)  # noqa: F841 (value never stored)
        W = W - learning_rate * dW
    return W, loss_history


@mutant(of="train_linear_classifier", kills=[test_minibatches_are_redrawn_with_replacement_at_every_iteration])
def train_on_the_whole_data_set(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                                seed=0):
    """Full-batch gradient descent: batch_size is ignored and every step uses all N examples."""
    rng, W = _start(X, y, seed)
    history = []
    for _ in range(num_iters):
        value, dW = _loss_function(loss)(W, X, y, reg)
        history.append(value)
        W = W - learning_rate * dW
    return W, np.array(history)


@mutant(of="train_linear_classifier", kills=[test_minibatches_are_redrawn_with_replacement_at_every_iteration])
def train_on_shuffled_batches_without_replacement(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100,
                                                  batch_size=200, seed=0):
    """rng.permutation(N)[:batch_size] each step: no example twice in a batch (only N when batch_size > N)."""
    rng, W = _start(X, y, seed)
    history = []
    for _ in range(num_iters):
        batch = rng.permutation(len(X))[:batch_size]
        value, dW = _loss_function(loss)(W, X[batch], y[batch], reg)
        history.append(value)
        W = W - learning_rate * dW
    return W, np.array(history)


@mutant(of="train_linear_classifier", kills=[test_minibatches_are_redrawn_with_replacement_at_every_iteration, test_training_fits_linearly_separable_data])
def train_on_one_minibatch_drawn_before_the_loop(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100,
                                                 batch_size=200, seed=0):
    """Draws the minibatch once, before the loop: every step sees the same examples (a class it misses is never
    learned)."""
    rng, W = _start(X, y, seed)
    batch = rng.choice(len(X), batch_size)
    history = []
    for _ in range(num_iters):
        value, dW = _loss_function(loss)(W, X[batch], y[batch], reg)
        history.append(value)
        W = W - learning_rate * dW
    return W, np.array(history)


# Mutants: prediction as students get it wrong.


@mutant(of="predict_linear", kills=[test_prediction_is_the_class_with_the_highest_score, test_training_fits_linearly_separable_data])
def predict_with_argmin(W, X):
    """np.argmin: the class with the lowest score."""
    return np.argmin(X @ W, axis=1)


@mutant(of="predict_linear", kills=[test_prediction_is_the_class_with_the_highest_score])
def predict_with_W_transposed(W, X):
    """X @ W.T, the lecture's (C, D) layout of W applied to the contract's (D, C) W."""
    return np.argmax(X @ W.T, axis=1)


@mutant(of="predict_linear", kills=[test_prediction_is_the_class_with_the_highest_score])
def predict_in_the_lecture_layout_over_the_wrong_axis(W, X):
    """Scores as the lecture's columns, W.T @ X.T of shape (C, N), then argmax over axis 1 (over examples)."""
    return np.argmax(W.T @ X.T, axis=1)


@mutant(of="predict_linear", kills=[test_prediction_is_the_class_with_the_highest_score])
def predict_returning_the_highest_score(W, X):
    """np.max instead of np.argmax: the best score, not its class."""
    return np.max(X @ W, axis=1)


@mutant(of="predict_linear", kills=[test_prediction_is_the_class_with_the_highest_score])
def predict_returning_float_labels(W, X):
    """y_pred = np.zeros(N) filled with the argmax: float labels (0.0, 1.0, ...) instead of integers."""
    y_pred = np.zeros(X.shape[0])
    y_pred[:] = np.argmax(X @ W, axis=1)
    return y_pred


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="train_linear_classifier")
def train_cs231n_style(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, seed=0):
    """CS231n's LinearClassifier.train: the global np.random seeded with np.random.seed, np.random.choice batches,
    W -= in place, and the history as a Python list of floats."""
    np.random.seed(seed)
    num_train, dim = X.shape
    num_classes = np.max(y) + 1
    W = 0.001 * np.random.randn(dim, num_classes)
    loss_history = []
    for _ in range(num_iters):
        idx = np.random.choice(num_train, batch_size, replace=True)
        value, grad = _loss_function(loss)(W, X[idx], y[idx], reg)
        loss_history.append(float(value))
        W -= learning_rate * grad
    return W, loss_history


@alternative(of="train_linear_classifier")
def train_with_batches_drawn_up_front(X, y, loss="softmax", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
                                      seed=0):
    """All minibatch indices drawn first with rng.integers, then W with rng.normal(0, 0.001); losses by log-sum-exp
    and a one-hot matrix; the history preallocated."""
    rng = np.random.default_rng(seed)
    batches = rng.integers(0, X.shape[0], size=(num_iters, batch_size))
    W = rng.normal(0.0, 0.001, size=(X.shape[1], y.max() + 1))
    history = np.zeros(num_iters)
    for t, idx in enumerate(batches):
        Xb, yb = X[idx], y[idx]
        s = Xb @ W
        onehot = np.eye(W.shape[1])[yb]
        if loss == "softmax":
            lse = scipy.special.logsumexp(s, axis=1, keepdims=True)
            history[t] = np.mean(lse[:, 0] - (s * onehot).sum(axis=1)) + reg * (W**2).sum()
            dscores = np.exp(s - lse) - onehot
        else:
            margins = np.maximum(0.0, s - (s * onehot).sum(axis=1, keepdims=True) + 1.0) * (1 - onehot)
            history[t] = margins.sum(axis=1).mean() + reg * (W**2).sum()
            positive = (margins > 0) * 1.0
            dscores = positive - onehot * positive.sum(axis=1, keepdims=True)
        W = W - learning_rate * (Xb.T @ dscores / len(yb) + 2 * reg * W)
    return W, history


@alternative(of="predict_linear")
def predict_with_loops(W, X):
    """One example and one class at a time, keeping the first best score."""
    y_pred = np.zeros(X.shape[0], dtype=np.int64)
    for i in range(X.shape[0]):
        best, best_score = 0, None
        for j in range(W.shape[1]):
            score = sum(X[i, d] * W[d, j] for d in range(X.shape[1]))
            if best_score is None or score > best_score:
                best, best_score = j, score
        y_pred[i] = best
    return y_pred


@alternative(of="predict_linear")
def predict_in_the_lecture_layout(W, X):
    """The lecture's column layout: scores W^T x as a (C, N) matrix, argmax over classes (axis 0), as int32."""
    return np.argmax(W.T.dot(X.T), axis=0).astype(np.int32)
