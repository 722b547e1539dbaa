"""Correct, tanh: one sample at a time as 1-D vectors, ΔW[l] accumulated with np.outer."""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def backprop(weights, X, Y):
    dW = [np.zeros_like(W) for W in weights]
    for x, y in zip(X.T, Y.T):
        a = [x]
        for W in weights:
            a.append(np.tanh(W @ a[-1]))
        e = y - a[-1]
        for l in range(len(weights), 0, -1):
            delta = e * (1 - a[l] ** 2)             # tanh′(z) = 1 − tanh²(z) = 1 − a²
            dW[l - 1] -= np.outer(delta, a[l - 1])
            e = weights[l - 1].T @ delta
    return dW
