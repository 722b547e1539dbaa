"""Where the kernel's time goes beyond the GEMM floor: each step of ``gradients`` timed alone.

    python benchmarks/breakdown.py              # 784-128-10, m = 64, one core
    python benchmarks/breakdown.py --size 1024  # 1024³, m = 512
    python benchmarks/breakdown.py --size xor   # XOR 2-4-1, m = 4

The steps of one call (validation, the five products, the activations, the elementwise passes
of the backward) are timed back to back with ``time.perf_counter`` on a 2-layer sigmoid network,
and the median of each over many calls printed, beside the same five products timed as
``run.py``'s floor. Pinned to one core (BLAS included) unless ``--threads 2``.
"""

from __future__ import annotations

import os
import sys

_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv[:-1] else "1"
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = _threads
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: int(_threads)])

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from manual_backprop.activations import sigmoid  # noqa: E402
from manual_backprop.blocks import multiply_in_place, subtract_in_place  # noqa: E402
from manual_backprop.validation import validate_arrays  # noqa: E402

SIZES = {"xor": ((2, 4, 1), 4), "784": ((784, 128, 10), 64), "1024": ((1024, 1024, 1024), 512)}


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--size", choices=sorted(SIZES), default="784")
    p.add_argument("--threads", default="1", help="1 (default) or 2")
    p.add_argument("--calls", type=int, default=0, help="calls to time (default: by size)")
    args = p.parse_args()
    (n0, n1, n2), m = SIZES[args.size]
    calls = args.calls or {"xor": 20000, "784": 2000, "1024": 20}[args.size]
    pc = time.perf_counter
    print(f"{args.size}, m = {m}, {args.threads} thread(s), median of {calls} calls, µs")
    for dtype in (np.float32, np.float64):
        rng = np.random.default_rng(0)
        W1 = rng.normal(0, 1 / np.sqrt(n0), (n1, n0)).astype(dtype)
        W2 = rng.normal(0, 1 / np.sqrt(n1), (n2, n1)).astype(dtype)
        X = rng.normal(0, 1, (n0, m)).astype(dtype)
        Y = rng.uniform(0, 1, (n2, m)).astype(dtype)
        steps: dict[str, list[float]] = {}

        def lap(name: str, t: list[float], steps: dict[str, list[float]] = steps) -> None:
            now = pc()
            steps.setdefault(name, []).append((now - t[0]) * 1e6)
            t[0] = now

        for _ in range(calls):              # the kernel's steps, as backprop._backward runs them
            t = [pc()]
            validate_arrays([W1, W2], X, Y)
            lap("validation (finiteness)", t)
            Z1 = W1 @ X
            lap("P1 Z[1] = W[1] X", t)
            A1, G1 = sigmoid.g_and_g_prime_in_place(Z1)
            lap("σ, σ′ of Z[1]", t)
            Z2 = W2 @ A1
            lap("P2 Z[2] = W[2] A[1]", t)
            A2, G2 = sigmoid.g_and_g_prime_in_place(Z2)
            lap("σ, σ′ of Z[2]", t)
            D = multiply_in_place(subtract_in_place(A2, Y), G2)
            lap("−δ[2] = (Ŷ − Y) ⊙ σ′", t)
            D @ A1.T
            lap("P3 ΔW[2]", t)
            D = W2.T @ D
            lap("P4 hidden error", t)
            multiply_in_place(D, G1)
            lap("−δ[1] = −E[1] ⊙ σ′", t)
            D @ X.T
            lap("P5 ΔW[1]", t)
            t = [pc()]                      # the floor, right after, with run.py's operands
            A1f = np.tanh(W1 @ X)
            D2 = Y - W2 @ A1f
            D1 = W2.T @ D2
            t = [pc()]
            W1 @ X
            W2 @ A1f
            D2 @ A1f.T
            W2.T @ D2
            D1 @ X.T
            lap("floor (the five products alone)", t)
        med = {k: statistics.median(v) for k, v in steps.items()}
        floor = med.pop("floor (the five products alone)")
        products = sum(v for k, v in med.items() if k.startswith("P"))
        print(f"\n{np.dtype(dtype).name}: sum of steps {sum(med.values()):.1f}, of which products "
              f"{products:.1f}; floor {floor:.1f}")
        for k, v in med.items():
            print(f"  {k:<34}{v:10.1f}")


if __name__ == "__main__":
    main()
