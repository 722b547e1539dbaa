"""The journal of a class run (``manual_backprop.grading.journal``): a real run killed with
SIGKILL mid-way continues where it stopped, with no row lost, none twice, and the final rows
those of an uninterrupted run; a line torn by a crash mid-write is graded again; a changed
file is graded again; a damaged journal or a second run on it is refused."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from manual_backprop.grading.journal import JOURNAL_NAME, Journal, JournalError, settings_hash
from manual_backprop.grading.records import Job, Row, Verdict
from tests._grading_standin import SETTINGS, class_jobs

ROOT = Path(__file__).resolve().parent.parent
N = 12


def _class(directory: Path) -> Path:
    directory.mkdir()
    for i in range(N):
        body = ["    return [dW for dW in weights]", "    return -weights",
                "    raise ValueError"][i % 3]
        (directory / f"s{i:02d}.py").write_text(f"# student {i}\ndef backprop(weights, X, Y):\n"
                                                f"{body}\n")
    return directory


def _start(out: Path, submissions: Path, log: Path, sleep: float) -> subprocess.Popen[str]:
    env = {**os.environ, "GRADING_STANDIN_LOG": str(log), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests._grading_standin", str(out),
                             str(submissions), str(sleep)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run(out: Path, submissions: Path, log: Path, sleep: float = 0.0) -> str:
    proc = _start(out, submissions, log, sleep)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    return stdout


def _lines(out: Path) -> list[str]:
    path = out / JOURNAL_NAME
    return path.read_text("utf-8").splitlines() if path.exists() else []


def _graded(log: Path) -> list[str]:
    return log.read_text("utf-8").splitlines() if log.exists() else []


def _final(out: Path, submissions: Path) -> list[Row]:
    jobs = class_jobs(submissions)
    with Journal(out, SETTINGS) as journal:
        return [row.without_timing() for row in journal.rows(jobs)]


def test_a_run_killed_mid_way_continues_where_it_stopped(tmp_path: Path) -> None:
    submissions = _class(tmp_path / "class")
    _run(tmp_path / "full", submissions, tmp_path / "full.log")
    uninterrupted = _final(tmp_path / "full", submissions)
    assert [r.verdict for r in uninterrupted[:3]] == [Verdict.AGREES, Verdict.WRONG,
                                                      Verdict.ERROR]

    out, log = tmp_path / "run", tmp_path / "run.log"
    proc = _start(out, submissions, log, sleep=0.2)
    deadline = time.monotonic() + 120          # a bound so that a broken run cannot hang
    while len(_lines(out)) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    journaled = [json.loads(line)["name"] for line in _lines(out)]
    assert 4 <= len(journaled) < N, "the kill must land mid-way"
    first_run = _graded(log)

    stdout = _run(out, submissions, log)
    assert stdout.splitlines()[0] == (
        f"resuming the run journaled in {out / JOURNAL_NAME}: {len(journaled)} of {N} "
        f"submissions already graded")
    second_run = _graded(log)[len(first_run):]
    assert sorted(second_run) == sorted(set(f"s{i:02d}.py" for i in range(N)) - set(journaled))
    names = Counter(json.loads(line)["name"] for line in _lines(out))
    assert names == Counter(f"s{i:02d}.py" for i in range(N)), "each row exactly once"
    assert _final(out, submissions) == uninterrupted


def test_a_line_torn_by_a_crash_is_graded_again(tmp_path: Path) -> None:
    submissions = _class(tmp_path / "class")
    out, log = tmp_path / "run", tmp_path / "run.log"
    _run(out, submissions, log)
    uninterrupted = _final(out, submissions)
    path = out / JOURNAL_NAME
    data = path.read_bytes()
    last = data.rstrip(b"\n").rfind(b"\n") + 1
    torn = json.loads(data[last:])["name"]
    path.write_bytes(data[: last + (len(data) - last) // 2])      # a crash mid-write
    before = len(_graded(log))

    stdout = _run(out, submissions, log)
    assert stdout.splitlines()[0].endswith(f"{N - 1} of {N} submissions already graded")
    assert _graded(log)[before:] == [torn]
    assert path.read_bytes().count(b"\n") == N
    assert _final(out, submissions) == uninterrupted


def test_a_changed_file_is_graded_again(tmp_path: Path) -> None:
    submissions = _class(tmp_path / "class")
    out, log = tmp_path / "run", tmp_path / "run.log"
    _run(out, submissions, log)
    (submissions / "s01.py").write_text("def backprop(weights, X, Y):\n    return weights\n")
    before = len(_graded(log))
    stdout = _run(out, submissions, log)
    assert stdout.splitlines()[0] == (
        f"resuming the run journaled in {out / JOURNAL_NAME}: {N - 1} of {N} submissions "
        f"already graded; 1 changed since, graded again")
    assert _graded(log)[before:] == ["s01.py"]
    _run(tmp_path / "fresh", submissions, tmp_path / "fresh.log")
    assert _final(out, submissions) == _final(tmp_path / "fresh", submissions)
    assert _final(out, submissions)[1].verdict == Verdict.AGREES


# -- the journal in process -----------------------------------------------------------------

def _job(name: str, text: str = "def backprop(w, X, Y):\n    return w\n") -> Job:
    return Job(name, "", name, text.encode(), "backprop")


def _row(job: Job, verdict: str = "agrees") -> Row:
    return Row(job.name, job.student, Verdict(verdict), report=f"{job.name} report")


def test_rows_come_back_in_the_order_of_the_jobs(tmp_path: Path) -> None:
    jobs = [_job(f"{c}.py", c) for c in "cab"]
    with Journal(tmp_path, SETTINGS) as journal:
        assert journal.resume_line(jobs) is None
        journal.record(jobs[2], _row(jobs[2]))
        assert (journal.done(jobs), journal.todo(jobs)) == (jobs[2:], jobs[:2])
        for job in reversed(jobs[:2]):
            journal.record(job, _row(job))
        assert (journal.done(jobs), journal.todo(jobs)) == (jobs, [])
    with Journal(tmp_path, SETTINGS) as journal:
        assert [r.submission for r in journal.rows(jobs)] == ["c.py", "a.py", "b.py"]


def test_other_settings_grade_everything_again(tmp_path: Path) -> None:
    jobs = [_job("a.py"), _job("b.py")]
    with Journal(tmp_path, SETTINGS) as journal:
        journal.record(jobs[0], _row(jobs[0]))
    with Journal(tmp_path, {**SETTINGS, "options": ["--max-examples", "50"]}) as journal:
        assert journal.todo(jobs) == jobs
        assert journal.resume_line(jobs) is None
    with Journal(tmp_path, dict(reversed(list(SETTINGS.items())))) as journal:
        assert journal.todo(jobs) == jobs[1:]              # the same settings in another order


def test_a_job_is_recorded_once(tmp_path: Path) -> None:
    job = _job("a.py")
    with Journal(tmp_path, SETTINGS) as journal:
        journal.record(job, _row(job))
        with pytest.raises(ValueError, match=r"'a\.py' has a row already"):
            journal.record(job, _row(job))
        with pytest.raises(ValueError,
                           match=re.escape("`row` is the row of 'b.py', not of the job's 'c.py'")):
            journal.record(_job("c.py"), _row(_job("b.py")))
        with pytest.raises(KeyError, match=r"'c\.py' has no row"):
            journal.rows([job, _job("c.py")])
        with pytest.raises(ValueError, match=r"distinct names, got \['a.py'\]"):
            journal.todo([job, job])


def test_a_second_run_on_the_same_journal_is_refused(tmp_path: Path) -> None:
    with Journal(tmp_path, SETTINGS):
        with pytest.raises(JournalError, match="another run is using this journal"):
            Journal(tmp_path, SETTINGS)
    Journal(tmp_path, SETTINGS).close()                   # released with the first


def test_a_damaged_line_is_an_error_naming_it(tmp_path: Path) -> None:
    job = _job("a.py")
    with Journal(tmp_path, SETTINGS) as journal:
        journal.record(job, _row(job))
    path = tmp_path / JOURNAL_NAME
    good = path.read_text("utf-8")
    path.write_text(good + "{not json}\n" + good, encoding="utf-8")
    with pytest.raises(JournalError, match=rf"{JOURNAL_NAME}:2: not a JSON line"):
        Journal(tmp_path, SETTINGS)
    path.write_text(good + good, encoding="utf-8")
    with pytest.raises(JournalError, match=rf"{JOURNAL_NAME}:2: a second row for 'a.py'"):
        Journal(tmp_path, SETTINGS)
    path.write_text(good.replace('"verdict": "agrees"', '"verdict": "great"'), encoding="utf-8")
    with pytest.raises(JournalError, match=r":1: `verdict` must be one of agrees, .*'great'"):
        Journal(tmp_path, SETTINGS)


def test_settings_hash_needs_json_data() -> None:
    assert settings_hash({"a": 1, "b": [2]}) == settings_hash({"b": [2], "a": 1})
    assert settings_hash({"a": 1}) != settings_hash({"a": 2})
    with pytest.raises(TypeError, match="not JSON serializable"):
        settings_hash({"a": object()})
    with pytest.raises(TypeError, match="`settings` must be a mapping, got list"):
        settings_hash([1])  # type: ignore[arg-type]


def test_row_and_job_validate_their_fields() -> None:
    row = Row("a.py", "alice", "wrong", ("sign",), ("the sign is flipped",), None, (), 1.5, "r")
    assert row.verdict is Verdict.WRONG and not row.passed
    assert Row.from_json(row.to_json()) == row
    assert Row.from_json(json.loads(json.dumps(row.to_json(), ensure_ascii=False))) == row
    with pytest.raises(ValueError, match="`seconds` must be a finite number ≥ 0, got nan"):
        Row("a.py", "", "agrees", seconds=float("nan"))
    with pytest.raises(TypeError, match=r"`diagnosis` must be a tuple of str, got \['sign'\]"):
        Row("a.py", "", "wrong", ["sign"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a row has the keys"):
        Row.from_json({"submission": "a.py"})
    with pytest.raises(ValueError, match=r"`filename` must end in .py or .ipynb, got 'a.txt'"):
        Job("a", "", "a.txt", b"", "backprop")
    with pytest.raises(ValueError, match=r"`function` must be a Python name, got 'back prop'"):
        Job("a", "", "a.py", b"", "back prop")
    with pytest.raises(TypeError, match="`content` must be bytes, got str"):
        Job("a", "", "a.py", "text", "backprop")  # type: ignore[arg-type]
