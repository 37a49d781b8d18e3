"""Learning-rate schedules (contract: spec/contract/schedules.py)."""

from impl import _validate


def _schedule_arguments(lr0, epoch):
    rate = _validate.real_number("lr0", lr0, minimum=0)
    if rate == 0:
        raise ValueError("lr0 must be > 0, got 0.0")
    return rate, _validate.count("epoch", epoch, 0)


def _decay_rate(value, *, at_most_one):
    rate = _validate.real_number("decay_rate", value, minimum=0)
    if at_most_one and not 0 < rate <= 1:
        raise ValueError(f"decay_rate must lie in (0, 1], got {value!r}")
    return rate


def inverse_time_decay(lr0, epoch, decay_rate=1.0):
    lr0, epoch = _schedule_arguments(lr0, epoch)
    return lr0 / (1.0 + _decay_rate(decay_rate, at_most_one=False) * epoch)


def step_decay(lr0, epoch, decay_rate=0.5, epochs_per_drop=10):
    lr0, epoch = _schedule_arguments(lr0, epoch)
    every = _validate.count("epochs_per_drop", epochs_per_drop, 1)
    return lr0 * _decay_rate(decay_rate, at_most_one=True) ** (epoch // every)


def exponential_decay(lr0, epoch, decay_rate=0.95):
    lr0, epoch = _schedule_arguments(lr0, epoch)
    return lr0 * _decay_rate(decay_rate, at_most_one=True) ** epoch
