"""Bug: the update is applied before the error is propagated. The step W[l] -= αΔW[l] (α = 0.5)
is done in place inside the backward loop, so E[l−1] is propagated through the *updated* W[l]
and the caller's weights are changed. The simplest network that shows it is one where the ΔW
happen to be right but W[L] was changed. Expected: failure modified, diagnosis modified_input."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "modified"
EXPECTED_DIAGNOSIS = "modified_input"
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
    alpha = 0.5
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = -delta @ A[l - 1].T
        weights[l - 1] -= alpha * dW[l - 1]          # BUG: the update, too early (in place)
        E = weights[l - 1].T @ delta
    return dW
