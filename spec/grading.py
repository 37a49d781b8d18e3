"""Autograding: Gradescope's results.json from a scorecard run, points per concept, and a result in every case.

``python -m spec check --impl SUBMISSION --gradescope results.json [--weights FILE] [--per property|concept]
[--time-limit SECONDS]`` runs the scorecard (pytest, in a subprocess, under the ``grading`` profile unless another is
given) and writes results.json in the format of Gradescope's autograder specification: one test per property (or
per lecture concept) with ``name``, ``number``, ``score``, ``max_score``, ``status`` ("passed" / "failed"),
``output``, ``tags`` (the concept) and ``visibility``; at the top level ``score`` (the sum of the tests' scores),
``execution_time``, ``output``, ``visibility`` and ``stdout_visibility``.

results.json is written whatever happens to the run. Before it, the properties the run would grade are listed by
collecting them against the reference implementation (``pytest --collect-only --spec-manifest``: the student's code
is not imported there, so it cannot break the list). A property the run did not report (the submission failed to
import, the run exceeded ``--time-limit``, the interpreter crashed) is failed with the reason.

Weights file: points per lecture concept, one ``concept = points`` line each (``#`` starts a comment; blank lines
are ignored), or a JSON object ``{"concept": points}`` when the file name ends in ``.json``. The key ``default``
gives the points of every concept not listed (0 when absent). A concept's points are split evenly among its
properties. Without a weights file every property is worth 1 point. Names are the concepts of the scorecard table;
a name that is not a concept of the spec is an error (a typo would silently cost students points).

Hidden properties (``@prop(..., hidden=True)``) never show more than a fixed message with their statement: no input,
no reproduction, no source.
"""

from __future__ import annotations

import collections
import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from spec.harness.plugin import HIDDEN_MESSAGE, NOT_IMPLEMENTED

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_KEY = "default"
PER = ("property", "concept")
VISIBILITY = "visible"  # of each test and of the submission (Gradescope: hidden, after_due_date, after_published)
STDOUT_VISIBILITY = "hidden"  # the run's log is for the instructor; students read the tests' outputs


class WeightsError(ValueError):
    """A weights file that cannot be used as it is: the message says where and why."""


@dataclass
class Weights:
    points: dict[str, float] = field(default_factory=dict)  # concept -> points
    default: float | None = None  # points of a concept not listed; None: no weights file, 1 point per property

    def concept_points(self, concept: str, properties: int) -> float:
        if self.default is None and not self.points:
            return float(properties)
        return self.points.get(concept, self.default or 0.0)


def _number(value, where: str) -> float:
    try:
        points = float(value)
    except (TypeError, ValueError):
        raise WeightsError(f"{where}: {value!r} is not a number of points") from None
    if not math.isfinite(points) or points < 0:
        raise WeightsError(f"{where}: points must be a finite number >= 0, not {value!r}")
    return points


def parse_weights(text: str, *, json_format: bool = False, source: str = "weights") -> Weights:
    """Points per concept from the text of a weights file (the format is in this module's docstring)."""
    entries: list[tuple[str, object, str]] = []
    if json_format:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise WeightsError(f"{source} is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise WeightsError(f"{source} must hold a JSON object {{\"concept\": points, ...}}")
        entries = [(str(k), v, f"{source}, key {k!r}") for k, v in data.items()]
    else:
        for lineno, line in enumerate(text.splitlines(), 1):
            line = line.partition("#")[0].strip()
            if not line:
                continue
            name, eq, value = line.rpartition("=")
            if not eq or not name.strip():
                raise WeightsError(f"{source}, line {lineno}: expected 'concept = points', got {line!r}")
            entries.append((name.strip(), value.strip(), f"{source}, line {lineno}"))
    weights = Weights(default=0.0)
    for name, value, where in entries:
        points = _number(value, where)
        if name == DEFAULT_KEY:
            weights.default = points
        elif name in weights.points:
            raise WeightsError(f"{where}: {name!r} is given twice")
        else:
            weights.points[name] = points
    return weights


def load_weights(path: str | Path, known_concepts=None) -> Weights:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise WeightsError(f"cannot read the weights file {path}: {exc.strerror}") from None
    weights = parse_weights(text, json_format=path.suffix.lower() == ".json", source=str(path))
    if known_concepts is not None:
        unknown = sorted(set(weights.points) - set(known_concepts))
        if unknown:
            raise WeightsError(f"{path} names {', '.join(map(repr, unknown))}, which "
                               f"{'is not a concept' if len(unknown) == 1 else 'are not concepts'} of the spec. "
                               f"The concepts are: {', '.join(sorted(known_concepts))}")
    return weights


def spec_concepts() -> set[str]:
    """Every concept of the whole spec (imports each chapter's property modules)."""
    from spec.property import catalogue, info_of

    return {info_of(test).concept for test in catalogue()[0]}


# --- building results.json -------------------------------------------------------------------------------------


def _round(x: float) -> float:
    return round(x, 4)


def _shares(points: float, n: int) -> list[float]:
    """``points`` split into ``n`` shares, rounded to 4 decimals so that they add up to exactly the rounded points:
    3 points over 7 properties are 0.4286, 0.4285, ... rather than 0.428571 seven times."""
    return [_round(points * (i + 1) / n) - _round(points * i / n) for i in range(n)]


def _property_output(record: dict) -> str:
    status = record["status"]
    failed = status != "passed"
    if status == NOT_IMPLEMENTED:  # names the missing function, nothing of the property's inputs
        message = "Not implemented yet: " + record["message"].removeprefix(f"{NOT_IMPLEMENTED}: ")
    elif failed and record.get("hidden") and record.get("ran", True):
        message = HIDDEN_MESSAGE.format(statement=record["statement"])
    elif failed:
        message = record["message"] or f"{status} (no message)"
    else:
        message = "Passed."
    return f"{message}\n\nProperty: {record['statement']}\nLecture: {record['lecture']}"


def _short(nodeid: str) -> str:
    return nodeid.rpartition("::")[2]


def build(manifest: list[dict], records: dict[str, dict], *, weights: Weights | None = None, per: str = "property",
          reason: str = "", execution_time: float = 0.0, summary: str = "") -> dict:
    """Gradescope's results.json from the properties the run should grade (``manifest``, in order) and the records
    it reported (``records`` by id, as ``--spec-json`` writes them). A property without a record failed for
    ``reason``."""
    if per not in PER:
        raise ValueError(f"per must be one of {PER}, not {per!r}")
    weights = weights or Weights()
    merged = []
    for entry in manifest:
        record = records.get(entry["id"])
        if record is None or record.get("status") is None:
            why = reason or "The run stopped before this property reported a result."
            record = {**entry, "status": "failed", "message": f"This property did not run. {why}", "duration": 0.0,
                      "ran": False}
        else:  # what the student may see about a property comes from the manifest (the reference's collection)
            record = {**record, **{k: entry[k] for k in ("concept", "lecture", "statement", "hidden")}}
        merged.append(record)
    # Properties the run reported but the manifest does not list (it cannot happen with the same arguments) are
    # kept too, so that nothing graded is lost.
    listed = {e["id"] for e in manifest}
    merged += [r for i, r in records.items() if i not in listed and r.get("status") is not None]

    concepts: dict[str, list[dict]] = {}
    for record in merged:
        concepts.setdefault(record["concept"], []).append(record)

    tests = []
    for c, (concept, props) in enumerate(concepts.items(), 1):
        points = weights.concept_points(concept, len(props))
        shares = _shares(points, len(props))
        passed = [p for p in props if p["status"] == "passed"]
        if per == "property":
            for i, (p, share) in enumerate(zip(props, shares), 1):
                ok = p["status"] == "passed"
                tests.append({
                    "name": f"{concept}: {_short(p['id'])}",
                    "number": f"{c}.{i}",
                    "score": _round(share if ok else 0.0),
                    "max_score": _round(share),
                    "status": "passed" if ok else "failed",
                    "output": _property_output(p),
                    "tags": [concept],
                    "visibility": VISIBILITY,
                })
        else:
            lines = [f"{len(passed)} of {len(props)} properties of {concept} passed.", ""]
            for p in props:
                mark = "passed" if p["status"] == "passed" else "FAILED" if p["status"] == "failed" else p["status"]
                lines.append(f"[{mark}] {_short(p['id'])}")
                if p["status"] != "passed":
                    lines += ["    " + x for x in _property_output(p).splitlines()]
                    lines.append("")
            tests.append({
                "name": concept,
                "number": str(c),
                "score": _round(points * len(passed) / len(props)),
                "max_score": _round(points),
                "status": "passed" if len(passed) == len(props) else "failed",
                "output": "\n".join(lines).rstrip(),
                "tags": [concept],
                "visibility": VISIBILITY,
            })
    score = _round(sum(t["score"] for t in tests))
    maximum = _round(sum(t["max_score"] for t in tests))
    counts = collections.Counter(r["status"] for r in merged)
    output = [f"Score {score:g} of {maximum:g}: {counts['passed']} of {len(merged)} properties passed"
              + (f", {counts[NOT_IMPLEMENTED]} not implemented" if counts[NOT_IMPLEMENTED] else "") + "."]
    if reason:
        output += ["", f"The run did not finish. {reason}"]
    if summary:
        output += ["", summary]
    return {
        "score": score,
        "execution_time": int(round(execution_time)),
        "output": "\n".join(output),
        "output_format": "text",
        "test_output_format": "text",
        "visibility": VISIBILITY,
        "stdout_visibility": STDOUT_VISIBILITY,
        "tests": tests,
    }


def write(path: str | Path, results: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(results, indent=2) + "\n")
    os.replace(tmp, path)  # never a half-written file


# --- running -----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    returncode: int | None
    timed_out: bool
    output: str  # the end of the run's combined output


def run_pytest(cmd: list[str], *, time_limit: float | None = None, cwd: Path = ROOT, env=None,
               tail_lines: int = 200) -> Outcome:
    """Run ``cmd``, echoing its output as it comes; stop it (and its xdist workers) after ``time_limit`` seconds."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            errors="replace", bufsize=1, start_new_session=hasattr(os, "killpg"))
    tail: collections.deque[str] = collections.deque(maxlen=tail_lines)

    def pump():
        echo = True
        for line in proc.stdout:  # read to the end whatever happens, or a full pipe would block the run
            tail.append(line)
            if echo:
                try:
                    sys.stdout.write(line)
                    sys.stdout.flush()
                except (OSError, ValueError):  # our own output is gone (a closed pipe): keep the run going
                    echo = False

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        timed_out = True
        _stop(proc)
    except BaseException:  # Ctrl-C: take the workers down too
        _stop(proc)
        raise
    reader.join(timeout=5)
    return Outcome(proc.returncode, timed_out, "".join(tail))


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, sig)
            else:
                proc.kill()
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def collect(cmd: list[str], *, env=None) -> list[dict]:
    """The properties a scorecard command would grade, collected against the reference implementation."""
    with tempfile.TemporaryDirectory(prefix="spec-manifest-") as tmp:
        out = Path(tmp) / "manifest.json"
        args = _without_options(cmd, {"--impl": 1, "--spec-json": 1, "-n": 1, "--hypothesis-profile": 1,
                                      "--junitxml": 1, "--junit-xml": 1})
        args = [a for a in args if not a.startswith(("--junitxml=", "--junit-xml="))]  # the run's own report
        env = {k: v for k, v in (env or os.environ).items() if k != "SPEC_IMPL"}
        proc = subprocess.run([*args, "--collect-only", "--spec-manifest", str(out), "-n", "0"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        if not out.exists():
            raise RuntimeError("listing the properties failed:\n" + (proc.stdout + proc.stderr)[-3000:])
        return json.loads(out.read_text())["properties"]


def _without_options(cmd: list[str], options: dict[str, int]) -> list[str]:
    out, skip = [], 0
    for arg in cmd:
        if skip:
            skip -= 1
        elif arg in options:
            skip = options[arg]
        else:
            out.append(arg)
    return out


def reason_for(outcome: Outcome, time_limit: float | None, *, partial: bool = False) -> str:
    """Why a run left properties without results, in words for the student (``partial``: some did report)."""
    if partial and not outcome.timed_out:
        return (f"The run stopped (exit status {outcome.returncode}) before every property had run, most often "
                "because its worker processes crashed too many times: something in your code ends the Python "
                "interpreter (os._exit, a segmentation fault in a C extension, running out of memory). The "
                "properties that ran are graded.")
    if outcome.timed_out:
        return (f"The whole run took longer than its time limit of {time_limit:g} s and was stopped. A call that "
                "hangs is normally failed on its own after a few seconds; this run hung elsewhere: look for an "
                "endless loop at the top level of a module (run at import time) or for very slow code.")
    lines = outcome.output.splitlines()
    error = next((i for i, line in enumerate(lines) if line.startswith("ERROR: ")), None)
    if outcome.returncode == 4 and error is not None:  # pytest's usage error: the plugin's import failure message
        return "\n".join(lines[error:]).removeprefix("ERROR: ").strip()
    code = outcome.returncode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"was killed by {name}"
    else:
        how = f"ended with exit status {code}"
    if error is None:  # a Python traceback, if the process printed one before it died
        error = next((i for i, line in enumerate(lines) if line.startswith(("Traceback", "Fatal Python error"))), None)
    detail = "\n".join(lines[error:error + 30]).strip() if error is not None else ""
    return (f"The test process {how} before it reported results: something in your code ended the Python "
            "interpreter (os._exit, sys.exit or a crash at import time, a segmentation fault in a C extension, "
            "running out of memory)." + (f"\nThe end of its output:\n{detail}" if detail else ""))


def check(cmd: list[str], gradescope: str | Path, **options) -> int:
    """Run the scorecard command ``cmd`` and write Gradescope's results.json to ``gradescope``, whatever happens
    (options: weights_file, per, time_limit, json_file).

    Returns the run's exit status (1 when it left results missing, 2 when the autograder itself failed)."""
    try:
        return _check(cmd, gradescope, **options)
    except BaseException as exc:  # a bug here, or Ctrl-C: still leave a results.json that says so
        with contextlib.suppress(Exception):
            write(gradescope, {"score": 0.0, "execution_time": 0, "visibility": VISIBILITY,
                               "stdout_visibility": STDOUT_VISIBILITY, "tests": [],
                               "output": f"The autograder failed, so this submission was not graded: "
                                         f"{type(exc).__name__}: {exc}"})
        if isinstance(exc, Exception):
            import traceback

            traceback.print_exc()
            return 2
        raise


def _check(cmd: list[str], gradescope: str | Path, *, weights_file: str | None = None, per: str = "property",
           time_limit: float | None = None, json_file: str | None = None) -> int:
    started = time.monotonic()
    try:
        known = None
        if weights_file:
            with contextlib.suppress(Exception):  # a chapter that does not import: names are not checked then
                known = spec_concepts()
        weights = load_weights(weights_file, known) if weights_file else Weights()
    except WeightsError as exc:
        message = f"The autograder is misconfigured, so this submission was not graded: {exc}"
        print(message, file=sys.stderr)
        write(gradescope, {"score": 0.0, "execution_time": 0, "output": message, "visibility": VISIBILITY,
                           "stdout_visibility": STDOUT_VISIBILITY, "tests": []})
        return 2
    with tempfile.TemporaryDirectory(prefix="spec-grading-") as tmp:
        spec_json = Path(json_file).resolve() if json_file else Path(tmp) / "scorecard.json"
        spec_json.unlink(missing_ok=True)
        run_cmd = [*_without_options(cmd, {"--spec-json": 1}), "--spec-json", str(spec_json)]
        try:
            manifest = collect(run_cmd)
        except Exception as exc:  # noqa: BLE001
            manifest, manifest_error = [], str(exc)
        else:
            manifest_error = ""
        outcome = run_pytest(run_cmd, time_limit=time_limit)
        records, summary = {}, ""
        if spec_json.exists() and not outcome.timed_out:
            with contextlib.suppress(ValueError, KeyError):
                data = json.loads(spec_json.read_text())
                records = {r["id"]: r for r in data["properties"]}
                summary = f"Implementation: {data['implementation']}; hypothesis profile: {data['profile']}."
        complete = bool(records) and outcome.returncode in (0, 1) and all(e["id"] in records for e in manifest)
        reason = "" if complete else reason_for(outcome, time_limit, partial=bool(records))
        if manifest_error:
            reason = (reason + "\n" if reason else "") + f"(The autograder could not list the properties: " \
                     f"{manifest_error})"
        results = build(manifest, records, weights=weights, per=per, reason=reason,
                        execution_time=time.monotonic() - started, summary=summary)
    write(gradescope, results)
    total = sum(t["max_score"] for t in results["tests"])
    with contextlib.suppress(OSError, ValueError):
        print(f"\nwrote {gradescope}: score {results['score']:g} of {total:g}")
    if not complete:  # a run stopped by a signal has a negative status: 1 says "not everything passed"
        return outcome.returncode if (outcome.returncode or 0) > 0 else 1
    return outcome.returncode
