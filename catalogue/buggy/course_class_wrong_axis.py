"""Bug: the course's deep NeuralNetwork class with the exact hidden error and the averaged loss,
updating its weights in place (checked with --returns update --alpha 0.5 --loss mean), but
dividing by m = Y.shape[0] — the n_L outputs — where the samples are Y.shape[1]. Its step is
(m / n_L) × the step of the averaged loss: a factor 2 on the minimal network (n_L = 1, m = 2),
1.5 with n_L = 2 and m = 3, 1 wherever n_L = m. No one factor explains it.
Expected: failure mismatch, diagnosis factor_depends_on_shape (the factors measured), no hint."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "factor_depends_on_shape"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {"returns": "update", "alpha": 0.5, "loss": "mean"}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


class NeuralNetwork:
    def __init__(self, weights, eta):
        self.L = len(weights)
        self.W = [None, *weights]                    # W[1]..W[L], the caller's arrays
        self.eta = eta

    def forward(self, X):
        A = [X]
        for l in range(1, self.L + 1):
            A.append(sigmoid(self.W[l] @ A[l - 1]))
        return A

    def backprop(self, A, Y):
        m = Y.shape[0]                               # BUG: n_L, not the m samples
        E = Y - A[self.L]
        for l in range(self.L, 0, -1):
            delta = E * A[l] * (1 - A[l])
            E = self.W[l].T @ delta                  # exact: E[l−1] = W[l]ᵀ(E[l] ⊙ g′)
            self.W[l] += self.eta * delta @ A[l - 1].T / m


def backprop(weights, X, Y, alpha):
    net = NeuralNetwork(weights, alpha)
    net.backprop(net.forward(X), Y)                  # in place: returns None
