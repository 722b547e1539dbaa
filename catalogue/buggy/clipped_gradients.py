"""Bug: every ΔW[l] is clipped to [−1, 1] inside the function ("gradient clipping", a training
trick, is not the gradient): np.clip(−δ[l]·A[l−1]ᵀ, −1, 1). Where every entry of the gradient
is below 1 in magnitude it is exact, so no convention explains it: it is wrong wherever the
gradient is large, at any depth.
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
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = np.clip(-delta @ A[l - 1].T, -1, 1)      # BUG: clipped
        E = weights[l - 1].T @ delta
    return dW
