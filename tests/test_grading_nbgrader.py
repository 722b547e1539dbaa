"""The nbgrader recipe of docs/classroom.md, run by nbgrader itself (marked ``nbgrader``: it
needs the extra, ``pip install '.[test,nbgrader]'``, and runs on its own in .ci/run).

The recipe's own block (the Python block of docs/classroom.md that defines
``write_assignment``) writes the source notebook; ``nbgrader generate_assignment`` releases it;
three students submit (a correct function, a sign flipped, the release untouched);
``nbgrader autograde`` and ``nbgrader export`` give 10, 0 and 0 points, the wrong one's
feedback holds the check's report, and nbgrader has no complaint about the test cell's
output."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

pytestmark = pytest.mark.nbgrader

ROOT = Path(__file__).resolve().parent.parent


def _recipe() -> dict[str, Any]:
    text = (ROOT / "docs" / "classroom.md").read_text("utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S)
              if "def write_assignment(" in b]
    assert len(blocks) == 1, "docs/classroom.md has one nbgrader recipe"
    namespace: dict[str, Any] = {}
    exec(compile(blocks[0], "docs/classroom.md (nbgrader recipe)", "exec"), namespace)
    return namespace


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}      # the kernels import reference
    bindir = Path(sys.executable).parent
    done = subprocess.run([str(bindir / "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_nbgrader_autogrades_the_recipe(tmp_path: Path) -> None:
    course = tmp_path / "course"
    _recipe()["write_assignment"](course / "source" / "hw1" / "backprop.ipynb")
    (course / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "backprop"\n'
        'c.CourseDirectory.db_assignments = [dict(name="hw1")]\n'
        'c.CourseDirectory.db_students = [dict(id="alice"), dict(id="bob"), dict(id="carol")]\n')
    _nbgrader(course, "generate_assignment", "hw1", "--force")
    release = course / "release" / "hw1" / "backprop.ipynb"
    assert "raise NotImplementedError()" in release.read_text("utf-8")

    functions = {"alice": (ROOT / "catalogue" / "correct" / "loops.py").read_text("utf-8"),
                 "bob": (ROOT / "catalogue" / "buggy" / "sign_flipped.py").read_text("utf-8"),
                 "carol": None}
    for student, code in functions.items():
        notebook = nbformat.read(str(release), as_version=4)
        if code is not None:
            notebook.cells[0].source = code
        target = course / "submitted" / student / "hw1" / "backprop.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, str(target))

    graded = _nbgrader(course, "autograde", "hw1", "--force")
    assert "partial credit" not in graded.stderr, "the test cell must show no output"
    _nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as f:
        scores = {row["student_id"]: (float(row["score"]), float(row["max_score"]))
                  for row in csv.DictReader(f)}
    assert scores == {"alice": (10.0, 10.0), "bob": (0.0, 10.0), "carol": (0.0, 10.0)}

    bob = nbformat.read(str(course / "autograded" / "bob" / "hw1" / "backprop.ipynb"),
                        as_version=4)
    error = next(o for o in bob.cells[1].outputs if o.output_type == "error")
    assert error.ename == "AssertionError"
    assert "disagrees with jax.grad" in error.evalue and "sign" in error.evalue
