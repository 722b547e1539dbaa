"""The check's verdicts, exit statuses and JSON: one schema for ``check FILE:FUNC`` and the
class run (which reads what its judges print, and writes its own CSV and JSON).

No jax here: the class run's supervisor and the tests import it without the judge.
``reference.check.VERDICTS`` (the verdicts of the math) must equal ``CHECK_VERDICTS``
(tests/test_classroom.py holds it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from ..i18n import _

__all__ = ["CHECK_VERDICTS", "CSV_COLUMNS", "EXIT_AGREES", "EXIT_CONVENTION", "EXIT_FAILED",
           "EXIT_USAGE", "EXIT_WRONG", "FAILURES", "VERDICTS", "CheckJSON", "Result",
           "Submission", "failure_json", "read_verdict", "verdict_word"]

VERDICTS = ("agrees", "agrees_with_caveats", "agrees_in_another_convention", "wrong", "error",
            "timeout")
"""Every verdict of a submission, in the order the counts are shown."""
CHECK_VERDICTS = frozenset(VERDICTS[:4])
"""The verdicts on a function's math (``reference.check.VERDICTS``)."""
FAILURES = frozenset(VERDICTS[4:])
"""The verdicts of a submission without a verdict on its math: its sandbox crashed, was
killed, ran out of memory, broke the protocol (``error``) or ran out of time (``timeout``)."""

EXIT_AGREES = 0       # agrees (with caveats too, unless --strict)
EXIT_WRONG = 1        # wrong math (or a caveat with --strict); a class run: not every one agrees
EXIT_USAGE = 2        # a usage error: bad option, missing file or function, no submission
EXIT_CONVENTION = 3   # agrees in another convention (rerun with the hint's options)
EXIT_FAILED = 4       # check FILE:FUNC: no verdict on its math (``FAILURES``)

CSV_COLUMNS = ("submission", "verdict", "diagnosis", "hint", "caveats", "seconds")


class CheckJSON(TypedDict, total=False):
    """What ``check FILE:FUNC --json`` prints (keys in English in every language; the full
    list in ``manual_backprop.cli.check.to_json``); what a class run reads of it."""

    verdict: str            # one of VERDICTS
    ok: bool
    networks: int
    diagnosis: list[str]
    hint: str | None
    caveats: list[str]
    report: str
    seconds: float


def failure_json(kind: str, reason: str, report: str) -> CheckJSON:
    """The JSON of a check that ended without a verdict on the math (``kind`` in FAILURES)."""
    if kind not in FAILURES:
        raise ValueError(f"`kind` is {kind!r}; expected one of {sorted(FAILURES)}")
    return {"verdict": kind, "ok": False, "networks": 0, "diagnosis": [reason], "hint": None,
            "caveats": [], "report": report, "seconds": 0.0}


def read_verdict(stdout: str) -> CheckJSON | None:
    """The check's JSON object in ``stdout`` (the whole of it, else its last line), or None
    when there is none with a verdict of VERDICTS."""
    lines = [x.strip() for x in stdout.splitlines() if x.strip()]
    for candidate in (stdout, lines[-1] if lines else ""):
        try:
            value: Any = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict) and value.get("verdict") in VERDICTS:
            return value  # type: ignore[return-value]
    return None


def verdict_word(verdict: str) -> str:
    """A verdict (one of VERDICTS) as the table and the progress lines show it: the code itself
    in English, a word in another language (the CSV and the JSON keep the code)."""
    return {"agrees": _("agrees"), "agrees_with_caveats": _("agrees_with_caveats"),
            "agrees_in_another_convention": _("agrees_in_another_convention"),
            "wrong": _("wrong"), "error": _("error"), "timeout": _("timeout")}[verdict]


@dataclass(frozen=True)
class Submission:
    """One file to check: its path, the function to check in it, and the name it is shown as
    (the file name; the path if two submissions share a file name)."""

    path: Path
    function: str
    name: str

    @property
    def target(self) -> str:
        return f"{self.path}:{self.function}"


@dataclass(frozen=True)
class Result:
    """A submission's verdict (one of VERDICTS) and what its check said about it."""

    submission: Submission
    verdict: str
    ok: bool
    diagnosis: tuple[str, ...] = ()
    hint: str | None = None
    caveats: tuple[str, ...] = ()
    seconds: float = 0.0
    report: str = ""

    @property
    def verdict_word(self) -> str:
        """The verdict in the current language (``verdict_word``)."""
        return verdict_word(self.verdict)

    @property
    def summary(self) -> str:
        """The diagnosis, else the hint, else the caveats: one line for the table."""
        if self.diagnosis:
            return "; ".join(self.diagnosis)
        if self.hint:
            return self.hint
        return "; ".join(self.caveats)
