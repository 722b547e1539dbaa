"""Grading on Dask distributed (``manual_backprop.grading.cluster``), marked ``cluster``: they
need the extra (``pip install '.[test,cluster]'``) and run on their own in .ci/run.

A local cluster of 2 worker processes grades a class with a stand-in ``grade`` that runs a
subprocess (tests/_grading_standin.py); one worker process is killed (SIGKILL) while it grades:
its job runs again on another worker, every row arrives once, and the rows are those of the
local executor. ``local:N`` stops its cluster afterwards; an address connects to a scheduler
that someone else started and leaves it running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from manual_backprop.grading.executors import grade_all, open_executor
from manual_backprop.grading.journal import JOURNAL_NAME, Journal
from manual_backprop.grading.records import Job, Row
from tests._grading_standin import SETTINGS, standin_grade
from tests.test_class_grading import BUGGY, without_seconds
from tests.test_classroom import CORRECT

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parent.parent


def _jobs(n: int, sleep: float) -> list[Job]:
    bodies = ["return weights", "return -weights", "raise ValueError"]
    return [Job(f"s{i:02d}.py", f"student{i:02d}", f"s{i:02d}.py",
                f"def backprop(weights, X, Y):\n    {bodies[i % 3]}  # {i}\n".encode(),
                "backprop", ("--sleep", str(sleep)))
            for i in range(n)]


def _expected(jobs: list[Job], tmp: Path) -> list[Row]:
    fast = [Job(j.name, j.student, j.filename, j.content, j.function) for j in jobs]
    with open_executor(None, jobs=2) as executor, Journal(tmp, SETTINGS) as journal:
        return [r.without_timing() for r in grade_all(fast, standin_grade, executor, journal)]


def _started(directory: Path) -> list[tuple[str, int]]:
    """(job name, pid of the process that graded it) of every grade started so far."""
    found = []
    for path in directory.iterdir():
        name, _dot, pid = path.name.rpartition(".")
        found.append((name, int(pid)))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = _jobs(10, sleep=2.0)
    expected = _expected(jobs, tmp_path / "local")
    started, ended = tmp_path / "started", tmp_path / "ended.log"
    started.mkdir()
    monkeypatch.setenv("GRADING_STANDIN_STARTED", str(started))   # the workers inherit them
    monkeypatch.setenv("GRADING_STANDIN_LOG", str(ended))
    killed: list[tuple[str, int]] = []

    def kill_a_worker_that_grades() -> None:
        deadline = time.monotonic() + 120       # a bound so that a broken run cannot hang
        while time.monotonic() < deadline:
            done = ended.read_text().split() if ended.exists() else []
            busy = [(n, pid) for n, pid in _started(started) if n not in done]
            if busy:                            # started, not ended: its child sleeps 2 s
                os.kill(busy[0][1], signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.01)

    arrived: list[str] = []
    out = tmp_path / "run"
    with open_executor("local:2") as executor, Journal(out, SETTINGS) as journal:
        killer = threading.Thread(target=kill_a_worker_that_grades)
        killer.start()
        rows = grade_all(jobs, standin_grade, executor, journal,
                         on_row=lambda job, row: arrived.append(job.name))
        killer.join()

    assert [r.without_timing() for r in rows] == expected
    assert sorted(arrived) == [j.name for j in jobs], "each row arrived once"
    lines = (out / JOURNAL_NAME).read_text("utf-8").splitlines()
    assert Counter(json.loads(line)["name"] for line in lines) == Counter(j.name for j in jobs)
    (victim, dead), = killed
    assert ended.read_text().split().count(victim) == 1, "its killed grade never ended"
    runs = [pid for name, pid in _started(started) if name == victim]
    assert dead in runs and len(runs) >= 2, "the killed worker's job ran again elsewhere"
    assert any(pid != dead for pid in runs)
    assert not _alive(dead)


def test_local_n_stops_its_cluster_afterwards(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = tmp_path / "started"
    started.mkdir()
    monkeypatch.setenv("GRADING_STANDIN_STARTED", str(started))
    jobs = _jobs(4, sleep=0.0)
    with open_executor("local:2") as executor, Journal(tmp_path / "run", SETTINGS) as journal:
        rows = grade_all(jobs, standin_grade, executor, journal)
        pids = {pid for _name, pid in _started(started)}
        assert pids and all(_alive(pid) for pid in pids) and os.getpid() not in pids
    assert [r.submission for r in rows] == [j.name for j in jobs]
    assert not any(_alive(pid) for pid in pids), "the workers are stopped with the run"


def test_an_address_connects_to_a_running_scheduler_and_leaves_it_running(
        tmp_path: Path) -> None:
    scheduler_file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", "--nworkers", "2",
             "--nthreads", "1", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        address = json.loads(scheduler_file.read_text())["address"]
        jobs = _jobs(4, sleep=0.0)
        with open_executor(address) as executor, \
                Journal(tmp_path / "run", SETTINGS) as journal:
            rows = grade_all(jobs, standin_grade, executor, journal)
        assert [r.without_timing() for r in rows] == _expected(jobs, tmp_path / "local")
        assert scheduler.poll() is None and worker.poll() is None, "not ours to stop"
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=60)


# -- the class run on a cluster: the real check -----------------------------------------------

SLOW_CORRECT = ("import time\n" + CORRECT).replace(
    "def backprop(weights, X, Y):\n", "def backprop(weights, X, Y):\n    time.sleep(0.03)\n")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _busy_judges(root: int) -> list[int]:
    """The judges under ``root`` that are checking a submission (their sandbox is alive)."""
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            command = (Path(f"/proc/{pid}/cmdline").read_bytes()).split(b"\0")
        except (FileNotFoundError, ProcessLookupError):
            continue
        if b"manual_backprop.classroom.judge" in command and tree.get(pid):
            found.append(pid)
    return found


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _class_command(folder: Path, out: Path, marks: Path, *where: str) -> list[str]:
    return [sys.executable, "-m", "manual_backprop", "check", str(folder), "--function",
            "backprop", "--max-examples", "5", "--out", str(out), "--csv", str(marks),
            "--lang", "en", *where]


def test_a_class_run_on_a_local_cluster_survives_a_killed_worker(tmp_path: Path) -> None:
    """``check DIR --cluster local:2``: a Dask worker process is killed (SIGKILL) while its
    judge checks a submission; the scheduler runs that task again on a worker, and the run
    ends with the rows of a local run (timings aside), each journaled once."""
    folder = tmp_path / "class"
    folder.mkdir()
    names = [f"s{i:02d}.py" for i in range(8)]
    for i, name in enumerate(names):
        (folder / name).write_text(BUGGY if i % 4 == 1 else SLOW_CORRECT, encoding="utf-8")
    local = subprocess.run(_class_command(folder, tmp_path / "local", tmp_path / "local.csv",
                                          "--jobs", "2"),
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert local.returncode == 1, local.stderr
    out, marks = tmp_path / "out", tmp_path / "marks.csv"
    run = subprocess.Popen(_class_command(folder, out, marks, "--cluster", "local:2"),
                           cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    killed = []
    deadline = time.monotonic() + 300
    while not killed and run.poll() is None and time.monotonic() < deadline:
        judges = _busy_judges(run.pid)
        if judges:
            worker = _parent(judges[0])
            os.kill(worker, signal.SIGKILL)
            killed.append(worker)
        time.sleep(0.02)
    stdout, stderr = run.communicate(timeout=600)
    assert killed, "no judge was seen at work"
    assert run.returncode == 1, stderr
    assert without_seconds(marks) == without_seconds(tmp_path / "local.csv")
    lines = (out / JOURNAL_NAME).read_text("utf-8").splitlines()
    assert Counter(json.loads(line)["name"] for line in lines) == Counter(names)
    assert not _alive(killed[0])
    assert stdout.splitlines()[-2] == "8 submissions: 6 agrees, 2 wrong"
