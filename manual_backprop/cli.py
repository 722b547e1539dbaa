"""Command line: ``manual-backprop [--json]`` (the verification report) and the subcommands
``explain``, ``xor`` and ``check``, each in its own module with its own ``main(argv)``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["SUBCOMMANDS", "main", "positive_int"]

SUBCOMMANDS = {
    "explain": "manual_backprop.explain",   # the lecture's derivation replayed with numbers
    "xor": "manual_backprop.xor",           # the XOR network of lecture 9-2, trained
    "check": "reference.check",             # verify someone's own backprop function
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[args[0]])
        return int(module.main(args[1:]))
    from .report import main as report_main

    return report_main(args)


def positive_int(text: str) -> int:
    """An argparse ``type`` for options like --epochs and --max-examples: a whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {value}")
    return value
