"""The margins of ``check``'s split between wrong math and numerical caveats, measured.

    python benchmarks/check_margins.py [--networks N] [--seed S] [--json]

For every function of catalogue/ (buggy, correct, conventions), on N random *tame* networks
(every net input |z| ≤ TAME_NET_INPUT; depth 1–4 or the function's ``layers``, widths and batch
1–4, |W|, |X| ≤ 2 before scaling, the function's own OPTIONS), the condition-scaled relative
error of what it returns against jax.grad (or the lecture's rule), as ``check`` measures it for
the wrong/caveat decision:

* a buggy function: on how many networks it differs at all (error > 1e-10) and on how many it
  is wrong (error > WRONG_RTOL = 1e-3, or an exception, a wrong shape, NaN); the smallest and
  the median error where it differs by value, and the smallest over WRONG_RTOL (the margin);
* a correct function: the largest error on a tame network, and WRONG_RTOL over it (the margin).

It is a measurement, not a test: docs/checking.md shows its output with the date and command.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manual_backprop.cli.check import load_function  # noqa: E402
from reference.conventions import convention  # noqa: E402
from reference.evaluate import evaluate  # noqa: E402
from reference.hints import _tame_networks  # noqa: E402
from reference.tolerances import WRONG_RTOL  # noqa: E402


def measure(path: Path, count: int, seed: int) -> dict[str, Any]:
    fn = load_function(f"{path}:backprop")
    mod = sys.modules[fn.__module__]
    conv = convention(**mod.OPTIONS)
    nets = _tame_networks(mod.ACTIVATION, conv.layers, conv.biases, seed, count)
    errors, wrong, other = [], 0, 0
    for net in nets:
        out = evaluate(fn, net, conv)
        if out.failure is not None and out.failure.kind not in ("mismatch",):
            other += 1                 # raised, shape, returned, nan, modified: wrong by kind
            wrong += out.severity == "wrong"
            continue
        errors.append(out.wrong_error)
        wrong += out.severity == "wrong"
    differs = [e for e in errors if e > 1e-10]
    row: dict[str, Any] = {"function": f"{path.parent.name}/{path.stem}",
                           "verdict": mod.EXPECTED_VERDICT, "networks": count,
                           "differs": len(differs) + other, "wrong": wrong,
                           "largest": max(errors, default=0.0)}
    if differs:
        row["smallest_difference"] = min(differs)
        row["median_difference"] = statistics.median(differs)
    above = [e for e in differs if e > WRONG_RTOL]
    row["smallest_wrong"] = min(above) if above else None
    return row


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2g}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--networks", type=int, default=300)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    paths = [*sorted((ROOT / "catalogue" / "buggy").glob("*.py")),
             *sorted((ROOT / "catalogue" / "correct").glob("*.py")),
             *sorted((ROOT / "catalogue" / "conventions").glob("*.py"))]
    rows = [measure(path, args.networks, args.seed) for path in paths]
    if args.json:
        print(json.dumps(rows))
        return 0
    print(f"WRONG_RTOL = {WRONG_RTOL:g}; {args.networks} tame networks per function, seed "
          f"{args.seed}\n")
    print("| function | verdict | differs (> 1e-10) | wrong | smallest / median difference "
          "| smallest wrong error ÷ bound | largest error ÷ bound |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        sw = r["smallest_wrong"]
        print(f"| `{r['function']}` | {r['verdict']} | {r['differs']} | {r['wrong']} | "
              f"{_fmt(r.get('smallest_difference'))} / {_fmt(r.get('median_difference'))} | "
              f"{'—' if sw is None else f'{sw / WRONG_RTOL:.3g}'} | "
              f"{r['largest'] / WRONG_RTOL:.2g} |")
    correct = [r for r in rows if r["verdict"] != "wrong"]
    worst = max(correct, key=lambda r: r["largest"])
    print(f"\nLargest error of a correct function on a tame network: {worst['largest']:.2g} "
          f"({worst['function']}), a margin of {WRONG_RTOL / max(worst['largest'], 1e-300):.3g}"
          f" below the bound.")
    wrong = [r for r in rows if r["verdict"] == "wrong" and r["smallest_wrong"] is not None]
    if wrong:
        low = min(wrong, key=lambda r: r["smallest_wrong"])
        print(f"Smallest error above the bound of a buggy function: {low['smallest_wrong']:.2g} "
              f"({low['function']}), {low['smallest_wrong'] / WRONG_RTOL:.3g} × the bound.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
