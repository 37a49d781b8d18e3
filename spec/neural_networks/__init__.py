"""Chapter: fully connected networks, CS231n's fc_net.py: a two-layer network (affine - ReLU - affine - softmax)
and a fully connected network of configurable width, depth and activation, each a class whose constructor draws
``params`` (W1, b1, ..., WL, bL) and whose ``loss(X, y=None)`` returns the scores, or the loss and the gradients
keyed like ``params``.

Lectures: TUM I2DL lecture 6 recap, slide 2 (neural network width and depth) and lecture 3 (activation functions);
CS231n lecture 4 (2015): the numerical gradient (slides 40-43) that checks every parameter's gradient, and the
sanity check of slide 34 (with W = 0 the softmax loss is log C, 2.302585 for CIFAR-10's 10 classes); Georgia Tech
CS 4803/7643 (full loss = data loss + reg R(W), L2 on the weights only); CS231n's assignment 2 (fc_net.py and its
notebook's TwoLayerNet test).

Regularization is reg * sum(W**2) over the weights, gradient 2 reg W (the linear classifiers' convention). CS231n's
2020+ fc_net.py writes 0.5 * reg * sum(W**2): the properties recognise that convention and say so.

The properties set ``params`` to drawn arrays (``net.params[k] = ...``) and call ``loss`` again; the network must read
its params at every call. Alternatives and mutants are classes: ``by_hand.LoopNetwork`` is a correct network written
with loops whose steps are methods, and each mutant derives from it and changes one step.
"""
