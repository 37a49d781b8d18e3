"""The training loop, CS231n's Solver: Solver(model, data, update_rule, optim_config, lr_decay, batch_size, num_epochs,
num_train_samples, num_val_samples, seed).train(), and check_accuracy(X, y, num_samples, batch_size).

Every property passes the Solver a model made here (spec/training/common.py): ProbeModel records the minibatches it
is shown and tags each gradient with its parameter; ProfileModel's validation accuracy follows a drawn profile as it
trains. The update rules are functions made here that record what they are given (RecordingRule) or add 1 to every
weight (StepRule). So each property checks the loop, not the student's networks or update rules.

What the contract leaves open and the properties accept: minibatches with or without replacement, drawn from any
generator that the seed fixes; configs kept in any structure; a check after the first iteration as well (CS231n);
histories as lists or arrays; accuracies computed at once or batch by batch (a weighted mean within a few EPS).
"""

import copy

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.property import alternative, mutant, prop
from spec.training.common import (
    LoopSolver,
    ProbeModel,
    ProfileModel,
    RecordingRule,
    StepRule,
    accuracy_tolerance,
    identified_data,
    readable,
    row_ids,
)

CONCEPT = "training loop"
CS231N = ("CS231n assignment 2, solver.py: Solver(model, data, update_rule, optim_config, lr_decay, batch_size, "
          "num_epochs); each parameter has its own optim config, the best validation parameters are kept")
I2DL_SGD = ("TUM I2DL lecture 5 recap, slide 4 (minibatch SGD: the gradient of the l-th batch of m samples; iteration "
            "vs epoch)")
I2DL_DECAY = "TUM I2DL lecture 6, slides 28-29 (learning-rate decay over epochs)"
CS231N_ACC = "CS231n assignment 2, solver.py: check_accuracy (argmax of the scores, in batches, on a random subset)"

ITERATION_FREE_SAMPLE_SHAPES = ((2,), (3,), (1, 2), (2, 2))


# Strategies, named after what they produce.


def sample_shapes():
    return st.sampled_from(ITERATION_FREE_SAMPLE_SHAPES)


def parameter_shapes():
    """{key: shape}: one to four parameters named like a network's (W1, b1, W2, b2), each with 1 to 6 entries."""
    shape = st.lists(st.integers(1, 3), min_size=1, max_size=2).map(tuple)
    return st.integers(1, 4).flatmap(
        lambda n: st.lists(shape, min_size=n, max_size=n).map(
            lambda shapes: {f"{'Wb'[i % 2]}{i // 2 + 1}": s for i, s in enumerate(shapes)}))


@st.composite
def score_tables(draw, rows, classes):
    """Scores of shape (rows, classes), each row a permutation of 0 .. classes - 1: no ties, any argmax."""
    return np.array([draw(st.permutations(range(classes))) for _ in range(rows)], dtype=np.float64)


@st.composite
def probe_problems(draw, max_rows=8):
    """(model, data): a ProbeModel with drawn parameter shapes and a data set of N training and M validation rows
    that carry their ids (0 .. N - 1, then N .. N + M - 1) and labels in [0, C)."""
    n, m, c = draw(st.integers(1, max_rows)), draw(st.integers(1, 4)), draw(st.integers(2, 4))
    shape = draw(sample_shapes())
    y_train = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    y_val = np.array(draw(st.lists(st.integers(0, c - 1), min_size=m, max_size=m)), dtype=np.int64)
    data = {"X_train": identified_data(shape, y_train), "y_train": y_train,
            "X_val": identified_data(shape, y_val, first_id=n), "y_val": y_val}
    model = ProbeModel(draw(parameter_shapes()), draw(score_tables(n + m, c)))
    return model, data


def learning_rates():
    return st.one_of(st.sampled_from([1e-2, 1.0, 0.1]), st.floats(1e-4, 10.0, allow_subnormal=False))


def decays():
    return st.one_of(st.sampled_from([0.5, 0.95, 1.0]), st.floats(0.1, 1.0, allow_subnormal=False))


def run(Solver, model, data, **kwargs):
    solver = Solver(model=model, data=data, **kwargs)
    solver.train()
    return solver


# Properties.


@prop(CONCEPT, CS231N, "Each parameter gets its own config, a copy of optim_config, carried from one call of the update rule to the next: a rule counting its calls in the config sees 0, 1, 2, ... for every parameter; optim_config itself is never modified.")
@given(problem=probe_problems(), batch_size=st.integers(1, 4), num_epochs=st.integers(1, 3),
       in_place=st.booleans(), lr=learning_rates())
@example(problem=(ProbeModel({"W1": (2, 3), "b1": (3,)}, np.array([[0.0, 1.0]] * 3)),
                  {"X_train": identified_data((2,), [0, 1]), "y_train": np.array([0, 1]),
                   "X_val": identified_data((2,), [1], 2), "y_val": np.array([1])}),
         batch_size=1, num_epochs=2, in_place=True, lr=0.5)
def test_each_parameter_has_its_own_config_carried_between_calls(Solver, problem, batch_size, num_epochs, in_place,
                                                                  lr):
    model, data = problem[0].fresh(), problem[1]
    rule = RecordingRule(model, in_place)
    optim_config = {"learning_rate": lr, "momentum": 0.5}
    before = copy.deepcopy(optim_config)
    solver = Solver(model=model, data=data, update_rule=rule.function, optim_config=optim_config, batch_size=batch_size,
                    num_epochs=num_epochs, seed=0)
    solver.train()
    iterations = num_epochs * max(len(data["y_train"]) // batch_size, 1)
    inputs = readable({"model": model, "optim_config": before, "batch_size": batch_size, "num_epochs": num_epochs,
                       "N": len(data["y_train"])})
    for key in model.params:
        calls = rule.of(key)
        expect.equal(f"the number of update-rule calls for params[{key!r}]", len(calls), iterations,
                     why="one call per parameter per iteration, num_epochs * max(N // batch_size, 1) iterations",
                     inputs=inputs)
        seen = [c[1] for c in calls]
        expect.equal(f"config['calls'] as the rule saw it at the calls for params[{key!r}]", seen,
                     list(range(iterations)),
                     why=("each parameter's config is the one the rule returned at that parameter's previous call "
                          "(a rule that counts its calls in its config sees 0, 1, 2, ...); a config shared between "
                          "parameters, or not carried over, sees other counts"), inputs=inputs)
        first = calls[0][3]
        for name, value in before.items():
            if first.get(name) != value:
                expect.fail(f"the first config passed to the rule for params[{key!r}] is {first}, but should hold "
                            f"optim_config's {name!r} = {value!r} [each parameter starts from its own copy of "
                            "optim_config]", inputs)
    if optim_config != before:
        expect.fail(f"optim_config is {optim_config} after train(), but should still be {before} [the Solver never "
                    "modifies optim_config: each parameter gets its own copy]", inputs)


@prop(CONCEPT, I2DL_SGD, "train() runs num_epochs * max(N // batch_size, 1) iterations, each on a minibatch of batch_size rows of X_train with their own labels, and loss_history holds the loss the model returned at each iteration.")
@given(problem=probe_problems(), batch_size=st.integers(1, 10), num_epochs=st.integers(1, 3))
@example(problem=(ProbeModel({"W1": (2,)}, np.array([[0.0, 1.0]] * 7)),
                  {"X_train": identified_data((1, 2), [0, 1, 1, 0, 1, 0]), "y_train": np.array([0, 1, 1, 0, 1, 0]),
                   "X_val": identified_data((1, 2), [1], 6), "y_val": np.array([1])}),
         batch_size=2, num_epochs=2)
def test_an_epoch_is_N_over_batch_size_iterations_of_labelled_minibatches(Solver, problem, batch_size, num_epochs):
    model, data = problem[0].fresh(), problem[1]
    n = len(data["y_train"])
    solver = run(Solver, model, data, update_rule=RecordingRule(model, False).function,
                 optim_config={"learning_rate": 0.1},
                 batch_size=batch_size, num_epochs=num_epochs, seed=0)
    iterations = num_epochs * max(n // batch_size, 1)
    inputs = readable({"X_train (row i holds i, y_train[i])": data["X_train"], "y_train": data["y_train"],
                       "batch_size": batch_size, "num_epochs": num_epochs})
    expect.equal("the number of model.loss(X, y) calls during train()", len(model.batches), iterations,
                 why=f"num_epochs * max(N // batch_size, 1) = {num_epochs} * max({n} // {batch_size}, 1) iterations, "
                     "each one call of the model with a minibatch", inputs=inputs)
    for i, (X, y) in enumerate(model.batches):
        expect.equal(f"the number of rows in minibatch {i}", X.shape[0], batch_size, why="batch_size rows",
                     inputs=inputs)
        ids = row_ids(X)
        expect.holds(f"the row ids of minibatch {i}", ids, (ids >= 0) & (ids < n), "ids of training rows (0 .. N-1)",
                     inputs=inputs)
        expect.equal(f"minibatch {i}'s X", X, data["X_train"][ids], why="rows of X_train", inputs=inputs)
        expect.equal(f"minibatch {i}'s labels y", y, data["y_train"][ids],
                     why="the labels of the rows of X_train in the minibatch (X_train[i] goes with y_train[i])",
                     inputs=inputs)
    history = np.asarray(solver.loss_history, dtype=np.float64).ravel()
    expect.equal("len(loss_history)", len(history), iterations, why="one loss per iteration", inputs=inputs)
    expect.equal("loss_history", history, model.losses,
                 why="the loss model.loss(X_batch, y_batch) returned at each iteration, in order", inputs=inputs)


@prop(CONCEPT, I2DL_DECAY, "Epoch e runs with learning rate learning_rate * lr_decay**e: the rate the update rule sees in its config is multiplied by lr_decay once at the end of every epoch, never in between.")
@given(problem=probe_problems(), batch_size=st.integers(1, 4), num_epochs=st.integers(1, 4), lr=learning_rates(),
       lr_decay=decays())
@example(problem=(ProbeModel({"W1": (1,), "b1": (2,)}, np.array([[0.0, 1.0]] * 5)),
                  {"X_train": identified_data((2,), [0, 1, 0, 1]), "y_train": np.array([0, 1, 0, 1]),
                   "X_val": identified_data((2,), [1], 4), "y_val": np.array([1])}),
         batch_size=2, num_epochs=3, lr=0.1, lr_decay=0.5)
def test_the_learning_rate_decays_once_per_epoch(Solver, problem, batch_size, num_epochs, lr, lr_decay):
    model, data = problem[0].fresh(), problem[1]
    rule = RecordingRule(model, False)
    run(Solver, model, data, update_rule=rule.function, optim_config={"learning_rate": lr}, lr_decay=lr_decay,
        batch_size=batch_size, num_epochs=num_epochs, seed=0)
    per_epoch = max(len(data["y_train"]) // batch_size, 1)
    inputs = readable({"learning_rate": lr, "lr_decay": lr_decay, "batch_size": batch_size, "num_epochs": num_epochs,
                       "N": len(data["y_train"]), "iterations per epoch": per_epoch})
    for key in model.params:
        seen = np.array([c[2] for c in rule.of(key)], dtype=np.float64)
        expect.equal(f"the number of update-rule calls for params[{key!r}]", len(seen), num_epochs * per_epoch,
                     why="one call per parameter per iteration", inputs=inputs)
        epoch = np.arange(len(seen)) // per_epoch
        expected = lr * lr_decay ** epoch
        # Epoch e's rate is lr times lr_decay e times, e roundings of u = EPS/2 relative (or lr * lr_decay**e: a power
        # within an ulp and a product): within (e + 2) EPS relative of lr * lr_decay**e computed here.
        expect.close(f"config['learning_rate'] at each call for params[{key!r}]", seen, expected,
                     rtol=(epoch + 2) * EPS,
                     why="learning_rate * lr_decay**e during epoch e (decayed at the end of every epoch)",
                     inputs=inputs)


@st.composite
def rising_and_falling_runs(draw):
    """(model, data, batch_size, num_epochs, in_place): a ProfileModel whose validation accuracy after t iterations is
    drawn for every t, a data set of N training and M validation rows, and StepRule's in-place choice."""
    n, m, c = draw(st.integers(1, 6)), draw(st.integers(1, 5)), draw(st.integers(2, 3))
    batch_size, num_epochs = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    iterations = num_epochs * max(n // batch_size, 1)
    profile = draw(st.lists(st.integers(0, m), min_size=iterations + 1, max_size=iterations + 1))
    shape = draw(sample_shapes())
    y_train = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    y_val = np.array(draw(st.lists(st.integers(0, c - 1), min_size=m, max_size=m)), dtype=np.int64)
    data = {"X_train": identified_data(shape, y_train), "y_train": y_train,
            "X_val": identified_data(shape, y_val, first_id=n), "y_val": y_val}
    shapes = draw(parameter_shapes())
    return ProfileModel(profile, n, c, shapes), data, batch_size, num_epochs, draw(st.booleans())


def _rise_and_fall(profile, m, num_epochs, in_place):
    """A worked run: N = 2 training rows, batch_size 1 (2 iterations an epoch), M = m validation rows."""
    y_train, y_val = np.array([0, 1]), np.arange(m) % 2
    data = {"X_train": identified_data((2,), y_train), "y_train": y_train,
            "X_val": identified_data((2,), y_val, first_id=2), "y_val": y_val}
    return ProfileModel(profile, 2, 2, {"W1": (2, 2)}), data, 1, num_epochs, in_place


@prop(CONCEPT, CS231N, "The best parameters are kept: val_acc_history holds the validation accuracy at the end of every epoch, best_val_acc is its maximum, and after train() model.params equals best_params and scores that best accuracy on the validation data (also when a later epoch is worse).")
@given(run_=rising_and_falling_runs())
@example(run_=_rise_and_fall([0, 1, 2, 3, 1, 0, 0], m=3, num_epochs=3, in_place=True))  # rises, then falls
@example(run_=_rise_and_fall([0, 0, 0, 0, 0], m=2, num_epochs=2, in_place=False))  # every check at 0
def test_the_best_validation_parameters_are_kept(Solver, run_):
    model, data, batch_size, num_epochs, in_place = run_
    model = model.fresh()
    m = len(data["y_val"])
    per_epoch = max(len(data["y_train"]) // batch_size, 1)
    solver = run(Solver, model, data, update_rule=StepRule(in_place).function, batch_size=batch_size,
                 num_epochs=num_epochs, seed=0)
    inputs = readable({"model": model, "X_val (row j holds its id and y_val[j])": data["X_val"], "y_val": data["y_val"],
                       "batch_size": batch_size, "num_epochs": num_epochs, "iterations per epoch": per_epoch})
    at_epoch_ends = [model.accuracy_after((e + 1) * per_epoch, m) for e in range(num_epochs)]
    history = np.asarray(solver.val_acc_history, dtype=np.float64).ravel()
    tolerance = accuracy_tolerance(m, 100)
    allowed = (num_epochs, num_epochs + 1) if per_epoch > 1 else (num_epochs,)
    if len(history) not in allowed:
        expect.fail(f"len(val_acc_history) = {len(history)}, but should be {num_epochs} (one check per epoch"
                    + (", or one more after the first iteration as in CS231n" if per_epoch > 1 else "") + ")", inputs)
    if len(history) == num_epochs + 1:
        expect.close("val_acc_history[0] (the check after the first iteration)", history[0],
                     model.accuracy_after(1, m), atol=tolerance, why="the validation accuracy after one iteration",
                     inputs=inputs)
    expect.close(f"val_acc_history[-{num_epochs}:]", history[len(history) - num_epochs:], at_epoch_ends,
                 atol=tolerance, why="the validation accuracy at the end of each epoch", inputs=inputs)
    expect.equal("best_val_acc", solver.best_val_acc, history.max(), why="max(val_acc_history)", inputs=inputs)
    best_params, keys = solver.best_params, sorted(model.shapes)
    for name, params in (("best_params", best_params), ("model.params after train()", model.params)):
        if sorted(params) != keys:
            expect.fail(f"{name} has keys {sorted(params)}, but should have the keys of the model's parameters, "
                        f"{keys} [best_params is a copy of model.params at the best check, which may be the first: "
                        "it counts even when its accuracy is 0]", inputs)
    for key in keys:
        expect.equal(f"model.params[{key!r}] after train()", model.params[key], best_params[key],
                     why="train() leaves best_params in model.params", inputs=inputs)
    scores = model.loss(data["X_val"])
    final = float(np.mean(np.argmax(scores, axis=1) == data["y_val"]))
    expect.close("the validation accuracy of the model after train()", final, solver.best_val_acc, atol=tolerance,
                 why="train() leaves the parameters of the best check in model.params (copies kept when they were "
                     "best, not the arrays the update rule goes on changing)", inputs=inputs)


@prop(CONCEPT, CS231N, "The same seed gives the same run: two Solvers with the same seed on the same model and data record the same loss_history, train_acc_history and val_acc_history and end with the same params, also with subsets for the accuracy checks.")
@given(problem=probe_problems(max_rows=8), batch_size=st.integers(1, 3), num_epochs=st.integers(1, 3),
       num_train_samples=st.integers(1, 8), num_val_samples=st.one_of(st.none(), st.integers(1, 4)),
       seed=st.integers(0, 2**31 - 1))
def test_the_same_seed_gives_the_same_run(Solver, problem, batch_size, num_epochs, num_train_samples,
                                          num_val_samples, seed):
    model, data = problem
    kwargs = {"optim_config": {"learning_rate": 0.1}, "batch_size": batch_size, "num_epochs": num_epochs,
              "num_train_samples": num_train_samples, "num_val_samples": num_val_samples, "seed": seed}
    runs = []
    for _ in range(2):
        twin = model.fresh()
        solver = run(Solver, twin, copy.deepcopy(data), update_rule=RecordingRule(twin, False).function, **kwargs)
        runs.append((solver, twin))
    (first, model_1), (second, model_2) = runs
    inputs = readable({"model": model, **data, **kwargs})
    for name in ("loss_history", "train_acc_history", "val_acc_history"):
        a = np.asarray(getattr(first, name), dtype=np.float64).ravel()
        b = np.asarray(getattr(second, name), dtype=np.float64).ravel()
        expect.equal(f"len({name}) of the second run", len(b), len(a), why="the first run's, same seed",
                     inputs=inputs)
        expect.equal(f"{name} of the second run", b, a, why="the first run's: the same seed gives the same "
                     "minibatches and the same subsets", inputs=inputs)
    for key in model_1.params:
        expect.equal(f"params[{key!r}] after the second run", model_2.params[key], model_1.params[key],
                     why="the first run's, same seed", inputs=inputs)


@st.composite
def accuracy_problems(draw):
    """(model, data, X, y, num_samples, batch_size): K rows with ids and labels, scores without ties, a batch size
    below K (K % batch_size often nonzero) and num_samples None, below K or above it."""
    k, c = draw(st.integers(2, 12)), draw(st.integers(2, 5))
    shape = draw(sample_shapes())
    y = np.array(draw(st.lists(st.integers(0, c - 1), min_size=k, max_size=k)), dtype=np.int64)
    X = identified_data(shape, y)
    model = ProbeModel({"W1": (2,)}, draw(score_tables(k, c)))
    data = {"X_train": X, "y_train": y, "X_val": X, "y_val": y}
    batch_size = draw(st.integers(1, k - 1))
    num_samples = draw(st.one_of(st.none(), st.integers(1, k + 2)))
    return model, data, X, y, num_samples, batch_size


def _five_rows_in_batches_of_two():
    """K = 5 rows of label 0, the first four scored right: 4/5 = 0.8 (batches of 2, 2, 1 have accuracies 1, 1, 0,
    whose plain mean is 2/3)."""
    y = np.zeros(5, np.int64)
    X = identified_data((2,), y)
    model = ProbeModel({"W1": (2,)}, np.array([[1.0, 0.0]] * 4 + [[0.0, 1.0]]))
    return model, {"X_train": X, "y_train": y, "X_val": X, "y_val": y}, X, y, None, 2


@prop(CONCEPT, CS231N_ACC, "check_accuracy(X, y, num_samples, batch_size) runs the model on batches of at most batch_size rows, on all K rows once (num_samples None or >= K) or on num_samples rows, and returns the fraction of those rows whose highest score is at the label.")
@given(problem=accuracy_problems())
@example(problem=_five_rows_in_batches_of_two())
def test_check_accuracy_is_the_fraction_of_correct_argmax(Solver, problem):
    model, data, X, y, num_samples, batch_size = problem
    model = model.fresh()
    solver = Solver(model=model, data=data, seed=0)
    accuracy = solver.check_accuracy(X, y, num_samples=num_samples, batch_size=batch_size)
    k = len(y)
    inputs = readable({"model": model, "X (row i holds i, y[i])": X, "y": y, "num_samples": num_samples,
                       "batch_size": batch_size})
    sizes = [len(ids) for ids in model.scored]
    expect.holds("the number of rows of each model.loss(X_batch) call", np.array(sizes),
                 np.array(sizes) <= batch_size, f"at most batch_size = {batch_size}", inputs=inputs)
    seen = np.concatenate(model.scored) if model.scored else np.zeros(0, np.int64)
    expected_count = k if num_samples is None or num_samples >= k else num_samples
    expect.equal("the number of rows scored by check_accuracy", len(seen), expected_count,
                 why="all K rows, or num_samples of them when num_samples < K", inputs=inputs)
    if expected_count == k:
        expect.equal("the sorted ids of the rows scored", np.sort(seen), np.arange(k),
                     why="every row once when num_samples is None or >= K", inputs=inputs)
    correct = np.argmax(model.table[seen], axis=1) == y[seen]
    expect.close("check_accuracy(X, y, num_samples, batch_size)", accuracy, correct.mean(),
                 atol=accuracy_tolerance(len(seen), batch_size),
                 why="the fraction of the scored rows whose argmax score is at the label", inputs=inputs)


# Correct alternatives: Solvers written other ways.


@alternative(of="Solver")
class ShufflingSolver(LoopSolver):
    """Minibatches without replacement: a new permutation of the training rows every epoch, cut into consecutive
    batches (rows drawn with replacement only when batch_size > N); subsets drawn without replacement."""

    def train(self):
        self._epoch_order = None
        super().train()

    def _minibatch(self):
        n = len(self.X_train)
        if self.batch_size > n:
            index = self.rng.choice(n, size=self.batch_size, replace=True)
        else:
            if not getattr(self, "_epoch_order", None):
                order = self.rng.permutation(n)
                self._epoch_order = [order[i:i + self.batch_size]
                                     for i in range(0, self._iterations_per_epoch() * self.batch_size,
                                                    self.batch_size)]
            index = self._epoch_order.pop(0)
        return self.X_train[index], self.y_train[index]


@alternative(of="Solver")
class CS231nSolver(LoopSolver):
    """CS231n's loop: num_epochs * iterations_per_epoch iterations counted by t, the learning rate decayed at each
    epoch's end, accuracies checked after the first iteration too, minibatches from the global np.random (seeded
    with np.random.seed in the constructor), the configs shallow copies {k: v for k, v in optim_config.items()}
    kept in self.optim_configs, and model.params = best_params at the end (the same dict)."""

    def _generator(self, seed):
        if seed is not None:
            np.random.seed(seed)
        return np.random

    def _choice(self, n, size, replace=True):
        return np.random.choice(n, size, replace=replace)

    def train(self):
        self.optim_configs = {p: {k: v for k, v in self.optim_config.items()} for p in self.model.params}
        per_epoch = self._iterations_per_epoch()
        num_iterations = self.num_epochs * per_epoch
        for t in range(num_iterations):
            X_batch, y_batch = self._minibatch()
            loss, grads = self.model.loss(X_batch, y_batch)
            self.loss_history.append(loss)
            for p, w in self.model.params.items():
                next_w, next_config = self.update_rule(w, grads[p], self.optim_configs[p])
                self.model.params[p] = next_w
                self.optim_configs[p] = next_config
            epoch_end = (t + 1) % per_epoch == 0
            if epoch_end:
                for k in self.optim_configs:
                    self.optim_configs[k]["learning_rate"] *= self.lr_decay
            if t == 0 or epoch_end:
                self._check()
        self.model.params = self.best_params

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        n = X.shape[0]
        if num_samples is not None and n > num_samples:
            mask = np.random.choice(n, num_samples)
            n, X, y = num_samples, X[mask], y[mask]
        num_batches = n // batch_size + (1 if n % batch_size != 0 else 0)
        y_pred = []
        for i in range(num_batches):
            start, end = i * batch_size, (i + 1) * batch_size
            y_pred.append(np.argmax(self.model.loss(X[start:end]), axis=1))
        return np.mean(np.hstack(y_pred) == y)


@alternative(of="Solver")
class ListConfigSolver(LoopSolver):
    """Configs in a list parallel to the sorted parameter names, histories as ndarrays, the best parameters copied
    into model.params in place, and accuracies as the weighted mean of the batch accuracies."""

    def train(self):
        keys = sorted(self.model.params)
        configs = [copy.deepcopy(self.optim_config) for _ in keys]
        per_epoch = self._iterations_per_epoch()
        losses, train_acc, val_acc = [], [], []
        for _ in range(self.num_epochs):
            for _ in range(per_epoch):
                X_batch, y_batch = self._minibatch()
                loss, grads = self.model.loss(X_batch, y_batch)
                losses.append(loss)
                for i, key in enumerate(keys):
                    self.model.params[key], configs[i] = self.update_rule(self.model.params[key], grads[key],
                                                                          configs[i])
            for config in configs:
                config["learning_rate"] = config.get("learning_rate", 1.0) * self.lr_decay
            train_acc.append(self.check_accuracy(self.X_train, self.y_train, self.num_train_samples))
            val_acc.append(self.check_accuracy(self.X_val, self.y_val, self.num_val_samples))
            if len(val_acc) == 1 or val_acc[-1] > self.best_val_acc:
                self.best_val_acc = val_acc[-1]
                self.best_params = copy.deepcopy(self.model.params)
        self.loss_history, self.train_acc_history, self.val_acc_history = (np.array(losses), np.array(train_acc),
                                                                           np.array(val_acc))
        for key, value in self.best_params.items():
            self.model.params[key] = value.copy()

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        k = len(X)
        if num_samples is not None and k > num_samples:
            index = self.rng.permutation(k)[:num_samples]
            X, y, k = X[index], y[index], num_samples
        total = 0.0
        for start in range(0, k, batch_size):
            part = slice(start, start + batch_size)
            batch_acc = np.mean(np.argmax(self.model.loss(X[part]), axis=1) == y[part])
            total += batch_acc * len(y[part])
        return total / k


# Mutants: training loops as students get them wrong.


@mutant(of="Solver", kills=[test_each_parameter_has_its_own_config_carried_between_calls])
class SharedConfigSolver(LoopSolver):
    """One config for all parameters: config = optim_config; for every p: params[p], config = rule(..., config)."""

    def train(self):
        self._config = self.optim_config
        super().train()

    def _update(self, grads, configs):
        for key in list(self.model.params):
            self.model.params[key], self._config = self.update_rule(self.model.params[key], grads[key], self._config)

    def _decay(self, configs):
        self._config["learning_rate"] = self._config.get("learning_rate", 1.0) * self.lr_decay


@mutant(of="Solver", kills=[test_each_parameter_has_its_own_config_carried_between_calls])
class ForgettingConfigSolver(LoopSolver):
    """The returned config thrown away: every call starts again from a copy of optim_config."""

    def _update(self, grads, configs):
        for key in list(self.model.params):
            self.model.params[key], _ = self.update_rule(self.model.params[key], grads[key], configs[key].copy())


@mutant(of="Solver", kills=[test_each_parameter_has_its_own_config_carried_between_calls])
class ModifyingOptimConfigSolver(LoopSolver):
    """Each parameter's config made from optim_config itself for the first parameter (configs[p] = optim_config when
    p is the first, copies for the others): the caller's dict is changed."""

    def _new_configs(self):
        keys = list(self.model.params)
        return {key: self.optim_config if i == 0 else copy.deepcopy(self.optim_config) for i, key in enumerate(keys)}


@mutant(of="Solver", kills=[test_an_epoch_is_N_over_batch_size_iterations_of_labelled_minibatches,
                            test_the_learning_rate_decays_once_per_epoch])
class NIterationsPerEpochSolver(LoopSolver):
    """An epoch of N iterations (one per training sample), whatever the batch size."""

    def _iterations_per_epoch(self):
        return len(self.X_train)


@mutant(of="Solver", kills=[test_an_epoch_is_N_over_batch_size_iterations_of_labelled_minibatches])
class LossOncePerEpochSolver(LoopSolver):
    """loss_history gets the epoch's last minibatch loss only."""

    def _record_loss(self, loss, last_of_epoch):
        if last_of_epoch:
            self.loss_history.append(float(loss))


@mutant(of="Solver", kills=[test_an_epoch_is_N_over_batch_size_iterations_of_labelled_minibatches])
class UnmatchedLabelsSolver(LoopSolver):
    """X_batch = X_train[choice(N, B)], y_batch = y_train[choice(N, B)]: two draws, labels of other rows."""

    def _minibatch(self):
        n = len(self.X_train)
        return self.X_train[self._choice(n, self.batch_size)], self.y_train[self._choice(n, self.batch_size)]


@mutant(of="Solver", kills=[test_an_epoch_is_N_over_batch_size_iterations_of_labelled_minibatches])
class WholeSetSolver(LoopSolver):
    """Every iteration on the whole training set (batch_size only counts the iterations)."""

    def _minibatch(self):
        return self.X_train, self.y_train


@mutant(of="Solver", kills=[test_the_learning_rate_decays_once_per_epoch])
class DecayEveryIterationSolver(LoopSolver):
    """The learning rate multiplied by lr_decay after every iteration, not every epoch."""

    def _after_iteration(self, configs, first, last_of_epoch):
        if not last_of_epoch:
            self._decay(configs)


@mutant(of="Solver", kills=[test_the_learning_rate_decays_once_per_epoch])
class NeverDecaySolver(LoopSolver):
    """lr_decay stored but never applied."""

    def _decay(self, configs):
        pass


@mutant(of="Solver", kills=[test_the_learning_rate_decays_once_per_epoch])
class DecayAtEpochStartSolver(LoopSolver):
    """The decay at the start of every epoch: epoch 0 already runs with learning_rate * lr_decay."""

    def train(self):
        self._decayed = False
        super().train()

    def _after_iteration(self, configs, first, last_of_epoch):
        pass

    def _update(self, grads, configs):
        if not self._decayed:
            self._decay(configs)
            self._decayed = True
        super()._update(grads, configs)

    def _end_of_epoch(self, configs):
        self._decayed = False
        self._check()


@mutant(of="Solver", kills=[test_the_best_validation_parameters_are_kept])
class LastParamsSolver(LoopSolver):
    """best_val_acc and best_params recorded, but model.params left at the last iteration's."""

    def _restore_best(self):
        pass


@mutant(of="Solver", kills=[test_the_best_validation_parameters_are_kept])
class UncopiedBestSolver(LoopSolver):
    """best_params = dict(model.params): a new dict holding the same arrays, which an in-place rule goes on
    changing."""

    def _keep_best(self, val_acc):
        if len(self.val_acc_history) == 1 or val_acc > self.best_val_acc:
            self.best_val_acc = val_acc
            self.best_params = dict(self.model.params)


@mutant(of="Solver", kills=[test_the_best_validation_parameters_are_kept])
class ZeroStartBestSolver(LoopSolver):
    """CS231n's best_val_acc = 0 and `if val_acc > best_val_acc`: when no check beats 0, best_params stays {} and
    model.params ends empty."""

    def _keep_best(self, val_acc):
        if val_acc > self.best_val_acc:
            self.best_val_acc = val_acc
            self.best_params = {key: value.copy() for key, value in self.model.params.items()}


@mutant(of="Solver", kills=[test_the_best_validation_parameters_are_kept])
class CheckAtEpochStartSolver(LoopSolver):
    """The accuracies checked at the start of every epoch (before its iterations), not at its end."""

    def train(self):
        configs = self._new_configs()
        per_epoch = self._iterations_per_epoch()
        for _ in range(self.num_epochs):
            self._check()
            for it in range(per_epoch):
                X_batch, y_batch = self._minibatch()
                loss, grads = self.model.loss(X_batch, y_batch)
                self._record_loss(loss, it == per_epoch - 1)
                self._update(grads, configs)
            self._decay(configs)
        self._restore_best()


@mutant(of="Solver", kills=[test_the_best_validation_parameters_are_kept])
class DroppedNextWSolver(LoopSolver):
    """rule(w, dw, config) called and its next_w thrown away: only a rule that updates w in place trains."""

    def _update(self, grads, configs):
        for key in list(self.model.params):
            _, configs[key] = self.update_rule(self.model.params[key], grads[key], configs[key])


@mutant(of="Solver", kills=[test_the_same_seed_gives_the_same_run])
class UnseededSolver(LoopSolver):
    """The seed stored but never used: np.random.default_rng() with fresh entropy at every run."""

    def _generator(self, seed):
        return np.random.default_rng()


@mutant(of="Solver", kills=[test_the_same_seed_gives_the_same_run])
class UnseededSubsetSolver(LoopSolver):
    """Minibatches from the seeded generator, but check_accuracy's subsets from the unseeded global np.random."""

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        if num_samples is not None and len(X) > num_samples:
            index = np.random.choice(len(X), num_samples, replace=False)
            X, y = X[index], y[index]
        return super().check_accuracy(X, y, None, batch_size)


@mutant(of="Solver", kills=[test_check_accuracy_is_the_fraction_of_correct_argmax])
class BatchMeanAccuracySolver(LoopSolver):
    """check_accuracy returns the mean of the batch accuracies: a short last batch weighs as much as a full one."""

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        k = len(X)
        if num_samples is not None and k > num_samples:
            index = self._choice(k, num_samples, replace=False)
            X, y, k = X[index], y[index], num_samples
        return float(np.mean([np.mean(np.argmax(self.model.loss(X[i:i + batch_size]), axis=1)
                                      == y[i:i + batch_size]) for i in range(0, k, batch_size)]))


@mutant(of="Solver", kills=[test_check_accuracy_is_the_fraction_of_correct_argmax])
class FirstBatchAccuracySolver(LoopSolver):
    """The return inside the loop over batches: the accuracy of the first batch only."""

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        k = len(X)
        if num_samples is not None and k > num_samples:
            index = self._choice(k, num_samples, replace=False)
            X, y, k = X[index], y[index], num_samples
        for start in range(0, k, batch_size):
            part = slice(start, start + batch_size)
            return float(np.mean(np.argmax(self.model.loss(X[part]), axis=1) == y[part]))


@mutant(of="Solver", kills=[test_check_accuracy_is_the_fraction_of_correct_argmax])
class UnbatchedAccuracySolver(LoopSolver):
    """batch_size ignored: the model run on all K rows at once."""

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        return super().check_accuracy(X, y, num_samples, batch_size=max(len(X), 1))


@mutant(of="Solver", kills=[test_check_accuracy_is_the_fraction_of_correct_argmax])
class IgnoredSubsetSolver(LoopSolver):
    """num_samples ignored: every row checked."""

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        return super().check_accuracy(X, y, None, batch_size)

