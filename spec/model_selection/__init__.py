"""Chapter: model selection (contract modules ``splits`` and ``hyperparameters``): the train / validation / test
split of I2DL's basic recipe, k-fold cross-validation (the folds and the cross-validated score of a model-fitting
function), and hyperparameter search by grid and at random (uniform and log-uniform ranges).

Lectures: TUM I2DL lecture 6 recap, slide 8 (basic recipe: split your data 60/20/20) and lecture 6, slide 35 (train
60%, val 20%, test 20%, or 80/10/10), slides 41-42 (grid search with the lecture's loops over 4 learning rates, 4
regularization strengths and 3 iteration counts, 48 configurations; random search), slides 45-46 (cross-validation,
results for k = 5); Georgia Tech CS 4803/7643 (Batra), linear classifiers lecture, slide 11 (idea #4:
cross-validation, each fold once as validation, average the results).

- test_splits.py: disjoint and covering parts, sizes within one sample of their shares (compared with the exact
  shares, fractions.Fraction), the lecture's 60/20/20 and 80/10/10 exactly, the same seed the same split.
- test_kfold.py: every index validated once, train and validation partitioning the indices, np.array_split's fold
  sizes, consecutive blocks without a seed, the blocks of the seeded permutation with one.
- test_cross_validation.py: cross_val_score calls a recording function on exactly the folds and averages its scores.
- test_grid_search.py: the Cartesian product in nested-loop order, the first best, the lecture's 48 configurations.
- test_random_search.py: inside the ranges, log ranges even in the exponent (a Hoeffding bound), reproducible, the
  first best.

common.py has the strategies, the recording functions and the folds the contract describes (trusted, in spec/).
"""
