"""Correct, sigmoid through a log: σ(z) = exp(−log(1 + e^−z)) = exp(−logaddexp(0, −z)), and
σ′ = σ(1 − σ).

np.logaddexp never overflows, so there is no warning and no NaN. One might fear the left
tail: exp amplifies an absolute error in its argument into a relative one, and
logaddexp(0, −z) ≈ |z| is large. But for −z > 37 the correction log1p(e^z) is below half an
ulp of |z|, so logaddexp returns −z exactly and σ = exp(z) is rounded once: measured against
mpmath on 4,000 z in [−744, 0], the largest relative error of σ is 3.3e-15 (near z = −33,
where the correction is last felt). Below z ≈ −745, σ underflows to 0, like the true value.
For z > 0, σ(1 − σ) cancels exactly as jax's does (plain relative error 1e-10 at z ≈ 15, all
digits at z ≈ 37), which the condition scale allows for.
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


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))       # 1/(1 + e^−z) without the overflow


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])           # E[l] ⊙ σ(1 − σ)
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
