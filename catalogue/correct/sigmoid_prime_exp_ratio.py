"""Correct formula, NaN and zeros in the left tail: σ′(z) = e^−z / (1 + e^−z)², with the
stable σ (e^−|z|, no overflow) for the activations themselves.

The formula is exact and accurate to a few ulps for z > −355 (measured against mpmath: the
first digit lost at z = −355.0, as soon as (1 + e)² overflows). Below, e = e^−z still fits in a
float64 but (1 + e)² overflows to inf (numpy warns "overflow encountered in square"), so
σ′ = e/inf = 0 where the true value is e^z, 1e-154 at z = −355 down to 1e-308 at z = −709.8:
every digit lost (an absolute error far below anything a training step would notice, but
100 % of σ′, and of ΔW in the layers below when that σ′ is their only path). Below
z ≈ −709.78, e itself overflows and σ′ = inf/inf = NaN, which spreads to every ΔW[k], k ≤ l.
`check` draws net inputs up to about 1e4; at seed 0 the command finds the NaN first (Z[1] =
−27·27 = −729); the zeros between −709.8 and −355 are the other symptom it may report
(OTHER_CAVEATS: "rounding").
Until issue 10 this file was catalogue/buggy/overflow_nan.py: the math is right, so under the
new rules it is a correct formula with a numerical caveat.
Expected: agrees with the caveat "nonfinite" (exit 0, exit 1 with --strict); on moderate nets
it agrees to a few ulps.
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "nonfinite"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ("rounding",)


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_prime(z):
    e = np.exp(-z)                              # inf below z ≈ −709.78
    return e / (1 + e) ** 2                     # (1 + e)² is inf below z ≈ −355: σ′ = 0, then NaN


def backprop(weights, X, Y):
    A, Z = [X], [None]
    for W in weights:
        Z.append(W @ A[-1])                     # Z[l] = W[l] A[l−1]
        A.append(sigmoid(Z[-1]))                # A[l] = σ(Z[l])
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    L = len(weights)
    dW = [None] * L
    for l in range(L, 0, -1):
        delta = E * sigmoid_prime(Z[l])         # E[l] ⊙ σ′(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T         # ΔW[l] = −E[l]·g′(Z[l])·A[l−1]ᵀ
        E = weights[l - 1].T @ delta            # exact hidden error
    return dW
