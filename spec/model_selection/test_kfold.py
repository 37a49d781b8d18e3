"""kfold_indices(n, k, seed) -> [(train_0, val_0), ..., (train_{k-1}, val_{k-1})]: k folds whose sizes differ by at
most one (the first n % k one longer, as np.array_split), each once the validation set and the other k - 1 the
training set; consecutive blocks without a seed, blocks of np.random.default_rng(seed).permutation(n) with one.

Within a part the order of the indices is free: the properties compare sorted index arrays, exactly (integers).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given

from spec import expect
from spec.model_selection.common import (
    GT_KFOLD,
    I2DL_KFOLD,
    contract_folds,
    fold_problems,
    sorted_ids,
)
from spec.property import alternative, mutant, prop

KFOLD = "k-fold cross-validation"


def inputs_of(n, k, seed) -> dict:
    return {"n": n, "k": k, "seed": seed}


@prop(KFOLD, GT_KFOLD, "Every index 0, ..., n - 1 is in exactly one of kfold_indices's k validation folds.")
@given(problem=fold_problems())
@example(problem=(7, 3, None))
@example(problem=(10, 5, 0))
def test_every_index_is_validated_in_exactly_one_fold(kfold_indices, problem):
    n, k, seed = problem
    folds = kfold_indices(n, k, seed)
    vals = np.concatenate([np.asarray(val).astype(np.int64) for _, val in folds])
    ids, counts = np.unique(vals, return_counts=True)
    seen = np.zeros(n, dtype=np.int64)
    inside = (ids >= 0) & (ids < n)
    seen[ids[inside]] = counts[inside]
    expect.holds("the number of validation folds holding index", seen, seen == 1,
                 f"1 (each index validated once; validation folds {[sorted_ids(v).tolist() for _, v in folds]})",
                 inputs=inputs_of(n, k, seed))
    if not inside.all():
        expect.fail(f"kfold_indices's validation folds hold indices outside range({n}): {ids[~inside].tolist()}",
                    inputs_of(n, k, seed))


@prop(KFOLD, I2DL_KFOLD, "In each pair (train, val) of kfold_indices the training and validation sets are disjoint and together exactly 0, ..., n - 1.")
@given(problem=fold_problems())
@example(problem=(7, 3, None))
def test_kfold_training_and_validation_sets_partition_the_indices(kfold_indices, problem):
    n, k, seed = problem
    for i, (train, val) in enumerate(kfold_indices(n, k, seed)):
        ids = np.concatenate([sorted_ids(train), sorted_ids(val)])
        if not (ids.size == n and np.array_equal(np.sort(ids), np.arange(n))):
            expect.fail(f"pair {i} of kfold_indices: train {sorted_ids(train).tolist()} and val "
                        f"{sorted_ids(val).tolist()} should be disjoint and together exactly range({n}) (the other "
                        "k - 1 folds are the training set)", inputs_of(n, k, seed))


@prop(KFOLD, I2DL_KFOLD, "kfold_indices's k validation folds differ in size by at most one: the first n % k have n // k + 1 indices, the others n // k (np.array_split's sizes).")
@given(problem=fold_problems())
@example(problem=(7, 3, None))
@example(problem=(14, 5, 3))
def test_kfold_fold_sizes_differ_by_at_most_one(kfold_indices, problem):
    n, k, seed = problem
    sizes = np.array([len(val) for _, val in kfold_indices(n, k, seed)])
    expected = np.array([n // k + 1] * (n % k) + [n // k] * (k - n % k))
    if sizes.shape != expected.shape:
        expect.fail(f"kfold_indices returned {len(sizes)} folds, but should return k = {k}", inputs_of(n, k, seed))
    expect.equal("the size of validation fold", sizes, expected,
                 why=f"the first n % k = {n % k} folds n // k + 1 = {n // k + 1}, the others {n // k}",
                 inputs=inputs_of(n, k, seed))


def check_validation_folds(kfold_indices, n, k, seed, should_be):
    """Each validation fold of kfold_indices(n, k, seed), sorted, is the contract's (contract_folds); should_be(i,
    expected) says in words what fold i should be."""
    folds = kfold_indices(n, k, seed)
    call = f"kfold_indices({n}, {k}{'' if seed is None else f', seed={seed}'})"
    for i, expected in enumerate(contract_folds(n, k, seed)):
        got = sorted_ids(folds[i][1]) if i < len(folds) else np.array([], dtype=np.int64)
        if got.shape != expected.shape or not np.array_equal(got, expected):
            expect.fail(f"validation fold {i} of {call} is {got.tolist()}, but should be {should_be(i, expected)}",
                        inputs_of(n, k, seed))


@prop(KFOLD, GT_KFOLD, "kfold_indices without a seed gives consecutive blocks: fold i is the i-th block of 0, ..., n - 1 in order.")
@given(problem=fold_problems().map(lambda p: (p[0], p[1], None)))
@example(problem=(7, 3, None))
def test_kfold_without_a_seed_is_consecutive_blocks(kfold_indices, problem):
    n, k, _ = problem
    check_validation_folds(kfold_indices, n, k, None, lambda i, expected: (
        f"the consecutive block {expected.tolist()} (no seed: no shuffling)"))


@prop(KFOLD, I2DL_KFOLD, "kfold_indices with a seed splits np.random.default_rng(seed).permutation(n) into k blocks: the same seed gives the same folds.")
@given(problem=fold_problems().filter(lambda p: p[2] is not None))
@example(problem=(10, 5, 0))
def test_kfold_with_a_seed_splits_the_seeded_permutation(kfold_indices, problem):
    n, k, seed = problem
    check_validation_folds(kfold_indices, n, k, seed, lambda i, expected: (
        f"{expected.tolist()}: block {i} of np.array_split(np.random.default_rng(seed).permutation({n}), {k}) "
        "(sorted)"))


# Mutants.


@mutant(of="kfold_indices", kills=[test_every_index_is_validated_in_exactly_one_fold,
                                   test_kfold_fold_sizes_differ_by_at_most_one])
def kfold_dropping_the_remainder(n, k=5, seed=None):
    """fold_size = n // k and fold i = order[i * fold_size:(i + 1) * fold_size]: the last n % k indices are never
    validated (they are always trained on)."""
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    size = n // k
    folds = []
    for i in range(k):
        val = order[i * size:(i + 1) * size]
        folds.append((np.setdiff1d(order, val), val))
    return folds


@mutant(of="kfold_indices", kills=[test_kfold_fold_sizes_differ_by_at_most_one])
def kfold_with_the_remainder_in_the_last_fold(n, k=5, seed=None):
    """Folds of n // k and the last one takes the rest: it has n % k (up to k - 1) more than the others."""
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    size = n // k
    folds = []
    for i in range(k):
        val = order[i * size:] if i == k - 1 else order[i * size:(i + 1) * size]
        folds.append((np.setdiff1d(order, val), val))
    return folds


@mutant(of="kfold_indices", kills=[test_kfold_training_and_validation_sets_partition_the_indices])
def kfold_training_on_every_index(n, k=5, seed=None):
    """The training set is all of range(n), the validation fold included (a leak: the model is scored on what it saw)."""
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    return [(np.arange(n), val) for val in np.array_split(order, k)]


@mutant(of="kfold_indices", kills=[test_kfold_without_a_seed_is_consecutive_blocks])
def kfold_always_shuffling(n, k=5, seed=None):
    """np.random.default_rng(seed).permutation(n) even for seed None: random folds where consecutive blocks are due."""
    order = np.random.default_rng(seed).permutation(n)
    return [(np.concatenate(np.array_split(order, k)[:i] + np.array_split(order, k)[i + 1:]), val)
            for i, val in enumerate(np.array_split(order, k))]


@mutant(of="kfold_indices", kills=[test_kfold_with_a_seed_splits_the_seeded_permutation])
def kfold_ignoring_its_seed(n, k=5, seed=None):
    """Consecutive blocks whatever the seed: no shuffling."""
    blocks = np.array_split(np.arange(n), k)
    return [(np.concatenate(blocks[:i] + blocks[i + 1:]), val) for i, val in enumerate(blocks)]


@mutant(of="kfold_indices", kills=[test_kfold_with_a_seed_splits_the_seeded_permutation])
def kfold_shuffling_with_the_legacy_generator(n, k=5, seed=None):
    """np.random.seed(seed); np.random.permutation(n): the legacy global generator, not default_rng(seed)."""
    if seed is None:
        order = np.arange(n)
    else:
        order = np.random.RandomState(seed).permutation(n)
    blocks = np.array_split(order, k)
    return [(np.concatenate(blocks[:i] + blocks[i + 1:]), val) for i, val in enumerate(blocks)]


# Correct alternatives.


@alternative(of="kfold_indices")
def kfold_by_array_split(n, k=5, seed=None):
    """np.array_split of range(n) or of the seeded permutation, the training set the other folds concatenated."""
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    blocks = np.array_split(order, k)
    return [(np.concatenate(blocks[:i] + blocks[i + 1:]), val) for i, val in enumerate(blocks)]


@alternative(of="kfold_indices")
def kfold_by_slicing_with_a_mask(n, k=5, seed=None):
    """Manual slicing with start = i * (n // k) + min(i, n % k), the training set by a boolean mask (sorted ids)."""
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    folds = []
    for i in range(k):
        start = i * (n // k) + min(i, n % k)
        stop = start + n // k + (1 if i < n % k else 0)
        val = order[start:stop]
        mask = np.ones(n, dtype=bool)
        mask[val] = False
        folds.append((np.flatnonzero(mask), val))
    return folds
