"""Bug: only part of the batch. A loop over the samples assigns ΔW (dW = ...) instead of
accumulating it (dW += ...), so only the last sample's gradient survives.
Expected diagnosis: part_of_batch."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "part_of_batch"
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
    dW = [None] * len(weights)
    for s in range(X.shape[1]):
        E = Y[:, [s]] - A[-1][:, [s]]
        for l in range(len(weights), 0, -1):
            delta = E * A[l][:, [s]] * (1 - A[l][:, [s]])
            dW[l - 1] = -delta @ A[l - 1][:, [s]].T      # BUG: = instead of +=
            E = weights[l - 1].T @ delta
    return dW
