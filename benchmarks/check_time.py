"""How long ``check`` takes, in-process: a verdict on correct functions, and the hint search on
functions written in another convention. A measurement, not a test (docs/checking.md).

    python benchmarks/check_time.py [--max-examples N]

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


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--max-examples", type=int, default=reference.check.DEFAULT_MAX_EXAMPLES)
    args = p.parse_args()
    reference.gradients([np.ones((2, 2))], np.ones((2, 2)), np.ones((2, 2)))
    print(f"load average {os.getloadavg()[0]:.2f}; {args.max_examples} networks per check")
    for path, activation in FUNCTIONS:
        fn = load_function(f"{ROOT / path}:backprop")
        start = time.perf_counter()
        result = reference.check_backprop(fn, activation, max_examples=args.max_examples)
        seconds = time.perf_counter() - start
        hint = f", hint search {result.hint_seconds:.2f} s: {result.hint.options}" if (
            result.hint) else ""
        print(f"{path}: {result.verdict} in {seconds:.2f} s{hint}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
