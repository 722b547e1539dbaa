"""Where ``grade(job) -> row`` runs (``manual_backprop.grading.executors`` and the parts of
``cluster`` that need no cluster): the local executor grades a class in the order of its jobs;
a job whose grade raises gets no row while the others are journaled, and the next run grades
it alone; ``--cluster`` values are checked; without Dask, ``--cluster`` says what to install.
The tests that start a Dask cluster are in test_grading_cluster.py (marked ``cluster``)."""

from __future__ import annotations

import concurrent.futures as cf
import re
import subprocess
import sys
from pathlib import Path

import pytest

from manual_backprop.grading.cluster import ClusterError, ClusterSpec, open_cluster, parse_cluster
from manual_backprop.grading.executors import (
    GradingFailed,
    grade_all,
    local_executor,
    open_executor,
)
from manual_backprop.grading.journal import Journal
from manual_backprop.grading.records import Job, Row
from tests._grading_standin import SETTINGS, standin_grade

ROOT = Path(__file__).resolve().parent.parent


def _jobs(n: int) -> list[Job]:
    bodies = ["return weights", "return -weights", "raise ValueError"]
    return [Job(f"s{i}.py", "", f"s{i}.py",
                f"def backprop(weights, X, Y):\n    {bodies[i % 3]}\n".encode(), "backprop")
            for i in range(n)]


def test_the_local_executor_grades_every_job_once_in_order(tmp_path: Path) -> None:
    jobs = _jobs(7)
    seen: list[str] = []
    with open_executor(None, jobs=3) as executor, Journal(tmp_path, SETTINGS) as journal:
        assert isinstance(executor, cf.ThreadPoolExecutor)
        rows = grade_all(jobs, standin_grade, executor, journal,
                         on_row=lambda job, row: seen.append(row.submission))
    assert [r.submission for r in rows] == [j.name for j in jobs]
    assert sorted(seen) == sorted(j.name for j in jobs)
    assert [r.verdict.value for r in rows[:3]] == ["agrees", "wrong", "error"]
    assert [r.without_timing() for r in rows] == [standin_grade(j).without_timing()
                                                  for j in jobs]


def test_a_grade_that_raises_leaves_only_its_own_row_missing(tmp_path: Path) -> None:
    jobs = _jobs(5)
    calls: list[str] = []
    failed_once: list[str] = []

    def flaky(job: Job) -> Row:
        calls.append(job.name)
        if job.name == "s2.py" and not failed_once:
            failed_once.append(job.name)
            raise OSError("no space left on device")
        return standin_grade(job)

    with local_executor(2) as executor, Journal(tmp_path, SETTINGS) as journal:
        with pytest.raises(GradingFailed, match=re.escape(
                "1 submission(s) could not be graded (s2.py); first error: OSError: no space "
                "left on device")) as failed:
            grade_all(jobs, flaky, executor, journal)
        assert list(failed.value.failures) == ["s2.py"]
        assert journal.todo(jobs) == [jobs[2]]
    calls.clear()
    with local_executor(2) as executor, Journal(tmp_path, SETTINGS) as journal:
        rows = grade_all(jobs, flaky, executor, journal)
    assert calls == ["s2.py"]
    assert [r.submission for r in rows] == [j.name for j in jobs]


def test_grade_all_checks_its_arguments(tmp_path: Path) -> None:
    with Journal(tmp_path, SETTINGS) as journal:
        with pytest.raises(TypeError, match=re.escape(
                "`executor` must be a concurrent.futures.Executor, got list")):
            grade_all([], standin_grade, [], journal)  # type: ignore[arg-type]
        with local_executor(1) as executor:
            with pytest.raises(TypeError, match="`grade` must be callable, got int"):
                grade_all([], 3, executor, journal)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="`jobs` must be a whole number ≥ 1, got 0"):
        local_executor(0)


@pytest.mark.parametrize("text, spec", [
    ("local:2", ClusterSpec(workers=2)),
    ("local:16", ClusterSpec(workers=16)),
    ("tcp://10.0.0.5:8786", ClusterSpec(address="tcp://10.0.0.5:8786")),
    ("scheduler.example.org:8786", ClusterSpec(address="scheduler.example.org:8786")),
    ("tls://[::1]:8786", ClusterSpec(address="tls://[::1]:8786")),
])
def test_cluster_values(text: str, spec: ClusterSpec) -> None:
    assert parse_cluster(text) == spec


@pytest.mark.parametrize("text", ["local:0", "local:", "local:two", "local", "", "tcp://",
                                  "http://x:1 y", "8786"])
def test_bad_cluster_values_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(
            "--cluster: expected local:N (N ≥ 1 worker processes) or a Dask scheduler's "
            f"address such as tcp://HOST:8786, got {text!r}")):
        parse_cluster(text)


def test_without_dask_the_cluster_says_what_to_install() -> None:
    """In a fresh interpreter in which ``import distributed`` fails (as without the extra)."""
    code = ("import sys; sys.modules['distributed'] = None\n"
            "from manual_backprop.grading.cluster import *\n"
            "try:\n"
            "    with open_cluster(parse_cluster('local:2')):\n"
            "        pass\n"
            "except ClusterError as e:\n"
            "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == ("--cluster needs Dask distributed: pip install "
                                  "'manual-backprop[cluster]'")


def test_importing_the_grading_package_imports_no_engine_and_no_jax() -> None:
    code = ("import sys, manual_backprop.grading, manual_backprop.grading.cluster\n"
            "print(sorted(m for m in ('distributed', 'dask', 'jax', 'hypothesis', 'reference')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_open_cluster_checks_retries() -> None:
    with pytest.raises(ValueError, match="`retries` must be a whole number ≥ 0, got -1"):
        with open_cluster(ClusterSpec(workers=1), retries=-1):
            pass
    assert issubclass(ClusterError, RuntimeError)
