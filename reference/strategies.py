"""Hypothesis strategies that generate random networks (built on ``hypothesis.extra.numpy``).

A ``Network`` is everything one call of the kernel needs: weights, X, Y, per-layer activation
names, the dtype and (optionally) biases. The defaults cover depth 1–4, widths 1–8, batch 1–8,
both dtypes and every activation mix; weights and inputs lie in [−4, 4], so net inputs reach
|z| ≈ 30 and beyond, deep in the saturated region of sigmoid and tanh.

``networks(biases=None)`` lets Hypothesis decide per network whether it has biases b[l]
(n_l, 1) in [−4, 4]; the default (False) draws none, ``True`` always draws them.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

import manual_backprop as mb

from .tolerances import TAME_NET_INPUT

__all__ = ["ACTIVATION_NAMES", "DTYPES", "Network", "networks", "tame"]

ACTIVATION_NAMES: tuple[str, ...] = tuple(mb.ACTIVATIONS)
"""The kernel's built-in activations, in its order (the first, sigmoid, is what Hypothesis
shrinks towards)."""
DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


@dataclass(frozen=True)
class Network:
    """One generated network: weights[l-1] = W[l] (n_l, n_{l−1}), X (n_0, m), Y (n_L, m),
    and biases[l-1] = b[l] (n_l, 1) or None."""

    weights: list[NDArray[np.floating]]
    X: NDArray[np.floating]
    Y: NDArray[np.floating]
    activations: list[str]
    dtype: np.dtype = field(default=np.dtype(np.float64))
    biases: list[NDArray[np.floating]] | None = None

    @property
    def widths(self) -> list[int]:
        return [self.X.shape[0]] + [W.shape[0] for W in self.weights]

    @property
    def m(self) -> int:
        return int(self.X.shape[1])

    def __repr__(self) -> str:
        with np.printoptions(precision=17, threshold=10_000):
            ws = ", ".join(f"np.array({W.tolist()!r})" for W in self.weights)
            bs = ("None" if self.biases is None else
                  "[" + ", ".join(f"np.array({b.tolist()!r})" for b in self.biases) + "]")
            return (f"Network(widths={'-'.join(map(str, self.widths))}, m={self.m}, "
                    f"activations={self.activations}, dtype={self.dtype},\n"
                    f"  weights=[{ws}],\n  X=np.array({self.X.tolist()!r}),\n"
                    f"  Y=np.array({self.Y.tolist()!r}),\n  biases={bs})")


def _elements(dtype: np.dtype, bound: float) -> st.SearchStrategy[float]:
    width: Literal[32, 64] = 32 if dtype == np.float32 else 64
    return st.floats(-bound, bound, width=width, allow_subnormal=False)


@functools.lru_cache(maxsize=4096)
def _arrays(dtype: np.dtype, shape: tuple[int, int], bound: float
            ) -> st.SearchStrategy[NDArray[np.floating]]:
    """``hnp.arrays`` of ``shape`` with entries in [−bound, bound], made once per shape: a new
    strategy object is validated on its first draw, which cost about a fifth of a check."""
    return hnp.arrays(dtype, shape, elements=_elements(dtype, bound))


@functools.lru_cache(maxsize=256)
def _sampled(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


@functools.lru_cache(maxsize=256)
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


@functools.lru_cache(maxsize=256)
def _widths(max_width: int, count: int) -> st.SearchStrategy[list[int]]:
    return st.lists(_integers(1, max_width), min_size=count, max_size=count)


@st.composite
def networks(draw: Any, *, min_depth: int = 1, max_depth: int = 4, max_width: int = 8,
             max_batch: int = 8, dtypes: tuple[np.dtype, ...] = DTYPES,
             activations: tuple[str, ...] = ACTIVATION_NAMES, mixed: bool = True,
             weight_bound: float = 4.0, input_bound: float = 4.0,
             target_bound: float = 2.0,
             last_activations: tuple[str, ...] | None = None,
             biases: bool | None = False, bias_bound: float = 4.0) -> Network:
    """Random networks.

    min_depth/max_depth: L; max_width: every n_l in 1..max_width; max_batch: m in 1..max_batch.
    dtypes: drawn from these. activations: the names to draw from; mixed: one per layer (True)
    or one for the whole network. weight_bound/input_bound/target_bound: |W|, |X|, |Y| limits.
    last_activations: if given, every layer after the first uses one of these (for properties
    about what happens when the later layers are linear).
    biases: False (none, the lecture), True (always) or None (Hypothesis decides); |b| ≤
    bias_bound.
    """
    dtype = draw(_sampled(dtypes))
    L = draw(_integers(min_depth, max_depth))
    n = draw(_widths(max_width, L + 1))
    m = draw(_integers(1, max_batch))
    weights = [draw(_arrays(dtype, (n[l + 1], n[l]), weight_bound)) for l in range(L)]
    X = draw(_arrays(dtype, (n[0], m), input_bound))
    Y = draw(_arrays(dtype, (n[L], m), target_bound))
    if mixed:
        names = [draw(_sampled(activations)) for _ in range(L)]
    else:
        names = [draw(_sampled(activations))] * L
    if last_activations is not None:
        names = names[:1] + [draw(_sampled(last_activations)) for _ in range(L - 1)]
    bs = None
    if biases or (biases is None and draw(st.booleans())):
        bs = [draw(_arrays(dtype, (n[l + 1], 1), bias_bound)) for l in range(L)]
    return Network(weights, X, Y, names, np.dtype(dtype), bs)


def tame(net: Network) -> Network:
    """``net`` with W[l] (and b[l]) scaled by a power of 2, layer by layer, until every net input
    |Z[l]| ≤ TAME_NET_INPUT (exact: scaling by 2^-k changes no digit, so the scaled Z[l] is
    2^-k Z[l] to the bit)."""
    Ws = list(net.weights)
    bs = None if net.biases is None else list(net.biases)
    A = net.X
    for l, name in enumerate(net.activations):
        Z = Ws[l] @ A if bs is None else Ws[l] @ A + bs[l]
        top = float(np.max(np.abs(Z))) if Z.size else 0.0
        if top > TAME_NET_INPUT:
            f = 2.0 ** -math.ceil(math.log2(top / TAME_NET_INPUT))
            Ws[l], Z = Ws[l] * f, Z * f
            if bs is not None:
                bs[l] = bs[l] * f
        A = mb.ACTIVATIONS[name].g(Z)
    return replace(net, weights=Ws, biases=bs)
