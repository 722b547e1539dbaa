"""Bug, in the course's XOR-script convention (two layers, in-place update with η = 1, the
lecture's hidden error E1 = W2ᵀE2): the output layer's update forgets g′(Z2),
`W2 += np.dot(E2, A1.T)`, as if the output were linear. W1's update is right (with the
lecture's E1, which does not involve g′(Z2) either).

Checked with its OPTIONS it runs, and ΔW[2] = (W2_before − W2_after)/α disagrees:
diagnosis no_output_g_prime (ΔW[1] agrees with the lecture's rule).
Expected: failure mismatch, diagnosis no_output_g_prime (with OPTIONS); without options no
convention fits (it is wrong in its own), so no hint that it agrees; it raises on one layer,
so the hint names the depth at which it runs, --layers 2.
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "no_output_g_prime"
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None            # wrong under its own options too: no convention fits
OPTIONS = {"layers": 2, "returns": "update", "alpha": 1.0, "hidden_error": "lecture"}


def g(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def g_prime(z):
    return g(z) * (1 - g(z))


def backprop(weights, X, Y):
    W1, W2 = weights
    Z1 = np.dot(W1, X)
    A1 = g(Z1)
    Z2 = np.dot(W2, A1)
    A2 = g(Z2)
    E2 = Y - A2
    E1 = np.dot(W2.T, E2)                      # the lecture's hidden error (as the course)
    W2 += np.dot(E2, A1.T)                     # BUG: E2 * g_prime(Z2) expected
    W1 += np.dot(E1 * g_prime(Z1), X.T)
