"""What the test modules share: helpers that call the kernel and the oracles on a generated
Network, predicates on networks, and the worked example's numbers.

When the network has biases, each helper passes them on and returns the (dW, db) pair
(``mb.Gradients`` / ``reference.GradientsWithBiases``); otherwise the list [ΔW[1], ...].
``reference.assert_gradients_close`` accepts both forms.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from numpy.typing import NDArray

import manual_backprop as mb
import reference
from reference import Network, rtol_for
from reference.tolerances import max_relative_error

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


def jax_sees_the_same_net_inputs(net: Network) -> bool:
    """False if some net input is subnormal: XLA flushes it to 0, which moves relu/leaky_relu
    to the other side of their kink (a limitation of the oracle, not of the kernel)."""
    f = mb.forward(net.weights, net.X, net.activations)
    tiny = np.finfo(net.dtype).tiny
    return all(not np.any((Z != 0) & (np.abs(Z) < tiny)) for Z in f.Z if Z is not None)


def lecture_is_not_the_gradient(net: Network) -> bool:
    """True when some lecture ΔW[l] differs from jax.grad beyond the float64 tolerance."""
    return max_relative_error(kernel(net, "lecture"), jax_grad(net),
                              scale(net)) > rtol_for(np.float64)


# --- the worked example of lecture 8-3 (tests/test_worked_example.py) ------------------------
# The expected numbers were checked by hand from the slides' formulas (Z[1] = [0.1, 0.2, 0.3],
# A[1] = σ(Z[1]), Z[2] = W[2]A[1] = [0.3249048, 0.2174235], ...), to 10 decimals.

W1 = np.array([[0.1, 0.4], [0.2, 0.2], [0.3, 0.0]])
W2 = np.array([[0.3, 0.2, 0.1], [0.2, 0.1, 0.1]])
x = np.array([[1.0], [0.0]])
y = np.array([[1.0], [1.0]])

A1 = [0.5249791875, 0.5498339973, 0.5744425168]
Z2 = [0.3249048074, 0.2174234889]
Y_HAT = [0.5805191240, 0.5541427494]
DW2 = [[-0.0536269318, -0.0561658652, -0.0586796399],
       [-0.0578302951, -0.0605682341, -0.0632790424]]
DW1 = {  # the second column is 0 because x_2 = 0
    "exact": [[-0.0131362914, 0.0], [-0.0077833686, 0.0], [-0.0051900430, 0.0]],
    "lecture": [[-0.0536197671, 0.0], [-0.0318013996, 0.0], [-0.0211539097, 0.0]],
}


# -- the language of the output (tests/test_i18n.py) ---------------------------------------------

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_TOKEN = re.compile(r"[\w.\-/\[\]]+")          # a word with what may join it to a symbol
_ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}[.]?")


def word_counts(text: str) -> tuple[int, int]:
    """(Korean words, English words of three letters or more) in a command's output.

    A Korean word is a run of Hangul syllables. An English word is a token of three or more
    ASCII letters alone (a sentence's full stop allowed); what joins letters to digits, ``_``,
    ``/``, ``[ ]`` or an inner ``.`` is a symbol (``W[1]``, ``w_jk``, ``jax.grad``, a path), and
    a token that begins with ``-`` an option name (``--layers``): neither is counted."""
    korean = len(_HANGUL_WORD.findall(text))
    tokens = [t for t in _TOKEN.findall(text) if not t.startswith("-")]
    english = sum(1 for t in tokens if _ENGLISH_WORD.fullmatch(t))
    return korean, english
