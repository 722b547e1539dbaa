"""The lecture's backpropagation in matrix form ("역전파 2"), with optional biases.

Notation as in the slides; the layer index l runs 1..L and ``weights[l-1]`` is W[l]:

    A[0] = X
    Z[l] = W[l] A[l−1] (+ b[l])                     net input (순입력); b[l] (n_l, 1) optional
    A[l] = g(Z[l]),  Ŷ = A[L]                       activation (활성화 함수)
    E    = ½ Σ Σ (Y − Ŷ)²                           error function (오차함수), summed
    E[L] = Y − Ŷ                                    output error (출력층의 오차)
    ΔW[l] = ∂E/∂W[l] = −E[l] · g′(Z[l]) · A[l−1]ᵀ   (slide step 4; ⊙ then matrix product)
    Δb[l] = ∂E/∂b[l] = −Σ_samples E[l] ⊙ g′(Z[l])   a column (n_l, 1): b[l] is a weight whose
                                                    input is always 1, so A[l−1]ᵀ becomes 1ᵀ
    E[l−1] = W[l]ᵀ (E[l] ⊙ g′(Z[l]))                "exact" hidden error (the true gradient)
    E[l−1] = W[l]ᵀ E[l]                             "lecture" hidden error (lecture 8-3)
    W[l] := W[l] − α ΔW[l],  b[l] := b[l] − α Δb[l] (slide: 역전파의 가중치 조정)

Without biases (the lecture) ``gradients`` returns the list [ΔW[1], ..., ΔW[L]] and ``step``
the list of new weights; with ``biases=[b1, ..., bL]`` they return the pairs
``Gradients(dW, db)`` and ``Parameters(weights, biases)``, which unpack as ``dW, db = ...``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .activations import ACTIVATIONS, Activation
from .blocks import multiply_in_place, subtract_in_place
from .validation import (
    validate_activations,
    validate_alpha,
    validate_arrays,
    validate_hidden_error,
)

__all__ = ["ActivationSpec", "Forward", "Gradients", "Parameters", "forward", "gradients", "loss",
           "step"]

Array = NDArray[np.floating]
_Fn = Callable[[Array], Array]
ActivationSpec = (str | Activation | tuple[_Fn, _Fn]
                  | Sequence[str | Activation | tuple[_Fn, _Fn]])
"""One activation for every layer, or a sequence of L of them: names, Activation objects or
(g, g′) pairs of functions."""


class Forward(NamedTuple):
    """The forward pass, indexed as in the slides.

    Z: ``Z[l]`` for l = 1..L (``Z[0]`` is None: there is no net input to the input layer);
       shape (n_l, m).
    A: ``A[l]`` for l = 0..L; ``A[0]`` is X and ``A[L]`` is Ŷ; shape (n_l, m).
    """

    Z: list[Array | None]
    A: list[Array]


class Gradients(NamedTuple):
    """∂E/∂W and ∂E/∂b when the network has biases; unpacks as ``dW, db = gradients(...)``."""

    dW: list[Array]   # dW[l-1] = ΔW[l], shape (n_l, n_{l−1})
    db: list[Array]   # db[l-1] = Δb[l], shape (n_l, 1)


class Parameters(NamedTuple):
    """The new weights and biases after ``step``; unpacks as ``weights, biases = step(...)``."""

    weights: list[Array]   # weights[l-1] = W[l], shape (n_l, n_{l−1})
    biases: list[Array]    # biases[l-1] = b[l], shape (n_l, 1)


Biases = dict[int, Array] | None

def _quiet_blas() -> np.errstate:
    """``np.errstate(invalid="ignore")``, which the public functions compute under.

    OpenBLAS (0.3.31 here) sometimes raises the FE_INVALID flag in float32 matrix products of
    strided or transposed *finite* operands (it computes on padding), which numpy reports as
    "invalid value encountered in matmul": a flaky warning found by the thorough Hypothesis
    profile (numpy issues #13173, #24067). Ignoring it hides nothing: the inputs are validated
    finite, every built-in g and g′ is finite for finite z and a custom one is checked, so a
    real NaN needs an overflow (inf) first, and overflow still warns.
    """
    return np.errstate(invalid="ignore")


def _activate(g: Activation, Z: Array) -> tuple[Array, Array]:
    """A = g(Z) and g′(Z) for the kernel's own Z, whose memory the built-ins reuse."""
    if g.g_and_g_prime_in_place is not None:
        return g.g_and_g_prime_in_place(Z)
    return g.g_and_g_prime(Z)


_BUILT_INS = frozenset(id(a) for a in ACTIVATIONS.values())


def _owns_outputs(g: Activation) -> bool:
    """A built-in's A = g(Z) is the kernel's own memory (a custom g may return an array its
    author keeps: never written to)."""
    return id(g) in _BUILT_INS


def _forward(W: dict[int, Array], X: Array, g: dict[int, Activation], b: Biases = None
             ) -> tuple[dict[int, Array], dict[int, Array]]:
    """Forward pass keeping what backprop needs: A[0..L] and g′(Z[1..L]) (which replaces Z)."""
    A = {0: X}                                # A[0] = X
    g_prime_Z: dict[int, Array] = {}
    for l in range(1, len(W) + 1):
        Z_l = W[l] @ A[l - 1]                 # Z[l] = W[l] A[l−1]
        if b is not None:
            Z_l += b[l]                       #        + b[l]  (a column, added to every sample)
        A[l], g_prime_Z[l] = _activate(g[l], Z_l)   # A[l] = g(Z[l]); g′(Z[l]) from the same exp
    return A, g_prime_Z


def _gradients(W: dict[int, Array], X: Array, Y: Array, g: dict[int, Activation],
               exact: bool, b: Biases = None) -> tuple[list[Array], list[Array]]:
    """The backward pass on validated arguments; W, g and b are indexed 1..L as in the slides.

    Returns ([ΔW[1..L]], [Δb[1..L]]); the second list is empty when b is None.
    """
    with _quiet_blas():
        return _backward(W, X, Y, g, exact, b)


def _backward(W: dict[int, Array], X: Array, Y: Array, g: dict[int, Activation],
              exact: bool, b: Biases) -> tuple[list[Array], list[Array]]:
    """D holds −E[l], the slide's error with its sign flipped, so that
    ΔW[l] = −E[l]·g′(Z[l])·A[l−1]ᵀ is one matrix product with no negation pass (negating is
    exact: the same bits as −(δ A[l−1]ᵀ)). Each cached A[l] and g′(Z[l]) is dropped as soon as
    it is used, so the peak holds the forward cache and the outputs, never more."""
    L = len(W)
    A, g_prime_Z = _forward(W, X, g, b)
    dW: dict[int, Array] = {}
    db: dict[int, Array] = {}

    D = A.pop(L)                              # Ŷ, whose memory −E[L] takes when it is ours
    D = subtract_in_place(D, Y) if _owns_outputs(g[L]) else D - Y   # −E[L] = Ŷ − Y  (출력층의 오차)
    for l in range(L, 0, -1):
        if l > 1 and not exact:
            D_prev = W[l].T @ D               # −E[l−1] = W[l]ᵀ(−E[l])               lecture 8-3
        multiply_in_place(D, g_prime_Z.pop(l))    # −δ[l] = −E[l] ⊙ g′(Z[l])
        dW[l] = D @ A.pop(l - 1).T            # ΔW[l] = −E[l] · g′(Z[l]) · A[l−1]ᵀ   (4단계)
        if b is not None:
            db[l] = D.sum(axis=1, keepdims=True)   # Δb[l] = −Σ_samples δ[l]
        if l > 1:
            D = W[l].T @ D if exact else D_prev   # −E[l−1] = W[l]ᵀ(−E[l] ⊙ g′(Z[l]))  exact
    return [dW[l] for l in range(1, L + 1)], [db[l] for l in sorted(db)]


def _validated(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
               activation: ActivationSpec, biases: Sequence[ArrayLike] | None = None,
               check_finite: bool = True
               ) -> tuple[dict[int, Array], Array, Array, dict[int, Activation], Biases]:
    if Y is None:          # to validate_arrays None means "no Y" (forward); here Y is needed
        raise TypeError("`Y` must be an array of numbers, got NoneType")
    Ws, X_, Y_, bs = validate_arrays(weights, X, Y, biases, check_finite)
    assert Y_ is not None
    g = validate_activations(activation, len(Ws))
    b = None if bs is None else dict(enumerate(bs, start=1))
    return dict(enumerate(Ws, start=1)), X_, Y_, dict(enumerate(g, start=1)), b


def forward(weights: Sequence[ArrayLike], X: ArrayLike,
            activation: ActivationSpec = "sigmoid", *,
            biases: Sequence[ArrayLike] | None = None, check_finite: bool = True) -> Forward:
    """Run the network forward.

    weights: L arrays, ``weights[l-1]`` = W[l] of shape (n_l, n_{l−1}).
    X: (n_0, m), one sample per column.
    activation: a name (see ``ACTIVATIONS``), an ``Activation``, a (g, g′) pair, or a sequence
        of L of them.
    biases: None (the lecture: no biases) or L arrays, ``biases[l-1]`` = b[l] of shape (n_l, 1).
    check_finite: True (default) proves every input finite first and names the first NaN or
        ±inf in a ValueError; False skips that read of the inputs, for data validated once
        (a NaN or ±inf then gives NaN, ±inf or meaningless results, no error).
    Returns ``Forward(Z, A)`` with Z[l], A[l] of shape (n_l, m), in the dtype of the inputs.
    """
    W, A0, _, bs = validate_arrays(weights, X, None, biases, check_finite)
    g = validate_activations(activation, len(W))
    Z: list[Array | None] = [None]
    A = [A0.copy()]
    with _quiet_blas():
        for l in range(1, len(W) + 1):
            Z_l = W[l - 1] @ A[l - 1]         # Z[l] = W[l] A[l−1]
            if bs is not None:
                Z_l += bs[l - 1]              #        + b[l]
            Z.append(Z_l)
            A.append(g[l - 1].g(Z_l))         # A[l] = g(Z[l])
    return Forward(Z=Z, A=A)


def loss(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
         activation: ActivationSpec = "sigmoid", *,
         biases: Sequence[ArrayLike] | None = None, check_finite: bool = True) -> float:
    """E = ½ Σ_k Σ_samples (y_k − ŷ_k)², summed over outputs and samples (never averaged).

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); Y: (n_L, m); biases: None or L arrays
    (n_l, 1); check_finite: as in ``forward``. Returns a Python float.
    """
    W, X_, Y_, g, b = _validated(weights, X, Y, activation, biases, check_finite)
    with _quiet_blas():
        A, _ = _forward(W, X_, g, b)
    E_L = Y_ - A[len(W)]                      # E[L] = Y − Ŷ
    return 0.5 * float(np.sum(E_L * E_L))


@overload
def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: ActivationSpec = ..., *, hidden_error: str = ...,
              biases: None = None, check_finite: bool = ...) -> list[Array]: ...
@overload
def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: ActivationSpec = ..., *, hidden_error: str = ...,
              biases: Sequence[ArrayLike], check_finite: bool = ...) -> Gradients: ...
def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: ActivationSpec = "sigmoid", *,
              hidden_error: str = "exact",
              biases: Sequence[ArrayLike] | None = None,
              check_finite: bool = True) -> list[Array] | Gradients:
    """ΔW[l] = ∂E/∂W[l] for every layer, by the slides' formula (and Δb[l] with biases).

    weights: L arrays, ``weights[l-1]`` = W[l] of shape (n_l, n_{l−1}).
    X: (n_0, m). Y: (n_L, m).
    activation: a name, an ``Activation``, a (g, g′) pair, or a sequence of L of them.
    hidden_error: "exact" (default), E[l] = W[l+1]ᵀ(E[l+1] ⊙ g′(Z[l+1])), which makes every ΔW
        the true gradient; or "lecture", E[l] = W[l+1]ᵀE[l+1], the lecture's shortcut, which is
        the gradient only for the last layer (or when every later layer is linear).
    biases: None (the lecture) or L arrays, ``biases[l-1]`` = b[l] of shape (n_l, 1).
    check_finite: as in ``forward``.
    Returns, without biases, a list of L arrays ``[ΔW[1], ..., ΔW[L]]``, same shapes and dtype
    as the weights; with biases, ``Gradients(dW, db)`` where ``db[l-1]`` = Δb[l] =
    −Σ_samples E[l] ⊙ g′(Z[l]) has shape (n_l, 1).
    """
    W, X_, Y_, g, b = _validated(weights, X, Y, activation, biases, check_finite)
    exact = validate_hidden_error(hidden_error) == "exact"
    dW, db = _gradients(W, X_, Y_, g, exact, b)
    return dW if b is None else Gradients(dW, db)


@overload
def step(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike, alpha: float,
         activation: ActivationSpec = ..., *, hidden_error: str = ...,
         biases: None = None, check_finite: bool = ...) -> list[Array]: ...
@overload
def step(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike, alpha: float,
         activation: ActivationSpec = ..., *, hidden_error: str = ...,
         biases: Sequence[ArrayLike], check_finite: bool = ...) -> Parameters: ...
def step(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike, alpha: float,
         activation: ActivationSpec = "sigmoid", *, hidden_error: str = "exact",
         biases: Sequence[ArrayLike] | None = None,
         check_finite: bool = True) -> list[Array] | Parameters:
    """One gradient-descent step: W[l] := W[l] − α ΔW[l] (slide: 역전파의 가중치 조정).

    Arguments as in ``gradients``; alpha: the step size α > 0.
    Returns the new weights as a new list; with biases, ``Parameters(weights, biases)`` with
    b[l] := b[l] − α Δb[l] as well. The caller's arrays are not modified.
    """
    W, X_, Y_, g, b = _validated(weights, X, Y, activation, biases, check_finite)
    exact = validate_hidden_error(hidden_error) == "exact"
    alpha_ = W[1].dtype.type(validate_alpha(alpha))
    dW, db = _gradients(W, X_, Y_, g, exact, b)
    new_W: list[Array] = [W[l] - alpha_ * dW[l - 1]               # W[l] := W[l] − α ΔW[l]
                          for l in range(1, len(W) + 1)]
    if b is None:
        return new_W
    new_b: list[Array] = [b[l] - alpha_ * db[l - 1] for l in range(1, len(W) + 1)]
    return Parameters(new_W, new_b)                  # b[l] := b[l] − α Δb[l]
