"""The second, independent oracle: central finite differences of E = ½ΣΣ(Y − Ŷ)² in float64.

    ∂E/∂w ≈ (E(w + h) − E(w − h)) / 2h,   h = eps^(1/3) · max(1, |w|)

The forward pass here is its own few lines of numpy (not the kernel's, not jax). All 2P
perturbed networks of a layer are evaluated at once as a stacked batch. Where a perturbation
moves a relu/leaky_relu pre-activation across its kink, the function is not differentiable
inside the stencil and the difference quotient is no derivative; those entries are reported
in ``valid`` (False) so that callers compare only the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .tolerances import _g_np

__all__ = ["STEP", "FiniteDifferences", "finite_differences"]

F64 = NDArray[np.float64]
STEP = float(np.finfo(np.float64).eps ** (1 / 3))   # ≈ 6.1e-6, balances truncation and rounding
_KINKED = ("relu", "leaky_relu")


class FiniteDifferences(NamedTuple):
    gradients: list[F64]   # ≈ ∂E/∂W[l], same shapes as the weights
    valid: list[NDArray[np.bool_]]   # False where the stencil crosses a relu/leaky_relu kink
    stencil_loss: list[F64]   # max(E(w + h), E(w − h)) per entry: its rounding, divided by
                              # 2h, is the rounding error of the difference quotient


def _forward(Ws: Sequence[F64], X: F64, names: Sequence[str]) -> tuple[F64, list[F64]]:
    """Ŷ and the sign patterns of the kinked layers; Ws may carry a leading batch axis."""
    A: F64 = X
    signs = []
    for W, name in zip(Ws, names):
        Z = W @ A
        if name in _KINKED:
            signs.append(np.sign(Z))
        A = _g_np(name, Z)
    return A, signs


def finite_differences(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                       activations: Sequence[str]) -> FiniteDifferences:
    """Central differences for every weight; activations: L names."""
    Ws = [np.asarray(W, dtype=np.float64) for W in weights]
    X_ = np.asarray(X, dtype=np.float64)
    Y_ = np.asarray(Y, dtype=np.float64)
    _, signs0 = _forward(Ws, X_, activations)
    grads, valid, stencil = [], [], []
    for l, W in enumerate(Ws):
        P = W.size
        h = STEP * np.maximum(1.0, np.abs(W)).reshape(P)
        eye = np.eye(P).reshape(P, *W.shape) * h[:, None, None]
        plus = [*Ws[:l], W + eye, *Ws[l + 1:]]       # P networks, entry p of W[l] moved by +h
        minus = [*Ws[:l], W - eye, *Ws[l + 1:]]
        Yp, sp = _forward(plus, X_, activations)
        Ym, sm = _forward(minus, X_, activations)
        Ep = 0.5 * np.sum((Y_ - Yp) ** 2, axis=(-2, -1))
        Em = 0.5 * np.sum((Y_ - Ym) ** 2, axis=(-2, -1))
        grads.append(((Ep - Em) / (2 * h)).reshape(W.shape))
        stencil.append(np.maximum(Ep, Em).reshape(W.shape))
        ok = np.ones(P, dtype=bool)
        for s0, a, b in zip(signs0, sp, sm):
            ok &= np.all(a == s0, axis=(-2, -1)) & np.all(b == s0, axis=(-2, -1))
        valid.append(ok.reshape(W.shape))
    return FiniteDifferences(grads, valid, stencil)
