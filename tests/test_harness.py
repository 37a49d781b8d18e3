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
from collections import Counter
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: each xdist worker that needs a shared run makes its own
    fcntl = None

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
    return proc, read_scorecard(out)


def read_scorecard(out: Path) -> dict:
    """{test name: record} from the scorecard's JSON ({} when the run wrote none)."""
    if not out.exists():
        return {}
    return {r["id"].rpartition("::")[2]: r for r in json.loads(out.read_text())["properties"]}


def shared_scorecard(tmp_path_factory, name: str, make_package, *pytest_args: str):
    """`scorecard` for a run that several tests read, once per session: under xdist those tests may land on both
    workers, so the first worker to get here runs it and the other reads its result. The workers of one session
    (and only they) share the parent of their temporary folders."""
    if fcntl is None or not os.environ.get("PYTEST_XDIST_WORKER"):
        tmp_path = tmp_path_factory.mktemp(name)
        return scorecard(make_package(tmp_path), tmp_path, *pytest_args)
    tmp_path = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    saved = tmp_path / "process.json"
    with open(f"{tmp_path}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or when the process dies
        if saved.exists():
            proc = subprocess.CompletedProcess(**json.loads(saved.read_text()))
            return proc, read_scorecard(tmp_path / "scorecard.json")
        tmp_path.mkdir(exist_ok=True)
        proc, records = scorecard(make_package(tmp_path), tmp_path, *pytest_args)
        saved.write_text(json.dumps({"args": proc.args, "returncode": proc.returncode, "stdout": proc.stdout,
                                     "stderr": proc.stderr}))
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
    # Progress: one line per concept as it finishes, instead of a dot per property, counting up to all of them.
    concepts = {r["concept"] for r in records.values()}
    progress = [line for line in proc.stdout.splitlines() if line.startswith("[") and " concepts, " in line]
    assert len(progress) == len(concepts), proc.stdout
    assert progress[-1].startswith(f"[{len(concepts)}/{len(concepts)} concepts,"), progress[-1]
    per_concept = Counter(r["concept"] for r in json.loads((tmp_path / "scorecard.json").read_text())["properties"])
    assert {line.partition("] ")[2] for line in progress} == {f"{c}: {n} not implemented" for c, n in per_concept.items()}
    assert "." * 10 not in proc.stdout


def test_progress_counts_the_properties_of_each_concept_from_test_ids():
    from spec.harness.plugin import _concepts_of

    ids = ["spec/loss_functions/test_softmax.py::test_softmax_rows_are_probability_vectors",
           "spec/nearest_neighbours/test_distances.py::test_distances_are_euclidean[compute_distances_one_loop]",
           "spec/nearest_neighbours/test_distances.py::test_distances_are_euclidean[compute_distances_no_loops]"]
    assert _concepts_of(ids, ROOT) == {"softmax": 1, "Euclidean distance": 2}
    assert _concepts_of([*ids, "spec/loss_functions/test_softmax.py::test_no_such_property"], ROOT) is None


# One student who has written some of the contract, run once (module scope) for three tests: losses.py with only a
# correct softmax, knn.py with only the two-loop version of compute_distances, and no gradients.py at all. Each test
# below looks at the records of its own part of that run.
TWO_LOOPS = """
import numpy as np

def compute_distances_two_loops(X_train, X):
    dists = np.zeros((X.shape[0], X_train.shape[0]))
    for i in range(X.shape[0]):
        for j in range(X_train.shape[0]):
            dists[i, j] = np.sqrt(np.sum((X[i] - X_train[j]) ** 2))
    return dists
"""


@pytest.fixture(scope="module")
def partial_run(tmp_path_factory):
    return shared_scorecard(tmp_path_factory, "partial",
                            lambda tmp: write_package(tmp / "partial", losses=CORRECT_SOFTMAX, knn=TWO_LOOPS),
                            "spec/loss_functions", "spec/numerical_gradients/test_rel_error.py",
                            "spec/nearest_neighbours/test_distances.py::test_distances_are_euclidean")


def records_of(records, path):
    return {name: r for name, r in records.items() if r["id"].startswith(path + "::")}


def test_missing_functions_are_not_implemented_and_the_rest_is_graded(partial_run):
    proc, records = partial_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert statuses(records, "softmax") == {"passed"}
    assert statuses(records, "hinge loss") == {"not implemented"}
    hinge = next(r for r in records.values() if r["concept"] == "hinge loss")
    assert "svm_loss is not defined in partial.losses" in hinge["message"]


def test_a_property_of_versions_grades_each_version_on_its_own(partial_run):
    # compute_distances stands for three functions; a student with only the two-loop version passes its runs and
    # sees the other two as not implemented, by name.
    proc, records = partial_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    by_version = {name.partition("[")[2].rstrip("]"): r
                  for name, r in records_of(records, "spec/nearest_neighbours/test_distances.py").items()}
    assert set(by_version) == set(contract.versions()["compute_distances"])
    assert by_version["compute_distances_two_loops"]["status"] == "passed"
    for version in ("compute_distances_one_loop", "compute_distances_no_loops"):
        assert by_version[version]["status"] == "not implemented"
        assert f"{version} is not defined" in by_version[version]["message"]


def test_a_missing_module_makes_its_functions_not_implemented(partial_run):
    proc, records = partial_run  # the student has no gradients.py
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rel_error = records_of(records, "spec/numerical_gradients/test_rel_error.py")
    assert rel_error and {r["status"] for r in rel_error.values()} == {"not implemented"}
    messages = {r["message"] for r in rel_error.values()}
    assert all("no gradients.py" in m for m in messages), messages


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


# One student with three bugs in three functions, run once (module scope) for three tests, each of which looks at
# the records of its own function: softmax returns the wrong shape, sigmoid modifies its input in place and svm_loss
# never returns (softmax_loss is correct, and runs after the hangs).
FAULTY_LOSSES = """
import numpy as np

def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).sum(axis=0)

def sigmoid(x):
    np.negative(x, out=x)
    np.exp(x, out=x)
    return 1 / (1 + x)

def softmax_loss(x, y):
    n = len(y)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(n), y]).mean()
    dx = p.copy()
    dx[np.arange(n), y] -= 1
    return loss, dx / n

def svm_loss(x, y):
    while True:
        pass
"""


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    # Files in this order, so that the cross-entropy property runs after the two that hang.
    return shared_scorecard(tmp_path_factory, "faulty", lambda tmp: write_package(tmp / "faulty", losses=FAULTY_LOSSES),
                            "spec/loss_functions/test_softmax.py", "spec/loss_functions/test_sigmoid.py",
                            "spec/loss_functions/test_hinge_loss.py", "spec/loss_functions/test_cross_entropy.py",
                            "-k", "test_softmax_rows or test_sigmoid_values or test_sigmoid_is_symmetric or "
                            "test_hinge_loss_of_equal or test_hinge_loss_sums or test_cross_entropy_is_non")


def test_a_wrong_shape_fails_in_the_contracts_words(faulty_run):
    proc, records = faulty_run
    assert proc.returncode == 1, proc.stdout + proc.stderr
    record = records["test_softmax_rows_are_probability_vectors"]
    assert record["status"] == "failed"
    assert "the output of faulty.losses.softmax has shape (" in record["message"]
    assert "the contract says (N, C)" in record["message"], record["message"]


def test_modifying_an_input_array_fails(faulty_run):
    proc, records = faulty_run
    assert proc.returncode == 1, proc.stdout + proc.stderr
    sigmoid = [r for r in records.values() if r["concept"] == "sigmoid"]
    assert len(sigmoid) == 2 and all(r["status"] == "failed" for r in sigmoid), sigmoid
    assert all("modified its input x in place" in r["message"] for r in sigmoid), sigmoid


def test_a_hanging_function_fails_its_tests_and_the_run_goes_on(faulty_run):
    proc, records = faulty_run
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
    proc, records = scorecard(None, tmp_path, "spec/loss_functions", "-k",
                              "test_softmax_is_finite or test_softmax_rows", "-n", "2",
                              env={"SPEC_IMPL": str(folder.parent)}, impl_option=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert records["test_softmax_is_finite_for_scores_of_magnitude_1000"]["status"] == "failed"
    assert records["test_softmax_rows_are_probability_vectors"]["status"] == "passed"
    # The controller collects nothing under xdist; the progress line still knows the concept is done, and its tally.
    assert "[1/1 concepts," in proc.stdout and "] softmax: 1 passed, 1 failed" in proc.stdout, proc.stdout


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
    # Two properties of the chapter are enough to see the records' shape (the other tests read many more records).
    proc, records = scorecard("impl", tmp_path, "spec/loss_functions", "-k",
                              "test_hinge_loss_of_equal or test_hinge_loss_matches")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert set(records) == {"test_hinge_loss_of_equal_scores_is_C_minus_1",
                            "test_hinge_loss_matches_the_lecture_example"}
    assert len(json.loads((tmp_path / "scorecard.json").read_text())["properties"]) == 2  # no record twice
    assert all(r["status"] == "passed" for r in records.values())
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
