"""What the model-selection chapter's property modules share: lecture sources, strategies for sizes, fractions,
seeds and grids, recording functions, and the folds the contract describes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from spec.expect import EPS

U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative

# A bound of the form "a correct implementation passes unless an event of probability <= e^-TAIL happens": e^-30 =
# 9.4e-14 per example, so the thorough profile's 2000 examples a property fail correct code with probability < 2e-10.
TAIL = 30.0

I2DL_SPLIT = ("TUM I2DL lecture 6, slide 35 (train 60%, val 20%, test 20%; or 80/10/10) and lecture 6 recap, slide 8 "
              "(basic recipe: split your data 60/20/20)")
I2DL_KFOLD = ("TUM I2DL lecture 6, slides 45-46 (cross-validation: train on k - 1 folds, validate on the remaining one, "
              "average the results; results for k = 5)")
GT_KFOLD = ("Georgia Tech CS 4803/7643 (Batra), linear classifiers lecture, slide 11 (idea #4: cross-validation, split "
            "the data into folds, try each fold as validation and average the results)")
I2DL_GRID = ("TUM I2DL lecture 6, slides 41-42 (grid search: for learning_rate in [1e-2, ..., 1e-5], for reg in "
             "[1e2, ..., 1e5], for num_iters in [500, 1000, 1500]: keep the best validation accuracy)")
I2DL_RANDOM = ("TUM I2DL lecture 6, slide 41 (random search: like grid search, but pick points at random in the "
               "predefined ranges; a learning rate from 1e-5 to 1e-1 log-uniformly)")


def seeds():
    return st.integers(0, 2**32 - 1)


def optional_seeds():
    """None (no shuffling where the contract says so) or a seed."""
    return st.one_of(st.none(), seeds())


def other_seed(seed: int) -> int:
    return (seed + 1) % 2**32


@dataclass(frozen=True)
class Fractions:
    """(f_train, f_val, f_test) = parts / total: the floats passed to the function and the exact shares."""

    parts: tuple
    total: int

    @property
    def values(self) -> tuple:
        return tuple(p / self.total for p in self.parts)

    def shares(self, n: int) -> tuple:
        """The exact shares f_part * n, as fractions.Fraction (of the exact parts / total, not of the floats)."""
        return tuple(Fraction(p * n, self.total) for p in self.parts)

    def __repr__(self):
        return repr(self.values)


LECTURE_FRACTIONS = (Fractions((60, 20, 20), 100), Fractions((80, 10, 10), 100))


@st.composite
def fraction_triples(draw):
    """Fractions (a/d, b/d, c/d) with a + b + c = d <= 100 (so their float sum is 1 within a few ulps), the
    lecture's 60/20/20 and 80/10/10 often, a 0 part sometimes."""
    if draw(st.booleans()):
        return draw(st.sampled_from(LECTURE_FRACTIONS))
    d = draw(st.integers(1, 100))
    a = draw(st.integers(0, d))
    b = draw(st.integers(0, d - a))
    return Fractions((a, b, d - a - b), d)


def sample_counts(max_value: int = 60):
    return st.integers(1, max_value)


def sorted_ids(part) -> np.ndarray:
    return np.sort(np.asarray(part).astype(np.int64))


def contract_folds(n: int, k: int, seed) -> list:
    """The validation folds the contract describes, each sorted: np.array_split of range(n) (no seed) or of
    np.random.default_rng(seed).permutation(n) into k parts."""
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    return [np.sort(part) for part in np.array_split(order, k)]


@st.composite
def fold_problems(draw, max_n: int = 30, max_k: int = 8):
    """(n, k, seed): 2 <= k <= n, often with n % k != 0 (a remainder to spread), seed None or an int."""
    n = draw(st.integers(2, max_n))
    k = draw(st.integers(2, min(n, max_k)))
    return n, k, draw(optional_seeds())


class ScoreTable:
    """An evaluate(config) -> score that returns pre-drawn scores in call order (cycling) and keeps a copy of every
    config it was called with: ``calls`` is a list of (config, score)."""

    def __init__(self, scores):
        self.scores = [float(s) for s in scores]
        self.calls: list = []

    def __call__(self, config):
        score = self.scores[len(self.calls) % len(self.scores)]
        self.calls.append((dict(config), score))  # a copy: the caller may reuse its dict
        return score

    def __repr__(self):
        return f"a function returning the scores {self.scores} in call order"


def tied_scores(size: int):
    """size scores from a small set (many ties, zeros and negatives: the lecture's best_val = 0 start fails them)."""
    return st.lists(st.sampled_from([-2.0, -1.0, -0.5, 0.0, 0.25, 0.5, 1.0]), min_size=size, max_size=size)


def first_best(calls) -> tuple:
    """(config, score) of the first call with the highest score."""
    best = max(score for _, score in calls)
    return next((config, score) for config, score in calls if score == best)


def log_comb(sizes) -> float:
    """ln(n! / (n_1! n_2! ...)): the log of the number of ways to split n = sum(sizes) samples into parts of these
    sizes."""
    return math.lgamma(sum(sizes) + 1) - sum(math.lgamma(s + 1) for s in sizes)
