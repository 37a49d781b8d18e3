"""Chapter: evaluating the gradient numerically (centered and forward differences, the array-valued variant that a
layer's backward pass is checked against, and the relative error that compares two gradients).

Lectures: CS231n lecture 4 (2015), slides 40-43: "evaluating the gradient numerically", the "finite difference
approximation" (f(x + h) - f(x)) / h and, "in practice", the "centered difference formula"
(f(x + h) - f(x - h)) / 2h; CS231n's gradient_check.py and its rel_error.
"""
