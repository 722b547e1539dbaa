"""The one place for tolerances, and how a gradient's error is measured.

How we measure error
--------------------
A plain relative error |got − expected| / |expected| is meaningless where the exact gradient
is a sum of terms that nearly cancel (Hypothesis finds such networks at once): any rounding
in the terms then looks like a huge relative error. So we divide by the *condition scale* of
each entry instead, the size that first-order rounding-error analysis (Higham, "Accuracy and
Stability of Numerical Algorithms", §3) says the errors of the two computations we compare
are proportional to:

    (each of Amag, Zmag, Dmag also gets + tiny/eps of the kernel's dtype: see "Underflow")
    Zmag[l] = |W[l]| Amag[l−1] + |b[l]|,   Amag[0] = |X|     (b[l] = 0 without biases)
    Amag[l] = |A[l]| + |g′(Z[l])| · Zmag[l]            (a rounding in Z moves A by g′·δZ)
    Emag[L] = |Y| + Amag[L]                             (Y − Ŷ cancels when Ŷ ≈ Y)
    G[l]    = |g′(Z[l])| + 2 |A[l]|²  for sigmoid and tanh, |g′(Z[l])| otherwise   (*)
    Dmag[l] = G[l] · (Emag[l] + 2 |E[l]| Zmag[l])       (δ = E ⊙ g′; |g″| ≤ 2|g′| for every
                                                          built-in smooth g, and g″ = 0 else)
    Emag[l−1] = |W[l]|ᵀ Dmag[l]  (exact)   or   |W[l]|ᵀ Emag[l]  (lecture)
    scale(ΔW[l]) = Dmag[l] Amag[l−1]ᵀ  ≥  Σ_samples |δ[l]| |A[l−1]ᵀ|, the sizes of the summed terms
    scale(Δb[l]) = Σ_samples Dmag[l]    ≥  Σ_samples |δ[l]|: Δb[l] = −Σ_samples δ[l] is ΔW[l]'s
                                          formula with A[l−1] replaced by a row of exact ones,
                                          so its scale is ΔW's with Amag[l−1] replaced by ones

A bias is a weight whose input is the constant 1, so it enters exactly like one more column of
W[l] with one more row of A[l−1] that is 1 and carries no error: Zmag gains |b[l]| · 1, and
nothing else changes.

Custom activations (a (g, g′) pair of numpy functions, or an object with ``g`` and ``g_prime``)
get G[l] = |g′(Z[l])|: we assume their g′ and jax's derivative of g are accurate to a few ulps
and |g″| ≤ 2|g′| as for the built-ins; these are assumptions about the user's function, not
facts, so their comparisons are only as sharp as that function is well behaved.

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
A flushed intermediate is then multiplied by later factors (the thorough profile found an
activation A = −1e-309 that jax flushed to 0 multiplied by δ = 1e8: ΔW entries 9.4e-301 and
0), so the same floor is added to every intermediate magnitude, Amag, Zmag, G = |g′| and Dmag,
as the absolute error term of first-order analysis with underflow (Higham §2.1: fl(x) =
x(1 + δ) + η, |η| ≤ tiny): then such a difference costs about one ulp of relative error
wherever it ends up. (G was missing at first; a thorough run found σ′(−708.74) = 1.6e-308,
subnormal, flushed by jax and multiplied by E[1] = 6.6e5 and X = 28.8: ΔW[1] = 3.0e-301 vs 0.)

Every rounding error is at most a modest multiple of eps · scale, and where nothing cancels
and nothing saturates, scale ≈ |ΔW| and our "relative error" is the ordinary one.

Kinks are the one place where no scale helps: relu′ and leaky_relu′ jump at z = 0, so where a
net input Z[l] is within its own rounding error of 0 the kernel (in its dtype) and the float64
oracle may land on different sides and legitimately differ by O(1) in every ΔW[k], Δb[k] with
k ≤ l (g′(Z[l]) enters all of them). jax also flushes subnormal numbers to zero, so a net input
of −1e-308 is on the kink for jax and negative for numpy (the thorough run found exactly this).
``kink_ambiguous_layers`` lists such layers: a relu/leaky_relu entry with Zmag > 0 and
|Z| ≤ KINK_ULPS · eps · Zmag + 16 · tiny (eps and tiny of the kernel's dtype); the comparisons
then cover only the layers after the last one (as finite differences skip stencils that cross a
kink).

The tolerances
--------------
The longest chain of roundings in a generated network is about (depth 4) × (dot products of
length ≤ 8) × (a few ulps per activation) ≈ 100 roundings, so the error is ≲ 100 · eps ·
scale; for float64 that is 2e-14. We allow 1e-10 for float64 (the issue's "near 1e-10", a
margin of ~5000 for longer dot products in the benchmarks' large networks), and for float32
the same 100 roundings of eps32 = 1.2e-7 give 1.2e-5, and we allow 1e-4 (margin ~8).
Finite differences have their own, larger error (truncation h² · f‴ plus eps · |E| / h for
the step h ≈ eps^(1/3)); see ``FD_RTOL``.

Checking one activation's g′ (``reference.check_activation``) compares it at points z with
jax.grad of g (``ACTIVATION_RTOL``) or with a central difference (``ACTIVATION_FD_RTOL``), per
point divided by |g′(z)| + |g(z)| / max(1, |z|) + tiny / eps: jax's own derivative of g is
computed from rounded intermediate values of about the size of g(z) (σ′ = σ(1 − σ) has an
absolute error ≈ eps · σ), and the central difference has rounding error ≈ eps · |g(z)| / h
with h = eps^(1/3), plus truncation h² |g‴| / 6 ≈ 6e-12 |g‴|. A wrong g′ (a missing factor,
a sign, the wrong side of a kink) is wrong by O(1) of this scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .numpy_activations import _g_np, _g_prime_np, _numpy_activation

__all__ = [
    "ACTIVATION_FD_RTOL",
    "ACTIVATION_RTOL",
    "FD_RTOL",
    "KINK_ULPS",
    "RTOL",
    "TAME_NET_INPUT",
    "UPDATE_ROUNDING",
    "WRONG_RTOL",
    "GradientMismatch",
    "GradientsWithBiases",
    "assert_gradients_close",
    "condition_scale",
    "kink_ambiguous_layers",
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
difference D(h) with h = eps^(1/3)·max(1, |w|) ≈ 6e-6 has rounding error ≈ n·eps·E(w ± h)/h ≈
4e-11·n·E(w ± h) for a loss summed from n ≤ 64 terms; the Richardson extrapolation
(4 D(h/2) − D(h))/3 used by ``finite_differences`` triples that (≈ 8e-9·E) and replaces the
truncation error h²·|f‴|/6 of D(h) (which reached 1.7e-6 of the scale in a thorough run: large
weights through identity layers into tanh) by O(h⁴·|f⁽⁵⁾|); both stay below 1e-6 of that scale
(the largest ratio observed is printed by every test run)."""


TAME_NET_INPUT = 10.0
"""``check``'s line between wrong math and numerical caveats, part 1: a network is *tame* when
every net input |Z[l]| ≤ 10. There every usual formula is accurate: the unstable ones lose
digits only in a tail, by a factor ≈ e^|z| (log(1 + e^z) and ½(1 + tanh(z/2)) at z = −10 err
by eps · e^10 ≈ 5e-12 relative, float64), and exp overflows only beyond |z| ≈ 709."""

WRONG_RTOL = 1e-3
"""``check``'s line, part 2: on a tame network, a function whose error exceeds 1e-3 of the
condition scale has wrong math; below that, the difference is rounding (a "numerical caveat",
as is every disagreement on a network that is not tame). A correct formula computed entirely
in float32 errs by ≲ 100 · eps32 ≈ 1.2e-5 of the scale (the argument of ``RTOL``; an unstable
float32 softplus at z = −10 errs by ≈ 1.2e-4); wrong math errs by O(1) (a sign, a factor 2 or
1/m, a missing g′ ≤ 0.25): docs/checking.md shows the measured margins of the catalogue.
For this decision the condition scale has float32's underflow floor (tiny32/eps32 ≈ 1e-31,
see ``underflow_floor``): a float32 computation flushes values below 1e-38 to 0, and the
difference that makes is rounding, not math."""

UPDATE_ROUNDING = 4.0
"""``check --returns update``: ΔW is recovered as (W_before − W_after)/α, and the roundings of
the update W − αΔW (≤ eps · |W_after| + eps · α|ΔW|), of the subtraction and of the division
leave an absolute error ≤ UPDATE_ROUNDING · eps · (|W_before| + |W_after|) / α per entry,
which is subtracted from the difference before dividing by the scale."""

ACTIVATION_RTOL: dict[np.dtype, float] = {np.dtype(np.float64): 1e-10,
                                           np.dtype(np.float32): 1e-4}
"""Allowed |g′(z) − jax.grad(g)(z)| / (|g′(z)| + |g(z)|/max(1, |z|) + tiny/eps), by the dtype
g′ was evaluated in. jax's derivative is computed from rounded intermediates of about the size
of g(z), so its error is ≈ c · eps · |g(z)|, at most c · eps · max(1, |z|) of the scale:
≤ 1e-10 for c ≤ 45 roundings up to |z| = 1e4. In float32, g′'s own few roundings of eps32 =
1.2e-7 dominate; 1e-4 as for the kernel (``RTOL``). A wrong g′ is off by O(1)."""

ACTIVATION_FD_RTOL: dict[np.dtype, float] = {np.dtype(np.float64): 1e-6,
                                              np.dtype(np.float32): 1e-4}
"""The same measure against a central difference of g in float64 with h = eps^(1/3) ≈ 6e-6:
its rounding error eps · |g| / h is ≈ 4e-11 · max(1, |z|) of the scale (≤ 4e-7 up to
|z| = 1e4) and its truncation h² |g‴| / 6 ≈ 6e-12 |g‴|; float32 g′ as above."""


class GradientsWithBiases(NamedTuple):
    """∂E/∂W and ∂E/∂b (the oracles' result with biases; unpacks as ``dW, db = ...``)."""

    dW: list[F64]   # dW[l-1] = ∂E/∂W[l], (n_l, n_{l−1})
    db: list[F64]   # db[l-1] = ∂E/∂b[l], (n_l, 1)


def rtol_for(dtype: np.dtype | type) -> float:
    """The tolerance for a kernel that computed in ``dtype`` (float32 or float64)."""
    return RTOL[np.dtype(dtype)]


def loss_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
               activations: Sequence[Any], dtype: np.dtype | type = np.float64, *,
               biases: Sequence[ArrayLike] | None = None) -> float:
    """Σ Emag[L]², the scale of the loss's rounding error (≥ 2E, the loss itself)."""
    *_, Emag = _forward_magnitudes(weights, X, Y, activations, biases, underflow_floor(dtype))
    return max(float(np.sum(Emag * Emag)), underflow_floor(dtype))


def _forward_magnitudes(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                        activations: Sequence[Any], biases: Sequence[ArrayLike] | None = None,
                        floor: float = 0.0
                        ) -> tuple[list[F64], list[F64], list[F64], list[F64], list[F64], F64, F64]:
    """Z, g′ terms and the magnitudes Amag, Zmag, Emag; ``floor`` is the underflow term η."""
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
    Yf = np.asarray(Y, dtype=np.float64)
    return Ws, Zs, Amag, gp, Zmag, Yf - A[-1], np.abs(Yf) + Amag[-1]


KINK_ULPS = 100
"""Z within this many eps · Zmag of a relu kink is on an undetermined side (module doc)."""


def kink_ambiguous_layers(weights: Sequence[ArrayLike], X: ArrayLike, activations: Sequence[Any],
                          dtype: np.dtype | type = np.float64, *,
                          biases: Sequence[ArrayLike] | None = None) -> list[int]:
    """The layers l (1-based) whose relu/leaky_relu net input Z[l] has an entry so close to the
    kink that rounding or jax's flush of subnormals may decide its side (see the module doc).

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); activations: L names; dtype: the kernel's.
    """
    X_ = np.asarray(X, dtype=np.float64)
    Y0 = np.zeros((np.shape(weights[-1])[0], X_.shape[1]))
    _, Zs, _, _, Zmag, _, _ = _forward_magnitudes(weights, X_, Y0, activations, biases)
    eps, tiny = float(np.finfo(dtype).eps), float(np.finfo(dtype).tiny)
    out = []
    for l, (Z, Zm, a) in enumerate(zip(Zs, Zmag, activations), start=1):
        if _numpy_activation(a) in ("relu", "leaky_relu"):
            near = (Zm > 0) & (np.abs(Z) <= KINK_ULPS * eps * Zm + 16 * tiny)
            if near.any():
                out.append(l)
    return out


def underflow_floor(dtype: np.dtype | type) -> float:
    """tiny / eps of ``dtype``: every scale is at least this (see "Underflow" above)."""
    info = np.finfo(dtype)
    return float(info.tiny) / float(info.eps)


@overload
def condition_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                    activations: Sequence[Any], hidden_error: str = ...,
                    dtype: np.dtype | type = ..., *, biases: None = None) -> list[F64]: ...
@overload
def condition_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                    activations: Sequence[Any], hidden_error: str = ...,
                    dtype: np.dtype | type = ..., *,
                    biases: Sequence[ArrayLike]) -> GradientsWithBiases: ...
def condition_scale(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                    activations: Sequence[Any], hidden_error: str = "exact",
                    dtype: np.dtype | type = np.float64, *,
                    biases: Sequence[ArrayLike] | None = None
                    ) -> list[F64] | GradientsWithBiases:
    """Per entry of every ΔW[l] (and Δb[l]), the scale that the rounding errors are
    proportional to.

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); Y: (n_L, m); activations: L built-in names
    (or custom pairs, see the module doc); dtype: the dtype the kernel computed in (sets the
    underflow floor); biases: None or L arrays (n_l, 1).
    Returns the list of scales of ΔW[1..L], or with biases ``GradientsWithBiases(dW, db)`` of
    the scales of ΔW[l] and Δb[l].
    """
    floor = underflow_floor(dtype)
    Ws, Zs, Amag, gp, Zmag, E, Emag = _forward_magnitudes(weights, X, Y, activations, biases,
                                                          floor)
    scales: list[F64] = []
    bias_scales: list[F64] = []
    for l in range(len(Ws) - 1, -1, -1):
        delta = E * _g_prime_np(activations[l], Zs[l])
        Dmag = gp[l] * (Emag + 2 * np.abs(E) * Zmag[l]) + floor
        scales.append(np.maximum(Dmag @ Amag[l].T, floor))               # scale(ΔW[l])
        bias_scales.append(np.maximum(Dmag.sum(axis=1, keepdims=True), floor))   # scale(Δb[l])
        Wabs = np.abs(Ws[l]).T
        if hidden_error == "exact":
            E, Emag = Ws[l].T @ delta, Wabs @ Dmag
        else:
            E, Emag = Ws[l].T @ E, Wabs @ Emag
    if biases is None:
        return scales[::-1]
    return GradientsWithBiases(scales[::-1], bias_scales[::-1])


def _flat(x: Any) -> list[Any]:
    """A list of arrays, or a (dW, db) pair flattened to [*dW, *db]."""
    return [*x.dW, *x.db] if hasattr(x, "dW") and hasattr(x, "db") else list(x)


def relative_errors(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                    scale: Sequence[ArrayLike]) -> list[F64]:
    """|got − expected| / scale per entry (0 where both are exactly equal).

    Each argument is a list of arrays or a (dW, db) pair (then flattened to [*dW, *db])."""
    out = []
    for g, e, s in zip(_flat(got), _flat(expected), _flat(scale)):
        diff = np.abs(np.asarray(g, dtype=np.float64) - np.asarray(e, dtype=np.float64))
        out.append(np.where(diff == 0, 0.0, diff / np.asarray(s, dtype=np.float64)))
    return out


def max_relative_error(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                       scale: Sequence[ArrayLike]) -> float:
    """The largest entry of ``relative_errors`` over all layers (and biases)."""
    return max((float(r.max()) for r in relative_errors(got, expected, scale)), default=0.0)


@dataclass(frozen=True)
class GradientMismatch:
    """The worst entry of a failed comparison, in the lecture's indexing."""

    layer: int          # l, 1-based as in the slides (ΔW[l])
    k: int              # row: node k of layer l
    j: int              # column: node j of layer l−1 (w_jk is stored at [k, j]); 0 for Δb
    expected: float
    got: float
    relative_error: float
    symbol: str = "ΔW"  # "ΔW" or "Δb"

    def __str__(self) -> str:
        if self.symbol == "Δb":
            where = (f"Δb[{self.layer}][k={self.k}] (the bias of node k of layer {self.layer})")
        else:
            where = (f"{self.symbol}[{self.layer}][k={self.k}, j={self.j}] (the weight w_jk from "
                     f"node j of layer {self.layer - 1} to node k of layer {self.layer})")
        return (f"{where}: expected {self.expected!r}, got {self.got!r}, relative error "
                f"{self.relative_error:.3g}")


def worst_mismatch(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                   scale: Sequence[ArrayLike], symbol: str = "ΔW") -> GradientMismatch:
    """The entry with the largest relative error (lists of arrays; ``symbol`` names them)."""
    rel = relative_errors(got, expected, scale)
    layer = max(range(len(rel)), key=lambda i: float(rel[i].max()))
    k, j = np.unravel_index(int(np.argmax(rel[layer])), rel[layer].shape)
    return GradientMismatch(layer + 1, int(k), int(j), float(np.asarray(expected[layer])[k, j]),
                            float(np.asarray(got[layer])[k, j]), float(rel[layer][k, j]), symbol)


def assert_gradients_close(got: Any, expected: Any, scale: Any, rtol: float,
                           what: str = "ΔW") -> float:
    """Assert every entry's relative error is ≤ rtol; return the largest one.

    got, expected, scale: lists of arrays [ΔW[1], ...], or all three (dW, db) pairs such as
    ``manual_backprop.Gradients`` and ``GradientsWithBiases`` (ΔW and Δb are then compared
    separately). The failure message names the layer and entry (k, j), expected, got and the
    relative error.
    """
    pairs = [hasattr(x, "dW") and hasattr(x, "db") for x in (got, expected, scale)]
    if any(pairs):
        if not all(pairs):
            raise AssertionError(f"{what}: compare (dW, db) pairs with (dW, db) pairs, got "
                                 f"{type(got).__name__}, {type(expected).__name__} and "
                                 f"{type(scale).__name__}")
        return max(_assert_close(got.dW, expected.dW, scale.dW, rtol, what, "ΔW"),
                   _assert_close(got.db, expected.db, scale.db, rtol, what, "Δb"))
    return _assert_close(got, expected, scale, rtol, what, "ΔW")


def _assert_close(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                  scale: Sequence[ArrayLike], rtol: float, what: str, symbol: str) -> float:
    if len(got) != len(expected):
        raise AssertionError(f"{what}: got {len(got)} arrays, expected {len(expected)}")
    for l, (g, e) in enumerate(zip(got, expected), start=1):
        if np.shape(g) != np.shape(e):
            raise AssertionError(f"{what}: {symbol}[{l}] has shape {np.shape(g)}, expected "
                                 f"{np.shape(e)}")
        if not np.all(np.isfinite(g)):
            raise AssertionError(f"{what}: {symbol}[{l}] has non-finite entries: {g}")
    if not got:
        return 0.0
    worst = worst_mismatch(got, expected, scale, symbol)
    if worst.relative_error > rtol:
        raise AssertionError(f"{what} differs beyond rtol={rtol:g}: {worst}")
    return worst.relative_error
