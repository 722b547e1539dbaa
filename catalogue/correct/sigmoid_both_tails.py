"""Correct: the textbook σ(z) = 1/(1 + e^−z) for every z (no branch on the sign of z), and
σ′ = σ(1 − σ) multiplied out as σ − σ², recomputed from the stored net inputs Z[l].

Where it is exact and where not:
* z < 0: e^−z is large, σ = 1/(1 + e^−z) is accurate to a few ulps and so is σ − σ² (σ² is
  tiny next to σ). Below z ≈ −709.8, e^−z overflows to inf (numpy warns "overflow encountered
  in exp") but 1/(1 + inf) = 0 is the right limit and σ′ = 0 − 0 = 0 too (the true σ′ is below
  1e-308): the returned values are right, the warning is only mentioned.
* z > 0: σ rounds towards 1, and σ − σ² then cancels: an absolute error of about 1e-16
  (measured: 1e-10 relative from z ≈ 13, σ′ = 0 for z > 36.5 where the true value is
  e^−z). jax's own σ′ (σ(1 − σ) of the rounded σ) has the same error, so the condition
  scale `check` divides by (the 2|A|² term of G in reference/tolerances.py) covers it: no
  caveat.
Expected: agrees, no caveat (numpy's overflow warning is reported in the summary).
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))             # both tails: overflow to inf gives σ = 0


def sigmoid_prime(z):
    s = sigmoid(z)
    return s - s * s                            # σ(1 − σ) multiplied out


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
        dW[l - 1] = -(delta @ A[l - 1].T)       # ΔW[l] = −E[l]·g′(Z[l])·A[l−1]ᵀ
        E = weights[l - 1].T @ delta            # exact hidden error
    return dW
