"""Each gate's forward value and local derivative, with a Value or a number on either side.

A graph of one gate, f = gate(x) or f = gate(x, y): after f.backward(), x.grad is the gate's local derivative
d f / d x (the gradient arriving at f is 1). The lecture's gates (I2DL lecture 3): the sum passes the gradient on
(1 to each input), the product swaps its inputs (df/dx = y), 1/x has -1/x^2, c + x has 1, e^x has e^x, a x has a.

Tolerances: the implementation and the float evaluation of spec/computational_graphs/expressions.py are each within
that module's rounding bound of the exact value (derived there per gate: a few u for +, -, *, /, **, exp and log,
relative; for tanh and the sigmoid, absolute, since their values are bounded by 1); they may differ by twice it.
"""

import math

from hypothesis import example, given
from hypothesis import strategies as st

from spec.computational_graphs import expressions as ex
from spec.computational_graphs.expressions import Row, program
from spec.computational_graphs.values import MicrogradValue
from spec.property import mutant, prop

CONCEPT = "gate local derivatives"
SUM_PRODUCT = ("TUM I2DL lecture 3, slides 13-18 (the sum gate passes the gradient on, df/dx = df/dd * 1; the "
               "product gate swaps its inputs, df/dz = d)")
GATES = ("TUM I2DL lecture 3, slide 26 (gate derivatives: 1/x -> -1/x^2, c + x -> 1, e^x -> e^x, a x -> a)")
ACTIVATIONS = "TUM I2DL lecture 3, slides 7 and 24-26 (sigmoid, tanh, ReLU; sigma' = (1 - sigma) sigma)"


def operands(magnitude=10.0):
    """Values in [-magnitude, magnitude], often exactly 0, +-1 or 0.5."""
    return ex.leaf_values(magnitude)


def away_from_zero(low=ex.MARGIN["divisor"], high=10.0):
    """|t| in [low, high], either sign: a divisor, or the base of a negative power."""
    return st.tuples(st.sampled_from([1.0, -1.0]), st.one_of(st.sampled_from([low, 1.0, 2.0]), st.floats(low, high)))\
        .map(lambda p: p[0] * p[1])


def check_gate(Value, prog, why):
    """Build prog (one gate) from the implementation's Value, compare f.data, run f.backward(), compare the leaves'
    gradients with the local derivatives; allowed twice the rounding bound of expressions.py (see the module doc)."""
    env = ex.build(Value, prog)
    ev = ex.evaluate(prog)
    bp = ex.backprop(prog, ev.values)
    out = prog.output
    found = ex.node_values(env, prog, [out])
    ex.run_backward(env[out], prog)
    grads = ex.node_grads(env, prog, prog.leaf_names)
    rows = [Row(f"{out}.data", found[out], ev.values[out], 2 * ev.errors[out])]
    rows += [Row(f"{leaf}.grad", grads[leaf], bp.grads[leaf], 2 * bp.bounds[leaf]) for leaf in prog.leaf_names]
    ex.check_rows(f"the gate {out} = {prog.nodes[-1].code()}", rows, prog, why=why,
                  show=(f"{out}.data", *(f"{leaf}.grad" for leaf in prog.leaf_names)))


def check_forms(Value, x, y, c, forms, why):
    """The gate in each form: ("x + y",) with two Values, ("x + c", "c + x") with a number on either side."""
    for form in forms:
        gate = ex.GATE[form]
        if gate.arity == 2:
            check_gate(Value, program({"x": x, "y": y}, ("f", form, "x", "y")), why)
        elif gate.constant:
            check_gate(Value, program({"x": x}, ("f", form, "x", c)), why)
        else:
            check_gate(Value, program({"x": x}, ("f", form, "x")), why)


@prop(CONCEPT, SUM_PRODUCT, "x + y, x + c and c + x have the value of the sum and pass the gradient on: d/dx = d/dy = 1.")
@given(x=operands(), y=operands(), c=ex.constants())
@example(x=1.0, y=-3.0, c=1.0)
def test_add_gate_passes_the_gradient_on(Value, x, y, c):
    check_forms(Value, x, y, c, ("x + y", "x + c", "c + x"), "the sum gate: local derivative 1 for each input")


@prop(CONCEPT, SUM_PRODUCT, "x - y, x - c and c - x have the value of the difference and local derivatives +1 and -1.")
@given(x=operands(), y=operands(), c=ex.constants())
@example(x=1.0, y=-3.0, c=2.0)
def test_sub_gate_has_derivatives_plus_and_minus_one(Value, x, y, c):
    check_forms(Value, x, y, c, ("x - y", "x - c", "c - x"),
                "x - y: local derivative 1 for x and -1 for y; c - x: -1 for x")


@prop(CONCEPT, SUM_PRODUCT, "x * y, x * c and c * x: the product gate swaps its inputs, d(x y)/dx = y, d(a x)/dx = a.")
@given(x=operands(), y=operands(), c=ex.constants())
@example(x=-2.0, y=4.0, c=-1.0)
def test_mul_gate_swaps_its_inputs(Value, x, y, c):
    check_forms(Value, x, y, c, ("x * y", "x * c", "c * x"), "x * y: d/dx = y, d/dy = x; a * x: d/dx = a")


@prop(CONCEPT, GATES, "x / y, x / c and c / x: d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2, d(c/x)/dx = -c/x^2 (the 1/x gate).")
@given(x=operands(), y=away_from_zero(), c=ex.constants())
@example(x=1.0, y=1.3678794411714423, c=1.0)
def test_div_gate_has_derivatives_one_over_y_and_minus_x_over_y_squared(Value, x, y, c):
    check_forms(Value, y, x, c, ("c / x",), "1/x: local derivative -1/x^2; c/x: -c/x^2")
    check_forms(Value, x, y, c, ("x / y", "x / c"), "x / y: d/dx = 1/y, d/dy = -x/y^2")


@st.composite
def powers(draw):
    """(x, c): a constant exponent c and a base x where x ** c is real and smooth (x > 0 for a non-integer c,
    |x| >= 0.25 for a negative c)."""
    c = draw(ex.exponents())
    if not c.is_integer():
        x = draw(st.floats(ex.MARGIN["divisor"] if c < 0 else ex.MARGIN["power base"], 5.0))
    elif c < 0:
        x = draw(away_from_zero(high=5.0))
    else:
        x = draw(operands(5.0))
    return x, c


@prop(CONCEPT, GATES, "x ** c for a constant c has the power rule's local derivative c x^(c - 1).")
@given(xc=powers())
@example(xc=(3.0, 2.0))
@example(xc=(-2.0, 3.0))
@example(xc=(4.0, 0.5))
@example(xc=(2.0, -1.0))
def test_pow_gate_follows_the_power_rule(Value, xc):
    x, c = xc
    check_gate(Value, program({"x": x}, ("f", "x ** c", "x", c)), "the power rule: d(x^c)/dx = c x^(c - 1)")


@prop(CONCEPT, GATES, "-x has the value -x and local derivative -1 (the a x gate with a = -1).")
@given(x=operands())
def test_neg_gate_has_derivative_minus_one(Value, x):
    check_forms(Value, x, None, None, ("-x",), "-x = (-1) x: local derivative -1")


@prop(CONCEPT, GATES, "x.exp() is e^x and its local derivative is e^x too.")
@given(x=operands(50.0))
@example(x=-1.0)
def test_exp_gate_is_its_own_derivative(Value, x):
    check_forms(Value, x, None, None, ("x.exp()",), "e^x: local derivative e^x")


@prop(CONCEPT, GATES, "x.log() is the natural logarithm and its local derivative is 1/x, for x > 0.")
@given(x=st.one_of(st.sampled_from([1.0, math.e, 0.5, 100.0]), st.floats(ex.MARGIN["log"], 100.0)))
def test_log_gate_has_derivative_one_over_x(Value, x):
    check_forms(Value, x, None, None, ("x.log()",), "log x: local derivative 1/x")


@prop(CONCEPT, ACTIVATIONS, "x.tanh() is tanh(x) and its local derivative is 1 - tanh(x)^2.")
@given(x=operands(50.0))
@example(x=0.5)
def test_tanh_gate_has_derivative_one_minus_tanh_squared(Value, x):
    check_forms(Value, x, None, None, ("x.tanh()",), "tanh: local derivative 1 - tanh(x)^2, from the output")


@prop(CONCEPT, ACTIVATIONS, "x.sigmoid() is 1 / (1 + e^-x) and its local derivative is s (1 - s).")
@given(x=operands(50.0))
@example(x=1.0)
def test_sigmoid_gate_has_derivative_s_times_one_minus_s(Value, x):
    check_forms(Value, x, None, None, ("x.sigmoid()",), "sigmoid: local derivative s (1 - s), from the output s")


EXTREMES = (1000.0, -1000.0, 710.0, -710.0, 40.0, -40.0)


@prop(CONCEPT, ACTIVATIONS, "x.sigmoid() and x.tanh() are finite and accurate, with their gradients, for |x| up to 1000.")
@given(x=st.one_of(st.sampled_from(EXTREMES), st.floats(-1000.0, 1000.0)))
@example(x=-1000.0)
@example(x=1000.0)
def test_sigmoid_and_tanh_are_stable_for_magnitudes_up_to_1000(Value, x):
    # The same bounds as the gates' (absolute: the values are in [0, 1] and [-1, 1]); e^1000 overflows float64, so a
    # correct implementation computes from e^-|x| (or math.tanh), never from e^|x|.
    check_forms(Value, x, None, None, ("x.sigmoid()", "x.tanh()"),
                "finite for any |x|: compute the sigmoid from e^-|x|, which cannot overflow")


@prop(CONCEPT, ACTIVATIONS, "x.relu() is max(0, x); its local derivative is 1 for x > 0 and 0 for x < 0 (either at 0).")
@given(x=operands())
@example(x=0.0)
@example(x=-2.0)
@example(x=3.0)
def test_relu_gate_passes_the_gradient_only_where_x_is_positive(Value, x):
    prog = program({"x": x}, ("f", "x.relu()", "x"))
    env = ex.build(Value, prog)
    value = ex.node_values(env, prog, ["f"])["f"]
    ex.run_backward(env["f"], prog)
    grad = ex.node_grads(env, prog, ["x"])["x"]
    # Exact: max(0, x) involves no rounding, and the local derivative is 0 or 1 times the arriving gradient 1.
    expected_grad = 1.0 if x > 0 else 0.0
    if x == 0 and grad in (0.0, 1.0):  # at the kink any subgradient in {0, 1} is accepted
        expected_grad = grad
    rows = [Row("f.data", value, max(x, 0.0), 0.0), Row("x.grad", grad, expected_grad, 0.0,
                                                        note="0 or 1 at x = 0" if x == 0 else "")]
    ex.check_rows("the gate f = x.relu()", rows, prog, why="relu passes the gradient where x > 0 and blocks it where x < 0")


# Mutants: micrograd-style Values with one realistic bug each.


@mutant(of="Value", kills=[test_add_gate_passes_the_gradient_on])
class ValueAddingPlainNumbersUnwrapped(MicrogradValue):
    """x + 2 reads 2.data: a number operand is not wrapped as a constant Value (AttributeError)."""

    def __add__(self, other):
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_add_gate_passes_the_gradient_on])
class ValueWithRaddCallingItself(MicrogradValue):
    """__radd__ returns other + self: the number's + gives up on a Value, so Python calls __radd__ again, forever
    (RecursionError)."""

    def __radd__(self, other):
        return other + self


@mutant(of="Value", kills=[test_sub_gate_has_derivatives_plus_and_minus_one])
class ValueSubtractingWithoutTheMinus(MicrogradValue):
    """x - y gives y the gradient +1 instead of -1."""

    def __sub__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_sub_gate_has_derivatives_plus_and_minus_one])
class ValueWithRsubOperandsSwapped(MicrogradValue):
    """c - x computed as x - c: __rsub__ written like __sub__, forgetting that the number is on the left."""

    def __rsub__(self, other):
        return self - other


@mutant(of="Value", kills=[test_mul_gate_swaps_its_inputs])
class ValueMultiplyingWithoutSwapping(MicrogradValue):
    """x * y gives x the gradient x instead of y (each input its own value)."""

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += self.data * out.grad
            other.grad += other.data * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_div_gate_has_derivatives_one_over_y_and_minus_x_over_y_squared])
class ValueDividingWithThePlusSign(MicrogradValue):
    """x / y gives y the gradient +x/y^2: the minus of d(1/y)/dy = -1/y^2 forgotten."""

    def __truediv__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data / other.data, (self, other), "/")

        def _backward():
            self.grad += (1.0 / other.data) * out.grad
            other.grad += (self.data / other.data**2) * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_div_gate_has_derivatives_one_over_y_and_minus_x_over_y_squared])
class ValueDividingByAConstant(MicrogradValue):
    """x / y computed as x * (1 / y.data): y becomes a constant, and its gradient is lost."""

    def __truediv__(self, other):
        other = self._wrap(other)
        return self * (1.0 / other.data)


@mutant(of="Value", kills=[test_div_gate_has_derivatives_one_over_y_and_minus_x_over_y_squared])
class ValueWithRtruedivOperandsSwapped(MicrogradValue):
    """c / x computed as x / c: __rtruediv__ written like __truediv__."""

    def __rtruediv__(self, other):
        return self / other


@mutant(of="Value", kills=[test_pow_gate_follows_the_power_rule])
class ValuePowerRuleOffByOne(MicrogradValue):
    """d(x^c)/dx as c x^c: the exponent not lowered by one."""

    def __pow__(self, c):
        out = type(self)(self.data**c, (self,), f"**{c}")

        def _backward():
            self.grad += c * self.data**c * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_neg_gate_has_derivative_minus_one])
class ValueNegatingIntoANewLeaf(MicrogradValue):
    """-x returns Value(-x.data): a new leaf, cut off from x, so x gets no gradient."""

    def __neg__(self):
        return type(self)(-self.data)


@mutant(of="Value", kills=[test_log_gate_has_derivative_one_over_x])
class ValueLogDerivativeFromTheOutput(MicrogradValue):
    """d(log x)/dx as 1 / log(x): the output instead of the input."""

    def log(self):
        out = type(self)(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += (1.0 / out.data if out.data else 0.0) * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_exp_gate_is_its_own_derivative])
class ValueExpDerivativeFromTheInput(MicrogradValue):
    """d(e^x)/dx as x: the input used where the output e^x belongs."""

    def exp(self):
        out = type(self)(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += self.data * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_tanh_gate_has_derivative_one_minus_tanh_squared])
class ValueTanhDerivativeFromTheInput(MicrogradValue):
    """d tanh(x)/dx as 1 - x^2: the input used where the output tanh(x) belongs."""

    def tanh(self):
        out = type(self)(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - self.data**2) * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_sigmoid_gate_has_derivative_s_times_one_minus_s])
class ValueSigmoidMissingAFactor(MicrogradValue):
    """d sigma/dx as s: the factor (1 - s) of s (1 - s) forgotten."""

    def sigmoid(self):
        out = super().sigmoid()
        s = out.data

        def _backward():
            self.grad += s * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_sigmoid_and_tanh_are_stable_for_magnitudes_up_to_1000])
class ValueWithANaiveSigmoid(MicrogradValue):
    """1 / (1 + math.exp(-x)): math.exp overflows (OverflowError) for x < -709."""

    def sigmoid(self):
        s = 1.0 / (1.0 + math.exp(-self.data))
        out = type(self)(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1 - s) * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_sigmoid_and_tanh_are_stable_for_magnitudes_up_to_1000])
class ValueWithTanhByItsDefinition(MicrogradValue):
    """(e^x - e^-x) / (e^x + e^-x): math.exp overflows for |x| > 709."""

    def tanh(self):
        x = self.data
        t = (math.exp(x) - math.exp(-x)) / (math.exp(x) + math.exp(-x))
        out = type(self)(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_relu_gate_passes_the_gradient_only_where_x_is_positive])
class ValueReluPassingItsOutput(MicrogradValue):
    """relu's local derivative as out.data (the value) instead of (out.data > 0)."""

    def relu(self):
        out = type(self)(max(self.data, 0.0), (self,), "ReLU")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out


@mutant(of="Value", kills=[test_log_gate_has_derivative_one_over_x])
class ValueLogInBase10(MicrogradValue):
    """x.log() as math.log10 (with the matching derivative 1 / (x ln 10)): not the natural logarithm."""

    def log(self):
        out = type(self)(math.log10(self.data), (self,), "log")

        def _backward():
            self.grad += 1.0 / (self.data * math.log(10.0)) * out.grad

        out._backward = _backward
        return out
