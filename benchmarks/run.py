"""Benchmarks: ratios measured in one process and one run, never timed assertions.

    python benchmarks/run.py              # kernel vs GEMM floor vs jax.jit (vs torch if installed)
    python benchmarks/run.py --quick      # fewer repeats
    python benchmarks/run.py --json       # the same as JSON
    python benchmarks/run.py --threads 1  # BLAS, XLA and torch on one core (steadier when the
                                          # machine is shared: see "Noise" below)
    python benchmarks/run.py --also DIR   # also time DIR/manual_backprop (another checkout)

Measures, as medians over interleaved repeats (round-robin, so that the machine's noise hits all
contenders alike):
* ``manual_backprop.gradients`` on a 2-layer sigmoid network at XOR 2-4-1 m=4, 784-128-10 m=64
  and 1024-1024-1024 m=512, float32 and float64 (validation included: the public function);
* the GEMM floor: the five matrix products any backprop of that network must do (Z[1], Z[2],
  ΔW[2], the hidden error, ΔW[1]) alone, with the operands and layouts the kernel uses;
* ``jax.jit(jax.grad(loss))`` of the same loss (blocked until ready);
* torch autograd on the CPU, if torch is installed (never a project dependency);
* the kernel with ``check_finite=False`` (``--unchecked``): the cost of the finiteness read;
* ``reference.gradients`` calls/s on fresh random shapes (depth 1–4, widths 1–8, batch 1–8,
  mixed activations), after warm-up;
* the same in a new process, as each pytest-xdist worker and each ``check`` command starts:
  5 networks of warm-up, then 200 fresh ones, compilations included, once with the persistent
  compilation cache off (``MANUAL_BACKPROP_NO_JAX_CACHE=1``) and once with it warm (after one
  run that fills it);
* the peak memory of ``gradients`` at 1024³ (tracemalloc, which sees numpy's array data: numpy
  reports its allocations to it) against the bound "forward cache (A[l] and g′(Z[l]) for every
  layer) plus the outputs (ΔW[l])"; X is the caller's and not counted.

Noise: the ratios are the medians of per-round ratios (kernel and floor timed back to back in
each round), which cancels slow drift. With more than one core, each sample waits until the
previous contender's idle threads stop spinning (``SETTLE_SECONDS``), so that no contender is
timed on a core another one still holds. On a shared 2-core machine a 2-thread BLAS call waits for
its slower thread, so one busy core can make any multithreaded timing several times slower; the
load average before and after is printed, and ``--threads 1`` gives steadier ratios.
"""

from __future__ import annotations

import os
import sys

if "--threads" in sys.argv[:-1]:   # must happen before numpy/jax/torch start their thread pools
    _n = sys.argv[sys.argv.index("--threads") + 1]
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _n
    # XLA ignores thread flags (measured: jax.jit used 1.8 s of CPU per second of wall at 1024³
    # with --xla_cpu_multi_thread_eigen=false); it sizes its pool from the CPU affinity, so
    # pin the whole process to N cores (jax issue #1539).
    if hasattr(os, "sched_setaffinity") and _n.isdigit() and int(_n) >= 1:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: int(_n)])

import argparse
import importlib.util
import json
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import manual_backprop as mb

SIZES = [("XOR 2-4-1", (2, 4, 1), 4), ("784-128-10", (784, 128, 10), 64),
         ("1024³", (1024, 1024, 1024), 512)]


def load_kernel(directory: str) -> ModuleType:
    """``directory/manual_backprop`` imported under another name, to time it beside ours."""
    pkg = Path(directory).resolve() / "manual_backprop"
    alias = f"manual_backprop_{abs(hash(str(pkg))):x}"
    spec = importlib.util.spec_from_file_location(alias, pkg / "__init__.py",
                                                  submodule_search_locations=[str(pkg)])
    if spec is None or spec.loader is None:
        raise SystemExit(f"--also: no manual_backprop package in {directory}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    return module


def _timer(fn: Callable[[], Any], min_seconds: float) -> Callable[[], float]:
    """A sampler returning seconds per call, looping enough calls to last min_seconds."""
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    n = max(1, int(min_seconds / once))

    def sample() -> float:
        t = time.perf_counter()
        for _ in range(n):
            fn()
        return (time.perf_counter() - t) / n

    return sample


SETTLE_SECONDS = 0.15
"""With more than one core, the pause before each sample, followed by one untimed call. OpenBLAS's
idle workers spin-wait after every product (about 0.1 s here), and a contender timed right after
another shares the second core with the other's spinning threads: measured (2026-12-01, idle
machine, two threads), jax.jit at 1024³ float32 took 54 ms right after a kernel call, 36 ms
0.1 s later, 33 ms back to back. After the pause and the untimed call, each contender is timed
as it runs alone, calls back to back, its own threads warm: as a user who runs one of them sees
it."""


def _interleaved(fns: dict[str, Callable[[], Any]], repeats: int, min_seconds: float
                 ) -> dict[str, list[float]]:
    """Seconds per call of every contender, ``repeats`` rounds, each round all contenders."""
    samplers = {k: _timer(f, min_seconds) for k, f in fns.items()}
    settle = (_cores_used() or os.cpu_count() or 1) > 1
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for k, s in samplers.items():
            if settle:
                time.sleep(SETTLE_SECONDS)
                fns[k]()
            times[k].append(s())
    return times


def _cores_used() -> int | None:
    """The CPUs this process may run on (None where the system does not say)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None


STAT = "median"
"""How the repeats are summarised: "median" (default) or "min" (``--stat min``: the least
disturbed sample, an estimate of the time on an idle machine)."""


def _summary(samples: list[float]) -> float:
    return min(samples) if STAT == "min" else statistics.median(samples)


def _ratio(a: list[float], b: list[float]) -> float:
    """a/b: with "median", the median over rounds of a/b, each round's samples taken back to
    back (cancels slow drift); with "min", min(a)/min(b)."""
    if STAT == "min":
        return min(a) / min(b)
    return statistics.median(x / y for x, y in zip(a, b))


def _network(widths: tuple[int, int, int], m: int, dtype: type, seed: int = 0
             ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n0, n1, n2 = widths
    W = [rng.normal(0, 1 / np.sqrt(n0), (n1, n0)).astype(dtype),
         rng.normal(0, 1 / np.sqrt(n1), (n2, n1)).astype(dtype)]
    X = rng.normal(0, 1, (n0, m)).astype(dtype)
    Y = rng.uniform(0, 1, (n2, m)).astype(dtype)
    return W, X, Y


def _floor(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> Callable[[], Any]:
    W1, W2 = W
    A1 = np.tanh(W1 @ X)                  # any arrays of the right shapes and dtype
    D2 = Y - W2 @ A1
    D1 = W2.T @ D2

    def five_products() -> None:          # the kernel's products, with its operand layouts
        W1 @ X              # Z[1] = W[1] A[0]
        W2 @ A1             # Z[2] = W[2] A[1]
        D2 @ A1.T           # ΔW[2] = −δ[2] A[1]ᵀ
        W2.T @ D2           # hidden error E[1] = W[2]ᵀ δ[2]
        D1 @ X.T            # ΔW[1] = −δ[1] A[0]ᵀ

    return five_products


def _jax(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> Callable[[], Any] | None:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)

    def E(Ws: list[Any], X: Any, Y: Any) -> Any:
        A = X
        for W_l in Ws:
            A = jax.nn.sigmoid(W_l @ A)
        return 0.5 * jnp.sum((Y - A) ** 2)

    grad = jax.jit(jax.grad(E))
    Wj, Xj, Yj = [jnp.asarray(w) for w in W], jnp.asarray(X), jnp.asarray(Y)

    def call() -> None:
        jax.block_until_ready(grad(Wj, Xj, Yj))

    return call


def _torch(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> Callable[[], Any] | None:
    try:
        import torch
    except ImportError:
        return None
    Wt = [torch.tensor(w, requires_grad=True) for w in W]
    Xt, Yt = torch.tensor(X), torch.tensor(Y)

    def call() -> None:
        A = Xt
        for W_l in Wt:
            A = torch.sigmoid(W_l @ A)
        E = 0.5 * ((Yt - A) ** 2).sum()
        torch.autograd.grad(E, Wt)

    return call


def gradient_table(repeats: int, min_seconds: float, kernels: dict[str, ModuleType],
                   unchecked: bool = False) -> list[dict[str, Any]]:
    rows = []
    for name, widths, m in SIZES:
        for dtype in (np.float32, np.float64):
            W, X, Y = _network(widths, m, dtype)
            fns: dict[str, Callable[[], Any]] = {
                label: (lambda k=k, W=W, X=X, Y=Y: k.gradients(W, X, Y, "sigmoid"))
                for label, k in kernels.items()}
            if unchecked:
                fns["unchecked"] = (lambda W=W, X=X, Y=Y:
                                    mb.gradients(W, X, Y, "sigmoid", check_finite=False))
            fns["floor"] = _floor(W, X, Y)
            for label, make in (("jax.jit", _jax), ("torch", _torch)):
                f = make(W, X, Y)
                if f is not None:
                    fns[label] = f
            t = _interleaved(fns, repeats, min_seconds)
            row: dict[str, Any] = {"network": name, "m": m, "dtype": np.dtype(dtype).name,
                                   **{f"{k}_s": _summary(v) for k, v in t.items()},
                                   "samples_s": t}
            for label in [*kernels, *(["unchecked"] if unchecked else [])]:
                for other in ("floor", "jax.jit", "torch"):
                    if other in t:
                        row[f"{label}/{other}"] = _ratio(t[label], t[other])
            rows.append(row)
    return rows


def reference_calls_per_second(n: int = 2000, seed: int = 0) -> dict[str, float]:
    import reference

    rng = np.random.default_rng(seed)
    names = list(mb.ACTIVATIONS)

    def fresh() -> tuple[list[np.ndarray], np.ndarray, np.ndarray, list[str]]:
        L = int(rng.integers(1, 5))
        w = rng.integers(1, 9, size=L + 1)
        m = int(rng.integers(1, 9))
        Ws = [rng.normal(size=(int(w[l + 1]), int(w[l]))) for l in range(L)]
        acts = [names[int(i)] for i in rng.integers(0, len(names), size=L)]
        return Ws, rng.normal(size=(int(w[0]), m)), rng.normal(size=(int(w[-1]), m)), acts

    t0 = time.perf_counter()
    for _ in range(200):                       # warm-up: compiles once per depth
        reference.gradients(*fresh())
    warm = time.perf_counter() - t0
    nets = [fresh() for _ in range(n)]
    t0 = time.perf_counter()
    for net in nets:
        reference.gradients(*net)
    return {"calls_per_s": n / (time.perf_counter() - t0), "warmup_s": warm}


_FRESH_PROCESS = """
import sys, time
import numpy as np
sys.path.insert(0, {root!r})
import reference
rng = np.random.default_rng({seed})
names = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softplus"]
def fresh():
    L = int(rng.integers(1, 5))
    w = rng.integers(1, 9, size=L + 1)
    m = int(rng.integers(1, 9))
    Ws = [rng.normal(size=(int(w[l + 1]), int(w[l]))) for l in range(L)]
    acts = [names[int(i)] for i in rng.integers(0, len(names), size=L)]
    return Ws, rng.normal(size=(int(w[0]), m)), rng.normal(size=(int(w[-1]), m)), acts
nets = [fresh() for _ in range(205)]
t0 = time.perf_counter()
for net in nets[:5]:
    reference.gradients(*net)
t1 = time.perf_counter()
for net in nets[5:]:
    reference.gradients(*net)
t2 = time.perf_counter()
print(200 / (t2 - t1), 205 / (t2 - t0))
"""


def reference_new_process(seeds: tuple[int, ...] = (0, 1, 2)) -> dict[str, list[float]]:
    """calls/s of ``reference.gradients`` in a new process (see the module docstring): the 200
    after the 5 warm-up networks, and all 205, for each seed (which depths the 5 warm-up
    networks happen to cover changes the result); the import of jax is not timed."""
    import subprocess

    root = str(Path(__file__).resolve().parent.parent)

    def run(seed: int, **env: str) -> list[float]:
        out = subprocess.run([sys.executable, "-c", _FRESH_PROCESS.format(root=root, seed=seed)],
                             env={**os.environ, **env}, check=True, capture_output=True,
                             text=True, timeout=600).stdout
        return [float(x) for x in out.split()]

    for seed in seeds:
        run(seed)                                 # fills the cache, if it was not full yet
    result: dict[str, list[float]] = {k: [] for k in ("no_cache_200", "no_cache_205",
                                                      "warm_cache_200", "warm_cache_205")}
    for seed in seeds:
        for key, env in (("no_cache", {"MANUAL_BACKPROP_NO_JAX_CACHE": "1"}), ("warm_cache", {})):
            r200, r205 = run(seed, **env)
            result[f"{key}_200"].append(r200)
            result[f"{key}_205"].append(r205)
    return result


def peak_memory(kernel: ModuleType, dtype: type) -> dict[str, float]:
    """tracemalloc's peak during one ``gradients`` call at 1024³, against the bound."""
    W, X, Y = _network((1024, 1024, 1024), 512, dtype)
    item = np.dtype(dtype).itemsize
    cache = 2 * (1024 * 512) * 2 * item        # A[l] and g′(Z[l]) for l = 1, 2
    outputs = 2 * 1024 * 1024 * item           # ΔW[1], ΔW[2]
    kernel.gradients(W, X, Y)
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    kernel.gradients(W, X, Y)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    bound = cache + outputs
    peak -= before
    return {"dtype": np.dtype(dtype).name, "peak_MiB": peak / 2**20, "bound_MiB": bound / 2**20,
            "peak/bound": peak / bound}


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count(), "python": platform.python_version(),
                            "cores_used": _cores_used(),
                            "numpy": np.__version__,
                            "load_average": [round(x, 2) for x in os.getloadavg()]}
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [f"{d.get('internal_api')} {d.get('version')} "
                        f"({d.get('num_threads')} threads, {d.get('architecture')})"
                        for d in threadpool_info() if d.get("user_api") == "blas"]
    except ImportError:
        cfg = np.show_config(mode="dicts")
        info["blas"] = cfg.get("Build Dependencies", {}).get("blas", {}).get("name")
    try:
        import jax
        info["jax"] = jax.__version__
    except ImportError:
        pass
    return info


def _us(s: float) -> str:
    return f"{s * 1e6:9.1f} µs" if s < 1e-2 else f"{s * 1e3:9.2f} ms"


def _print_table(rows: list[dict[str, Any]], kernels: list[str]) -> None:
    others = [c for c in ("floor", "jax.jit", "torch") if any(f"{c}_s" in r for r in rows)]
    times = kernels + others
    ratios = [f"{k}/{o}" for k in kernels for o in others]
    short = {"floor": "floor", "jax.jit": "jit", "torch": "torch"}
    heads = [f"{k}/{short[o]}" for k in kernels for o in others]
    print(f"\n{'network':<12}{'dtype':<9}" + "".join(f"{c:>14}" for c in times)
          + "".join(f"{h:>{max(13, len(h) + 2)}}" for h in heads))
    for r in rows:
        print(f"{r['network']:<12}{r['dtype']:<9}"
              + "".join(f"{_us(r[c + '_s']):>14}" for c in times)
              + "".join(f"{r.get(q, float('nan')):>{max(13, len(h) + 2)}.3f}"
                        for q, h in zip(ratios, heads)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--threads", type=int, help="threads for BLAS/XLA/torch (read at start-up)")
    p.add_argument("--also", action="append", default=[], metavar="DIR",
                   help="also time DIR/manual_backprop (repeatable)")
    p.add_argument("--no-reference", action="store_true", help="skip reference calls/s")
    p.add_argument("--unchecked", action="store_true",
                   help="also time the kernel with check_finite=False")
    p.add_argument("--stat", choices=("median", "min"), default="median",
                   help="summarise the repeats by their median (default) or minimum")
    args = p.parse_args(argv)
    global STAT
    STAT = args.stat
    repeats, min_s = (5, 0.02) if args.quick else (15, 0.05)
    kernels: dict[str, ModuleType] = {"kernel": mb}
    for d in args.also:
        kernels[f"kernel@{Path(d).resolve().name}"] = load_kernel(d)
    info = machine()
    info["statistic"] = STAT
    info["blas_threads_requested"] = args.threads
    result: dict[str, Any] = {"machine": info,
                              "gradients": gradient_table(repeats, min_s, kernels,
                                                          args.unchecked)}
    if not args.no_reference:
        result["reference_fresh_shapes"] = reference_calls_per_second()
        result["reference_new_process"] = reference_new_process()
    result["peak_memory_1024"] = {label: [peak_memory(k, dt) for dt in (np.float64, np.float32)]
                                  for label, k in kernels.items()}
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print("machine:", json.dumps(result["machine"]))
    _print_table(result["gradients"], list(kernels) + (["unchecked"] if args.unchecked else []))
    if "reference_fresh_shapes" in result:
        ref = result["reference_fresh_shapes"]
        print(f"\nreference.gradients on fresh shapes: {ref['calls_per_s']:.0f} calls/s "
              f"(after {ref['warmup_s']:.1f} s of warm-up)")
        new = result["reference_new_process"]
        def rates(key: str) -> str:
            return ", ".join(f"{a:.0f} ({b:.0f})" for a, b in zip(new[f"{key}_200"],
                                                                 new[f"{key}_205"]))
        print(f"reference.gradients in a new process, calls/s on 200 fresh shapes after 5 (on "
              f"all 205), seeds 0, 1, 2:\n  persistent cache off: {rates('no_cache')}\n"
              f"  persistent cache warm: {rates('warm_cache')}")
    for label, mems in result["peak_memory_1024"].items():
        for mem in mems:
            print(f"peak memory of {label} at 1024³ {mem['dtype']}: {mem['peak_MiB']:.1f} MiB, "
                  f"bound (forward cache + outputs) {mem['bound_MiB']:.1f} MiB, "
                  f"ratio {mem['peak/bound']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
