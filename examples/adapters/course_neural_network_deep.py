"""Adapter: the deep version of the course's NeuralNetwork class, any number of layers.

self.W is a list indexed like the slides, W[1]..W[L], with an unused W[0] = None.
`forward(X)` returns the lists Z and A (Z[0] = None, A[0] = X) and `backprop(self, Z, A, Y)`
updates every self.W[l] IN PLACE with step eta, from the top down, with the lecture's hidden
error E[l−1] = W[l]ᵀE[l] taken before W[l] moves. The wrapper puts the arrays `check` gives
into self.W (no copy) and runs one forward and one backprop:

    python -m manual_backprop check examples/adapters/course_neural_network_deep.py:backprop \
        --returns update --alpha 0.5 --hidden-error lecture
"""

import numpy as np

ACTIVATION = "sigmoid"
OPTIONS = {"returns": "update", "alpha": 0.5, "hidden_error": "lecture"}
EXPECTED_VERDICT = "agrees"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


class NeuralNetwork:
    def __init__(self, net_arch, eta=0.5, epochs=1000, seed=0):
        rng = np.random.default_rng(seed)
        self.L = len(net_arch) - 1
        self.W = [None] + [rng.normal(size=(net_arch[l], net_arch[l - 1]))
                           for l in range(1, self.L + 1)]          # W[0] unused
        self.eta, self.epochs = eta, epochs

    def forward(self, X):
        Z, A = [None], [X]
        for l in range(1, self.L + 1):
            Z.append(self.W[l] @ A[l - 1])          # Z[l] = W[l] A[l−1]
            A.append(sigmoid(Z[l]))                 # A[l] = g(Z[l])
        return Z, A

    def backprop(self, Z, A, Y):
        E = Y - A[self.L]                           # E[L] = Y − Ŷ
        for l in range(self.L, 0, -1):
            E_prev = self.W[l].T @ E                # lecture: E[l−1] = W[l]ᵀE[l], old W[l]
            g_prime = A[l] * (1 - A[l])             # σ′(Z[l]) = A[l](1 − A[l])
            self.W[l] += self.eta * (E * g_prime) @ A[l - 1].T    # W[l] := W[l] − η ΔW[l]
            E = E_prev

    def fit(self, X, Y):
        for _ in range(self.epochs):
            self.backprop(*self.forward(X), Y)
        return self


# --- the wrapper for `check`
def backprop(weights, X, Y, alpha):
    arch = [weights[0].shape[1]] + [W.shape[0] for W in weights]
    net = NeuralNetwork(arch, eta=alpha, epochs=1)
    net.W = [None, *weights]                  # the caller's arrays, updated in place
    Z, A = net.forward(X)
    net.backprop(Z, A, Y)                           # returns None: the update is in place
