"""Bug: a wrong transpose. ΔW[l] = −A[l−1]·δ[l]ᵀ has shape (n_{l−1}, n_l), the transpose of
W[l] (n_l, n_{l−1}); nothing fails until the update W − αΔW (or a square layer hides it).
Expected: failure shape, diagnosis transposed."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "shape"
EXPECTED_DIAGNOSIS = "transposed"
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
        dW[l - 1] = -A[l - 1] @ delta.T             # BUG: should be −delta @ A[l−1]ᵀ
        E = weights[l - 1].T @ delta
    return dW
