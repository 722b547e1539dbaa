"""Correct as an update step that returns new parameters: backprop(weights, X, Y, alpha)
returns {"W1": W[1] − α ΔW[1], ..., "WL": W[L] − α ΔW[L]} and leaves the caller's arrays alone.

A function of four parameters is given α by `check` (here 0.5), which recovers
ΔW = (W_before − W_after)/α. Checked without options it raises TypeError (a missing
argument); since α is an argument, any α fits, and the hint need not name one.
Expected: with OPTIONS, agrees; without, the hint "rerun with --returns update".
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = "--returns update"
OPTIONS = {"returns": "update", "alpha": 0.5}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y, alpha):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))
    E = Y - A[-1]                                      # E[L] = Y − Ŷ
    L = len(weights)
    new = {}
    for l in range(L, 0, -1):
        delta = E * A[l] * (1 - A[l])                  # E[l] ⊙ σ′(Z[l])
        dW = -delta @ A[l - 1].T                       # ΔW[l]
        E = weights[l - 1].T @ delta                   # with the OLD W[l]: before any update
        new[f"W{l}"] = weights[l - 1] - alpha * dW     # W[l] := W[l] − α ΔW[l], a new array
    return new
