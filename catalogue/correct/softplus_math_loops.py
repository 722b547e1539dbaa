"""Correct formula in plain Python loops with the math module: softplus(z) = log1p(exp(z)) and
softplus′(z) = 1/(1 + exp(−z)), entry by entry.

math.exp raises OverflowError where numpy would return inf: for z > 709.78 in softplus, and for
z < −709.78 in softplus′. An overflow exception on a network where a correct formula of the
rounding envelope overflows too (log(1 + e^z) there is inf) is a numerical caveat; on a network
where nothing correct overflows it would be wrong. Elsewhere log1p keeps every digit.
Expected: agrees with the caveat "nonfinite" (exit 0, exit 1 with --strict).
"""

import math

import numpy as np

ACTIVATION = "softplus"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "nonfinite"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ()


def backprop(weights, X, Y):
    L, m = len(weights), X.shape[1]
    a = [[[float(X[j, s]) for j in range(X.shape[0])] for s in range(m)]]   # a[l][s][j]
    z = [None]
    for W in weights:
        z.append([[sum(W[k, j] * a[-1][s][j] for j in range(W.shape[1]))
                   for k in range(W.shape[0])] for s in range(m)])
        a.append([[math.log1p(math.exp(v)) for v in row] for row in z[-1]])   # OverflowError
    dW = [np.zeros_like(W, dtype=float) for W in weights]
    for s in range(m):
        e = [float(Y[k, s]) - a[L][s][k] for k in range(weights[-1].shape[0])]
        for l in range(L, 0, -1):
            W = weights[l - 1]
            delta = [e[k] / (1 + math.exp(-z[l][s][k])) for k in range(W.shape[0])]
            for k in range(W.shape[0]):
                for j in range(W.shape[1]):
                    dW[l - 1][k, j] -= delta[k] * a[l - 1][s][j]
            e = [sum(W[k, j] * delta[k] for k in range(W.shape[0])) for j in range(W.shape[1])]
    return dW
