"""The scorecard as Markdown: ``python -m spec summary FILE`` reads the JSON of ``python -m spec check --json FILE``.

CI appends it to the job summary of a pull request ($GITHUB_STEP_SUMMARY in GitHub Actions,
.github/workflows/conformance.yml): a line on the run, a table by lecture concept, and the failed properties with the
first line of each message. A hidden property shows only its statement here, whatever the profile.

This module reads JSON only: it must work in a CI step after a check that crashed, without importing the suite.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from spec.markdown import code, escape, table

# The statuses of spec/harness/plugin.py's records, in the scorecard's column order (tests/test_workflow.py keeps
# them in step); a status this list does not know still gets a column of its own.
STATUSES = ("passed", "failed", "not implemented", "skipped")
FAILURES_SHOWN = 50
MESSAGE_CHARS = 300


def _mark(counts: Counter) -> str:
    if counts["failed"] or any(counts[s] for s in counts if s not in STATUSES):
        return "❌"
    if counts["passed"] and counts["passed"] == sum(counts.values()) - counts["skipped"]:
        return "✅"
    return "⬜"  # nothing failed, something not implemented yet


def markdown(data: dict) -> str:
    """The Markdown summary of one scorecard (the parsed JSON)."""
    records = data.get("properties", [])
    by_concept: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        by_concept[record.get("concept", "?")][record.get("status", "?")] += 1
    seen = {s for counts in by_concept.values() for s in counts}
    statuses = [*STATUSES, *sorted(seen - set(STATUSES))]
    total: Counter = Counter()
    rows = []
    for concept, counts in sorted(by_concept.items()):
        total.update(counts)
        rows.append([_mark(counts), escape(concept), *(str(counts[s]) for s in statuses)])
    rows.append(["", "**total**", *(f"**{total[s]}**" for s in statuses)])

    who = data.get("implementation", "?")
    who = f"{code(who)}" + (" (the reference)" if data.get("reference") else "")
    tally = ", ".join(f"{total[s]} {s}" for s in statuses if total[s] or s in ("passed", "failed"))
    duration = data.get("duration")
    took = f" in {duration:.0f} s" if isinstance(duration, (int, float)) else ""
    lines = [
        f"### Conformance of {who} by lecture concept",
        "",
        f"{len(records)} properties{took} (profile {code(data.get('profile', '?'))}): {tally}.",
        "",
        *table(["", "concept", *statuses], rows, "ll" + "r" * len(statuses)),
        "",
    ]
    failed = [r for r in records if r.get("status") == "failed"]
    if failed:
        lines += ["<details open><summary>failed properties</summary>", ""]
        for r in failed[:FAILURES_SHOWN]:
            if r.get("hidden"):
                first = f"(hidden) {r.get('statement', '')}"
            else:
                first = (str(r.get("message") or "").splitlines() or ["(no message)"])[0]
            if len(first) > MESSAGE_CHARS:
                first = first[:MESSAGE_CHARS] + " ..."
            name = str(r.get("id", "?")).rpartition("::")[2]
            lines.append(f"- \\[{escape(r.get('concept', '?'))}\\] {code(name)}: {escape(first)}")
        if len(failed) > FAILURES_SHOWN:
            lines.append(f"- ... and {len(failed) - FAILURES_SHOWN} more: the JSON artifact has them all")
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def from_file(path: Path) -> tuple[str, bool]:
    """(Markdown, whether the file held a scorecard): a missing or broken file gives a note saying why."""
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        return (f"### Conformance\n\nNo scorecard: {code(str(path))} was not written. The check stopped before its "
                "end (an implementation that does not import, or a crash); the log of the check step says why.\n",
                False)
    except (OSError, ValueError) as exc:
        return f"### Conformance\n\nThe scorecard {code(str(path))} could not be read: {escape(str(exc))}\n", False
    if not isinstance(data, dict) or not isinstance(data.get("properties"), list):
        return f"### Conformance\n\n{code(str(path))} is not a scorecard of `python -m spec check --json`.\n", False
    return markdown(data), True
