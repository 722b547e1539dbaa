"""An append-only journal of a class run's finished rows, so that a run killed at submission
4,000 of 5,000 (Ctrl-C, ``kill -9``, a crash, a power cut) continues where it stopped.

    with Journal(out_dir, settings) as journal:
        print(journal.resume_line(jobs))          # "resuming …: 3,999 of 5,000 already graded"
        for job in journal.todo(jobs):            # the jobs without a row, in order
            journal.record(job, grade(job))       # one JSON line, flushed and fsync'd
        rows = journal.rows(jobs)                 # every row, in the order of ``jobs``

The file is ``journal.jsonl`` in the run's ``--out`` directory: one JSON object a line,
``{"name", "digest", "settings", "row"}``. A row counts for a job when its name, the sha256 of
the job's file (``Job.digest``) and the hash of the run's settings (``settings_hash``) match,
so a changed file, or the same directory reused with other options, is graded again; the
entries that do not match stay in the file, unused. A crash mid-write leaves at most an
unfinished last line (no newline): it is cut off when the journal is opened, and that job is
graded again. Any other line that is not a journal entry is an error naming the line.

Two runs on one journal at once would interleave: the journal holds an exclusive lock
(``flock``) on its file while open, released by the kernel when the process dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from ..i18n import _
from .records import Job, Row

__all__ = ["JOURNAL_NAME", "Journal", "JournalError", "Progress", "settings_hash"]

JOURNAL_NAME = "journal.jsonl"


class JournalError(ValueError):
    """A journal that cannot be used: a damaged line, or another run holding it."""


def settings_hash(settings: Mapping[str, Any]) -> str:
    """sha256 (hex) of the run's settings as canonical JSON (sorted keys): equal settings,
    equal hash, whatever the order they were given in. TypeError if not JSON data."""
    if not isinstance(settings, Mapping):
        raise TypeError(f"`settings` must be a mapping, got {type(settings).__name__}")
    text = json.dumps(settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Progress:
    """Where a run stands: ``done`` of ``total`` jobs have a row; ``changed`` of the rest had
    one for another version of their file (graded again)."""

    done: int
    total: int
    changed: int


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Journal:
    """The journal of the run with ``settings`` in ``directory`` (created if missing).

    Args:
        directory: the run's ``--out`` directory.
        settings: what makes two runs the same run (function, check options, version, ...):
            JSON data, hashed by ``settings_hash``.

    Raises:
        JournalError: a line other than the last is not a journal entry, or another process
            has the journal open.
    """

    def __init__(self, directory: Path, settings: Mapping[str, Any]) -> None:
        if not isinstance(directory, Path):
            raise TypeError(f"`directory` must be a pathlib.Path, got {type(directory).__name__}")
        self.settings = settings_hash(settings)
        self.path = directory / JOURNAL_NAME
        directory.mkdir(parents=True, exist_ok=True)
        created = not self.path.exists()
        self._file: BinaryIO = open(self.path, "a+b")       # closed by close()
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise JournalError(f"{self.path}: another run is using this journal") from None
        if created:
            _fsync_directory(directory)
        self.torn_bytes = 0
        """Bytes of an unfinished last line cut off when the journal was opened."""
        self._rows: dict[tuple[str, str], Row] = {}        # (name, digest) → row, this run's
        try:
            self._read()
        except BaseException:
            self._file.close()
            raise

    # -- reading ----------------------------------------------------------------------------

    def _read(self) -> None:
        self._file.seek(0)
        data = self._file.read()
        end = data.rfind(b"\n") + 1                        # after the last complete line
        if end < len(data):                                # a crash mid-write: cut it off
            self.torn_bytes = len(data) - end
            self._file.truncate(end)
            self._file.flush()
            os.fsync(self._file.fileno())
        for number, line in enumerate(data[:end].splitlines(), start=1):
            name, digest, settings, row = self._entry(line, number)
            if settings != self.settings:
                continue
            if (name, digest) in self._rows:
                raise JournalError(f"{self.path}:{number}: a second row for {name!r}")
            self._rows[(name, digest)] = row

    def _entry(self, line: bytes, number: int) -> tuple[str, str, str, Row]:
        where = f"{self.path}:{number}"
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise JournalError(f"{where}: not a JSON line ({exc})") from None
        if not isinstance(value, dict) or set(value) != {"name", "digest", "settings", "row"}:
            raise JournalError(f"{where}: expected an object with name, digest, settings and "
                               f"row, got {line[:80]!r}")
        if not all(isinstance(value[k], str) for k in ("name", "digest", "settings")):
            raise JournalError(f"{where}: name, digest and settings must be strings")
        try:
            row = Row.from_json(value["row"])
        except ValueError as exc:
            raise JournalError(f"{where}: {exc}") from None
        if row.submission != value["name"]:
            raise JournalError(f"{where}: the row of {row.submission!r} is filed under "
                               f"{value['name']!r}")
        return value["name"], value["digest"], value["settings"], row

    # -- what is done, what to do -----------------------------------------------------------

    def has(self, job: Job) -> bool:
        """Whether ``job`` (this name, these bytes, these settings) has a row."""
        return (job.name, job.digest) in self._rows

    def done(self, jobs: Iterable[Job]) -> list[Job]:
        """The jobs that have a row, in their order."""
        return [job for job in _unique(jobs) if self.has(job)]

    def todo(self, jobs: Iterable[Job]) -> list[Job]:
        """The jobs without a row, in their order: never graded, or graded for another
        version of their file."""
        return [job for job in _unique(jobs) if not self.has(job)]

    def progress(self, jobs: Iterable[Job]) -> Progress:
        """How many of ``jobs`` have a row, and how many of the others had one for another
        version of their file."""
        jobs = _unique(jobs)
        done = sum(self.has(job) for job in jobs)
        graded = {name for name, _digest in self._rows}
        changed = sum(1 for job in jobs if not self.has(job) and job.name in graded)
        return Progress(done, len(jobs), changed)

    def resume_line(self, jobs: Iterable[Job], total: int | None = None) -> str | None:
        """The first line of a rerun that continues (None when nothing is journaled yet);
        ``total``: the run's number of submissions, if it has more than ``jobs`` (the student
        folders without a file, which are not journaled)."""
        p = self.progress(jobs)
        if not p.done and not p.changed:
            return None
        line = _("resuming the run journaled in {path}: {done} of {total} submissions already "
                 "graded").format(path=self.path, done=p.done,
                                  total=p.total if total is None else total)
        if p.changed:
            line += _("; {changed} changed since, graded again").format(changed=p.changed)
        return line

    # -- writing ----------------------------------------------------------------------------

    def record(self, job: Job, row: Row) -> None:
        """Append ``row`` as ``job``'s, flushed and fsync'd before returning.

        Raises:
            ValueError: the row is not the job's (another name), or the job has a row already.
        """
        if not isinstance(row, Row):
            raise TypeError(f"`row` must be a Row, got {type(row).__name__}")
        if row.submission != job.name:
            raise ValueError(f"`row` is the row of {row.submission!r}, not of the job's "
                             f"{job.name!r}")
        if self.has(job):
            raise ValueError(f"{job.name!r} has a row already in {self.path}")
        entry = {"name": job.name, "digest": job.digest, "settings": self.settings,
                 "row": row.to_json()}
        line = json.dumps(entry, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n"
        self._file.seek(0, os.SEEK_END)
        self._file.write(line.encode("utf-8"))
        self._file.flush()
        os.fsync(self._file.fileno())
        self._rows[(job.name, job.digest)] = row

    def rows(self, jobs: Iterable[Job]) -> list[Row]:
        """The rows of ``jobs``, in their order (KeyError naming the first job without one)."""
        out = []
        for job in _unique(jobs):
            try:
                out.append(self._rows[(job.name, job.digest)])
            except KeyError:
                raise KeyError(f"{job.name!r} has no row in {self.path}") from None
        return out

    # -- the file ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file (and release the lock)."""
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _unique(jobs: Iterable[Job]) -> Sequence[Job]:
    """``jobs`` as a list (ValueError if two share a name: a row is found by its name)."""
    jobs = list(jobs)
    counts = Counter(job.name for job in jobs)
    if len(counts) != len(jobs):
        twice = sorted(n for n, k in counts.items() if k > 1)
        raise ValueError(f"`jobs` must have distinct names, got {twice} more than once")
    return jobs
