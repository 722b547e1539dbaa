"""Bug: the loss without ½. ∂/∂Ŷ of (Y − Ŷ)² is −2(Y − Ŷ): the factor 2 that the ½ of
E = ½ΣΣ(Y − Ŷ)² cancels is kept. Expected diagnosis: factor_2."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "factor_2"
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
    E = 2 * (Y - A[-1])                             # BUG: d/dŶ (Y − Ŷ)² without the ½
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
