"""A whole class run, from the submissions found to the results: the journal that makes it
resumable (``--out``), and where the checks run — this machine's judges (``run``) or a
cluster's workers (``--cluster``, ``remote``, on ``manual_backprop.grading``'s executors).

Both ways journal each row as it finishes, and read back the rows a killed run journaled:
a rerun of the same command grades only the rest and says so in its first line.
"""

from __future__ import annotations

import contextlib
import functools
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..grading.journal import Journal
from ..grading.records import Job, Row
from .discovery import read_job
from .rows import problem_result, result_of, row_of
from .run import Results, progress_line, run_class
from .schema import Result, Submission

__all__ = ["Plan", "grade_class"]


@dataclass(frozen=True)
class Plan:
    """How to run a class: the check's options (as on its command line), the limits per
    submission, how many at once, where (``cluster``: None for this machine, else
    ``--cluster``'s value), the journal's directory (``out``: None, no journal) and the
    settings that make two runs the same run (their hash keys the journal's rows)."""

    options: tuple[str, ...]
    timeout: float
    memory_mb: int
    jobs: int | None
    cluster: str | None
    out: Path | None
    settings: dict[str, Any]
    strict: bool = False
    require_isolation: bool = False


@contextlib.contextmanager
def _journal(plan: Plan) -> Iterator[Journal]:
    """The run's journal: in ``--out``, or (a cluster's run without it) a temporary one."""
    if plan.out is not None:
        with Journal(plan.out, plan.settings) as journal:
            yield journal
        return
    with tempfile.TemporaryDirectory(prefix="manual-backprop-journal-") as directory:
        with Journal(Path(directory), plan.settings) as journal:
            yield journal


def grade_class(submissions: Sequence[Submission], plan: Plan, *,
                command: Sequence[str] | None = None, progress: TextIO | None = None,
                require_isolation: Callable[[dict[str, Any]], None] | None = None) -> Results:
    """Grade ``submissions`` as ``plan`` says and return their results in order (see the
    module docstring). The first line on ``progress`` is the resume line, if the journal has
    rows of this run already, then the isolation line, then one line per submission.

    Raises:
        grading.JournalError: the journal is damaged or another run holds it.
        grading.GradingFailed: (a cluster) some submissions got no row.
        grading.cluster.ClusterError: the cluster cannot be used.
    """
    jobs: list[Job | None] = [None if s.problem is not None else read_job(s, plan.options)
                              for s in submissions]
    journaled = plan.out is not None or plan.cluster is not None
    with _journal(plan) if journaled else contextlib.nullcontext() as journal:
        done: dict[int, Result] = {}
        record: Callable[[int, Result], None] | None = None
        if journal is not None:
            line = journal.resume_line([job for job in jobs if job is not None],
                                       total=len(submissions))
            if line is not None and progress is not None:
                print(line, file=progress, flush=True)
            done = {i: result_of(s, journal.rows([job])[0], plan.strict)
                    for i, (s, job) in enumerate(zip(submissions, jobs))
                    if job is not None and journal.has(job)}

            def record(index: int, result: Result) -> None:
                job = jobs[index]
                assert job is not None and journal is not None
                journal.record(job, row_of(result))

        if plan.cluster is None:
            return run_class(submissions, plan.options, jobs=plan.jobs, timeout=plan.timeout,
                             memory_mb=plan.memory_mb, command=command, progress=progress,
                             require_isolation=require_isolation, contents=jobs, done=done,
                             on_result=record)
        assert journal is not None
        return _on_cluster(submissions, jobs, done, journal, plan, progress, require_isolation)


def _on_cluster(submissions: Sequence[Submission], jobs: Sequence[Job | None],
                done: dict[int, Result], journal: Journal, plan: Plan, progress: TextIO | None,
                require_isolation: Callable[[dict[str, Any]], None] | None) -> Results:
    from ..grading.executors import open_executor

    assert plan.cluster is not None
    with open_executor(plan.cluster) as executor:  # first: a cluster that is not there says so
        return _grade_on(executor, submissions, jobs, done, journal, plan, progress,
                         require_isolation)


def _grade_on(executor: Executor, submissions: Sequence[Submission],
              jobs: Sequence[Job | None], done: dict[int, Result], journal: Journal, plan: Plan,
              progress: TextIO | None,
              require_isolation: Callable[[dict[str, Any]], None] | None) -> Results:
    from reference.sandboxed import Runtime, describe_isolation, probe_isolation

    from ..grading.executors import grade_all
    from .remote import Limits, grade

    with Runtime() as runtime:                     # this machine's; each worker probes its own
        isolation = probe_isolation(runtime)
    if progress is not None:
        print(describe_isolation(isolation), file=progress, flush=True)
    if require_isolation is not None:
        require_isolation(isolation)
    found: dict[int, Result] = dict(done)
    count = [len(found)]
    for i, sub in enumerate(submissions):
        if sub.problem is not None:
            found[i] = problem_result(sub)
            count[0] += 1
            if progress is not None:
                print(progress_line(count[0], len(submissions), found[i]), file=progress,
                      flush=True)
    where = {job.name: i for i, job in enumerate(jobs) if job is not None}

    def said(job: Job, row: Row) -> None:
        count[0] += 1
        if progress is not None:
            result = result_of(submissions[where[job.name]], row, plan.strict)
            print(progress_line(count[0], len(submissions), result), file=progress,
                  flush=True)

    todo = [job for i, job in enumerate(jobs) if job is not None and i not in found]
    task = functools.partial(grade, Limits(plan.timeout, plan.memory_mb,
                                           plan.require_isolation))
    rows = grade_all(todo, task, executor, journal, on_row=said)
    for job, row in zip(todo, rows):
        found[where[job.name]] = result_of(submissions[where[job.name]], row, plan.strict)
    results = Results(found[i] for i in range(len(submissions)))
    results.isolation = isolation
    return results
