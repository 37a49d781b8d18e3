"""Calling a function under test through its contract.

Properties never call an implementation directly: they receive a ``CheckedFunction`` (the pytest fixture named after
the contract function) that, on every call,

- calls the function the way the contract says (and says so when its signature does not allow that);
- turns ``NotImplementedError`` into a "not implemented" skip;
- fails the test with a clear message when the call does not return within ``CALL_TIMEOUT`` seconds;
- fails it when the function modified an input array the contract says is read-only;
- checks the returned value's type, shape and dtype against the contract, in the contract's words;
- while a student's function runs, fails it if any code of the reference implementation executes;
- records the call, so that a failure comes with a snippet that reproduces it.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from spec import contract
from spec.contract.types import ContractViolation, Returns
from spec.harness import loading

# The reference answers any property's input in well under a millisecond; a loop-based student version is at most
# a few thousand times slower. A call still running after this many seconds is stuck, not slow.
# SPEC_CALL_TIMEOUT overrides it (the harness's own tests use 1 s; a very slow machine may want more).
CALL_TIMEOUT = float(os.environ.get("SPEC_CALL_TIMEOUT", "10"))

class CallLog:
    """The calls of the running example: its first few (the property's main calls, before any finite-difference
    probing) and its latest (where a loop over worked examples failed). ``spec.property.prop`` starts a new log at
    each hypothesis example; hypothesis replays the minimal failing example last, so on failure the log holds it."""

    FIRST = 3

    def __init__(self):
        self.calls: list = []
        self.dropped = 0

    def clear(self):
        self.calls, self.dropped = [], 0

    def append(self, call):
        if len(self.calls) <= self.FIRST:
            self.calls.append(call)
        else:
            self.calls[-1] = call
            self.dropped += 1

    def __iter__(self):
        return iter(self.calls)

    def __bool__(self):
        return bool(self.calls)

    def __getitem__(self, index):
        return self.calls[index]


CALL_LOG = CallLog()


class ImplementationTimeout(BaseException):
    """A call did not return in time. A BaseException so that hypothesis does not shrink (re-run) a hang."""


@contextlib.contextmanager
def _watchdog(seconds: float, what: str):
    """Raise ImplementationTimeout in the main thread after `seconds`, keeping any outer SIGALRM timer alive."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _expired(signum, frame):
        raise ImplementationTimeout(
            f"{what} did not return within {seconds:g} s: it looks stuck (an endless loop?). "
            "The property was stopped; the other properties still run."
        )

    outer_handler = signal.getsignal(signal.SIGALRM)
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_delay:  # pytest-timeout's per-test timer (the backstop) keeps running
            remaining = max(outer_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, remaining, outer_interval)


@contextlib.contextmanager
def _reference_watch(what: str):
    """Fail when code from the reference package runs during a student's call (a reference file loaded by path)."""
    seen = []

    def _profile(frame, event, arg):
        if event == "call" and not seen and loading.in_reference(frame.f_code.co_filename):
            seen.append(f"{frame.f_code.co_name} in {frame.f_code.co_filename}")

    if sys.getprofile() is not None:  # someone is profiling: do not take their hook away (guards 1 and 2 remain)
        yield
        return
    sys.setprofile(_profile)
    try:
        yield
    finally:
        replaced = sys.getprofile() is not _profile
        sys.setprofile(None)
    if replaced:
        raise loading.IntegrityError(
            f"grading integrity: {what} replaced the profiling hook (sys.setprofile) that the harness uses to check "
            "that the implementation under test runs only its own code."
        )
    if seen:
        raise loading.IntegrityError(
            f"grading integrity: {what} ran code of the reference implementation ({seen[0]}). "
            "The implementation under test must be your own code."
        )


def _unchanged(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Elementwise: is the value the same as before (NaN where there was NaN counts as the same)?"""
    same = before == after
    if before.dtype.kind in "fc":
        same |= np.isnan(before) & np.isnan(after)
    return same


def _first_difference(before: np.ndarray, after: np.ndarray) -> str:
    if before.shape != after.shape:
        return f"its shape changed from {before.shape} to {after.shape}"
    index = tuple(int(i) for i in np.argwhere(~_unchanged(before, after))[0])
    return f"at {list(index)} it was {before[index].item()!r}, now {after[index].item()!r}"


class CheckedFunction:
    """A contract function of the implementation under test, called through the contract."""

    def __init__(self, fn: contract.Function, target, impl: loading.Implementation):
        self.fn = fn
        self.target = target
        self.impl = impl
        self.__name__ = fn.name
        self.__doc__ = fn.doc

    def __repr__(self) -> str:
        return f"<{self.impl.import_name}.{self.fn.qualname} under test>"

    @property
    def where(self) -> str:
        return f"{self.impl.import_name}.{self.fn.qualname}"

    def _bind(self, args, kwargs) -> dict:
        try:
            bound = self.fn.signature.bind(*args, **kwargs)
        except TypeError as exc:  # a property called it wrongly: a bug in spec/, not in the implementation
            raise TypeError(f"spec bug: {self.fn.call_text()} called with wrong arguments: {exc}") from exc
        try:
            inspect.signature(self.target).bind(*args, **kwargs)
        except TypeError as exc:
            raise ContractViolation(
                f"{self.where} cannot be called as the contract says, {self.fn.call_text()}: {exc}"
            ) from None
        except ValueError:  # no signature to read (a builtin): just call it
            pass
        bound.apply_defaults()
        return bound.arguments

    def __call__(self, *args, **kwargs):
        arguments = self._bind(args, kwargs)
        params = self.fn.params
        dims: dict = {}
        guarded = {}
        for name, value in arguments.items():
            spec = params[name]
            if hasattr(spec, "bind"):
                spec.bind(value, dims)
            if isinstance(value, np.ndarray) and not getattr(spec, "mutable", False):
                guarded[name] = value.copy()
        CALL_LOG.append((self.impl, self.fn, {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in arguments.items()}))

        watch = contextlib.nullcontext() if self.impl.is_reference else _reference_watch(self.where)
        with _watchdog(CALL_TIMEOUT, f"{self.where}({', '.join(arguments)})"), watch:
            try:
                result = self.target(*args, **kwargs)
            except NotImplementedError:
                pytest.skip(f"not implemented: {self.where} raises NotImplementedError")

        for name, before in guarded.items():
            after = arguments[name]
            if after.shape != before.shape or not _unchanged(before, after).all():
                raise ContractViolation(
                    f"{self.where} modified its input {name} in place ({_first_difference(before, after)}); "
                    f"the contract says {name} is read-only: compute on a copy (e.g. {name} - m, not {name} -= m)."
                )
        return self._check_result(result, dims)

    def _check_result(self, result, dims):
        returns = self.fn.returns
        if returns is inspect.Signature.empty or returns is None:
            return result
        if isinstance(returns, Returns):
            return returns.check(result, dims, self.where)
        return returns.check(result, dims, f"the output of {self.where}")


def reproduction(limit: int = 2000) -> str | None:
    """Python that repeats the recorded calls of the failing example on the implementation under test."""
    if not CALL_LOG:
        return None
    impl = CALL_LOG[-1][0]
    modules = ", ".join(sorted({fn.module for _, fn, _ in CALL_LOG}))
    if impl.is_reference or not Path(impl.label).is_dir():
        lines = ["import numpy as np", f"from {impl.import_name} import {modules}"]
    elif impl.folder.name.isidentifier():  # loaded from a folder: put the folder's parent on the path
        lines = ["import sys", "import numpy as np", f"sys.path.insert(0, {str(impl.folder.parent)!r})",
                 f"from {impl.folder.name} import {modules}"]
    else:  # a folder name Python cannot import (my-impl): load each module file by path
        lines = ["import importlib.util", "import numpy as np", "",
                 "def load(path):", "    spec = importlib.util.spec_from_file_location('module', path)",
                 "    module = importlib.util.module_from_spec(spec)", "    spec.loader.exec_module(module)",
                 "    return module", ""]
        lines += [f"{m} = load({str(impl.folder / (m + '.py'))!r})" for m in modules.split(", ")]
    lines.append("")
    calls = CALL_LOG.calls[:1] if CALL_LOG.dropped else CALL_LOG.calls
    shown = []
    for _, fn, arguments in calls:
        text = [f"{name} = {_literal(value, limit)}" for name, value in arguments.items()]
        text.append(f"print({fn.module}.{fn.name}({', '.join(arguments)}))")
        if text not in shown:  # a property may repeat a call (to compare, or to probe around it)
            shown.append(text)
            lines += text
    if CALL_LOG.dropped:
        more = len(CALL_LOG.calls) - 1 + CALL_LOG.dropped
        lines.append(f"# (the property then made {more} more calls, e.g. finite-difference probes around x)")
    return "\n".join(lines)


def _literal(value, limit: int) -> str:
    if isinstance(value, np.ndarray):
        if value.size > limit:
            return f"np.zeros({value.shape})  # {value.size} elements: too many to print; see the falsifying example"
        return f"np.array({value.tolist()!r}, dtype=np.{value.dtype})"
    if callable(value):  # a function the property passed in (the f of a numerical gradient): not printable as code
        described = " ".join(repr(value).split())
        described = described if len(described) <= 200 else described[:200] + " ..."
        return f"None  # replace with a function like the property's: {described}"
    return repr(value)
