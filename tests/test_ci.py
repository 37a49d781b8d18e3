"""The README's commands and CI's script say the same thing."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_test_command() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- test-command.*?-->\s*```sh\n(.+?)\n```", text, re.S)
    assert match, "README.md lost its test-command marker"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text().splitlines()
    commands = [line for line in script if line and not line.startswith(("#", "set ", "cd "))]
    assert commands[-1] == readme_test_command()


def test_ci_installs_from_the_projects_own_files():
    script = (ROOT / ".ci" / "run").read_text()
    assert "pip install" in script and " -e ." in script
