"""Chapter: loss functions on class scores (softmax, cross-entropy, multiclass hinge).

Lectures: TUM I2DL lecture 6 recap (output functions, cross-entropy and hinge worked examples), Georgia Tech
CS 4803/7643 linear classifiers (multiclass SVM and softmax losses), CS231n lecture 4 (W = 0 sanity losses).
"""

import numpy as np

# The worked batch that I2DL's recap (slides 27-36) and Georgia Tech's lecture share: three images, three classes.
# The slides put one example per column; here it is one per row, as in the contract. Correct classes: cat, car, frog.
CAT_CAR_FROG_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
CAT_CAR_FROG_LABELS = np.array([0, 1, 2])
