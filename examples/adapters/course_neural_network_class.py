"""Adapter: the course's class NeuralNetwork(net_arch, eta, epochs), two layers.

`fit(X, Y)` runs `epochs` passes; each updates self.W1 and self.W2 IN PLACE with step eta and
the lecture's hidden error E1 = W2ᵀE2. With epochs = 1 and eta = α, one fit is one update step,
so the wrapper puts the arrays `check` gives into the object (no copy: `+=` then updates the
caller's arrays) and calls fit once. It takes α as its fourth argument:

    python -m manual_backprop check examples/adapters/course_neural_network_class.py:backprop \
        --layers 2 --returns update --alpha 0.5 --hidden-error lecture

The deep version (self.W as a list) is in course_neural_network_deep.py.
"""

import numpy as np

ACTIVATION = "sigmoid"
OPTIONS = {"layers": 2, "returns": "update", "alpha": 0.5, "hidden_error": "lecture"}
EXPECTED_VERDICT = "agrees"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


class NeuralNetwork:
    def __init__(self, net_arch, eta=0.5, epochs=1000, seed=0):
        n0, n1, n2 = net_arch                       # e.g. [2, 3, 2]: inputs, hidden, outputs
        rng = np.random.default_rng(seed)
        self.W1 = rng.normal(size=(n1, n0))         # W[1]: (n_1, n_0)
        self.W2 = rng.normal(size=(n2, n1))         # W[2]: (n_2, n_1)
        self.eta, self.epochs = eta, epochs

    def predict(self, X):
        return sigmoid(self.W2 @ sigmoid(self.W1 @ X))

    def fit(self, X, Y):                            # X (n_0, m), Y (n_2, m)
        for _ in range(self.epochs):
            Z1 = self.W1 @ X
            A1 = sigmoid(Z1)
            Z2 = self.W2 @ A1
            E2 = Y - sigmoid(Z2)                    # output error
            E1 = self.W2.T @ E2                     # lecture's hidden error, before W2 moves
            self.W2 += self.eta * (E2 * sigmoid_prime(Z2)) @ A1.T
            self.W1 += self.eta * (E1 * sigmoid_prime(Z1)) @ X.T
        return self


# --- the wrapper for `check`
def backprop(weights, X, Y, alpha):
    W1, W2 = weights
    net = NeuralNetwork([W1.shape[1], W1.shape[0], W2.shape[0]], eta=alpha, epochs=1)
    net.W1, net.W2 = W1, W2                         # the caller's arrays: fit updates them
    net.fit(X, Y)                                   # one step; returns None: in place
