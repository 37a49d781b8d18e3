"""``python -m spec plot [--impl X] --out DIR``: pictures of an implementation's optimizers, next to the reference's.

Five PNG files, each with the implementation under test drawn solid and the reference (``impl/``) dashed:

- ``update_rules_quadratic.png``, ``update_rules_rosenbrock.png``: the paths of sgd, sgd_momentum, rmsprop and adam
  (module optim) over the contour lines of an ill-conditioned 2-D quadratic and of Rosenbrock's valley, and the loss
  along each path (log scale);
- ``second_order.png``: Newton's method (module newton) and Levenberg-Marquardt (module least_squares; Rosenbrock as
  the residuals r = (10 (x2 - x1^2), 1 - x1)) on the same two problems, and their loss histories;
- ``overfitting.png``: the loss curves of the debugging recipe of spec/training/test_overfitting.py (the trusted
  two-layer network and loop of spec/training/common.py, the implementation's update rules), one sample then five;
- ``schedules.png``: the learning-rate schedules (module schedules) over 60 epochs.

The implementation is loaded as the harness loads it (``--impl``, else ``$SPEC_IMPL``, else the reference) and every
call goes through the contract (spec/harness/checked.py), so a wrong shape is reported in the contract's words. A
function that is missing, raises NotImplementedError or fails is not drawn: its panel shows the reference alone and
says what happened, and so does the command's output. matplotlib is an optional extra (``pip install -e ".[plot]"``);
the suite itself never needs it.
"""

from __future__ import annotations

import copy
import math
import sys
import textwrap
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spec import contract
from spec.harness import checked, loading

INSTALL_HINT = (
    "python -m spec plot draws with matplotlib, which is not installed. It is an optional extra of this project, not "
    "a dependency of the suite; install it with\n"
    '  python -m pip install -e ".[plot]"      (in the repository\'s folder)\n'
    "or\n"
    "  python -m pip install matplotlib\n"
    "then run the command again."
)

RULES = ("sgd", "sgd_momentum", "rmsprop", "adam")
COLOURS = {"sgd": "#1f77b4", "sgd_momentum": "#d62728", "rmsprop": "#2ca02c", "adam": "#9467bd",
           "newton": "#1f77b4", "levenberg_marquardt": "#d62728",
           "inverse_time_decay": "#1f77b4", "step_decay": "#d62728", "exponential_decay": "#2ca02c"}
# The student's line is a wide pale band, the reference's a thin dashed line drawn over it: where they agree, the
# dashes run inside the band.
REFERENCE_STYLE = {"linestyle": (0, (4, 2.5)), "linewidth": 1.4, "alpha": 1.0, "zorder": 5}
STUDENT_STYLE = {"linestyle": "-", "linewidth": 4.0, "alpha": 0.45, "zorder": 4}
NOTE_COLOUR = "#b00020"
GRID = 200  # points per side of the grid the contour lines are drawn from
DPI = 90  # the figures are 15 to 20 inches wide: 1350 to 1800 pixels


# The problems: an ill-conditioned quadratic and Rosenbrock's valley, each as a loss (with gradient and Hessian) and
# as residuals (with Jacobian) for least squares.


@dataclass
class Problem:
    name: str  # in titles
    short: str  # in short titles
    key: str  # in messages
    start: np.ndarray
    minimizer: np.ndarray
    box: tuple  # (x1 min, x1 max, x2 min, x2 max) of the contour plot
    steps: int  # iterations of each first-order rule
    hyperparameters: dict  # rule -> its config at the start

    def fun(self, x):
        r = self.residuals(x)
        return float(r @ r)

    def grad(self, x):
        return 2.0 * self.jacobian(x).T @ self.residuals(x)


class Quadratic(Problem):
    """f(x) = 1/2 (x - c)^T A (x - c), A with eigenvalues 1 and 25 along axes turned by 30 degrees (condition number
    25): gradient descent zigzags across the valley and crawls along it. As residuals: r = L^T (x - c) with
    L L^T = A / 2 (Cholesky), so that sum(r**2) = f."""

    def __init__(self):
        turn = math.radians(30)
        Q = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
        self.A = Q @ np.diag([1.0, 25.0]) @ Q.T
        self.c = np.array([1.0, 1.0])
        self.L = np.linalg.cholesky(self.A / 2)
        super().__init__(
            name="an ill-conditioned quadratic, condition number 25", short="the quadratic",
            key="quadratic", start=np.array([-2.5, 0.0]), minimizer=self.c, box=(-3.5, 2.5, -1.5, 2.5), steps=100,
            hyperparameters={"sgd": {"learning_rate": 0.07},
                             "sgd_momentum": {"learning_rate": 0.005, "momentum": 0.9},
                             "rmsprop": {"learning_rate": 0.1},
                             "adam": {"learning_rate": 0.3}})

    def residuals(self, x):
        return self.L.T @ (x - self.c)

    def jacobian(self, x):
        return self.L.T.copy()

    def hess(self, x):
        return self.A.copy()


class Rosenbrock(Problem):
    """f(x) = 100 (x2 - x1^2)^2 + (1 - x1)^2 = sum(r**2) with r = (10 (x2 - x1^2), 1 - x1), from (-1.2, 1): a
    curved, nearly flat valley that first-order rules follow slowly."""

    def __init__(self):
        super().__init__(
            name="Rosenbrock's valley 100 (x2 - x1²)² + (1 - x1)²", short="Rosenbrock's valley",
            key="rosenbrock", start=np.array([-1.2, 1.0]), minimizer=np.array([1.0, 1.0]), box=(-1.6, 1.6, -0.6, 1.8),
            steps=1000,
            hyperparameters={"sgd": {"learning_rate": 1.5e-3},
                             "sgd_momentum": {"learning_rate": 5e-4, "momentum": 0.9},
                             "rmsprop": {"learning_rate": 1e-2},
                             "adam": {"learning_rate": 0.1}})

    def residuals(self, x):
        return np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])

    def jacobian(self, x):
        return np.array([[-20.0 * x[0], 10.0], [-1.0, 0.0]])

    def hess(self, x):
        return np.array([[1200.0 * x[0] ** 2 - 400.0 * x[1] + 2.0, -400.0 * x[0]], [-400.0 * x[0], 200.0]])


PROBLEMS = (Quadratic(), Rosenbrock())
SCHEDULES = {  # schedule -> its arguments after (lr0, epoch)
    "inverse_time_decay": {"decay_rate": 0.1},
    "step_decay": {"decay_rate": 0.5, "epochs_per_drop": 10},
    "exponential_decay": {"decay_rate": 0.95},
}
LR0, EPOCHS = 0.1, 60


# Running a contract function and saying what went wrong.


@dataclass
class Outcome:
    """What one run of one function gave: the data to draw (possibly partial) and, if it failed, why."""

    data: object = None
    failure: str | None = None


@dataclass
class Runner:
    """Runs contract functions of one implementation through the contract, collecting what failed."""

    impl: loading.Implementation | None
    failures: list = field(default_factory=list)  # (function, where, message)

    @property
    def label(self) -> str:
        if self.impl is None:
            return "?"
        return "the reference (impl)" if self.impl.is_reference else self.impl.import_name

    def function(self, name: str):
        """The implementation's function, wrapped in the contract; raises _Unavailable when there is none."""
        target, missing = self.impl.lookup(contract.get(name))
        if target is None:
            raise _Unavailable(f"not implemented: {missing}")
        return checked.CheckedFunction(contract.get(name), target, self.impl)

    def run(self, name: str, where: str, body, partial=lambda: None) -> Outcome:
        """body(f) with the implementation's function f; on failure, partial() (what body drew before it failed)
        and the reason."""
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):  # nan and inf are reported, not warned about
                warnings.simplefilter("ignore")
                return Outcome(body(self.function(name)))
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # NotImplementedError arrives as pytest's Skipped; a hang as a BaseException
            message = describe(exc, self.impl)
            self.failures.append((name, where, message))
            return Outcome(partial(), message)

    def problem(self, name: str, where: str, outcome: Outcome, message: str) -> None:
        """A run that returned but went wrong (nan, divergence): said on the figure and in the output."""
        if outcome.failure is None:
            outcome.failure = message
            self.failures.append((name, where, message))


class _Unavailable(Exception):
    pass


def describe(exc: BaseException, impl: loading.Implementation) -> str:
    """One line or a few saying what went wrong, in the harness's words."""
    import pytest

    if isinstance(exc, pytest.skip.Exception):
        return str(exc.msg)
    if isinstance(exc, (_Unavailable, contract.ContractViolation, loading.IntegrityError,
                        checked.ImplementationTimeout)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}{_raised_where(exc, impl)}"


def _raised_where(exc: BaseException, impl: loading.Implementation) -> str:
    if impl is None or impl.is_reference:
        return ""
    import traceback

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.is_absolute() and path.resolve().is_relative_to(impl.folder):
            return f" (raised in your {path.name}, line {frame.lineno}, in {frame.name})"
    return ""


# What is drawn: the data of each figure for one implementation.


def rule_path(runner: Runner, rule: str, problem: Problem) -> Outcome:
    """The iterates x_0 .. x_steps of rule(w, dw, config) on the problem, from its start, config passed along."""
    points = [problem.start.copy()]

    def body(f):
        w, config = problem.start.copy(), copy.deepcopy(problem.hyperparameters[rule])
        for _ in range(problem.steps):
            w, config = f(w, problem.grad(w), config)
            points.append(np.array(w, dtype=np.float64, copy=True))
            if not np.all(np.isfinite(points[-1])) or np.max(np.abs(points[-1])) > 1e6:
                break
        return np.array(points)

    where = f"update rules on {problem.key}"
    outcome = runner.run(rule, where, body, partial=lambda: np.array(points))
    path = np.asarray(outcome.data, dtype=np.float64).reshape(-1, 2)
    finite = np.all(np.isfinite(path), axis=1)
    if not finite.all():
        steps = int(np.argmin(finite))
        runner.problem(rule, where, outcome, f"the iterate became {path[steps].tolist()} (not finite) at step {steps}")
        path = path[:steps]
    elif len(path) and np.max(np.abs(path[-1])) > 1e6:
        runner.problem(rule, where, outcome, f"diverged: |x| > 1e6 after {len(path) - 1} steps")
    outcome.data = path
    return outcome


def second_order_path(runner: Runner, method: str, problem: Problem) -> Outcome:
    """The iterates of newton or levenberg_marquardt (the points where the Hessian, or the Jacobian, was evaluated,
    then the final x) and the loss history the solver returned."""
    points = []

    def recording(fn):
        def wrapped(x):
            x = np.array(x, dtype=np.float64, copy=True)
            if not points or not np.array_equal(points[-1], x):
                points.append(x)
            return fn(x)
        return wrapped

    def body(f):
        if method == "newton":
            result = f(problem.fun, problem.grad, recording(problem.hess), problem.start.copy(), gtol=1e-10,
                       max_iter=100)
        else:
            result = f(problem.residuals, recording(problem.jacobian), problem.start.copy())
        path = points + ([] if points and np.array_equal(points[-1], result.x) else [np.asarray(result.x)])
        return np.array(path), np.asarray(result.loss_history, dtype=np.float64)

    where = f"{method} on {problem.key}"
    outcome = runner.run(method, where, body,
                         partial=lambda: (np.array(points, dtype=np.float64).reshape(-1, 2), None))
    path, history = outcome.data
    if not np.all(np.isfinite(path)) or (history is not None and not np.all(np.isfinite(history))):
        runner.problem(method, where, outcome, "an iterate or the loss_history is not finite (nan or inf)")
    return outcome


class _RecordingNet:
    """Wraps the trusted network so that the losses seen so far survive an update rule that raises."""

    def __init__(self, net):
        self.net, self.losses = net, []

    def __getattr__(self, name):
        return getattr(self.net, name)

    def loss(self, X, y=None):
        out = self.net.loss(X, y)
        if y is not None:
            self.losses.append(out[0])
        return out


def overfitting_curves(runner: Runner, rule: str) -> dict:
    """{1: Outcome(losses), 5: Outcome(losses)}: the recipe of spec/training/test_overfitting.py on its fixed
    example, with the implementation's rule."""
    from spec.training import test_overfitting as recipe
    from spec.training.common import TrustedTwoLayerNet, overfit

    seed, X, y = recipe.EXAMPLE
    curves = {}
    for n, budget in recipe.BUDGETS.items():
        net = _RecordingNet(TrustedTwoLayerNet(recipe.D, recipe.H, recipe.C, recipe.WEIGHT_SCALE, seed))
        net.params = net.net.params  # overfit() assigns net.params[key]: the wrapped network's own dict

        def body(f, net=net, n=n, budget=budget):
            overfit(f, net, X[:n], y[:n], recipe.HYPERPARAMETERS[rule], budget, recipe.TARGET_LOSS)
            return np.array(net.losses)

        where = f"overfitting {n} sample{'s' if n > 1 else ''}"
        outcome = runner.run(rule, where, body, partial=lambda net=net: np.array(net.losses))
        losses = np.asarray(outcome.data, dtype=np.float64)
        if not np.all(np.isfinite(losses)):
            at = int(np.argmin(np.isfinite(losses)))
            runner.problem(rule, where, outcome, f"the loss became {losses[at]} at iteration {at}")
        curves[n] = outcome
    return curves


def schedule_curve(runner: Runner, name: str) -> Outcome:
    values = []

    def body(f):
        for epoch in range(EPOCHS):
            values.append(float(f(LR0, epoch, **SCHEDULES[name])))
        return np.array(values)

    return runner.run(name, "schedules", body, partial=lambda: np.array(values))


def compute(runner: Runner) -> dict:
    """Everything the figures draw, for one implementation."""
    data = {"rules": {}, "second": {}, "overfitting": {}, "schedules": {}}
    if runner.impl is None:
        return data
    for problem in PROBLEMS:
        for rule in RULES:
            data["rules"][problem.key, rule] = rule_path(runner, rule, problem)
        for method in ("newton", "levenberg_marquardt"):
            data["second"][problem.key, method] = second_order_path(runner, method, problem)
    for rule in RULES:
        data["overfitting"][rule] = overfitting_curves(runner, rule)
    for name in SCHEDULES:
        data["schedules"][name] = schedule_curve(runner, name)
    return data


# Drawing.


def _note(ax, lines: list[str], width: int = 58, right: bool = False):
    """The failures of a panel, in red, in a box in a bottom corner of the axes."""
    if not lines:
        return
    wrapped = []
    for line in lines:
        parts = textwrap.wrap(line, width)
        wrapped += parts[:4] + (["  ..."] if len(parts) > 4 else [])
    ax.text(0.98 if right else 0.02, 0.02, "\n".join(wrapped), transform=ax.transAxes, fontsize=7.5,
            color=NOTE_COLOUR, va="bottom", ha="right" if right else "left", multialignment="left", zorder=10,
            family="monospace",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": NOTE_COLOUR, "alpha": 0.92})


def _failure_lines(who: str, name: str, outcome: Outcome | None) -> list[str]:
    if outcome is None or outcome.failure is None:
        return []
    data = outcome.data[0] if isinstance(outcome.data, tuple) else outcome.data
    finite = 0
    if data is not None and len(data):
        values = np.asarray(data, dtype=np.float64).reshape(len(data), -1)
        finite = int(np.all(np.isfinite(values), axis=1).sum())
    if finite > 1:
        drawn = "drawn up to there"
    else:
        drawn = "not drawn" if who.startswith("the reference") else "the reference alone is drawn"
    return [f"{who} {name}: {outcome.failure} ({drawn})"]


def _limits(problem: Problem, paths) -> tuple:
    """The problem's box, grown to hold the paths (up to four times its size: a path that runs away further
    leaves the picture)."""
    x0, x1, y0, y1 = problem.box
    w, h = x1 - x0, y1 - y0
    points = [np.asarray(p)[np.all(np.isfinite(p), axis=1)] for p in paths if p is not None and len(p)]
    points = np.concatenate(points) if points else np.zeros((0, 2))
    if points.size:
        lo, hi = points.min(axis=0), points.max(axis=0)
        x0, x1 = max(min(x0, lo[0] - 0.05 * w), x0 - 1.5 * w), min(max(x1, hi[0] + 0.05 * w), x1 + 1.5 * w)
        y0, y1 = max(min(y0, lo[1] - 0.05 * h), y0 - 1.5 * h), min(max(y1, hi[1] + 0.05 * h), y1 + 1.5 * h)
    return x0, x1, y0, y1


def _contours(ax, problem: Problem, box=None, equal=True):
    box = box or problem.box
    x1 = np.linspace(box[0], box[1], GRID)
    x2 = np.linspace(box[2], box[3], GRID)
    X1, X2 = np.meshgrid(x1, x2)
    F = _grid_loss(problem, X1, X2)
    low, high = max(F.min(), 1e-3), F.max()
    levels = np.geomspace(low, high, 18)
    ax.contourf(X1, X2, F, levels=levels, norm=_lognorm(low, high), cmap="Greys_r", alpha=0.35, extend="both")
    ax.contour(X1, X2, F, levels=levels, norm=_lognorm(low, high), colors="0.45", linewidths=0.5)
    ax.plot(*problem.minimizer, marker="*", markersize=15, color="gold", markeredgecolor="black", zorder=6,
            linestyle="none", label="minimizer")
    ax.plot(*problem.start, marker="o", markersize=7, color="white", markeredgecolor="black", zorder=6,
            linestyle="none", label="start")
    if equal:  # lengths in x1 and x2 alike, so that the valley's shape is the true one
        ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")


def _grid_loss(problem: Problem, X1, X2):
    if isinstance(problem, Quadratic):
        E1, E2 = X1 - problem.c[0], X2 - problem.c[1]
        A = problem.A
        return 0.5 * (A[0, 0] * E1 * E1 + 2 * A[0, 1] * E1 * E2 + A[1, 1] * E2 * E2)
    return 100.0 * (X2 - X1**2) ** 2 + (1.0 - X1) ** 2


def _lognorm(low, high):
    from matplotlib.colors import LogNorm

    return LogNorm(vmin=low, vmax=high)


def _path(ax, path, colour, style, label, markers):
    if path is None or len(path) == 0:
        return
    path = np.asarray(path)
    ax.plot(path[:, 0], path[:, 1], color=colour, label=label, marker="o" if markers else None,
            markersize=5 if style is STUDENT_STYLE else 2.5, **style)


def _losses_along(problem: Problem, path):
    if path is None or len(path) == 0:
        return np.array([])
    return np.array([problem.fun(p) for p in np.asarray(path)])


ZERO_FLOOR = 1e-32  # where a loss of exactly 0 is drawn on a log scale


def _semilog(ax, values, colour, style, label):
    """values against their index on a log scale; an exact 0 (Rosenbrock's residuals at (1, 1)) drawn at
    ZERO_FLOOR, with a triangle, and the axis label saying so."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return
    zero = values == 0
    shown = np.where(zero, ZERO_FLOOR, np.where(values > 0, values, np.nan))
    ax.semilogy(np.arange(values.size), shown, color=colour, label=label, **style)
    ax.xaxis.set_major_locator(_integer_ticks())
    if zero.any():
        ax.plot(np.flatnonzero(zero), shown[zero], marker="v", color=colour, linestyle="none", markersize=7)
        if "exactly 0" not in ax.get_ylabel():
            ax.set_ylabel(ax.get_ylabel() + f"\n(▼: exactly 0, drawn at {ZERO_FLOOR:g})")


def _integer_ticks():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10])


def _pair(ref, student):
    """The two things to draw: (outcome, style, who) for the reference and, when there is one, the student."""
    pairs = [(ref, REFERENCE_STYLE, "reference")]
    if student is not None:
        pairs.append((student, STUDENT_STYLE, "yours"))
    return pairs


def _who_failed(who: str, names: tuple) -> str:
    return "the reference's" if who == "reference" else "your"


def _style_legend(ax, names: tuple, entries=(), **kwargs):
    """A legend of colours (entries: (colour, text)) and of line styles (dashed: the reference, solid: yours)."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colour, linewidth=2.5, label=text) for colour, text in entries]
    handles.append(Line2D([], [], color="black", label="reference (impl)", **REFERENCE_STYLE))
    if names[1] is not None:
        handles.append(Line2D([], [], color="black", label=f"yours ({names[1]})", **STUDENT_STYLE))
    ax.legend(handles=handles, **{"fontsize": 8, "framealpha": 0.9, **kwargs})


def _markers(ax, problem: Problem):
    from matplotlib.lines import Line2D

    return [Line2D([], [], marker="*", markersize=12, color="gold", markeredgecolor="black", linestyle="none",
                   label="minimizer"),
            Line2D([], [], marker="o", markersize=7, color="white", markeredgecolor="black", linestyle="none",
                   label="start")]


def _path_legend(ax, names: tuple, colour: str):
    from matplotlib.lines import Line2D

    handles = _markers(ax, None)
    handles.append(Line2D([], [], color=colour, label="reference (impl)", **REFERENCE_STYLE))
    if names[1] is not None:
        handles.append(Line2D([], [], color=colour, label=f"yours ({names[1]})", **STUDENT_STYLE))
    ax.legend(handles=handles, loc="best", fontsize=8, framealpha=0.9)


def figure_update_rules(plt, problem: Problem, ref: dict, student: dict | None, names: tuple):
    fig, axes = plt.subplots(2, 4, figsize=(20, 7.6), gridspec_kw={"height_ratios": [2.3, 1.3]})
    for column, rule in enumerate(RULES):
        ax, loss_ax = axes[0, column], axes[1, column]
        _contours(ax, problem)
        loss_ax.set_xlabel("iteration")
        loss_ax.set_ylabel("loss f(x) (log scale)")
        notes = []
        for outcome, style, who in _pair(ref["rules"][problem.key, rule],
                                          None if student is None else student["rules"][problem.key, rule]):
            _path(ax, outcome.data, COLOURS[rule], style, who, markers=problem.steps <= 150)
            _semilog(loss_ax, _losses_along(problem, outcome.data), COLOURS[rule], style, who)
            notes += _failure_lines(_who_failed(who, names), rule, outcome)
        config = ", ".join(f"{k} {v:g}" for k, v in problem.hyperparameters[rule].items())
        ax.set_title(f"{rule}\n({config}; {problem.steps} steps)", fontsize=11)
        _path_legend(ax, names, COLOURS[rule])
        _note(loss_ax, notes, width=52)  # a falling loss leaves the lower left corner free
        loss_ax.grid(True, which="major", alpha=0.3)
    fig.suptitle(f"Update rules on {problem.name}: {_who(names)}", fontsize=14)
    fig.tight_layout()
    return fig


SECOND_ORDER_TITLES = {"newton": "Newton's method (newton)",
                       "levenberg_marquardt": "Levenberg-Marquardt (least_squares.levenberg_marquardt)"}


def figure_second_order(plt, ref: dict, student: dict | None, names: tuple):
    fig, axes = plt.subplots(2, 3, figsize=(18, 11))
    methods = ("newton", "levenberg_marquardt")
    for row, problem in enumerate(PROBLEMS):
        outcomes = {m: _pair(ref["second"][problem.key, m],
                             None if student is None else student["second"][problem.key, m]) for m in methods}
        paths = [o.data[0] for pairs in outcomes.values() for o, _, _ in pairs if o.data is not None]
        box = _limits(problem, paths)
        loss_ax = axes[row, 2]
        loss_ax.set_xlabel("iteration (accepted steps)")
        loss_ax.set_ylabel("loss_history (log scale)")
        for column, method in enumerate(methods):
            ax = axes[row, column]
            _contours(ax, problem, box, equal=box == problem.box)
            notes = []
            for outcome, style, who in outcomes[method]:
                path, history = outcome.data if outcome.data is not None else (None, None)
                _path(ax, path, COLOURS[method], style, who, markers=True)
                if history is not None:
                    _semilog(loss_ax, history, COLOURS[method], style, who)
                notes += _failure_lines(_who_failed(who, names), method, outcome)
            ax.set_title(f"{SECOND_ORDER_TITLES[method]}\non {problem.name}", fontsize=11)
            _path_legend(ax, names, COLOURS[method])
            _note(ax, notes, width=60)
        loss_ax.set_title(f"the loss at each iterate, on {problem.short}", fontsize=11)
        loss_ax.grid(True, which="major", alpha=0.3)
        _style_legend(loss_ax, names, [(COLOURS[m], m) for m in methods], loc="upper right")
    fig.suptitle(f"Second-order methods: {_who(names)}\n(dots: the points where the Hessian, or the Jacobian, was "
                 "evaluated, then the result's x)", fontsize=14)
    fig.tight_layout()
    return fig


def figure_overfitting(plt, ref: dict, student: dict | None, names: tuple):
    from spec.training import test_overfitting as recipe

    fig, axes = plt.subplots(1, 2, figsize=(15, 6.5))
    for ax, n in zip(axes, recipe.BUDGETS):
        ax.set_xlabel("iteration (the whole batch at each)")
        ax.set_ylabel("cross-entropy loss (log scale)")
        notes = []
        for rule in RULES:
            for outcome, style, who in _pair(ref["overfitting"][rule][n],
                                              None if student is None else student["overfitting"][rule][n]):
                _semilog(ax, outcome.data, COLOURS[rule], style, who)
                notes += _failure_lines(_who_failed(who, names), rule, outcome)
        ax.axhline(recipe.TARGET_LOSS, color="black", linestyle=":", linewidth=1.2)
        ax.text(recipe.BUDGETS[n], recipe.TARGET_LOSS, f"target {recipe.TARGET_LOSS:g} ", ha="right", va="bottom",
                fontsize=9)
        ax.axvline(recipe.BUDGETS[n], color="0.5", linestyle=":", linewidth=1)
        what = "one training sample" if n == 1 else f"{n} training samples"
        ax.set_title(f"Overfit {what}: below the target within {recipe.BUDGETS[n]} iterations", fontsize=12)
        ax.set_xlim(0, recipe.BUDGETS[n] + 2)
        ax.set_ylim(bottom=min(ax.get_ylim()[0], recipe.TARGET_LOSS / 30))  # room below the target for notes
        ax.grid(True, which="major", alpha=0.3)
        entries = [(COLOURS[r], f"{r} ({', '.join(f'{k} {v:g}' for k, v in recipe.HYPERPARAMETERS[r].items())})")
                   for r in RULES]
        _style_legend(ax, names, entries, loc="upper right")
        _note(ax, notes, width=75, right=True)  # the curves fall on the left
    fig.suptitle("Debugging by overfitting (I2DL lecture 6 recap): a trusted two-layer network trained with each "
                 f"update rule\n{_who(names)}; a run stops once its loss is below the target", fontsize=13)
    fig.tight_layout()
    return fig


def figure_schedules(plt, ref: dict, student: dict | None, names: tuple):
    fig, axes = plt.subplots(1, 3, figsize=(17, 5.5), sharey=True)
    for ax, name in zip(axes, SCHEDULES):
        notes = []
        for outcome, style, who in _pair(ref["schedules"][name],
                                          None if student is None else student["schedules"][name]):
            values = np.asarray(outcome.data, dtype=np.float64)
            if values.size:
                ax.plot(np.arange(values.size), values, color=COLOURS[name], marker="o",
                        markersize=3 if who == "yours" else 2, **style)
            notes += _failure_lines(_who_failed(who, names), name, outcome)
        arguments = ", ".join(f"{k}={v:g}" for k, v in SCHEDULES[name].items())
        ax.set_title(f"{name}(lr0={LR0:g}, epoch, {arguments})", fontsize=11)
        ax.set_xlabel("epoch")
        ax.set_ylim(0, LR0 * 1.08)
        ax.grid(True, alpha=0.3)
        _style_legend(ax, names, loc="upper right", fontsize=9)
        _note(ax, notes, width=48)
    axes[0].set_ylabel("learning rate")
    fig.suptitle(f"Learning-rate schedules: {_who(names)}", fontsize=14)
    fig.tight_layout()
    return fig


def _who(names: tuple) -> str:
    if names[1] is None:
        return "the reference implementation (impl), dashed"
    return f"yours ({names[1]}), solid, and the reference (impl), dashed"


FIGURES = {
    "update_rules_quadratic.png": lambda plt, r, s, n: figure_update_rules(plt, PROBLEMS[0], r, s, n),
    "update_rules_rosenbrock.png": lambda plt, r, s, n: figure_update_rules(plt, PROBLEMS[1], r, s, n),
    "second_order.png": figure_second_order,
    "overfitting.png": figure_overfitting,
    "schedules.png": figure_schedules,
}


def main(impl_choice: str | None, out: str) -> int:
    """The command: returns its exit status."""
    try:
        import matplotlib
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return 2
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # The reference runs first: once a student's package is loaded, the harness refuses the reference's imports.
    reference = Runner(loading.load(loading.REFERENCE_NAME))
    ref_data = compute(reference)

    choice = loading.choice_from(impl_choice)
    student, import_error = None, None
    try:
        impl = loading.load(choice)
    except loading.ImplementationImportError as exc:
        import_error = str(exc)
        impl = None
    if import_error is None and not impl.is_reference:
        student = Runner(impl)
    names = ("reference", None if student is None else student.label)
    student_data = None if student is None else compute(student)

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    if student is None and import_error is None:
        print(f"Figures of the reference implementation (impl), in {folder}/ (pass --impl to draw yours next to it):")
    elif student is None:
        print(f"Figures of the reference implementation alone, in {folder}/: yours ({choice}) could not be imported.")
    else:
        print(f"Figures of {student.label} (solid) next to the reference (dashed), in {folder}/:")
    for filename, draw in FIGURES.items():
        fig = draw(plt, ref_data, student_data, names)
        if import_error is not None:
            fig.text(0.5, 0.005, f"your implementation ({choice}) could not be imported: see the command's output",
                     ha="center", va="bottom", color=NOTE_COLOUR, fontsize=11)
        fig.savefig(folder / filename, dpi=DPI)
        plt.close(fig)
        print(f"  wrote {folder / filename}")

    for runner in (reference, student):
        if runner is not None and runner.failures:
            print(_failure_report(runner))
    if import_error is not None:
        print(import_error, file=sys.stderr)
        return 1
    return 0


def _failure_report(runner: Runner) -> str:
    """The failures, one line per function and message (the same failure in several figures said once)."""
    grouped: dict = {}
    for name, where, message in runner.failures:
        grouped.setdefault((name, message), []).append(where)
    whose = "the reference's" if runner.impl.is_reference else "your"
    lines = [f"Not drawn for {runner.label} ({'the reference alone is shown there' if whose == 'your' else 'a bug in the reference'}):"]
    for (name, message), wheres in grouped.items():
        lines.append(f"  {name} ({', '.join(dict.fromkeys(wheres))}): {message}")
    return "\n".join(lines)
