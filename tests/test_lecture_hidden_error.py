"""The lecture's hidden error E[l] = W[l+1]ᵀE[l+1]: where it agrees, and where not.

The first two properties run with and without biases (Δb[l] = −Σ_samples E[l] ⊙ g′(Z[l]) uses
the same hidden error as ΔW[l])."""

from __future__ import annotations

import numpy as np
from hypothesis import find, given, settings

import reference
from reference import networks, rtol_for
from tests import _stats
from tests.helpers import (
    after_kinks,
    dW_of,
    flat,
    jax_grad,
    kernel,
    lecture_is_not_the_gradient,
    scale,
)

F64 = (np.dtype(np.float64),)


@given(networks(biases=None))
def test_last_layer_is_exact_under_both_definitions(net: reference.Network) -> None:
    """ΔW[L] (and Δb[L]) never involve a hidden error, so both definitions give the same bits."""
    lecture, exact = kernel(net, "lecture"), kernel(net, "exact")
    np.testing.assert_array_equal(dW_of(lecture)[-1], dW_of(exact)[-1])
    if net.biases is not None:
        np.testing.assert_array_equal(lecture.db[-1], exact.db[-1])
    _stats.count("lecture ΔW[L] == exact ΔW[L]")


@given(networks(min_depth=2, last_activations=("identity",), biases=None))
def test_hidden_layers_are_exact_when_every_later_layer_is_linear(net: reference.Network) -> None:
    """With g′ ≡ 1 after layer 1, E ⊙ g′ = E and the two definitions coincide (bit for bit),
    and both equal jax.grad."""
    lecture, exact = kernel(net, "lecture"), kernel(net, "exact")
    for i, (a, b) in enumerate(zip(flat(lecture), flat(exact))):
        np.testing.assert_array_equal(a, b, err_msg=f"gradient {i} (ΔW[1..L], then Δb[1..L])")
    k, (lecture, expected, s) = after_kinks(net, lecture, jax_grad(net), scale(net))
    reference.assert_gradients_close(lecture, expected, s, rtol_for(net.dtype),
                                     what=f"lecture ΔW[{k + 1}..L] with linear later layers")
    _stats.count("lecture == exact, linear later layers")


def test_hypothesis_finds_where_the_lecture_is_not_the_gradient() -> None:
    """Otherwise the lecture's ΔW[1] is not ∂E/∂W[1]: Hypothesis finds and shrinks a network."""
    found = find(networks(dtypes=F64, activations=("sigmoid", "tanh", "softplus")),
                 lecture_is_not_the_gradient,
                 settings=settings(database=None, derandomize=True, max_examples=2000))
    print("\nminimal network where the lecture's hidden error is not the gradient:\n", found)
    assert len(found.weights) >= 2
    assert found.activations[-1] != "identity"
    lecture, exact = kernel(found, "lecture"), kernel(found, "exact")
    assert any(not np.allclose(a, b) for a, b in zip(lecture[:-1], exact[:-1]))  # a hidden ΔW
    np.testing.assert_array_equal(lecture[-1], exact[-1])
