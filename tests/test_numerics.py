"""Strict numerics: no floating-point warning and no non-finite number anywhere in range.

pytest runs with ``filterwarnings = ["error"]``, and these properties also raise on any
overflow, division by zero or invalid operation regardless of numpy's global settings
(underflow to 0 is the right answer for exp(−1e4) and stays allowed).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import manual_backprop as mb
import reference
from reference import networks
from tests import _stats
from tests.helpers import after_kinks, flat, jax_grad, kernel, scale

BOUND = 1e4
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise", "under": "ignore"}


def _z(dtype: type) -> st.SearchStrategy[np.ndarray]:
    width = 64 if dtype is np.float64 else 32
    edges = [0.0, -0.0, BOUND, -BOUND, float(np.finfo(dtype).tiny), -float(np.finfo(dtype).tiny)]
    elements = st.one_of(st.sampled_from(edges),
                         st.floats(-BOUND, BOUND, width=width, allow_subnormal=True))
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=2, max_side=16),
                      elements=elements)


@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
@given(data=st.data())
def test_every_activation_and_derivative_is_finite_and_silent_up_to_1e4(
        name: str, data: st.DataObject) -> None:
    dtype = data.draw(st.sampled_from([np.float64, np.float32]))
    Z = data.draw(_z(dtype))
    act = mb.ACTIVATIONS[name]
    with np.errstate(**STRICT):
        outputs = [act.g(Z), act.g_prime(Z), *act.g_and_g_prime(Z)]
    for out in outputs:
        assert out.dtype == Z.dtype and out.shape == Z.shape
        assert np.all(np.isfinite(out)), f"{name} at {Z[~np.isfinite(out)]}"
    assert np.all(outputs[1] >= 0)                      # every built-in is non-decreasing


@given(networks(weight_bound=30.0, input_bound=30.0, target_bound=30.0, bias_bound=30.0,
                biases=None))
def test_gradients_stay_finite_and_exact_with_large_weights_and_inputs(
        net: reference.Network) -> None:
    """|W|, |X|, |Y|, |b| ≤ 30 put the net inputs at |z| up to ~1e4 in the first layer and far
    beyond in unbounded later layers; sigmoid and tanh saturate completely. Every result stays
    finite, silent, and equal to jax.grad within the tolerance."""
    with np.errstate(**STRICT):
        got = kernel(net)
        loss = mb.loss(net.weights, net.X, net.Y, net.activations, biases=net.biases)
        Z = mb.forward(net.weights, net.X, net.activations, biases=net.biases).Z[1:]
    assert np.isfinite(loss)
    for g in flat(got):
        assert g.dtype == net.dtype and np.all(np.isfinite(g))
    k, (got, expected, s) = after_kinks(net, got, jax_grad(net), scale(net))
    err = reference.assert_gradients_close(got, expected, s, reference.rtol_for(net.dtype),
                                           what=f"ΔW[{k + 1}..L] with large weights")
    _stats.record(f"large weights vs jax.grad ({net.dtype})", err)
    assert all(z is not None and np.all(np.isfinite(z)) for z in Z)
