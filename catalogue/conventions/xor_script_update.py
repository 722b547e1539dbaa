"""Correct in the course's XOR-script convention: column-major, exactly two layers, learning
rate η = 1, the weights updated IN PLACE with `W2 += np.dot(E2 * g_prime(Z2), A1.T)` (that is
W := W − ΔW), and the lecture's hidden error E1 = W2ᵀE2 (computed before W2 changes).
Returns None.

Four conventions differ from `check`'s defaults at once: two layers, an update instead of the
gradient (α = 1, the function's own step), the lecture's hidden error, in-place arrays.
Checked without options it returns None (and changes its argument), so the hint must name
all four.
Expected: with OPTIONS, agrees; without, the hint
"rerun with --layers 2 --returns update --alpha 1 --hidden-error lecture".
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "agrees"
EXPECTED_HINT = "--layers 2 --returns update --alpha 1 --hidden-error lecture"
OPTIONS = {"layers": 2, "returns": "update", "alpha": 1.0, "hidden_error": "lecture"}


def g(z):
    return 1 / (1 + np.exp(-z))       # overflows (a warning) for z < −709, but to the right 0


def g_prime(z):
    return g(z) * (1 - g(z))


def backprop(weights, X, Y):
    W1, W2 = weights                  # the caller's arrays: updated in place below
    Z1 = np.dot(W1, X)
    A1 = g(Z1)
    Z2 = np.dot(W2, A1)
    A2 = g(Z2)
    E2 = Y - A2                       # output error
    E1 = np.dot(W2.T, E2)             # the lecture's hidden error, before W2 changes
    W2 += np.dot(E2 * g_prime(Z2), A1.T)    # W2 := W2 − η ΔW2, η = 1
    W1 += np.dot(E1 * g_prime(Z1), X.T)     # W1 := W1 − η ΔW1 (lecture's E1)
