"""Correct Values written the ways students write them, for this chapter's alternatives and as the base of its
mutants (a mutant overrides one method of MicrogradValue with a realistic bug).

- MicrogradValue: Karpathy's micrograd: each operation stores a closure ``_backward``; backward() sorts the graph by
  a recursive depth-first search with a visited set; subtraction is a + (-b), division a * b ** -1, -a is a * -1;
  numbers are wrapped as constant Values. Intermediate gradients are reset before each sweep (the contract's
  backward-twice semantics; micrograd itself keeps them, which is one of the mutants).
- KahnValue: local derivatives stored with the inputs at forward time; backward() counts each node's users and
  processes a node once all of them are done (Kahn's algorithm), collects gradients in a dict from 0, then assigns
  them to intermediate nodes and adds them to leaves. Other formulas: e ** x as math.e ** x, tanh from e^-2|x|,
  the sigmoid as (1 + tanh(x / 2)) / 2, relu's subgradient 1 at 0.
- DepthValue: NumPy float64 data; local derivatives recomputed in backward() from each node's operation; nodes
  processed by decreasing longest distance from the output (every user of a node is strictly closer).
"""

from __future__ import annotations

import math

import numpy as np


class MicrogradValue:
    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def _wrap(self, other):
        return other if isinstance(other, MicrogradValue) else type(self)(other)

    def __add__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = type(self)(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, c):
        assert isinstance(c, (int, float)), "only constant exponents"
        out = type(self)(self.data**c, (self,), f"**{c}")

        def _backward():
            self.grad += c * self.data ** (c - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = type(self)(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self):
        out = type(self)(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += (1.0 / self.data) * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        out = type(self)(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        out = type(self)(s, (self,), "sigmoid")

        def _backward():
            self.grad += s * (1 - s) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = type(self)(0.0 if self.data < 0 else self.data, (self,), "ReLU")

        def _backward():
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def _topological_order(self):
        topo, visited = [], set()

        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)

        build(self)
        return topo

    def backward(self):
        topo = self._topological_order()
        for v in topo:
            if v._prev:
                v.grad = 0.0
        self.grad += 1.0
        for v in reversed(topo):
            v._backward()

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other**-1

    def __rtruediv__(self, other):
        return other * self**-1


class KahnValue:
    def __init__(self, data, inputs=()):
        self.data = float(data)
        self.grad = 0.0
        self.inputs = tuple(inputs)  # ((input node, local derivative), ...)

    def _lift(self, other):
        return other if isinstance(other, KahnValue) else type(self)(other)

    def _node(self, data, *inputs):
        return type(self)(data, inputs)

    def __add__(self, other):
        other = self._lift(other)
        return self._node(self.data + other.data, (self, 1.0), (other, 1.0))

    def __radd__(self, other):
        return self._lift(other) + self

    def __sub__(self, other):
        other = self._lift(other)
        return self._node(self.data - other.data, (self, 1.0), (other, -1.0))

    def __rsub__(self, other):
        return self._lift(other) - self

    def __mul__(self, other):
        other = self._lift(other)
        return self._node(self.data * other.data, (self, other.data), (other, self.data))

    def __rmul__(self, other):
        return self._lift(other) * self

    def __truediv__(self, other):
        other = self._lift(other)
        a, b = self.data, other.data
        return self._node(a / b, (self, 1.0 / b), (other, -a / b**2))

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def __neg__(self):
        return self._node(-self.data, (self, -1.0))

    def __pow__(self, c):
        x = self.data
        out = x**c
        local = c * out / x if x != 0 else (0.0 if c == 0 else c * x ** (c - 1))
        return self._node(out, (self, local))

    def exp(self):
        e = math.e**self.data
        return self._node(e, (self, e))

    def log(self):
        return self._node(math.log(self.data), (self, 1.0 / self.data))

    def tanh(self):
        e = math.exp(-2.0 * abs(self.data))
        t = math.copysign((1.0 - e) / (1.0 + e), self.data)
        return self._node(t, (self, (1.0 - t) * (1.0 + t)))

    def sigmoid(self):
        s = 0.5 * (1.0 + math.tanh(0.5 * self.data))
        return self._node(s, (self, s - s * s))

    def relu(self):
        return self._node(max(self.data, 0.0), (self, 1.0 if self.data >= 0 else 0.0))

    def backward(self):
        nodes, users, stack = {}, {}, [self]
        while stack:
            node = stack.pop()
            if id(node) in nodes:
                continue
            nodes[id(node)] = node
            for parent, _ in node.inputs:
                users[id(parent)] = users.get(id(parent), 0) + 1
                stack.append(parent)
        grads = dict.fromkeys(nodes, 0.0)
        grads[id(self)] = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            for parent, local in node.inputs:
                grads[id(parent)] += local * grads[id(node)]
                users[id(parent)] -= 1
                if users[id(parent)] == 0:
                    ready.append(parent)
        for key, node in nodes.items():
            if node.inputs:
                node.grad = grads[key]
            else:
                node.grad += grads[key]


def _local_derivatives(op, inputs, out, c):
    """d out / d input for each input of an operation, from the data (DepthValue computes them in backward)."""
    if op == "+":
        return (1.0, 1.0)
    if op == "-":
        return (1.0, -1.0)
    if op == "*":
        return (inputs[1].data, inputs[0].data)
    if op == "/":
        a, b = inputs[0].data, inputs[1].data
        return (1.0 / b, -(a / b) / b)
    if op == "neg":
        return (-1.0,)
    if op == "pow":
        return (c * inputs[0].data ** (c - 1) if c != 0 else 0.0,)
    if op == "exp":
        return (out,)
    if op == "log":
        return (1.0 / inputs[0].data,)
    if op == "tanh":
        return (1.0 - out * out,)
    if op == "sigmoid":
        return (out * (1.0 - out),)
    if op == "relu":
        return (float(inputs[0].data > 0),)
    raise ValueError(op)


class DepthValue:
    def __init__(self, data, inputs=(), op="", c=None):
        self.data = np.float64(data)
        self.grad = np.float64(0.0)
        self.inputs, self.op, self.c = tuple(inputs), op, c

    def _as(self, other):
        return other if isinstance(other, DepthValue) else type(self)(other)

    def _make(self, data, op, *inputs, c=None):
        return type(self)(data, inputs, op, c)

    def __add__(self, other):
        other = self._as(other)
        return self._make(self.data + other.data, "+", self, other)

    def __radd__(self, other):
        return self._as(other).__add__(self)

    def __sub__(self, other):
        other = self._as(other)
        return self._make(self.data - other.data, "-", self, other)

    def __rsub__(self, other):
        return self._as(other).__sub__(self)

    def __mul__(self, other):
        other = self._as(other)
        return self._make(self.data * other.data, "*", self, other)

    def __rmul__(self, other):
        return self._as(other).__mul__(self)

    def __truediv__(self, other):
        other = self._as(other)
        return self._make(self.data / other.data, "/", self, other)

    def __rtruediv__(self, other):
        return self._as(other).__truediv__(self)

    def __neg__(self):
        return self._make(-self.data, "neg", self)

    def __pow__(self, c):
        return self._make(self.data ** np.float64(c), "pow", self, c=c)

    def exp(self):
        return self._make(np.exp(self.data), "exp", self)

    def log(self):
        return self._make(np.log(self.data), "log", self)

    def tanh(self):
        return self._make(np.tanh(self.data), "tanh", self)

    def sigmoid(self):
        return self._make(np.exp(-np.logaddexp(0.0, -self.data)), "sigmoid", self)

    def relu(self):
        return self._make(np.maximum(self.data, 0.0), "relu", self)

    def backward(self):
        # Longest distance from the output, by relaxation: a user of a node is always strictly closer than it.
        distance, work = {id(self): 0}, [self]
        nodes = {id(self): self}
        while work:
            node = work.pop()
            for parent in node.inputs:
                if distance.get(id(parent), -1) < distance[id(node)] + 1:
                    distance[id(parent)] = distance[id(node)] + 1
                    nodes[id(parent)] = parent
                    work.append(parent)
        order = sorted(nodes.values(), key=lambda n: distance[id(n)])
        grads = {key: np.float64(0.0) for key in nodes}
        grads[id(self)] = np.float64(1.0)
        for node in order:
            if not node.inputs:
                continue
            for parent, local in zip(node.inputs, _local_derivatives(node.op, node.inputs, node.data, node.c)):
                grads[id(parent)] += local * grads[id(node)]
        for key, node in nodes.items():
            if node.inputs:
                node.grad = grads[key]
            else:
                node.grad += grads[key]
