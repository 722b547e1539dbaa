"""Bug: tanh written as (e^z − e^−z)/(e^z + e^−z), which is inf/inf = NaN for |z| > 709.78 —
and the NaN "fixed" with np.nan_to_num, which turns it into 0 where tanh is ±1. Returning
NaN there would be a numerical caveat (the formula is correct, it overflows); returning
A[l] = 0 is another network: every ΔW after that layer is computed from a wrong activation.
Expected: failure mismatch, no diagnosis (not one of the known patterns), no hint."""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {}


def tanh(z):
    with np.errstate(over="ignore", invalid="ignore"):
        p, q = np.exp(z), np.exp(-z)
        return np.nan_to_num((p - q) / (p + q))      # BUG: NaN → 0 where tanh is ±1


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(tanh(W @ A[-1]))
    E = Y - A[-1]
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * (1 - A[l] ** 2)
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
