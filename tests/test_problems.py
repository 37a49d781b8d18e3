"""The reference data of spec/second_order/ checked against itself: the Moré-Garbow-Hillstrom problems'
Jacobians and Hessians against finite differences, f(x0) against the table of ../shared/data/mgh-problems.md (copied
into problems.py), and the NIST parser against what each .dat file's header states."""

import re

import numpy as np
import pytest

from spec.expect import EPS
from spec.second_order import nist
from spec.second_order.problems import PROBLEMS

MGH_IDS = [f"{p.number}-{p.name}" for p in PROBLEMS]


def central_jacobian(f, x, relative=False):
    """Central differences, step h_j = EPS^(1/3) max(1, |x_j|) (or EPS^(1/3) |x_j| for parameters of very
    different scales): truncation h^2 |f'''| / 6 and rounding EPS |f| / h are both of order
    EPS^(2/3) = 4e-11 relative to the function's scale."""
    columns = []
    for j in range(x.size):
        h = EPS ** (1 / 3) * (abs(x[j]) if relative and x[j] != 0 else max(1.0, abs(x[j])))
        e = np.zeros(x.size)
        e[j] = h
        columns.append((f(x + e) - f(x - e)) / (2 * h))
    return np.column_stack(columns)


def assert_matches_differences(analytic, numeric, scale, what):
    # Central differences are good to about EPS^(2/3) (4e-11) of the scale; third derivatives up to 1e4 times
    # the function's (the exponentials of Jennrich-Sampson, Osborne 1) make 1e-6 of the scale a safe bound, far
    # below any wrong derivative (a factor, a sign or a term off).
    error = np.max(np.abs(analytic - numeric))
    assert error <= 1e-6 * scale, f"{what}: analytic and finite differences differ by {error:.3g} (scale {scale:.3g})"


@pytest.mark.parametrize("p", PROBLEMS, ids=MGH_IDS)
def test_mgh_jacobian_matches_finite_differences_at_the_start(p):
    J = p.jacobian(p.x0)
    assert J.shape == (p.m, p.n) and p.residuals(p.x0).shape == (p.m,)
    numeric = central_jacobian(p.residuals, p.x0)
    assert_matches_differences(J, numeric, max(1.0, np.max(np.abs(J))), f"{p!r} Jacobian")


@pytest.mark.parametrize("p", [p for p in PROBLEMS if p.second is not None],
                         ids=[i for i, p in zip(MGH_IDS, PROBLEMS) if p.second is not None])
def test_mgh_hessian_matches_finite_differences_of_the_gradient(p):
    H = p.hess(p.x0)
    numeric = central_jacobian(p.grad, p.x0)
    assert np.array_equal(H, H.T)
    assert_matches_differences(H, numeric, max(1.0, np.max(np.abs(H))), f"{p!r} Hessian")


@pytest.mark.parametrize("p", PROBLEMS, ids=MGH_IDS)
def test_mgh_loss_at_the_start_matches_the_table(p):
    # The table gives f(x0) to 10 significant digits: 5e-10 relative.
    assert abs(p.fun(p.x0) - p.f0) <= 5e-10 * p.f0
    assert p.fun(p.x0) == pytest.approx(float(np.sum(p.residuals(p.x0) ** 2)), rel=4 * p.m * EPS)
    np.testing.assert_allclose(p.grad(p.x0), 2 * p.jacobian(p.x0).T @ p.residuals(p.x0), rtol=0, atol=0)


@pytest.mark.parametrize("p", [p for p in PROBLEMS if p.fstar == 0.0 and p.xstar is not None],
                         ids=[i for i, p in zip(MGH_IDS, PROBLEMS) if p.fstar == 0.0 and p.xstar is not None])
def test_mgh_zero_residual_minimizers_are_zeros(p):
    # Literature minimizers are rounded (Powell badly scaled's to 7 digits): f there is small, not 0.
    assert p.fun(p.xstar) <= 1e-6


NIST_IDS = [p.name for p in nist.load()]


@pytest.mark.parametrize("p", nist.load(), ids=NIST_IDS)
def test_nist_parser_reads_what_the_header_states(p):
    text = (nist.FOLDER / f"{p.name}.dat").read_text()
    n = int(re.search(r"(\d+) Parameters", text).group(1))
    assert p.n == n and p.starts[0].shape == p.starts[1].shape == (n,) and p.certified_sd.shape == (n,)
    assert p.y.shape == (p.observations,) and len(p.x) == p.observations
    assert p.observations == int(re.search(r"Number of Observations:\s+(\d+)", text).group(1))
    degrees = int(re.search(r"Degrees of Freedom:\s+(\d+)", text).group(1))
    assert degrees == p.observations - n
    # Each parameter line, read again by a regular expression: b<j> = start1 start2 certified sd.
    rows = re.findall(r"^\s*b(\d+)\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$", text, flags=re.MULTILINE)
    assert [int(r[0]) for r in rows] == list(range(1, n + 1))
    for j, (_, s1, s2, cert, sd) in enumerate(rows):
        assert (p.starts[0][j], p.starts[1][j], p.certified[j], p.certified_sd[j]) == tuple(
            float(v) for v in (s1, s2, cert, sd))
    assert p.certified_rss == float(re.search(r"Residual Sum of Squares:\s+(\S+)", text).group(1))


@pytest.mark.parametrize("p", nist.load(), ids=NIST_IDS)
def test_nist_jacobian_matches_finite_differences_at_both_starts(p):
    for b in p.starts:
        J = p.jacobian(b)
        assert J.shape == (p.observations, p.n)
        numeric = central_jacobian(p.residuals, b, relative=True)
        # Relative to each column's scale (Hahn1's columns, x^3 with x up to 800, span 10 orders of magnitude), plus
        # the differences' own rounding, 10 EPS max|values| / h_j: MGH17's exp(-x b5) column at Start 1 (b5 = 2) is
        # 1e-6 small next to values of 0.8.
        h = EPS ** (1 / 3) * np.abs(b)
        values = np.max(np.abs(p.residuals(b) + p.target))
        allowed = 1e-6 * np.max(np.abs(J), axis=0) + 10 * EPS * values / h
        error = np.max(np.abs(J - numeric), axis=0)
        assert np.all(error <= allowed), f"{p.name}: column errors {error}, allowed {allowed}"


@pytest.mark.parametrize("p", nist.load(), ids=NIST_IDS)
def test_nist_certified_rss_is_the_rss_at_the_certified_parameters(p):
    # The certified parameters are rounded to 11 digits, which moves the RSS by at most about the RSS times 1e-11
    # times the conditioning; Lanczos1's RSS (1.4e-25) is below float64's resolution of its residuals (~1e-13 each).
    if p.name == "Lanczos1":
        assert p.rss(p.certified) < 1e-18
    else:
        assert p.rss(p.certified) == pytest.approx(p.certified_rss, rel=1e-6)


def test_nist_folder_has_the_readme_and_every_problem_of_it():
    readme = (nist.FOLDER / "README.md").read_text()
    listed = {name.strip() for line in re.findall(r"^(?:lower|average): (.*)[.;]$", readme, flags=re.MULTILINE)
              for name in line.split(",")}
    assert {p.name for p in nist.load()} == listed
    assert len(nist.load()) == 19 and nist.load() is nist.load()  # parsed once per process
