"""Assertions that explain themselves to a student.

Every helper raises an AssertionError whose message says what was computed, what was expected, where (the index),
and on which input, e.g.::

    softmax(x + c)[1, 0]=0.1201, but should be 0.1301 (off by 0.01, allowed 4.4e-16) [should equal softmax(x) row by row]
    2 of 6 entries are off.
    x = [[ 1.  , -2.  ,  0.  ], ...]

The lecture concept is added by the harness (the property's metadata), so messages need not repeat it.
"""

from __future__ import annotations

import numbers

import numpy as np

EPS = float(np.finfo(np.float64).eps)  # 2.2e-16: the relative rounding error of one float64 operation is <= EPS/2


def fmt(value) -> str:
    """A number or array as a student should read it: enough digits to see the difference, no more."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        with np.printoptions(precision=6, suppress=False, threshold=60, edgeitems=3, linewidth=100):
            return np.array2string(value, separator=", ")
    if isinstance(value, (numbers.Real, np.ndarray, np.generic)) and not isinstance(value, (bool, np.bool_)) \
            and np.ndim(value) == 0 and np.isreal(value):
        value = float(value)
    return f"{value:.10g}" if isinstance(value, float) else repr(value)


def fmt_pair(actual: float, expected: float) -> tuple[str, str]:
    """Two numbers with just enough significant digits (at least 10) to show that they differ."""
    for digits in range(10, 18):
        a, e = f"{actual:.{digits}g}", f"{expected:.{digits}g}"
        if a != e:
            return a, e
    return repr(actual), repr(expected)


def index_text(index) -> str:
    return "[" + ", ".join(str(int(i)) for i in np.atleast_1d(index)) + "]" if index != () else ""


def _inputs_text(inputs: dict | None) -> str:
    if not inputs:
        return ""
    return "\n" + "\n".join(f"{name} = {fmt(value)}" for name, value in inputs.items())


def fail(message: str, inputs: dict | None = None):
    raise AssertionError(message + _inputs_text(inputs))


def close(name: str, actual, expected, *, atol=0.0, rtol=0.0, why: str = "", inputs: dict | None = None,
          exact: bool = False) -> None:
    """Assert |actual - expected| <= atol + rtol * |expected| elementwise; NaN or inf where a finite is expected fails.

    ``atol`` may be an array broadcastable to the values (a per-row tolerance, for instance).
    """
    actual_arr = np.asarray(actual, dtype=np.float64)
    expected_arr = np.asarray(expected, dtype=np.float64)
    actual_arr, expected_arr = np.broadcast_arrays(actual_arr, expected_arr)
    with np.errstate(invalid="ignore"):  # inf - inf is NaN, and NaN is reported as a failure below
        allowed = np.broadcast_to(np.asarray(atol, dtype=np.float64) + rtol * np.abs(expected_arr), actual_arr.shape)
        error = np.abs(actual_arr - expected_arr)
    same_inf = np.isinf(expected_arr) & (actual_arr == expected_arr)
    bad = ~((error <= allowed) | same_inf)  # NaN compares False, so it is always bad
    if not bad.any():
        return
    # Report the worst offender: NaN first, then the largest excess over the allowed error.
    excess = np.where(np.isnan(error), np.inf, error - allowed)
    worst = np.unravel_index(int(np.argmax(np.where(bad, excess, -np.inf))), bad.shape)
    where = index_text(worst) if actual_arr.ndim else ""
    count = f"\n{int(bad.sum())} of {bad.size} entries are off." if bad.size > 1 else ""
    got, want = fmt_pair(float(actual_arr[worst]), float(expected_arr[worst]))
    off = f"off by {float(error[worst]):.2g}, " if np.isfinite(error[worst]) else ""
    tolerance = "" if exact else f" ({off}allowed {float(allowed[worst]):.2g})"
    fail(
        f"{name}{where}={got}, but should be {want}{tolerance}"
        + (f" [{why}]" if why else "") + count,
        inputs,
    )


def holds(name: str, values, ok, requirement: str, *, inputs: dict | None = None) -> None:
    """Assert that a boolean array ``ok`` (computed from ``values``) is true everywhere.

    ``requirement`` says what each value should satisfy, e.g. "in [0, 1]".
    """
    values = np.asarray(values)
    ok = np.broadcast_to(np.asarray(ok, dtype=bool), values.shape)
    if ok.all():
        return
    worst = tuple(int(i) for i in np.argwhere(~ok)[0]) if values.ndim else ()
    count = f"\n{int((~ok).sum())} of {ok.size} entries are off." if ok.size > 1 else ""
    fail(f"{name}{index_text(worst)}={fmt(values[worst])}, but should be {requirement}{count}", inputs)


def equal(name: str, actual, expected, *, why: str = "", inputs: dict | None = None) -> None:
    """Exact equality (for results that involve no rounding: zeros, counts, labels): the message gives no "off by"."""
    close(name, actual, expected, atol=0.0, why=why, inputs=inputs, exact=True)
