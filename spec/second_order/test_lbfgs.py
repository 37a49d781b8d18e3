"""L-BFGS: lbfgs_direction(g, s_history, y_history, gamma) -> -H_k g by the two-loop recursion, and lbfgs(fun, grad,
x0, m, gtol, max_iter) -> OptimizeResult, the method that keeps only the last m pairs (s, y).

The two-loop recursion applies H_k, the BFGS updates of H_0 = gamma I by the stored pairs in order, to g without
forming a matrix: with every pair in memory its direction is BFGS's. Tolerances come from history_bound in
quasi_newton_common.py (the rounding of any correct way of applying k updates).
"""

from __future__ import annotations


import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spec import expect
from spec.property import alternative, mutant, prop
from spec.second_order.quasi_newton_common import (
    LINE_SEARCH, TWO_LOOP, U, Lorentzian, Quadratic, Rosenbrock, SpecQuasiNewton, as_lbfgs, bfgs_product_form, check_fields,
    check_lorentzian, check_monotone, check_quadratic_minimizer, check_rosenbrock, check_steps_follow, dimensions, gammas,
    history_bound, lorentzian_starts, pair_histories, quadratics, spec_two_loop,
)

DIRECTION = "L-BFGS two-loop recursion"
SOLVER = "L-BFGS"

# Three pairs in 2-D with different curvatures, so the loops' order, each rho and each gamma matter.
S3 = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
Y3 = np.array([[2.0, 0.5], [0.5, 1.0], [4.0, 1.0]])
G3 = np.array([1.0, -2.0])
STIFF = Quadratic(np.array([[5.5, 4.5], [4.5, 5.5]]), np.array([1.0, -2.0]))
START = np.array([-4.0, 5.0])
ILL = Quadratic(np.array([[5.05, 4.95], [4.95, 5.05]]), np.array([1.0, -2.0]))


GRADIENT_ENTRIES = st.floats(-5, 5, allow_subnormal=False)


def gradients(n):
    return hnp.arrays(np.float64, (n,), elements=GRADIENT_ENTRIES)


def direction_inputs(min_pairs=0):
    """(g, S, Y): a gradient with entries in [-5, 5] and k in [min_pairs, 4] curvature pairs."""
    return dimensions().flatmap(lambda n: st.tuples(gradients(n), pair_histories(n, 4, min_pairs))).map(
        lambda p: (p[0], p[1][0], p[1][1]))


def bfgs_matrix(S, Y, gamma):
    """H_k: the BFGS updates (product form) of gamma I by the pairs, oldest first."""
    H = gamma * np.eye(S.shape[1])
    for s, y in zip(S, Y):
        H = bfgs_product_form(H, s, y)
    return H


def direction_inputs_text(g, S, Y, gamma):
    return {"g": g, "s_history": S, "y_history": Y, "gamma": gamma}


@prop(DIRECTION, TWO_LOOP, "lbfgs_direction(g, S, Y, gamma) equals -H_k g, H_k the BFGS updates of gamma I by the pairs in order: with every pair in memory, L-BFGS and BFGS agree.")
@given(inputs=direction_inputs(), gamma=gammas())
@example(inputs=(G3, S3, Y3), gamma=0.5)
def test_lbfgs_direction_equals_bfgs_from_gamma_I(lbfgs_direction, inputs, gamma):
    g, S, Y = inputs
    d = lbfgs_direction(g, S, Y, gamma)
    E, factor = history_bound(S, Y, gamma)
    # Both the two-loop recursion and the matrix form here are off by at most factor U E |g| (history_bound).
    expect.close("lbfgs_direction(g, s_history, y_history, gamma)", d, -bfgs_matrix(S, Y, gamma) @ g,
                 atol=2 * factor * U * (E @ np.abs(g)), why="-H_k g with H_k = BFGS updates of gamma I",
                 inputs=direction_inputs_text(g, S, Y, gamma))


@prop(DIRECTION, TWO_LOOP, "With no pairs (k = 0) lbfgs_direction is -gamma g, and -g when gamma is None: one product per entry, exactly.")
@given(inputs=dimensions().flatmap(gradients).map(
    lambda g: (g, np.zeros((0, len(g))), np.zeros((0, len(g))))), gamma=gammas())
def test_lbfgs_direction_without_pairs_is_minus_gamma_g(lbfgs_direction, inputs, gamma):
    g, S, Y = inputs
    expect.equal("lbfgs_direction(g, empty, empty, gamma)", lbfgs_direction(g, S, Y, gamma), -(gamma * g),
                 why="-gamma g: H_0 = gamma I", inputs=direction_inputs_text(g, S, Y, gamma))
    expect.equal("lbfgs_direction(g, empty, empty)", lbfgs_direction(g, S, Y), -g,
                 why="-g: gamma None is 1 without pairs", inputs=direction_inputs_text(g, S, Y, None))


@prop(DIRECTION, TWO_LOOP, "gamma None takes gamma = s^T y / y^T y of the newest pair (Nocedal and Wright, eq. 7.20).")
@given(inputs=direction_inputs(min_pairs=1))
@example(inputs=(G3, S3, Y3))
def test_lbfgs_direction_scales_by_the_newest_pair(lbfgs_direction, inputs):
    g, S, Y = inputs
    gamma = float(S[-1] @ Y[-1]) / float(Y[-1] @ Y[-1])
    E, factor = history_bound(S, Y, gamma)
    # gamma itself is off by (n kappa + n + 2) U relative (y^T s cancels by kappa <= 5.1 here, y^T y does not), and
    # H_k is affine in gamma with its gamma part bounded by E: that adds (n (kappa + 1) + 2) U E |g| <= the factor.
    expect.close("lbfgs_direction(g, s_history, y_history)", lbfgs_direction(g, S, Y),
                 -bfgs_matrix(S, Y, gamma) @ g, atol=3 * factor * U * (E @ np.abs(g)),
                 why="-H_k g with H_0 = (s^T y / y^T y of the newest pair) I",
                 inputs=direction_inputs_text(g, S, Y, None))


# The solver.


@prop(SOLVER, LINE_SEARCH, "lbfgs's loss_history never increases (its line search accepts only steps that do not raise the loss), on convex quadratics and on Rosenbrock.")
@given(problem=quadratics(), m=st.integers(1, 5), max_iter=st.integers(1, 30))
@example(problem=(Rosenbrock(), Rosenbrock.START, None), m=3, max_iter=60)
@example(problem=(ILL, START, None), m=1, max_iter=30)
def test_lbfgs_loss_never_increases(lbfgs, problem, m, max_iter):
    f, x0, _ = problem
    f = f.fresh()
    check_monotone("lbfgs", lbfgs(f.fun, f.grad, x0, m=m, max_iter=max_iter), f, x0)


@prop(SOLVER, LINE_SEARCH, "lbfgs converges on strictly convex quadratics: success, and x within ||A^-1||_inf (gtol + rounding) of the minimizer.")
@given(problem=quadratics(), m=st.integers(1, 5))
@example(problem=(ILL, START, None), m=2)
def test_lbfgs_converges_on_strictly_convex_quadratics(lbfgs, problem, m):
    f, x0, _ = problem
    f = f.fresh()
    check_quadratic_minimizer("lbfgs", lbfgs(f.fun, f.grad, x0, m=m), f, x0, 1e-8)


@prop(SOLVER, LINE_SEARCH, "lbfgs reaches Rosenbrock's minimizer (1, 1) from (-1.2, 1) within 2 * 3.005 * gtol, with m = 1, 3 and 10.")
def test_lbfgs_converges_on_rosenbrock(lbfgs):
    f = Rosenbrock()
    for m in (1, 3, 10):
        check_rosenbrock(f"lbfgs (m={m})", lbfgs(f.fun, f.grad, Rosenbrock.START, m=m), f, 1e-8)


@prop(SOLVER, LINE_SEARCH, "lbfgs converges on the non-convex sum log(1 + (x_i - 1)^2), where some steps have y^T s <= 0 (those pairs must not be stored): success, and x within gtol of (1, ..., 1).")
@given(x0=lorentzian_starts(), m=st.integers(1, 5))
@example(x0=np.array([5.22086909, 3.79024265, -5.967138]), m=3)
def test_lbfgs_converges_on_a_non_convex_function(lbfgs, x0, m):
    f = Lorentzian()
    check_lorentzian("lbfgs", lbfgs(f.fun, f.grad, x0, m=m), f, x0, 1e-8)


@prop(SOLVER, LINE_SEARCH, "lbfgs's result agrees with itself: fun == loss(x), loss_history[0] == loss(x0), loss_history[-1] == fun, nit <= max_iter, success only when max|grad(x)| <= gtol, and success=False when max_iter <= 5 on Rosenbrock.")
@given(problem=quadratics(), m=st.integers(1, 5), max_iter=st.integers(0, 40), gtol=st.sampled_from([1e-8, 1e-4, 1e-2]))
@example(problem=(Rosenbrock(), Rosenbrock.START, None), m=5, max_iter=3, gtol=1e-8)
@example(problem=(Rosenbrock(), Rosenbrock.START, None), m=5, max_iter=1000, gtol=1e-8)
def test_lbfgs_result_fields_agree(lbfgs, problem, m, max_iter, gtol):
    f, x0, _ = problem
    f = f.fresh()
    check_fields("lbfgs", lbfgs(f.fun, f.grad, x0, m=m, gtol=gtol, max_iter=max_iter), f, x0, gtol, max_iter)
    if max_iter <= 5:
        rosen = Rosenbrock()
        result = lbfgs(rosen.fun, rosen.grad, Rosenbrock.START, m=m, max_iter=max_iter)
        expect.equal("lbfgs(...).success", float(bool(result.success)), 0.0,
                     why="False: (1, 1) is more than 5 iterations from (-1.2, 1), so max_iter ran out",
                     inputs={"function": repr(rosen), "x0": Rosenbrock.START, "m": m, "max_iter": max_iter,
                             "nit": result.nit})


@prop(SOLVER, TWO_LOOP, "Each step of lbfgs is a positive multiple of the two-loop direction over the last m pairs, gamma from the newest pair (on convex quadratics).")
@given(problem=quadratics(min_n=2, low=1.0), m=st.integers(1, 3))
@example(problem=(STIFF, START, None), m=1)
def test_lbfgs_steps_along_the_two_loop_direction_of_the_last_m_pairs(lbfgs, problem, m):
    f, x0, _ = problem
    f = f.fresh()
    result = lbfgs(f.fun, f.grad, x0, m=m)
    check_steps_follow("lbfgs", result, f, x0, lambda g, S, Y: [spec_two_loop(g, S[-m:] if len(S) else S,
                                                                             Y[-m:] if len(Y) else Y)],
                       lambda k: f"the two-loop direction over the last min(k, m) = {min(k, m)} pairs (m = {m})")


# Mutants of lbfgs_direction.


def two_loop(g, S, Y, gamma=None, *, first_order=None, second_order=None, rho_of=None, gamma_pair=-1, sign=-1.0):
    """The two-loop recursion with each choice a parameter, for the mutants below."""
    k = len(S)
    if gamma is None:
        gamma = float(S[gamma_pair] @ Y[gamma_pair]) / float(Y[gamma_pair] @ Y[gamma_pair]) if k else 1.0
    rho = [1.0 / float(Y[i] @ S[i]) for i in range(k)]
    rho_at = rho_of or (lambda i: rho[i])
    q = np.array(g, dtype=np.float64)
    alpha = np.zeros(k)
    for i in (first_order or reversed(range(k))):
        alpha[i] = rho_at(i) * (S[i] @ q)
        q = q - alpha[i] * Y[i]
    r = gamma * q
    for i in (second_order or range(k)):
        beta = rho[i] * (Y[i] @ r)
        r = r + (alpha[i] - beta) * S[i]
    return sign * r


@mutant(of="lbfgs_direction", kills=[test_lbfgs_direction_equals_bfgs_from_gamma_I,
                                     test_lbfgs_direction_scales_by_the_newest_pair])
def two_loop_with_the_loops_in_the_wrong_order(g, s_history, y_history, gamma=None):
    """The first loop runs oldest to newest and the second newest to oldest."""
    k = len(s_history)
    return two_loop(g, s_history, y_history, gamma, first_order=list(range(k)), second_order=list(reversed(range(k))))


@mutant(of="lbfgs_direction", kills=[test_lbfgs_direction_equals_bfgs_from_gamma_I,
                                     test_lbfgs_direction_scales_by_the_newest_pair])
def two_loop_with_alpha_from_the_newest_rho(g, s_history, y_history, gamma=None):
    """alpha_i = rho_k s_i^T q with the newest pair's rho for every i."""
    return two_loop(g, s_history, y_history, gamma,
                    rho_of=lambda i: 1.0 / float(y_history[-1] @ s_history[-1]))


@mutant(of="lbfgs_direction", kills=[test_lbfgs_direction_scales_by_the_newest_pair])
def two_loop_with_gamma_from_the_oldest_pair(g, s_history, y_history, gamma=None):
    """gamma None takes s^T y / y^T y of the oldest pair, s_history[0], instead of the newest."""
    return two_loop(g, s_history, y_history, gamma, gamma_pair=0)


@mutant(of="lbfgs_direction", kills=[test_lbfgs_direction_equals_bfgs_from_gamma_I,
                                     test_lbfgs_direction_without_pairs_is_minus_gamma_g])
def two_loop_ignoring_gamma(g, s_history, y_history, gamma=None):
    """H_0 = I whatever gamma is."""
    return two_loop(g, s_history, y_history, 1.0)


@mutant(of="lbfgs_direction", kills=[test_lbfgs_direction_equals_bfgs_from_gamma_I,
                                     test_lbfgs_direction_without_pairs_is_minus_gamma_g,
                                     test_lbfgs_direction_scales_by_the_newest_pair])
def two_loop_returning_plus_H_g(g, s_history, y_history, gamma=None):
    """Returns H_k g, the ascent direction, forgetting the minus sign."""
    return two_loop(g, s_history, y_history, gamma, sign=1.0)


# Correct alternatives of lbfgs_direction.


@alternative(of="lbfgs_direction")
def lbfgs_direction_by_the_explicit_matrix(g, s_history, y_history, gamma=None):
    """Forms H_k = BFGS updates of gamma I (expanded form) from the pairs, then -H_k g."""
    k, n = s_history.shape
    if gamma is None:
        gamma = (s_history[-1] @ y_history[-1]) / (y_history[-1] @ y_history[-1]) if k else 1.0
    H = gamma * np.eye(n)
    for s, y in zip(s_history, y_history):
        sy = s @ y
        Hy = H @ y
        H = H + (sy + y @ Hy) * np.outer(s, s) / sy ** 2 - (np.outer(Hy, s) + np.outer(s, Hy)) / sy
    return -H @ g


@alternative(of="lbfgs_direction")
def lbfgs_direction_with_lists(g, s_history, y_history, gamma=None):
    """The two-loop recursion over Python lists of pairs, newest first in the first loop (alphas in a list)."""
    pairs = list(zip(list(s_history), list(y_history)))
    if gamma is None:
        gamma = float(np.dot(pairs[-1][0], pairs[-1][1]) / np.dot(pairs[-1][1], pairs[-1][1])) if pairs else 1.0
    q = g.copy()
    alphas = []
    for s, y in reversed(pairs):
        a = np.dot(s, q) / np.dot(y, s)
        alphas.append(a)
        q -= a * y
    r = gamma * q
    for (s, y), a in zip(pairs, reversed(alphas)):
        b = np.dot(y, r) / np.dot(y, s)
        r += s * (a - b)
    return -r


# Mutants of lbfgs.


class FirstPairsLBFGS(SpecQuasiNewton):
    """L-BFGS that stops storing once m pairs are kept: it uses the first m pairs, not the last m."""

    def update(self, s, y):
        if len(self.S) < self.memory:
            super().update(s, y)


class WrongOrderLBFGS(SpecQuasiNewton):
    """L-BFGS whose two loops run in the wrong order (the first oldest to newest)."""

    def direction(self, g):
        S = np.array(self.S).reshape(len(self.S), len(g))
        Y = np.array(self.Y).reshape(len(self.Y), len(g))
        return two_loop_with_the_loops_in_the_wrong_order(g, S, Y)


class SwappedLBFGS(SpecQuasiNewton):
    """L-BFGS that stores each pair as (y, s): its two-loop recursion then applies an approximation of the Hessian,
    not of its inverse."""

    def update(self, s, y):
        super().update(y, s)


class AnyStepLBFGS(SpecQuasiNewton):
    """L-BFGS without a line search: every step x + d is accepted."""

    def line_search(self, fun, grad, x, f, g, d):
        x_new = x + d
        return x_new, fun(x_new), grad(x_new), 1


class UncheckedCurvatureLBFGS(SpecQuasiNewton):
    """L-BFGS with Armijo backtracking that stores every pair, y^T s < 0 included (no curvature check)."""

    RESTART = False

    def curvature_ok(self, s, y):
        return float(y @ s) != 0

    def direction(self, g):
        S = np.array(self.S).reshape(len(self.S), len(g))
        Y = np.array(self.Y).reshape(len(self.Y), len(g))
        return two_loop(g, S, Y)


class AlwaysSuccessfulLBFGS(SpecQuasiNewton):
    """L-BFGS that reports success=True whether or not max|grad| <= gtol was reached."""

    def result(self, x, f, g, nit, nfev, success, history):
        return super().result(x, f, g, nit, nfev, True, history)


mutant(of="lbfgs", kills=[test_lbfgs_steps_along_the_two_loop_direction_of_the_last_m_pairs])(
    as_lbfgs(FirstPairsLBFGS))
mutant(of="lbfgs", kills=[test_lbfgs_steps_along_the_two_loop_direction_of_the_last_m_pairs])(
    as_lbfgs(WrongOrderLBFGS))
mutant(of="lbfgs", kills=[test_lbfgs_converges_on_strictly_convex_quadratics, test_lbfgs_converges_on_rosenbrock,
                          test_lbfgs_steps_along_the_two_loop_direction_of_the_last_m_pairs])(as_lbfgs(SwappedLBFGS))
mutant(of="lbfgs", kills=[test_lbfgs_loss_never_increases])(as_lbfgs(AnyStepLBFGS))
mutant(of="lbfgs", kills=[test_lbfgs_converges_on_a_non_convex_function])(as_lbfgs(UncheckedCurvatureLBFGS))
mutant(of="lbfgs", kills=[test_lbfgs_result_fields_agree])(as_lbfgs(AlwaysSuccessfulLBFGS))


# Correct alternatives of lbfgs.


class DequeLBFGS(SpecQuasiNewton):
    """L-BFGS with deques of maxlen m, Armijo backtracking from a = 1 and a curvature check."""


class ListLBFGS(SpecQuasiNewton):
    """L-BFGS with plain lists trimmed by pop(0), its direction from the explicit matrix of the kept pairs."""

    def start(self, n):
        self.S, self.Y = [], []

    def update(self, s, y):
        self.S.append(s)
        self.Y.append(y)
        if len(self.S) > self.memory:
            self.S.pop(0)
            self.Y.pop(0)

    def direction(self, g):
        S = np.array(self.S).reshape(len(self.S), len(g))
        Y = np.array(self.Y).reshape(len(self.Y), len(g))
        return lbfgs_direction_by_the_explicit_matrix(g, S, Y)


alternative(of="lbfgs")(as_lbfgs(DequeLBFGS))
alternative(of="lbfgs")(as_lbfgs(ListLBFGS))
