"""`python -m spec plot`: the figures of an implementation's optimizers next to the reference's.

matplotlib is an optional extra, so the tests that draw skip without it; the one that checks the message for a
missing matplotlib runs everywhere (it hides matplotlib from the import system). A student's package is drawn in a
subprocess: loading one refuses the reference's imports for the rest of the process.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spec import __main__ as cli
from spec import plot

REPO = Path(__file__).resolve().parents[1]
FILES = ["update_rules_quadratic.png", "update_rules_rosenbrock.png", "second_order.png", "overfitting.png",
         "schedules.png"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_without_matplotlib_the_command_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` raises ImportError
    status = cli.main(["plot", "--out", str(tmp_path / "figures")])
    err = capsys.readouterr().err
    assert status != 0
    assert "matplotlib, which is not installed" in err
    assert 'pip install -e ".[plot]"' in err and "pip install matplotlib" in err
    assert not (tmp_path / "figures").exists()


def test_the_plot_extra_is_optional_and_not_a_dependency():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["optional-dependencies"]["plot"] == ["matplotlib>=3.7"]
    assert not any(d.startswith("matplotlib") for d in project["dependencies"])


def _small(monkeypatch):
    """Fewer first-order steps: the pictures are the same kind, drawn faster."""
    for problem in plot.PROBLEMS:
        monkeypatch.setattr(problem, "steps", 20)


def _check_pngs(folder: Path):
    for name in FILES:
        data = (folder / name).read_bytes()
        assert data.startswith(PNG_MAGIC), name
        assert len(data) > 20_000, f"{name} is nearly empty"


def test_the_reference_alone(monkeypatch, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    monkeypatch.delenv("SPEC_IMPL", raising=False)
    _small(monkeypatch)
    assert plot.main(None, str(tmp_path / "figures")) == 0
    out = capsys.readouterr().out
    assert "Figures of the reference implementation (impl)" in out and "pass --impl" in out
    assert "Not drawn" not in out  # the reference draws everything
    _check_pngs(tmp_path / "figures")


BROKEN_OPTIM = '''
import numpy as np


def sgd(w, dw, config=None):
    config = {"learning_rate": 1e-2, **(config or {})}
    return w - config["learning_rate"] * dw, config


def sgd_momentum(w, dw, config=None):
    raise NotImplementedError


def rmsprop(w, dw, config=None):
    return np.array([0.0]), config or {}  # the wrong shape


def adam(w, dw, config=None):
    raise ValueError("t is unset")
'''

BROKEN_SCHEDULES = '''
def inverse_time_decay(lr0, epoch, decay_rate=1.0):
    return lr0 / (1 + decay_rate * epoch)


def exponential_decay(lr0, epoch, decay_rate=0.95):
    return lr0 / epoch  # ZeroDivisionError at epoch 0
'''


def test_a_broken_student_package_is_drawn_next_to_the_reference(tmp_path):
    pytest.importorskip("matplotlib")
    package = tmp_path / "my_impl"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "optim.py").write_text(BROKEN_OPTIM)
    (package / "schedules.py").write_text(BROKEN_SCHEDULES)
    out = tmp_path / "figures"
    # As `python -m spec plot --impl my_impl --out figures`, with fewer first-order steps (the test's only change).
    script = textwrap.dedent(f"""
        import sys
        from spec import __main__ as cli, plot
        for problem in plot.PROBLEMS:
            problem.steps = 20
        sys.exit(cli.main(["plot", "--impl", {str(package)!r}, "--out", {str(out)!r}]))
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SPEC_IMPL", None)
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = proc.stdout
    assert "Figures of my_impl (solid) next to the reference (dashed)" in text
    assert "sgd (" not in text  # a correct rule is drawn, not reported
    assert "sgd_momentum (" in text and "my_impl.optim.sgd_momentum raises NotImplementedError" in text
    assert "my_impl.optim.rmsprop's next_w has shape (1,), the contract says" in text  # the contract's words
    assert "ValueError: t is unset (raised in your optim.py, line 19, in adam)" in text
    assert "ZeroDivisionError" in text and "your schedules.py, line 7, in exponential_decay" in text
    assert "step_decay is not defined in my_impl.schedules" in text
    assert "no newton.py in" in text and "no least_squares.py in" in text
    assert "RuntimeWarning" not in proc.stderr
    _check_pngs(out)


def test_a_diverging_rule_is_reported_and_drawn_up_to_there(monkeypatch):
    """A rule that returns nan is not an exception: the path stops at the last finite point, and the run says so."""

    class NanImplementation:
        is_reference = False
        import_name = "nan_impl"

        def lookup(self, fn):
            return (lambda w, dw, config=None: (w * float("nan"), config or {})), None

    runner = plot.Runner(NanImplementation())
    monkeypatch.setattr(plot.checked, "CheckedFunction", lambda fn, target, impl: target)
    outcome = plot.rule_path(runner, "sgd", plot.PROBLEMS[0])
    assert outcome.data.shape == (1, 2)  # the start only
    assert outcome.failure == "the iterate became [nan, nan] (not finite) at step 1"
    assert runner.failures == [("sgd", "update rules on quadratic", outcome.failure)]
