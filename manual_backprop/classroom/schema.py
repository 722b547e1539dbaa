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

__all__ = ["CHECK_VERDICTS", "EXIT_AGREES", "EXIT_CONVENTION", "EXIT_FAILED",
           "EXIT_USAGE", "EXIT_WRONG", "FAILURES", "FAILURE_CODES", "VERDICTS", "CheckJSON",
           "Result", "Submission", "failure_json", "read_verdict", "verdict_word"]

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

FAILURE_CODES = {
    "timeout": "no verdict within the time limit (--timeout)",
    "memory_limit": "the address space limit (--memory-mb) was exceeded",
    "crashed": "the check's process or the sandbox ended without a verdict",
    "killed": "the check's process was killed by a signal",
    "protocol": "the sandbox broke the protocol (sent something that is not an answer)",
    "not_plain": "the function returned (or left in its arguments) an object that is not "
                 "plain data",
    "changed_arguments": "the function changed the type or shape of an argument",
    "cannot_load": "the file or its function could not be loaded or called (a syntax error, "
                   "a missing function, a wrong signature, ...)",
    "forbidden_import": "the submission imports a module that --forbid-imports names",
    "no_file": "a student's folder without a .py or .ipynb file",
    "several_files": "a student's folder with several files, not exactly one defining the "
                     "function",
}
"""The diagnosis codes of a submission without a verdict on its math (``FAILURES``), with
what each means: the ``diagnosis`` column holds the code, ``diagnosis_text`` the reason in
the run's language. (A verdict on the math has the diagnosis keys of
``reference.diagnose``.)"""


class CheckJSON(TypedDict, total=False):
    """What ``check FILE:FUNC --json`` prints (keys in English in every language; the full
    list in ``manual_backprop.cli.check.to_json``); what a class run reads of it."""

    verdict: str            # one of VERDICTS
    ok: bool
    networks: int
    diagnosis: list[str]    # codes: reference.diagnose's keys, or one of FAILURE_CODES
    diagnosis_text: list[str]   # the same in prose, in the check's language
    hint: str | None
    caveats: list[str]
    report: str
    seconds: float


def failure_json(kind: str, reason: str, report: str, code: str) -> CheckJSON:
    """The JSON of a check that ended without a verdict on the math (``kind`` in FAILURES,
    ``code`` in FAILURE_CODES, ``reason`` its prose)."""
    if kind not in FAILURES:
        raise ValueError(f"`kind` is {kind!r}; expected one of {sorted(FAILURES)}")
    if code not in FAILURE_CODES:
        raise ValueError(f"`code` is {code!r}; expected one of {sorted(FAILURE_CODES)}")
    return {"verdict": kind, "ok": False, "networks": 0, "diagnosis": [code],
            "diagnosis_text": [reason], "hint": None, "caveats": [], "report": report,
            "seconds": 0.0}


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
    """One file to check: its path, the function to check in it, the name it is shown as
    (the file name, or the student's folder; the path if two submissions share a name), and
    the student's folder ("" for a file given directly or found directly in a directory).

    A student's folder in which no file could be chosen has a ``problem`` (a code of
    FAILURE_CODES: ``no_file``, ``several_files``), its folder as ``path`` and the files that
    were candidates: the run gives it the verdict ``error`` without checking anything."""

    path: Path
    function: str
    name: str
    student: str = ""
    problem: str | None = None
    candidates: tuple[Path, ...] = ()

    @property
    def target(self) -> str:
        return f"{self.path}:{self.function}"


@dataclass(frozen=True)
class Result:
    """A submission's verdict (one of VERDICTS) and what its check said about it:
    ``diagnosis`` as codes (``reference.diagnose``'s keys, or FAILURE_CODES), and
    ``diagnosis_text`` the same in prose."""

    submission: Submission
    verdict: str
    ok: bool
    diagnosis: tuple[str, ...] = ()
    hint: str | None = None
    caveats: tuple[str, ...] = ()
    seconds: float = 0.0
    report: str = ""
    diagnosis_text: tuple[str, ...] = ()

    @property
    def verdict_word(self) -> str:
        """The verdict in the current language (``verdict_word``)."""
        return verdict_word(self.verdict)

    @property
    def summary(self) -> str:
        """The diagnosis (in prose), else the hint, else the caveats: one line for the
        table."""
        if self.diagnosis_text or self.diagnosis:
            return "; ".join(self.diagnosis_text or self.diagnosis)
        if self.hint:
            return self.hint
        return "; ".join(self.caveats)
