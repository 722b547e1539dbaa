"""The teaching form: the same gradients with scalar loops, straight from slide step 3.

    z_k      = Σ_j w_jk · a_j  (+ b_k)                 (∵ z_k = Σ_j w_jk[2] a_j[1])
    Δw_jk    = −(y_k − ŷ_k) · g′(z_k) · a_j            (3단계, summed over the samples)
    Δb_k     = −(y_k − ŷ_k) · g′(z_k) · 1              (a bias is a weight whose input is 1)

and its hidden-layer counterpart, with e_k the error of node k:

    Δw_ij[l] = −e_j[l] · g′(z_j[l]) · a_i[l−1]
    e_j[l−1] = Σ_k w_jk[l] · e_k[l] · g′(z_k[l])       "exact"
    e_j[l−1] = Σ_k w_jk[l] · e_k[l]                    "lecture"

Index warning (docs/teaching.md): w_jk, the weight from node j to node k, is stored at ``W[k, j]``.
This module is slow on purpose; it exists to be read beside the slides and to check the
matrix form in ``backprop.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .backprop import ActivationSpec, Gradients, _validated
from .validation import validate_hidden_error

__all__ = ["gradients_elementwise"]

Array = NDArray[np.floating]


@overload
def gradients_elementwise(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                          activation: ActivationSpec = ..., *, hidden_error: str = ...,
                          biases: None = None, check_finite: bool = ...) -> list[Array]: ...
@overload
def gradients_elementwise(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                          activation: ActivationSpec = ..., *, hidden_error: str = ...,
                          biases: Sequence[ArrayLike], check_finite: bool = ...
                          ) -> Gradients: ...
def gradients_elementwise(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                          activation: ActivationSpec = "sigmoid", *,
                          hidden_error: str = "exact",
                          biases: Sequence[ArrayLike] | None = None,
                          check_finite: bool = True) -> list[Array] | Gradients:
    """ΔW[l] (and Δb[l]) by scalar loops over samples s, nodes k (layer l) and j (layer l−1).

    Same arguments, shapes and result as ``manual_backprop.gradients``.
    """
    W, X_, Y_, g, b = _validated(weights, X, Y, activation, biases, check_finite)
    exact = validate_hidden_error(hidden_error) == "exact"
    L, m = len(W), X_.shape[1]
    n = [X_.shape[0]] + [W[l].shape[0] for l in range(1, L + 1)]    # n[l] nodes in layer l
    dW = {l: np.zeros_like(W[l]) for l in range(1, L + 1)}
    db = {l: np.zeros((n[l], 1), dtype=X_.dtype) for l in range(1, L + 1)}

    for s in range(m):                                       # one sample at a time
        a = {0: X_[:, s]}
        z = {}
        for l in range(1, L + 1):
            z[l] = np.array([sum(W[l][k, j] * a[l - 1][j] for j in range(n[l - 1]))
                             + (b[l][k, 0] if b is not None else 0)
                             for k in range(n[l])], dtype=X_.dtype)   # z_k = Σ_j w_jk a_j + b_k
            a[l] = g[l].g(z[l])                                          # a_k = g(z_k)

        e = {k: Y_[k, s] - a[L][k] for k in range(n[L])}    # e_k = y_k − ŷ_k
        for l in range(L, 0, -1):
            g_prime = g[l].g_prime(z[l])                    # g′(z_k) for every node k of layer l
            for k in range(n[l]):
                for j in range(n[l - 1]):
                    # Δw_jk = −(y_k − ŷ_k) · g′(z_k) · a_j          (3단계; stored at [k, j])
                    dW[l][k, j] += -e[k] * g_prime[k] * a[l - 1][j]
                db[l][k, 0] += -e[k] * g_prime[k]          # Δb_k = −(y_k − ŷ_k) · g′(z_k)
            if l > 1:
                if exact:   # e_j = Σ_k w_jk · e_k · g′(z_k)
                    e = {j: sum(W[l][k, j] * e[k] * g_prime[k] for k in range(n[l]))
                         for j in range(n[l - 1])}
                else:       # e_j = Σ_k w_jk · e_k                   (lecture 8-3)
                    e = {j: sum(W[l][k, j] * e[k] for k in range(n[l]))
                         for j in range(n[l - 1])}
    dWs = [dW[l] for l in range(1, L + 1)]
    return dWs if b is None else Gradients(dWs, [db[l] for l in range(1, L + 1)])
