"""How long a class run takes against one in-process verdict on the same function: a
measurement, not a test (docs/classroom.md).

    python benchmarks/class_time.py [--students 30] [--jobs 2] [--file FILE.py]
    python benchmarks/class_time.py --one-judge     # also: one judge driving --jobs sandboxes

First, in this process, one in-process verdict (``reference.check_backprop`` on the function
loaded in-process, the Python API) after jax's first call, then two more (jax's compilations
of the shape buckets done); then ``python -m manual_backprop check DIR --function backprop
--jobs N --csv FILE`` on a folder of ``--students`` copies of the file, timed from its start
to its exit (its jax import, the isolation probe and the judges' start-ups included). The
ratios are class / verdict: the ideal is students / jobs. The load average is printed before
and after: on a shared machine, compare ratios, not seconds.

The CPU seconds of both are printed too (the verdict's, every thread of this process; the
class run's, every process it started, sandboxes included): a ratio that other work on the
machine does not change, and a bound on the wall-time ratio on idle cores.

``--one-judge`` also times the other design: one process checking ``--jobs`` submissions at
once in threads, each through its own sandbox (``cli.sandboxing.sandboxed_function``).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import reference  # noqa: E402
from manual_backprop.cli.check import load_function  # noqa: E402
from manual_backprop.cli.sandboxing import sandboxed_function  # noqa: E402
from reference.jax_scope import x64  # noqa: E402

CPU: list[float] = []          # the CPU seconds of each in-process verdict (every thread)


def _verdict(fn: object) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    with x64():
        result = reference.check_backprop(fn)
    assert result.verdict == "agrees", result.verdict
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def _one_judge(files: list[Path], jobs: int) -> float:
    def check(path: Path) -> str:
        with sandboxed_function(str(path), "backprop") as (fn, _skipped, _box), x64():
            return str(reference.check_backprop(fn).verdict)

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        verdicts = list(pool.map(check, files))
    assert set(verdicts) == {"agrees"}, verdicts
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--file", type=Path, default=ROOT / "catalogue" / "correct" / "loops.py")
    p.add_argument("--one-judge", action="store_true")
    args = p.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    reference.gradients([np.ones((2, 2))], np.ones((2, 2)), np.ones((2, 2)))
    fn = load_function(f"{args.file}:backprop")
    first = _verdict(fn)
    warm = statistics.median([_verdict(fn), _verdict(fn)])
    print(f"one in-process verdict: {first:.2f} s (first), {warm:.2f} s (then, median of 2)")
    folder = Path(tempfile.mkdtemp(prefix="class-time-"))
    try:
        files = [folder / f"student{i:02d}.py" for i in range(args.students)]
        for path in files:
            shutil.copyfile(args.file, path)
        command = [sys.executable, "-m", "manual_backprop", "check", str(folder),
                   "--function", "backprop", "--jobs", str(args.jobs), "--csv",
                   str(folder / "grades.csv")]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        with open(folder / "grades.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        verdicts = [row["verdict"] for row in rows]
        each = statistics.median(float(row["seconds"]) for row in rows)
        print(f"class run: python {' '.join(command[1:4])} DIR {' '.join(command[5:9])} "
              f"({args.students} copies of {args.file.name}): {seconds:.1f} s, exit "
              f"{done.returncode}, {verdicts.count('agrees')}/{len(verdicts)} agree, median "
              f"{each:.1f} s per submission (in its judge); load average "
              f"{load:.2f} -> {os.getloadavg()[0]:.2f}")
        print(f"its first line: {done.stderr.splitlines()[0] if done.stderr else ''}")
        print(f"ratio: {seconds / warm:.1f} x the verdict then, {seconds / first:.1f} x the "
              f"first (ideal {args.students / args.jobs:g})")
        verdict_cpu = statistics.median(CPU[1:])
        print(f"CPU time (the load of others does not count): class run {cpu:.1f} s (every "
              f"process it started), one verdict {verdict_cpu:.2f} s: {cpu / verdict_cpu:.1f} "
              f"verdicts' worth (ideal {args.students}; on {args.jobs} idle cores, "
              f"{cpu / verdict_cpu / args.jobs:.1f} x the verdict at best)")
        if args.one_judge:
            one = _one_judge(files, args.jobs)
            print(f"one judge, {args.jobs} sandboxes in threads: {one:.1f} s = "
                  f"{one / warm:.1f} x the verdict then")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
