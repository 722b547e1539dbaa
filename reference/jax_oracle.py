"""The first oracle: ``jax.grad`` of E = ½ΣΣ(Y − Ŷ)², built from ``jax.nn`` activations.

Nothing here uses the manual formulas. 64-bit mode is switched on when ``reference`` is
imported, and every computation runs in float64 whatever the input dtype (a float32 input is
exactly representable in float64, so the oracle gives the exact-arithmetic gradient of the
very numbers the float32 kernel saw, up to float64 rounding).

Fresh shapes are cheap: each network is zero-padded to a bucket of shapes (every width and the
batch rounded up to a power of two, at least 8) and the loss is masked to the real outputs and
samples, so one compiled function serves every network of the same depth and bucket, and the
activations are passed as data (``lax.switch``) so mixing them costs no compilation. Padding is
exact: padded weights are 0, so padded units add exact zeros to every real net input, and the
mask removes padded outputs and samples from the loss (proved by a property in the tests,
padded == unpadded ``jax.grad``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import jax

jax.config.update("jax_enable_x64", True)  # type: ignore[no-untyped-call]

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402
from numpy.typing import ArrayLike, NDArray  # noqa: E402

__all__ = ["JAX_ACTIVATIONS", "activation_names", "gradients", "gradients_unpadded", "loss"]

F64 = NDArray[np.float64]

JAX_ACTIVATIONS: dict[str, Callable[[Any], Any]] = {
    "sigmoid": jax.nn.sigmoid,
    "tanh": jnp.tanh,
    "relu": jax.nn.relu,                                   # relu′(0) = 0
    "leaky_relu": partial(jax.nn.leaky_relu, negative_slope=0.01),   # leaky_relu′(0) = 1
    "identity": lambda z: z,
    "softplus": jax.nn.softplus,
}
_NAMES = tuple(JAX_ACTIVATIONS)
_BRANCHES = tuple(JAX_ACTIVATIONS[n] for n in _NAMES)


def activation_names(activation: Any, L: int) -> list[str]:
    """The per-layer activation names, from one name or a sequence of L names."""
    names = [activation] * L if isinstance(activation, str) else list(activation)
    if len(names) != L:
        raise ValueError(f"`activation` lists {len(names)} activation(s) for L = {L} layer(s)")
    for name in names:
        n = getattr(name, "name", name)
        if n not in JAX_ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; expected one of {', '.join(_NAMES)}")
    return [getattr(n, "name", n) for n in names]


def _as_f64(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike
            ) -> tuple[list[F64], F64, F64]:
    Ws = [np.asarray(W, dtype=np.float64) for W in weights]
    return Ws, np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)


def _masked_loss(Ws: tuple[Any, ...], X: Any, Y: Any, mask: Any, act: Any) -> Any:
    A = X                                            # A[0] = X
    for l, W in enumerate(Ws):
        A = lax.switch(act[l], _BRANCHES, W @ A)     # A[l] = g(W[l] A[l−1])
    R = (Y - A) * mask                               # Y − Ŷ on the real outputs and samples
    return 0.5 * jnp.sum(R * R)                      # E = ½ΣΣ(Y − Ŷ)²


_grad_padded = jax.jit(jax.grad(_masked_loss))
_loss_padded = jax.jit(_masked_loss)


def _bucket(n: int) -> int:
    return max(8, 1 << (n - 1).bit_length())


def _pad(a: F64, rows: int, cols: int) -> F64:
    out = np.zeros((rows, cols))
    out[: a.shape[0], : a.shape[1]] = a
    return out


def _padded_args(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike, activation: Any
                 ) -> tuple[list[F64], tuple[F64, ...], F64, F64, F64, Any]:
    Ws, X_, Y_ = _as_f64(weights, X, Y)
    n = [X_.shape[0]] + [W.shape[0] for W in Ws]
    b = [_bucket(k) for k in n]
    mb = _bucket(X_.shape[1])
    Wp = tuple(_pad(W, b[l + 1], b[l]) for l, W in enumerate(Ws))
    mask = _pad(np.ones_like(Y_), b[-1], mb)
    act = jnp.asarray([_NAMES.index(a) for a in activation_names(activation, len(Ws))])
    return Ws, Wp, _pad(X_, b[0], mb), _pad(Y_, b[-1], mb), mask, act


def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: Any = "sigmoid") -> list[F64]:
    """``jax.grad`` of ½ΣΣ(Y − Ŷ)² with respect to every W[l], in float64.

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); Y: (n_L, m); activation: a name or L names.
    Returns ``[∂E/∂W[1], ..., ∂E/∂W[L]]`` as float64 numpy arrays.
    """
    Ws, Wp, Xp, Yp, mask, act = _padded_args(weights, X, Y, activation)
    grads = _grad_padded(Wp, Xp, Yp, mask, act)
    return [np.asarray(G)[: W.shape[0], : W.shape[1]] for G, W in zip(grads, Ws)]


def loss(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
         activation: Any = "sigmoid") -> float:
    """E = ½ΣΣ(Y − Ŷ)² computed by jax in float64 (same padding as ``gradients``)."""
    _, Wp, Xp, Yp, mask, act = _padded_args(weights, X, Y, activation)
    return float(_loss_padded(Wp, Xp, Yp, mask, act))


def gradients_unpadded(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                       activation: Any = "sigmoid") -> list[F64]:
    """Plain ``jax.grad`` on the unpadded network (compiles per shape; slow, used to prove
    that the padding in ``gradients`` is exact)."""
    Ws, X_, Y_ = _as_f64(weights, X, Y)
    names = activation_names(activation, len(Ws))

    def E(Ws: list[Any]) -> Any:
        A = jnp.asarray(X_)
        for W, name in zip(Ws, names):
            A = JAX_ACTIVATIONS[name](W @ A)
        return 0.5 * jnp.sum((Y_ - A) ** 2)

    return [np.asarray(G) for G in jax.grad(E)([jnp.asarray(W) for W in Ws])]
