"""``reference.condition``: the values of the condition scale, the loss scale and the kink test,
against the formulas of docs/numerics.md written out entry by entry in plain Python floats.

The agreement properties only hold the kernel's errors *within* these scales; a scale twice too
large, or one that lost its underflow term, would pass them. Here each value is pinned.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from reference.compare import GradientsWithBiases
from reference.condition import (
    KINK_ULPS,
    condition_scale,
    kink_ambiguous_layers,
    loss_scale,
    underflow_floor,
)

Matrix = list[list[float]]


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


# g and g′ of the built-ins, one scalar at a time (relu′(0) = 0 and leaky_relu′(0) = 1, as jax)
G_AND_G_PRIME: dict[str, tuple[Any, Any]] = {
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * _sigmoid(-z)),
    "tanh": (math.tanh, lambda z: 4 * math.exp(-2 * abs(z)) / (1 + math.exp(-2 * abs(z))) ** 2),
    "softplus": (lambda z: max(z, 0.0) + math.log1p(math.exp(-abs(z))), _sigmoid),
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "leaky_relu": (lambda z: z if z >= 0 else 0.01 * z, lambda z: 1.0 if z >= 0 else 0.01),
    "identity": (lambda z: z, lambda z: 1.0),
}


def _scales_by_hand(weights: list[Matrix], X: Matrix, Y: Matrix, activations: list[str],
                    biases: list[Matrix] | None, hidden_error: str, eta: float
                    ) -> tuple[list[Matrix], list[Matrix], float]:
    """docs/numerics.md, "The condition scale", entry by entry: scale(ΔW[l]), scale(Δb[l]) for
    l = 1..L, and the loss scale Σ Emag[L]² (each at least η)."""
    L, m = len(weights), len(X[0])
    b = biases or [[[0.0] for _ in W] for W in weights]
    A, Amag = [X], [[[abs(x) + eta for x in row] for row in X]]      # Amag[0] = |X| + η
    Z: list[Matrix] = []
    Zmag: list[Matrix] = []
    G: list[Matrix] = []
    for l in range(L):
        W, name = weights[l], activations[l]
        g, g1 = G_AND_G_PRIME[name]
        n_out, n_in = len(W), len(W[0])
        Zl = [[sum(W[k][j] * A[l][j][i] for j in range(n_in)) + b[l][k][0] for i in range(m)]
              for k in range(n_out)]
        Zm = [[sum(abs(W[k][j]) * Amag[l][j][i] for j in range(n_in)) + abs(b[l][k][0]) + eta
               for i in range(m)] for k in range(n_out)]
        Al = [[g(z) for z in row] for row in Zl]
        Amag.append([[abs(Al[k][i]) + abs(g1(Zl[k][i])) * Zm[k][i] + eta for i in range(m)]
                     for k in range(n_out)])
        saturating = name in ("sigmoid", "tanh")
        G.append([[abs(g1(Zl[k][i])) + (2 * Al[k][i] ** 2 if saturating else 0.0) + eta
                   for i in range(m)] for k in range(n_out)])
        A.append(Al)
        Z.append(Zl)
        Zmag.append(Zm)
    E = [[Y[k][i] - A[L][k][i] for i in range(m)] for k in range(len(Y))]
    Emag = [[abs(Y[k][i]) + Amag[L][k][i] for i in range(m)] for k in range(len(Y))]
    loss = max(sum(e * e for row in Emag for e in row), eta)
    dW: list[Matrix] = [[]] * L
    db: list[Matrix] = [[]] * L
    for l in range(L - 1, -1, -1):
        W, g1 = weights[l], G_AND_G_PRIME[activations[l]][1]
        n_out, n_in = len(W), len(W[0])
        delta = [[E[k][i] * g1(Z[l][k][i]) for i in range(m)] for k in range(n_out)]
        Dmag = [[G[l][k][i] * (Emag[k][i] + 2 * abs(E[k][i]) * Zmag[l][k][i]) + eta
                 for i in range(m)] for k in range(n_out)]
        dW[l] = [[max(sum(Dmag[k][i] * Amag[l][j][i] for i in range(m)), eta)
                  for j in range(n_in)] for k in range(n_out)]
        db[l] = [[max(sum(Dmag[k]), eta)] for k in range(n_out)]
        back = delta if hidden_error == "exact" else E
        back_mag = Dmag if hidden_error == "exact" else Emag
        E = [[sum(W[k][j] * back[k][i] for k in range(n_out)) for i in range(m)]
             for j in range(n_in)]
        Emag = [[sum(abs(W[k][j]) * back_mag[k][i] for k in range(n_out)) for i in range(m)]
                for j in range(n_in)]
    return dW, db, loss


def _network(seed: int, widths: tuple[int, ...], m: int, tiny: bool = False
             ) -> tuple[list[Any], Any, Any, list[Any]]:
    """Weights, X, Y, biases with a third of the entries exactly 0 (where only the underflow
    terms η are left) and the rest of all sizes; ``tiny``: X of 1e-25 through weights of 1e5,
    where float32's underflow terms move the loss scale of the relu networks (by 2e-11 to 9e-8
    of it; the one-layer leaky_relu network's loss scale is the floor itself) and leave the
    saturated sigmoid, tanh and softplus outputs' alone."""
    rng = np.random.default_rng(seed)

    def draw(shape: tuple[int, ...], size: float = 1.0) -> Any:
        values = rng.normal(size=shape) * 10.0 ** rng.integers(-3, 2, size=shape) * size
        return np.where(rng.random(shape) < 1 / 3, 0.0, values)

    x, w = (1e-25, 1e5) if tiny else (1.0, 1.0)
    L = len(widths) - 1
    weights = [draw((widths[l + 1], widths[l]), w) for l in range(L)]
    biases = [draw((widths[l], 1), x * w ** l) for l in range(1, L + 1)]
    return weights, draw((widths[0], m), x), draw((widths[-1], m), x * w ** L), biases


NETWORKS = [
    pytest.param(seed, widths, m, activations, id=f"{'-'.join(activations)}-{seed}")
    for seed, (widths, m, activations) in enumerate([
        ((2, 3, 1), 4, ["sigmoid", "tanh"]),
        ((3, 2, 2), 3, ["relu", "leaky_relu"]),
        ((1, 4, 3, 2), 2, ["softplus", "identity", "sigmoid"]),
        ((2, 2, 2, 2), 5, ["tanh", "relu", "identity"]),
        ((3, 3), 3, ["leaky_relu"]),
    ])]


def _assert_same(got: Any, expected: list[Matrix]) -> None:
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype == np.float64
        np.testing.assert_allclose(g, np.array(e), rtol=1e-12, atol=0)


@pytest.mark.parametrize("hidden_error", ["exact", "lecture"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("tiny", [False, True], ids=["", "tiny"])
@pytest.mark.parametrize(("seed", "widths", "m", "activations"), NETWORKS)
def test_the_scales_are_the_formulas_of_the_docs(seed: int, widths: tuple[int, ...], m: int,
                                                 activations: list[str], tiny: bool, dtype: type,
                                                 hidden_error: str) -> None:
    weights, X, Y, biases = _network(seed, widths, m, tiny)
    eta = underflow_floor(dtype)
    lists = ([W.tolist() for W in weights], X.tolist(), Y.tolist(), activations)
    dW, db, loss = _scales_by_hand(*lists, [b.tolist() for b in biases], hidden_error, eta)
    with_biases = condition_scale(weights, X, Y, activations, hidden_error, dtype, biases=biases)
    assert isinstance(with_biases, GradientsWithBiases)
    _assert_same(with_biases.dW, dW)
    _assert_same(with_biases.db, db)
    assert loss_scale(weights, X, Y, activations, dtype, biases=biases) == pytest.approx(
        loss, rel=1e-12, abs=0)
    dW, _, loss = _scales_by_hand(*lists, None, hidden_error, eta)
    _assert_same(condition_scale(weights, X, Y, activations, hidden_error, dtype), dW)
    assert loss_scale(weights, X, Y, activations, dtype) == pytest.approx(loss, rel=1e-12, abs=0)


def test_another_floor_replaces_the_underflow_term() -> None:
    weights, X, Y, _ = _network(7, (2, 3, 2), 3)
    dW, _, _ = _scales_by_hand([W.tolist() for W in weights], X.tolist(), Y.tolist(),
                               ["relu", "sigmoid"], None, "exact", 1e-3)
    _assert_same(condition_scale(weights, X, Y, ["relu", "sigmoid"], floor=1e-3), dW)


def test_a_one_weight_network_by_hand() -> None:
    """W = 2, b = 1, X = 3, Y = −1, identity: Zmag = 2·3 + 1 = 7, Amag[1] = |7| + 1·7 = 14,
    Emag = |−1| + 14 = 15, E = −1 − 7 = −8, Dmag = 1·(15 + 2·8·7) = 127: scale(ΔW) = 127·3,
    scale(Δb) = 127, loss scale 15² (each up to the underflow terms, 1e-292 here)."""
    W, b, X, Y = [np.array([[2.0]])], [np.array([[1.0]])], np.array([[3.0]]), np.array([[-1.0]])
    scale = condition_scale(W, X, Y, ["identity"], biases=b)
    assert (scale.dW[0].item(), scale.db[0].item()) == (381.0, 127.0)
    assert loss_scale(W, X, Y, ["identity"], biases=b) == 225.0
    assert loss_scale(W, X, Y, ["identity"], biases=b, dtype=np.float32) == pytest.approx(
        225.0, rel=1e-29)


def test_a_zero_loss_scale_is_the_underflow_floor() -> None:
    zeros = [np.zeros((1, 1))]
    for dtype in (np.float64, np.float32):
        assert loss_scale(zeros, np.zeros((1, 1)), np.zeros((1, 1)), ["relu"], dtype) == (
            underflow_floor(dtype))


def test_the_underflow_floor_is_tiny_over_eps() -> None:
    assert underflow_floor(np.float64) == 2.0 ** -1022 / 2.0 ** -52
    assert underflow_floor(np.float32) == float(np.float32(2.0 ** -126)) / 2.0 ** -23


EPS64, EPS32, TINY64 = 2.0 ** -52, 2.0 ** -23, 2.0 ** -1022


@pytest.mark.parametrize(("activation", "x", "z", "dtype", "ambiguous"), [
    pytest.param("relu", 1.0, 0.0, np.float64, True, id="on-the-kink"),
    pytest.param("relu", 1.0, 150 * EPS64, np.float64, True, id="within"),
    pytest.param("relu", 1.0, 400 * EPS64, np.float64, False, id="beyond"),
    pytest.param("leaky_relu", 1.0, -150 * EPS64, np.float64, True, id="leaky-within-below"),
    pytest.param("leaky_relu", 1.0, -400 * EPS64, np.float64, False, id="leaky-beyond-below"),
    pytest.param("relu", 1.0, 150 * EPS32, np.float32, True, id="float32-within"),
    pytest.param("relu", 1.0, 400 * EPS32, np.float32, False, id="float32-beyond"),
    pytest.param("relu", 2.0 ** -1000, 10 * TINY64, np.float64, True, id="within-16-tiny"),
    pytest.param("relu", 2.0 ** -1000, 16.5 * TINY64, np.float64, False, id="beyond-16-tiny"),
    pytest.param("relu", 0.0, 0.0, np.float64, False, id="no-magnitude"),
    pytest.param("sigmoid", 1.0, 0.0, np.float64, False, id="smooth"),
    pytest.param("identity", 1.0, 0.0, np.float64, False, id="no-kink"),
])
def test_a_layer_is_kink_ambiguous_where_its_net_input_is_within_rounding_of_0(
        activation: str, x: float, z: float, dtype: type, ambiguous: bool) -> None:
    """Z[l] = 1·A[l−1] + b with A[l−1] = x and b = −(x − z) is z exactly; Zmag[l] = Amag[l−1] +
    |x − z| is about 3x for l = 2 (Amag[1] = |A[1]| + |g′| Zmag[1] = 2x) and 2x for l = 1: ambiguous
    where |z| ≤ KINK_ULPS · eps · Zmag + 16 · tiny (eps and tiny of ``dtype``)."""
    weights = [np.ones((1, 1)), np.ones((1, 1))]
    biases = [np.zeros((1, 1)), np.array([[-(x - z)]])]
    assert (weights[1] @ np.array([[x]]) + biases[1]).item() == z
    layers = kink_ambiguous_layers(weights, np.array([[x]]), ["identity", activation], dtype,
                                   biases=biases)
    assert layers == ([2] if ambiguous else [])
    assert kink_ambiguous_layers(weights, np.array([[x]]), [activation, "identity"], dtype,
                                 biases=biases[::-1]) == ([1] if ambiguous else [])


def test_a_net_input_exactly_at_the_bound_is_kink_ambiguous() -> None:
    """Z = b = Zmag with b (1 − KINK_ULPS · eps) = 16 · tiny exactly (X = 0)."""
    b = 2.0 ** -1018 + KINK_ULPS * 2.0 ** -1070
    assert KINK_ULPS * EPS64 * b + 16 * TINY64 == b
    for sign in (1.0, -1.0):
        assert kink_ambiguous_layers([np.ones((1, 1))], np.zeros((1, 1)), ["relu"],
                                     biases=[np.array([[sign * b]])]) == [1]
    assert kink_ambiguous_layers([np.ones((1, 1))], np.zeros((1, 1)), ["relu"],
                                 biases=[np.array([[np.nextafter(b, 1.0)]])]) == []


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.longdouble])
def test_the_scales_are_computed_in_float64_from_any_input_dtype(dtype: type) -> None:
    """From float32, int or long double arrays: float64 scales, those of the float64 values."""
    weights, X, Y, biases = _network(3, (2, 2, 2, 2), 5)
    if dtype is np.int64:
        weights, X, Y, biases = ([np.round(10 * a) for a in weights], np.round(10 * X),
                                 np.round(10 * Y), [np.round(10 * b) for b in biases])
    acts = ["tanh", "relu", "identity"]
    cast = [[a.astype(dtype) for a in arrays] for arrays in (weights, [X, Y], biases)]
    exact = [[a.astype(dtype).astype(np.float64) for a in arrays]
             for arrays in (weights, [X, Y], biases)]
    got = condition_scale(cast[0], *cast[1], acts, biases=cast[2])
    expected = condition_scale(exact[0], *exact[1], acts, biases=exact[2])
    for g, e in zip(got.dW + got.db, expected.dW + expected.db):
        assert g.dtype == np.float64
        np.testing.assert_array_equal(g, e)
    loss = loss_scale(cast[0], *cast[1], acts, biases=cast[2])
    assert type(loss) is float and loss == loss_scale(exact[0], *exact[1], acts, biases=exact[2])
