"""Bug: a factor 1.0001 in the error carried below the top two layers: E[l−1] =
1.0001·W[l]ᵀ(E[l] ⊙ g′(Z[l])) for l ≤ L − 1 (a typo'd constant, a "momentum" applied in the
wrong place). ΔW[L] and ΔW[L−1] are exact; with L ≥ 3 every ΔW[l], l ≤ L − 2, is 1.0001
(or 1.0001², ...) times the gradient: an error of 1e-4 of the entry, where float64 rounding of
any correct formula loses about 1e-15 on the same network.
Expected: failure mismatch, diagnosis hidden_layers (ΔW[L] right, earlier layers not), no hint."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "hidden_layers"
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
    E, L = Y - A[-1], len(weights)
    dW = [None] * L
    for l in range(L, 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = -delta @ A[l - 1].T
        factor = 1.0001 if l <= L - 1 else 1.0       # BUG: below the top two layers
        E = factor * weights[l - 1].T @ delta
    return dW
