"""A class run's grading (``check DIR`` with ``manual_backprop.grading``): a run killed with
``kill -9`` resumes from its journal (the real check, real judges), a changed file is graded
again, one folder per student (an LMS export) is one row named by the folder, and the
gradebooks' files (--points, --roster, --format canvas|moodle, --excel), the settings beside
the CSV, the codes and the prose in their own columns. Most use the stand-in check of
tests/test_classroom.py (``fake``); the resume test uses the real one."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from manual_backprop.cli import classroom
from manual_backprop.grading.journal import JOURNAL_NAME
from tests.test_classroom import CORRECT, FAKE_CHECK, _backprop

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")

ROOT = Path(__file__).resolve().parent.parent
BUGGY = "import numpy as np\n" + _backprop(sign="")


@pytest.fixture
def fake(tmp_path: Path) -> tuple[str, ...]:
    script = tmp_path / "fake_check.py"
    script.write_text(FAKE_CHECK, encoding="utf-8")
    return (sys.executable, str(script))


def _table(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.reader(f))


def _dicts(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _journal_names(out: Path) -> list[str]:
    path = out / JOURNAL_NAME
    if not path.exists():
        return []
    return [json.loads(line)["name"] for line in path.read_text("utf-8").splitlines()
            if line.endswith("}")]


# -- resuming -------------------------------------------------------------------------------------

def _real_class(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    for i in range(n):
        (folder / f"s{i:02d}.py").write_text(BUGGY if i % 3 == 1 else CORRECT, encoding="utf-8")
    return folder


def _command(folder: Path, out: Path, csv_path: Path) -> list[str]:
    return [sys.executable, "-m", "manual_backprop", "check", str(folder), "--function",
            "backprop", "--max-examples", "5", "--jobs", "2", "--out", str(out), "--csv",
            str(csv_path), "--lang", "en"]


def without_seconds(path: Path) -> list[dict[str, str]]:
    """A class run's CSV, every column but ``seconds`` (what two runs of a class agree on)."""
    return [{k: v for k, v in row.items() if k != "seconds"} for row in _dicts(path)]


def test_a_run_killed_with_sigkill_resumes_where_it_stopped(tmp_path: Path) -> None:
    """The real check: a run is killed (SIGKILL to its whole process group) once 3 rows are
    journaled; the same command again says so in its first line, grades only the rest, and
    ends with the CSV of an uninterrupted run (timings aside), every row journaled once."""
    n = 9
    folder = _real_class(tmp_path, n)
    whole = subprocess.run(_command(folder, tmp_path / "whole", tmp_path / "whole.csv"),
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert whole.returncode == 1, whole.stderr                  # three are wrong
    out, marks = tmp_path / "out", tmp_path / "marks.csv"
    run = subprocess.Popen(_command(folder, out, marks), cwd=ROOT, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while len(_journal_names(out)) < 3 and time.monotonic() < deadline:
        assert run.poll() is None, "the run ended before it could be killed"
        time.sleep(0.02)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    graded = _journal_names(out)
    assert 3 <= len(graded) < n and not marks.exists()
    again = subprocess.run(_command(folder, out, marks), cwd=ROOT, capture_output=True,
                           text=True, timeout=600)
    assert again.returncode == 1, again.stderr
    first, isolation, *progress = again.stderr.splitlines()
    assert first == (f"resuming the run journaled in {out / JOURNAL_NAME}: {len(graded)} of "
                     f"{n} submissions already graded")
    assert isolation.startswith("isolation: ")
    assert len(progress) == n - len(graded)                     # only the rest were checked
    assert progress[0].startswith(f"[{len(graded) + 1}/{n}] ")
    assert Counter(_journal_names(out)) == Counter(f"s{i:02d}.py" for i in range(n))
    assert without_seconds(marks) == without_seconds(tmp_path / "whole.csv")


def test_a_changed_file_or_other_options_are_graded_again(
        tmp_path: Path, fake: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("alice.py", "bob.py"):
        (folder / name).write_text(CORRECT, encoding="utf-8")
    out, marks = tmp_path / "out", tmp_path / "marks.csv"
    argv = [str(folder), "--function", "backprop", "--out", str(out), "--csv", str(marks)]
    assert classroom.main(argv, command=fake) == 0
    capsys.readouterr()
    (folder / "bob.py").write_text(BUGGY, encoding="utf-8")
    assert classroom.main(argv, command=fake) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"resuming the run journaled in {out / JOURNAL_NAME}: 1 of 2 "
                      "submissions already graded; 1 changed since, graded again")
    assert [line.split()[1] for line in err[2:]] == ["bob.py"]
    assert [(r["submission"], r["verdict"]) for r in _dicts(marks)] == [
        ("alice.py", "agrees"), ("bob.py", "wrong")]
    assert classroom.main([*argv, "--seed", "1"], command=fake) == 1   # another run
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("isolation: ") and len(err) == 3
    assert Counter(_journal_names(out)) == {"alice.py": 2, "bob.py": 3}


# -- an LMS export and the gradebooks -------------------------------------------------------------

def _export(tmp_path: Path) -> tuple[Path, Path]:
    """moodle/<student>/...: 민수 (a Korean name) with a helper module, bob wrong, carol's
    folder empty, and dave.py a file given directly; the roster, as Moodle exports it with a
    submission column added."""
    export = tmp_path / "moodle"
    for folder, files in {
            "alice": {"hw.py": CORRECT},
            "민수": {"hw.py": "from helper import backprop\n",
                    "helper.py": CORRECT},
            "bob": {"hw3.py": BUGGY, "notes.txt": "my notes"},
            "carol": {}}.items():
        (export / folder).mkdir(parents=True)
        for name, text in files.items():
            (export / folder / name).write_text(text, encoding="utf-8")
    (export / "dave.py").write_text(CORRECT, encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("First name,Surname,ID number,Email address,submission\n"
                      "Alice,Kim,1001,alice@uni.kr,alice\n"
                      "민수,이,1002,minsu@uni.kr,민수\n"
                      "Bob,Lee,1003,bob@uni.kr,bob\n"
                      "Carol,Park,1004,carol@uni.kr,carol\n"
                      "Dave,Choi,1005,dave@uni.kr,dave\n"
                      "Erin,Han,1006,erin@uni.kr,\n", encoding="utf-8")
    return export, roster


def test_one_folder_per_student_is_one_row_named_by_its_folder(
        tmp_path: Path, fake: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    export, _roster = _export(tmp_path)
    marks = tmp_path / "marks.csv"
    argv = [str(export), "--function", "backprop", "--csv", str(marks), "--points", "10",
            "--max-examples", "7"]
    assert classroom.main(argv, command=fake) == 1
    rows = _dicts(marks)
    assert list(rows[0]) == ["submission", "student", "verdict", "diagnosis", "diagnosis_text",
                             "hint", "caveats", "score", "seconds"]
    assert [(r["submission"], r["student"], r["verdict"], r["diagnosis"], r["score"])
            for r in rows] == [
        ("alice", "alice", "agrees", "", "10"),
        ("bob", "bob", "wrong", "sign", "0"),
        ("carol", "carol", "error", "no_file", "0"),
        ("dave.py", "", "agrees", "", "10"),
        ("민수", "민수", "agrees", "", "10")]                   # its helper module came along
    assert rows[2]["diagnosis_text"] == "no .py or .ipynb file in the folder carol"
    settings = json.loads((tmp_path / "marks.settings.json").read_text("utf-8"))
    assert settings["check_options"] == ["--max-examples", "7", "--lang", "en"]
    assert settings["seed"] == 0 and settings["points"] == 10.0
    assert settings["isolation"]["line"].startswith("isolation: ")
    assert {"version", "started", "function", "timeout", "memory_mb", "cluster"} <= set(settings)
    capsys.readouterr()
    assert classroom.main([*argv, "--json"], command=fake) == 1
    answer = json.loads(capsys.readouterr().out)["submissions"]
    assert [(s["student"], s["diagnosis"], s["score"]) for s in answer[1:3]] == [
        ("bob", ["sign"], 0.0), ("carol", ["no_file"], 0.0)]
    assert answer[2]["diagnosis_text"] == ["no .py or .ipynb file in the folder carol"]


def test_canvas_and_moodle_files_with_a_roster(tmp_path: Path, fake: tuple[str, ...]) -> None:
    export, roster = _export(tmp_path)
    base = [str(export), "--function", "backprop", "--points", "10", "--roster", str(roster)]
    canvas, moodle = tmp_path / "canvas.csv", tmp_path / "moodle.csv"
    assert classroom.main([*base, "--format", "canvas", "--csv", str(canvas), "--assignment",
                           "HW3 backprop (1234)"], command=fake) == 1
    assert _table(canvas) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "HW3 backprop (1234)"],
        ["Points Possible", "", "", "", "", "10"],
        ["", "1001", "", "", "", "10"], ["", "1003", "", "", "", "0"],
        ["", "1004", "", "", "", "0"], ["", "1005", "", "", "", "10"],
        ["", "1002", "", "", "", "10"]]
    assert classroom.main([*base, "--format", "moodle", "--csv", str(moodle), "--excel"],
                          command=fake) == 1
    assert moodle.read_bytes().startswith(b"\xef\xbb\xbf")    # Excel reads 민수 as Korean
    table = _table(moodle, encoding="utf-8-sig")
    assert table[0] == ["ID number", "Email address", "backprop", "Feedback"]
    assert [row[:3] for row in table[1:]] == [
        ["1001", "alice@uni.kr", "10"], ["1003", "bob@uni.kr", "0"],
        ["1004", "carol@uni.kr", "0"], ["1005", "dave@uni.kr", "10"],
        ["1002", "minsu@uni.kr", "10"]]
    assert table[3][3] == "error; no .py or .ipynb file in the folder carol"


@pytest.mark.parametrize(("extra", "message"), [
    pytest.param(["--format", "canvas", "--points", "10", "--csv", "{csv}"],
                 "--format canvas needs --roster", id="format-without-roster"),
    pytest.param(["--format", "moodle", "--roster", "{roster}"],
                 "--format moodle needs --points, --csv", id="format-without-points-csv"),
    pytest.param(["--roster", "{roster}", "--points", "10"], "--roster goes with --format",
                 id="roster-without-format"),
    pytest.param(["--excel"], "--excel goes with --csv", id="excel-without-csv"),
    pytest.param(["--assignment", "HW3"], "--assignment goes with --format",
                 id="assignment-without-format"),
    pytest.param(["--points", "0"], "argument --points", id="points-zero"),
    pytest.param(["--format", "gradescope"], "argument --format", id="format-unknown"),
    pytest.param(["--cluster", "local:0"], "--cluster: expected local:N", id="cluster-local-0"),
    pytest.param(["--cluster", "my cluster"], "--cluster: expected local:N",
                 id="cluster-not-an-address"),
    pytest.param(["--format", "canvas", "--points", "1", "--csv", "{csv}", "--roster",
                  "{missing}"], "--roster: ", id="roster-missing"),
    pytest.param(["--format", "canvas", "--points", "1", "--csv", "{csv}", "--roster",
                  "{short}"], "1 submission(s) not on the roster: dave.py",
                 id="roster-without-a-student"),
])
def test_grading_usage_errors_exit_2_before_anything_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str],
        message: str) -> None:
    export, roster = _export(tmp_path)
    short = tmp_path / "short.csv"
    short.write_text("\n".join(roster.read_text("utf-8").splitlines()[:5]) + "\n",
                     encoding="utf-8")
    where = {"csv": tmp_path / "marks.csv", "roster": roster, "short": short,
             "missing": tmp_path / "nobody.csv"}
    argv = [str(export), "--function", "backprop", *(a.format(**where) for a in extra)]
    assert classroom.main(argv, command=("false",)) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert err.startswith("manual-backprop check: error: ") and message in err, err
    assert not (tmp_path / "marks.csv").exists()


def test_cluster_without_dask_is_a_usage_error_before_anything_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)     # as if not installed
    export, _roster = _export(tmp_path)
    argv = [str(export), "--function", "backprop", "--cluster", "local:2", "--out",
            str(tmp_path / "run")]
    assert classroom.main(argv, command=("false",)) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == ("manual-backprop check: error: --cluster needs Dask "
                                 "distributed: pip install 'manual-backprop[cluster]'\n")
    assert not (tmp_path / "run").exists()


def test_a_folder_name_decomposed_by_a_mac_unzip_matches_the_typed_roster(
        tmp_path: Path, fake: tuple[str, ...]) -> None:
    export, roster = _export(tmp_path)
    composed = export / "민수"
    composed.rename(export / unicodedata.normalize("NFD", "민수"))     # as macOS stores it
    assert not composed.exists() and "민수" in roster.read_text("utf-8")
    moodle = tmp_path / "moodle.csv"
    assert classroom.main([str(export), "--function", "backprop", "--points", "10", "--roster",
                           str(roster), "--format", "moodle", "--csv", str(moodle)],
                          command=fake) == 1
    assert ["1002", "minsu@uni.kr", "10"] in [row[:3] for row in _table(moodle)]


def test_what_a_resumed_or_interrupted_run_and_a_short_roster_say(
        tmp_path: Path, fake: tuple[str, ...], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    export, roster = _export(tmp_path)
    with open(roster, "a", encoding="utf-8") as f:
        f.write("Henry,Yoon,1007,henry@uni.kr,henry\n")      # on the roster, no submission
    out = tmp_path / "run"
    argv = [str(export), "--function", "backprop", "--out", str(out), "--points", "10",
            "--roster", str(roster), "--format", "canvas", "--csv", str(tmp_path / "c.csv"),
            "--jobs", "1"]

    class Interrupting(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith("[3/"):
                raise KeyboardInterrupt
            return super().write(text)

    stream = Interrupting()
    monkeypatch.setattr(sys, "stderr", stream)
    with pytest.raises(KeyboardInterrupt):
        classroom.main(argv, command=fake)
    monkeypatch.undo()
    said = stream.getvalue().splitlines()
    assert said[-1] == (f"interrupted: the rows finished so far are journaled in "
                        f"{out / JOURNAL_NAME}; the same command again resumes")
    assert said[-2].startswith("[2/5] alice ")                     # carol's was [1/5]
    assert _journal_names(out) == ["alice", "bob"]                   # bob's row came first
    assert classroom.main(argv, command=fake) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"resuming the run journaled in {out / JOURNAL_NAME}: 2 of 5 "
                      "submissions already graded")
    assert err[1].startswith("isolation: ") and err[2].startswith("[3/5] carol  error")
    assert err[-1] == (f"{roster}: 1 student(s) without a submission, left out of "
                       f"{tmp_path / 'c.csv'} (the gradebook keeps their grade as it is): henry")
    assert classroom.main(argv, command=fake) == 1                  # all of it journaled
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(": 4 of 5 submissions already graded")
    assert err[2] == "[5/5] carol  error  0.0 s"
