"""Finite differences: eval_numerical_gradient (centered), eval_numerical_gradient_forward and
eval_numerical_gradient_array (centered, contracted with an upstream gradient df).

centered  grad[i] = (f(x + h e_i) - f(x - h e_i)) / 2h,  error h^2/6 f'''(xi) for smooth f: O(h^2);
forward   grad[i] = (f(x + h e_i) - f(x)) / h,           error h/2 f''(xi):                  O(h);
array     grad[i] = sum((f(x + h e_i) - f(x - h e_i)) * df) / 2h, the gradient of sum(f(x) * df).

The test functions are sums over the entries of x of g(t) = a e^t + b t^p + c sin t, with coefficients a, b, c drawn
per entry, so that every derivative is known exactly and bounded on an interval: the errors of the quotients can
be derived, not guessed.
"""

from dataclasses import dataclass
from math import factorial

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.expect import EPS
from spec.property import alternative, mutant, prop

CONCEPT = "numerical gradient"
CENTERED = "CS231n lecture 4 (2015), slide 42: 'in practice: centered difference formula' (f(x + h) - f(x - h)) / 2h"
FORWARD = "CS231n lecture 4 (2015), slide 41: 'finite difference approximation' (f(x + h) - f(x)) / h"
NUMERIC = "CS231n lecture 4 (2015), slides 40-43: 'evaluating the gradient numerically', one entry of x at a time"
U = EPS / 2  # the unit roundoff: one float64 operation is off by at most U relative
TINY = float(np.finfo(np.float64).tiny)  # 2.2e-308: below it numbers lose relative precision (gradual underflow)

MAX_SIDE = 4  # x is (N, D) with N, D <= 4: each call evaluates f 2 N D times


@dataclass(frozen=True)
class SeparableSum:
    """f(x) = sum over the entries of x of a e^x + b x^p + c sin x (a, b, c arrays shaped like x), a float."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    p: int

    def __call__(self, z) -> float:
        return float(np.sum(self.a * np.exp(z) + self.b * z**self.p + self.c * np.sin(z)))

    def derivative(self, x, k: int = 1) -> np.ndarray:
        """The k-th derivative of each entry's term at x (k >= 1)."""
        poly = self.b * (factorial(self.p) // factorial(self.p - k)) * x ** (self.p - k) if k <= self.p else 0.0
        trig = (np.cos, lambda t: -np.sin(t), lambda t: -np.cos(t), np.sin)[(k - 1) % 4](x)
        return self.a * np.exp(x) + poly + self.c * trig

    def bound(self, x, h, k: int) -> np.ndarray:
        """An upper bound on |k-th derivative| over [x - h, x + h], entry by entry."""
        r = np.abs(x) + h
        poly = np.abs(self.b) * (factorial(self.p) // factorial(self.p - k)) * r ** (self.p - k) if k <= self.p else 0.0
        return np.abs(self.a) * np.exp(x + h) + poly + np.abs(self.c)

    def magnitude(self, x, h) -> float:
        """S: an upper bound on the sum of the absolute values of the numbers f adds up, within h of x."""
        return float(np.sum(self.bound(x, h, 0)))


def rounding_part(f: SeparableSum, x, h, *, centered: bool) -> np.ndarray:
    """The part of a difference quotient's error that comes from float64 rounding, entry by entry.

    Each term a e^t + b t^p + c sin t is computed in at most 8 roundings (exp and sin within 1 ulp = 2U, three
    products, t^p, two sums): off by <= 8 U times the sum of its parts' sizes; summing the N D terms adds up to
    N D U relative. So one evaluation of f is off by <= (N D + 8) U S, S = f.magnitude; a difference of two, by
    twice that; divided by 2h (centered) or h (forward).
    The perturbed entry x_i + h is rounded too: the step actually taken is off by <= U (|x_i| + h) per perturbed
    point, so the quotient is |f'| U (|x_i| + h) / h off (both formulas), and the subtraction and the division add
    2 U |f'|.
    A tiny coefficient can make a term subnormal, where its error is absolute, up to TINY: (N D) TINY more for
    each evaluation.
    """
    evaluations = ((x.size + 8) * U * f.magnitude(x, h) + x.size * TINY) * (1 if centered else 2) / h
    steps = np.abs(f.derivative(x)) * (U * (np.abs(x) + h) / h + 2 * U)
    return evaluations + steps


def truncation_part(f: SeparableSum, x, h, *, centered: bool) -> np.ndarray:
    """Taylor: (g(t + h) - g(t - h)) / 2h - g'(t) = h^2/6 g'''(xi) and (g(t + h) - g(t)) / h - g'(t) = h/2 g''(xi),
    for some xi within h of t."""
    return h * h / 6 * f.bound(x, h, 3) if centered else h / 2 * f.bound(x, h, 2)


def quotient_tolerance(f, x, h, *, centered: bool) -> np.ndarray:
    """Truncation plus rounding, with a safety factor of 2 (the parts are bounds, never estimates)."""
    return 2 * (truncation_part(f, x, h, centered=centered) + rounding_part(f, x, h, centered=centered))


# Strategies.


def points(low=-2.0, high=2.0):
    """x of shape (N, D), N, D in [1, 4], entries in [low, high] (0 and +-1 often)."""
    shapes = st.tuples(st.integers(1, MAX_SIDE), st.integers(1, MAX_SIDE))
    values = st.one_of(st.sampled_from([0.0, 1.0, -1.0, low, high]), st.floats(low, high, allow_subnormal=False))
    return shapes.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=values))


@st.composite
def separable_sums(draw, p, a=(-2.0, 2.0), b=(-2.0, 2.0), c=(-2.0, 2.0), low=-2.0, high=2.0):
    """(f, x): a SeparableSum with per-entry coefficients drawn from the given ranges, and a point x."""
    x = draw(points(low, high))

    def coefficients(bounds):
        return draw(hnp.arrays(np.float64, x.shape, elements=st.floats(*bounds, allow_subnormal=False)))

    return SeparableSum(coefficients(a), coefficients(b), coefficients(c), p), x


def sums_with_third_derivative_at_least_2():
    """a e^t + b t^3 + c sin t with a, b in [0.5, 2], c in [-1, 1], t in [-2, 2]:
    g''' = a e^t + 6 b - c cos t >= 0.5 e^-2.01 + 3 - 1 > 2 within h = 0.01 of x."""
    return separable_sums(3, a=(0.5, 2.0), b=(0.5, 2.0), c=(-1.0, 1.0))


def sums_with_second_derivative_at_least_half():
    """a e^t + b t^2 + c sin t with a, b in [0.5, 2], c in [-0.5, 0.5], t in [-2, 2]:
    g'' = a e^t + 2 b - c sin t >= 0.5 e^-2.01 + 1 - 0.5 > 0.56 within h = 0.01 of x."""
    return separable_sums(2, a=(0.5, 2.0), b=(0.5, 2.0), c=(-0.5, 0.5))


# A fixed smooth example: coefficients and a point where nothing is special.
X0 = np.array([[0.3, -1.2, 1.7], [-0.4, 0.9, -2.0]])
CUBIC0 = SeparableSum(np.full((2, 3), 1.5), np.array([[0.5, 1.0, 2.0], [1.5, 0.7, 1.2]]), np.full((2, 3), -0.8), 3)
QUADRATIC0 = SeparableSum(np.full((2, 3), 0.7), np.array([[0.5, 1.0, 2.0], [1.5, 0.7, 1.2]]), np.full((2, 3), 0.4), 2)


# Convergence. With H = 1e-2 and H/2, truncation dominates rounding by a factor of 10^4 or more:
# centered: truncation >= (5e-3)^2 / 6 * 2 = 8.3e-6; rounding <= (16 + 8) U S / 5e-3 with S <= 16 (2 e^2.01 +
#   2 * 2.01^3 + 1) < 520, i.e. < 2.8e-10, plus |g'| U (|x| + h) / h < 40 * 1.1e-16 * 2.01 / 5e-3 < 2e-12.
# forward: truncation >= 5e-3 / 2 * 0.56 = 1.4e-3; rounding <= 2 * (16 + 8) U S / 5e-3 with S < 400: < 5e-10.
# So the ratios are set by the Taylor series alone:
# centered: E(h) = h^2/6 g''' + h^4/120 g^(5) + ...; E(h) / E(h/2) = 4 (1 + h^2 g5 / 20 g3) / (1 + h^2 g5 / 80 g3)
#   with |g^(5)| = |a e^t + c cos t| <= 2 e^2.01 + 1 < 16 and g''' > 2: 4 (1 +- 4e-5). [3, 5] is far from it.
# forward: E(h) = h/2 g'' + h^2/6 g''' + ...; E(h) / E(h/2) = 2 (1 + h g''' / 6 g'' + O(h^2))
#   with |g'''| = |a e^t - c cos t| < 15.4 and g'' > 0.56: 2 (1 +- 0.05). [1.6, 2.4] is far from it.
H = 1e-2


@prop(CONCEPT, CENTERED, "On smooth functions the centered difference's error shrinks about 4x when h halves (it is O(h^2)).")
@given(fx=sums_with_third_derivative_at_least_2())
@example(fx=(CUBIC0, X0))
def test_centered_difference_error_shrinks_4x_when_h_halves(eval_numerical_gradient, fx):
    f, x = fx
    exact = f.derivative(x)
    coarse = np.abs(eval_numerical_gradient(f, x.copy(), h=H) - exact)
    fine = np.abs(eval_numerical_gradient(f, x.copy(), h=H / 2) - exact)
    ratio = coarse / fine
    expect.holds("error(h=1e-2) / error(h=5e-3)", ratio, (ratio >= 3) & (ratio <= 5),
                 "in [3, 5]: about 4, since the centered difference's error is h^2/6 f'''",
                 inputs={"x": x, "exact gradient": exact, "error at h=1e-2": coarse, "error at h=5e-3": fine})


@prop(CONCEPT, FORWARD, "On smooth functions the forward difference's error shrinks about 2x when h halves (it is O(h)).")
@given(fx=sums_with_second_derivative_at_least_half())
@example(fx=(QUADRATIC0, X0))
def test_forward_difference_error_shrinks_2x_when_h_halves(eval_numerical_gradient_forward, fx):
    f, x = fx
    exact = f.derivative(x)
    coarse = np.abs(eval_numerical_gradient_forward(f, x.copy(), h=H) - exact)
    fine = np.abs(eval_numerical_gradient_forward(f, x.copy(), h=H / 2) - exact)
    ratio = coarse / fine
    expect.holds("error(h=1e-2) / error(h=5e-3)", ratio, (ratio >= 1.6) & (ratio <= 2.4),
                 "in [1.6, 2.4]: about 2, since the forward difference's error is h/2 f''",
                 inputs={"x": x, "exact gradient": exact, "error at h=1e-2": coarse, "error at h=5e-3": fine})


# Agreement with the analytic gradient at the default h = 1e-5, to the tolerance derived in quotient_tolerance.


@prop(CONCEPT, CENTERED, "With the default h = 1e-5 the centered difference agrees with the analytic gradient up to h^2/6 |f'''| and rounding.")
@given(fx=separable_sums(3))
@example(fx=(CUBIC0, X0))
def test_centered_difference_matches_the_analytic_gradient(eval_numerical_gradient, fx):
    f, x = fx
    h = 1e-5  # the contract's default, which is what the call below uses
    expect.close("eval_numerical_gradient(f, x)", eval_numerical_gradient(f, x.copy()), f.derivative(x),
                 atol=quotient_tolerance(f, x, h, centered=True), why="the analytic gradient a e^x + 3 b x^2 + c cos x",
                 inputs={"x": x, "a": f.a, "b": f.b, "c": f.c})


@prop(CONCEPT, FORWARD, "With the default h = 1e-5 the forward difference agrees with the analytic gradient up to h/2 |f''| and rounding.")
@given(fx=separable_sums(2))
@example(fx=(QUADRATIC0, X0))
def test_forward_difference_matches_the_analytic_gradient(eval_numerical_gradient_forward, fx):
    f, x = fx
    h = 1e-5
    expect.close("eval_numerical_gradient_forward(f, x)", eval_numerical_gradient_forward(f, x.copy()),
                 f.derivative(x), atol=quotient_tolerance(f, x, h, centered=False),
                 why="the analytic gradient a e^x + 2 b x + c cos x", inputs={"x": x, "a": f.a, "b": f.b, "c": f.c})


# Worked example: f(x) = sum(x^2). The centered difference of a quadratic is exact, ((t + h)^2 - (t - h)^2) / 2h =
# 2t; the forward difference is ((t + h)^2 - t^2) / h = 2t + h exactly. Only rounding remains (rounding_part).
SQUARE_X = np.array([[1.0, -2.0], [0.5, 3.0]])
SQUARE = SeparableSum(np.zeros((2, 2)), np.ones((2, 2)), np.zeros((2, 2)), 2)


@prop(CONCEPT, CENTERED, "Worked example: for f(x) = sum(x^2) at x = [[1, -2], [0.5, 3]] the centered difference is exactly 2x = [[2, -4], [1, 6]], up to rounding.")
def test_centered_difference_of_a_square_is_2x(eval_numerical_gradient):
    h = 1e-5
    expect.close("eval_numerical_gradient(sum(x^2), x)", eval_numerical_gradient(SQUARE, SQUARE_X.copy()),
                 2 * SQUARE_X, atol=2 * rounding_part(SQUARE, SQUARE_X, h, centered=True),
                 why="((x + h)^2 - (x - h)^2) / 2h = 2x", inputs={"x": SQUARE_X})


@prop(CONCEPT, FORWARD, "Worked example: for f(x) = sum(x^2) at x = [[1, -2], [0.5, 3]] the forward difference is exactly 2x + h, up to rounding.")
def test_forward_difference_of_a_square_is_2x_plus_h(eval_numerical_gradient_forward):
    h = 1e-5
    expect.close("eval_numerical_gradient_forward(sum(x^2), x)",
                 eval_numerical_gradient_forward(SQUARE, SQUARE_X.copy()), 2 * SQUARE_X + h,
                 atol=2 * rounding_part(SQUARE, SQUARE_X, h, centered=False),
                 why="((x + h)^2 - x^2) / h = 2x + h with h = 1e-5", inputs={"x": SQUARE_X})


# The array variant: for f(x) = tanh(x) (elementwise) or f(x) = x W, the gradient of sum(f(x) * df) is known.


@dataclass(frozen=True)
class ArrayFunction:
    """tanh(x) elementwise (W is None) or x W; with its vector-Jacobian product and error bounds."""

    W: np.ndarray | None

    def __call__(self, z):
        return np.tanh(z) if self.W is None else z @ self.W

    def vjp(self, x, df):
        return df * (1 - np.tanh(x) ** 2) if self.W is None else df @ self.W.T

    def magnitude(self, x, h):
        """F: bounds on |f(z)| entry by entry for z within h of x (|tanh| <= 1; |z W| <= (|x| + h) |W|)."""
        return np.ones_like(x) if self.W is None else (np.abs(x) + h) @ np.abs(self.W)

    def truncation(self, x, df, h):
        """h^2/6 |f'''| |df|: tanh''' = -2 + 8 tanh^2 - 6 tanh^4 lies in [-2, 2/3]; x W is linear, exact."""
        return h * h / 6 * 2 * np.abs(df) if self.W is None else np.zeros_like(x)


def array_tolerance(f: ArrayFunction, x, df, h):
    """Entry by entry: 2 * (truncation + rounding + step).

    Each output f_k is off by <= delta_k = (D + 2) U F_k (tanh within 1 ulp; a dot product of D terms within D U
    of |x| |W|). sum((f(x+) - f(x-)) * df) is then off by 2 sum_k |df_k| delta_k, and forming and summing the N M
    products (or two sums first, then their difference) by <= 2 N M U sum_k |df_k| F_k; divided by 2h. The rounded
    step x_i +- h adds |grad_i| (U (|x_i| + h) / h + 2 U), as for the scalar quotients.
    """
    n, d = x.shape
    m = df.shape[1]
    rounding = (d + 2 + n * m) * U * np.sum(np.abs(df) * f.magnitude(x, h)) / h
    rounding += (2 * np.abs(df).max() + 1) * n * m * TINY / (2 * h)
    exact = f.vjp(x, df)
    step = np.abs(exact) * (U * (np.abs(x) + h) / h + 2 * U)
    return 2 * (f.truncation(x, df, h) + rounding + step)


@st.composite
def array_functions_with_upstream(draw):
    """(f, x, df): f = tanh or x W (W of shape (D, M), M in [1, 4]), x (N, D) in [-2, 2], df (N, M) in [-10, 10]."""
    x = draw(points())
    n, d = x.shape
    if draw(st.booleans()):
        f = ArrayFunction(None)
        m = d
    else:
        m = draw(st.integers(1, MAX_SIDE))
        f = ArrayFunction(draw(hnp.arrays(np.float64, (d, m), elements=st.floats(-3, 3, allow_subnormal=False))))
    df = draw(hnp.arrays(np.float64, (n, m), elements=st.floats(-10, 10, allow_subnormal=False)))
    return f, x, df


DF0 = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.5]])
W0 = np.array([[1.0, -1.0], [0.5, 2.0], [-3.0, 0.25]])


@prop(CONCEPT, NUMERIC, "The array variant returns the gradient of sum(f(x) * df): df * (1 - tanh(x)^2) for tanh, df W^T for x W.")
@given(fxd=array_functions_with_upstream())
@example(fxd=(ArrayFunction(None), X0, DF0))
@example(fxd=(ArrayFunction(W0), X0, DF0[:, :2]))
def test_array_variant_is_the_vector_jacobian_product(eval_numerical_gradient_array, fxd):
    f, x, df = fxd
    h = 1e-5
    what = "tanh(x)" if f.W is None else "x W"
    expect.close(f"eval_numerical_gradient_array({what}, x, df)", eval_numerical_gradient_array(f, x.copy(), df),
                 f.vjp(x, df), atol=array_tolerance(f, x, df, h),
                 why="df * (1 - tanh(x)^2)" if f.W is None else "df W^T",
                 inputs={"x": x, "df": df} if f.W is None else {"x": x, "W": f.W, "df": df})


# x must be left as it was found, bit for bit.


@st.composite
def points_and_steps(draw):
    """(x, h): x (N, D) with entries up to 1000 in size, among them decimals like 0.1 and 0.7 that x + h - 2h + h
    does not round back to, and h among 1e-5 (the default), 1e-4 and 1e-3."""
    shape = draw(st.tuples(st.integers(1, MAX_SIDE), st.integers(1, MAX_SIDE)))
    values = st.one_of(st.sampled_from([0.1, 0.7, 1.1, -0.1]), st.floats(-1e3, 1e3, allow_subnormal=False))
    return draw(hnp.arrays(np.float64, shape, elements=values)), draw(st.sampled_from([1e-5, 1e-4, 1e-3]))


def sum_of_sines(z):
    return float(np.sum(np.sin(z)))


def check_unchanged(x, before, call):
    same_bits = x.view(np.uint64) == before.view(np.uint64)
    expect.holds("x after the call", x, same_bits,
                 f"exactly its value before {call}, bit for bit: save x[i] and write it back; x[i] + h - 2h + h "
                 "need not round back to x[i]", inputs={"x before the call": before})


ROUNDING_X = np.array([[0.1, 0.7, 1.1]])  # x[i] + 1e-5 - 2e-5 + 1e-5 != x[i] for each of these


@prop(CONCEPT, NUMERIC, "eval_numerical_gradient leaves x exactly as it found it, bit for bit.")
@given(xh=points_and_steps())
@example(xh=(ROUNDING_X, 1e-5))
def test_centered_difference_leaves_x_unchanged(eval_numerical_gradient, xh):
    x, h = xh
    before = x.copy()
    eval_numerical_gradient(sum_of_sines, x, h=h)
    check_unchanged(x, before, f"eval_numerical_gradient(f, x, h={h:g})")


@prop(CONCEPT, NUMERIC, "eval_numerical_gradient_forward leaves x exactly as it found it, bit for bit.")
@given(xh=points_and_steps())
@example(xh=(ROUNDING_X, 1e-5))
def test_forward_difference_leaves_x_unchanged(eval_numerical_gradient_forward, xh):
    x, h = xh
    before = x.copy()
    eval_numerical_gradient_forward(sum_of_sines, x, h=h)
    check_unchanged(x, before, f"eval_numerical_gradient_forward(f, x, h={h:g})")


@prop(CONCEPT, NUMERIC, "eval_numerical_gradient_array leaves x exactly as it found it, bit for bit.")
@given(xh=points_and_steps())
@example(xh=(ROUNDING_X, 1e-5))
def test_array_variant_leaves_x_unchanged(eval_numerical_gradient_array, xh):
    x, h = xh
    before = x.copy()
    eval_numerical_gradient_array(np.tanh, x, np.ones_like(x), h=h)
    check_unchanged(x, before, f"eval_numerical_gradient_array(tanh, x, df, h={h:g})")


# Mutants: numerical gradients as students get them wrong.


@mutant(of="eval_numerical_gradient", kills=[test_centered_difference_error_shrinks_4x_when_h_halves, test_centered_difference_matches_the_analytic_gradient])
def centered_difference_that_is_one_sided(f, x, h=1e-5):
    """Called centered, computes (f(x + h) - f(x)) / h: an O(h) error, not O(h^2)."""
    grad, fx = np.zeros_like(x), f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad


@mutant(of="eval_numerical_gradient_forward", kills=[test_forward_difference_error_shrinks_2x_when_h_halves, test_forward_difference_matches_the_analytic_gradient, test_forward_difference_of_a_square_is_2x_plus_h])
@mutant(of="eval_numerical_gradient", kills=[test_centered_difference_error_shrinks_4x_when_h_halves, test_centered_difference_matches_the_analytic_gradient, test_centered_difference_of_a_square_is_2x])
def centered_difference_divided_by_h(f, x, h=1e-5):
    """(f(x + h) - f(x - h)) / h: a step of 2h over h, twice the gradient (as the centered or the forward one)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / h
    return grad


@mutant(of="eval_numerical_gradient", kills=[test_centered_difference_leaves_x_unchanged])
def centered_difference_that_forgets_to_restore_x(f, x, h=1e-5):
    """Sets x[i] to x[i] + h, then x[i] - h, and moves on: x ends shifted by -h everywhere."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        fp = f(x)
        x[i] = old - h
        fm = f(x)
        grad[i] = (fp - fm) / (2 * h)
    return grad


@mutant(of="eval_numerical_gradient", kills=[test_centered_difference_leaves_x_unchanged])
def centered_difference_restoring_x_by_arithmetic(f, x, h=1e-5):
    """x[i] += h; x[i] -= 2h; x[i] += h: on paper x[i] again, in float64 often one ulp off (0.1 + 1e-5 - ...)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        fp = f(x)
        x[i] -= 2 * h
        fm = f(x)
        x[i] += h
        grad[i] = (fp - fm) / (2 * h)
    return grad


@mutant(of="eval_numerical_gradient_forward", kills=[test_forward_difference_leaves_x_unchanged])
def forward_difference_that_forgets_to_restore_x(f, x, h=1e-5):
    """Evaluates f(x) once, then adds h to each entry in turn and never takes it back off."""
    grad, fx = np.zeros_like(x), f(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        grad[i] = (f(x) - fx) / h
    return grad


@mutant(of="eval_numerical_gradient_array", kills=[test_array_variant_is_the_vector_jacobian_product])
def array_variant_ignoring_df(f, x, df, h=1e-5):
    """Differentiates sum(f(x)) instead of sum(f(x) * df): the upstream gradient is dropped."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        pos = np.array(f(x))
        x[i] = old - h
        neg = np.array(f(x))
        x[i] = old
        grad[i] = np.sum(pos - neg) / (2 * h)
    return grad


@mutant(of="eval_numerical_gradient_array", kills=[test_array_variant_leaves_x_unchanged])
def array_variant_restoring_x_by_arithmetic(f, x, df, h=1e-5):
    """x[i] += h; x[i] -= 2h; x[i] += h around the two evaluations: x may end an ulp off."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        pos = np.array(f(x))
        x[i] -= 2 * h
        neg = np.array(f(x))
        x[i] += h
        grad[i] = np.sum((pos - neg) * df) / (2 * h)
    return grad


# Correct alternatives: written another way, they must pass every property above.


@alternative(of="eval_numerical_gradient")
def centered_difference_with_nditer(f, x, h=1e-5):
    """CS231n's gradient_check.eval_numerical_gradient: np.nditer over multi-indices, in place, old value restored."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    return grad


@alternative(of="eval_numerical_gradient")
def centered_difference_on_perturbed_copies(f, x, h=1e-5):
    """Never touches x: builds x + h e_i and x - h e_i as fresh arrays, all at once, then evaluates f on each."""
    n = x.size
    steps = (h * np.eye(n)).reshape((n,) + x.shape)
    plus, minus = x[None] + steps, x[None] - steps
    values = np.array([[f(p), f(m)] for p, m in zip(plus, minus)], dtype=np.float64)
    return ((values[:, 0] - values[:, 1]) / (2 * h)).reshape(x.shape)


@alternative(of="eval_numerical_gradient_forward")
def forward_difference_with_nditer(f, x, h=1e-5):
    """CS231n's loop with f(x) evaluated once and the forward quotient."""
    fx = f(x)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxh = f(x)
        x[ix] = oldval
        grad[ix] = (fxh - fx) / h
        it.iternext()
    return grad


@alternative(of="eval_numerical_gradient_forward")
def forward_difference_on_copies(f, x, h=1e-5):
    """Never touches x: a fresh copy per entry, flat indices."""
    fx = f(x.copy())
    grad = np.empty(x.size)
    for k in range(x.size):
        z = x.copy()
        z.flat[k] += h
        grad[k] = (f(z) - fx) / h
    return grad.reshape(x.shape)


@alternative(of="eval_numerical_gradient_array")
def array_variant_with_nditer(f, x, df, h=1e-5):
    """CS231n's gradient_check.eval_numerical_gradient_array: copies of f(x +- h), then sum((pos - neg) * df)."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = f(x).copy()
        x[ix] = oldval - h
        neg = f(x).copy()
        x[ix] = oldval
        grad[ix] = np.sum((pos - neg) * df) / (2 * h)
        it.iternext()
    return grad


@alternative(of="eval_numerical_gradient_array")
def array_variant_of_two_contracted_sums(f, x, df, h=1e-5):
    """phi(z) = sum(f(z) * df) first, then the scalar centered quotient of phi, on copies of x."""
    grad = np.empty(x.size)
    for k in range(x.size):
        plus, minus = x.copy(), x.copy()
        plus.flat[k] += h
        minus.flat[k] -= h
        grad[k] = (np.sum(f(plus) * df) - np.sum(f(minus) * df)) / (2 * h)
    return grad.reshape(x.shape)
