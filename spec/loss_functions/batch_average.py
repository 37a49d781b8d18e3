"""A loss averaged over the batch: shared by every loss on scores (and, later, the linear classifiers' losses).

Repeating the batch twice must leave the loss unchanged and halve the gradient of each copy; a loss summed over
the examples instead doubles.
"""

import numpy as np

from spec import expect


def check_loss_is_a_batch_average(loss_fn, x, y, *, loss_atol, dx_rtol=0.0, dx_atol=0.0):
    """loss_fn(x, y) -> (loss, dx). Tolerances are the caller's, derived for its loss."""
    loss, dx = loss_fn(x, y)
    loss2, dx2 = loss_fn(np.concatenate([x, x]), np.concatenate([y, y]))
    inputs = {"x": x, "y": y}
    expect.close("loss of the doubled batch", loss2, loss, atol=loss_atol, why="loss of x", inputs=inputs)
    expect.close("dx of the doubled batch", dx2, np.concatenate([dx, dx]) / 2, rtol=dx_rtol, atol=dx_atol,
                 why="dx of x, halved", inputs=inputs)
