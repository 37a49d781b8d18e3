"""What the optimization chapter's property modules share: functions of W that record their calls, and strategies
for weight shapes and seeds."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec.expect import EPS

U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative
TINY = float(np.finfo(np.float64).tiny)  # 2.2e-308: below it rounding is absolute (gradual underflow)

# A bound of the form "a correct implementation passes unless an event of probability <= e^-TAIL happens":
# e^-30 = 9.4e-14 per example, so even the thorough profile's 2000 examples a property fail correct code with
# probability below 2e-10.
TAIL = 30.0


class Recorder:
    """A loss function of W (``loss_fn(W) -> float``) that keeps a copy of every W it was called with and the loss it
    returned: ``calls`` is a list of (W, loss)."""

    def __init__(self, f):
        self.f = f
        self.calls: list = []

    def __call__(self, W):
        W = np.array(W, dtype=np.float64)  # a copy: the caller may change its array afterwards
        loss = float(self.f(W))
        self.calls.append((W, loss))
        return loss

    def losses(self) -> np.ndarray:
        return np.array([loss for _, loss in self.calls])

    def distinct(self) -> list:
        """The calls with a W not seen before (first occurrence), in call order: a re-evaluation of the current W
        (an implementation that calls loss_fn(W) again) is not a new point."""
        seen, out = set(), []
        for W, loss in self.calls:
            key = (W.shape, W.tobytes())
            if key not in seen:
                seen.add(key)
                out.append((W, loss))
        return out


class GradientRecorder:
    """``loss_and_grad(W) -> (loss, dW)`` that keeps a copy of every W it was called with and what it returned."""

    def __init__(self, f):
        self.f = f
        self.calls: list = []

    def __call__(self, W):
        W = np.array(W, dtype=np.float64)
        loss, dW = self.f(W)
        self.calls.append((W, float(loss), np.array(dW, dtype=np.float64)))
        return loss, dW

    def steps(self) -> list:
        """The calls with consecutive repeats at the same W dropped (an implementation may ask twice per step)."""
        out = []
        for call in self.calls:
            if not out or out[-1][0].shape != call[0].shape or not np.array_equal(out[-1][0], call[0]):
                out.append(call)
        return out


def weight_shapes(max_rank: int = 2, max_side: int = 4):
    """The shape of W: a vector or a matrix (1 to 4 entries a side)."""
    return st.lists(st.integers(1, max_side), min_size=1, max_size=max_rank).map(tuple)


def seeds():
    return st.integers(0, 2**32 - 1)


def bounded_arrays(shape, low: float, high: float):
    """Arrays of the given shape with entries in [low, high], the ends and 0 (if inside) often."""
    special = [v for v in (low, high, 0.0, 1.0, -1.0) if low <= v <= high]
    values = st.one_of(st.sampled_from(special), st.floats(low, high, allow_nan=False, allow_subnormal=False))
    return hnp.arrays(np.float64, shape, elements=values)
