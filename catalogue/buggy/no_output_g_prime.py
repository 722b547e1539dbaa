"""Bug: missing g′ at the output. The output layer's δ[L] is taken as the output error E[L] = Y − Ŷ
itself (as if the output were linear, or as for cross-entropy with a sigmoid output), the hidden
layers multiply by g′ correctly. Expected diagnosis: no_output_g_prime."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "no_output_g_prime"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def backprop(weights, X, Y):
    A, Z = [X], [None]
    for W in weights:
        Z.append(W @ A[-1])
        A.append(sigmoid(Z[-1]))
    E = Y - A[-1]
    L = len(weights)
    dW = [None] * L
    for l in range(L, 0, -1):
        delta = E if l == L else E * sigmoid_prime(Z[l])     # BUG: no g′(Z[L]) at the output
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
