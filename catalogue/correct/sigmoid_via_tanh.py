"""Correct formula, loses digits for negative net inputs: σ(z) written through tanh,
σ(z) = ½(1 + tanh(z/2)), and σ′ = σ(1 − σ) from it.

The identity is exact, but for z < 0 the sum 1 + tanh(z/2) cancels: tanh(z/2) is −1 + 2σ(z)
rounded to about 1e-16 absolute, so σ keeps an absolute error of about 1e-16 instead of a
relative one, and σ′ = σ(1 − σ) inherits it. The relative error of σ and σ′ grows like
1e-16·e^|z|. Measured on a one-weight network (X = 1, Y = 0 or 1) against mpmath: 1e-12
from z ≈ −11, 1e-10 from z ≈ −15; divided by check's condition scale, past its tolerance
1e-10 from z ≈ −18; every digit lost below z ≈ −37, where tanh(z/2) rounds to −1 and
σ = σ′ = 0 (true σ′ = e^z ≈ 1e-16). For z ≥ 0 it is as accurate as the textbook form.
Expected: agrees with the caveat "rounding" (exit 0, exit 1 with --strict); on moderate nets
(|z| of a few units) it agrees to about 1e-14.
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "rounding"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ()


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))         # = 1 / (1 + e^−z), cancels for z < 0


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))            # A[l] = σ(W[l] A[l−1])
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * (A[l] * (1 - A[l]))         # E[l] ⊙ σ′(Z[l]), σ′ = σ(1 − σ)
        dW[l - 1] = -delta @ A[l - 1].T         # ΔW[l] = −E[l]·g′(Z[l])·A[l−1]ᵀ
        E = weights[l - 1].T @ delta            # E[l−1] = W[l]ᵀ(E[l] ⊙ g′(Z[l]))
    return dW
