"""The submissions a class run's PATHs name: files, ``FILE:FUNC`` and directories, and in a
directory one folder per student, as an LMS exports them (``moodle/<student>/hw.py``): each
such row is named by its folder (``manual_backprop.grading.discovery``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..cli.args import UsageError
from ..grading.discovery import Found as _Found
from ..grading.discovery import discover, job_of
from ..grading.records import Job
from ..i18n import _
from .options import split_target
from .schema import Submission

__all__ = ["SUFFIXES", "find_submissions", "read_job"]

SUFFIXES = (".py", ".ipynb")


def find_submissions(paths: Sequence[str], function: str | None) -> list[Submission]:
    """The submissions named by ``paths`` (files, ``FILE:FUNC``, directories), in order
    (UsageError for a missing path, a directory without submissions, another kind of file,
    or a file without ``:FUNC`` when ``function`` is None). In a directory, every ``.py`` and
    ``.ipynb`` file is a submission named by its file name, and every folder is a student's,
    named by the folder (``grading.discovery.discover``: the file in it that defines the
    function; a folder where none can be chosen is a Submission with a ``problem``)."""
    found: list[tuple[_Found, str, Path]] = []
    for text in paths:
        where, name = split_target(text)
        path = Path(where)
        if not path.exists():
            raise UsageError(_("no such file or directory: {path}").format(path=path))
        chosen = name or function
        try:
            here = discover([path], chosen)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if not here:
            raise UsageError(_("no submission found: no .py or .ipynb file in {path}")
                             .format(path=path))
        if chosen is None:
            raise UsageError(_("which function in {where}? give --function NAME or {where}:NAME")
                             .format(where=where))
        found += [(f, chosen, path) for f in here]
    if not found:
        raise UsageError(_("no submission found"))
    names = [f.name for f, _fn, _where in found]
    shown = [f.name if names.count(f.name) == 1 else str(f.path or where / f.student)
             for f, _fn, where in found]
    shown = [s if shown.count(s) == 1 else f"{s}:{fn}" for s, (_f, fn, _w) in zip(shown, found)]
    return [Submission(f.path or where / f.student, fn, s, f.student, f.problem, f.candidates)
            for (f, fn, where), s in zip(found, shown)]


def read_job(submission: Submission, options: Sequence[str] = ()) -> Job:
    """The submission's ``Job``: its bytes (read now), and for a file in a student's folder the
    other ``.py`` files beside it (its helper modules). ValueError for one with a problem."""
    if submission.problem is not None:
        raise ValueError(f"`submission` has no file to grade: {submission.problem}")
    found = _Found(submission.name, submission.student, submission.path)
    return replace(job_of(found, submission.function, tuple(options)),
                   origin=str(submission.path))
