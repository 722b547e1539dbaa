"""Comparing gradients by the condition-scaled relative error, and naming the worst entry.

The error of each entry is |got − expected| / scale, where the scale comes from
``reference.condition``; what it means and the tolerances it is held to: ``docs/numerics.md``.
Every public name here is also importable from ``reference.tolerances``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from manual_backprop.i18n import _

__all__ = [
    "GradientMismatch",
    "GradientsWithBiases",
    "assert_gradients_close",
    "max_relative_error",
    "relative_errors",
    "worst_mismatch",
]

F64 = NDArray[np.float64]


class GradientsWithBiases(NamedTuple):
    """∂E/∂W and ∂E/∂b (the oracles' result with biases; unpacks as ``dW, db = ...``)."""

    dW: list[F64]   # dW[l-1] = ∂E/∂W[l], (n_l, n_{l−1})
    db: list[F64]   # db[l-1] = ∂E/∂b[l], (n_l, 1)


def _is_pair(x: Any) -> bool:
    """A (dW, db) pair, such as ``manual_backprop.Gradients`` or ``GradientsWithBiases``."""
    return hasattr(x, "dW") and hasattr(x, "db")


def _flat(x: Any) -> list[Any]:
    """A list of arrays, or a (dW, db) pair flattened to [*dW, *db]."""
    return [*x.dW, *x.db] if _is_pair(x) else list(x)


def relative_errors(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                    scale: Sequence[ArrayLike]) -> list[F64]:
    """|got − expected| / scale per entry, in float64 (0 where both are exactly equal, whatever
    the scale).

    Each argument is a list of arrays or a (dW, db) pair (then flattened to [*dW, *db])."""
    out = []
    for g, e, s in zip(_flat(got), _flat(expected), _flat(scale)):
        diff = np.abs(np.asarray(g, dtype=np.float64) - np.asarray(e, dtype=np.float64))
        out.append(np.divide(diff, np.asarray(s, dtype=np.float64), out=np.zeros_like(diff),
                             where=diff != 0))
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
    relative_error: float   # |got − expected| / scale
    scale: float            # the entry's condition scale (reference.condition)
    symbol: str = "ΔW"  # "ΔW" or "Δb"

    def __str__(self) -> str:
        """The entry, its place in the lecture's words, expected, got, the relative error and
        the scale it is relative to, in the language of the output (``manual_backprop.i18n``;
        English unless set)."""
        if self.symbol == "Δb":
            text = _("Δb[{layer}][k={k}] (the bias of node k of layer {layer}): expected "
                     "{expected!r}, got {got!r}, relative error {error:.3g} = |got − expected| "
                     "/ {scale:.3g}, the entry's condition scale")
        else:
            text = _("{symbol}[{layer}][k={k}, j={j}] (the weight w_jk from node j of layer "
                     "{previous} to node k of layer {layer}): expected {expected!r}, got "
                     "{got!r}, relative error {error:.3g} = |got − expected| / {scale:.3g}, "
                     "the entry's condition scale")
        return text.format(symbol=self.symbol, layer=self.layer, previous=self.layer - 1,
                           k=self.k, j=self.j, expected=self.expected, got=self.got,
                           error=self.relative_error, scale=self.scale)


def worst_mismatch(got: Sequence[ArrayLike], expected: Sequence[ArrayLike],
                   scale: Sequence[ArrayLike], symbol: str = "ΔW") -> GradientMismatch:
    """The entry with the largest relative error (lists of arrays; ``symbol`` names them)."""
    rel = relative_errors(got, expected, scale)
    layer = max(range(len(rel)), key=lambda i: float(rel[i].max()))
    k, j = np.unravel_index(int(np.argmax(rel[layer])), rel[layer].shape)
    return GradientMismatch(layer + 1, int(k), int(j), float(np.asarray(expected[layer])[k, j]),
                            float(np.asarray(got[layer])[k, j]), float(rel[layer][k, j]),
                            float(np.asarray(scale[layer])[k, j]), symbol)


def assert_gradients_close(got: Any, expected: Any, scale: Any, rtol: float,
                           what: str = "ΔW") -> float:
    """Assert every entry's relative error is ≤ rtol; return the largest one.

    got, expected, scale: lists of arrays [ΔW[1], ...], or all three (dW, db) pairs such as
    ``manual_backprop.Gradients`` and ``GradientsWithBiases`` (ΔW and Δb are then compared
    separately). The failure message names the layer and entry (k, j), expected, got, the
    relative error and the condition scale it divides by.
    """
    pairs = [_is_pair(x) for x in (got, expected, scale)]
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
