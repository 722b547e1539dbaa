"""``manual-backprop autograder gradescope``: write a Gradescope autograder zip that checks
every student's function as ``check`` would (``manual_backprop.grading.gradescope``).

    python -m manual_backprop autograder gradescope --function backprop [check's options]
        [--points 10] [--timeout 600] [--visibility visible] -o autograder.zip

Exit status: 0 written, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..grading.gradescope import VISIBILITIES, AutograderConfig, build_bundle
from ..i18n import _, get_language
from .args import (
    Parser,
    UsageError,
    add_check_options,
    add_language_option,
    error_line,
    forwarded_options,
    positive_float,
)

__all__ = ["main"]

PROG = "manual-backprop autograder"


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog=PROG, description=_(
        "Write a Gradescope autograder (a zip with setup.sh and run_autograder) that checks "
        "each student's function against jax.grad, as check does."))
    p.add_argument("platform", choices=("gradescope",))
    p.add_argument("--function", required=True, metavar="NAME",
                   help=_("the function to check in each student's file"))
    p.add_argument("-o", "--output", type=Path, default=Path("autograder.zip"), metavar="ZIP",
                   help=_("where to write the zip (default autograder.zip)"))
    p.add_argument("--points", type=positive_float, default=10.0, metavar="N",
                   help=_("points for a function that agrees (default 10)"))
    p.add_argument("--timeout", type=positive_float, default=600.0, metavar="S",
                   help=_("seconds per submission (default 600)"))
    p.add_argument("--visibility", choices=VISIBILITIES, default="visible")
    add_check_options(p)
    add_language_option(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Write the bundle; returns the exit status (0, or 2 for a usage error)."""
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        if args.alpha is not None and args.returns != "update":
            raise UsageError(_("--alpha goes with --returns update"))
        config = AutograderConfig(args.function, tuple(forwarded_options(args)), args.points,
                                  args.timeout, args.visibility, get_language())
        build_bundle(config, args.output)
    except UsageError as exc:
        print(error_line(PROG, str(exc)), file=sys.stderr)
        return 2
    except OSError as exc:
        print(error_line(PROG, str(exc)), file=sys.stderr)
        return 2
    print(_("wrote {path}: upload it on Gradescope's Configure Autograder page").format(
        path=args.output))
    return 0
