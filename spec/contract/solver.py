"""The training loop (module ``solver``; CS231n ``solver.py`` conventions).

A ``Solver`` trains any model that has
- ``params``: a dict of parameter arrays (W1, b1, ...), and
- ``loss(X, y=None)``: the scores, shape (N, C), without labels; ``(loss, grads)`` with them, grads keyed like params
(the networks of module ``networks`` are such models) by minibatch stochastic gradient descent with an update rule
of module ``optim`` (or any function of that form).
"""

from spec.contract.types import Array, Choice, Dict, History, Instance, Integer, Labels, Params, Scalar

_RULE = Choice("sgd", "sgd_momentum", "rmsprop", "adam", or_function="rule(w, dw, config) -> (next_w, config)")


class Solver:
    """Minibatch training with an update rule, learning-rate decay and the best validation parameters kept.

    train() runs num_epochs epochs of iterations_per_epoch = max(N // batch_size, 1) iterations (N training
    samples). Each iteration:
    1. draws a minibatch of batch_size rows of X_train and the matching labels at random (with or without
       replacement);
    2. calls model.loss(X_batch, y_batch) and appends the loss to loss_history;
    3. updates every parameter p with the update rule and p's own config:
       ``model.params[p], configs[p] = rule(model.params[p], grads[p], configs[p])``. Each parameter starts from its
       own copy of optim_config, so that its state (velocity, moments, step count) is never mixed with another's.
    At the end of every epoch the learning rate of every parameter's config is multiplied by lr_decay (epoch e runs
    with learning_rate * lr_decay**e), and the accuracies on the training data (a random subset of at most
    num_train_samples) and on the validation data (all of it, or a random subset of num_val_samples) are appended
    to train_acc_history and val_acc_history (checking also after the first iteration, as CS231n does, is
    allowed). Whenever the validation accuracy is higher than any before, a copy of model.params is kept in
    best_params; the first check always counts, even at accuracy 0 (CS231n's start best_val_acc = 0 with ">"
    would leave best_params empty then). When train() returns, model.params holds the parameters of the best
    check.

    Attributes (after train()):
    - loss_history: one training loss per iteration, length num_epochs * iterations_per_epoch.
    - train_acc_history, val_acc_history: one accuracy (a fraction in [0, 1]) per check, the same length.
    - best_val_acc: the highest validation accuracy checked, max(val_acc_history).
    - best_params: a dict keyed like model.params, copies of the parameters at that check.
    """

    _updates = ("train",)
    loss_history: History("T")
    train_acc_history: History("K")
    val_acc_history: History("K")
    best_val_acc: Scalar()
    best_params: Params("like model.params")

    def __init__(
        self,
        model: Instance("model"),
        data: Dict(X_train=Array("N", "*d"), y_train=Labels("N"), X_val=Array("M", "*d"), y_val=Labels("M")),
        update_rule: _RULE = "sgd",
        optim_config: Dict() = None,
        lr_decay: Scalar() = 1.0,
        batch_size: Integer() = 100,
        num_epochs: Integer() = 10,
        num_train_samples: Integer() = 1000,
        num_val_samples: Integer() = None,
        seed: Integer() = None,
    ):
        """Inputs:
        - model: an object with params and loss(X, y=None) (see the module).
        - data: a dict with X_train (N, d1, ..., dk), y_train (N,), X_val (M, d1, ..., dk), y_val (M,).
        - update_rule: the name of a rule of the implementation's optim module ("sgd", "sgd_momentum", "rmsprop",
          "adam"), or a function rule(w, dw, config) -> (next_w, config) to use instead.
        - optim_config: the hyperparameters passed to the update rule (e.g. {"learning_rate": 1e-3}); None is {}.
          Never modified: each parameter gets its own copy.
        - lr_decay: the factor applied to the learning rate at the end of every epoch.
        - batch_size: the number of samples per minibatch.
        - num_epochs: the number of epochs train() runs.
        - num_train_samples: the training accuracy is checked on a random subset of at most this many samples.
        - num_val_samples: the validation accuracy is checked on a random subset of this many (None: all of it).
        - seed: if not None, the same seed gives the same minibatches and subsets (the same training run).

        Returns a Solver ready to train(); the model's params are not touched before train().
        """

    def train(self) -> None:
        """Runs the whole training (see the class).

        Returns None; fills loss_history, train_acc_history, val_acc_history, best_val_acc and best_params, and
        leaves the best parameters in model.params."""

    def check_accuracy(
        self,
        X: Array("K", "*d"),
        y: Labels("K"),
        num_samples: Integer() = None,
        batch_size: Integer() = 100,
    ) -> Scalar():
        """The model's accuracy on (X, y): the fraction of samples whose highest score (model.loss(X_batch)) is at
        the correct label.

        Inputs:
        - X: shape (K, d1, ..., dk); y: labels, shape (K,).
        - num_samples: if not None and smaller than K, a random subset of this many samples is used.
        - batch_size: the model is run on at most this many samples at a time.

        Returns the accuracy, a float in [0, 1].
        """
