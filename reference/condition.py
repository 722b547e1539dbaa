"""The condition scale: the size that the rounding errors of each gradient entry are
proportional to, by first-order propagation through the network; and the layers where a
relu/leaky_relu kink makes any scale useless.

The formulas and why they are what they are: ``docs/numerics.md``. Every public name here is
also importable from ``reference.tolerances``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .compare import GradientsWithBiases
from .numpy_activations import _g_np, _g_prime_np, _numpy_activation

__all__ = [
    "KINK_ULPS",
    "condition_scale",
    "kink_ambiguous_layers",
    "loss_scale",
    "underflow_floor",
]

F64 = NDArray[np.float64]

KINK_ULPS = 100
"""Z within this many eps · Zmag of a relu kink is on an undetermined side (docs/numerics.md)."""


def underflow_floor(dtype: np.dtype | type) -> float:
    """tiny / eps of ``dtype``: every scale is at least this (docs/numerics.md, "Underflow")."""
    info = np.finfo(dtype)
    return float(info.tiny) / float(info.eps)


class ForwardMagnitudes(NamedTuple):
    """The forward pass in float64 and its error magnitudes, per layer l = 1..L at index l−1
    (Amag from l = 0); each magnitude includes the underflow term ``floor``."""

    weights: list[F64]   # W[l] as float64
    Z: list[F64]         # the net inputs Z[l]
    Amag: list[F64]      # Amag[0..L]
    G: list[F64]         # G[l]: |g′(Z[l])| (+ 2|A[l]|² for sigmoid and tanh)
    Zmag: list[F64]      # Zmag[l]
    Yhat: F64            # Ŷ = A[L]


def _forward_magnitudes(weights: Sequence[ArrayLike], X: ArrayLike, activations: Sequence[Any],
                        biases: Sequence[ArrayLike] | None = None,
                        floor: float = 0.0) -> ForwardMagnitudes:
    """Z, the g′ terms G and the magnitudes Amag, Zmag; ``floor`` is the underflow term η."""
    Ws = [np.asarray(W, dtype=np.float64) for W in weights]
    bs = ([np.zeros((W.shape[0], 1)) for W in Ws] if biases is None
          else [np.asarray(b, dtype=np.float64) for b in biases])
    A = [np.asarray(X, dtype=np.float64)]
    Amag = [np.abs(A[0]) + floor]
    gp, Zmag, Zs = [], [], []
    for W, b, name in zip(Ws, bs, activations):
        Z = W @ A[-1] + b
        Zs.append(Z)
        Zm = np.abs(W) @ Amag[-1] + np.abs(b) + floor   # Zmag[l] = |W[l]| Amag[l−1] + |b[l]|
        g1 = _g_prime_np(name, Z)
        A.append(_g_np(name, Z))
        Amag.append(np.abs(A[-1]) + np.abs(g1) * Zm + floor)
        saturating = _numpy_activation(name) in ("sigmoid", "tanh")
        gp.append((np.abs(g1) + 2 * A[-1] ** 2 if saturating else np.abs(g1)) + floor)   # (*)
        Zmag.append(Zm)
    return ForwardMagnitudes(Ws, Zs, Amag, gp, Zmag, A[-1])


def _output_error(m: ForwardMagnitudes, Y: ArrayLike) -> tuple[F64, F64]:
    """E[L] = Y − Ŷ and its magnitude Emag[L] = |Y| + Amag[L]."""
    Yf = np.asarray(Y, dtype=np.float64)
    return Yf - m.Yhat, np.abs(Yf) + m.Amag[-1]


def loss_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
               activations: Sequence[Any], dtype: np.dtype | type = np.float64, *,
               biases: Sequence[ArrayLike] | None = None) -> float:
    """Σ Emag[L]², the scale of the loss's rounding error (≥ 2E, the loss itself)."""
    _, Emag = _output_error(
        _forward_magnitudes(weights, X, activations, biases, underflow_floor(dtype)), Y)
    return max(float(np.sum(Emag * Emag)), underflow_floor(dtype))


@overload
def condition_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                    activations: Sequence[Any], hidden_error: str = ...,
                    dtype: np.dtype | type = ..., *, biases: None = None,
                    floor: float | None = None) -> list[F64]: ...
@overload
def condition_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                    activations: Sequence[Any], hidden_error: str = ...,
                    dtype: np.dtype | type = ..., *,
                    biases: Sequence[ArrayLike], floor: float | None = None
                    ) -> GradientsWithBiases: ...
def condition_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                    activations: Sequence[Any], hidden_error: str = "exact",
                    dtype: np.dtype | type = np.float64, *,
                    biases: Sequence[ArrayLike] | None = None, floor: float | None = None
                    ) -> list[F64] | GradientsWithBiases:
    """Per entry of every ΔW[l] (and Δb[l]), the scale that the rounding errors are
    proportional to.

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); Y: (n_L, m); activations: L built-in names
    (or custom pairs, see docs/numerics.md); dtype: the dtype the kernel computed in (sets the
    underflow floor); biases: None or L arrays (n_l, 1); floor: another absolute term for every
    intermediate magnitude than the underflow floor of ``dtype``.
    Returns the list of scales of ΔW[1..L], or with biases ``GradientsWithBiases(dW, db)`` of
    the scales of ΔW[l] and Δb[l].
    """
    floor = underflow_floor(dtype) if floor is None else floor
    m = _forward_magnitudes(weights, X, activations, biases, floor)
    E, Emag = _output_error(m, Y)
    scales: list[F64] = []
    bias_scales: list[F64] = []
    for l in range(len(m.weights) - 1, -1, -1):
        delta = E * _g_prime_np(activations[l], m.Z[l])
        Dmag = m.G[l] * (Emag + 2 * np.abs(E) * m.Zmag[l]) + floor
        scales.append(np.maximum(Dmag @ m.Amag[l].T, floor))               # scale(ΔW[l])
        bias_scales.append(np.maximum(Dmag.sum(axis=1, keepdims=True), floor))   # scale(Δb[l])
        Wabs = np.abs(m.weights[l]).T
        if hidden_error == "exact":
            E, Emag = m.weights[l].T @ delta, Wabs @ Dmag
        else:
            E, Emag = m.weights[l].T @ E, Wabs @ Emag
    if biases is None:
        return scales[::-1]
    return GradientsWithBiases(scales[::-1], bias_scales[::-1])


def kink_ambiguous_layers(weights: Sequence[ArrayLike], X: ArrayLike, activations: Sequence[Any],
                          dtype: np.dtype | type = np.float64, *,
                          biases: Sequence[ArrayLike] | None = None) -> list[int]:
    """The layers l (1-based) whose relu/leaky_relu net input Z[l] has an entry so close to the
    kink that rounding or jax's flush of subnormals may decide its side (docs/numerics.md).

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); activations: L names; dtype: the kernel's.
    """
    m = _forward_magnitudes(weights, X, activations, biases)
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).tiny)
    out = []
    for l, (Z, Zm, a) in enumerate(zip(m.Z, m.Zmag, activations), start=1):
        if _numpy_activation(a) in ("relu", "leaky_relu"):
            near = (Zm > 0) & (np.abs(Z) <= KINK_ULPS * eps * Zm + 16 * tiny)
            if near.any():
                out.append(l)
    return out
