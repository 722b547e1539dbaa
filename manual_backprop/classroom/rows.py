"""A class run's results as the grading package's rows, and back: what the journal keeps, the
CSV and the gradebooks write (``manual_backprop.grading``)."""

from __future__ import annotations

from ..grading.discovery import Found, problem_row
from ..grading.records import Row, Verdict
from .schema import Result, Submission

__all__ = ["ok_of", "problem_result", "result_of", "row_of"]


def ok_of(verdict: str, strict: bool) -> bool:
    """Whether a verdict passes: ``agrees``, and ``agrees_with_caveats`` unless ``strict``."""
    return verdict == "agrees" or (verdict == "agrees_with_caveats" and not strict)


def row_of(result: Result) -> Row:
    """The row of a result."""
    sub = result.submission
    return Row(sub.name, sub.student, Verdict(result.verdict), result.diagnosis,
               result.diagnosis_text or result.diagnosis, result.hint, result.caveats,
               round(result.seconds, 3), result.report)


def result_of(submission: Submission, row: Row, strict: bool) -> Result:
    """The result of ``submission`` that ``row`` records (a journaled one, or a cluster's)."""
    return Result(submission, row.verdict.value, ok_of(row.verdict.value, strict),
                  row.diagnosis, row.hint, row.caveats, row.seconds, row.report,
                  row.diagnosis_text)


def problem_result(submission: Submission) -> Result:
    """The ``error`` of a student's folder in which no file could be chosen."""
    if submission.problem is None:
        raise ValueError(f"`submission` has no problem: {submission!r}")
    row = problem_row(Found(submission.name, submission.student, None, submission.problem,
                            submission.candidates))
    return result_of(submission, row, strict=False)
