"""A class run's rows in the files gradebooks import.

    rows → write_rows(rows, "marks.csv", points=10)               our CSV: codes and prose apart
    read_roster("roster.csv") → Roster                              submission → student id
    write_canvas(rows, roster, "canvas.csv", assignment="HW3 backprop", points=10)
    write_moodle(rows, roster, "moodle.csv", assignment="HW3 backprop", points=10)
    write_settings("marks.csv", {...}) → marks.settings.json        the run's settings beside it

**Points** (``score``): full points for ``agrees`` and ``agrees_with_caveats`` (for
``agrees`` only with ``strict``, as ``check --strict`` fails a caveat), 0 otherwise.

**The roster** is a CSV file with a header and one row per student. Two columns are needed:
``submission`` (the name of the student's file or folder, as the class run names it, with or
without ``.py``/``.ipynb``) and the student's id in the gradebook; the others are copied into
the gradebook file when it has a column for them. Column names are matched without regard to
case, spaces or underscores, and the names of Canvas's and Moodle's own exports are understood,
so a gradebook's export with a ``submission`` column added is a roster:

    ====================  ======================================================
    column                also read from
    ====================  ======================================================
    submission            (needed)
    student_id            ``ID`` (Canvas), ``ID number`` (Moodle) — needed
    name                  ``Student`` (Canvas)
    sis_user_id           ``SIS User ID`` (Canvas)
    sis_login_id          ``SIS Login ID`` (Canvas)
    section               ``Section`` (Canvas)
    email                 ``Email address`` (Moodle), ``Email``
    ====================  ======================================================

A roster row with an empty ``submission`` is a student without a submission (Canvas's
``Points Possible`` row is one): it is left out. A missing column, a row with an empty
``student_id``, or a submission or student id given twice is an error naming the file and the
line. Every graded row must be on the roster (an error lists those that are not).

**Canvas** (Grades → Import): the columns of Canvas's own gradebook export, ``Student``,
``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per assignment, and a
second row ``Points Possible`` as in the export. An assignment column named as in the export,
``Name (123456)``, updates that assignment; any other name creates a new one.

**Moodle** (Grades → Import → CSV file): ``ID number``, ``Email address`` (when the roster has
emails), the grade column named ``assignment``, and ``Feedback``. Moodle asks which column
identifies the user ("Map from" ``ID number`` → "Map to" ``useridnumber``, or ``Email
address`` → ``useremail``) and which grade item each other column goes to.

``excel=True`` writes a UTF-8 byte order mark first, so that Excel opens Korean names as Korean
(without it, Excel reads a CSV file in the computer's legacy code page).
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..i18n import _
from .records import Row, Verdict

__all__ = ["CANVAS_COLUMNS", "CSV_COLUMNS", "FORMATS", "MOODLE_COLUMNS", "Roster", "Student",
           "read_roster", "score", "settings_path", "write_canvas", "write_gradebook",
           "write_moodle", "write_rows", "write_settings"]

CSV_COLUMNS = ("submission", "student", "verdict", "diagnosis", "diagnosis_text", "hint",
               "caveats", "score", "seconds")
"""Our CSV's columns (``score`` only with points): ``diagnosis`` holds the stable codes,
``diagnosis_text`` the same in prose, in the run's language."""

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""The columns before the assignment's in Canvas's gradebook export (and import)."""

MOODLE_COLUMNS = ("ID number", "Email address")
"""The identity columns of the Moodle file (as Moodle's own export names them)."""

FORMATS = ("canvas", "moodle")

_FIELDS = ("submission", "student_id", "name", "sis_user_id", "sis_login_id", "section", "email")
_ALIASES = {"id": "student_id", "idnumber": "student_id", "student": "name",
            "emailaddress": "email"}


def _check_points(points: float) -> None:
    if (isinstance(points, bool) or not isinstance(points, (int, float))
            or not math.isfinite(points) or points <= 0):
        raise ValueError(f"`points` must be a finite number > 0, got {points!r}")


def score(row: Row, points: float, *, strict: bool = False) -> float:
    """``points`` for a passing verdict (``Row.passed``; with ``strict``, ``agrees`` only),
    else 0."""
    _check_points(points)
    passed = row.verdict is Verdict.AGREES if strict else row.passed
    return float(points) if passed else 0.0


def _number(value: float) -> str:
    return f"{value:g}"


def _nfc(name: str) -> str:
    """``name`` in Unicode's composed form: a folder unzipped on a Mac has its Korean name
    decomposed (NFD), a roster typed anywhere has it composed, and both must match."""
    return unicodedata.normalize("NFC", name)


@dataclass(frozen=True)
class Student:
    """A roster row: the submission's name, the student's id in the gradebook, and what else
    the roster gives (empty when it does not)."""

    submission: str
    student_id: str
    name: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    email: str = ""
    line: int = 0


@dataclass(frozen=True)
class Roster:
    """The students of ``read_roster(path)``, in the file's order."""

    path: Path
    students: tuple[Student, ...]

    @property
    def has_emails(self) -> bool:
        return any(s.email for s in self.students)

    def without(self, rows: Iterable[Row]) -> list[Student]:
        """The students of the roster that none of ``rows`` matches (no submission)."""
        taken = {id(student) for _row, student in self.match(rows)}
        return [s for s in self.students if id(s) not in taken]

    def match(self, rows: Iterable[Row]) -> list[tuple[Row, Student]]:
        """Each row with its student: the one whose ``submission`` is the row's name, its
        student folder, or its file name without ``.py``/``.ipynb``.

        Raises:
            ValueError: a row on no roster line, or two rows on one (their names listed).
        """
        by_name = {_nfc(s.submission): s for s in self.students}
        pairs: list[tuple[Row, Student]] = []
        missing: list[str] = []
        taken: dict[str, str] = {}
        for row in rows:
            keys = [_nfc(k) for k in (row.submission, row.student,
                                       re.sub(r"\.(py|ipynb)$", "", row.submission))]
            student = next((by_name[k] for k in keys if k and k in by_name), None)
            if student is None:
                missing.append(row.submission)
                continue
            if student.submission in taken:
                raise ValueError(_("{path}: line {line}: {name!r} matches two submissions: "
                                   "{first} and {second}").format(
                                       path=self.path, line=student.line,
                                       name=student.submission,
                                       first=taken[student.submission],
                                       second=row.submission))
            taken[student.submission] = row.submission
            pairs.append((row, student))
        if missing:
            shown = ", ".join(missing[:10]) + (", ..." if len(missing) > 10 else "")
            raise ValueError(_("{path}: {count} submission(s) not on the roster: {names}").format(
                path=self.path, count=len(missing), names=shown))
        return pairs


def read_roster(path: Path) -> Roster:
    """The roster in the CSV file ``path`` (see the module's docstring; UTF-8, with or
    without a byte order mark).

    Raises:
        ValueError: naming the file and the line: no header, a missing or repeated column, a
            row of another length, an empty student id, a submission or student id twice.
    """
    if not isinstance(path, Path):
        raise TypeError(f"`path` must be a pathlib.Path, got {type(path).__name__}")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise ValueError(_("{path}: line 1: expected a header with the columns "
                               "submission and student_id").format(path=path))
        columns: dict[str, int] = {}
        for index, cell in enumerate(header):
            key = re.sub(r"[\s_]+", "", cell.strip().lower())
            field = _ALIASES.get(key, next((f for f in _FIELDS if f.replace("_", "") == key),
                                           None))
            if field is None:
                continue                                # a column of the gradebook's own
            if field in columns:
                raise ValueError(_("{path}: line 1: two columns give {field}: {first!r} and "
                                   "{second!r}").format(path=path, field=field,
                                                        first=header[columns[field]],
                                                        second=cell))
            columns[field] = index
        for needed in ("submission", "student_id"):
            if needed not in columns:
                raise ValueError(_("{path}: line 1: missing column {column!r} (the header "
                                   "has: {header})").format(path=path, column=needed,
                                                             header=", ".join(header)))
        students: list[Student] = []
        seen: dict[tuple[str, str], int] = {}
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise ValueError(_("{path}: line {line}: {count} fields, the header has "
                                   "{expected}").format(path=path, line=line, count=len(cells),
                                                        expected=len(header)))
            values = {field: cells[i].strip() for field, i in columns.items()}
            if not values["submission"]:
                continue                                # no submission (or "Points Possible")
            if not values["student_id"]:
                raise ValueError(_("{path}: line {line}: {submission!r} has no student_id")
                                 .format(path=path, line=line, submission=values["submission"]))
            for field in ("submission", "student_id"):
                given = (field, values[field])
                if given in seen:
                    raise ValueError(_("{path}: line {line}: {field} {value!r} is already on "
                                       "line {first}").format(path=path, line=line, field=field,
                                                              value=values[field],
                                                              first=seen[given]))
                seen[given] = line
            students.append(Student(**values, line=line))
    return Roster(path, tuple(students))


# -- writing ----------------------------------------------------------------------------------

def _open(path: Path, excel: bool) -> Any:
    if not isinstance(path, Path):
        raise TypeError(f"`path` must be a pathlib.Path, got {type(path).__name__}")
    return open(path, "w", newline="", encoding="utf-8-sig" if excel else "utf-8")


def write_rows(rows: Sequence[Row], path: Path, *, points: float | None = None,
               excel: bool = False, strict: bool = False) -> None:
    """Our CSV: one row per submission, columns CSV_COLUMNS (``score`` only with ``points``;
    lists joined with "; ", seconds with one decimal)."""
    columns = [c for c in CSV_COLUMNS if c != "score" or points is not None]
    with _open(path, excel) as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for r in rows:
            cells = [r.submission, r.student, r.verdict.value, "; ".join(r.diagnosis),
                     "; ".join(r.diagnosis_text), r.hint or "", "; ".join(r.caveats)]
            if points is not None:
                cells.append(_number(score(r, points, strict=strict)))
            writer.writerow([*cells, f"{r.seconds:.1f}"])


def _feedback(row: Row) -> str:
    """One line for a gradebook's feedback: the verdict code, then the diagnosis in prose, or
    the hint, or the caveats."""
    said = list(row.diagnosis_text) or ([row.hint] if row.hint else []) or list(row.caveats)
    return "; ".join([row.verdict.value, *said])


def _check_assignment(assignment: str) -> None:
    if not isinstance(assignment, str) or not assignment.strip():
        raise ValueError(f"`assignment` must be a non-empty str, got {assignment!r}")


def write_canvas(rows: Sequence[Row], roster: Roster, path: Path, *, assignment: str,
                 points: float, excel: bool = False, strict: bool = False) -> None:
    """The Canvas gradebook import file: CANVAS_COLUMNS, the assignment's column, a
    ``Points Possible`` row, then one row per submission in the order of ``rows``."""
    _check_assignment(assignment)
    _check_points(points)
    pairs = roster.match(rows)
    with _open(path, excel) as f:
        writer = csv.writer(f)
        writer.writerow([*CANVAS_COLUMNS, assignment])
        writer.writerow(["Points Possible", "", "", "", "", _number(points)])
        for row, s in pairs:
            writer.writerow([s.name, s.student_id, s.sis_user_id, s.sis_login_id, s.section,
                             _number(score(row, points, strict=strict))])


def write_moodle(rows: Sequence[Row], roster: Roster, path: Path, *, assignment: str,
                 points: float, excel: bool = False, strict: bool = False) -> None:
    """The Moodle grade import file: ``ID number``, ``Email address`` (if the roster has
    emails), the assignment's grade, ``Feedback``; one row per submission."""
    _check_assignment(assignment)
    _check_points(points)
    pairs = roster.match(rows)
    emails = roster.has_emails
    with _open(path, excel) as f:
        writer = csv.writer(f)
        writer.writerow([*MOODLE_COLUMNS[: 2 if emails else 1], assignment, "Feedback"])
        for row, s in pairs:
            writer.writerow([s.student_id, *([s.email] if emails else []),
                             _number(score(row, points, strict=strict)), _feedback(row)])


def write_gradebook(format: str, rows: Sequence[Row], roster: Roster, path: Path, *,
                    assignment: str, points: float, excel: bool = False,
                    strict: bool = False) -> None:
    """``--format canvas|moodle``: ``write_canvas`` or ``write_moodle``."""
    writers = {"canvas": write_canvas, "moodle": write_moodle}
    if format not in writers:
        raise ValueError(f"`format` must be one of {', '.join(FORMATS)}, got {format!r}")
    writers[format](rows, roster, path, assignment=assignment, points=points, excel=excel,
                    strict=strict)


# -- the run's settings -----------------------------------------------------------------------

def settings_path(csv_path: Path) -> Path:
    """Where the settings of the run that wrote ``csv_path`` go: ``marks.csv`` →
    ``marks.settings.json`` beside it."""
    return csv_path.with_name(csv_path.stem + ".settings.json")


def write_settings(csv_path: Path, settings: Mapping[str, Any]) -> Path:
    """Write ``settings`` (the run's version, options, seed, isolation, ...: JSON data) as
    ``settings_path(csv_path)``, with ``version`` (this package's) unless given; returns the
    path. TypeError if ``settings`` is not JSON data."""
    if not isinstance(settings, Mapping):
        raise TypeError(f"`settings` must be a mapping, got {type(settings).__name__}")
    data = {"version": __version__, **settings}
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False)
    path = settings_path(csv_path)
    path.write_text(text + "\n", encoding="utf-8")
    return path
