"""The classroom: notebooks load by their definitions only (``cli.notebook``), and a class run
(``cli.classroom``) gives every submission — correct, buggy, looping, exiting, non-parsing,
function-less, memory-hungry, as ``.py`` and ``.ipynb`` — its own verdict, in its own process,
within the time limit, with the right CSV row and exit status. In Korean (``--lang ko`` or a
Korean locale) the notebook's messages, the usage errors, the help, the progress lines, the
table and the diagnoses of errors are Korean; the CSV's header and verdicts and the JSON's keys
and verdicts stay the codes.

The class runs use a FAKE child (FAKE_CHECK below, written to tmp_path) that keeps the
contract of ``python -m manual_backprop check TARGET --json`` on one small fixed network, so
these tests depend neither on jax nor on the single-file check's own output.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat import v4

import manual_backprop as mb
from manual_backprop.cli import check as check_command
from manual_backprop.cli import classroom
from manual_backprop.cli import main as cli_main
from manual_backprop.cli.args import depth, forwarded_options, positive_float, positive_int
from manual_backprop.cli.classroom import (
    Result,
    Submission,
    find_submissions,
    format_table,
    is_class_run,
    run_class,
)
from manual_backprop.cli.notebook import NotebookError, load_notebook
from manual_backprop.grading.gradebooks import CSV_COLUMNS
from manual_backprop.i18n import use_language
from tests.helpers import word_counts

FAKE_CHECK = r'''
"""Stand-in for `python -m manual_backprop check TARGET [options] --json`: loads the submission
(.py by importlib, .ipynb by load_notebook), compares FUNC(weights, X, Y) with
manual_backprop.gradients on one fixed network, prints the contract's JSON object (diagnosis:
the key "sign" or a line; its own lines in the language of --lang)."""
import importlib.util
import json
import sys
import time
from pathlib import Path

import numpy as np

import manual_backprop as mb
from manual_backprop.cli.args import error_line
from manual_backprop.cli.notebook import NotebookError, load_notebook
from manual_backprop.i18n import set_language

OWN = {"en": {"no function": "{where} has no function {name!r}", "hint": "look at the sign"},
       "ko": {"no function": "{where}에 {name!r} 함수가 없습니다", "hint": "부호를 확인하십시오"}}


def usage(message):
    print(error_line("manual-backprop check", message), file=sys.stderr)
    sys.exit(2)


start = time.perf_counter()
args = sys.argv[1:]
assert args[-1] == "--json", args
lang = args[args.index("--lang") + 1] if "--lang" in args else "en"
set_language(lang)
where, _, name = args[0].rpartition(":")
path = Path(where)
skipped = []
try:
    if path.suffix == ".ipynb":
        module, skipped = load_notebook(path, all_cells="--all-cells" in args)
    else:
        spec = importlib.util.spec_from_file_location("_submission", path)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, str(path.parent))
        spec.loader.exec_module(module)
except NotebookError as exc:
    usage(str(exc))
except Exception as exc:
    usage(f"cannot import {where}: {type(exc).__name__}: {exc}")
fn = getattr(module, name, None)
if not callable(fn):
    usage(OWN[lang]["no function"].format(where=where, name=name))
rng = np.random.default_rng(0)
weights = [rng.normal(size=(3, 2)), rng.normal(size=(1, 3))]
X, Y = rng.normal(size=(2, 4)), rng.normal(size=(1, 4))
expected = mb.gradients(weights, X, Y, activation="sigmoid")
diagnosis = []
try:
    got = fn([w.copy() for w in weights], X.copy(), Y.copy())
    if not all(np.allclose(g, e) for g, e in zip(got, expected, strict=True)):
        flipped = all(np.allclose(g, -e) for g, e in zip(got, expected, strict=True))
        diagnosis.append("sign" if flipped else "mismatch")
except Exception as exc:
    diagnosis.append(f"raised {type(exc).__name__}: {exc}")
caveats = [str(c) for c in getattr(module, "CAVEATS", [])]
verdict = "wrong" if diagnosis else "agrees_with_caveats" if caveats else "agrees"
ok = verdict == "agrees" or (verdict == "agrees_with_caveats" and "--strict" not in args)
report = "\n".join([f"{args[0]}: {verdict}", *diagnosis, *caveats, *map(str, skipped),
                    "options: " + " ".join(args[1:-1])])
print(json.dumps({"verdict": verdict, "ok": ok, "networks": 1, "diagnosis": diagnosis,
                  "hint": OWN[lang]["hint"] if diagnosis else None, "caveats": caveats,
                  "report": report, "seconds": time.perf_counter() - start}))
sys.exit(0 if ok else 1)
'''

BACKPROP = """
def backprop(weights, X, Y):
    {first}
    A = [X]
    for W in weights:
        A.append(1 / (1 + np.exp(-(W @ A[-1]))))
    E = Y - A[-1]
    dW = [None] * len(weights)
    for l in range(len(weights), 0, -1):
        delta = E * A[l] * (1 - A[l])
        dW[l - 1] = {sign}delta @ A[l - 1].T
        E = weights[l - 1].T @ delta
    return dW
"""


def _backprop(first: str = "pass", sign: str = "-") -> str:
    return BACKPROP.format(first=first, sign=sign)


CORRECT = "import numpy as np\n" + _backprop()

# kind -> (the .py file, the .ipynb's code cells)
SUBMISSIONS: dict[str, tuple[str, list[str]]] = {
    "correct": (CORRECT, ["%matplotlib inline\n!pip install numpy\nimport numpy as np\nimport time",
                          _backprop() + "\nfor epoch in range(10**9):\n    time.sleep(3600)",
                          "time.sleep(3600)"]),
    "buggy": ("import numpy as np\n" + _backprop(sign=""),
              ["import numpy as np", _backprop(sign="")]),
    "looping": ("import numpy as np\nwhile True:\n    pass\n" + _backprop(),
                ["import numpy as np", _backprop(first="while True: pass")]),
    "exiting": ("import sys\nimport numpy as np\nsys.exit(0)\n" + _backprop(),
                ["import sys\nimport numpy as np", "sys.exit(0)", _backprop()]),
    "nonparsing": ("def backprop(weights, X, Y)\n    return weights\n",
                   ["import numpy as np", "def backprop(weights, X, Y)\n    return weights"]),
    "functionless": ("import numpy as np\ndef forward(W, X):\n    return W @ X\n",
                     ["import numpy as np\ndef forward(W, X):\n    return W @ X"]),
    "memory": ("import numpy as np\nBIG = np.ones(10**10)\n" + _backprop(),
               ["import numpy as np", _backprop(first="big = np.ones(10**10)")]),
    "chatty": ("print('hello from the student')\n" + CORRECT,
               ["print('hello')", CORRECT, "print('training...')"]),
}
TIMEOUT = 5
MEMORY_MB = 2048
# file -> (verdict, a part of the diagnosis)
EXPECTED = {
    "buggy.ipynb": ("wrong", "sign"),
    "buggy.py": ("wrong", "sign"),
    "chatty.ipynb": ("agrees", ""),
    "chatty.py": ("agrees", ""),
    "correct.ipynb": ("agrees", ""),
    "correct.py": ("agrees", ""),
    "exiting.ipynb": ("agrees", ""),                  # sys.exit(0) is a call: not run
    "exiting.py": ("error", "exited with status 0 without a verdict"),
    "functionless.ipynb": ("error", "has no function 'backprop'"),
    "functionless.py": ("error", "has no function 'backprop'"),
    "looping.ipynb": ("timeout", f"no verdict within {TIMEOUT} s"),
    "looping.py": ("timeout", f"no verdict within {TIMEOUT} s"),
    "memory.ipynb": ("error", f"memory limit ({MEMORY_MB} MB) exceeded"),
    "memory.py": ("error", f"memory limit ({MEMORY_MB} MB) exceeded"),
    "nonparsing.ipynb": ("error", "SyntaxError"),
    "nonparsing.py": ("error", "SyntaxError"),
}


def _notebook(path: Path, *cells: str, markdown: bool = True) -> Path:
    nb = v4.new_notebook()
    if markdown:
        nb.cells.append(v4.new_markdown_cell("# Homework: backprop"))
    nb.cells += [v4.new_code_cell(source) for source in cells]
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def fake(tmp_path: Path) -> tuple[str, ...]:
    script = tmp_path / "fake_check.py"
    script.write_text(FAKE_CHECK, encoding="utf-8")
    return (sys.executable, str(script))


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == tuple(c for c in CSV_COLUMNS if c != "score")
        return list(reader)


# -- notebooks ----------------------------------------------------------------------------------

def _cells_to_skip() -> tuple[str, ...]:
    """Cells a notebook loader skips in part or whole: magics, a shell escape, a training loop
    after the definitions, a sleep, a cell magic."""
    return ("%matplotlib inline\nimport numpy as np\nimport time", "!pip install numpy",
            _backprop() + "\nlosses = []\nfor epoch in range(3):\n    time.sleep(3600)",
            "time.sleep(3600)", "%%time\ntime.sleep(3600)")


def test_a_notebook_loads_its_definitions_in_seconds_and_reports_what_it_skipped(
        tmp_path: Path) -> None:
    path = _notebook(tmp_path / "alice.ipynb",
                     *_cells_to_skip(),
                     "LR = 0.5\n")
    start = time.monotonic()
    module, skipped = load_notebook(path)
    assert time.monotonic() - start < 5
    assert module.losses == [] and module.LR == 0.5
    assert module.__name__ != "__main__" and not hasattr(module, "__file__")
    assert "return dW" in inspect.getsource(module.backprop)
    assert str(tmp_path) not in sys.path
    rng = np.random.default_rng(1)
    W, X, Y = [rng.normal(size=(2, 2))], rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    assert np.allclose(module.backprop(W, X, Y)[0], mb.gradients(W, X, Y)[0])
    assert [(c.index, c.partly) for c in skipped] == [(1, True), (2, False), (3, True),
                                                      (4, False), (5, False)]
    assert "line 1 `%matplotlib inline` (a line magic)" in skipped[0].reason
    assert "line 1 `!pip install numpy` (a shell command)" in skipped[1].reason
    assert "`for epoch in range(3):` (a loop)" in skipped[2].reason
    assert "`time.sleep(3600)` (a call)" in skipped[3].reason
    assert skipped[4].reason == "a cell magic (%%time)"
    assert str(skipped[3]) == ("cell 4 (time.sleep(3600)): skipped: line 1 `time.sleep(3600)` "
                               "(a call)")


@pytest.mark.parametrize(("statement", "runs"), [
    ("x = 0.5", True),
    ("x = -(1 + 2) * 3 ** 2 / 4", True),
    ("x = y = (1, [2, 3], {'a': None}, {4})", True),
    ("a, *rest = 1, 2, 3\nx = rest", True),
    ("x: float = 2.0", True),
    ("x = np.array([[0, 1], [1, 0]], dtype=float)", True),
    ("x = numpy.asarray([1.0])", True),
    ("x = np.pi * 2", True),
    ("x = ONE + 1", True),                         # a name defined by a statement that ran
    ("x = 1\nx += ONE", True),
    ("if ONE > 0:\n    x = 1\nelse:\n    x = 2", True),
    ("try:\n    import no_such_module_xyz as x\nexcept ImportError:\n    x = None", True),
    ("x = np.random.randn(2)", False),
    ("x = undefined_name * 2", False),
    ("x = [i for i in range(3)]", False),
    ("x = ONE if ONE else 2", False),
    ("x = TABLE[0]", False),
    ("TABLE[0] = x = 1", False),
    ("x = len('abc')", False),
    ("x = lambda: 1", False),
    ("if len('a'):\n    x = 1", False),
    ("try:\n    x = 1\n    print(x)\nexcept Exception:\n    pass", False),
])
def test_the_definitions_only_rule(tmp_path: Path, statement: str, runs: bool) -> None:
    path = _notebook(tmp_path / "rule.ipynb", "import numpy\nimport numpy as np\nONE = 1\n"
                     "TABLE = [0]", statement)
    module, skipped = load_notebook(path)
    assert hasattr(module, "x") == runs, skipped
    assert (skipped == []) == runs, skipped


def test_all_cells_runs_every_cell_and_still_drops_magics(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "counter.ipynb",
                     "import time\ncount = 0\n%load_ext autoreload",
                     "for _ in range(3):\n    count += 1\n    !echo hi",
                     "time.sleep(0.05)\ncount = count * 10",
                     "%%bash\necho never")
    module, skipped = load_notebook(path)
    assert module.count == 0
    module, skipped = load_notebook(path, all_cells=True)
    assert module.count == 30
    assert [(c.index, c.partly) for c in skipped] == [(1, True), (2, True), (4, False)]
    assert "(a shell command)" in skipped[1].reason


def test_a_notebook_runs_with_its_own_directory_on_sys_path(tmp_path: Path) -> None:
    (tmp_path / "helpers_for_alice.py").write_text("SCALE = 3\n", encoding="utf-8")
    path = _notebook(tmp_path / "alice.ipynb", "from helpers_for_alice import SCALE")
    module, _ = load_notebook(path)
    assert module.SCALE == 3 and str(tmp_path) not in sys.path


def test_a_notebook_of_format_4_is_read_without_nbformat(tmp_path: Path) -> None:
    """nbformat's import takes seconds (jsonschema's format checkers): a notebook of format 4
    is read without it, with the cells nbformat reads (sources as lists of lines or strings)."""
    import warnings

    import nbformat as nbf

    path = _notebook(tmp_path / "alice.ipynb", "import numpy as np\nX = 1", _backprop())
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["cells"][0]["source"] = ["import numpy as np\n", "X = 1"]
    raw["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "# notes"})
    path.write_text(json.dumps(raw), encoding="utf-8")
    with warnings.catch_warnings():                   # the markdown cell has no id
        warnings.simplefilter("ignore")
        expected = [str(c.source) for c in nbf.reads(path.read_text(encoding="utf-8"),
                                                     as_version=4).cells
                    if c.cell_type == "code"]
    code = ("import sys\nfrom pathlib import Path\n"
            "from manual_backprop.cli.notebook import code_cells\n"
            f"cells = code_cells(Path({str(path)!r}))\n"
            "print(repr(('nbformat' in sys.modules, cells)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent).stdout
    assert out.strip() == repr((False, expected))


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not a valid notebook"),
    ('{"cells": 3, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
     "is not a valid notebook"),
])
def test_a_file_that_is_not_a_notebook_is_a_one_line_error(tmp_path: Path, content: str,
                                                           message: str) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NotebookError, match=message) as info:
        load_notebook(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("cells", "all_cells", "message"), [
    (["import numpy", "def f(x)\n    return x"], False,
     r"bad\.ipynb: cell 2 \(import numpy|def f\(x\), line 1\): SyntaxError"),
    (["import no_such_module_xyz"], False,
     r"cell 1 \(import no_such_module_xyz, line 1\): ModuleNotFoundError"),
    (["x = 1", "def f():\n    pass\nraise ValueError('boom')"], True,
     r"cell 2 \(def f\(\):, line 3\): ValueError: boom"),
    (["import sys", "sys.exit(3)"], True, r"cell 2 \(sys\.exit\(3\), line 1\): called sys\.exit"),
])
def test_a_cell_that_fails_is_a_one_line_error_naming_it(
        tmp_path: Path, cells: list[str], all_cells: bool, message: str) -> None:
    path = _notebook(tmp_path / "bad.ipynb", *cells)
    with pytest.raises(NotebookError, match=message) as info:
        load_notebook(path, all_cells=all_cells)
    assert "\n" not in str(info.value)
    assert str(tmp_path) not in sys.path


def test_a_notebook_reports_what_it_skipped_in_korean(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "alice.ipynb",
                     *_cells_to_skip(),
                     "f = print\nf(1)\nf(2)\nf(3)\nf(4)\nf(5)")
    with use_language("ko"):
        module, skipped = load_notebook(path)
        shown = [str(c) for c in skipped]
    assert module.losses == []
    assert shown[0] == ("셀 1 (%matplotlib inline): 일부만 실행함: 1번째 줄 `%matplotlib inline` "
                        "(줄 매직 명령)")
    assert shown[1] == ("셀 2 (!pip install numpy): 실행하지 않음: 1번째 줄 `!pip install numpy` "
                        "(셸 명령)")
    assert "`for epoch in range(3):` (반복문)" in shown[2]
    assert shown[3] == ("셀 4 (time.sleep(3600)): 실행하지 않음: 1번째 줄 `time.sleep(3600)` "
                        "(함수 호출)")
    assert shown[4] == "셀 5 (%%time): 실행하지 않음: 셀 매직 명령 (%%time)"
    assert shown[5] == ("셀 6 (f = print): 일부만 실행함: 2번째 줄 `f(1)` (함수 호출); 3번째 줄 "
                        "`f(2)` (함수 호출); 4번째 줄 `f(3)` (함수 호출); 그 밖에 2개 더 있음")


UNDEFINED = "지금까지 실행한 코드가 정의하지 않은 이름 'undefined_name' 사용"


@pytest.mark.parametrize(("statement", "reason"), [
    ("x = np.random.randn(2)", "함수 호출 결과를 대입함"),
    ("x = [i for i in range(3)]", "계산한 값을 대입함"),
    ("x = undefined_name * 2", UNDEFINED),
    ("x = 1\nx += undefined_name", UNDEFINED),
    ("TABLE[0] = 1", "원소나 속성에 대입함"),
    ("x = {**{}}", "딕셔너리 안의 **"),
    ("if len('a'):\n    x = 1", "계산해야 하는 조건의 if 문"),
    ("try:\n    x = 1\n    print(x)\nexcept Exception:\n    pass",
     "정의 말고 다른 일도 하는 try 블록"),
    ("while False:\n    pass", "반복문"),
    ("with open(__name__) as f:\n    pass", "with 블록"),
    ("print(1)", "함수 호출"),
    ("ONE + 1", "식 (출력만 함)"),
    ("del ONE", "delete 문"),
    ("%time ONE", "줄 매직 명령"),
    ("!ls", "셸 명령"),
    ("np.array?", "도움말 요청"),
    ("files = !ls", "매직 명령이나 셸 명령의 결과를 대입함"),
])
def test_why_a_statement_did_not_run_in_korean(tmp_path: Path, statement: str,
                                               reason: str) -> None:
    path = _notebook(tmp_path / "rule.ipynb", "import numpy as np\nONE = 1\nTABLE = [0]",
                     statement)
    with use_language("ko"):
        _module, skipped = load_notebook(path)
    [cell] = skipped
    assert cell.reason.startswith("1번째 줄 `") or cell.reason.startswith("2번째 줄 `"), cell
    assert cell.reason.endswith(f"` ({reason})"), cell.reason


@pytest.mark.parametrize(("cells", "all_cells", "message"), [
    (["import numpy", "def f(x)\n    return x"], False,
     "bad.ipynb: 셀 2 (def f(x), 1번째 줄): SyntaxError: "),
    (["x = 1", "def f():\n    pass\nraise ValueError('boom')"], True,
     "bad.ipynb: 셀 2 (def f():, 3번째 줄): ValueError: boom"),
    (["import sys", "sys.exit(3)"], True,
     "bad.ipynb: 셀 2 (sys.exit(3), 1번째 줄): sys.exit(3) 호출"),
    (None, False, "bad.ipynb 파일은 올바른 노트북이 아닙니다: "),
])
def test_a_notebook_that_fails_says_so_in_korean(tmp_path: Path, cells: list[str] | None,
                                                 all_cells: bool, message: str) -> None:
    path = tmp_path / "bad.ipynb"
    if cells is None:
        path.write_text("{not json", encoding="utf-8")
    else:
        _notebook(path, *cells)
    with use_language("ko"), pytest.raises(NotebookError) as info:
        load_notebook(path, all_cells=all_cells)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_notebook_that_cannot_be_read_says_so_in_korean(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ipynb"
    path.write_bytes(b"\xff\xfe{")
    with use_language("ko"), pytest.raises(NotebookError,
                                           match=r"latin1\.ipynb 파일을 읽을 수 없습니다: "):
        load_notebook(path)


# -- which run ----------------------------------------------------------------------------------

def test_is_class_run(tmp_path: Path) -> None:
    assert not is_class_run(["a.py:f"])
    assert not is_class_run(["a.ipynb", "--function", "f"])
    assert not is_class_run(["a.py:f", "--seed", "3", "--activation", "tanh", "--json"])
    assert not is_class_run(["--max-examples", "10", "a.py:f", "--biases", "--strict"])
    assert is_class_run(["a.py:f", "b.py:f"])
    assert is_class_run(["a.py:f", "--", "b.py:f"])
    assert is_class_run([str(tmp_path), "--function", "f"])
    assert is_class_run([f"{tmp_path}:f"])
    for option in ("--jobs", "--timeout", "--memory-mb", "--csv", "--out"):
        assert is_class_run(["a.py:f", option, "2"])
        assert is_class_run([f"{option}=2", "a.py:f"])
    assert is_class_run(["a.py:f", "--job", "2"])           # argparse's unique prefixes
    assert not is_class_run(["a.py:f", "--lang", "ko", "--json"])     # --lang takes a value
    assert not is_class_run(["a.py:f", "--lang=en"])
    assert is_class_run(["a.py:f", "--lang", "ko", "b.py:f"])


def test_the_check_a_child_runs_is_not_a_class_run(tmp_path: Path) -> None:
    """Every child gets the run's options and --lang: that command line is one check (were it
    a class run, every child would start a class run of its own, until the timeout)."""
    args = classroom._parser().parse_args([
        str(tmp_path), "--function", "f", "--activation", "tanh", "--max-examples", "5",
        "--seed", "1", "--layers", "2", "--layout", "rows", "--loss", "mean", "--returns",
        "update", "--alpha", "0.5", "--hidden-error", "lecture", "--biases", "--strict",
        "--all-cells"])
    for lang in ("en", "ko"):
        with use_language(lang):
            options = forwarded_options(args)
        assert options[-2:] == ["--lang", lang]
        assert not is_class_run([f"{tmp_path / 'a.py'}:f", *options, "--json"])


def test_find_submissions(tmp_path: Path) -> None:
    for name in ("b.py", "a.ipynb", "notes.txt", ".hidden.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text("", encoding="utf-8")
    subs = find_submissions([str(tmp_path), f"{tmp_path / 'sub' / 'b.py'}:other"], "backprop")
    assert [(s.path, s.function, s.student) for s in subs] == [
        (tmp_path / "a.ipynb", "backprop", ""), (tmp_path / "b.py", "backprop", ""),
        (tmp_path / "sub" / "b.py", "backprop", "sub"),      # a folder is a student's
        (tmp_path / "sub" / "b.py", "other", "")]
    assert [s.name for s in subs] == ["a.ipynb", str(tmp_path / "b.py"), "sub",
                                      str(tmp_path / "sub" / "b.py")]


def _usage_folders(tmp_path: Path) -> dict[str, Path]:
    """The folders the usage-error tables name: {empty} and {full} (one submission, a.py)."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.py").write_text(CORRECT, encoding="utf-8")
    (tmp_path / "full" / "a.txt").write_text("", encoding="utf-8")
    return {"empty": tmp_path / "empty", "full": tmp_path / "full"}


@pytest.mark.parametrize(("argv", "message"), [
    ([], "the following arguments are required"),
    (["{empty}", "--function", "f"], "no submission found"),
    (["{empty}/missing.py", "--function", "f"], "no such file or directory"),
    (["{full}"], "which function"),
    (["{full}", "--function", "f", "--jobs", "0"], "argument --jobs"),
    (["{full}", "--function", "f", "--timeout", "-1"], "argument --timeout"),
    (["{full}", "--function", "f", "--layout", "diagonal"], "argument --layout"),
    (["{full}", "--function", "f", "--bogus"], "unrecognized arguments"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           argv: list[str], message: str) -> None:
    where = _usage_folders(tmp_path)
    argv = [a.format(**where) for a in argv]
    assert classroom.main(argv, command=("false",)) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("manual-backprop check: error:")
    assert message in err


# -- class runs ---------------------------------------------------------------------------------

def test_a_class_of_every_kind_of_submission(tmp_path: Path, fake: tuple[str, ...],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for kind, (py, cells) in SUBMISSIONS.items():
        (folder / f"{kind}.py").write_text(py, encoding="utf-8")
        _notebook(folder / f"{kind}.ipynb", *cells)
    start = time.monotonic()
    status = classroom.main([str(folder), "--function", "backprop", "--jobs", "2",
                             "--timeout", str(TIMEOUT), "--memory-mb", str(MEMORY_MB),
                             "--csv", str(tmp_path / "marks.csv"), "--out",
                             str(tmp_path / "reports")], command=fake)
    elapsed = time.monotonic() - start
    assert status == 1
    rows = {row["submission"]: row for row in _rows(tmp_path / "marks.csv")}
    assert list(rows) == sorted(EXPECTED)
    for name, (verdict, diagnosis) in EXPECTED.items():
        assert rows[name]["verdict"] == verdict, rows[name]
        assert diagnosis in rows[name]["diagnosis_text"], rows[name]
    assert rows["buggy.py"]["hint"] == "look at the sign"
    # the two looping submissions ran side by side and were killed on time
    for name in ("looping.py", "looping.ipynb"):
        assert TIMEOUT <= float(rows[name]["seconds"]) < TIMEOUT + 3, rows[name]
    assert elapsed < TIMEOUT + 40          # 14 s on 2 busy cores: the others' start-ups
    out, err = capsys.readouterr()
    isolation, *progress = err.splitlines()             # the run's first line: its isolation
    assert isolation.startswith("isolation: ") and out.splitlines()[-1] == isolation
    assert len(progress) == len(EXPECTED) and progress[-1].startswith(f"[{len(EXPECTED)}/")
    assert out.splitlines()[-2] == (f"{len(EXPECTED)} submissions: 5 agrees, 2 wrong, "
                                    "7 error, 2 timeout")
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        [f"{n}.txt" for n in EXPECTED] + ["journal.jsonl"])
    assert "(a call)" in (reports / "exiting.ipynb.txt").read_text(encoding="utf-8")
    assert "no verdict within" in (reports / "looping.py.txt").read_text(encoding="utf-8")


def test_a_directory_of_one_correct_submission_is_a_class_that_agrees(
        tmp_path: Path, fake: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "alice.py").write_text(CORRECT, encoding="utf-8")
    argv = [str(folder), "--function", "backprop", "--csv", str(tmp_path / "marks.csv"),
            "--out", str(tmp_path / "reports"), "--seed", "3", "--activation", "tanh",
            "--biases", "--alpha", "0.5"]
    assert is_class_run(argv)
    assert classroom.main(argv, command=fake) == 0
    assert [(r["submission"], r["verdict"]) for r in _rows(tmp_path / "marks.csv")] == [
        ("alice.py", "agrees")]
    report = (tmp_path / "reports" / "alice.py.txt").read_text(encoding="utf-8")
    assert "options: --activation tanh --seed 3 --alpha 0.5 --biases" in report
    assert capsys.readouterr().out.splitlines()[-2] == "1 submission: 1 agrees"
    assert classroom.main([*argv, "--json"], command=fake) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is True and answer["counts"]["agrees"] == 1
    assert answer["isolation"]["line"].startswith("isolation: ")
    assert set(answer["isolation"]) == {"layers", "missing", "line"}
    assert [(r["submission"], r["verdict"]) for r in answer["submissions"]] == [
        ("alice.py", "agrees")]


def test_caveats_pass_unless_strict(tmp_path: Path, fake: tuple[str, ...]) -> None:
    folder = tmp_path / "caveats"
    folder.mkdir()
    (folder / "alice.py").write_text(CORRECT, encoding="utf-8")
    (folder / "bob.py").write_text(CORRECT + "\nCAVEATS = ['slow', 'warns']\n",
                                   encoding="utf-8")
    marks = tmp_path / "marks.csv"
    assert classroom.main([str(folder), "--function", "backprop", "--csv", str(marks)],
                          command=fake) == 0
    rows = _rows(marks)
    assert [(r["verdict"], r["caveats"]) for r in rows] == [("agrees", ""),
                                                             ("agrees_with_caveats",
                                                              "slow; warns")]
    assert classroom.main([str(folder), "--function", "backprop", "--strict"],
                          command=fake) == 1


def test_all_cells_is_passed_to_the_child(tmp_path: Path, fake: tuple[str, ...]) -> None:
    path = _notebook(tmp_path / "exiting.ipynb", *SUBMISSIONS["exiting"][1])
    sub = Submission(path, "backprop", path.name)
    [default] = run_class([sub], command=fake)
    [every] = run_class([sub], ["--all-cells"], command=fake)
    assert default.verdict == "agrees"
    assert every.verdict == "error" and "called sys.exit(0)" in every.diagnosis_text[0]


def test_the_memory_limit_is_what_stops_a_big_allocation(tmp_path: Path,
                                                         fake: tuple[str, ...]) -> None:
    path = tmp_path / "greedy.py"          # 2 GiB of address space, never touched (zeros)
    path.write_text("import numpy as np\nBIG = np.zeros(2**28)\n" + _backprop(),
                    encoding="utf-8")
    sub = Submission(path, "backprop", path.name)
    [limited] = run_class([sub], memory_mb=1024, command=fake)
    [roomy] = run_class([sub], memory_mb=4096, command=fake)
    assert (limited.verdict, limited.diagnosis, limited.diagnosis_text) == (
        "error", ("memory_limit",), ("memory limit (1024 MB) exceeded",))
    assert roomy.verdict == "agrees"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_a_timeout_kills_everything_the_submission_started(tmp_path: Path,
                                                           fake: tuple[str, ...]) -> None:
    pid_file = tmp_path / "grandchild.pid"
    path = tmp_path / "spawner.py"
    path.write_text(f"import subprocess\np = subprocess.Popen(['sleep', '300'])\n"
                    f"open({str(pid_file)!r}, 'w').write(str(p.pid))\nwhile True:\n    pass\n",
                    encoding="utf-8")
    start = time.monotonic()
    [result] = run_class([Submission(path, "backprop", path.name)], timeout=2, command=fake)
    assert result.verdict == "timeout" and time.monotonic() - start < 5
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_a_child_that_breaks_the_contract_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "alice.py"
    path.write_text(CORRECT, encoding="utf-8")
    sub = Submission(path, "backprop", path.name)
    script = tmp_path / "liar.py"
    script.write_text("import sys\nprint('not json')\nprint('it broke', file=sys.stderr)\n"
                      "sys.exit(1)\n", encoding="utf-8")
    [result] = run_class([sub], command=(sys.executable, str(script)))
    assert (result.verdict, result.diagnosis_text) == ("error", ("it broke",))
    script.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n",
                      encoding="utf-8")
    [result] = run_class([sub], command=(sys.executable, str(script)))
    assert (result.verdict, result.diagnosis_text) == ("error", ("killed by SIGSEGV",))


def test_the_child_runs_this_checkout(tmp_path: Path) -> None:
    script = tmp_path / "where.py"
    script.write_text("import json, manual_backprop\nprint(json.dumps({'verdict': 'agrees', "
                      "'ok': True, 'report': manual_backprop.__file__}))\n", encoding="utf-8")
    path = tmp_path / "alice.py"
    path.write_text("", encoding="utf-8")
    [result] = run_class([Submission(path, "f", "alice.py")],
                         command=(sys.executable, str(script)))
    assert result.report == os.path.abspath(mb.__file__)


RUNNER = r'''
import signal
import sys

from manual_backprop.cli import classroom

signal.signal(signal.SIGINT, signal.default_int_handler)    # even if started in the background
sys.exit(classroom.main(sys.argv[2:], command=(sys.executable, sys.argv[1])))
'''


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_no_submission_outlives_the_checker(tmp_path: Path, fake: tuple[str, ...],
                                            how: signal.Signals) -> None:
    """Ctrl-C: the checker kills its children on the way out; killed outright (SIGKILL), the
    children get SIGKILL from the kernel (PR_SET_PDEATHSIG)."""
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("l1.py", "l2.py"):
        (folder / name).write_text("import os\nopen(__file__ + '.pid', 'w').write(str(os.getpid()))"
                                   "\nwhile True:\n    pass\n", encoding="utf-8")
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    root = str(Path(mb.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    with subprocess.Popen([sys.executable, str(runner), fake[1], str(folder), "--function",
                           "backprop", "--jobs", "2", "--timeout", "100"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as checker:
        pid_files = [folder / "l1.py.pid", folder / "l2.py.pid"]
        deadline = time.monotonic() + 20
        while not all(p.exists() and p.read_text() for p in pid_files):
            assert time.monotonic() < deadline and checker.poll() is None
            time.sleep(0.05)
        checker.send_signal(how)
        checker.wait(timeout=10)
    pids = [int(p.read_text()) for p in pid_files]
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)


class _InterruptingStream(io.StringIO):
    """Ctrl-C at the first progress line of a submission (the run's first line, its
    isolation, is written before anything runs)."""

    def write(self, text: str) -> int:
        if text.startswith("["):
            raise KeyboardInterrupt
        return super().write(text)


def test_an_interrupted_run_kills_its_children_and_goes_on(tmp_path: Path,
                                                          fake: tuple[str, ...]) -> None:
    """In-process (in Jupyter, say), Ctrl-C must not leave the running checks behind."""
    quick = tmp_path / "quick.py"                 # done once the others are in their loops
    quick.write_text("import os, time\nwhile not all(os.path.exists(os.path.join("
                     f"{str(tmp_path)!r}, n)) for n in ('l1.py.pid', 'l2.py.pid')):\n"
                     "    time.sleep(0.01)\n" + CORRECT, encoding="utf-8")
    subs = [Submission(quick, "backprop", quick.name)]
    for name in ("l1.py", "l2.py"):
        (tmp_path / name).write_text("import os\nopen(__file__ + '.pid', 'w').write("
                                     "str(os.getpid()))\nwhile True:\n    pass\n",
                                     encoding="utf-8")
        subs.append(Submission(tmp_path / name, "backprop", name))
    with pytest.raises(KeyboardInterrupt):       # at the first progress line: quick.py's
        run_class(subs, jobs=3, timeout=100, command=fake, progress=_InterruptingStream())
    pids = [int((tmp_path / f"{n}.pid").read_text()) for n in ("l1.py", "l2.py")]
    assert not any(_alive(pid) for pid in pids)


def test_a_class_of_every_kind_of_submission_with_the_real_check(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same class, checked by the real ``check`` command in each child (jax, Hypothesis,
    20 networks each): every submission gets its row, the looping ones within the timeout."""
    folder = tmp_path / "class"
    folder.mkdir()
    for kind, (py, cells) in SUBMISSIONS.items():
        (folder / f"{kind}.py").write_text(py, encoding="utf-8")
        _notebook(folder / f"{kind}.ipynb", *cells)
    timeout = 40               # a real check's start (numpy, jax) on two busy cores, and more
    status = classroom.main([str(folder), "--function", "backprop", "--jobs", "2",
                             "--timeout", str(timeout), "--max-examples", "20",
                             "--csv", str(tmp_path / "marks.csv")])
    assert status == 1
    capsys.readouterr()
    rows = {row["submission"]: row for row in _rows(tmp_path / "marks.csv")}
    assert list(rows) == sorted(EXPECTED)
    for name, (verdict, diagnosis) in EXPECTED.items():
        diagnosis = diagnosis.replace(f"within {TIMEOUT} s", f"within {timeout} s")
        assert rows[name]["verdict"] == verdict, rows[name]
        assert diagnosis in rows[name]["diagnosis_text"], rows[name]
    for name in ("looping.py", "looping.ipynb"):
        assert timeout <= float(rows[name]["seconds"]) < timeout + 5, rows[name]


def test_a_correct_submission_in_another_convention_is_not_marked_wrong(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real check in each child: a correct two-layer function gets the verdict
    agrees_in_another_convention (its options in the hint column), a buggy one wrong."""
    catalogue = Path(__file__).resolve().parent.parent / "catalogue"
    folder = tmp_path / "class"
    folder.mkdir()
    for name, source in (("two_layers.py", "conventions/two_layers_lecture.py"),
                         ("sign.py", "buggy/sign_flipped.py")):
        (folder / name).write_text((catalogue / source).read_text(encoding="utf-8"),
                                   encoding="utf-8")
    status = classroom.main([str(folder), "--function", "backprop", "--jobs", "2",
                             "--timeout", "40", "--max-examples", "20",
                             "--csv", str(tmp_path / "marks.csv")])
    assert status == 1
    out = capsys.readouterr().out
    assert "2 submissions: 1 agrees_in_another_convention, 1 wrong" in out
    rows = {row["submission"]: row for row in _rows(tmp_path / "marks.csv")}
    assert rows["two_layers.py"]["verdict"] == "agrees_in_another_convention"
    assert rows["two_layers.py"]["hint"].endswith("rerun with --layers 2")
    assert rows["two_layers.py"]["diagnosis"] == ""
    assert (rows["sign.py"]["verdict"], rows["sign.py"]["diagnosis"]) == ("wrong", "sign")


# -- in Korean ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("argv", "message"), [
    ([], "다음 인자가 필요합니다: PATH"),
    (["{empty}", "--function", "f"], "제출물을 찾지 못했습니다: {empty}에 .py 또는 .ipynb 파일이 "
                                     "없습니다"),
    (["{empty}/missing.py", "--function", "f"], "그런 파일이나 디렉터리가 없습니다: "),
    (["{full}/a.txt", "--function", "f"], "a.txt: .py 또는 .ipynb 파일이나 디렉터리여야 합니다"),
    (["{full}"], "{full}에서 검사할 함수를 알 수 없습니다: --function NAME 또는 {full}:NAME "
                 "형식으로 지정하십시오"),
    (["{full}", "--function", "f", "--jobs", "0"],
     "인자 --jobs: 1 이상이어야 합니다 (입력한 값: 0)"),
    (["{full}", "--function", "f", "--jobs", "two"],
     "인자 --jobs: 정수여야 합니다 (입력한 값: 'two')"),
    (["{full}", "--function", "f", "--timeout", "-1"],
     "인자 --timeout: 0보다 큰 유한한 수여야 합니다 (입력한 값: -1)"),
    (["{full}", "--function", "f", "--timeout", "soon"],
     "인자 --timeout: 숫자여야 합니다 (입력한 값: 'soon')"),
    (["{full}", "--function", "f", "--seed", "x"], "인자 --seed: int 값으로 읽을 수 없습니다: 'x'"),
    (["{full}", "--function", "f", "--layout", "diagonal"],
     "인자 --layout: 허용되지 않는 값입니다: 'diagonal' (가능한 값: 'columns', 'rows')"),
    (["{full}", "--function", "f", "--jobs"], "인자 --jobs: 값 하나가 필요합니다"),
    (["{full}", "--function", "f", "--bogus"], "알 수 없는 인자입니다: --bogus"),
])
def test_usage_errors_in_korean(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                argv: list[str], message: str) -> None:
    where = _usage_folders(tmp_path)
    argv = [a.format(**where) for a in argv]
    with use_language("ko"):
        assert classroom.main(argv, command=("false",)) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("manual-backprop check: 오류: ") and message.format(**where) in err
    ko, en = word_counts(re.sub(r"'[^']*'", "", err.replace(str(tmp_path), "")))  # values aside
    assert ko >= 2 * en, (ko, en, err)


def test_the_argument_types_in_korean() -> None:
    import argparse

    with use_language("ko"):
        for call, message in [(lambda: positive_int("1.5"), "정수여야 합니다 (입력한 값: '1.5')"),
                              (lambda: positive_int("-2"), "1 이상이어야 합니다 (입력한 값: -2)"),
                              (lambda: positive_float("x"), "숫자여야 합니다 (입력한 값: 'x')"),
                              (lambda: positive_float("inf"),
                               "0보다 큰 유한한 수여야 합니다 (입력한 값: inf)"),
                              (lambda: depth("5"),
                               "층 수(깊이)는 1에서 4 사이여야 합니다 (입력한 값: 5)")]:
            with pytest.raises(argparse.ArgumentTypeError) as info:
                call()
            assert str(info.value) == message
    with pytest.raises(argparse.ArgumentTypeError, match=r"^expected a depth from 1 to 4, got 5$"):
        depth("5")


def test_the_help_of_a_class_run_in_korean(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Korean help: argparse's headings too, lines wrapped by their width on a terminal (a
    Hangul syllable takes two columns), continued usage lines under the first one's options."""
    from manual_backprop.i18n import columns

    monkeypatch.setenv("COLUMNS", "80")
    with use_language("ko"):
        text = classroom._parser().format_help()
    for phrase in ("사용법: manual-backprop check [-h]", "위치 인자:", "옵션:",
                   "이 도움말을 보여 주고 끝냅니다", "각 제출물의 검사에 그대로 전달되는 옵션:",
                   "동시에 검사할 제출물의 수 (기본값: CPU 개수)", "jax.grad와 비교해 검사하고"):
        assert phrase in text
    ko, en = word_counts(text)
    assert ko >= 2 * en, (ko, en, text)
    assert max(columns(line) for line in text.splitlines()) <= 80
    usage = text.split("\n\n")[0].splitlines()
    assert usage[1].index("[") == columns(usage[0][: usage[0].index("[-h]")])
    with use_language("en"):
        english = classroom._parser().format_help()
    assert english.startswith("usage: manual-backprop check [-h]")
    assert "positional arguments:" in english and "show this help message and exit" in english
    assert word_counts(english)[0] == 0


def test_the_table_counts_columns_and_speaks_korean() -> None:
    sub = Submission(Path("x.py"), "backprop", "")
    results = [Result(Submission(sub.path, sub.function, name), verdict, verdict == "agrees",
                      diagnosis, seconds=seconds)
               for name, verdict, diagnosis, seconds in [
                   ("홍길동.py", "wrong", ("sign",), 3.25), ("bob.ipynb", "agrees", (), 12.5),
                   ("carol.py", "agrees_with_caveats", (), 2.0),
                   ("dave.py", "error", ("가" * 40,), 1.0), ("eve.py", "timeout", (), 60.0)]]
    with use_language("ko"):
        table = format_table(results)
    lines = table.splitlines()
    assert lines[0].split() == ["제출물", "판정", "진단", "/", "힌트", "시간(초)"]
    assert [line.split()[1] for line in lines[1:6]] == ["실패", "통과", "통과", "오류", "시간"]
    assert "통과 (수치적 주의)" in lines[3]
    assert lines[4].split()[2] == "가" * 34 + "…"             # 70 columns
    from manual_backprop.i18n import columns
    assert len({columns(line) for line in lines[:6]}) == 1    # every row as wide as the header
    assert lines[-1] == ("제출물 5개: 통과 1개, 통과 (수치적 주의) 1개, 실패 1개, 오류 1개, "
                         "시간 초과 1개")
    with use_language("en"):
        english = format_table(results).splitlines()
    assert english[0].split() == ["submission", "verdict", "diagnosis", "/", "hint", "seconds"]
    assert english[-1] == ("5 submissions: 1 agrees, 1 agrees_with_caveats, 1 wrong, 1 error, "
                           "1 timeout")
    assert columns(english[1]) == columns(english[2])         # 홍길동.py: two columns a syllable


def test_what_a_class_run_says_of_a_submission_without_a_verdict_in_korean(
        tmp_path: Path, fake: tuple[str, ...]) -> None:
    kinds = ("looping", "memory", "exiting", "functionless")
    subs = []
    for kind in kinds:
        path = tmp_path / f"{kind}.py"
        path.write_text(SUBMISSIONS[kind][0], encoding="utf-8")
        subs.append(Submission(path, "backprop", path.name))
    with use_language("ko"):
        results = run_class(subs, ["--lang", "ko"], jobs=2, timeout=3, memory_mb=MEMORY_MB,
                            command=fake)
    by_kind = dict(zip(kinds, results))
    assert [r.verdict for r in results] == ["timeout", "error", "error", "error"]
    assert by_kind["looping"].diagnosis_text == ("3초 안에 판정이 나오지 않아 강제 종료함",)
    assert by_kind["looping"].report.startswith(
        f"{subs[0].target}: 시간 초과: 3초 안에 판정이 나오지 않아 강제 종료함")
    assert by_kind["memory"].diagnosis_text == (f"메모리 한도({MEMORY_MB} MB) 초과",)
    assert by_kind["memory"].report.startswith(f"{subs[1].target}: 오류: 메모리 한도(")
    assert "\n--- stderr (끝부분) ---\n" in by_kind["memory"].report
    assert by_kind["exiting"].diagnosis_text == ("판정 없이 종료 상태 0(으)로 끝남",)
    # the child's usage error, without its Korean "manual-backprop check: 오류: "
    assert by_kind["functionless"].diagnosis_text == (
        f"{subs[3].path}에 'backprop' 함수가 없습니다",)
    assert by_kind["functionless"].diagnosis == ("cannot_load",)
    script = tmp_path / "crash.py"
    script.write_text("import os, signal\nprint('x', file=__import__('sys').stderr, flush=True)\n"
                      "os.kill(os.getpid(), signal.SIGSEGV)\n", encoding="utf-8")
    with use_language("ko"):
        [crashed] = run_class(subs[2:3], command=(sys.executable, str(script)))
    assert crashed.diagnosis_text == ("SIGSEGV 신호로 강제 종료됨: x",)
    for result in [*results, crashed]:
        ko, en = word_counts(" ".join(result.diagnosis_text).replace(str(tmp_path), ""))
        assert ko >= 2 * en, result


def _class_folder(tmp_path: Path) -> Path:
    """A small class: one of each verdict the fake child gives quickly (no timeout)."""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "alice.py").write_text(CORRECT, encoding="utf-8")
    (folder / "bob.py").write_text(SUBMISSIONS["buggy"][0], encoding="utf-8")
    (folder / "carol.py").write_text(CORRECT + "\nCAVEATS = ['수치적 주의: 큰 |z|에서 정밀도가 "
                                     "떨어짐']\n", encoding="utf-8")
    (folder / "dave.py").write_text(SUBMISSIONS["exiting"][0], encoding="utf-8")
    _notebook(folder / "erin.ipynb", *SUBMISSIONS["correct"][1])
    return folder


def _without_seconds(text: str) -> str:
    """A class run's output without its timings (the table's last column, the progress's)."""
    return re.sub(r" *\d+\.\d(초| s)?$", "", text, flags=re.MULTILINE)


def _progress(err: str) -> list[str]:
    """The progress lines without their order and timings (and without the first line, the
    run's isolation)."""
    return sorted(re.sub(r"^\[\d+/\d+\] ", "", line) for line in
                  _without_seconds(err).splitlines()[1:])


def test_a_class_run_speaks_korean(tmp_path: Path, fake: tuple[str, ...],
                                   capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """``check FOLDER --lang ko`` (through the command line): progress, table and summary in
    Korean words (at least three times as many as English ones), the same with a Korean locale
    and no --lang; the CSV's header and verdicts and the JSON's keys and verdicts the codes of
    the English run; each child asked for Korean."""
    import functools

    monkeypatch.setattr(check_command, "class_main",
                        functools.partial(classroom.main, command=fake))
    folder = _class_folder(tmp_path)
    marks, reports = tmp_path / "marks.csv", tmp_path / "reports"
    argv = ["check", str(folder), "--function", "backprop", "--jobs", "2", "--csv", str(marks),
            "--out", str(reports)]
    assert cli_main([*argv, "--lang", "ko"]) == 1
    out, err = capsys.readouterr()
    table = out.splitlines()
    assert table[0].split() == ["제출물", "판정", "진단", "/", "힌트", "시간(초)"]
    assert [(line.split()[0], line.split()[1]) for line in table[1:6]] == [
        ("alice.py", "통과"), ("bob.py", "실패"), ("carol.py", "통과"), ("dave.py", "오류"),
        ("erin.ipynb", "통과")]
    assert "sign; 부호를 확인하십시오" not in out and "sign" in table[2]   # the key, not the hint
    assert "판정 없이 종료 상태 0(으)로 끝남" in table[4]
    assert table[-2] == "제출물 5개: 통과 2개, 통과 (수치적 주의) 1개, 실패 1개, 오류 1개"
    isolation, *progress = err.splitlines()
    assert table[-1] == isolation and isolation.startswith("격리: ")
    assert len(progress) == 5 and all(line.endswith("초") for line in progress)
    assert sorted(line.split()[2] for line in progress) == ["실패", "오류", "통과", "통과", "통과"]
    ko, en = word_counts(out + err)
    assert ko >= 3 * en, (ko, en, out + err)
    rows = _rows(marks)                                 # the codes, for scripts
    assert [r["verdict"] for r in rows] == ["agrees", "wrong", "agrees_with_caveats", "error",
                                            "agrees"]
    assert rows[1]["diagnosis"] == "sign" and rows[1]["hint"] == "부호를 확인하십시오"
    assert "options: --lang ko" in (reports / "bob.py.txt").read_text(encoding="utf-8")
    notebook = (reports / "erin.ipynb.txt").read_text(encoding="utf-8")
    assert "셀 2 (" in notebook and "(반복문)" in notebook and "(함수 호출)" in notebook

    shutil.rmtree(reports)                              # else the run resumes from it
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")           # a Korean locale, no --lang
    assert cli_main(argv) == 1
    out_locale, err_locale = capsys.readouterr()
    assert _without_seconds(out_locale) == _without_seconds(out)
    assert _progress(err_locale) == _progress(err)

    assert cli_main([*argv, "--json"]) == 1
    korean = json.loads(capsys.readouterr().out)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert cli_main([*argv, "--json", "--lang", "en"]) == 1
    english = json.loads(capsys.readouterr().out)

    def keys(value: object) -> object:
        if isinstance(value, dict):
            return {k: keys(v) for k, v in value.items()}
        if isinstance(value, list):
            return [keys(v) for v in value]
        return None

    assert keys(korean) == keys(english) and korean["counts"] == english["counts"]
    assert [s["verdict"] for s in korean["submissions"]] == [
        s["verdict"] for s in english["submissions"]]
    assert korean["submissions"][3]["diagnosis_text"] == ["판정 없이 종료 상태 0(으)로 끝남"]
    assert english["submissions"][3]["diagnosis_text"] == [
        "exited with status 0 without a verdict"]
    assert korean["submissions"][3]["diagnosis"] == english["submissions"][3]["diagnosis"] == [
        "crashed"]
    assert english["submissions"][1]["hint"] == "look at the sign"


def test_a_class_run_in_english_has_no_korean(tmp_path: Path, fake: tuple[str, ...],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "bob.py").write_text(SUBMISSIONS["buggy"][0], encoding="utf-8")
    (folder / "dave.py").write_text(SUBMISSIONS["exiting"][0], encoding="utf-8")
    with use_language("en"):
        assert classroom.main([str(folder), "--function", "backprop"], command=fake) == 1
    out, err = capsys.readouterr()
    assert _without_seconds(out).splitlines()[1:-1] == [
        "bob.py      wrong    sign",
        "dave.py     error    exited with status 0 without a verdict",
        "",
        "2 submissions: 1 wrong, 1 error"]
    assert out.split("\n")[0].split() == ["submission", "verdict", "diagnosis", "/", "hint",
                                          "seconds"]
    assert _progress(err) == ["bob.py  wrong", "dave.py  error"]
    assert word_counts(out + err)[0] == 0


def test_the_class_run_knows_every_verdict_of_the_check() -> None:
    """classroom keeps its own copy (it does not import jax): it must be reference's."""
    from reference.check import VERDICTS as CHECK

    assert classroom.CHECK_VERDICTS == frozenset(CHECK)
