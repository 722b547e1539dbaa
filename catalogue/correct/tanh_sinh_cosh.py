"""Correct formula, NaN for large net inputs and nothing else: tanh z = sinh z / cosh z with
numpy's sinh and cosh, and tanh′ = 1 − tanh².

np.sinh and np.cosh are accurate to an ulp or so (sinh keeps its relative accuracy near 0,
unlike e^z − e^−z: compare tanh_exp_ratio.py, which also loses digits there), so the ratio is
as accurate as np.tanh until both overflow: for |z| > 710.48 (measured) sinh/cosh = ±inf/inf
= NaN (numpy warns), and A[l], g′ and every ΔW[k], k ≤ l + 1, become NaN; np.tanh would give
±1. 1 − tanh² loses digits as tanh rounds to ±1 (|z| ≳ 5), exactly as jax's own tanh′ does,
which the condition scale allows for.
Expected: agrees with the caveat "nonfinite" (exit 0, exit 1 with --strict), and only that one.
"""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "nonfinite"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ()


def tanh(z):
    return np.sinh(z) / np.cosh(z)              # inf/inf = NaN for |z| > 710.48


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(tanh(W @ A[-1]))               # A[l] = tanh(Z[l])
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * (1 - A[l] * A[l])           # E[l] ⊙ tanh′(Z[l]), tanh′ = 1 − tanh²
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
