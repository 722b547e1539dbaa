"""The lecture's backpropagation in matrix form ("역전파 2", SPEC §1–2).

Notation as in the slides; the layer index l runs 1..L and ``weights[l-1]`` is W[l]:

    A[0] = X
    Z[l] = W[l] A[l−1]                              net input (순입력)
    A[l] = g(Z[l]),  Ŷ = A[L]                       activation (활성화 함수)
    E    = ½ Σ Σ (Y − Ŷ)²                           error function (오차함수), summed
    E[L] = Y − Ŷ                                    output error (출력층의 오차)
    ΔW[l] = ∂E/∂W[l] = −E[l] · g′(Z[l]) · A[l−1]ᵀ   (slide step 4; ⊙ then matrix product)
    E[l−1] = W[l]ᵀ (E[l] ⊙ g′(Z[l]))                "exact" hidden error (the true gradient)
    E[l−1] = W[l]ᵀ E[l]                             "lecture" hidden error (lecture 8-3)
    W[l] := W[l] − α ΔW[l]                          (slide: 역전파의 가중치 조정)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .activations import Activation
from .validation import (
    validate_activations,
    validate_alpha,
    validate_hidden_error,
    validate_network,
)

__all__ = ["ActivationSpec", "Forward", "forward", "gradients", "loss", "step"]

Array = NDArray[np.floating]
ActivationSpec = str | Activation | Sequence[str | Activation]
"""One activation for every layer, or a sequence of L of them (names or Activation objects)."""


class Forward(NamedTuple):
    """The forward pass, indexed as in the slides.

    Z: ``Z[l]`` for l = 1..L (``Z[0]`` is None: there is no net input to the input layer);
       shape (n_l, m).
    A: ``A[l]`` for l = 0..L; ``A[0]`` is X and ``A[L]`` is Ŷ; shape (n_l, m).
    """

    Z: list[Array | None]
    A: list[Array]


def _forward(W: dict[int, Array], X: Array, g: dict[int, Activation]
             ) -> tuple[dict[int, Array], dict[int, Array]]:
    """Forward pass keeping what backprop needs: A[0..L] and g′(Z[1..L]) (which replaces Z)."""
    A = {0: X}                                # A[0] = X
    g_prime_Z: dict[int, Array] = {}
    for l in range(1, len(W) + 1):
        Z_l = W[l] @ A[l - 1]                 # Z[l] = W[l] A[l−1]
        A[l], g_prime_Z[l] = g[l].g_and_g_prime(Z_l)   # A[l] = g(Z[l]); g′(Z[l]) from the same exp
    return A, g_prime_Z


def _gradients(W: dict[int, Array], X: Array, Y: Array, g: dict[int, Activation],
               exact: bool) -> list[Array]:
    """The backward pass on validated arguments; W and g are indexed 1..L as in the slides."""
    L = len(W)
    A, g_prime_Z = _forward(W, X, g)
    dW: dict[int, Array] = {}

    E = Y - A[L]                              # E[L] = Y − Ŷ            (출력층의 오차)
    for l in range(L, 0, -1):
        delta = E * g_prime_Z.pop(l)          # δ[l] = E[l] ⊙ g′(Z[l])
        dW[l] = -(delta @ A[l - 1].T)         # ΔW[l] = −E[l] · g′(Z[l]) · A[l−1]ᵀ   (4단계)
        if l > 1:
            if exact:
                E = W[l].T @ delta            # E[l−1] = W[l]ᵀ (E[l] ⊙ g′(Z[l]))    exact
            else:
                E = W[l].T @ E                # E[l−1] = W[l]ᵀ E[l]                 lecture 8-3
        del A[l]                              # layer l's cache is no longer needed
    return [dW[l] for l in range(1, L + 1)]


def _validated(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
               activation: ActivationSpec
               ) -> tuple[dict[int, Array], Array, Array, dict[int, Activation]]:
    Ws, X_, Y_ = validate_network(weights, X, Y)
    assert Y_ is not None
    g = validate_activations(activation, len(Ws))
    return dict(enumerate(Ws, start=1)), X_, Y_, dict(enumerate(g, start=1))


def forward(weights: Sequence[ArrayLike], X: ArrayLike,
            activation: ActivationSpec = "sigmoid") -> Forward:
    """Run the network forward.

    weights: L arrays, ``weights[l-1]`` = W[l] of shape (n_l, n_{l−1}).
    X: (n_0, m), one sample per column.
    activation: a name (see ``ACTIVATIONS``), an ``Activation``, or a sequence of L of them.
    Returns ``Forward(Z, A)`` with Z[l], A[l] of shape (n_l, m), in the dtype of the inputs.
    """
    W, A0, _ = validate_network(weights, X)
    g = validate_activations(activation, len(W))
    Z: list[Array | None] = [None]
    A = [A0.copy()]
    for l in range(1, len(W) + 1):
        Z_l = W[l - 1] @ A[l - 1]             # Z[l] = W[l] A[l−1]
        Z.append(Z_l)
        A.append(g[l - 1].g(Z_l))             # A[l] = g(Z[l])
    return Forward(Z=Z, A=A)


def loss(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
         activation: ActivationSpec = "sigmoid") -> float:
    """E = ½ Σ_k Σ_samples (y_k − ŷ_k)², summed over outputs and samples (never averaged).

    weights: L arrays (n_l, n_{l−1}); X: (n_0, m); Y: (n_L, m). Returns a Python float.
    """
    W, X_, Y_, g = _validated(weights, X, Y, activation)
    A, _ = _forward(W, X_, g)
    E_L = Y_ - A[len(W)]                      # E[L] = Y − Ŷ
    return 0.5 * float(np.sum(E_L * E_L))


def gradients(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike,
              activation: ActivationSpec = "sigmoid", *,
              hidden_error: str = "exact") -> list[Array]:
    """ΔW[l] = ∂E/∂W[l] for every layer, by the slides' formula.

    weights: L arrays, ``weights[l-1]`` = W[l] of shape (n_l, n_{l−1}).
    X: (n_0, m). Y: (n_L, m).
    activation: a name, an ``Activation``, or a sequence of L of them.
    hidden_error: "exact" (default), E[l] = W[l+1]ᵀ(E[l+1] ⊙ g′(Z[l+1])), which makes every ΔW
        the true gradient; or "lecture", E[l] = W[l+1]ᵀE[l+1], the lecture's shortcut, which is
        the gradient only for the last layer (or when every later layer is linear).
    Returns a list of L arrays, ``[ΔW[1], ..., ΔW[L]]``, same shapes and dtype as the weights.
    """
    W, X_, Y_, g = _validated(weights, X, Y, activation)
    exact = validate_hidden_error(hidden_error) == "exact"
    return _gradients(W, X_, Y_, g, exact)


def step(weights: Sequence[ArrayLike], X: ArrayLike, Y: ArrayLike, alpha: float,
         activation: ActivationSpec = "sigmoid", *, hidden_error: str = "exact") -> list[Array]:
    """One gradient-descent step: W[l] := W[l] − α ΔW[l] (slide: 역전파의 가중치 조정).

    Arguments as in ``gradients``; alpha: the step size α > 0.
    Returns the new weights as a new list; the caller's arrays are not modified.
    """
    W, X_, Y_, g = _validated(weights, X, Y, activation)
    exact = validate_hidden_error(hidden_error) == "exact"
    alpha_ = validate_alpha(alpha)
    dW = dict(enumerate(_gradients(W, X_, Y_, g, exact), start=1))
    alpha = W[1].dtype.type(alpha_)
    return [W[l] - alpha * dW[l] for l in range(1, len(W) + 1)]   # W[l] := W[l] − α ΔW[l]


