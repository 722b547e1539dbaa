"""Correct formula, loses digits near z = 0: tanh written through the sigmoid,
tanh z = 2σ(2z) − 1 with σ(x) = 1/(1 + e^−x), and tanh′ = 1 − tanh².

The identity is exact, but near z = 0 the difference 2σ(2z) − 1 cancels: σ(2z) ≈ ½ + z/2 is
rounded to about 1e-16 absolute, so tanh z keeps an absolute error of about 2e-16 instead of a
relative one (at z = 1e-10 every digit but six is lost). For large |z| it is as good as np.tanh
(e^−2z overflows for z < −354.9, giving σ = 0 and tanh = −1, right). The loss is what
"tanh = 2σ(2z) − 1" in the rounding envelope loses on the same network.
Expected: agrees with the caveat "rounding" (exit 0, exit 1 with --strict); on moderate nets
it agrees to about 1e-15.
"""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "rounding"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}
OTHER_CAVEATS = ()


def tanh(z):
    with np.errstate(over="ignore"):
        return 2 / (1 + np.exp(-2 * z)) - 1          # 2σ(2z) − 1: cancels near z = 0


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(tanh(W @ A[-1]))
    E = Y - A[-1]
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * (1 - A[l] * A[l])                # E[l] ⊙ tanh′(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
