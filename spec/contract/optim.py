"""First-order update rules (module ``optim``; CS231n ``optim.py`` conventions).

Every update rule is ``rule(w, dw, config=None) -> (next_w, config)``:

- w: the current weights, an ndarray of any shape; dw: the gradient of the loss with respect to w, the same shape.
- config: a dict of hyperparameters and of the rule's state (velocity, moments, step count), or None. A missing key
  takes its default (``config.setdefault("learning_rate", 1e-2)``), a missing state starts at zero, so that the
  first call of a training run passes None (or only the hyperparameters it changes) and every later call passes
  the config the previous call returned.
- Returns next_w, the updated weights (same shape as w), and the config to pass to the next call, holding the
  updated state. Updating w in place and returning it is allowed (``w -= lr * dw``), so a caller that still needs
  the old w keeps a copy; dw must be left as it was. Updating the passed config in place and returning it is
  allowed too.

The rule's state lives in the config and only there: two calls with equal configs and arguments give equal
results. The state is kept in the keys below; how a rule writes its velocity is its own convention (CS231n's
v = mu * v - lr * dw, w + v, or the lecture's v = mu * v + dw, w - lr * v: the trajectories are the same), but
RMSProp's cache and Adam's m, v and t are defined exactly (see each rule).
"""

from spec.contract.types import Array, Dict, Integer, Returns, Scalar

_W = Array("*w", mutable=True, doc="the weights; may be updated in place")
_DW = Array("*w", doc="the gradient, shaped like w; read-only")


def sgd(w: _W, dw: _DW, config: Dict(learning_rate=Scalar()) = None) -> Returns(
    next_w=Array("*w"), config=Dict(learning_rate=Scalar())
):
    """Vanilla stochastic gradient descent: next_w = w - learning_rate * dw.

    Inputs:
    - w: weights, an ndarray of any shape.
    - dw: the gradient of the loss with respect to w, the same shape.
    - config: None or a dict; learning_rate (default 1e-2).

    Returns a tuple (next_w, config): next_w shaped like w; config with learning_rate.
    """


def sgd_momentum(w: _W, dw: _DW, config: Dict(learning_rate=Scalar(), momentum=Scalar()) = None) -> Returns(
    next_w=Array("*w"), config=Dict(learning_rate=Scalar(), momentum=Scalar(), velocity=Array("*w"))
):
    """Stochastic gradient descent with momentum (heavy ball): the velocity is an exponentially decaying sum of past
    gradients, v = momentum * v - learning_rate * dw, and next_w = w + v.

    Inputs:
    - w, dw: weights and their gradient, the same shape.
    - config: None or a dict; learning_rate (default 1e-2), momentum (mu, default 0.9), velocity (default zeros
      shaped like w).

    Returns a tuple (next_w, config): next_w shaped like w; config with learning_rate, momentum and the updated
    velocity (shaped like w). The first step from zero velocity is the SGD step; under a constant gradient g the
    step tends to learning_rate * g / (1 - momentum). Any convention with these steps is accepted (the lecture's
    v = mu * v + dw, next_w = w - learning_rate * v stores a velocity of another scale and sign).
    """


def rmsprop(w: _W, dw: _DW, config: Dict(learning_rate=Scalar(), decay_rate=Scalar(), epsilon=Scalar()) = None
            ) -> Returns(
    next_w=Array("*w"),
    config=Dict(learning_rate=Scalar(), decay_rate=Scalar(), epsilon=Scalar(), cache=Array("*w")),
):
    """RMSProp: a moving average of squared gradients scales each coordinate's step.

    cache = decay_rate * cache + (1 - decay_rate) * dw**2 (elementwise),
    next_w = w - learning_rate * dw / (sqrt(cache) + epsilon).

    Inputs:
    - w, dw: weights and their gradient, the same shape.
    - config: None or a dict; learning_rate (default 1e-2), decay_rate (rho, default 0.99), epsilon (default 1e-8),
      cache (default zeros shaped like w).

    Returns a tuple (next_w, config): next_w shaped like w; config with the hyperparameters and the updated cache
    (shaped like w). epsilon only guards the division: sqrt(cache + epsilon) in place of sqrt(cache) + epsilon is
    accepted; the two agree wherever sqrt(cache) is much larger than epsilon (inside the root: cache much larger
    than epsilon, |dw| >> 1e-4 for the default), which is where the properties look.
    """


def adam(w: _W, dw: _DW, config: Dict(learning_rate=Scalar(), beta1=Scalar(), beta2=Scalar(), epsilon=Scalar()) = None
         ) -> Returns(
    next_w=Array("*w"),
    config=Dict(learning_rate=Scalar(), beta1=Scalar(), beta2=Scalar(), epsilon=Scalar(), m=Array("*w"),
                v=Array("*w"), t=Integer()),
):
    """Adam: momentum on the gradient and RMSProp's scaling, each bias-corrected (Kingma and Ba, 2015).

    t = t + 1 (before use: the first call has t = 1),
    m = beta1 * m + (1 - beta1) * dw,  v = beta2 * v + (1 - beta2) * dw**2 (elementwise),
    m_hat = m / (1 - beta1**t),  v_hat = v / (1 - beta2**t),
    next_w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon).

    Inputs:
    - w, dw: weights and their gradient, the same shape.
    - config: None or a dict; learning_rate (default 1e-3), beta1 (default 0.9), beta2 (default 0.999), epsilon
      (default 1e-8), m and v (default zeros shaped like w), t (default 0).

    Returns a tuple (next_w, config): next_w shaped like w; config with the hyperparameters, t (an int, the number
    of calls so far) and the moments m and v as defined above, uncorrected (shaped like w; m_hat and v_hat are
    recomputed at every call, never stored). Placing epsilon differently (the paper's lr * sqrt(1 - beta2**t) /
    (1 - beta1**t) * m / (sqrt(v) + epsilon), which amounts to epsilon / sqrt(1 - beta2**t) in the textbook form,
    or inside the square root) is accepted: the steps agree wherever sqrt(v_hat) is much larger than that
    epsilon, which is where the properties look.
    """

