"""Where a class run's ``grade(job) -> row`` calls run: a ``concurrent.futures.Executor``.

    with open_executor(None, jobs=4) as executor:          # this machine: 4 at a time
    with open_executor("local:4") as executor:             # Dask's own local cluster, 4 workers
    with open_executor("tcp://10.0.0.5:8786") as executor: # an existing Dask scheduler
        rows = grade_all(jobs, grade, executor, journal)

The interface is the standard library's (``submit(fn, job) -> Future``, ``map``, ``shutdown``),
so the local executor and a Dask client's (``Client.get_executor``) are interchangeable. The
local one is a thread pool: a grade spends its time in the processes it starts (the sandbox and
the judge), so threads are enough, and a crash of one of those processes is that row's, not
the pool's. The cluster ones live in ``cluster.py``; Dask is imported only when asked for.

``grade_all`` is the loop a class run needs: it submits the jobs the journal does not have,
records each row as it arrives (in the order they finish), and returns every row in the order
of the jobs. A job whose ``grade`` raised (an infrastructure failure, such as a cluster that
gave up on it after its workers died too often; a submission's own failure is a row) gets no
row: the others go on, and ``GradingFailed`` at the end names it; the next run retries it.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..i18n import _
from .journal import Journal
from .records import Job, Row

__all__ = ["GradingFailed", "grade_all", "local_executor", "open_executor"]

Grade = Callable[[Job], Row]


class GradingFailed(RuntimeError):
    """Some jobs got no row because ``grade`` raised; ``failures`` maps their names to the
    exception. Their rows are missing from the journal, so rerunning grades them again."""

    def __init__(self, failures: dict[str, BaseException]) -> None:
        self.failures = failures
        names = ", ".join(list(failures)[:5]) + (", ..." if len(failures) > 5 else "")
        first = next(iter(failures.values()))
        super().__init__(_("{count} submission(s) could not be graded ({names}); first error: "
                           "{error}").format(count=len(failures), names=names,
                                             error=f"{type(first).__name__}: {first}"))


def local_executor(jobs: int) -> cf.Executor:
    """A pool of ``jobs`` threads on this machine."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"`jobs` must be a whole number ≥ 1, got {jobs!r}")
    return cf.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade")


@contextmanager
def open_executor(cluster: str | None, *, jobs: int = 1) -> Iterator[cf.Executor]:
    """The executor of ``--cluster`` (None: this machine, ``jobs`` at a time; ``local:N`` or
    an address: ``cluster.open_cluster``), shut down on leaving the block."""
    if cluster is None:
        executor = local_executor(jobs)
        try:
            yield executor
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        return
    from .cluster import open_cluster, parse_cluster

    with open_cluster(parse_cluster(cluster)) as executor:
        yield executor


def grade_all(jobs: Iterable[Job], grade: Grade, executor: cf.Executor, journal: Journal, *,
              on_row: Callable[[Job, Row], None] | None = None) -> list[Row]:
    """Grade the jobs that ``journal`` has no row for on ``executor``, journal each row as it
    arrives (and call ``on_row``), and return the rows of all ``jobs`` in their order.

    Raises:
        GradingFailed: ``grade`` raised for some jobs (every other row is journaled).
    """
    if not isinstance(executor, cf.Executor):
        raise TypeError(f"`executor` must be a concurrent.futures.Executor, got "
                        f"{type(executor).__name__}")
    if not callable(grade):
        raise TypeError(f"`grade` must be callable, got {type(grade).__name__}")
    jobs = list(jobs)
    futures = {executor.submit(grade, job): job for job in journal.todo(jobs)}
    failures: dict[str, BaseException] = {}
    try:
        for future in cf.as_completed(futures):
            job = futures[future]
            error = future.exception()
            if error is not None:
                failures[job.name] = error
                continue
            row = future.result()
            journal.record(job, row)
            if on_row is not None:
                on_row(job, row)
    finally:
        for future in futures:                      # Ctrl-C, or an error of ours
            future.cancel()
    if failures:
        raise GradingFailed(failures)
    return journal.rows(jobs)
