"""Bug (numerics): σ′ written as exp(−z) / (1 + exp(−z))². Mathematically right, but for
z < −709 exp(−z) overflows to inf and inf / inf = NaN. `check` tries networks with |W|, |X| up to
30 (net inputs of 1e4) and finds one of two symptoms first, noting numpy's overflow warning:
the NaN, or the milder one: for −709 < z < −355, (1 + e)² overflows and σ′ = 0 where it should
be, e.g., 4.5e-157, a relative error of 1e-3 of the scale. Which comes first depends on the seed
and on the modules loaded (Hypothesis also draws constants found in them): the command line
(`python -m manual_backprop check catalogue/buggy/overflow_nan.py:backprop`) finds the NaN; the
test suite, which loads every module of the project first (tests/conftest.py), the milder one,
on a network 4 inputs wide: Z[1] = 4 · (−10 · 9) = −360 is just past −355, so no input can be
removed without shrinking the others the wrong way (Hypothesis only shrinks towards small
values), and it stops there instead of at one input of weight −12 and value 30.
Expected: failure mismatch, diagnosis overflow, a minimal network up to 4 wide."""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = "mismatch"
EXPECTED_DIAGNOSIS = "overflow"
SHRINKS_TO_WIDTH = 4          # the others: 2 (tests/test_check.py)


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def backprop(weights, X, Y):
    A, Z = [X], [None]
    for W in weights:
        Z.append(W @ A[-1])
        A.append(sigmoid(Z[-1]))
    E = Y - A[-1]
    L = len(weights)
    dW = [None] * L
    for l in range(L, 0, -1):
        e = np.exp(-Z[l])
        delta = E * e / (1 + e) ** 2                          # BUG: NaN for z < −709
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
