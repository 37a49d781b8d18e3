"""Learning-rate schedules: inverse_time_decay(lr0, epoch, decay_rate) = lr0 / (1 + decay_rate * epoch),
step_decay(lr0, epoch, decay_rate, epochs_per_drop) = lr0 * decay_rate ** floor(epoch / epochs_per_drop) and
exponential_decay(lr0, epoch, decay_rate) = lr0 * decay_rate ** epoch.

The lecture's slides (I2DL lecture 5 recap / 6, slides 29-30, "learning rate decay") in the extracted text:
slide 29 reads "1 / (1 + efdbzsbuf * fqpdh) * beta_0, e.g. beta_0 = 0.1, efdbzsbuf = 1.0 -> epoch 0: 0.1, epoch 1:
0.05, epoch 2: 0.033, epoch 3: 0.025": the slide font shifts letters by one (efdbzsbuf is decay_rate, fqpdh epoch,
beta_0 alpha_0), so alpha = alpha_0 / (1 + decay_rate * epoch), and the four numbers check out (0.1/1, 0.1/2, 0.1/3,
0.1/4). Slide 30 ("Learning Rate over Epochs", a plot of which only the axis ticks survive: 0.02 to 0.12 over epochs
2 to 46) lists "many options" whose formulas are mostly lost: a first with "decay rate (often 0.5)" (step decay; no
formula and no drop interval survive), a second "t^epoch * a_0, t is decay rate (t < 1.0)" (exponential decay; the
exponent's position is inferred), and a third "t is decay rate" whose formula is lost. The contract's step decay
(a factor decay_rate every epochs_per_drop epochs) is therefore the usual definition, not the slide's.

Tolerances. Each schedule is a few correctly rounded operations: a product and a sum (exact here: 1 + d * e), then
a division; or a power (NumPy's and Python's ** are within 1 ulp, 2 U) and a product; or a loop of e products
(e U). A correct value is within (e + 3) U relative of exact, the spec's own within 3 U: comparisons allow
(e + 6) U, doubled for safety, EPS (e + 6).
"""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS
from spec.property import alternative, mutant, prop

CONCEPT = "learning-rate decay"
I2DL_DECAY = ("TUM I2DL lecture 5 recap / 6, slide 29: learning rate decay alpha = 1 / (1 + decay_rate * epoch) * "
              "alpha_0; alpha_0 = 0.1, decay_rate = 1.0 give 0.1, 0.05, 0.033, 0.025 for epochs 0 to 3")
I2DL_OPTIONS = ("TUM I2DL lecture 5 recap / 6, slide 30: 'many options': step decay (decay rate often 0.5), "
                "exponential decay t^epoch * alpha_0 (t < 1.0)")
I2DL_WHY = "TUM I2DL lecture 5 recap / 6, slide 29: 'need high learning rate when far away, low when close'"
MAX_EPOCH = 60


def rtol(epoch: int) -> float:
    """(epoch + 6) U between a correct value and the spec's, doubled: see the module docstring."""
    return EPS * (epoch + 6)


def initial_rates():
    return st.one_of(st.sampled_from([0.1, 1e-3, 1.0]), st.floats(1e-6, 10.0))


def epochs(max_value=MAX_EPOCH):
    return st.integers(0, max_value)


def rates_in_0_1():
    """decay_rate in (0, 1]: 1 (no decay), 0.5 (halving), 0.95 and 0.1."""
    return st.one_of(st.sampled_from([1.0, 0.5, 0.95, 0.1]), st.floats(0.01, 1.0))


def inverse_time_rates():
    """decay_rate >= 0 for inverse-time decay: 0 (no decay), the lecture's 1.0, and others up to 10."""
    return st.one_of(st.sampled_from([0.0, 1.0, 0.5]), st.floats(0.0, 10.0))


# The lecture's example, exactly: 1/10, 1/20, 1/30, 1/40.
LECTURE = [(0, Fraction(1, 10)), (1, Fraction(1, 20)), (2, Fraction(1, 30)), (3, Fraction(1, 40))]


@prop(CONCEPT, I2DL_DECAY, "inverse_time_decay(0.1, epoch, 1.0) is 0.1, 0.05, 0.0333..., 0.025 for epochs 0 to 3 (the lecture's example).")
def test_inverse_time_decay_matches_the_lecture_example(inverse_time_decay):
    for epoch, exact in LECTURE:
        expect.close(f"inverse_time_decay(0.1, {epoch}, 1.0)", inverse_time_decay(0.1, epoch, 1.0), float(exact),
                     rtol=rtol(epoch), why=f"0.1 / (1 + 1.0 * {epoch}) = {float(exact):.6g}",
                     inputs={"lr0": 0.1, "epoch": epoch, "decay_rate": 1.0})


@prop(CONCEPT, I2DL_DECAY, "inverse_time_decay(lr0, epoch, decay_rate) is lr0 / (1 + decay_rate * epoch).")
@given(lr0=initial_rates(), epoch=epochs(), decay_rate=inverse_time_rates())
@example(lr0=0.1, epoch=3, decay_rate=1.0)
def test_inverse_time_decay_is_lr0_over_1_plus_decay_rate_times_epoch(inverse_time_decay, lr0, epoch, decay_rate):
    exact = float(Fraction(lr0) / (1 + Fraction(decay_rate) * epoch))
    expect.close(f"inverse_time_decay({lr0!r}, {epoch}, {decay_rate!r})", inverse_time_decay(lr0, epoch, decay_rate),
                 exact, rtol=rtol(epoch), why="lr0 / (1 + decay_rate * epoch)",
                 inputs={"lr0": lr0, "epoch": epoch, "decay_rate": decay_rate})


@prop(CONCEPT, I2DL_WHY, "Every schedule gives lr0 at epoch 0 and never increases from one epoch to the next.")
@given(lr0=initial_rates(), decay_rate=rates_in_0_1(), inverse_rate=inverse_time_rates(),
       epochs_per_drop=st.integers(1, 5), last=st.integers(1, 25))
@example(lr0=0.1, decay_rate=0.5, inverse_rate=1.0, epochs_per_drop=2, last=6)
def test_every_schedule_starts_at_lr0_and_never_increases(inverse_time_decay, step_decay, exponential_decay, lr0,
                                                          decay_rate, inverse_rate, epochs_per_drop, last):
    schedules = {
        f"inverse_time_decay(lr0, epoch, {inverse_rate!r})": lambda e: inverse_time_decay(lr0, e, inverse_rate),
        f"step_decay(lr0, epoch, {decay_rate!r}, {epochs_per_drop})":
            lambda e: step_decay(lr0, e, decay_rate, epochs_per_drop),
        f"exponential_decay(lr0, epoch, {decay_rate!r})": lambda e: exponential_decay(lr0, e, decay_rate),
    }
    inputs = {"lr0": lr0}
    for name, schedule in schedules.items():
        rates = [schedule(e) for e in range(last + 1)]
        expect.close(name.replace("epoch", "0"), rates[0], lr0, rtol=rtol(0), why="lr0 at epoch 0", inputs=inputs)
        for e in range(last):
            # Exact rates never increase; computed ones are each within (e + 4) U of exact: 2 rtol(e + 1) allows both.
            bound = rates[e] * (1 + 2 * rtol(e + 1))
            expect.holds(name.replace("epoch", str(e + 1)), rates[e + 1], rates[e + 1] <= bound,
                         f"<= {float(rates[e])!r}, the rate of epoch {e}: a schedule never increases the learning rate",
                         inputs=inputs)


@prop(CONCEPT, I2DL_OPTIONS, "step_decay is constant within each block of epochs_per_drop epochs and drops by exactly decay_rate from one block to the next: lr0 * decay_rate ** floor(epoch / epochs_per_drop).")
@given(lr0=initial_rates(), decay_rate=rates_in_0_1().filter(lambda r: r < 1.0), epochs_per_drop=st.integers(1, 6),
       blocks=st.integers(2, 4))
@example(lr0=0.1, decay_rate=0.5, epochs_per_drop=10, blocks=3)
def test_step_decay_is_piecewise_constant_with_drops_every_epochs_per_drop(step_decay, lr0, decay_rate,
                                                                           epochs_per_drop, blocks):
    inputs = {"lr0": lr0, "decay_rate": decay_rate, "epochs_per_drop": epochs_per_drop}
    k = epochs_per_drop
    for block in range(blocks):
        first = block * k
        start = step_decay(lr0, first, decay_rate, k)
        expect.close(f"step_decay(lr0, {first}, decay_rate, {k})", start, lr0 * decay_rate**block,
                     rtol=rtol(block), why=f"lr0 * decay_rate ** {block}: {block} drops by epoch {first}",
                     inputs=inputs)
        for epoch in range(first + 1, first + k):
            # The same computation on the same floor(epoch / k): exactly the same value.
            expect.equal(f"step_decay(lr0, {epoch}, decay_rate, {k})", step_decay(lr0, epoch, decay_rate, k), start,
                         why=f"the rate of epoch {first}: constant from epoch {first} to {first + k - 1}",
                         inputs=inputs)
        if block:
            before = step_decay(lr0, first - 1, decay_rate, k)
            expect.close(f"step_decay(lr0, {first}, ...) / step_decay(lr0, {first - 1}, ...)", start / before,
                         decay_rate, rtol=2 * rtol(block),
                         why=f"decay_rate: one drop between epoch {first - 1} and epoch {first}", inputs=inputs)


@prop(CONCEPT, I2DL_OPTIONS, "exponential_decay multiplies the rate by decay_rate from each epoch to the next (lr0 * decay_rate ** epoch): the ratio of consecutive epochs is constant.")
@given(lr0=initial_rates(), decay_rate=rates_in_0_1(), last=st.integers(1, 20))
@example(lr0=0.1, decay_rate=0.95, last=5)
def test_exponential_decay_has_a_constant_ratio(exponential_decay, lr0, decay_rate, last):
    inputs = {"lr0": lr0, "decay_rate": decay_rate}
    rates = [exponential_decay(lr0, e, decay_rate) for e in range(last + 1)]
    for e in range(last):
        # Two values within (e + 4) U of exact each, one division: 2 rtol(e + 1) covers it.
        expect.close(f"exponential_decay(lr0, {e + 1}, ...) / exponential_decay(lr0, {e}, ...)",
                     rates[e + 1] / rates[e], decay_rate, rtol=2 * rtol(e + 1),
                     why="decay_rate: the same factor every epoch", inputs=inputs)
    expect.close(f"exponential_decay(lr0, {last}, decay_rate)", rates[last], lr0 * decay_rate**last,
                 rtol=2 * rtol(last), why=f"lr0 * decay_rate ** {last}", inputs=inputs)


# Mutants.


@mutant(of="inverse_time_decay", kills=[test_inverse_time_decay_matches_the_lecture_example,
                                         test_inverse_time_decay_is_lr0_over_1_plus_decay_rate_times_epoch,
                                         test_every_schedule_starts_at_lr0_and_never_increases])
def inverse_time_decay_times_epoch(lr0, epoch, decay_rate=1.0):
    """lr0 / (1 + decay_rate) * epoch: the parentheses closed too early; 0 at epoch 0 and growing after."""
    return lr0 / (1 + decay_rate) * epoch


@mutant(of="inverse_time_decay", kills=[test_inverse_time_decay_matches_the_lecture_example,
                                         test_inverse_time_decay_is_lr0_over_1_plus_decay_rate_times_epoch])
def inverse_time_decay_with_epoch_as_exponent(lr0, epoch, decay_rate=1.0):
    """lr0 / (1 + decay_rate) ** epoch: an exponential decay by 1 / (1 + decay_rate) (0.025 at epoch 2, not 0.033)."""
    return lr0 / (1 + decay_rate) ** epoch


@mutant(of="inverse_time_decay", kills=[test_inverse_time_decay_matches_the_lecture_example,
                                         test_inverse_time_decay_is_lr0_over_1_plus_decay_rate_times_epoch])
def inverse_time_decay_from_epoch_1(lr0, epoch, decay_rate=1.0):
    """lr0 / (1 + decay_rate * (epoch + 1)): epochs counted from 1, so epoch 0 already decays."""
    return lr0 / (1 + decay_rate * (epoch + 1))


@mutant(of="step_decay", kills=[test_step_decay_is_piecewise_constant_with_drops_every_epochs_per_drop])
def step_decay_not_floored(lr0, epoch, decay_rate=0.5, epochs_per_drop=10):
    """lr0 * decay_rate ** (epoch / epochs_per_drop): true division, a smooth exponential decay, no steps."""
    return lr0 * decay_rate ** (epoch / epochs_per_drop)


@mutant(of="step_decay", kills=[test_step_decay_is_piecewise_constant_with_drops_every_epochs_per_drop])
def step_decay_dropping_one_epoch_late(lr0, epoch, decay_rate=0.5, epochs_per_drop=10):
    """(epoch - 1) // epochs_per_drop, clipped at 0: the drop comes one epoch after the block starts."""
    return lr0 * decay_rate ** max(0, (epoch - 1) // epochs_per_drop)


@mutant(of="step_decay", kills=[test_step_decay_is_piecewise_constant_with_drops_every_epochs_per_drop])
def step_decay_with_ceil(lr0, epoch, decay_rate=0.5, epochs_per_drop=10):
    """ceil(epoch / epochs_per_drop): the first drop already at epoch 1."""
    return lr0 * decay_rate ** math.ceil(epoch / epochs_per_drop)


@mutant(of="step_decay", kills=[test_step_decay_is_piecewise_constant_with_drops_every_epochs_per_drop])
def step_decay_subtracting(lr0, epoch, decay_rate=0.5, epochs_per_drop=10):
    """lr0 * (1 - decay_rate * drops), clipped at 0: decay_rate * lr0 subtracted at each drop, a linear decrease
    instead of a factor decay_rate per drop."""
    return max(0.0, lr0 * (1 - decay_rate * (epoch // epochs_per_drop)))


@mutant(of="exponential_decay", kills=[test_exponential_decay_has_a_constant_ratio])
def exponential_decay_as_exp_of_minus_rate(lr0, epoch, decay_rate=0.95):
    """lr0 * exp(-decay_rate * epoch): decay_rate taken as the rate constant k of e^(-kt)."""
    return lr0 * math.exp(-decay_rate * epoch)


@mutant(of="exponential_decay", kills=[test_every_schedule_starts_at_lr0_and_never_increases,
                                       test_exponential_decay_has_a_constant_ratio])
def exponential_decay_dividing(lr0, epoch, decay_rate=0.95):
    """lr0 / decay_rate ** epoch: divided instead of multiplied, the rate grows."""
    return lr0 / decay_rate**epoch


# Correct alternatives.


@alternative(of="inverse_time_decay")
def inverse_time_decay_as_the_slide_writes_it(lr0, epoch, decay_rate=1.0):
    """1 / (1 + decay_rate * epoch) * lr0, the slide's order of operations."""
    return 1.0 / (1.0 + decay_rate * epoch) * lr0


@alternative(of="inverse_time_decay")
def inverse_time_decay_by_a_loop(lr0, epoch, decay_rate=1.0):
    """The denominator 1 + decay_rate + ... + decay_rate accumulated epoch by epoch (epoch roundings, see rtol)."""
    denominator = 1.0
    for _ in range(epoch):
        denominator += decay_rate
    return lr0 / denominator


@alternative(of="step_decay")
def step_decay_by_a_loop(lr0, epoch, decay_rate=0.5, epochs_per_drop=10):
    """Multiply by decay_rate at every epoch that starts a block."""
    lr = lr0
    for e in range(1, epoch + 1):
        if e % epochs_per_drop == 0:
            lr *= decay_rate
    return lr


@alternative(of="step_decay")
def step_decay_with_numpy(lr0, epoch, decay_rate=0.5, epochs_per_drop=10):
    """np.power(decay_rate, np.floor(epoch / epochs_per_drop)) * lr0 (a NumPy float64)."""
    import numpy as np

    return np.power(decay_rate, np.floor(epoch / epochs_per_drop)) * lr0


@alternative(of="exponential_decay")
def exponential_decay_by_a_loop(lr0, epoch, decay_rate=0.95):
    """What a training loop's lr_decay does: lr *= decay_rate once per epoch."""
    lr = lr0
    for _ in range(epoch):
        lr *= decay_rate
    return lr


@alternative(of="exponential_decay")
def exponential_decay_with_numpy(lr0, epoch, decay_rate=0.95):
    """lr0 * np.power(decay_rate, epoch)."""
    import numpy as np

    return lr0 * np.power(decay_rate, epoch)
