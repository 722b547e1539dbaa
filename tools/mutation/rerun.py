"""Run mutmut's mutants of one module the way ``mutmut run`` does, from a plain process per
mutant: MUTANT_UNDER_TEST set, the tests that cover the mutated function (from mutmut's own
stats), ``pytest -x``, the fast tests first (``tools/mutation/order.py``). The exit codes are
written to mutmut's ``.meta`` file, so ``mutmut results`` reports them.

Why: with ``PYTEST_PLUGINS`` set, mutmut 3.8's fork-server workers stalled, and without the
test order a mutant of ``validation.py`` (called by every test) ran minutes of properties
before ``tests/test_validation.py`` killed it. Usage, after ``mutmut run`` has created
``mutants/`` and its stats (from the repository root)::

    HYPOTHESIS_PROFILE=mutation python -m tools.mutation.rerun validation        # unchecked
    HYPOTHESIS_PROFILE=mutation python -m tools.mutation.rerun reference.diagnose --survivors \\
        --also tests/test_check.py                  # reference/diagnose.py's, with check's tests
    HYPOTHESIS_PROFILE=mutation python -m tools.mutation.rerun activations --survivors \\
        --also tests/test_activations.py            # re-run survivors with more tests

``mutants/`` must hold a copy of ``tools/`` (``also_copy`` in ``[tool.mutmut]``): the plugin is
imported there.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path("mutants")


def _run(key: str, tests: list[str], env: dict[str, str]) -> int:
    if not tests:
        return 33                                       # mutmut's "no tests"
    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                           *tests], cwd=ROOT, capture_output=True, text=True,
                          env=dict(env, MUTANT_UNDER_TEST=key), timeout=900, check=False)
    return done.returncode


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("module", help="e.g. validation (manual_backprop/validation.py) or "
                                  "reference.condition (reference/condition.py)")
    p.add_argument("--survivors", action="store_true", help="re-run survivors and 'no tests'")
    p.add_argument("--also", nargs="*", default=[], help="test files to run for every mutant")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    package, _, module = args.module.rpartition(".")
    meta_path = ROOT / (package or "manual_backprop") / f"{module}.py.meta"
    stats = json.loads((ROOT / "mutmut-stats.json").read_text())["tests_by_mangled_function_name"]
    codes = json.loads(meta_path.read_text())["exit_code_by_key"]
    redo = (0, 33) if args.survivors else (None,)
    keys = [k for k, v in codes.items() if v in redo]
    env = dict(os.environ, PYTEST_PLUGINS="tools.mutation.order")
    tests = {k: sorted(stats.get(k.rsplit("__mutmut_", 1)[0], [])) + args.also for k in keys}
    with ThreadPoolExecutor(args.workers) as pool:
        for key, code in zip(keys, pool.map(lambda k: _run(k, tests[k], env), keys)):
            meta = json.loads(meta_path.read_text())
            meta["exit_code_by_key"][key] = code
            meta_path.write_text(json.dumps(meta, indent=4))
            print(f"{key} {code}", flush=True)


if __name__ == "__main__":
    main()
