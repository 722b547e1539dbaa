"""Correct formula, inf for large negative net inputs: softplus(z) = z + log(1 + e^−z), the
form that is exact for large positive z, with softplus′ = σ(z) = 1/(1 + e^−z).

For z < −709.78, e^−z overflows to inf (numpy warns) and softplus = z + inf = inf where the
true value is e^z ≈ 0: A[l] is inf and every ΔW it touches is ±inf or NaN. For moderately
negative z, log(1 + e^−z) ≈ −z cancels against z, losing digits like log(1 + e^z) does.
Expected: agrees with the caveat "rounding" (exit 0, exit 1 with --strict); the inf is the other
symptom it may report (OTHER_CAVEATS: "nonfinite").
"""

import numpy as np

ACTIVATION = "softplus"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "rounding"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ("nonfinite",)


def backprop(weights, X, Y):
    A, Z = [X], [None]
    with np.errstate(over="ignore", invalid="ignore"):
        for W in weights:
            Z.append(W @ A[-1])
            A.append(Z[-1] + np.log(1 + np.exp(-Z[-1])))    # inf for z < −709.78
        E = Y - A[-1]
        dW = [None] * len(weights)
        for l in range(len(weights), 0, -1):
            delta = E / (1 + np.exp(-Z[l]))                  # E[l] ⊙ σ(Z[l])
            dW[l - 1] = -delta @ A[l - 1].T
            E = weights[l - 1].T @ delta
    return dW
