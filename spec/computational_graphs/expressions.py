"""Expression graphs for this chapter: the gates, random graphs drawn by hypothesis, a trusted float evaluation
with error bounds, and the glue that builds a graph from the implementation's own Value and reports on it.

A ``Program`` is a graph written down as straight-line code: leaves (``x = Value(1.5)``) and nodes, each one gate
applied to earlier names (``n2 = n1 * x``); a name used twice is fan-out. From one program come

- the Python a student can paste to rebuild it (``program.code()``): the harness cannot show these calls itself,
  because a Value is used through its operators;
- the graph built from the implementation's Value (``build``), where an operation the implementation does not have
  yet (NotImplementedError, an undefined method or operator) skips the property as "not implemented";
- a plain float evaluation (``evaluate``) with a first-order bound on its rounding error, and a trusted reverse
  sweep (``backprop``) with a bound on the rounding error of any correct backward pass.

Rounding bounds.  u = EPS / 2.  Forward (a running error analysis): a node's computed value is within
e_k = sum_i |d node / d input_i| e_i + delta_k of the exact one, where delta_k is the node's own rounding:
ROUNDING[gate] u |value| for a relative gate, or u times an absolute constant for tanh and sigmoid (their values are
bounded by 1 and accurate in absolute terms). Backward: the gradient reaching input i of node k is p_ki g_k with p_ki
the local derivative; a correct implementation computes p_ki within DERIVATIVE_ERROR of it, multiplies (one rounding)
and adds up the uses (one rounding per use), so its gradient of node j is within err_j of the exact one, where
err_j = sum over users k of (|p_kj| err_k + dp_kj A_k + u |p_kj| A_k) + m_j u A_j, A_j = sum |p_kj| A_k the
gradient computed with absolute values (every path counted positively), and m_j the number of uses of j.
Every constant below is at least twice the error of the ways students compute the gate (derived next to it), so
the two first-order bounds also cover the (tiny) second-order terms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import strategies as st

from spec import expect
from spec.expect import EPS

U = EPS / 2  # unit roundoff: one correctly rounded float64 operation is off by at most U relative

NOT_IMPLEMENTED = "not implemented: "


# ---------------------------------------------------------------------------------------------------------------------
# Gates.


@dataclass(frozen=True)
class Gate:
    """One operation of the contract as a student writes it: ``x + y``, ``c - x``, ``x.exp()``, ``x ** c``."""

    name: str  # as in the code: "x + y", "c - x", "x.exp()"
    method: str  # the Value method Python calls for it: "__add__", "__rsub__", "exp"
    arity: int  # operands that are nodes (1 or 2); a gate with a constant has arity 1 and uses c
    template: str  # code with {a}, {b}, {c}
    apply: Callable  # on the implementation's Values: apply(a, b) / apply(a, c)
    value: Callable  # in float arithmetic: value(a, b) / value(a, c)
    partials: Callable  # local derivatives with respect to the node operands, a tuple
    rounding: Callable  # forward: (operand values, c, value) -> bound on the node's own error, in units of u
    derivative_error: Callable  # backward: (operand values, c, partials) -> bound on each computed partial's error / u
    domain: Callable = lambda args, c, slack: True  # where the gate is smooth and well conditioned (slack in (0, 1])
    constant: str = ""  # "", "c" (a number operand) or "power" (a constant exponent)
    kink: bool = False  # relu: a subgradient at exactly 0


def _rel(k):
    """A relative bound of k u |value| (or k u |partial|)."""
    return lambda args, c, v: k * abs(v)


def _rel_partials(k):
    return lambda args, c, p: tuple(k * abs(q) for q in p)


_EXACT = lambda args, c, p: tuple(0.0 for _ in p)

# Relative error bounds per gate, in units of u, each at least twice the error of a correct implementation:
# + - *: one rounding (u); -x: exact. x / y: one rounding, or x * y**-1 (a pow within 1 ulp = 2u, then a product):
# 3u -> 6. Its partials 1/y (u, or y**-1: 2u) and -x/y^2 (three roundings, or x * y**-2 with a pow: 4u) -> 8.
# x ** c: pow within 1 ulp (2u) -> 4; its partial c x^(c-1): a pow and a product (3u), or c * out / x (3u) -> 8.
# exp: math.exp within 1 ulp (2u); math.e ** x: e is rounded by u, so (e(1 + d))^x is off by |x| u, plus the pow's
# 2u: (2 + |x|) u -> 4 + 2|x|, for the value and for the partial (the same number).
# log: within 1 ulp of log x -> 4; its partial 1/x (u, or x ** -1: 2u) -> 4.
# tanh (absolute): math.tanh is within 1 ulp <= 2u of |t| <= 1; sign(x)(1 - e)/(1 + e) with e = e^-2|x| within 7u
# (spec/layers/test_sigmoid_tanh.py) -> 14. Its partial 1 - t^2: the error of t times |2t| <= 2 (14u), and two
# roundings (2u): 16u -> 32.
# sigmoid (absolute): 1/(1 + e^-|x|) or e/(1 + e) within 4u, 0.5 (1 + tanh(x/2)) within 3u -> 8. Its partial
# s (1 - s): the error of s times |1 - 2s| <= 1 (4u), and two roundings (at most 2u of a number <= 1/4): 6u -> 16.
# relu: exact.

_TANH_VALUE, _TANH_PARTIAL, _SIGMOID_VALUE, _SIGMOID_PARTIAL = 14.0, 32.0, 8.0, 16.0

MARGIN = {"divisor": 0.25, "log": 0.1, "relu": 0.05, "power base": 0.1}  # distances from a gate's trouble spots


def _divisor_ok(y, slack):
    return abs(y) >= MARGIN["divisor"] * slack


def _power_ok(x, c, slack):
    negative_ok = c >= 0 or abs(x) >= MARGIN["divisor"] * slack  # x^c with c < 0 divides by x^|c|
    fraction_ok = float(c).is_integer() or x >= MARGIN["power base"] * slack  # a real, smooth root needs x > 0
    return negative_ok and fraction_ok


def _sigmoid(x):
    e = math.exp(-abs(x))
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


GATES = (
    Gate("x + y", "__add__", 2, "{a} + {b}", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: (1.0, 1.0),
         _rel(2), _EXACT),
    Gate("x - y", "__sub__", 2, "{a} - {b}", lambda a, b: a - b, lambda a, b: a - b, lambda a, b: (1.0, -1.0),
         _rel(2), _EXACT),
    Gate("x * y", "__mul__", 2, "{a} * {b}", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: (b, a),
         _rel(2), _EXACT),
    Gate("x / y", "__truediv__", 2, "{a} / {b}", lambda a, b: a / b, lambda a, b: a / b,
         lambda a, b: (1.0 / b, -a / (b * b)), _rel(6), _rel_partials(8),
         domain=lambda args, c, slack: _divisor_ok(args[1], slack)),
    Gate("x + c", "__add__", 1, "{a} + {c}", lambda a, c: a + c, lambda a, c: a + c, lambda a, c: (1.0,),
         _rel(2), _EXACT, constant="c"),
    Gate("x - c", "__sub__", 1, "{a} - {c}", lambda a, c: a - c, lambda a, c: a - c, lambda a, c: (1.0,),
         _rel(2), _EXACT, constant="c"),
    Gate("x * c", "__mul__", 1, "{a} * {c}", lambda a, c: a * c, lambda a, c: a * c, lambda a, c: (c,),
         _rel(2), _EXACT, constant="c"),
    Gate("x / c", "__truediv__", 1, "{a} / {c}", lambda a, c: a / c, lambda a, c: a / c, lambda a, c: (1.0 / c,),
         _rel(6), _rel_partials(8), domain=lambda args, c, slack: _divisor_ok(c, 1.0), constant="c"),
    Gate("c + x", "__radd__", 1, "{c} + {a}", lambda a, c: c + a, lambda a, c: c + a, lambda a, c: (1.0,),
         _rel(2), _EXACT, constant="c"),
    Gate("c - x", "__rsub__", 1, "{c} - {a}", lambda a, c: c - a, lambda a, c: c - a, lambda a, c: (-1.0,),
         _rel(2), _EXACT, constant="c"),
    Gate("c * x", "__rmul__", 1, "{c} * {a}", lambda a, c: c * a, lambda a, c: c * a, lambda a, c: (c,),
         _rel(2), _EXACT, constant="c"),
    Gate("c / x", "__rtruediv__", 1, "{c} / {a}", lambda a, c: c / a, lambda a, c: c / a,
         lambda a, c: (-c / (a * a),), _rel(6), _rel_partials(8),
         domain=lambda args, c, slack: _divisor_ok(args[0], slack), constant="c"),
    Gate("x ** c", "__pow__", 1, "{a} ** {c}", lambda a, c: a**c, lambda a, c: a**c,
         lambda a, c: (0.0 if c == 0 else c * a ** (c - 1),), _rel(4), _rel_partials(8),
         domain=lambda args, c, slack: _power_ok(args[0], c, slack), constant="power"),
    Gate("-x", "__neg__", 1, "-{a}", lambda a: -a, lambda a: -a, lambda a: (-1.0,),
         _rel(0), _EXACT),
    Gate("x.exp()", "exp", 1, "{a}.exp()", lambda a: a.exp(), math.exp, lambda a: (math.exp(a),),
         lambda args, c, v: (4 + 2 * abs(args[0])) * abs(v),
         lambda args, c, p: ((4 + 2 * abs(args[0])) * abs(p[0]),)),
    Gate("x.log()", "log", 1, "{a}.log()", lambda a: a.log(), math.log, lambda a: (1.0 / a,),
         _rel(4), _rel_partials(4), domain=lambda args, c, slack: args[0] >= MARGIN["log"] * slack),
    Gate("x.tanh()", "tanh", 1, "{a}.tanh()", lambda a: a.tanh(), math.tanh,
         lambda a: (1.0 - math.tanh(a) ** 2,), lambda args, c, v: _TANH_VALUE, lambda args, c, p: (_TANH_PARTIAL,)),
    Gate("x.sigmoid()", "sigmoid", 1, "{a}.sigmoid()", lambda a: a.sigmoid(), _sigmoid,
         lambda a: (_sigmoid(a) * (1.0 - _sigmoid(a)),), lambda args, c, v: _SIGMOID_VALUE,
         lambda args, c, p: (_SIGMOID_PARTIAL,)),
    Gate("x.relu()", "relu", 1, "{a}.relu()", lambda a: a.relu(), lambda a: max(a, 0.0),
         lambda a: (1.0 if a > 0 else 0.0,), _rel(0), _EXACT,
         domain=lambda args, c, slack: abs(args[0]) >= MARGIN["relu"] * slack, kink=True),
)
GATE = {g.name: g for g in GATES}


# ---------------------------------------------------------------------------------------------------------------------
# Programs.


def number_text(c: float) -> str:
    """A constant as code: 2.0, -0.5 (parenthesized where a leading minus would bind wrongly: (-1.0) ** 2)."""
    return repr(float(c))


@dataclass(frozen=True)
class Node:
    name: str
    gate: Gate
    operands: tuple  # names of earlier leaves or nodes
    c: float | None = None  # the constant of a gate with a number operand

    def code(self) -> str:
        a = self.operands[0]
        b = self.operands[1] if len(self.operands) > 1 else ""
        c = "" if self.c is None else number_text(self.c)
        if self.c is not None and self.c < 0 and self.gate.name.startswith("c "):
            c = f"({c})"
        return self.gate.template.format(a=a, b=b, c=c)


@dataclass(frozen=True)
class Program:
    leaves: tuple  # ((name, value), ...)
    nodes: tuple  # (Node, ...), in the order they are built: every operand is defined before it is used

    @property
    def output(self) -> str:
        return self.nodes[-1].name

    @property
    def leaf_names(self) -> tuple:
        return tuple(name for name, _ in self.leaves)

    @property
    def leaf_values(self) -> dict:
        return dict(self.leaves)

    def gates_used(self) -> list[str]:
        return sorted({node.gate.name for node in self.nodes})

    def lines(self) -> list[str]:
        return [f"{name} = Value({value!r})" for name, value in self.leaves] + [
            f"{node.name} = {node.code()}" for node in self.nodes]

    def code(self, then=("backward",)) -> str:
        """Python that rebuilds the graph on the implementation (Value is your graph.Value) and runs backward()."""
        lines = self.lines()
        if "backward" in then:
            lines.append(f"{self.output}.backward()")
        if "twice" in then:
            lines.append(f"{self.output}.backward()  # a second time, without resetting")
        return "\n".join("    " + line for line in lines)

    def __repr__(self) -> str:
        return "; ".join(self.lines())


def program(leaves: dict, *nodes) -> Program:
    """A fixed program: program({"x": 1.0, "y": -3.0}, ("q", "x + y", "x", "y"), ("f", "x * y", "q", "z"), ...);
    a node with a constant gives it last: ("n", "c * x", "x", 2.0)."""
    built = []
    for name, gate, *rest in nodes:
        gate = GATE[gate]
        operands = tuple(rest[: gate.arity])
        c = rest[gate.arity] if gate.constant else None
        built.append(Node(name, gate, operands, c))
    return Program(tuple(leaves.items()), tuple(built))


# ---------------------------------------------------------------------------------------------------------------------
# Plain float arithmetic: the trusted values, gradients and rounding bounds.


class OutOfDomain(Exception):
    """A gate was evaluated where it is not smooth (a spec bug: the strategies keep every gate in its domain)."""


def _args(node, values):
    args = tuple(values[o] for o in node.operands)
    return args + ((node.c,) if node.gate.constant else ())


@dataclass
class Evaluation:
    values: dict  # name -> float
    errors: dict  # name -> bound on the rounding error of the float evaluation (and of any correct one)
    reach: dict  # name -> sum over leaves of |d node / d leaf| max(1, |leaf|): how far a relative step moves it


def evaluate(prog: Program, leaf_values: dict | None = None, slack: float = 1.0) -> Evaluation:
    """Every node's value in float arithmetic, with its rounding bound. Raises OutOfDomain where a gate leaves its
    domain (with margins scaled by slack)."""
    values, errors, reach = {}, {}, {}
    for name, value in prog.leaves:
        value = float(value if leaf_values is None else leaf_values[name])
        values[name], errors[name], reach[name] = value, 0.0, max(1.0, abs(value))
    for node in prog.nodes:
        args = _args(node, values)
        gate = node.gate
        operands = args[: gate.arity]
        c = args[gate.arity] if gate.constant else None
        if not gate.domain(operands, c, slack):
            raise OutOfDomain(f"{node.name} = {node.code()} with {node.operands} = {operands}")
        try:
            v = gate.value(*args)
        except (OverflowError, ZeroDivisionError, ValueError) as exc:
            raise OutOfDomain(f"{node.name} = {node.code()}: {exc}") from None
        partials = gate.partials(*args)
        values[node.name] = v
        errors[node.name] = sum(abs(p) * errors[o] for p, o in zip(partials, node.operands)) + \
            gate.rounding(operands, c, v) * U
        reach[node.name] = sum(abs(p) * reach[o] for p, o in zip(partials, node.operands))
    return Evaluation(values, errors, reach)


@dataclass
class Backprop:
    grads: dict  # name -> d output / d name, exact local derivatives swept in float arithmetic
    bounds: dict  # name -> bound on the rounding error of any correct backward pass's gradient (see module doc)


def backprop(prog: Program, values: dict) -> Backprop:
    """The gradient of the output with respect to every name, by the chain rule in reverse program order (a
    topological order by construction), with the rounding bound of a correct implementation's backward pass."""
    names = [n for n, _ in prog.leaves] + [node.name for node in prog.nodes]
    grads = dict.fromkeys(names, 0.0)
    absolute = dict.fromkeys(names, 0.0)
    bounds = dict.fromkeys(names, 0.0)
    uses = dict.fromkeys(names, 0)
    grads[prog.output] = absolute[prog.output] = 1.0
    for node in reversed(prog.nodes):
        g, a, e = grads[node.name], absolute[node.name], bounds[node.name] + uses[node.name] * U * absolute[node.name]
        bounds[node.name] = e
        args = _args(node, values)
        gate = node.gate
        operands = args[: gate.arity]
        c = args[gate.arity] if gate.constant else None
        partials = gate.partials(*args)
        errors = gate.derivative_error(operands, c, partials)
        for operand, p, dp in zip(node.operands, partials, errors):
            grads[operand] += p * g
            absolute[operand] += abs(p) * a
            bounds[operand] += abs(p) * e + dp * U * a + U * abs(p) * a
            uses[operand] += 1
    for name, _ in prog.leaves:
        bounds[name] += uses[name] * U * absolute[name]
    return Backprop(grads, bounds)


@dataclass
class Differences:
    """Central differences of the output with respect to each leaf, with the bound on their error."""

    gradient: dict  # leaf -> (f(x + s) - f(x - s)) / 2s at h = 1e-5
    allowed: dict  # leaf -> rounding part + truncation part (see central_differences)


H = 1e-5  # the relative step of spec/gradcheck.py: s = H max(1, |x|)


def _quotient(prog, leaf, h):
    base = prog.leaf_values
    x = base[leaf]
    step = h * max(1.0, abs(x))
    plus, minus = dict(base), dict(base)
    plus[leaf], minus[leaf] = x + step, x - step
    width = plus[leaf] - minus[leaf]  # the step actually taken: x +- s is rounded
    ep, em = evaluate(prog, plus, slack=0.5), evaluate(prog, minus, slack=0.5)
    out = prog.output
    return (ep.values[out] - em.values[out]) / width, (ep.errors[out] + em.errors[out]) / width


def central_differences(prog: Program) -> Differences:
    """(f(x + s e_i) - f(x - s e_i)) / 2s for each leaf x_i, s = 1e-5 max(1, |x_i|), in plain float arithmetic.

    Its error has two parts. Rounding: each evaluation of f is within the forward bound e(x +- s) of the exact
    value, so the quotient is within (e(x + s) + e(x - s)) / 2s; allowed twice that. Truncation: for smooth f the
    quotient is f' + s^2 f''' / 6 + O(s^4), so the quotient at 2s differs from the one at s by 3 s^2 f'''/6: their
    difference over 3 estimates the truncation error (Richardson); allowed twice that. The strategies keep every
    gate at least MARGIN away from its trouble spots while a step moves a node by at most 2s * reach <= 4e-3, so
    f is smooth between x - 2s and x + 2s.
    """
    gradient, allowed = {}, {}
    for leaf in prog.leaf_names:
        d1, r1 = _quotient(prog, leaf, H)
        d2, _ = _quotient(prog, leaf, 2 * H)
        gradient[leaf] = d1
        allowed[leaf] = 2 * r1 + 2 * abs(d2 - d1) / 3
    return Differences(gradient, allowed)


# ---------------------------------------------------------------------------------------------------------------------
# Strategies.

LEAF_MAGNITUDE = 3.0
VALUE_BOUND = 20.0  # every node of a random graph stays within +-20 ...
REACH_BOUND = 100.0  # ... and moves by at most 100 times a relative step of the leaves (first order)


TINY_LEAF = 1e-8  # a leaf is exactly 0 or at least this large: x ** c and its derivative c x^c / x would underflow


def leaf_values(magnitude: float = LEAF_MAGNITUDE):
    """Leaf values in [-magnitude, magnitude], often exactly 0, +-1, 0.5 or 2; never tiny (below TINY_LEAF) but 0:
    a correct c * x**c / x underflows to 0 near 1e-200, an error no student should be failed for."""
    return st.one_of(
        st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0, -magnitude]),
        st.floats(-magnitude, magnitude, allow_nan=False, allow_infinity=False, allow_subnormal=False)
        .map(lambda v: v if abs(v) >= TINY_LEAF else 0.0),
    )


def constants():
    """A number operand: small, often an integer or a half, never tiny (a divisor stays >= 0.25)."""
    return st.one_of(st.sampled_from([1.0, 2.0, -1.0, 0.5, -3.0, 4.0]),
                     st.floats(0.25, 4.0, allow_subnormal=False).flatmap(lambda v: st.sampled_from([v, -v])))


EXPONENTS = (2.0, 3.0, -1.0, 0.5, 1.5, -2.0, -0.5, 1.0, 4.0)


def exponents():
    """A constant exponent: integers and halves, positive and negative."""
    return st.sampled_from(EXPONENTS)


def _candidate(gate, name, a, b, c, e, ev: Evaluation):
    """The node gate(a, b | c | e) if it keeps the random graph well conditioned, else None."""
    operands = (a, b)[: gate.arity]
    const = {"c": c, "power": e}.get(gate.constant)
    node = Node(name, gate, operands, const)
    args = _args(node, ev.values)
    if not gate.domain(args[: gate.arity], const, 1.0):
        return None
    try:
        v = gate.value(*args)
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if isinstance(v, complex) or not abs(v) <= VALUE_BOUND:
        return None
    reach = sum(abs(p) * ev.reach[o] for p, o in zip(gate.partials(*args), operands))
    if not reach <= REACH_BOUND:
        return None
    return node, v, reach


@st.composite
def programs(draw, gates, max_leaves: int = 3, max_nodes: int = 7, min_nodes: int = 1):
    """A random expression graph over `gates` (Gate objects; "x + y" among them): up to 3 leaves x, y, z and up to
    7 gates applied to earlier names, which often reuse a name (fan-out: x * x, a node feeding two gates). The
    output f adds up every node nobody else uses, so every node matters. Values stay within +-VALUE_BOUND, every
    gate MARGIN away from its trouble spots (log of positives, no division by near-zero, relu away from 0), and
    small steps of the leaves move no node far (REACH_BOUND)."""
    names = ("x", "y", "z")[: draw(st.integers(1, max_leaves))]
    leaves = tuple((n, draw(leaf_values())) for n in names)
    ev = evaluate(Program(leaves, ()), None)
    pool = list(names)
    nodes = []
    for _ in range(draw(st.integers(min_nodes, max_nodes))):
        recent_first = pool[::-1]  # shrinks towards the newest name: deep chains stay deep
        a = draw(st.sampled_from(recent_first))
        b = draw(st.sampled_from(recent_first))
        c, e = draw(constants()), draw(exponents())
        name = f"n{len(nodes) + 1}"
        options = [opt for g in gates if (opt := _candidate(g, name, a, b, c, e, ev)) is not None]
        if not options:
            continue
        node, v, reach = draw(st.sampled_from(options))
        nodes.append(node)
        ev.values[name], ev.reach[name], ev.errors[name] = v, reach, 0.0
        pool.append(name)
    if not nodes:  # every candidate was refused: x + x is always fine (|x| <= 3)
        nodes.append(Node("n1", GATE["x + y"], (names[0], names[0])))
    used = {o for node in nodes for o in node.operands}
    unused = [node.name for node in nodes if node.name not in used]
    total = unused[0]
    for k, name in enumerate(unused[1:], start=1):
        total_name = f"s{k}"
        nodes.append(Node(total_name, GATE["x + y"], (total, name)))
        total = total_name
    last = nodes[-1]
    rename = {last.name: "f"}
    nodes[-1] = Node("f", last.gate, last.operands, last.c)
    nodes = [Node(n.name, n.gate, tuple(rename.get(o, o) for o in n.operands), n.c) for n in nodes]
    return Program(leaves, tuple(nodes))


# ---------------------------------------------------------------------------------------------------------------------
# Building on the implementation.


def _missing(obj, method: str) -> bool:
    return getattr(type(obj), method, None) is None


def _not_implemented(gate_or_method: str, method: str, why: str):
    pytest.skip(f"{NOT_IMPLEMENTED}graph.Value.{method} {why} (needed for {gate_or_method})")


def apply_gate(gate: Gate, args: tuple, line: str, prog_code: str):
    """gate applied to the implementation's Values (and constant): the result, or a skip when the operation is not
    there yet, or a failure naming the line that raised."""
    try:
        return gate.apply(*args)
    except NotImplementedError:
        _not_implemented(gate.name, gate.method, "raises NotImplementedError")
    except (AttributeError, TypeError) as exc:
        if _missing(args[0], gate.method):
            _not_implemented(gate.name, gate.method, "is not defined")
        _raised(line, exc, prog_code)
    except Exception as exc:  # noqa: BLE001  (the implementation's own error, reported with the code)
        _raised(line, exc, prog_code)


def _raised(line, exc, prog_code):
    expect.fail(f"`{line}` raised {type(exc).__name__}: {exc}\nRebuild it (Value is your graph.Value):\n{prog_code}")


def build(Value, prog: Program) -> dict:
    """The graph built from the implementation's Value: {name: the implementation's node}."""
    env = {name: Value(value) for name, value in prog.leaves}
    code = prog.code(then=())
    cls = type(env[prog.leaves[0][0]])
    for node in prog.nodes:
        args = tuple(env[o] for o in node.operands) + ((node.c,) if node.gate.constant else ())
        line = f"{node.name} = {node.code()}"
        result = apply_gate(node.gate, args, line, code)
        if not isinstance(result, cls):  # later gates would call methods on it: say what is wrong here
            expect.fail(f"`{line}` returned {type(result).__name__} {result!r}, not a Value: every operation must "
                        f"return a new Value (a node of the graph).\nRebuild it (Value is your graph.Value):\n{code}")
        env[node.name] = result
    return env


def run_backward(output, prog: Program, then=("backward",)):
    """output.backward(), or a skip when backward is not there yet, or a failure naming the code."""
    code = prog.code(then=then)
    if _missing(output, "backward"):
        _not_implemented("backpropagation", "backward", "is not defined")
    try:
        output.backward()
    except NotImplementedError:
        _not_implemented("backpropagation", "backward", "raises NotImplementedError")
    except Exception as exc:  # noqa: BLE001
        _raised(f"{prog.output}.backward()", exc, code)


def read(node, attribute: str, label: str, code: str) -> float:
    """node.data or node.grad as a float, or a failure saying what is wrong with it."""
    if not hasattr(node, attribute):
        expect.fail(f"{label}: the node has no attribute {attribute!r}; the contract says a Value has data (its "
                    f"value) and grad (its gradient), both floats.\nRebuild it (Value is your graph.Value):\n{code}")
    value = getattr(node, attribute)
    try:
        return float(value)
    except (TypeError, ValueError):
        expect.fail(f"{label} is {type(value).__name__} {value!r}, not a float.\nRebuild it (Value is your graph.Value):"
                    f"\n{code}")


def probe_gates(Value, gates=GATES) -> tuple[list, list]:
    """(available, left out): the gates the implementation has. A gate is left out when its operation raises
    NotImplementedError or is not defined; any other outcome counts as available (and is checked)."""
    a, b = Value(1.5), Value(0.75)
    key = (type(a), gates)
    if key not in _PROBED:
        _PROBED[key] = _probe(a, b, gates)
    return _PROBED[key]


_PROBED: dict = {}  # (the implementation's Value class, gates) -> (available, left out): probed once per class


def _probe(a, b, gates):
    available, left_out = [], []
    for gate in gates:
        args = (a, b) if gate.arity == 2 else (a,)
        if gate.constant:
            args += (2.0,)
        try:
            gate.apply(*args)
        except NotImplementedError:
            left_out.append(gate)
            continue
        except (AttributeError, TypeError):
            if _missing(a, gate.method):
                left_out.append(gate)
                continue
        except Exception:  # noqa: BLE001, S110  (any other error is checked, and reported, by the property)
            pass
        available.append(gate)
    return available, left_out


# ---------------------------------------------------------------------------------------------------------------------
# Reporting.


@dataclass
class Row:
    label: str  # "x.grad", "n2.data"
    found: float
    expected: float
    allowed: float
    note: str = ""

    @property
    def bad(self) -> bool:
        return not abs(self.found - self.expected) <= self.allowed  # NaN is bad


def check_rows(title: str, rows: list[Row], prog: Program, *, why: str, then=("backward",), extra: str = "",
               show: tuple = ()) -> None:
    """Fail, listing every row (wrong ones marked) and the code that rebuilds the graph, if any row is off."""
    bad = [r for r in rows if r.bad]
    if not bad:
        return
    lines = [f"{title}: {len(bad)} of {len(rows)} values are wrong [{why}]"]
    for r in rows:
        found, expected = expect.fmt_pair(r.found, r.expected)
        if r.bad:
            off = abs(r.found - r.expected)
            off_text = f"off by {off:.2g}, " if math.isfinite(off) else ""
            lines.append(f"  {r.label} = {found}, but should be {expected} ({off_text}allowed {r.allowed:.2g})"
                         + (f"  [{r.note}]" if r.note else "") + "   <-- wrong")
        else:
            lines.append(f"  {r.label} = {found} (ok)")
    if extra:
        lines.append(extra)
    lines.append("Rebuild it (Value is your graph.Value):")
    lines.append(prog.code(then=then))
    shown = show or tuple(r.label for r in rows)
    lines.append(f"    print({', '.join(shown)})")
    expect.fail("\n".join(lines), inputs=prog.leaf_values)


def node_values(env: dict, prog: Program, names=None) -> dict:
    code = prog.code(then=())
    return {n: read(env[n], "data", f"{n}.data", code) for n in (names or env)}


def node_grads(env: dict, prog: Program, names=None, then=("backward",)) -> dict:
    code = prog.code(then=then)
    return {n: read(env[n], "grad", f"{n}.grad", code) for n in (names or env)}


def left_out_text(left_out) -> str:
    if not left_out:
        return ""
    return ("(These random graphs leave out the gates your Value does not have yet: "
            + ", ".join(g.name for g in left_out) + ".)")


def require(available: list, *names: str) -> None:
    """Skip as not implemented unless every named gate is available."""
    have = {g.name for g in available}
    for name in names:
        if name not in have:
            _not_implemented(name, GATE[name].method, "raises NotImplementedError or is not defined")

