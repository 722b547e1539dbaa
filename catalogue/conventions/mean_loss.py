"""Correct for the averaged loss E = ½·(1/m)·ΣΣ(Y − Ŷ)² (the "mean squared error" of most
libraries, with the ½): the output error is divided by the batch size m once, at the start,
and everything after is the lecture's formula.

Checked without options (the lecture's summed E) every ΔW is 1/m of the expected one; with
m = 1 it agrees, so `check` finds a network with m ≥ 2. The diagnosis "a factor 1/m" is
right for the lecture's loss; the hint says that it is the gradient of the averaged loss.
Expected: with OPTIONS, agrees; without, the hint "rerun with --loss mean".
"""

import numpy as np

ACTIVATION = "softplus"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = "--loss mean"
OPTIONS = {"loss": "mean"}


def softplus_and_prime(z):
    e = np.exp(-np.abs(z))
    return np.logaddexp(0.0, z), np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    m = X.shape[1]
    A, G = [X], []
    for W in weights:
        a, g = softplus_and_prime(W @ A[-1])
        A.append(a)
        G.append(g)
    E = (Y - A[-1]) / m                        # ∂(½·(1/m)ΣΣ(Y − Ŷ)²)/∂Ŷ = −(Y − Ŷ)/m
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * G[l - 1]
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
