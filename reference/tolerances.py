"""The one place for tolerances, and how a gradient's error is measured.

How we measure error
--------------------
A plain relative error |got − expected| / |expected| is meaningless where the exact gradient
is a sum of terms that nearly cancel (Hypothesis finds such networks at once): any rounding
in the terms then looks like a huge relative error. So we divide by the *condition scale* of
each entry instead, the size that first-order rounding-error analysis (Higham, "Accuracy and
Stability of Numerical Algorithms", §3) says the errors of the two computations we compare
are proportional to:

    Zmag[l] = |W[l]| Amag[l−1],        Amag[0] = |X|
    Amag[l] = |A[l]| + |g′(Z[l])| · Zmag[l]            (a rounding in Z moves A by g′·δZ)
    Emag[L] = |Y| + Amag[L]                             (Y − Ŷ cancels when Ŷ ≈ Y)
    G[l]    = |g′(Z[l])| + 2 |A[l]|²  for sigmoid and tanh, |g′(Z[l])| otherwise   (*)
    Dmag[l] = G[l] · (Emag[l] + 2 |E[l]| Zmag[l])       (δ = E ⊙ g′; |g″| ≤ 2|g′| for every
                                                          built-in smooth g, and g″ = 0 else)
    Emag[l−1] = |W[l]|ᵀ Dmag[l]  (exact)   or   |W[l]|ᵀ Emag[l]  (lecture)
    scale(ΔW[l]) = Dmag[l] Amag[l−1]ᵀ  ≥  Σ_samples |δ[l]| |A[l−1]ᵀ|, the sizes of the summed terms

(*) is the oracle's own error, not the kernel's: jax differentiates ``jax.nn.sigmoid`` as
σ(1 − σ) and ``tanh`` as 1 − tanh² from the *rounded* value, which in the saturated region
loses all relative accuracy (at z = 30, jax's σ′ is 9.348e-14 where the true value is
9.358e-14, a relative error of 1e-3; at z = 9, its tanh′ is off by 3e-9). The kernel computes
σ′ = e/(1 + e)² with e = exp(−|z|), which is accurate to a few ulps everywhere; that accuracy
is checked separately against mpmath in ``tests/test_activations.py``.

Underflow adds one more term: jax (XLA on the CPU) flushes subnormal numbers to zero and
numpy keeps them, and a float32 kernel underflows where the float64 oracle does not, so an
absolute difference of about the smallest normal number ``tiny`` is inherent. Every scale is
floored at tiny / eps of the kernel's dtype, which makes such a difference cost one ulp of
relative error (it amounts to an absolute tolerance of 1e-302 in float64, 1e-35 in float32).

Every rounding error is at most a modest multiple of eps · scale, and where nothing cancels
and nothing saturates, scale ≈ |ΔW| and our "relative error" is the ordinary one.

The tolerances
--------------
The longest chain of roundings in a generated network is about (depth 4) × (dot products of
length ≤ 8) × (a few ulps per activation) ≈ 100 roundings, so the error is ≲ 100 · eps ·
scale; for float64 that is 2e-14. We allow 1e-10 for float64 (the issue's "near 1e-10", a
margin of ~5000 for longer dot products in the benchmarks' large networks), and for float32
the same 100 roundings of eps32 = 1.2e-7 give 1.2e-5, and we allow 1e-4 (margin ~8).
Finite differences have their own, larger error (truncation h² · f‴ plus eps · |E| / h for
the step h ≈ eps^(1/3)); see ``FD_RTOL``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "FD_RTOL",
    "RTOL",
    "GradientMismatch",
    "assert_gradients_close",
    "condition_scale",
    "loss_scale",
    "max_relative_error",
    "relative_errors",
    "rtol_for",
    "underflow_floor",
    "worst_mismatch",
]

F64 = NDArray[np.float64]

RTOL: dict[np.dtype, float] = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 1e-4}
"""Allowed error / condition scale, by the dtype the kernel computed in (see module doc)."""

FD_RTOL = 1e-6
"""Allowed |finite difference − exact| / (condition scale + E at the stencil): the central
difference with h = eps^(1/3)·max(1, |w|) ≈ 6e-6 has rounding error ≈ n·eps·E(w ± h)/h ≈
4e-11·n·E(w ± h) for a loss summed from n ≤ 64 terms, and truncation error h²·|f‴|/6 ≈
6e-12·|f‴|; both stay below 1e-6 of that scale (the largest ratio observed is in the
closing note of the foundation issue and printed by every test run)."""


def rtol_for(dtype: np.dtype | type) -> float:
    """The tolerance for a kernel that computed in ``dtype`` (float32 or float64)."""
    return RTOL[np.dtype(dtype)]


def _g_prime_np(name: str, Z: F64) -> F64:
    e: F64 = np.exp(-np.abs(Z))
    if name == "sigmoid":
        return e / ((1 + e) * (1 + e))
    if name == "tanh":
        e2 = e * e
        return 4 * e2 / ((1 + e2) * (1 + e2))
    if name == "softplus":
        return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
    if name == "relu":
        return (Z > 0).astype(np.float64)
    if name == "leaky_relu":
        return np.where(Z >= 0, 1.0, 0.01).astype(np.float64)
    if name == "identity":
        return np.ones_like(Z)
    raise ValueError(f"unknown activation {name!r}")


def _g_np(name: str, Z: F64) -> F64:
    if name == "sigmoid":
        return 0.5 * (1 + np.tanh(Z / 2))
    if name == "tanh":
        return np.tanh(Z)
    if name == "softplus":
        return np.logaddexp(Z, 0.0)
    if name == "relu":
        return np.maximum(Z, 0.0)
    if name == "leaky_relu":
        return np.where(Z >= 0, Z, 0.01 * Z)
    if name == "identity":
        return Z.copy()
    raise ValueError(f"unknown activation {name!r}")


def loss_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
               activations: Sequence[str], dtype: np.dtype | type = np.float64) -> float:
    """Σ Emag[L]², the scale of the loss's rounding error (≥ 2E, the loss itself)."""
    *_, Emag = _forward_magnitudes(weights, X, Y, activations)
    return max(float(np.sum(Emag * Emag)), underflow_floor(dtype))


def _forward_magnitudes(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                        activations: Sequence[str]
                        ) -> tuple[list[F64], list[F64], list[F64], list[F64], list[F64], F64, F64]:
    Ws = [np.asarray(W, dtype=np.float64) for W in weights]
    A = [np.asarray(X, dtype=np.float64)]
    Amag = [np.abs(A[0])]
    gp, Zmag, Zs = [], [], []
    for W, name in zip(Ws, activations):
        Z = W @ A[-1]
        Zs.append(Z)
        Zm = np.abs(W) @ Amag[-1]
        g1 = _g_prime_np(name, Z)
        A.append(_g_np(name, Z))
        Amag.append(np.abs(A[-1]) + g1 * Zm)
        gp.append(g1 + 2 * A[-1] ** 2 if name in ("sigmoid", "tanh") else g1)   # (*)
        Zmag.append(Zm)
    Yf = np.asarray(Y, dtype=np.float64)
    return Ws, Zs, Amag, gp, Zmag, Yf - A[-1], np.abs(Yf) + Amag[-1]


def underflow_floor(dtype: np.dtype | type) -> float:
    """tiny / eps of ``dtype``: every scale is at least this (see "Underflow" above)."""
    info = np.finfo(dtype)
    return float(info.tiny) / float(info.eps)


def condition_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                    activations: Sequence[str], hidden_error: str = "exact",
                    dtype: np.dtype | type = np.float64) -> list[F64]:
    """Per entry of every ΔW[l], the scale that the rounding errors are proportional to.

    dtype: the dtype the kernel computed in (sets the underflow floor).
    """
    Ws, Zs, Amag, gp, Zmag, E, Emag = _forward_magnitudes(weights, X, Y, activations)
    scales: list[F64] = []
    for l in range(len(Ws) - 1, -1, -1):
        delta = E * _g_prime_np(activations[l], Zs[l])
        Dmag = gp[l] * (Emag + 2 * np.abs(E) * Zmag[l])
        scales.append(np.maximum(Dmag @ Amag[l].T, underflow_floor(dtype)))
        Wabs = np.abs(Ws[l]).T
        if hidden_error == "exact":
            E, Emag = Ws[l].T @ delta, Wabs @ Dmag
        else:
            E, Emag = Ws[l].T @ E, Wabs @ Emag
    return scales[::-1]


def relative_errors(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                    scale: Sequence[ArrayLike]) -> list[F64]:
    """|got − expected| / scale per entry (0 where both are exactly equal)."""
    out = []
    for g, e, s in zip(got, expected, scale):
        diff = np.abs(np.asarray(g, dtype=np.float64) - np.asarray(e, dtype=np.float64))
        out.append(np.where(diff == 0, 0.0, diff / np.asarray(s, dtype=np.float64)))
    return out


def max_relative_error(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                       scale: Sequence[ArrayLike]) -> float:
    """The largest entry of ``relative_errors`` over all layers."""
    return max((float(r.max()) for r in relative_errors(got, expected, scale)), default=0.0)


@dataclass(frozen=True)
class GradientMismatch:
    """The worst entry of a failed comparison, in the lecture's indexing."""

    layer: int          # l, 1-based as in the slides (ΔW[l])
    k: int              # row: node k of layer l
    j: int              # column: node j of layer l−1 (w_jk is stored at [k, j])
    expected: float
    got: float
    relative_error: float

    def __str__(self) -> str:
        return (f"ΔW[{self.layer}][k={self.k}, j={self.j}] (the weight w_jk from node j of layer "
                f"{self.layer - 1} to node k of layer {self.layer}): expected {self.expected!r}, "
                f"got {self.got!r}, relative error {self.relative_error:.3g}")


def worst_mismatch(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                   scale: Sequence[ArrayLike]) -> GradientMismatch:
    """The entry with the largest relative error."""
    rel = relative_errors(got, expected, scale)
    layer = max(range(len(rel)), key=lambda i: float(rel[i].max()))
    k, j = np.unravel_index(int(np.argmax(rel[layer])), rel[layer].shape)
    return GradientMismatch(layer + 1, int(k), int(j), float(np.asarray(expected[layer])[k, j]),
                            float(np.asarray(got[layer])[k, j]), float(rel[layer][k, j]))


def assert_gradients_close(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                           scale: Sequence[ArrayLike], rtol: float, what: str = "ΔW") -> float:
    """Assert every entry's relative error is ≤ rtol; return the largest one.

    The failure message names the layer and entry (k, j), expected, got and the relative error.
    """
    if len(got) != len(expected):
        raise AssertionError(f"{what}: got {len(got)} arrays, expected {len(expected)}")
    for l, (g, e) in enumerate(zip(got, expected), start=1):
        if np.shape(g) != np.shape(e):
            raise AssertionError(f"{what}[{l}]: got shape {np.shape(g)}, expected {np.shape(e)}")
        if not np.all(np.isfinite(g)):
            raise AssertionError(f"{what}[{l}] has non-finite entries: {g}")
    worst = worst_mismatch(got, expected, scale)
    if worst.relative_error > rtol:
        raise AssertionError(f"{what} differs beyond rtol={rtol:g}: {worst}")
    return worst.relative_error
