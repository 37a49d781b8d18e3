"""NIST StRD: Levenberg-Marquardt from Start 2 agrees with NIST's certified parameters to at least 4 significant
digits (LRE >= 4) on every problem of data/nist/ (19 lower- and average-difficulty problems; nist.py reads them).

LRE = -log10(|estimate - certified| / |certified|), capped at the 11 certified digits: the number of leading
digits the estimate shares with the certified value.

The solver runs with ftol = xtol = gtol = 1e-15 (TIGHT), not the contract's default 1e-12: near the minimum
f(b) - f* ~ 1/2 db^T H db, so a run stopped when the loss falls by less than ftol * f leaves a relative parameter
error of about sqrt(ftol) times the problem's conditioning; at 1e-12 the ill-conditioned ENSO keeps only 5 digits,
at 1e-15 every problem keeps at least 6.4 (scipy's MINPACK at the same settings: at least 6.5, data/nist/README.md),
so 4 digits leave room for any correct damping schedule. The property asks for 4 because that is NIST's usual bar
for "the solver found the certified solution" (McCullough 1999); the benchmark reports the digits reached.
"""

from __future__ import annotations

import numpy as np

from spec import expect
from spec.property import mutant, prop
from spec.second_order import nist
from spec.second_order.test_scipy_oracle import damped_least_squares

SOURCE = ("TUM I2DL lecture 6, slide 22 (Levenberg-Marquardt); NIST StRD nonlinear regression, certified values "
          "(lower and average difficulty, Start 2)")
TIGHT = 1e-15  # ftol = xtol = gtol passed to the solver (see the module docstring)
MIN_LRE = 4.0


@prop("Levenberg-Marquardt", SOURCE, "From NIST's Start 2, levenberg_marquardt (ftol = xtol = gtol = 1e-15) agrees with the certified parameters of every NIST StRD problem of data/nist/ to at least 4 significant digits (LRE >= 4).")
def test_levenberg_marquardt_matches_nist_certified_values(levenberg_marquardt):
    problems = nist.load()
    misses, inputs = [], {}
    for p in problems:
        res = levenberg_marquardt(p.residuals, p.jacobian, p.starts[1], ftol=TIGHT, xtol=TIGHT, gtol=TIGHT)
        x = np.asarray(res.x, dtype=np.float64)
        digits = nist.lre(x, p.certified)
        for j in np.flatnonzero(~(digits >= MIN_LRE)):
            misses.append(f"- {p.name} ({p.model_text}): b{j + 1} = {x[j]:.10g}, certified {p.certified[j]:.10E}, "
                          f"LRE {digits[j]:.1f} (nit={res.nit}, nfev={res.nfev}, message={res.message!r})")
        if digits.min() < MIN_LRE:
            inputs.setdefault(f"{p.name} Start 2", p.starts[1])
    if misses:
        expect.fail(f"levenberg_marquardt from Start 2 reaches fewer than {MIN_LRE:g} correct digits (LRE) on "
                    f"{len(inputs)} of {len(problems)} NIST StRD problems:\n" + "\n".join(misses), inputs)


# Mutants (derived from the correct solver of test_scipy_oracle.py).


@mutant(of="levenberg_marquardt", kills=[test_levenberg_marquardt_matches_nist_certified_values])
def lm_stopping_after_fifty_iterations(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                                       max_iter=1000):
    """An LM loop of a fixed 50 iterations: Lanczos and Nelson need 160 to 200."""
    return damped_least_squares(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, cap=50)


@mutant(of="levenberg_marquardt", kills=[test_levenberg_marquardt_matches_nist_certified_values])
def lm_growing_lambda_after_success(residuals, jacobian, x0, damping=1e-3, ftol=1e-12, xtol=1e-12, gtol=1e-12,
                                    max_iter=1000):
    """The damping update inverted: lambda multiplied by 10 after an accepted step, divided by 10 after a rejected
    one (short steps where Gauss-Newton would do, and no recovery when a step fails)."""
    return damped_least_squares(residuals, jacobian, x0, damping, ftol, xtol, gtol, max_iter, down=0.1, up=0.1)
