"""A pytest plugin for the benchmark: each test's CPU time (setup, call and teardown, in the process that ran it).

    python -m pytest ... -p spec.bench.cputime   (with SPEC_BENCH_CPU_DIR set to a folder)

Wall durations (--spec-json) grow when other processes share the cores; CPU time does not, so the benchmark's
slowest-properties table is fair on a busy machine too. Every process (each xdist worker) writes its own
``cpu-<worker>.json`` into the folder: {"times": {node id: CPU seconds}, "first": epoch seconds when its first test
started, "last": when its last test ended} (the spread of "last" over the workers is how long one sat idle at the end).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

ENV_VAR = "SPEC_BENCH_CPU_DIR"
_TIMES: dict[str, float] = {}
_SPAN: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _SPAN.setdefault("first", time.time())
    start = time.process_time()
    yield
    _TIMES[item.nodeid] = _TIMES.get(item.nodeid, 0.0) + time.process_time() - start
    _SPAN["last"] = time.time()


def pytest_sessionfinish(session):
    folder = os.environ.get(ENV_VAR)
    if not folder or not _TIMES:
        return
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    Path(folder, f"cpu-{worker}.json").write_text(json.dumps({"times": _TIMES, **_SPAN}))


def read(folder) -> tuple[dict[str, float], dict[str, dict]]:
    """Every process's CPU times, merged, and each process's {"first", "last", "cpu", "tests"}."""
    times: dict[str, float] = {}
    workers: dict[str, dict] = {}
    for path in sorted(Path(folder).glob("cpu-*.json")):
        data = json.loads(path.read_text())
        times.update(data["times"])
        workers[path.stem[4:]] = {"first": data.get("first"), "last": data.get("last"),
                                  "cpu": sum(data["times"].values()), "tests": len(data["times"])}
    return times, workers
