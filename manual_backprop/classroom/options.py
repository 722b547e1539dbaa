"""Which ``check`` command lines are class runs, and which options each check gets.

``check`` reads its arguments before it knows whether it runs one check or a class: this
module recognises the options of both without building either parser.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["CLASS_OPTIONS", "FORWARDED", "is_class_run", "split_target"]

CLASS_OPTIONS: dict[str, bool] = {     # the options only a class run takes: a value?
    "--jobs": True, "--timeout": True, "--memory-mb": True, "--csv": True, "--out": True,
    "--cluster": True, "--points": True, "--roster": True, "--format": True,
    "--assignment": True, "--excel": False,
}
FORWARDED: dict[str, bool] = {          # the single-check options each check gets: a value?
    "--activation": True, "--max-examples": True, "--seed": True, "--layers": True,
    "--layout": True, "--loss": True, "--returns": True, "--alpha": True,
    "--hidden-error": True, "--biases": False, "--strict": False, "--all-cells": False,
    "--forbid-imports": True,
}
_OTHER_OPTIONS: dict[str, bool] = {"--function": True, "--json": False, "--help": False,
                                   "--lang": True, "--isolation": False,
                                   "--require-isolation": False}


def split_target(text: str) -> tuple[str, str | None]:
    """``FILE:FUNC`` → (FILE, FUNC); anything else → (text, None)."""
    where, sep, name = text.rpartition(":")
    if sep and where and name.isidentifier():
        return where, name
    return text, None


def is_class_run(argv: Sequence[str]) -> bool:
    """Whether ``check`` arguments ask for a class run: more than one PATH, a directory, or a
    class-only option (CLASS_OPTIONS; unique prefixes count, as argparse allows them).
    Options are recognised from CLASS_OPTIONS, FORWARDED, --function, --json, --help, --lang,
    --isolation and --require-isolation (``FILE:FUNC --lang ko`` is one check); an unknown
    option is taken to have no value."""
    known = {**CLASS_OPTIONS, **FORWARDED, **_OTHER_OPTIONS}
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
    return any(Path(split_target(p)[0]).is_dir() for p in positionals)
