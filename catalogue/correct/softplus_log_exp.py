"""Correct formula, lost digits and inf in the tails: softplus written as the definition,
g(z) = log(1 + e^z), with g′(z) = 1/(1 + e^−z) = σ(z).

* z > 709.78: e^z overflows (numpy warns), g = log(inf) = inf; the next layer's Z becomes
  ±inf or NaN (inf − inf, 0·inf) and so does every ΔW it touches: nonfinite results.
  (g′ = 1/(1 + e^−z) is fine there; its own overflow, for z < −709.78, gives the right 0.)
* z < 0: 1 + e^z rounds e^z to about 1e-16 absolute before the log, so g = log(1 + e^z) ≈ e^z
  keeps an absolute error of about 1e-16: a relative error of about 1e-16·e^|z| (measured:
  1e-12 from z ≈ −10, 1e-10 from z ≈ −14; past check's tolerance, divided by its condition
  scale, from z ≈ −19.5), and 100 % below z ≈ −36.7, where 1 + e^z = 1 and g = 0 (true
  e^z). log1p(exp(z)) would not lose them; see softplus_stable.py.
At seed 0 the command finds the left tail first (W = 2, X = −10: z = −20, ΔW off by 5.6e-10
of its scale, tolerance 1e-10); the inf for z > 709.78 is the other symptom it may report
(OTHER_CAVEATS: "nonfinite"). softplus_log1p_exp.py has only the inf, softplus_stable.py
neither.
Expected: agrees with the caveat "rounding" (exit 0, exit 1 with --strict); on moderate nets
it agrees to about 1e-15.
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


def softplus(z):
    return np.log(1 + np.exp(z))                # inf for z > 709.78, 0 for z < −36.7


def softplus_prime(z):
    return 1 / (1 + np.exp(-z))                 # σ(z); exp overflow for z < −709.78 gives 0


def backprop(weights, X, Y):
    A, Z = [X], [None]
    for W in weights:
        Z.append(W @ A[-1])
        A.append(softplus(Z[-1]))
    E = Y - A[-1]                               # E[L] = Y − Ŷ
    L = len(weights)
    dW = [None] * L
    for l in range(L, 0, -1):
        delta = E * softplus_prime(Z[l])        # E[l] ⊙ g′(Z[l])
        dW[l - 1] = -delta @ A[l - 1].T         # ΔW[l]
        E = weights[l - 1].T @ delta            # exact hidden error
    return dW
