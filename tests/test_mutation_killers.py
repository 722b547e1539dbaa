"""Properties added to kill the mutants that survived ``mutmut`` (docs/contributing.md).

Each test states a property of the public behaviour that the rest of the suite did not pin
down; the mutant it was written for is named in its docstring.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType

import numpy as np
import pytest

import manual_backprop as mb
from manual_backprop import cli
from reference.numpy_activations import _g_np, _g_prime_np

Z = np.array([[-40.0, -3.0, -0.5, 0.0], [0.25, 1.0, 7.0, 40.0]])


def _fresh(name: str) -> ModuleType:
    """Execute a module's source again as a new module object (not put in sys.modules), so
    what it builds at import time is built afresh in this test."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(mb.ACTIVATIONS))
def test_the_builtin_table_built_at_import_is_right(name: str) -> None:
    """Built afresh, every entry of ACTIVATIONS has its own name and g, g′, (g, g′) equal to an
    independent numpy reference (activations._make mutants: name, g, g_prime and
    g_and_g_prime swapped or dropped)."""
    act = _fresh("manual_backprop.activations").ACTIVATIONS[name]
    assert act.name == name
    g, g1 = _g_np(name, Z), _g_prime_np(name, Z)
    np.testing.assert_allclose(act.g(Z), g, rtol=1e-14, atol=0)
    np.testing.assert_allclose(act.g_prime(Z), g1, rtol=1e-14, atol=0)
    both = act.g_and_g_prime(Z)
    np.testing.assert_allclose(both[0], g, rtol=1e-14, atol=0)
    np.testing.assert_allclose(both[1], g1, rtol=1e-14, atol=0)


def _xor_json(argv: list[str], capsys: pytest.CaptureFixture[str], run: object) -> object:
    assert run == 0
    return json.loads(capsys.readouterr().out)


def test_the_command_line_dispatches_subcommands(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop xor ...`` is ``xor.main(...)`` with the rest of the arguments, given
    as a list or read from sys.argv (cli.main mutants: the dispatch test, the argument slice,
    sys.argv[1:])."""
    from manual_backprop.cli import xor

    args = ["--epochs", "2", "--hidden", "2", "--json"]
    direct = _xor_json(args, capsys, xor.main(args))
    assert _xor_json(args, capsys, cli.main(["xor", *args])) == direct
    monkeypatch.setattr(sys, "argv", ["manual-backprop", "xor", *args])
    assert _xor_json(args, capsys, cli.main()) == direct


def test_the_command_line_returns_the_subcommands_exit_status(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A usage error of a subcommand is its exit status 2, returned as an int (cli.main
    mutants that drop or change the returned status)."""
    status = cli.main(["check", "no_such_file.py:f"])
    assert status == 2 and type(status) is int
    assert "no such file" in capsys.readouterr().err


def test_the_command_line_without_a_subcommand_is_the_report(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop --json`` is the verification report of the given arguments, not of
    sys.argv (cli.main mutants: ``args or ...`` and ``report_main(None)``)."""
    from manual_backprop.cli import report

    monkeypatch.setattr(sys, "argv", ["pytest", "--not-an-option"])
    assert cli.main(["--json"]) == 0
    via_cli = json.loads(capsys.readouterr().out)
    assert report.main(["--json"]) == 0
    assert via_cli == json.loads(capsys.readouterr().out) and via_cli["ok"] is True


# --- custom activations: what an Activation accepts and what it says when it does not ---------

def _numpy_g(Z: np.ndarray) -> np.ndarray:
    return np.tanh(Z)


def _numpy_g_prime(Z: np.ndarray) -> np.ndarray:
    return 1 - np.tanh(Z) ** 2


@pytest.mark.parametrize("kwargs, message", [
    pytest.param(dict(name=3, g=_numpy_g, g_prime=_numpy_g_prime),
                 "`name` of an Activation must be a str, got int", id="name"),
    pytest.param(dict(name="t", g="tanh", g_prime=_numpy_g_prime),
                 "`g` of Activation 't' must be a function of Z, got str", id="g"),
    pytest.param(dict(name="t", g=_numpy_g, g_prime=None),
                 "`g_prime` of Activation 't' must be a function of Z, got NoneType",
                 id="g_prime"),
    pytest.param(dict(name="t", g=_numpy_g, g_prime=_numpy_g_prime, g_and_g_prime=1.5),
                 "`g_and_g_prime` of Activation 't' must be a function of Z, got float",
                 id="g_and_g_prime"),
])
def test_a_bad_activation_is_a_type_error_naming_the_field(kwargs: dict[str, object],
                                                           message: str) -> None:
    """(Activation.__post_init__ mutants: the messages and the callable checks.)"""
    with pytest.raises(TypeError) as info:
        mb.Activation(**kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_a_fused_g_and_g_prime_is_accepted_and_used() -> None:
    """An Activation given g_and_g_prime is valid and the kernel's forward pass uses it
    (mutant: ``elif callable(...)`` rejecting every callable)."""
    calls = []

    def both(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        calls.append(Z.shape)
        return _numpy_g(Z), _numpy_g_prime(Z)

    act = mb.Activation("t", _numpy_g, _numpy_g_prime, both)
    W, X, Y = [np.array([[0.5, -1.0]])], np.array([[1.0], [2.0]]), np.array([[0.3]])
    np.testing.assert_array_equal(mb.gradients(W, X, Y, act),
                                  mb.gradients(W, X, Y, (_numpy_g, _numpy_g_prime)))
    assert calls == [(1, 1)]


def test_from_pair_names_the_activation() -> None:
    """The name is the one given, else g's __name__, else "custom" for a callable without one;
    a functools.partial is a valid g (from_pair and _checked mutants on the name)."""
    from functools import partial

    assert mb.Activation.from_pair(_numpy_g, _numpy_g_prime, name="mine").name == "mine"
    assert mb.Activation.from_pair(_numpy_g, _numpy_g_prime).name == "_numpy_g"
    g, g1 = partial(np.multiply, 2.0), partial(np.multiply, 0.0)
    act = mb.Activation.from_pair(g, lambda Z: g1(Z) + 2.0)
    assert act.name == "custom"
    np.testing.assert_array_equal(act.g(Z), 2 * Z)


def test_a_custom_g_returning_complex_numbers_is_a_type_error() -> None:
    """(_checked mutants on the dtype check and its message.)"""
    act = mb.Activation.from_pair(lambda Z: Z + 0j, _numpy_g_prime, name="c")
    with pytest.raises(TypeError) as info:
        act.g(Z)
    assert str(info.value) == ("activation 'c': g(Z) returned dtype complex128; expected real "
                               "numbers")


@pytest.mark.parametrize("values", [
    pytest.param(np.full((8, 8), 1e308), id="sum-overflows"),
    pytest.param(np.tile([1e308, 1e308, -1e308, -1e308], 16).reshape(8, 8), id="sum-is-nan"),
])
def test_huge_finite_custom_values_are_accepted_silently(values: np.ndarray) -> None:
    """Finite values whose sum overflows (to inf, or to inf − inf = NaN) are finite: no error
    and no floating-point warning (pytest turns warnings into errors) (_checked mutants on the
    fast finiteness test and its np.errstate)."""
    act = mb.Activation.from_pair(lambda Z: values, _numpy_g_prime, name="huge")
    np.testing.assert_array_equal(act.g(np.zeros((8, 8))), values)


def test_the_first_non_finite_entry_is_named() -> None:
    """(_checked mutants on the index of the bad entry.)"""
    act = mb.Activation.from_pair(lambda Z: 1 / Z, _numpy_g_prime, name="inv")
    with pytest.raises(ValueError) as info, np.errstate(divide="ignore"):
        act.g(np.array([[1.0, 2.0, 0.0, 4.0]]))
    assert str(info.value) == ("activation 'inv': g(z) = inf at z = 0.0; g and g′ must be "
                               "finite for finite z")


# --- validation: the full messages (tests/test_validation.py pins their beginnings) -----------

def test_a_bool_array_gets_the_astype_hint() -> None:
    """(validation._as_array mutants that let bool fall through to the generic dtype message.)"""
    with pytest.raises(TypeError) as info:
        mb.gradients([np.ones((1, 2), dtype=bool)], np.ones((2, 1)), np.ones((1, 1)))
    assert str(info.value) == ("`weights[0]` has dtype bool; expected float32 or float64 numbers "
                               "(pass `weights[0].astype(np.float64)` if you mean 0 and 1)")


def test_a_g_without_its_derivative_is_named_even_without_a_name() -> None:
    """A callable without __name__ (a functools.partial) is shown by its repr
    (validation._one_activation mutants on the name)."""
    from functools import partial

    g = partial(np.multiply, 2.0)
    with pytest.raises(TypeError) as info:
        mb.gradients([np.ones((1, 1))], np.ones((1, 1)), np.ones((1, 1)), g)
    assert str(info.value).startswith(f"`activation` is the function {g!r} without its ")


@pytest.mark.parametrize("typo, tail", [
    pytest.param("ex", "; did you mean 'exact'?", id="half-the-letters"),
    pytest.param("zzz", "(E[l] = W[l+1]ᵀ E[l+1])", id="no-suggestion"),
])
def test_a_hidden_error_typo_gets_a_suggestion_when_it_is_close(typo: str, tail: str) -> None:
    """difflib's ratio ≥ 0.5 gets "did you mean", anything else no hint at all
    (validation.validate_hidden_error mutants on the cutoff and the empty hint)."""
    with pytest.raises(ValueError) as info:
        mb.gradients([np.ones((1, 1))], np.ones((1, 1)), np.ones((1, 1)), hidden_error=typo)
    assert str(info.value).endswith(tail)


@pytest.mark.parametrize("X", [
    pytest.param(np.full((8, 8), 1e308), id="sum-overflows"),
    pytest.param(np.tile([1e308, 1e308, -1e308, -1e308], 16).reshape(8, 8), id="sum-is-nan"),
    pytest.param(np.full((8, 8), 3e38, dtype=np.float32), id="float32-sum-overflows"),
])
def test_huge_finite_inputs_are_accepted_silently(X: np.ndarray) -> None:
    """Validation accepts finite inputs however large, with no floating-point warning
    (validation._check_finite mutants on its fast path's np.errstate)."""
    out = mb.forward([np.zeros((1, 8), dtype=X.dtype)], X, "identity")
    np.testing.assert_array_equal(out.A[0], X)
    np.testing.assert_array_equal(out.Z[1], np.zeros((1, 8)))


def test_the_count_of_non_finite_entries_is_in_the_message() -> None:
    """"(2 non-finite entries)", plural (validation._check_finite mutants on the count)."""
    X = np.array([[1.0, np.nan], [np.inf, 2.0]])
    with pytest.raises(ValueError) as info:
        mb.gradients([np.ones((1, 2))], X, np.ones((1, 2)))
    assert str(info.value) == "`X` must be finite, but `X[0, 1]` = nan (2 non-finite entries)"


@pytest.mark.parametrize("weights, message", [
    pytest.param([], "`weights` is empty; a network needs at least one layer (L >= 1)",
                 id="empty"),
    pytest.param(None, "`weights` must be a list of 2-D arrays [W1, W2, ...], got NoneType",
                 id="None"),
])
def test_weights_messages_are_exactly_these(weights: object, message: str) -> None:
    """tests/test_validation.py searches for the message; here the whole message is pinned
    (validation mutants that add text around it)."""
    with pytest.raises((TypeError, ValueError)) as info:
        mb.gradients(weights, np.ones((1, 1)), np.ones((1, 1)))  # type: ignore[arg-type]
    assert str(info.value) == message


@pytest.mark.parametrize("X, Y, message", [
    pytest.param(np.ones((3, 4)), np.ones((1, 4)),
                 "`X.shape[0]` (=3) must equal `weights[0].shape[1]` (=2), the number of inputs "
                 "n_0", id="X-rows-no-hint"),
    pytest.param(np.ones((4, 2)), np.ones((1, 4)),
                 "`X.shape[0]` (=4) must equal `weights[0].shape[1]` (=2), the number of inputs "
                 "n_0; samples go in columns, pass `X.T`", id="X-transposed"),
    pytest.param(np.ones((2, 4)), np.ones((2, 3)),
                 "`Y` has shape (2, 3) but must be (n_L, m) = (1, 4): one target column per "
                 "sample of X", id="Y-no-hint"),
])
def test_shape_messages_hint_only_where_the_fix_is_obvious(X: np.ndarray, Y: np.ndarray,
                                                           message: str) -> None:
    """(validation.validate_arrays mutants on the hints.)"""
    with pytest.raises(ValueError) as info:
        mb.gradients([np.ones((1, 2))], X, Y)
    assert str(info.value) == message


@pytest.mark.parametrize("b, hint", [
    pytest.param(np.zeros((1, 3)), "; pass `biases[0].reshape(-1, 1)`", id="row"),
    pytest.param(np.zeros((2, 3)), "", id="no-hint"),
])
def test_bias_shape_messages_hint_only_for_a_row_or_a_vector(b: np.ndarray, hint: str) -> None:
    """(validation.validate_arrays mutants on the biases hint.)"""
    with pytest.raises(ValueError) as info:
        mb.gradients([np.ones((3, 2))], np.ones((2, 4)), np.ones((3, 4)), biases=[b])
    assert str(info.value) == (f"`biases[0]` has shape {b.shape} but must be (n_1, 1) = (3, 1), a "
                               f"column: b[1] adds one number to each of the 3 net inputs of "
                               f"layer 1{hint}")


def test_an_activation_of_the_wrong_type_is_named_with_its_type() -> None:
    """(validation._one_activation mutant on the type in the message.)"""
    with pytest.raises(TypeError) as info:
        mb.gradients([np.ones((1, 1))], np.ones((1, 1)), np.ones((1, 1)), [3])  # type: ignore[list-item]
    assert str(info.value).endswith("an Activation or a (g, g′) pair, got int 3")


def test_an_activation_typo_sharing_half_its_letters_gets_a_suggestion() -> None:
    """difflib ratio("sof", "softplus") = 0.55 ≥ 0.5 (validation._one_activation cutoff mutant)."""
    with pytest.raises(ValueError) as info:
        mb.gradients([np.ones((1, 1))], np.ones((1, 1)), np.ones((1, 1)), "sof")
    assert str(info.value).endswith("; did you mean 'softplus'?")


def test_an_unknown_activation_without_a_close_name_gets_the_list_only() -> None:
    """(validation._one_activation mutant on the empty hint.)"""
    with pytest.raises(ValueError) as info:
        mb.gradients([np.ones((1, 1))], np.ones((1, 1)), np.ones((1, 1)), "zzz")
    assert str(info.value) == ("`activation` is 'zzz', not a known activation; expected one of "
                               "'sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', 'softplus'")
