"""``reference.compare``: the worst entry it names and the failure messages of
``assert_gradients_close``, which the property tests print when the kernel disagrees."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from reference.compare import (
    GradientsWithBiases,
    assert_gradients_close,
    max_relative_error,
    worst_mismatch,
)

GOT = [np.zeros((2, 3)), np.zeros((1, 2))]
EXPECTED = [np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[0.0, 0.5]])]
SCALE = [np.ones((2, 3)), np.ones((1, 2))]


def test_the_worst_entry_is_the_one_with_the_largest_relative_error() -> None:
    worst = worst_mismatch(GOT, EXPECTED, SCALE)
    assert (worst.layer, worst.k, worst.j) == (1, 1, 2)
    assert (worst.expected, worst.got, worst.relative_error, worst.symbol) == (1.0, 0.0, 1.0, "ΔW")


def test_no_arrays_have_no_error() -> None:
    assert max_relative_error([], [], []) == 0.0
    assert assert_gradients_close([], [], [], 1e-10) == 0.0


BIASES = GradientsWithBiases([np.zeros((1, 2))], [np.zeros((1, 1))])


@pytest.mark.parametrize(("got", "expected", "message"), [
    pytest.param(GOT[:1], EXPECTED, "ΔW: got 1 arrays, expected 2", id="count"),
    pytest.param([np.zeros((2, 2)), GOT[1]], EXPECTED,
                 "ΔW: ΔW[1] has shape (2, 2), expected (2, 3)", id="shape"),
    pytest.param([GOT[0], np.array([[np.nan, 0.0]])], EXPECTED,
                 "ΔW: ΔW[2] has non-finite entries", id="non-finite"),
    pytest.param(GOT, EXPECTED, "ΔW differs beyond rtol=1e-10: ΔW[1][k=1, j=2] (the weight w_jk "
                 "from node j of layer 0 to node k of layer 1): expected 1.0, got 0.0, relative "
                 "error 1", id="beyond-rtol"),
    pytest.param(BIASES, GradientsWithBiases([np.zeros((1, 2))], [np.ones((1, 1))]),
                 "ΔW differs beyond rtol=1e-10: Δb[1][k=0] (the bias of node k of layer 1): "
                 "expected 1.0, got 0.0, relative error 1", id="bias-beyond-rtol"),
    pytest.param(BIASES, GradientsWithBiases([np.array([[0.0, 2.0]])], [np.zeros((1, 1))]),
                 "ΔW differs beyond rtol=1e-10: ΔW[1][k=0, j=1] (the weight w_jk from node j of "
                 "layer 0 to node k of layer 1): expected 2.0, got 0.0, relative error 2",
                 id="pair-weight-beyond-rtol"),
    pytest.param(GOT, BIASES, "ΔW: compare (dW, db) pairs with (dW, db) pairs, got list, "
                 "GradientsWithBiases and list", id="pair-with-list"),
])
def test_a_failed_comparison_names_what_failed(got: Any, expected: Any, message: str) -> None:
    scale = (GradientsWithBiases([np.ones((1, 2))], [np.ones((1, 1))])
             if isinstance(expected, GradientsWithBiases) and isinstance(got, GradientsWithBiases)
             else SCALE)
    with pytest.raises(AssertionError) as info:
        assert_gradients_close(got, expected, scale, 1e-10)
    assert str(info.value).startswith(message), str(info.value)


def test_within_rtol_the_largest_error_is_returned() -> None:
    assert assert_gradients_close(GOT, EXPECTED, SCALE, 1.0) == 1.0
