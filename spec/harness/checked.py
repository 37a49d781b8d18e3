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
import functools
import inspect
import os
import re
import signal
import sys
import threading
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from spec import contract
from spec.contract.types import SELF, Cache, ContractViolation, Returns
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
        self.depth = 0  # > 0 inside a checked call: the calls it makes (a Solver's model.loss) repeat with it

    def clear(self):
        self.calls, self.dropped, self.depth = [], 0, 0

    def snapshot(self) -> tuple:
        """The calls so far (clear() starts a new list, so this one stays as it is)."""
        return self.calls, self.dropped

    @contextlib.contextmanager
    def restored(self, snapshot: tuple):
        """The log as it was at `snapshot`, for the length of a with block (the reproduction of the example that
        raised, when hypothesis ran others after it)."""
        saved = self.calls, self.dropped
        self.calls, self.dropped = snapshot
        try:
            yield self
        finally:
            self.calls, self.dropped = saved

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


class _watchdog:
    """Raise ImplementationTimeout in the main thread after `seconds`, keeping any outer SIGALRM timer alive.

    `what` names the call in the message: a string, or a function that gives it (built only when the call is stuck).
    A class rather than a generator context manager, with signal.signal and signal.setitimer returning the handler
    and timer they replace: it wraps every checked call."""

    __slots__ = ("armed", "outer_delay", "outer_handler", "outer_interval", "seconds", "started", "what")

    def __init__(self, seconds: float, what):
        self.seconds = seconds
        self.what = what

    def _expired(self, signum, frame):
        what = self.what() if callable(self.what) else self.what
        raise ImplementationTimeout(
            f"{what} did not return within {self.seconds:g} s: it looks stuck (an endless loop?). "
            "The property was stopped; the other properties still run."
        )

    def __enter__(self):
        self.armed = threading.get_ident() == threading.main_thread().ident and hasattr(signal, "setitimer")
        if self.armed:
            self.started = time.monotonic()
            self.outer_handler = signal.signal(signal.SIGALRM, self._expired)
            self.outer_delay, self.outer_interval = signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc_info):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.outer_handler)
            if self.outer_delay:  # pytest-timeout's per-test timer (the backstop) keeps running
                remaining = max(self.outer_delay - (time.monotonic() - self.started), 1e-3)
                signal.setitimer(signal.ITIMER_REAL, remaining, self.outer_interval)


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


def _same(before: np.ndarray, after: np.ndarray) -> bool:
    """Is `after` still `before`: the same shape, and every value the same (NaN where there was NaN counts as the
    same)? Equal bytes of the same numeric dtype settle it without the elementwise comparison (the common case on
    every checked call); anything else is compared value by value, as _unchanged says."""
    if after.shape != before.shape:
        return False
    if after.dtype == before.dtype and before.dtype.kind in "biufc" and after.tobytes() == before.tobytes():
        return True
    return bool(_unchanged(before, after).all())


_NO_WATCH = contextlib.nullcontext()  # the reference needs no watching for itself
_FAST_BIND_KINDS = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


class CheckedFunction:
    """A contract function of the implementation under test, called through the contract.

    A contract class is called the same way: its constructor is checked like a function and returns a
    ``CheckedObject`` (or, for a class declaring ``_raw_objects``, the implementation's object itself). A method of a
    ``CheckedObject`` is a CheckedFunction whose ``owner`` is that object.
    """

    def __init__(self, fn: contract.Function, target, impl: loading.Implementation, owner=None):
        self.fn = fn
        self.target = target
        self.impl = impl
        self.owner = owner  # the CheckedObject a method belongs to
        try:
            self.target_signature = inspect.signature(target)
        except (TypeError, ValueError):  # no signature to read (a builtin): calls are not checked against it
            self.target_signature = None
        self.__name__ = fn.name
        self.__doc__ = fn.doc
        # What every call needs from the contract, read once: for each parameter its spec's bind (or None) and
        # whether an array passed there is read-only; the parameters that take a cache; the return value's spec.
        params = fn.params
        self._params = {name: (getattr(spec, "bind", None), not getattr(spec, "mutable", False))
                        for name, spec in params.items()}
        self._caches = any(isinstance(spec, Cache) for spec in params.values())
        self._returns = fn.returns
        self._is_class = fn.is_class
        self._raw_objects = fn.raw_objects
        self._updates_state = fn.updates_state
        self._output_where = f"the output of {self.where}"
        # Signature.bind succeeds or fails on the number of positional arguments and the keywords' names alone,
        # never on the values: a call of a form both signatures have already accepted is bound without them.
        self._plain_parameters = all(p.kind in _FAST_BIND_KINDS for p in fn.signature.parameters.values())
        self._accepted: dict = {}  # (number of positional arguments, keyword names) -> the parameters left to fill

    def __repr__(self) -> str:
        return f"<{self.impl.import_name}.{self.fn.qualname} under test>"

    @functools.cached_property
    def where(self) -> str:
        return f"{self.impl.import_name}.{self.fn.qualname}"

    def _bind(self, args, kwargs) -> dict:
        form = (len(args), tuple(kwargs)) if kwargs else len(args)
        rest = self._accepted.get(form)
        if rest is not None:  # the arguments in the contract's order, its defaults filled in, as apply_defaults does
            arguments = dict(zip(self._positional_names, args))
            for name, default in rest:
                arguments[name] = kwargs.get(name, default)
            return arguments
        try:
            bound = self.fn.signature.bind(*args, **kwargs)
        except TypeError as exc:  # a property called it wrongly: a bug in spec/, not in the implementation
            raise TypeError(f"spec bug: {self.fn.call_text()} called with wrong arguments: {exc}") from exc
        try:
            if self.target_signature is not None:
                self.target_signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise ContractViolation(
                f"{self.where} cannot be called as the contract says, {self.fn.call_text()}: {exc}"
            ) from None
        bound.apply_defaults()
        if self._plain_parameters:
            parameters = list(self.fn.signature.parameters.values())
            self._accepted[form] = tuple((p.name, p.default) for p in parameters[len(args):])
        return bound.arguments

    @functools.cached_property
    def _positional_names(self) -> tuple:
        return tuple(self.fn.signature.parameters)

    def __call__(self, *args, **kwargs):
        arguments = self._bind(args, kwargs)
        params = self._params
        owner = self.owner
        dims: dict = {} if owner is None else {SELF: owner.instance}
        guarded = {}
        recorded = {}  # the arguments as they were passed, for the reproduction (a read-only array's copy is shared)
        for name, value in arguments.items():
            bind, read_only = params[name]
            if bind is not None:
                bind(value, dims)
            if isinstance(value, np.ndarray):
                recorded[name] = value.copy()
                if read_only:
                    guarded[name] = recorded[name]
            else:
                recorded[name] = _snapshot(value)
        state = None if owner is None else owner.state()
        sources = _sources(arguments, self.fn.params) if self._caches else {}
        for source, _ in sources.values():  # the forward's arguments fix what the cache hides: dx is shaped like x
            for name, value in source.arguments.items():
                spec = source.fn.params.get(name)
                if hasattr(spec, "bind"):
                    spec.bind(value, dims)
        call = Call(self.impl, self.fn, recorded, state, sources, None if owner is None else owner.instance)
        if not self._raw_objects and not CALL_LOG.depth:  # a graph node's construction has its chapter's snippet
            CALL_LOG.append(call)

        watch = _NO_WATCH if self.impl.is_reference else _reference_watch(self.where)
        with _watchdog(CALL_TIMEOUT, lambda: f"{self.where}({', '.join(arguments)})"), watch:
            CALL_LOG.depth += 1
            try:
                result = self.target(*args, **kwargs)
            except NotImplementedError as exc:
                said = f" ({exc})" if str(exc) else ""  # e.g. the template stub of a layer that loss() calls
                pytest.skip(f"not implemented: {self.where} raises NotImplementedError{said}")
            finally:
                CALL_LOG.depth -= 1

        if owner is not None and not self._updates_state:  # a method leaves its object's state as it was
            for attr, before in state.items():
                _check_state_unchanged(self.where, attr, before, getattr(owner.instance, attr, None))
        for name, before in guarded.items():
            after = arguments[name]
            if not _same(before, after):
                changed = _first_difference(before, after)
                if after.shape == before.shape and after.flags.writeable:
                    after[...] = before  # put it back: the property's data (an @example's array) is used again
                raise ContractViolation(
                    f"{self.where} modified its input {name} in place ({changed}); "
                    f"the contract says {name} is read-only: compute on a copy (e.g. {name} - m, not {name} -= m)."
                )
        call.result = result  # kept (not copied) to recognise a cache or an object when it is passed on
        if self._is_class:
            return result if self._raw_objects else CheckedObject(self.fn, result, self.impl)
        return self._check_result(result, dims, arguments)

    def _check_result(self, result, dims, arguments):
        returns = self._returns
        if hasattr(returns, "choose"):  # the return value depends on an optional argument
            returns = returns.choose(arguments)
        if returns is inspect.Signature.empty or returns is None:
            return result
        if isinstance(returns, Returns):
            return returns.check(result, dims, self.where)
        return returns.check(result, dims, self._output_where)


class CheckedObject:
    """An object of a contract class made by the implementation under test: the contract's methods are called
    through the contract (CheckedFunction), every other attribute is the object's own, read and written through."""

    def __init__(self, cls: contract.Function, instance, impl: loading.Implementation):
        object.__setattr__(self, "cls", cls)
        object.__setattr__(self, "instance", instance)
        object.__setattr__(self, "impl", impl)
        object.__setattr__(self, "_checked_methods", {})  # name -> the CheckedFunction of the method last looked up

    def __repr__(self) -> str:
        return f"<{self.impl.import_name}.{self.cls.qualname} object under test>"

    def __getattr__(self, name):
        method = self.cls.method_named.get(name)
        if method is None:
            try:
                value = getattr(self.instance, name)
                declared = self.cls.attributes.get(name)
                if hasattr(declared, "check"):  # a Solver's loss_history must be one float per iteration
                    declared.check(value, {}, f"{self.impl.import_name}.{self.cls.qualname}.{name}")
                return value
            except AttributeError:
                if name in self.cls.attributes:
                    raise ContractViolation(
                        f"{self.impl.import_name}.{self.cls.qualname} has no attribute {name!r}; the contract says "
                        f"{name}: {self.cls.attributes[name].describe()}"
                    ) from None
                raise
        target = getattr(self.instance, name, None)
        if not callable(target):
            pytest.skip(f"not implemented: {self.impl.import_name}.{method.qualname} is not defined")
        known = self._checked_methods.get(name)
        # The same method of the same object (a bound method is a new object at every lookup, equal to the last):
        # its signature is read and the forms of its calls are accepted already.
        if known is not None and (known.target is target
                                  or type(target) is types.MethodType and known.target == target):
            return known
        self._checked_methods[name] = checked = CheckedFunction(method, target, self.impl, owner=self)
        return checked

    def __setattr__(self, name, value):
        setattr(self.instance, name, value)

    def state(self) -> dict:
        """Copies of the declared attributes (params), for the reproduction snippet of a method call."""
        return {name: _snapshot(getattr(self.instance, name)) for name in self.cls.attributes
                if hasattr(self.instance, name)}


@dataclass
class Call:
    """One recorded call: the arguments as they were passed, for a method its object's declared state and the object
    itself, for a cache argument the earlier call whose result held it (``sources``: name -> (call, index))."""

    impl: loading.Implementation
    fn: contract.Function
    arguments: dict
    state: dict | None = None
    sources: dict = field(default_factory=dict)
    owner: object = None
    result: object = None


def _sources(arguments: dict, params: dict) -> dict:
    """Where each cache argument came from: the latest recorded call that returned it as a part of its result."""
    found = {}
    for name, value in arguments.items():
        if not isinstance(params.get(name), Cache):
            continue
        for earlier in reversed(CALL_LOG.calls):
            if isinstance(earlier.result, (tuple, list)):
                index = next((i for i, part in enumerate(earlier.result) if part is value), None)
                if index is not None:
                    found[name] = (earlier, index)
                    break
    return found


def _check_state_unchanged(where: str, attr: str, before, after) -> None:
    """A method like loss() reads the object's parameters; changing them in place is a bug (W *= ... for the
    regularization), reported like a modified input."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return
    for key, old in before.items():
        new = after.get(key)
        if isinstance(old, np.ndarray) and isinstance(new, np.ndarray) and not _same(old, new):
            raise ContractViolation(
                f"{where} modified {attr}[{key!r}] in place ({_first_difference(old, new)}); the contract says a "
                f"method reads {attr} and leaves it as it was (compute on a copy: W * W, not W *= ...)."
            )


def _snapshot(value):
    """A copy that later in-place changes cannot reach: arrays copied, dicts and lists of them too."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(v) for v in value)
    return value


def reproduction(limit: int = 2000) -> str | None:
    """Python that repeats the recorded calls of the failing example on the implementation under test."""
    if not CALL_LOG:
        return None
    impl = CALL_LOG[-1].impl
    modules = ", ".join(sorted({call.fn.module for call in CALL_LOG}))
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
    header = len(lines) - 1
    shown, names = [], {}
    for call in _main_calls():
        text = _call_text(call, names, limit)
        if text not in shown:  # a property may repeat a call (to compare, or to probe around it)
            shown.append(text)
            lines += text
    if CALL_LOG.dropped:
        more = len(CALL_LOG.calls) - len(_main_calls()) + CALL_LOG.dropped
        lines.append(f"# (the property then made {more} more calls)")
    if re.search(r"\b(nan|inf)\b", "\n".join(lines[header:])):  # np.array([nan]) needs the names
        lines.insert(header, "from numpy import inf, nan")
    return "\n".join(lines)


def _main_calls() -> list:
    """The calls to show: all of them, or when there were too many, the first ones up to the first repeat of a
    function already called (the finite-difference probes start there)."""
    if not CALL_LOG.dropped:
        return CALL_LOG.calls
    main = []
    for call in CALL_LOG.calls[:-1]:
        if any(c.fn == call.fn and c.owner is call.owner for c in main):
            break
        main.append(call)
    return main


def _call_text(call: Call, names: dict, limit: int) -> list[str]:
    """The lines that repeat one call: its arguments, then the call. A cache comes from re-running the forward pass
    that made it; each object gets a name of its own (model, model_2, ...)."""
    fn = call.fn
    text = []
    for name, value in call.arguments.items():
        if id(getattr(value, "instance", value)) in names:  # an object made earlier (a model passed to a Solver)
            text.append(f"{name} = {names[id(getattr(value, 'instance', value))]}")
        elif name in call.sources:
            source, index = call.sources[name]
            text += [f"{a} = {_literal(v, limit)}" for a, v in source.arguments.items()]
            text.append(f"{name} = {source.fn.module}.{source.fn.name}({', '.join(source.arguments)})[{index}]")
        else:
            text.append(f"{name} = {_literal(value, limit)}")
    if fn.is_class:
        base = _object_name(fn)
        taken = sum(1 for n in names.values() if n == base or n.startswith(f"{base}_"))
        obj = base if not taken else f"{base}_{taken + 1}"
        names[id(call.result)] = obj
        text.append(f"{obj} = {fn.module}.{fn.name}({', '.join(f'{a}={a}' for a in call.arguments)})")
    elif fn.owner is not None:
        obj = names.get(id(call.owner), _object_name(contract.Function(fn.module, fn.owner)))
        if not fn.updates_state:  # a Solver's own histories before train() are not the student's input
            text += [f"{obj}.{name} = {_literal(value, limit)}" for name, value in (call.state or {}).items()]
        text.append(f"print({obj}.{fn.name}({', '.join(call.arguments)}))")
    else:
        text.append(f"print({fn.module}.{fn.name}({', '.join(call.arguments)}))")
    return text


def _object_name(cls: contract.Function) -> str:
    """The name the reproduction gives an object of a contract class: model for a network, else the class's name in
    lower case, with my_ when that is its module's name (my_solver = solver.Solver(...) keeps the module usable)."""
    if cls.name.endswith("Net"):
        return "model"
    name = cls.name.lower()
    return f"my_{name}" if name == cls.module else name


def _literal(value, limit: int) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_literal(v, limit)}" for k, v in value.items()) + "}"
    if isinstance(value, (tuple, list)):
        parts = [_literal(v, limit) for v in value]
        return ("(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")" if isinstance(value, tuple)
                else "[" + ", ".join(parts) + "]")
    if isinstance(value, np.ndarray):
        if value.size > limit:
            return f"np.zeros({value.shape})  # {value.size} elements: too many to print; see the falsifying example"
        return f"np.array({value.tolist()!r}, dtype=np.{value.dtype})"
    if isinstance(value, (bool, int, float, str, type(None), np.generic)):
        return repr(value.item() if isinstance(value, np.generic) else value)
    # A function or an object the property made (the f of a numerical gradient, a model for a Solver): not
    # printable as code, so the snippet says what it was.
    described = " ".join(repr(value).split())
    described = described if len(described) <= 200 else described[:200] + " ..."
    what = "a function" if callable(value) else "an object"
    return f"None  # replace with {what} like the property's: {described}"
