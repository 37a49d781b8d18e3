"""The benchmark's pieces run and print what they should, on tiny sizes (`python -m spec bench`; nothing here is
timed: performance is measured by the benchmark, never asserted)."""

from __future__ import annotations

import numpy as np
import pytest

from impl import layers, losses, optim
from spec.__main__ import main
from spec.bench import operations, suite
from spec.bench.cli import PARTS

STATISTICS = """\
============================ Hypothesis Statistics =============================
spec/update_rules/test_sgd.py::test_sgd_step_is_minus_learning_rate_times_gradient:

  - during reuse phase (0.00 seconds):
    - Typical runtimes: ~ 1ms, of which < 1ms in data generation
    - 1 passing examples, 0 failing examples, 0 invalid examples

  - during generate phase (0.43 seconds):
    - Typical runtimes: ~ 0-9 ms, of which ~ 0-8 ms in data generation
    - 100 passing examples, 0 failing examples, 3 invalid examples

  - Stopped because settings.max_examples=100


spec/x.py::test_y[compute_distances_one_loop]:

  - during generate phase (0.01 seconds):
    - 7 passing examples, 1 failing examples, 0 invalid examples


spec/z.py::test_newer_hypothesis_words_it_so:
  - during generate phase (0.09 seconds):
    - Typical runtimes: < 1ms, of which < 1ms in data generation
    - 100 passing, 0 failing, and 2 invalid test cases
  - Stopped because settings.max_examples=100
"""


def test_statistics_are_parsed_into_test_cases_per_property():
    assert suite.parse_statistics(STATISTICS) == {
        "spec/update_rules/test_sgd.py::test_sgd_step_is_minus_learning_rate_times_gradient": 104,
        "spec/x.py::test_y[compute_distances_one_loop]": 8,
        "spec/z.py::test_newer_hypothesis_words_it_so": 102,
    }


def test_the_loop_alternatives_compute_what_the_reference_does():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((7, 4)), rng.integers(0, 4, 7)
    loss, dx = operations.softmax_loss_loop(x, y)
    ref_loss, ref_dx = losses.softmax_loss(x, y)
    assert loss == pytest.approx(ref_loss) and np.allclose(dx, ref_dx)

    x, w, b, dout = (rng.standard_normal(s) for s in ((5, 6), (6, 3), (3,), (5, 3)))
    out, cache = layers.affine_forward(x, w, b)
    assert all(np.allclose(a, r) for a, r in
               zip(operations.affine_loop(x, w, b, dout), (out, *layers.affine_backward(dout, cache))))

    w, dw, m, v = rng.standard_normal(9), rng.standard_normal(9), rng.standard_normal(9), rng.random(9)
    expected, _ = optim.adam(w, dw, {"m": m.copy(), "v": v.copy(), "t": 2})
    assert np.allclose(operations.adam_loop(w, dw, m.copy(), v.copy(), 3), expected)


def test_bench_operations_prints_the_table_and_the_knn_ratio(capsys):
    assert main(["bench", "--only", "operations", "--scale", "0.01", "--op-repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "capped with threadpoolctl" in out and "BLAS at 1 thread(s) (threadpoolctl)" in out
    for name in ("softmax loss, forward and backward", "affine layer", "kNN distances, no loops", "Adam step"):
        assert name in out
    assert "N=500, C=2" in out  # 50,000 x 0.01, and at least 2 classes
    assert "alternative / reference" in out
    assert "faster than the one-loop version (issue 9's target: at least 20x)" in out
    try:
        import torch  # noqa: F401
    except ImportError:
        assert "PyTorch: skipped" in out
    else:
        assert "reference / PyTorch" in out


def test_bench_refuses_an_unknown_part(capsys):
    assert main(["bench", "--only", "operations,nonsense"]) == 2
    assert "unknown part nonsense" in capsys.readouterr().out
    assert PARTS == ("suite", "slowest", "operations", "growth")


def _run(label, workers, profile, wall, cpu, durations, examples):
    records = [{"id": f"spec/a.py::test_{i}", "status": "passed", "duration": d} for i, d in enumerate(durations)]
    return suite.Run(label, workers, profile, wall, cpu, 0, records,
                     {f"spec/a.py::test_{i}": n for i, n in enumerate(examples)})


def test_the_speed_up_the_balance_and_the_slowest_table_are_reported():
    sequential = _run("-n 0", "0", "ci", 100.0, 98.0, [6.0] + [1.0] * 11, [100] * 12)
    parallel = _run("-n 2", "2", "ci", 55.0, 104.0, [6.5] + [1.1] * 11, [100] * 12)
    parallel.workers_seen = {"gw0": {"first": 10.0, "last": 60.0, "cpu": 52.0, "tests": 7},
                             "gw1": {"first": 10.5, "last": 58.5, "cpu": 49.0, "tests": 5}}
    lines = []
    suite.compare_workers([sequential, parallel], out=lines.append)
    text = "\n".join(lines)
    assert "speed-up 1 -> 2 workers: 1.82x wall" in text and "holds" in text
    assert "scorecard with -n 2 under 60 s (issue 9's target): holds (55.0 s)" in text
    assert "busy 18.6 s of 2 x 55.0 s" in text
    assert "gw0: 7 tests, 52.0 s CPU, idle 0.0 s at the end, gw1: 5 tests, 49.0 s CPU, idle 1.5 s at the end" in text
    table = suite.slowest(sequential)
    assert len(table) == 2 + 10 and table[2] == "| `spec/a.py::test_0` | - | 6.00 | 100 |"
    sequential.cpu_times = {"spec/a.py::test_3": 7.5}
    assert suite.slowest(sequential)[2] == "| `spec/a.py::test_3` | 7.50 | 1.00 | 100 |"
    assert "12 properties, 12 passed, 1200 examples" in suite.describe(sequential)


def test_a_scorecard_run_records_durations_and_examples():
    """One real subprocess, narrowed to a one-property file: what the suite and slowest parts are built on."""
    run = suite.run_scorecard("0", "ci", extra=[str(suite.ROOT / "spec/update_rules/test_sgd.py")])
    assert run.returncode == 0, run.output[-2000:]
    assert [r["id"] for r in run.records] == ["spec/update_rules/test_sgd.py::"
                                              "test_sgd_step_is_minus_learning_rate_times_gradient"]
    assert run.examples[run.records[0]["id"]] >= 100  # the ci profile's 100, plus any explicit examples
    assert run.wall > 0 and run.cpu > 0
    assert 0 < run.cpu_times[run.records[0]["id"]] < run.cpu
