"""Vanilla SGD: sgd(w, dw, config) -> (next_w, config), next_w = w - learning_rate * dw (learning_rate 1e-2 by
default), the update of CS231n lecture 4's "performing a parameter update" (weights += - step_size * weights_grad).

The step is one product and one subtraction, which every correct way of writing it (w - lr * dw, w -= lr * dw,
w + (-lr) * dw, a loop over the entries) rounds identically: next_w is compared exactly.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.update_rules.common import CS231N_UPDATE, learning_rates, trajectories, update

CONCEPT = "SGD update"

W0 = np.array([1.0, -2.0, 0.5])
DW0 = np.array([0.5, 0.25, -4.0])  # lr = 0.1: next_w = [0.95, -2.025, 0.9]


@prop(CONCEPT, CS231N_UPDATE, "sgd moves w by exactly -learning_rate * dw, with the learning rate from the config.")
@given(wg=trajectories(calls=st.just(1), nonzero=False), lr=learning_rates())
@example(wg=(W0, [DW0]), lr=0.1)
def test_sgd_step_is_minus_learning_rate_times_gradient(sgd, wg, lr):
    w, (dw,) = wg
    _, next_w, _ = update(sgd, w, dw, {"learning_rate": lr})
    expect.equal(f"next_w of sgd(w, dw, {{'learning_rate': {lr!r}}})", next_w, w - lr * dw,
                 why="w - learning_rate * dw: a step against the gradient, learning_rate times its length",
                 inputs={"w": w, "dw": dw})


# Mutants.


@mutant(of="sgd", kills=[test_sgd_step_is_minus_learning_rate_times_gradient])
def sgd_uphill(w, dw, config=None):
    """w + lr * dw: a step along the gradient, which raises the loss."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    return w + config["learning_rate"] * dw, config


@mutant(of="sgd", kills=[test_sgd_step_is_minus_learning_rate_times_gradient])
def sgd_reading_the_lr_key(w, dw, config=None):
    """Reads config.get("lr", 1e-2) (PyTorch's name): the learning rate passed as "learning_rate" is ignored."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    return w - config.get("lr", 1e-2) * dw, config


@mutant(of="sgd", kills=[test_sgd_step_is_minus_learning_rate_times_gradient])
def sgd_assigning_the_default(w, dw, config=None):
    """config["learning_rate"] = 1e-2 where setdefault was meant: the caller's learning rate is overwritten."""
    config = {} if config is None else config
    config["learning_rate"] = 1e-2
    return w - config["learning_rate"] * dw, config


# Correct alternatives.


@alternative(of="sgd")
def sgd_in_place(w, dw, config=None):
    """CS231n's template: config.setdefault on the caller's dict, then w -= lr * dw (w updated in place)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    w -= config["learning_rate"] * dw
    return w, config


@alternative(of="sgd")
def sgd_with_loops(w, dw, config=None):
    """Entry by entry, on a new array and a new config."""
    config = dict(config or {})
    lr = config.setdefault("learning_rate", 1e-2)
    next_w = np.empty_like(w)
    for i in np.ndindex(w.shape):
        next_w[i] = w[i] - lr * dw[i]
    return next_w, config
