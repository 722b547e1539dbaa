"""The worked example of lecture 8-3, reproduced to 10 decimals.

The network and the expected numbers are in tests/helpers.py (tests/test_explain.py uses them
too); they were checked by hand from the slides' formulas and are cross-checked against jax.grad
below.
"""

from __future__ import annotations

import numpy as np
import pytest

import manual_backprop as mb
import reference
from tests.helpers import A1, DW1, DW2, W1, W2, Y_HAT, Z2, x, y


def test_forward_pass() -> None:
    f = mb.forward([W1, W2], x)
    np.testing.assert_allclose(f.Z[1].ravel(), [0.1, 0.2, 0.3], atol=1e-12)
    np.testing.assert_allclose(f.A[1].ravel(), A1, atol=1e-10)
    np.testing.assert_allclose(f.Z[2].ravel(), Z2, atol=1e-10)
    np.testing.assert_allclose(f.A[2].ravel(), Y_HAT, atol=1e-10)
    assert mb.loss([W1, W2], x, y) == pytest.approx(0.18737644663626213, abs=1e-15)


@pytest.mark.parametrize("hidden_error", ["exact", "lecture"])
def test_gradients(hidden_error: str) -> None:
    dW1, dW2 = mb.gradients([W1, W2], x, y, hidden_error=hidden_error)
    np.testing.assert_allclose(dW2, DW2, atol=1e-10)
    np.testing.assert_allclose(dW1, DW1[hidden_error], atol=1e-10)
    np.testing.assert_allclose(
        mb.gradients_elementwise([W1, W2], x, y, hidden_error=hidden_error)[0], DW1[hidden_error],
        atol=1e-10)


def test_exact_matches_jax_and_lecture_does_not() -> None:
    dW1, dW2 = reference.gradients([W1, W2], x, y)
    np.testing.assert_allclose(dW1, DW1["exact"], atol=1e-10)
    np.testing.assert_allclose(dW2, DW2, atol=1e-10)
    # The lecture's ΔW[1] is about 4 times too large here: g′(Z[2]) ≈ 0.24 is missing.
    ratio = np.asarray(DW1["lecture"])[:, 0] / np.asarray(DW1["exact"])[:, 0]
    assert np.all((ratio > 4.0) & (ratio < 4.2))


def test_one_step() -> None:
    new1, new2 = mb.step([W1, W2], x, y, alpha=0.5)
    np.testing.assert_allclose(new2, W2 - 0.5 * np.asarray(DW2), atol=1e-12)
    np.testing.assert_allclose(new1, W1 - 0.5 * np.asarray(DW1["exact"]), atol=1e-12)
    assert mb.loss([new1, new2], x, y) < mb.loss([W1, W2], x, y)
