"""What this chapter's property modules share: models and update rules made by the properties, a correct training
loop written here (the base of the Solver's alternatives and mutants), and the trusted network and loop of the
debugging recipe.

Data sets made here identify their rows: the first feature of every sample is its row id (an integer, exact in
float64), so a model can tell which rows a minibatch holds and the properties can check them.
"""

from __future__ import annotations

import copy

import numpy as np

from spec.expect import EPS
from spec.neural_networks.by_hand import FullyConnectedNetWithLoops

# Accuracies. A correct check_accuracy computes c / K from c correct predictions out of K, exactly (one division) or
# as a combination of B batch accuracies (a weighted mean: B products and B - 1 sums of numbers of size <= 1, then one
# division), each operation off by at most u = EPS / 2 relative: within (2B + 1) u <= (B + 1) EPS of c / K.


def accuracy_tolerance(k: int, batch_size: int) -> float:
    """The absolute error allowed in an accuracy over k samples checked in batches of batch_size (see above)."""
    batches = -(-k // batch_size)
    return (batches + 1) * EPS


# Data sets whose rows say who they are.


def identified_data(sample_shape, labels, first_id=0):
    """X of shape (len(labels), *sample_shape): row i holds first_id + i in its first entry, its label in its second
    (when there is one), zeros elsewhere."""
    n = len(labels)
    X = np.zeros((n, int(np.prod(sample_shape))))
    X[:, 0] = first_id + np.arange(n)
    if X.shape[1] > 1:
        X[:, 1] = labels
    return X.reshape((n, *sample_shape))


def readable(inputs: dict) -> dict:
    """inputs for an expect message, everything but numbers and arrays written as its repr (spec.expect.fmt formats
    numbers, arrays and strings, and raises a TypeError on None, a dict or another object)."""
    return {k: v if isinstance(v, (np.ndarray, int, float, np.number, str)) and not isinstance(v, bool) else repr(v)
            for k, v in inputs.items()}


def row_ids(X) -> np.ndarray:
    return X.reshape(X.shape[0], -1)[:, 0].astype(np.int64)


def shape_text(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


# Models made by the properties. Each reads its params at every call and never modifies them.


class ProbeModel:
    """A model that records what the training loop shows it. params: zeros of the given shapes. loss(X, y) records
    the minibatch and returns the loss 1 + (mean row id of X) / 8 + (number of the call) / 1024, and the gradient
    grads[key] filled with key's tag (1, 2, 3, ... in the order of the keys), so that an update rule can tell which
    parameter a gradient belongs to. loss(X) returns the scores table[row id] (no ties within a row)."""

    def __init__(self, shapes: dict, table: np.ndarray):
        self.shapes = {k: tuple(s) for k, s in shapes.items()}
        self.params = {k: np.zeros(s) for k, s in self.shapes.items()}
        self.tags = {k: float(i) for i, k in enumerate(self.shapes, start=1)}
        self.table = np.asarray(table, dtype=np.float64)
        self.batches = []  # (X, y) of every call with labels, as given
        self.losses = []  # what each of those calls returned
        self.scored = []  # the row ids of every call without labels

    def __repr__(self):
        shapes = ", ".join(f"{k}: {shape_text(s)}" for k, s in self.shapes.items())
        return (f"<model made by the property: params {{{shapes}}} starting at 0; loss(X, y) = 1 + mean(row ids of X) "
                f"/ 8 + (call number) / 1024, grads[key] filled with {self.tags}; loss(X) = scores table[row id], "
                f"table = {self.table.tolist()}>")

    def loss(self, X, y=None):
        ids = row_ids(X)
        if y is None:
            self.scored.append(ids)
            return self.table[ids]
        self.batches.append((np.array(X, copy=True), np.array(y, copy=True)))
        value = 1.0 + float(np.mean(ids)) / 8 + len(self.losses) / 1024
        self.losses.append(value)
        return value, {k: np.full(s, self.tags[k]) for k, s in self.shapes.items()}

    def fresh(self):
        """A new ProbeModel like this one, at its initial params, with nothing recorded (a hypothesis @example's model
        is made once and shared by every run)."""
        return ProbeModel(self.shapes, self.table)

    def tag_of(self, dw) -> str:
        """The key of the parameter whose gradient dw is (grads are filled with its tag)."""
        value = float(np.asarray(dw).flat[0])
        return next((k for k, t in self.tags.items() if t == value), f"<no parameter has tag {value!r}>")


class ProfileModel:
    """A model whose validation accuracy follows a chosen profile as it trains. params: theta (shape (1,)) and others
    of the given shapes, all starting at 0; the rule StepRule adds 1 to every entry at every iteration, so that after
    t iterations theta = t. loss(X) scores a validation row (ids first_val_id, first_val_id + 1, ...) with a 1 at its
    label when its index among the validation rows is below profile[t] (correct), else with a 1 at the next class
    (wrong): the validation accuracy after t iterations is min(profile[t], M) / M. Training rows are always correct.
    loss(X, y) returns a constant loss and zero gradients (the rule ignores them)."""

    def __init__(self, profile, first_val_id: int, num_classes: int, shapes: dict):
        self.profile = [int(p) for p in profile]
        self.first_val_id = int(first_val_id)
        self.num_classes = int(num_classes)
        self.shapes = {"theta": (1,), **{k: tuple(s) for k, s in shapes.items()}}
        self.params = {k: np.zeros(s) for k, s in self.shapes.items()}

    def __repr__(self):
        return (f"<model made by the property: params theta (1,) and {list(self.shapes)[1:]}, all 0, +1 an iteration; "
                f"after t iterations the first profile[t] validation rows are classified right, profile = "
                f"{self.profile}, validation rows from id {self.first_val_id}, {self.num_classes} classes>")

    def fresh(self):
        """A new ProfileModel like this one, at its initial params."""
        return ProfileModel(self.profile, self.first_val_id, self.num_classes,
                            {k: s for k, s in self.shapes.items() if k != "theta"})

    def accuracy_after(self, t: int, m: int) -> float:
        return min(self.profile[t], m) / m

    def loss(self, X, y=None):
        flat = X.reshape(X.shape[0], -1)
        ids, labels = flat[:, 0].astype(np.int64), flat[:, 1].astype(np.int64)
        t = round(float(self.params["theta"][0]))
        index = ids - self.first_val_id  # negative for training rows
        correct = (index < 0) | (index < self.profile[min(max(t, 0), len(self.profile) - 1)])
        predicted = np.where(correct, labels, (labels + 1) % self.num_classes)
        if y is None:
            scores = np.zeros((X.shape[0], self.num_classes))
            scores[np.arange(X.shape[0]), predicted] = 1.0
            return scores
        return 0.5, {k: np.zeros(s) for k, s in self.shapes.items()}


# Update rules made by the properties. The Solver is given each rule's .function, a plain function named after what
# it does (a Solver may accept only functions, not callable objects; the reproduction prints its name as a comment).


def _named_function(rule, name):
    def function(w, dw, config=None):
        return rule(w, dw, config)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = repr(rule)
    return function



class RecordingRule:
    """rule(w, dw, config): SGD, next_w = w - learning_rate * dw, that records each call's parameter (by its
    gradient's tag), the number of calls found in the config (config["calls"], 0 when absent), the learning rate and
    the config's other entries, then returns the config with calls + 1. in_place: w and config are updated in place
    and returned (as the contract allows), else new ones are returned."""

    def __init__(self, model: ProbeModel, in_place: bool):
        self.model = model
        self.in_place = in_place
        self.calls = []  # (key, calls seen, learning rate, the config as given)
        name = "sgd_recording_its_calls_" + ("in_place" if in_place else "as_new_objects")
        self.function = _named_function(self, name)

    def __repr__(self):
        where = "in place" if self.in_place else "as new objects"
        return (f"<update rule made by the property: next_w = w - config['learning_rate'] * dw, config['calls'] += 1, "
                f"both returned {where}>")

    def __call__(self, w, dw, config=None):
        config = {} if config is None else config
        seen = config.get("calls", 0)
        self.calls.append((self.model.tag_of(dw), seen, config.get("learning_rate"), copy.deepcopy(config)))
        lr = config.get("learning_rate", 1e-2)
        if self.in_place:
            w -= lr * dw
            config["calls"] = seen + 1
            return w, config
        return w - lr * dw, {**config, "calls": seen + 1}

    def of(self, key):
        return [c for c in self.calls if c[0] == key]


class StepRule:
    """rule(w, dw, config): next_w = w + 1, in place (w += 1) or as a new array; the config returned with its
    learning_rate (default 1e-2, as the contract's rules set it) and nothing else changed."""

    def __init__(self, in_place: bool):
        self.in_place = in_place
        self.function = _named_function(self, "add_one_to_w_" + ("in_place" if in_place else "as_a_new_array"))

    def __repr__(self):
        return (f"<update rule made by the property: next_w = w + 1 ({'in place' if self.in_place else 'a new array'}"
                "), config returned with learning_rate>")

    def __call__(self, w, dw, config=None):
        config = {"learning_rate": 1e-2, **(config or {})}
        if self.in_place:
            w += 1.0
            return w, config
        return w + 1.0, config


# Trusted update rules, for the name lookup of the Solvers written here (the contract's defaults).


def sgd(w, dw, config=None):
    config = {"learning_rate": 1e-2, **(config or {})}
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    config = {"learning_rate": 1e-2, "momentum": 0.9, **(config or {})}
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    return w + v, {**config, "velocity": v}


def rmsprop(w, dw, config=None):
    config = {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8, **(config or {})}
    rho = config["decay_rate"]
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), {**config, "cache": cache}


def adam(w, dw, config=None):
    config = {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, **(config or {})}
    b1, b2, t = config["beta1"], config["beta2"], config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    step = config["learning_rate"] * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + config["epsilon"])
    return w - step, {**config, "m": m, "v": v, "t": t}


TRUSTED_RULES = {"sgd": sgd, "sgd_momentum": sgd_momentum, "rmsprop": rmsprop, "adam": adam}


# A correct Solver written here: the base of the alternatives and mutants. Its steps are methods, so that each
# variant overrides just the step it does differently.


class LoopSolver:
    """CS231n's Solver written with loops: minibatches with replacement from np.random.default_rng(seed), each
    parameter's config a deep copy of optim_config, one check per epoch, accuracies counted in batches."""

    def __init__(self, model, data, update_rule="sgd", optim_config=None, lr_decay=1.0, batch_size=100,
                 num_epochs=10, num_train_samples=1000, num_val_samples=None, seed=None):
        self.model = model
        self.X_train, self.y_train = data["X_train"], data["y_train"]
        self.X_val, self.y_val = data["X_val"], data["y_val"]
        self.update_rule = update_rule if callable(update_rule) else TRUSTED_RULES[update_rule]
        self.optim_config = {} if optim_config is None else optim_config
        self.lr_decay = lr_decay
        self.batch_size = batch_size
        self.num_epochs = num_epochs
        self.num_train_samples = num_train_samples
        self.num_val_samples = num_val_samples
        self.rng = self._generator(seed)
        self.loss_history, self.train_acc_history, self.val_acc_history = [], [], []
        self.best_val_acc, self.best_params = 0.0, {}

    # Steps.

    def _generator(self, seed):
        return np.random.default_rng(seed)

    def _choice(self, n, size, replace=True):
        return self.rng.choice(n, size=size, replace=replace)

    def _new_configs(self):
        return {key: copy.deepcopy(self.optim_config) for key in self.model.params}

    def _iterations_per_epoch(self):
        return max(len(self.X_train) // self.batch_size, 1)

    def _minibatch(self):
        n = len(self.X_train)
        index = self._choice(n, self.batch_size)
        return self.X_train[index], self.y_train[index]

    def _record_loss(self, loss, last_of_epoch):
        self.loss_history.append(float(loss))

    def _update(self, grads, configs):
        for key in list(self.model.params):
            self.model.params[key], configs[key] = self.update_rule(self.model.params[key], grads[key], configs[key])

    def _after_iteration(self, configs, first, last_of_epoch):
        pass

    def _decay(self, configs):
        for config in configs.values():
            if "learning_rate" in config:
                config["learning_rate"] *= self.lr_decay

    def _end_of_epoch(self, configs):
        self._decay(configs)
        self._check()

    def _check(self):
        train_acc = self.check_accuracy(self.X_train, self.y_train, num_samples=self.num_train_samples)
        val_acc = self.check_accuracy(self.X_val, self.y_val, num_samples=self.num_val_samples)
        self.train_acc_history.append(train_acc)
        self.val_acc_history.append(val_acc)
        self._keep_best(val_acc)

    def _keep_best(self, val_acc):
        if len(self.val_acc_history) == 1 or val_acc > self.best_val_acc:
            self.best_val_acc = val_acc
            self.best_params = {key: value.copy() for key, value in self.model.params.items()}

    def _restore_best(self):
        self.model.params = {key: value.copy() for key, value in self.best_params.items()}

    # The contract's methods.

    def train(self):
        configs = self._new_configs()
        per_epoch = self._iterations_per_epoch()
        for epoch in range(self.num_epochs):
            for it in range(per_epoch):
                X_batch, y_batch = self._minibatch()
                loss, grads = self.model.loss(X_batch, y_batch)
                self._record_loss(loss, it == per_epoch - 1)
                self._update(grads, configs)
                self._after_iteration(configs, epoch == 0 and it == 0, it == per_epoch - 1)
            self._end_of_epoch(configs)
        self._restore_best()

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        k = len(X)
        if num_samples is not None and k > num_samples:
            index = self._choice(k, num_samples, replace=False)
            X, y, k = X[index], y[index], num_samples
        correct = 0
        for start in range(0, k, batch_size):
            scores = self.model.loss(X[start:start + batch_size])
            correct += int(np.sum(np.argmax(scores, axis=1) == y[start:start + batch_size]))
        return correct / k


# The debugging recipe: a trusted two-layer network and a trusted loop.


class TrustedTwoLayerNet(FullyConnectedNetWithLoops):
    """affine - ReLU - affine - softmax written in spec/ (spec/neural_networks/by_hand.py), weights drawn from
    np.random.default_rng(seed) with standard deviation weight_scale, biases 0, no regularization."""

    def __init__(self, input_dim, hidden_dim, num_classes, weight_scale, seed):
        super().__init__([hidden_dim], input_dim=input_dim, num_classes=num_classes, weight_scale=weight_scale,
                         seed=seed)
        self.description = (f"TrustedTwoLayerNet(input_dim={input_dim}, hidden_dim={hidden_dim}, "
                            f"num_classes={num_classes}, weight_scale={weight_scale}, seed={seed})")

    def __repr__(self):
        return f"<trusted network written in spec/training/common.py: {self.description}>"


def overfit(rule, net, X, y, config, budget, target_loss):
    """Train net on (X, y), the whole batch at every iteration, until the loss is below target_loss or budget
    iterations have run. The parameters are packed into one vector theta (W1, b1, W2, b2 flattened, in order) and the
    rule called once per iteration, theta, config = rule(theta, dtheta, config), starting from a deep copy of config:
    the update rules are elementwise, so this is one call per parameter with each parameter's own config, in a
    quarter of the calls. Returns (iterations run, the last loss, the final training accuracy, the loss history)."""
    keys = list(net.params)
    shapes = [np.shape(net.params[k]) for k in keys]
    ends = np.cumsum([int(np.prod(s)) for s in shapes])
    theta = np.concatenate([np.ravel(net.params[k]) for k in keys])
    config = copy.deepcopy(config)
    history = []
    for it in range(budget + 1):
        for key, shape, part in zip(keys, shapes, np.split(theta, ends[:-1])):
            net.params[key] = part.reshape(shape).copy()
        loss, grads = net.loss(X, y)
        history.append(loss)
        if loss < target_loss or not np.isfinite(loss) or it == budget:
            break
        theta, config = rule(theta, np.concatenate([np.ravel(grads[k]) for k in keys]), config)
    accuracy = float(np.mean(np.argmax(net.loss(X), axis=1) == y))
    return it, history[-1], accuracy, history
