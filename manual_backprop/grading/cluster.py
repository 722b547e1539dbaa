"""``--cluster``: grading on Dask distributed (``pip install 'manual-backprop[cluster]'``).

    --cluster local:4            Dask's own local cluster of 4 worker processes, started for
                                 the run and stopped after it
    --cluster tcp://HOST:8786    an existing Dask scheduler (``dask scheduler`` on one machine,
                                 ``dask worker tcp://HOST:8786`` on each of the others)

Each job is a Dask task ``grade(job)`` (``pure``: its key is a hash of the function and the
job, whose bytes it carries, so a worker needs no shared file system, only this package
installed). A worker process that dies mid-task is noticed by the scheduler, which runs its
tasks again on another worker (up to ``distributed.scheduler.allowed-failures`` times, 3 by
default, after which the task raises ``KilledWorker``: that job gets no row, and the rerun
retries it); the client receives each result once, so the journal gets each row once. A task
that raises is retried ``retries`` times before its exception is the job's.

Dask is imported here only, inside the functions: ``import manual_backprop.grading`` needs
numpy and the standard library only.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..i18n import _

__all__ = ["QUIET_WORKERS", "ClusterError", "ClusterSpec", "engine", "open_cluster",
           "parse_cluster"]

_LOCAL = re.compile(r"local:(\d+)")
_ADDRESS = re.compile(r"(tcp|tls|inproc|ucx|ws|wss)://\S+|[A-Za-z0-9.\-\[\]:]+:\d+")


QUIET_WORKERS = {"distributed.worker.profile.enabled": False}
"""The Dask configuration of ``local:N``'s workers: no statistical profiler (it samples every
worker thread 100 times a second, for a dashboard the run does not open). For a cluster of
your own, ``dask worker`` reads the same from the environment variable
``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False``."""


class ClusterError(RuntimeError):
    """The cluster cannot be used: Dask is not installed, or the scheduler cannot be
    reached."""


@dataclass(frozen=True)
class ClusterSpec:
    """Where to grade: ``workers`` worker processes of a local cluster started for the run, or
    the scheduler at ``address``."""

    address: str | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        if (self.address is None) == (self.workers is None):
            raise ValueError("a ClusterSpec has an address or a number of workers, not both")


def parse_cluster(text: str) -> ClusterSpec:
    """``--cluster``'s value: ``local:N`` (N ≥ 1) or a scheduler address (``tcp://HOST:PORT``,
    ``HOST:PORT``). ValueError, naming what it got and what it expected, for anything else."""
    if not isinstance(text, str):
        raise TypeError(f"`cluster` must be a str, got {type(text).__name__}")
    local = _LOCAL.fullmatch(text)
    if local:
        workers = int(local.group(1))
        if workers >= 1:
            return ClusterSpec(workers=workers)
    elif _ADDRESS.fullmatch(text) and not text.startswith("local:"):
        return ClusterSpec(address=text)
    raise ValueError(_("--cluster: expected local:N (N ≥ 1 worker processes) or a Dask "
                       "scheduler's address such as tcp://HOST:8786, got {text!r}").format(
                           text=text))


def engine() -> Any:
    """The ``distributed`` module (ClusterError if the extra is not installed)."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(_("--cluster needs Dask distributed: pip install "
                             "'manual-backprop[cluster]'")) from None
    return distributed


@contextmanager
def open_cluster(spec: ClusterSpec, *, retries: int = 1,
                 log_level: int = logging.WARNING) -> Iterator[cf.Executor]:
    """A ``concurrent.futures.Executor`` on the cluster of ``spec``; on leaving the block the
    client is closed, and a local cluster stopped.

    Args:
        spec: ``parse_cluster``'s.
        retries: times a task that raised is run again before its exception is the job's (a
            worker that died is another matter: the scheduler reruns its tasks).
        log_level: the level of the local cluster's logs (a worker's death is a WARNING).

    Raises:
        ClusterError: Dask is not installed, or the scheduler cannot be reached.
    """
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"`retries` must be a whole number ≥ 0, got {retries!r}")
    distributed = engine()
    cluster = None
    if spec.workers is not None:
        import dask

        with dask.config.set(QUIET_WORKERS):             # the workers get this configuration
            cluster = distributed.LocalCluster(n_workers=spec.workers, threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               silence_logs=log_level)
        client = distributed.Client(cluster)
    else:
        try:
            client = distributed.Client(spec.address, timeout="30s")
        except OSError as exc:
            raise ClusterError(_("cannot reach the Dask scheduler at {address}: {error}")
                               .format(address=spec.address, error=exc)) from None
    try:
        executor: cf.Executor = client.get_executor(pure=True, retries=retries)
        yield executor
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
