"""The pytest plugin behind the conformance suite (registered by the repository's conftest.py).

- ``--impl`` chooses the implementation under test (a module name or a folder; ``SPEC_IMPL`` is the fallback; the
  reference ``impl`` is the default). Each process, every xdist worker included, loads it once in
  ``pytest_configure``; a failed import stops the run with one message naming the file and line.
- One session fixture per contract function, named after it, hands properties the implementation's function
  wrapped in a ``CheckedFunction``; a missing function skips its properties as "not implemented". A name of
  versions (``contract.versions()``) is a fixture parametrized over its functions.
- Each property's concept, lecture and statement travel with its reports (``user_properties``, so they survive
  xdist and land in JUnit XML); a failure gets a "property" section and a "reproduce" snippet.
- At the end, the controller prints a table by lecture concept and, with ``--spec-json FILE``, writes one record
  per property. A property whose process died while running it (an xdist worker that crashed) is recorded as
  failed, never left as passed.
- ``--spec-manifest FILE`` (with ``--collect-only``) lists the collected properties: spec/grading.py grades every
  one of them even when the run itself dies.
"""

from __future__ import annotations

import contextlib
import json
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path

import hypothesis
import numpy as np
import pytest

from spec import contract
from spec.harness import checked, loading, settings
from spec.property import SNAPSHOT

SPEC_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the spec package: test ids -> module names

_IMPLEMENTATION: loading.Implementation | None = None

NOT_IMPLEMENTED = "not implemented"
STATUSES = ("passed", "failed", NOT_IMPLEMENTED, "skipped")
HIDDEN_MESSAGE = "This hidden property failed. Its input is not shown: {statement}"
USUAL_CAUSE = "Usual cause:"
CRASHED = ("The process running this property crashed ({detail}): something in your code ended the Python "
           "interpreter (os._exit, a segmentation fault in a C extension, running out of memory, ...).")


def implementation() -> loading.Implementation:
    if _IMPLEMENTATION is None:
        raise RuntimeError("the implementation under test is loaded in pytest_configure; no pytest session is running")
    return _IMPLEMENTATION


def pytest_addoption(parser):
    group = parser.getgroup("spec", "conformance suite")
    group.addoption(
        "--impl",
        default=None,
        help=f"implementation under test: a module name or a folder path (default: ${loading.ENV_VAR}, else the "
        "reference 'impl')",
    )
    group.addoption("--spec-json", default=None, metavar="FILE", help="write one JSON record per property to FILE")
    group.addoption(
        "--spec-manifest",
        default=None,
        metavar="FILE",
        help="write the collected properties (id, concept, lecture, statement, hidden) to FILE; with --collect-only "
        "this lists what a run would grade (spec/grading.py uses it when a run dies without results)",
    )
    group.addoption(
        "--spec-progress",
        action="store_true",
        help="instead of a dot per test, print a line as each lecture concept finishes (the scorecard's view)",
    )


def pytest_configure(config):
    global _IMPLEMENTATION
    config.addinivalue_line("markers", "spec_property(concept, lecture, statement, hidden): a conformance property")
    settings.cap_blas_threads()
    try:
        _IMPLEMENTATION = loading.load(loading.choice_from(config.getoption("impl")))
    except loading.ImplementationImportError as exc:
        raise pytest.UsageError(str(exc)) from None
    if not hasattr(config, "workerinput"):  # summaries and files are the controller's job under xdist
        config.pluginmanager.register(Scorecard(config), "spec-scorecard")


def pytest_report_header(config):
    impl = implementation()
    kind = "the reference" if impl.is_reference else "under test"
    return f"implementation: {impl.import_name} ({kind}) from {impl.folder}; hypothesis profile: {settings.current_profile()}"


def _fixture_for(fn: contract.Function):
    def provide():
        impl = implementation()
        try:
            target, missing = impl.lookup(fn)
        except loading.IntegrityError as exc:
            pytest.fail(str(exc), pytrace=False)
        if target is None:
            pytest.skip(f"{NOT_IMPLEMENTED}: {missing}")
        return checked.CheckedFunction(fn, target, impl)

    provide.__name__ = fn.name
    provide.__doc__ = f"The implementation under test's {fn.qualname}, called through the contract."
    return pytest.fixture(scope="session", name=fn.name)(provide)


for _fn in contract.functions():
    globals()[f"_fixture_{_fn.name}"] = _fixture_for(_fn)


def _fixture_for_versions(name: str, members: tuple[str, ...]):
    def provide(request):
        return request.getfixturevalue(request.param)

    provide.__doc__ = f"Each of {', '.join(members)} in turn: a property of {name} runs once per version."
    return pytest.fixture(scope="session", name=name, params=members, ids=members)(provide)


for _name, _members in contract.versions().items():
    globals()[f"_fixture_{_name}"] = _fixture_for_versions(_name, _members)


def _property_marker(item):
    return item.get_closest_marker("spec_property")


def pytest_itemcollected(item):
    marker = _property_marker(item)
    if marker is not None:
        item.user_properties.extend(("spec_" + k, v) for k, v in marker.kwargs.items())


def pytest_collection_modifyitems(config, items):
    """Scale pytest-timeout's per-test limit (the backstop for hangs) with the profile's example count, so that a
    slow but correct implementation is not cut off under the thorough profile's 2000 examples. Every test is
    scaled, not only the properties: the meta-tests in tests/ run properties too (the alternatives' under thorough
    run all 2000 examples)."""
    try:
        base = float(config.getini("timeout") or 0)
    except ValueError:  # pytest-timeout is not installed
        return
    scale = max(1.0, hypothesis.settings.default.max_examples / settings.EXAMPLES)
    if not base or scale == 1.0:
        return
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(base * scale))


@pytest.hookimpl(wrapper=True)
def pytest_report_teststatus(report, config):
    """--spec-progress: no dot per test (the Scorecard prints a line per finished concept instead)."""
    result = yield
    if result and config.getoption("spec_progress") and config.get_verbosity() <= 0:
        category, _letter, word = result
        return category, "", word
    return result


def _property_record(nodeid: str, meta) -> dict:
    return {"id": nodeid, "concept": meta["concept"], "lecture": meta["lecture"], "statement": meta["statement"],
            "hidden": bool(meta.get("hidden"))}


def pytest_collection_finish(session):
    """--spec-manifest: every collected property, in collection order (not under xdist, whose controller does not
    collect: the grading command runs it without workers)."""
    path = session.config.getoption("spec_manifest")
    if not path or hasattr(session.config, "workerinput"):
        return
    records = [_property_record(item.nodeid, marker.kwargs)
               for item in session.items if (marker := _property_marker(item)) is not None]
    Path(path).write_text(json.dumps({"properties": records}, indent=2) + "\n")


def pytest_runtest_setup(item):
    checked.CALL_LOG.clear()


def _message(excinfo) -> str:
    exc = excinfo.value
    if isinstance(exc, pytest.skip.Exception):
        return str(exc.msg)
    if isinstance(exc, pytest.fail.Exception) and str(exc.msg).startswith("Timeout"):
        return (f"this property took longer than its time limit ({str(exc.msg).strip()}) for "
                f"{hypothesis.settings.default.max_examples} examples: slow, not necessarily wrong. A call that hangs "
                "is reported by the per-call watchdog instead; make the code faster (vectorize) or use a profile "
                "with fewer examples.")
    text = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}{_raised_where(excinfo)}"
    notes = [n for n in getattr(exc, "__notes__", []) if not n.startswith("You can reproduce")]
    return "\n".join([text, *notes]).strip()


def _raised_where(excinfo) -> str:
    """' (raised in your losses.py, line 13, in softmax)' when the exception came from the code under test."""
    if _IMPLEMENTATION is None or _IMPLEMENTATION.is_reference:
        return ""
    folder = _IMPLEMENTATION.folder
    for entry in reversed(excinfo.traceback):
        path = Path(str(entry.path))
        if path.is_absolute() and path.resolve().is_relative_to(folder):
            return f" (raised in your {path.name}, line {entry.lineno + 1}, in {entry.name})"
    return ""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    marker = _property_marker(item)
    if marker is None or call.excinfo is None:
        return report
    meta = marker.kwargs
    message = _message(call.excinfo)
    hidden = meta.get("hidden") and settings.current_profile() == "grading"
    if report.failed:
        if hidden:
            message = HIDDEN_MESSAGE.format(statement=meta["statement"])
            report.longrepr = message
            report.sections = []
        else:
            report.sections.append(
                ("property", f"{meta['statement']}\nconcept: {meta['concept']}; lecture: {meta['lecture']}")
            )
            snapshot = getattr(call.excinfo.value, SNAPSHOT, None)  # the calls of the example reported
            with checked.CALL_LOG.restored(snapshot) if snapshot else contextlib.nullcontext():
                snippet = checked.reproduction()
                cause = usual_cause(item.obj, list(checked.CALL_LOG))
            if cause:
                message = f"{message}\n{cause}"
                report.sections.append(("usual cause", cause))
            if snippet:
                report.sections.append(("reproduce on your implementation", snippet))
    report.user_properties = [*report.user_properties, ("spec_message", message)]
    return report


def _same(a, b) -> bool:
    """The same value, to rounding: arrays and numbers by np.allclose, tuples and lists entry by entry."""
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict) or isinstance(b, dict):
        return False  # a config dict (update rules) or a cache: not compared
    try:
        a, b = np.asarray(a), np.asarray(b)
        return (a.shape == b.shape and a.dtype.kind in "biuf" and b.dtype.kind in "biuf"
                and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)))
    except (TypeError, ValueError):
        return False


def usual_cause(test, calls) -> str:
    """The known bug of the mutant catalogue that explains a failure: a mutant this property is declared to kill
    that returns exactly what the implementation returned on every recorded call of its function in the failing
    example. Empty when none does (or the calls are methods, or take a forward pass's cache)."""
    from spec.property import registered_mutants

    found = []
    for mutant in registered_mutants():
        if mutant.also or not any(k is test or getattr(k, "__wrapped__", None) is test for k in mutant.kills):
            continue
        mine = [c for c in calls if c.fn.name == mutant.of and c.owner is None and not c.sources]
        if not mine:
            continue
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if all(_same(mutant.func(**checked._snapshot(c.arguments)), c.result) for c in mine):
                    found.append(mutant)
        except Exception:  # noqa: BLE001 - a mutant that cannot run on this input explains nothing
            continue
    if not found:
        return ""
    if len(found) == 1:
        return f"{USUAL_CAUSE} your {found[0].of} returns what this known bug returns here: {found[0].description}"
    return f"{USUAL_CAUSE} your code returns what these known bugs return here: " + "; ".join(
        f"{m.of}: {m.description}" for m in found)


def _status(report) -> str:
    if report.passed:
        return "passed"
    if report.failed:
        return "failed"
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    return NOT_IMPLEMENTED if reason.startswith(NOT_IMPLEMENTED) else "skipped"


def _concepts_of(ids, rootpath: Path) -> Counter | None:
    """Properties per concept among collected test ids ("spec/layers/test_relu.py::test_x[param]"), read from the
    properties' markers by importing their modules (as the workers did); None when one cannot be resolved."""
    import importlib

    from spec.property import info_of

    counts = Counter()
    for nodeid in ids:
        path, _, name = nodeid.partition("::")
        try:
            module = ".".join((rootpath / path).resolve().relative_to(SPEC_ROOT).with_suffix("").parts)
            info = info_of(getattr(importlib.import_module(module), name.partition("[")[0]))
        except (ValueError, ImportError, AttributeError):
            return None
        if info is not None:
            counts[info.concept] += 1
    return counts


class Scorecard:
    """Collects property outcomes on the controller; prints the per-concept table; writes the JSON."""

    def __init__(self, config):
        self.config = config
        self.records: dict[str, dict] = {}
        self.started = time.monotonic()
        self.progress = config.getoption("spec_progress")
        self.expected: Counter | None = None  # properties per concept, once the collection is known
        self.finished: Counter = Counter()
        self.outcomes: dict[str, Counter] = defaultdict(Counter)

    def pytest_collection_finish(self, session):
        if self.progress and not self.config.pluginmanager.has_plugin("dsession"):
            self.expected = Counter(m.kwargs["concept"] for m in map(_property_marker, session.items) if m)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        """Under xdist the controller collects nothing: the concepts come from the workers' test ids."""
        if self.progress and self.expected is None:
            self.expected = _concepts_of(ids, self.config.rootpath)

    def _finished(self, record):
        """--spec-progress: a line when the last property of a concept has reported."""
        concept = record["concept"]
        self.finished[concept] += 1
        self.outcomes[concept][record["status"]] += 1
        if not self.progress or self.expected is None or self.finished[concept] != self.expected.get(concept):
            return
        done = sum(1 for c, n in self.expected.items() if self.finished[c] >= n)
        counts = self.outcomes[concept]
        summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
        elapsed = time.monotonic() - self.started
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"[{done:>{len(str(len(self.expected)))}}/{len(self.expected)} concepts, "
                                f"{elapsed:4.0f} s] {concept}: {summary}")

    def pytest_runtest_logreport(self, report):
        props = dict(report.user_properties)
        record = self.records.get(report.nodeid)
        if record is None:
            if "spec_concept" not in props:
                return
            record = self.records[report.nodeid] = {
                "id": report.nodeid,
                "concept": props["spec_concept"],
                "lecture": props["spec_lecture"],
                "statement": props["spec_statement"],
                "hidden": bool(props.get("spec_hidden")),
                "status": None,  # until a decisive report: a run that dies in between leaves it unfinished
                "message": "",
                "duration": 0.0,
            }
        record["duration"] += report.duration
        decisive = report.failed or report.skipped or report.when == "call"
        if decisive and record["status"] in (None, "passed"):
            first = record["status"] is None
            record["status"] = _status(report)
            if record["status"] == "passed":
                record["message"] = ""
            elif "spec_message" in props:
                record["message"] = props["spec_message"]
            else:  # a report the plugin did not make: xdist's for a worker that crashed while running this property
                lines = report.longreprtext.strip().splitlines() or ["no details"]
                record["message"] = CRASHED.format(detail=next((x for x in lines if "crashed" in x), lines[-1]))
            if first:
                self._finished(record)

    def finish(self):
        """Properties left without a decisive report (their process died in the middle) count as failed."""
        for record in self.records.values():
            if record["status"] is None:
                record["status"] = "failed"
                record["message"] = CRASHED.format(detail="it started but never reported a result")

    def table(self) -> list[str]:
        by_concept: dict[str, Counter] = defaultdict(Counter)
        for record in self.records.values():
            by_concept[record["concept"]][record["status"]] += 1
        width = max([len("concept"), *map(len, by_concept)]) + 2
        lines = [f"{'concept':<{width}}{'passed':>8}{'failed':>8}{'not implemented':>17}{'skipped':>9}"]
        total = Counter()
        for concept, counts in sorted(by_concept.items()):
            total.update(counts)
            lines.append(
                f"{concept:<{width}}{counts['passed']:>8}{counts['failed']:>8}{counts[NOT_IMPLEMENTED]:>17}"
                f"{counts['skipped']:>9}"
            )
        lines.append(
            f"{'total':<{width}}{total['passed']:>8}{total['failed']:>8}{total[NOT_IMPLEMENTED]:>17}{total['skipped']:>9}"
        )
        reasons = sorted({r["message"].removeprefix(f"{NOT_IMPLEMENTED}: ")
                          for r in self.records.values() if r["status"] == NOT_IMPLEMENTED})
        if reasons:
            lines.append("")
            lines.append("not implemented:")
            lines += [f"  {reason}" for reason in reasons[:12]]
            if len(reasons) > 12:
                lines.append(f"  ... and {len(reasons) - 12} more")
        failures = [r for r in self.records.values() if r["status"] == "failed"]
        if failures:
            lines.append("")
            lines.append("failed properties:")
            for r in failures:
                first = (r["message"].splitlines() or ["(no message)"])[0]
                lines.append(f"  [{r['concept']}] {r['id'].rpartition('::')[2]}: {first[:400]}")
                cause = next((x for x in r["message"].splitlines() if x.startswith(USUAL_CAUSE)), None)
                if cause:
                    lines.append(f"      {cause[:400]}")
        return lines

    def pytest_terminal_summary(self, terminalreporter):
        if not self.records:
            return
        self.finish()
        impl = _IMPLEMENTATION
        who = f"{impl.import_name} (the reference)" if impl.is_reference else f"{impl.label}"
        terminalreporter.section(f"conformance of {who} by lecture concept", sep="=")
        for line in self.table():
            terminalreporter.line(line)
        path = self.config.getoption("spec_json")
        if path:
            self.write_json(Path(path))
            terminalreporter.line(f"\nwrote {path}")

    def write_json(self, path: Path):
        impl = _IMPLEMENTATION
        counts = Counter(r["status"] for r in self.records.values())
        data = {
            "implementation": impl.label,
            "reference": impl.is_reference,
            "profile": settings.current_profile(),
            "totals": {status: counts.get(status, 0) for status in STATUSES},
            "duration": round(time.monotonic() - self.started, 3),
            "properties": sorted(self.records.values(), key=lambda r: r["id"]),
        }
        path.write_text(json.dumps(data, indent=2) + "\n")
