"""Correct, leaky ReLU (slope 0.01, as jax.nn.leaky_relu): g(z) = max(z, 0.01·z) and
g′(z) = 1 where z > 0, 0.01 elsewhere, as a mask: (z > 0) + 0.01·(z <= 0).

Exact arithmetic apart from the matrix products (g and g′ round nothing but 0.01·z). At the
kink z = 0 this g′ is 0.01 where jax says 1: a convention, and `check` compares only the
layers after a net input at the kink, so it is accepted.
Expected: agrees, no caveat.
"""

import numpy as np

ACTIVATION = "leaky_relu"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}
SLOPE = 0.01


def backprop(weights, X, Y):
    A, G = [X], []
    for W in weights:
        Z = W @ A[-1]
        A.append(np.maximum(Z, SLOPE * Z))                 # z for z > 0, 0.01·z below
        G.append((Z > 0) + SLOPE * (Z <= 0))               # g′: 1 or 0.01 (0.01 at the kink)
    E = Y - A[-1]                                          # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * G[l - 1]
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
