"""The argument types every command shares (argparse ``type=`` functions), and a parser whose
errors are ``UsageError`` exceptions (one line, for the caller to print and exit 2)."""

from __future__ import annotations

import argparse
import math
from typing import NoReturn

__all__ = ["Parser", "UsageError", "depth", "positive_float", "positive_int"]


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


class UsageError(ValueError):
    """A problem with the command line (or what it names); the message is one line."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises ``UsageError`` instead of printing and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)
