"""The pull-request workflow (.github/workflows/conformance.yml) parses and runs the README's commands.

PyYAML is not a dependency of the suite, so the workflow is read by the small parser below. It is honest about what
it reads: the block subset of YAML that GitHub workflows are written in (mappings, sequences, plain and quoted
scalars, `|` literal blocks, one-line `[a, b]` lists, comments), and it *rejects* everything else (tabs in the
indentation, anchors, aliases, tags, `{...}` mappings, folded `>` blocks, several documents, duplicate keys, a scalar
continued on the next line) instead of guessing. Scalars stay strings, as GitHub reads `on:` (YAML 1.2), not True.
It checks that the file is well-formed YAML of that subset and has the structure and commands tested below; it does
not validate the workflow against GitHub's schema (actionlint does that, and is not a dependency either).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_ci import readme_test_command

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "conformance.yml"


class YAMLSubsetError(ValueError):
    pass


_KEY = re.compile(r"""^(?P<key>[A-Za-z0-9_.\-/]+|"[^"]*"|'[^']*')\s*:(?:\s+|$)""")


def _strip_comment(text: str) -> str:
    """`text` without a trailing `# comment` (a # after white space, outside quotes)."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"" and (i == 0 or text[i - 1] in " [,"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def _scalar(text: str, where: int) -> str | list | None:
    if text == "" or text == "~" or text == "null":
        return None
    if text[0] == '"':
        if len(text) < 2 or not text.endswith('"'):
            raise YAMLSubsetError(f"line {where}: unterminated double-quoted string")
        return json.loads(text)  # JSON strings are YAML double-quoted strings (the escapes used here)
    if text[0] == "'":
        if len(text) < 2 or not text.endswith("'"):
            raise YAMLSubsetError(f"line {where}: unterminated single-quoted string")
        return text[1:-1].replace("''", "'")
    if text[0] == "[":
        if not text.endswith("]"):
            raise YAMLSubsetError(f"line {where}: a [...] list must close on its line")
        inner = text[1:-1].strip()
        return [_scalar(item.strip(), where) for item in inner.split(",")] if inner else []
    if text[0] in "{&*!>%@`|" or text.startswith("- ") or text == "-":
        raise YAMLSubsetError(f"line {where}: {text[:20]!r} is outside the YAML subset this test reads")
    if re.search(r":(\s|$)", text) and not text.startswith("${{"):
        raise YAMLSubsetError(f"line {where}: a plain scalar with ': ' in it ({text[:30]!r}); quote it")
    return text


class _Parser:
    def __init__(self, text: str):
        self.lines = text.splitlines()
        self.i = 0
        for n, line in enumerate(self.lines, 1):
            if "\t" in line[: len(line) - len(line.lstrip())]:
                raise YAMLSubsetError(f"line {n}: a tab in the indentation")
            if line.startswith(("---", "...")) and line.strip() in ("---", "..."):
                raise YAMLSubsetError(f"line {n}: document markers are outside the subset")

    def peek(self):
        """(indent, content) of the next line with content, or None at the end."""
        while self.i < len(self.lines):
            stripped = self.lines[self.i].strip()
            if stripped and not stripped.startswith("#"):
                line = self.lines[self.i]
                return len(line) - len(line.lstrip(" ")), line.strip()
            self.i += 1
        return None

    def node(self, indent: int):
        indent_found, content = self.peek()
        if content == "-" or content.startswith("- "):
            return self.sequence(indent_found)
        return self.mapping(indent_found)

    def mapping(self, indent: int) -> dict:
        result: dict = {}
        while (next_line := self.peek()) is not None and next_line[0] >= indent:
            found, content = next_line
            if found > indent:
                raise YAMLSubsetError(f"line {self.i + 1}: unexpected indentation")
            if content == "-" or content.startswith("- "):
                break  # a sequence at the parent's indentation ends this mapping
            match = _KEY.match(content)
            if not match:
                raise YAMLSubsetError(f"line {self.i + 1}: expected 'key: value', got {content[:30]!r}")
            key = _scalar(match["key"], self.i + 1)
            if key in result:
                raise YAMLSubsetError(f"line {self.i + 1}: duplicate key {key!r}")
            rest = _strip_comment(content[match.end():])
            self.i += 1
            result[key] = self.value(rest, indent)
        return result

    def value(self, rest: str, indent: int):
        if rest in ("|", "|-"):
            return self.literal(indent, keep_newline=rest == "|")
        if rest:
            return _scalar(rest, self.i)
        following = self.peek()
        if following is None:
            return None
        found, content = following
        if found > indent or (found == indent and (content == "-" or content.startswith("- "))):
            return self.node(found)
        return None

    def sequence(self, indent: int) -> list:
        items = []
        while (next_line := self.peek()) is not None and next_line[0] == indent:
            _, content = next_line
            if not (content == "-" or content.startswith("- ")):
                break
            body = content[1:].lstrip(" ")
            if not body:
                self.i += 1
                following = self.peek()
                items.append(self.node(following[0]) if following and following[0] > indent else None)
            elif _KEY.match(body):
                # "- key: value" starts a mapping whose keys line up with this first key.
                column = indent + len(content) - len(body)
                self.lines[self.i] = " " * column + body
                items.append(self.mapping(column))
            else:
                self.i += 1
                items.append(_scalar(_strip_comment(body), self.i))
        return items

    def literal(self, indent: int, keep_newline: bool) -> str:
        block = []
        while self.i < len(self.lines):
            line = self.lines[self.i]
            if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
                break
            block.append(line)
            self.i += 1
        while block and not block[-1].strip():
            block.pop()
        if not block:
            return ""
        margin = min(len(line) - len(line.lstrip(" ")) for line in block if line.strip())
        return "\n".join(line[margin:] for line in block) + ("\n" if keep_newline else "")


def parse_yaml(text: str):
    parser = _Parser(text)
    if parser.peek() is None:
        return None
    result = parser.node(0)
    if parser.peek() is not None:
        raise YAMLSubsetError(f"line {parser.i + 1}: unexpected content after the document")
    return result


# ---------------------------------------------------------------------------------------------------------------
# The parser itself

def test_the_parser_reads_the_subset():
    text = """\
# a comment
name: demo   # trailing comment
on:
  pull_request:
  push:
    branches: [main, "release/*"]
jobs:
  a:
    steps:
      - uses: actions/checkout@v4
      - name: "quoted: with colon"
        with:
          python-version: "3.11"
          other: 'it''s'
        run: |
          line one
            indented # not a comment
      - plain item
      -
        nested: true
list:
- x
- y
expr: ${{ inputs.impl || 'impl' }}
"""
    assert parse_yaml(text) == {
        "name": "demo",
        "on": {"pull_request": None, "push": {"branches": ["main", "release/*"]}},
        "jobs": {"a": {"steps": [
            {"uses": "actions/checkout@v4"},
            {"name": "quoted: with colon", "with": {"python-version": "3.11", "other": "it's"},
             "run": "line one\n  indented # not a comment\n"},
            "plain item",
            {"nested": "true"},
        ]}},
        "list": ["x", "y"],
        "expr": "${{ inputs.impl || 'impl' }}",
    }


@pytest.mark.parametrize("text", [
    "a:\n\tb: 1\n",  # a tab
    "a: &anchor 1\n",
    "a: *alias\n",
    "a: !tag 1\n",
    "a: {b: 1}\n",
    "a: >\n  folded\n",
    "a: 1\na: 2\n",  # duplicate key
    "a: b\n  c\n",  # a scalar continued on the next line
    "a:\n  b: 1\n   c: 2\n",  # bad indentation
    "a: 'open\n",
    "---\na: 1\n",
    "a: b: c\n",
])
def test_the_parser_rejects_what_it_does_not_read(text):
    with pytest.raises(YAMLSubsetError):
        parse_yaml(text)


# ---------------------------------------------------------------------------------------------------------------
# The workflow

def workflow() -> dict:
    return parse_yaml(WORKFLOW.read_text())


def readme_install_command() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"## Quick start.*?```sh\n(.+?)\n```", text, re.S)
    assert match, "README.md lost its quick-start command"
    return match.group(1).split("&&")[0].strip()


def runs(job: dict) -> list[str]:
    return [line.strip() for step in job["steps"] if "run" in step for line in step["run"].splitlines()
            if line.strip()]


def step(job: dict, pattern: str) -> dict:
    found = [s for s in job["steps"] if re.search(pattern, s.get("run", "") + s.get("uses", ""))]
    assert len(found) == 1, f"expected one step matching {pattern!r}, found {len(found)}"
    return found[0]


def test_the_workflow_runs_on_pull_requests_and_pushes_to_main():
    triggers = workflow()["on"]
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert set(triggers["workflow_dispatch"]["inputs"]) >= {"impl", "profile"}


def test_every_job_sets_up_python_3_11_with_a_pip_cache_on_pyproject_and_installs_as_the_readme_says():
    jobs = workflow()["jobs"]
    assert set(jobs) == {"tests", "scorecard"}
    for name, job in jobs.items():
        assert job["runs-on"] == "ubuntu-latest", name
        uses = [s["uses"] for s in job["steps"] if "uses" in s]
        assert uses[0].startswith("actions/checkout@"), name
        setup = step(job, r"^actions/setup-python@")
        assert setup["with"] == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "pyproject.toml"}
        assert runs(job)[0] == readme_install_command() == "python -m pip install -e ."
    # Quoted, or YAML would read 3.10 as the number 3.1.
    assert WORKFLOW.read_text().count('python-version: "3.11"') == len(jobs)


def test_the_tests_job_runs_exactly_the_readme_test_command():
    assert runs(workflow()["jobs"]["tests"])[1:] == [readme_test_command()]


def test_the_scorecard_job_grades_spec_impl_writes_the_summary_and_keeps_the_json():
    job = workflow()["jobs"]["scorecard"]
    assert job["env"]["SPEC_IMPL"] == "${{ inputs.impl || vars.SPEC_IMPL || 'impl' }}"
    assert job["env"]["SPEC_PROFILE"].endswith("|| 'ci' }}")
    check = step(job, r"python -m spec check")
    words = check["run"].split()
    assert words[:4] == ["python", "-m", "spec", "check"] and "if" not in check
    assert "-n auto" in check["run"] and words[words.index("--json") + 1] == "scorecard.json"
    summary = step(job, r"python -m spec summary")
    assert summary["run"] == 'python -m spec summary scorecard.json >> "$GITHUB_STEP_SUMMARY"'
    upload = step(job, r"^actions/upload-artifact@")
    assert upload["with"]["path"] == "scorecard.json"
    for later in (summary, upload):  # also after a failed check, but not after a cancelled run
        assert later["if"] == "${{ !cancelled() }}"
    order = job["steps"].index
    assert order(check) < order(summary) < order(upload)


def test_the_workflow_options_exist_on_the_command_line():
    from spec.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["check", "--help"])
    assert exit_.value.code == 0
    # SPEC_IMPL is what `python -m spec check` reads when --impl is not given.
    assert 'os.environ.get("SPEC_IMPL")' in (ROOT / "spec" / "__main__.py").read_text()


# ---------------------------------------------------------------------------------------------------------------
# The job summary (python -m spec summary)

def test_the_summary_statuses_are_the_scorecards():
    from spec import summary
    from spec.harness import plugin

    assert summary.STATUSES == plugin.STATUSES


def test_the_summary_is_a_table_by_concept_with_the_failures():
    from spec import summary

    records = [
        {"id": "spec/a/test_a.py::test_one", "concept": "softmax", "status": "passed", "message": ""},
        {"id": "spec/a/test_a.py::test_two", "concept": "softmax", "status": "failed",
         "message": "softmax(x)[0, 0]=nan, but should be finite\nx = [[1000.]]", "statement": "s"},
        {"id": "spec/a/test_a.py::test_three", "concept": "hinge loss", "status": "not implemented",
         "message": "not implemented: no losses.py"},
        {"id": "spec/a/test_a.py::test_four", "concept": "hinge loss", "status": "failed", "hidden": True,
         "message": "SECRET INPUT", "statement": "The hinge loss is 0 past the margin."},
    ]
    text = summary.markdown({"implementation": "my_impl", "reference": False, "profile": "ci",
                             "duration": 12.4, "properties": records})
    assert "### Conformance of `my_impl` by lecture concept" in text
    assert "4 properties in 12 s (profile `ci`): 1 passed, 2 failed, 1 not implemented." in text
    assert "|  | concept | passed | failed | not implemented | skipped |" in text
    assert "| ❌ | softmax | 1 | 1 | 0 | 0 |" in text
    assert "| **total** | **1** | **2** | **1** | **0** |" in text
    assert "- \\[softmax\\] `test_two`: softmax(x)\\[0, 0\\]=nan, but should be finite" in text
    assert "SECRET" not in text and "(hidden) The hinge loss is 0 past the margin." in text


def test_the_summary_of_a_real_run_and_of_a_run_that_wrote_nothing(tmp_path):
    out = tmp_path / "scorecard.json"
    subprocess.run([sys.executable, "-m", "spec", "check", "--json", str(out), "--",
                    "spec/numerical_gradients/test_rel_error.py", "-k", "test_rel_error_worked_example"], cwd=ROOT,
                   capture_output=True, text=True, timeout=300, check=True)
    proc = subprocess.run([sys.executable, "-m", "spec", "summary", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "| ✅ | relative error |" in proc.stdout and "(the reference)" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "spec", "summary", str(tmp_path / "missing.json")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "No scorecard" in proc.stdout and "the log of the check step says why" in proc.stdout
