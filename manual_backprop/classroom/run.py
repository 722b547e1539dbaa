"""A class run: every submission copied, then checked, ``jobs`` at a time.

The default: ``jobs`` judges (``judge``), fresh interpreters started with ``subprocess`` (never
forked from this process, which may have loaded jax), each living for the whole run and
checking one submission at a time in a fresh sandbox. A submission's time (``timeout``) runs
from when its request is sent: the sandbox stops at that deadline, and a judge still without
an answer ``_GRACE`` seconds later is killed with its process group (its sandboxes die with
it) and replaced; that submission is ``timeout``. A judge that dies is that submission's
``error`` (read from its exit status and stderr, as a check's) and is replaced.

With ``command``, each submission is checked instead by a process of its own,
``[*command, FILE:FUNC, *options, "--json"]`` (a stand-in for the check, in tests; it gets
the original file, not the copy), killed with its group after ``timeout`` seconds.
"""

from __future__ import annotations

import json
import os
import selectors
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from reference.sandboxed import Runtime, describe_isolation, probe_isolation

from ..grading.records import Job
from ..i18n import _
from .discovery import read_job
from .interpret import interpret
from .processes import Process, child_env
from .rows import problem_result
from .schema import Result, Submission

__all__ = ["JUDGE", "Engine", "Results", "progress_line", "run_class"]

JUDGE: tuple[str, ...] = (sys.executable, "-m", "manual_backprop.classroom.judge")
_POLL = 0.05                            # seconds between looks at the running processes
_GRACE = 5.0                            # seconds a judge has to answer after the deadline


class Results(list[Result]):
    """The results of a class run, in the order of its submissions, and ``isolation``: the
    layers its sandboxes got (``reference.sandboxed.probe_isolation``)."""

    isolation: dict[str, Any]


class _Job:
    def __init__(self, index: int, submission: Submission, copy: Path) -> None:
        self.index = index
        self.submission = submission
        self.copy = copy
        self.started = 0.0


class _Worker:
    """A judge (``stdin``: it lives for many jobs) or a process for one job."""

    def __init__(self, process: Process, job: _Job | None) -> None:
        self.process = process
        self.job = job
        self.ready = job is not None


def run_class(submissions: Sequence[Submission], options: Sequence[str] = (), *,
              jobs: int | None = None, timeout: float = 60.0, memory_mb: int = 2048,
              command: Sequence[str] | None = None, progress: TextIO | None = None,
              require_isolation: Callable[[dict[str, Any]], None] | None = None,
              contents: Sequence[Job | None] | None = None,
              done: Mapping[int, Result] | None = None,
              on_result: Callable[[int, Result], None] | None = None) -> Results:
    """Check every submission (``FILE:FUNC`` with ``options``; see the module docstring),
    ``jobs`` at a time (default os.cpu_count()); returns the results in the order of
    ``submissions``. Before anything runs, every submission is copied into the run's
    directory and the isolation a sandbox gets is probed: its line is the first one written
    to ``progress`` (if given) and ``require_isolation`` (if given) is called with it (it
    raises to stop the run). Then one line per finished submission goes to ``progress``.

    Args:
        contents: the submissions' bytes, read already (``discovery.read_job``), in the order
            of ``submissions`` (None, or a None entry: read now).
        done: the results known already (a resumed run's, by index): not checked again.
        on_result: called with (index, result) as each checked submission finishes.
    """
    engine = Engine(options, max(1, jobs or os.cpu_count() or 1), timeout, memory_mb,
                    None if command is None else tuple(command), progress)
    try:
        todo = sum(s.problem is None for i, s in enumerate(submissions)
                   if done is None or i not in done)
        engine.start(require_isolation, todo)
        return engine.grade(submissions, contents, done, on_result)
    finally:
        engine.close()


class Engine:
    """Judges (or, with ``command``, a process per submission) that check batches of
    submissions, ``jobs`` at a time, in the sandboxes of one run directory, until ``close``.
    A class run uses one for all its submissions (``run_class``); a cluster's worker keeps
    one for the tasks it takes (``remote``)."""

    def __init__(self, options: Sequence[str], jobs: int, timeout: float, memory_mb: int,
                 command: tuple[str, ...] | None, progress: TextIO | None) -> None:
        self.options = list(options)
        self.jobs = jobs
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.command = command
        self.progress = progress
        self.grace = _GRACE if command is None else 0.0
        self.runtime = Runtime()                   # removed at the end, even if killed
        self.selector = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.pending: list[_Job] = []
        self.isolation: dict[str, Any] = {}
        self.env = child_env(TMPDIR=str(self.runtime.dir))
        self.total = self.done = 0
        self.found: list[Result | None] = []
        self.on_result: Callable[[int, Result], None] | None = None

    def start(self, require_isolation: Callable[[dict[str, Any]], None] | None,
              judges: int) -> None:
        """Start up to ``judges`` judges (they load jax meanwhile), probe the isolation, say it
        (and maybe stop)."""
        if self.command is None:
            while len(self.workers) < min(self.jobs, judges):
                self.workers.append(_Worker(Process(JUDGE, self.env, self.memory_mb,
                                                    self.selector, stdin=True), None))
        self.isolation = probe_isolation(self.runtime)
        if self.progress is not None:
            print(describe_isolation(self.isolation), file=self.progress, flush=True)
        if require_isolation is not None:
            require_isolation(self.isolation)

    def close(self) -> None:
        for worker in self.workers:                # Ctrl-C, or an error of ours
            worker.process.finish()
        self.workers.clear()
        self.selector.close()
        self.runtime.close()

    def grade(self, submissions: Sequence[Submission],
              contents: Sequence[Job | None] | None = None,
              done: Mapping[int, Result] | None = None,
              on_result: Callable[[int, Result], None] | None = None) -> Results:
        """Check ``submissions`` (see ``run_class``: every copy is made before the first one
        runs) and return their results in order."""
        self.total = len(submissions)
        self.found = [None] * self.total
        self.on_result = on_result
        for i, result in (done or {}).items():
            self.found[i] = result
        self.done = sum(r is not None for r in self.found)
        for i, sub in enumerate(submissions):
            if self.found[i] is None and sub.problem is not None:
                result = self.found[i] = problem_result(sub)
                self.done += 1
                if self.progress is not None:
                    print(progress_line(self.done, self.total, result), file=self.progress,
                          flush=True)
        self.pending = []
        for i, sub in enumerate(submissions):
            if self.found[i] is None:
                job = contents[i] if contents is not None else None
                job = read_job(sub) if job is None else job
                copy = self.runtime.write(job.filename, job.content, job.extra)
                self.pending.append(_Job(i, sub, copy))
        while self.pending or any(w.job for w in self.workers):
            self._start()
            now = time.monotonic()
            waits = [w.job.started + self.timeout + self.grace - now
                     for w in self.workers if w.job is not None]
            for key, _events in self.selector.select(max(0.0, min([_POLL, *waits]))):
                key.data.read(key.fd)
            for worker in list(self.workers):
                self._look_at(worker)
        results = Results(r for r in self.found if r is not None)
        results.isolation = self.isolation
        return results

    def _start(self) -> None:
        """Start workers and give idle judges a job."""
        if self.command is not None:
            while self.pending and len(self.workers) < self.jobs:
                job = self.pending.pop(0)
                job.started = time.monotonic()
                argv = [*self.command, job.submission.target, *self.options, "--json"]
                self.workers.append(_Worker(Process(argv, self.env, self.memory_mb,
                                                    self.selector), job))
            return
        busy = sum(w.job is not None for w in self.workers)
        while len(self.workers) < min(self.jobs, len(self.pending) + busy):
            self.workers.append(_Worker(Process(JUDGE, self.env, self.memory_mb, self.selector,
                                                stdin=True), None))
        for worker in self.workers:
            if worker.ready and worker.job is None and self.pending:
                job = worker.job = self.pending.pop(0)
                job.started = time.monotonic()
                request = {"id": job.index, "argv": [job.submission.target, *self.options,
                                                     "--json"],
                           "run_dir": str(self.runtime.dir), "copy": str(job.copy),
                           "timeout": self.timeout, "deadline": job.started + self.timeout,
                           "memory_mb": self.memory_mb}
                worker.process.send((json.dumps(request) + "\n").encode())

    def _look_at(self, worker: _Worker) -> None:
        """A judge's answer, a worker that ended or one that is late."""
        job = worker.job
        answer = _answers(worker) if self.command is None else None
        if answer is not None and job is not None:
            worker.job = None
            self._finished(job, int(answer["status"]), str(answer["stdout"]),
                           str(answer["stderr"]), False)
            return
        late = job is not None and time.monotonic() - job.started > self.timeout + self.grace
        if not late and not worker.process.exited():
            return
        late = late and not worker.process.exited()
        status = worker.process.finish()
        self.workers.remove(worker)
        stdout = worker.process.out.decode("utf-8", "replace")
        stderr = worker.process.err.decode("utf-8", "replace")
        if self.command is None:
            stdout = ""                     # a judge's answers are not a check's output
            if late:
                stderr = ""                 # nor is what it said of other submissions
            if job is None and not worker.ready and self.pending:
                # a judge that did not start: the next submission's error (as a check
                # that cannot start would be)
                job = self.pending.pop(0)
                job.started = worker.process.started
        if job is not None:
            self._finished(job, status, stdout, stderr, late)

    def _finished(self, job: _Job, status: int, stdout: str, stderr: str, late: bool) -> None:
        seconds = time.monotonic() - job.started
        result = interpret(job.submission, status, stdout, stderr, seconds=seconds,
                           timed_out=late, timeout=self.timeout, memory_mb=self.memory_mb)
        self.found[job.index] = result
        self.done += 1
        if self.on_result is not None:
            self.on_result(job.index, result)
        if self.progress is not None:
            print(progress_line(self.done, self.total, result), file=self.progress,
                  flush=True)


def progress_line(done: int, total: int, result: Result) -> str:
    """The line said when a submission is finished: its place, name, verdict and time."""
    return _("[{done}/{total}] {name}  {verdict}  {seconds:.1f} s").format(
        done=done, total=total, name=result.submission.name, verdict=result.verdict_word,
        seconds=result.seconds)


def _answers(worker: _Worker) -> dict[str, Any] | None:
    """The judge's next message, if a whole line of it has arrived: ``ready`` is noted, and
    the answer of its job returned."""
    out = worker.process.out
    while True:
        end = out.find(b"\n")
        if end < 0:
            return None
        line = bytes(out[:end])
        del out[: end + 1]
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if not isinstance(message, dict):
            continue
        if message.get("type") == "ready":
            worker.ready = True
        elif (message.get("type") == "done" and worker.job is not None
              and message.get("id") == worker.job.index):
            return message
