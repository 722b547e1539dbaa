"""Bug: broadcasting (m,) against (m, 1). Written for one output with samples as rows: the
targets are flattened to y = Y.ravel() of shape (m,) while the prediction is kept as a column
Ŷᵀ of shape (m, 1), so y − Ŷᵀ broadcasts to an (m, m) matrix. Right for a single sample (m = 1),
wrong for every batch. Expected diagnosis: broadcast."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "raised"
EXPECTED_DIAGNOSIS = "broadcast"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    H = [X.T]                                       # rows = samples
    for W in weights:
        H.append(sigmoid(H[-1] @ W.T))
    y = Y.ravel()                                   # (m,) "one output"
    G = -(y - H[-1])                                # BUG: (m,) − (m, 1) -> (m, m)
    grads = []
    for l in range(len(weights), 0, -1):
        G = G * H[l] * (1 - H[l])
        grads.insert(0, G.T @ H[l - 1])
        G = G @ weights[l - 1]
    return grads
