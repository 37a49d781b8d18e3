"""The lecture's backprop worked examples, number by number (I2DL lecture 3).

(x + y) z at x = 1, y = -3, z = 4 (slides 12-18): forward d = x + y = -2, f = d z = -8; backward df/dd = z = 4,
df/dz = d = -2, df/dx = df/dd * dd/dx = 4 * 1 = 4, df/dy = 4. Every number is an integer: computed exactly.

The sigmoid neuron f = sigma(w0 x0 + w1 x1 + b) at w0 = 2, x0 = -1, w1 = -3, x1 = -2, b = -3 (slides 24-26): the
weighted sum is -2 + 6 - 3 = 1 (exact), f = sigma(1) = 1 / (1 + e^-1) = 0.7310585786300049 (the slide's 0.73), and
sigma'(1) = sigma(1)(1 - sigma(1)) = 0.19661193324148185; by the product gates
  df/dw0 = x0 sigma' = -0.19661193324148185 (the issue's "about -0.20")
  df/dx0 = w0 sigma' =  0.3932238664829637  ("0.39")
  df/dw1 = x1 sigma' = -0.3932238664829637  ("-0.39")
  df/dx1 = w1 sigma' = -0.5898357997244456  ("-0.59")
  df/db  =    sigma' =  0.19661193324148185 ("0.20").
Drawn as the lecture's gates, s = w0 x0 + w1 x1 + b, n = -1 * s (a x, a = -1), e = n.exp() (e^x), d = 1 + e (c + x),
f = 1 / d (1/x): forward n = -1, e = e^-1 = 0.36787944117144233 (0.37), d = 1.3678794411714423 (1.37), f = 0.73;
backward df/dd = -1/d^2 = -0.534446645388523 (the slide's -0.53), df/de = df/dd * 1 = -0.53, df/dn = df/de * e^n =
-0.19661193324148188, df/ds = -1 * df/dn = 0.19661193324148188, and the leaves as above.
(All values checked by hand and with math.exp in float64.)
"""

import math

from spec.computational_graphs import expressions as ex
from spec.computational_graphs.expressions import Row, U, program
from spec.computational_graphs.values import MicrogradValue
from spec.property import mutant, prop

CONCEPT = "backprop worked examples"
SUM_TIMES_Z = "TUM I2DL lecture 3, slides 12-18 (backprop worked example f = (x + y) z at x = 1, y = -3, z = 4)"
NEURON = "TUM I2DL lecture 3, slides 24-26 (the sigmoid neuron as a graph: w0 = 2, x0 = -1, w1 = -3, x1 = -2, b = -3)"

SIGMA = 0.7310585786300049
SIGMA_PRIME = 0.19661193324148185
NEURON_GRADS = {"w0": -SIGMA_PRIME, "x0": 0.3932238664829637, "w1": -0.3932238664829637, "x1": -0.5898357997244456,
                "b": SIGMA_PRIME}
NEURON_LEAVES = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "b": -3.0}
NEURON_SUM = (("p0", "x * y", "w0", "x0"), ("p1", "x * y", "w1", "x1"), ("q", "x + y", "p0", "p1"),
              ("s", "x + y", "q", "b"))

# Tolerances. The weighted sum is exact (integers). sigma(1) by any correct formula is within 8u (expressions.py,
# absolute); the trusted value above is the correctly rounded one, so 8u covers it. sigma'(1) within 16u of the
# exact value (expressions.py), and each leaf gradient multiplies it by an integer of size <= 3 (exact product of
# the local derivatives of the product gates, then one rounding): 3 * 16u + u <= 64u.
NEURON_VALUE = 8 * U
NEURON_GRAD = 64 * U


def values_and_grads(Value, prog, names):
    """Build prog, read every node's data, run backward, read the grads of `names`."""
    env = ex.build(Value, prog)
    data = ex.node_values(env, prog)
    ex.run_backward(env[prog.output], prog)
    return data, ex.node_grads(env, prog, names)


@prop(CONCEPT, SUM_TIMES_Z, "f = (x + y) * z at x = 1, y = -3, z = 4: f = -8, df/dx = df/dy = 4, df/dz = -2 (and d = x + y = -2 with df/dd = 4).")
def test_the_lectures_sum_times_z_example(Value):
    prog = program({"x": 1.0, "y": -3.0, "z": 4.0}, ("d", "x + y", "x", "y"), ("f", "x * y", "d", "z"))
    data, grads = values_and_grads(Value, prog, ["x", "y", "z", "d", "f"])
    # Integers throughout: every operation is exact, so the values must be equal.
    rows = [Row("d.data", data["d"], -2.0, 0.0), Row("f.data", data["f"], -8.0, 0.0),
            Row("x.grad", grads["x"], 4.0, 0.0, "df/dd * dd/dx = z * 1"),
            Row("y.grad", grads["y"], 4.0, 0.0, "df/dd * dd/dy = z * 1"),
            Row("z.grad", grads["z"], -2.0, 0.0, "df/dz = d = x + y"),
            Row("d.grad", grads["d"], 4.0, 0.0, "df/dd = z"), Row("f.grad", grads["f"], 1.0, 0.0, "df/df = 1")]
    ex.check_rows("the lecture's f = (x + y) * z", rows, prog, why="forward then backward, the chain rule gate by gate")


@prop(CONCEPT, NEURON, "The sigmoid neuron sigmoid(w0 x0 + w1 x1 + b) gives 0.73 and gradients w0 -0.20, x0 0.39, w1 -0.39, x1 -0.59, b 0.20.")
def test_the_lectures_sigmoid_neuron(Value):
    prog = program(NEURON_LEAVES, *NEURON_SUM, ("f", "x.sigmoid()", "s"))
    data, grads = values_and_grads(Value, prog, list(NEURON_GRADS))
    rows = [Row("s.data", data["s"], 1.0, 0.0, "w0 x0 + w1 x1 + b = -2 + 6 - 3, exact"),
            Row("f.data", data["f"], SIGMA, NEURON_VALUE, "sigmoid(1) = 1 / (1 + e^-1)")]
    rows += [Row(f"{n}.grad", grads[n], g, NEURON_GRAD) for n, g in NEURON_GRADS.items()]
    ex.check_rows("the lecture's sigmoid neuron f = s.sigmoid()", rows, prog,
                  why="df/dw0 = x0 sigma'(s), df/dx0 = w0 sigma'(s), ..., df/db = sigma'(s), sigma' = s (1 - s)")


# Tolerances of the gate-by-gate neuron. Values: n = -1 exact; e = e^-1 within (4 + 2|n|) u = 6u relative
# (expressions.py, exp); d = 1 + e adds a rounding: within 4u absolute (e < 1, d < 2); f = 1/d within 6u relative
# (the division bound) plus d's error over d^2 (4u / 1.87): 9u. Allowed 16u on every value (each below 2).
# Gradients: df/dd = -1/d^2: d's 4u absolute error moves 1/d^2 by 2 * 4u / d^3 = 3.2u, and the partial of 1/x
# is within 8u relative (<= 4.3u absolute here): 8u absolute; df/de the same plus the rounding of the product with
# 1: 9u; df/dn times e (6u relative): 9u * 0.37 + 6u * 0.2 + u < 6u; the leaves multiply an integer <= 3: 3 * 6u
# + 2u = 20u. Allowed 32u on every gradient (each of size below 1).
GATES_VALUE = 16 * U
GATES_GRAD = 32 * U


@prop(CONCEPT, NEURON, "The same neuron built from the lecture's gates, 1 / (1 + (-1 * s).exp()): values 1, -1, 0.37, 1.37, 0.73 and gradients -0.53 at 1/x, then -0.53, -0.20, 0.20 and the leaves' as before.")
def test_the_lectures_sigmoid_neuron_gate_by_gate(Value):
    prog = program(NEURON_LEAVES, *NEURON_SUM, ("n", "c * x", "s", -1.0), ("e", "x.exp()", "n"),
                   ("d", "c + x", "e", 1.0), ("f", "c / x", "d", 1.0))
    names = ["d", "e", "n", "s", *NEURON_GRADS]
    data, grads = values_and_grads(Value, prog, names)
    expected_values = {"s": 1.0, "n": -1.0, "e": 0.36787944117144233, "d": 1.3678794411714423, "f": SIGMA}
    rows = [Row(f"{k}.data", data[k], v, GATES_VALUE) for k, v in expected_values.items()]
    inner = {"d": (-0.534446645388523, "1/x gate: -1/d^2 = -1/1.37^2 = -0.53"),
             "e": (-0.534446645388523, "c + x gate: local derivative 1"),
             "n": (-0.19661193324148188, "e^x gate: -0.53 * e^n = -0.53 * 0.37"),
             "s": (0.19661193324148188, "a x gate with a = -1: -1 * -0.20")}
    rows += [Row(f"{k}.grad", grads[k], g, GATES_GRAD, note) for k, (g, note) in inner.items()]
    rows += [Row(f"{n}.grad", grads[n], g, GATES_GRAD) for n, g in NEURON_GRADS.items()]
    ex.check_rows("the lecture's sigmoid neuron gate by gate", rows, prog,
                  why="each gate multiplies the gradient arriving from its output by its local derivative")


# Mutants.


@mutant(of="Value", kills=[test_the_lectures_sum_times_z_example, test_the_lectures_sigmoid_neuron,
                           test_the_lectures_sigmoid_neuron_gate_by_gate])
class ValueAddPassingOneInsteadOfTheGradient(MicrogradValue):
    """The sum gate adds 1 to each input's grad instead of out.grad: local derivative without the chain rule."""

    def __add__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0
            other.grad += 1.0

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_the_lectures_sigmoid_neuron_gate_by_gate])
class ValueExpIgnoringTheArrivingGradient(MicrogradValue):
    """e^x's backward adds e^x to x.grad, forgetting to multiply by out.grad (right only when f = e^x itself)."""

    def exp(self):
        out = super().exp()

        def _backward():
            self.grad += out.data

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_the_lectures_sum_times_z_example, test_the_lectures_sigmoid_neuron,
                           test_the_lectures_sigmoid_neuron_gate_by_gate])
class ValueNeverSeedingTheOutput(MicrogradValue):
    """backward() forgets self.grad = 1 before the sweep: every gradient stays 0."""

    def backward(self):
        topo = self._topological_order()
        for v in topo:
            if v._prev:
                v.grad = 0.0
        for v in reversed(topo):
            v._backward()


@mutant(of="Value", kills=[test_the_lectures_sigmoid_neuron])
class ValueSigmoidWithItsBranchesSwapped(MicrogradValue):
    """The stable sigmoid with its two branches swapped: e/(1 + e) for x >= 0 and 1/(1 + e) for x < 0, e = e^-|x|,
    which is sigma(-x)."""

    def sigmoid(self):
        e = math.exp(-abs(self.data))
        s = e / (1.0 + e) if self.data >= 0 else 1.0 / (1.0 + e)
        out = type(self)(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1 - s) * out.grad

        out._backward = _backward
        return out
