"""Correct, identity activation (a linear network), with the sums over samples taken in a
different order: ΔW[l] is accumulated from per-sample outer products, last sample first.

Floating-point addition is not associative, so the bits differ from a matrix product (which
BLAS sums in blocks, in its own order), but each order's error is bounded by a few ulps times
the sum of the terms' magnitudes: exactly the condition scale `check` divides by. So any
order is accepted, even where the terms cancel. The identity makes g′ = 1, so only the
order of the sums differs from the kernel; deep linear nets still reach |Z| ≈ 1e11 on
check's networks, without overflow.
Expected: agrees, no caveat.
"""

import numpy as np

ACTIVATION = "identity"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = None
OPTIONS = {}


def backprop(weights, X, Y):
    L, m = len(weights), X.shape[1]
    A = [X]
    for W in weights:
        A.append(W @ A[-1])                     # A[l] = g(Z[l]) = Z[l] = W[l] A[l−1]
    D = [None] * (L + 1)                        # D[l] = E[l] ⊙ g′(Z[l]) = E[l] (g′ = 1)
    D[L] = Y - A[L]                             # E[L] = Y − Ŷ
    for l in range(L, 1, -1):
        D[l - 1] = weights[l - 1].T @ D[l]      # E[l−1] = W[l]ᵀ(E[l] ⊙ 1)
    dW = [np.zeros_like(W) for W in weights]
    for s in reversed(range(m)):                # last sample first
        for l in range(1, L + 1):
            dW[l - 1] -= np.outer(D[l][:, s], A[l - 1][:, s])   # −δ[l]_s · a[l−1]_sᵀ
    return dW
