"""Splitting data for model selection (contract: spec/contract/splits.py): a train / validation / test split by
fractions, the folds of k-fold cross-validation, and the cross-validated score of a model-fitting function."""

import math

import numpy as np

from impl import _validate


def _fractions(fractions):
    if isinstance(fractions, np.ndarray):
        fractions = fractions.tolist()
    if not isinstance(fractions, (tuple, list)) or len(fractions) != 3:
        raise ValueError(f"fractions must be a tuple (f_train, f_val, f_test) of 3 numbers, got {fractions!r}")
    names = ("f_train", "f_val", "f_test")
    values = [_validate.real_number(f"fractions' {name}", f, minimum=0) for name, f in zip(names, fractions)]
    if abs(math.fsum(values) - 1.0) > 1e-9:
        raise ValueError(f"fractions must sum to 1, got {tuple(values)} (sum {math.fsum(values)!r})")
    return values


def train_val_test_split(n, fractions=(0.6, 0.2, 0.2), seed=None):
    n = _validate.count("n", n, 1)
    _, f_val, f_test = _fractions(fractions)
    # Validation and test sets rounded to the nearest whole number, the training set takes the rest: each part is
    # within one sample of its share. Only when f_train * n < 1 may both roundings go up past the rest (0, .5, .5 of
    # 3 gives 2 + 2); then the part rounded up the most gives one sample back.
    n_val, n_test = round(f_val * n), round(f_test * n)
    if n_val + n_test > n:
        if n_val - f_val * n >= n_test - f_test * n:
            n_val -= 1
        else:
            n_test -= 1
    order = np.random.default_rng(seed).permutation(n)
    n_train = n - n_val - n_test
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


def kfold_indices(n, k=5, seed=None):
    n = _validate.count("n", n, 1)
    k = _validate.count("k", k, 2)
    if k > n:
        raise ValueError(f"k must be <= n = {n} (each fold needs a sample), got {k}")
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    # Fold i is order[bounds[i]:bounds[i + 1]]: the first n % k folds one longer (np.array_split's sizes).
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    folds = []
    for i in range(k):
        val = order[bounds[i]:bounds[i + 1]]
        train = np.concatenate([order[:bounds[i]], order[bounds[i + 1]:]])
        folds.append((train, val))
    return folds


def _score(value):
    if np.ndim(value) != 0:
        raise ValueError(f"train_and_score must return a number, got an array of shape {np.shape(value)}")
    try:
        return float(np.asarray(value)[()])
    except (TypeError, ValueError):
        raise ValueError(f"train_and_score must return a number, got {type(value).__name__}") from None


def cross_val_score(train_and_score, X, y, k=5, seed=None):
    if not callable(train_and_score):
        raise ValueError(f"train_and_score must be a function (X_train, y_train, X_val, y_val) -> score, "  # noqa: TRY004 (the contract's ValueError)
                         f"got {type(train_and_score).__name__}")
    X = np.asarray(X)
    if X.ndim < 2:
        raise ValueError(f"X must have shape (N, d1, ..., dk), at least 2 dimensions, got shape {X.shape}")
    y = _validate.labels(y, X.shape[0], against=f"X of shape {X.shape}")
    folds = kfold_indices(X.shape[0], k, seed)
    scores = np.array([_score(train_and_score(X[train], y[train], X[val], y[val])) for train, val in folds])
    return float(scores.mean()), scores
