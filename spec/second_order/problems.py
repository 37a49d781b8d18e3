"""The Moré-Garbow-Hillstrom test problems (MGH 1981, "Testing unconstrained optimization software", ACM TOMS 7(1)),
as residual functions with analytic Jacobians.

Each problem is a residual vector r(x), shape (m,), of parameters x, shape (n,), with its Jacobian J(x), shape
(m, n), a standard start x0, and its minimum f* of the loss f(x) = sum(r(x)**2) (MGH's plain sum; scipy's
least_squares reports cost = f / 2). From r and J follow, for the minimizers of module ``quasi_newton`` and
``newton``: fun(x) = r.r, grad(x) = 2 J^T r, and, where the second derivatives of the residuals are written down
(``second``: an (m, n, n) array of the residuals' Hessians), the exact Hessian 2 (J^T J + sum_i r_i Hess r_i).

The residual definitions, starts, f(x0) and the minima are those of ../shared/data/mgh-problems.md (copied into the
table below, MGH numbering); the data vectors y of Bard, Gaussian, Meyer, Kowalik-Osborne and Osborne 1 are MGH
1981's (Meyer's, Kowalik-Osborne's and Osborne 1's are also the NIST StRD files MGH10, MGH09 and MGH17).
``tests/test_problems.py`` checks every Jacobian and Hessian against finite differences at the start and every
f(x0) against the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SQRT5, SQRT10, SQRT90 = np.sqrt(5.0), np.sqrt(10.0), np.sqrt(90.0)


@dataclass(frozen=True, eq=False)
class Problem:
    number: int  # MGH's number
    name: str
    residuals: object  # x -> r, shape (m,)
    jacobian: object  # x -> J, shape (m, n)
    x0: np.ndarray
    m: int
    f0: float  # f(x0) as the table gives it (10 significant digits, or exact)
    fstar: float  # the literature's minimum (MGH / funconstrain); see `note` for several minima
    xstar: np.ndarray | None = None  # a literature minimizer (rounded), where one is given
    second: object = None  # x -> the residuals' Hessians, shape (m, n, n), where written down
    note: str = ""

    @property
    def n(self) -> int:
        return self.x0.size

    def fun(self, x) -> float:
        r = self.residuals(x)
        return float(r @ r)

    def grad(self, x) -> np.ndarray:
        return 2.0 * self.jacobian(x).T @ self.residuals(x)

    def hess(self, x) -> np.ndarray:
        """The exact Hessian of f = r.r: 2 (J^T J + sum_i r_i Hess r_i). Only where `second` is written down."""
        if self.second is None:
            raise ValueError(f"{self.name}: no residual second derivatives written down")
        r, J = self.residuals(x), self.jacobian(x)
        return 2.0 * (J.T @ J + np.einsum("i,ijk->jk", r, self.second(x)))

    def __repr__(self) -> str:
        return f"MGH {self.number} {self.name}"


def _arr(*values) -> np.ndarray:
    return np.array(values, dtype=np.float64)


# 1. Rosenbrock: 10 (x2 - x1^2), 1 - x1.
def _rosenbrock_r(x):
    return _arr(10.0 * (x[1] - x[0] ** 2), 1.0 - x[0])


def _rosenbrock_j(x):
    return _arr([-20.0 * x[0], 10.0], [-1.0, 0.0])


def _rosenbrock_s(x):
    s = np.zeros((2, 2, 2))
    s[0, 0, 0] = -20.0
    return s


# 2. Freudenstein-Roth: -13 + x1 + ((5 - x2) x2 - 2) x2, -29 + x1 + ((x2 + 1) x2 - 14) x2.
def _freudenstein_roth_r(x):
    return _arr(-13.0 + x[0] + ((5.0 - x[1]) * x[1] - 2.0) * x[1], -29.0 + x[0] + ((x[1] + 1.0) * x[1] - 14.0) * x[1])


def _freudenstein_roth_j(x):
    return _arr([1.0, (10.0 - 3.0 * x[1]) * x[1] - 2.0], [1.0, (3.0 * x[1] + 2.0) * x[1] - 14.0])


def _freudenstein_roth_s(x):
    s = np.zeros((2, 2, 2))
    s[0, 1, 1] = 10.0 - 6.0 * x[1]
    s[1, 1, 1] = 6.0 * x[1] + 2.0
    return s


# 3. Powell badly scaled: 1e4 x1 x2 - 1, exp(-x1) + exp(-x2) - 1.0001.
def _powell_bs_r(x):
    return _arr(1e4 * x[0] * x[1] - 1.0, np.exp(-x[0]) + np.exp(-x[1]) - 1.0001)


def _powell_bs_j(x):
    return _arr([1e4 * x[1], 1e4 * x[0]], [-np.exp(-x[0]), -np.exp(-x[1])])


def _powell_bs_s(x):
    return np.array([[[0.0, 1e4], [1e4, 0.0]], [[np.exp(-x[0]), 0.0], [0.0, np.exp(-x[1])]]])


# 4. Brown badly scaled: x1 - 1e6, x2 - 2e-6, x1 x2 - 2.
def _brown_bs_r(x):
    return _arr(x[0] - 1e6, x[1] - 2e-6, x[0] * x[1] - 2.0)


def _brown_bs_j(x):
    return _arr([1.0, 0.0], [0.0, 1.0], [x[1], x[0]])


def _brown_bs_s(x):
    s = np.zeros((3, 2, 2))
    s[2, 0, 1] = s[2, 1, 0] = 1.0
    return s


# 5. Beale: y_i - x1 (1 - x2^i), y = (1.5, 2.25, 2.625).
_BEALE_Y = _arr(1.5, 2.25, 2.625)
_BEALE_I = _arr(1.0, 2.0, 3.0)


def _beale_r(x):
    return _BEALE_Y - x[0] * (1.0 - x[1] ** _BEALE_I)


def _beale_j(x):
    return np.column_stack([-(1.0 - x[1] ** _BEALE_I), x[0] * _BEALE_I * x[1] ** (_BEALE_I - 1.0)])


def _beale_s(x):
    s = np.zeros((3, 2, 2))
    s[:, 0, 1] = s[:, 1, 0] = _BEALE_I * x[1] ** (_BEALE_I - 1.0)
    s[:, 1, 1] = x[0] * _BEALE_I * (_BEALE_I - 1.0) * x[1] ** np.maximum(_BEALE_I - 2.0, 0.0)
    return s


# 6. Jennrich-Sampson (m = 10): 2 + 2i - (exp(i x1) + exp(i x2)).
_JS_I = np.arange(1.0, 11.0)


def _jennrich_sampson_r(x):
    return 2.0 + 2.0 * _JS_I - (np.exp(_JS_I * x[0]) + np.exp(_JS_I * x[1]))


def _jennrich_sampson_j(x):
    return np.column_stack([-_JS_I * np.exp(_JS_I * x[0]), -_JS_I * np.exp(_JS_I * x[1])])


def _jennrich_sampson_s(x):
    s = np.zeros((10, 2, 2))
    s[:, 0, 0] = -_JS_I**2 * np.exp(_JS_I * x[0])
    s[:, 1, 1] = -_JS_I**2 * np.exp(_JS_I * x[1])
    return s


# 7. Helical valley: 10 (x3 - 10 theta), 10 (sqrt(x1^2 + x2^2) - 1), x3, with 2 pi theta = arctan(x2 / x1)
# (+ pi where x1 < 0; MGH's theta = 0.25 sign(x2) where x1 = 0, the limit of the same formula).
def _theta(x):
    if x[0] == 0.0:
        return 0.25 * np.sign(x[1])
    return np.arctan(x[1] / x[0]) / (2.0 * np.pi) + (0.5 if x[0] < 0 else 0.0)


def _helical_r(x):
    return _arr(10.0 * (x[2] - 10.0 * _theta(x)), 10.0 * (np.hypot(x[0], x[1]) - 1.0), x[2])


def _helical_j(x):
    rho2 = x[0] ** 2 + x[1] ** 2
    rho = np.sqrt(rho2)
    dtheta = _arr(-x[1], x[0]) / (2.0 * np.pi * rho2)
    return _arr([-100.0 * dtheta[0], -100.0 * dtheta[1], 10.0], [10.0 * x[0] / rho, 10.0 * x[1] / rho, 0.0],
                [0.0, 0.0, 1.0])


# 8. Bard: y_i - (x1 + u_i / (v_i x2 + w_i x3)), u_i = i, v_i = 16 - i, w_i = min(u_i, v_i).
_BARD_Y = _arr(0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39)
_BARD_U = np.arange(1.0, 16.0)
_BARD_V = 16.0 - _BARD_U
_BARD_W = np.minimum(_BARD_U, _BARD_V)


def _bard_r(x):
    return _BARD_Y - (x[0] + _BARD_U / (_BARD_V * x[1] + _BARD_W * x[2]))


def _bard_j(x):
    d2 = (_BARD_V * x[1] + _BARD_W * x[2]) ** 2
    return np.column_stack([-np.ones(15), _BARD_U * _BARD_V / d2, _BARD_U * _BARD_W / d2])


# 9. Gaussian: x1 exp(-x2 (t_i - x3)^2 / 2) - y_i, t_i = (8 - i) / 2.
_GAUSS_Y = _arr(0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295, 0.0540,
                0.0175, 0.0044, 0.0009)
_GAUSS_T = (8.0 - np.arange(1.0, 16.0)) / 2.0


def _gaussian_r(x):
    return x[0] * np.exp(-x[1] * (_GAUSS_T - x[2]) ** 2 / 2.0) - _GAUSS_Y


def _gaussian_j(x):
    d = _GAUSS_T - x[2]
    e = np.exp(-x[1] * d**2 / 2.0)
    return np.column_stack([e, -x[0] * e * d**2 / 2.0, x[0] * e * x[1] * d])


# 10. Meyer: x1 exp(x2 / (t_i + x3)) - y_i, t_i = 45 + 5 i.
_MEYER_Y = _arr(34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005, 5147, 4427, 3820, 3307,
                2872)
_MEYER_T = 45.0 + 5.0 * np.arange(1.0, 17.0)


def _meyer_r(x):
    return x[0] * np.exp(x[1] / (_MEYER_T + x[2])) - _MEYER_Y


def _meyer_j(x):
    d = _MEYER_T + x[2]
    e = np.exp(x[1] / d)
    return np.column_stack([e, x[0] * e / d, -x[0] * e * x[1] / d**2])


# 12. Box 3-D (m = 10): exp(-t_i x1) - exp(-t_i x2) - x3 (exp(-t_i) - exp(-10 t_i)), t_i = 0.1 i.
_BOX_T = 0.1 * np.arange(1.0, 11.0)
_BOX_C = np.exp(-_BOX_T) - np.exp(-10.0 * _BOX_T)


def _box_r(x):
    return np.exp(-_BOX_T * x[0]) - np.exp(-_BOX_T * x[1]) - x[2] * _BOX_C


def _box_j(x):
    return np.column_stack([-_BOX_T * np.exp(-_BOX_T * x[0]), _BOX_T * np.exp(-_BOX_T * x[1]), -_BOX_C])


def _box_s(x):
    s = np.zeros((10, 3, 3))
    s[:, 0, 0] = _BOX_T**2 * np.exp(-_BOX_T * x[0])
    s[:, 1, 1] = -(_BOX_T**2) * np.exp(-_BOX_T * x[1])
    return s


# 13. Powell singular: x1 + 10 x2, sqrt5 (x3 - x4), (x2 - 2 x3)^2, sqrt10 (x1 - x4)^2.
def _powell_singular_r(x):
    return _arr(x[0] + 10.0 * x[1], SQRT5 * (x[2] - x[3]), (x[1] - 2.0 * x[2]) ** 2, SQRT10 * (x[0] - x[3]) ** 2)


def _powell_singular_j(x):
    a, b = x[1] - 2.0 * x[2], x[0] - x[3]
    return _arr([1.0, 10.0, 0.0, 0.0], [0.0, 0.0, SQRT5, -SQRT5], [0.0, 2.0 * a, -4.0 * a, 0.0],
                [2.0 * SQRT10 * b, 0.0, 0.0, -2.0 * SQRT10 * b])


def _powell_singular_s(x):
    v, w = _arr(0.0, 1.0, -2.0, 0.0), _arr(1.0, 0.0, 0.0, -1.0)
    s = np.zeros((4, 4, 4))
    s[2] = 2.0 * np.outer(v, v)
    s[3] = 2.0 * SQRT10 * np.outer(w, w)
    return s


# 14. Wood: 10 (x2 - x1^2), 1 - x1, sqrt90 (x4 - x3^2), 1 - x3, sqrt10 (x2 + x4 - 2), (x2 - x4) / sqrt10.
def _wood_r(x):
    return _arr(10.0 * (x[1] - x[0] ** 2), 1.0 - x[0], SQRT90 * (x[3] - x[2] ** 2), 1.0 - x[2],
                SQRT10 * (x[1] + x[3] - 2.0), (x[1] - x[3]) / SQRT10)


def _wood_j(x):
    return _arr([-20.0 * x[0], 10.0, 0.0, 0.0], [-1.0, 0.0, 0.0, 0.0], [0.0, 0.0, -2.0 * SQRT90 * x[2], SQRT90],
                [0.0, 0.0, -1.0, 0.0], [0.0, SQRT10, 0.0, SQRT10], [0.0, 1.0 / SQRT10, 0.0, -1.0 / SQRT10])


def _wood_s(x):
    s = np.zeros((6, 4, 4))
    s[0, 0, 0] = -20.0
    s[2, 2, 2] = -2.0 * SQRT90
    return s


# 15. Kowalik-Osborne: y_i - x1 (u_i^2 + u_i x2) / (u_i^2 + u_i x3 + x4).
_KO_Y = _arr(0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246)
_KO_U = _arr(4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625)


def _kowalik_osborne_r(x):
    return _KO_Y - x[0] * (_KO_U**2 + _KO_U * x[1]) / (_KO_U**2 + _KO_U * x[2] + x[3])


def _kowalik_osborne_j(x):
    num = _KO_U**2 + _KO_U * x[1]
    den = _KO_U**2 + _KO_U * x[2] + x[3]
    return np.column_stack([-num / den, -x[0] * _KO_U / den, x[0] * num * _KO_U / den**2, x[0] * num / den**2])


# 16. Brown-Dennis (m = 20): (x1 + t_i x2 - exp(t_i))^2 + (x3 + x4 sin t_i - cos t_i)^2, t_i = i / 5.
_BD_T = np.arange(1.0, 21.0) / 5.0


def _brown_dennis_r(x):
    a = x[0] + _BD_T * x[1] - np.exp(_BD_T)
    b = x[2] + x[3] * np.sin(_BD_T) - np.cos(_BD_T)
    return a**2 + b**2


def _brown_dennis_j(x):
    a = x[0] + _BD_T * x[1] - np.exp(_BD_T)
    b = x[2] + x[3] * np.sin(_BD_T) - np.cos(_BD_T)
    return np.column_stack([2.0 * a, 2.0 * a * _BD_T, 2.0 * b, 2.0 * b * np.sin(_BD_T)])


def _brown_dennis_s(x):
    ga = np.column_stack([np.ones(20), _BD_T, np.zeros(20), np.zeros(20)])
    gb = np.column_stack([np.zeros(20), np.zeros(20), np.ones(20), np.sin(_BD_T)])
    return 2.0 * (ga[:, :, None] * ga[:, None, :] + gb[:, :, None] * gb[:, None, :])


# 17. Osborne 1: y_i - (x1 + x2 exp(-t_i x4) + x3 exp(-t_i x5)), t_i = 10 (i - 1).
_OSB_Y = _arr(0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718, 0.685, 0.658,
              0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467, 0.457, 0.448, 0.438, 0.431,
              0.424, 0.420, 0.414, 0.411, 0.406)
_OSB_T = 10.0 * np.arange(33.0)


def _osborne1_r(x):
    return _OSB_Y - (x[0] + x[1] * np.exp(-_OSB_T * x[3]) + x[2] * np.exp(-_OSB_T * x[4]))


def _osborne1_j(x):
    e4, e5 = np.exp(-_OSB_T * x[3]), np.exp(-_OSB_T * x[4])
    return np.column_stack([-np.ones(33), -e4, -e5, x[1] * _OSB_T * e4, x[2] * _OSB_T * e5])


# 18. Biggs EXP6 (m = 13): x3 exp(-t_i x1) - x4 exp(-t_i x2) + x6 exp(-t_i x5) - y_i, t_i = 0.1 i,
# y_i = exp(-t_i) - 5 exp(-10 t_i) + 3 exp(-4 t_i).
_BIGGS_T = 0.1 * np.arange(1.0, 14.0)
_BIGGS_Y = np.exp(-_BIGGS_T) - 5.0 * np.exp(-10.0 * _BIGGS_T) + 3.0 * np.exp(-4.0 * _BIGGS_T)


def _biggs_r(x):
    t = _BIGGS_T
    return x[2] * np.exp(-t * x[0]) - x[3] * np.exp(-t * x[1]) + x[5] * np.exp(-t * x[4]) - _BIGGS_Y


def _biggs_j(x):
    t = _BIGGS_T
    e1, e2, e5 = np.exp(-t * x[0]), np.exp(-t * x[1]), np.exp(-t * x[4])
    return np.column_stack([-t * x[2] * e1, t * x[3] * e2, e1, -e2, -t * x[5] * e5, e5])


# 20. Watson (n = 6, m = 31): for t_i = i / 29, i = 1..29,
# sum_{j=2..n} (j - 1) x_j t^(j-2) - (sum_{j=1..n} x_j t^(j-1))^2 - 1; then x1 and x2 - x1^2 - 1.
_WATSON_T = np.arange(1.0, 30.0) / 29.0
_WATSON_N = 6
_WATSON_P = _WATSON_T[:, None] ** np.arange(_WATSON_N)  # t^(j-1), j = 1..n
_WATSON_DP = np.column_stack([np.zeros(29), np.arange(1.0, _WATSON_N) * _WATSON_P[:, :-1]])  # (j-1) t^(j-2)


def _watson_r(x):
    s = _WATSON_P @ x
    return np.concatenate([_WATSON_DP @ x - s**2 - 1.0, [x[0], x[1] - x[0] ** 2 - 1.0]])


def _watson_j(x):
    s = _WATSON_P @ x
    J = np.zeros((31, _WATSON_N))
    J[:29] = _WATSON_DP - 2.0 * s[:, None] * _WATSON_P
    J[29, 0] = 1.0
    J[30, 0], J[30, 1] = -2.0 * x[0], 1.0
    return J


PROBLEMS: tuple[Problem, ...] = (
    Problem(1, "Rosenbrock", _rosenbrock_r, _rosenbrock_j, _arr(-1.2, 1.0), 2, 24.2, 0.0, _arr(1.0, 1.0),
            _rosenbrock_s),
    Problem(2, "Freudenstein-Roth", _freudenstein_roth_r, _freudenstein_roth_j, _arr(0.5, -2.0), 2, 400.5, 0.0,
            _arr(5.0, 4.0), _freudenstein_roth_s,
            note="a local minimum 48.98425368 at (11.4128, -0.89681), where LM and BFGS go from x0"),
    Problem(3, "Powell badly scaled", _powell_bs_r, _powell_bs_j, _arr(0.0, 1.0), 2, 1.135261717, 0.0,
            _arr(1.098159e-5, 9.106147), _powell_bs_s),
    Problem(4, "Brown badly scaled", _brown_bs_r, _brown_bs_j, _arr(1.0, 1.0), 3, 999998000003.0, 0.0,
            _arr(1e6, 2e-6), _brown_bs_s),
    Problem(5, "Beale", _beale_r, _beale_j, _arr(1.0, 1.0), 3, 14.203125, 0.0, _arr(3.0, 0.5), _beale_s),
    Problem(6, "Jennrich-Sampson", _jennrich_sampson_r, _jennrich_sampson_j, _arr(0.3, 0.4), 10, 4171.306162,
            124.3621824, _arr(0.2578252, 0.2578252), _jennrich_sampson_s),
    Problem(7, "helical valley", _helical_r, _helical_j, _arr(-1.0, 0.0, 0.0), 3, 2500.0, 0.0, _arr(1.0, 0.0, 0.0)),
    Problem(8, "Bard", _bard_r, _bard_j, _arr(1.0, 1.0, 1.0), 15, 41.68169586, 8.214877307e-3,
            _arr(0.08241056, 1.133036, 2.343695), note="also 17.4286 at (0.8406, -inf, -inf)"),
    Problem(9, "Gaussian", _gaussian_r, _gaussian_j, _arr(0.4, 1.0, 0.0), 15, 3.888106991e-6, 1.12793277e-8),
    Problem(10, "Meyer", _meyer_r, _meyer_j, _arr(0.02, 4000.0, 250.0), 16, 1.693607809e9, 87.94585517,
            _arr(0.0056096, 6181.35, 345.2237)),
    Problem(12, "Box 3-D", _box_r, _box_j, _arr(0.0, 10.0, 20.0), 10, 1031.153811, 0.0, _arr(1.0, 10.0, 1.0),
            _box_s, note="zero also at (10, 1, -1) and on the line x1 = x2, x3 = 0"),
    Problem(13, "Powell singular", _powell_singular_r, _powell_singular_j, _arr(3.0, -1.0, 0.0, 1.0), 4, 215.0, 0.0,
            _arr(0.0, 0.0, 0.0, 0.0), _powell_singular_s, note="the Hessian is singular at the minimizer"),
    Problem(14, "Wood", _wood_r, _wood_j, _arr(-3.0, -1.0, -3.0, -1.0), 6, 19192.0, 0.0, _arr(1.0, 1.0, 1.0, 1.0),
            _wood_s),
    Problem(15, "Kowalik-Osborne", _kowalik_osborne_r, _kowalik_osborne_j, _arr(0.25, 0.39, 0.415, 0.39), 11,
            5.313172272e-3, 3.075056038e-4, _arr(0.1928069, 0.1912823, 0.1230565, 0.1360623),
            note="also 1.02734e-3 at (+inf, -14.07, -inf, -inf)"),
    Problem(16, "Brown-Dennis", _brown_dennis_r, _brown_dennis_j, _arr(25.0, 5.0, -5.0, -1.0), 20, 7926693.337,
            85822.20163, _arr(-11.5944, 13.2036, -0.40344, 0.23678), _brown_dennis_s),
    Problem(17, "Osborne 1", _osborne1_r, _osborne1_j, _arr(0.5, 1.5, -1.0, 0.01, 0.02), 33, 0.8790262935,
            5.464894697e-5, _arr(0.3754101, 1.935847, -1.4646871, 0.01286753, 0.02212270)),
    Problem(18, "Biggs EXP6", _biggs_r, _biggs_j, _arr(1.0, 2.0, 1.0, 1.0, 1.0, 1.0), 13, 0.7790700757, 0.0,
            _arr(1.0, 10.0, 1.0, 5.0, 4.0, 3.0),
            note="MGH's 5.65565e-3 is a local minimum; from x0 LM reaches the zero at (4, 10, 3, 5, 1, 1)"),
    Problem(20, "Watson", _watson_r, _watson_j, np.zeros(6), 31, 30.0, 2.287670054e-3),
)

BY_NAME = {p.name: p for p in PROBLEMS}
