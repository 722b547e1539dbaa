"""``manual-backprop xor``: train the XOR network of lecture 9-2 both ways and print (or plot)
the result (the training itself is ``manual_backprop.teaching.xor``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ..teaching.xor import X_XOR, Y_XOR, Run, initial_weights, train
from ..validation import HIDDEN_ERRORS
from .args import add_language_option, positive_float, positive_int

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="manual-backprop xor",
        description="Train the XOR network of lecture 9-2 (2-N-1, sigmoid, no biases, full "
                    "batch) twice from the same initial weights: with the exact gradient and "
                    "with the lecture's hidden error E[1] = W[2]ᵀE[2].")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights (default 0)")
    p.add_argument("--epochs", type=positive_int, default=1000, help="default 1000")
    p.add_argument("--alpha", type=positive_float, default=1.0, help="step size α (default 1)")
    p.add_argument("--hidden", type=positive_int, default=4,
                   help="number of hidden nodes N (default 4)")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.add_argument("--plot", metavar="FILE.png",
                   help="write the loss curves and both decision regions to FILE.png "
                        "(needs matplotlib: pip install '.[plot]')")
    add_language_option(p)
    return p


def _report(args: argparse.Namespace, runs: dict[str, Run]) -> None:
    ex, le = runs["exact"], runs["lecture"]
    print(f"XOR 2-{args.hidden}-1, sigmoid, no biases, full batch; seed {args.seed}, "
          f"{args.epochs} epochs, α = {args.alpha:g}")
    print("Both runs start from the same weights, E = ½ΣΣ(Y − Ŷ)² = "
          f"{ex.initial_loss:.6f}.\n")
    print(f"{'':<24}{'exact (∂E/∂W)':>16}{'lecture (W[2]ᵀE[2])':>22}")
    for (x1, x2), y, p, q in zip(X_XOR.T, Y_XOR[0], ex.predictions, le.predictions):
        print(f"{f'ŷ({x1:.0f},{x2:.0f})  target {y:.0f}':<24}{p:>16.6f}{q:>22.6f}")
    print(f"{'final loss E':<24}{ex.final_loss:>16.6f}{le.final_loss:>22.6f}")
    for t in ex.epochs_to:
        a, b = ex.epochs_to[t], le.epochs_to[t]
        print(f"{f'epochs to E < {t:g}':<24}{'never' if a is None else a:>16}"
              f"{'never' if b is None else b:>22}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.plot is not None:
        from ..teaching.xor_plot import matplotlib_missing

        missing = matplotlib_missing()
        if missing:
            print(f"manual-backprop xor: error: {missing}", file=sys.stderr)
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

        try:
            plot(runs, args.plot, title=f"XOR 2-{args.hidden}-1, seed {args.seed}, "
                                        f"{args.epochs} epochs, α = {args.alpha:g}")
        except OSError as exc:
            print(f"manual-backprop xor: error: cannot write {args.plot}: {exc.strerror or exc}",
                  file=sys.stderr)
            return 2
        if not args.json:
            print(f"\nwrote {args.plot}")
    return 0
