"""Bug: the averaged loss ½·(1/m)·ΣΣ(Y − Ŷ)², checked with --loss mean, but m taken from the
wrong axis: m = X.shape[0], the number of inputs n_0, instead of X.shape[1], the number of
samples. Its ΔW is (m / n_0) × the gradient of the averaged loss: a factor 2 on a network with
m = 2 and n_0 = 1, 1.5 with m = 3 and n_0 = 2, 1 wherever n_0 = m. No one factor explains it.
Expected: failure mismatch, diagnosis factor_depends_on_shape (the factors measured), no hint."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "factor_depends_on_shape"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {"loss": "mean"}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))
    E, m = Y - A[-1], X.shape[0]                     # BUG: n_0, not the m samples
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = -delta @ A[l - 1].T / m
        E = weights[l - 1].T @ delta
    return dW
