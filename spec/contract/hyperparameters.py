"""Hyperparameter search (module ``hyperparameters``; I2DL lecture 6, "finding your hyperparameters").

Both searches evaluate a user function on configurations and keep the best: ``evaluate(config) -> score``, where
config is a dict {hyperparameter name: value} and the score is to be maximized (the validation accuracy of a
model trained with those hyperparameters, as in the lecture's loop). Each search returns
``(best_config, best_score, results)``: results lists every evaluation in the order it was made, as
(config, score) pairs, and best_config is the first configuration of results with the highest score (the
lecture's ``if validation_accuracy > best_val``; unlike its ``best_val = 0`` start, the first configuration counts
even when its score is 0 or negative).

- Grid search: define a list of values for each hyperparameter and evaluate every combination.
- Random search: like grid search, but draw each configuration at random inside the ranges; a range spanning
  orders of magnitude (a learning rate from 1e-5 to 1e-1) is sampled log-uniformly, evenly in the exponent.
"""

from spec.contract.types import Callable, Dict, Integer, ListOf, Returns, Scalar

_EVALUATE = Callable("config, a dict {name: value}", "the score, a float (higher is better)")
_RESULTS = ListOf(Returns(config=Dict(), score=Scalar()), doc="every (config, score) in evaluation order")


def grid_search(
    evaluate: _EVALUATE,
    grid: Dict(doc="{name: list of values}; the keys in order are the loops from outermost to innermost"),
) -> Returns(best_config=Dict(), best_score=Scalar(), results=_RESULTS):
    """Grid search: evaluate every combination of the grid's values (their Cartesian product).

    The combinations are evaluated in the order of nested loops over the grid's keys, the first key outermost and
    the last key innermost (``itertools.product(*grid.values())``): the lecture's grid of learning_rates = [1e-2,
    1e-3, 1e-4, 1e-5], regularization_strengths = [1e2, 1e3, 1e4, 1e5] and num_iters = [500, 1000, 1500] is 48
    evaluations, the second one {learning_rate 1e-2, reg 1e2, num_iters 1000}. Each combination is evaluated once.

    Inputs:
    - evaluate: the score of a configuration, evaluate(config) -> float; config is a new dict holding one value of
      every key of grid.
    - grid: a dict {name: list of values}, each list non-empty. A value repeated in a list is a combination
      evaluated twice (the product is taken as written), and the earlier one wins the tie.

    Returns a tuple (best_config, best_score, results): results, a list of (config, score) pairs in evaluation
    order; best_config, the first config with the highest score, and best_score its score.
    """


def random_hyperparameter_search(
    evaluate: _EVALUATE,
    ranges: Dict(doc="{name: (low, high) or (low, high, 'log')}"),
    num_trials: Integer() = 20,
    seed: Integer() = None,
) -> Returns(best_config=Dict(), best_score=Scalar(), results=_RESULTS):
    """Random search: evaluate num_trials configurations drawn at random inside the ranges.

    Each trial draws every hyperparameter independently: a range (low, high) uniformly in [low, high], a range
    (low, high, "log") log-uniformly, so that log(value) is uniform in [log(low), log(high)] (1e-5 to 1e-1 puts as
    many draws in each decade: half of them below 1e-3). Every random number comes from
    np.random.default_rng(seed): the same seed gives the same configurations.

    Inputs:
    - evaluate: the score of a configuration, evaluate(config) -> float.
    - ranges: a dict {name: (low, high)} or {name: (low, high, "log")}, low <= high, and 0 < low for "log".
    - num_trials: the number of configurations, >= 1.
    - seed: the seed of the generator.

    Returns a tuple (best_config, best_score, results), as grid_search; every value of a config lies in its range
    up to the rounding of the draw: low + (high - low) * r may pass a bound by a few ulps of max(|low|, |high|),
    and a log-uniform draw computed as 10 ** u or exp(u) by a relative error of a few ulps times
    |ln low| + |ln high| (the rounding of the exponent u grows with it).

    Raises ValueError for a range with low > high, a "log" range with low <= 0, or an unknown scale.
    """
