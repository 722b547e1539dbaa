"""``manual-backprop check``: load ``FILE.py:FUNC`` or ``package.module:FUNC``, run
``reference.check_backprop`` and print its report.

    python -m manual_backprop check FILE.py:FUNC [--activation NAME] [--max-examples N]
                                                 [--seed S]

Exit status: 0 the function agrees with jax.grad on every network tried (one summary line);
1 it disagrees (the minimal failing network, expected vs got, the diagnosis); 2 a usage error
(one line on stderr: missing file, no such function, not callable, bad option).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from reference.check import DEFAULT_MAX_EXAMPLES, check_backprop
from reference.strategies import ACTIVATION_NAMES

from .args import positive_int

__all__ = ["UsageError", "load_function", "main"]

PROG = "manual-backprop check"


class UsageError(ValueError):
    """A problem with the command line or the function to load; the message is one line."""


def _import_file(path: Path) -> Any:
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    spec = importlib.util.spec_from_file_location(f"_checked_{abs(hash(path))}", path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module           # dataclasses and pickling look the module up
    sys.path.insert(0, str(path.parent.resolve()))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module


def load_function(target: str) -> Any:
    """The function named by ``FILE.py:FUNC`` or ``package.module:FUNC`` (UsageError if not)."""
    where, sep, name = target.rpartition(":")
    if not sep or not where or not name:
        raise UsageError(f"expected FILE.py:FUNC or package.module:FUNC, got {target!r}")
    try:
        if where.endswith(".py") or "/" in where or "\\" in where:
            module = _import_file(Path(where))
        else:
            module = importlib.import_module(where)
    except UsageError:
        raise
    except Exception as exc:
        line = getattr(exc, "lineno", None)
        at = f" (line {line})" if line else ""
        raise UsageError(f"cannot import {where}: {type(exc).__name__}: {exc}{at}") from None
    if not hasattr(module, name):
        public = [n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                  and getattr(v, "__module__", None) == module.__name__]
        hint = f" (it defines: {', '.join(public)})" if public else ""
        raise UsageError(f"{where} has no function {name!r}{hint}")
    fn = getattr(module, name)
    if not callable(fn):
        raise UsageError(f"{where}:{name} is a {type(fn).__name__}, not a function")
    return fn


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Check your own backprop FUNC(weights, X, Y) -> "
                "[ΔW[1], ..., ΔW[L]] against jax.grad on random networks; print the minimal "
                "network on which it disagrees. Exit 0 agree, 1 disagree, 2 usage error.")
    p.add_argument("target", metavar="FILE.py:FUNC",
                   help="the function, as path/to/file.py:name or package.module:name")
    p.add_argument("--activation", default="sigmoid", choices=ACTIVATION_NAMES,
                   metavar="NAME", help="g in every layer: " + ", ".join(ACTIVATION_NAMES) +
                   " (default sigmoid)")
    p.add_argument("--max-examples", type=positive_int, default=DEFAULT_MAX_EXAMPLES,
                   metavar="N", help=f"networks to try (default {DEFAULT_MAX_EXAMPLES})")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="seed of the search (default 0; the same seed gives the same report)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0, 1 or 2)."""
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        fn = load_function(args.target)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    result = check_backprop(fn, args.activation, max_examples=args.max_examples, seed=args.seed)
    print(result)
    if not result.ok:
        print(f"\nReproduce: python -m manual_backprop check {args.target} --activation "
              f"{args.activation} --max-examples {args.max_examples} --seed {args.seed}")
    return 0 if result.ok else 1
