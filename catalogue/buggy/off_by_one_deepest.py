"""Bug: an off-by-one in the deepest layer only: ΔW[1] is summed over the samples 1..m−1,
dropping the first sample (delta[:, 1:] @ X[:, 1:].T, a slice left from debugging), while
every other layer uses all m. With m = 1 ΔW[1] is all zeros, and the minimal network has one
layer (the deepest is the last): all zeros on one network is what too many bugs return to name
one, and no known pattern holds on the confirmation networks (ΔW[1] is the gradient of "all
samples but the first" only where L = 1).
Expected: failure mismatch, no diagnosis (not one of the known patterns), no hint."""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = None
EXPECTED_VERDICT = "wrong"
EXPECTED_HINT = None
OPTIONS = {}


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(np.tanh(W @ A[-1]))
    E = Y - A[-1]
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * (1 - A[l] ** 2)
        if l == 1:
            dW[0] = -delta[:, 1:] @ X[:, 1:].T        # BUG: the first sample dropped
        else:
            dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
