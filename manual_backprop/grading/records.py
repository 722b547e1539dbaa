"""The records a class run passes around: a ``Job`` (one submission to grade, content-hashed)
and a ``Row`` (its result), with the verdict codes as an ``Enum``.

A job carries the submission's bytes, not its path, so that ``grade(job) -> row`` is a pure
function of its input that any machine can compute (and recompute after a crash) without a
shared file system; ``Job.digest`` (sha256 of the bytes) is what the journal keys rows by.
Rows go to and from JSON (``Row.to_json``, ``Row.from_json``) for the journal and a cluster.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = ["PASSING", "Job", "Row", "Verdict"]


class Verdict(StrEnum):
    """A submission's verdict; the values are the codes of the CSV and the JSON (never
    translated)."""

    AGREES = "agrees"
    AGREES_WITH_CAVEATS = "agrees_with_caveats"
    AGREES_IN_ANOTHER_CONVENTION = "agrees_in_another_convention"
    WRONG = "wrong"
    ERROR = "error"
    TIMEOUT = "timeout"


PASSING = frozenset({Verdict.AGREES, Verdict.AGREES_WITH_CAVEATS})
"""The verdicts that earn the points (``gradebooks.score``)."""


def _check_str(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be a str, got {type(value).__name__} {value!r}")


def _check_strings(name: str, value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(x, str) for x in value):
        raise TypeError(f"`{name}` must be a tuple of str, got {value!r}")


@dataclass(frozen=True)
class Job:
    """One submission to grade.

    Args:
        name: the row's name (the file name, or the student's folder for ``moodle/<student>/``).
        student: the student's folder ("" for a file given directly).
        filename: the submission file's own name (``hw.py``, ``homework.ipynb``).
        content: the file's bytes.
        function: the function to check in it.
        options: the check options, as on the command line (``("--max-examples", "50")``).
        extra: the files beside it that it may import (a student folder's helper modules),
            as (path relative to the submission's directory, bytes) pairs.
        origin: where the file was found (its path as the run was given it), for reports and
            tracebacks only: not part of ``digest``.
    """

    name: str
    student: str
    filename: str
    content: bytes = field(repr=False)
    function: str
    options: tuple[str, ...] = ()
    extra: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)
    origin: str = ""

    def __post_init__(self) -> None:
        for key in ("name", "student", "filename", "function", "origin"):
            _check_str(key, getattr(self, key))
        if not isinstance(self.content, bytes):
            raise TypeError(f"`content` must be bytes, got {type(self.content).__name__}")
        _check_strings("options", self.options)
        if not self.name:
            raise ValueError("`name` must not be empty")
        if not self.filename.endswith((".py", ".ipynb")):
            raise ValueError(f"`filename` must end in .py or .ipynb, got {self.filename!r}")
        if not self.function.isidentifier():
            raise ValueError(f"`function` must be a Python name, got {self.function!r}")
        for item in self.extra:
            if (not isinstance(item, tuple) or len(item) != 2 or not isinstance(item[0], str)
                    or not isinstance(item[1], bytes)):
                raise TypeError(f"`extra` must hold (str, bytes) pairs, got {item!r:.80}")
            where = PurePosixPath(item[0])
            if where.is_absolute() or ".." in where.parts or not where.parts or (
                    where.as_posix() == self.filename):
                raise ValueError(f"`extra` paths must be relative, inside the submission's "
                                 f"directory and not the submission, got {item[0]!r}")

    @property
    def digest(self) -> str:
        """sha256 (hex) of the file's bytes, and of the ``extra`` files' paths and bytes when
        there are any: the job's identity in the journal (a changed helper is a changed
        job)."""
        h = hashlib.sha256(self.content)
        for name, data in sorted(self.extra):
            for part in (name.encode("utf-8"), data):
                h.update(len(part).to_bytes(8, "big"))
                h.update(part)
        return h.hexdigest()

    @classmethod
    def from_path(cls, path: Path, function: str, *, name: str | None = None,
                  student: str = "", options: tuple[str, ...] = ()) -> Job:
        """The job of the file at ``path`` (read now), named ``name`` (default: the file's
        name)."""
        return cls(name or path.name, student, path.name, path.read_bytes(), function, options)


@dataclass(frozen=True)
class Row:
    """A graded submission: what the CSV, the gradebooks and the journal hold.

    Args:
        submission: the row's name (``Job.name``).
        student: the student's folder ("" for a file given directly).
        verdict: the verdict (a ``Verdict`` or its code).
        diagnosis: stable diagnosis codes (``no_output_g_prime``), for scripts.
        diagnosis_text: the same in prose, in the run's language, for people.
        hint: the hint line, if any.
        caveats: the numerical caveats, one line each.
        seconds: the time the grading took.
        report: the full report.
    """

    submission: str
    student: str
    verdict: Verdict
    diagnosis: tuple[str, ...] = ()
    diagnosis_text: tuple[str, ...] = ()
    hint: str | None = None
    caveats: tuple[str, ...] = ()
    seconds: float = 0.0
    report: str = ""

    def __post_init__(self) -> None:
        _check_str("submission", self.submission)
        _check_str("student", self.student)
        if not isinstance(self.verdict, Verdict):
            try:
                object.__setattr__(self, "verdict", Verdict(self.verdict))
            except ValueError:
                raise ValueError(f"`verdict` must be one of {', '.join(v.value for v in Verdict)}"
                                 f", got {self.verdict!r}") from None
        _check_strings("diagnosis", self.diagnosis)
        _check_strings("diagnosis_text", self.diagnosis_text)
        _check_strings("caveats", self.caveats)
        if self.hint is not None:
            _check_str("hint", self.hint)
        _check_str("report", self.report)
        if (isinstance(self.seconds, bool) or not isinstance(self.seconds, (int, float))
                or not math.isfinite(self.seconds) or self.seconds < 0):
            raise ValueError(f"`seconds` must be a finite number ≥ 0, got {self.seconds!r}")

    @property
    def passed(self) -> bool:
        """Whether the verdict earns the points (``PASSING``)."""
        return self.verdict in PASSING

    def without_timing(self) -> Row:
        """The row with ``seconds`` set to 0: what two runs of the same class agree on."""
        return replace(self, seconds=0.0)

    def to_json(self) -> dict[str, Any]:
        """The row as JSON-ready data (lists for tuples, the verdict's code)."""
        return {"submission": self.submission, "student": self.student,
                "verdict": self.verdict.value, "diagnosis": list(self.diagnosis),
                "diagnosis_text": list(self.diagnosis_text), "hint": self.hint,
                "caveats": list(self.caveats), "seconds": self.seconds, "report": self.report}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Row:
        """The row ``to_json`` wrote (ValueError naming the key for anything else)."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a row must be a JSON object, got {type(data).__name__}")
        expected = {"submission", "student", "verdict", "diagnosis", "diagnosis_text", "hint",
                    "caveats", "seconds", "report"}
        if set(data) != expected:
            raise ValueError(f"a row has the keys {sorted(expected)}, got {sorted(data)}")
        lists = {}
        for key in ("diagnosis", "diagnosis_text", "caveats"):
            if not isinstance(data[key], list):
                raise ValueError(f"row key {key!r} must be a list, got {data[key]!r}")
            lists[key] = tuple(data[key])
        try:
            return cls(data["submission"], data["student"], data["verdict"],
                       lists["diagnosis"], lists["diagnosis_text"], data["hint"],
                       lists["caveats"], data["seconds"], data["report"])
        except TypeError as exc:
            raise ValueError(f"a row's value has the wrong type: {exc}") from None
