"""The margins of ``check``'s line between wrong math and numerical caveats, measured: the ratio
of each function's error to the rounding envelope of the network (``reference.envelope``).

    python benchmarks/check_margins.py [--networks N] [--seed S] [--json]

For every function of catalogue/ (buggy, correct, conventions) and examples/adapters/, on N
random networks of each family ``check`` searches (tame: every |z| ≤ 10; wild: |W|, |X| ≤ 30,
net inputs up to 1e4; depth 1–4 or the function's ``layers``, widths and batch 1–4, the
function's own OPTIONS), the outcome as ``check`` evaluates it, and where it differs from the
oracle by more than the strict tolerance, the ratio error / envelope at the worst entry (> 1:
wrong math; inf: NaN or ±inf where no correct formula has one; an exception or a wrong shape is
wrong by kind and counted apart):

* a correct function: the largest ratio (≤ 1 on every network, or check would reject it);
* a buggy function (wrong, or right only in another convention than its OPTIONS): on how many
  networks it is wrong, and its largest ratio (the search needs one network above 1).

It is a measurement, not a test: docs/numerics.md shows its output with the date and command.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manual_backprop.cli.check import load_function  # noqa: E402
from reference.conventions import convention  # noqa: E402
from reference.evaluate import evaluate  # noqa: E402
from reference.hints import _tame_networks  # noqa: E402
from reference.strategies import Network  # noqa: E402


def _wild(net: Network, rng: np.random.Generator) -> Network:
    """``net``'s shapes with |W|, |X| (and |b|) up to 30, as check's wild family."""
    def draw(a: Any) -> Any:
        return rng.uniform(-30, 30, np.shape(a))
    return Network([draw(W) for W in net.weights], draw(net.X), net.Y, net.activations,
                   biases=None if net.biases is None else [draw(b) for b in net.biases])


def measure(path: Path, count: int, seed: int) -> dict[str, Any]:
    fn = load_function(f"{path}:backprop")
    mod = sys.modules[fn.__module__]
    conv = convention(**mod.OPTIONS)
    tame = _tame_networks(mod.ACTIVATION, conv.layers, conv.biases, seed, count)
    rng = np.random.default_rng(seed)
    ratios, wrong, by_kind = [], 0, 0
    with np.errstate(all="ignore"):
        for net in [*tame, *(_wild(n, rng) for n in tame)]:
            out = evaluate(fn, net, conv)
            wrong += out.severity == "wrong"
            if out.within is not None:
                ratios.append(out.within.ratio)
            elif out.severity == "wrong":
                by_kind += 1           # raised, a wrong shape or kind, arguments changed
    return {"function": f"{path.parent.name}/{path.stem}", "verdict": mod.EXPECTED_VERDICT,
            "networks": 2 * count, "wrong": wrong, "wrong_by_kind": by_kind,
            "largest_ratio": max(ratios, default=0.0),
            "median_ratio": float(np.median(ratios)) if ratios else 0.0}


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:.3g}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--networks", type=int, default=100, help="networks of each family")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    paths = [*sorted((ROOT / "catalogue" / "buggy").glob("*.py")),
             *sorted((ROOT / "catalogue" / "correct").glob("*.py")),
             *sorted((ROOT / "catalogue" / "conventions").glob("*.py")),
             *sorted((ROOT / "examples" / "adapters").glob("*.py"))]
    rows = [measure(path, args.networks, args.seed) for path in paths]
    if args.json:
        print(json.dumps(rows))
        return 0
    print(f"{args.networks} tame and {args.networks} wild networks per function, seed "
          f"{args.seed}\n")
    print("| function | verdict | wrong (by kind) | largest error ÷ envelope | median |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| `{r['function']}` | {r['verdict']} | {r['wrong']} ({r['wrong_by_kind']}) | "
              f"{_fmt(r['largest_ratio'])} | {_fmt(r['median_ratio'])} |")
    correct = [r for r in rows if r["verdict"] in ("agrees", "agrees_with_caveats")]
    worst = max(correct, key=lambda r: r["largest_ratio"])
    print(f"\nLargest error ÷ envelope of a correct function: {_fmt(worst['largest_ratio'])} "
          f"({worst['function']}).")
    buggy = [r for r in rows if r["verdict"] not in ("agrees", "agrees_with_caveats")
             and r["largest_ratio"] > 0]
    low = min(buggy, key=lambda r: r["largest_ratio"])
    print(f"Smallest largest error ÷ envelope of a buggy function that differs by value: "
          f"{_fmt(low['largest_ratio'])} ({low['function']}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
