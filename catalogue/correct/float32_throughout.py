"""Correct formula computed and returned in float32: the inputs are cast once, every product,
σ and σ′ = σ(1 − σ) is float32, and the ΔW come back as float32 arrays (what a student gets
from data loaded as float32 or a GPU framework's default dtype, and does not cast back).

Every ΔW carries float32 rounding, a relative error of about 1e-7 (eps32 = 1.2e-7 times a few),
far above float64's tolerance 1e-10 and inside the rounding envelope of float32, the precision
the results show. σ = 1/(1 + e^−z) in float32 overflows e^−z for z < −88.7 (numpy warns), which
gives the right σ = 0, and σ(1 − σ) = 0 for z > 17 where the true σ′ is below float32's eps.
Expected: agrees with the caveat "float32" (exit 0, exit 1 with --strict).
"""

import numpy as np

ACTIVATION = "sigmoid"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "float32"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ("nonfinite",)


def backprop(weights, X, Y):
    Ws = [np.asarray(W, dtype=np.float32) for W in weights]
    A = [np.asarray(X, dtype=np.float32)]
    with np.errstate(over="ignore"):
        for W in Ws:
            A.append(1 / (1 + np.exp(-(W @ A[-1]))))     # A[l] = σ(Z[l]), float32
    E = np.asarray(Y, dtype=np.float32) - A[-1]
    dW = [None] * len(Ws)
    for l in range(len(Ws), 0, -1):
        delta = E * A[l] * (1 - A[l])                    # E[l] ⊙ σ′(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T                  # float32, returned as is
        E = Ws[l - 1].T @ delta
    return dW
