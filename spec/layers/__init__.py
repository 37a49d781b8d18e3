"""Chapter: activation layers with forward and backward passes (ReLU, leaky ReLU, parametric ReLU, ELU, sigmoid,
tanh), in CS231n's layers.py convention: ``*_forward(x) -> (out, cache)``, ``*_backward(dout, cache) -> dx``.

Lectures: TUM I2DL lecture 3, slide 7 ("Activation Functions": sigmoid, tanh, ReLU max(0, x), leaky ReLU
max(0.1x, x), parametric ReLU max(alpha x, x), maxout, ELU x if x > 0 else alpha (e^x - 1)) and slides 24-26
(backprop through the sigmoid); CS231n's layers.py (relu_forward / relu_backward, the cache); the vanishing-gradient
point of I2DL lecture 2 and the recap of lecture 0 (sigma' <= 1/4).

A note on caches: a cache is whatever an implementation's own forward returned, so properties hand a cache only
from an implementation's forward to the same implementation's backward. Mutants and alternatives replace one
function at a time (spec/mutation.py), so those written here keep the reference's cache layout: relu keeps x;
leaky_relu, elu and prelu keep (x, alpha); sigmoid and tanh keep out.
"""
