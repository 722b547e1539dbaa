"""Correct with samples as rows: X (m, n_0), Y (m, n_L), W[l] of shape (n_{l−1}, n_l) (the
deep-learning libraries' habit, H[l] = H[l−1] W[l]), and ΔW[l] returned in that same shape.

This is the lecture's formula transposed: ΔW_rows[l] = ΔW[l]ᵀ = −H[l−1]ᵀ (E ⊙ g′). Checked
without options, the shapes do not fit (X @ W raises, or a transposed ΔW comes back), so
`check` must not call it wrong but propose `--layout rows`.
Expected: with OPTIONS, agrees; without, the hint "rerun with --layout rows".
"""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = "--layout rows"
OPTIONS = {"layout": "rows"}


def backprop(weights, X, Y):
    H = [X]                                    # H[l] = A[l]ᵀ, shape (m, n_l)
    for W in weights:
        H.append(np.tanh(H[-1] @ W))           # H[l] = tanh(H[l−1] W[l])
    E = Y - H[-1]                              # output error, one row per sample
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        D = E * (1 - H[l] ** 2)                # E ⊙ tanh′
        dW[l - 1] = -H[l - 1].T @ D            # (n_{l−1}, n_l): the lecture's ΔW[l]ᵀ
        E = D @ weights[l - 1].T               # hidden error, rows = samples
    return dW
