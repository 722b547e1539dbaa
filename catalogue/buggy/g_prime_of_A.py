"""Bug: g′ applied to A instead of Z. sigmoid_prime(z) = σ(z)(1 − σ(z)) expects the net input
but is given the activation: sigmoid_prime(A[l]) = σ(σ(Z[l]))(1 − σ(σ(Z[l]))).
Expected diagnosis: g_prime_of_A."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "g_prime_of_A"
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
        delta = E * sigmoid_prime(A[l])                       # BUG: should be Z[l]
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
