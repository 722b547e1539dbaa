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
    relative_errors,
    worst_mismatch,
)

GOT = [np.zeros((2, 3)), np.zeros((1, 2))]
EXPECTED = [np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[0.0, 0.5]])]
SCALE = [np.ones((2, 3)), np.ones((1, 2))]


def test_the_worst_entry_is_the_one_with_the_largest_relative_error() -> None:
    worst = worst_mismatch(GOT, EXPECTED, SCALE)
    assert (worst.layer, worst.k, worst.j) == (1, 1, 2)
    assert (worst.expected, worst.got, worst.relative_error, worst.symbol) == (1.0, 0.0, 1.0, "ΔW")
    half = worst_mismatch(GOT, EXPECTED, [np.ones((2, 3)), np.full((1, 2), 0.25)], "Δb")
    assert (half.layer, half.k, half.j, half.relative_error, half.scale, half.symbol) == (
        2, 0, 1, 2.0, 0.25, "Δb")


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
                 "error 1 = |got − expected| / 1, the entry's condition scale", id="beyond-rtol"),
    pytest.param(BIASES, GradientsWithBiases([np.zeros((1, 2))], [np.ones((1, 1))]),
                 "ΔW differs beyond rtol=1e-10: Δb[1][k=0] (the bias of node k of layer 1): "
                 "expected 1.0, got 0.0, relative error 1 = |got − expected| / 1, the entry's "
                 "condition scale", id="bias-beyond-rtol"),
    pytest.param(BIASES, GradientsWithBiases([np.array([[0.0, 2.0]])], [np.zeros((1, 1))]),
                 "ΔW differs beyond rtol=1e-10: ΔW[1][k=0, j=1] (the weight w_jk from node j of "
                 "layer 0 to node k of layer 1): expected 2.0, got 0.0, relative error 2 = "
                 "|got − expected| / 1, the entry's condition scale", id="pair-weight-beyond-rtol"),
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


def test_pairs_are_compared_as_their_weights_then_their_biases() -> None:
    got = GradientsWithBiases([np.array([[1.0, 2.0]])], [np.array([[3.0]])])
    expected = GradientsWithBiases([np.array([[1.0, 1.0]])], [np.array([[1.0]])])
    scale = GradientsWithBiases([np.array([[4.0, 4.0]])], [np.array([[8.0]])])
    errors = relative_errors(got, expected, scale)
    assert [e.tolist() for e in errors] == [[[0.0, 0.25]], [[0.25]]]
    assert max_relative_error(got, expected, scale) == 0.25
    assert max_relative_error(got, expected, [np.ones((1, 2)), np.ones((1, 1))]) == 2.0


def test_equal_entries_have_no_error_whatever_the_scale() -> None:
    """No 0/0 (and no warning, under filterwarnings = error) where the scale is 0 or inf."""
    errors = relative_errors([np.array([[1.0, 2.0, 3.0]])], [np.array([[1.0, 2.0, 5.0]])],
                             [np.array([[0.0, np.inf, 4.0]])])
    assert errors[0].tolist() == [[0.0, 0.0, 0.5]]


@pytest.mark.parametrize("dtype", [np.float32, np.longdouble])
def test_the_errors_are_float64_whatever_the_dtypes(dtype: type) -> None:
    """float32 1e8 − 1 would round to 1e8; in float64 it is 99999999, and so is the error of
    a scale of 1. A long double error comes back float64, and an equal entry (3 = 3) is 0."""
    got, expected = [np.array([[1e8, 3.0]], dtype=dtype)], [np.array([[1.0, 3.0]], dtype=dtype)]
    for scale in ([np.ones((1, 2), dtype=dtype)], [np.ones((1, 2))]):
        for errors in (relative_errors(got, expected, scale),
                       relative_errors(expected, got, scale)):
            assert errors[0].dtype == np.float64
            assert errors[0].tolist() == [[99999999.0, 0.0]]
