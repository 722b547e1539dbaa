"""``manual-backprop check``: load ``FILE.py:FUNC`` or ``package.module:FUNC``, run
``reference.check_backprop`` and print its report.

    python -m manual_backprop check FILE.py:FUNC [--activation NAME] [--max-examples N]
        [--seed S] [--layers N] [--layout rows] [--loss mean] [--returns update [--alpha A]]
        [--hidden-error lecture] [--biases] [--strict] [--forbid-imports MODULES] [--json]

Exit status: 0 the function agrees with jax.grad on every network tried (one summary line),
possibly with numerical caveats (listed); 1 its math is wrong (the minimal failing network,
expected vs got, the diagnosis; a hint when it follows the lecture's hidden-error rule), or it
has a caveat and --strict was given; 2 a usage error (one line on stderr: missing file, no such
function, not callable, bad option); 3 it is wrong as called but computes the gradient in
another convention (the hint gives the options: rerun with them); 4 no verdict on its math:
the sandbox running the file's function crashed, was killed, ran out of memory, broke the
protocol, or the submission imported a module of ``--forbid-imports`` (verdict ``error``) or
ran out of time (``timeout``) — the submission's failure, not a usage error (one line on
stderr; with --json, the verdict's JSON object on stdout too).

``--forbid-imports`` is enforced by the sandbox, so it takes a file's function only: with
``package.module:FUNC`` (loaded in this process, next to jax) it is a usage error.
The statuses and the JSON's shape are ``manual_backprop.classroom.schema``'s.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reference.check import DEFAULT_MAX_EXAMPLES, CannotCall, CheckResult, check_backprop
from reference.conventions import HIDDEN_ERRORS, LAYOUTS, LOSSES, RETURNS
from reference.jax_scope import x64
from reference.sandboxed import Sandbox, SandboxFailure, describe_isolation
from reference.strategies import ACTIVATION_NAMES

from ..classroom.options import is_class_run
from ..classroom.schema import (
    EXIT_AGREES,
    EXIT_CONVENTION,
    EXIT_FAILED,
    EXIT_USAGE,
    EXIT_WRONG,
    failure_json,
)
from ..i18n import _
from .args import (
    Parser,
    UsageError,
    add_forbid_option,
    add_language_option,
    depth,
    error_line,
    forbidden_imports,
    positive_float,
    positive_int,
)
from .notebook import NotebookError, load_notebook
from .sandboxing import Prepared, is_file_target, sandboxed_function

__all__ = ["UsageError", "exit_status", "load_function", "load_target", "main", "to_json"]

PROG = "manual-backprop check"


def _import_file(path: Path) -> Any:
    if not path.is_file():
        raise UsageError(_("no such file: {path}").format(path=path))
    spec = importlib.util.spec_from_file_location(f"_checked_{abs(hash(path))}", path)
    if spec is None or spec.loader is None:
        raise UsageError(_("cannot import {path}: not a Python file").format(path=path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module           # dataclasses and pickling look the module up
    sys.path.insert(0, str(path.parent.resolve()))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module


def _split_target(target: str, function: str | None) -> tuple[str, str]:
    where, sep, name = target.rpartition(":")
    if sep and where and name:
        return where, name
    if function and target:
        return target, function
    raise UsageError(_("expected FILE.py:FUNC, FILE.ipynb:FUNC or package.module:FUNC (or "
                       "--function NAME), got {target!r}").format(target=target))


def load_target(target: str, function: str | None = None, all_cells: bool = False
                ) -> tuple[Any, list[str]]:
    """The function named by ``FILE.py:FUNC``, ``FILE.ipynb:FUNC`` or ``package.module:FUNC``
    (``FUNC`` may come from ``function`` instead), and for a notebook the cells (or parts)
    that were not run (``manual_backprop.cli.notebook``). UsageError if it cannot be loaded."""
    where, name = _split_target(target, function)
    skipped: list[str] = []
    try:
        if where.endswith(".ipynb"):
            if not Path(where).is_file():
                raise UsageError(_("no such file: {path}").format(path=where))
            module, cells = load_notebook(Path(where), all_cells=all_cells)
            skipped = [str(c) for c in cells]
        elif where.endswith(".py") or "/" in where or "\\" in where:
            module = _import_file(Path(where))
        else:
            module = importlib.import_module(where)
    except (UsageError, NotebookError) as exc:
        raise UsageError(str(exc)) from None
    except Exception as exc:
        line = getattr(exc, "lineno", None)
        at = _(" (line {line})").format(line=line) if line else ""
        message = exc.msg if isinstance(exc, SyntaxError) and exc.msg else exc   # no "(f, line n)"
        raise UsageError(_("cannot import {module}: {error}: {message}{at}").format(
            module=where, error=type(exc).__name__, message=message, at=at)) from None
    if not hasattr(module, name):
        public = [n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                  and getattr(v, "__module__", None) == module.__name__]
        hint = _(" (it defines: {names})").format(names=", ".join(public)) if public else ""
        raise UsageError(_("{module} has no function {name!r}{hint}").format(
            module=where, name=name, hint=hint))
    fn = getattr(module, name)
    if not callable(fn):
        raise UsageError(_("{module}:{name} is a {type}, not a function").format(
            module=where, name=name, type=type(fn).__name__))
    return fn, skipped


def load_function(target: str) -> Any:
    """The function named by ``FILE.py:FUNC``, ``FILE.ipynb:FUNC`` or ``package.module:FUNC``
    (UsageError if not)."""
    return load_target(target)[0]


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog=PROG, description=_(
        "Check your own backprop FUNC(weights, X, Y) -> [ΔW[1], ..., ΔW[L]] against jax.grad "
        "on random networks; print the minimal network on which its math is wrong. Exit 0 "
        "agrees (possibly with numerical caveats), 1 wrong (or a caveat with --strict), 2 "
        "usage error, 3 agrees in another convention (rerun with the options of the hint), 4 "
        "no verdict: the sandbox running the function failed (error or timeout)."))
    p.add_argument("target", metavar="FILE.py:FUNC",
                   help=_("the function, as path/to/file.py:name, path/to/notebook.ipynb:name "
                          "or package.module:name (several, or a directory: a whole class; "
                          "`check DIR --help` lists the class options)"))
    p.add_argument("--function", metavar="NAME",
                   help=_("the function's name, for a target given without :FUNC"))
    p.add_argument("--all-cells", action="store_true",
                   help=_("a notebook: run every cell, not only the ones that define things"))
    p.add_argument("--activation", default="sigmoid", choices=ACTIVATION_NAMES,
                   metavar="NAME", help=_("g in every layer: {names} (default sigmoid)").format(
                       names=", ".join(ACTIVATION_NAMES)))
    p.add_argument("--max-examples", type=positive_int, default=DEFAULT_MAX_EXAMPLES,
                   metavar="N", help=_("networks to try (default {n})").format(
                       n=DEFAULT_MAX_EXAMPLES))
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help=_("seed of the search (default 0; the same seed gives the same "
                          "report)"))
    c = p.add_argument_group(_("conventions (default: the lecture's)"))
    c.add_argument("--layers", type=depth, metavar="N",
                   help=_("the function handles depth N only (1-4; default: any depth 1-4)"))
    c.add_argument("--layout", choices=LAYOUTS, default="columns",
                   help=_("rows: X (m, n_0), Y (m, n_L), W[l] {shape}, ΔW returned so").format(
                       shape="(n_{l-1}, n_l)"))
    c.add_argument("--loss", choices=LOSSES, default="sum",
                   help=_("mean: E = ½·(1/m)·ΣΣ(y − ŷ)² instead of ½ΣΣ(y − ŷ)²"))
    c.add_argument("--returns", choices=RETURNS, default="gradient",
                   help=_("update: the function takes the step W := W − αΔW itself (returns "
                          "the new weights, or changes them in place and returns None)"))
    c.add_argument("--alpha", type=positive_float, metavar="A",
                   help=_("the step α of --returns update (default 1; a function with a "
                          "fourth parameter is given it)"))
    c.add_argument("--hidden-error", choices=HIDDEN_ERRORS, default="exact",
                   help=_("lecture: compare with the lecture's E[l] = W[l+1]ᵀE[l+1] (not the "
                          "gradient)"))
    c.add_argument("--biases", action="store_true",
                   help=_("FUNC(weights, biases, X, Y) returns ΔW and Δb, b[l] of shape "
                          "(n_l, 1)"))
    p.add_argument("--strict", action="store_true",
                   help=_("a numerical caveat (digits lost, inf/NaN for extreme net inputs) is "
                          "a failure too"))
    p.add_argument("--json", action="store_true",
                   help=_("print the verdict as one JSON object"))
    p.add_argument("--isolation", action="store_true",
                   help=_("print the isolation the sandbox got (to stderr)"))
    p.add_argument("--require-isolation", action="store_true",
                   help=_("a usage error (exit 2) unless the sandbox gets every layer of "
                          "isolation"))
    add_forbid_option(p)
    add_language_option(p)
    return p


def _options(args: argparse.Namespace) -> dict[str, Any]:
    return dict(max_examples=args.max_examples, seed=args.seed, layers=args.layers,
                layout=args.layout, loss=args.loss, returns=args.returns, alpha=args.alpha,
                hidden_error=args.hidden_error, biases=args.biases, strict=args.strict)


def to_json(result: CheckResult) -> dict[str, Any]:
    """The verdict as JSON (keys in English whatever the language): verdict, ok, networks,
    max_error (over the networks that agreed), failure (kind and message, or null), worst_entry
    (of a mismatch: parameter, k, j, expected, got, relative_error = |got − expected| / scale,
    scale; or null), network (the minimal failing one in the lecture's layout: weights, biases,
    X, Y as nested lists; or null), diagnosis (keys; none when a hint fits, as in the report),
    diagnosis_text (the same in prose, in the current language),
    hint (the line, or null), hint_options, caveats (lines), caveat_kinds, report (the full
    text), seconds."""
    failure = None if result.outcome is None else result.outcome.failure
    diagnosis = () if result.hint and result.hint.agrees else result.diagnosis
    worst = None if failure is None else failure.mismatch
    net = result.network
    return {"verdict": result.verdict, "ok": result.ok, "networks": result.networks,
            "max_error": result.max_error,
            "failure": None if failure is None else {"kind": failure.kind,
                                                     "message": failure.message},
            "worst_entry": None if worst is None else {
                "parameter": f"{worst.symbol}[{worst.layer}]", "k": worst.k, "j": worst.j,
                "expected": worst.expected, "got": worst.got,
                "relative_error": worst.relative_error, "scale": worst.scale},
            "network": None if net is None else {
                "weights": [W.tolist() for W in net.weights],
                "biases": None if net.biases is None else [b.tolist() for b in net.biases],
                "X": net.X.tolist(), "Y": net.Y.tolist()},
            "diagnosis": [d.key for d in diagnosis],
            "diagnosis_text": [str(d) for d in diagnosis],
            "hint": None if result.hint is None else str(result.hint),
            "hint_options": None if result.hint is None else result.hint.options,
            "caveats": (result.caveats.lines(result.activation) if result.caveats else []),
            "caveat_kinds": result.caveats.kinds if result.caveats else [],
            "report": str(result), "seconds": round(result.seconds, 3)}


def class_main(argv: Sequence[str]) -> int:
    """A class run (``manual_backprop.cli.classroom.main``)."""
    from .classroom import main as run

    return run(argv)


def main(argv: Sequence[str] | None = None, *, prepared: Prepared | None = None) -> int:
    """Run the command; returns the exit status (``exit_status``, 2 for a usage error, 4 for
    a sandbox that failed). Several targets, a directory or a class option (--jobs,
    --timeout, --memory-mb, --csv, --out) make it a class run
    (``manual_backprop.cli.classroom``). ``prepared``: a class run's judge checks the copy
    it made of the file of ``FILE:FUNC`` (``sandboxing.Prepared``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if is_class_run(argv):
        return class_main(argv)
    try:
        args = _parser().parse_args(argv)
        if args.alpha is not None and args.returns != "update":
            raise UsageError(_("--alpha goes with --returns update"))
        where, name = _split_target(args.target, args.function)
        forbid = forbidden_imports(args.forbid_imports)
        if is_file_target(where) or prepared is not None:
            return _sandboxed(args, where, name, prepared, forbid)
        if forbid:
            raise UsageError(_("--forbid-imports needs a file's function (FILE.py:FUNC or "
                               "FILE.ipynb:FUNC), got {target!r}, which is imported in this "
                               "process").format(target=args.target))
        with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
            fn, skipped = load_target(args.target, args.function, args.all_cells)
    except UsageError as exc:
        print(error_line(PROG, str(exc)), file=sys.stderr)
        return 2
    return _check_and_print(args, fn, skipped)


def _sandboxed(args: argparse.Namespace, where: str, name: str,
               prepared: Prepared | None = None, forbid: frozenset[str] = frozenset()
               ) -> int:
    """The check of a file's function, run in a sandbox (``sandboxing``): its output goes
    where the function's prints went in-process (stderr with --json), before the report. A
    sandbox that fails, or a submission that imports a module of ``forbid``, is the
    submission's ``error`` or ``timeout`` (exit 4)."""
    box: Sandbox | None = None
    failure: str | None = None
    try:
        with sandboxed_function(where, name, all_cells=args.all_cells,
                                require_isolation=args.require_isolation,
                                prepared=prepared, forbid=forbid) as (fn, skipped, box):
            if args.isolation:
                print(describe_isolation(box.isolation), file=sys.stderr)
            with x64():
                result = check_backprop(fn, args.activation, **_options(args))
    except SandboxFailure as exc:
        _relay(exc.output if box is None else box.output(), args.json)
        return _failed(args, exc.kind, exc.reason, exc.code)
    except MemoryError:                  # the judge's own
        print(_("{prog}: error: MemoryError: out of memory while running {target}").format(
            prog=PROG, target=args.target), file=sys.stderr)
        return EXIT_USAGE
    except CannotCall as exc:
        failure = str(exc)
    except UsageError as exc:
        failure = str(exc)
    if box is not None:
        _relay(box.output(), args.json)
    if failure is not None:
        print(error_line(PROG, failure), file=sys.stderr)
        return EXIT_USAGE
    return _report(args, result, skipped)


def _failed(args: argparse.Namespace, kind: str, reason: str, code: str) -> int:
    """A sandbox that failed (``kind`` "error" or "timeout"): one line on stderr, and with
    --json the verdict's object on stdout; exit 4."""
    if kind == "timeout":
        line = _("{target}: timeout: {reason}").format(target=args.target, reason=reason)
    else:
        line = _("{target}: error: {reason}").format(target=args.target, reason=reason)
    if args.json:
        print(json.dumps(failure_json(kind, reason, line, code), ensure_ascii=False))
    print(error_line(PROG, line), file=sys.stderr)
    return EXIT_FAILED


def _relay(output: str, json_mode: bool) -> None:
    """The sandbox's stdout and stderr, as text (never parsed)."""
    if output:
        print(output, end="", file=sys.stderr if json_mode else sys.stdout, flush=True)


def _check_and_print(args: argparse.Namespace, fn: Any, skipped: list[str]) -> int:
    try:       # the student's prints go to stderr with --json: stdout is one JSON object
        with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
            with x64():                    # a jax-written function computes in float64 too
                result = check_backprop(fn, args.activation, **_options(args))
    except MemoryError:
        print(_("{prog}: error: MemoryError: out of memory while running {target}").format(
            prog=PROG, target=args.target), file=sys.stderr)
        return 2
    except CannotCall as exc:            # a usage error: nothing about its math is known
        print(error_line(PROG, str(exc)), file=sys.stderr)
        return 2
    return _report(args, result, skipped)


def _report(args: argparse.Namespace, result: CheckResult, skipped: list[str]) -> int:
    notes = [_("Notebook: not run: {cell}").format(cell=c) for c in skipped]
    if args.json:
        out = to_json(result)
        out["report"] = "\n".join([*notes, out["report"]])
        out["skipped_cells"] = skipped
        print(json.dumps(out, ensure_ascii=False))
        return exit_status(result)
    for note in notes:
        print(note)
    print(result)
    if not result.ok:
        options = result.convention.options()
        command = (f"python -m manual_backprop check {args.target} --activation "
                   f"{args.activation}{' ' + options if options else ''}"
                   f"{' --strict' if args.strict else ''} --max-examples {args.max_examples} "
                   f"--seed {args.seed}")
        print("\n" + _("Reproduce: {command}").format(command=command))
    return exit_status(result)


def exit_status(result: CheckResult) -> int:
    """0: agrees (with caveats too, unless --strict); 1: wrong; 3: agrees in another convention
    (wrong as called, right with the hint's options: not wrong math, but not checked as asked).
    2 is a usage error."""
    if result.ok:
        return EXIT_AGREES
    return EXIT_CONVENTION if result.verdict == "agrees_in_another_convention" else EXIT_WRONG
