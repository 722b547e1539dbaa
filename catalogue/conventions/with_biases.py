"""Correct with biases: backprop(weights, biases, X, Y), b[l] of shape (n_l, 1), Z[l] =
W[l]A[l−1] + b[l]; returns the pair (ΔW list, Δb list) with Δb[l] = −Σ_samples E[l] ⊙ g′(Z[l])
(a bias is a weight whose input is always 1, so A[l−1]ᵀ becomes a column of ones: the sum).

Checked without options it is called with three arguments and raises TypeError (a missing
argument): the hint must propose `--biases`.
Expected: with OPTIONS, agrees; without, the hint "rerun with --biases".
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = "--biases"
OPTIONS = {"biases": True}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, biases, X, Y):
    A = [X]
    for W, b in zip(weights, biases):
        A.append(sigmoid(W @ A[-1] + b))             # Z[l] = W[l]A[l−1] + b[l] (every sample)
    E = Y - A[-1]                                    # E[L] = Y − Ŷ
    L = len(weights)
    dW, db = [None] * L, [None] * L
    for l in range(L, 0, -1):
        delta = E * A[l] * (1 - A[l])                # E[l] ⊙ σ′(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T              # ΔW[l] = −δ[l]·A[l−1]ᵀ
        db[l - 1] = -delta.sum(axis=1, keepdims=True)    # Δb[l] = −Σ_samples δ[l], (n_l, 1)
        E = weights[l - 1].T @ delta                 # exact hidden error
    return dW, db
