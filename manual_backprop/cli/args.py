"""The argument types every command shares (argparse ``type=`` functions), and a parser whose
errors are ``UsageError`` exceptions (one line, for the caller to print and exit 2)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import NoReturn

from ..i18n import LANGUAGES, _, language_from_env

__all__ = ["Parser", "UsageError", "add_language_option", "depth", "language_of",
           "positive_float", "positive_int"]


def positive_int(text: str) -> int:
    """A whole number ≥ 1, for options like --epochs and --max-examples."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {value}")
    return value


def positive_float(text: str) -> float:
    """A finite number > 0, for options like --alpha."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text}")
    return value


def depth(text: str) -> int:
    """A network depth L from 1 to 4 (what ``check`` searches), for --layers."""
    value = positive_int(text)
    if value > 4:
        raise argparse.ArgumentTypeError(f"expected a depth from 1 to 4, got {value}")
    return value


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--lang ko|en``, which every command takes (``language_of`` reads it before the
    parser is built, so that the help is in that language too)."""
    parser.add_argument("--lang", choices=LANGUAGES,
                        help=_("ko or en: the language of the output (default: Korean if the "
                               "locale, LANG or LC_ALL, begins with ko, else English)"))


def language_of(argv: Sequence[str]) -> str:
    """The language a command line asks for: its ``--lang`` (the last one, as argparse
    reads it), else the locale's. A ``--lang`` with a value that is not a language is left
    to the parser to report."""
    lang = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else (
            arg[len("--lang="):] if arg.startswith("--lang=") else None)
        if value in LANGUAGES:
            lang = value
    return lang or language_from_env()


class UsageError(ValueError):
    """A problem with the command line (or what it names); the message is one line."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises ``UsageError`` instead of printing and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)
