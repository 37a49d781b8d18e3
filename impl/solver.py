"""The training loop (contract: spec/contract/solver.py), CS231n's Solver.

``Solver(model, data, ...)`` trains any model with ``params`` (a dict of arrays) and ``loss(X, y=None)`` by minibatch
SGD with an update rule of this package's optim module (named) or any rule passed in. Each parameter has its own
config, a deep copy of optim_config (which is never modified), carried from one call of the rule to the next. At the
end of every epoch each config's learning rate is multiplied by lr_decay, the accuracies on the training and
validation data are appended to their histories, and a copy of the parameters is kept whenever the validation accuracy
beats every earlier check; train() leaves those best parameters in model.params.

The random draws (minibatches with replacement, as CS231n's ``np.random.choice``; the subsets of check_accuracy,
without replacement) come from ``np.random.default_rng(seed)``, created by the constructor: the same seed gives the
same training run.
"""

import copy

import numpy as np

from impl import _validate, optim

RULES = ("sgd", "sgd_momentum", "rmsprop", "adam")
DATA_KEYS = ("X_train", "y_train", "X_val", "y_val")


def _model(model):
    params = getattr(model, "params", None)
    if not isinstance(params, dict) or not callable(getattr(model, "loss", None)):
        raise ValueError("model must have params (a dict of parameter arrays) and a method loss(X, y=None), got "
                         f"{type(model).__name__}")
    return model


def _data(data):
    """The four arrays of data, checked: X_train (N, d1, ..., dk) with N >= 1, X_val (M, d1, ..., dk) with M >= 1, and
    integer labels y_train (N,) and y_val (M,) (each >= 0; the model's class count is its own business)."""
    if not isinstance(data, dict):
        raise ValueError(f"data must be a dict with keys {', '.join(map(repr, DATA_KEYS))}, got {type(data).__name__}")
    missing = [key for key in DATA_KEYS if key not in data]
    if missing:
        raise ValueError(f"data must hold {', '.join(map(repr, DATA_KEYS))}; missing {missing}")
    arrays = {}
    for split, size in (("train", "N"), ("val", "M")):
        name = f"data['X_{split}']"
        X = _validate.real_array(name, data[f"X_{split}"])
        if X.ndim < 2:
            raise ValueError(f"{name} must have shape ({size}, d1, ..., dk), got shape {X.shape}")
        _validate.nonempty(name, X, "sample", size)
        arrays[f"X_{split}"] = X
        arrays[f"y_{split}"] = _validate.labels(data[f"y_{split}"], X.shape[0], name=f"data['y_{split}']",
                                                against=f"{name} of shape {X.shape}")
    if arrays["X_val"].shape[1:] != arrays["X_train"].shape[1:]:
        raise ValueError(f"data['X_val'] must have shape (M, {', '.join(map(str, arrays['X_train'].shape[1:]))}) "
                         f"like data['X_train'] of shape {arrays['X_train'].shape}, got {arrays['X_val'].shape}")
    return arrays


def _rule(update_rule):
    if callable(update_rule):
        return update_rule
    if isinstance(update_rule, str) and update_rule in RULES:
        return getattr(optim, update_rule)
    raise ValueError(f"update_rule must be one of {', '.join(map(repr, RULES))} or a function "
                     f"rule(w, dw, config) -> (next_w, config), got {update_rule!r}")


class Solver:
    def __init__(self, model, data, update_rule="sgd", optim_config=None, lr_decay=1.0, batch_size=100,
                 num_epochs=10, num_train_samples=1000, num_val_samples=None, seed=None):
        self.model = _model(model)
        arrays = _data(data)
        self.X_train, self.y_train = arrays["X_train"], arrays["y_train"]
        self.X_val, self.y_val = arrays["X_val"], arrays["y_val"]
        self.update_rule = _rule(update_rule)
        if optim_config is not None and not isinstance(optim_config, dict):
            raise ValueError(f"optim_config must be a dict or None, got {type(optim_config).__name__}")
        self.optim_config = copy.deepcopy(optim_config or {})  # the caller's dict is never touched
        self.lr_decay = _validate.real_number("lr_decay", lr_decay, minimum=0.0)
        self.batch_size = _validate.count("batch_size", batch_size, 1)
        self.num_epochs = _validate.count("num_epochs", num_epochs, 1)
        self.num_train_samples = _validate.count("num_train_samples", num_train_samples, 1)
        self.num_val_samples = None if num_val_samples is None else _validate.count("num_val_samples",
                                                                                     num_val_samples, 1)
        self.seed = None if seed is None else _validate.count("seed", seed, 0)
        self.rng = np.random.default_rng(self.seed)
        self._reset()

    def _reset(self):
        self.epoch = 0
        self.loss_history, self.train_acc_history, self.val_acc_history = [], [], []
        self.best_val_acc = 0.0
        self.best_params = {}
        self.optim_configs = {key: copy.deepcopy(self.optim_config) for key in self.model.params}

    def _step(self):
        """One iteration: a minibatch with replacement, its loss recorded, every parameter updated by its rule."""
        n = self.X_train.shape[0]
        batch = self.rng.integers(0, n, size=self.batch_size)
        loss, grads = self.model.loss(self.X_train[batch], self.y_train[batch])
        self.loss_history.append(float(loss))
        missing = [key for key in self.model.params if key not in grads]
        if missing:
            raise ValueError(f"model.loss(X, y) must return grads keyed like model.params; missing {missing}")
        for key in list(self.model.params):
            next_w, self.optim_configs[key] = self.update_rule(self.model.params[key], grads[key],
                                                               self.optim_configs[key])
            self.model.params[key] = next_w

    def _decay(self):
        if self.lr_decay == 1.0:
            return
        for key, config in self.optim_configs.items():
            if "learning_rate" not in config:
                raise ValueError(f"lr_decay = {self.lr_decay!r} needs a learning_rate to decay, but the update rule's "
                                 f"config of {key!r} has none: {sorted(config)}")
            config["learning_rate"] *= self.lr_decay

    def _check(self):
        train_acc = self.check_accuracy(self.X_train, self.y_train, num_samples=self.num_train_samples)
        val_acc = self.check_accuracy(self.X_val, self.y_val, num_samples=self.num_val_samples)
        self.train_acc_history.append(train_acc)
        self.val_acc_history.append(val_acc)
        if len(self.val_acc_history) == 1 or val_acc > self.best_val_acc:  # the first check always counts
            self.best_val_acc = val_acc
            self.best_params = {key: np.array(value, dtype=np.float64, copy=True)
                                for key, value in self.model.params.items()}

    def train(self):
        self._reset()
        iterations_per_epoch = max(self.X_train.shape[0] // self.batch_size, 1)
        for epoch in range(self.num_epochs):
            self.epoch = epoch
            for _ in range(iterations_per_epoch):
                self._step()
            self._decay()
            self._check()
        for key, value in self.best_params.items():  # copies: best_params stays as it was when kept
            self.model.params[key] = value.copy()

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        X = _validate.real_array("X", X)
        if X.ndim < 1:
            raise ValueError(f"X must have shape (K, d1, ..., dk), got shape {X.shape}")
        _validate.nonempty("X", X, "sample", "K")
        y = _validate.labels(y, X.shape[0], name="labels y", against=f"X of shape {X.shape}")
        batch_size = _validate.count("batch_size", batch_size, 1)
        k = X.shape[0]
        if num_samples is not None and _validate.count("num_samples", num_samples, 1) < k:
            subset = self.rng.choice(k, size=num_samples, replace=False)
            X, y, k = X[subset], y[subset], num_samples
        predicted = np.concatenate([np.argmax(self.model.loss(X[i:i + batch_size]), axis=1)
                                    for i in range(0, k, batch_size)])
        return float(np.mean(predicted == y))
