"""Command line: ``manual-backprop [--json]`` (the verification report) and the subcommands
``explain``, ``xor``, ``check`` and ``autograder``, each in its own module with its own
``main(argv)``. Every command takes ``--lang ko|en``; ``main`` chooses the language before a
command builds its parser (``args.language_of``), for that command only."""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Sequence

from ..i18n import use_language
from .args import language_of

__all__ = ["SUBCOMMANDS", "main", "run"]

SUBCOMMANDS = {
    "explain": "manual_backprop.cli.explain",   # the lecture's derivation replayed with numbers
    "xor": "manual_backprop.cli.xor",           # the XOR network of lecture 9-2, trained
    "check": "manual_backprop.cli.check",       # verify someone's own backprop function
    "autograder": "manual_backprop.cli.autograder",  # a Gradescope autograder zip
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns its exit status. A reader that goes away (``| head``) or Ctrl-C
    ends the command quietly, as Unix tools do: exit status 141 or 130, no traceback."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with use_language(language_of(args)):
            status = _dispatch(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        try:                                   # nothing more can reach the reader: drop the
            devnull = os.open(os.devnull, os.O_WRONLY)         # rest, so that the flush at
            os.dup2(devnull, sys.stdout.fileno())             # exit cannot fail again
        except (OSError, ValueError):
            pass
        return 128 + 13                        # as if killed by SIGPIPE
    except KeyboardInterrupt:
        return 128 + 2                         # as if killed by SIGINT


def _dispatch(args: list[str]) -> int:
    if args and args[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[args[0]])
        return int(module.main(args[1:]))
    from .report import main as report_main

    return report_main(args)


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C: flush what was printed and end at once, as a Unix tool does. Raising
    KeyboardInterrupt instead is not enough: a library between here and the user's code may
    catch it (once it went unnoticed for minutes inside a search), and an interpreter shutting
    down beside XLA's threads may crash. A class run's children die with it (they are sent
    SIGKILL when their parent dies)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(128 + signal.SIGINT)


def run() -> None:
    """The entry point of ``python -m manual_backprop`` and the ``manual-backprop`` script:
    ``main`` with Ctrl-C ending the process at once (``_interrupted``), then exit with its
    status."""
    signal.signal(signal.SIGINT, _interrupted)
    sys.exit(main())
