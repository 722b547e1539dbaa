"""``check --forbid-imports MODULES`` end to end: a submission that imports a forbidden module
— at its top level or inside its function, by ``import``, ``from``, ``__import__`` or
``importlib``, caught or not — is ``error`` (exit 4, code ``forbidden_import``, a message
naming the import), enforced by the sandbox at import time (``manual_backprop.sandbox.forbid``,
``serve``'s ``forbidden`` message, ``reference.sandboxed``); one that imports numpy only
agrees; without the option ``import jax`` is allowed; a class run gives each submission its
own verdict; a bad value, or a target loaded in-process, is a usage error (exit 2)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from manual_backprop.classroom import session
from manual_backprop.classroom.schema import EXIT_AGREES, EXIT_FAILED, EXIT_USAGE
from manual_backprop.cli import autograder, check, classroom
from manual_backprop.cli.args import error_line
from manual_backprop.i18n import _, use_language
from tests.test_classroom import CORRECT

FORBID = "jax,torch,tensorflow,autograd"
_DEF = "def backprop(weights, X, Y):\n"


def _in_body(code: str) -> str:
    """CORRECT with ``code`` (one or more lines) first in the function's body."""
    assert CORRECT.count(_DEF) == 1
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return CORRECT.replace(_DEF, _DEF + body)


def _check(path: Path, *options: str) -> tuple[int, dict[str, Any] | None, str]:
    """``check FILE:backprop --max-examples 3 [options] --json`` in this process: its exit
    status, the JSON it printed (None if none) and the last line of its stderr."""
    out, err = [], []
    status = _run(check.main, [f"{path}:backprop", "--max-examples", "3", *options, "--json"],
                  out, err)
    lines = [x for x in "".join(out).splitlines() if x.strip()]
    last = [x for x in "".join(err).splitlines() if x.strip()]
    return status, json.loads(lines[-1]) if lines else None, last[-1] if last else ""


def _run(main: Any, argv: list[str], out: list[str], err: list[str]) -> int:
    """``main(argv)``'s exit status; what it printed is appended to ``out`` and ``err``."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status: int = main(argv)
    out.append(stdout.getvalue())
    err.append(stderr.getvalue())
    return status


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- every way of importing ----------------------------------------------------------------------

@pytest.mark.parametrize(("source", "module"), [
    pytest.param("import jax\n" + CORRECT, "jax", id="import-at-top-level"),
    pytest.param("from jax import numpy as jnp\n" + CORRECT, "jax", id="from-import"),
    pytest.param(_in_body('__import__("torch")'), "torch", id="dunder-import-in-the-body"),
    pytest.param("import importlib\n" + _in_body('importlib.import_module("jax.numpy")'),
                 "jax", id="importlib-in-the-body"),
    pytest.param("try:\n    import jax\nexcept ImportError:\n    pass\n" + CORRECT, "jax",
                 id="caught-at-top-level"),
    pytest.param(_in_body("try:\n    import autograd\nexcept ImportError:\n    pass"),
                 "autograd", id="caught-in-the-body"),
    pytest.param("import os\n" + _in_body("try:\n    import tensorflow\n"
                                           "except ImportError:\n    os._exit(0)"),
                 "tensorflow", id="caught-then-exits"),
])
def test_a_forbidden_import_is_an_error_naming_it(tmp_path: Path, source: str,
                                                  module: str) -> None:
    path = _write(tmp_path / "hw.py", source)
    status, answer, last = _check(path, "--forbid-imports", FORBID)
    message = f"imports {module}, which this assignment forbids (--forbid-imports)"
    assert status == EXIT_FAILED, (answer, last)
    assert last == f"manual-backprop check: error: {path}:backprop: error: {message}"
    assert answer is not None and answer["verdict"] == "error"
    assert answer["diagnosis"] == ["forbidden_import"]
    assert answer["diagnosis_text"] == [message]


def test_the_error_in_korean(tmp_path: Path) -> None:
    path = _write(tmp_path / "hw.py", "import jax\n" + CORRECT)
    with use_language("ko"):                 # as the command's --lang ko sets it
        status, answer, last = _check(path, "--forbid-imports", "jax")
        reason = _("imports {module}, which this assignment forbids (--forbid-imports)"
                   ).format(module="jax")
        line = error_line(check.PROG, _("{target}: error: {reason}").format(
            target=f"{path}:backprop", reason=reason))
    assert "금지한 jax" in reason
    assert (status, last) == (EXIT_FAILED, line)
    assert answer is not None and answer["diagnosis_text"] == [reason]


def test_a_submission_importing_numpy_only_agrees(tmp_path: Path) -> None:
    path = _write(tmp_path / "hw.py", "import math\n" + CORRECT)
    status, answer, _last = _check(path, "--forbid-imports", FORBID)
    assert status == EXIT_AGREES and answer is not None
    assert answer["verdict"] in ("agrees", "agrees_with_caveats"), answer


def test_without_the_option_importing_jax_is_allowed(tmp_path: Path) -> None:
    path = _write(tmp_path / "hw.py", "import jax\n" + _in_body("import jax.numpy"))
    status, answer, _last = _check(path)
    assert status == EXIT_AGREES and answer is not None
    assert answer["verdict"] in ("agrees", "agrees_with_caveats"), answer


# -- a class run ---------------------------------------------------------------------------------

def test_a_class_run_gives_the_importing_submission_its_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "class"
    _write(folder / "honest.py", CORRECT)
    _write(folder / "cheat.py", "import jax\n" + CORRECT)
    seen: list[Any] = []

    def run_class(*args: Any, **kwargs: Any) -> Any:
        seen.append(results := real(*args, **kwargs))
        return results

    real = session.run_class
    monkeypatch.setattr(session, "run_class", run_class)
    marks = tmp_path / "marks.csv"
    status = _run(classroom.main, [str(folder), "--function", "backprop", "--forbid-imports",
                                   "jax", "--max-examples", "3", "--jobs", "2", "--csv",
                                   str(marks)], [], [])
    assert status == 1
    message = "imports jax, which this assignment forbids (--forbid-imports)"
    results = {Path(r.submission.path).name: r for r in seen[0]}
    assert results["honest.py"].verdict == "agrees" and results["honest.py"].diagnosis == ()
    cheat = results["cheat.py"]
    assert (cheat.verdict, cheat.diagnosis, cheat.diagnosis_text) == (
        "error", ("forbidden_import",), (message,))
    with open(marks, newline="", encoding="utf-8") as f:
        rows = {row["submission"]: row for row in csv.DictReader(f)}
    assert {name: row["verdict"] for name, row in rows.items()} == {
        "cheat.py": "error", "honest.py": "agrees"}


# -- usage errors --------------------------------------------------------------------------------

def _argv(kind: str, tmp_path: Path, value: str) -> tuple[Any, list[str], str]:
    """The command ``kind`` with ``--forbid-imports value``, and how its error line begins."""
    path = _write(tmp_path / "hw.py", CORRECT)
    if kind == "check":
        return check.main, [f"{path}:backprop", "--forbid-imports", value], "check"
    if kind == "class run":
        return classroom.main, [str(tmp_path), "--function", "backprop",
                                "--forbid-imports", value], "check"
    return autograder.main, ["gradescope", "--function", "backprop", "-o",
                             str(tmp_path / "a.zip"), "--forbid-imports", value], "autograder"


@pytest.mark.parametrize("value", [pytest.param("", id="empty"),
                                   pytest.param("jax torch", id="spaces-not-commas"),
                                   pytest.param("jax,", id="trailing-comma")])
@pytest.mark.parametrize("kind", ["check", "class run", "autograder"])
def test_a_bad_value_is_a_usage_error_naming_it(tmp_path: Path, kind: str, value: str) -> None:
    main, argv, prog = _argv(kind, tmp_path, value)
    err: list[str] = []
    assert _run(main, argv, [], err) == EXIT_USAGE
    assert err[0].splitlines() == [
        f"manual-backprop {prog}: error: --forbid-imports: expected module names separated "
        f"by commas, such as jax,torch,tensorflow,autograd, got {value!r}"]
    assert not (tmp_path / "a.zip").exists()


@pytest.mark.parametrize("value", ["numpy", "jax,numpy.linalg", "manual_backprop"])
def test_what_the_sandbox_needs_cannot_be_forbidden(tmp_path: Path, value: str) -> None:
    main, argv, prog = _argv("class run", tmp_path, value)
    err: list[str] = []
    assert _run(main, argv, [], err) == EXIT_USAGE
    needed = value.split(",")[-1]
    assert err[0].splitlines() == [
        f"manual-backprop {prog}: error: --forbid-imports: {needed} cannot be forbidden: the "
        "sandbox itself needs it (the arrays are numpy arrays)"]


def test_a_target_loaded_in_this_process_cannot_forbid_imports() -> None:
    err: list[str] = []
    target = "manual_backprop.backprop:backprop"
    assert _run(check.main, [target, "--forbid-imports", "jax"], [], err) == EXIT_USAGE
    assert err[0].splitlines() == [
        "manual-backprop check: error: --forbid-imports needs a file's function (FILE.py:FUNC "
        f"or FILE.ipynb:FUNC), got {target!r}, which is imported in this process"]
