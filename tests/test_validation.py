"""The one validation layer, table-tested: every bad input is a ValueError or TypeError whose
message names the argument, says what it got and what was expected.

The network behind every row is W[1] (3, 2), W[2] (1, 3), X (2, 4), Y (1, 4), b[1] (3, 1),
b[2] (1, 1), all float64; a row replaces some arguments and calls one public function.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import manual_backprop as mb
from reference import Network, networks
from tests import _stats

F32 = np.float32


def good() -> dict[str, Any]:
    return {"weights": [np.full((3, 2), 0.5), np.full((1, 3), -0.5)], "X": np.ones((2, 4)),
            "Y": np.zeros((1, 4)), "activation": "sigmoid", "hidden_error": "exact",
            "alpha": 0.1, "biases": None}


def with_nan(shape: tuple[int, ...], where: tuple[int, ...], value: float = np.nan) -> np.ndarray:
    a = np.ones(shape)
    a[where] = value
    return a


def W1(**kw: Any) -> list[Any]:
    return [kw.get("W1", np.full((3, 2), 0.5)), kw.get("W2", np.full((1, 3), -0.5))]


B = [np.zeros((3, 1)), np.zeros((1, 1))]


def call(fn: str, args: dict[str, Any]) -> Any:
    a = args
    if fn == "forward":
        return mb.forward(a["weights"], a["X"], a["activation"], biases=a["biases"])
    if fn == "loss":
        return mb.loss(a["weights"], a["X"], a["Y"], a["activation"], biases=a["biases"])
    if fn == "step":
        return mb.step(a["weights"], a["X"], a["Y"], a["alpha"], a["activation"],
                       hidden_error=a["hidden_error"], biases=a["biases"])
    f: Callable[..., Any] = getattr(mb, fn)
    return f(a["weights"], a["X"], a["Y"], a["activation"], hidden_error=a["hidden_error"],
             biases=a["biases"])


KINDS: dict[str, tuple[str, str]] = {}
"""Row id -> (the argument it breaks, the kind of error): what the table covers."""


def row(id: str, kind: str, fn: str, changes: dict[str, Any], exc: type[Exception],
        fragment: str) -> Any:
    """A bad input: ``changes`` (the first key is the argument it breaks) applied to the good
    network, passed to ``fn``; ``kind`` is the check that rejects it (see COVERAGE)."""
    KINDS[id] = (next(iter(changes)), kind)
    return pytest.param(fn, changes, exc, fragment, id=id)


def tanh_prime_scalar(Z: np.ndarray) -> float:
    return 1.0


BAD_INPUTS = [
    # --- weights: not a list, empty, wrong ndim, not chaining, zero size, not numbers
    row("weights-is-one-ndarray", "type", "gradients", {"weights": np.ones((3, 2))}, TypeError,
        "`weights` must be a list of 2-D arrays [W1, W2, ...], got ndarray with shape (3, 2); "
        "wrap a single layer as [W]"),
    row("weights-is-None", "type", "loss", {"weights": None}, TypeError,
        "`weights` must be a list of 2-D arrays [W1, W2, ...], got NoneType"),
    row("weights-is-a-string", "type", "forward", {"weights": "W1"}, TypeError,
        "`weights` must be a list of 2-D arrays [W1, W2, ...], got str"),
    row("weights-is-a-generator", "type", "gradients", {"weights": (w for w in W1())}, TypeError,
        "`weights` must be a list of 2-D arrays [W1, W2, ...], got generator"),
    row("weights-empty", "count", "step", {"weights": []}, ValueError,
        "`weights` is empty; a network needs at least one layer (L >= 1)"),
    row("weights-1d-layer", "shape", "gradients", {"weights": W1(W2=np.ones(3))}, ValueError,
        "`weights[1]` must be 2-dimensional (n_2, n_1) (the lecture's W[2]), got 1 dimension(s) "
        "with shape (3,)"),
    row("weights-3d-layer", "shape", "loss", {"weights": W1(W1=np.ones((3, 2, 1)))}, ValueError,
        "`weights[0]` must be 2-dimensional (n_1, n_0) (the lecture's W[1]), got 3 dimension(s)"),
    row("weights-do-not-chain", "shape", "gradients", {"weights": W1(W2=np.ones((1, 4)))},
        ValueError, "`weights[1].shape[1]` (=4) must equal `weights[0].shape[0]` (=3): W[2] takes "
        "the 3 outputs of layer 1 as its inputs"),
    row("weights-zero-width", "shape", "gradients",
        {"weights": [np.ones((0, 2)), np.ones((1, 0))]}, ValueError,
        "`weights[0]` has shape (0, 2) with a zero-size dimension"),
    row("weights-entry-None", "type", "gradients", {"weights": W1(W2=None)}, TypeError,
        "`weights[1]` must be an array of numbers, got NoneType"),
    row("weights-ragged-nested-list", "type", "gradients", {"weights": W1(W1=[[1.0, 2.0], [3.0]])},
        TypeError, "`weights[0]` could not be read as an array of numbers"),
    row("weights-inf", "finite", "gradients", {"weights": W1(W2=with_nan((1, 3), (0, 2), np.inf))},
        ValueError, "`weights[1]` must be finite, but `weights[1][0, 2]` = inf (1 non-finite "
        "entry)"),
    row("weights-bool", "dtype", "gradients", {"weights": W1(W1=np.ones((3, 2), dtype=bool))},
        TypeError, "`weights[0]` has dtype bool; expected float32 or float64 numbers"),
    row("weights-object", "dtype", "gradients", {"weights": W1(W1=np.ones((3, 2), dtype=object))},
        TypeError, "`weights[0]` has dtype object; expected float32 or float64 numbers"),
    # --- X
    row("X-1d-one-sample", "shape", "gradients", {"X": np.ones(2)}, ValueError,
        "`X` has shape (2,) but must be (n_0, m) = (2, m), one sample per column; for one sample "
        "pass `X.reshape(-1, 1)`"),
    row("X-3d", "shape", "forward", {"X": np.ones((2, 4, 1))}, ValueError,
        "`X` must be 2-dimensional (n_0, m) = (2, m), one sample per column, got 3 dimension(s)"),
    row("X-samples-in-rows", "shape", "gradients", {"X": np.ones((4, 2))}, ValueError,
        "`X.shape[0]` (=4) must equal `weights[0].shape[1]` (=2), the number of inputs n_0; "
        "samples go in columns, pass `X.T`"),
    row("X-wrong-number-of-inputs", "shape", "loss", {"X": np.ones((3, 4))}, ValueError,
        "`X.shape[0]` (=3) must equal `weights[0].shape[1]` (=2), the number of inputs n_0"),
    row("X-zero-samples", "shape", "gradients", {"X": np.ones((2, 0)), "Y": np.ones((1, 0))},
        ValueError, "`X` has shape (2, 0) with a zero-size dimension; every width and the batch "
        "size m must be at least 1"),
    row("X-nan", "finite", "gradients", {"X": with_nan((2, 4), (1, 3))}, ValueError,
        "`X` must be finite, but `X[1, 3]` = nan (1 non-finite entry)"),
    row("X-inf-forward", "finite", "forward", {"X": with_nan((2, 4), (0, 2), np.inf)},
        ValueError, "`X` must be finite, but `X[0, 2]` = inf (1 non-finite entry)"),
    row("X-nan-elementwise", "finite", "gradients_elementwise", {"X": with_nan((2, 4), (1, 0))},
        ValueError, "`X` must be finite, but `X[1, 0]` = nan (1 non-finite entry)"),
    row("X-complex", "dtype", "gradients", {"X": np.ones((2, 4), dtype=complex)}, TypeError,
        "`X` has complex dtype complex128; expected real float32 or float64"),
    row("X-strings", "dtype", "gradients", {"X": np.full((2, 4), "1.0")}, TypeError,
        "`X` has dtype <U3; expected float32 or float64 numbers"),
    row("X-float16", "dtype", "gradients", {"X": np.ones((2, 4), dtype=np.float16)}, TypeError,
        "`X` has dtype float16; only float32 and float64 are supported, pass "
        "`X.astype(np.float64)`"),
    row("X-is-a-string", "type", "forward", {"X": "x"}, TypeError,
        "`X` must be an array of numbers, got str"),
    # --- Y
    row("Y-1d-(m,)", "shape", "gradients", {"Y": np.zeros(4)}, ValueError,
        "`Y` has shape (4,) but must be (n_L, m) = (1, 4): one target column per sample of X; "
        "pass `Y.reshape(1, -1)`"),
    row("Y-(m,1)", "shape", "gradients", {"Y": np.zeros((4, 1))}, ValueError,
        "`Y` has shape (4, 1) but must be (n_L, m) = (1, 4): one target column per sample of X; "
        "samples go in columns, pass `Y.T`"),
    row("Y-wrong-outputs", "shape", "loss", {"Y": np.zeros((2, 4))}, ValueError,
        "`Y` has shape (2, 4) but must be (n_L, m) = (1, 4)"),
    row("Y-wrong-samples", "shape", "gradients", {"Y": np.zeros((1, 3))}, ValueError,
        "`Y` has shape (1, 3) but must be (n_L, m) = (1, 4)"),
    row("Y-3d", "shape", "gradients", {"Y": np.zeros((1, 4, 1))}, ValueError,
        "`Y` has shape (1, 4, 1) but must be (n_L, m) = (1, 4)"),
    row("Y-minus-inf", "finite", "step", {"Y": with_nan((1, 4), (0, 0), -np.inf)}, ValueError,
        "`Y` must be finite, but `Y[0, 0]` = -inf"),
    row("Y-is-None", "type", "loss", {"Y": None}, TypeError,
        "`Y` must be an array of numbers, got NoneType"),
    row("Y-bool", "dtype", "gradients", {"Y": np.zeros((1, 4), dtype=bool)}, TypeError,
        "`Y` has dtype bool; expected float32 or float64 numbers"),
    # --- dtypes
    row("mixed-float32-float64", "dtype", "gradients", {"X": np.ones((2, 4), dtype=F32)}, TypeError,
        "mixed float dtypes: `weights[0]` is float64, `weights[1]` is float64, `X` is float32, "
        "`Y` is float64; convert them to one dtype"),
    # --- activation
    row("activation-typo", "name", "gradients", {"activation": "sigmod"}, ValueError,
        "`activation` is 'sigmod', not a known activation; expected one of 'sigmoid', 'tanh', "
        "'relu', 'leaky_relu', 'identity', 'softplus'; did you mean 'sigmoid'?"),
    row("activation-capitalised", "name", "forward", {"activation": "ReLU"}, ValueError,
        "`activation` is 'ReLU', not a known activation; expected one of"),
    row("activation-unknown-no-suggestion", "name", "loss", {"activation": "xyz"}, ValueError,
        "`activation` is 'xyz', not a known activation; expected one of 'sigmoid', 'tanh', "
        "'relu', 'leaky_relu', 'identity', 'softplus'"),
    row("activation-per-layer-wrong-length", "count", "gradients", {"activation": ["relu"]},
        ValueError, "`activation` lists 1 activation(s) but the network has L = 2 layer(s); give "
        "one name, or one per layer"),
    row("activation-per-layer-typo", "name", "gradients", {"activation": ["relu", "tahn"]},
        ValueError, "`activation[1]` is 'tahn', not a known activation; expected one of "
        "'sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', 'softplus'; did you mean 'tanh'?"),
    row("activation-int", "type", "gradients", {"activation": 3}, TypeError,
        "`activation` must be a name such as 'sigmoid', an Activation, a (g, g′) pair of "
        "functions, or a list of L of them, got int"),
    row("activation-per-layer-None", "type", "step", {"activation": ["relu", None]}, TypeError,
        "`activation[1]` must be an activation name such as 'sigmoid', an Activation or a "
        "(g, g′) pair, got NoneType None"),
    row("activation-g-without-derivative", "function", "gradients", {"activation": np.tanh},
        TypeError, "`activation` is the function 'tanh' without its derivative; pass the pair "
        "(g, g_prime) or Activation(name, g, g_prime)"),
    row("activation-custom-g-prime-scalar", "function", "gradients",
        {"activation": (np.tanh, tanh_prime_scalar)}, ValueError,
        "activation 'tanh': g′(Z) returned shape () for Z of shape (3, 4); it must be "
        "elementwise (for a constant, return e.g. `np.ones_like(Z)`)"),
    row("activation-custom-g-nan", "function", "loss",
        {"activation": (lambda Z: Z * np.inf, lambda Z: Z)}, ValueError,
        "activation '<lambda>': g(z) = inf at z = 1.0; g and g′ must be finite for finite z"),
    # --- hidden_error
    row("hidden-error-typo", "name", "gradients", {"hidden_error": "lectur"}, ValueError,
        "`hidden_error` is 'lectur'; expected 'exact' (E[l] = W[l+1]ᵀ(E[l+1] ⊙ g′(Z[l+1])), the "
        "true gradient) or 'lecture' (E[l] = W[l+1]ᵀ E[l+1]); did you mean 'lecture'?"),
    row("hidden-error-None", "type", "step", {"hidden_error": None}, TypeError,
        "`hidden_error` is None; expected 'exact'"),
    row("hidden-error-elementwise", "name", "gradients_elementwise", {"hidden_error": "true"},
        ValueError, "`hidden_error` is 'true'; expected 'exact'"),
    # --- alpha
    row("alpha-zero", "value", "step", {"alpha": 0}, ValueError,
        "`alpha` must be a finite positive number (the step size α), got 0"),
    row("alpha-negative", "value", "step", {"alpha": -0.5}, ValueError,
        "`alpha` must be a finite positive number (the step size α), got -0.5"),
    row("alpha-nan", "value", "step", {"alpha": float("nan")}, ValueError,
        "`alpha` must be a finite positive number (the step size α), got nan"),
    row("alpha-inf", "value", "step", {"alpha": np.inf}, ValueError,
        "`alpha` must be a finite positive number (the step size α), got inf"),
    row("alpha-string", "type", "step", {"alpha": "0.1"}, TypeError,
        "`alpha` must be a real number (the step size α), got str '0.1'"),
    row("alpha-bool", "type", "step", {"alpha": True}, TypeError,
        "`alpha` must be a real number (the step size α), got bool True"),
    row("alpha-complex", "type", "step", {"alpha": 0.1 + 0j}, TypeError,
        "`alpha` must be a real number (the step size α), got complex"),
    row("alpha-array", "type", "step", {"alpha": np.array([0.1])}, TypeError,
        "`alpha` must be a real number (the step size α), got ndarray"),
    # --- biases
    row("biases-1d", "shape", "gradients", {"biases": [np.zeros(3), np.zeros((1, 1))]}, ValueError,
        "`biases[0]` has shape (3,) but must be (n_1, 1) = (3, 1), a column: b[1] adds one "
        "number to each of the 3 net inputs of layer 1; pass `biases[0].reshape(-1, 1)`"),
    row("biases-row", "shape", "step", {"biases": [np.zeros((1, 3)), np.zeros((1, 1))]}, ValueError,
        "`biases[0]` has shape (1, 3) but must be (n_1, 1) = (3, 1), a column"),
    row("biases-per-sample", "shape", "gradients", {"biases": [np.zeros((3, 4)), np.zeros((1, 1))]},
        ValueError, "`biases[0]` has shape (3, 4) but must be (n_1, 1) = (3, 1)"),
    row("biases-wrong-count", "count", "loss", {"biases": [np.zeros((3, 1))]}, ValueError,
        "`biases` has 1 array(s) but the network has L = 2 layer(s) (len(weights)); give one "
        "b[l] of shape (n_l, 1) per layer"),
    row("biases-is-one-ndarray", "type", "forward", {"biases": np.zeros((3, 1))}, TypeError,
        "`biases` must be a list of column arrays [b1, b2, ...] of shape (n_l, 1), got ndarray "
        "with shape (3, 1); wrap a single layer as [b]"),
    row("biases-float32-with-float64", "dtype", "gradients",
        {"biases": [np.zeros((3, 1), dtype=F32), np.zeros((1, 1), dtype=F32)]}, TypeError,
        "mixed float dtypes: `weights[0]` is float64, `weights[1]` is float64, `X` is float64, "
        "`Y` is float64, `biases[0]` is float32, `biases[1]` is float32"),
    row("biases-bool", "dtype", "gradients_elementwise",
        {"biases": [np.zeros((3, 1)), np.zeros((1, 1), dtype=bool)]}, TypeError,
        "`biases[1]` has dtype bool; expected float32 or float64 numbers"),
    row("biases-complex", "dtype", "gradients", {"biases": [np.zeros((3, 1), dtype=complex), B[1]]},
        TypeError, "`biases[0]` has complex dtype complex128"),
    row("biases-nan", "finite", "step", {"biases": [B[0], with_nan((1, 1), (0, 0))]}, ValueError,
        "`biases[1]` must be finite, but `biases[1][0, 0]` = nan"),
]


@pytest.mark.parametrize(("fn", "changes", "exc", "fragment"), BAD_INPUTS)
def test_bad_input_is_rejected_with_a_clear_message(fn: str, changes: dict[str, Any],
                                                    exc: type[Exception], fragment: str) -> None:
    args = good() | changes
    with pytest.raises(exc, match=re.escape(fragment)):
        call(fn, args)


@pytest.mark.parametrize(("fn", "changes", "exc", "fragment"), BAD_INPUTS)
def test_every_message_begins_with_what_it_is_about(fn: str, changes: dict[str, Any],
                                                    exc: type[Exception], fragment: str) -> None:
    """The argument's name first (or, for a mix of dtypes or a custom activation's result, the
    words that name them), so the reader sees at once what to fix."""
    argument = next(iter(changes))
    with pytest.raises(exc) as info:
        call(fn, good() | changes)
    assert str(info.value).startswith((f"`{argument}", "mixed float dtypes: `", "activation '")), (
        str(info.value))


FUNCTIONS = ("forward", "loss", "gradients", "step", "gradients_elementwise")

COVERAGE = {
    # an array (or list of arrays): not one at all, the wrong number of them (lists), the wrong
    # shape, the wrong dtype, a NaN or ±inf
    "weights": {"type", "count", "shape", "dtype", "finite"},
    "X": {"type", "shape", "dtype", "finite"},
    "Y": {"type", "shape", "dtype", "finite"},
    "biases": {"type", "count", "shape", "dtype", "finite"},
    # a name, or a list of one per layer, or custom functions (that misbehave)
    "activation": {"type", "count", "name", "function"},
    "hidden_error": {"type", "name"},
    "alpha": {"type", "value"},                 # a number, finite and positive
}
"""Every argument of the public functions, and every kind of error it can have."""


def test_the_table_covers_every_argument_every_kind_of_error_and_every_function() -> None:
    """Each argument of the kernel's functions has a row for each way it can be wrong, each of
    them a TypeError (not the right kind of object) or a ValueError (the right kind, a wrong
    value), and each public function is called by some row."""
    covered: dict[str, set[str]] = {}
    for argument, kind in KINDS.values():
        covered.setdefault(argument, set()).add(kind)
    assert covered == COVERAGE
    errors = {(KINDS[p.id][0], p.values[2]) for p in BAD_INPUTS if p.id}
    assert errors == {(a, e) for a in COVERAGE for e in (TypeError, ValueError)}
    assert {p.values[0] for p in BAD_INPUTS} == set(FUNCTIONS)
    assert len(KINDS) == len(BAD_INPUTS)                 # the ids are distinct


def test_the_good_network_is_good() -> None:
    for fn in FUNCTIONS:
        call(fn, good())
        call(fn, good() | {"biases": B})


# --- beyond the table: hints only where the fix is obvious, the count, the names --------------

def message(exc: type[Exception], fn: str, changes: dict[str, Any]) -> str:
    """The message of the ``exc`` that ``fn`` raises on the good network with ``changes``."""
    with pytest.raises(exc) as info:
        call(fn, good() | changes)
    return str(info.value)


HINTS = [
    # the fix is obvious: the message gives it
    pytest.param({"weights": W1(W1=np.ones((3, 2), dtype=bool))}, TypeError,
                 "`weights[0].astype(np.float64)`", id="bool-as-0-and-1"),
    pytest.param({"X": np.ones((4, 2))}, ValueError, "pass `X.T`", id="X-transposed"),
    pytest.param({"biases": [np.zeros((1, 3)), B[1]]}, ValueError,
                 "pass `biases[0].reshape(-1, 1)`", id="biases-row"),
    # difflib's ratio ≥ 0.5: "ex" shares 4 of the 7 letters of "ex" + "exact" (0.57), "sof" 6
    # of the 11 of "sof" + "softplus" (0.55)
    pytest.param({"hidden_error": "ex"}, ValueError, "did you mean 'exact'?",
                 id="hidden-error-half-the-letters"),
    pytest.param({"activation": "sof"}, ValueError, "did you mean 'softplus'?",
                 id="activation-half-the-letters"),
    # it is not: no hint at all
    pytest.param({"X": np.ones((3, 4))}, ValueError, None, id="X-wrong-number-of-inputs"),
    pytest.param({"Y": np.zeros((2, 3))}, ValueError, None, id="Y-neither-transposed-nor-1d"),
    pytest.param({"biases": [np.zeros((2, 3)), B[1]]}, ValueError, None,
                 id="biases-neither-row-nor-1d"),
    pytest.param({"hidden_error": "zzz"}, ValueError, None, id="hidden-error-nothing-close"),
    pytest.param({"activation": "zzz"}, ValueError, None, id="activation-nothing-close"),
]


@pytest.mark.parametrize(("changes", "exc", "hint"), HINTS)
def test_a_hint_is_given_where_the_fix_is_obvious_and_only_there(
        changes: dict[str, Any], exc: type[Exception], hint: str | None) -> None:
    text = message(exc, "gradients", changes)
    if hint is None:
        assert "pass `" not in text and "did you mean" not in text, text
    else:
        assert hint in text, text


def test_an_unknown_activation_is_answered_with_every_known_name() -> None:
    """What was expected is the kernel's own list of names, in its order, and nothing after it
    when no name is close."""
    text = message(ValueError, "gradients", {"activation": "zzz"})
    assert "`activation` is 'zzz'" in text
    assert text.endswith("expected one of " + ", ".join(map(repr, mb.ACTIVATIONS))), text


@pytest.mark.parametrize(("value", "exc"), [
    pytest.param("zzz", ValueError, id="nothing-close"),
    pytest.param(1, TypeError, id="not-a-str"),
])
def test_an_unknown_hidden_error_is_answered_with_both_rules_and_nothing_after(
        value: Any, exc: type[Exception]) -> None:
    text = message(exc, "gradients", {"hidden_error": value})
    assert text.startswith(f"`hidden_error` is {value!r}"), text
    assert text.endswith("'lecture' (E[l] = W[l+1]ᵀ E[l+1])"), text


@pytest.mark.parametrize("fn", ["loss", "gradients", "step", "gradients_elementwise"])
def test_a_missing_Y_is_named_first_and_shown_by_its_type(fn: str) -> None:
    text = message(TypeError, fn, {"Y": None})
    assert text.startswith("`Y`") and text.endswith("got NoneType"), text


def test_an_activation_of_the_wrong_type_is_shown_with_its_type_and_value() -> None:
    text = message(TypeError, "gradients", {"activation": ["relu", 3]})
    assert text.startswith("`activation[1]`") and text.endswith("got int 3"), text


@pytest.mark.parametrize(("changes", "got"), [
    pytest.param({"weights": None}, "got NoneType", id="weights-None"),
    pytest.param({"weights": "W"}, "got str", id="weights-str"),
    pytest.param({"biases": 0.5}, "got float", id="biases-float"),
])
def test_a_list_argument_that_is_no_list_is_shown_by_its_type_alone(
        changes: dict[str, Any], got: str) -> None:
    """Only an ndarray given for the list is shown with its shape and the hint to wrap it."""
    text = message(TypeError, "gradients", changes)
    assert text.endswith(got), text


def test_a_g_without_its_derivative_is_shown_even_without_a_name() -> None:
    """A callable without __name__ (a functools.partial) is shown by its repr."""
    from functools import partial

    g = partial(np.multiply, 2.0)
    text = message(TypeError, "gradients", {"activation": g})
    assert text.startswith(f"`activation` is the function {g!r} without its derivative"), text


def test_the_first_non_finite_entry_is_named_with_the_count_of_them() -> None:
    X = np.ones((2, 4))
    X[0, 1], X[1, 0] = np.nan, np.inf
    text = message(ValueError, "gradients", {"X": X})
    assert "`X[0, 1]` = nan" in text and "(2 non-finite entries)" in text, text


@pytest.mark.parametrize("X", [
    pytest.param(np.full((8, 8), 1e308), id="sum-overflows"),
    pytest.param(np.tile([1e308, 1e308, -1e308, -1e308], 16).reshape(8, 8), id="sum-is-nan"),
    pytest.param(np.full((8, 8), 3e38, dtype=np.float32), id="float32-sum-overflows"),
])
def test_huge_finite_inputs_are_accepted_silently(X: np.ndarray) -> None:
    """Finite inputs however large are valid, even where their sum overflows (to inf, or to
    inf − inf = NaN: the fast finiteness test), and raise no floating-point warning (an error
    under pytest)."""
    out = mb.forward([np.zeros((1, 8), dtype=X.dtype)], X, "identity")
    np.testing.assert_array_equal(out.A[0], X)
    np.testing.assert_array_equal(out.Z[1], np.zeros((1, 8)))


@pytest.mark.parametrize("fn", ["loss", "gradients", "gradients_elementwise", "step"])
def test_integer_arrays_lists_and_numbers_take_the_float_dtype_of_the_others(fn: str) -> None:
    """Integers carry no precision: converted to float64, or to float32 beside float32 arrays."""
    ints = {"weights": [np.ones((3, 2), dtype=np.int64), [[1, 0, -1]]], "X": [[1, 2, 3, 4]] * 2,
            "Y": np.zeros((1, 4), dtype=np.uint8), "biases": [[[0]] * 3, [[1]]]}
    as_f64 = call(fn, good() | ints)
    as_f32 = call(fn, good() | ints | {"X": np.ones((2, 4), dtype=F32)})
    if fn == "loss":
        assert isinstance(as_f64, float) and isinstance(as_f32, float)
        return
    for a, b in zip(np.concatenate([np.ravel(x) for x in _flat(as_f64)]),
                    np.concatenate([np.ravel(x) for x in _flat(as_f32)])):
        assert type(a) is np.float64 and type(b) is F32
    floats = call(fn, good() | {k: _floats(v) for k, v in ints.items()})
    for a, b in zip(_flat(as_f64), _flat(floats)):
        np.testing.assert_array_equal(a, b)          # the conversion is exact


def _floats(v: Any) -> Any:
    return [np.asarray(x, dtype=np.float64) for x in v] if isinstance(v, list) and isinstance(
        v[0], (list, np.ndarray)) and np.ndim(v[0]) == 2 else np.asarray(v, dtype=np.float64)


def _flat(x: Any) -> list[np.ndarray]:
    return [a for part in x for a in part] if isinstance(x, tuple) else list(x)


@given(net=networks(), data=st.data())
def test_a_non_finite_entry_is_named_even_where_it_meets_only_zeros(net: Network,
                                                                    data: st.DataObject) -> None:
    """A NaN or ±inf anywhere in weights, X or Y is the ValueError that names it, from every
    entry point of the kernel, also when the entries it would be multiplied with are all zero
    (a BLAS may skip zero multiplicands, so the product alone would not show it)."""
    L = len(net.weights)
    arrays = {f"weights[{i}]": W.copy() for i, W in enumerate(net.weights)}
    arrays |= {"X": net.X.copy(), "Y": net.Y.copy()}
    name = data.draw(st.sampled_from(sorted(arrays)), label="argument")
    bad = arrays[name]
    where = tuple(data.draw(st.integers(0, n - 1), label=f"index {k}")
                  for k, n in enumerate(bad.shape))
    bad[where] = data.draw(st.sampled_from([np.nan, np.inf, -np.inf]), label="value")
    if data.draw(st.booleans(), label="zero partners"):
        if name.startswith("weights"):
            l = int(name[8:-1])            # W[l+1][i, k] meets row k of A[l]: X's row, or
            #                                g(0) (zero for tanh, relu, identity) behind a zero row
            (arrays["X"] if l == 0 else arrays[f"weights[{l - 1}]"])[where[1], :] = 0
            if l + 1 < L:                  # and column i of W[l+2] in the hidden error
                arrays[f"weights[{l + 1}]"][:, where[0]] = 0
        elif name == "X":                  # X[k, j] meets column k of W[1]
            arrays["weights[0]"][:, where[0]] = 0
    weights = [arrays[f"weights[{i}]"] for i in range(L)]
    entry = f"`{name}[{', '.join(map(str, where))}]` = {bad[where]}"
    for call in (lambda: mb.gradients(weights, arrays["X"], arrays["Y"], net.activations),
                 lambda: mb.gradients(weights, arrays["X"], arrays["Y"], net.activations,
                                      check_finite=True),
                 lambda: mb.gradients(weights, arrays["X"], arrays["Y"], net.activations,
                                      hidden_error="lecture"),
                 lambda: mb.step(weights, arrays["X"], arrays["Y"], 0.1, net.activations),
                 lambda: mb.loss(weights, arrays["X"], arrays["Y"], net.activations)):
        with pytest.raises(ValueError, match=re.escape(f"`{name}` must be finite, but {entry} "
                                                       f"(1 non-finite entry)")):
            call()
    _stats.count("non-finite input named by gradients, step and loss")


CHECKED = ("forward", "loss", "gradients", "step", "gradients_elementwise")


def _call_checked(fn: str, args: dict[str, Any], check_finite: Any) -> Any:
    a = args
    if fn == "forward":
        return mb.forward(a["weights"], a["X"], a["activation"], biases=a["biases"],
                          check_finite=check_finite)
    if fn == "step":
        return mb.step(a["weights"], a["X"], a["Y"], a["alpha"], a["activation"],
                       biases=a["biases"], check_finite=check_finite)
    f: Callable[..., Any] = getattr(mb, fn)
    return f(a["weights"], a["X"], a["Y"], a["activation"], biases=a["biases"],
             check_finite=check_finite)


@pytest.mark.parametrize("value", ["yes", 1, None, 0.0])
@pytest.mark.parametrize("fn", CHECKED)
def test_check_finite_must_be_true_or_false(fn: str, value: Any) -> None:
    with pytest.raises(TypeError, match=re.escape(f"`check_finite` must be True or False, got "
                                                  f"{type(value).__name__} {value!r}")):
        _call_checked(fn, good(), value)


@pytest.mark.parametrize("biases", [None, B])
@pytest.mark.parametrize("fn", CHECKED)
def test_check_finite_false_skips_only_the_finiteness_check(fn: str, biases: Any) -> None:
    """False gives the very bits of the default on finite data; a NaN input then raises no
    error (the caller validated the data once) while the default names it; shapes are still
    checked."""
    args = good() | {"biases": biases}
    checked = _call_checked(fn, args, True)
    unchecked = _call_checked(fn, args, False)

    def flat(r: Any) -> list[np.ndarray]:
        return ([np.array([r])] if isinstance(r, float) else
                [a for part in r for a in (part if isinstance(part, list) else [part])
                 if a is not None])

    for a, b in zip(flat(checked), flat(unchecked), strict=True):
        np.testing.assert_array_equal(np.asarray(a).view(np.uint8), np.asarray(b).view(np.uint8))
    nan_X = args | {"X": with_nan((2, 4), (1, 2))}
    with pytest.raises(ValueError, match=re.escape("`X` must be finite")):
        _call_checked(fn, nan_X, True)
    result = _call_checked(fn, nan_X, False)
    assert any(np.isnan(a).any() for a in flat(result))   # W ≠ 0: the NaN reaches the results
    with pytest.raises(ValueError, match=re.escape("`X.shape[0]` (=3) must equal")):
        _call_checked(fn, args | {"X": np.ones((3, 4))}, False)


def test_validate_network_names_a_non_finite_entry_as_the_kernel_does() -> None:
    """``validate_network`` (the network files and ``explain`` read their arrays with it)
    checks finiteness too."""
    from manual_backprop.validation import validate_network

    X = with_nan((2, 4), (0, 3), -np.inf)
    with pytest.raises(ValueError, match=re.escape("`X` must be finite, but `X[0, 3]` = -inf")):
        validate_network(W1(), X, np.zeros((1, 4)))


@pytest.mark.parametrize("X", [
    pytest.param(np.ones((2, 4)), id="ndarray"),
    pytest.param([[1.0] * 4] * 2, id="nested-list"),
])
def test_validate_network_without_Y_gives_None_for_it(X: Any) -> None:
    from manual_backprop.validation import validate_network

    Ws, A0, Y = validate_network(W1(), X)
    assert Y is None and A0.shape == (2, 4) and [W.shape for W in Ws] == [(3, 2), (1, 3)]


@pytest.mark.parametrize(("changes", "end"), [
    pytest.param({"X": np.ones((3, 4))}, "the number of inputs n_0", id="X-wrong-number-of-inputs"),
    pytest.param({"Y": np.zeros((2, 3))}, "one target column per sample of X",
                 id="Y-neither-transposed-nor-1d"),
    pytest.param({"biases": [np.zeros((2, 3)), B[1]]}, "the 3 net inputs of layer 1",
                 id="biases-neither-row-nor-1d"),
])
def test_without_a_hint_the_message_ends_with_what_was_expected(changes: dict[str, Any],
                                                                 end: str) -> None:
    text = message(ValueError, "gradients", changes)
    assert text.endswith(end), text


# -- the fast path: the common case needs no conversion and has no error -----------------------

def _plain_network(dtype: type = np.float64) -> dict[str, Any]:
    """The weights, X and Y of ``good()`` in ``dtype``."""
    g = good()
    return {"weights": [W.astype(dtype) for W in g["weights"]], "X": g["X"].astype(dtype),
            "Y": g["Y"].astype(dtype)}


@pytest.fixture
def no_long_way(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``manual_backprop.validation`` whose long way (which converts each argument with
    ``_as_array``) fails the test if it is taken."""
    from manual_backprop import validation

    def long_way(name: str, value: Any) -> Any:
        raise AssertionError(f"the long way was taken for {name}")

    monkeypatch.setattr(validation, "_as_array", long_way)
    return validation


@pytest.mark.parametrize("check_finite", [True, False])
@pytest.mark.parametrize("with_Y", [True, False], ids=["Y", "no-Y"])
@pytest.mark.parametrize("container", [list, tuple])
@pytest.mark.parametrize("dtype", [np.float64, F32])
def test_the_common_case_is_returned_as_it_is_without_the_long_way(
        no_long_way: Any, dtype: type, container: type, with_Y: bool,
        check_finite: bool) -> None:
    """Float ndarrays of one dtype that chain, no biases: the caller's own arrays come back, and
    the long way is not taken."""
    net = _plain_network(dtype)
    weights, X, Y = container(net["weights"]), net["X"], net["Y"] if with_Y else None
    got = no_long_way.validate_arrays(weights, X, Y, check_finite=check_finite)
    assert type(got.weights) is list and len(got.weights) == 2
    assert all(a is b for a, b in zip(got.weights, weights))
    assert got.X is X and got.Y is Y and got.biases is None


def _nan_in(name: str) -> Callable[[dict[str, Any]], None]:
    def change(net: dict[str, Any]) -> None:
        arrays = {"W2": net["weights"][1], "X": net["X"], "Y": net["Y"]}
        arrays[name][0, -1] = np.inf if name == "X" else np.nan
    return change


def _set(key: str, value: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], None]:
    def change(net: dict[str, Any]) -> None:
        if key.startswith("W"):
            net["weights"][int(key[1]) - 1] = value(net)
        else:
            net[key] = value(net)
    return change


@pytest.mark.parametrize("change", [
    pytest.param(_set("weights", lambda n: iter(n["weights"])), id="weights-iterator"),
    pytest.param(_set("weights", lambda n: []), id="weights-empty"),
    pytest.param(_set("X", lambda n: n["X"].tolist()), id="X-list"),
    pytest.param(_set("X", lambda n: np.ma.masked_array(n["X"])), id="X-ndarray-subclass"),
    pytest.param(_set("X", lambda n: n["X"].astype(np.int64)), id="X-int"),
    pytest.param(_set("X", lambda n: n["X"].astype(np.float16)), id="X-float16"),
    pytest.param(_set("X", lambda n: n["X"][:, 0]), id="X-1d"),
    pytest.param(_set("X", lambda n: np.ones((2, 0))), id="X-no-samples"),
    pytest.param(_set("X", lambda n: np.ones((3, 4))), id="X-wrong-inputs"),
    pytest.param(_set("W1", lambda n: n["weights"][0].tolist()), id="W1-list"),
    pytest.param(_set("W2", lambda n: n["weights"][1].tolist()), id="W2-list"),
    pytest.param(_set("W2", lambda n: n["weights"][1].astype(F32)), id="W2-other-dtype"),
    pytest.param(_set("W1", lambda n: n["weights"][0][None]), id="W1-3d"),
    pytest.param(_set("W2", lambda n: np.ones((1, 2))), id="W2-does-not-chain"),
    pytest.param(_set("W2", lambda n: np.ones((0, 3))), id="W2-no-rows"),
    pytest.param(_set("Y", lambda n: n["Y"].tolist()), id="Y-list"),
    pytest.param(_set("Y", lambda n: n["Y"].astype(F32)), id="Y-other-dtype"),
    pytest.param(_set("Y", lambda n: n["Y"].T), id="Y-transposed"),
    pytest.param(_set("Y", lambda n: np.zeros((1, 3))), id="Y-other-m"),
    pytest.param(_nan_in("W2"), id="W2-nan"),
    pytest.param(_nan_in("X"), id="X-inf"),
    pytest.param(_nan_in("Y"), id="Y-nan"),
])
def test_anything_else_goes_the_long_way(change: Callable[[dict[str, Any]], None],
                                        request: pytest.FixtureRequest) -> None:
    """The fast path declines (None) whatever needs a conversion or may be an error, with Y and
    (unless Y is what changed) without; the long way then converts it or names the error (the
    table above)."""
    from manual_backprop.validation import _plain

    net = _plain_network()
    assert _plain(net["weights"], net["X"], net["Y"], check_finite=True) is not None
    change(net)
    assert _plain(net["weights"], net["X"], net["Y"], check_finite=True) is None
    if not request.node.callspec.id.startswith("Y-"):
        assert _plain(net["weights"], net["X"], None, check_finite=True) is None


def test_without_the_finiteness_check_the_fast_path_takes_non_finite_entries(
        no_long_way: Any) -> None:
    for name in ("W2", "X", "Y"):
        net = _plain_network()
        _nan_in(name)(net)
        got = no_long_way.validate_arrays(net["weights"], net["X"], net["Y"],
                                          check_finite=False)
        assert got.X is net["X"] and got.Y is net["Y"]
