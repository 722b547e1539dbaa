"""``manual-backprop check`` for a whole class: many submissions, each in its own process.

    python -m manual_backprop check submissions/ --function backprop --jobs 4 --csv marks.csv
    python -m manual_backprop check alice.ipynb bob.py:my_backprop --function backprop

Each PATH is ``FILE.py``, ``FILE.ipynb`` (either optionally ``:FUNC``, overriding
``--function``) or a directory (every ``.py`` and ``.ipynb`` file directly in it, sorted; names
starting with "." are left out). Every submission is checked by a child process,

    sys.executable -m manual_backprop check FILE:FUNC [the single-check options] --json

``--jobs`` at a time, in its own process group (killed whole after ``--timeout`` seconds, and
after it exits, so nothing it started lives on), with its address space limited to
``--memory-mb`` (``RLIMIT_AS``, set in the child before it starts Python). A crash,
``sys.exit``, an endless loop, a syntax error, a missing function or a memory blow-up is that
submission's verdict and never stops the others.

The child's contract: exit 0, 1 or 3 with one JSON object on stdout (its last line, if the
student's code printed before it): ``{"verdict": "agrees" | "agrees_with_caveats" | "wrong" |
"agrees_in_another_convention", "ok": bool,
"networks": int, "diagnosis": [str], "hint": str | null, "caveats": [str], "report": str,
"seconds": float}``; exit 2 with one line on stderr for a usage or loading error. Anything else
(another exit status, no JSON, a signal) is the verdict ``error`` with the last line of stderr
as diagnosis; running past the timeout is ``timeout``; a MemoryError (or a child killed by the
kernel's OOM killer) is ``error`` with the diagnosis "memory limit (M MB) exceeded".

Each child is a judge: it runs the submission's function in a sandbox of its own
(``reference.sandboxed``, docs/classroom.md), never in its own process, so nothing a
submission prints or writes can be taken for the child's JSON. The sandboxes' runs live in a
directory of the class run's, removed at its end.

Language: the progress lines, the table (its verdict column included), the reports and the
diagnoses of errors are in the current language (``manual_backprop.i18n``), and every child
gets the run's ``--lang``; the CSV's header and verdict column, and the JSON's keys, verdicts
and counts, are the codes above in every language (scripts read them).

Exit status: 0 every submission agrees (with or without caveats; with ``--strict``, caveats
fail), 1 otherwise, 2 a usage error (bad option, no submission found, no function named).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import manual_backprop

from ..i18n import LANGUAGES, _, columns, get_language, ngettext, pad, use_language
from .args import (
    Parser,
    UsageError,
    add_language_option,
    error_line,
    positive_float,
    positive_int,
)

__all__ = ["CSV_COLUMNS", "DEFAULT_COMMAND", "VERDICTS", "Result", "Submission", "UsageError",
           "find_submissions", "format_table", "is_class_run", "main", "run_class",
           "verdict_word", "write_csv", "write_reports"]

PROG = "manual-backprop check"
DEFAULT_COMMAND: tuple[str, ...] = (sys.executable, "-m", "manual_backprop", "check")
VERDICTS = ("agrees", "agrees_with_caveats", "agrees_in_another_convention", "wrong", "error",
            "timeout")
CHECK_VERDICTS = frozenset(VERDICTS[:4])   # a child's: reference.check.VERDICTS (no jax here)
CSV_COLUMNS = ("submission", "verdict", "diagnosis", "hint", "caveats", "seconds")
SUFFIXES = (".py", ".ipynb")
CLASS_OPTIONS = ("--jobs", "--timeout", "--memory-mb", "--csv", "--out")
FORWARDED: dict[str, bool] = {          # the single-check options a child gets: takes a value?
    "--activation": True, "--max-examples": True, "--seed": True, "--layers": True,
    "--layout": True, "--loss": True, "--returns": True, "--alpha": True,
    "--hidden-error": True, "--biases": False, "--strict": False, "--all-cells": False,
}
_OTHER_OPTIONS: dict[str, bool] = {"--function": True, "--json": False, "--help": False,
                                   "--lang": True}
_CHILD_ENV = {                          # unless set already: one thread each, fewer arenas
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",            # glibc: 64 MB of address space per thread otherwise
}
_POLL = 0.05                            # seconds between looks at the running children
_KEEP_STDOUT = 16 << 20                 # bytes of a child's output kept (the end of it)
_KEEP_STDERR = 64 << 10
_MEMORY_SIGNS = ("MemoryError", "bad_alloc", "Cannot allocate memory", "out of memory",
                 "can't start new thread")


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
    """A submission's verdict (one of VERDICTS) and what the child said about it."""

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


# -- which run, which submissions ---------------------------------------------------------------

def _split_target(text: str) -> tuple[str, str | None]:
    """``FILE:FUNC`` → (FILE, FUNC); anything else → (text, None)."""
    where, sep, name = text.rpartition(":")
    if sep and where and name.isidentifier():
        return where, name
    return text, None


def is_class_run(argv: Sequence[str]) -> bool:
    """Whether ``check`` arguments ask for a class run: more than one PATH, a directory, or a
    class-only option (--jobs, --timeout, --memory-mb, --csv, --out; unique prefixes count,
    as argparse allows them). Options are recognised from CLASS_OPTIONS, FORWARDED,
    --function, --json, --help and --lang (which every child gets: ``FILE:FUNC --lang ko`` is
    one check); an unknown option is taken to have no value."""
    known = {**dict.fromkeys(CLASS_OPTIONS, True), **FORWARDED, **_OTHER_OPTIONS}
    positionals: list[str] = []
    tokens = iter(argv)
    only_positionals = False
    for token in tokens:
        if only_positionals or token == "-" or not token.startswith("-"):
            positionals.append(token)
            continue
        if token == "--":
            only_positionals = True
            continue
        name, eq, _value = token.partition("=")
        matches = [o for o in known if o == name] or (
            [o for o in known if o.startswith(name)] if name.startswith("--") else [])
        option = matches[0] if len(matches) == 1 else None
        if option in CLASS_OPTIONS:
            return True
        if option is not None and known[option] and not eq:
            next(tokens, None)                 # its value
    if len(positionals) > 1:
        return True
    return any(Path(_split_target(p)[0]).is_dir() for p in positionals)


def find_submissions(paths: Sequence[str], function: str | None) -> list[Submission]:
    """The submissions named by ``paths`` (files, ``FILE:FUNC``, directories), in order
    (UsageError for a missing path, an empty directory, another kind of file, or a file
    without ``:FUNC`` when ``function`` is None)."""
    found: list[tuple[Path, str]] = []
    for text in paths:
        where, name = _split_target(text)
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


# -- running the children -----------------------------------------------------------------------

def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    for key, value in _CHILD_ENV.items():
        env.setdefault(key, value)
    root = str(Path(manual_backprop.__file__).resolve().parent.parent)
    if Path(root).name not in ("site-packages", "dist-packages"):   # run this very code
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


_LIMITER = """\
import ctypes, os, resource, signal, sys
limit = int(sys.argv[1]) << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
if sys.platform.startswith("linux"):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != int(sys.argv[2]):      # the checker died before prctl
        os._exit(1)
os.execv(sys.argv[3], sys.argv[3:])
"""
"""The child's first program: its address-space limit, no core dumps and (Linux) SIGKILL when
the checker dies, so that no submission outlives a killed checker; then it becomes the check
itself (exec). A program and not a ``preexec_fn``: Python code between fork and exec in a
process where jax runs threads may deadlock (jax warns of it), and the exec'd program starts
clean."""


def _limited(argv: Sequence[str], memory_mb: int) -> list[str]:
    """``argv`` run under the limits of ``_LIMITER``."""
    return [sys.executable, "-c", _LIMITER, str(memory_mb), str(os.getpid()), *argv]


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class _Child:
    """One running check: its process (leader of its own process group) and its output."""

    def __init__(self, index: int, submission: Submission, argv: list[str],
                 env: dict[str, str], memory_mb: int, selector: selectors.BaseSelector) -> None:
        self.index = index
        self.submission = submission
        self.selector = selector
        self.started = time.monotonic()
        self.out = bytearray()
        self.err = bytearray()
        self.timed_out = False
        self.proc = subprocess.Popen(_limited(argv, memory_mb), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                     start_new_session=True)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.pipes = {self.proc.stdout.fileno(): self.out, self.proc.stderr.fileno(): self.err}
        for fd in self.pipes:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ, self)

    def read(self, fd: int) -> None:
        buffer = self.pipes[fd]
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            self.selector.unregister(fd)
            del self.pipes[fd]
            return
        buffer += chunk
        keep = _KEEP_STDOUT if buffer is self.out else _KEEP_STDERR
        if len(buffer) > keep:
            del buffer[: len(buffer) - keep]

    def exited(self) -> bool:
        """Whether the process has ended (it is not reaped yet: its group id stays its own)."""
        info = os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        return info is not None

    def finish(self, timed_out: bool = False) -> int:
        """Kill the group (whatever the submission started), collect the output, reap."""
        self.timed_out = timed_out
        _kill_group(self.proc.pid)
        deadline = time.monotonic() + 2.0            # a writer that left the group
        while self.pipes and time.monotonic() < deadline:
            for fd in list(self.pipes):
                self.read(fd)
            if self.pipes:
                time.sleep(0.01)
        for fd in list(self.pipes):
            self.selector.unregister(fd)
        self.pipes.clear()
        status = self.proc.wait()
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdout.close()
        self.proc.stderr.close()
        return status


def _last_line(text: str) -> str:
    return next((x.strip() for x in reversed(text.splitlines()) if x.strip()), "")


def _json_object(stdout: str) -> dict[str, Any] | None:
    for candidate in (stdout, _last_line(stdout)):
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict) and value.get("verdict") in CHECK_VERDICTS:
            return value
    return None


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in value) if isinstance(value, list) else ()


def _usage_prefixes() -> tuple[str, ...]:
    """How a child's usage error begins ("manual-backprop check: error: "), in each language."""
    prefixes = []
    for lang in LANGUAGES:
        with use_language(lang):
            prefixes.append(error_line(PROG, ""))
    return tuple(prefixes)


def _report_line(sub: Submission, verdict: str, reason: str) -> str:
    """The first line of the report of a submission without the child's verdict."""
    if verdict == "timeout":
        return _("{target}: timeout: {reason}").format(target=sub.target, reason=reason)
    return _("{target}: error: {reason}").format(target=sub.target, reason=reason)


def _interpret(child: _Child, status: int, seconds: float, timeout: float,
               memory_mb: int) -> Result:
    """The Result of a finished child, by the contract of the module docstring."""
    sub = child.submission
    stdout = child.out.decode("utf-8", "replace")
    stderr = child.err.decode("utf-8", "replace")
    memory = _("memory limit ({memory_mb} MB) exceeded").format(memory_mb=memory_mb)

    def error(reason: str, verdict: str = "error") -> Result:
        tail = ("\n\n" + _("--- stderr (end) ---") + f"\n{stderr.rstrip()}\n"
                if stderr.strip() else "\n")
        return Result(sub, verdict, False, (reason,), seconds=seconds,
                      report=_report_line(sub, verdict, reason) + tail)

    if child.timed_out:
        return error(_("no verdict within {timeout:g} s (killed)").format(timeout=timeout),
                     "timeout")
    answer = _json_object(stdout) if status in (0, 1, 3) else None
    if answer is not None:
        result = Result(sub, str(answer["verdict"]),
                        bool(answer.get("ok")) and answer["verdict"] != "wrong",
                        _strings(answer.get("diagnosis")),
                        None if answer.get("hint") is None else str(answer["hint"]),
                        _strings(answer.get("caveats")), seconds, str(answer.get("report", "")))
        said = " ".join([*result.diagnosis, result.report])
        if result.verdict == "wrong" and any(sign in said for sign in _MEMORY_SIGNS):
            return Result(sub, "error", False, (memory, *result.diagnosis), None,
                          result.caveats, seconds,
                          f"{_report_line(sub, 'error', memory)}\n\n{result.report}")
        return result
    if any(sign in stderr for sign in _MEMORY_SIGNS):
        return error(memory)
    if status == -signal.SIGKILL:                      # not ours: the kernel's OOM killer
        return error(memory)
    last = _last_line(stderr)
    for prefix in _usage_prefixes():
        if last.startswith(prefix):
            last = last[len(prefix):]
            break
    if status < 0:
        name = signal.Signals(-status).name
        return error(_("killed by {signal}: {message}").format(signal=name, message=last)
                     if last else _("killed by {signal}").format(signal=name))
    if last and status != 0:
        return error(last)
    return error(_("exited with status {status} without a verdict: {message}").format(
        status=status, message=last) if last else
        _("exited with status {status} without a verdict").format(status=status))


def run_class(submissions: Sequence[Submission], options: Sequence[str] = (), *,
              jobs: int | None = None, timeout: float = 60.0, memory_mb: int = 2048,
              command: Sequence[str] = DEFAULT_COMMAND,
              progress: TextIO | None = None) -> list[Result]:
    """Check every submission in a child ``[*command, FILE:FUNC, *options, "--json"]``, ``jobs``
    at a time (default os.cpu_count()); returns the results in the order of ``submissions``.
    One line per finished submission goes to ``progress``, if given."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    env = _child_env()
    scratch = tempfile.mkdtemp(prefix="manual-backprop-class-")   # the sandboxes' runs, removed
    os.chmod(scratch, 0o711)                                      # even if a child is killed
    env["TMPDIR"] = scratch
    pending = list(enumerate(submissions))
    results: list[Result | None] = [None] * len(submissions)
    running: list[_Child] = []
    done = 0
    with selectors.DefaultSelector() as selector:
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    index, sub = pending.pop(0)
                    argv = [*command, sub.target, *options, "--json"]
                    running.append(_Child(index, sub, argv, env, memory_mb, selector))
                now = time.monotonic()
                wait = min([_POLL, *(c.started + timeout - now for c in running)])
                for key, _events in selector.select(max(wait, 0.0)):
                    child: _Child = key.data
                    child.read(key.fd)
                for child in list(running):
                    seconds = time.monotonic() - child.started
                    late = seconds > timeout
                    if not late and not child.exited():
                        continue
                    status = child.finish(timed_out=late and not child.exited())
                    running.remove(child)
                    result = _interpret(child, status, seconds, timeout, memory_mb)
                    results[child.index] = result
                    done += 1
                    if progress is not None:
                        print(_("[{done}/{total}] {name}  {verdict}  {seconds:.1f} s").format(
                            done=done, total=len(submissions), name=child.submission.name,
                            verdict=result.verdict_word, seconds=seconds),
                            file=progress, flush=True)
        finally:
            for child in running:                   # Ctrl-C, or an error of ours
                child.finish(timed_out=True)
            shutil.rmtree(scratch, ignore_errors=True)
    return [r for r in results if r is not None]


# -- output -------------------------------------------------------------------------------------

def _clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` columns (ending in "…" when cut)."""
    text = " ".join(text.split())
    if columns(text) <= width:
        return text
    kept, used = [], 0
    for c in text:
        used += columns(c)
        if used > width - 1:
            break
        kept.append(c)
    return "".join(kept) + "…"


def format_table(results: Sequence[Result]) -> str:
    """The summary: one row per submission, then the count of each verdict (columns aligned
    by their width on a terminal: a Hangul syllable takes two)."""
    rows = [(_("submission"), _("verdict"), _("diagnosis / hint"), _("seconds"))]
    rows += [(r.submission.name, r.verdict_word, _clip(r.summary, 70), f"{r.seconds:.1f}")
             for r in results]
    widths = [max(columns(row[i]) for row in rows) for i in range(3)]
    seconds = max(7, columns(rows[0][3]))
    lines = [f"{pad(a, widths[0])}  {pad(b, widths[1])}  {pad(c, widths[2])}  "
             f"{pad(d, seconds, right=True)}".rstrip() for a, b, c, d in rows]
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICTS}
    summary = ", ".join(_("{count} {verdict}").format(count=n, verdict=verdict_word(v))
                        for v, n in counts.items() if n)
    lines += ["", ngettext("{n} submission: {counts}", "{n} submissions: {counts}",
                           len(results)).format(n=len(results), counts=summary)]
    return "\n".join(lines)


def write_csv(results: Sequence[Result], path: Path) -> None:
    """One row per submission, columns CSV_COLUMNS; lists joined with "; "."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for r in results:
            writer.writerow([r.submission.name, r.verdict, "; ".join(r.diagnosis), r.hint or "",
                             "; ".join(r.caveats), f"{r.seconds:.1f}"])


def write_reports(results: Sequence[Result], directory: Path) -> None:
    """Each submission's full report to ``directory/<submission name>.txt``."""
    directory.mkdir(parents=True, exist_ok=True)
    for r in results:
        name = r.submission.name.replace("/", "_").replace("\\", "_")
        (directory / f"{name}.txt").write_text(r.report.rstrip() + "\n", encoding="utf-8")


def _as_json(results: Sequence[Result]) -> str:
    return json.dumps({
        "submissions": [{"submission": r.submission.name, "path": str(r.submission.path),
                         "function": r.submission.function, "verdict": r.verdict, "ok": r.ok,
                         "diagnosis": list(r.diagnosis), "hint": r.hint,
                         "caveats": list(r.caveats), "seconds": round(r.seconds, 3)}
                        for r in results],
        "counts": {v: sum(r.verdict == v for r in results) for v in VERDICTS},
        "ok": all(r.ok for r in results)}, ensure_ascii=False)


# -- the command --------------------------------------------------------------------------------

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
                   help=_("write one row per submission"))
    p.add_argument("--out", type=Path, metavar="DIR",
                   help=_("write each submission's full report to DIR/<file name>.txt"))
    p.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    single = p.add_argument_group(_("passed to each check"))
    single.add_argument("--activation", choices=sorted(manual_backprop.ACTIVATIONS),
                        metavar="NAME")
    single.add_argument("--max-examples", type=positive_int, metavar="N")
    single.add_argument("--seed", type=int, metavar="S")
    single.add_argument("--layers", type=positive_int, metavar="N")
    single.add_argument("--layout", choices=("columns", "rows"))
    single.add_argument("--loss", choices=("sum", "mean"))
    single.add_argument("--returns", choices=("gradient", "update"))
    single.add_argument("--alpha", type=positive_float, metavar="A")
    single.add_argument("--hidden-error", choices=manual_backprop.HIDDEN_ERRORS)
    for flag in ("--biases", "--strict", "--all-cells"):
        single.add_argument(flag, action="store_true")
    add_language_option(p)
    return p


def _forwarded(args: argparse.Namespace) -> list[str]:
    options: list[str] = []
    for flag, takes_value in FORWARDED.items():
        value = getattr(args, flag[2:].replace("-", "_"))
        if takes_value and value is not None:
            options += [flag, str(value)]
        elif not takes_value and value:
            options.append(flag)
    return [*options, "--lang", get_language()]     # the class run's language, whatever the
                                                    # children's locale


def main(argv: Sequence[str] | None = None, *,
         command: Sequence[str] = DEFAULT_COMMAND) -> int:
    """Run a class check; returns the exit status (0, 1 or 2)."""
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        submissions = find_submissions(args.paths, args.function)
    except UsageError as exc:
        print(error_line(PROG, str(exc)), file=sys.stderr)
        return 2
    results = run_class(submissions, _forwarded(args), jobs=args.jobs, timeout=args.timeout,
                        memory_mb=args.memory_mb, command=command, progress=sys.stderr)
    if args.csv is not None:
        write_csv(results, args.csv)
    if args.out is not None:
        write_reports(results, args.out)
    print(_as_json(results) if args.json else format_table(results))
    return 0 if all(r.ok for r in results) else 1
