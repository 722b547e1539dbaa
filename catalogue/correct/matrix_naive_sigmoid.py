"""Correct: the slides' matrix form with the textbook sigmoid 1 / (1 + exp(−z)).

np.exp(−z) overflows to inf for z < −709 (numpy warns "overflow encountered in exp"), but
1 / (1 + inf) = 0 is the right limit and σ′ = A(1 − A) = 0 there too (the true σ′ < 1e-308),
so every returned value is right. `check` judges the returned values, not numpy's warnings:
it accepts this function and mentions the warnings in its summary line.
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
    return 1 / (1 + np.exp(-z))


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))
    E = Y - A[-1]                                   # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])               # E[l] ⊙ g′(Z[l]), g′ = A(1 − A)
        dW[l - 1] = -delta @ A[l - 1].T             # ΔW[l] = −E[l]·g′(Z[l])·A[l−1]ᵀ
        E = weights[l - 1].T @ delta                # E[l−1] = W[l]ᵀ(E[l] ⊙ g′(Z[l]))
    return dW
