"""Activation functions g and their derivatives g′, built-in and custom.

An activation is an ``Activation(name, g, g_prime)``: two elementwise functions of the net
input Z (any shape, float32 or float64) that return arrays of Z's shape,

* ``g(Z)``        — A = g(Z)                     (활성화 함수)
* ``g_prime(Z)``  — g′(Z), the elementwise derivative

and optionally ``g_and_g_prime(Z)``, both at once (the built-ins share their one exp/tanh per
element there; the kernel's forward pass calls it, or, for sigmoid, tanh and softplus, the same
computation done in place on its own Z, ``g_and_g_prime_in_place``). The six built-ins are defined
exactly like a user's own activation, ``Activation(name, g, g_prime, g_and_g_prime)``; a user
may also pass just a pair ``(g, g_prime)`` wherever an activation is expected.

The built-in forms are accurate for every finite z without overflow warnings: σ′(z) is
computed from e = exp(−|z|) as e / (1 + e)², never as σ(1 − σ) from a rounded σ (at z = 40,
σ rounds to 1 and σ(1 − σ) = 0, while σ′(40) = 4.2e-18). At the kinks the derivative follows
jax: relu′(0) = 0, leaky_relu′(0) = 1.

A custom activation's outputs are checked on every call (cheap, O(size)): they must have Z's
shape (a scalar such as ``1.0`` for g′ is an error: return ``np.ones_like(Z)``), they are cast
to Z's dtype (so ``(Z > 0).astype(float)`` keeps a float32 network float32), and they must be
finite. ``reference.check_activation(g, g_prime)`` checks g′ against ``jax.grad`` of g.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .blocks import in_blocks

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
    """An activation g with its derivative g′; all functions are elementwise and keep dtype.

    name: shown in messages and reports.
    g, g_prime: Z (any shape) -> array of Z's shape.
    g_and_g_prime: Z -> (g(Z), g′(Z)), optional: when omitted, it calls g and g_prime and checks
        their results (shape, dtype, finiteness; see the module docstring).
    g_and_g_prime_in_place: Z -> (g(Z), g′(Z)), optional, for the built-ins: like
        g_and_g_prime but it may overwrite Z and reuse its memory for A or g′(Z). The kernel
        passes its own Z[l], which it no longer needs, so the forward cache holds only A[l] and
        g′(Z[l]) and no time goes to fresh memory.
    """

    name: str
    g: Callable[[Array], Array]
    g_prime: Callable[[Array], Array]
    g_and_g_prime: Callable[[Array], tuple[Array, Array]] = field(  # type: ignore[assignment]
        default=None, compare=False)
    g_and_g_prime_in_place: Callable[[Array], tuple[Array, Array]] | None = field(
        default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str):
            raise TypeError(f"`name` of an Activation must be a str, got "
                            f"{type(self.name).__name__}")
        for what in ("g", "g_prime"):
            if not callable(getattr(self, what)):
                raise TypeError(f"`{what}` of Activation {self.name!r} must be a function of Z, "
                                f"got {type(getattr(self, what)).__name__}")
        if self.g_and_g_prime is None:
            object.__setattr__(self, "g", _checked(self.name, "g", self.g))
            object.__setattr__(self, "g_prime", _checked(self.name, "g′", self.g_prime))
            g, g_prime = self.g, self.g_prime
            object.__setattr__(self, "g_and_g_prime", lambda Z: (g(Z), g_prime(Z)))
        elif not callable(self.g_and_g_prime):
            raise TypeError(f"`g_and_g_prime` of Activation {self.name!r} must be a function of "
                            f"Z, got {type(self.g_and_g_prime).__name__}")

    @classmethod
    def from_pair(cls, g: Callable[[Array], Array], g_prime: Callable[[Array], Array],
                  name: str | None = None) -> Activation:
        """A custom activation from a (g, g′) pair; the name defaults to g's ``__name__``."""
        return cls(name if name is not None else getattr(g, "__name__", "custom"), g, g_prime)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _checked(name: str, what: str, f: Callable[[Array], Array]) -> Callable[[Array], Array]:
    """Wrap a user's g or g′: result of Z's shape, cast to Z's dtype, finite."""
    def checked(Z: Array) -> Array:
        out = np.asarray(f(Z))
        if out.shape != Z.shape:
            raise ValueError(f"activation {name!r}: {what}(Z) returned shape {out.shape} for Z of "
                             f"shape {Z.shape}; it must be elementwise (for a constant, return "
                             f"e.g. `np.ones_like(Z)`)")
        if out.dtype.kind not in "fiub":
            raise TypeError(f"activation {name!r}: {what}(Z) returned dtype {out.dtype}; "
                            f"expected real numbers")
        out = out.astype(Z.dtype, copy=False)
        with np.errstate(over="ignore", invalid="ignore"):
            finite = math.isfinite(float(np.sum(out)))
        if not finite and not np.all(np.isfinite(out)):
            k = int(np.argmax(~np.isfinite(out)))
            raise ValueError(f"activation {name!r}: {what}(z) = {out.ravel()[k]} at "
                             f"z = {Z.ravel()[k].item()!r}; g and g′ must be finite for finite z")
        return out
    checked.__name__ = getattr(f, "__name__", what)
    checked.unchecked = f  # type: ignore[attr-defined]   # the user's own function
    return checked


def _own_copy(Z: ArrayLike) -> Array:
    """A C-contiguous float copy of Z for the in-place functions (integers become float64)."""
    Z_ = np.asarray(Z)
    return np.array(Z_, dtype=Z_.dtype if Z_.dtype.kind == "f" else np.float64, order="C")


def _in_place_to_pure(both: Callable[[Array], tuple[Array, Array]]
                      ) -> Callable[[Array], tuple[Array, Array]]:
    """The pure g_and_g_prime of an in-place one: it works on a copy, never on the caller's Z."""
    return lambda Z: both(_own_copy(Z))


# --- sigmoid: σ(z) = 1 / (1 + e^−z),  σ′(z) = σ(z)(1 − σ(z)) ------------------------------
# One e = exp(−|z|) ∈ (0, 1] per element (never overflows) gives everything without cancellation:
#     r = 1/(1 + e) = σ(|z|) ≥ ½,   s = e·r = σ(−|z|) ≤ ½,
#     σ(z) = r for z ≥ 0 and s for z < 0,   σ′(z) = σ(z)σ(−z) = s·r = e/(1 + e)²,
# accurate even where σ rounds to 1 (σ(1 − σ) from a rounded σ would give 0 at z = 40).
def _e_and_r(z: Array, e: Array, r: Array) -> None:
    """e := exp(−|z|), r := 1/(1 + e) = σ(|z|); z is left as it is."""
    np.abs(z, out=e)
    np.negative(e, out=e)
    np.exp(e, out=e)                            # e = exp(−|z|)
    np.add(e, 1.0, out=r)
    np.reciprocal(r, out=r)                     # r = 1/(1 + e) = σ(|z|)


def _sigmoid_block(z: Array, e: Array, r: Array) -> None:
    """z := σ(z), e := σ′(z); r is scratch."""
    _e_and_r(z, e, r)
    np.copysign(r, z, out=z)                    # z := ±r, keeping only the sign of z
    np.multiply(e, r, out=e)                    # s = e·r = σ(−|z|)
    np.fmax(e, z, out=z)                        # A = σ(z) = max(s, ±r): r if z ≥ 0, s else
    np.multiply(e, r, out=e)                    # g′ = σ′(z) = s·r = e/(1 + e)²


_SMALL = 1024
"""Up to this many elements, the sigmoid is one expression: numpy's calls without ``out=`` cost
less than the blocked path's (about half at XOR's 4×4, measured); the same ufuncs in the same
order, so the same bits."""


def _sigmoid_small(Z: Array) -> tuple[Array, Array]:
    """σ(Z), σ′(Z) for a small Z, as _sigmoid_block computes them."""
    e = np.exp(-np.abs(Z))                      # e = exp(−|z|)
    r = np.reciprocal(e + 1.0)                  # r = 1/(1 + e) = σ(|z|)
    s = e * r                                   # s = e·r = σ(−|z|)
    return np.fmax(s, np.copysign(r, Z)), s * r   # σ(z) = max(s, ±r);  σ′(z) = s·r


def _sigmoid_in_place(Z: Array) -> tuple[Array, Array]:
    """A = σ(Z) in Z's memory, g′ = σ′(Z) in a new array."""
    if Z.size <= _SMALL:
        return _sigmoid_small(Z)
    G = np.empty_like(Z)
    in_blocks(_sigmoid_block, (Z, G), scratch=1)
    return Z, G


# --- tanh: g′(z) = 1 − tanh²(z) = 4e / (1 + e)² with e = exp(−2|z|) ---------------------------
# (1 − tanh² from a rounded tanh loses all accuracy for |z| ≳ 9; e keeps it.)
def _tanh_prime_block(z: Array, d: Array) -> None:
    """z := tanh′(z); d is scratch."""
    np.abs(z, out=z)
    np.multiply(z, -2.0, out=z)
    np.exp(z, out=z)                            # e = exp(−2|z|)
    np.add(z, 1.0, out=d)
    np.multiply(d, d, out=d)                    # (1 + e)²
    np.multiply(z, 4.0, out=z)
    np.divide(z, d, out=z)                      # g′ = 4e / (1 + e)²


def _tanh_in_place(Z: Array) -> tuple[Array, Array]:
    """A = tanh(Z) in a new array, g′ = tanh′(Z) in Z's memory."""
    A = np.tanh(Z)
    in_blocks(_tanh_prime_block, (Z,), scratch=1)
    return A, Z


def _tanh_prime(Z: Array) -> Array:
    G = _own_copy(Z)
    in_blocks(_tanh_prime_block, (G,), scratch=1)   # g′ alone: no tanh computed for nothing
    return G


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
# The same e = exp(−|z|) as the sigmoid gives g′ = σ(z); log1p(e) is the second transcendental.
def _softplus_block(z: Array, e: Array, r: Array, q: Array) -> None:
    """z := softplus(z), e := σ(z); r and q are scratch."""
    _e_and_r(z, e, r)                           # e = exp(−|z|), r = σ(|z|)
    np.log1p(e, out=q)                          # log1p(e) = log(1 + e^−|z|)
    np.multiply(e, r, out=e)                    # s = e·r = σ(−|z|)
    np.copysign(r, z, out=r)                    # ±r, with the sign of z
    np.fmax(e, r, out=e)                        # g′ = σ(z) = max(s, ±r): r if z ≥ 0, s else
    np.maximum(z, 0.0, out=z)
    np.add(z, q, out=z)                         # A = max(z, 0) + log1p(e^−|z|)


def _softplus_in_place(Z: Array) -> tuple[Array, Array]:
    """A = softplus(Z) in Z's memory, g′ = σ(Z) in a new array."""
    G = np.empty_like(Z)
    in_blocks(_softplus_block, (Z, G), scratch=2)
    return Z, G


def _make(name: str, both: Callable[[Array], tuple[Array, Array]],
          g_prime: Callable[[Array], Array] | None = None,
          in_place: Callable[[Array], tuple[Array, Array]] | None = None) -> Activation:
    return Activation(
        name=name,
        g=lambda Z: both(Z)[0],
        g_prime=g_prime if g_prime is not None else (lambda Z: both(Z)[1]),
        g_and_g_prime=both,
        g_and_g_prime_in_place=in_place,
    )


sigmoid = _make("sigmoid", _in_place_to_pure(_sigmoid_in_place), in_place=_sigmoid_in_place)
tanh = _make("tanh", _in_place_to_pure(_tanh_in_place), _tanh_prime, in_place=_tanh_in_place)
relu = _make("relu", _relu_both, _relu_prime)
leaky_relu = _make("leaky_relu", _leaky_relu_both)
identity = _make("identity", _identity_both)
softplus = _make("softplus", _in_place_to_pure(_softplus_in_place), in_place=_softplus_in_place)

ACTIVATIONS: dict[str, Activation] = {
    a.name: a for a in (sigmoid, tanh, relu, leaky_relu, identity, softplus)
}
"""The built-in activations by name."""
