"""Correct, sigmoid: every term of slide step 3, Δw_kj = −Σ_s e_ks · g′(z_ks) · a_js, is formed
as a 3-D array by one np.einsum over the three factors (shape (n_l, n_{l−1}, m)), then summed
over the samples by np.sum (pairwise summation, another order than BLAS's).

The products are the same up to the order of the two multiplications, the sum is in another
order: a few ulps of the terms' magnitudes, inside the condition scale. Stable σ (e^−|z|, no
overflow) and σ′ = σ(1 − σ), as jax computes it.
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
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(sigmoid(W @ A[-1]))
    E = Y - A[-1]                                              # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        g_prime = A[l] * (1 - A[l])                            # σ′(Z[l])
        terms = np.einsum("ks,ks,js->kjs", E, g_prime, A[l - 1])   # e_ks · g′_ks · a_js
        dW[l - 1] = -np.sum(terms, axis=2)                     # Σ over the samples s
        E = weights[l - 1].T @ (E * g_prime)                   # exact hidden error
    return dW
