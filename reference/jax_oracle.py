"""The first oracle: ``jax.grad`` of E = ½ΣΣ(Y − Ŷ)², built from ``jax.nn`` activations.

Nothing here uses the manual formulas. Every computation runs in float64 whatever the input
dtype (a float32 input is exactly representable in float64, so the oracle gives the
exact-arithmetic gradient of the very numbers the float32 kernel saw, up to float64 rounding),
in jax's 64-bit mode switched on for the call only (``reference.jax_scope``).

Fresh shapes are cheap: each network is zero-padded to a bucket of shapes (every width and the
batch rounded up to a power of two, at least 8) and the loss is masked to the real outputs and
samples, and the depth is rounded up to a multiple of 4 with pass-through layers after the
last real one, so one compiled function serves every network of the same bucket (with widths
and batch up to 8: every network of depth 1–4), and the activations are passed as data
(``lax.switch``) so mixing them costs no compilation. Padding is exact: padded weights and
padded bias entries are 0, so padded units add exact zeros to every real net input; a real bias
does reach the padded samples' columns, but the mask removes padded outputs and samples from
the loss, so their δ is exactly 0 and they add exact zeros to every ΔW and Δb (proved by a
property in the tests, padded == unpadded ``jax.grad``). A pass-through layer is a select,
A[l] = A[l−1], whose other branch is never taken: its δ is exactly 0, and the real layers
compute the same bits as without it (a test compares them bit for bit).

Biases: ``biases=[b1, ..., bL]`` (each (n_l, 1)) adds b[l] to Z[l], as one matrix product
[W b][A; 1] (see ``_net_input``); the result is then the pair ``GradientsWithBiases(dW, db)``.
Without biases nothing is added and the result is the list [ΔW[1], ..., ΔW[L]] as before.

Custom activations: each layer's activation may be a built-in name, an object whose ``name``
is a built-in name (such as ``manual_backprop.ACTIVATIONS["relu"]``), or a *jax-traceable*
function g (written with ``jax.numpy`` or plain arithmetic); a (g, g′) pair or a custom
``manual_backprop.Activation`` contributes its g (an object is mapped by its name first, so an
``Activation("relu", ...)`` of your own is checked against jax's relu). The oracle
differentiates g itself with ``jax.grad`` and never looks at the user's g′ (that is what it
checks). A g written with numpy
functions cannot be traced: that raises a ``TypeError`` saying so; check such a g′ with
``reference.check_activation``, which falls back to finite differences. Custom functions are
extra ``lax.switch`` branches, compiled once per distinct set of functions.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, overload

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from numpy.typing import ArrayLike, NDArray

from .jax_scope import in_x64
from .tolerances import GradientsWithBiases

__all__ = ["JAX_ACTIVATIONS", "activation_names", "gradients", "gradients_unpadded",
           "jax_activation", "loss"]

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


@in_x64
def jax_activation(activation: Any, where: str = "activation") -> Callable[[Any], Any] | str:
    """A built-in name, or the jax-traceable g of a custom activation (see the module doc)."""
    if isinstance(activation, str):
        if activation not in JAX_ACTIVATIONS:
            raise ValueError(f"`{where}` is {activation!r}, not a built-in activation; expected "
                             f"one of {', '.join(_NAMES)} or a jax-traceable function")
        return activation
    name = getattr(activation, "name", None)
    if name in JAX_ACTIVATIONS:                         # e.g. manual_backprop's built-ins
        return str(name)
    g = getattr(activation, "g", None)
    if g is None and isinstance(activation, (tuple, list)) and len(activation) == 2:
        g = activation[0]                               # a (g, g′) pair
    g = g if g is not None else activation
    g = getattr(g, "unchecked", g)                    # manual_backprop's shape/dtype checks
    if not callable(g):
        raise TypeError(f"`{where}` must be an activation name, a jax-traceable function g, "
                        f"or a (g, g′) pair, got {type(activation).__name__}")
    try:
        jax.eval_shape(g, jnp.zeros((2, 3)))
    except Exception as exc:  # numpy calls on tracers, Python control flow on values, ...
        raise TypeError(f"`{where}`: jax cannot trace g = {getattr(g, '__name__', g)!r} "
                        f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                        f"pass a jax.numpy version of g to the oracle, or check g′ with "
                        f"reference.check_activation, which uses finite differences") from None
    traceable: Callable[[Any], Any] = g
    return traceable


def activation_names(activation: Any, L: int) -> list[str]:
    """The per-layer built-in activation names, from one name or a sequence of L names."""
    resolved = _resolve(activation, L)
    for a in resolved:
        if not isinstance(a, str):
            raise ValueError(f"activation {a!r} is not a built-in; expected one of "
                             f"{', '.join(_NAMES)}")
    return [str(a) for a in resolved]


def _is_single(activation: Any) -> bool:
    return (isinstance(activation, str) or hasattr(activation, "name") or
            (isinstance(activation, (tuple, list)) and len(activation) == 2
             and all(callable(f) and not hasattr(f, "name") for f in activation))
            or callable(activation))


def _resolve(activation: Any, L: int) -> list[Callable[[Any], Any] | str]:
    if _is_single(activation):
        return [jax_activation(activation)] * L
    items = list(activation)
    if len(items) != L:
        raise ValueError(f"`activation` lists {len(items)} activation(s) for L = {L} layer(s)")
    return [jax_activation(a, f"activation[{i}]") for i, a in enumerate(items)]


def _as_f64(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
            biases: Sequence[ArrayLike] | None = None
            ) -> tuple[list[F64], F64, F64, list[F64] | None]:
    Ws = [np.asarray(W, dtype=np.float64) for W in weights]
    bs = (None if biases is None
          else [np.asarray(b, dtype=np.float64).reshape(-1, 1) for b in biases])
    return Ws, np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64), bs


def _net_input(W: Any, b: Any, A: Any, ones: Any) -> Any:
    """Z = W A, or with a bias Z = [W b] [A; 1] = W A + b as ONE matrix product.

    Not ``W @ A + b``: XLA on the CPU flushes a subnormal result of an elementwise add to zero
    (and not of a matrix product), which moves a relu's Z = 1e-320 onto its kink; the kernel
    (numpy) keeps it, and its relu′ = 1 would then disagree with jax's 0 by the whole gradient.
    ``ones`` is the row of 1s (0 in padded sample columns).
    """
    if b is None:
        return W @ A
    return jnp.concatenate([W, b], axis=1) @ jnp.concatenate([A, ones], axis=0)


def _masked_loss(Ws: tuple[Any, ...], bs: tuple[Any, ...] | None, X: Any, Y: Any, mask: Any,
                 ones: Any, act: Any, L: Any, branches: tuple[Callable[[Any], Any], ...]) -> Any:
    A = X                                            # A[0] = X
    for l, W in enumerate(Ws):
        Z = _net_input(W, None if bs is None else bs[l], A, ones)   # Z[l] = W[l] A[l−1] + b[l]
        A_l = lax.switch(act[l], branches, Z)        # A[l] = g(Z[l])
        # layers after the L real ones pass A on (they are square: n_L's bucket both ways)
        A = A_l if l == 0 or A_l.shape != A.shape else jnp.where(l < L, A_l, A)
    R = (Y - A) * mask                               # Y − Ŷ on the real outputs and samples
    return 0.5 * jnp.sum(R * R)                      # E = ½ΣΣ(Y − Ŷ)²


def _enable_compilation_cache() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The persistent compilation cache for the oracle's own compilations (``_compiled``).

    Every new process (each pytest-xdist worker, each ``check`` command) would otherwise compile
    its padded shape buckets again. The compiled executables go to
    ``$MANUAL_BACKPROP_JAX_CACHE_DIR``, else ``$XDG_CACHE_HOME/manual-backprop/jax``, else
    ``~/.cache/manual-backprop/jax``; ``MANUAL_BACKPROP_NO_JAX_CACHE=1`` turns it off. It is
    scoped: jax's cache directory and its threshold ``jax_persistent_cache_min_compile_time_secs``
    (1 s by default; ours compile in 0.05–0.5 s) are set only while the oracle's own functions
    run, so the user's own jax compilations are not cached by us; a cache directory the user
    configured for jax (``jax_compilation_cache_dir``, ``JAX_COMPILATION_CACHE_DIR``) is left
    alone and then used with the user's threshold. Returns the wrapper for ``_compiled``.
    """
    def unchanged(fn: Callable[..., Any]) -> Callable[..., Any]:
        return fn

    if os.environ.get("MANUAL_BACKPROP_NO_JAX_CACHE", "") not in ("", "0"):
        return unchanged
    try:
        from jax._src import config as jax_config  # the scoped (context-manager) settings
        cache_dir_state = jax_config.compilation_cache_dir
        min_time_state = jax_config.persistent_cache_min_compile_time_secs
        if cache_dir_state.value is not None or not jax_config.enable_compilation_cache.value:
            return unchanged                        # the user's own cache settings win
    except (ImportError, AttributeError):           # another jax: no cache, nothing else changes
        return unchanged
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    cache_dir = os.environ.get("MANUAL_BACKPROP_JAX_CACHE_DIR") or str(
        Path(base) / "manual-backprop" / "jax")

    def cached(fn: Callable[..., Any]) -> Callable[..., Any]:
        compiled: set[Any] = set()                  # shapes already compiled in this process

        def call(*args: Any) -> Any:
            shapes = _shapes(args)
            if shapes in compiled:                  # jit's own cache: no disk, no settings
                return fn(*args)
            with cache_dir_state(cache_dir), min_time_state(0.0), warnings.catch_warnings():
                # an entry another process is still writing, or an unwritable directory:
                # jax warns and compiles as if there were no cache, which is all we want
                warnings.filterwarnings("ignore", message="Error (reading|writing) persistent")
                out = fn(*args)
            compiled.add(shapes)
            return out
        return call

    return cached


def _shapes(args: Any) -> Any:
    """The shapes of a call's arrays (tuples and None kept as structure, other values by their
    type): what jit compiles for."""
    if isinstance(args, (tuple, list)):
        return tuple(_shapes(a) for a in args)
    if args is None:
        return None
    return getattr(args, "shape", type(args))


_with_compilation_cache = _enable_compilation_cache()


@lru_cache(maxsize=64)
def _compiled(custom: tuple[Callable[[Any], Any], ...]) -> tuple[Any, Any]:
    """jit(grad) and jit(loss) with the built-ins and these custom functions as branches."""
    f = partial(_masked_loss, branches=_BRANCHES + custom)
    return (_with_compilation_cache(jax.jit(jax.grad(f, argnums=(0, 1)))),
            _with_compilation_cache(jax.jit(f)))


def _bucket(n: int) -> int:
    return max(8, 1 << (n - 1).bit_length())


DEPTH_BUCKET = 4
"""The depth is padded to a multiple of this: a new depth costs a new compilation (0.2–1.5 s
in a new process), an extra pass-through layer of 8×8 costs microseconds."""


def _depth_bucket(L: int) -> int:
    return -(-L // DEPTH_BUCKET) * DEPTH_BUCKET


def _pad(a: F64, rows: int, cols: int) -> F64:
    out = np.zeros((rows, cols))
    out[: a.shape[0], : a.shape[1]] = a
    return out


def _padded_args(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike, activation: Any,
                 biases: Sequence[ArrayLike] | None = None) -> tuple[Any, ...]:
    Ws, X_, Y_, bs = _as_f64(weights, X, Y, biases)
    n = [X_.shape[0]] + [W.shape[0] for W in Ws]
    B = [_bucket(k) for k in n]
    mb = _bucket(X_.shape[1])
    L, pass_through = len(Ws), _depth_bucket(len(Ws)) - len(Ws)
    Wp = (tuple(_pad(W, B[l + 1], B[l]) for l, W in enumerate(Ws))
          + (np.zeros((B[-1], B[-1])),) * pass_through)
    bp = (None if bs is None                                          # padded entries are 0
          else tuple(_pad(b, B[l + 1], 1) for l, b in enumerate(bs))
          + (np.zeros((B[-1], 1)),) * pass_through)
    mask = _pad(np.ones_like(Y_), B[-1], mb)
    ones = _pad(np.ones((1, X_.shape[1])), 1, mb)
    resolved = _resolve(activation, len(Ws))
    custom = tuple(dict.fromkeys(a for a in resolved if not isinstance(a, str)))
    act = np.asarray([_NAMES.index(a) if isinstance(a, str) else len(_NAMES) + custom.index(a)
                      for a in resolved] + [_NAMES.index("identity")] * pass_through,
                     dtype=np.int64)         # numpy, not jnp: jnp.asarray of a list costs ~0.3 ms
    grad_fn, loss_fn = _compiled(custom)
    args = (Wp, bp, _pad(X_, B[0], mb), _pad(Y_, B[-1], mb), mask, ones, act, L)
    return Ws, bs, args, grad_fn, loss_fn


@overload
def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: Any = ..., *, biases: None = None) -> list[F64]: ...
@overload
def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: Any = ..., *, biases: Sequence[ArrayLike]) -> GradientsWithBiases: ...
@in_x64
def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: Any = "sigmoid", *, biases: Sequence[ArrayLike] | None = None
              ) -> list[F64] | GradientsWithBiases:
    """``jax.grad`` of ½ΣΣ(Y − Ŷ)² with respect to every W[l] (and b[l]), in float64.

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); Y: (n_L, m); activation: a name, a
    jax-traceable g, or L of them; biases: None or L arrays (n_l, 1).
    Returns ``[∂E/∂W[1], ..., ∂E/∂W[L]]`` as float64 numpy arrays, or with biases
    ``GradientsWithBiases(dW, db)`` with db[l-1] = ∂E/∂b[l] of shape (n_l, 1).
    """
    Ws, bs, args, grad_fn, _ = _padded_args(weights, X, Y, activation, biases)
    gW, gb = grad_fn(*args)
    dW = [np.asarray(G)[: W.shape[0], : W.shape[1]] for G, W in zip(gW, Ws)]
    if bs is None:
        return dW
    return GradientsWithBiases(dW, [np.asarray(G)[: b.shape[0]] for G, b in zip(gb, bs)])


@in_x64
def loss(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
         activation: Any = "sigmoid", *, biases: Sequence[ArrayLike] | None = None) -> float:
    """E = ½ΣΣ(Y − Ŷ)² computed by jax in float64 (same padding as ``gradients``)."""
    *_, args, _, loss_fn = _padded_args(weights, X, Y, activation, biases)
    return float(loss_fn(*args))


@overload
def gradients_unpadded(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                       activation: Any = ..., *, biases: None = None) -> list[F64]: ...
@overload
def gradients_unpadded(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                       activation: Any = ..., *, biases: Sequence[ArrayLike]
                       ) -> GradientsWithBiases: ...
@in_x64
def gradients_unpadded(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
                       activation: Any = "sigmoid", *, biases: Sequence[ArrayLike] | None = None
                       ) -> list[F64] | GradientsWithBiases:
    """Plain ``jax.grad`` on the unpadded network (compiles per shape; slow, used to prove
    that the padding in ``gradients`` is exact). Same arguments and result as ``gradients``."""
    Ws, X_, Y_, bs = _as_f64(weights, X, Y, biases)
    gs = [JAX_ACTIVATIONS[a] if isinstance(a, str) else a for a in _resolve(activation, len(Ws))]
    ones = jnp.ones((1, X_.shape[1]))

    def E(Ws: list[Any], bs: list[Any] | None) -> Any:
        A = jnp.asarray(X_)
        for l, (W, g) in enumerate(zip(Ws, gs)):
            A = g(_net_input(W, None if bs is None else bs[l], A, ones))
        return 0.5 * jnp.sum((Y_ - A) ** 2)

    gW, gb = jax.grad(E, argnums=(0, 1))([jnp.asarray(W) for W in Ws],
                                         None if bs is None else [jnp.asarray(b) for b in bs])
    dW = [np.asarray(G) for G in gW]
    return dW if gb is None else GradientsWithBiases(dW, [np.asarray(G) for G in gb])
