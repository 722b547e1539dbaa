"""Small helpers shared by the tests: call the kernel and the oracles on a generated Network."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

import manual_backprop as mb
import reference
from reference import Network

Array = NDArray[np.floating]


def kernel(net: Network, hidden_error: str = "exact") -> list[Array]:
    return mb.gradients(net.weights, net.X, net.Y, net.activations, hidden_error=hidden_error)


def jax_grad(net: Network) -> list[NDArray[np.float64]]:
    return reference.gradients(net.weights, net.X, net.Y, net.activations)


def scale(net: Network, hidden_error: str = "exact") -> list[NDArray[np.float64]]:
    return reference.condition_scale(net.weights, net.X, net.Y, net.activations, hidden_error,
                                     net.dtype)
