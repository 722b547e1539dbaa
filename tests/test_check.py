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
from reference.check import VERDICTS, CannotCall, check_backprop, evaluate

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


FOUND = ("wrong", "agrees_in_another_convention")   # a failing network, reported as such


def _module(path: Path) -> ModuleType:
    return sys.modules[load_function(f"{path}:backprop").__module__]


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_the_catalogue_declares_what_check_must_say() -> None:
    assert (len(BUGGY), len(CORRECT), len(CONVENTIONS), len(ADAPTERS)) == (23, 24, 10, 7)
    for path in EVERY:
        mod = _module(path)
        assert mod.__doc__, path.name
        assert mod.ACTIVATION in reference.strategies.ACTIVATION_NAMES
        assert mod.EXPECTED_VERDICT in VERDICTS, path.name
        assert isinstance(mod.OPTIONS, dict), path.name
        if path in BUGGY:
            assert mod.EXPECTED_VERDICT in FOUND and "Expected" in mod.__doc__, path.name
    caveats = {_module(p).EXPECTED_CAVEAT for p in CORRECT} - {None}
    assert caveats == {"rounding", "nonfinite", "float32"}      # every kind has an example


@pytest.mark.parametrize("path", EVERY, ids=_ids)
def test_check_gives_every_catalogue_function_its_verdict(path: Path) -> None:
    mod = _module(path)
    wrong = mod.EXPECTED_VERDICT in FOUND
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
        assert result.diagnosis[0].key == mod.EXPECTED_DIAGNOSIS, str(result)
    net = result.network
    assert net is not None and max(net.widths) <= 2 and net.m <= 2, "not shrunk:\n" + str(result)
    hint = getattr(mod, "EXPECTED_HINT", None) if not mod.OPTIONS else None
    assert (result.hint and result.hint.options) == hint, str(result)


@pytest.mark.parametrize("path", [p for p in CONVENTIONS if _module(p).OPTIONS], ids=_ids)
def test_without_its_options_a_convention_gets_the_hint_that_names_them(path: Path) -> None:
    mod = _module(path)
    result = check_backprop(mod.backprop, mod.ACTIVATION)
    agreeing = result.hint if result.hint is not None and result.hint.agrees else None
    assert (agreeing and agreeing.options) == mod.EXPECTED_HINT, str(result)
    assert not result.ok
    if mod.EXPECTED_HINT is None:                     # wrong under its own options too
        assert result.verdict == "wrong"
        if result.hint is not None:                   # it raised: the depth at which it runs
            assert result.hint.options == f"--layers {mod.OPTIONS['layers']}", str(result)
    else:
        assert f"rerun with {mod.EXPECTED_HINT}" in str(result)
        gradient = "--hidden-error lecture" not in mod.EXPECTED_HINT
        assert result.verdict == ("agrees_in_another_convention" if gradient else "wrong")
        assert str(result).startswith("ANOTHER CONVENTION: not checked as asked" if gradient
                                      else "FAIL: disagrees with jax.grad as called")


def _two_layers_without_hidden_g_prime(weights: list[np.ndarray], X: np.ndarray,
                                       Y: np.ndarray) -> list[np.ndarray]:
    W1, W2 = weights                                  # the slides' two layers only
    A1 = 1 / (1 + np.exp(-(W1 @ X)))
    A2 = 1 / (1 + np.exp(-(W2 @ A1)))
    delta2 = (A2 - Y) * A2 * (1 - A2)
    return [(W2.T @ delta2) @ X.T, delta2 @ A1.T]    # BUG: no g′(Z[1]) in the hidden layer


def test_a_two_layer_function_with_a_bug_is_sent_to_its_depth_and_wrong_there() -> None:
    """Raising on L = 1 says nothing of the math: the hint names the depth at which it runs (it
    is wrong there too, so the verdict stays wrong), and the rerun there finds the bug."""
    result = check_backprop(_two_layers_without_hidden_g_prime)
    assert result.verdict == "wrong" and not result.ok and result.hint is not None
    assert not result.hint.agrees and result.hint.options == "--layers 2"
    assert result.outcome is not None and result.outcome.failure is not None
    assert result.outcome.failure.kind == "raised"
    assert "Hint: it runs only if it handles L = 2 layers" in str(result)
    assert "rerun with --layers 2 to see where" in str(result)
    there = check_backprop(_two_layers_without_hidden_g_prime, layers=2)
    assert there.verdict == "wrong" and there.hint is None
    assert [d.key for d in there.diagnosis][:1] == ["no_hidden_g_prime"], str(there)


def test_json_gives_the_failing_network_and_its_worst_entry_as_data(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A grading script needs no prose: the failure, the worst entry and the minimal network
    (the lecture's layout) are fields; they are null when the function agrees."""
    out = json.loads(_command(["check", BUG, "--json"], 1, capsys))
    assert out["failure"]["kind"] == "mismatch" and out["worst_entry"]["parameter"] == "ΔW[1]"
    worst = out["worst_entry"]
    assert worst["got"] == -worst["expected"] != 0 and worst["relative_error"] > 1e-3
    assert worst["relative_error"] == pytest.approx(
        abs(worst["got"] - worst["expected"]) / worst["scale"], rel=1e-15)
    net = out["network"]
    assert [np.shape(W) for W in net["weights"]] == [(1, 1)] and net["biases"] is None
    assert np.shape(net["X"]) == (1, 1) and np.shape(net["Y"]) == (1, 1)
    good = json.loads(_command(["check", GOOD, "--json", "--max-examples", "20",
                                "--activation", "tanh"], 0, capsys))
    assert (good["failure"], good["worst_entry"], good["network"]) == (None, None, None)


def test_a_correct_two_layer_function_exits_3_naming_its_convention(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Not wrong math, not checked as asked: exit 3, the verdict agrees_in_another_convention
    in --json too; with the options of the hint, exit 0."""
    target = f"{CATALOGUE / 'conventions' / 'two_layers_lecture.py'}:backprop"
    out = _command(["check", target, "--max-examples", "50"], 3, capsys)
    assert out.startswith("ANOTHER CONVENTION: not checked as asked") and "--layers 2" in out
    answer = json.loads(_command(["check", target, "--max-examples", "50", "--json"], 3, capsys))
    assert (answer["verdict"], answer["ok"], answer["diagnosis"], answer["hint_options"]) == (
        "agrees_in_another_convention", False, [], "--layers 2")
    _command(["check", target, "--max-examples", "50", "--layers", "2"], 0, capsys)


def test_with_rows_the_network_is_also_shown_as_the_function_got_it() -> None:
    """A student of --layout rows can paste the counterexample into their own code: W[l] as
    (n_{l−1}, n_l), X as (m, n_0), beside the lecture's layout."""
    mod = _module(CATALOGUE / "conventions" / "rows_sign_flipped.py")
    result = check_backprop(mod.backprop, mod.ACTIVATION, **mod.OPTIONS)
    net, text = result.network, str(result)
    assert net is not None and "As your function got them (samples as rows):" in text
    rows = text.split("As your function got them (samples as rows):\n", 1)[1].splitlines()
    assert rows[0].startswith("  W[1] = ") and f"(n_0, n_1) = {net.weights[0].T.shape}" in rows[0]
    assert rows[len(net.weights)].endswith(f"# (m, n_0) = {net.X.T.shape}")
    lecture = check_backprop(_module(CATALOGUE / "buggy" / "sign_flipped.py").backprop)
    assert "As your function got them" not in str(lecture)


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
    pytest.param(lambda W, X, Y: [[np.zeros((1, 2)), np.zeros(3)] for _ in W], "returned",
                 "Your ΔW[1] is not an array: setting an array element with a sequence",
                 id="ragged"),
])
def test_malformed_results_are_disagreements(fn: Any, kind: str, message: str) -> None:
    result = check_backprop(fn, max_examples=200)
    assert not result.ok and result.outcome is not None and result.outcome.failure is not None
    assert result.outcome.failure.kind == kind
    assert message in result.outcome.failure.message, result.outcome.failure.message
    assert "reference" not in result.outcome.failure.message   # never the checker's own line


def _separate_weights(W1: np.ndarray, W2: np.ndarray, X: np.ndarray, Y: np.ndarray
                      ) -> list[np.ndarray]:
    return _right([W1, W2], X, Y)                     # right, for two layers given one by one


def test_a_function_that_cannot_take_the_arguments_is_not_judged(
        capsys: pytest.CaptureFixture[str]) -> None:
    """backprop(W1, W2, X, Y), the slides' signature, is called with the weights one by one at a
    fixed depth (``--layers 2``), and proposed by the hint without it; without the hint search,
    or for a function of two parameters, nothing is known of its math, so no verdict: a
    CannotCall (a TypeError) says how check calls it and, for separate weights, the option."""
    assert check_backprop(_separate_weights, layers=2, max_examples=20).verdict == "agrees"
    hinted = check_backprop(_separate_weights, max_examples=20)
    assert hinted.verdict == "agrees_in_another_convention"
    assert hinted.hint is not None and hinted.hint.options == "--layers 2"
    with pytest.raises(CannotCall, match=r"^_separate_weights\(W1, W2, X, Y\) cannot be called "
                       r"as check calls it, _separate_weights\(weights, X, Y\) .*"
                       r"if its arguments are W\[1\], W\[2\], X, Y, check it with --layers 2$"):
        check_backprop(_separate_weights, max_examples=20, hints=False)
    with pytest.raises(CannotCall, match=r"check it with --layers 2$"):   # 4 parameters: L = 2
        check_backprop(_separate_weights, layers=3, max_examples=20)
    with pytest.raises(CannotCall, match="too many positional arguments") as raised:
        check_backprop(lambda W, X: W, max_examples=20)
    assert "--layers" not in str(raised.value)
    assert main([f"{CATALOGUE / 'conventions' / 'with_biases.py'}:backprop",
                 "--max-examples", "20"]) == 3          # the hint --biases: it takes them
    capsys.readouterr()


def test_cli_a_function_that_cannot_take_the_arguments_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hw.py"
    path.write_text("def backprop(W1, W2, X, Y):\n    return [W1, W2]\n")
    assert main([f"{path}:backprop", "--layers", "3"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("manual-backprop check: error: backprop(W1, W2, X, Y) cannot")
    assert captured.err.endswith("check it with --layers 2\n")
    assert main([f"{path}:backprop"]) == 1                  # it runs at L = 2, wrong there
    assert main([f"{path}:backprop"]) == 1
    captured = capsys.readouterr()
    assert "Hint: it runs only if it handles L = 2 layers (checked on 20 networks), and it is " \
           "wrong there too: rerun with --layers 2 to see where" in captured.out


def test_a_raised_exception_is_located_in_the_users_code() -> None:
    """The line quoted is the student's own (the innermost frame of their function)."""
    message = check_backprop(_raises, max_examples=5).outcome.failure.message  # type: ignore
    assert f"{__file__}:" in message and 'raise RuntimeError("not implemented yet")' in message


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


@pytest.mark.parametrize("bad, error, message", [
    pytest.param(dict(fn=42), TypeError, "`fn` must be a function .*, got int", id="fn-int"),
    pytest.param(dict(fn="backprop"), TypeError, "`fn` must be a function .*, got str",
                 id="fn-str"),
    pytest.param(dict(activation="swish"), ValueError, "`activation` is 'swish'; expected one "
                 "of sigmoid, tanh, relu, leaky_relu, identity, softplus$", id="activation"),
    pytest.param(dict(activation="sigmod"), ValueError, "`activation` is 'sigmod'; expected .*; "
                 "did you mean 'sigmoid'\\?$", id="activation-typo"),
    pytest.param(dict(max_examples=0), ValueError, "`max_examples` is 0", id="max_examples-0"),
    pytest.param(dict(max_examples=True), ValueError, "`max_examples` is True",
                 id="max_examples-bool"),
])
def test_check_backprop_rejects_bad_arguments(bad: dict[str, Any], error: type[Exception],
                                              message: str) -> None:
    with pytest.raises(error, match=message):
        check_backprop(**{"fn": _right, **bad})


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
    pytest.param(["json:dumps"], 2, "cannot be called as check calls it, dumps(weights, X, Y)",
                 id="module-syntax"),
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
    assert err.count("line 1") == 1, err                      # the line, said once


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
    assert hinted.startswith("**ANOTHER CONVENTION**") and "rerun with --layout rows" in hinted
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


# -- in Korean (--lang ko, or a Korean locale): the report, the diagnosis, the command line ---

def _command(argv: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``python -m manual_backprop ARGV`` prints (stdout, or stderr for a usage error),
    run in this process; its exit status must be ``code``."""
    from manual_backprop.cli import main as manual_backprop

    assert manual_backprop(argv) == code
    captured = capsys.readouterr()
    return captured.out if code != 2 else captured.err


def _korean(text: str, ratio: float = 2.0) -> bool:
    """At least ``ratio`` times as many Korean words as English ones (tests/helpers.py), and
    some Korean."""
    from tests.helpers import word_counts

    ko, en = word_counts(text)
    return ko > 0 and ko >= ratio * en


# what the report of this area says in English (the failure message, the hint and the caveats
# come from other modules: reference/evaluate.py, hints.py, caveats.py, ko/check_details.po)
ENGLISH_REPORT = ("FAIL", "disagrees with", "as called", "Minimal failing network",
                  "Forward pass:", "Your ΔW:", "Your function returned:", "jax.grad of E",
                  "The first layer that differs", "its worst entry", "(tolerance", "Diagnosis",
                  "Reproduce:", "not one of the known patterns", "(one per column)",
                  "in every layer", "biases", "float64, seed", "the weight w_jk from",
                  "relative error", "on this network, ", "then shrunk", "found after", "widths")


@pytest.mark.parametrize("path", BUGGY, ids=_ids)
def test_check_speaks_korean_on_every_buggy_function(
        path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``check FILE:backprop --lang ko``: exit 1 (3 for another convention), the verdict, the
    minimal network, the forward pass, the worst entry, every diagnosis and the reproduce line
    in Korean (each diagnosis line with three times as many Korean words as English ones, the
    lines of this report twice as many); a Korean locale gives the same output without
    --lang."""
    target = f"{path}:backprop"
    status = 1 if _module(path).EXPECTED_VERDICT == "wrong" else 3
    korean = _command(["check", target, "--lang", "ko"], status, capsys)
    lines = korean.splitlines()
    assert lines[0].startswith("실패: " if status == 1 else "다른 규약: ")
    assert "jax.grad의 결과와 다릅니다 (sigmoid, float64, 시드 0)" in lines[0]
    assert lines[-1].startswith(f"같은 결과를 다시 보려면 다음을 실행하십시오: python -m "
                                f"manual_backprop check {target} --activation ")
    hinted = "지금 호출한 방식으로는 " in lines[0]       # the hint replaces the rest
    if hinted:
        assert "\n진단:" not in korean and "가는 가중치 w_jk): 기대값 " in lines[1]
    else:
        assert "\n최소 반례 신경망: L = " in korean and "\n순전파:\n" in korean
        at = next(i for i, line in enumerate(lines) if line.startswith("진단:"))
        diagnosis = [lines[at]] if lines[at] != "진단:" else [
            line for line in lines[at + 1:] if line.startswith("  - ")]
        assert diagnosis and all(_korean(line, 3.0) for line in diagnosis), diagnosis
    for english in ENGLISH_REPORT:
        assert english not in korean, english
    # aside: the student's own exception, quoted as Python words it (numpy's English)
    own = [line for line in lines if not line.startswith("함수에서 예외가 발생했습니다: ")]
    assert _korean("\n".join(own), 3.0), own
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert _command(["check", target], status, capsys) == korean


@pytest.mark.parametrize("path", BUGGY, ids=_ids)
def test_check_prints_twice_as_many_korean_words_on_every_buggy_function(
        path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The measure of the issue, on the whole output: Korean words ≥ 2 × English words."""
    from tests.helpers import word_counts

    status = 1 if _module(path).EXPECTED_VERDICT == "wrong" else 3
    korean = _command(["check", f"{path}:backprop", "--lang", "ko"], status, capsys)
    ko, en = word_counts(korean)
    assert ko >= 2 * en, (ko, en, korean)


def test_a_report_is_in_the_language_current_when_it_is_printed() -> None:
    """One result, two languages: ``str`` and the Markdown of Jupyter follow the current
    language (English unchanged); the diagnosis keys stay the same."""
    from manual_backprop.i18n import use_language

    mod = _module(CATALOGUE / "buggy" / "sign_flipped.py")
    result = check_backprop(mod.backprop, mod.ACTIVATION)
    english, markdown = str(result), result._repr_markdown_()
    with use_language("ko"):
        korean, korean_md = str(result), result._repr_markdown_()
    assert english.startswith("FAIL: disagrees with jax.grad (sigmoid, float64, seed 0)")
    assert "Diagnosis:\n  - sign flipped: you return" in english
    assert str(result) == english and result._repr_markdown_() == markdown
    assert _korean(korean) and "진단:\n  - 부호가 반대입니다: " in korean
    assert ("0층의 노드 j에서 1층의 노드 k로 가는 가중치 w_jk): 기대값 0.125, 실제 값 -0.125, "
            "상대 오차 0.667 = |실제 값 − 기대값| / 0.375 (이 원소의 조건 척도)  (허용 오차 1e-10)"
            in korean)
    assert ("반올림이 아닙니다: ΔW[1]의 차이는 조건 척도의 0.667로, 이 신경망의 반올림 한계("
            "0.0001, 맞는 수식이라면 어느 것이든 반올림으로 여기서 잃는 만큼, 정밀도 float32("
            "여기서 결과가 모두 float32 수이므로))의 6.67e+03배입니다: 수식이 틀렸습니다."
            in korean)
    assert _korean(korean_md) and korean_md.startswith("**실패**: jax.grad의 결과와 다릅니다")
    assert "**진단**:\n- 부호가 반대입니다" in korean_md
    assert "| 작성한 함수의 ΔW[1] | j=0" in korean_md
    assert "최소 반례 신경망: L = 1, 층별 노드 수 1-1, 샘플 m = 1개" in korean_md
    assert "| 기대값 ΔW[1] | j=0" in korean_md
    assert [d.key for d in result.diagnosis] == ["sign"]
    assert result.diagnosis[0].text == str(result.diagnosis[0])      # English by default


def test_every_other_report_speaks_korean_too() -> None:
    """OK, OK with caveats, FAIL with --strict, not deterministic, a hint, the lecture's rule,
    a layer not compared, and the Markdown of an OK: each in Korean when asked."""
    from manual_backprop.i18n import use_language

    ok = check_backprop(_right, max_examples=20)
    caveat = check_backprop(lambda W, X, Y: [g.astype(np.float32) for g in _right(W, X, Y)],
                            max_examples=50)
    strict = check_backprop(lambda W, X, Y: [g.astype(np.float32) for g in _right(W, X, Y)],
                            max_examples=50, strict=True)
    flaky = check_backprop(_flaky, max_examples=50)
    rows = _module(CATALOGUE / "conventions" / "rows_layout.py")
    hinted = check_backprop(rows.backprop, rows.ACTIVATION)
    sign = _module(CATALOGUE / "buggy" / "sign_flipped.py")
    lecture = check_backprop(sign.backprop, sign.ACTIVATION, hidden_error="lecture")
    kink = check_backprop(sign.backprop, sign.ACTIVATION)
    assert kink.outcome is not None
    kink.outcome.compared_from = 2
    with use_language("ko"):
        texts = {name: str(r) for name, r in [("ok", ok), ("caveat", caveat),
                                             ("strict", strict), ("flaky", flaky),
                                             ("hinted", hinted), ("lecture", lecture),
                                             ("kink", kink)]}
        ok_md, caveat_md = ok._repr_markdown_(), caveat._repr_markdown_()
    assert texts["ok"].startswith("통과: 신경망 20개에서 jax.grad의 결과와 일치합니다 (sigmoid, "
                                  "float64, 시드 0). 일치한 값의 최대 상대 오차는 ")
    assert _korean(texts["ok"]) and "\n" not in texts["ok"]
    assert texts["caveat"].startswith("통과, 수치적 주의 있음: 신경망 50개에서")
    assert "\n수치적 주의: 수식은 맞지만 " in texts["caveat"]
    assert "(--strict를 주면 실패로 처리합니다):" in texts["caveat"]
    assert texts["strict"].startswith("실패 (--strict): ")
    assert "(--strict를 주었으므로 실패입니다):" in texts["strict"]
    assert texts["flaky"].startswith("실패: 같은 신경망에서 함수의 결과가 호출할 때마다 다릅니다")
    assert _korean(texts["flaky"])
    assert texts["hinted"].startswith("다른 규약: 요청한 규약으로는 검사할 수 없습니다. 지금 "
                                      "호출한 방식으로는 jax.grad의 결과와 다릅니다")
    assert "강의의 규칙 E[l] = W[l+1]ᵀE[l+1]로 구한 값:" in texts["lecture"]
    assert texts["lecture"].startswith("실패: 강의 규칙의 결과와 다릅니다 (sigmoid, ")
    assert "참고: 강의의 규칙 E[l] = W[l+1]ᵀE[l+1]은 기울기가 아닙니다." in texts["lecture"]
    assert "  (ΔW[1..1]는 비교하지 않았습니다: " in texts["kink"]
    assert ok_md.startswith("**통과**: 신경망 20개에서") and _korean(ok_md)
    assert caveat_md.startswith("**통과, 수치적 주의 있음**: ")
    for text in texts.values():
        assert "FAIL" not in text and "OK" not in text and "Diagnosis" not in text


def test_the_worst_entry_in_both_languages() -> None:
    """``reference.compare.GradientMismatch`` words the worst entry in the language of the
    output: in English as it always has (assert_gradients_close shows it too)."""
    from manual_backprop.i18n import use_language
    from reference.compare import GradientMismatch

    weight = GradientMismatch(2, 1, 0, 0.0625, -0.0625, 0.6666, 0.1875, "ΔW")
    bias = GradientMismatch(1, 0, 0, 1e-17, 3.0, 1.0, 3.0, "Δb")
    assert str(weight) == ("ΔW[2][k=1, j=0] (the weight w_jk from node j of layer 1 to node k "
                           "of layer 2): expected 0.0625, got -0.0625, relative error 0.667 = "
                           "|got − expected| / 0.188, the entry's condition scale")
    assert str(bias) == ("Δb[1][k=0] (the bias of node k of layer 1): expected 1e-17, got 3.0, "
                         "relative error 1 = |got − expected| / 3, the entry's condition scale")
    for m in (weight, bias):
        with use_language("ko"):
            assert _korean(str(m)) and "기대값" in str(m) and "조건 척도" in str(m)


def test_the_conventions_a_report_read_as_are_named_in_korean() -> None:
    from manual_backprop.i18n import use_language
    from reference.check_report import _read_as
    from reference.conventions import Convention

    conv = Convention(layout="rows", returns="update", alpha=0.5, loss="mean")
    assert _read_as(conv) == (" (transposed back from your rows layout; recovered from your "
                              "update as (W − W_new)/α, α = 0.5; times m, from your mean loss)")
    with use_language("ko"):
        assert _read_as(conv) == (" (행 단위 배치(rows)에서 다시 전치함; 가중치 조정 결과에서 "
                                  "(W − W_new)/α로 되살림, α = 0.5; 평균 오차함수이므로 m을 곱함)")


def _every_diagnosis() -> list[Any]:
    from reference.diagnose import TEXT, Text, _found

    fields = {"part_of_batch": {"which": Text("the last sample only")}, "transposed": {"l": 2},
              "broadcast": {"m": 3}, "modified_input": {"which": "W[1], X"},
              "float32": {"dtypes": "float32"},
              "overflow": {"warnings": "overflow encountered in exp"},
              "factor_depends_on_shape": {"factors": "c = 2 at n = 1-1-1, m = 2"},
              "constant_factor": {"factor": 0.5, "networks": 5}}
    out = [_found(key, **fields.get(key, {})) for key in TEXT]
    samples = Text("the samples {columns} (columns of X) of the m = {m}", (("columns", [0, 2]),
                                                                          ("m", 3)))
    return [*out, _found("part_of_batch", which=samples),
            *(_found("part_of_batch", which=Text(w)) for w in (
                "the first sample only", "all samples but the last", "all samples but the first"))]


def test_every_diagnosis_has_its_korean_text_and_keeps_its_english_one() -> None:
    from manual_backprop.i18n import use_language
    from reference.diagnose import TEXT

    found = _every_diagnosis()
    assert {d.key for d in found} == set(TEXT)
    for d in found:
        assert str(d) == d.text
        with use_language("ko"):
            korean = str(d)
        assert _korean(korean, 3.0), korean
        assert korean != d.text
    last = found[list(TEXT).index("part_of_batch")]
    assert last.text == ("only part of the batch is used: your ΔW is the gradient of the last "
                         "sample only (a loop that assigns dW = ... instead of dW += ..., or "
                         "range(m − 1)?)")
    with use_language("ko"):
        assert "ΔW는 마지막 샘플 하나의 기울기입니다" in str(last)
        assert "샘플 m = 3개 가운데 [0, 2]번 샘플(X의 열)의 기울기" in str(found[len(TEXT)])


def test_json_keeps_its_keys_and_codes_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    """--json: the same keys, verdict and diagnosis codes in both languages; the report (prose
    for people) follows the language."""
    english = json.loads(_command(["check", BUG, "--json", "--lang", "en"], 1, capsys))
    korean = json.loads(_command(["check", BUG, "--json", "--lang", "ko"], 1, capsys))
    assert list(korean) == list(english)
    assert (korean["verdict"], korean["diagnosis"]) == (english["verdict"], english["diagnosis"])
    assert (korean["verdict"], korean["diagnosis"]) == ("wrong", ["sign"])
    assert english["report"].startswith("FAIL: disagrees with jax.grad")
    assert korean["report"].startswith("실패: jax.grad의 결과와 다릅니다") and _korean(
        korean["report"])


@pytest.mark.parametrize("argv, message", [
    pytest.param(["catalogue/nope.py:backprop"], "파일이 없습니다: catalogue/nope.py",
                 id="missing-file"),
    pytest.param([str(CATALOGUE / "buggy" / "sign_flipped.py")],
                 "sign_flipped.py'은(는) 올바른 대상이 아닙니다: FILE.py:FUNC, FILE.ipynb:FUNC "
                 "또는 package.module:FUNC 형식으로 함수를 지정하거나, --function NAME으로 함수 "
                 "이름을 주십시오", id="no-function-given"),
    pytest.param([f"{CATALOGUE / 'buggy' / 'sign_flipped.py'}:backprob"],
                 "에 함수 'backprob'이(가) 없습니다 (정의된 함수: sigmoid, backprop)",
                 id="no-such-function"),
    pytest.param([f"{CATALOGUE / 'buggy' / 'sign_flipped.py'}:ACTIVATION"],
                 ":ACTIVATION은(는) 함수가 아니라 str입니다", id="not-callable"),
    pytest.param(["no_such_package.module:f"], "no_such_package.module을(를) 가져올 수 없습니다: "
                 "ModuleNotFoundError: ", id="no-such-module"),
    pytest.param([BUG, "--alpha", "0.5"], "--alpha는 --returns update와 함께 써야 합니다",
                 id="alpha-alone"),
])
def test_usage_errors_in_korean(argv: list[str], message: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    err = _command(["check", *argv, "--lang", "ko"], 2, capsys)
    assert err.startswith("manual-backprop check: 오류: ") and err.count("\n") == 1
    assert message in err
    assert "Error" in err or _korean(err)              # Python's own message stays English


def test_a_file_that_does_not_import_in_korean(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.py"
    bad.write_text("x = 1\n\n\ndef backprop(weights, X, Y)\n    return []\n")
    err = _command(["check", f"{bad}:backprop", "--lang", "ko"], 2, capsys)
    assert f"{bad}을(를) 가져올 수 없습니다: SyntaxError: " in err and "(4번째 줄)" in err
    txt = tmp_path / "notes.txt:backprop"
    assert "파일이 없습니다" in _command(["check", str(txt), "--lang", "ko"], 2, capsys)


def test_out_of_memory_in_korean(monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    import manual_backprop.cli.check as command

    def out_of_memory(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(command, "check_backprop", out_of_memory)
    assert _command(["check", BUG, "--lang", "ko"], 2, capsys) == (
        f"manual-backprop check: 오류: MemoryError: {BUG}을(를) 실행하다가 메모리가 "
        f"부족해졌습니다\n")


def test_the_help_of_check_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    from manual_backprop.cli import main as manual_backprop

    with pytest.raises(SystemExit):
        manual_backprop(["check", "--help", "--lang", "ko"])
    text = capsys.readouterr().out
    for korean in ("직접 작성한 역전파 함수", "모든 층의 활성화 함수 g: sigmoid",
                   "시험할 신경망의 수 (기본값 400)", "표기 관례 (기본값: 강의의 관례)",
                   "W[l] (n_{l-1}, n_l), 반환하는 ΔW도", "결과를 JSON 객체 하나로 출력합니다"):
        assert korean in " ".join(text.split()), korean
    assert _korean(text, 1.5), text


def test_a_notebook_s_cells_not_run_in_korean(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    source = (CATALOGUE / "correct" / "loops.py").read_text()
    path = tmp_path / "homework.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in ["!pip install numpy",
                                                                  source]]), str(path))
    out = _command(["check", f"{path}:backprop", "--max-examples", "20", "--lang", "ko"], 0,
                   capsys)
    assert out.startswith("노트북: 실행하지 않은 셀: ") and "\n통과: 신경망 20개에서" in out
