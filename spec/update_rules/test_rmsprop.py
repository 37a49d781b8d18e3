"""RMSProp: rmsprop(w, dw, config) -> (next_w, config), config["cache"] a moving average of squared gradients,

    cache = rho cache + (1 - rho) dw**2,   next_w = w - lr dw / (sqrt(cache) + eps)   (rho = decay_rate).

The cache is defined exactly by the contract, so it is compared with the recurrence. The steps are watched for what
the lecture says they do: they do not depend on the gradient's scale (dividing by the root mean square of the
gradients: scaling every gradient by c > 0 scales the cache by c**2 and leaves each step as it was), and a coordinate
whose gradients are larger takes a smaller step per unit of gradient ("X-direction small gradients, Y-direction large
gradients": the step is evened out across coordinates).

Rounding of the cache: a call adds at most 3 U (rho cache + (1 - rho) dw**2: two products, one square, one sum of
terms of one sign; 1 - rho is exact for rho >= 1/2) or 6 U (cache + (1 - rho) (dw**2 - cache), the other way of
writing it) relative to the new cache, whatever the old cache's error was: after j calls within 6 j U. Its square
root halves that, and the step adds the product lr dw, the division, and (for the scale property) the rounding of
c g: a step within (3 j + 6) U of the epsilon-free step -lr dw / sqrt(cache). epsilon's placement adds
common.epsilon_slack.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.property import alternative, mutant, prop
from spec.update_rules.common import (
    CS231N_NOTEBOOK, I2DL_RMSPROP, NOTEBOOK_DW, NOTEBOOK_W, PRINTED, U, decay_rates, epsilon_slack,
    arrays, generate, learning_rates, rmsprop_rounding, run, seeds, step_rounding, trajectories, update,
)

CONCEPT = "RMSProp"


@st.composite
def gradients_and_caches(draw):
    """(w, g, cache): one gradient (zeros allowed) and a stored cache >= 0 shaped like w, or None (a fresh config)."""
    w, (g,) = draw(trajectories(calls=st.just(1), nonzero=False))
    cache = draw(st.none() | arrays("squares", w.shape))
    return w, g, cache


def scales():
    """c > 0 at least a factor 2 away from 1 (0.5, or 2 to 1000): a rule whose step changes with the scale changes
    it by a factor."""
    return st.one_of(st.sampled_from([0.5, 2.0, 10.0, 1000.0]), st.floats(2.0, 1000.0))


def cache_after(grads, rho):
    """The caches after each call from zero (the property's own recurrence, for tolerances and ideal steps)."""
    cache, caches = np.zeros_like(grads[0]), []
    for g in grads:
        cache = rho * cache + (1 - rho) * g * g
        caches.append(cache)
    return caches


@prop(CONCEPT, I2DL_RMSPROP, "rmsprop stores cache = rho * cache + (1 - rho) * dw**2 (rho = decay_rate): from a zero cache (a fresh config) (1 - rho) * dw**2.")
@given(wgc=gradients_and_caches(), rho=decay_rates())
@example(wgc=(NOTEBOOK_W, NOTEBOOK_DW, None), rho=0.99)
def test_rmsprop_cache_is_a_moving_average_of_squared_gradients(rmsprop, wgc, rho):
    w, g, cache = wgc
    config = {"decay_rate": rho} if cache is None else {"decay_rate": rho, "cache": cache}
    old = np.zeros_like(w) if cache is None else cache
    _, _, returned = update(rmsprop, w, g, config)
    # Within 6 U of the new cache either way (module docstring), which is at most 6 U (old + g**2): 8 U leaves room.
    expect.close("config['cache'] returned by rmsprop", returned["cache"], rho * old + (1 - rho) * g * g,
                 atol=8 * U * (old + g * g),
                 why=f"decay_rate * cache + (1 - decay_rate) * dw**2 with decay_rate = {rho!r}"
                 + ("" if cache is not None else ", from cache = 0"),
                 inputs={"dw": g, "cache passed": cache})


@prop(CONCEPT, I2DL_RMSPROP, "Scaling every gradient by a constant c > 0 leaves RMSProp's steps unchanged (|dw| >= 0.1, far above epsilon; calls in a row from a fresh config).")
@given(wg=trajectories(calls=st.integers(1, 4)), c=scales(), lr=learning_rates(), rho=decay_rates())
@example(wg=(NOTEBOOK_W, [NOTEBOOK_DW, NOTEBOOK_DW[::-1]]), c=10.0, lr=1e-2, rho=0.99)
def test_rmsprop_step_is_unchanged_when_the_gradient_is_scaled(rmsprop, wg, c, lr, rho):
    w, grads = wg
    config = {"learning_rate": lr, "decay_rate": rho}
    steps, ws, _ = run(rmsprop, w, grads, config)
    scaled_grads = [c * g for g in grads]
    scaled_steps, scaled_ws, _ = run(rmsprop, w, scaled_grads, config)
    eps = 1e-8  # the default
    for j, (g, cache) in enumerate(zip(grads, cache_after(grads, rho)), start=1):
        s = np.sqrt(cache)
        ideal = np.abs(lr * g / s)  # the epsilon-free step's size, the same for both runs
        # Each run within (3j + 6) U of the ideal step (module docstring), twice that as a margin, plus where epsilon
        # sits, at the scale of each run, plus reading each step off next_w - w.
        atol = ideal * (2 * rmsprop_rounding(j) + epsilon_slack(eps, s) + epsilon_slack(eps, c * s)) \
            + step_rounding(ws[j - 1], ws[j - 1] + steps[j - 1]) \
            + step_rounding(scaled_ws[j - 1], scaled_ws[j - 1] + scaled_steps[j - 1])
        expect.close(f"step {j} of rmsprop with every gradient times c = {c!r}", scaled_steps[j - 1], steps[j - 1],
                     atol=atol, why="the same step as with the gradients themselves: the cache grows by c**2, its "
                     "square root by c, and dw / sqrt(cache) stays",
                     inputs={"gradients": np.array(grads), "config": config})


@st.composite
def small_and_large_gradients(draw):
    """(w, gradients, n): w of 2n entries; at every call the last n gradient entries are 2 to 10 times the first n
    in size (either sign)."""
    n, k = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(seeds()))
    w = generate(rng, (2 * n,), "weights")
    grads = []
    for _ in range(k):
        small = generate(rng, (n,), "nonzero")
        factor = rng.choice([2.0, 10.0], n) if k == 1 else rng.uniform(2.0, 10.0, n)
        sign = rng.choice([1.0, -1.0], n)
        grads.append(np.concatenate([small, sign * factor * small]))
    return w, grads, n


@prop(CONCEPT, I2DL_RMSPROP, "Coordinates with larger gradients take relatively smaller RMSProp steps: where |dw| was at least twice as large at every call, the step per unit of gradient is smaller.")
@given(wgn=small_and_large_gradients(), lr=learning_rates(), rho=decay_rates())
@example(wgn=(np.zeros(2), [np.array([0.1, 10.0])], 1), lr=1e-2, rho=0.99)
def test_rmsprop_larger_gradients_take_relatively_smaller_steps(rmsprop, wgn, lr, rho):
    w, grads, n = wgn
    config = {"learning_rate": lr, "decay_rate": rho}
    steps, _, _ = run(rmsprop, w, grads, config)
    per_unit = steps[-1] / -grads[-1]  # lr / (sqrt(cache) + eps) > 0
    # The large coordinates' caches are at least 4 times the small ones', so their denominators (any placement of
    # epsilon, |g| >= 0.1) at least 1.9 times, and their steps per unit at most 1 / 1.9 of the small ones'. The
    # rounding is far below that gap: relative (3 k + 6) U for the step, and reading it off next_w - w adds at most
    # 1e-14 (|w| <= 10) to steps of at least lr |g| / sqrt(max cache) >= 1e-4 * 0.1 / 100 = 1e-7 (|g| <= 100 here):
    # "smaller" is compared as it is.
    small, large = per_unit[:n], per_unit[n:]
    expect.holds("the step per unit of gradient of the large coordinates (step / -dw, last call)", large,
                 large < small, f"smaller than the small coordinates' {small}: dividing by the root mean square "
                 "evens the steps out", inputs={"gradients (first n small, last n large)": np.array(grads),
                                                "config": config})


@prop(CONCEPT, CS231N_NOTEBOOK, "CS231n's notebook check: rmsprop with lr = 1e-2 from the cache linspace(0.6, 0.9) gives its expected_next_w and expected_cache.")
def test_rmsprop_reproduces_the_cs231n_notebook(rmsprop):
    cache = np.linspace(0.6, 0.9, num=20).reshape(4, 5)
    expected_next_w = np.array([
        [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
        [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
        [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
        [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619]])
    expected_cache = np.array([
        [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
        [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
        [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
        [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926]])
    lr, g = 1e-2, NOTEBOOK_DW
    _, next_w, returned = update(rmsprop, NOTEBOOK_W, g, {"learning_rate": lr, "cache": cache})
    inputs = {"w": NOTEBOOK_W, "dw": g, "cache": cache}
    # The notebook's 8 decimals, the cache's rounding (8 U (cache + g**2) as in the cache property).
    expect.close("config['cache'] of rmsprop on the notebook's input", returned["cache"], expected_cache,
                 atol=PRINTED + 8 * U * (cache + g * g), why="the notebook's expected_cache (decay_rate 0.99)",
                 inputs=inputs)
    # The notebook's 8 decimals, epsilon's placement (s = sqrt(new cache) ~ 0.8) and a step's rounding (3 + 6 U,
    # doubled) on a step of lr |g| / s, and reading next_w.
    s = np.sqrt(0.99 * cache + 0.01 * g * g)
    step = lr * np.abs(g) / s
    expect.close("next_w of rmsprop on the notebook's input", next_w, expected_next_w,
                 atol=PRINTED + step * (epsilon_slack(1e-8, s) + rmsprop_rounding(1)) + 2 * U * np.abs(next_w),
                 why="the notebook's expected_next_w", inputs=inputs)


# Mutants.


def _defaults(config):
    config = {} if config is None else config
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    return config


@mutant(of="rmsprop", kills=[test_rmsprop_cache_is_a_moving_average_of_squared_gradients,
                             test_rmsprop_reproduces_the_cs231n_notebook])
def rmsprop_with_rho_and_1_minus_rho_swapped(w, dw, config=None):
    """cache = (1 - rho) cache + rho dw**2: the new gradient weighted by rho, the history forgotten fast."""
    config = _defaults(config)
    rho = config["decay_rate"]
    cache = (1 - rho) * config.get("cache", np.zeros_like(w)) + rho * dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config


@mutant(of="rmsprop", kills=[test_rmsprop_step_is_unchanged_when_the_gradient_is_scaled,
                             test_rmsprop_reproduces_the_cs231n_notebook])
def rmsprop_without_the_square_root(w, dw, config=None):
    """dw / (cache + eps): divides by the mean square, not its root, so steps shrink as 1 / |dw|."""
    config = _defaults(config)
    rho = config["decay_rate"]
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (cache + config["epsilon"]), config


@mutant(of="rmsprop", kills=[test_rmsprop_step_is_unchanged_when_the_gradient_is_scaled,
                             test_rmsprop_larger_gradients_take_relatively_smaller_steps,
                             test_rmsprop_reproduces_the_cs231n_notebook])
def rmsprop_cache_kept_but_unused(w, dw, config=None):
    """The cache is updated and stored, but the step is SGD's, -lr dw: the division forgotten."""
    config = _defaults(config)
    rho = config["decay_rate"]
    config["cache"] = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw**2
    return w - config["learning_rate"] * dw, config


@mutant(of="rmsprop", kills=[test_rmsprop_step_is_unchanged_when_the_gradient_is_scaled,
                             test_rmsprop_reproduces_the_cs231n_notebook])
def rmsprop_dividing_by_the_old_cache(w, dw, config=None):
    """The step uses the cache before this call's update: the first step divides by 0 + eps (a jump of lr dw / eps)."""
    config = _defaults(config)
    rho = config["decay_rate"]
    old = config.get("cache", np.zeros_like(w))
    next_w = w - config["learning_rate"] * dw / (np.sqrt(old) + config["epsilon"])
    config["cache"] = rho * old + (1 - rho) * dw**2
    return next_w, config


# Correct alternatives.


@alternative(of="rmsprop")
def rmsprop_with_epsilon_inside_the_root(w, dw, config=None):
    """dw / sqrt(cache + eps): epsilon under the square root (Hinton's slides, some libraries)."""
    config = dict(_defaults(dict(config or {})))
    rho = config["decay_rate"]
    cache = rho * config.get("cache", np.zeros_like(w)) + (1 - rho) * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / np.sqrt(cache + config["epsilon"]), config


@alternative(of="rmsprop")
def rmsprop_in_place(w, dw, config=None):
    """CS231n's template on the caller's arrays: cache *= rho; cache += (1 - rho) dw**2; w -= ... (in place)."""
    config = _defaults(config)
    rho = config["decay_rate"]
    cache = config.setdefault("cache", np.zeros_like(w))
    cache *= rho
    cache += (1 - rho) * dw**2
    w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w, config


@alternative(of="rmsprop")
def rmsprop_with_loops(w, dw, config=None):
    """Entry by entry (math.sqrt), on new arrays, the moving average written as a step towards dw**2:
    cache + (1 - rho) (dw**2 - cache) (PyTorch's lerp)."""
    import math

    config = dict(_defaults(dict(config or {})))
    lr, rho, eps = config["learning_rate"], config["decay_rate"], config["epsilon"]
    old = config.get("cache")
    cache, next_w = np.empty_like(w), np.empty_like(w)
    for i in np.ndindex(w.shape):
        previous = 0.0 if old is None else old[i]
        cache[i] = previous + (1 - rho) * (dw[i] * dw[i] - previous)
        next_w[i] = w[i] - lr * dw[i] / (math.sqrt(cache[i]) + eps)
    config["cache"] = cache
    return next_w, config
