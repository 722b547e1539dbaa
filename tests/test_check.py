"""``check``: it rejects every buggy function of the catalogue with the right diagnosis, accepts
every correct one, reports malformed results as disagreements, and its command line exits
0 / 1 / 2 with a one-line message for usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from hypothesis import settings

import reference
from manual_backprop.cli.check import load_function, main
from reference.check import VERDICTS, check_backprop, evaluate

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue"
BUGGY = sorted((CATALOGUE / "buggy").glob("*.py"))
CORRECT = sorted((CATALOGUE / "correct").glob("*.py"))
CONVENTIONS = sorted((CATALOGUE / "conventions").glob("*.py"))
ADAPTERS = sorted((ROOT / "examples" / "adapters").glob("*.py"))
EVERY = BUGGY + CORRECT + CONVENTIONS + ADAPTERS
# Networks per check of a function that is not wrong: the Hypothesis profile's budget (400 in
# ci, 10,000 in thorough), like every property; the command's defaults (400, seed 0) are
# checked by the CLI test. A wrong function is searched with the default budget (it stops at
# the first wrong network).
EXAMPLES = settings.default.max_examples


def _module(path: Path) -> ModuleType:
    return sys.modules[load_function(f"{path}:backprop").__module__]


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_the_catalogue_declares_what_check_must_say() -> None:
    assert (len(BUGGY), len(CORRECT), len(CONVENTIONS), len(ADAPTERS)) == (15, 19, 10, 7)
    for path in EVERY:
        mod = _module(path)
        assert mod.__doc__, path.name
        assert mod.ACTIVATION in reference.strategies.ACTIVATION_NAMES
        assert mod.EXPECTED_VERDICT in VERDICTS, path.name
        assert isinstance(mod.OPTIONS, dict), path.name
        if path in BUGGY:
            assert mod.EXPECTED_VERDICT == "wrong" and "Expected" in mod.__doc__, path.name
    caveats = {_module(p).EXPECTED_CAVEAT for p in CORRECT} - {None}
    assert caveats == {"rounding", "nonfinite", "float32"}      # every kind has an example


@pytest.mark.parametrize("path", EVERY, ids=_ids)
def test_check_gives_every_catalogue_function_its_verdict(path: Path) -> None:
    mod = _module(path)
    wrong = mod.EXPECTED_VERDICT == "wrong"
    result = check_backprop(mod.backprop, mod.ACTIVATION, **mod.OPTIONS,
                            **({} if wrong else {"max_examples": EXAMPLES}))
    assert result.verdict == mod.EXPECTED_VERDICT, str(result)
    assert result.ok == (not wrong)
    if wrong:
        _assert_wrong_as_expected(mod, result)
    elif mod.EXPECTED_VERDICT == "agrees_with_caveats":
        kinds = set(result.caveats.kinds)
        assert mod.EXPECTED_CAVEAT in kinds, str(result)
        assert kinds <= {mod.EXPECTED_CAVEAT, *getattr(mod, "OTHER_CAVEATS", ())}, str(result)
        assert str(result).startswith("OK, with numerical caveats") and "stable:" in str(result)
        strict = check_backprop(mod.backprop, mod.ACTIVATION, **mod.OPTIONS, strict=True,
                                max_examples=EXAMPLES)
        assert strict.verdict == "agrees_with_caveats" and not strict.ok
    else:
        assert not result.caveats and result.networks == EXAMPLES, str(result)
        assert result.max_error <= 1e-10


def _assert_wrong_as_expected(mod: ModuleType, result: Any) -> None:
    assert result.outcome is not None and result.outcome.failure is not None
    assert result.outcome.failure.kind == mod.EXPECTED_FAILURE, str(result)
    keys = [d.key for d in result.diagnosis]
    if mod.EXPECTED_DIAGNOSIS is None:
        assert keys == [], str(result)
    else:
        assert mod.EXPECTED_DIAGNOSIS in keys, str(result)
        first = result.diagnosis[0]
        assert first.key == mod.EXPECTED_DIAGNOSIS and first.confirmed, str(result)
    net = result.network
    assert net is not None and max(net.widths) <= 2 and net.m <= 2, "not shrunk:\n" + str(result)
    hint = getattr(mod, "EXPECTED_HINT", None) if not mod.OPTIONS else None
    assert (result.hint and result.hint.options) == hint, str(result)


@pytest.mark.parametrize("path", [p for p in CONVENTIONS if _module(p).OPTIONS], ids=_ids)
def test_without_its_options_a_convention_gets_the_hint_that_names_them(path: Path) -> None:
    mod = _module(path)
    result = check_backprop(mod.backprop, mod.ACTIVATION)
    assert result.verdict == "wrong" and not result.ok
    assert (result.hint and result.hint.options) == mod.EXPECTED_HINT, str(result)
    if mod.EXPECTED_HINT is not None:
        assert f"rerun with {mod.EXPECTED_HINT}" in str(result)


def test_numpy_warnings_inside_a_correct_function_are_reported_not_fatal() -> None:
    mod = _module(CATALOGUE / "correct" / "matrix_naive_sigmoid.py")
    result = check_backprop(mod.backprop, max_examples=200)   # seed 0: 9 of them overflow
    assert result.ok and result.warned > 0 and "numpy warned" in str(result)


def test_assert_backprop_correct_raises_with_the_report() -> None:
    mod = _module(CATALOGUE / "buggy" / "sign_flipped.py")
    with pytest.raises(AssertionError, match=r"(?s)Minimal failing network.*sign flipped"):
        reference.assert_backprop_correct(mod.backprop)


def test_the_same_seed_gives_the_same_report() -> None:
    mod = _module(CATALOGUE / "buggy" / "g_prime_of_A.py")
    first, again = (str(check_backprop(mod.backprop, seed=3)) for _ in range(2))
    assert first == again


def _right(weights: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    import manual_backprop as mb

    return mb.gradients(weights, X, Y)


_calls = {"n": 0}


def _flaky(weights: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    _calls["n"] += 1
    return [g * (1 + (_calls["n"] % 2)) for g in _right(weights, X, Y)]


def _modifies(weights: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    out = _right(weights, X, Y)
    X += 1.0
    return out


def _raises(*_: Any) -> Any:
    raise RuntimeError("not implemented yet")


@pytest.mark.parametrize("fn, kind, message", [
    pytest.param(_raises, "raised", "Your function raised RuntimeError: not implemented yet",
                 id="raises"),
    pytest.param(lambda W, X, Y: _right(W, X, Y)[:-1], "returned", "returned 0 arrays; expected",
                 id="too-few-arrays"),
    pytest.param(lambda W, X, Y: _right(W, X, Y)[0], "returned",
                 "returned one ndarray of shape", id="a-single-array"),
    pytest.param(lambda W, X, Y: None, "returned", "returned NoneType, not a list",
                 id="none"),
    pytest.param(lambda W, X, Y: [g.ravel() for g in _right(W, X, Y)], "shape",
                 "has shape (1,); expected (1, 1)", id="flattened"),
    pytest.param(lambda W, X, Y: [g * np.nan for g in _right(W, X, Y)], "nan",
                 "has 1 non-finite entry", id="nan"),
    pytest.param(lambda W, X, Y: [g + 0j for g in _right(W, X, Y)], "returned",
                 "has dtype complex128", id="complex"),
    pytest.param(_modifies, "modified", "changed its argument X in place", id="modifies-X"),
])
def test_malformed_results_are_disagreements(fn: Any, kind: str, message: str) -> None:
    result = check_backprop(fn, max_examples=200)
    assert not result.ok and result.outcome is not None and result.outcome.failure is not None
    assert result.outcome.failure.kind == kind
    assert message in result.outcome.failure.message, result.outcome.failure.message


def test_a_non_deterministic_function_is_reported_as_such() -> None:
    result = check_backprop(_flaky, max_examples=50)
    assert not result.ok and result.flaky and "not deterministic" in str(result)


def test_a_float32_result_is_a_float32_caveat() -> None:
    result = check_backprop(lambda W, X, Y: [g.astype(np.float32) for g in _right(W, X, Y)],
                            max_examples=200)
    assert result.verdict == "agrees_with_caveats" and "float32" in result.caveats.kinds


def test_relu_kink_convention_is_not_a_disagreement() -> None:
    """relu′(0) = 1 (jax says 0): a net input exactly 0 is compared only after that layer."""
    import manual_backprop as mb

    relu = (lambda Z: np.maximum(Z, 0.0), lambda Z: (Z >= 0).astype(float))
    net = reference.Network([np.array([[0.0]])], np.array([[1.0]]), np.array([[1.0]]),
                            ["relu"])
    assert evaluate(lambda W, X, Y: mb.gradients(W, X, Y, relu), net).failure is None
    assert check_backprop(lambda W, X, Y: mb.gradients(W, X, Y, relu), "relu",
                          max_examples=EXAMPLES).ok


def test_check_rejects_a_function_for_another_activation() -> None:
    assert not check_backprop(_right, "tanh", max_examples=100).ok


@pytest.mark.parametrize("bad, message", [
    pytest.param(dict(activation="swish"), "`activation` is 'swish'", id="activation"),
    pytest.param(dict(max_examples=0), "`max_examples` is 0", id="max_examples-0"),
    pytest.param(dict(max_examples=True), "`max_examples` is True", id="max_examples-bool"),
])
def test_check_backprop_rejects_bad_arguments(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_backprop(_right, **bad)


BUG = f"{CATALOGUE / 'buggy' / 'sign_flipped.py'}:backprop"
GOOD = f"{CATALOGUE / 'correct' / 'per_sample.py'}:backprop"


@pytest.mark.parametrize("argv, code, out", [
    pytest.param([GOOD, "--activation", "tanh", "--max-examples", "100"], 0,
                 "OK: agrees with jax.grad on 100 networks", id="correct"),
    pytest.param([GOOD, "--activation", "tanh", "--max-examples", "20", "--seed", "7"], 0,
                 "on 20 networks (tanh, float64, seed 7)", id="options"),
    pytest.param([BUG], 1, "Diagnosis:\n  - sign flipped", id="buggy"),
    pytest.param([BUG], 1, "--activation sigmoid --max-examples 400 --seed 0",
                 id="defaults"),
    pytest.param([GOOD], 1, "Minimal failing network", id="wrong-activation"),
    pytest.param(["json:dumps"], 1, "Your function raised TypeError", id="module-syntax"),
    pytest.param([], 2, "the following arguments are required", id="no-target"),
    pytest.param(["catalogue/nope.py:backprop"], 2, "no such file: catalogue/nope.py",
                 id="missing-file"),
    pytest.param([str(CATALOGUE / "buggy" / "sign_flipped.py")], 2,
                 "expected FILE.py:FUNC, FILE.ipynb:FUNC or package.module:FUNC",
                 id="no-function-given"),
    pytest.param([f"{CATALOGUE / 'buggy' / 'sign_flipped.py'}:backprob"], 2,
                 "has no function 'backprob' (it defines: sigmoid, backprop)",
                 id="no-such-function"),
    pytest.param([f"{CATALOGUE / 'buggy' / 'sign_flipped.py'}:ACTIVATION"], 2,
                 "is a str, not a function", id="not-callable"),
    pytest.param(["no_such_package.module:f"], 2, "cannot import no_such_package.module",
                 id="no-such-module"),
    pytest.param([BUG, "--activation", "swish"], 2, "invalid choice: 'swish'", id="activation"),
    pytest.param([BUG, "--max-examples", "0"], 2, "expected a number ≥ 1, got 0",
                 id="max-examples-0"),
    pytest.param([BUG, "--max-examples", "many"], 2, "expected a whole number, got 'many'",
                 id="max-examples-text"),
    pytest.param([BUG, "--seed", "x"], 2, "argument --seed: invalid int value: 'x'", id="seed"),
    pytest.param([BUG, "--verbose"], 2, "unrecognized arguments: --verbose", id="unknown-option"),
])
def test_cli_exit_codes(argv: list[str], code: int, out: str,
                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code
    captured = capsys.readouterr()
    if code == 2:
        assert captured.out == "" and "Traceback" not in captured.err
        assert captured.err.count("\n") == 1 and captured.err.startswith(
            "manual-backprop check: error: ")
        assert out in captured.err
    else:
        assert out in captured.out and captured.err == ""


def test_cli_a_file_that_does_not_import_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.py"
    bad.write_text("def backprop(weights, X, Y)\n    return []\n")
    assert main([f"{bad}:backprop"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot import" in err and "SyntaxError" in err


def test_the_command_is_dispatched_by_manual_backprop() -> None:
    run = subprocess.run([sys.executable, "-m", "manual_backprop", "check", BUG,
                          "--max-examples", "50"], capture_output=True, text=True, cwd=ROOT,
                         check=False)
    assert run.returncode == 1 and "sign flipped" in run.stdout
    assert f"Reproduce: python -m manual_backprop check {BUG}" in run.stdout


def test_in_jupyter_a_result_shows_itself_as_markdown() -> None:
    mod = _module(CATALOGUE / "buggy" / "sign_flipped.py")
    wrong = check_backprop(mod.backprop, mod.ACTIVATION)._repr_markdown_()
    assert wrong.startswith("**FAIL**") and "| W[1] | j=0" in wrong
    assert "**Diagnosis**:\n- sign flipped" in wrong
    mod = _module(CATALOGUE / "conventions" / "rows_layout.py")
    hinted = check_backprop(mod.backprop, mod.ACTIVATION)._repr_markdown_()
    assert "**FAIL**" in hinted and "rerun with --layout rows" in hinted
    right = check_backprop(mod.backprop, mod.ACTIVATION, layout="rows", max_examples=20)
    assert right._repr_markdown_().startswith("**OK**: agrees with jax.grad on 20 networks")


def test_a_notebook_is_checked_without_running_its_long_cells(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    source = (CATALOGUE / "correct" / "loops.py").read_text()
    cells = ["%matplotlib inline\nimport numpy as np", "!pip install numpy", source,
             "import time\ntime.sleep(3600)          # an hour of training"]
    path = tmp_path / "homework.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), str(path))
    start = time.monotonic()
    assert main([f"{path}:backprop", "--max-examples", "20"]) == 0
    out = capsys.readouterr().out
    assert time.monotonic() - start < 60
    assert "Notebook: not run: cell 2 (!pip install numpy)" in out
    assert "line 2 `time.sleep(3600)" in out and "(a call)" in out and "OK: agrees" in out
    assert main([str(path), "--function", "backprop", "--max-examples", "20", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "agrees" and len(report["skipped_cells"]) == 3
