"""End-to-end self-tests of the harness: real student packages, run the way students and instructors run them.

Each test writes a small implementation into a temporary folder and runs the scorecard (``python -m spec check``)
or pytest on it in a subprocess, as a fresh process is the only honest way to test import-time behaviour.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spec import contract
from spec.contract import render

ROOT = Path(__file__).resolve().parents[1]

CORRECT_SOFTMAX = """
import numpy as np

def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
"""

CORRECT_SOFTMAX_LOSS = """
def softmax_loss(x, y):
    p = softmax(x)
    n = len(y)
    loss = -np.log(p[np.arange(n), y]).mean()
    dx = p.copy()
    dx[np.arange(n), y] -= 1
    return loss, dx / n
"""


def write_package(folder: Path, **modules: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")
    for name, source in modules.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(source))
    return folder


def scorecard(impl, tmp_path: Path, *pytest_args: str, env: dict | None = None, impl_option: bool = True):
    """Run `python -m spec check` on an implementation; return (process, {test name: record})."""
    out = tmp_path / "scorecard.json"
    args = [sys.executable, "-m", "spec", "check", "--json", str(out)]
    if impl_option:
        args += ["--impl", str(impl)]
    if pytest_args:
        args += ["--", *pytest_args]
    proc = subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "SPEC_CALL_TIMEOUT": "1", **(env or {})},
    )
    records = {}
    if out.exists():
        records = {r["id"].rpartition("::")[2]: r for r in json.loads(out.read_text())["properties"]}
    return proc, records


def statuses(records, concept):
    return {r["status"] for r in records.values() if r["concept"] == concept}


def test_template_runs_and_reports_every_concept_as_not_implemented(tmp_path):
    folder = tmp_path / "my_impl"
    render.write_template(folder)
    proc, records = scorecard(folder, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert records and {r["status"] for r in records.values()} == {"not implemented"}
    assert "not implemented" in proc.stdout


def test_missing_functions_are_not_implemented_and_the_rest_is_graded(tmp_path):
    folder = write_package(tmp_path / "partial", losses=CORRECT_SOFTMAX)
    proc, records = scorecard(folder, tmp_path, "spec/loss_functions")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert statuses(records, "softmax") == {"passed"}
    assert statuses(records, "hinge loss") == {"not implemented"}
    hinge = next(r for r in records.values() if r["concept"] == "hinge loss")
    assert "svm_loss is not defined in partial.losses" in hinge["message"]


def test_a_property_of_versions_grades_each_version_on_its_own(tmp_path):
    # compute_distances stands for three functions; a student with only the two-loop version passes its runs and
    # sees the other two as not implemented, by name.
    two_loops = """
    import numpy as np

    def compute_distances_two_loops(X_train, X):
        dists = np.zeros((X.shape[0], X_train.shape[0]))
        for i in range(X.shape[0]):
            for j in range(X_train.shape[0]):
                dists[i, j] = np.sqrt(np.sum((X[i] - X_train[j]) ** 2))
        return dists
    """
    folder = write_package(tmp_path / "two_loops_only", knn=two_loops)
    proc, records = scorecard(folder, tmp_path, "spec/nearest_neighbours", "-k", "test_distances_are_euclidean")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    by_version = {name.partition("[")[2].rstrip("]"): r for name, r in records.items()}
    assert set(by_version) == set(contract.versions()["compute_distances"])
    assert by_version["compute_distances_two_loops"]["status"] == "passed"
    for version in ("compute_distances_one_loop", "compute_distances_no_loops"):
        assert by_version[version]["status"] == "not implemented"
        assert f"{version} is not defined" in by_version[version]["message"]


def test_a_missing_module_makes_its_functions_not_implemented(tmp_path):
    folder = write_package(tmp_path / "empty")
    proc, records = scorecard(folder, tmp_path, "spec/loss_functions")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {r["status"] for r in records.values()} == {"not implemented"}
    messages = {r["message"] for r in records.values()}
    assert any("no losses.py" in m for m in messages), messages


@pytest.mark.parametrize(
    "source, line, error",
    [
        ("import numpy as np\n\ndef softmax(x)\n    return x\n", 3, "SyntaxError"),
        ("import numpy as np\nRATE = undefined_name * 2\n", 2, "NameError"),
    ],
    ids=["syntax-error", "error-at-import"],
)
def test_an_import_failure_is_one_message_with_file_and_line(tmp_path, source, line, error):
    folder = write_package(tmp_path / "broken", losses=source)
    proc, records = scorecard(folder, tmp_path, "spec/loss_functions")
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert f'losses.py", line {line}' in output and error in output, output
    assert output.count("could not be imported") == 1, output
    assert "Traceback" not in output, output


def test_a_wrong_shape_fails_in_the_contracts_words(tmp_path):
    folder = write_package(tmp_path / "shapes", losses="""
        import numpy as np

        def softmax(x):
            e = np.exp(x - x.max(axis=1, keepdims=True))
            return (e / e.sum(axis=1, keepdims=True)).sum(axis=0)
        """)
    proc, records = scorecard(folder, tmp_path, "spec/loss_functions", "-k", "test_softmax_")
    assert proc.returncode == 1
    message = records["test_softmax_rows_are_probability_vectors"]["message"]
    assert "the output of shapes.losses.softmax has shape (" in message
    assert "the contract says (N, C)" in message, message


def test_modifying_an_input_array_fails(tmp_path):
    folder = write_package(tmp_path / "inplace", losses="""
        import numpy as np

        def softmax(x):
            x -= x.max(axis=1, keepdims=True)
            np.exp(x, out=x)
            return x / x.sum(axis=1, keepdims=True)
        """)
    proc, records = scorecard(folder, tmp_path, "spec/loss_functions", "-k", "test_softmax_")
    assert proc.returncode == 1
    failed = [r for r in records.values() if r["status"] == "failed"]
    assert failed and all("modified its input x in place" in r["message"] for r in failed), failed


def test_a_hanging_function_fails_its_tests_and_the_run_goes_on(tmp_path):
    folder = write_package(tmp_path / "hangs", losses=CORRECT_SOFTMAX + CORRECT_SOFTMAX_LOSS + """
def svm_loss(x, y):
    while True:
        pass
""")
    proc, records = scorecard(folder, tmp_path, "spec/loss_functions", "-k", "test_hinge_loss_of_equal or test_hinge_loss_sums or test_cross_entropy_is_non")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    hinge = [r for r in records.values() if r["concept"] == "hinge loss"]
    assert len(hinge) == 2 and all(r["status"] == "failed" for r in hinge)
    assert all("did not return within 1 s" in r["message"] for r in hinge), hinge
    assert records["test_cross_entropy_is_nonnegative"]["status"] == "passed"


def test_importing_the_reference_is_refused(tmp_path):
    folder = write_package(tmp_path / "cheat", losses="from impl.losses import softmax, softmax_loss, svm_loss\n")
    proc, _ = scorecard(folder, tmp_path, "spec/loss_functions")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "grading integrity" in output and 'losses.py", line 1' in output, output


def test_loading_the_reference_by_path_is_caught(tmp_path):
    # A determined student gets past the import guard: a stand-in `impl` in sys.modules, the reference's files
    # loaded by path. The function-origin and runtime guards must still catch it.
    folder = write_package(tmp_path / "sneaky", losses=f"""
        import importlib.util
        import sys
        import types

        def _load(name, path):
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            return module

        sys.modules["impl"] = types.ModuleType("impl")
        _load("impl._validate", {str(ROOT / "impl" / "_validate.py")!r})
        _ref = _load("reference_losses", {str(ROOT / "impl" / "losses.py")!r})

        softmax = _ref.softmax  # handed over directly

        def softmax_loss(x, y):  # or called from a function of its own
            return _ref.softmax_loss(x, y)
        """)
    proc, records = scorecard(folder, tmp_path, "spec/loss_functions", "-k", "test_softmax_rows or test_cross_entropy_is_non")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for name in ("test_softmax_rows_are_probability_vectors", "test_cross_entropy_is_nonnegative"):
        assert records[name]["status"] == "failed"
        assert "grading integrity" in records[name]["message"], records[name]


def test_a_student_package_named_impl_is_tested_instead_of_the_reference(tmp_path):
    # A student's copy of the repository layout: their package is also called `impl` and imports itself by name.
    folder = write_package(tmp_path / "student" / "impl", helpers="""
        import numpy as np

        def exp_normalize(x):
            e = np.exp(x - x.max())  # the bug: one maximum for the whole batch
            return e / e.sum(axis=1, keepdims=True)
        """, losses="""
        from impl.helpers import exp_normalize

        def softmax(x):
            return exp_normalize(x)
        """)
    # By environment variable instead of --impl, and under xdist: every worker must load the student's package.
    proc, records = scorecard(None, tmp_path, "spec/loss_functions", "-k", "test_softmax_", "-n", "2",
                              env={"SPEC_IMPL": str(folder.parent)}, impl_option=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert records["test_softmax_is_finite_for_scores_of_magnitude_1000"]["status"] == "failed"
    assert records["test_softmax_rows_are_probability_vectors"]["status"] == "passed"


def test_a_failure_names_the_concept_the_input_and_how_to_reproduce_it(tmp_path):
    folder = write_package(tmp_path / "buggy", losses="""
        import numpy as np

        def softmax(x):
            e = np.exp(x)
            return e / e.sum(axis=1, keepdims=True)
        """)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--impl", str(folder),
         "spec/loss_functions/test_softmax.py::test_softmax_is_finite_for_scores_of_magnitude_1000"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    out = proc.stdout
    assert proc.returncode == 1
    assert "softmax(x)[0, 0]=nan, but should be finite" in out, out
    assert "x = [[ 1000." in out  # the input
    assert "concept: softmax; lecture: TUM I2DL" in out  # the property section
    assert "from buggy import losses" in out and "print(losses.softmax(x))" in out  # the reproduction
    assert "conformance of" in out and "softmax" in out  # the per-concept summary after plain pytest


def test_the_json_has_one_record_per_property(tmp_path):
    proc, records = scorecard("impl", tmp_path, "spec/loss_functions", "-k", "test_hinge_loss")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert records and all(r["status"] == "passed" for r in records.values())
    for record in records.values():
        assert set(record) >= {"id", "concept", "lecture", "statement", "status", "message", "duration"}
        assert record["concept"] == "hinge loss" and record["statement"] and record["lecture"]


def test_the_reference_implements_every_contract_function():
    for fn in contract.functions():
        assert callable(getattr(importlib.import_module(f"impl.{fn.module}"), fn.name, None)), fn.qualname


def test_a_hidden_property_never_shows_its_input_under_the_grading_profile(tmp_path):
    folder = write_package(tmp_path / "student", losses="""
        import numpy as np

        def softmax(x):
            return np.full_like(x, 0.5)
        """)
    (tmp_path / "test_hidden.py").write_text(textwrap.dedent("""
        import numpy as np
        from hypothesis import given
        from spec.property import prop
        from spec.strategies import score_matrices

        @prop("softmax", "a lecture", "Rows sum to one (hidden).", hidden=True)
        @given(x=score_matrices())
        def test_hidden_rows_sum_to_one(softmax, x):
            assert np.allclose(softmax(x).sum(axis=1), 1.0), f"SECRET INPUT {x!r}"
        """))
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(tmp_path / "test_hidden.py"), "-p", "spec.harness.plugin",
         "-p", "no:cacheprovider", "--impl", str(folder), "--hypothesis-profile", "grading",
         "--spec-json", str(out), "--rootdir", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "SECRET" not in proc.stdout + proc.stderr and "Falsifying" not in proc.stdout
    assert "This hidden property failed. Its input is not shown: Rows sum to one (hidden)." in proc.stdout
    (record,) = json.loads(out.read_text())["properties"]
    assert record["status"] == "failed" and "SECRET" not in record["message"]


def test_a_chapter_among_the_pytest_arguments_narrows_the_scorecard(monkeypatch):
    from spec.__main__ import SPEC_DIR, check_command

    monkeypatch.chdir(ROOT)
    whole = check_command(None, None, None, None, False, ["-k", "adam"])
    assert str(SPEC_DIR) in whole and whole[-2:] == ["-k", "adam"]
    narrowed = check_command(None, None, None, None, False, ["spec/update_rules/test_adam.py::test_x", "-k", "adam"])
    assert str(SPEC_DIR) not in narrowed
    assert str(ROOT / "spec" / "update_rules" / "test_adam.py") + "::test_x" in narrowed
