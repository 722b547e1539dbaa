"""The class run's judges and what a run promises before its first submission runs: every
submission copied, the isolation said (and required, with --require-isolation); a judge
that dies or hangs is that submission's ``error`` or ``timeout`` and is replaced; a sandbox
that fails in ``check FILE:FUNC`` is the submission's failure (exit 4), not a usage error.

The judges' supervision is tested with a FAKE judge (``FAKE_JUDGE``, the protocol of
``manual_backprop.classroom.judge`` without jax); the copies with the real one.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from manual_backprop.classroom import run as class_run
from manual_backprop.classroom.schema import (
    EXIT_FAILED,
    failure_json,
    read_verdict,
)
from manual_backprop.cli import check as check_command
from manual_backprop.cli import classroom
from tests.test_classroom import CORRECT, _backprop

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")

FAKE_JUDGE = r'''
"""A judge without jax: ready at once; a copy whose name has "dies" makes it exit 3, "hangs"
makes it sleep; any other gets "agrees" if the copy is a file of the run's directory with the
original's content (else "wrong", diagnosis: what was wrong)."""
import json, os, sys, time
print(json.dumps({"type": "ready"}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    copy, original = request["copy"], request["argv"][0].rpartition(":")[0]
    if "dies" in copy:
        print("the judge fell over", file=sys.stderr, flush=True)
        os._exit(3)
    if "hangs" in copy:
        time.sleep(3600)
    problems = []
    if not copy.startswith(request["run_dir"] + os.sep) or copy == original:
        problems.append("not a copy in the run's directory")
    elif open(copy).read() != open(original).read():
        problems.append("another content")
    answer = {"verdict": "wrong" if problems else "agrees", "ok": not problems,
              "diagnosis": problems, "report": f"judge {os.getpid()}"}
    print(json.dumps({"type": "done", "id": request["id"], "status": 1 if problems else 0,
                      "stdout": json.dumps(answer), "stderr": ""}), flush=True)
'''


@pytest.fixture
def fake_judge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "fake_judge.py"
    script.write_text(FAKE_JUDGE, encoding="utf-8")
    monkeypatch.setattr(class_run, "JUDGE", (sys.executable, str(script)))
    monkeypatch.setattr(class_run, "_GRACE", 0.5)


def _folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(CORRECT, encoding="utf-8")
    return folder


def test_a_judge_that_dies_or_hangs_is_that_submissions_verdict_and_is_replaced(
        tmp_path: Path, fake_judge: None) -> None:
    folder = _folder(tmp_path, "a.py", "b_dies.py", "c_hangs.py", "d.py")
    results = classroom.run_class(classroom.find_submissions([str(folder)], "backprop"),
                                  jobs=1, timeout=1.0)
    verdicts = {r.submission.name: (r.verdict, r.diagnosis_text) for r in results}
    assert verdicts == {
        "a.py": ("agrees", ()),
        "b_dies.py": ("error", ("the judge fell over",)),
        "c_hangs.py": ("timeout", ("no verdict within 1 s (killed)",)),
        "d.py": ("agrees", ())}
    judges = {r.submission.name: r.report for r in results}
    assert judges["a.py"] != judges["d.py"]             # d.py had a judge of its own


def test_the_judges_get_copies_made_before_the_first_submission_ran(
        tmp_path: Path, fake_judge: None) -> None:
    """Each judge is given the run's copy (the fake judge checks it has the original's content
    and lives in the run's directory); an original changed once the run has begun is not
    what is checked."""
    folder = _folder(tmp_path, "a.py", "b.py")

    class Saboteur(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith("[1/"):                 # a.py done, b.py not yet sent
                (folder / "b.py").write_text("changed", encoding="utf-8")
            return super().write(text)

    results = classroom.run_class(classroom.find_submissions([str(folder)], "backprop"),
                                  jobs=1, timeout=30, progress=Saboteur())
    assert [(r.verdict, r.diagnosis_text) for r in results] == [
        ("agrees", ()), ("wrong", ("another content",))]


def test_a_change_to_an_original_during_the_run_changes_no_verdict(tmp_path: Path) -> None:
    """The real judge: b.py, made wrong on disk after a.py's verdict, still agrees (its copy
    was made before the first submission ran)."""
    folder = _folder(tmp_path, "a.py", "b.py")

    class Saboteur(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith("[1/"):
                (folder / "b.py").write_text("import numpy as np\n" + _backprop(sign=""),
                                             encoding="utf-8")
            return super().write(text)

    results = classroom.run_class(classroom.find_submissions([str(folder)], "backprop"),
                                  ["--max-examples", "5"], jobs=1, timeout=120,
                                  progress=Saboteur())
    assert [r.verdict for r in results] == ["agrees", "agrees"], [r.report for r in results]


def test_the_first_line_says_the_isolation_and_require_isolation_stops_the_run(
        tmp_path: Path, fake_judge: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path, "a.py")
    monkeypatch.setattr(class_run, "probe_isolation", lambda runtime: {"rlimits": True})
    argv = [str(folder), "--function", "backprop", "--csv", str(tmp_path / "grades.csv")]
    assert classroom.main([*argv, "--require-isolation"]) == 2
    out, err = capsys.readouterr()
    first, second = err.splitlines()                    # the isolation, then the usage error
    assert first.startswith("isolation: limits on processes") and "missing: " in first
    assert second.startswith("manual-backprop check: error: --require-isolation: ")
    assert out == "" and not (tmp_path / "grades.csv").exists()      # nothing ran
    assert classroom.main(argv) == 0                    # without: it runs, and says so
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == first and out.splitlines()[-1] == first
    assert classroom.main([*argv, "--json"]) == 0
    isolation = json.loads(capsys.readouterr().out)["isolation"]
    assert isolation["layers"] == {"rlimits": True} and "landlock" in isolation["missing"]


@pytest.mark.parametrize("json_mode", [False, True])
def test_a_sandbox_that_dies_in_a_single_check_is_the_submissions_error_exit_4(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], json_mode: bool) -> None:
    path = tmp_path / "quitter.py"
    path.write_text("import os\ndef backprop(weights, X, Y):\n    os._exit(7)\n",
                    encoding="utf-8")
    argv = [f"{path}:backprop", "--max-examples", "3", *(["--json"] if json_mode else [])]
    assert check_command.main(argv) == EXIT_FAILED == 4
    out, err = capsys.readouterr()
    assert err.strip().splitlines()[-1] == (f"manual-backprop check: error: {path}:backprop: "
                                            "error: exited with status 7 without a verdict")
    if json_mode:
        answer = read_verdict(out)
        assert answer is not None and answer["verdict"] == "error" and answer["ok"] is False
        assert answer["diagnosis"] == ["crashed"]
        assert answer["diagnosis_text"] == ["exited with status 7 without a verdict"]
    else:
        assert out == ""


def test_the_schema_of_a_failure() -> None:
    answer = failure_json("timeout", "no verdict within 5 s (killed)", "alice.py: timeout",
                          "timeout")
    assert read_verdict("student's print\n" + json.dumps(answer)) == answer
    assert read_verdict('{"verdict": "maybe"}') is None and read_verdict("") is None
    with pytest.raises(ValueError, match="`kind` is 'wrong'"):
        failure_json("wrong", "", "", "timeout")
    with pytest.raises(ValueError, match="`code` is 'late'"):
        failure_json("timeout", "", "", "late")


def test_a_judge_that_cannot_start_is_each_submissions_error_and_the_run_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a check that cannot start (jax too big for --memory-mb, say): each judge that dies
    before it is ready is the next submission's error, so the run ends."""
    monkeypatch.setattr(class_run, "JUDGE", (
        sys.executable, "-c", "import sys; print('no jax here', file=sys.stderr); sys.exit(5)"))
    folder = _folder(tmp_path, "a.py", "b.py", "c.py")
    results = classroom.run_class(classroom.find_submissions([str(folder)], "backprop"),
                                  jobs=2, timeout=30)
    assert [(r.verdict, r.diagnosis_text) for r in results] == [("error", ("no jax here",))] * 3
