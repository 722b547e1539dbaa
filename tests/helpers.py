"""Small helpers shared by the tests: call the kernel and the oracles on a generated Network.

When the network has biases, each helper passes them on and returns the (dW, db) pair
(``mb.Gradients`` / ``reference.GradientsWithBiases``); otherwise the list [ΔW[1], ...].
``reference.assert_gradients_close`` accepts both forms.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

import manual_backprop as mb
import reference
from reference import Network

Array = NDArray[np.floating]


def kernel(net: Network, hidden_error: str = "exact") -> Any:
    """mb.gradients on the network: [ΔW[l]] or Gradients(dW, db)."""
    return mb.gradients(net.weights, net.X, net.Y, net.activations, hidden_error=hidden_error,
                        biases=net.biases)


def jax_grad(net: Network) -> Any:
    """reference.gradients (jax.grad, float64): [∂E/∂W[l]] or (dW, db)."""
    return reference.gradients(net.weights, net.X, net.Y, net.activations, biases=net.biases)


def scale(net: Network, hidden_error: str = "exact") -> Any:
    """reference.condition_scale for the kernel's dtype: [scale(ΔW[l])] or (dW, db) scales."""
    return reference.condition_scale(net.weights, net.X, net.Y, net.activations, hidden_error,
                                     net.dtype, biases=net.biases)


def flat(grads: Any) -> list[Array]:
    """[ΔW[1], ..., ΔW[L]] or, with biases, [ΔW[1], ..., ΔW[L], Δb[1], ..., Δb[L]]."""
    return [*grads.dW, *grads.db] if hasattr(grads, "db") else list(grads)


def dW_of(grads: Any) -> list[Array]:
    """The ΔW list of either form."""
    return list(grads.dW) if hasattr(grads, "db") else list(grads)


def parameter_shapes(net: Network) -> list[tuple[int, ...]]:
    """Shapes of [W[1..L]] and, with biases, [b[1..L]]: what ``flat`` of a gradient must have."""
    return [W.shape for W in net.weights] + [b.shape for b in net.biases or []]


def after_kinks(net: Network, *grads: Any) -> tuple[int, list[Any]]:
    """k, the last layer whose relu/leaky_relu input is within rounding (or jax's subnormal
    flush) of the kink (0 if none; ``reference.tolerances.kink_ambiguous_layers``), and each of
    ``grads`` cut to the layers k+1..L that such a kink cannot reach."""
    from reference.tolerances import GradientsWithBiases, kink_ambiguous_layers

    k = max(kink_ambiguous_layers(net.weights, net.X, net.activations, net.dtype,
                                  biases=net.biases), default=0)
    if k:
        from tests import _stats
        _stats.count(f"note: of these, a relu input within rounding of its kink, layers 1..k "
                     f"not compared ({net.dtype})")
    return k, [GradientsWithBiases(list(g.dW[k:]), list(g.db[k:])) if hasattr(g, "db")
               else list(g)[k:] for g in grads]
