"""Finding submissions (``manual_backprop.grading.discovery``): files, and one folder per
student as an LMS exports them, each row named by its folder; helper files beside the
submission; folders without a submission or with several; and ``--forbid-imports``
(``manual_backprop.sandbox.forbid``) against every way of importing."""

from __future__ import annotations

import hashlib
import importlib
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from manual_backprop.grading.discovery import Found, defines, discover, job_of, problem_row
from manual_backprop.grading.records import Job, Verdict
from manual_backprop.sandbox.forbid import (
    ForbiddenImport,
    ImportBlocker,
    forbidden_message,
    parse_forbidden,
)

ROOT = Path(__file__).resolve().parent.parent
DEF = "import numpy as np\n\ndef backprop(weights, X, Y):\n    return weights\n"


def _write(path: Path, text: str = DEF) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _notebook(path: Path, *cells: str) -> Path:
    cell = [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
             "execution_count": None} for c in cells]
    return _write(path, json.dumps({"cells": cell, "metadata": {}, "nbformat": 4,
                                    "nbformat_minor": 5}))


def test_one_folder_per_student_is_one_row_named_by_the_folder(tmp_path: Path) -> None:
    moodle = tmp_path / "moodle"
    alice = _write(moodle / "Alice Kim_1234_assignsubmission_file_" / "hw.py")
    minji = _notebook(moodle / "김민지_1235_assignsubmission_file_" / "deep" / "숙제.ipynb",
                      "%matplotlib inline", "def backprop(weights, X, Y):\n    return weights")
    helper = _write(moodle / "Bob_1236_assignsubmission_file_" / "helpers.py",
                    "def sigmoid(z):\n    return z\n")
    bob = _write(moodle / "Bob_1236_assignsubmission_file_" / "main.py",
                 "from helpers import sigmoid\nbackprop = lambda w, X, Y: w\n")
    _write(moodle / "Bob_1236_assignsubmission_file_" / ".ipynb_checkpoints" / "main.py")
    _write(moodle / "__MACOSX" / "hw.py")
    loose = _write(moodle / "late.py")
    (moodle / "notes.txt").write_text("not a submission")
    assert helper.exists()
    assert discover([moodle], "backprop") == [
        Found("Alice Kim_1234_assignsubmission_file_", "Alice Kim_1234_assignsubmission_file_",
              alice),
        Found("Bob_1236_assignsubmission_file_", "Bob_1236_assignsubmission_file_", bob),
        Found("late.py", "", loose),
        Found("김민지_1235_assignsubmission_file_", "김민지_1235_assignsubmission_file_", minji),
    ]


def test_a_folder_without_one_submission_is_its_own_error(tmp_path: Path) -> None:
    empty = tmp_path / "class" / "carol"
    empty.mkdir(parents=True)
    (empty / "readme.md").write_text("hi")
    a = _write(tmp_path / "class" / "dave" / "a.py")
    b = _notebook(tmp_path / "class" / "dave" / "copy" / "b.ipynb", DEF)
    found = discover([tmp_path / "class"], "backprop")
    assert found == [Found("carol", "carol", None, "no_file"),
                     Found("dave", "dave", None, "several_files", (a, b))]
    row = problem_row(found[1])
    assert (row.verdict, row.diagnosis, row.submission) == (Verdict.ERROR, ("several_files",),
                                                           "dave")
    assert row.diagnosis_text == ("several files in the folder dave, and not exactly one "
                                  "defines the function: a.py, copy/b.ipynb",)   # not where
    assert str(tmp_path) not in row.report                          # the teacher keeps them
    assert problem_row(found[0]).diagnosis_text == ("no .py or .ipynb file in the folder carol",)
    with pytest.raises(ValueError, match="`found` has no problem"):
        problem_row(Found("x.py", "", a))


def test_files_and_name_clashes(tmp_path: Path) -> None:
    one = _write(tmp_path / "a" / "hw.py")
    two = _write(tmp_path / "b" / "hw.py")
    assert discover([one, two]) == [Found(str(one), "", one), Found(str(two), "", two)]
    with pytest.raises(ValueError, match=re.escape(f"{tmp_path}/x.txt: expected a .py or "
                                                   ".ipynb file, or a directory")):
        (tmp_path / "x.txt").write_text("")
        discover([tmp_path / "x.txt"])
    with pytest.raises(ValueError, match=r"no such file or directory: .*missing"):
        discover([tmp_path / "missing"])
    assert discover([tmp_path / "a"], None) == [Found("hw.py", "", one)]


@pytest.mark.parametrize("text, expected", [
    ("def backprop(w, X, Y):\n    pass\n", True),
    ("async def backprop(w):\n    pass\n", True),
    ("backprop = other\n", True),
    ("backprop: Callable = other\n", True),
    ("def backprop2(w):\n    pass\n", False),
    ("class A:\n    def backprop(self):\n        pass\n", False),
    ("backprop == 3\n", False),
    ("# def backprop(w):\n", False),
])
def test_defines_reads_the_text_without_running_it(tmp_path: Path, text: str,
                                                   expected: bool) -> None:
    path = _write(tmp_path / "s.py", "raise SystemExit('never run')\n" + text)
    assert defines(path, "backprop") is expected


# -- --forbid-imports ---------------------------------------------------------------------------

@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    _write(tmp_path / "fakegrad_pkg" / "__init__.py", "VALUE = 1\n")
    _write(tmp_path / "fakegrad_pkg" / "numpy.py", "VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield "fakegrad_pkg"
    for key in [k for k in sys.modules if k.startswith("fakegrad_pkg")]:
        del sys.modules[key]


@pytest.mark.parametrize("code", [
    "import fakegrad_pkg",
    "import fakegrad_pkg.numpy",
    "from fakegrad_pkg import numpy",
    "__import__('fakegrad_pkg')",
    "import importlib; importlib.import_module('fakegrad_pkg.numpy')",
    "import builtins; builtins.__import__('fakegrad_pkg', globals(), None, ['VALUE'], 0)",
])
def test_every_way_of_importing_is_stopped(fake_package: str, code: str) -> None:
    with ImportBlocker(parse_forbidden("torch, fakegrad_pkg")) as blocker:
        with pytest.raises(ForbiddenImport, match=r"import of fakegrad_pkg(\.numpy)? is "
                                                  r"forbidden") as raised:
            exec(code, {})
    assert blocker.attempts[0].startswith("fakegrad_pkg")
    assert raised.value.name == blocker.attempts[0]
    assert importlib.import_module("fakegrad_pkg.numpy").VALUE == 2      # allowed again after


def test_a_caught_attempt_is_recorded_and_an_imported_module_is_hidden(
        fake_package: str) -> None:
    already = importlib.import_module("fakegrad_pkg")
    with ImportBlocker({"fakegrad_pkg"}) as blocker:
        exec("try:\n    import fakegrad_pkg\nexcept ImportError:\n    fakegrad_pkg = None\n"
             "import json\n", {})
        assert "fakegrad_pkg" not in sys.modules
    assert blocker.attempts == ["fakegrad_pkg"]
    assert sys.modules["fakegrad_pkg"] is already


def test_a_submission_importing_jax_is_stopped_in_a_fresh_interpreter(tmp_path: Path) -> None:
    submission = _write(tmp_path / "hw.py", textwrap.dedent("""\
        import numpy as np
        from jax import grad

        def backprop(weights, X, Y):
            return weights
    """))
    code = textwrap.dedent(f"""\
        import runpy
        from manual_backprop.sandbox.forbid import *
        with ImportBlocker(parse_forbidden("jax,torch,tensorflow,autograd")) as b:
            try:
                runpy.run_path({str(submission)!r})
            except ForbiddenImport as e:
                print(e.name, b.attempts)
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "jax ['jax']"


def test_forbidden_values_and_message() -> None:
    assert parse_forbidden("jax,torch,tensorflow,autograd") == {"jax", "torch", "tensorflow",
                                                                "autograd"}
    for bad in ["", "jax,", "jax torch", "jax;torch", "1jax"]:
        with pytest.raises(ValueError, match=re.escape(
                "--forbid-imports: expected module names separated by commas, such as "
                f"jax,torch,tensorflow,autograd, got {bad!r}")):
            parse_forbidden(bad)
    with pytest.raises(ValueError, match="`names` must be module names"):
        ImportBlocker(["jax torch"])
    assert forbidden_message("jax") == ("imports jax, which this assignment forbids "
                                        "(--forbid-imports)")


def test_a_student_folder_takes_its_helpers_along(tmp_path: Path) -> None:
    folder = tmp_path / "class" / "bob"
    helper = _write(folder / "helpers.py", "def sigmoid(z):\n    return z\n")
    _write(folder / "main.py", "from helpers import sigmoid\nbackprop = lambda w, X, Y: w\n")
    loose = _write(tmp_path / "class" / "alice.py")
    found = discover([tmp_path / "class"], "backprop")
    alice, bob = found
    job = job_of(bob, "backprop", ("--max-examples", "50"))
    assert (job.name, job.student, job.filename) == ("bob", "bob", "main.py")
    assert job.extra == (("helpers.py", helper.read_bytes()),)
    assert job_of(alice, "backprop").extra == ()             # the others' files stay apart
    assert job_of(alice, "backprop").digest == hashlib.sha256(loose.read_bytes()).hexdigest()
    before = job.digest
    helper.write_text("def sigmoid(z):\n    return -z\n")
    assert job_of(bob, "backprop").digest != before         # a changed helper: graded again
    with pytest.raises(ValueError, match="`found` has no file to grade"):
        job_of(Found("carol", "carol", None, "no_file"), "backprop")
    with pytest.raises(ValueError, match="`extra` paths must be relative"):
        Job("x", "x", "x.py", b"", "backprop", (), (("../y.py", b""),))
