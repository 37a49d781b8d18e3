"""Chapter: first-order update rules, CS231n's optim.py: ``rule(w, dw, config=None) -> (next_w, config)`` for
vanilla SGD, SGD with momentum, RMSProp and Adam, the rule's hyperparameters and state kept in the config.

Lectures: CS231n lecture 4 (2015), slides 44-46 ("performing a parameter update": weights += - step_size *
weights_grad, the negative gradient direction); TUM I2DL lecture 5 recap, slides 4-10 (minibatch SGD, momentum
v = beta v + grad, theta -= alpha v "beta is often set to 0.9"; RMSProp s = beta s + (1 - beta) grad**2, theta -=
alpha grad / (sqrt(s) + eps), "typically 1e-8", "often 0.9", "X-direction small gradients, Y-direction large
gradients"; Adam combining both, m and v initialized with zero, the bias-corrected moments m / (1 - beta1**t) and
v / (1 - beta2**t)); CS231n's optim.py conventions (spec/contract/optim.py, the default hyperparameters, the state's
keys velocity, cache, m, v, t) and its FullyConnectedNets notebook's fixed-vector checks (N, D = 4, 5, np.linspace
inputs), checked against the reference before use.

Behaviour, not one formula: every property passes on the conventions the contract accepts. Momentum may store its
velocity in CS231n's convention (v = mu v - lr dw, w + v) or the lecture's (v = mu v + dw, w - lr v): the stored
velocity has another scale and sign, so no property reads config["velocity"] beyond its shape; a velocity is
observed through the steps it makes. RMSProp and Adam may place epsilon outside or inside the square root, and Adam
may use the paper's efficient form lr sqrt(1 - beta2**t) / (1 - beta1**t) m / (sqrt(v) + eps): the properties draw
gradients with |g| >= G_MIN = 0.1 and derive their tolerances from where epsilon may sit (common.epsilon_slack). A
rule may update w and the config it is given in place: every call goes through common.update, which passes a copy
of w and a deep copy of the config.

The files: test_sgd.py, test_momentum.py, test_rmsprop.py, test_adam.py (each rule's behaviour, its worked
examples, its mutants and correct alternatives) and test_rule_state.py (what every rule shares: its state lives in
the config and only there, the hyperparameters passed are used and returned, CS231n's defaults apply when config is
None or lacks a key).
"""
