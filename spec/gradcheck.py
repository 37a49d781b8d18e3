"""A trusted numerical-gradient checker: float64 central differences, plain NumPy, independent of any implementation.

What is differentiated.  Always a scalar phi(x).  If f(x) is a scalar, phi = f.  A layer's backward pass receives an
upstream gradient G shaped like f(x) and returns J^T G, which is the gradient of phi(x) = sum(G * f(x)): pass
``upstream=G`` and compare with the backward pass's result.

Modes of ``check_gradient``.
  full  every element i: (phi(x + s_i e_i) - phi(x - s_i e_i)) / 2 s_i.  2 * x.size evaluations of f; names the element.
  fast  ``directions`` random unit directions u (Gaussian, normalized, np.random.default_rng(seed)): compare
        analytic . u with (phi(x + t u) - phi(x - t u)) / 2t, i.e. G^T J u, as the fast mode of
        torch.autograd.gradcheck and jax.test_util.check_grads do.  2 * directions evaluations whatever the size of x;
        a wrong gradient passes only if its error is orthogonal to every u (probability 0), but no element is named.
  auto  full when x.size <= full_max_size, else fast.

Step.  s_i = h * max(1, |x_i|): absolute near 0 (a relative step would vanish at x_i = 0), relative for large |x_i|,
where an absolute 1e-5 would be lost below the spacing of floats (1e-5 < ulp(1e12) = 1.2e-4) and the truncation
error should scale like the function.  The divisor is the step actually taken, (x_i + s_i) - (x_i - s_i) in float64,
so the rounding of x_i +- s_i does not bias the quotient.  Fast mode uses the single step t = h * max(1, max|x|).

Tolerance.  Accept when |a - n| <= atol + rtol * max(|a|, |n|) for every element (direction).  The quotient's error:
  truncation  s^2 / 6 * phi''' (Taylor).  With h = 1e-5, s^2 ~ 1e-10, which is far below rtol = 1e-6 relative to the
              derivative for smooth functions whose derivatives are of comparable size: left to rtol.
  rounding    each evaluation of phi is off by a few eps * S (eps = 2.2e-16, S the size of the numbers phi is made
              of); the difference of two such values divided by 2s is off by about eps * S / s.  This does not shrink
              with the derivative, so it is atol:  atol = SAFETY * (eps * S + tiny) / s,  SAFETY = 8 (a few
              roundings in each of the two evaluations).  S is observed, not guessed: the largest |phi| at x and
              at every perturbed point, and with upstream the largest sum(|upstream * f(x)|), which also sees
              cancellation in the sum.  tiny = 2.2e-308, the smallest normal float64, floors each evaluation's
              absolute error: below it numbers lose relative precision (gradual underflow).
              E.g. phi = 1e6 + sum(x**2): atol = 8 * 2.2e-16 * 1e6 / 1e-5 = 1.8e-4, whereas rtol alone rejects the
              correct gradient 2x.
Limits of the defaults: the truncation error h^2 x_i^2 phi''' / 6 reaches rtol when |x_i| is in the hundreds and
phi''' does not shrink with |x_i| (sin(x) at 250, softmax of logits near 350): pass a smaller h there (1e-7 suits
|x| ~ 1e3).  Where a component of the gradient is 0 but phi''' is not (x**3 at 0), pass atol.  Where phi is a
difference of much larger numbers (cancellation inside f, invisible from its output), pass value_scale.
"""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(np.float64).eps)
TINY = float(np.finfo(np.float64).tiny)
SAFETY = 8.0
_LISTED = 4  # bad elements listed besides the worst one


class GradientMismatch(AssertionError):
    """The analytic gradient disagrees with the central-difference gradient."""


def _objective(f, upstream):
    """phi(z) -> (value of phi, size S of the numbers it sums); checks the shape of f(z) against upstream."""
    up = None if upstream is None else np.asarray(upstream, dtype=np.float64)

    def phi(z):
        y = np.asarray(f(z), dtype=np.float64)
        if up is None:
            if y.size != 1:
                raise ValueError(f"f(x) has shape {y.shape}, not a scalar: pass upstream= (an array shaped like f(x)) "
                                 "to check the backward pass J^T upstream")
            value = float(y.reshape(()))
            return value, abs(value)
        if y.shape != up.shape:
            raise ValueError(f"upstream has shape {up.shape}, but f(x) has shape {y.shape}; they must be equal")
        terms = up * y
        return float(terms.sum()), float(np.abs(terms).sum())

    return phi


def _as_input(x) -> np.ndarray:
    x = np.array(x, dtype=np.float64)  # always a copy: the caller's x is never touched
    if not np.isfinite(x).all():
        raise ValueError(f"x has NaN or inf at {_idx(np.argwhere(~np.isfinite(x))[0])}; a gradient needs a finite x")
    return x


def _scale(scales) -> float:
    finite = [s for s in scales if np.isfinite(s)]
    return max(finite, default=0.0)


def _central(phi, x: np.ndarray, h: float):
    """Central differences of phi at x (already a float64 copy): (gradient, observed scale S, half-steps)."""
    if not h > 0:
        raise ValueError(f"h must be positive, got {h}")
    scales = [phi(x.copy())[1]]
    grad, half = np.empty_like(x), np.empty_like(x)
    for i in range(x.size):
        xi = x.flat[i]
        step = h * max(1.0, abs(xi))
        plus, minus = x.copy(), x.copy()  # fresh copies: f may even modify its argument
        plus.flat[i], minus.flat[i] = xi + step, xi - step
        width = plus.flat[i] - minus.flat[i]  # the step actually taken
        (fp, sp), (fm, sm) = phi(plus), phi(minus)
        grad.flat[i], half.flat[i] = (fp - fm) / width, width / 2
        scales += [sp, sm]
    return grad, _scale(scales), half


def numerical_gradient(f, x, *, upstream=None, h=1e-5) -> np.ndarray:
    """Central-difference gradient of phi(x) = f(x), or of sum(upstream * f(x)); shaped like x (float64)."""
    return _central(_objective(f, upstream), _as_input(x), h)[0]


def _idx(index) -> str:
    return "[" + ", ".join(str(int(i)) for i in np.atleast_1d(index)) + "]" if np.size(index) else ""


def _pair(a: float, n: float) -> tuple[str, str]:
    """a and n with just enough digits (at least 6) to show that they differ."""
    p = next((p for p in range(6, 17) if f"{a:.{p}g}" != f"{n:.{p}g}"), 17)
    return f"{a:.{p}g}", f"{n:.{p}g}"


def _arr(a: np.ndarray) -> str:
    with np.printoptions(precision=4, threshold=24, edgeitems=2, linewidth=100):
        lines = np.array2string(a, separator=", ").splitlines()
    return "\n".join(lines[:6] + (["  ..."] if len(lines) > 6 else []))


def _rule(rtol, atol, scale, h, mode) -> str:
    derived = f"{SAFETY:g}*(eps*S + tiny)/step with S={scale:.3g} (float64 rounding)"
    atol_text = derived if atol is None else f"{atol:.2g}"
    return (f"Accepted when |analytic - numerical| <= atol + rtol * max(|analytic|, |numerical|),\n"
            f"  with rtol={rtol:.2g}, atol={atol_text}, h={h:.2g}, mode={mode!r}.")


def check_gradient(f, x, analytic, *, upstream=None, mode="auto", h=1e-5, rtol=1e-6, atol=None, value_scale=0.0,
                   directions=6, seed=0, full_max_size=256, name="gradient") -> None:
    """Raise GradientMismatch unless ``analytic`` is the gradient of phi at x (see the module docstring).

    ``value_scale``: the size of the numbers f is computed from, when it exceeds |f| itself because they cancel
    (a log-sum-exp minus a score of size 10 giving a loss of 1e-5): the rounding part of atol uses
    S = max(observed |phi|, value_scale).
    """
    x = _as_input(x)
    a = np.asarray(analytic, dtype=np.float64)
    if a.shape != x.shape:
        raise ValueError(f"{name}: the analytic gradient has shape {a.shape}, but x has shape {x.shape}; "
                         "a gradient has the shape of the input it differentiates")
    if mode not in ("auto", "full", "fast"):
        raise ValueError(f"mode must be 'auto', 'full' or 'fast', got {mode!r}")
    if not np.isfinite(a).all():
        where = np.argwhere(~np.isfinite(a))
        kind = "NaN" if np.isnan(a[tuple(where[0])]) else "inf"
        raise GradientMismatch(f"{name}: analytic gradient has {kind} at {_idx(where[0])} "
                               f"({len(where)} of {a.size} elements are not finite)")
    phi = _objective(f, upstream)
    phi_text = "phi(x) = f(x)" if upstream is None else "phi(x) = sum(upstream * f(x))"
    if mode == "auto":
        mode = "full" if x.size <= full_max_size else "fast"

    if mode == "full":
        num, scale, half = _central(phi, x, h)
        scale = max(scale, value_scale)
        rounding = SAFETY * (EPS * scale + TINY) / half if atol is None else atol
        allowed = rounding + rtol * np.maximum(abs(a), abs(num))
        diff = abs(a - num)
        bad = ~(diff <= allowed)  # a NaN numerical value is bad
        if not bad.any():
            return
        where = [tuple(i) for i in np.argwhere(bad)]
        worst = max(where, key=lambda i: np.inf if np.isnan(diff[i]) else diff[i])
        others = [i for i in where if i != worst]

        def line(i):
            ana_text, num_text = _pair(a[i], num[i])
            return (f"d/dx{_idx(i)}: analytic={ana_text}, but numerical={num_text} "
                    f"(|diff|={diff[i]:.2g}, allowed {allowed[i]:.2g})")

        lines = [f"{name} is wrong: {len(where)} of {a.size} elements disagree with the central-difference "
                 f"gradient of {phi_text}.", "  worst  " + line(worst)]
        lines += ["  also   " + line(i) for i in others[:_LISTED]]
        if len(others) > _LISTED:
            lines.append(f"  ... and {len(others) - _LISTED} more")
        if not np.isfinite(num).all():
            lines.append("The numerical gradient is not finite somewhere: f is NaN or inf within a step of x "
                         "(log(0), overflow, or a kink next to x?).")
        lines += [f"analytic =\n{_arr(a)}", f"numerical =\n{_arr(num)}", _rule(rtol, atol, scale, h, mode)]
        raise GradientMismatch("\n".join(lines))

    if not directions >= 1:
        raise ValueError(f"directions must be at least 1, got {directions}")
    scales = [phi(x.copy())[1]]
    if x.size == 0:
        return
    rng = np.random.default_rng(seed)
    t = h * max(1.0, float(np.max(np.abs(x))))
    results = []
    for _ in range(directions):
        u = rng.standard_normal(x.shape)
        u /= np.linalg.norm(u)
        plus, minus = x + t * u, x - t * u
        d = (plus - minus) / (2 * t)  # u, up to the rounding of x +- t u
        (fp, sp), (fm, sm) = phi(plus), phi(minus)
        scales += [sp, sm]
        results.append((float(np.sum(a * d)), (fp - fm) / (2 * t)))
    scale = max(_scale(scales), value_scale)
    rows = []
    for k, (ana, num) in enumerate(results):
        allowed = (SAFETY * (EPS * scale + TINY) / t if atol is None else atol) + rtol * max(abs(ana), abs(num))
        diff = abs(ana - num)
        if not diff <= allowed:
            rows.append((np.inf if np.isnan(diff) else diff, k, ana, num, allowed))
    if not rows:
        return
    diff, k, ana, num, allowed = max(rows)
    ana_text, num_text = _pair(ana, num)
    raise GradientMismatch("\n".join([
        f"{name} is wrong: its directional derivative along a random direction disagrees with the numerical one "
        f"({len(rows)} of {directions} directions, {phi_text}).",
        f"  direction {k + 1} of {directions} (seed={seed}): analytic . u = {ana_text}, but numerical "
        f"(phi(x + t u) - phi(x - t u)) / 2t = {num_text} (|diff|={diff:.2g}, allowed {allowed:.2g})",
        "Fast mode compares derivatives along random unit directions u, so it cannot point at the wrong element.",
        f"To locate it, rerun with mode=\"full\" on a smaller input (x has {x.size} elements, shape {x.shape}).",
        _rule(rtol, atol, scale, h, "fast"),
    ]))
