"""Chapter: optimization strategies and the learning rate (module ``search``: random search, random local search,
gradient descent with a fixed step; module ``schedules``: inverse-time, step and exponential learning-rate decay),
and minibatches on the linear classifiers' own losses (``softmax_loss_vectorized``, ``svm_loss_vectorized``).

Lectures: CS231n lecture 4 (2015): strategy #1 "random search" (slides 30-33, W = 0.0001 * randn, keep the best),
strategy #2 "random local search" (slides 35-36, W_try = W + step_size * randn, move only if the loss is lower),
strategy #3 "following the gradient" (slide 39) and "performing a parameter update" (slides 44-46,
W += -step_size * dW, "original W, negative gradient direction"); TUM I2DL lecture 5 recap / lecture 6: gradient
descent theta_{k+1} = theta_k - alpha grad L, minibatch SGD (the gradient of the k-th batch is the mean of its m
per-sample gradients, slide 3), learning-rate decay (slides 29-30: alpha = 1 / (1 + decay_rate * epoch) * alpha_0
with the worked example 0.1, 0.05, 0.033, 0.025; step decay, exponential decay); TUM I2DL lecture 6 recap, slide 5
("importance of learning rate").

The strategies take the loss as a function; the properties pass recording functions (``common.Recorder``) that keep
a copy of every W they are called with, so that "the best of what it tried" and "the running minimum of its tries"
can be stated without knowing the implementation's random draws. Random draws are the implementation's business
(np.random.default_rng(seed), RandomState(seed), all tries at once or one by one): properties only ask that the
same seed gives the same run, and that the draws have the contract's distribution (bounds derived so that a correct
implementation fails with probability below e^-30 per example).
"""
