"""Correct, and more accurate than the oracle: σ′(z) = σ(z)·σ(−z), each factor taken in the
tail where it is accurate (e = e^−|z| never overflows, σ(|z|) = 1/(1 + e), σ(−|z|) = e/(1 + e)).

σ(1 − σ) loses the small factor 1 − σ for z ≫ 0 (σ rounds to 1); σ(−z) computes that factor
directly, so σ′ is accurate to a few ulps for every z, e.g. 9.358e-14 at z = 30 where jax's
σ(1 − σ) gives 9.348e-14. `check` allows for the oracle's own error there (the 2|A|² term of
its condition scale), so the more accurate answer is accepted. No exp overflows, no warning.
Expected: agrees, no caveat.
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def sigmoid_and_prime(z):
    e = np.exp(-np.abs(z))                      # in (0, 1]: no overflow
    big, small = 1 / (1 + e), e / (1 + e)       # σ(|z|) and σ(−|z|) = 1 − σ(|z|), both accurate
    s = np.where(z >= 0, big, small)            # σ(z)
    return s, big * small                       # σ′(z) = σ(z)·σ(−z) = σ(|z|)·σ(−|z|)


def backprop(weights, X, Y):
    A, G = [X], []
    for W in weights:
        a, g = sigmoid_and_prime(W @ A[-1])
        A.append(a)                             # A[l] = σ(Z[l])
        G.append(g)                             # G[l−1] = σ′(Z[l])
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * G[l - 1]                    # E[l] ⊙ g′(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T         # ΔW[l]
        E = weights[l - 1].T @ delta            # exact hidden error
    return dW
