"""Correct formula, NaN for large positive net inputs: tanh z = expm1(2z)/(expm1(2z) + 2), the
form that keeps every digit near 0 (expm1 does not cancel), and tanh′ = 1 − tanh².

For z > 354.9, expm1(2z) overflows to inf and inf/inf = NaN (numpy warns); A[l], g′ and every
ΔW[k], k ≤ l + 1, become NaN where np.tanh gives 1. For z < −354.9 expm1(2z) = −1 and tanh =
−1, right. A NaN where a correct formula of the rounding envelope has one too is a numerical
caveat, not wrong math.
Expected: agrees with the caveat "nonfinite" (exit 0, exit 1 with --strict).
"""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "nonfinite"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ("rounding",)


def tanh(z):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.expm1(2 * z)                          # inf for z > 354.9
        return e / (e + 2)


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
