"""``manual-backprop xor``: train the XOR network of lecture 9-2 both ways and print (or plot)
the result (the training itself is ``manual_backprop.teaching.xor``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ..i18n import _, columns, pad
from ..teaching.xor import X_XOR, Y_XOR, Run, initial_weights, train
from ..validation import HIDDEN_ERRORS
from .args import ExitingParser, add_language_option, positive_float, positive_int

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = ExitingParser(
        prog="manual-backprop xor",
        description=_("Train the XOR network of lecture 9-2 (2-N-1, sigmoid, no biases, full "
                      "batch) twice from the same initial weights: with the exact gradient and "
                      "with the lecture's hidden error E[1] = W[2]ᵀE[2]."))
    p.add_argument("--seed", type=int, default=0,
                   help=_("seed of the initial weights (default 0)"))
    p.add_argument("--epochs", type=positive_int, default=1000, help=_("default 1000"))
    p.add_argument("--alpha", type=positive_float, default=1.0,
                   help=_("step size α (default 1)"))
    p.add_argument("--hidden", type=positive_int, default=4,
                   help=_("number of hidden nodes N (default 4)"))
    p.add_argument("--json", action="store_true",
                   help=_("print the results as one JSON object"))
    p.add_argument("--plot", metavar="FILE.png",
                   help=_("write the loss curves and both decision regions to FILE.png "
                          "(needs matplotlib: pip install '.[plot]')"))
    add_language_option(p)
    return p


def _report(args: argparse.Namespace, runs: dict[str, Run]) -> None:
    """The table of both runs. Its columns are as wide as the English ones (24, 16, 22) or
    wider where a translation needs it, counted in terminal columns (``columns``)."""
    ex, le = runs["exact"], runs["lecture"]
    print(_("XOR 2-{hidden}-1, sigmoid, no biases, full batch; seed {seed}, {epochs} epochs, "
            "α = {alpha:g}").format(hidden=args.hidden, seed=args.seed, epochs=args.epochs,
                                    alpha=args.alpha))
    print(_("Both runs start from the same weights, E = ½ΣΣ(Y − Ŷ)² = {loss:.6f}.")
          .format(loss=ex.initial_loss) + "\n")
    rows = [(_("ŷ({x1:.0f},{x2:.0f})  target {y:.0f}").format(x1=x1, x2=x2, y=y),
             f"{p:.6f}", f"{q:.6f}")
            for (x1, x2), y, p, q in zip(X_XOR.T, Y_XOR[0], ex.predictions, le.predictions)]
    rows.append((_("final loss E"), f"{ex.final_loss:.6f}", f"{le.final_loss:.6f}"))
    never = _("never")
    for t in ex.epochs_to:
        a, b = ex.epochs_to[t], le.epochs_to[t]
        rows.append((_("epochs to E < {t:g}").format(t=t), never if a is None else str(a),
                     never if b is None else str(b)))
    head = ("", _("exact (∂E/∂W)"), _("lecture (W[2]ᵀE[2])"))
    widths = [max(24, *(columns(r[0]) + 2 for r in rows)),
              max(16, *(columns(r[1]) + 3 for r in [head, *rows])),
              max(22, *(columns(r[2]) + 3 for r in [head, *rows]))]
    for label, *cells in [head, *rows]:
        print(pad(label, widths[0])
              + "".join(pad(c, w, right=True) for w, c in zip(widths[1:], cells)))
    if le.final_loss < ex.final_loss:      # a surprise worth one sentence: the shortcut won
        print("\n" + _("The lecture's rule is not the gradient, yet it ended lower here: with one "
                       "output, its ΔW[1] is, sample by sample, the gradient's term divided by "
                       "σ′(Z[2]) ≤ ¼, roughly a larger step for W[1] that suits XOR but can "
                       "point uphill (docs/hidden-error.md)."))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.plot is not None:
        from ..teaching.xor_plot import matplotlib_missing

        missing = matplotlib_missing()
        if missing:
            print(_("manual-backprop xor: error: {message}").format(message=missing),
                  file=sys.stderr)
            return 2
    W0 = initial_weights(args.seed, args.hidden)
    runs = {h: train(W0, args.epochs, args.alpha, h) for h in HIDDEN_ERRORS}
    if args.json:
        json.dump({h: r.to_json() for h, r in runs.items()}, sys.stdout)
        print()
    else:
        _report(args, runs)
    if args.plot is not None:
        from ..teaching.xor_plot import plot

        try:                      # the figure speaks English: teaching/xor_plot.py says why
            plot(runs, args.plot, title=f"XOR 2-{args.hidden}-1, seed {args.seed}, "
                                        f"{args.epochs} epochs, α = {args.alpha:g}")
        except OSError as exc:
            print(_("manual-backprop xor: error: cannot write {path}: {reason}")
                  .format(path=args.plot, reason=exc.strerror or exc), file=sys.stderr)
            return 2
        if not args.json:
            print("\n" + _("wrote {path}").format(path=args.plot))
    return 0
