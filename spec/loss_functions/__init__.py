"""Chapter: loss functions on class scores (softmax, cross-entropy, multiclass hinge).

Lectures: TUM I2DL lecture 6 recap (output functions, cross-entropy and hinge worked examples), Georgia Tech
CS 4803/7643 linear classifiers (multiclass SVM and softmax losses), CS231n lecture 4 (W = 0 sanity losses).
"""
