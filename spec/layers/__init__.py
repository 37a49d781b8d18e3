"""Chapter: layers with forward and backward passes, in CS231n's layers.py convention:
``*_forward(x, ...) -> (out, cache)``, ``*_backward(dout, cache) -> dx`` (or ``(dx, dw, db)`` for layers with weights).
The activations (ReLU, leaky ReLU, parametric ReLU, ELU, sigmoid, tanh), the affine layer on inputs of any shape
(N, d1, ..., dk), maxout, the affine-ReLU sandwich, and vanishing gradients through stacks of them.

Lectures: TUM I2DL lecture 3, slide 7 ("Activation Functions": sigmoid, tanh, ReLU max(0, x), leaky ReLU
max(0.1x, x), parametric ReLU max(alpha x, x), maxout max(w1^T x + b1, w2^T x + b2), ELU x if x > 0 else
alpha (e^x - 1)) and slides 24-26 (backprop through the sigmoid); CS231n's layers.py and layer_utils.py
(affine_forward / affine_backward, relu_forward / relu_backward, affine_relu_*, the cache) and its affine_forward
test numbers; the vanishing-gradient point of the I2DL lecture 6 recap (slide 16) and the width and depth of the
lecture 5 recap (sigma' <= 1/4).

A note on caches: a cache is whatever an implementation's own forward returned, so properties hand a cache only
from an implementation's forward to the same implementation's backward. Mutants and alternatives replace one
function at a time (spec/mutation.py), so those written here keep the reference's cache layout:
- relu keeps x; leaky_relu, elu and prelu keep (x, alpha); sigmoid and tanh keep out;
- affine keeps (x, w, b), x in its original shape (N, d1, ..., dk) (CS231n's cache);
- maxout keeps (x, w, winner), winner of shape (N, M) the index of each unit's winning piece;
- affine_relu keeps (affine cache (x, w, b), ReLU cache a), a = x.reshape(N, D) @ w + b the affine output.
A mutant or alternative with another layout replaces the forward and the backward that reads it together
(``also={"affine_backward": ...}``): an affine caching (x.reshape(N, D), x.shape, w), a maxout caching every piece to
split a tie, an affine-ReLU caching out, a sigmoid caching x.
"""
