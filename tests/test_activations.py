"""Every built-in g and g′ against 50-digit mpmath, and against jax at the kinks.

This is where the kernel's accuracy in the saturated region is proven: jax.grad derives σ′ and
tanh′ from the rounded σ and tanh and cannot (see docs/numerics.md).
"""

from __future__ import annotations

import importlib.util
from functools import partial
from types import ModuleType

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import manual_backprop as mb
import reference
from manual_backprop import blocks
from reference.caveats import STABLE
from reference.jax_oracle import JAX_ACTIVATIONS
from reference.jax_scope import x64
from reference.numpy_activations import _BUILTIN as NUMPY_BUILT_INS
from reference.numpy_activations import _g_np, _g_prime_np

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


def test_every_list_of_the_built_in_activations_names_the_same_ones() -> None:
    """The built-ins are named once in the kernel, ``manual_backprop.ACTIVATIONS`` (its order is
    that of the validation messages; ``reference.strategies.ACTIVATION_NAMES`` is derived from
    it), and again beside each independent implementation: jax's (whose error message lists
    them in the same order), the reference's numpy one, the mpmath table above and the stable
    formulas of the caveats. An activation added to one of them must be added to all."""
    names = list(mb.ACTIVATIONS)
    assert reference.strategies.ACTIVATION_NAMES == tuple(names)
    assert list(JAX_ACTIVATIONS) == names
    for other in (NUMPY_BUILT_INS, list(EXACT), list(STABLE)):
        assert sorted(other) == sorted(names)


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
    with x64():                 # jax in float64 here only, as reference itself does
        theirs = np.array([float(jax.grad(JAX_ACTIVATIONS[name])(z)) for z in Z])
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=0)
    if name == "relu":
        assert ours[3] == 0.0       # relu′(0) = 0
    if name == "leaky_relu":
        assert ours[3] == 1.0       # leaky_relu′(0) = 1


@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
def test_g_at_the_two_zeros_has_the_sign_jax_gives(name: str) -> None:
    """relu(−0.0) is +0.0 (0 for every z ≤ 0), leaky_relu, identity and tanh keep −0.0: the bits
    of jax's g."""
    Z = np.array([-0.0, 0.0])
    with x64():
        theirs = np.array([float(JAX_ACTIVATIONS[name](z)) for z in Z])
    act = mb.ACTIVATIONS[name]
    for ours in (act.g(Z), act.g_and_g_prime(Z)[0]):
        np.testing.assert_array_equal(np.signbit(ours), np.signbit(theirs))


# --- every built-in g′ through reference.check_activation, and custom activations -------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
def test_check_activation_accepts_every_built_in_against_jax(name: str, dtype: type) -> None:
    """The kernel's g′ vs jax.grad of jax's g on [−30, 30] and at/near the kink (0, ±tiny,
    ±1e-300, ±1e-8, ±1): relu′(0) = 0 and leaky_relu′(0) = 1 as jax."""
    report = reference.check_activation(JAX_ACTIVATIONS[name], mb.ACTIVATIONS[name].g_prime,
                                        lo=-30, hi=30, n=6001, method="jax", dtype=dtype,
                                        name=name)
    assert report.ok, str(report)
    assert report.method == "jax.grad" and report.points == 6007   # 0 and ±1 are in both


@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
def test_check_activation_accepts_every_built_in_by_finite_differences(name: str) -> None:
    """The numpy g of the kernel is not jax-traceable: the check falls back to finite
    differences and skips exactly the points whose stencil straddles a kink."""
    report = reference.check_activation(mb.ACTIVATIONS[name], lo=-1e4, hi=1e4)
    assert report.ok, str(report)
    assert report.method == "finite differences"
    kinked = name in ("relu", "leaky_relu")
    assert all(abs(z) < 1e-5 for z in report.skipped) and bool(report.skipped) == kinked


WRONG_DERIVATIVES = [
    pytest.param("sigmoid", lambda z: np.exp(-z) / (1 + np.exp(-z)), id="sigmoid-missing-square"),
    pytest.param("tanh", lambda z: 1 - np.tanh(z), id="tanh-missing-square"),
    pytest.param("relu", lambda z: (z >= 0).astype(z.dtype), id="relu-prime-of-0-is-1"),
    pytest.param("leaky_relu", lambda z: np.where(z > 0, 1.0, 0.01), id="leaky-prime-of-0-is-0.01"),
    pytest.param("softplus", lambda z: np.tanh(z / 2), id="softplus-wrong-function"),
    pytest.param("identity", lambda z: 1.0 + 0 * z, id="identity-float-but-fine"),
]


@pytest.mark.parametrize(("name", "g_prime"), WRONG_DERIVATIVES)
def test_check_activation_reports_a_wrong_derivative(name: str, g_prime: object) -> None:
    report = reference.check_activation(JAX_ACTIVATIONS[name], g_prime)
    if name == "identity":                    # a control: 1 + 0·z is a correct derivative
        assert report.ok, str(report)
        return
    assert not report.ok
    text = str(report)
    assert "DISAGREES with jax.grad" in text and f"z = {report.failures[0][0]!r}" in text
    if name in ("relu", "leaky_relu"):        # only the kink is wrong, and the report says so
        assert [f[0] for f in report.failures] == [0.0]


def test_check_activation_reports_shape_and_warnings() -> None:
    report = reference.check_activation(np.exp, lambda z: np.exp(z)[:1], lo=-1, hi=1, n=11)
    assert not report.ok and "it must be elementwise" in str(report)
    report = reference.check_activation(np.exp, np.exp, lo=-1, hi=1000, n=11)
    assert not report.ok and "overflow" in str(report)


def swish(z: np.ndarray) -> np.ndarray:
    """A custom activation, not a built-in: z·σ(z) (numpy), σ from the kernel's sigmoid."""
    return z * mb.ACTIVATIONS["sigmoid"].g(z)


def swish_prime(z: np.ndarray) -> np.ndarray:
    s, ds = mb.ACTIVATIONS["sigmoid"].g_and_g_prime(z)
    return s + z * ds


def swish_jax(z: object) -> object:
    import jax

    return z * jax.nn.sigmoid(z)


def test_a_custom_activation_checks_out_and_trains_like_jax() -> None:
    assert reference.check_activation(swish_jax, swish_prime, lo=-30, hi=30).ok
    assert reference.check_activation(swish, swish_prime, lo=-30, hi=30).ok   # by FD
    act = mb.Activation("swish", swish, swish_prime)
    rng = np.random.default_rng(0)
    W = [rng.uniform(-2, 2, (4, 3)), rng.uniform(-2, 2, (2, 4))]
    b = [rng.uniform(-1, 1, (4, 1)), rng.uniform(-1, 1, (2, 1))]
    X, Y = rng.uniform(-2, 2, (3, 5)), rng.uniform(-1, 1, (2, 5))
    for spec, oracle in [(act, swish_jax), ((swish, swish_prime), swish_jax),
                         ([act, "sigmoid"], [swish_jax, "sigmoid"])]:
        names = spec if isinstance(spec, list) else [spec, spec]
        for biases in (None, b):
            got = mb.gradients(W, X, Y, spec, biases=biases)
            expected = reference.gradients(W, X, Y, oracle, biases=biases)
            scale = reference.condition_scale(W, X, Y, names, biases=biases)
            reference.assert_gradients_close(got, expected, scale, reference.rtol_for(np.float64))
    W32 = [w.astype(np.float32) for w in W]
    got32 = mb.gradients(W32, X.astype(np.float32), Y.astype(np.float32), act)
    assert [g.dtype for g in got32] == [np.float32, np.float32]


def test_the_oracle_says_when_it_cannot_trace_a_numpy_activation() -> None:
    W, X, Y = [np.ones((1, 1))], np.ones((1, 1)), np.ones((1, 1))
    with pytest.raises(TypeError, match="jax cannot trace g = 'swish'"):
        reference.gradients(W, X, Y, mb.Activation("swish", swish, swish_prime))


def test_a_custom_activation_that_reimplements_tanh_gives_tanh_gradients() -> None:
    """The built-ins are Activation objects like any custom one: a hand-made tanh pair agrees
    with the built-in to rounding, and its float32 outputs stay float32."""
    rng = np.random.default_rng(1)
    W = [rng.uniform(-2, 2, (3, 2)), rng.uniform(-2, 2, (1, 3))]
    X, Y = rng.uniform(-2, 2, (2, 6)), rng.uniform(-1, 1, (1, 6))
    pair = (np.tanh, lambda z: (1 - np.tanh(z) ** 2).astype(np.float64))   # g′ in float64
    for dtype in (np.float64, np.float32):
        Wd, Xd, Yd = [w.astype(dtype) for w in W], X.astype(dtype), Y.astype(dtype)
        got, built_in = mb.gradients(Wd, Xd, Yd, pair), mb.gradients(Wd, Xd, Yd, "tanh")
        assert [g.dtype for g in got] == [dtype, dtype]
        scale = reference.condition_scale(Wd, Xd, Yd, ["tanh", "tanh"], dtype=dtype)
        reference.assert_gradients_close(got, built_in, scale, reference.rtol_for(dtype))


IN_PLACE = [name for name, g in mb.ACTIVATIONS.items() if g.g_and_g_prime_in_place is not None]


def test_sigmoid_tanh_and_softplus_compute_in_place() -> None:
    """The built-ins that reuse the kernel's own Z (``g_and_g_prime_in_place``, the module doc
    of manual_backprop.activations), which the tests in blocks below check."""
    assert IN_PLACE == ["sigmoid", "tanh", "softplus"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_activations_give_the_same_bits_block_by_block(name: str, dtype: type) -> None:
    """The kernel's in-place g, g′ (worked through Z in 128 KiB blocks) equal the pure
    g_and_g_prime computed on small pieces, bit for bit, on an array of several blocks whose
    length is not a multiple of the block (so a wrong offset or a short
    last block shows), with z from −800 to 800, ±0 and the smallest subnormals; the pure one
    leaves its Z untouched."""
    act = mb.ACTIVATIONS[name]
    assert act.g_and_g_prime_in_place is not None
    rng = np.random.default_rng(0)
    n = 3 * (1 << 17) // np.dtype(dtype).itemsize + 123
    Z = (rng.standard_normal(n) * rng.choice([1.0, 10.0, 100.0, 800.0], n)).astype(dtype)
    Z[:6] = [0.0, -0.0, 5e-324, -5e-324, 800.0, -800.0]
    Z = Z.reshape(-1, 1) if n % 2 else Z.reshape(-1, 2)
    Z_before = Z.copy()
    pieces = [act.g_and_g_prime(piece) for piece in np.array_split(Z.ravel(), 1000)]
    expected = [np.concatenate([p[k] for p in pieces]).reshape(Z.shape) for k in (0, 1)]
    got = act.g_and_g_prime(Z)
    np.testing.assert_array_equal(Z, Z_before)                  # the pure one copies
    got_in_place = act.g_and_g_prime_in_place(Z.copy())
    for k in (0, 1):
        for result in (got, got_in_place):
            assert result[k].dtype == dtype and result[k].shape == Z.shape
            np.testing.assert_array_equal(result[k].view(np.uint8), expected[k].view(np.uint8),
                                          err_msg=f"{name} {'g′' if k else 'g'} {dtype.__name__}")
    F = np.asfortranarray(Z_before.reshape(2, -1) if Z.size % 2 == 0 else Z_before)
    np.testing.assert_array_equal(act.g_and_g_prime(F)[1], act.g_prime(F))   # any layout


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_backward_passes_in_blocks_give_numpys_bits(dtype: type) -> None:
    """a := a − b and a := a ⊙ b, in blocks, equal numpy's a − b and a * b bit for bit on
    several blocks and a short last one, b strided or not."""
    rng = np.random.default_rng(1)
    shape = (3 * (1 << 17) // np.dtype(dtype).itemsize + 7, 2)
    a = rng.standard_normal(shape).astype(dtype)
    for b in (rng.standard_normal(shape).astype(dtype),
              np.asfortranarray(rng.standard_normal(shape).astype(dtype))):
        for op, in_place in ((np.subtract, blocks.subtract_in_place),
                             (np.multiply, blocks.multiply_in_place)):
            expected = op(a, b)
            got = in_place(a.copy(), b)
            np.testing.assert_array_equal(got.view(np.uint8), expected.view(np.uint8))


def test_the_kernel_never_writes_to_an_array_a_custom_g_returned() -> None:
    """A custom g may return an array its author keeps; −E[L] = Ŷ − Y is computed in Ŷ's memory
    only for the built-ins, whose outputs are the kernel's own."""
    kept = np.full((2, 3), 0.25)

    def g(Z: np.ndarray) -> np.ndarray:
        return kept

    dW = mb.gradients([np.ones((2, 4))], np.ones((4, 3)), np.full((2, 3), 0.5),
                      (g, np.ones_like))
    np.testing.assert_array_equal(kept, 0.25)
    np.testing.assert_array_equal(dW[0], np.full((2, 4), -0.75))   # Σ_samples (Ŷ − Y)·1·1


# --- the built-in table, and what a custom Activation accepts and says when it does not -------

Z = np.array([[-40.0, -3.0, -0.5, 0.0], [0.25, 1.0, 7.0, 40.0]])


def _fresh(name: str) -> ModuleType:
    """Execute a module's source again as a new module object (not put in sys.modules), so
    what it builds at import time is built afresh in this test (and seen by mutation testing,
    whose mutants are switched on after the import)."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
def test_the_built_in_table_built_at_import_is_right(name: str) -> None:
    """Built afresh, every entry of ACTIVATIONS has its own name, and its g, g′ and (g, g′) equal
    the reference's independent numpy ones."""
    act = _fresh("manual_backprop.activations").ACTIVATIONS[name]
    assert act.name == name
    g, g1 = _g_np(name, Z), _g_prime_np(name, Z)
    np.testing.assert_allclose(act.g(Z), g, rtol=1e-14, atol=0)
    np.testing.assert_allclose(act.g_prime(Z), g1, rtol=1e-14, atol=0)
    both = act.g_and_g_prime(Z)
    np.testing.assert_allclose(both[0], g, rtol=1e-14, atol=0)
    np.testing.assert_allclose(both[1], g1, rtol=1e-14, atol=0)


@pytest.mark.parametrize("name", list(mb.ACTIVATIONS))
def test_a_built_in_lets_infinities_through_without_an_error(name: str) -> None:
    """With ``check_finite=False`` an infinite input gives ±inf (or NaN) results, not an error:
    the built-ins' outputs are not checked like a custom g's (``_checked``)."""
    X = np.array([[np.inf, -np.inf, 1.0]])
    W = [np.ones((1, 1))]
    A = mb.forward(W, X, name, check_finite=False).A[1]
    np.testing.assert_array_equal(A[:, 2], mb.ACTIVATIONS[name].g(np.ones((1, 1)))[:, 0])
    dW = mb.gradients(W, X, np.zeros((1, 3)), name, check_finite=False)
    assert dW[0].shape == (1, 1)


def _numpy_g(Z: np.ndarray) -> np.ndarray:
    return np.tanh(Z)


def _numpy_g_prime(Z: np.ndarray) -> np.ndarray:
    return 1 - np.tanh(Z) ** 2


@pytest.mark.parametrize("kwargs, field, expected, got", [
    pytest.param(dict(name=3, g=_numpy_g, g_prime=_numpy_g_prime), "name", "str", "int",
                 id="name"),
    pytest.param(dict(name="t", g="tanh", g_prime=_numpy_g_prime), "g", "function", "str",
                 id="g"),
    pytest.param(dict(name="t", g=_numpy_g, g_prime=None), "g_prime", "function", "NoneType",
                 id="g_prime"),
    pytest.param(dict(name="t", g=_numpy_g, g_prime=_numpy_g_prime, g_and_g_prime=1.5),
                 "g_and_g_prime", "function", "float", id="g_and_g_prime"),
])
def test_a_bad_activation_is_a_type_error_naming_the_field(kwargs: dict[str, object], field: str,
                                                           expected: str, got: str) -> None:
    """The message names the field, what it must be and the type it got (and the activation,
    once it has a valid name)."""
    with pytest.raises(TypeError) as info:
        mb.Activation(**kwargs)  # type: ignore[arg-type]
    text = str(info.value)
    assert text.startswith(f"`{field}` of") and f"must be a {expected}" in text, text
    assert text.endswith(f"got {got}"), text
    assert field == "name" or "Activation 't'" in text, text


def test_a_fused_g_and_g_prime_is_accepted_and_used() -> None:
    """An Activation given g_and_g_prime is valid and the kernel's forward pass calls it (once:
    the one layer) instead of g and g_prime."""
    calls = []

    def both(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        calls.append(Z.shape)
        return _numpy_g(Z), _numpy_g_prime(Z)

    act = mb.Activation("t", _numpy_g, _numpy_g_prime, both)
    W, X, Y = [np.array([[0.5, -1.0]])], np.array([[1.0], [2.0]]), np.array([[0.3]])
    np.testing.assert_array_equal(mb.gradients(W, X, Y, act),
                                  mb.gradients(W, X, Y, (_numpy_g, _numpy_g_prime)))
    assert calls == [(1, 1)]


@pytest.mark.parametrize("name", IN_PLACE)
def test_a_built_in_called_on_integers_computes_in_float64(name: str) -> None:
    """Called directly (not by the kernel), the built-ins that compute in place work on a float
    copy: integers become float64, and the caller's array is left as it was."""
    act, Z = mb.ACTIVATIONS[name], np.array([[-2, 0, 3]])
    for f in (act.g, act.g_prime, lambda Z: act.g_and_g_prime(Z)[0]):
        out = f(Z)
        assert out.dtype == np.float64
        np.testing.assert_array_equal(out, f(Z.astype(np.float64)))
    np.testing.assert_array_equal(Z, [[-2, 0, 3]])


def test_a_custom_g_and_g_prime_keep_their_names_once_checked() -> None:
    """The checking wrapper around a user's g and g′ keeps their names (tracebacks and reprs
    name the user's functions); a function without one is named by its role."""
    act = mb.Activation("t", _numpy_g, _numpy_g_prime)
    assert (act.g.__name__, act.g_prime.__name__) == ("_numpy_g", "_numpy_g_prime")
    unnamed = mb.Activation("p", partial(np.multiply, 2.0), partial(np.multiply, 0.0))
    assert (unnamed.g.__name__, unnamed.g_prime.__name__) == ("g", "g′")


def test_from_pair_names_the_activation() -> None:
    """The name is the one given, else g's __name__, else "custom" for a callable without one;
    a functools.partial is a valid g."""
    assert mb.Activation.from_pair(_numpy_g, _numpy_g_prime, name="mine").name == "mine"
    assert mb.Activation.from_pair(_numpy_g, _numpy_g_prime).name == "_numpy_g"
    g, g1 = partial(np.multiply, 2.0), partial(np.multiply, 0.0)
    act = mb.Activation.from_pair(g, lambda Z: g1(Z) + 2.0)
    assert act.name == "custom"
    np.testing.assert_array_equal(act.g(Z), 2 * Z)


def test_a_custom_g_returning_complex_numbers_is_a_type_error() -> None:
    act = mb.Activation.from_pair(lambda Z: Z + 0j, _numpy_g_prime, name="c")
    with pytest.raises(TypeError) as info:
        act.g(Z)
    text = str(info.value)
    assert "activation 'c'" in text and "g(Z)" in text, text
    assert "complex128" in text and "expected real numbers" in text, text


@pytest.mark.parametrize("values", [
    pytest.param(np.full((8, 8), 1e308), id="sum-overflows"),
    pytest.param(np.tile([1e308, 1e308, -1e308, -1e308], 16).reshape(8, 8), id="sum-is-nan"),
])
def test_huge_finite_custom_values_are_accepted_silently(values: np.ndarray) -> None:
    """Finite values whose sum overflows (to inf, or to inf − inf = NaN: the fast finiteness
    test) are finite: no error and no floating-point warning (an error under pytest)."""
    act = mb.Activation.from_pair(lambda Z: values, _numpy_g_prime, name="huge")
    np.testing.assert_array_equal(act.g(np.zeros((8, 8))), values)


def test_the_first_non_finite_value_of_a_custom_g_is_named() -> None:
    """The message names the activation and the first z where g is not finite, with g(z)."""
    act = mb.Activation.from_pair(lambda Z: 1 / Z, _numpy_g_prime, name="inv")
    with pytest.raises(ValueError) as info, np.errstate(divide="ignore"):
        act.g(np.array([[1.0, 2.0, 0.0, 4.0]]))
    text = str(info.value)
    assert "activation 'inv'" in text and "g(z) = inf at z = 0.0;" in text, text
