"""A computational graph of scalars with reverse-mode differentiation (module ``graph``; micrograd style).

I2DL lecture 3 draws a function as a graph of simple operations ("gates") and computes every gradient in one
backward sweep: each gate multiplies the gradient arriving at its output by its local derivative and passes it to
its inputs (the chain rule). A ``Value`` is one node of such a graph: it holds a number (``data``) and, after
``backward()``, the derivative of the output with respect to it (``grad``). Arithmetic on Values builds the graph:
``f = (x + y) * z`` records that f is the product of z and the sum of x and y.

The harness hands properties the implementation's own Value objects (arithmetic must work on them directly), so a
Value must support the operators below with another Value or a plain Python number on either side (``2 * x``,
``x - 1``, ``1 / x``).
"""

from spec.contract.types import Scalar


class Value:
    """A scalar node of a computational graph.

    Attributes:
    - data: the node's value, a float.
    - grad: a float, 0.0 for a new Value. After backward() on an output f: d f / d (this node), added to what a
      leaf already held (see backward()).

    Operations (each returns a new Value whose inputs are the operands; a plain number operand is a constant):
    a + b, a - b, a * b, a / b (with a Value or a number on either side), -a, a ** c for a constant number c, and
    the methods a.exp(), a.log() (natural logarithm, for a.data > 0), a.tanh(), a.sigmoid() (1 / (1 + e^-a)) and
    a.relu() (max(0, a); its derivative at exactly 0 may be 0 or 1).

    backward(): called on the output node, it sets the derivative of the output with respect to every node of its
    graph, visiting the nodes in reverse topological order (a node only after every node that uses it), so that a
    node used several times (x * x, or x feeding two gates) receives the sum of the gradients from all its uses.
    Gradients accumulate across calls like PyTorch's: each backward() adds d(output)/d(v) to v.grad of every leaf
    v (a Value made by the constructor), so two calls without resetting leave twice the gradient on the leaves; set
    the leaves' grad to 0.0 to start over. Intermediate nodes start each backward() from 0 (keeping their grad from
    an earlier call would add it in again and make the second call's leaf gradients wrong).
    """

    _raw_objects = True
    data: Scalar()
    grad: Scalar()

    def __init__(self, data: Scalar()):
        """A leaf node holding data, a float, with grad 0.0.

        Returns a Value.
        """

    def __add__(self, other):
        """self + other (other a Value or a number); local derivatives 1 and 1. Returns a Value."""

    def __radd__(self, other):
        """other + self, for a number other. Returns a Value."""

    def __sub__(self, other):
        """self - other; local derivatives 1 and -1. Returns a Value."""

    def __rsub__(self, other):
        """other - self, for a number other. Returns a Value."""

    def __mul__(self, other):
        """self * other; local derivatives other and self. Returns a Value."""

    def __rmul__(self, other):
        """other * self, for a number other. Returns a Value."""

    def __truediv__(self, other):
        """self / other; local derivatives 1 / other and -self / other**2. Returns a Value."""

    def __rtruediv__(self, other):
        """other / self, for a number other (the gate 1/x of the lecture: derivative -1/x**2). Returns a Value."""

    def __pow__(self, exponent):
        """self ** exponent for a constant number exponent; local derivative exponent * self ** (exponent - 1).
        Returns a Value."""

    def __neg__(self):
        """-self. Returns a Value."""

    def exp(self):
        """e ** self; local derivative e ** self. Returns a Value."""

    def log(self):
        """The natural logarithm of self (self.data > 0); local derivative 1 / self. Returns a Value."""

    def tanh(self):
        """tanh(self), accurate for |self| up to 1000 (math.tanh, or a formula in e^-2|self|: e^(2 self) overflows
        past self = 355); local derivative 1 - tanh(self) ** 2. Returns a Value."""

    def sigmoid(self):
        """1 / (1 + e ** -self), accurate for |self| up to 1000; local derivative s (1 - s). Returns a Value."""

    def relu(self):
        """max(0, self); local derivative 1 where self > 0, 0 where self < 0 (either at 0). Returns a Value."""

    def backward(self):
        """Back-propagate from this node: afterwards every leaf v of its graph has had d(self)/d(v) added to v.grad,
        and every intermediate node holds d(self)/d(node). Returns None."""
