"""Chapter: the training loop (CS231n's Solver) and the debugging recipe of overfitting one sample, then a few.

``Solver(model, data, update_rule, optim_config, lr_decay, batch_size, num_epochs, ...)`` trains any model with
``params`` and ``loss(X, y=None)`` by minibatch SGD: each parameter has its own config carried from one call of the
update rule to the next, the learning rate decays once per epoch, the loss is recorded at every iteration, the
accuracies once per epoch, and the parameters of the best validation accuracy are kept.

The Solver's properties test the loop in isolation: the models are made by the properties (tiny objects with params
and loss, whose losses, gradients and scores are chosen so that the loop's behaviour shows: which minibatches it
drew, which parameter a gradient belongs to, an accuracy that rises and then falls), and the update rules are
functions passed in that record what they are given. No property depends on the student's networks or update rules.

The debugging recipe (I2DL lecture 6 recap, slide 15: "first, overfit to a single training sample; second, overfit to
several training samples") runs each of the student's update rules in a trusted loop on a trusted two-layer network
written in spec/: loss near 0 and 100% training accuracy on one sample, then on five, within a bounded number of
iterations. A subtly wrong rule (momentum with the wrong sign, Adam's t incremented after use) fails it, as it fails a
student's first real training run. One property runs the whole loop: the student's Solver with the rule "adam".

Lectures: TUM I2DL lecture 6 recap (slide 15, debugging by overfitting), I2DL lecture 5 recap and lecture 6
(minibatch SGD, iteration vs epoch, learning-rate decay per epoch); CS231n's solver.py (assignment 2).
"""
