"""Every built-in g and g′ against 50-digit mpmath, and against jax at the kinks.

This is where the kernel's accuracy in the saturated region is proven: jax.grad derives σ′ and
tanh′ from the rounded σ and tanh and cannot (see reference/tolerances.py).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import manual_backprop as mb
import reference  # noqa: F401  (switches jax to 64-bit)
from reference.jax_oracle import JAX_ACTIVATIONS

mp.mp.dps = 50
ULPS = 8   # allowed error in units of eps: a handful of correctly rounded operations

EXACT = {
    "sigmoid": (lambda z: 1 / (1 + mp.exp(-z)), lambda z: mp.exp(-z) / (1 + mp.exp(-z)) ** 2),
    "tanh": (mp.tanh, lambda z: mp.sech(z) ** 2),
    "softplus": (lambda z: mp.log1p(mp.exp(z)), lambda z: 1 / (1 + mp.exp(-z))),
    "relu": (lambda z: max(z, 0), lambda z: mp.mpf(1) if z > 0 else mp.mpf(0)),
    "leaky_relu": (lambda z: z if z >= 0 else z / 100,
                   lambda z: mp.mpf(1) if z >= 0 else mp.mpf("0.01")),
    "identity": (lambda z: z, lambda z: mp.mpf(1)),
}


def _check(name: str, which: int, Z: np.ndarray, got: np.ndarray) -> None:
    info = np.finfo(Z.dtype)
    assert got.dtype == Z.dtype and got.shape == Z.shape
    for z, g in zip(Z.ravel().tolist(), got.ravel().tolist()):
        exact = EXACT[name][which](mp.mpf(z))
        if name == "leaky_relu" and which == 0:   # 0.01·z is the rounded 0.01 times z
            exact = exact if z >= 0 else mp.mpf(float(Z.dtype.type(0.01))) * z
        err = abs(mp.mpf(g) - exact)
        bound = ULPS * float(info.eps) * abs(exact) + float(info.tiny)
        assert err <= bound, (f"{name}{chr(8242) * which}({z!r}) in {Z.dtype}: got {g!r}, "
                              f"exact {mp.nstr(exact, 20)}, error {mp.nstr(err, 3)}")


@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
@given(data=st.data())
def test_g_and_g_prime_are_accurate_for_every_finite_z(name: str, data: st.DataObject) -> None:
    dtype = data.draw(st.sampled_from([np.float64, np.float32]))
    bits = 64 if dtype is np.float64 else 32
    Z = data.draw(hnp.arrays(dtype, st.integers(1, 12),
                             elements=st.floats(-1e4, 1e4, width=bits, allow_subnormal=False)))
    act = mb.ACTIVATIONS[name]
    A, gp = act.g_and_g_prime(Z)
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(gp))
    _check(name, 0, Z, A)
    _check(name, 1, Z, gp)
    np.testing.assert_array_equal(act.g(Z), A)
    np.testing.assert_array_equal(act.g_prime(Z), gp)


@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
def test_derivative_at_and_near_the_kinks_follows_jax(name: str) -> None:
    import jax

    # The smallest normal numbers, not subnormals: XLA on the CPU flushes subnormals to zero, so
    # to jax −5e-324 *is* the kink (leaky_relu′ = 1) while to numpy it is negative (0.01).
    tiny = float(np.finfo(np.float64).tiny)
    Z = np.array([-1e-300, -tiny, -0.0, 0.0, tiny, 1e-300, -1.0, 1.0])
    ours = mb.ACTIVATIONS[name].g_prime(Z)
    theirs = np.array([float(jax.grad(JAX_ACTIVATIONS[name])(z)) for z in Z])
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=0)
    if name == "relu":
        assert ours[3] == 0.0       # relu′(0) = 0
    if name == "leaky_relu":
        assert ours[3] == 1.0       # leaky_relu′(0) = 1
