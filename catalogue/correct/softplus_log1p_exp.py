"""Correct formula, inf for large net inputs and nothing else: softplus = log1p(e^z), with
g′ = σ(z) from e^−|z| (no overflow).

log1p keeps the relative accuracy of log(1 + e^z) ≈ e^z in the left tail (where
softplus_log_exp.py's log(1 + e^z) loses it), and for z > 0 it is accurate too, until e^z
overflows: for z > 709.78 g = log1p(inf) = inf (numpy warns), the next layer's Z becomes ±inf
or NaN, and so does every ΔW it reaches. The stable form, log1p(e^−|z|) + max(z, 0), is in
softplus_stable.py.
Expected: agrees with the caveat "nonfinite" (exit 0, exit 1 with --strict), and only that one.
"""

import numpy as np

ACTIVATION = "softplus"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "nonfinite"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ()


def softplus_and_prime(z):
    g = np.log1p(np.exp(z))                     # inf for z > 709.78
    e = np.exp(-np.abs(z))
    return g, np.where(z >= 0, 1 / (1 + e), e / (1 + e))   # σ(z), stable


def backprop(weights, X, Y):
    A, G = [X], []
    for W in weights:
        a, s = softplus_and_prime(W @ A[-1])
        A.append(a)
        G.append(s)
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * G[l - 1]                    # E[l] ⊙ g′(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
