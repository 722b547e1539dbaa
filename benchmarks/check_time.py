"""How long ``check`` takes, in-process: a verdict on correct functions, and the hint search on
functions written in another convention. A measurement, not a test (docs/checking.md).

    python benchmarks/check_time.py [--max-examples N] [--breakdown]

With ``--breakdown``, each verdict's time is split by where it goes: the function's own calls,
reading their results, the oracle (jax.grad), the condition scales, the rounding envelope, the
rest of each evaluation, the reduction and diagnosis of a minimal network, the hint (with its
verifying search), and what is left: Hypothesis drawing networks and its bookkeeping.

jax is warmed up first (one call of the oracle; its persistent compilation cache, when warm,
spares the compilations of the shape buckets); then each function is checked once, in this
process, with the default seed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import reference  # noqa: E402
from manual_backprop.cli.check import load_function  # noqa: E402

FUNCTIONS = [("catalogue/correct/loops.py", "sigmoid"),
             ("catalogue/correct/matrix_naive_sigmoid.py", "sigmoid"),
             ("catalogue/correct/per_sample.py", "tanh"),
             ("catalogue/correct/softplus_log_exp.py", "softplus"),
             ("catalogue/conventions/two_layers_lecture.py", "sigmoid"),
             ("catalogue/conventions/rows_layout.py", "tanh"),
             ("catalogue/conventions/xor_script_update.py", "sigmoid"),
             ("catalogue/buggy/sign_flipped.py", "sigmoid")]


PARTS = {"function calls": ("reference.evaluate", "call"),
         "reading results": ("reference.evaluate", "interpret"),
         "oracle (jax.grad)": ("reference.evaluate", "expected"),
         "condition scales": ("reference.evaluate", "condition_scale"),
         "envelope scales": ("reference.evaluate", "scales"),
         "rounding envelope": ("reference.evaluate", "envelope"),
         "evaluate": ("reference.check", "evaluate"),
         "reduce": ("reference.check", "reduce"),
         "diagnosis": ("reference.check", "_diagnose"),
         "hint and its verification": ("reference.check", "_verified_hint")}
"""Where a check's time goes: the module attribute each part is measured on (``evaluate``
includes the five before it; the hint includes its own search's evaluations)."""


def _instrument() -> dict[str, float]:
    """Wrap each of ``PARTS`` with a timer; returns the dict of seconds it fills."""
    spent = dict.fromkeys(PARTS, 0.0)
    for part, (module, name) in PARTS.items():
        mod = sys.modules[module]
        inner = getattr(mod, name)

        def timed(*a: Any, _inner: Any = inner, _part: str = part, **k: Any) -> Any:
            start = time.perf_counter()
            try:
                return _inner(*a, **k)
            finally:
                spent[_part] += time.perf_counter() - start
        setattr(mod, name, timed)
    return spent


def _breakdown(spent: dict[str, float], total: float) -> str:
    inner = sum(v for k, v in spent.items() if k not in (
        "evaluate", "reduce", "diagnosis", "hint and its verification"))
    rest = spent["evaluate"] - inner
    engine = total - spent["evaluate"] - spent["reduce"] - spent["diagnosis"] - spent[
        "hint and its verification"]
    parts = [(k, v) for k, v in spent.items() if k != "evaluate"]
    parts += [("evaluate, the rest", rest), ("Hypothesis (draws, bookkeeping)", engine)]
    return ", ".join(f"{k} {v:.2f} s" for k, v in parts if v >= 0.005)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--max-examples", type=int, default=reference.check.DEFAULT_MAX_EXAMPLES)
    p.add_argument("--breakdown", action="store_true", help="where each verdict's time goes")
    args = p.parse_args()
    spent = _instrument() if args.breakdown else {}
    reference.gradients([np.ones((2, 2))], np.ones((2, 2)), np.ones((2, 2)))
    print(f"load average {os.getloadavg()[0]:.2f}; {args.max_examples} networks per check")
    for path, activation in FUNCTIONS:
        fn = load_function(f"{ROOT / path}:backprop")
        for part in spent:
            spent[part] = 0.0
        start = time.perf_counter()
        result = reference.check_backprop(fn, activation, max_examples=args.max_examples)
        seconds = time.perf_counter() - start
        hint = f", hint search {result.hint_seconds:.2f} s: {result.hint.options}" if (
            result.hint) else ""
        print(f"{path}: {result.verdict} in {seconds:.2f} s{hint}")
        if spent:
            print(f"    {_breakdown(spent, seconds)}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
