"""Bug: the net inputs are clipped to [−10, 10] before the sigmoid, "to avoid overflow":
Z = np.clip(W @ A, −10, 10). That is another function, not a rounding of σ: for |z| > 10 it
uses σ(±10) and σ′(±10) = 4.5e-5 where the true σ′(10.6) is 2.5e-5 — 80 % off, where every
correct formula of σ keeps at least 11 digits. (np.exp(−z) overflows only beyond |z| ≈ 709,
and the stable σ never does.) On networks whose net inputs all lie in [−10, 10] it is exact,
so the search needs one net input beyond 10.
Expected: failure mismatch, no diagnosis (not one of the known patterns), no hint."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {}


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        Z = np.clip(W @ A[-1], -10, 10)              # BUG: σ(clip(z)) is not σ(z)
        A.append(1 / (1 + np.exp(-Z)))
    E = Y - A[-1]
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])               # σ′ of the clipped net input
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
