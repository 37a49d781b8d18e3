"""Chapter: linear classifiers on weights (scores, the SVM and softmax losses of W, training and prediction).

Lectures: Georgia Tech CS 4803/7643 linear classifiers (f(x, W) = Wx + b in its algebraic, visual and geometric
views; the multiclass SVM and softmax losses; regularization), CS231n lecture 4 (W = 0 sanity losses), TUM I2DL
lecture 6 recap (softmax as the negative log-likelihood).
"""
