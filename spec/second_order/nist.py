"""The NIST StRD nonlinear least-squares problems of data/nist/ (NIST Information Technology Laboratory, Statistical
Reference Datasets, "Nonlinear Regression"; public domain): a parser of the .dat files and the models with their
analytic Jacobians.

A .dat file says in its header at which lines its parts are: "Starting Values (lines 41 to 43)" (one line per
parameter: ``b1 = start1 start2 certified std``), "Certified Values (lines 41 to 48)" (the same lines, then the
residual sum of squares), "Data (lines 61 to 274)" (``y x`` or ``y x1 x2``), and "128 Observations". ``load()``
reads every file once per process.

Residuals are r = model(b, x) - y, so J = d model / d b (the sign of r changes neither the RSS nor the
least-squares solution). Nelson is fitted to log(y); Roszman1 uses arctan(b3 / (x - b4)), not atan2 (data/nist/
README.md). Every Jacobian is checked against finite differences in tests/test_problems.py.

LRE, the log relative error -log10(|estimate - certified| / |certified|), capped at the 11 certified digits, is
the accuracy measure used with these problems (McCullough 1999, "Assessing the reliability of statistical
software"): the number of leading digits the estimate shares with the certified value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

FOLDER = Path(__file__).parent / "data" / "nist"
DIGITS = 11  # the certified values carry 11 significant digits: LRE is capped there


@dataclass(frozen=True, eq=False)
class NistProblem:
    name: str
    model_text: str  # the model as the file writes it
    starts: tuple  # (Start 1, Start 2), each shape (n,)
    certified: np.ndarray  # shape (n,)
    certified_sd: np.ndarray  # their standard deviations
    certified_rss: float
    x: np.ndarray  # predictors, shape (N,) or (N, 2) (Nelson)
    y: np.ndarray  # responses, shape (N,)
    observations: int  # as the header states
    model: object  # (b, x) -> (values, shape (N,); d values / d b, shape (N, n))

    @property
    def n(self) -> int:
        return self.certified.size

    @property
    def target(self) -> np.ndarray:
        """What the model is fitted to: y, or log(y) for Nelson."""
        return np.log(self.y) if self.name == "Nelson" else self.y

    def residuals(self, b) -> np.ndarray:
        return self.model(np.asarray(b, dtype=np.float64), self.x)[0] - self.target

    def jacobian(self, b) -> np.ndarray:
        return self.model(np.asarray(b, dtype=np.float64), self.x)[1]

    def rss(self, b) -> float:
        r = self.residuals(b)
        return float(r @ r)

    def __repr__(self) -> str:
        return f"NIST {self.name}"


def lre(estimate, certified) -> np.ndarray:
    """-log10(|estimate - certified| / |certified|), capped at DIGITS (and 0 for NaN or worse than 100% off)."""
    estimate, certified = np.asarray(estimate, dtype=np.float64), np.asarray(certified, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = -np.log10(np.abs(estimate - certified) / np.abs(certified))
    return np.clip(np.nan_to_num(value, nan=0.0, posinf=DIGITS), 0.0, DIGITS)


# The models: each returns the values and the Jacobian d values / d b.


def _misra1a(b, x):
    e = np.exp(-b[1] * x)
    return b[0] * (1 - e), np.column_stack([1 - e, b[0] * x * e])


def _misra1b(b, x):
    u = 1 + b[1] * x / 2
    return b[0] * (1 - u**-2), np.column_stack([1 - u**-2, b[0] * x * u**-3])


def _misra1c(b, x):
    u = 1 + 2 * b[1] * x
    return b[0] * (1 - u**-0.5), np.column_stack([1 - u**-0.5, b[0] * x * u**-1.5])


def _misra1d(b, x):
    u = 1 + b[1] * x
    return b[0] * b[1] * x / u, np.column_stack([b[1] * x / u, b[0] * x / u**2])


def _chwirut(b, x):
    d = b[1] + b[2] * x
    f = np.exp(-b[0] * x) / d
    return f, np.column_stack([-x * f, -f / d, -x * f / d])


def _danwood(b, x):
    p = x ** b[1]
    return b[0] * p, np.column_stack([p, b[0] * p * np.log(x)])


def _enso(b, x):
    a12, a4, a7 = 2 * np.pi * x / 12, 2 * np.pi * x / b[3], 2 * np.pi * x / b[6]
    f = (b[0] + b[1] * np.cos(a12) + b[2] * np.sin(a12) + b[4] * np.cos(a4) + b[5] * np.sin(a4)
         + b[7] * np.cos(a7) + b[8] * np.sin(a7))
    d4 = (b[4] * np.sin(a4) - b[5] * np.cos(a4)) * a4 / b[3]  # d a4 / d b4 = -a4 / b4
    d7 = (b[7] * np.sin(a7) - b[8] * np.cos(a7)) * a7 / b[6]
    return f, np.column_stack([np.ones_like(x), np.cos(a12), np.sin(a12), d4, np.cos(a4), np.sin(a4), d7,
                               np.cos(a7), np.sin(a7)])


def _gauss(b, x):
    e = np.exp(-b[1] * x)
    g1 = np.exp(-((x - b[3]) ** 2) / b[4] ** 2)
    g2 = np.exp(-((x - b[6]) ** 2) / b[7] ** 2)
    f = b[0] * e + b[2] * g1 + b[5] * g2
    return f, np.column_stack([
        e, -x * b[0] * e,
        g1, b[2] * g1 * 2 * (x - b[3]) / b[4] ** 2, b[2] * g1 * 2 * (x - b[3]) ** 2 / b[4] ** 3,
        g2, b[5] * g2 * 2 * (x - b[6]) / b[7] ** 2, b[5] * g2 * 2 * (x - b[6]) ** 2 / b[7] ** 3,
    ])


def _rational(b, x, p: int, q: int):
    """(b1 + b2 x + ... + b_p x^(p-1)) / (1 + b_(p+1) x + ... + b_(p+q) x^q): Kirby2 (p=3, q=2), Hahn1 (4, 3)."""
    powers = x[:, None] ** np.arange(max(p, q + 1))
    num = powers[:, :p] @ b[:p]
    den = 1 + powers[:, 1:q + 1] @ b[p:p + q]
    f = num / den
    return f, np.column_stack([powers[:, :p] / den[:, None], -(f / den)[:, None] * powers[:, 1:q + 1]])


def _lanczos(b, x):
    e = np.exp(-np.outer(x, b[1::2]))  # (N, 3)
    J = np.empty((x.size, 6))
    J[:, 0::2] = e
    J[:, 1::2] = -x[:, None] * b[0::2] * e
    return e @ b[0::2], J


def _mgh17(b, x):
    e4, e5 = np.exp(-x * b[3]), np.exp(-x * b[4])
    return b[0] + b[1] * e4 + b[2] * e5, np.column_stack([np.ones_like(x), e4, e5, -x * b[1] * e4, -x * b[2] * e5])


def _nelson(b, x):
    x1, x2 = x[:, 0], x[:, 1]
    e = np.exp(-b[2] * x2)
    return b[0] - b[1] * x1 * e, np.column_stack([np.ones_like(x1), -x1 * e, b[1] * x1 * x2 * e])


def _roszman1(b, x):
    d = x - b[3]
    u = b[2] / d
    c = 1.0 / (np.pi * (1 + u**2))  # d/du arctan(u) / pi
    return b[0] - b[1] * x - np.arctan(u) / np.pi, np.column_stack([np.ones_like(x), -x, -c / d, -c * u / d])


MODELS = {
    "Misra1a": _misra1a, "Misra1b": _misra1b, "Misra1c": _misra1c, "Misra1d": _misra1d,
    "Chwirut1": _chwirut, "Chwirut2": _chwirut, "DanWood": _danwood, "ENSO": _enso,
    "Gauss1": _gauss, "Gauss2": _gauss, "Gauss3": _gauss,
    "Hahn1": lambda b, x: _rational(b, x, 4, 3), "Kirby2": lambda b, x: _rational(b, x, 3, 2),
    "Lanczos1": _lanczos, "Lanczos2": _lanczos, "Lanczos3": _lanczos,
    "MGH17": _mgh17, "Nelson": _nelson, "Roszman1": _roszman1,
}


def _line_range(header: str, what: str) -> tuple[int, int]:
    match = re.search(rf"{what}\s*\(lines\s+(\d+)\s+to\s+(\d+)\s*\)", header)
    if match is None:
        raise ValueError(f"no '{what} (lines a to b)' in the header")
    return int(match.group(1)), int(match.group(2))


def parse(path: Path) -> NistProblem:
    """One .dat file, read at the line numbers its header gives (1-based, inclusive)."""
    lines = path.read_text().splitlines()
    name = path.stem
    header = "\n".join(lines[:40])
    s0, s1 = _line_range(header, "Starting Values")
    c0, c1 = _line_range(header, "Certified Values")
    d0, d1 = _line_range(header, "Data")
    starts, certified, sd = [], [], []
    for line in lines[s0 - 1:s1]:
        fields = line.split("=")[1].split()
        starts.append((float(fields[0]), float(fields[1])))
        certified.append(float(fields[2]))
        sd.append(float(fields[3]))
    rss = next(float(line.split(":")[1]) for line in lines[c0 - 1:c1] if line.startswith("Residual Sum of Squares"))
    data = np.array([[float(v) for v in line.split()] for line in lines[d0 - 1:d1]])
    observations = int(re.search(r"(\d+)\s+Observations", header).group(1))
    model_start = next(i for i, line in enumerate(lines) if line.startswith("Model:"))
    model_lines = [line.strip() for line in lines[model_start + 3:s0 - 5] if line.strip()]
    x = data[:, 1] if data.shape[1] == 2 else data[:, 1:]
    return NistProblem(name=name, model_text=" ".join(model_lines),
                       starts=(np.array([s[0] for s in starts]), np.array([s[1] for s in starts])),
                       certified=np.array(certified), certified_sd=np.array(sd), certified_rss=rss,
                       x=x, y=data[:, 0], observations=observations, model=MODELS[name])


@cache
def load() -> tuple[NistProblem, ...]:
    """Every problem of data/nist/, in alphabetical order; parsed once per process."""
    return tuple(parse(path) for path in sorted(FOLDER.glob("*.dat")))


def by_name(name: str) -> NistProblem:
    return next(p for p in load() if p.name == name)
