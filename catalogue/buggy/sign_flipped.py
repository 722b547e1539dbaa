"""Bug: sign flipped. Returns +E·g′(Z)·Aᵀ, the direction the weights should move, instead of
the gradient ΔW = ∂E/∂W = −E·g′(Z)·Aᵀ (easy to do when the update is written
W := W + αE·g′(Z)·Aᵀ, as on the last slide). Expected diagnosis: sign."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "sign"
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
    dW = []
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW.insert(0, delta @ A[l - 1].T)            # BUG: the minus sign is missing
        E = weights[l - 1].T @ delta
    return dW
