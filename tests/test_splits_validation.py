"""The reference impl/splits.py rejects malformed input with a ValueError that names the argument and what it should
be, and keeps the contract's conventions at the edges (a rest that would be negative, k = n, X of rank 3)."""

import numpy as np
import pytest

from impl import splits


def test_train_val_test_split_checks_its_arguments():
    with pytest.raises(ValueError, match=r"n must be an integer >= 1, got 0"):
        splits.train_val_test_split(0)
    with pytest.raises(ValueError, match=r"n must be an integer >= 1, got 10.0"):
        splits.train_val_test_split(10.0)
    with pytest.raises(ValueError, match=r"fractions must be a tuple \(f_train, f_val, f_test\) of 3 numbers"):
        splits.train_val_test_split(10, (0.5, 0.5))
    with pytest.raises(ValueError, match=r"fractions' f_val must be >= 0, got -0.1"):
        splits.train_val_test_split(10, (0.7, -0.1, 0.4))
    with pytest.raises(ValueError, match=r"fractions must sum to 1, got \(0.6, 0.2, 0.1\)"):
        splits.train_val_test_split(10, (0.6, 0.2, 0.1))
    with pytest.raises(ValueError, match=r"fractions' f_test must be a finite number, got nan"):
        splits.train_val_test_split(10, (0.6, 0.2, float("nan")))


def test_train_val_test_split_keeps_every_part_within_one_sample_even_when_both_others_round_up():
    train, val, test = splits.train_val_test_split(3, (0.0, 0.5, 0.5), seed=0)  # shares 0, 1.5, 1.5
    assert sorted(map(len, (train, val, test))) == [0, 1, 2]
    assert np.array_equal(np.sort(np.concatenate([train, val, test])), np.arange(3))
    sizes = [len(p) for p in splits.train_val_test_split(9, seed=4)]
    assert sizes == [5, 2, 2]  # 60/20/20 of 9: val and test round(1.8) = 2, the rest 5 for a share of 5.4
    a = splits.train_val_test_split(50, (0.8, 0.1, 0.1), seed=3)
    b = splits.train_val_test_split(50, np.array([0.8, 0.1, 0.1]), seed=3)
    assert all(np.array_equal(x, y) for x, y in zip(a, b)) and all(p.dtype.kind == "i" for p in a)


def test_kfold_indices_checks_its_arguments():
    with pytest.raises(ValueError, match=r"k must be an integer >= 2, got 1"):
        splits.kfold_indices(5, 1)
    with pytest.raises(ValueError, match=r"k must be <= n = 3 \(each fold needs a sample\), got 4"):
        splits.kfold_indices(3, 4)
    with pytest.raises(ValueError, match=r"n must be an integer >= 1, got -2"):
        splits.kfold_indices(-2, 2)
    folds = splits.kfold_indices(4, 4)  # k = n: leave-one-out
    assert [v.tolist() for _, v in folds] == [[0], [1], [2], [3]]
    assert [t.tolist() for t, _ in folds][1] == [0, 2, 3]


def test_cross_val_score_checks_its_arguments():
    X, y = np.zeros((6, 2)), np.zeros(6, dtype=int)
    with pytest.raises(ValueError, match=r"train_and_score must be a function"):
        splits.cross_val_score(None, X, y, 3)
    with pytest.raises(ValueError, match=r"X must have shape \(N, d1, ..., dk\), at least 2 dimensions, got shape \(6,\)"):
        splits.cross_val_score(lambda *a: 0.0, np.zeros(6), y, 3)
    with pytest.raises(ValueError, match=r"labels y must have shape \(N,\) = \(6,\) to match X of shape \(6, 2\), got \(5,\)"):
        splits.cross_val_score(lambda *a: 0.0, X, y[:5], 3)
    with pytest.raises(ValueError, match=r"train_and_score must return a number, got an array of shape \(2,\)"):
        splits.cross_val_score(lambda *a: np.zeros(2), X, y, 3)
    with pytest.raises(ValueError, match=r"k must be <= n = 6"):
        splits.cross_val_score(lambda *a: 0.0, X, y, 7)
    mean, scores = splits.cross_val_score(lambda Xt, yt, Xv, yv: float(len(Xv)), np.zeros((7, 2, 2)),
                                          np.zeros(7, dtype=int), 3)
    assert scores.tolist() == [3.0, 2.0, 2.0] and mean == pytest.approx(7 / 3)
