"""Correct, relu: samples as rows internally (the deep-learning habit: H = A·Wᵀ), transposed back
at the end; relu′(z) = 1 for z ≥ 0 (jax says relu′(0) = 0: at the kink g′ is a convention, and
`check` compares only the layers after a net input at the kink, so this is accepted)."""

import numpy as np

ACTIVATION = "relu"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def backprop(weights, X, Y):
    H, Z = [X.T], []                                # H[l] is A[l]ᵀ, shape (m, n_l)
    for W in weights:
        Z.append(H[-1] @ W.T)
        H.append(np.maximum(Z[-1], 0.0))
    G = H[-1] - Y.T                                 # ∂E/∂Ŷ, rows = samples
    grads = []
    for l in range(len(weights), 0, -1):
        G = G * (Z[l - 1] >= 0)
        grads.insert(0, (H[l - 1].T @ G).T)         # (n_{l−1}, n_l) transposed to (n_l, n_{l−1})
        G = G @ weights[l - 1]
    return grads
