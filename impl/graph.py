"""A computational graph of scalars with reverse-mode differentiation (micrograd style; spec/contract/graph.py).

Each operation makes a new node that remembers its inputs together with the local derivative of the operation with
respect to each of them, computed in the forward pass (the lecture's gates: + passes the gradient on, * swaps its
inputs, 1/x has -1/x^2, e^x has e^x, ...). ``backward()`` orders the graph topologically with an explicit stack (no
recursion, so a graph thousands of nodes deep works), then sweeps it from the output back to the leaves, adding
local derivative times the node's gradient to each input: a node used several times receives the sum.

Gradients of leaves (Values made by the constructor) accumulate across backward() calls, as in PyTorch; intermediate
nodes restart from 0 at every call, so a second call adds exactly the same gradient to the leaves again.
"""

import math
import numbers

from impl import _validate


def _number(value, what):
    """A plain real operand as a float, or a TypeError saying what the operand should be."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a Value or a real number, got {type(value).__name__} {value!r}")
    return _validate.real_number(what, value)


class Value:
    """A scalar node: ``data`` (a float), ``grad`` (d output / d node after backward(), 0.0 at first).

    Result nodes are built with ``type(self)``, so arithmetic on a subclass's objects stays in that subclass.
    """

    def __init__(self, data):
        self.data = _validate.real_number("Value data", data)
        self.grad = 0.0
        self._inputs = ()  # ((input node, local derivative d self / d input), ...); () for a leaf

    def __repr__(self):
        return f"{type(self).__name__}(data={self.data!r}, grad={self.grad!r})"

    # Building nodes.

    def _operand(self, other, op):
        """other as a node: a Value as it is, a number as a constant (a leaf nobody reads the gradient of)."""
        if isinstance(other, Value):
            return other
        return type(self)(_number(other, f"the other operand of Value {op}"))

    def _result(self, data, *inputs):
        """A new node with the given data and (input, local derivative) pairs."""
        if not math.isfinite(data):
            raise OverflowError(f"the result {data!r} is not a finite float64 number")
        node = type(self)(data)
        node._inputs = inputs
        return node

    # Arithmetic: a op b with a Value or a number on either side.

    def __add__(self, other):
        other = self._operand(other, "+")
        return self._result(self.data + other.data, (self, 1.0), (other, 1.0))

    def __radd__(self, other):
        return self._operand(other, "+") + self

    def __sub__(self, other):
        other = self._operand(other, "-")
        return self._result(self.data - other.data, (self, 1.0), (other, -1.0))

    def __rsub__(self, other):
        return self._operand(other, "-") - self

    def __mul__(self, other):
        other = self._operand(other, "*")
        return self._result(self.data * other.data, (self, other.data), (other, self.data))

    def __rmul__(self, other):
        return self._operand(other, "*") * self

    def __truediv__(self, other):
        other = self._operand(other, "/")
        if other.data == 0:
            raise ZeroDivisionError(f"Value division by zero: {self.data!r} / 0.0")
        quotient = self.data / other.data
        return self._result(quotient, (self, 1.0 / other.data), (other, -quotient / other.data))

    def __rtruediv__(self, other):
        return self._operand(other, "/") / self

    def __neg__(self):
        return self._result(-self.data, (self, -1.0))

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError("the exponent of Value ** must be a constant number, not a Value (x ** y with a Value y "
                            "is not a gate of this graph; for x > 0 write (y * x.log()).exp())")
        c = _number(exponent, "the exponent of Value **")
        x = self.data
        if x < 0 and not c.is_integer():
            raise ValueError(f"Value ** {c!r}: a negative base {x!r} has no real power with a non-integer exponent")
        if x == 0 and c < 1 and c != 0:
            raise ValueError(f"Value ** {c!r} at 0: the derivative {c!r} * 0 ** ({c!r} - 1) is not finite")
        derivative = 0.0 if c == 0 else c * x ** (c - 1)
        return self._result(x**c, (self, derivative))

    def __rpow__(self, base):
        raise TypeError("a Value can only be raised to a constant power (x ** c); c ** x is not a gate of this graph: "
                        "write (x * math.log(c)).exp() for c > 0")

    # Functions.

    def exp(self):
        if self.data > 709.78:  # e^709.78 is near the largest float64, 1.8e308
            raise OverflowError(f"Value.exp: e ** {self.data!r} overflows float64 (it needs x <= 709.78)")
        e = math.exp(self.data)
        return self._result(e, (self, e))

    def log(self):
        if not self.data > 0:
            raise ValueError(f"Value.log needs a positive number, got data = {self.data!r}")
        return self._result(math.log(self.data), (self, 1.0 / self.data))

    def tanh(self):
        t = math.tanh(self.data)  # computed without overflow for any finite input
        return self._result(t, (self, 1.0 - t * t))

    def sigmoid(self):
        # 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0: the exponential is e^-|x| <= 1, never overflows.
        e = math.exp(-abs(self.data))
        s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
        return self._result(s, (self, s * (1.0 - s)))

    def relu(self):
        positive = self.data > 0
        return self._result(self.data if positive else 0.0, (self, 1.0 if positive else 0.0))

    # Backpropagation.

    def _topological_order(self):
        """Every node of the graph, each after all of its inputs (an iterative depth-first post-order)."""
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in node._inputs if id(parent) not in seen)
        return order

    def backward(self):
        order = self._topological_order()
        for node in order:
            if node._inputs:  # intermediate nodes start from 0; leaves keep (accumulate) their gradient
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):  # a node only after every node that uses it
            for parent, local in node._inputs:
                parent.grad += local * node.grad
