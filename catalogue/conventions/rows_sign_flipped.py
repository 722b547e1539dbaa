"""Bug, in the rows convention (X (m, n_0), W[l] (n_{l−1}, n_l)): the sign is flipped. It
returns H[l−1]ᵀ(E ⊙ g′), the direction of the update, instead of ΔW = −H[l−1]ᵀ(E ⊙ g′).

Checked with `--layout rows` it runs and disagrees by exactly −1: diagnosis "sign".
Checked without options the shapes do not fit, and no convention fits either (it is wrong in
its own): `check` gives no hint, only the failure.
Expected: failure mismatch, diagnosis sign (with OPTIONS); no hint.
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "sign"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None            # wrong under its own options too: no convention fits
OPTIONS = {"layout": "rows"}


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def backprop(weights, X, Y):
    H = [X]                                    # rows = samples
    for W in weights:
        H.append(sigmoid(H[-1] @ W))
    E = Y - H[-1]
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        D = E * H[l] * (1 - H[l])
        dW[l - 1] = H[l - 1].T @ D             # BUG: the minus sign of ΔW = −Aᵀ(E ⊙ g′) is lost
        E = D @ weights[l - 1].T
    return dW
