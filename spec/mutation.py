"""Running properties against the mutants of the catalogue (spec/property.py).

A property runs against a mutant exactly as it runs against a student: the mutated function and the reference's
others, each behind a CheckedFunction. The mutant is *killed* when the property fails in any way (an assertion, a
contract violation, an exception, a hang); a "not implemented" skip would be a bug in the catalogue.

Runs are derandomized, so a kill is reproducible, use no example database, so the mutant's failures are not
replayed against the next implementation, and skip shrinking, which only polishes the message.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import Phase, Verbosity, settings

from spec import contract
from spec.harness import checked, loading
from spec.property import Mutant, Replacement, alternatives, catalogue, info_of, parameters, uses

_SETTINGS_ATTRIBUTE = "_hypothesis_internal_use_settings"  # where @given keeps a test's settings


@dataclass
class Outcome:
    mutant: Replacement
    test: object
    killed: bool
    message: str


def reference() -> loading.Implementation:
    return loading.load(loading.REFERENCE_NAME)


@contextlib.contextmanager
def _mutant_settings(test, max_examples=None):
    """Run a @given test derandomized, without database or shrinking, and put its own settings back afterwards."""
    own = getattr(test, _SETTINGS_ATTRIBUTE, None)
    if own is None:  # not a hypothesis test (a worked example)
        yield
        return
    limit = {} if max_examples is None else {"max_examples": max_examples}
    setattr(
        test,
        _SETTINGS_ATTRIBUTE,
        settings(
            own, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate], print_blob=False,
            verbosity=Verbosity.quiet, **limit,
        ),
    )
    try:
        yield
    finally:
        setattr(test, _SETTINGS_ATTRIBUTE, own)


def run(test, mutant: Replacement, impl: loading.Implementation, *, max_examples: int | None = None) -> Outcome:
    """Run one property with `mutant` (or a correct alternative) in place of the reference's function.

    ``max_examples`` caps the generated examples (the explicit @examples always run): for meta-tests of the runner
    itself, which need not search as hard as the property's own settings do.
    """
    fixtures = {}
    versions = contract.versions()
    replaced = mutant.replaces
    for param in parameters(test):
        # A name of versions runs the version being replaced, or else the first.
        members = versions.get(param, (param,))
        name = next((m for m in members if m in replaced), members[0])
        fn = contract.get(name)
        target = replaced[name] if name in replaced else impl.lookup(fn)[0]
        fixtures[param] = checked.CheckedFunction(fn, target, impl)
    checked.CALL_LOG.clear()
    try:
        # A mutant overflowing or dividing by zero is expected: its warnings are noise here.
        with _mutant_settings(test, max_examples), contextlib.redirect_stdout(io.StringIO()), np.errstate(all="ignore"):
            test(**fixtures)
    except pytest.skip.Exception as exc:
        raise RuntimeError(f"{test.__name__} skipped on mutant {mutant.id}: {exc.msg}") from exc
    except (Exception, pytest.fail.Exception, checked.ImplementationTimeout, loading.IntegrityError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        return Outcome(mutant, test, True, f"{type(exc).__name__}: {first}")
    return Outcome(mutant, test, False, "passed")


def scores(impl: loading.Implementation | None = None) -> dict[str, list[tuple[Mutant, list[Outcome]]]]:
    """Every mutant against each property declared to kill it, grouped by concept."""
    impl = impl or reference()
    _, mutants = catalogue()
    grouped: dict[str, list] = {}
    for m in mutants:
        grouped.setdefault(m.concept, []).append((m, [run(test, m, impl) for test in m.kills]))
    return grouped


def false_failures(impl: loading.Implementation | None = None) -> list[Outcome]:
    """Properties that fail on a correct alternative: each one would fail correct student code."""
    impl = impl or reference()
    properties, _ = catalogue()
    outcomes = []
    for alt in alternatives():
        for test in (t for t in properties if set(alt.replaces) & set(uses(t))):
            outcome = run(test, alt, impl)
            if outcome.killed:
                outcomes.append(outcome)
    return outcomes


def unkilling_properties() -> list[str]:
    """Properties that no mutant of the catalogue names: each must kill at least one."""
    properties, mutants = catalogue()
    named = {test for m in mutants for test in m.kills}
    return [f"{t.__module__}.{t.__name__} [{info_of(t).concept}]" for t in properties if t not in named]
