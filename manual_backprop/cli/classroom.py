"""``manual-backprop check`` for a whole class: many submissions, each in a sandbox of its own.

    python -m manual_backprop check submissions/ --function backprop --jobs 4 --csv marks.csv
    python -m manual_backprop check alice.ipynb bob.py:my_backprop --function backprop
    python -m manual_backprop check moodle/ --function backprop --out run/ --cluster local:4
    python -m manual_backprop check moodle/ --function backprop --points 10 \
        --roster roster.csv --format canvas --csv canvas.csv

Each PATH is ``FILE.py``, ``FILE.ipynb`` (either optionally ``:FUNC``, overriding
``--function``) or a directory: every ``.py`` and ``.ipynb`` file directly in it, and every
folder in it as one student's (``classroom.discovery``; names starting with "." or "__" are
left out). Before the first one runs, every submission is copied into the run's directory (a
sandbox gets its own copy, and nothing else to write than its own directory) and the isolation
a sandbox gets on this machine is probed: the run's first line (on stderr; after the resume
line of a run that continues) and the table's last line say which it is, the JSON has it as
"isolation", and ``--require-isolation`` makes a missing layer a usage error before anything
runs.

``--jobs`` judges check the submissions (``manual_backprop.classroom.run``): processes that
live for the whole run (jax is loaded and compiled once in each), each running one
submission's function at a time in a fresh sandbox (numpy only; ``reference.sandboxed``,
docs/classroom.md), with its address space limited to ``--memory-mb`` and stopped after
``--timeout`` seconds, with everything it started. With ``--cluster``, a Dask cluster's
workers do the same (``classroom.remote``, ``classroom.session``). A crash, ``sys.exit``, an
endless loop, a syntax error, a missing function or a memory blow-up is that submission's
verdict and never stops the others. Each check's verdict is read as ``check FILE:FUNC --json``
prints it (``manual_backprop.classroom.schema``, ``interpret``): ``agrees``,
``agrees_with_caveats``, ``agrees_in_another_convention`` or ``wrong``, else ``error`` or
``timeout`` (with the reason's code, ``schema.FAILURE_CODES``, and its prose). With ``--out``
every row is journaled as it finishes, and the same command again resumes
(``manual_backprop.grading.journal``). The CSV (with ``--points``, a score; with ``--format``,
a Canvas or Moodle import file for the students of ``--roster``) and the settings beside it:
``manual_backprop.grading.gradebooks``.

Language: the progress lines, the table (its verdict column included), the reports and the
diagnoses' prose are in the current language (``manual_backprop.i18n``), and every check
gets the run's ``--lang``; the CSV's header, verdict and diagnosis codes, and the JSON's keys,
verdicts, codes and counts, are the same in every language (scripts read them).

Exit status: 0 every submission agrees (with or without caveats; with ``--strict``, caveats
fail), 1 otherwise (or a cluster could not grade some: named, and the same command again
grades them), 2 a usage error (bad option, no submission found, no function named, missing
isolation with ``--require-isolation``, a submission not on the roster, a journal in use, a
cluster that cannot be used).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..classroom.discovery import find_submissions
from ..classroom.options import is_class_run
from ..classroom.rows import row_of
from ..classroom.run import Results, run_class
from ..classroom.schema import (
    CHECK_VERDICTS,
    EXIT_USAGE,
    VERDICTS,
    Result,
    Submission,
    verdict_word,
)
from ..classroom.session import Plan, grade_class
from ..classroom.tables import as_json, format_table, write_reports
from ..grading import gradebooks
from ..grading.journal import JOURNAL_NAME
from ..grading.records import Row, Verdict
from ..i18n import _
from .args import (
    Parser,
    UsageError,
    add_check_options,
    add_language_option,
    error_line,
    forwarded_options,
    positive_float,
    positive_int,
)

__all__ = ["CHECK_VERDICTS", "VERDICTS", "Result", "Results", "Submission", "UsageError",
           "find_submissions", "format_table", "is_class_run", "main", "run_class",
           "verdict_word", "write_reports"]

PROG = "manual-backprop check"


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog=PROG, description=_(
        "Check every submission of a class, each in its own process, against jax.grad; print "
        "a table (and write a CSV). Exit 0 all agree, 1 some do not, 2 usage error."))
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help=_("FILE.py, FILE.ipynb (either as FILE:FUNC) or a directory of them"))
    p.add_argument("--function", metavar="NAME", help=_("the function to check in each file"))
    p.add_argument("--jobs", type=positive_int, metavar="N",
                   help=_("submissions checked at once (default: the number of CPUs)"))
    p.add_argument("--timeout", type=positive_float, default=60.0, metavar="S",
                   help=_("seconds per submission before it is killed (default 60)"))
    p.add_argument("--memory-mb", type=positive_int, default=2048, metavar="M",
                   help=_("address space per submission, in MB (default 2048)"))
    p.add_argument("--csv", type=Path, metavar="FILE",
                   help=_("write one row per submission (and the run's settings beside it)"))
    p.add_argument("--out", type=Path, metavar="DIR",
                   help=_("write each submission's full report to DIR/<file name>.txt, and "
                          "journal each row there: the same command again resumes"))
    p.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    p.add_argument("--isolation", action="store_true",
                   help=_("print the isolation the sandbox got (to stderr)"))
    p.add_argument("--require-isolation", action="store_true",
                   help=_("a usage error (exit 2) unless the sandbox gets every layer of "
                          "isolation"))
    grading = p.add_argument_group(_("grading"))
    grading.add_argument("--cluster", metavar="ADDRESS",
                         help=_("check on a Dask cluster: local:N (N worker processes "
                                "started for the run) or a scheduler's address"))
    grading.add_argument("--points", type=positive_float, metavar="N",
                         help=_("a score column: N for agrees and agrees_with_caveats, else 0"))
    grading.add_argument("--roster", type=Path, metavar="FILE.csv",
                         help=_("the students: submission name → student id (with --format)"))
    grading.add_argument("--format", choices=gradebooks.FORMATS,
                         help=_("write --csv for this gradebook's import (needs --roster and "
                                "--points)"))
    grading.add_argument("--assignment", metavar="NAME",
                         help=_("the gradebook's column (default: the function's name)"))
    grading.add_argument("--excel", action="store_true",
                         help=_("a byte order mark first in --csv, so that Excel reads it as "
                                "UTF-8"))
    add_check_options(p)
    add_language_option(p)
    return p


def _require(isolation: dict[str, Any]) -> None:
    from reference.sandboxed import describe_isolation, isolation_missing

    if isolation_missing(isolation):
        raise UsageError(_("--require-isolation: {line}").format(
            line=describe_isolation(isolation)))


def _check_grading_options(args: argparse.Namespace) -> gradebooks.Roster | None:
    """The usage errors of the grading options, before anything runs; the roster, if any."""
    if args.cluster is not None:
        from ..grading.cluster import ClusterError, engine, parse_cluster

        try:
            parse_cluster(args.cluster)
            engine()                                # installed? (before anything runs)
        except (ValueError, ClusterError) as exc:
            raise UsageError(str(exc)) from None
    if args.format is not None:
        missing = [flag for flag, value in (("--roster", args.roster), ("--points", args.points),
                                            ("--csv", args.csv)) if value is None]
        if missing:
            raise UsageError(_("--format {format} needs {options}").format(
                format=args.format, options=", ".join(missing)))
    for flag, value, needs in (("--roster", args.roster, "--format"),
                               ("--assignment", args.assignment, "--format"),
                               ("--excel", args.excel, "--csv")):
        if value and getattr(args, needs[2:]) is None:
            raise UsageError(_("{option} goes with {other}").format(option=flag, other=needs))
    if args.roster is None:
        return None
    try:
        return gradebooks.read_roster(args.roster)
    except OSError as exc:
        raise UsageError(_("--roster: {error}").format(error=exc)) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _settings(args: argparse.Namespace, options: list[str]) -> dict[str, Any]:
    """What makes two runs the same run (the journal's key): the function and every option
    that changes a row."""
    return {"function": args.function, "check_options": options, "timeout": args.timeout,
            "memory_mb": args.memory_mb, "require_isolation": args.require_isolation}


def main(argv: Sequence[str] | None = None, *,
         command: Sequence[str] | None = None) -> int:
    """Run a class check; returns the exit status (0, 1 or 2). ``command``: check each
    submission with ``[*command, FILE:FUNC, *options, "--json"]`` instead of the judges
    (``manual_backprop.classroom.run``)."""
    from ..grading import GradingFailed, JournalError
    from ..grading.cluster import ClusterError

    started = datetime.datetime.now(datetime.UTC)
    out: Path | None = None
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        out = args.out
        roster = _check_grading_options(args)
        submissions = find_submissions(args.paths, args.function)
        if roster is not None:
            try:
                roster.match([Row(s.name, s.student, Verdict.ERROR) for s in submissions])
            except ValueError as exc:
                raise UsageError(str(exc)) from None
        options = forwarded_options(args)
        plan = Plan(tuple(options), args.timeout, args.memory_mb, args.jobs, args.cluster,
                    args.out, _settings(args, options), args.strict, args.require_isolation)
        results = grade_class(submissions, plan, command=command, progress=sys.stderr,
                              require_isolation=_require if args.require_isolation else None)
    except (UsageError, JournalError, ClusterError) as exc:
        print(error_line(PROG, str(exc)), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        if out is not None and (out / JOURNAL_NAME).exists():
            print(_("interrupted: the rows finished so far are journaled in {path}; the same "
                    "command again resumes").format(path=out / JOURNAL_NAME), file=sys.stderr)
        raise
    except GradingFailed as exc:
        print(error_line(PROG, _("{error}; the rows of the others are journaled: run the same "
                                 "command again to grade the rest").format(error=exc)),
              file=sys.stderr)
        return 1
    from reference.sandboxed import describe_isolation, isolation_missing

    line = describe_isolation(results.isolation)
    isolation = {"layers": results.isolation, "missing": isolation_missing(results.isolation),
                 "line": line}
    rows = [row_of(r) for r in results]
    scores = (None if args.points is None else
              [gradebooks.score(row, args.points, strict=args.strict) for row in rows])
    if args.csv is not None:
        _write_csv(args, rows, roster)
        gradebooks.write_settings(args.csv, {
            **plan.settings, "started": started.isoformat(timespec="seconds"),
            "paths": args.paths, "seed": args.seed if args.seed is not None else 0,
            "jobs": args.jobs, "cluster": args.cluster, "points": args.points,
            "format": args.format, "isolation": isolation, "python": sys.version.split()[0]})
    if args.out is not None:
        write_reports(results, args.out)
    print(as_json(results, isolation, scores=scores) if args.json else
          format_table(results, line))
    return 0 if all(r.ok for r in results) else 1


def _write_csv(args: argparse.Namespace, rows: list[Row],
               roster: gradebooks.Roster | None) -> None:
    if args.format is None:
        gradebooks.write_rows(rows, args.csv, points=args.points, excel=args.excel,
                              strict=args.strict)
        return
    assert roster is not None and args.points is not None
    gradebooks.write_gradebook(args.format, rows, roster, args.csv,
                               assignment=args.assignment or args.function or "backprop",
                               points=args.points, excel=args.excel, strict=args.strict)
    absent = roster.without(rows)
    if absent:
        print(_("{roster}: {count} student(s) without a submission, left out of {csv} (the "
                "gradebook keeps their grade as it is): {names}").format(
                    roster=args.roster, count=len(absent), csv=args.csv,
                    names=", ".join(s.submission for s in absent)), file=sys.stderr)
