"""Command line: ``manual-backprop [--json]`` (the verification report) and the subcommands
``explain``, ``xor`` and ``check``, each in its own module with its own ``main(argv)``."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

__all__ = ["SUBCOMMANDS", "main"]

SUBCOMMANDS = {
    "explain": "manual_backprop.cli.explain",   # the lecture's derivation replayed with numbers
    "xor": "manual_backprop.cli.xor",           # the XOR network of lecture 9-2, trained
    "check": "manual_backprop.cli.check",       # verify someone's own backprop function
}


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[args[0]])
        return int(module.main(args[1:]))
    from .report import main as report_main

    return report_main(args)
