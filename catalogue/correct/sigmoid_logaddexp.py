"""Correct, sigmoid through a log: σ(z) = exp(−log(1 + e^−z)) = exp(−logaddexp(0, −z)), and
σ′ = σ(1 − σ).

np.logaddexp never overflows, so there is no warning and no NaN. The price is in the left
tail: logaddexp(0, −z) ≈ |z| is rounded to a relative 1e-16, i.e. an absolute error of about
|z|·1e-16, and exp turns it into a relative error of |z|·1e-16 in σ and σ′ (7e-14 at
z = −700); below z ≈ −745, σ underflows to 0, like the true value. That is far below the
tolerance (1e-10) for every z a float64 can reach, so it should get no caveat. For z > 0,
σ(1 − σ) cancels exactly as jax's does (allowed for).
Expected: agrees, no caveat.
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
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
