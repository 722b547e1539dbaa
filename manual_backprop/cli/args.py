"""The argument types every command shares (argparse ``type=`` functions), and a parser whose
errors are ``UsageError`` exceptions (one line, for the caller to print and exit 2).

The messages are in the current language (``manual_backprop.i18n``), argparse's own included:
``Parser`` translates the usage errors argparse builds (``argparse_message``) and the headings
of its help ("usage:", "positional arguments", "options")."""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from ..i18n import LANGUAGES, _, columns, language_from_env

__all__ = ["ExitingParser", "HelpFormatter", "Parser", "UsageError", "add_check_options",
           "add_forbid_option", "add_language_option", "argparse_message", "depth",
           "error_line", "forbidden_imports", "forwarded_options", "language_of",
           "positive_float", "positive_int"]


def positive_int(text: str) -> int:
    """A whole number ≥ 1, for options like --epochs and --max-examples."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a whole number, got {text!r}").format(text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("expected a number ≥ 1, got {value}").format(value=value))
    return value


def positive_float(text: str) -> float:
    """A finite number > 0, for options like --alpha."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a number, got {text!r}").format(text=text)) from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            _("expected a finite number > 0, got {text}").format(text=text))
    return value


def depth(text: str) -> int:
    """A network depth L from 1 to 4 (what ``check`` searches), for --layers."""
    value = positive_int(text)
    if value > 4:
        raise argparse.ArgumentTypeError(
            _("expected a depth from 1 to 4, got {value}").format(value=value))
    return value


def add_check_options(parser: argparse.ArgumentParser) -> None:
    """The single check's options that a class run or an autograder passes on to every check
    (``manual_backprop.classroom.options.FORWARDED``), as one group of ``parser``."""
    import manual_backprop

    single = parser.add_argument_group(_("passed to each check"))
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
    add_forbid_option(single)


def add_forbid_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--forbid-imports MODULES`` (read by ``forbidden_imports`` once parsed)."""
    parser.add_argument("--forbid-imports", metavar="MODULES", help=_(
        "modules the function may not import, separated by commas (such as "
        "jax,torch,tensorflow,autograd): a submission that imports one, even inside its "
        "function or in a try block, is an error (a file's function only)"))


def forbidden_imports(value: str | None) -> frozenset[str]:
    """The modules of ``--forbid-imports`` (``value``; None when it was not given: none).
    UsageError, naming what it got, for a value that is not module names separated by
    commas."""
    if value is None:
        return frozenset()
    from ..sandbox.forbid import parse_forbidden

    try:
        return parse_forbidden(value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def forwarded_options(args: argparse.Namespace) -> list[str]:
    """The options of ``add_check_options`` that were given, as a command line, and the
    language of the output (``--lang``): every check speaks the run's language, whatever the
    locale of the process that runs it. UsageError for a bad ``--forbid-imports`` (before any
    check sees it)."""
    from ..classroom.options import FORWARDED
    from ..i18n import get_language

    forbidden_imports(args.forbid_imports)
    options: list[str] = []
    for flag, takes_value in FORWARDED.items():
        value = getattr(args, flag[2:].replace("-", "_"))
        if takes_value and value is not None:
            options += [flag, str(value)]
        elif not takes_value and value:
            options.append(flag)
    return [*options, "--lang", get_language()]


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


def error_line(prog: str, message: str) -> str:
    """The line a command prints on stderr for a usage error (then it exits 2)."""
    return _("{prog}: error: {message}").format(prog=prog, message=message)


def _argparse_messages() -> tuple[tuple[str, str], ...]:
    """argparse's usage errors (Python 3.11–3.13; argparse has no Korean catalogue of its own):
    a regular expression of the English text, and its message in the current language."""
    return (
        (r"argument (?P<name>[^:]+): (?P<message>.*)", _("argument {name}: {message}")),
        (r"the following arguments are required: (?P<names>.*)",
         _("the following arguments are required: {names}")),
        (r"unrecognized arguments: (?P<args>.*)", _("unrecognized arguments: {args}")),
        (r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
         _("invalid choice: {value} (choose from {choices})")),
        (r"invalid (?P<type>\w+) value: (?P<value>.*)", _("invalid {type} value: {value}")),
        (r"expected one argument", _("expected one argument")),
        (r"expected at most one argument", _("expected at most one argument")),
        (r"expected at least one argument", _("expected at least one argument")),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)",
         _("ambiguous option: {option} could match {matches}")),
        (r"not allowed with argument (?P<name>.*)", _("not allowed with argument {name}")),
        (r"ignored explicit argument (?P<value>.*)", _("ignored explicit argument {value}")),
    )


def argparse_message(text: str) -> str:
    """A usage error argparse built, in the current language (``text`` itself if it is not one
    of ``_argparse_messages``); the message after "argument NAME: " is translated too."""
    for pattern, message in _argparse_messages():
        match = re.fullmatch(pattern, text, re.DOTALL)
        if match is not None:
            parts = match.groupdict()
            if "message" in parts:
                parts["message"] = argparse_message(parts["message"])
            return message.format(**parts)
    return text


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces (a longer word alone
    on its line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and columns(line) + 1 + columns(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, wrapping a text with wide characters (Korean) by the columns
    it takes on a terminal; any other text exactly as argparse does."""

    _spaces = re.compile(r"\s+", re.ASCII)

    def _split_lines(self, text: str, width: int) -> list[str]:
        if columns(text) == len(text):
            return super()._split_lines(text, width)
        return _wrap(self._spaces.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if columns(text) == len(text):
            return super()._fill_text(text, width, indent)
        lines = _wrap(self._spaces.sub(" ", text).strip(), max(width - len(indent), 11))
        return "\n".join(indent + line for line in lines)

    def _format_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                      groups: Iterable[Any], prefix: str | None) -> str:
        """argparse's usage; its continued lines under the first one's options when the
        prefix ("사용법: ") is wider on a terminal than its length (wrapped that much
        narrower, so that they still fit the width)."""
        extra = columns(prefix or "") - len(prefix or "")
        if extra <= 0:
            return super()._format_usage(usage, actions, groups, prefix)
        self._width -= extra                       # the continued lines move right by extra
        try:
            text = super()._format_usage(usage, actions, groups, prefix)
        finally:
            self._width += extra
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line.startswith(" ") else line
                                   for line in rest)])


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises ``UsageError`` instead of printing and exiting, with its
    usage errors and help headings in the current language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = _("show this help message and exit")

    def format_usage(self) -> str:
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups,
                            _("usage: "))
        return formatter.format_help()

    def format_help(self) -> str:
        """argparse's help, with the heading "usage: " in the current language."""
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups,
                            _("usage: "))
        formatter.add_text(self.description)
        for group in self._action_groups:
            formatter.start_section(group.title)
            formatter.add_text(group.description)
            formatter.add_arguments(group._group_actions)
            formatter.end_section()
        formatter.add_text(self.epilog)
        return formatter.format_help()

    def error(self, message: str) -> NoReturn:
        raise UsageError(argparse_message(message))


class ExitingParser(Parser):
    """A ``Parser`` that reports a usage error as argparse does: the usage and the error line
    on stderr, exit status 2 (for the commands that let argparse end them)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, error_line(self.prog, argparse_message(message)) + "\n")
