"""Correct, softplus: the batch with np.einsum, Z[l] = einsum('kj,js->ks'), ΔW[l] =
−einsum('ks,js->kj', δ, A[l−1]); softplus(z) = logaddexp(0, z), softplus′ = σ(z) from
e = exp(−|z|) (no overflow, and no exp of a large rounded argument)."""

import numpy as np

ACTIVATION = "softplus"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def backprop(weights, X, Y):
    A, S = [X], []
    for W in weights:
        Z = np.einsum("kj,js->ks", W, A[-1])
        A.append(np.logaddexp(0.0, Z))
        e = np.exp(-np.abs(Z))
        S.append(np.where(Z >= 0, 1 / (1 + e), e / (1 + e)))    # σ(z), no overflow
    E = Y - A[-1]
    dW = []
    for l in range(len(weights), 0, -1):
        delta = E * S[l - 1]
        dW.insert(0, -np.einsum("ks,js->kj", delta, A[l - 1]))
        E = np.einsum("kj,ks->js", weights[l - 1], delta)
    return dW
