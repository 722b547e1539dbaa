"""``reference.envelope``: the correct forms are correct, their backprop is the kernel's, the
working precision is read from the results, and the envelope separates rounding from wrong math
(a factor 1 + 1e-4, a clipped net input, a NaN turned into 0) network by network."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import manual_backprop as mb
from reference.conventions import Convention
from reference.envelope import FORMS, envelope, scales, variants, working_precision
from reference.evaluate import evaluate
from reference.strategies import Network
from reference.tolerances import ENVELOPE_SAFETY, RTOL

Z = np.linspace(-5.0, 5.0, 41).reshape(1, -1)


@pytest.mark.parametrize("name", list(FORMS))
def test_every_form_of_g_and_g_prime_is_exact_at_moderate_z(name: str) -> None:
    """Each form is the activation in real arithmetic: within 1e-12 of the kernel's (itself
    proven against jax) where none of them loses digits."""
    g_forms, g_prime_forms = FORMS[name]
    act = mb.ACTIVATIONS[name]
    Zs = Z[np.abs(Z) > 0.5] if name in ("relu", "leaky_relu") else Z     # away from the kink
    for label, g in g_forms.items():
        np.testing.assert_allclose(g(Zs), act.g(Zs), rtol=1e-12, atol=1e-15, err_msg=label)
        for p_label, g_prime in g_prime_forms.items():
            np.testing.assert_allclose(g_prime(Zs, g(Zs)), act.g_prime(Zs), rtol=1e-12,
                                       atol=1e-15, err_msg=f"{label}, {p_label}")


def _net(name: str, biases: bool = False, seed: int = 0) -> Network:
    rng = np.random.default_rng(seed)
    W: list[Any] = [rng.normal(size=(3, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 2))]
    bs: list[Any] | None = [rng.normal(size=(w.shape[0], 1)) for w in W] if biases else None
    return Network(W, rng.uniform(-2, 2, (2, 4)), rng.uniform(-1, 1, (2, 4)), [name] * 3,
                   biases=bs)


@pytest.mark.parametrize("hidden", ["exact", "lecture"])
@pytest.mark.parametrize("biases", [False, True])
@pytest.mark.parametrize("name", list(FORMS))
def test_every_variant_is_the_kernels_backprop_in_float64(name: str, hidden: str,
                                                          biases: bool) -> None:
    net = _net(name, biases)
    want = mb.gradients(net.weights, net.X, net.Y, net.activations, hidden_error=hidden,
                        biases=net.biases)
    flat = [*want.dW, *want.db] if biases else list(want)
    scale = scales(net, hidden, np.dtype(np.float64))
    runs = variants(net, hidden, np.float64)
    assert len(runs) == len(FORMS[name][0]) * len(FORMS[name][1])
    for v in runs:
        got = [*v.dW, *(v.db or [])]
        assert len(got) == len(flat) and not v.overflowed
        for g, w, s in zip(got, flat, scale):
            assert np.all(np.abs(g - w) <= RTOL[np.dtype(np.float64)] * s), v.name


def test_a_variant_in_float32_computes_in_float32() -> None:
    net = _net("tanh")
    v64 = variants(net, "exact", np.float64)[0]
    v32 = variants(net, "exact", np.float32)[0]
    for a, b in zip(v64.dW, v32.dW):
        assert b.dtype == np.float64 and 1e-12 < np.max(np.abs(a - b)) < 1e-5
        assert np.array_equal(b, b.astype(np.float32).astype(np.float64))


def test_the_working_precision_is_what_the_results_show() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 2))
    assert working_precision([x], ["float64"]) == (np.dtype(np.float64), False)
    assert working_precision([x.astype(np.float32).astype(np.float64)], ["float64"]) == (
        np.dtype(np.float32), True)                           # computed in float32, cast back
    assert working_precision([x], ["float32"]) == (np.dtype(np.float32), True)
    simple = np.array([[0.0, -0.0625], [0.5, np.nan]])
    assert working_precision([simple], ["float64"]) == (np.dtype(np.float32), False)
    assert working_precision([], []) == (np.dtype(np.float32), False)


def _one_weight(z: float, name: str = "sigmoid", layers: int = 2) -> Network:
    W: list[Any] = [np.array([[z]])] + [np.ones((1, 1))] * (layers - 1)
    X = np.ones((1, 1))
    with np.errstate(all="ignore"):
        Y = mb.forward(W, X, name, check_finite=False).A[-1] + 1.0
    return Network(W, X, Y, [name] * layers)


def _right(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    return mb.gradients(weights, X, Y, "sigmoid")


def _via_tanh(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    """σ = ½(1 + tanh(z/2)), σ′ = σ(1 − σ): loses digits for z < −18, correct."""
    with np.errstate(over="ignore"):
        A = [X]
        for W in weights:
            A.append(0.5 * (1 + np.tanh(0.5 * (W @ A[-1]))))
        E, dW = Y - A[-1], [None] * len(weights)
        for l in range(len(weights), 0, -1):
            delta = E * A[l] * (1 - A[l])
            dW[l - 1] = -delta @ A[l - 1].T
            E = weights[l - 1].T @ delta
    return dW


def _deep_factor(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    return [*[1.0001 * d for d in _right(weights, X, Y)[:1]], *_right(weights, X, Y)[1:]]


def _clipped_z(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    return mb.gradients(weights, X, Y, (lambda Z: 1 / (1 + np.exp(-np.clip(Z, -10, 10))),
                                        lambda Z: mb.ACTIVATIONS["sigmoid"].g_prime(
                                            np.clip(Z, -10, 10))))


def test_rounding_of_a_correct_formula_is_inside_wrong_math_outside() -> None:
    conv = Convention()
    wild = _one_weight(-25.0)
    naive = evaluate(_via_tanh, wild, conv)
    assert naive.severity == "caveat" and naive.within is not None
    assert naive.error > 1e-10 and naive.within.ratio <= 1
    assert naive.within.form is not None and "σ" in naive.within.form
    tame = _net("sigmoid", seed=3)
    factor = evaluate(_deep_factor, tame, conv)
    assert factor.severity == "wrong" and factor.within is not None
    assert factor.within.ratio > 1e3                          # 1e-4 against about 1e-15
    clipped = evaluate(_clipped_z, _one_weight(10.6), conv)   # σ′(10) for σ′(10.6): 80 % off
    assert clipped.severity == "wrong" and clipped.within is not None
    assert clipped.within.ratio > 1e3


def test_the_bound_is_the_safety_factor_times_the_worst_form_plus_the_precisions_own() -> None:
    net = _one_weight(-30.0)
    J = mb.gradients(net.weights, net.X, net.Y, net.activations)
    env = envelope(net, J, "exact", np.float64)
    runs = variants(net, "exact", np.float64)
    scale = scales(net, "exact", np.dtype(np.float64))
    for i in range(2):
        devs = np.stack([np.abs(v.dW[i] - J[i]) for v in runs])
        np.testing.assert_allclose(env.bound[i], ENVELOPE_SAFETY * devs.max(axis=0)
                                   + RTOL[np.dtype(np.float64)] * scale[i], rtol=1e-12)
    assert env.name(0, (0, 0)) == "σ = ½(1 + tanh(z/2)), σ′ = σ(1 − σ)" and not env.overflows


def _nan_to_zero(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    return [np.nan_to_num(d) for d in _nan_tanh(weights, X, Y)]


def _nan_tanh(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    def g(z: Any) -> Any:
        p, q = np.exp(z), np.exp(-z)
        return (p - q) / (p + q)
    with np.errstate(all="ignore"):
        A = [X]
        for W in weights:
            A.append(g(W @ A[-1]))
        E, dW = Y - A[-1], [None] * len(weights)
        for l in range(len(weights), 0, -1):
            delta = E * (1 - A[l] ** 2)
            dW[l - 1] = -delta @ A[l - 1].T
            E = weights[l - 1].T @ delta
    return dW


def test_a_nan_is_rounding_only_where_a_correct_form_has_one() -> None:
    conv = Convention()
    net = _one_weight(800.0, "tanh")
    nan = evaluate(_nan_tanh, net, conv)
    assert nan.failure is not None and nan.failure.kind == "nan"
    assert nan.severity == "caveat"
    assert evaluate(_nan_to_zero, net, conv).severity == "wrong"   # 0 where tanh is 1

    def nan_here(weights: list[Any], X: Any, Y: Any) -> list[Any]:
        return [np.full_like(d, np.nan) for d in mb.gradients(weights, X, Y, "tanh")]

    assert evaluate(nan_here, _one_weight(2.0, "tanh"), conv).severity == "wrong"


def test_an_overflow_exception_is_rounding_only_where_a_correct_form_overflows() -> None:
    def raises(weights: list[Any], X: Any, Y: Any) -> list[Any]:
        raise OverflowError("math range error")

    conv = Convention()
    assert evaluate(raises, _one_weight(800.0), conv).severity == "caveat"    # exp(800) = inf
    assert evaluate(raises, _one_weight(3.0), conv).severity == "wrong"
