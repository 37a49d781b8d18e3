"""train_val_test_split(n, fractions, seed) -> (train, val, test): a random split of the indices 0, ..., n - 1 into
three disjoint parts that together are range(n), each within one sample of its share f_part * n, exactly that share
when every f_part * n is whole (I2DL's 60/20/20 and 80/10/10), the same for the same seed.

The shares are compared exactly: the properties draw fractions as parts / total of whole numbers and compare the
sizes with fractions.Fraction(part * n, total), so no tolerance is needed (a size is a whole number; a correct
implementation rounds a float share within a few ulps of the exact one, and |size - share|, a multiple of 1 / total,
stays within the contract's bound).
"""

from __future__ import annotations

import numpy as np
from hypothesis import example, given

from spec import expect
from spec.model_selection.common import (
    I2DL_SPLIT,
    LECTURE_FRACTIONS,
    TAIL,
    Fractions,
    fraction_triples,
    log_comb,
    other_seed,
    sample_counts,
    seeds,
    sorted_ids,
)
from spec.property import alternative, mutant, prop

SPLIT = "train/validation/test split"
PARTS = ("train", "val", "test")
I2DL_9 = (9, LECTURE_FRACTIONS[0], 0)  # 60/20/20 of 9: shares 5.4, 1.8, 1.8 (sizes 5, 2, 2 by rounding)
I2DL_60 = (60, LECTURE_FRACTIONS[0], 0)


def inputs_of(n, fractions, seed) -> dict:
    return {"n": n, "fractions": fractions.values, "seed": seed}


@prop(SPLIT, I2DL_SPLIT, "train_val_test_split's three parts are disjoint and together exactly the indices 0, ..., n - 1.")
@given(n=sample_counts(), fractions=fraction_triples(), seed=seeds())
@example(*I2DL_9)
@example(n=10, fractions=LECTURE_FRACTIONS[1], seed=1)
def test_split_parts_are_disjoint_and_cover_every_index(train_val_test_split, n, fractions, seed):
    parts = train_val_test_split(n, fractions.values, seed)
    inputs = inputs_of(n, fractions, seed)
    ids = np.sort(np.concatenate([np.asarray(p).astype(np.int64) for p in parts]))
    if ids.size == n and np.array_equal(ids, np.arange(n)):
        return
    values, counts = np.unique(ids, return_counts=True)
    twice = values[counts > 1]
    missing = np.setdiff1d(np.arange(n), ids)
    outside = ids[(ids < 0) | (ids >= n)]
    problems = ([f"indices in two parts (or twice in one): {twice.tolist()}"] if twice.size else []) \
        + ([f"indices in no part: {missing.tolist()}"] if missing.size else []) \
        + ([f"indices outside range(n): {outside.tolist()}"] if outside.size else [])
    expect.fail(f"train_val_test_split's parts (sizes {[len(p) for p in parts]}) should be disjoint and together "
                f"exactly range({n}), each index in one part; {'; '.join(problems)}", inputs)


@prop(SPLIT, I2DL_SPLIT, "Each part of train_val_test_split is within one sample of its share, |n_part - f_part * n| <= 1, and exactly its share when every f_part * n is whole.")
@given(n=sample_counts(), fractions=fraction_triples(), seed=seeds())
@example(*I2DL_9)  # rounding two parts down gives (5, 1, 3) or (6, 1, 2)... the rest 3 for a share of 1.8 is off
@example(n=9, fractions=Fractions((20, 20, 60), 100), seed=0)
@example(n=3, fractions=Fractions((0, 1, 1), 2), seed=0)  # shares 0, 1.5, 1.5: both others may round up
def test_split_sizes_are_within_one_sample_of_their_shares(train_val_test_split, n, fractions, seed):
    parts = train_val_test_split(n, fractions.values, seed)
    inputs = inputs_of(n, fractions, seed)
    sizes = [len(p) for p in parts]
    shares = fractions.shares(n)
    whole = all(s.denominator == 1 for s in shares)
    for name, size, share in zip(PARTS, sizes, shares):
        if whole and size != share:
            expect.fail(f"train_val_test_split's {name} part has {size} samples, but should have exactly "
                        f"f_{name} * n = {share} (every share is whole here; sizes {sizes})", inputs)
        if abs(size - share) > 1:
            expect.fail(f"train_val_test_split's {name} part has {size} samples for a share f_{name} * n = "
                        f"{float(share):g}: off by {float(abs(size - share)):g}, more than one sample (sizes {sizes})",
                        inputs)


@prop(SPLIT, I2DL_SPLIT, "The lecture's splits: 60/20/20 of 100 is 60, 20 and 20 samples, of 5 is 3, 1 and 1; 80/10/10 of 1000 is 800, 100 and 100, of 10 is 8, 1 and 1; the default fractions are 60/20/20.")
def test_split_sizes_of_the_lecture_fractions(train_val_test_split):
    cases = [(100, LECTURE_FRACTIONS[0], (60, 20, 20)), (5, LECTURE_FRACTIONS[0], (3, 1, 1)),
             (1000, LECTURE_FRACTIONS[1], (800, 100, 100)), (10, LECTURE_FRACTIONS[1], (8, 1, 1))]
    for n, fractions, expected in cases:
        sizes = tuple(len(p) for p in train_val_test_split(n, fractions.values, 0))
        expect.equal(f"sizes of train_val_test_split's (train, val, test) for {fractions!r} of {n}",
                     np.array(sizes), np.array(expected), why=f"exactly {expected}", inputs=inputs_of(n, fractions, 0))
    sizes = tuple(len(p) for p in train_val_test_split(100, seed=0))
    expect.equal("sizes of train_val_test_split(100, seed=0)'s parts", np.array(sizes), np.array([60, 20, 20]),
                 why="the default fractions (0.6, 0.2, 0.2)", inputs={"n": 100, "seed": 0})


@prop(SPLIT, I2DL_SPLIT, "train_val_test_split with the same seed gives the same split; another seed gives another (checked where the chance of two random splits coinciding is below e^-30).")
@given(n=sample_counts(), fractions=fraction_triples(), seed=seeds())
@example(*I2DL_60)
def test_split_is_reproducible_from_its_seed(train_val_test_split, n, fractions, seed):
    inputs = inputs_of(n, fractions, seed)
    first = [sorted_ids(p) for p in train_val_test_split(n, fractions.values, seed)]
    second = [sorted_ids(p) for p in train_val_test_split(n, fractions.values, seed)]
    for name, a, b in zip(PARTS, first, second):
        if a.shape != b.shape or not np.array_equal(a, b):
            expect.fail(f"train_val_test_split with the same seed gave another {name} part the second time:\n"
                        f"{expect.fmt(b)} instead of\n{expect.fmt(a)}\n(sorted) [every random number must come from "
                        "np.random.default_rng(seed)]", inputs)
    # Two independent uniformly random splits with these sizes coincide with probability 1 / (number of splits)
    # = n_train! n_val! n_test! / n!; the property asks for another split only where that is below e^-TAIL.
    if log_comb([len(p) for p in first]) < TAIL:
        return
    other = [sorted_ids(p) for p in train_val_test_split(n, fractions.values, other_seed(seed))]
    if all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(first, other)):
        expect.fail(f"train_val_test_split with seed {seed} and with seed {other_seed(seed)} gave the same split "
                    "(the seed ignored, or no shuffling?) [the indices must be shuffled by np.random.default_rng(seed)]",
                    inputs)


# Mutants.


def _sizes_by_rounding(n, fractions):
    n_val, n_test = round(fractions[1] * n), round(fractions[2] * n)
    if n_val + n_test > n:
        n_val -= 1
    return n - n_val - n_test, n_val


@mutant(of="train_val_test_split", kills=[test_split_parts_are_disjoint_and_cover_every_index])
def split_with_overlapping_slices(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """val = order[n_train - 1 : n_train + n_val]: an off-by-one start, so the last training index is also validated."""
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = _sizes_by_rounding(n, fractions)
    return order[:n_train], order[max(n_train - 1, 0):n_train + n_val], order[n_train + n_val:]


@mutant(of="train_val_test_split", kills=[test_split_parts_are_disjoint_and_cover_every_index])
def split_dropping_the_last_sample(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """test = order[n_train + n_val : n - 1]: the slice stops one short, so the last shuffled index is in no part."""
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = _sizes_by_rounding(n, fractions)
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:n - 1]


@mutant(of="train_val_test_split", kills=[test_split_sizes_are_within_one_sample_of_their_shares])
def split_flooring_two_parts(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """n_train = int(f_train * n), n_val = int(f_val * n), the test set the rest: of 9 at 60/20/20 that is 5, 1, 3."""
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = int(fractions[0] * n), int(fractions[1] * n)
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


@mutant(of="train_val_test_split", kills=[test_split_sizes_are_within_one_sample_of_their_shares,
                                        test_split_sizes_of_the_lecture_fractions])
def split_with_the_lecture_fractions_hard_coded(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """n_train = round(0.6 n), n_val = round(0.2 n): the lecture's 60/20/20 written into the code, fractions ignored."""
    order = np.random.default_rng(seed).permutation(n)
    n_train, n_val = _sizes_by_rounding(n, (0.6, 0.2, 0.2))
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


@mutant(of="train_val_test_split", kills=[test_split_is_reproducible_from_its_seed])
def split_ignoring_its_seed(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """np.random.default_rng() without the seed: every call another split."""
    order = np.random.default_rng().permutation(n)
    n_train, n_val = _sizes_by_rounding(n, fractions)
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


@mutant(of="train_val_test_split", kills=[test_split_is_reproducible_from_its_seed])
def split_without_shuffling(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """Consecutive blocks of 0, ..., n - 1, the seed never used: the same split for every seed."""
    order = np.arange(n)
    n_train, n_val = _sizes_by_rounding(n, fractions)
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


# Correct alternatives.


@alternative(of="train_val_test_split")
def split_by_largest_remainders(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """Largest remainders (Hamilton's rule): every part floor(f n), the samples left over to the parts with the
    largest fractional parts; each part is then within one sample of its share."""
    shares = np.array([float(f) * n for f in fractions])
    sizes = np.floor(shares).astype(int)
    left = n - int(sizes.sum())
    sizes[np.argsort(-(shares - sizes), kind="stable")[:left]] += 1
    order = np.random.default_rng(seed).permutation(n)
    ends = np.cumsum(sizes)
    return order[:ends[0]], order[ends[0]:ends[1]], order[ends[1]:]


@alternative(of="train_val_test_split")
def split_by_shuffling_and_cutting_from_the_end(n, fractions=(0.6, 0.2, 0.2), seed=None):
    """rng.shuffle of a list, the test set cut from the end first and the validation set before it (rounding half
    up, floor(f n + 1/2)), the training set the rest; a part given back when both round up past it."""
    ids = list(range(n))
    np.random.default_rng(seed).shuffle(ids)
    n_test = int(np.floor(fractions[2] * n + 0.5))
    n_val = int(np.floor(fractions[1] * n + 0.5))
    if n_val + n_test > n:
        n_test -= 1
    test = ids[n - n_test:]
    val = ids[n - n_test - n_val:n - n_test]
    train = ids[:n - n_test - n_val]
    return tuple(np.array(p, dtype=np.int64) for p in (train, val, test))
