"""Bug: g′ computed through a float16 cast (σ′ = A(1 − A) stored as float16 "to save memory",
then multiplied back in float64): 11 significant bits, a relative error up to 4.9e-4 in every
g′, where the function's float64 results show it works in float64 and float64 rounding of any
correct formula loses about 1e-16. Not a precision the lecture's networks are computed in:
the results are float64 numbers that no float32 computation gives.
Expected: failure mismatch, no diagnosis (not one of the known patterns), no hint."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
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
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        g_prime = (A[l] * (1 - A[l])).astype(np.float16).astype(np.float64)   # BUG: float16
        delta = E * g_prime
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
