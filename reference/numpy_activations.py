"""The six built-in activations in plain float64 numpy, for the reference's own computations
(the condition scale in ``condition.py`` and the forward pass of ``finite_differences.py``).

Written independently of the kernel's ``manual_backprop/activations.py`` (same accuracy goal:
no rounding of σ(−38) = 3e-17 to 0). An activation is a built-in name, an object whose ``name``
is one, or a custom (g, g′) pair of numpy functions (also an object with ``g`` and ``g_prime``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__: list[str] = []

F64 = NDArray[np.float64]
_BUILTIN = ("sigmoid", "tanh", "softplus", "relu", "leaky_relu", "identity")
NpFn = Callable[[F64], F64]


def _numpy_activation(a: Any) -> str | tuple[NpFn, NpFn]:
    """A built-in name (also an object whose ``name`` is one), or a custom (g, g′) pair of numpy
    functions (from a pair, or an object with ``g`` and ``g_prime``)."""
    if isinstance(a, str):
        if a not in _BUILTIN:
            raise ValueError(f"unknown activation {a!r}")
        return a
    if getattr(a, "name", None) in _BUILTIN:
        return str(a.name)
    if hasattr(a, "g") and hasattr(a, "g_prime"):
        return a.g, a.g_prime
    if isinstance(a, (tuple, list)) and len(a) == 2 and all(map(callable, a)):
        return a[0], a[1]
    raise TypeError(f"activation {a!r} must be a built-in name or a (g, g′) pair of numpy "
                    f"functions")


def _g_prime_np(name: Any, Z: F64) -> F64:
    name = _numpy_activation(name)
    if not isinstance(name, str):
        return np.asarray(name[1](Z), dtype=np.float64)
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


def _g_np(name: Any, Z: F64) -> F64:
    name = _numpy_activation(name)
    if not isinstance(name, str):
        return np.asarray(name[0](Z), dtype=np.float64)
    if name == "sigmoid":       # not ½(1 + tanh(z/2)): that rounds σ(−38) = 3e-17 to 0
        e: F64 = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
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
