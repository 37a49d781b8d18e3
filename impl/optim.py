"""First-order update rules (contract: spec/contract/optim.py).

Every rule is ``rule(w, dw, config=None) -> (next_w, config)``. The reference returns a new next_w and a new config
dict (the caller's w and config are left as they were), and keeps its state under the contract's keys: velocity
(CS231n's sign convention, v = mu * v - lr * dw), cache, and Adam's uncorrected m, v with the step count t.

Malformed input raises a ValueError naming the argument: w or dw not real arrays, dw shaped unlike w, config not a
dict, a hyperparameter that is not a finite number in its range (learning_rate >= 0, momentum and decay_rate in
[0, 1], beta1 and beta2 in [0, 1), epsilon >= 0), a stored state shaped unlike w (or a negative cache or v), a step
count t that is not an integer >= 0.
"""

import numpy as np

from impl import _validate

# Each hyperparameter's default (CS231n optim.py) and its allowed range (low, high, is high allowed?).
_RANGES = {
    "learning_rate": (0.0, np.inf, False),
    "momentum": (0.0, 1.0, True),
    "decay_rate": (0.0, 1.0, True),
    "beta1": (0.0, 1.0, False),  # beta = 1 makes the bias correction 1 / (1 - beta**t) divide by zero
    "beta2": (0.0, 1.0, False),
    "epsilon": (0.0, np.inf, False),
}


def _hyperparameter(key, value):
    low, high, closed = _RANGES[key]
    value = _validate.real_number(f"config[{key!r}]", value, minimum=low)
    if value > high or (value == high and not closed):
        interval = f"[{low:g}, {high:g}{']' if closed else ')'}"
        raise ValueError(f"config[{key!r}] must lie in {interval}, got {value!r}")
    return value


def _arguments(w, dw, config, defaults):
    """w and dw as float64 arrays of one shape, and a new config: the defaults, then the caller's entries."""
    w = _validate.real_array("w", w)
    dw = _validate.real_array("dw", dw)
    if dw.shape != w.shape:
        raise ValueError(f"dw must have the shape of w, {w.shape}, got {dw.shape}")
    if config is not None and not isinstance(config, dict):
        raise ValueError(f"config must be a dict or None, got {type(config).__name__}")
    merged = {**defaults, **(config or {})}
    for key in defaults:
        merged[key] = _hyperparameter(key, merged[key])
    return w, dw, merged


def _state(config, key, w, *, nonnegative=False):
    """The rule's state config[key] as a float64 array shaped like w (zeros when the config has none yet); a moving
    average of squares (RMSProp's cache, Adam's v) must be >= 0, or its square root is NaN."""
    state = config.get(key)
    if state is None:
        return np.zeros_like(w)
    state = _validate.real_array(f"config[{key!r}]", state)
    if state.shape != w.shape:
        raise ValueError(f"config[{key!r}] must have the shape of w, {w.shape}, got {state.shape}")
    if nonnegative and not (state >= 0).all():
        raise ValueError(f"config[{key!r}] must be >= 0 everywhere (a moving average of squares), "
                         f"got a minimum of {float(state.min())!r}")
    return state


def sgd(w, dw, config=None):
    w, dw, config = _arguments(w, dw, config, {"learning_rate": 1e-2})
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    w, dw, config = _arguments(w, dw, config, {"learning_rate": 1e-2, "momentum": 0.9})
    v = config["momentum"] * _state(config, "velocity", w) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


def rmsprop(w, dw, config=None):
    w, dw, config = _arguments(w, dw, config, {"learning_rate": 1e-2, "decay_rate": 0.99, "epsilon": 1e-8})
    rho = config["decay_rate"]
    cache = rho * _state(config, "cache", w, nonnegative=True) + (1.0 - rho) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


def adam(w, dw, config=None):
    w, dw, config = _arguments(
        w, dw, config, {"learning_rate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    )
    t = _validate.count("config['t']", config.get("t", 0), 0) + 1
    beta1, beta2 = config["beta1"], config["beta2"]
    m = beta1 * _state(config, "m", w) + (1.0 - beta1) * dw
    v = beta2 * _state(config, "v", w, nonnegative=True) + (1.0 - beta2) * dw * dw
    m_hat = m / (1.0 - beta1**t)
    v_hat = v / (1.0 - beta2**t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config
