"""Second-order optimization (I2DL lecture 6): Newton's method, Gauss-Newton, Levenberg and Levenberg-Marquardt
for least squares, BFGS and L-BFGS, with scipy.optimize as the oracle on the Moré-Garbow-Hillstrom test problems
and the NIST StRD nonlinear regression problems (reference data copied into ``data/``)."""
