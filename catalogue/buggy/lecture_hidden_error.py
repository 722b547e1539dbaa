"""Bug: the lecture's hidden error E[l−1] = W[l]ᵀE[l] (lecture 8-3: the output error spread back
over the weights) instead of W[l]ᵀ(E[l] ⊙ g′(Z[l])); ΔW[L] is still right.
Expected diagnosis: lecture_hidden_error. It is the lecture's rule, so the hint proposes
--hidden-error lecture (with it, it agrees)."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "lecture_hidden_error"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = "--hidden-error lecture"
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
        delta = E * sigmoid_prime(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ E                              # BUG: E, not delta
    return dW
