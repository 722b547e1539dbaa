"""Correct formula computed in float32: the inputs are cast to float32, the whole pass runs
there (np.tanh, tanh′ = 1 − tanh², matrix products) and the result is cast back to float64.

Casting back adds no digits: every ΔW carries float32 rounding, a relative error of about
1e-7 (eps = 1.2e-7 times a small factor from the sums) on any network, far above the float64
tolerance (1e-10) and within the float32 one (1e-4). Nothing overflows (np.tanh saturates),
so there is no NaN, but float32 also underflows: inputs or products below 1.4e-45 become 0
(a tiny X gives ΔW = 0 where the float64 gradient is 1e-253). This is what a student gets
from np.array(..., dtype=np.float32), from a GPU framework's default dtype, or from data
loaded as float32. At seed 0 the command finds a network with Z = 0 and ΔW off by 4e-9.
Expected: agrees with the caveat "float32" (exit 0, exit 1 with --strict); about 1e-7
relative error on moderate nets.
"""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "float32"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ()


def backprop(weights, X, Y):
    Ws = [W.astype(np.float32) for W in weights]      # everything below is float32
    A = [X.astype(np.float32)]
    for W in Ws:
        A.append(np.tanh(W @ A[-1]))                   # A[l] = tanh(Z[l])
    E = Y.astype(np.float32) - A[-1]                   # E[L] = Y − Ŷ
    dW = [None] * len(Ws)
    for l in range(len(Ws), 0, -1):
        delta = E * (1 - A[l] * A[l])                  # tanh′ = 1 − tanh²
        dW[l - 1] = (-delta @ A[l - 1].T).astype(np.float64)   # back to float64: no digits gained
        E = Ws[l - 1].T @ delta
    return dW
