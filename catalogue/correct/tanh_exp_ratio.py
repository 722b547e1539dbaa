"""Correct formula, NaN for large net inputs: tanh written as its definition,
tanh z = (e^z − e^−z)/(e^z + e^−z), and tanh′ = 1 − tanh².

For |z| > 709.78 one exponential overflows: inf/inf = NaN (numpy warns "overflow" and
"invalid value"), so A[l], g′ and every ΔW[k], k ≤ l + 1, become NaN; np.tanh would give ±1.
Below that it is accurate to a few ulps away from 0; near z = 0 the numerator cancels (an
absolute error of about 1e-16), which relative to the condition scale (|A| + |g′|·|Z|
≥ 2|z| there) costs about 1e-16/|z|: rounding only for |z| < 1e-6, which the random networks
rarely hit. 1 − tanh² loses digits as tanh rounds towards ±1 (measured: 1e-12 relative from
|z| ≈ 4.75, 1e-10 from 7.5, all digits from 18.7), exactly as jax's own tanh′ does: the
condition scale allows for it, and no error passes the tolerance below |z| = 709.78.
Expected: agrees with the caveat "nonfinite" (exit 0, exit 1 with --strict); on moderate nets
it agrees to about 1e-15.
"""

import numpy as np

ACTIVATION = "tanh"
EXPECTED_FAILURE = None
EXPECTED_DIAGNOSIS = None
EXPECTED_CAVEAT = "nonfinite"
EXPECTED_VERDICT = "agrees_with_caveats"
EXPECTED_HINT = None
OPTIONS = {}


def tanh(z):
    p, q = np.exp(z), np.exp(-z)                # one of them is inf for |z| > 709.78
    return (p - q) / (p + q)                    # inf/inf = NaN there


def backprop(weights, X, Y):
    A = [X]
    for W in weights:
        A.append(tanh(W @ A[-1]))               # A[l] = tanh(Z[l])
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * (1 - A[l] ** 2)             # tanh′ = 1 − tanh²
        dW[l - 1] = -delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
