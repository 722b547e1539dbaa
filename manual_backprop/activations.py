"""Activation functions g and their derivatives g′ (SPEC §4).

Each activation is a small object with three pure functions:

* ``g(Z)``            — A = g(Z)                     (활성화 함수)
* ``g_prime(Z)``      — g′(Z), the elementwise derivative
* ``g_and_g_prime(Z)``— both at once, sharing the one transcendental (exp/tanh) per element;
                        this is what the kernel calls in its forward pass.

The forms are chosen to be accurate for every finite z without overflow warnings:
σ′(z) is computed from e = exp(−|z|) as e / (1 + e)², never as σ(1 − σ) from a rounded σ
(at z = 40, σ rounds to 1 and σ(1 − σ) = 0, while σ′(40) = 4.2e-18). At the kinks the
derivative follows jax: relu′(0) = 0, leaky_relu′(0) = 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ACTIVATIONS",
    "LEAKY_SLOPE",
    "Activation",
    "identity",
    "leaky_relu",
    "relu",
    "sigmoid",
    "softplus",
    "tanh",
]

Array = NDArray[np.floating]

LEAKY_SLOPE = 0.01
"""Negative slope of ``leaky_relu`` (as ``jax.nn.leaky_relu``'s default)."""


@dataclass(frozen=True)
class Activation:
    """An activation g with its derivative g′; all functions are elementwise and keep dtype."""

    name: str
    g: Callable[[Array], Array]
    g_prime: Callable[[Array], Array]
    g_and_g_prime: Callable[[Array], tuple[Array, Array]]

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


# --- sigmoid: σ(z) = 1 / (1 + e^−z),  σ′(z) = σ(z)(1 − σ(z)) ------------------------------
def _sigmoid_both(Z: Array) -> tuple[Array, Array]:
    e = np.exp(-np.abs(Z))                  # e = exp(−|z|) ∈ (0, 1]: never overflows
    r = 1.0 / (1.0 + e)                     # σ(|z|)
    A = np.where(Z >= 0, r, e * r)          # σ(z) = σ(|z|) for z ≥ 0, 1 − σ(|z|) = e·σ(|z|) else
    g_prime = e * r * r                     # σ′(z) = e / (1 + e)²: accurate even where σ ≈ 1
    return A, g_prime


# --- tanh: g′(z) = 1 − tanh²(z) = 4e / (1 + e)² with e = exp(−2|z|) ---------------------------
def _tanh_prime(Z: Array) -> Array:
    e = np.exp(-2.0 * np.abs(Z))
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _tanh_both(Z: Array) -> tuple[Array, Array]:
    return np.tanh(Z), _tanh_prime(Z)


# --- relu: g(z) = max(z, 0), g′(z) = 1 if z > 0 else 0 (g′(0) = 0, as jax) ---------------------
def _relu_prime(Z: Array) -> Array:
    return (Z > 0).astype(Z.dtype)


def _relu_both(Z: Array) -> tuple[Array, Array]:
    return np.where(Z > 0, Z, 0).astype(Z.dtype, copy=False), _relu_prime(Z)


# --- leaky_relu: g(z) = z if z ≥ 0 else 0.01 z (g′(0) = 1, as jax) ------------------------------
def _leaky_relu_both(Z: Array) -> tuple[Array, Array]:
    positive = Z >= 0
    A = np.where(positive, Z, LEAKY_SLOPE * Z).astype(Z.dtype, copy=False)
    g_prime = np.where(positive, 1.0, LEAKY_SLOPE).astype(Z.dtype, copy=False)
    return A, g_prime


# --- identity: g(z) = z, g′(z) = 1 -------------------------------------------------------------
def _identity_both(Z: Array) -> tuple[Array, Array]:
    return Z, np.ones_like(Z)


# --- softplus: g(z) = log(1 + e^z) = max(z, 0) + log1p(e^−|z|),  g′(z) = σ(z) -------------------
def _softplus_both(Z: Array) -> tuple[Array, Array]:
    e = np.exp(-np.abs(Z))
    A = np.maximum(Z, 0) + np.log1p(e)
    r = 1.0 / (1.0 + e)
    g_prime = np.where(Z >= 0, r, e * r)    # σ(z), from the same e
    return A, g_prime


def _make(name: str, both: Callable[[Array], tuple[Array, Array]],
          g_prime: Callable[[Array], Array] | None = None) -> Activation:
    return Activation(
        name=name,
        g=lambda Z: both(Z)[0],
        g_prime=g_prime if g_prime is not None else (lambda Z: both(Z)[1]),
        g_and_g_prime=both,
    )


sigmoid = _make("sigmoid", _sigmoid_both)
tanh = _make("tanh", _tanh_both, _tanh_prime)
relu = _make("relu", _relu_both, _relu_prime)
leaky_relu = _make("leaky_relu", _leaky_relu_both)
identity = _make("identity", _identity_both)
softplus = _make("softplus", _softplus_both)

ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (sigmoid, tanh, relu, leaky_relu, identity, softplus)
}
"""The built-in activations by name (SPEC §4)."""
