"""Learning-rate schedules (module ``schedules``; I2DL lecture 6, "learning rate decay").

A schedule gives the learning rate of an epoch (epoch 0 is the first) from the initial rate ``lr0``: high while far
from a minimum, lower when close. Each returns a float; a training loop calls it once per epoch.
"""

from spec.contract.types import Integer, Scalar


def inverse_time_decay(lr0: Scalar(), epoch: Integer(), decay_rate: Scalar() = 1.0) -> Scalar():
    """Inverse-time decay (I2DL lecture 6): lr0 / (1 + decay_rate * epoch).

    Inputs:
    - lr0: the learning rate of epoch 0, > 0.
    - epoch: the epoch, an int >= 0.
    - decay_rate: >= 0.

    Returns the learning rate of the epoch, a float (lr0 = 0.1, decay_rate = 1.0 give 0.1, 0.05, 0.0333, 0.025 for
    epochs 0 to 3).
    """


def step_decay(lr0: Scalar(), epoch: Integer(), decay_rate: Scalar() = 0.5, epochs_per_drop: Integer() = 10
               ) -> Scalar():
    """Step decay: the learning rate is multiplied by decay_rate every epochs_per_drop epochs,
    lr0 * decay_rate ** floor(epoch / epochs_per_drop).

    Inputs:
    - lr0: the learning rate of epoch 0, > 0.
    - epoch: the epoch, an int >= 0.
    - decay_rate: in (0, 1] (0.5 halves the rate at each drop).
    - epochs_per_drop: an int >= 1.

    Returns the learning rate of the epoch, a float: constant from epoch k * epochs_per_drop to epoch
    (k + 1) * epochs_per_drop - 1.
    """


def exponential_decay(lr0: Scalar(), epoch: Integer(), decay_rate: Scalar() = 0.95) -> Scalar():
    """Exponential decay: lr0 * decay_rate ** epoch (what a training loop's lr_decay does once per epoch).

    Inputs:
    - lr0: the learning rate of epoch 0, > 0.
    - epoch: the epoch, an int >= 0.
    - decay_rate: in (0, 1].

    Returns the learning rate of the epoch, a float.
    """
