"""Splitting data for model selection (module ``splits``; I2DL lectures 5-6 "basic recipe", Georgia Tech's
cross-validation).

Everything here works on indices: a split of n samples is a set of integer index arrays into range(n), so that the
caller indexes X and y alike (``X[train], y[train]``). Every random number comes from
``np.random.default_rng(seed)``: the same seed gives the same split, another seed (almost surely) another.

- Train / validation / test: the training set fits the weights, the validation set chooses the hyperparameters, the
  test set is touched once, at the very end (I2DL: 60/20/20, or 80/10/10 for large datasets).
- k-fold cross-validation: split the data into k folds, use each fold once as the validation set and the other k - 1
  as the training set, and average the k validation scores (useful for small datasets).
"""

from spec.contract.types import Array, Callable, Integer, ListOf, Returns, Scalar

_INDICES = "an ndarray of int (indices into range(n))"


def train_val_test_split(
    n: Integer(),
    fractions: ListOf(Scalar(), doc="(f_train, f_val, f_test), each >= 0, summing to 1") = (0.6, 0.2, 0.2),
    seed: Integer() = None,
) -> Returns(train=Array("n_train", dtype="int64"), val=Array("n_val", dtype="int64"),
             test=Array("n_test", dtype="int64")):
    """A random train / validation / test split of the indices 0, ..., n - 1 (I2DL's basic recipe).

    Inputs:
    - n: the number of samples, >= 1.
    - fractions: (f_train, f_val, f_test), each >= 0, summing to 1 (within 1e-9); the lecture's are (0.6, 0.2, 0.2)
      and, for large datasets, (0.8, 0.1, 0.1).
    - seed: the seed of the generator that shuffles the indices (the same seed gives the same split).

    Returns a tuple (train, val, test) of integer index arrays: disjoint, together exactly range(n) (each index in
    one of them), in any order within a part. Their sizes follow the fractions: each part is within one sample of
    its share, |n_part - f_part * n| <= 1, and the sizes add up to n. A rule that does this: n_val = round(f_val * n),
    n_test = round(f_test * n), and the training set takes the rest. Rounding two parts down and giving the third
    the rest does not: of n = 9 at 60/20/20 it leaves 3 samples for a share of 1.8. When every f_part * n is a whole
    number (60/20/20 of 100) the sizes are exactly those. The rule needs one amendment when f_train * n < 1: both
    roundings may go up past n (0, 0.5, 0.5 of 3 gives 2 + 2); then the part rounded up the most gives one sample
    back (here 1 + 2 and an empty training set).

    Raises ValueError when n < 1 or the fractions are negative or do not sum to 1.
    """


def kfold_indices(n: Integer(), k: Integer(sizes="k") = 5, seed: Integer() = None) -> ListOf(
    Returns(train=Array("n_train", dtype="int64"), val=Array("n_val", dtype="int64")), length="k"
):
    """The k folds of k-fold cross-validation over the indices 0, ..., n - 1.

    The indices are split into k folds whose sizes differ by at most one (the first n % k folds have one more, as
    np.array_split does); without a seed the folds are consecutive blocks of 0, ..., n - 1 in order, with a seed the
    indices are first shuffled by np.random.default_rng(seed).permutation(n). Fold i is the validation set of the
    i-th pair, the other k - 1 folds together its training set.

    Inputs:
    - n: the number of samples.
    - k: the number of folds, 2 <= k <= n.
    - seed: None for consecutive folds, else the seed of the shuffle.

    Returns a list of k pairs (train, val) of integer index arrays: within a pair disjoint and together range(n);
    every index is in exactly one of the k validation sets.

    Raises ValueError when k < 2 or k > n.
    """


def cross_val_score(
    train_and_score: Callable("(X_train, y_train, X_val, y_val)", "the validation score, a float"),
    X: Array("N", "*d"),
    y: Array("N", dtype="int64"),
    k: Integer(sizes="k") = 5,
    seed: Integer() = None,
) -> Returns(mean=Scalar(), scores=Array("k")):
    """k-fold cross-validation of a model: train on k - 1 folds, score on the held-out one, average.

    Inputs:
    - train_and_score: fits a model on (X_train, y_train) and returns its score on (X_val, y_val) (for example the
      validation accuracy of a k-NN classifier or of a softmax classifier trained with some hyperparameters).
    - X: data of shape (N, d1, ..., dk); read-only.
    - y: labels of shape (N,); read-only.
    - k: the number of folds; seed: as in kfold_indices.

    Returns a tuple (mean, scores): scores, shape (k,), scores[i] = train_and_score(X[train_i], y[train_i],
    X[val_i], y[val_i]) for the i-th pair (train_i, val_i) of kfold_indices(N, k, seed); mean = scores.mean().
    """
