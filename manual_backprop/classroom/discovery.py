"""The submissions a class run's PATHs name: files, ``FILE:FUNC`` and directories."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..cli.args import UsageError
from ..i18n import _
from .options import split_target
from .schema import Submission

__all__ = ["SUFFIXES", "find_submissions"]

SUFFIXES = (".py", ".ipynb")


def find_submissions(paths: Sequence[str], function: str | None) -> list[Submission]:
    """The submissions named by ``paths`` (files, ``FILE:FUNC``, directories), in order
    (UsageError for a missing path, an empty directory, another kind of file, or a file
    without ``:FUNC`` when ``function`` is None)."""
    found: list[tuple[Path, str]] = []
    for text in paths:
        where, name = split_target(text)
        path = Path(where)
        if path.is_dir():
            files = sorted(f for f in path.iterdir() if f.is_file() and f.suffix in SUFFIXES
                           and not f.name.startswith("."))
            if not files:
                raise UsageError(_("no submission found: no .py or .ipynb file in {path}")
                                 .format(path=path))
        elif path.is_file():
            if path.suffix not in SUFFIXES:
                raise UsageError(_("{path}: expected a .py or .ipynb file, or a directory")
                                 .format(path=path))
            files = [path]
        else:
            raise UsageError(_("no such file or directory: {path}").format(path=path))
        chosen = name or function
        if chosen is None:
            raise UsageError(_("which function in {where}? give --function NAME or {where}:NAME")
                             .format(where=where))
        found += [(f, chosen) for f in files]
    if not found:
        raise UsageError(_("no submission found"))
    names = [f.name for f, _fn in found]
    shown = [f.name if names.count(f.name) == 1 else str(f) for f, _fn in found]
    shown = [s if shown.count(s) == 1 else f"{s}:{fn}" for s, (_path, fn) in zip(shown, found)]
    return [Submission(f, fn, s) for (f, fn), s in zip(found, shown)]
