"""The reference impl/schedules.py rejects malformed input with a ValueError that names the argument and what it
should be, and returns Python floats."""

import pytest

from impl import schedules as s

SCHEDULES = [s.inverse_time_decay, s.step_decay, s.exponential_decay]


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_every_schedule_checks_lr0_and_epoch(schedule):
    with pytest.raises(ValueError, match=r"lr0 must be > 0, got 0.0"):
        schedule(0.0, 1)
    with pytest.raises(ValueError, match=r"lr0 must be >= 0, got -0.1"):
        schedule(-0.1, 1)
    with pytest.raises(ValueError, match=r"lr0 must be a finite number, got inf"):
        schedule(float("inf"), 1)
    with pytest.raises(ValueError, match=r"epoch must be an integer >= 0, got -1"):
        schedule(0.1, -1)
    with pytest.raises(ValueError, match=r"epoch must be an integer >= 0, got 1.5"):
        schedule(0.1, 1.5)
    assert isinstance(schedule(0.1, 3), float) and schedule(0.1, 0) == 0.1


def test_decay_rates_are_checked():
    with pytest.raises(ValueError, match=r"decay_rate must be >= 0, got -1.0"):
        s.inverse_time_decay(0.1, 1, decay_rate=-1.0)
    with pytest.raises(ValueError, match=r"decay_rate must lie in \(0, 1\], got 1.5"):
        s.step_decay(0.1, 1, decay_rate=1.5)
    with pytest.raises(ValueError, match=r"decay_rate must lie in \(0, 1\], got 0.0"):
        s.exponential_decay(0.1, 1, decay_rate=0.0)
    with pytest.raises(ValueError, match=r"epochs_per_drop must be an integer >= 1, got 0"):
        s.step_decay(0.1, 1, epochs_per_drop=0)


def test_the_lecture_example():
    assert [s.inverse_time_decay(0.1, e, 1.0) for e in range(4)] == [0.1, 0.05, 0.1 / 3, 0.025]
    assert [s.step_decay(1.0, e, 0.5, 2) for e in range(5)] == [1.0, 1.0, 0.5, 0.5, 0.25]
