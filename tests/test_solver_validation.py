"""The reference impl/solver.py rejects malformed arguments with a ValueError that names the argument and what it should
be, resolves rule names from its own package's optim module, accepts a function as update_rule, never modifies
optim_config, and keeps copies of the best parameters."""

import numpy as np
import pytest

from impl import optim
from impl.solver import Solver


class _Linear:
    def __init__(self, d=3, c=2):
        self.params = {"W": np.zeros((d, c)), "b": np.zeros(c)}

    def loss(self, X, y=None):
        scores = X.reshape(len(X), -1) @ self.params["W"] + self.params["b"]
        if y is None:
            return scores
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.log(p[np.arange(len(y)), y]).mean()
        p[np.arange(len(y)), y] -= 1
        p /= len(y)
        return loss, {"W": X.reshape(len(X), -1).T @ p, "b": p.sum(axis=0)}


def _data(n=4, m=2, d=3):
    return {"X_train": np.eye(n, d), "y_train": np.arange(n) % 2, "X_val": np.ones((m, d)), "y_val": np.zeros(m, int)}


@pytest.mark.parametrize("change, message", [
    ({"data": [1, 2]}, r"data must be a dict with keys 'X_train', 'y_train', 'X_val', 'y_val', got list"),
    ({"data": {"X_train": np.ones((2, 3)), "y_train": np.zeros(2, int)}},
     r"data must hold 'X_train', 'y_train', 'X_val', 'y_val'; missing \['X_val', 'y_val'\]"),
    ({"data": {**_data(), "y_train": np.zeros(3, int)}},
     r"data\['y_train'\] must have shape \(N,\) = \(4,\) to match data\['X_train'\] of shape \(4, 3\), got \(3,\)"),
    ({"data": {**_data(), "X_val": np.ones((2, 4))}},
     r"data\['X_val'\] must have shape \(M, 3\) like data\['X_train'\] of shape \(4, 3\), got \(2, 4\)"),
    ({"data": {**_data(), "X_train": np.ones(4)}},
     r"data\['X_train'\] must have shape \(N, d1, ..., dk\), got shape \(4,\)"),
    ({"data": {**_data(), "X_train": np.ones((0, 3)), "y_train": np.zeros(0, int)}},
     r"data\['X_train'\] must hold at least one sample \(N >= 1\), got shape \(0, 3\)"),
    ({"data": {**_data(), "y_val": np.array([0.0, 1.0])}}, r"data\['y_val'\] must be integers, got dtype float64"),
    ({"update_rule": "adagrad"},
     (r"update_rule must be one of 'sgd', 'sgd_momentum', 'rmsprop', 'adam' or a function rule\(w, dw, config\) -> "
      r"\(next_w, config\), got 'adagrad'")),
    ({"optim_config": [("learning_rate", 1.0)]}, r"optim_config must be a dict or None, got list"),
    ({"batch_size": 0}, r"batch_size must be an integer >= 1, got 0"),
    ({"batch_size": 2.0}, r"batch_size must be an integer >= 1, got 2.0"),
    ({"num_epochs": 0}, r"num_epochs must be an integer >= 1, got 0"),
    ({"lr_decay": -0.5}, r"lr_decay must be >= 0.0, got -0.5"),
    ({"num_val_samples": 0}, r"num_val_samples must be an integer >= 1, got 0"),
    ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
    ({"model": object()},
     r"model must have params \(a dict of parameter arrays\) and a method loss\(X, y=None\), got object"),
])
def test_solver_checks_its_arguments(change, message):
    kwargs = {"model": _Linear(), "data": _data(), **change}
    with pytest.raises(ValueError, match=message):
        Solver(**kwargs)


def test_rule_names_come_from_the_packages_optim_and_functions_are_accepted():
    for name in ("sgd", "sgd_momentum", "rmsprop", "adam"):
        assert Solver(_Linear(), _data(), update_rule=name).update_rule is getattr(optim, name)

    def rule(w, dw, config=None):
        return w, config

    assert Solver(_Linear(), _data(), update_rule=rule).update_rule is rule


def test_optim_config_is_never_modified_and_each_parameter_has_its_own_config():
    config = {"learning_rate": 0.1}
    solver = Solver(_Linear(), _data(), update_rule="adam", optim_config=config, lr_decay=0.5, batch_size=2,
                    num_epochs=3, seed=0)
    solver.train()
    assert config == {"learning_rate": 0.1}
    assert solver.optim_configs["W"]["m"].shape == (3, 2) and solver.optim_configs["b"]["m"].shape == (2,)
    assert solver.optim_configs["W"]["t"] == 3 * 2 and solver.optim_configs["W"]["learning_rate"] == 0.1 * 0.5**3


def test_the_best_parameters_are_copies_and_end_in_model_params():
    model = _Linear()
    solver = Solver(model, _data(), update_rule="sgd", optim_config={"learning_rate": 1.0}, batch_size=2,
                    num_epochs=4, seed=1)
    solver.train()
    assert solver.best_val_acc == max(solver.val_acc_history)
    for key, value in solver.best_params.items():
        np.testing.assert_array_equal(model.params[key], value)
        assert model.params[key] is not value
    assert len(solver.loss_history) == 4 * 2 and len(solver.val_acc_history) == 4


def test_the_same_seed_gives_the_same_run():
    runs = []
    for _ in range(2):
        solver = Solver(_Linear(), _data(n=6), update_rule="sgd_momentum", batch_size=2, num_epochs=3,
                        num_train_samples=3, seed=7)
        solver.train()
        runs.append((solver.loss_history, solver.train_acc_history))
    assert runs[0] == runs[1]


def test_a_decay_needs_a_learning_rate_in_the_rules_config():
    def rule(w, dw, config=None):
        return w, {}

    solver = Solver(_Linear(), _data(), update_rule=rule, lr_decay=0.5, num_epochs=1)
    with pytest.raises(ValueError, match=r"lr_decay = 0.5 needs a learning_rate to decay"):
        solver.train()


def test_check_accuracy_checks_its_arguments():
    solver = Solver(_Linear(), _data())
    with pytest.raises(ValueError, match=r"labels y must have shape \(N,\) = \(2,\) to match X of shape \(2, 3\), "
                                         r"got \(3,\)"):
        solver.check_accuracy(np.ones((2, 3)), np.zeros(3, int))
    with pytest.raises(ValueError, match=r"batch_size must be an integer >= 1, got 0"):
        solver.check_accuracy(np.ones((2, 3)), np.zeros(2, int), batch_size=0)
    with pytest.raises(ValueError, match=r"X must hold at least one sample \(K >= 1\), got shape \(0, 3\)"):
        solver.check_accuracy(np.ones((0, 3)), np.zeros(0, int))
    assert solver.check_accuracy(np.ones((5, 3)), np.zeros(5, int), num_samples=3, batch_size=2) == 1.0
