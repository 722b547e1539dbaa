"""The hand-written kernel equals jax.grad and finite differences on every generated network,
with and without biases (``networks(biases=None)``: Hypothesis decides per network)."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import manual_backprop as mb
import reference
from reference import FD_RTOL, assert_gradients_close, jax_oracle, networks, rtol_for
from reference.tolerances import loss_scale, relative_errors
from tests import _stats
from tests.helpers import after_kinks, flat, jax_grad, kernel, parameter_shapes, scale


@given(networks(biases=None))
def test_exact_kernel_equals_jax_grad(net: reference.Network) -> None:
    got = kernel(net)
    assert isinstance(got, list if net.biases is None else mb.Gradients)
    assert [g.dtype for g in flat(got)] == [net.dtype] * len(flat(got))
    assert [g.shape for g in flat(got)] == parameter_shapes(net)
    k, (got, expected, s) = after_kinks(net, got, jax_grad(net), scale(net))
    err = assert_gradients_close(got, expected, s, rtol_for(net.dtype), what=f"ΔW[{k + 1}..L]")
    bias = "" if net.biases is None else ", biases"
    _stats.record(f"kernel vs jax.grad ({net.dtype}{bias})", err)


@given(networks(biases=None))
def test_loss_equals_jax_loss(net: reference.Network) -> None:
    got = mb.loss(net.weights, net.X, net.Y, net.activations, biases=net.biases)
    expected = reference.loss(net.weights, net.X, net.Y, net.activations, biases=net.biases)
    err = abs(got - expected) / loss_scale(net.weights, net.X, net.Y, net.activations, net.dtype,
                                           biases=net.biases)
    assert err <= rtol_for(net.dtype), f"loss: expected {expected!r}, got {got!r}, rel {err:.3g}"
    _stats.count("loss vs jax")


def _worst_valid(what: str, got: list[np.ndarray], fd: reference.FiniteDifferences,
                 scale_: list[np.ndarray]) -> float:
    # FD's own error is absolute, ~eps·E/h + h²·f‴; measure against scale + E (FD_RTOL doc).
    fd_scale = [s + e for s, e in zip(scale_, fd.stencil_loss)]
    worst = 0.0
    for l, (r, ok) in enumerate(zip(relative_errors(got, fd.gradients, fd_scale), fd.valid),
                                start=1):
        if ok.any():
            k, j = np.unravel_index(np.argmax(np.where(ok, r, -1.0)), r.shape)
            assert r[k, j] <= FD_RTOL, (
                f"{what}[{l}][k={k}, j={j}]: finite differences {fd.gradients[l - 1][k, j]!r}, "
                f"kernel {got[l - 1][k, j]!r}, relative error {r[k, j]:.3g}")
            worst = max(worst, float(r[k, j]))
    return worst


@given(networks(dtypes=(np.dtype(np.float64),), biases=None))
def test_exact_kernel_equals_finite_differences(net: reference.Network) -> None:
    fd = reference.finite_differences(net.weights, net.X, net.Y, net.activations,
                                      biases=net.biases)
    got, s = kernel(net), scale(net)
    if net.biases is None:
        worst = _worst_valid("ΔW", got, fd, s)
    else:
        assert fd.biases is not None
        worst = max(_worst_valid("ΔW", got.dW, fd, s.dW),
                    _worst_valid("Δb", got.db, fd.biases, s.db))
    _stats.record("kernel vs finite differences (float64)", worst)


@given(networks(max_depth=3, max_width=5, max_batch=4, biases=None),
       st.sampled_from(mb.HIDDEN_ERRORS))
def test_elementwise_form_equals_matrix_form(net: reference.Network, hidden_error: str) -> None:
    got = mb.gradients_elementwise(net.weights, net.X, net.Y, net.activations,
                                   hidden_error=hidden_error, biases=net.biases)
    assert [g.dtype for g in flat(got)] == [net.dtype] * len(flat(got))
    assert_gradients_close(got, kernel(net, hidden_error), scale(net, hidden_error),
                           rtol_for(net.dtype), what=f"elementwise ΔW ({hidden_error})")
    _stats.count("elementwise vs matrix")


# A quarter of the budget: the unpadded jax.grad runs eagerly and compiles every primitive for
# every new shape (measured: 100 networks in 9.4 s; jit per shape was slower, 10.6 s).
@settings(max_examples=max(10, settings.default.max_examples // 4))
@given(networks(dtypes=(np.dtype(np.float64),), max_width=3, max_batch=3, biases=None))
def test_padding_in_the_reference_is_exact(net: reference.Network) -> None:
    """reference.gradients pads to fixed shapes (padded weights and bias entries are 0); that
    must equal plain jax.grad."""
    padded = jax_grad(net)
    plain = reference.gradients_unpadded(net.weights, net.X, net.Y, net.activations,
                                         biases=net.biases)
    assert_gradients_close(padded, plain, scale(net), rtol_for(np.float64),
                           what="padded jax.grad")
    _stats.count("padded vs unpadded jax.grad")


@given(networks(dtypes=(np.dtype(np.float64),), max_depth=7, biases=None))
def test_the_pass_through_layers_of_the_depth_padding_change_no_bit(
        net: reference.Network) -> None:
    """reference.gradients pads the depth to a multiple of 4 with pass-through layers (one
    compiled function for depths 1–4); the gradients and the loss must be the very bits of the
    same computation without them."""
    args = (net.weights, net.X, net.Y, net.activations)
    padded = reference.gradients(*args, biases=net.biases)
    padded_loss = reference.loss(*args, biases=net.biases)
    with mock.patch.object(jax_oracle, "DEPTH_BUCKET", 1):
        assert jax_oracle._depth_bucket(len(net.weights)) == len(net.weights)
        plain = reference.gradients(*args, biases=net.biases)
        plain_loss = reference.loss(*args, biases=net.biases)
    for l, (p, q) in enumerate(zip(flat(padded), flat(plain), strict=True)):
        assert np.array_equal(p, q), f"parameter {l}: {p!r} != {q!r}"
    assert padded_loss == plain_loss
    _stats.count("depth-padded vs unpadded depth")


def test_a_subnormal_net_input_at_a_kink_is_compared_only_after_that_layer() -> None:
    """Found by the thorough profile: Z[3] = −2.2e-308 · σ(0) = −1.1e-308 is subnormal; numpy
    keeps it (leaky_relu′ = 0.01) and jax flushes it to 0 (leaky_relu′ = 1), so ΔW[1..3] differ
    by O(1) and only ΔW[4] is comparable."""
    net = reference.Network(
        [np.array([[0.0]]), np.array([[0.0]]), np.array([[-2.2250738585072014e-308]]),
         np.array([[1.0]])], np.array([[0.0]]), np.array([[0.0]]),
        ["sigmoid", "sigmoid", "leaky_relu", "sigmoid"], np.dtype(np.float64))
    got, expected = kernel(net), jax_grad(net)
    assert mb.forward(net.weights, net.X, net.activations).Z[3][0, 0] < 0
    assert got[2][0, 0] == pytest.approx(0.01 * expected[2][0, 0])    # leaky′: 0.01 vs 1
    k, (g, e, s) = after_kinks(net, got, expected, scale(net))
    assert k == 3 and len(g) == 1
    assert_gradients_close(g, e, s, rtol_for(np.float64))


def test_a_subnormal_derivative_flushed_by_jax_is_within_the_underflow_term() -> None:
    """Found by the thorough profile: Z[1] = −708.74 gives σ(Z[1]) = σ′(Z[1]) = 1.58e-308,
    subnormal; numpy keeps it and jax flushes it to 0, and E[1] = 656100, X = 28.8 carry it to
    ΔW[1] = 2.985e-301 (kernel, the true value) against 0 (jax). That is an absolute error
    below tiny in g′, which the condition scale's underflow term must cover (docs/numerics.md,
    "Underflow")."""
    net = reference.Network(
        [np.array([[-1.625, -23.0]]), np.array([[2.0], [2.0], [2.0]]),
         np.array([[18.0, 18.0, 18.0]]), np.array([[30.0]])],
        np.array([[28.78125], [28.78125]]), np.array([[0.0]]),
        ["sigmoid", "sigmoid", "relu", "relu"], np.dtype(np.float64))
    got, expected = kernel(net), jax_grad(net)
    sigma = 1.0 / (1.0 + np.exp(708.73828125))                # 1.58e-308, subnormal
    assert 0 < sigma < np.finfo(np.float64).tiny
    np.testing.assert_allclose(got[0], 656100.0 * sigma * 28.78125, rtol=1e-12)
    assert expected[0].tolist() == [[0.0, 0.0]] and expected[1].tolist() == [[0.0]] * 3
    assert_gradients_close(got, expected, scale(net), rtol_for(np.float64))
