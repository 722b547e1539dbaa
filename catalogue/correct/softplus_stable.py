"""Correct and stable: softplus(z) = log1p(e^−|z|) + max(z, 0), g′ = σ(z) from e = e^−|z|.

The identity log(1 + e^z) = max(z, 0) + log(1 + e^−|z|) keeps every exp argument ≤ 0 (no
overflow, no warning), and log1p keeps the small term's relative accuracy, so g is accurate to
a few ulps for every z: e^z itself for z ≪ 0 (down to the subnormals), z + e^−z for z ≫ 0.
σ(z) is taken in the tail where it does not cancel. Compare softplus_log_exp.py.
Expected: agrees, no caveat (contrast: softplus_log_exp.py gets "nonfinite").
"""

import numpy as np

ACTIVATION = "softplus"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def softplus_and_prime(z):
    e = np.exp(-np.abs(z))                      # in (0, 1]
    g = np.log1p(e) + np.maximum(z, 0.0)        # log(1 + e^z), no overflow, no cancellation
    s = np.where(z >= 0, 1 / (1 + e), e / (1 + e))   # σ(z) = g′(z)
    return g, s


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
