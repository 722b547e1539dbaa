"""Bug: mean instead of sum over the samples (the deep-learning habit dW = δ·Aᵀ / m); the
lecture's E = ½ΣΣ(Y − Ŷ)² sums over them. Expected diagnosis: mean. It is the gradient of the
averaged loss ½·(1/m)·ΣΣ(Y − Ŷ)², so the hint proposes --loss mean (with it, it agrees), and
the verdict is "agrees_in_another_convention" (exit 3): the bug is the convention, not the math."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "mean"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees_in_another_convention"
EXPECTED_HINT = "--loss mean"
OPTIONS = {}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))
    E, m = Y - A[-1], X.shape[1]
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = -delta @ A[l - 1].T / m         # BUG: averaged over the m samples
        E = weights[l - 1].T @ delta
    return dW
