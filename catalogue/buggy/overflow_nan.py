"""Bug (numerics): σ′ written as exp(−z) / (1 + exp(−z))². Mathematically right, but for
z < −709 exp(−z) overflows to inf and inf / inf = NaN. `check` tries networks with |W|, |X| up to
30 (net inputs of 1e4), finds the NaN and notes numpy's overflow warning. (With other seeds it
may find the milder symptom first: for −709 < z < −355, (1 + e)² overflows and σ′ = 0 where it
should be, e.g., 4.5e-157, a relative error of 1e-3 of the scale.)
Expected: failure nan, diagnosis overflow."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "nan"
EXPECTED_DIAGNOSIS = "overflow"


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
        e = np.exp(-Z[l])
        delta = E * e / (1 + e) ** 2                          # BUG: NaN for z < −709
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
