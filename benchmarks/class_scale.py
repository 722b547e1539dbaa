"""A class run at scale with the real check (``python -m manual_backprop check DIR``), measured.

    python benchmarks/class_scale.py overhead [--students 16 64] [--repeat 3]
    python benchmarks/class_scale.py resume [--students 1000] [--max-examples 3]

``overhead``: the per-submission cost of ``--cluster local:2`` (a Dask LocalCluster of 2
worker processes, each with its own judge) against this machine's ``--jobs 2``. For each class
size N (copies of a mix of correct and buggy catalogue files, named s000.py, ...), the whole
command is timed from its start to its exit (a subprocess, wall clock; the CPU seconds of
every process it started too), local and cluster interleaved, ``--repeat`` times, the order
of the two alternating. The per-submission time is the slope of the median wall times
between the class sizes (a least-squares line through them), which leaves out the fixed
start-up (the intercept: the CLI's imports, the isolation probe, the judges' jax import, the
Dask cluster's start): overhead = (slope_cluster − slope_local) / slope_local. The slope of
each repetition on its own is printed too (its spread is the noise). Each pair of CSVs
(local, cluster; same class, same repetition) is compared row by row, every column but
``seconds`` (csv module: fields hold newlines).

``resume``: a simulated class of N submissions (copies of a few catalogue files) graded with
``--jobs 2 --out OUT --csv A --max-examples K``, killed with SIGKILL to its process group once
about half of the rows are in OUT/journal.jsonl, then the same command again to the end.
Prints the rows journaled at the kill, whether any process of the killed run outlived it, the
rerun's first stderr line, the final CSV's rows, the journal's lines and whether a name
occurs twice, whether every copy of a file got that file's verdict, and each part's wall time.

A measurement, not a test. The machine may be shared: the load average (``os.getloadavg``)
is printed before and after each part; compare ratios measured in one run, not seconds
across runs. Run from the repository's root (the package need not be installed).
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "catalogue"

# Files that run with the check's default options (sigmoid, the lecture's conventions).
OVERHEAD_MIX = ("correct/loops.py", "buggy/g_prime_of_A.py", "correct/einsum_three_factors.py",
                "buggy/sign_flipped.py", "correct/matrix_naive_sigmoid.py",
                "buggy/last_sample_only.py", "correct/sigmoid_both_tails.py",
                "buggy/mean_over_samples.py")
RESUME_MIX = ("correct/loops.py", "buggy/sign_flipped.py", "correct/matrix_naive_sigmoid.py",
              "buggy/g_prime_of_A.py", "correct/sigmoid_both_tails.py")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))


def _make_class(folder: Path, n: int, mix: tuple[str, ...]) -> dict[str, str]:
    """Copies of ``mix`` in turn as folder/s000.py, ...; returns name → catalogue file."""
    folder.mkdir(parents=True)
    origin = {}
    width = max(3, len(str(n - 1)))
    for i in range(n):
        name = f"s{i:0{width}d}.py"
        shutil.copyfile(CATALOGUE / mix[i % len(mix)], folder / name)
        origin[name] = mix[i % len(mix)]
    return origin


def _command(folder: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "manual_backprop", "check", str(folder), "--function",
            "backprop", *options]


def _shown(command: list[str], tmp: Path) -> str:
    return " ".join(["python", *command[1:]]).replace(str(tmp), "$TMP")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _trouble(stderr: str) -> str | None:
    for marker in ("Traceback", "Error:", "error:"):
        if marker in stderr:
            at = stderr.index(marker)
            return stderr[max(0, at - 200):at + 800]
    return None


def _timed(command: list[str], stderr_path: Path) -> tuple[float, float, int]:
    """(wall s, CPU s of every process it started, exit status) of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stderr_path, "w", encoding="utf-8") as err:
        status = subprocess.run(command, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                                stderr=err).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, status


def _fit(sizes: list[int], times: list[float]) -> tuple[float, float]:
    """(slope, intercept) of the least-squares line through (sizes, times)."""
    mx, my = statistics.fmean(sizes), statistics.fmean(times)
    slope = (sum((x - mx) * (y - my) for x, y in zip(sizes, times))
             / sum((x - mx) ** 2 for x in sizes))
    return slope, my - slope * mx


def _compare(a: list[dict[str, str]], b: list[dict[str, str]]) -> str:
    """'equal' or what differs between two class CSVs, every column but seconds."""
    if a and b and list(a[0]) != list(b[0]):
        return f"other columns: {list(a[0])} vs {list(b[0])}"
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)}"
    strip = [[{k: v for k, v in row.items() if k != "seconds"} for row in rows]
             for rows in (a, b)]
    if strip[0] == strip[1]:
        return "equal"
    names = [[row["submission"] for row in rows] for rows in strip]
    if names[0] != names[1]:
        same = (sorted(strip[0], key=lambda r: r["submission"])
                == sorted(strip[1], key=lambda r: r["submission"]))
        return "other order" + (" (same rows)" if same else ", and other rows")
    diff = [(x["submission"], k, x[k], y[k]) for x, y in zip(*strip) for k in x if x[k] != y[k]]
    return f"{len(diff)} fields differ, first: {diff[0]}"


def overhead(sizes: list[int], repeat: int) -> int:
    modes = {"local": ("--jobs", "2"), "cluster": ("--cluster", "local:2")}
    wall: dict[tuple[str, int], list[float]] = collections.defaultdict(list)
    cpu: dict[tuple[str, int], list[float]] = collections.defaultdict(list)
    check_s: dict[tuple[str, int], list[float]] = collections.defaultdict(list)
    each: dict[tuple[str, int, int], float] = {}          # (mode, N, repetition) → wall s
    comparisons: list[tuple[int, int, str]] = []
    problems: list[str] = []
    print(f"overhead: class sizes {sizes}, {repeat} repetitions, mix of {len(OVERHEAD_MIX)} "
          f"catalogue files: {', '.join(OVERHEAD_MIX)}")
    print(f"load average before: {_load()} (1, 5, 15 min; {os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(prefix="class-scale-") as name:
        tmp = Path(name)
        classes = {n: tmp / f"class{n}" for n in sizes}
        for n, folder in classes.items():
            _make_class(folder, n, OVERHEAD_MIX)
        for mode, options in modes.items():
            shown = _shown(_command(classes[sizes[0]], *options, "--csv", str(tmp / "X.csv")),
                           tmp)
            print(f"{mode:7s}: {shown}")
        for options in modes.values():                 # untimed: the files in the page cache
            _timed(_command(classes[sizes[0]], *options, "--csv", str(tmp / "warm.csv")),
                   tmp / "warm.err")
        print(f"after a warm-up run of each (N = {sizes[0]}, untimed): load {_load()}")
        print(f"{'rep':>3} {'N':>4} {'mode':8} {'wall s':>8} {'CPU s':>8} {'exit':>4} "
              f"{'Σ check s':>9}  load (1 min)")
        for r in range(repeat):
            order = sizes if r % 2 == 0 else sizes[::-1]
            for k, n in enumerate(order):
                first = ("local", "cluster") if (r + k) % 2 == 0 else ("cluster", "local")
                found = {}
                for mode in first:
                    out = tmp / f"{mode}-{n}-{r}.csv"
                    err = tmp / f"{mode}-{n}-{r}.err"
                    seconds, cpu_s, status = _timed(
                        _command(classes[n], *modes[mode], "--csv", str(out)), err)
                    stderr = err.read_text("utf-8", errors="replace")
                    rows = _read_csv(out) if out.exists() else []
                    found[mode] = rows
                    total = sum(float(row["seconds"] or 0) for row in rows)
                    failed = status not in (0, 1) or len(rows) != n or _trouble(stderr)
                    if not failed:                      # a failed run is left out of the fits
                        wall[mode, n].append(seconds)
                        each[mode, n, r] = seconds
                        cpu[mode, n].append(cpu_s)
                        check_s[mode, n].append(total)
                    print(f"{r:3d} {n:4d} {mode:8} {seconds:8.1f} {cpu_s:8.1f} {status:4d} "
                          f"{total:9.1f}  {os.getloadavg()[0]:.2f}"
                          + ("  FAILED (left out)" if failed else ""), flush=True)
                    if failed:
                        problems.append(f"rep {r}, N {n}, {mode}: exit {status}, {len(rows)} "
                                        f"rows of {n}; stderr's end:\n{stderr[-3000:]}")
                comparisons.append((r, n, _compare(found["local"], found["cluster"])))
    print(f"load average after: {_load()}")
    print()
    print(f"{'N':>4} {'local wall':>10} {'cluster wall':>12} {'ratio':>6} "
          f"{'local CPU':>9} {'cluster CPU':>11}   (medians of the runs that did not fail)")
    for n in sizes:
        lw, cw = statistics.median(wall["local", n]), statistics.median(wall["cluster", n])
        lc, cc = statistics.median(cpu["local", n]), statistics.median(cpu["cluster", n])
        print(f"{n:4d} {lw:10.1f} {cw:12.1f} {cw / lw:6.2f} {lc:9.1f} {cc:11.1f}")
    print()
    fits = {}
    for mode in modes:
        fits[mode] = _fit(sizes, [statistics.median(wall[mode, n]) for n in sizes])
        cslope, cstart = _fit(sizes, [statistics.median(cpu[mode, n]) for n in sizes])
        kslope, _ = _fit(sizes, [statistics.median(check_s[mode, n]) for n in sizes])
        print(f"{mode:7s}: {fits[mode][0]:6.3f} s per submission (wall slope), start-up "
              f"{fits[mode][1]:5.1f} s (intercept); CPU {cslope:5.2f} s per submission, "
              f"{cstart:5.1f} s fixed; Σ check seconds {kslope:5.2f} per submission")
    (ls, li), (cs, ci) = fits["local"], fits["cluster"]
    print(f"cluster's overhead per submission: {(cs - ls) / ls * 100:+.1f} % "
          f"({(cs - ls) * 1000:+.0f} ms); extra start-up {ci - li:+.1f} s")
    lc = _fit(sizes, [statistics.median(cpu["local", n]) for n in sizes])[0]
    cc = _fit(sizes, [statistics.median(cpu["cluster", n]) for n in sizes])[0]
    print(f"the same in CPU seconds (what others' load changes least): "
          f"{(cc - lc) / lc * 100:+.1f} % ({(cc - lc) * 1000:+.0f} ms)")
    per_rep = []
    for r in range(repeat):
        if all((mode, n, r) in each for mode in modes for n in sizes):
            lr = _fit(sizes, [each["local", n, r] for n in sizes])[0]
            cr = _fit(sizes, [each["cluster", n, r] for n in sizes])[0]
            per_rep.append(f"{(cr - lr) / lr * 100:+.1f} %")
        else:
            per_rep.append("(a run failed)")
    print(f"the same from each repetition alone: {', '.join(per_rep)}")
    print()
    for r, n, verdict in comparisons:
        print(f"CSV local vs cluster, rep {r}, N {n}: {verdict} (every column but seconds)")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems or any(v != "equal" for _, _, v in comparisons) else 0


def _tree(root: int) -> set[int]:
    """The pids of ``root`` and its descendants now (from /proc)."""
    children = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children[ppid].append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return found


def _alive(pids: set[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if state[state.rindex(")") + 2] != "Z":
            alive.append(pid)
    return alive


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def resume(n: int, max_examples: int) -> int:
    problems = []
    with tempfile.TemporaryDirectory(prefix="class-scale-resume-") as name:
        tmp = Path(name)
        origin = _make_class(tmp / "class", n, RESUME_MIX)
        out, table = tmp / "out", tmp / "A.csv"
        journal = out / "journal.jsonl"
        command = _command(tmp / "class", "--jobs", "2", "--out", str(out), "--csv", str(table),
                           "--max-examples", str(max_examples))
        print(f"resume: {n} submissions, copies of {', '.join(RESUME_MIX)}")
        print(f"command (both runs): {_shown(command, tmp)}")
        print(f"load average before: {_load()} ({os.cpu_count()} CPUs)")
        start = time.perf_counter()
        with open(tmp / "first.err", "w", encoding="utf-8") as err:
            proc = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                                    stderr=err, start_new_session=True)
            tree: set[int] = set()
            while proc.poll() is None and _lines(journal) < n // 2:
                tree |= _tree(proc.pid)
                time.sleep(0.2)
            tree |= _tree(proc.pid)
            at_kill = _lines(journal)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            status = proc.wait()
        first = time.perf_counter() - start
        after_kill = _lines(journal)
        time.sleep(2.0)
        survivors = _alive(tree)
        print(f"first run: killed (status {status}) after {first:.1f} s, {at_kill} rows "
              f"journaled when the kill was sent, {after_kill} after it; "
              f"{len(tree)} processes seen in its tree, {len(survivors)} alive 2 s later"
              + (f": {survivors}" if survivors else ""))
        print(f"load average: {_load()}")
        if survivors:
            problems.append(f"processes of the killed run alive 2 s after: {survivors}")
        start = time.perf_counter()
        second_wall, _cpu, status = _timed(command, tmp / "second.err")
        stderr = (tmp / "second.err").read_text("utf-8", errors="replace")
        head = stderr.splitlines()[0] if stderr else ""
        print(f"second run: {second_wall:.1f} s, exit {status}")
        print(f"its first stderr line: {head.replace(str(tmp), '$TMP')}")
        rows = _read_csv(table) if table.exists() else []
        lines = journal.read_text("utf-8").splitlines()
        names = collections.Counter(json.loads(line)["name"] for line in lines)
        twice = sorted(k for k, v in names.items() if v > 1)
        print(f"final CSV: {len(rows)} rows ({len({r['submission'] for r in rows})} distinct "
              f"submissions); journal: {len(lines)} lines, {len(names)} distinct names, "
              f"{len(twice)} names twice{': ' + ', '.join(twice[:5]) if twice else ''}")
        verdicts: dict[str, collections.Counter[tuple[str, str]]] = \
            collections.defaultdict(collections.Counter)
        for row in rows:
            verdicts[origin[row["submission"]]][(row["verdict"], row["diagnosis"])] += 1
        for file, counts in verdicts.items():
            print(f"  {file:34s} {dict(counts)}")
        print(f"in all {first + second_wall:.1f} s = {(first + second_wall) / n * 1000:.0f} ms "
              f"per submission; load average after: {_load()}")
        if len(rows) != n:
            problems.append(f"the final CSV has {len(rows)} rows, not {n}")
        if len(lines) != n or twice:
            problems.append(f"the journal has {len(lines)} lines, {len(twice)} names twice")
        if any(len(c) != 1 for c in verdicts.values()):
            problems.append("copies of one file got different verdicts")
        if not head.startswith("resuming the run journaled in"):
            problems.append(f"the rerun's first line is not the resume line: {head!r}")
        if status not in (0, 1) or _trouble(stderr):
            problems.append(f"the rerun: exit {status}; {_trouble(stderr) or ''}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("what", choices=("overhead", "resume"))
    p.add_argument("--students", type=int, nargs="+", default=None,
                   help="overhead: two or more class sizes (default 16 64); resume: one "
                        "(default 1000)")
    p.add_argument("--repeat", type=int, default=3, help="overhead: repetitions (default 3)")
    p.add_argument("--max-examples", type=int, default=3, help="resume: passed to the check")
    args = p.parse_args()
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
          f"python {' '.join(sys.argv)}")
    if args.what == "overhead":
        sizes = sorted(set(args.students or [16, 64]))
        if len(sizes) < 2 or args.repeat < 1:
            p.error("overhead needs two class sizes or more and --repeat ≥ 1")
        return overhead(sizes, args.repeat)
    if args.students is not None and len(args.students) != 1:
        p.error("resume takes one --students")
    return resume(args.students[0] if args.students else 1000, args.max_examples)


if __name__ == "__main__":
    raise SystemExit(main())
