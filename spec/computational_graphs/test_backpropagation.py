"""Backpropagation through whole graphs: random expression graphs against finite differences and float arithmetic,
accumulation where a node feeds several others (fan-out), the reverse topological order, and backward() twice.

The random graphs (expressions.programs) are drawn from the gates the implementation has: a student with +, * and
backward() is checked on sums and products of x, y, z already. Tolerances are derived in expressions.py: the
float evaluation's running rounding bound, the central differences' rounding and (Richardson-estimated) truncation
parts, and the rounding bound of any correct backward pass.
"""

from collections import deque

from hypothesis import example, given
from hypothesis import strategies as st

from spec.computational_graphs import expressions as ex
from spec.computational_graphs.expressions import Row, U, program
from spec.computational_graphs.values import DepthValue, KahnValue, MicrogradValue
from spec.property import alternative, mutant, prop

CONCEPT = "backpropagation"
BACKPROP = ("TUM I2DL lecture 3, slides 11-18 (backprop: the chain rule gate by gate, from the output back to the "
            "inputs) and CS231n lecture 4 (2015), slides 40-43 (check the analytic gradient against the centered "
            "difference)")
GRAPHS = "TUM I2DL lecture 3, slides 9 and 19-24 (a network is a directed computational graph; forward pass)"
FAN_OUT = ("TUM I2DL lecture 3, slides 22-23 (an input feeds several neurons: the gradients of all its uses add "
           "up) and the micrograd convention (+= in every gate's backward)")
ORDER = ("TUM I2DL lecture 3, slides 13-18 (the backward pass goes from the output to the inputs: a node's "
         "gradient is complete only once every node using it is done)")
TWICE = "spec/contract/graph.py (backward(): leaves accumulate like PyTorch's .grad, intermediate nodes restart from 0)"


def random_graph(Value, data, *, label="graph"):
    """A random graph over the implementation's gates (skips unless it has x + y), and the note on left-out ones."""
    available, left_out = ex.probe_gates(Value)
    ex.require(available, "x + y")
    return data.draw(ex.programs(available), label=label), ex.left_out_text(left_out)


@prop(CONCEPT, BACKPROP, "On random expression graphs (fan-out included), backward() gives every leaf the central-difference gradient of the same expression in float arithmetic.")
@given(data=st.data())
def test_backward_matches_finite_differences_on_random_graphs(Value, data):
    prog, note = random_graph(Value, data)
    env = ex.build(Value, prog)
    ex.run_backward(env[prog.output], prog)
    grads = ex.node_grads(env, prog, prog.leaf_names)
    fd = ex.central_differences(prog)
    bp = ex.backprop(prog, ex.evaluate(prog).values)
    # Allowed: the central difference's own error bound (rounding and truncation, expressions.central_differences)
    # plus twice the rounding bound of a correct backward pass (expressions.backprop).
    rows = [Row(f"{leaf}.grad", grads[leaf], fd.gradient[leaf], fd.allowed[leaf] + 2 * bp.bounds[leaf])
            for leaf in prog.leaf_names]
    ex.check_rows("backward() on a random graph", rows, prog, extra=note,
                  why="expected: the central difference (f(x + s) - f(x - s)) / 2s, s = 1e-5 max(1, |x|), of the "
                      "same expression evaluated in float arithmetic")


@prop(CONCEPT, GRAPHS, "On random expression graphs, every node's data is the value of its expression in float arithmetic.")
@given(data=st.data())
def test_forward_values_match_float_arithmetic_on_random_graphs(Value, data):
    prog, note = random_graph(Value, data)
    env = ex.build(Value, prog)
    found = ex.node_values(env, prog, [node.name for node in prog.nodes])
    ev = ex.evaluate(prog)
    # Both evaluations are within the running rounding bound of expressions.evaluate: they differ by at most twice it.
    rows = [Row(f"{node.name}.data", found[node.name], ev.values[node.name], 2 * ev.errors[node.name],
                note=node.code()) for node in prog.nodes]
    ex.check_rows("the forward pass of a random graph", rows, prog, then=(), extra=note,
                  why="each node's data is its gate applied to its inputs' data")


def check_against_the_chain_rule(Value, prog, why, title):
    """Every node's grad after one backward() against the trusted reverse sweep (allowed twice the rounding bound
    of a correct backward pass, expressions.backprop)."""
    env = ex.build(Value, prog)
    ex.run_backward(env[prog.output], prog)
    names = [*prog.leaf_names, *(node.name for node in prog.nodes)]
    grads = ex.node_grads(env, prog, names)
    bp = ex.backprop(prog, ex.evaluate(prog).values)
    rows = [Row(f"{n}.grad", grads[n], bp.grads[n], 2 * bp.bounds[n]) for n in names]
    ex.check_rows(title, rows, prog, why=why)


FAN_OUT_GRAPHS = (
    (("f", "x * y", "x", "x"),),  # d(x x)/dx = 2x
    (("f", "x + y", "x", "x"),),  # d(x + x)/dx = 2
    (("a", "x * y", "x", "y"), ("f", "x + y", "a", "x")),  # x y + x: d/dx = y + 1
    (("a", "x + y", "x", "y"), ("f", "x * y", "a", "x")),  # (x + y) x: d/dx = 2x + y, d/dy = x
)


@prop(CONCEPT, FAN_OUT, "A node used several times receives the sum of its gradients: d(x * x)/dx = 2x, d(x + x)/dx = 2, d(x y + x)/dx = y + 1, d((x + y) x)/dx = 2x + y.")
@given(x=ex.leaf_values(10.0), y=ex.leaf_values(10.0))
@example(x=3.0, y=-2.0)
def test_gradients_accumulate_where_a_node_is_used_twice(Value, x, y):
    for nodes in FAN_OUT_GRAPHS:
        check_against_the_chain_rule(Value, program({"x": x, "y": y}, *nodes), title="fan-out",
                                     why="add (+=) each use's gradient; do not overwrite (=)")


ORDER_GRAPHS = (
    # x feeds a, which reaches f directly and through b: a is complete only after f and b are done.
    (("a", "x * y", "x", "y"), ("b", "x * y", "a", "y"), ("f", "x + y", "a", "b")),
    # Paths of lengths 1, 2 and 3 from a and b to f.
    (("a", "x * y", "x", "y"), ("b", "x + y", "a", "x"), ("c", "x * y", "b", "b"), ("d", "x + y", "c", "a"),
     ("f", "x * y", "d", "b")),
    # A chain whose every node also feeds the output.
    (("a", "x + y", "x", "y"), ("b", "x * y", "a", "x"), ("c", "x * y", "b", "a"), ("s", "x + y", "c", "b"),
     ("f", "x + y", "s", "a")),
)


@prop(CONCEPT, ORDER, "backward() visits the nodes in reverse topological order: on graphs where a node reaches the output along paths of different lengths, every node's grad is d f / d node.")
@given(x=ex.leaf_values(), y=ex.leaf_values())
@example(x=2.0, y=-3.0)
def test_backward_visits_nodes_in_reverse_topological_order(Value, x, y):
    for nodes in ORDER_GRAPHS:
        check_against_the_chain_rule(Value, program({"x": x, "y": y}, *nodes), title="backward() order",
                                     why="expected: the chain rule; a node may pass its gradient on only after every "
                                         "node that uses it has added its share (reverse topological order)")


def check_backward_twice(Value, prog, note=""):
    env = ex.build(Value, prog)
    out = env[prog.output]
    names = [*prog.leaf_names, *(node.name for node in prog.nodes)]
    ex.run_backward(out, prog)
    once = ex.node_grads(env, prog, names)
    ex.run_backward(out, prog, then=("backward", "twice"))
    twice = ex.node_grads(env, prog, names, then=("backward", "twice"))
    bp = ex.backprop(prog, ex.evaluate(prog).values)
    # The second call computes the same gradients again (within twice the rounding bound of a correct backward
    # pass, in case the order of the additions changed); a leaf adds them to its grad: one more rounding, u |2 g|.
    rows = [Row(f"{n}.grad", twice[n], 2 * once[n], 2 * bp.bounds[n] + 2 * U * abs(once[n]),
                note=f"first call gave {once[n]!r}; a leaf adds it again") for n in prog.leaf_names]
    rows += [Row(f"{node.name}.grad", twice[node.name], once[node.name], 2 * bp.bounds[node.name],
                 note=f"first call gave {once[node.name]!r}; an intermediate node restarts from 0")
             for node in prog.nodes]
    ex.check_rows("backward() called twice without resetting", rows, prog, then=("backward", "twice"), extra=note,
                  why="leaves accumulate: twice the gradient; intermediate nodes hold d f / d node, as after one call "
                      "(set every non-leaf node's grad to 0 at the start of backward(); micrograd does not)")


@prop(CONCEPT, TWICE, "backward() twice without resetting leaves twice the gradient on the leaves and d f / d node on intermediate nodes (on the lecture's (x + y) z and on random graphs).")
@given(xyz=st.tuples(ex.leaf_values(), ex.leaf_values(), ex.leaf_values()), data=st.data())
def test_backward_twice_doubles_leaf_gradients_only(Value, xyz, data):
    x, y, z = xyz
    check_backward_twice(Value, program({"x": x, "y": y, "z": z}, ("d", "x + y", "x", "y"), ("f", "x * y", "d", "z")))
    prog, note = random_graph(Value, data)
    check_backward_twice(Value, prog, note)


# Mutants.


@mutant(of="Value", kills=[test_gradients_accumulate_where_a_node_is_used_twice,
                           test_backward_matches_finite_differences_on_random_graphs,
                           test_backward_visits_nodes_in_reverse_topological_order,
                           test_backward_twice_doubles_leaf_gradients_only])
class ValueOverwritingGradients(MicrogradValue):
    """The sum and product gates assign (=) their inputs' gradients instead of adding (+=): fan-out loses uses."""

    def __add__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = out.grad
            other.grad = out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_backward_visits_nodes_in_reverse_topological_order,
                           test_backward_matches_finite_differences_on_random_graphs])
class ValueBackwardByRecursion(MicrogradValue):
    """backward() without a topological sort: each node runs its _backward, then recurses into its inputs, so a
    node used twice passes its gradient on twice (the second time with both uses added)."""

    def backward(self):
        self.grad = 1.0
        self._propagate()

    def _propagate(self):
        self._backward()
        for child in self._prev:
            child._propagate()


@mutant(of="Value", kills=[test_backward_visits_nodes_in_reverse_topological_order])
class ValueBackwardBreadthFirst(MicrogradValue):
    """backward() in breadth-first order from the output (with a visited set): a node is processed before a user
    further away has added its share."""

    def backward(self):
        self.grad = 1.0
        queue, seen = deque([self]), {self}
        while queue:
            node = queue.popleft()
            node._backward()
            for child in node._prev:
                if child not in seen:
                    seen.add(child)
                    queue.append(child)


@mutant(of="Value", kills=[test_backward_visits_nodes_in_reverse_topological_order,
                           test_backward_matches_finite_differences_on_random_graphs])
class ValueBackwardInTopologicalOrder(MicrogradValue):
    """The topological order not reversed: the leaves are processed first, before any gradient reached them."""

    def backward(self):
        topo = self._topological_order()
        for v in topo:
            if v._prev:
                v.grad = 0.0
        self.grad += 1.0
        for v in topo:
            v._backward()


@mutant(of="Value", kills=[test_backward_twice_doubles_leaf_gradients_only])
class ValueKeepingIntermediateGradients(MicrogradValue):
    """micrograd's backward(): intermediate grads are not reset, so a second call adds the first call's gradient of
    every intermediate node again (x + y in (x + y) z passes 2z: the leaves get 3 times the gradient)."""

    def backward(self):
        topo = self._topological_order()
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()


@mutant(of="Value", kills=[test_backward_twice_doubles_leaf_gradients_only])
class ValueResettingLeafGradients(MicrogradValue):
    """backward() zeroes every grad first, leaves included: a second call does not accumulate on the leaves."""

    def backward(self):
        topo = self._topological_order()
        for v in topo:
            v.grad = 0.0
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()


@mutant(of="Value", kills=[test_forward_values_match_float_arithmetic_on_random_graphs])
class ValueDividingTheWrongWayRound(MicrogradValue):
    """x / y computed as y * x ** -1 (copied from __rtruediv__): y / x, with the matching gradients."""

    def __truediv__(self, other):
        return other * self**-1


# Correct alternatives.


@alternative(of="Value")
class MicrogradStyleValue(MicrogradValue):
    """micrograd: closures, a recursive topological sort with a visited set, a - b as a + (-b), a / b as
    a * b ** -1; intermediate grads reset before each sweep."""


@alternative(of="Value")
class KahnStyleValue(KahnValue):
    """Local derivatives stored at forward time, Kahn's algorithm (count users), gradients in a dict assigned to
    intermediate nodes and added to leaves; e ** x as math.e ** x, tanh from e^-2|x|, relu'(0) = 1."""


@alternative(of="Value")
class DepthOrderedValue(DepthValue):
    """NumPy float64 data, local derivatives recomputed in backward(), nodes ordered by longest distance from the
    output."""
