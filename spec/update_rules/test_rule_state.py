"""What every update rule shares (CS231n's optim.py API): rule(w, dw, config=None) -> (next_w, config).

- The rule's state (velocity, cache, m, v, t) lives in the config and only there: two calls with deep copies of one
  config and the same w and dw give the same next_w and the same state. A rule that keeps its velocity in a module
  variable fails this, and would mix the states of every parameter of a network (one config per parameter).
- The hyperparameters passed in the config are used (the first steps follow them) and returned unchanged, and
  CS231n's defaults apply when config is None, empty or lacks a key: learning_rate 1e-2 (1e-3 for Adam), momentum
  0.9, decay_rate 0.99, epsilon 1e-8, beta1 0.9, beta2 0.999 (one property: a config mixing both is the usual case,
  CS231n's Solver passes only the learning rate).

Each is stated once per rule (a student who has written only sgd sees sgd's graded); the checks are shared.
The expected first steps and their tolerances are those of the rules' own modules: SGD -lr dw; momentum -lr dw, then
-lr dw (1 + mu) (test_momentum.py); RMSProp from a zero cache -lr dw / (sqrt(1 - rho) |dw|) = -lr sign(dw) /
sqrt(1 - rho) (test_rmsprop.py); Adam -lr sign(dw) at both calls, m = (1 - beta1) dw and v = (1 - beta2) dw**2 after
the first (test_adam.py).
"""

import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import mutant, prop
from spec.update_rules.common import (
    CS231N_OPTIM, DEFAULTS, NOTEBOOK_DW, NOTEBOOK_W, U, adam_rounding, configs, epsilon_slack, momentum_rounding,
    rmsprop_rounding, run, step_rounding, trajectories, update,
)

STATE = {"sgd_momentum": ("velocity",), "rmsprop": ("cache",), "adam": ("m", "v", "t")}
CONCEPTS = {"sgd": "SGD update", "sgd_momentum": "SGD with momentum", "rmsprop": "RMSProp", "adam": "Adam"}
CONFIG_ONLY = "The rule's state lives in the config and only there: two calls with deep copies of the same config (after one call) and the same w and dw give equal next_w and equal state."
HYPERPARAMETERS = "The hyperparameters passed in the config are used and returned unchanged; CS231n's defaults apply to those missing (config None, empty or partial: learning_rate 1e-2, 1e-3 for Adam; momentum 0.9; decay_rate 0.99; beta1 0.9, beta2 0.999; epsilon 1e-8): the first two steps follow them."


def check_state_only_in_config(name, rule, wg, config):
    w, (g1, g2) = wg
    _, _, after_one = update(rule, w, g1, config)
    # update() passes a deep copy of after_one to each call: both calls see equal configs.
    _, next_a, config_a = update(rule, w, g2, after_one)
    _, next_b, config_b = update(rule, w, g2, after_one)
    inputs = {"w": w, "dw of the first call": g1, "dw": g2, "config passed to the first call": config}
    same = "the same as the first of two calls with equal configs: a deterministic rule whose state is the config's"
    expect.equal(f"next_w of {name} with a deep copy of the config", next_b, next_a, why=same, inputs=inputs)
    for key in STATE[name]:
        expect.equal(f"config[{key!r}] returned by {name} with a deep copy of the config", config_b[key],
                     config_a[key], why=same, inputs=inputs)


def check_first_two_calls(name, rule, w, g, given_config):
    """Two calls with the same gradient g, from `given_config` (None, or a dict without state): the returned
    hyperparameters are the given ones over the defaults, and the steps follow them."""
    hyper = {**DEFAULTS[name], **(given_config or {})}
    steps, ws, returned = run(rule, w, [g, g], given_config)
    inputs = {"w": w, "dw (both calls)": g, "config passed to the first call": given_config}
    for k, config in enumerate(returned, start=1):
        for key, value in hyper.items():
            source = "as passed" if key in (given_config or {}) else "CS231n's default"
            expect.equal(f"config[{key!r}] returned by call {k} of {name}", config[key], value, why=source,
                         inputs=inputs)
    lr = hyper["learning_rate"]
    if name == "sgd" or name == "sgd_momentum":
        factors = (1.0, 1.0) if name == "sgd" else (1.0, 1.0 + hyper["momentum"])
        for k, (factor, step, w_k) in enumerate(zip(factors, steps, ws), start=1):
            expected = -lr * factor * g
            expect.close(f"step {k} of {name} (next_w - w)", step, expected,
                         atol=momentum_rounding(k, expected, w_k, w_k + step),
                         why=f"-learning_rate * dw{'' if factor == 1 else ' * (1 + momentum)'}, learning_rate = "
                         f"{lr!r}" + (f", momentum = {hyper['momentum']!r}" if name == "sgd_momentum" else ""),
                         inputs=inputs)
    elif name == "rmsprop":
        rho, eps = hyper["decay_rate"], hyper["epsilon"]
        expected = -lr * np.sign(g) / math.sqrt(1 - rho)
        atol = np.abs(expected) * (rmsprop_rounding(1) + epsilon_slack(eps, math.sqrt(1 - rho) * np.abs(g))) \
            + step_rounding(w, w + steps[0])
        expect.close("the first step of rmsprop (next_w - w)", steps[0], expected, atol=atol,
                     why=f"-learning_rate * sign(dw) / sqrt(1 - decay_rate): cache = (1 - decay_rate) dw**2, "
                     f"learning_rate = {lr!r}, decay_rate = {rho!r}", inputs=inputs)
    else:
        b1, b2, eps = hyper["beta1"], hyper["beta2"], hyper["epsilon"]
        for k, (step, w_k) in enumerate(zip(steps, ws), start=1):
            atol = lr * (adam_rounding(k, b1, b2) + epsilon_slack(eps, np.abs(g), math.sqrt(1 - b2**k))) \
                + step_rounding(w_k, w_k + step)
            expect.close(f"step {k} of adam (next_w - w)", step, -lr * np.sign(g), atol=atol,
                         why=f"-learning_rate * sign(dw), learning_rate = {lr!r}", inputs=inputs)
        # m and v after the first call: within 8 U of (1 - beta1) g and (1 - beta2) g**2 (test_adam.py).
        expect.close("config['m'] returned by the first call of adam", returned[0]["m"], (1 - b1) * g,
                     atol=8 * U * np.abs(g), why=f"(1 - beta1) * dw, beta1 = {b1!r}", inputs=inputs)
        expect.close("config['v'] returned by the first call of adam", returned[0]["v"], (1 - b2) * g * g,
                     atol=8 * U * g * g, why=f"(1 - beta2) * dw**2, beta2 = {b2!r}", inputs=inputs)
        for k, config in enumerate(returned, start=1):
            expect.equal(f"config['t'] returned by call {k} of adam", config["t"], k, why="t counts the calls",
                         inputs=inputs)


@st.composite
def partial_configs(draw, name):
    """None, {}, or a config with some or all of the rule's hyperparameters (each drawn): the others take their
    defaults."""
    kind = draw(st.sampled_from(["all", "some", "none", "empty"]))
    if kind == "none":
        return None
    if kind == "empty":
        return {}
    full = draw(configs(name))
    if kind == "all":
        return full
    keys = draw(st.sets(st.sampled_from(sorted(full)), min_size=1, max_size=len(full)))
    return {k: full[k] for k in sorted(keys)}


TWO_CALLS = trajectories(calls=st.just(2))
ONE_GRADIENT = trajectories(calls=st.just(1))
EXAMPLE = (NOTEBOOK_W, [NOTEBOOK_DW])


# The state lives in the config (SGD has none).


@prop(CONCEPTS["sgd_momentum"], CS231N_OPTIM, CONFIG_ONLY)
@given(wg=TWO_CALLS, config=configs("sgd_momentum"))
def test_momentum_keeps_its_state_in_the_config_only(sgd_momentum, wg, config):
    check_state_only_in_config("sgd_momentum", sgd_momentum, wg, config)


@prop(CONCEPTS["rmsprop"], CS231N_OPTIM, CONFIG_ONLY)
@given(wg=TWO_CALLS, config=configs("rmsprop"))
def test_rmsprop_keeps_its_state_in_the_config_only(rmsprop, wg, config):
    check_state_only_in_config("rmsprop", rmsprop, wg, config)


@prop(CONCEPTS["adam"], CS231N_OPTIM, CONFIG_ONLY)
@given(wg=TWO_CALLS, config=configs("adam"))
def test_adam_keeps_its_state_in_the_config_only(adam, wg, config):
    check_state_only_in_config("adam", adam, wg, config)


# The hyperparameters passed are used and returned, the others take CS231n's defaults.

FULL = {
    "sgd": {"learning_rate": 0.1},
    "sgd_momentum": {"learning_rate": 0.1, "momentum": 0.5},
    "rmsprop": {"learning_rate": 0.1, "decay_rate": 0.9, "epsilon": 1e-7},
    "adam": {"learning_rate": 0.1, "beta1": 0.5, "beta2": 0.99, "epsilon": 1e-7},
}


@prop(CONCEPTS["sgd"], CS231N_OPTIM, HYPERPARAMETERS)
@given(wg=ONE_GRADIENT, config=partial_configs("sgd"))
@example(wg=EXAMPLE, config=None)
@example(wg=EXAMPLE, config=FULL["sgd"])
def test_sgd_uses_the_hyperparameters_passed_and_defaults_the_others(sgd, wg, config):
    check_first_two_calls("sgd", sgd, wg[0], wg[1][0], config)


@prop(CONCEPTS["sgd_momentum"], CS231N_OPTIM, HYPERPARAMETERS)
@given(wg=ONE_GRADIENT, config=partial_configs("sgd_momentum"))
@example(wg=EXAMPLE, config=None)
@example(wg=EXAMPLE, config=FULL["sgd_momentum"])
def test_momentum_uses_the_hyperparameters_passed_and_defaults_the_others(sgd_momentum, wg, config):
    check_first_two_calls("sgd_momentum", sgd_momentum, wg[0], wg[1][0], config)


@prop(CONCEPTS["rmsprop"], CS231N_OPTIM, HYPERPARAMETERS)
@given(wg=ONE_GRADIENT, config=partial_configs("rmsprop"))
@example(wg=EXAMPLE, config=None)
@example(wg=EXAMPLE, config=FULL["rmsprop"])
def test_rmsprop_uses_the_hyperparameters_passed_and_defaults_the_others(rmsprop, wg, config):
    check_first_two_calls("rmsprop", rmsprop, wg[0], wg[1][0], config)


@prop(CONCEPTS["adam"], CS231N_OPTIM, HYPERPARAMETERS)
@given(wg=ONE_GRADIENT, config=partial_configs("adam"))
@example(wg=EXAMPLE, config=None)
@example(wg=EXAMPLE, config=FULL["adam"])
def test_adam_uses_the_hyperparameters_passed_and_defaults_the_others(adam, wg, config):
    check_first_two_calls("adam", adam, wg[0], wg[1][0], config)


# Mutants: state outside the config, hyperparameters ignored, wrong defaults.

_GLOBAL_STATE: dict = {}  # the module-level variable the "global" mutants keep their state in


def _global(key, w):
    """The mutants' global state for `key`, zeros when there is none yet or it has another shape."""
    value = _GLOBAL_STATE.get(key)
    return np.zeros_like(w) if value is None or np.shape(value) != w.shape else value


@mutant(of="sgd_momentum", kills=[test_momentum_keeps_its_state_in_the_config_only])
def momentum_velocity_in_a_global(w, dw, config=None):
    """The velocity kept in a module-level variable (and copied into the config for show): every parameter of a
    network, and every run, shares one velocity."""
    config = {} if config is None else config
    lr, mu = config.setdefault("learning_rate", 1e-2), config.setdefault("momentum", 0.9)
    v = mu * _global("velocity", w) - lr * dw
    _GLOBAL_STATE["velocity"] = config["velocity"] = v
    return w + v, config


@mutant(of="rmsprop", kills=[test_rmsprop_keeps_its_state_in_the_config_only])
def rmsprop_cache_in_a_global(w, dw, config=None):
    """The cache kept in a module-level variable (and copied into the config)."""
    config = {} if config is None else config
    lr, rho = config.setdefault("learning_rate", 1e-2), config.setdefault("decay_rate", 0.99)
    eps = config.setdefault("epsilon", 1e-8)
    cache = rho * _global("cache", w) + (1 - rho) * dw**2
    _GLOBAL_STATE["cache"] = config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config


@mutant(of="adam", kills=[test_adam_keeps_its_state_in_the_config_only])
def adam_with_a_global_step_count(w, dw, config=None):
    """t kept in a module-level counter (and copied into the config): it counts every call of every run."""
    config = {} if config is None else config
    for key, value in DEFAULTS["adam"].items():
        config.setdefault(key, value)
    t = _GLOBAL_STATE.get("t", 0) + 1
    _GLOBAL_STATE["t"] = t
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    config.update(m=m, v=v, t=t)
    step = config["learning_rate"] * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + config["epsilon"])
    return w - step, config


@mutant(of="sgd", kills=[test_sgd_uses_the_hyperparameters_passed_and_defaults_the_others])
def sgd_with_a_fixed_learning_rate(w, dw, config=None):
    """next_w = w - 1e-2 dw: the default written into the step, the config's learning rate returned but unused."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    return w - 1e-2 * dw, config


@mutant(of="sgd_momentum", kills=[test_momentum_uses_the_hyperparameters_passed_and_defaults_the_others])
def momentum_assigning_the_default_momentum(w, dw, config=None):
    """config["momentum"] = 0.9 where setdefault was meant: the caller's momentum is overwritten."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config["momentum"] = 0.9
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    config["velocity"] = v
    return w + v, config


@mutant(of="rmsprop", kills=[test_rmsprop_uses_the_hyperparameters_passed_and_defaults_the_others])
def rmsprop_reading_the_rho_key(w, dw, config=None):
    """Reads config.get("rho", 0.99) (the lecture's name) for the decay: the decay_rate passed is ignored."""
    config = {} if config is None else config
    lr, eps = config.setdefault("learning_rate", 1e-2), config.setdefault("epsilon", 1e-8)
    config.setdefault("decay_rate", 0.99)
    rho = config.get("rho", 0.99)
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config


@mutant(of="adam", kills=[test_adam_uses_the_hyperparameters_passed_and_defaults_the_others])
def adam_initialising_the_config_with_the_defaults(w, dw, config=None):
    """On the first call (no 'm' yet) the config is rebuilt from the defaults and zeros: the hyperparameters the
    caller passed are dropped."""
    if config is None or "m" not in config:
        config = {**DEFAULTS["adam"], "m": np.zeros_like(w), "v": np.zeros_like(w), "t": 0}
    t = config["t"] + 1
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config["m"] + (1 - b1) * dw
    v = b2 * config["v"] + (1 - b2) * dw**2
    config.update(m=m, v=v, t=t)
    step = config["learning_rate"] * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + config["epsilon"])
    return w - step, config


@mutant(of="sgd", kills=[test_sgd_uses_the_hyperparameters_passed_and_defaults_the_others])
def sgd_without_a_default_config(w, dw, config=None):
    """config.setdefault(...) on config=None (the `if config is None: config = {}` forgotten): AttributeError."""
    config.setdefault("learning_rate", 1e-2)
    return w - config["learning_rate"] * dw, config


@mutant(of="sgd_momentum", kills=[test_momentum_uses_the_hyperparameters_passed_and_defaults_the_others])
def momentum_defaulting_to_0_5(w, dw, config=None):
    """momentum 0.5 by default (the start of the CS231n notes' momentum schedule, 0.5 annealed to 0.99)."""
    config = {} if config is None else config
    lr, mu = config.setdefault("learning_rate", 1e-2), config.setdefault("momentum", 0.5)
    v = mu * config.get("velocity", np.zeros_like(w)) - lr * dw
    config["velocity"] = v
    return w + v, config


@mutant(of="rmsprop", kills=[test_rmsprop_uses_the_hyperparameters_passed_and_defaults_the_others])
def rmsprop_defaulting_to_decay_0_9(w, dw, config=None):
    """decay_rate 0.9 by default (the I2DL slide's "often 0.9"), not CS231n's 0.99."""
    config = {} if config is None else config
    lr, rho = config.setdefault("learning_rate", 1e-2), config.setdefault("decay_rate", 0.9)
    eps = config.setdefault("epsilon", 1e-8)
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    config["cache"] = cache
    return w - lr * dw / (np.sqrt(cache) + eps), config


def _adam_with_defaults(defaults):
    def rule(w, dw, config=None):
        config = {} if config is None else config
        for key, value in defaults.items():
            config.setdefault(key, value)
        t = config.get("t", 0) + 1
        b1, b2 = config["beta1"], config["beta2"]
        m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
        v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
        config.update(m=m, v=v, t=t)
        step = config["learning_rate"] * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + config["epsilon"])
        return w - step, config

    return rule


@mutant(of="adam", kills=[test_adam_uses_the_hyperparameters_passed_and_defaults_the_others])
def adam_defaulting_to_learning_rate_1e_2(w, dw, config=None):
    """learning_rate 1e-2 by default (copied from sgd), not CS231n's 1e-3 for Adam."""
    return _adam_with_defaults({**DEFAULTS["adam"], "learning_rate": 1e-2})(w, dw, config)


@mutant(of="adam", kills=[test_adam_uses_the_hyperparameters_passed_and_defaults_the_others])
def adam_defaulting_to_epsilon_1e_4(w, dw, config=None):
    """epsilon 1e-4 by default (the I2DL exercises' Adam), not CS231n's 1e-8."""
    return _adam_with_defaults({**DEFAULTS["adam"], "epsilon": 1e-4})(w, dw, config)
