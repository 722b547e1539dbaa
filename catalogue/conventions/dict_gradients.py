"""Correct, the lecture's convention, returned as a dict {"dW1": ΔW[1], ..., "dWL": ΔW[L]}
instead of a list (the naming of many courses). `check` accepts a list, a tuple or such a
dict in the default convention, so it needs no option.
Expected: agrees, no hint (nothing to rerun with).
"""

import numpy as np

ACTIVATION = "relu"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def backprop(weights, X, Y):
    L = len(weights)
    A, Z = {0: X}, {}
    for l in range(1, L + 1):                  # indexed 1..L as in the slides
        Z[l] = weights[l - 1] @ A[l - 1]
        A[l] = np.maximum(Z[l], 0.0)           # relu
    grads = {}
    E = Y - A[L]                               # E[L] = Y − Ŷ
    for l in range(L, 0, -1):
        delta = E * (Z[l] > 0)                 # relu′ = 1 for z > 0, 0 otherwise (as jax)
        grads[f"dW{l}"] = -delta @ A[l - 1].T  # ΔW[l]
        E = weights[l - 1].T @ delta           # exact hidden error
    return grads
