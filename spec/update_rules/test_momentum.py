"""SGD with momentum: sgd_momentum(w, dw, config) -> (next_w, config), the velocity kept in config["velocity"].

CS231n writes v = mu v - lr dw, next_w = w + v; the I2DL lecture v = mu v + dw, next_w = w - lr v. Both make the
same steps, so the properties watch the steps only, never the stored velocity's values (in the lecture's convention
it has another scale and sign): from zero velocity the first step is the SGD step -lr g; under a constant gradient g
the k-th step is

    -lr g (1 + mu + ... + mu**(k-1)) = -lr g (1 - mu**k) / (1 - mu),

which tends to -lr g / (1 - mu), ten times the SGD step for mu = 0.9 (the heavy ball gathers speed); and a call with
the config the previous call returned moves further than a fresh first call.

Rounding: in either convention the velocity after k calls under a constant gradient is a sum of terms of one sign
(mu v and lr g, or mu v and g), two roundings a call: within (2k + 1) U relative; the property's expected value, lr g
times the geometric sum computed by Horner's rule (1 + mu (1 + mu (...))), within (2k + 2) U. So a step is within
(4k + 3) U |expected| of it, plus step_rounding (common.py) for reading the step off next_w - w; the tolerance
allows (8k + 12) U, twice that.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.update_rules.common import (
    CS231N_NOTEBOOK, CS231N_OPTIM, I2DL_MOMENTUM, NOTEBOOK_DW, NOTEBOOK_W, PRINTED, U, configs, geometric_sum,
    learning_rates, momenta, momentum_rounding, run, step_rounding, trajectories, update,
)

CONCEPT = "SGD with momentum"


@prop(CONCEPT, I2DL_MOMENTUM, "The first step of sgd_momentum from zero velocity (a config without 'velocity') is the SGD step -learning_rate * dw.")
@given(wg=trajectories(calls=st.just(1), nonzero=False), config=configs("sgd_momentum"))
@example(wg=(NOTEBOOK_W, [NOTEBOOK_DW]), config={"learning_rate": 1e-3, "momentum": 0.9})
def test_momentum_first_step_from_zero_velocity_is_the_sgd_step(sgd_momentum, wg, config):
    w, (dw,) = wg
    step, next_w, _ = update(sgd_momentum, w, dw, config)
    expected = -config["learning_rate"] * dw
    expect.close(f"the step next_w - w of sgd_momentum(w, dw, {config})", step, expected,
                 atol=momentum_rounding(1, expected, w, next_w),
                 why="-learning_rate * dw: zero velocity plus one gradient, whatever the momentum",
                 inputs={"w": w, "dw": dw})


@prop(CONCEPT, I2DL_MOMENTUM, "Under a constant gradient g, the k-th step of sgd_momentum (each call passed the config the previous one returned) is -learning_rate * g * (1 - mu**k) / (1 - mu).")
@given(wg=trajectories(calls=st.integers(1, 30), nonzero=False, constant=True), config=configs("sgd_momentum"))
@example(wg=(NOTEBOOK_W, [NOTEBOOK_DW] * 5), config={"learning_rate": 1e-2, "momentum": 0.9})
def test_momentum_steps_under_a_constant_gradient_add_up_geometrically(sgd_momentum, wg, config):
    w, grads = wg
    lr, mu = config["learning_rate"], config["momentum"]
    steps, ws, _ = run(sgd_momentum, w, grads, config)
    for k, (step, w_k) in enumerate(zip(steps, ws), start=1):
        expected = -lr * grads[0] * geometric_sum(mu, k)
        expect.close(f"step {k} of sgd_momentum (next_w - w of call {k})", step, expected,
                     atol=momentum_rounding(k, expected, w_k, w_k + step),
                     why=f"-learning_rate * g * (1 + mu + ... + mu**{k - 1}): each call adds mu times the last step",
                     inputs={"g": grads[0], "config": config, "calls": len(grads)})


@prop(CONCEPT, CS231N_OPTIM, "The velocity is kept in the config: a second call with the config the first call returned moves further against g than a fresh first call (mu > 0, same g).")
@given(wg=trajectories(calls=st.just(1)), lr=learning_rates(), mu=momenta(low=0.1))
def test_momentum_velocity_is_kept_in_the_config(sgd_momentum, wg, lr, mu):
    w, (g,) = wg
    config = {"learning_rate": lr, "momentum": mu}
    fresh, next_w, returned = update(sgd_momentum, w, g, config)
    second, _, _ = update(sgd_momentum, next_w, g, returned)
    # How far each call moved against g, coordinate by coordinate: exactly lr |g| and lr |g| (1 + mu). The gap
    # mu lr |g| >= 0.1 * 1e-4 * 0.1 = 1e-6 is 1e8 times the rounding of reading both steps (step_rounding, <= 1e-14
    # for |w| <= 10), so "further" is compared as it is.
    along_fresh, along_second = -np.sign(g) * fresh, -np.sign(g) * second
    expect.holds("how far the second call moved against g", along_second, along_second > along_fresh,
                 "more than a fresh first call moves (lr |g|): the first call's velocity carries on, "
                 "config['velocity'] returned and read back", inputs={"g": g, "config": config})


@prop(CONCEPT, I2DL_MOMENTUM, "With mu = 0.9 and a constant gradient, sgd_momentum's steps tend to ten times the SGD step: the 350th is -10 * learning_rate * g.")
def test_momentum_with_mu_0_9_tends_to_ten_times_the_sgd_step(sgd_momentum):
    k, lr, mu = 350, 1e-2, 0.9
    g, w = NOTEBOOK_DW, np.zeros_like(NOTEBOOK_DW)
    steps, ws, _ = run(sgd_momentum, w, [g] * k, {"learning_rate": lr, "momentum": mu})
    expected = -10 * lr * g
    # The 350th step is -lr g (1 - 0.9**350) / (1 - mu) for the float mu = 0.9 (1 - 2.2e-17): 1 / (1 - mu) is 10
    # within 9 U relative, 0.9**350 = 1e-16; the rounding of 350 calls as in the module docstring.
    atol = momentum_rounding(k, expected, ws[-1], ws[-1] + steps[-1]) + (9 * U + mu**k) * np.abs(expected)
    expect.close(f"step {k} of sgd_momentum", steps[-1], expected, atol=atol,
                 why="-learning_rate * g / (1 - mu) = 10 times the SGD step: the velocity's limit",
                 inputs={"g": g, "config": {"learning_rate": lr, "momentum": mu}})


@prop(CONCEPT, CS231N_NOTEBOOK, "CS231n's notebook check: from the velocity linspace(0.6, 0.9) (reached by a first call), lr = 1e-3, mu = 0.9, the step to its expected_next_w, and a third call with dw = 0 moves by 0.9 * its expected_velocity.")
def test_momentum_reproduces_the_cs231n_notebook(sgd_momentum):
    lr = 1e-3
    v0 = np.linspace(0.6, 0.9, num=20).reshape(4, 5)  # the notebook's velocity, CS231n's convention: a displacement
    expected_next_w = np.array([
        [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
        [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
        [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
        [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096]])
    expected_velocity = np.array([
        [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
        [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
        [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
        [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096]])
    config = {"learning_rate": lr, "momentum": 0.9}
    # Any convention's velocity after one call from zero with the gradient -v0 / lr makes the displacement v0 (the
    # state the notebook starts from, written in CS231n's convention), within 2 U |v0| (the division here, the
    # product in the rule).
    _, _, config = update(sgd_momentum, np.zeros_like(v0), -v0 / lr, config)
    step, next_w, config = update(sgd_momentum, NOTEBOOK_W, NOTEBOOK_DW, config)
    # The step mu v0 - lr dw: the notebook's 8 decimals (PRINTED), and a few roundings of terms <= 1 (8 U each).
    inputs = {"w": NOTEBOOK_W, "dw": NOTEBOOK_DW, "velocity (CS231n's convention)": v0}
    expect.close("next_w of sgd_momentum on the notebook's input", next_w, expected_next_w,
                 atol=PRINTED + 8 * U * (np.abs(v0) + lr * np.abs(NOTEBOOK_DW)) + step_rounding(NOTEBOOK_W, next_w),
                 why="the notebook's expected_next_w, w + 0.9 v - 1e-3 dw", inputs=inputs)
    # A call with a zero gradient moves by mu times the velocity: 0.9 times the notebook's expected_velocity.
    step3, next_w3, _ = update(sgd_momentum, next_w, np.zeros_like(v0), config)
    expect.close("the step of a third call with dw = 0", step3, 0.9 * expected_velocity,
                 atol=0.9 * PRINTED + 8 * U * np.abs(expected_velocity) + step_rounding(next_w, next_w3),
                 why="0.9 times the notebook's expected_velocity: the velocity the second call stored carries on",
                 inputs=inputs)


# Mutants.

ALL_STEPS = [test_momentum_first_step_from_zero_velocity_is_the_sgd_step,
             test_momentum_steps_under_a_constant_gradient_add_up_geometrically,
             test_momentum_with_mu_0_9_tends_to_ten_times_the_sgd_step,
             test_momentum_reproduces_the_cs231n_notebook]


@mutant(of="sgd_momentum", kills=ALL_STEPS)
def momentum_uphill(w, dw, config=None):
    """v = mu v - lr dw as in CS231n, then next_w = w - v: the velocity applied with the wrong sign."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - config["learning_rate"] * dw
    config["velocity"] = v
    return w - v, config


@mutant(of="sgd_momentum", kills=ALL_STEPS)
def momentum_as_an_exponential_average(w, dw, config=None):
    """v = mu v + (1 - mu) dw, next_w = w - lr v: an average of the gradients, whose steps tend to the SGD step
    instead of 1 / (1 - mu) times it (and whose first step is (1 - mu) times too short)."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    mu = config["momentum"]
    v = mu * config.get("velocity", np.zeros_like(w)) + (1 - mu) * dw
    config["velocity"] = v
    return w - config["learning_rate"] * v, config


@mutant(of="sgd_momentum", kills=ALL_STEPS)
def momentum_without_the_learning_rate(w, dw, config=None):
    """v = mu v - dw, next_w = w + v: the learning rate forgotten, every step 1 / lr times too long."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - dw
    config["velocity"] = v
    return w + v, config


@mutant(of="sgd_momentum", kills=[test_momentum_steps_under_a_constant_gradient_add_up_geometrically,
                                  test_momentum_velocity_is_kept_in_the_config,
                                  test_momentum_with_mu_0_9_tends_to_ten_times_the_sgd_step,
                                  test_momentum_reproduces_the_cs231n_notebook])
def momentum_velocity_not_stored(w, dw, config=None):
    """config["velocity"] = v stored before v is rebound to the new velocity: the config keeps the old (zero)
    array, so every call starts from zero velocity and momentum is plain SGD."""
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.get("velocity", np.zeros_like(w))
    config["velocity"] = v
    v = config["momentum"] * v - config["learning_rate"] * dw
    return w + v, config


# Correct alternatives.


@alternative(of="sgd_momentum")
def momentum_in_the_lecture_convention(w, dw, config=None):
    """The I2DL lecture's v = mu v + dw, next_w = w - lr v: the stored velocity is -1/lr times CS231n's."""
    config = dict(config or {})
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) + dw
    config["velocity"] = v
    return w - config["learning_rate"] * v, config


@alternative(of="sgd_momentum")
def momentum_in_place(w, dw, config=None):
    """CS231n's convention on the caller's arrays: v *= mu; v -= lr dw; w += v (w, the config and its velocity
    updated in place)."""
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    v = config.setdefault("velocity", np.zeros_like(w))
    v *= config["momentum"]
    v -= config["learning_rate"] * dw
    w += v
    return w, config


@alternative(of="sgd_momentum")
def momentum_with_loops(w, dw, config=None):
    """Entry by entry, on new arrays, the velocity stored as the distance to descend: v = mu v + lr dw,
    next_w = w - v (CS231n's velocity with the sign flipped)."""
    config = dict(config or {})
    lr = config.setdefault("learning_rate", 1e-2)
    mu = config.setdefault("momentum", 0.9)
    old = config.get("velocity")
    v, next_w = np.empty_like(w), np.empty_like(w)
    for i in np.ndindex(w.shape):
        v[i] = mu * (0.0 if old is None else old[i]) + lr * dw[i]
        next_w[i] = w[i] - v[i]
    config["velocity"] = v
    return next_w, config
