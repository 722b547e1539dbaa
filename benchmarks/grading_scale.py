"""The class run's building blocks at scale (``manual_backprop.grading``), measured.

    python benchmarks/grading_scale.py overhead [--jobs N] [--sleep S]   # local vs local:2
    python benchmarks/grading_scale.py resume [--jobs N]                 # kill once, resume

``overhead``: N jobs of the tests' stand-in ``grade`` (a fresh Python per job that sleeps S
seconds, as a check spends its time in its own processes) on this machine's 2-thread executor
and on Dask's ``local:2`` cluster (started before the clock runs); prints each wall time and
the cluster's extra time per job.

``resume``: a simulated class of N submissions graded one at a time with a journal
(``python -m tests._grading_standin``), killed with SIGKILL when about half is journaled, then
rerun; prints how many rows the journal holds after each run and how many lines it has.

A measurement, not a test: docs/classroom.md shows the output with the date and command. Run
from the repository's root (it imports the stand-in from tests/).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manual_backprop.grading import Job, Journal, grade_all, local_executor  # noqa: E402
from manual_backprop.grading.cluster import ClusterSpec, open_cluster  # noqa: E402
from tests._grading_standin import SETTINGS, standin_grade  # noqa: E402


def _jobs(n: int, sleep: float) -> list[Job]:
    return [Job(f"s{i:05d}.py", "", f"s{i:05d}.py",
                f"def backprop(w, X, Y):\n    return w  # {i}\n".encode(), "backprop",
                ("--sleep", str(sleep))) for i in range(n)]


def overhead(n: int, sleep: float) -> None:
    jobs = _jobs(n, sleep)
    with tempfile.TemporaryDirectory() as tmp:
        with local_executor(2) as executor, Journal(Path(tmp, "local"), SETTINGS) as journal:
            start = time.perf_counter()
            grade_all(jobs, standin_grade, executor, journal)
            local = time.perf_counter() - start
        with open_cluster(ClusterSpec(workers=2)) as executor, \
                Journal(Path(tmp, "cluster"), SETTINGS) as journal:
            start = time.perf_counter()
            grade_all(jobs, standin_grade, executor, journal)
            cluster = time.perf_counter() - start
    print(f"{n} jobs, a grade of {sleep:g} s + a fresh Python each")
    print(f"local, 2 threads:        {local:7.2f} s  ({local / n * 1000:6.1f} ms per job)")
    print(f"Dask local:2 cluster:    {cluster:7.2f} s  ({cluster / n * 1000:6.1f} ms per job)")
    print(f"cluster's extra per job: {(cluster - local) / n * 1000:6.1f} ms "
          f"({(cluster - local) / local * 100:+.1f} %)")


def resume(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        submissions = Path(tmp, "class")
        submissions.mkdir()
        for i in range(n):
            (submissions / f"s{i:05d}.py").write_text(f"def backprop(w, X, Y):\n    return w"
                                                      f"  # {i}\n")
        out = Path(tmp, "out")
        journal = out / "journal.jsonl"
        argv = [sys.executable, "-m", "tests._grading_standin", str(out), str(submissions)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env)
        while proc.poll() is None and (not journal.exists()
                                       or journal.read_bytes().count(b"\n") < n // 2):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        first = journal.read_bytes().count(b"\n")
        print(f"first run killed (status {proc.returncode}) with {first} rows journaled")
        subprocess.run(argv, cwd=ROOT, env=env, check=True)
        lines = journal.read_text("utf-8").splitlines()
        names = {json.loads(line)["name"] for line in lines}
        print(f"after the rerun: {len(lines)} lines, {len(names)} distinct submissions, "
              f"{time.perf_counter() - start:.1f} s in all")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("what", choices=("overhead", "resume"))
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--sleep", type=float, default=0.0)
    args = p.parse_args()
    if args.what == "overhead":
        overhead(args.jobs or 200, args.sleep)
    else:
        resume(args.jobs or 1000)


if __name__ == "__main__":
    main()
