"""Autograding: Gradescope's results.json (spec/grading.py), the example autograder, and JUnit XML.

The end-to-end tests write tiny student packages into tmp_path and run `python -m spec check --gradescope` in a
subprocess, narrowed to a few properties of one chapter: a failing submission with a hidden property, one that
does not import, one that hangs at import time (the whole-run time limit), one that crashes a worker process.
Every results.json is checked against the fields Gradescope documents
(https://gradescope-autograders.readthedocs.io/en/latest/specs/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from spec import grading
from spec.harness.plugin import HIDDEN_MESSAGE

ROOT = Path(__file__).resolve().parents[1]

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
TOP_LEVEL_FIELDS = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                    "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
TEST_FIELDS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
               "visibility", "extra_data"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def validate(results: dict) -> list[dict]:
    """Assert that results.json has Gradescope's documented shape and that the top-level score is the tests' sum."""
    assert set(results) <= TOP_LEVEL_FIELDS, set(results) - TOP_LEVEL_FIELDS
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["execution_time"], (int, float)) and results["execution_time"] >= 0
    assert isinstance(results["output"], str) and results["output"]
    assert results["visibility"] in VISIBILITIES and results["stdout_visibility"] in VISIBILITIES
    for key in ("output_format", "test_output_format"):
        assert results.get(key, "text") in FORMATS
    tests = results["tests"]
    assert isinstance(tests, list) and tests
    for test in tests:
        assert set(test) <= TEST_FIELDS, set(test) - TEST_FIELDS
        assert {"name", "number", "score", "max_score", "status", "output", "tags", "visibility"} <= set(test)
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["number"], str)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] == test["max_score"]) or test["max_score"] == 0
        assert isinstance(test["output"], str) and test["output"]
        assert isinstance(test["tags"], list) and all(isinstance(t, str) for t in test["tags"]) and test["tags"]
        assert test["visibility"] in VISIBILITIES
    assert len({t["number"] for t in tests}) == len(tests)
    assert results["score"] == pytest.approx(sum(t["score"] for t in tests), abs=1e-6)
    return tests


def write_package(folder: Path, **modules: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")
    for name, source in modules.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(source))
    return folder


def gradescope(impl: Path, tmp_path: Path, *args: str, pytest_args=(), env=None):
    """Run `python -m spec check --gradescope` on an implementation; return (process, results.json)."""
    out = tmp_path / "results" / "results.json"
    cmd = [sys.executable, "-m", "spec", "check", "--impl", str(impl), "--gradescope", str(out), *args]
    if pytest_args:
        cmd += ["--", *pytest_args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SPEC_CALL_TIMEOUT": "1", **(env or {})})
    assert out.exists(), proc.stdout + proc.stderr
    return proc, json.loads(out.read_text())


# A property marked hidden, in a test file of its own (no chapter of the spec has one yet): its assertion message
# and its source carry markers that must never reach results.json.
HIDDEN_PROPERTY = """
import numpy as np
from hypothesis import given
from spec.property import prop
from spec.strategies import score_matrices

@prop("softmax", "a lecture", "Rows sum to one (hidden).", hidden=True)
@given(x=score_matrices())
def test_hidden_rows_sum_to_one(softmax, x):
    assert np.allclose(softmax(x).sum(axis=1), 1.0), f"SECRET INPUT {x!r}"  # SECRET SOURCE
"""

SIGMOID = "spec/loss_functions/test_sigmoid.py"
HINGE = "spec/loss_functions/test_hinge_loss.py"
SOFTMAX = "spec/loss_functions/test_softmax.py"
FEW = "test_sigmoid_is_symmetric or test_sigmoid_values or test_hidden or test_hinge_loss_of_equal"


def test_a_failing_submission_scores_what_passes_and_hides_what_is_hidden_also_in_junit_xml(tmp_path):
    folder = write_package(tmp_path / "student", losses="""
        import numpy as np

        def softmax(x):
            return np.full_like(x, 0.5)

        def sigmoid(x):
            return (1 / (1 + np.exp(-x))) ** 2  # in (0, 1), but not symmetric

        def svm_loss(x, y):  # the correct class's margin (always 1) is summed too: a known bug of the catalogue
            n = len(y)
            margins = np.maximum(0, x - x[np.arange(n), y][:, None] + 1)
            active = (margins > 0).astype(float)
            active[np.arange(n), y] = 0
            active[np.arange(n), y] = -active.sum(axis=1)
            return margins.sum() / n, active / n
        """)
    (tmp_path / "test_hidden.py").write_text(HIDDEN_PROPERTY)
    weights = tmp_path / "weights.txt"
    weights.write_text("# points per concept\nsigmoid = 6\nsoftmax = 3  # the hidden one\nhinge loss = 1\n")
    junit = tmp_path / "junit.xml"  # pytest's own JUnit XML, from the same run
    proc, results = gradescope(folder, tmp_path, "--weights", str(weights),
                               pytest_args=[SIGMOID, HINGE, str(tmp_path / "test_hidden.py"), "-k", FEW,
                                            "--junitxml", str(junit)])
    assert proc.returncode == 1, proc.stdout + proc.stderr
    tests = {t["name"]: t for t in validate(results)}
    assert set(tests) == {"sigmoid: test_sigmoid_values_are_probabilities", "sigmoid: test_sigmoid_is_symmetric",
                          "softmax: test_hidden_rows_sum_to_one",
                          "hinge loss: test_hinge_loss_of_equal_scores_is_C_minus_1"}, set(tests)
    values = tests["sigmoid: test_sigmoid_values_are_probabilities"]
    symmetric = tests["sigmoid: test_sigmoid_is_symmetric"]
    assert "Usual cause" not in symmetric["output"]  # no known bug returns these values: no suggestion
    assert values["max_score"] == symmetric["max_score"] == 3.0 and values["tags"] == ["sigmoid"]
    assert values["status"] == "passed" and values["score"] == 3.0 and values["output"].startswith("Passed.")
    assert symmetric["status"] == "failed" and symmetric["score"] == 0 and "Lecture: TUM I2DL" in symmetric["output"]
    assert "x = " in symmetric["output"]  # a property that is not hidden shows its input
    # The failure suggests the known bug of the mutant catalogue that returns exactly the student's values, in
    # results.json and under the failure's line in the scorecard.
    hinge = tests["hinge loss: test_hinge_loss_of_equal_scores_is_C_minus_1"]
    assert hinge["status"] == "failed" and "Usual cause: your svm_loss returns what this known bug returns here: " \
        "Sums the margin over every class" in hinge["output"], hinge["output"]
    assert "      Usual cause: your svm_loss" in proc.stdout
    hidden = tests["softmax: test_hidden_rows_sum_to_one"]
    assert hidden["status"] == "failed" and hidden["max_score"] == 3.0
    assert hidden["output"].startswith(HIDDEN_MESSAGE.format(statement="Rows sum to one (hidden)."))
    assert "SECRET" not in json.dumps(results)
    for leak in ("Falsifying", "reproduce", "np.allclose", "x = ", "x=", "array("):
        assert leak not in hidden["output"], leak
    assert results["score"] == 3.0 and "hypothesis profile: grading" in results["output"]
    assert "Usual cause" not in hidden["output"]

    # JUnit XML records the concept (and lecture, statement) on each test case, and hides hidden failures too.
    cases = {case.get("name"): {p.get("name"): p.get("value") for p in case.iter("property")}
             for case in ET.parse(junit).iter("testcase")}
    assert {name: props["spec_concept"] for name, props in cases.items()} == {
        "test_sigmoid_values_are_probabilities": "sigmoid", "test_sigmoid_is_symmetric": "sigmoid",
        "test_hidden_rows_sum_to_one": "softmax", "test_hinge_loss_of_equal_scores_is_C_minus_1": "hinge loss"}
    assert all(props["spec_lecture"] and props["spec_statement"] for props in cases.values())
    assert "SECRET" not in junit.read_text() and "Rows sum to one (hidden)." in junit.read_text()


def test_a_submission_that_does_not_import_fails_every_property_with_the_reason(tmp_path):
    """Through the example autograder script, laid out as Gradescope does: the modules uploaded at the top level."""
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "losses.py").write_text("import numpy as np\n\ndef softmax(x):\n    return x +\n")
    (root / "source").symlink_to(ROOT)
    proc = subprocess.run(
        ["bash", str(ROOT / "autograder" / "run_autograder")], capture_output=True, text=True, timeout=300,
        env={**os.environ, "AUTOGRADER_ROOT": str(root), "PYTHON": sys.executable,
             "SPEC_CHECK_ARGS": f"{SIGMOID} -k symmetric", "SPEC_WEIGHTS": "none"},
    )
    out = root / "results" / "results.json"
    assert out.exists(), proc.stdout + proc.stderr
    tests = validate(json.loads(out.read_text()))
    assert len(tests) == 1 and tests[0]["status"] == "failed" and tests[0]["score"] == 0
    assert "could not be imported" in tests[0]["output"] and 'losses.py", line 4' in tests[0]["output"]
    assert "Property: " in tests[0]["output"] and "sigmoid(-x) = 1 - sigmoid(x)" in tests[0]["output"]


def test_a_run_that_hangs_is_stopped_at_the_time_limit_and_every_property_fails(tmp_path):
    folder = write_package(tmp_path / "hangs", losses="import time\n\ntime.sleep(3600)\n")  # at import time
    # The limit starts once the properties are listed; the run's pytest reaches the import in about a second.
    proc, results = gradescope(folder, tmp_path, "--time-limit", "3", "--per", "concept",
                               pytest_args=[SIGMOID, "-k", "symmetric or values_are"])
    assert proc.returncode == 1
    (test,) = validate(results)
    assert test["name"] == "sigmoid" and test["number"] == "1" and test["max_score"] == 2.0
    assert test["status"] == "failed" and test["score"] == 0
    assert "time limit of 3 s" in test["output"] and "time limit of 3 s" in results["output"]
    assert results["execution_time"] >= 3


def test_a_worker_that_crashes_fails_only_the_property_it_was_running(tmp_path):
    folder = write_package(tmp_path / "crashes", losses="""
        import os
        import numpy as np

        def softmax(x):
            os._exit(3)

        def sigmoid(x):
            return 1 / (1 + np.exp(-x))
        """)
    # The crashing property first: the sigmoid property then runs on the worker that replaced the crashed one.
    proc, results = gradescope(folder, tmp_path, "-n", "1",
                               pytest_args=[SOFTMAX, SIGMOID, "-k", "test_sigmoid_is_symmetric or "
                                            "test_softmax_rows_are_probability_vectors"])
    tests = {t["name"]: t for t in validate(results)}
    crashed = tests["softmax: test_softmax_rows_are_probability_vectors"]
    assert crashed["status"] == "failed" and "crashed" in crashed["output"], crashed
    assert tests["sigmoid: test_sigmoid_is_symmetric"]["status"] == "passed"
    assert results["score"] == 1.0


def test_a_run_that_dies_without_results_names_the_reason():
    died = grading.Outcome(returncode=-11, timed_out=False, output="..s\nFatal Python error: Segmentation fault\n")
    reason = grading.reason_for(died, None)
    assert "killed by SIGSEGV" in reason and "Fatal Python error" in reason
    exited = grading.reason_for(grading.Outcome(3, False, "ss."), None)
    assert "exit status 3" in exited and "The end of its output" not in exited


MANIFEST = [
    {"id": "a.py::test_one", "concept": "softmax", "lecture": "L1", "statement": "One.", "hidden": False},
    {"id": "a.py::test_two", "concept": "softmax", "lecture": "L1", "statement": "Two.", "hidden": True},
    {"id": "b.py::test_three[v1]", "concept": "hinge loss", "lecture": "L2", "statement": "Three.", "hidden": False},
    {"id": "b.py::test_four", "concept": "hinge loss", "lecture": "L2", "statement": "Four.", "hidden": False},
]


def _records(**statuses):
    records = {}
    for entry in MANIFEST:
        status = statuses.get(entry["id"].split("::")[1].split("[")[0])
        if status:
            records[entry["id"]] = {**entry, "status": status, "message": f"SECRET {status}", "duration": 0.1}
    return records


def test_results_per_property_split_the_concept_points_and_fill_in_what_did_not_run():
    records = _records(test_one="passed", test_two="failed", test_three="not implemented")
    weights = grading.parse_weights("softmax = 3\nhinge loss = 1\n")
    results = grading.build(MANIFEST, records, weights=weights, per="property", reason="The run was stopped.")
    tests = validate(results)
    assert [t["number"] for t in tests] == ["1.1", "1.2", "2.1", "2.2"]
    assert [t["max_score"] for t in tests] == [1.5, 1.5, 0.5, 0.5] and results["score"] == 1.5
    assert tests[0]["name"] == "softmax: test_one" and tests[2]["name"] == "hinge loss: test_three[v1]"
    assert "SECRET" not in tests[1]["output"] and tests[1]["output"].startswith("This hidden property failed")
    assert tests[2]["output"].startswith("Not implemented yet")
    assert tests[3]["output"].startswith("This property did not run. The run was stopped.")
    unrun = grading.build(MANIFEST, {}, reason="The run was stopped.")["tests"][1]  # hidden: the reason is shown
    assert unrun["output"].startswith("This property did not run. The run was stopped.")


def test_results_per_concept_give_partial_credit_and_list_each_property():
    records = _records(test_one="passed", test_two="failed", test_three="passed", test_four="passed")
    results = grading.build(MANIFEST, records, per="concept")  # no weights: a point a property
    softmax, hinge = validate(results)
    assert (softmax["name"], softmax["score"], softmax["max_score"], softmax["status"]) == ("softmax", 1, 2, "failed")
    assert (hinge["score"], hinge["max_score"], hinge["status"]) == (2, 2, "passed") and hinge["tags"] == ["hinge loss"]
    assert "[passed] test_one" in softmax["output"] and "[FAILED] test_two" in softmax["output"]
    assert "SECRET" not in softmax["output"] and results["score"] == 3


def test_weights_files_text_and_json():
    weights = grading.parse_weights(textwrap.dedent("""
        # a comment
        default = 0.5
        cross-entropy loss = 2   # a name with spaces and a dash

        softmax=1
        """))
    assert weights.points == {"cross-entropy loss": 2.0, "softmax": 1.0} and weights.default == 0.5
    assert weights.concept_points("hinge loss", 7) == 0.5
    assert grading.parse_weights('{"softmax": 2}', json_format=True).concept_points("sigmoid", 3) == 0.0
    assert grading.Weights().concept_points("sigmoid", 3) == 3.0  # no weights file: a point a property
    for bad, error in [("softmax 2", "line 1: expected 'concept = points'"), ("softmax = two", "not a number"),
                       ("softmax = -1", ">= 0"), ("softmax = 1\nsoftmax = 2", "given twice")]:
        with pytest.raises(grading.WeightsError, match=error):
            grading.parse_weights(bad)


def test_the_example_weights_name_concepts_of_the_spec_and_a_typo_is_an_error(tmp_path):
    concepts = grading.spec_concepts()
    grading.load_weights(ROOT / "autograder" / "weights.txt", concepts)
    typo = tmp_path / "weights.txt"
    typo.write_text("sofmax = 2\n")
    with pytest.raises(grading.WeightsError, match="'sofmax', which is not a concept of the spec"):
        grading.load_weights(typo, concepts)


def test_a_misconfigured_autograder_still_writes_results(tmp_path, capsys):
    bad = tmp_path / "weights.txt"
    bad.write_text("softmax = lots\n")
    out = tmp_path / "results.json"
    assert grading.check(["unused"], out, weights_file=str(bad)) == 2
    results = json.loads(out.read_text())
    assert results["score"] == 0 and results["tests"] == [] and "misconfigured" in results["output"]


def test_a_bug_in_the_autograder_itself_still_writes_results(tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(grading, "_check", broken)
    out = tmp_path / "results.json"
    assert grading.check(["unused"], out) == 2
    results = json.loads(out.read_text())
    assert results["tests"] == [] and "RuntimeError: something unforeseen" in results["output"]


def test_the_grading_profile_gives_every_submission_the_same_inputs():
    from hypothesis import settings

    import spec.harness.settings  # noqa: F401  (registers the profiles)

    grading_profile = settings.get_profile("grading")
    assert grading_profile.derandomize and grading_profile.database is None and not grading_profile.print_blob
