"""The lecture's derivation ("역전파 2", steps 1–4) with numbers.

By default the worked example of lecture 8-3: a 2-3-2 sigmoid network, x = [1, 0]ᵀ,
y = [1, 1]ᵀ. ``explain_network`` computes every quantity of the slides, indexed as in the
slides (layer l = 1..L, ``W[l]`` is ``weights[l-1]``):

    Z[l] = W[l] A[l−1],  A[l] = g(Z[l]),  Ŷ = A[L],  E = ½ΣΣ(Y − Ŷ)²
    E[L] = Y − Ŷ
    E[l] = W[l+1]ᵀ E[l+1]                  "lecture" (lecture 8-3)
    E[l] = W[l+1]ᵀ (E[l+1] ⊙ g′(Z[l+1]))   "exact"   (the chain rule)
    ΔW[l] = −E[l] · g′(Z[l]) · A[l−1]ᵀ     (step 4; under each definition of E[l])
    W[l] := W[l] − α ΔW[l]

and, for one weight w_jk of the last layer (stored at ``W[L][k, j]``, the index warning), the
three factors of step 3, Δw_jk = Σ_samples −(y_k − ŷ_k) · g′(z_k) · a_j.

Any depth works: steps 1–4 are about the last layer W[L] (W[2] in the slides); the section
"W[1] 의 오차함수 미분" is repeated for every earlier layer l = L−1, ..., 1, each E[l] built
from E[l+1] under its own definition; with L = 1 there is no hidden error at all.
jax.grad (from ``reference``, imported on call) is shown beside the exact ΔW.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..activations import ACTIVATIONS
from ..backprop import forward, gradients, loss, step
from ..i18n import _
from ..validation import HIDDEN_ERRORS, validate_activations, validate_alpha, validate_network

__all__ = ["WORKED_EXAMPLE", "Explanation", "WeightTrace", "explain_network", "to_json"]

Array = NDArray[np.floating]

WORKED_EXAMPLE: dict[str, Any] = {
    "weights": [[[0.1, 0.4], [0.2, 0.2], [0.3, 0.0]], [[0.3, 0.2, 0.1], [0.2, 0.1, 0.1]]],
    "X": [[1.0], [0.0]], "Y": [[1.0], [1.0]], "activation": "sigmoid", "alpha": 0.5,
}
"""The worked example of lecture 8-3; α = 0.5 is our choice, the slides leave it open."""


@dataclass(frozen=True)
class WeightTrace:
    """Step 3 for one weight w_jk of layer L: per sample s, the factors of
    Δw_jk = −(y_k − ŷ_k) · g′(z_k) · a_j, and their sum; w_jk is stored at W[L][k, j]."""

    layer: int
    j: int
    k: int
    w_jk: float
    error: list[float]      # y_k − ŷ_k per sample
    g_prime: list[float]    # g′(z_k) per sample
    a_j: list[float]        # a_j = A[L−1][j] per sample
    terms: list[float]      # −(y_k − ŷ_k) · g′(z_k) · a_j per sample
    dw_jk: float            # their sum
    matrix_entry: float     # ΔW[L][k, j] from the matrix form (step 4)


@dataclass(frozen=True)
class Explanation:
    """Every quantity of the slides; dicts are keyed by the slides' layer index l.

    W[l]: (n_l, n_{l−1}); Z[l], A[l], g_prime[l] = g′(Z[l]): (n_l, m); A[0] = X; Y: (n_L, m).
    E[h][l] and dW[h][l]: the hidden error and ΔW[l] under definition h ∈ {"exact", "lecture"};
    W_new[h][l] = W[l] − α dW[h][l]; loss_new[h] = E after that step.
    jax_grad[l]: jax.grad's ∂E/∂W[l] (float64), or None if jax is not installed.
    """

    activation: list[str]
    alpha: float
    W: dict[int, Array]
    Y: Array
    Z: dict[int, Array]
    A: dict[int, Array]
    g_prime: dict[int, Array]
    loss: float
    E: dict[str, dict[int, Array]]
    dW: dict[str, dict[int, Array]]
    jax_grad: dict[int, Array] | None
    W_new: dict[str, dict[int, Array]]
    loss_new: dict[str, float]
    weight: WeightTrace

    @property
    def L(self) -> int:
        return len(self.W)

    @property
    def m(self) -> int:
        return int(self.A[0].shape[1])


def _jax_gradients(weights: list[Array], X: Array, Y: Array, activation: list[str]
                   ) -> dict[int, Array] | None:
    try:
        import reference
    except ImportError:     # jax is a dependency, but explain still works without it
        return None
    return dict(enumerate(reference.gradients(weights, X, Y, activation), start=1))


def explain_network(weights: Sequence[Any], X: Any, Y: Any,
                    activation: str | Sequence[str] = "sigmoid", alpha: float = 0.5,
                    j: int = 0, k: int = 0, *, with_jax: bool = True) -> Explanation:
    """Compute every quantity of the derivation (float64).

    weights: L arrays, ``weights[l-1]`` = W[l] of shape (n_l, n_{l−1}); X: (n_0, m);
    Y: (n_L, m); activation: one name or L names; alpha: α > 0.
    j, k: the weight w_jk of the last layer traced through step 3 (0-based: j a node of layer
    L−1, k a node of layer L; it is stored at W[L][k, j]).
    with_jax: also compute jax.grad (imports jax through ``reference``).
    """
    Ws, X_, Y_ = validate_network([np.asarray(W, dtype=np.float64) for W in weights],
                                  np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64))
    assert Y_ is not None
    names = [a.name for a in validate_activations(activation, len(Ws))]
    alpha = validate_alpha(alpha)
    L = len(Ws)
    n_prev, n_out = Ws[-1].shape[1], Ws[-1].shape[0]
    if not (0 <= j < n_prev and 0 <= k < n_out):
        raise ValueError(_("`j, k` = {j}, {k} is not a weight of W[{L}], which has shape "
                           "{shape}: expected 0 <= j < {n_prev} (node of layer {prev}) and "
                           "0 <= k < {n_out} (node of layer {L})"
                           ).format(j=j, k=k, L=L, shape=Ws[-1].shape, n_prev=n_prev,
                                    prev=L - 1, n_out=n_out))

    W = dict(enumerate(Ws, start=1))
    f = forward(Ws, X_, names)
    Z = {l: z for l, z in enumerate(f.Z) if z is not None}
    A = dict(enumerate(f.A))
    g_prime = {l: ACTIVATIONS[names[l - 1]].g_prime(Z[l]) for l in range(1, L + 1)}

    E: dict[str, dict[int, Array]] = {}
    for h in HIDDEN_ERRORS:
        E[h] = {L: Y_ - A[L]}                                    # E[L] = Y − Ŷ  (출력층의 오차)
        for l in range(L - 1, 0, -1):
            if h == "exact":
                E[h][l] = W[l + 1].T @ (E[h][l + 1] * g_prime[l + 1])   # W[l+1]ᵀ(E[l+1] ⊙ g′)
            else:
                E[h][l] = W[l + 1].T @ E[h][l + 1]                      # W[l+1]ᵀ E[l+1]
    dW = {h: dict(enumerate(gradients(Ws, X_, Y_, names, hidden_error=h), start=1))
          for h in HIDDEN_ERRORS}
    W_new = {h: dict(enumerate(step(Ws, X_, Y_, alpha, names, hidden_error=h), start=1))
             for h in HIDDEN_ERRORS}
    loss_new = {h: loss(list(W_new[h].values()), X_, Y_, names) for h in HIDDEN_ERRORS}

    e_k, gp_k, a_j = E["exact"][L][k], g_prime[L][k], A[L - 1][j]
    terms = -e_k * gp_k * a_j                                    # 3단계, one term per sample
    trace = WeightTrace(L, j, k, float(W[L][k, j]), e_k.tolist(), gp_k.tolist(), a_j.tolist(),
                        terms.tolist(), float(np.sum(terms)), float(dW["exact"][L][k, j]))
    return Explanation(names, alpha, W, Y_, Z, A, g_prime, loss(Ws, X_, Y_, names), E, dW,
                       _jax_gradients(Ws, X_, Y_, names) if with_jax else None, W_new,
                       loss_new, trace)


def to_json(ex: Explanation) -> dict[str, Any]:
    """Every quantity as JSON: matrices as lists of rows, layers keyed "1".."L" (strings)."""
    def layers(d: dict[int, Array]) -> dict[str, Any]:
        return {str(l): d[l].tolist() for l in sorted(d)}

    t = ex.weight
    return {
        "L": ex.L, "m": ex.m, "activation": ex.activation, "alpha": ex.alpha,
        "W": layers(ex.W), "X": ex.A[0].tolist(), "Y": ex.Y.tolist(),
        "Z": layers(ex.Z), "A": layers(ex.A), "Y_hat": ex.A[ex.L].tolist(), "loss": ex.loss,
        "g_prime_Z": layers(ex.g_prime),
        "E": {h: layers(ex.E[h]) for h in HIDDEN_ERRORS},
        "dW": {h: layers(ex.dW[h]) for h in HIDDEN_ERRORS},
        "jax_grad": None if ex.jax_grad is None else layers(ex.jax_grad),
        "W_new": {h: layers(ex.W_new[h]) for h in HIDDEN_ERRORS},
        "loss_new": dict(ex.loss_new),
        "weight": {"layer": t.layer, "j": t.j, "k": t.k, "stored_at": f"W[{t.layer}][{t.k}, {t.j}]",
                   "w_jk": t.w_jk, "y_k_minus_y_hat_k": t.error, "g_prime_z_k": t.g_prime,
                   "a_j": t.a_j, "terms": t.terms, "dw_jk": t.dw_jk,
                   "matrix_entry": t.matrix_entry},
    }
