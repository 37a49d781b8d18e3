"""Timings of the scorecard itself (not a timed test): sequential against xdist workers, the slowest properties, and
how the time grows with hypothesis's example count.

Each run is the scorecard's own command (spec/__main__.py's check_command) in a subprocess, with ``--spec-json``
for the per-property durations and ``--hypothesis-show-statistics`` for the number of examples each ran. Wall time
is measured around the subprocess; CPU time is what the run's processes (the controller and its workers) used,
from getrusage(RUSAGE_CHILDREN): on a machine that others load too, wall time grows but CPU time does not.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from spec.__main__ import SPEC_DIR, check_command
from spec.bench import cputime

ROOT = SPEC_DIR.parent

# Small, quick files of properties whose examples are cheap: enough to see how the time grows from the ci profile's
# 100 examples a property to the thorough profile's 2000 within about a minute.
GROWTH_PATHS = tuple(str(ROOT / p) for p in ("spec/loss_functions/test_softmax.py", "spec/update_rules/test_sgd.py",
                                               "spec/layers/test_affine.py"))


@dataclass
class Run:
    label: str
    workers: str
    profile: str
    wall: float
    cpu: float
    returncode: int
    records: list = field(default_factory=list)  # --spec-json's properties
    examples: dict = field(default_factory=dict)  # node id -> test cases run, from hypothesis's statistics
    output: str = ""
    cpu_times: dict = field(default_factory=dict)  # node id -> CPU seconds (spec/bench/cputime.py)
    workers_seen: dict = field(default_factory=dict)  # worker id -> first, last, cpu, tests (spec/bench/cputime.py)

    @property
    def passed(self) -> int:
        return sum(r["status"] == "passed" for r in self.records)

    @property
    def total_examples(self) -> int:
        return sum(self.examples.values())


_STATS_HEAD = re.compile(r"^(\S+::\S+):$")
# "- 100 passing examples, 0 failing examples, 3 invalid examples" (hypothesis before 6.16x) or
# "- 100 passing, 0 failing, and 3 invalid test cases" (after).
_STATS_CASES = re.compile(r"- (\d+) passing(?: examples?)?, (\d+) failing(?: examples?)?, (?:and )?(\d+) invalid "
                          r"(?:examples?|test cases)")


def parse_statistics(output: str) -> dict[str, int]:
    """Test cases run per node id (passing, failing and invalid, over every phase) from the 'Hypothesis
    Statistics' section that --hypothesis-show-statistics adds to pytest's output."""
    counts: dict[str, int] = {}
    current = None
    for line in output.splitlines():
        head = _STATS_HEAD.match(line.strip())
        if head:
            current = head.group(1)
            counts.setdefault(current, 0)
            continue
        cases = _STATS_CASES.search(line)
        if cases and current is not None:
            counts[current] += sum(int(g) for g in cases.groups())
    return counts


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_scorecard(workers: str, profile: str, paths=(), extra=(), label: str = "") -> Run:
    """The scorecard on the reference with `workers` xdist workers ("0": none) and a hypothesis profile."""
    with tempfile.TemporaryDirectory() as tmp:
        json_file = str(Path(tmp) / "scorecard.json")
        cmd = check_command(None, json_file, workers, profile, False,
                            [*paths, "--hypothesis-show-statistics", "-p", "spec.bench.cputime", *extra])
        env = {k: v for k, v in os.environ.items() if k not in ("SPEC_IMPL", "PYTEST_ADDOPTS")}
        env[cputime.ENV_VAR] = tmp
        cpu, start = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall, cpu = time.perf_counter() - start, _children_cpu() - cpu
        records = json.loads(Path(json_file).read_text())["properties"] if Path(json_file).exists() else []
        cpu_times, seen = cputime.read(tmp)
    return Run(label or f"-n {workers}", workers, profile, wall, cpu, proc.returncode, records,
               parse_statistics(proc.stdout), proc.stdout + proc.stderr, cpu_times, seen)


def describe(run: Run) -> str:
    status = "" if run.returncode == 0 else f", exit status {run.returncode} (see the output above)"
    processes = max(1, int(run.workers)) if run.workers.isdigit() else 1
    share = run.cpu / (processes * run.wall) if run.wall else 0.0
    return (f"{run.label:<6} {run.wall:7.1f} s wall  {run.cpu:7.1f} s CPU ({share:.0%} of {processes} core(s) over "
            f"the wall time; well under 100% on a busy machine)  {len(run.records)} properties, {run.passed} passed, "
            f"{run.total_examples} examples{status}")


def balance(run: Run, workers: int) -> str:
    """How evenly the work was split: the sum of the properties' durations over (workers x wall time), and, per
    worker, its tests, their CPU time and how long before the last worker it finished (idle at the end)."""
    busy = sum(r["duration"] for r in run.records)
    text = (f"busy {busy:.1f} s of {workers} x {run.wall:.1f} s = {busy / (workers * run.wall):.0%} "
            "(the rest is start-up, collection and idle workers)")
    ends = {w: d["last"] for w, d in run.workers_seen.items() if d.get("last")}
    if len(ends) >= 2:
        last = max(ends.values())
        text += "; " + ", ".join(
            f"{w}: {d['tests']} tests, {d['cpu']:.1f} s CPU, idle {last - ends[w]:.1f} s at the end"
            for w, d in sorted(run.workers_seen.items()) if w in ends)
    return text


def slowest(run: Run, count: int = 10) -> list[str]:
    """The `count` properties of the largest CPU time (wall time where none was recorded)."""
    def cost(r):
        return run.cpu_times.get(r["id"], r["duration"])

    lines = ["| property | CPU s | wall s | examples |", "|---|---|---|---|"]
    for r in sorted(run.records, key=lambda r: -cost(r))[:count]:
        n = run.examples.get(r["id"])
        cpu = run.cpu_times.get(r["id"])
        lines.append(f"| `{r['id']}` | {f'{cpu:.2f}' if cpu is not None else '-'} | {r['duration']:.2f} | "
                     f"{n if n is not None else '-'} |")
    return lines


def compare_workers(runs: list[Run], out=print) -> None:
    """The speed-up and the balance of the runs with workers against the fastest run without."""
    sequential = [r for r in runs if r.workers == "0"]
    parallel = [r for r in runs if r.workers != "0"]
    for run in parallel:
        n = int(run.workers)
        out(f"{run.label}: {balance(run, n)}")
        if sequential:
            seq = min(r.wall for r in sequential)
            out(f"speed-up 1 -> {n} workers: {seq / run.wall:.2f}x wall (issue 9's target: >= 1.6x with 2; "
                f"{'holds' if n != 2 or seq / run.wall >= 1.6 else 'does not hold'}); the {n} workers' CPU time is "
                f"{run.cpu / min(r.cpu for r in sequential):.2f}x the sequential run's")
        if n == 2:
            out(f"scorecard with -n 2 under 60 s (issue 9's target): "
                f"{'holds' if run.wall < 60 else 'does not hold'} ({run.wall:.1f} s)")


def growth(paths=GROWTH_PATHS, profiles=("ci", "thorough"), out=print) -> list[Run]:
    """The same properties under each profile, sequentially: time, examples, and time per example."""
    runs = [run_scorecard("0", p, paths, label=p) for p in profiles]
    shown = [os.path.relpath(p, ROOT) if os.path.isabs(p) else p for p in paths]
    out(f"Growth with the example count, on {', '.join(shown)} (sequential):")
    out("| profile | properties | examples | wall s | CPU s | ms per example |")
    out("|---|---|---|---|---|---|")
    for r in runs:
        per = 1e3 * sum(x["duration"] for x in r.records) / max(r.total_examples, 1)
        out(f"| {r.profile} | {len(r.records)} | {r.total_examples} | {r.wall:.1f} | {r.cpu:.1f} | {per:.2f} |")
        if r.returncode:
            out(r.output[-3000:])
    if len(runs) >= 2 and runs[0].total_examples:
        a, b = runs[0], runs[-1]
        out(f"{b.profile} / {a.profile}: {b.total_examples / a.total_examples:.1f}x the examples, "
            f"{b.wall / a.wall:.1f}x the wall time, {b.cpu / max(a.cpu, 1e-9):.1f}x the CPU time (a fixed start-up "
            "of a few seconds is in both)")
    return runs
