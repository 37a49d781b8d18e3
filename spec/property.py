"""What a property is, what a mutant is, and where to find them all.

A *property* is a pytest test in a chapter of spec/ (``spec/<chapter>/test_<concept>.py``), decorated with
``@prop(concept, lecture, statement)``. Its parameters other than hypothesis's are contract function names: the
harness passes the implementation under test's functions in under those names. A parameter may also name versions
of one computation (``compute_distances``, see ``contract.versions()``): the property then runs once per version.

An *alternative* is the opposite: a correct implementation written another way, declared with
``@alternative(of="softmax")``; every property of that function must pass on it, so that no property fails correct
student code that follows another convention.

A *mutant* is a realistic wrong variant of one reference function (a bug students write), declared next to the
properties that must catch it with ``@mutant(of="softmax", kills=[test_...])``. ``tests/test_mutants.py`` proves each
declared property kills its mutant, and that every property kills at least one: a property that no realistic bug can
fail is not worth its run time.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from functools import cache

import pytest

from spec import contract
from spec.harness import checked


@dataclass(frozen=True)
class PropertyInfo:
    concept: str  # the lecture concept, e.g. "softmax": the scorecard groups by it
    lecture: str  # course and topic/slide, e.g. "TUM I2DL lecture 6 recap, slides 24-32 (cross-entropy)"
    statement: str  # one sentence in plain words
    hidden: bool = False  # under the grading profile, its failures show only the statement, never the input


SNAPSHOT = "_spec_call_log"  # the attribute of a property's exception that keeps the calls of its example


def prop(concept: str, lecture: str, statement: str, *, hidden: bool = False):
    """Mark a test as a conformance property of a lecture concept."""
    info = PropertyInfo(concept, lecture, statement, hidden)

    def decorate(test):
        test.spec_property = info
        if hasattr(test, "hypothesis"):  # a @given test: start a fresh call log at every example
            inner = test.hypothesis.inner_test

            @functools.wraps(inner)
            def one_example(*args, **kwargs):
                checked.CALL_LOG.clear()
                try:
                    return inner(*args, **kwargs)
                except BaseException as exc:
                    # The calls of the example that raised, for its reproduction: hypothesis may run other
                    # examples (explicit ones) before it reports this failure.
                    if not hasattr(exc, SNAPSHOT):
                        with contextlib.suppress(AttributeError):  # an exception type without a __dict__
                            setattr(exc, SNAPSHOT, checked.CALL_LOG.snapshot())
                    raise

            test.hypothesis.inner_test = one_example
        return pytest.mark.spec_property(concept=concept, lecture=lecture, statement=statement, hidden=hidden)(test)

    return decorate


def info_of(test) -> PropertyInfo | None:
    return getattr(test, "spec_property", None)


def parameters(test) -> tuple[str, ...]:
    """A property's non-hypothesis parameters: contract function names, or names of versions (contract.versions())."""
    return tuple(inspect.signature(test).parameters)


def uses(test) -> tuple[str, ...]:
    """The contract functions a property takes, a name of versions standing for each of its functions."""
    versions = contract.versions()
    return tuple(name for p in parameters(test) for name in versions.get(p, (p,)))


@dataclass(frozen=True)
class Replacement:
    """A variant of one reference function, run in its place by spec/mutation.py."""

    of: str  # the contract function it replaces
    func: object
    also: tuple = ()  # (name, func) pairs replaced together with it: a backward pass that reads this forward's cache

    @property
    def id(self) -> str:
        return f"{self.of}:{self.func.__name__}"

    @property
    def replaces(self) -> dict:
        """Every contract function this replacement swaps in: {name: func}."""
        return {self.of: self.func, **dict(self.also)}

    @property
    def description(self) -> str:
        return (inspect.getdoc(self.func) or self.func.__name__).splitlines()[0]


@dataclass(frozen=True)
class Mutant(Replacement):
    """A realistic wrong variant: every property in ``kills`` must fail on it."""

    kills: tuple = ()

    @property
    def concept(self) -> str:
        return info_of(self.kills[0]).concept


_MUTANTS: dict[str, Mutant] = {}


def _companions(also) -> tuple:
    """`also` as (name, func) pairs, each name checked against the contract."""
    pairs = tuple((also or {}).items())
    for name, _ in pairs:
        contract.get(name)
    return pairs


def _register(registry: dict, replacement: Replacement) -> None:
    """Add a mutant or alternative under its id (of:name); two different ones under one id would hide each other."""
    known = registry.get(replacement.id)
    where = (replacement.func.__module__, replacement.func.__qualname__)
    if known is not None and (known.func.__module__, known.func.__qualname__) != where:
        raise TypeError(f"{replacement.id} is declared twice, in {known.func.__module__} and {where[0]}: "
                        "give one of them another name")
    registry[replacement.id] = replacement


def mutant(of: str, kills, *, also: dict | None = None):
    """Declare a wrong variant of the reference's `of` and the properties that must catch it.

    ``also={"affine_backward": my_backward}`` replaces other functions in the same runs: a forward pass that caches
    something else than the reference's needs its own backward (and vice versa)."""
    contract.get(of)  # fail early on a typo
    companions = _companions(also)

    def decorate(func):
        m = Mutant(of, func, companions, tuple(kills))
        for test in m.kills:
            if info_of(test) is None:
                raise TypeError(f"mutant {m.id}: {test.__name__} is not a @prop property")
            if of not in uses(test):
                raise TypeError(f"mutant {m.id}: {test.__name__} does not take {of}, so it cannot catch this mutant")
        _register(_MUTANTS, m)
        return func

    return decorate


@dataclass(frozen=True)
class Alternative(Replacement):
    """A correct implementation written another way: every property of its function must pass on it.

    The dual of a mutant: mutants prove the properties catch bugs; alternatives prove they do not fail correct code
    that follows another convention (loops instead of vectorized code, log-sum-exp instead of a max shift, another
    subgradient at a kink).
    """


_ALTERNATIVES: dict[str, Alternative] = {}


def alternative(of: str, *, also: dict | None = None):
    """Declare a correct variant of the reference's `of` (and, with ``also``, of functions replaced together with
    it, as for @mutant): a forward pass and the backward pass that reads its cache."""
    contract.get(of)
    companions = _companions(also)

    def decorate(func):
        _register(_ALTERNATIVES, Alternative(of, func, companions))
        return func

    return decorate


def chapter_modules() -> list[str]:
    """The property modules of every chapter, spec/<chapter>/test_*.py, in a stable order."""
    import spec

    names = []
    for info in pkgutil.walk_packages(spec.__path__, "spec."):
        if info.name.rpartition(".")[2].startswith("test_"):
            names.append(info.name)
    return sorted(names)


@cache
def catalogue():
    """(properties, mutants) of the whole spec: every @prop test and every @mutant, in a stable order."""
    properties = []
    for name in chapter_modules():
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if callable(obj) and info_of(obj) is not None and obj.__module__ == module.__name__:
                properties.append(obj)
    return tuple(properties), tuple(_MUTANTS[k] for k in sorted(_MUTANTS))


def registered_mutants() -> tuple[Mutant, ...]:
    """The mutants of the chapter modules imported so far (those of a pytest run's collected chapters), without
    importing the rest as catalogue() does."""
    return tuple(_MUTANTS.values())


def alternatives() -> tuple[Alternative, ...]:
    catalogue()  # imports every chapter, which registers its alternatives
    return tuple(_ALTERNATIVES[k] for k in sorted(_ALTERNATIVES))
