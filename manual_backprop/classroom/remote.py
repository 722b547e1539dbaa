"""A class run's task on a cluster's worker: ``grade(limits, job) -> row``.

    executor.submit(functools.partial(grade, Limits(60.0, 2048)), job)

A module-level function of plain data (``Limits``, a ``grading.records.Job`` that carries its
file's bytes), so that any machine with this package installed can compute it, and compute it
again after a crash: the worker writes the job's files into a sandbox's directory of its own
and checks it exactly as a local run does (``run.Engine``: a judge, fresh sandbox per
submission). The engine, with its judge (jax loaded and compiled once), stays in the worker's
process for the next task, and goes with the process (its judges are killed when it dies:
``processes.LIMITER``).

A worker whose sandboxes lack a layer of isolation under ``--require-isolation`` grades
nothing: the task raises ``IsolationMissing``, which the run reports as a submission that could
not be graded (``grading.GradingFailed``).
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..grading.records import Job, Row
from .rows import row_of
from .run import Engine
from .schema import Submission

__all__ = ["IsolationMissing", "Limits", "grade"]


class IsolationMissing(RuntimeError):
    """A worker's sandboxes lack a layer of isolation that ``--require-isolation`` asks for."""


@dataclass(frozen=True)
class Limits:
    """What a class run's tasks share besides the check's options: seconds and MB per
    submission, and whether every layer of isolation is required."""

    timeout: float
    memory_mb: int
    require_isolation: bool = False


_LOCK = threading.Lock()
_ENGINE: list[tuple[tuple[Any, ...], Engine]] = []      # at most one: (its key, the engine)


def _require(isolation: dict[str, Any]) -> None:
    from reference.sandboxed import describe_isolation, isolation_missing

    if isolation_missing(isolation):
        raise IsolationMissing(describe_isolation(isolation))


def _engine(limits: Limits, options: tuple[str, ...]) -> Engine:
    key = (limits, options)
    if _ENGINE and _ENGINE[0][0] != key:                # another run's: not ours to reuse
        _ENGINE.pop()[1].close()
    if not _ENGINE:
        engine = Engine(options, 1, limits.timeout, limits.memory_mb, None, None)
        try:
            engine.start(_require if limits.require_isolation else None, 1)
        except BaseException:
            engine.close()
            raise
        _ENGINE.append((key, engine))
    return _ENGINE[0][1]


def grade(limits: Limits, job: Job) -> Row:
    """The row of ``job``, checked on this machine (see the module docstring)."""
    if not isinstance(limits, Limits):
        raise TypeError(f"`limits` must be a Limits, got {type(limits).__name__}")
    if not isinstance(job, Job):
        raise TypeError(f"`job` must be a grading.records.Job, got {type(job).__name__}")
    submission = Submission(Path(job.origin or job.filename), job.function, job.name,
                            job.student)
    with _LOCK:                                         # one check at a time per process
        [result] = _engine(limits, job.options).grade([submission], [job])
    return row_of(result)


@atexit.register
def _close() -> None:
    while _ENGINE:
        _ENGINE.pop()[1].close()
