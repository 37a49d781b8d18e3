"""Chapter: computational graphs and backpropagation, on a micrograd-style scalar ``Value`` (spec/contract/graph.py).

Lectures: TUM I2DL lecture 3, slide 9 (a neural network is a computational graph: compute nodes, directed edges),
slides 11-18 (backprop: the forward pass of f(x, y, z) = (x + y) z at x = 1, y = -3, z = 4 gives d = x + y = -2 and
f = -8; the backward pass gives df/dz = d = -2, df/dd = z = 4 and, by the chain rule, df/dx = df/dy = 4 * 1 = 4) and
slides 24-26 (the sigmoid neuron 1 / (1 + e^-(b + w0 x0 + w1 x1)) drawn as the gates *, +, * -1, exp, + 1 and 1/x,
with w0 = 2, x0 = -1, w1 = -3, x1 = -2, b = -3: forward values 4 (the weighted sum), 1, -1, 0.37, 1.37, 0.73;
the gate derivatives 1/x -> -1/x^2, c + x -> 1, e^x -> e^x, a x -> a, and the first backward step
-1 / 1.37^2 = -0.53). CS231n lecture 4 (2015), slides 40-43: the analytic gradient is checked against the centered
difference (f(x + h) - f(x - h)) / 2h.

The implementation's own Value objects are used with operators (``_raw_objects``), so these properties build each
graph themselves and every failure shows the Python that rebuilds it. An operation the implementation does not have
yet (it raises NotImplementedError, or the method or operator is not defined) makes the properties that need it
"not implemented", and the random graphs draw only from the gates that are there.

Modules: expressions.py (gates, random graphs, trusted float evaluation with rounding bounds, building and
reporting), values.py (correct Values written in other styles, the base of the mutants), test_gates.py (each gate's
local derivative), test_worked_examples.py (the lecture's numbers), test_backpropagation.py (random graphs against
finite differences, fan-out, the reverse topological order, backward twice).
"""
