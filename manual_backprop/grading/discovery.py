"""Finding a class's submissions, including the layout of an LMS export: one folder per
student (``moodle/<student>/hw.py``), each row named by its folder.

    discover([Path("submissions")], "backprop")   # [Found(name, student, path, problem), ...]

For each PATH, in order:

* a ``.py`` or ``.ipynb`` file is a submission, named by its file name;
* a directory: every ``.py``/``.ipynb`` file directly in it is a submission named by its file
  name, and every folder in it is a student's: its files are searched at any depth, and the
  submission is named by the folder. A folder with one such file: that file. With several
  (a student's helper modules, a copy of the notebook): the one that defines ``function`` at
  the top level (``def NAME(`` or ``NAME =`` at the start of a line, in the file or in a
  notebook's code cells; read as text, never run). A folder with none, or several that define
  it, is a ``Found`` with a ``problem`` (``no_file``, ``several_files``) and no path: the
  class run gives it the verdict ``error`` (``problem_row``), and the others go on.

Names starting with ``.`` or ``__`` are left out (``.ipynb_checkpoints``, ``__pycache__``,
``__MACOSX``), at any depth. Entries are sorted by name. When two submissions would have the
same name, both are named by their path instead.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..i18n import _
from .records import Job, Row, Verdict

__all__ = ["PROBLEMS", "SUFFIXES", "Found", "choose_in_folder", "defines", "discover", "job_of",
           "problem_row"]

SUFFIXES = (".py", ".ipynb")
PROBLEMS = ("no_file", "several_files")


@dataclass(frozen=True)
class Found:
    """A submission found by ``discover``: its row's name, the student's folder ("" for a
    file not in a student folder), its file, or a problem code (``PROBLEMS``) and the files
    that were candidates."""

    name: str
    student: str
    path: Path | None
    problem: str | None = None
    candidates: tuple[Path, ...] = ()


def _hidden(name: str) -> bool:
    return name.startswith((".", "__"))


def _files(folder: Path) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if _hidden(entry.name):
            continue
        if entry.is_dir():
            yield from _files(entry)
        elif entry.is_file() and entry.suffix in SUFFIXES:
            yield entry


def defines(path: Path, function: str) -> bool:
    """Whether the file at ``path`` defines ``function`` at the top level, read as text
    (a notebook: its code cells): ``def NAME(``, ``async def NAME(`` or ``NAME =`` at the
    start of a line."""
    if not function.isidentifier():
        raise ValueError(f"`function` must be a Python name, got {function!r}")
    try:
        text = path.read_text("utf-8", errors="replace")
        if path.suffix == ".ipynb":
            cells = json.loads(text).get("cells", [])
            text = "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list)
                             else str(c.get("source", "")) for c in cells
                             if isinstance(c, dict) and c.get("cell_type") == "code")
    except (OSError, ValueError, AttributeError):
        return False
    pattern = rf"^(?:(?:async\s+)?def\s+{function}\s*\(|{function}\s*(?::[^=\n]*)?=(?!=))"
    return re.search(pattern, text, re.M) is not None


def choose_in_folder(folder: Path, function: str | None) -> Found:
    """The submission in a student's ``folder`` (its files at any depth): the only one, or
    the only one that defines ``function``; else a ``Found`` with a problem."""
    files = list(_files(folder))
    if len(files) == 1:
        return Found(folder.name, folder.name, files[0])
    if not files:
        return Found(folder.name, folder.name, None, "no_file")
    chosen = [f for f in files if function is not None and defines(f, function)]
    if len(chosen) == 1:
        return Found(folder.name, folder.name, chosen[0])
    return Found(folder.name, folder.name, None, "several_files", tuple(chosen or files))


def discover(paths: Sequence[Path], function: str | None = None) -> list[Found]:
    """The submissions of ``paths`` (files and directories; see the module's docstring), in
    order. ValueError for a path that does not exist or a file that is not .py/.ipynb; an
    empty result is the caller's to report ("no submission found")."""
    found: list[tuple[Found, Path]] = []          # with the path that names it if names clash
    for path in paths:
        if not isinstance(path, Path):
            raise TypeError(f"`paths` must hold pathlib.Path objects, got {path!r}")
        if path.is_file():
            if path.suffix not in SUFFIXES:
                raise ValueError(_("{path}: expected a .py or .ipynb file, or a directory")
                                 .format(path=path))
            found.append((Found(path.name, "", path), path))
        elif path.is_dir():
            for entry in sorted(path.iterdir()):
                if _hidden(entry.name):
                    continue
                if entry.is_dir():
                    found.append((choose_in_folder(entry, function), entry))
                elif entry.is_file() and entry.suffix in SUFFIXES:
                    found.append((Found(entry.name, "", entry), entry))
        else:
            raise ValueError(_("no such file or directory: {path}").format(path=path))
    names = Counter(f.name for f, _where in found)
    return [f if names[f.name] == 1 else replace(f, name=str(where)) for f, where in found]


def _in_folder(path: Path, folder: str) -> str:
    """``path`` from inside the student's ``folder`` (``hw/a.py``): what a row shows, which the
    student may read (a gradebook's feedback), not where the teacher keeps it."""
    parts = path.parts
    if folder in parts[:-1]:
        at = len(parts) - 1 - parts[::-1].index(folder)
        return "/".join(parts[at + 1:])
    return path.name


def problem_row(found: Found) -> Row:
    """The ``error`` row of a student folder in which no submission could be chosen."""
    if found.problem is None:
        raise ValueError(f"`found` has no problem: {found!r}")
    shown = ", ".join(_in_folder(p, found.student) for p in found.candidates)
    text = (_("no .py or .ipynb file in the folder {folder}").format(folder=found.name)
            if found.problem == "no_file" else
            _("several files in the folder {folder}, and not exactly one defines the function: "
              "{files}").format(folder=found.name, files=shown))
    return Row(found.name, found.student, Verdict.ERROR, (found.problem,), (text,),
               report=f"{found.name}: {text}")


def job_of(found: Found, function: str, options: tuple[str, ...] = ()) -> Job:
    """The job of a submission ``discover`` found (ValueError for one with a problem). A
    submission in a student's folder takes along the other ``.py`` files of its own directory
    (its helper modules, which the check finds beside it); a file that is not in a student
    folder takes nothing: the files beside it are other students'."""
    if found.path is None:
        raise ValueError(f"`found` has no file to grade: {found!r}")
    extra: tuple[tuple[str, bytes], ...] = ()
    if found.student:
        extra = tuple((p.name, p.read_bytes()) for p in sorted(found.path.parent.iterdir())
                      if p.is_file() and p.suffix == ".py" and p != found.path
                      and not _hidden(p.name))
    return Job(found.name, found.student, found.path.name, found.path.read_bytes(), function,
               options, extra)
