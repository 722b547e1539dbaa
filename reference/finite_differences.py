"""The second, independent oracle: central finite differences of E = ½ΣΣ(Y − Ŷ)² in float64.

    D(h)  = (E(w + h) − E(w − h)) / 2h,   h = eps^(1/3) · max(1, |w|)
    ∂E/∂w ≈ (4 D(h/2) − D(h)) / 3        (Richardson: the h² term of the error cancels)

Plain D(h) has truncation error h² f‴ / 6, which the thorough Hypothesis profile found to
exceed 1e-6 of the scale (1.7e-6) where identity layers multiply large weights into a tanh;
the extrapolation leaves O(h⁴ f⁽⁵⁾) and about 3× the rounding error of D(h) (see ``FD_RTOL``).
The forward pass here is its own few lines of numpy (not the kernel's, not jax). All 4P
perturbed networks of a layer are evaluated at once as a stacked batch. Where a perturbation
moves a relu/leaky_relu pre-activation across its kink, the function is not differentiable
inside the stencil and the difference quotient is no derivative; those entries are reported
in ``valid`` (False) so that callers compare only the others.

Biases (``biases=[b1, ..., bL]``, each (n_l, 1)) are perturbed the same way; their differences
are in ``.biases``, a ``FiniteDifferences`` of the same form. Activations are built-in names or
custom (g, g′) pairs of numpy functions (only g is used; a custom g is assumed smooth, so no
kink detection is done for it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .numpy_activations import _g_np, _numpy_activation

__all__ = ["STEP", "FiniteDifferences", "finite_differences"]

F64 = NDArray[np.float64]
STEP = float(np.finfo(np.float64).eps ** (1 / 3))   # ≈ 6.1e-6, balances truncation and rounding
_KINKED = ("relu", "leaky_relu")


class FiniteDifferences(NamedTuple):
    gradients: list[F64]   # ≈ ∂E/∂W[l], same shapes as the weights
    valid: list[NDArray[np.bool_]]   # False where the stencil crosses a relu/leaky_relu kink
    stencil_loss: list[F64]   # max E(w ± h), E(w ± h/2) per entry: its rounding, divided by
                              # 2h, is (up to 3×) the rounding error of the difference quotient
    biases: FiniteDifferences | None = None   # the same for ∂E/∂b[l] (n_l, 1), when given


def _forward(Ws: Sequence[F64], bs: Sequence[F64], X: F64, names: Sequence[Any]
             ) -> tuple[F64, list[F64]]:
    """Ŷ and the sign patterns of the kinked layers; Ws and bs may carry a leading batch axis."""
    A: F64 = X
    signs = []
    for W, b, name in zip(Ws, bs, names):
        Z = W @ A + b
        if _numpy_activation(name) in _KINKED:
            signs.append(np.sign(Z))
        A = _g_np(name, Z)
    return A, signs


def _differences(params: list[F64], L: int, X: F64, Y: F64, activations: Sequence[Any],
                 which: range) -> FiniteDifferences:
    """Central differences for params[i], i in ``which``; params = [W1..WL, b1..bL]."""
    _, signs0 = _forward(params[:L], params[L:], X, activations)
    grads, valid, stencil = [], [], []
    for i in which:
        p = params[i]
        P = p.size
        h = STEP * np.maximum(1.0, np.abs(p)).reshape(P)
        eye = np.eye(P).reshape(P, *p.shape)
        D, E_at, ok = {}, [], np.ones(P, dtype=bool)
        for f in (1.0, 0.5):                                 # D(h) and D(h/2)
            step = f * h
            moved = eye * step[:, None, None]
            plus = [*params[:i], p + moved, *params[i + 1:]]   # P networks, entry q moved by +h
            minus = [*params[:i], p - moved, *params[i + 1:]]
            Yp, sp = _forward(plus[:L], plus[L:], X, activations)
            Ym, sm = _forward(minus[:L], minus[L:], X, activations)
            Ep = 0.5 * np.sum((Y - Yp) ** 2, axis=(-2, -1))
            Em = 0.5 * np.sum((Y - Ym) ** 2, axis=(-2, -1))
            D[f] = (Ep - Em) / (2 * step)
            E_at += [Ep, Em]
            for s0, a, b in zip(signs0, sp, sm):
                ok &= np.all(a == s0, axis=(-2, -1)) & np.all(b == s0, axis=(-2, -1))
        grads.append(((4 * D[0.5] - D[1.0]) / 3).reshape(p.shape))     # (4 D(h/2) − D(h)) / 3
        stencil.append(np.max(E_at, axis=0).reshape(p.shape))
        valid.append(ok.reshape(p.shape))
    return FiniteDifferences(grads, valid, stencil)


def finite_differences(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                       activations: Sequence[Any], *,
                       biases: Sequence[ArrayLike] | None = None) -> FiniteDifferences:
    """Central differences for every weight (and bias).

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); Y: (n_L, m); activations: L names (or custom
    (g, g′) numpy pairs); biases: None or L arrays (n_l, 1).
    """
    Ws = [np.asarray(W, dtype=np.float64) for W in weights]
    L = len(Ws)
    bs = ([np.zeros((W.shape[0], 1)) for W in Ws] if biases is None
          else [np.asarray(b, dtype=np.float64).reshape(-1, 1) for b in biases])
    X_ = np.asarray(X, dtype=np.float64)
    Y_ = np.asarray(Y, dtype=np.float64)
    params = [*Ws, *bs]
    fd = _differences(params, L, X_, Y_, activations, range(L))
    if biases is None:
        return fd
    return fd._replace(biases=_differences(params, L, X_, Y_, activations, range(L, 2 * L)))
