"""A stand-in for a class run's ``grade(job) -> row``, for the tests of
``manual_backprop.grading``: like the sandboxed check to come, it runs a subprocess (a fresh
Python that reads the submission's bytes on stdin) and is a pure function of the job, whose
verdict depends on the file's content only:

    ``return -``  in the file → wrong (diagnosis ``sign``)
    ``raise``     in the file → error (diagnosis ``raises``)
    otherwise                 → agrees

The option ``("--sleep", S)`` makes the subprocess sleep S seconds first (a slow check). Two
environment variables let a test watch it from outside, without changing what it returns:
GRADING_STANDIN_STARTED=DIR (a file ``DIR/<name>.<pid>`` is made when a grade starts, pid being
the grading process's) and GRADING_STANDIN_LOG=FILE (the job's name is appended to FILE when a
grade ends).

    python -m tests._grading_standin OUT SUBMISSIONS [SLEEP]

grades every ``*.py`` of SUBMISSIONS (sorted) with a journal in OUT, one at a time, printing the
journal's resume line first if there is one: a class run in miniature, for the resume tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from manual_backprop.grading.executors import grade_all, local_executor
from manual_backprop.grading.journal import Journal
from manual_backprop.grading.records import Job, Row

__all__ = ["SETTINGS", "class_jobs", "main", "standin_grade"]

SETTINGS = {"function": "backprop", "version": "test", "options": []}

_CHILD = """\
import hashlib, sys, time
time.sleep(float(sys.argv[1]))
data = sys.stdin.buffer.read()
print(hashlib.sha256(data).hexdigest())
print("wrong" if b"return -" in data else "error" if b"raise" in data else "agrees")
"""


def standin_grade(job: Job) -> Row:
    """The row of ``job``: see the module's docstring."""
    started = time.monotonic()
    watch = os.environ.get("GRADING_STANDIN_STARTED")
    if watch:
        Path(watch, f"{job.name}.{os.getpid()}").touch()
    options = dict(zip(job.options[::2], job.options[1::2]))
    out = subprocess.run([sys.executable, "-c", _CHILD, options.get("--sleep", "0")],
                         input=job.content, capture_output=True, check=True).stdout.decode()
    digest, verdict = out.split()
    diagnosis = {"wrong": ("sign",), "error": ("raises",)}.get(verdict, ())
    text = {"wrong": ("the gradient's sign is flipped",),
            "error": ("the function raised",)}.get(verdict, ())
    row = Row(job.name, job.student, verdict, diagnosis, text, None, (),
              time.monotonic() - started, f"{job.name}: {verdict} (sha256 {digest})")
    log = os.environ.get("GRADING_STANDIN_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(job.name + "\n")
    return row


def class_jobs(directory: Path, sleep: float = 0.0) -> list[Job]:
    """A job for every ``*.py`` of ``directory``, sorted by name."""
    return [Job.from_path(p, "backprop", options=("--sleep", str(sleep)))
            for p in sorted(directory.glob("*.py"))]


def main(argv: list[str]) -> int:
    out, submissions = Path(argv[0]), Path(argv[1])
    jobs = class_jobs(submissions, float(argv[2]) if len(argv) > 2 else 0.0)
    with Journal(out, SETTINGS) as journal, local_executor(1) as executor:
        line = journal.resume_line(jobs)
        if line:
            print(line, flush=True)
        grade_all(jobs, standin_grade, executor, journal)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
