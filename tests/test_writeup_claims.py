"""Every claim of docs/hidden-error.md, by its number there ("[claim N]")."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import find, given, settings

import manual_backprop as mb
import reference
from manual_backprop.teaching.xor import THRESHOLDS, initial_weights, train
from reference import networks, rtol_for
from reference.tolerances import underflow_floor
from tests import helpers
from tests.helpers import (
    jax_grad,
    jax_sees_the_same_net_inputs,
    kernel,
    lecture_is_not_the_gradient,
    scale,
)

DOC = Path(__file__).parent.parent / "docs" / "hidden-error.md"
F64 = (np.dtype(np.float64),)
SMOOTH = ("sigmoid", "tanh", "softplus")
FIND = settings(database=None, derandomize=True, max_examples=2000)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """cos of the angle between a and b (both nonzero), safe from underflow."""
    a, b = a / np.max(np.abs(a)), b / np.max(np.abs(b))
    return float(np.sum(a * b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def one_output(net: reference.Network) -> reference.Network:
    """The same network cut down to its first output unit (keeps every other layer)."""
    return reference.Network([*net.weights[:-1], net.weights[-1][:1]], net.X, net.Y[:1],
                             net.activations, net.dtype)


def test_every_claim_of_the_document_has_a_test() -> None:
    claims = {int(n) for n in re.findall(r"\[claim (\d+)\]", DOC.read_text(encoding="utf-8"))}
    tested = {int(n) for n in re.findall(r"def test_claim_(\d+)_", Path(__file__).read_text())}
    assert claims == tested == set(range(1, 11))


@given(networks(dtypes=F64, min_depth=2, max_depth=2))
def test_claim_1_the_exact_hidden_error_gives_the_gradient(net: reference.Network) -> None:
    """ΔW[1] = −(W[2]ᵀ(E[2] ⊙ g′(Z[2])) ⊙ g′(Z[1])) A[0]ᵀ, written out here, is jax.grad."""
    f = mb.forward(net.weights, net.X, net.activations)
    assert f.Z[1] is not None and f.Z[2] is not None
    g1, g2 = (mb.ACTIVATIONS[a].g_prime for a in net.activations)
    E1 = net.weights[1].T @ ((net.Y - f.A[2]) * g2(f.Z[2]))
    dW1 = -(E1 * g1(f.Z[1])) @ net.X.T
    np.testing.assert_allclose(dW1, kernel(net)[0], rtol=1e-12, atol=1e-300)
    if jax_sees_the_same_net_inputs(net):
        reference.assert_gradients_close([dW1], jax_grad(net)[:1], scale(net)[:1],
                                         rtol_for(net.dtype))


@given(networks())
def test_claim_2_the_last_layer_is_the_same_bit_for_bit(net: reference.Network) -> None:
    np.testing.assert_array_equal(kernel(net, "lecture")[-1], kernel(net, "exact")[-1])


def test_claim_3_the_worked_example_is_about_4_times_but_not_parallel() -> None:
    W, x, y = [helpers.W1, helpers.W2], helpers.x, helpers.y          # the worked example
    exact = mb.gradients(W, x, y)[0][:, 0]
    lecture = mb.gradients(W, x, y, hidden_error="lecture")[0][:, 0]
    np.testing.assert_allclose(reference.gradients(W, x, y)[0][:, 0], exact, rtol=1e-10)
    assert [f"{r:.3f}" for r in lecture / exact] == ["4.082", "4.086", "4.076"]
    g2 = mb.ACTIVATIONS["sigmoid"].g_prime(W[1] @ mb.forward(W, x).A[1]).ravel()
    assert [f"{g:.4f}" for g in g2] == ["0.2435", "0.2471"]
    assert cosine(lecture, exact) < 1 - 1e-9          # two outputs: not one common factor


@given(networks(min_depth=2, last_activations=("identity",)))
def test_claim_4_linear_later_layers_make_them_coincide(net: reference.Network) -> None:
    lecture, exact = kernel(net, "lecture"), kernel(net, "exact")
    for a, b in zip(lecture, exact):
        np.testing.assert_array_equal(a, b)
    if jax_sees_the_same_net_inputs(net):
        reference.assert_gradients_close(lecture, jax_grad(net), scale(net), rtol_for(net.dtype))


@given(networks(dtypes=F64, min_depth=2, max_batch=1))
def test_claim_5_one_output_one_sample_scales_by_g_prime(net: reference.Network) -> None:
    """n_L = 1, m = 1: exact ΔW[L−1] = g′(z_L) · lecture ΔW[L−1], for every depth; the same
    direction exactly when g′(z_L) > 0 (relu with z_L ≤ 0: the gradient is 0)."""
    net = one_output(net)
    f = mb.forward(net.weights, net.X, net.activations)
    z_L = f.Z[-1]
    assert z_L is not None
    g = float(mb.ACTIVATIONS[net.activations[-1]].g_prime(z_L)[0, 0])
    lecture, exact = kernel(net, "lecture")[-2], kernel(net, "exact")[-2]
    np.testing.assert_allclose(exact, g * lecture, rtol=1e-12, atol=1e-300)
    used = lecture != 0                  # compare directions where nothing underflowed
    floor = underflow_floor(np.float64)
    if g > 0 and used.any() and np.all(np.abs(exact[used]) > floor) and np.all(
            np.abs(lecture[used]) > floor):
        assert cosine(lecture, exact) == pytest.approx(1.0, abs=1e-12)   # (not in subnormals)
    if net.activations[-1] in (*SMOOTH, "leaky_relu"):
        assert g > 0 or float(abs(z_L[0, 0])) > 350      # g′ underflows to 0 only far out
    if net.activations[-1] == "relu" and z_L[0, 0] <= 0:
        assert np.all(exact == 0)


@given(networks(dtypes=F64, min_depth=2, max_depth=2, max_batch=1, activations=("sigmoid",)))
def test_claim_6_sigmoid_makes_the_lecture_step_at_least_4_times_longer(
        net: reference.Network) -> None:
    net = one_output(net)
    lecture, exact = kernel(net, "lecture")[0], kernel(net, "exact")[0]
    # σ′ ≤ ¼ with equality at z = 0, where the two agree up to rounding (a few ulps, or the
    # absolute spacing of subnormal numbers below the smallest normal float, tiny)
    slack = np.finfo(np.float64).tiny
    assert np.all(np.abs(lecture) >= 4 * np.abs(exact) * (1 - 1e-14) - slack)


def test_claim_7_two_hidden_layers_lose_the_direction() -> None:
    """L = 3, one output, one sample: the lecture's ΔW[1] is not parallel to the gradient."""
    def not_parallel(net: reference.Network) -> bool:
        if net.Y.shape[0] != 1:
            return False
        a, b = kernel(net, "lecture")[0], kernel(net, "exact")[0]
        return bool(np.any(b != 0)) and abs(cosine(a, b)) < 0.99
    found = find(networks(dtypes=F64, min_depth=3, max_depth=3, max_batch=1,
                          activations=("sigmoid",), mixed=False), not_parallel, settings=FIND)
    assert found.m == 1 and found.Y.shape[0] == 1 and len(found.weights) == 3


def test_claim_8_several_samples_can_point_uphill() -> None:
    W = [np.array([[1.0]]), np.array([[4.0]])]
    X, Y = np.array([[-2.0, 1.0]]), np.array([[0.0, 0.0]])
    exact, lecture = mb.gradients(W, X, Y)[0], mb.gradients(W, X, Y, hidden_error="lecture")[0]
    assert (f"{exact[0, 0]:.4f}", f"{lecture[0, 0]:.4f}") == ("-0.0864", "0.2281")
    np.testing.assert_allclose(reference.gradients(W, X, Y)[0], exact, rtol=1e-10)
    assert f"{mb.loss(W, X, Y):.6f}" == "0.640672"
    after = {a: mb.loss(mb.step(W, X, Y, a, hidden_error="lecture"), X, Y) for a in (1e-3, 0.1)}
    assert (f"{after[1e-3]:.6f}", f"{after[0.1]:.6f}") == ("0.640689", "0.642419")
    for a in (1e-3, 0.1):
        assert mb.loss(mb.step(W, X, Y, a), X, Y) < mb.loss(W, X, Y)


def test_claim_9_the_minimal_counterexample() -> None:
    found = find(networks(dtypes=F64, activations=SMOOTH), lecture_is_not_the_gradient,
                 settings=FIND)
    assert set(found.widths) == {1} and found.m == 1
    z_L = mb.forward(found.weights, found.X, found.activations).Z[-1]
    g = mb.ACTIVATIONS[found.activations[-1]].g_prime(z_L)
    lecture, exact = kernel(found, "lecture"), kernel(found, "exact")
    np.testing.assert_allclose(lecture[-2], exact[-2] / g, rtol=1e-12)
    # the network the document shows (printed by Hypothesis 6.170)
    W = [np.array([[0.0]]), np.array([[0.0]]), np.array([[1.0]])]
    x = y = np.array([[0.0]])
    exact, lecture = mb.gradients(W, x, y), mb.gradients(W, x, y, hidden_error="lecture")
    assert (f"{exact[1][0, 0]:.5f}", f"{lecture[1][0, 0]:.5f}") == ("0.01829", "0.07781")
    assert f"{lecture[1][0, 0] / exact[1][0, 0]:.4f}" == "4.2553"
    assert f"{1 / mb.ACTIVATIONS['sigmoid'].g_prime(np.array([[0.5]]))[0, 0]:.4f}" == "4.2553"
    assert exact[0][0, 0] == lecture[0][0, 0] == 0 and exact[2][0, 0] == lecture[2][0, 0]


def xor_row(seed: int) -> str:
    """One row of the document's XOR table, recomputed (the table was written with this)."""
    W0 = initial_weights(seed)
    ex, le = train(W0, 1000, 1.0, "exact"), train(W0, 1000, 1.0, "lecture")

    def ep(e: int | None) -> str:
        return "never" if e is None else str(e)
    cells = [str(seed)] + [f"{ep(ex.epochs_to[t])} / {ep(le.epochs_to[t])}" for t in THRESHOLDS]
    cells.append(f"{ex.final_loss:.4f} / {le.final_loss:.4f}")
    cells += [" ".join(f"{p:.3f}" for p in r.predictions) for r in (ex, le)]
    return "| " + " | ".join(cells) + " |"


def test_claim_10_the_xor_table() -> None:
    """The table has a row for each seed the text names, each row is what `xor` measures, and
    what the text says about them holds."""
    doc = DOC.read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if re.match(r"\| \d+ \|", line)]
    first, last = map(int, re.findall(r"Measured for seeds (\d+)–(\d+)", doc)[0])
    assert [int(line.split("|")[1]) for line in rows] == list(range(first, last + 1))
    assert all(str(t) in doc.split("| seed |")[1].splitlines()[0] for t in THRESHOLDS)
    for line in rows:
        seed = int(line.split("|")[1])
        assert line == xor_row(seed)
        cells = [c.strip() for c in line.split("|")[1:-1]]
        for cell in cells[1:5]:                         # lecture reaches each threshold first
            a, b = (float("inf") if c == "never" else int(c) for c in cell.split(" / "))
            assert b <= a and (b < a or a == float("inf"))
        final_exact, final_lecture = map(float, cells[5].split(" / "))
        assert final_lecture < final_exact
        for preds in cells[6:8]:                        # every prediction on the right side
            p = [float(v) for v in preds.split()]
            assert p[0] < 0.5 < p[1] and p[2] > 0.5 > p[3]
