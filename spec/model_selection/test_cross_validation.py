"""cross_val_score(train_and_score, X, y, k, seed) -> (mean, scores): scores[i] = train_and_score(X[train_i],
y[train_i], X[val_i], y[val_i]) for the i-th pair of kfold_indices(N, k, seed), mean = scores.mean().

The properties pass a recording train_and_score (Recorder below) on data whose rows carry their own index (the first
entry of each sample), so every call can be traced back to the samples it received, whatever their order.
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.model_selection.common import (
    GT_KFOLD,
    I2DL_KFOLD,
    U,
    contract_folds,
    fold_problems,
    seeds,
)
from spec.property import alternative, mutant, prop

KFOLD = "k-fold cross-validation"


class Recorder:
    """train_and_score(X_train, y_train, X_val, y_val) -> a score drawn from its own generator (a new one at each
    call), keeping copies of what it was given: ``calls`` is a list of (X_train, y_train, X_val, y_val, score)."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.calls: list = []

    def __call__(self, X_train, y_train, X_val, y_val):
        score = float(self.rng.uniform(-1.0, 1.0))
        self.calls.append((np.array(X_train), np.array(y_train), np.array(X_val), np.array(y_val), score))
        return score

    def __repr__(self):
        return "a recording train_and_score returning a random score per call"


@st.composite
def labelled_data(draw):
    """(X, y, k, seed, score_seed): X of shape (N, d) or (N, d1, d2) whose first entry of row i is i (the rest from a
    drawn seed), labels y in [0, 3), a fold problem (N, k, seed) and the recorder's seed."""
    n, k, seed = draw(fold_problems(max_n=20, max_k=6))
    rng = np.random.default_rng(draw(seeds()))
    shape = draw(st.sampled_from([(n, 2), (n, 3), (n, 2, 2)]))
    X = rng.standard_normal(shape)
    X.reshape(n, -1)[:, 0] = np.arange(n)
    return X, rng.integers(0, 3, n), k, seed, draw(seeds())


def ids_of(X_part) -> np.ndarray:
    """The sample indices of the rows the implementation passed (the first entry of each row)."""
    X_part = np.asarray(X_part)
    return X_part.reshape(X_part.shape[0], -1)[:, 0].astype(np.int64) if X_part.shape[0] else np.array([], np.int64)


def inputs_of(X, y, k, seed) -> dict:
    return {"X": X, "y": y, "k": k, "seed": seed}


EXAMPLE = (np.column_stack([np.arange(7.0), np.linspace(-1, 1, 7)]), np.array([0, 1, 2, 0, 1, 2, 0]), 3, None, 0)


@prop(KFOLD, GT_KFOLD, "cross_val_score calls train_and_score once per fold, on exactly X[train_i], y[train_i], X[val_i], y[val_i] of kfold_indices(N, k, seed), and scores[i] is what the call on fold i returned.")
@given(data=labelled_data())
@example(data=EXAMPLE)
@example(data=(*EXAMPLE[:3], 5, 0))
def test_cross_val_score_trains_and_scores_on_each_fold(cross_val_score, data):
    X, y, k, seed, score_seed = data
    n = len(y)
    inputs = inputs_of(X, y, k, seed)
    recorder = Recorder(score_seed)
    _, scores = cross_val_score(recorder, X, y, k, seed)
    folds = contract_folds(n, k, seed)
    if len(recorder.calls) != k:
        expect.fail(f"cross_val_score called train_and_score {len(recorder.calls)} times, but should call it once per "
                    f"fold, k = {k} times", inputs)
    by_fold = {}
    for X_train, y_train, X_val, y_val, score in recorder.calls:
        train, val = ids_of(X_train), ids_of(X_val)
        i = next((i for i, f in enumerate(folds) if f.shape == val.shape and np.array_equal(np.sort(val), f)), None)
        if i is None:
            expect.fail(f"cross_val_score called train_and_score with validation samples {np.sort(val).tolist()}, "
                        f"which is none of the validation folds {[f.tolist() for f in folds]} of "
                        f"kfold_indices({n}, {k}, seed={seed})", inputs)
        if i in by_fold:
            expect.fail(f"cross_val_score trained and scored on validation fold {i} twice", inputs)
        rest = np.setdiff1d(np.arange(n), folds[i])
        if train.shape != rest.shape or not np.array_equal(np.sort(train), rest):
            expect.fail(f"cross_val_score trained with validation fold {i} on samples {np.sort(train).tolist()}, but "
                        f"should train on the other k - 1 folds, {rest.tolist()}", inputs)
        for name, got, ids, source in [("X_train", X_train, train, X), ("X_val", X_val, val, X),
                                       ("y_train", y_train, train, y), ("y_val", y_val, val, y)]:
            if got.shape != source[ids].shape or not np.array_equal(got, source[ids]):
                expect.fail(f"cross_val_score passed as {name} of fold {i} something else than the rows "
                            f"{ids.tolist()} of {name[0]} (the samples of that part, X and y indexed alike)", inputs)
        by_fold[i] = score
    expected = np.array([by_fold[i] for i in range(k)])
    expect.equal("scores of cross_val_score", scores, expected,
                 why="scores[i]: what train_and_score returned for the i-th pair of kfold_indices", inputs=inputs)


@prop(KFOLD, I2DL_KFOLD, "cross_val_score's mean is the average of its k fold scores.")
@given(data=labelled_data())
@example(data=EXAMPLE)
def test_cross_val_score_averages_the_fold_scores(cross_val_score, data):
    X, y, k, seed, score_seed = data
    recorder = Recorder(score_seed)
    mean, _ = cross_val_score(recorder, X, y, k, seed)
    returned = np.array([call[-1] for call in recorder.calls])
    # The k scores (in [-1, 1]) averaged in any order: a sum of k terms is within (k - 1) U sum|s| of the exact sum,
    # the division by k one rounding more, so each correct mean is within k U mean|s| of the exact mean; two of them
    # (the implementation's and np.mean's) within 2 k U mean|s|.
    expect.close("mean of cross_val_score", mean, np.mean(returned), atol=2 * k * U * np.mean(np.abs(returned)),
                 why=f"the average of the {len(returned)} scores train_and_score returned, {expect.fmt(returned)}",
                 inputs=inputs_of(X, y, k, seed))


# Mutants.


def _blocks(n, k, seed):
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    blocks = np.array_split(order, k)
    return [(np.concatenate(blocks[:i] + blocks[i + 1:]), val) for i, val in enumerate(blocks)]


@mutant(of="cross_val_score", kills=[test_cross_val_score_trains_and_scores_on_each_fold])
def cross_val_score_training_on_the_validation_fold(train_and_score, X, y, k=5, seed=None):
    """Arguments swapped: trains on the one fold and scores on the other k - 1."""
    scores = np.array([train_and_score(X[val], y[val], X[train], y[train]) for train, val in _blocks(len(X), k, seed)])
    return float(scores.mean()), scores


@mutant(of="cross_val_score", kills=[test_cross_val_score_trains_and_scores_on_each_fold])
def cross_val_score_ignoring_its_seed(train_and_score, X, y, k=5, seed=None):
    """kfold_indices(N, k) without the seed: consecutive folds even when a shuffle was asked for."""
    scores = np.array([train_and_score(X[t], y[t], X[v], y[v]) for t, v in _blocks(len(X), k, None)])
    return float(scores.mean()), scores


@mutant(of="cross_val_score", kills=[test_cross_val_score_trains_and_scores_on_each_fold])
def cross_val_score_with_labels_of_the_wrong_part(train_and_score, X, y, k=5, seed=None):
    """y indexed by position in the shuffled order instead of by the same indices as X."""
    scores = []
    for train, val in _blocks(len(X), k, seed):
        scores.append(train_and_score(X[train], y[:len(train)], X[val], y[len(train):]))
    scores = np.array(scores)
    return float(scores.mean()), scores


@mutant(of="cross_val_score", kills=[test_cross_val_score_averages_the_fold_scores])
def cross_val_score_dividing_by_n(train_and_score, X, y, k=5, seed=None):
    """mean = sum(scores) / N: divided by the number of samples instead of the number of folds."""
    scores = np.array([train_and_score(X[t], y[t], X[v], y[v]) for t, v in _blocks(len(X), k, seed)])
    return float(scores.sum() / len(X)), scores


@mutant(of="cross_val_score", kills=[test_cross_val_score_averages_the_fold_scores])
def cross_val_score_returning_the_last_fold(train_and_score, X, y, k=5, seed=None):
    """The score of the last fold as the mean: the loop's variable instead of the average."""
    scores = np.array([train_and_score(X[t], y[t], X[v], y[v]) for t, v in _blocks(len(X), k, seed)])
    return float(scores[-1]), scores


# Correct alternatives.


@alternative(of="cross_val_score")
def cross_val_score_with_a_loop_and_masks(train_and_score, X, y, k=5, seed=None):
    """The folds computed inline (start = i * (N // k) + min(i, N % k)), the training set by a boolean mask, the mean
    by a running sum over k."""
    n = len(X)
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    scores = np.zeros(k)
    total = 0.0
    for i in range(k):
        start = i * (n // k) + min(i, n % k)
        val = order[start:start + n // k + (1 if i < n % k else 0)]
        mask = np.ones(n, dtype=bool)
        mask[val] = False
        scores[i] = train_and_score(X[mask], y[mask], X[val], y[val])
        total += scores[i]
    return total / k, scores


@alternative(of="cross_val_score")
def cross_val_score_scoring_the_folds_in_reverse(train_and_score, X, y, k=5, seed=None):
    """The folds visited last to first (each score stored at its fold's place), the mean by np.mean."""
    folds = _blocks(len(X), k, seed)
    scores = np.empty(k)
    for i in reversed(range(k)):
        train, val = folds[i]
        scores[i] = train_and_score(X[train], y[train], X[val], y[val])
    return float(np.mean(scores)), scores
