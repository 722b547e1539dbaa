"""Correct: slide step 3 as scalar loops, Δw_jk = −Σ_samples (y_k − ŷ_k)·g′(z_k)·a_j, with the
hidden error e_j = Σ_k w_jk·δ_k summed by hand. Stable sigmoid (no overflow)."""

import math

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def sigmoid(z):
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def backprop(weights, X, Y):
    L, m = len(weights), X.shape[1]
    dW = [np.zeros(W.shape) for W in weights]
    for s in range(m):
        a = [list(X[:, s])]
        for W in weights:
            z = [sum(W[k, j] * a[-1][j] for j in range(W.shape[1])) for k in range(W.shape[0])]
            a.append([sigmoid(zk) for zk in z])
        e = [Y[k, s] - a[L][k] for k in range(len(a[L]))]
        for l in range(L, 0, -1):
            W = weights[l - 1]
            delta = [e[k] * a[l][k] * (1 - a[l][k]) for k in range(W.shape[0])]
            for k in range(W.shape[0]):
                for j in range(W.shape[1]):
                    dW[l - 1][k, j] += -delta[k] * a[l - 1][j]
            e = [sum(W[k, j] * delta[k] for k in range(W.shape[0])) for j in range(W.shape[1])]
    return dW
