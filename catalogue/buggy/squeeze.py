"""Bug: np.squeeze. The arrays are squeezed to drop the "useless" dimension of a single output,
which also drops it when there is a single sample or a single node: the products then have the
wrong shape or fail. Expected: check reports what the function raised or returned (no
diagnosis)."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "raised"
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
    E = np.squeeze(Y - A[-1])                       # BUG: (1, m) -> (m,), (n, 1) -> (n,)
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * np.squeeze(A[l] * (1 - A[l]))
        dW[l - 1] = -np.outer(delta, A[l - 1]) if delta.ndim < 2 else -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
