"""A finished check's Result, from its exit status, stdout and stderr.

The contract (``schema``): exit 0, 1, 3 or 4 with one JSON object on stdout (its last line,
if something printed before it), ``CheckJSON``; exit 2 with one line on stderr for a usage
or loading error. Anything else (another exit status, no JSON, a signal) is the verdict
``error`` with the last line of stderr as diagnosis; running past the timeout is
``timeout``; a MemoryError (or a process killed by the kernel's OOM killer) is ``error`` with
the diagnosis "memory limit (M MB) exceeded". A Result's ``diagnosis`` holds codes (the
check's diagnosis keys, or one of ``schema.FAILURE_CODES``), ``diagnosis_text`` the prose.
"""

from __future__ import annotations

import signal
from typing import Any

from ..cli.args import error_line
from ..i18n import LANGUAGES, _, use_language
from .schema import FAILURE_CODES, FAILURES, Result, Submission, read_verdict

__all__ = ["MEMORY_SIGNS", "PROG", "interpret", "last_line"]

PROG = "manual-backprop check"
MEMORY_SIGNS = ("MemoryError", "bad_alloc", "Cannot allocate memory", "out of memory",
                "can't start new thread")


def last_line(text: str) -> str:
    """The last line of ``text`` that is not blank, stripped."""
    return next((x.strip() for x in reversed(text.splitlines()) if x.strip()), "")


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in value) if isinstance(value, list) else ()


def _usage_prefixes() -> tuple[str, ...]:
    """How a check's usage error begins ("manual-backprop check: error: "), in each language."""
    prefixes = []
    for lang in LANGUAGES:
        with use_language(lang):
            prefixes.append(error_line(PROG, ""))
    return tuple(prefixes)


def _report_line(sub: Submission, verdict: str, reason: str) -> str:
    """The first line of the report of a submission without a verdict on its math."""
    if verdict == "timeout":
        return _("{target}: timeout: {reason}").format(target=sub.target, reason=reason)
    return _("{target}: error: {reason}").format(target=sub.target, reason=reason)


def interpret(sub: Submission, status: int, stdout: str, stderr: str, *, seconds: float,
              timed_out: bool, timeout: float, memory_mb: int) -> Result:
    """The Result of a finished check of ``sub`` (see the module docstring): ``status`` its
    exit status (negative: killed by that signal), ``timed_out`` whether it was killed for
    running past ``timeout``."""
    memory = _("memory limit ({memory_mb} MB) exceeded").format(memory_mb=memory_mb)

    def error(reason: str, code: str, verdict: str = "error") -> Result:
        tail = ("\n\n" + _("--- stderr (end) ---") + f"\n{stderr.rstrip()}\n"
                if stderr.strip() else "\n")
        return Result(sub, verdict, False, (code,), seconds=seconds,
                      report=_report_line(sub, verdict, reason) + tail,
                      diagnosis_text=(reason,))

    if timed_out:
        return error(_("no verdict within {timeout:g} s (killed)").format(timeout=timeout),
                     "timeout", "timeout")
    answer = read_verdict(stdout) if status in (0, 1, 3, 4) else None
    if answer is not None and answer["verdict"] in FAILURES:
        codes, texts = _strings(answer.get("diagnosis")), _strings(answer.get("diagnosis_text"))
        code = codes[0] if codes and codes[0] in FAILURE_CODES else "crashed"
        return error(next(iter(texts or codes), "") or last_line(stderr), code,
                     answer["verdict"])
    if answer is not None:
        codes = _strings(answer.get("diagnosis"))
        result = Result(sub, str(answer["verdict"]),
                        bool(answer.get("ok")) and answer["verdict"] != "wrong",
                        codes, None if answer.get("hint") is None else str(answer.get("hint")),
                        _strings(answer.get("caveats")), seconds, str(answer.get("report", "")),
                        _strings(answer.get("diagnosis_text")) or codes)
        said = " ".join([*result.diagnosis_text, result.report])
        if result.verdict == "wrong" and any(sign in said for sign in MEMORY_SIGNS):
            return Result(sub, "error", False, ("memory_limit",), None, result.caveats,
                          seconds, f"{_report_line(sub, 'error', memory)}\n\n{result.report}",
                          (memory,))
        return result
    if any(sign in stderr for sign in MEMORY_SIGNS):
        return error(memory, "memory_limit")
    if status == -signal.SIGKILL:                      # not ours: the kernel's OOM killer
        return error(memory, "memory_limit")
    last = last_line(stderr)
    usage = False
    for prefix in _usage_prefixes():
        if last.startswith(prefix):
            last, usage = last[len(prefix):], True
            break
    if status < 0:
        name = signal.Signals(-status).name
        return error(_("killed by {signal}: {message}").format(signal=name, message=last)
                     if last else _("killed by {signal}").format(signal=name), "killed")
    if last and status != 0:
        return error(last, "cannot_load" if usage and status == 2 else "crashed")
    return error(_("exited with status {status} without a verdict: {message}").format(
        status=status, message=last) if last else
        _("exited with status {status} without a verdict").format(status=status), "crashed")
