"""Bug: g′ of the wrong layer. Every δ[l] uses g′ of the output layer, g′(Z[L]) = A[L](1 − A[L]),
which numpy silently broadcasts from (1, m) to (n_l, m) when n_L = 1 (and which has the right
shape when n_l = n_L): ΔW[L] is right, the hidden layers are not. Elsewhere the shapes do not
broadcast and numpy raises; the minimal network is such a one.
Expected: failure raised (check shows the exception and the line), no diagnosis."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "raised"
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))
    E = Y - A[-1]
    gp_out = A[-1] * (1 - A[-1])                     # g′(Z[L])
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * gp_out                          # BUG: g′(Z[L]) in every layer
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
