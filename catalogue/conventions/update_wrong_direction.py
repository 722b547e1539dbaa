"""Bug, in the update convention (backprop(weights, X, Y, alpha) returns the new weights):
the step goes uphill, W[l] + α ΔW[l] instead of W[l] − α ΔW[l]. (The usual cause: ΔW is
computed as the update direction +E·g′·Aᵀ and then subtracted, or the gradient is added.)

Checked with its OPTIONS, `check` recovers ΔW = (W_before − W_after)/α = −ΔW: diagnosis
"sign". Checked without options it raises TypeError (a missing argument), and no convention
fits (it is wrong in its own): no hint.
Expected: failure mismatch, diagnosis sign (with OPTIONS); no hint.
"""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "sign"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None            # wrong under its own options too: no convention fits
OPTIONS = {"returns": "update", "alpha": 0.5}


def backprop(weights, X, Y, alpha):
    A = [X]
    for W in weights:
        A.append(np.tanh(W @ A[-1]))
    E = Y - A[-1]                                      # E[L] = Y − Ŷ
    new = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * (1 - A[l] ** 2)                    # E[l] ⊙ tanh′(Z[l])
        dW = -delta @ A[l - 1].T                       # ΔW[l], right
        E = weights[l - 1].T @ delta
        new[l - 1] = weights[l - 1] + alpha * dW       # BUG: W − αΔW expected (downhill)
    return new
