"""A Gradescope autograder for someone's backprop function: the bundle, and what it runs.

    python -m manual_backprop autograder gradescope --function backprop --max-examples 200 \\
        --points 10 -o autograder.zip

``build_bundle`` writes the zip that Gradescope's "Configure Autograder" page takes; at its
root:

* ``setup.sh`` — run once by Gradescope, as root, when it builds the image: a Python ≥ 3.11
  (the image's, or Ubuntu's ``python3.11`` installed with apt), a virtual environment in
  ``/autograder/venv``, and ``requirements.txt`` installed in it;
* ``run_autograder`` — run for every submission: ``python -m manual_backprop.grading.gradescope
  run``, which writes ``/autograder/results/results.json``;
* ``requirements.txt`` — numpy, jax, Hypothesis and nbformat pinned to the versions of the
  machine that built the bundle (the same check as the teacher's);
* ``config.json`` — the function's name, the check's options, the points, the time limit;
* ``lib/`` — this package and ``reference``, as they are on the machine that built it.

``run`` grades the file the student uploaded (``/autograder/submission``; several files: the
one that defines the function, as for a student's folder in ``discovery``) by running this
project's check in a child process, ``python -m manual_backprop check FILE:FUNC [options]
--json``, and writes Gradescope's format: ``score``, ``execution_time``, ``output`` (the
check's report), ``visibility``, ``stdout_visibility``, ``extra_data`` (the verdict and
diagnosis codes), and ``tests``, one test with ``name``, ``score``, ``max_score``, ``status``
(``passed``/``failed``), ``output`` and ``visibility``. The points go to ``agrees`` and
``agrees_with_caveats`` (``ok`` in the check's JSON: with ``--strict`` a caveat fails).

The root (``/autograder``) and the Python that ``run_autograder`` uses
(``/autograder/venv/bin/python``) can be changed by the environment variables
``MANUAL_BACKPROP_AUTOGRADER_ROOT`` and ``MANUAL_BACKPROP_AUTOGRADER_PYTHON``, so that the
bundle can be tried on a simulated ``/autograder`` tree.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
import os
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..i18n import _, use_language
from .discovery import Found, choose_in_folder, problem_row
from .records import PASSING, Verdict

__all__ = ["PYTHON_VARIABLE", "REQUIREMENTS", "ROOT_VARIABLE", "VISIBILITIES",
           "AutograderConfig", "build_bundle", "main", "results", "run"]

ROOT_VARIABLE = "MANUAL_BACKPROP_AUTOGRADER_ROOT"
PYTHON_VARIABLE = "MANUAL_BACKPROP_AUTOGRADER_PYTHON"
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
"""Gradescope's visibility settings."""
REQUIREMENTS = ("numpy", "jax", "jaxlib", "hypothesis", "nbformat")
"""What the check needs besides this package (pinned in the bundle's requirements.txt)."""

_PACKAGES = ("manual_backprop", "reference")
_SUFFIXES = (".py", ".po", ".typed")
_EPOCH = (2020, 1, 1, 0, 0, 0)             # every entry's time: the same bundle, the same bytes

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
set -euo pipefail
cd "$(dirname "$0")"
python=""
for candidate in python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        python="$candidate"
        break
    fi
done
if [ -z "$python" ]; then
    apt-get update && apt-get install -y python3.11 python3.11-venv
    python=python3.11
fi
"$python" -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install -r requirements.txt
"""

RUN_AUTOGRADER = f"""\
#!/usr/bin/env bash
# Gradescope runs this for every submission: the check of /autograder/submission, written to
# /autograder/results/results.json (manual_backprop.grading.gradescope).
set -uo pipefail
root="${{{ROOT_VARIABLE}:-/autograder}}"
python="${{{PYTHON_VARIABLE}:-$root/venv/bin/python}}"
export PYTHONPATH="$root/source/lib"
exec "$python" -m manual_backprop.grading.gradescope run --root "$root"
"""


@dataclass(frozen=True)
class AutograderConfig:
    """What the autograder checks and how it scores.

    Args:
        function: the function to check in the student's file.
        options: the check's options, as on its command line (``("--max-examples", "200")``).
        points: the test's ``max_score``: all of it for a function that agrees, else 0.
        timeout: seconds for the check (then the submission gets 0 and says so).
        visibility: Gradescope's visibility of the results (``VISIBILITIES``).
        lang: the language of the messages of our own (the report's is ``--lang`` in
            ``options``).
    """

    function: str
    options: tuple[str, ...] = ()
    points: float = 10.0
    timeout: float = 600.0
    visibility: str = "visible"
    lang: str = "en"

    def __post_init__(self) -> None:
        if not isinstance(self.function, str) or not self.function.isidentifier():
            raise ValueError(f"`function` must be a Python name, got {self.function!r}")
        if not isinstance(self.options, tuple) or not all(isinstance(o, str)
                                                          for o in self.options):
            raise TypeError(f"`options` must be a tuple of str, got {self.options!r}")
        for name in ("points", "timeout"):
            value = getattr(self, name)
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or value <= 0):
                raise ValueError(f"`{name}` must be a finite number > 0, got {value!r}")
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"`visibility` must be one of {', '.join(VISIBILITIES)}, got "
                             f"{self.visibility!r}")
        if self.lang not in ("en", "ko"):
            raise ValueError(f"`lang` must be en or ko, got {self.lang!r}")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AutograderConfig:
        """The config ``config.json`` holds (its ``version`` aside)."""
        fields = {k: v for k, v in data.items() if k != "version"}
        fields["options"] = tuple(fields.get("options", ()))
        return cls(**fields)


def _pins() -> list[str]:
    pins = []
    for name in REQUIREMENTS:
        try:
            pins.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pins.append(name)
    return pins


def _add(bundle: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(info, data)


def build_bundle(config: AutograderConfig, output: Path) -> Path:
    """Write the autograder zip of ``config`` to ``output`` (see the module's docstring);
    returns ``output``. The same config and code give the same bytes."""
    if not isinstance(config, AutograderConfig):
        raise TypeError(f"`config` must be an AutograderConfig, got {type(config).__name__}")
    if not isinstance(output, Path):
        raise TypeError(f"`output` must be a pathlib.Path, got {type(output).__name__}")
    sources: list[tuple[str, Path]] = []
    for package in _PACKAGES:
        module = sys.modules.get(package) or __import__(package)
        base = Path(str(module.__file__)).resolve().parent
        sources += [(f"lib/{package}/{p.relative_to(base).as_posix()}", p)
                    for p in sorted(base.rglob("*"))
                    if p.is_file() and p.suffix in _SUFFIXES and "__pycache__" not in p.parts]
    settings = {"version": __version__, **asdict(config), "options": list(config.options)}
    with zipfile.ZipFile(output, "w") as bundle:
        _add(bundle, "setup.sh", SETUP_SH.encode(), executable=True)
        _add(bundle, "run_autograder", RUN_AUTOGRADER.encode(), executable=True)
        _add(bundle, "requirements.txt", ("\n".join(_pins()) + "\n").encode())
        _add(bundle, "config.json", (json.dumps(settings, indent=2, sort_keys=True,
                                                ensure_ascii=False) + "\n").encode())
        for name, path in sources:
            _add(bundle, name, path.read_bytes())
    return output


# -- grading a submission -------------------------------------------------------------------------

def _check(python: str, target: str, config: AutograderConfig, cwd: Path
           ) -> tuple[dict[str, Any] | None, str, str]:
    """The check's JSON (None if it gave none), and otherwise what to say and the verdict
    (``timeout`` or ``error``)."""
    argv = [python, "-m", "manual_backprop", "check", target, *config.options, "--json"]
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                              timeout=config.timeout)
    except subprocess.TimeoutExpired:
        return None, _("timeout: no verdict within {timeout:g} s").format(
            timeout=config.timeout), Verdict.TIMEOUT.value
    lines = [x for x in done.stdout.splitlines() if x.strip()]
    if done.returncode in (0, 1, 3) and lines:
        try:
            answer = json.loads(lines[-1])
        except ValueError:
            answer = None
        if isinstance(answer, dict) and answer.get("verdict") in {v.value for v in Verdict}:
            return answer, "", ""
    tail = "\n".join(done.stderr.strip().splitlines()[-20:])
    return None, _("error: the check gave no verdict (exit status {status})").format(
        status=done.returncode) + (f"\n\n{tail}" if tail else ""), Verdict.ERROR.value


def results(config: AutograderConfig, answer: dict[str, Any] | None, said: str,
            seconds: float, *, verdict: str | None = None,
            diagnosis: Sequence[str] = ()) -> dict[str, Any]:
    """Gradescope's results.json for the check's JSON ``answer`` (or, without one, the
    message ``said`` and the ``verdict`` code, default ``error``)."""
    if answer is not None:
        verdict = str(answer["verdict"])
        passed = bool(answer.get("ok")) and Verdict(verdict) in PASSING
        output = str(answer.get("report", ""))
        diagnosis = [str(d) for d in answer.get("diagnosis", [])]
    else:
        verdict = verdict or Verdict.ERROR.value
        passed = False
        output = said
    earned = float(config.points) if passed else 0.0
    with use_language(config.lang):
        name = _("{function} agrees with jax.grad").format(function=config.function)
    return {
        "score": earned,
        "execution_time": max(0, round(seconds)),
        "output": output,
        "visibility": config.visibility,
        "stdout_visibility": "hidden",
        "extra_data": {"verdict": verdict, "diagnosis": list(diagnosis)},
        "tests": [{"name": name, "score": earned, "max_score": float(config.points),
                   "status": "passed" if passed else "failed", "output": output,
                   "visibility": config.visibility}],
    }


def run(root: Path, python: str | None = None) -> dict[str, Any]:
    """Grade ``root/submission`` as ``root/source/config.json`` says, write
    ``root/results/results.json`` and return what it holds."""
    config = AutograderConfig.from_json(
        json.loads((root / "source" / "config.json").read_text("utf-8")))
    started = time.monotonic()
    with use_language(config.lang):
        submission = root / "submission"
        found = (choose_in_folder(submission, config.function) if submission.is_dir()
                 else Found(submission.name, submission.name, None, "no_file"))
        if found.path is None:
            row = problem_row(found)
            data = results(config, None, "\n".join(row.diagnosis_text), 0.0,
                           verdict=row.verdict.value, diagnosis=row.diagnosis)
        else:
            answer, said, verdict = _check(python or sys.executable,
                                           f"{found.path}:{config.function}", config,
                                           found.path.parent)
            data = results(config, answer, said, time.monotonic() - started,
                           verdict=verdict or None)
    out = root / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m manual_backprop.grading.gradescope run [--root DIR]`` (what
    ``run_autograder`` runs): 0 once results.json is written, whatever the verdict."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "run" or len(args) not in (1, 3) or (
            len(args) == 3 and args[1] != "--root"):
        print("usage: python -m manual_backprop.grading.gradescope run [--root DIR]",
              file=sys.stderr)
        return 2
    root = Path(args[2] if len(args) == 3 else os.environ.get(ROOT_VARIABLE, "/autograder"))
    run(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
