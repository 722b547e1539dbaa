"""Bug, tanh: tanh′ written as 1 − z². The formula 1 − a² needs a = tanh(z); given the net
input it computes 1 − Z². Expected diagnosis: derivative_of_Z."""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "derivative_of_Z"
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
        A.append(np.tanh(Z[-1]))
    E = Y - A[-1]
    L = len(weights)
    dW = [None] * L
    for l in range(L, 0, -1):
        delta = E * (1 - Z[l] ** 2)                           # BUG: should be 1 − A[l]²
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
