"""Bug: the gradient of the mean squared error (1/m)ΣΣ(Y − Ŷ)² (no ½, averaged), as a
framework's MSELoss, instead of E = ½ΣΣ(Y − Ŷ)²: a factor 2/m. Expected diagnosis: mse."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "mse"
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
    E = 2 * (Y - A[-1]) / X.shape[1]                # BUG: d/dŶ of mean((Y − Ŷ)²) over samples
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
