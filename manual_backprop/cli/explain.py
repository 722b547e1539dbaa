"""``manual-backprop explain``: the lecture's derivation replayed with numbers, as text or JSON
(the computation is ``manual_backprop.teaching.explain``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ..activations import ACTIVATIONS
from ..i18n import _
from ..teaching.explain import WORKED_EXAMPLE, explain_network, to_json
from ..teaching.explain_text import render
from ..teaching.network_file import FileFormatError, load_network
from .args import ExitingParser, add_language_option

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = ExitingParser(
        prog="manual-backprop explain",
        description=_("Replay the lecture's derivation (역전파 2, steps 1–4) with numbers: by "
                      "default on the worked example of lecture 8-3, or on your own network "
                      "(--file)."))
    p.add_argument("--file", metavar="FILE", help=_("your network: a .json or .npz file with "
                                                    "weights W1..WL, X and Y (format: "
                                                    "docs/teaching.md)"))
    p.add_argument("--activation", metavar="NAME[,NAME...]",
                   help=_("one of {names}, or L names separated by commas (default: the "
                          "file's, else sigmoid)").format(names=", ".join(ACTIVATIONS)))
    p.add_argument("--alpha", type=float,
                   help=_("step size α (default: the file's, else 0.5)"))
    p.add_argument("--weight", metavar="J,K", default="0,0",
                   help=_("the weight w_jk of the last layer traced through step 3, counted "
                          "from 0 (default 0,0; stored at W[L][K, J])"))
    p.add_argument("--json", action="store_true",
                   help=_("print every quantity as one JSON object"))
    add_language_option(p)
    return p


def _error(message: str) -> int:
    print(_("manual-backprop explain: error: {message}").format(message=message),
          file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data = dict(WORKED_EXAMPLE)
    if args.file is not None:
        try:
            net = load_network(args.file)
        except FileFormatError as exc:
            return _error(str(exc))
        data = {"weights": net.weights, "X": net.X, "Y": net.Y,
                "activation": net.activation or "sigmoid",
                "alpha": WORKED_EXAMPLE["alpha"] if net.alpha is None else net.alpha}
    if args.activation is not None:
        names = [a.strip() for a in args.activation.split(",")]
        data["activation"] = names[0] if len(names) == 1 else names
    if args.alpha is not None:
        data["alpha"] = args.alpha
    try:
        j, k = (int(i) for i in args.weight.split(","))
    except ValueError:
        return _error(_("--weight must be two whole numbers J,K such as 0,1; got {weight!r}"
                        ).format(weight=args.weight))
    try:
        ex = explain_network(data["weights"], data["X"], data["Y"], data["activation"],
                             data["alpha"], j, k)
    except (TypeError, ValueError) as exc:
        return _error(" ".join(str(exc).split()))
    if args.json:
        json.dump(to_json(ex), sys.stdout, ensure_ascii=False)
        print()
    else:
        print(render(ex, default_example=args.file is None))
    return 0
