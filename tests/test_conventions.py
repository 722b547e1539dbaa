"""``check``'s conventions, each with its own tests: a function written in that convention agrees
under its option (in Python and on the command line), is wrong without it, and then gets a hint
naming exactly that option; a buggy function in that convention is wrong under its option and
gets no hint. Also: numerical caveats and --strict, --json, and the usage errors of the options.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import manual_backprop as mb
from manual_backprop.cli.check import main
from reference import check_backprop
from reference.conventions import convention

EXAMPLES = 100          # networks per check here: conventions are about shapes, not values


def _rows(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return [d.T for d in mb.gradients([w.T for w in W], X.T, Y.T)]


def _mean(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return [d / X.shape[1] for d in mb.gradients(W, X, Y)]


def _two_layers(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    W1, W2 = W
    return list(mb.gradients([W1, W2], X, Y))


def _new_weights(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return list(mb.step(W, X, Y, 0.5))                         # its own step α = 0.5


def _in_place(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray, alpha: float) -> None:
    for w, d in zip(W, mb.gradients(W, X, Y)):
        w -= alpha * d                                         # W := W − αΔW, in place


def _lecture(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return list(mb.gradients(W, X, Y, hidden_error="lecture"))


def _biases(W: list[np.ndarray], b: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> Any:
    return mb.gradients(W, X, Y, biases=b)                     # Gradients(dW, db)


def _dict(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> dict[str, np.ndarray]:
    return {f"dW{l}": d for l, d in enumerate(mb.gradients(W, X, Y), start=1)}


def _rows_mean_biases(W: list[np.ndarray], b: list[np.ndarray], X: np.ndarray, Y: np.ndarray
                      ) -> dict[str, np.ndarray]:
    dW, db = mb.gradients([w.T for w in W], X.T, Y.T, biases=[c.reshape(-1, 1) for c in b])
    m = X.shape[0]
    return {**{f"W{l}": d.T / m for l, d in enumerate(dW, start=1)},
            **{f"b{l}": d.ravel() / m for l, d in enumerate(db, start=1)}}


CONVENTIONS = [
    pytest.param(_rows, {"layout": "rows"}, "--layout rows", id="rows"),
    pytest.param(_mean, {"loss": "mean"}, "--loss mean", id="mean"),
    pytest.param(_two_layers, {"layers": 2}, "--layers 2", id="two-layers"),
    pytest.param(_new_weights, {"returns": "update", "alpha": 0.5},
                 "--returns update --alpha 0.5", id="update-returns-new-weights"),
    pytest.param(_in_place, {"returns": "update"}, "--returns update", id="update-in-place"),
    pytest.param(_lecture, {"hidden_error": "lecture"}, "--hidden-error lecture",
                 id="lecture-hidden-error"),
    pytest.param(_biases, {"biases": True}, "--biases", id="biases"),
    pytest.param(_rows_mean_biases, {"layout": "rows", "loss": "mean", "biases": True},
                 "--layout rows --loss mean --biases", id="cs231n-like"),
]


@pytest.mark.parametrize("fn, options, hint", CONVENTIONS)
def test_a_function_in_another_convention_agrees_under_its_option(
        fn: Callable[..., Any], options: dict[str, Any], hint: str) -> None:
    result = check_backprop(fn, max_examples=EXAMPLES, **options)
    assert result.verdict == "agrees" and result.ok, str(result)


@pytest.mark.parametrize("fn, options, hint", CONVENTIONS)
def test_without_its_option_it_is_another_convention_with_a_hint_naming_the_option(
        fn: Callable[..., Any], options: dict[str, Any], hint: str) -> None:
    """Not wrong math, so not "wrong" (exit 3); but the lecture's hidden error is not the
    gradient, so a function that fits only with it stays "wrong"."""
    result = check_backprop(fn, max_examples=EXAMPLES)
    gradient = options.get("hidden_error", "exact") == "exact"
    assert result.verdict == ("agrees_in_another_convention" if gradient else "wrong")
    assert not result.ok
    assert result.hint is not None and result.hint.options == hint, str(result)
    assert f"rerun with {hint}" in str(result)
    assert convention(**options).options() == hint


def _rows_sign_flipped(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return [-d for d in _rows(W, X, Y)]


def _in_place_no_output_g_prime(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray,
                                alpha: float) -> None:
    g = [("sigmoid"), (mb.ACTIVATIONS["sigmoid"].g, lambda Z: np.ones_like(Z))]
    for w, d in zip(W, mb.gradients(W, X, Y, g[:len(W) - 1] + g[1:])):
        w -= alpha * d


def _mean_off_by_two(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return [2 * d for d in _mean(W, X, Y)]


@pytest.mark.parametrize("fn, options, diagnosis", [
    pytest.param(_rows_sign_flipped, {"layout": "rows"}, "sign", id="rows-sign-flipped"),
    pytest.param(_in_place_no_output_g_prime, {"returns": "update", "layers": 2},
                 "no_output_g_prime", id="update-no-output-g-prime"),
    pytest.param(_mean_off_by_two, {"loss": "mean"}, "factor_2", id="mean-factor-2"),
])
def test_a_buggy_function_in_another_convention_is_wrong_under_its_option(
        fn: Callable[..., Any], options: dict[str, Any], diagnosis: str) -> None:
    result = check_backprop(fn, max_examples=EXAMPLES, **options)
    assert result.verdict == "wrong" and result.hint is None, str(result)
    assert result.diagnosis and result.diagnosis[0].key == diagnosis, str(result)


def _softplus_textbook(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    A, Z = [X], [X]
    with np.errstate(over="ignore"):
        for w in W:
            Z.append(w @ A[-1])
            A.append(np.log(1 + np.exp(Z[-1])))          # loses digits for z < −20
        E, out = Y - A[-1], []
        for l in range(len(W), 0, -1):
            d = E / (1 + np.exp(-Z[l]))
            out.insert(0, -d @ A[l - 1].T)
            E = W[l - 1].T @ d
    return out


def test_a_numerically_unstable_correct_function_agrees_with_caveats() -> None:
    result = check_backprop(_softplus_textbook, "softplus", max_examples=300)
    assert result.verdict == "agrees_with_caveats" and result.ok, str(result)
    assert "rounding" in result.caveats.kinds and "nonfinite" in result.caveats.kinds
    text = str(result)
    assert text.startswith("OK, with numerical caveats") and "log1p" in text
    strict = check_backprop(_softplus_textbook, "softplus", max_examples=300, strict=True)
    assert strict.verdict == "agrees_with_caveats" and not strict.ok
    assert str(strict).startswith("FAIL (--strict)")


def test_a_float32_correct_function_agrees_with_a_float32_caveat() -> None:
    def in_float32(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
        return [d.astype(np.float64) for d in
                mb.gradients([w.astype(np.float32) for w in W], X.astype(np.float32),
                             Y.astype(np.float32))]

    result = check_backprop(in_float32, max_examples=100)
    assert result.verdict == "agrees_with_caveats", str(result)
    assert "float32" in result.caveats.kinds


def test_a_stable_correct_function_has_no_caveat() -> None:
    result = check_backprop(lambda W, X, Y: mb.gradients(W, X, Y, "softplus"), "softplus",
                            max_examples=200)
    assert result.verdict == "agrees" and not result.caveats, str(result)


def test_the_command_line_takes_every_convention_option(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Any) -> None:
    path = tmp_path / "rows.py"
    path.write_text("import manual_backprop as mb\n"
                    "def backprop(W, b, X, Y):\n"
                    "    dW, db = mb.gradients([w.T for w in W], X.T, Y.T,\n"
                    "                          biases=[c.reshape(-1, 1) for c in b])\n"
                    "    m = X.shape[0]\n"
                    "    return [d.T / m for d in dW], [d.ravel() / m for d in db]\n")
    argv = [f"{path}:backprop", "--max-examples", "50", "--layout", "rows", "--loss", "mean",
            "--biases", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "agrees" and out["ok"] and out["hint"] is None
    assert main([*argv[:3], "--json"]) == 3
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "agrees_in_another_convention" and not out["ok"]
    assert out["hint_options"] == "--layout rows --loss mean --biases"
    assert "rerun with --layout rows --loss mean --biases" in out["hint"]


@pytest.mark.parametrize("argv, message", [
    pytest.param(["--alpha", "0.5"], "--alpha goes with --returns update", id="alpha-alone"),
    pytest.param(["--layers", "5"], "expected a depth from 1 to 4, got 5", id="layers-5"),
    pytest.param(["--layers", "0"], "expected a number ≥ 1, got 0", id="layers-0"),
    pytest.param(["--layout", "cols"], "invalid choice: 'cols'", id="layout"),
    pytest.param(["--loss", "average"], "invalid choice: 'average'", id="loss"),
    pytest.param(["--returns", "update", "--alpha", "-1"], "expected a finite number > 0",
                 id="alpha-negative"),
    pytest.param(["--hidden-error", "slides"], "invalid choice: 'slides'", id="hidden-error"),
])
def test_bad_convention_options_are_usage_errors(argv: list[str], message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue/correct/loops.py:backprop", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


@pytest.mark.parametrize("kwargs, message", [
    pytest.param({"layers": 5}, "`layers` is 5", id="layers"),
    pytest.param({"layout": "cols"}, "`layout` is 'cols'", id="layout"),
    pytest.param({"loss": "avg"}, "`loss` is 'avg'", id="loss"),
    pytest.param({"returns": "new"}, "`returns` is 'new'", id="returns"),
    pytest.param({"returns": "update", "alpha": 0.0}, "`alpha` is 0.0", id="alpha-zero"),
    pytest.param({"alpha": 0.5}, "`alpha` goes with returns='update'", id="alpha-alone"),
    pytest.param({"hidden_error": "slides"}, "`hidden_error` is 'slides'", id="hidden-error"),
])
def test_bad_convention_arguments_are_value_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_backprop(_rows, **kwargs)
