"""Adam: adam(w, dw, config) -> (next_w, config), with t counting the calls (incremented before use) and the
uncorrected moments m and v kept in the config:

    t = t + 1,  m = beta1 m + (1 - beta1) dw,  v = beta2 v + (1 - beta2) dw**2,
    m_hat = m / (1 - beta1**t),  v_hat = v / (1 - beta2**t),  next_w = w - lr m_hat / (sqrt(v_hat) + eps).

t, m and v are defined exactly by the contract and compared with these recurrences. The steps are watched for what
the bias correction buys: from a fresh config the first step moves every coordinate by about lr against its gradient
(m_hat = g, sqrt(v_hat) = |g|), whatever beta1 and beta2 are; under a constant gradient every step does (m_hat = g at
every step); and, as for RMSProp, scaling every gradient by c > 0 leaves the steps as they were.

Rounding (for the tolerances): a call adds to m at most 7 U times M = the same recurrence run on |dw| (3 U for
beta1 m + (1 - beta1) dw, 7 U for m + (1 - beta1) (dw - m)), so after j calls m is within 7 j U M even where its
terms cancel; v (terms >= 0) within 7 j U v. The correction 1 - beta**t is within U / (1 - beta) + U relative (beta**t
within t U, by pow or by a running product, and t beta**t / (1 - beta**t) <= 1 / (1 - beta)); a square root, the
division, lr times and the rounding of c dw add a few U. So a step is within

    lr M_hat / s (10.5 j U + U / (1 - beta1) + U / (2 (1 - beta2)) + 8 U)   (s = sqrt(v_hat), M_hat = M / (1 - beta1**t))

of the epsilon-free step -lr m_hat / s; adam_rounding doubles that. epsilon's placement adds common.epsilon_slack with
correction sqrt(1 - beta2**t) (the paper's efficient form moves epsilon by that factor).
"""

import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.update_rules.common import (
    CS231N_NOTEBOOK, CS231N_OPTIM, I2DL_ADAM, NOTEBOOK_DW, NOTEBOOK_W, PRINTED, U, adam_rounding, arrays, epsilon_slack,
    first_betas,
    learning_rates, run, second_betas, step_rounding, trajectories, update,
)

CONCEPT = "Adam"
EPSILON = 1e-8  # the default, which the step properties leave in place


def adam_terms(grads, beta1, beta2):
    """For each call j from a fresh config: (m_hat, M_hat, s), the bias-corrected first moment, the same run on |dw|,
    and sqrt(v_hat) (the property's own recurrences, for ideal steps and tolerances)."""
    m = big = v = np.zeros_like(grads[0])
    terms = []
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        big = beta1 * big + (1 - beta1) * np.abs(g)
        v = beta2 * v + (1 - beta2) * g * g
        terms.append((m / (1 - beta1**t), big / (1 - beta1**t), np.sqrt(v / (1 - beta2**t))))
    return terms


def about_lr_against_the_gradient(name, steps, ws, g, lr, beta1, beta2, why, inputs):
    """Every step is -lr sign(g) within the rounding and epsilon bounds (constant g: m_hat = g, s = |g|)."""
    for j, (step, w) in enumerate(zip(steps, ws), start=1):
        size = lr * (adam_rounding(j, beta1, beta2) + epsilon_slack(EPSILON, np.abs(g), math.sqrt(1 - beta2**j)))
        expect.close(f"{name} {j}" if len(steps) > 1 else name, step, -lr * np.sign(g),
                     atol=size + step_rounding(w, w + step), why=why, inputs=inputs)


@prop(CONCEPT, I2DL_ADAM, "The first Adam step from a fresh config moves each coordinate by about learning_rate against its gradient (-lr * sign(dw)), whatever beta1 and beta2 are: the bias correction undoes the moments' start at zero.")
@given(wg=trajectories(calls=st.just(1)), lr=learning_rates(), beta1=first_betas(), beta2=second_betas())
@example(wg=(NOTEBOOK_W, [NOTEBOOK_DW]), lr=1e-3, beta1=0.9, beta2=0.999)
def test_adam_first_step_moves_each_coordinate_by_lr_against_the_gradient(adam, wg, lr, beta1, beta2):
    w, (g,) = wg
    config = {"learning_rate": lr, "beta1": beta1, "beta2": beta2}
    step, next_w, _ = update(adam, w, g, config)
    about_lr_against_the_gradient("the first step next_w - w of adam", [step], [w], g, lr, beta1, beta2,
                                  "-learning_rate * sign(dw): m_hat = dw and sqrt(v_hat) = |dw| after one call",
                                  {"w": w, "dw": g, "config": config})


@prop(CONCEPT, I2DL_ADAM, "Under a constant gradient every Adam step is about -learning_rate * sign(g): the bias-corrected first moment equals g at every step (each call passed the config the previous one returned).")
@given(wg=trajectories(calls=st.integers(1, 20), constant=True), lr=learning_rates(), beta1=first_betas(),
       beta2=second_betas())
@example(wg=(NOTEBOOK_W, [NOTEBOOK_DW] * 5), lr=1e-3, beta1=0.9, beta2=0.999)
def test_adam_steps_under_a_constant_gradient_are_all_about_lr(adam, wg, lr, beta1, beta2):
    w, grads = wg
    config = {"learning_rate": lr, "beta1": beta1, "beta2": beta2}
    steps, ws, _ = run(adam, w, grads, config)
    about_lr_against_the_gradient("step", steps, ws, grads[0], lr, beta1, beta2,
                                  "-learning_rate * sign(g): m_hat = g and v_hat = g**2 at every call, since "
                                  "m = (1 - beta1**t) g and v = (1 - beta2**t) g**2",
                                  {"g": grads[0], "config": config, "calls": len(grads)})


@prop(CONCEPT, CS231N_OPTIM, "Adam's config['t'] counts the calls: t after k calls is the t passed (0 when there is none) plus k, an int.")
@given(wg=trajectories(calls=st.integers(1, 6)), t0=st.none() | st.integers(0, 1000))
@example(wg=(NOTEBOOK_W, [NOTEBOOK_DW] * 3), t0=None)
def test_adam_t_counts_the_calls(adam, wg, t0):
    w, grads = wg
    config = {} if t0 is None else {"t": t0}
    _, _, configs = run(adam, w, grads, config)
    for k, returned in enumerate(configs, start=1):
        expect.equal(f"config['t'] returned by call {k}", returned["t"], (t0 or 0) + k,
                     why=f"the t passed ({t0 or 0}) plus the {k} calls: t is incremented once per call",
                     inputs={"config passed to call 1": config})


@st.composite
def adam_states(draw):
    """(w, g, state): a gradient and a stored state {m, v, t} (m any sign, v >= 0) or {} (a fresh config)."""
    w, (g,) = draw(trajectories(calls=st.just(1), nonzero=False))
    if draw(st.booleans()):
        return w, g, {}
    m, v = draw(arrays("gradients", w.shape)), draw(arrays("squares", w.shape))
    return w, g, {"m": m, "v": v, "t": draw(st.integers(0, 100))}


@prop(CONCEPT, I2DL_ADAM, "Adam stores its moments uncorrected: m = beta1 * m + (1 - beta1) * dw and v = beta2 * v + (1 - beta2) * dw**2 (from a fresh config (1 - beta1) * dw and (1 - beta2) * dw**2), never m_hat or v_hat.")
@given(wgs=adam_states(), beta1=first_betas(), beta2=second_betas())
@example(wgs=(NOTEBOOK_W, NOTEBOOK_DW, {}), beta1=0.9, beta2=0.999)
def test_adam_stores_the_moments_uncorrected(adam, wgs, beta1, beta2):
    w, g, state = wgs
    config = {"beta1": beta1, "beta2": beta2, **state}
    m0, v0 = state.get("m", np.zeros_like(w)), state.get("v", np.zeros_like(w))
    _, _, returned = update(adam, w, g, config)
    inputs = {"dw": g, "config": config}
    # Either way of writing the moving average is within 3 U (|m0| + |g|) (m0 + (1 - beta1) (g - m0): 2 U; v: one
    # rounding more for g**2): 8 U (|m0| + |g|) and 8 U (v0 + g**2) leave a factor 2.
    expect.close("config['m'] returned by adam", returned["m"], beta1 * m0 + (1 - beta1) * g,
                 atol=8 * U * (np.abs(m0) + np.abs(g)),
                 why="beta1 * m + (1 - beta1) * dw, not bias-corrected" + ("" if state else " (from m = 0)"),
                 inputs=inputs)
    expect.close("config['v'] returned by adam", returned["v"], beta2 * v0 + (1 - beta2) * g * g,
                 atol=8 * U * (v0 + g * g),
                 why="beta2 * v + (1 - beta2) * dw**2, not bias-corrected" + ("" if state else " (from v = 0)"),
                 inputs=inputs)


def scales():
    """c > 0 at least a factor 2 away from 1 (0.5, or 2 to 1000)."""
    return st.one_of(st.sampled_from([0.5, 2.0, 10.0, 1000.0]), st.floats(2.0, 1000.0))


@prop(CONCEPT, I2DL_ADAM, "Scaling every gradient by a constant c > 0 leaves Adam's steps unchanged (|dw| >= 0.1, far above epsilon; calls in a row from a fresh config).")
@given(wg=trajectories(calls=st.integers(1, 4)), c=scales(), lr=learning_rates(), beta1=first_betas(),
       beta2=second_betas())
@example(wg=(NOTEBOOK_W, [NOTEBOOK_DW, NOTEBOOK_DW[::-1], -NOTEBOOK_DW]), c=10.0, lr=1e-3, beta1=0.9, beta2=0.999)
def test_adam_step_is_unchanged_when_the_gradient_is_scaled(adam, wg, c, lr, beta1, beta2):
    w, grads = wg
    config = {"learning_rate": lr, "beta1": beta1, "beta2": beta2}
    steps, ws, _ = run(adam, w, grads, config)
    scaled_steps, scaled_ws, _ = run(adam, w, [c * g for g in grads], config)
    for j, (m_hat, big, s) in enumerate(adam_terms(grads, beta1, beta2), start=1):
        correction = math.sqrt(1 - beta2**j)
        # Each run within adam_rounding of the epsilon-free step (the same for both), epsilon at each run's scale,
        # and reading each step off next_w - w.
        atol = lr * (2 * adam_rounding(j, beta1, beta2) * big / s + np.abs(m_hat) / s * (
            epsilon_slack(EPSILON, s, correction) + epsilon_slack(EPSILON, c * s, correction))) \
            + step_rounding(ws[j - 1], ws[j - 1] + steps[j - 1]) \
            + step_rounding(scaled_ws[j - 1], scaled_ws[j - 1] + scaled_steps[j - 1])
        expect.close(f"step {j} of adam with every gradient times c = {c!r}", scaled_steps[j - 1], steps[j - 1],
                     atol=atol, why="the same step as with the gradients themselves: m_hat grows by c, "
                     "sqrt(v_hat) by c, and their ratio stays",
                     inputs={"gradients": np.array(grads), "config": config})


@prop(CONCEPT, CS231N_NOTEBOOK, "CS231n's notebook check: adam with lr = 1e-2 from m = linspace(0.6, 0.9), v = linspace(0.7, 0.5), t = 5 gives its expected_next_w, expected_m and expected_v, and t = 6.")
def test_adam_reproduces_the_cs231n_notebook(adam):
    m0 = np.linspace(0.6, 0.9, num=20).reshape(4, 5)
    v0 = np.linspace(0.7, 0.5, num=20).reshape(4, 5)
    expected_next_w = np.array([
        [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
        [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
        [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
        [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459]])
    expected_v = np.array([
        [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
        [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
        [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
        [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966]])
    expected_m = np.array([
        [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
        [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
        [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
        [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85]])
    lr, g = 1e-2, NOTEBOOK_DW
    config = {"learning_rate": lr, "m": m0, "v": v0, "t": 5}
    _, next_w, returned = update(adam, NOTEBOOK_W, g, config)
    inputs = {"w": NOTEBOOK_W, "dw": g, "m": m0, "v": v0, "t": 5}
    expect.equal("config['t'] of adam on the notebook's input", returned["t"], 6, why="5 + 1", inputs=inputs)
    # The notebook's 8 decimals, and the moments' rounding as in test_adam_stores_the_moments_uncorrected.
    expect.close("config['m'] of adam on the notebook's input", returned["m"], expected_m,
                 atol=PRINTED + 8 * U * (m0 + np.abs(g)), why="the notebook's expected_m", inputs=inputs)
    expect.close("config['v'] of adam on the notebook's input", returned["v"], expected_v,
                 atol=PRINTED + 8 * U * (v0 + g * g), why="the notebook's expected_v", inputs=inputs)
    # The notebook's 8 decimals, a step's rounding for one call (M_hat from the state's |m|) and epsilon's placement
    # (s = sqrt(v_hat) ~ 10, correction sqrt(1 - 0.999**6)), and next_w's own rounding.
    t, c1, c2 = 6, 1 - 0.9**6, 1 - 0.999**6
    m_hat, big = (0.9 * m0 + 0.1 * g) / c1, (0.9 * np.abs(m0) + 0.1 * np.abs(g)) / c1
    s = np.sqrt((0.999 * v0 + 0.001 * g * g) / c2)
    atol = PRINTED + lr * (adam_rounding(1, 0.9, 0.999) * big / s
                           + np.abs(m_hat) / s * epsilon_slack(EPSILON, s, math.sqrt(c2))) + 2 * U * np.abs(next_w)
    expect.close("next_w of adam on the notebook's input", next_w, expected_next_w, atol=atol,
                 why=f"the notebook's expected_next_w (t = {t} at the update)", inputs=inputs)


# Mutants.


def _defaults(config):
    config = {} if config is None else config
    for key, value in (("learning_rate", 1e-3), ("beta1", 0.9), ("beta2", 0.999), ("epsilon", 1e-8)):
        config.setdefault(key, value)
    return config


def _moments(config, w, dw):
    b1, b2 = config["beta1"], config["beta2"]
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * dw
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * dw**2
    return m, v


@mutant(of="adam", kills=[test_adam_first_step_moves_each_coordinate_by_lr_against_the_gradient,
                          test_adam_steps_under_a_constant_gradient_are_all_about_lr,
                          test_adam_reproduces_the_cs231n_notebook])
def adam_incrementing_t_after_use(w, dw, config=None):
    """The correction uses t before the increment: the first call divides by 1 - beta**0 = 0 (NaN or inf), every
    later one corrects for one call too few."""
    config = _defaults(config)
    t = config.get("t", 0)
    m, v = _moments(config, w, dw)
    with np.errstate(divide="ignore", invalid="ignore"):
        m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
        next_w = w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
    config.update(m=m, v=v, t=t + 1)
    return next_w, config


@mutant(of="adam", kills=[test_adam_first_step_moves_each_coordinate_by_lr_against_the_gradient,
                          test_adam_steps_under_a_constant_gradient_are_all_about_lr,
                          test_adam_reproduces_the_cs231n_notebook])
def adam_without_bias_correction(w, dw, config=None):
    """lr m / (sqrt(v) + eps): the first step is lr (1 - beta1) / sqrt(1 - beta2) (3.2 lr for the defaults)."""
    config = _defaults(config)
    m, v = _moments(config, w, dw)
    config.update(m=m, v=v, t=config.get("t", 0) + 1)
    return w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"]), config


@mutant(of="adam", kills=[test_adam_steps_under_a_constant_gradient_are_all_about_lr,
                          test_adam_stores_the_moments_uncorrected,
                          test_adam_reproduces_the_cs231n_notebook])
def adam_storing_the_corrected_moments(w, dw, config=None):
    """m = m / (1 - beta1**t) written back into config['m'] (and v likewise): the next call corrects again."""
    config = _defaults(config)
    t = config.get("t", 0) + 1
    m, v = _moments(config, w, dw)
    m, v = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"]), config


@mutant(of="adam", kills=[test_adam_first_step_moves_each_coordinate_by_lr_against_the_gradient,
                          test_adam_stores_the_moments_uncorrected,
                          test_adam_reproduces_the_cs231n_notebook])
def adam_with_the_betas_swapped(w, dw, config=None):
    """m = beta2 m + (1 - beta2) dw, v = beta1 v + (1 - beta1) dw**2, corrected with beta1 and beta2 as written."""
    config = _defaults(config)
    t = config.get("t", 0) + 1
    b1, b2 = config["beta1"], config["beta2"]
    m = b2 * config.get("m", np.zeros_like(w)) + (1 - b2) * dw
    v = b1 * config.get("v", np.zeros_like(w)) + (1 - b1) * dw**2
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


@mutant(of="adam", kills=[test_adam_first_step_moves_each_coordinate_by_lr_against_the_gradient,
                          test_adam_steps_under_a_constant_gradient_are_all_about_lr,
                          test_adam_step_is_unchanged_when_the_gradient_is_scaled,
                          test_adam_reproduces_the_cs231n_notebook])
def adam_without_the_square_root(w, dw, config=None):
    """m_hat / (v_hat + eps): divides by the second moment itself, so steps shrink as 1 / |dw|."""
    config = _defaults(config)
    t = config.get("t", 0) + 1
    m, v = _moments(config, w, dw)
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (v_hat + config["epsilon"]), config


@mutant(of="adam", kills=[test_adam_first_step_moves_each_coordinate_by_lr_against_the_gradient,
                          test_adam_steps_under_a_constant_gradient_are_all_about_lr,
                          test_adam_reproduces_the_cs231n_notebook])
def adam_correcting_v_with_beta1(w, dw, config=None):
    """v_hat = v / (1 - beta1**t): beta1 in both corrections (a copy-paste slip)."""
    config = _defaults(config)
    t = config.get("t", 0) + 1
    m, v = _moments(config, w, dw)
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta1"] ** t)
    config.update(m=m, v=v, t=t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


@mutant(of="adam", kills=[test_adam_steps_under_a_constant_gradient_are_all_about_lr,
                          test_adam_t_counts_the_calls])
def adam_not_storing_t(w, dw, config=None):
    """t = config['t'] + 1 is used but never written back: every call corrects as if it were the first."""
    config = _defaults(config)
    config.setdefault("t", 0)
    t = config["t"] + 1
    m, v = _moments(config, w, dw)
    m_hat, v_hat = m / (1 - config["beta1"] ** t), v / (1 - config["beta2"] ** t)
    config.update(m=m, v=v)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"]), config


# Correct alternatives.


@alternative(of="adam")
def adam_in_the_papers_efficient_form(w, dw, config=None):
    """Kingma and Ba's lr_t = lr sqrt(1 - beta2**t) / (1 - beta1**t), next_w = w - lr_t m / (sqrt(v) + eps)."""
    config = _defaults(dict(config or {}))
    t = config.get("t", 0) + 1
    m, v = _moments(config, w, dw)
    lr_t = config["learning_rate"] * math.sqrt(1 - config["beta2"] ** t) / (1 - config["beta1"] ** t)
    config.update(m=m, v=v, t=t)
    return w - lr_t * m / (np.sqrt(v) + config["epsilon"]), config


@alternative(of="adam")
def adam_in_place_by_interpolation(w, dw, config=None):
    """On the caller's arrays: m += (1 - beta1) (dw - m), v += (1 - beta2) (dw**2 - v), t += 1, w -= ... (PyTorch's
    lerp form of the moving averages; w, the config and its moments updated in place)."""
    config = _defaults(config)
    m = config.setdefault("m", np.zeros_like(w))
    v = config.setdefault("v", np.zeros_like(w))
    config["t"] = config.get("t", 0) + 1
    t = config["t"]
    m += (1 - config["beta1"]) * (dw - m)
    v += (1 - config["beta2"]) * (dw * dw - v)
    w -= config["learning_rate"] * (m / (1 - config["beta1"] ** t)) / (
        np.sqrt(v / (1 - config["beta2"] ** t)) + config["epsilon"])
    return w, config


@alternative(of="adam")
def adam_with_loops(w, dw, config=None):
    """Entry by entry (math.sqrt), the powers beta**t as running products, epsilon inside the square root:
    m_hat / sqrt(v_hat + eps)."""
    config = _defaults(dict(config or {}))
    b1, b2, lr, eps = config["beta1"], config["beta2"], config["learning_rate"], config["epsilon"]
    t = config.get("t", 0) + 1
    p1 = p2 = 1.0
    for _ in range(t):
        p1, p2 = p1 * b1, p2 * b2
    old_m, old_v = config.get("m"), config.get("v")
    m, v, next_w = np.empty_like(w), np.empty_like(w), np.empty_like(w)
    for i in np.ndindex(w.shape):
        m[i] = b1 * (0.0 if old_m is None else old_m[i]) + (1 - b1) * dw[i]
        v[i] = b2 * (0.0 if old_v is None else old_v[i]) + (1 - b2) * dw[i] * dw[i]
        next_w[i] = w[i] - lr * (m[i] / (1 - p1)) / math.sqrt(v[i] / (1 - p2) + eps)
    config.update(m=m, v=v, t=t)
    return next_w, config
