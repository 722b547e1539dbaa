"""The Gradescope autograder (``manual_backprop.grading.gradescope``, ``manual-backprop
autograder gradescope``): the zip has setup.sh and run_autograder at its root (executable) and
a copy of this package; its run_autograder, run on a simulated ``/autograder`` tree in a
temporary directory with nothing of this worktree on the path, writes results.json in
Gradescope's documented format for a correct, a wrong, a broken and a missing submission."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from manual_backprop.cli.autograder import main as autograder_main
from manual_backprop.grading.gradescope import (
    PYTHON_VARIABLE,
    ROOT_VARIABLE,
    VISIBILITIES,
    AutograderConfig,
    build_bundle,
    results,
    run,
)

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "catalogue" / "correct" / "loops.py"
WRONG = ROOT / "catalogue" / "buggy" / "sign_flipped.py"

# Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder
# Specifications"): the top-level keys and each test's keys it documents
TOP = {"score", "execution_time", "output", "output_format", "test_output_format",
       "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
       "leaderboard"}
TEST = {"score", "max_score", "status", "name", "name_format", "number", "output",
        "output_format", "tags", "visibility", "extra_data"}


def validate(data: dict[str, Any]) -> None:
    """``data`` holds only documented fields, of the documented types."""
    assert set(data) <= TOP, set(data) - TOP
    assert isinstance(data["score"], float)
    assert isinstance(data["execution_time"], int) and data["execution_time"] >= 0
    assert isinstance(data["output"], str)
    assert data["visibility"] in VISIBILITIES and data["stdout_visibility"] in VISIBILITIES
    assert isinstance(data["extra_data"], dict)
    assert isinstance(data["tests"], list) and data["tests"]
    for test in data["tests"]:
        assert set(test) <= TEST, set(test) - TEST
        assert isinstance(test["name"], str) and test["name"]
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] == test["max_score"])
        assert isinstance(test["output"], str) and test["visibility"] in VISIBILITIES
    assert data["score"] == sum(t["score"] for t in data["tests"])


def _autograder(tmp_path: Path, *options: str) -> Path:
    """A simulated /autograder: the bundle unzipped in source/, as Gradescope does."""
    zip_path = tmp_path / "autograder.zip"
    assert autograder_main(["gradescope", "--function", "backprop", "--max-examples", "30",
                            "--points", "5", *options, "-o", str(zip_path)]) == 0
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as bundle:
        bundle.extractall(root / "source")
        for info in bundle.infolist():                 # extractall drops the modes
            (root / "source" / info.filename).chmod(info.external_attr >> 16 & 0o777)
    return root


def _grade(root: Path, *files: Path) -> dict[str, Any]:
    submission = root / "submission"
    shutil.rmtree(submission, ignore_errors=True)
    submission.mkdir()
    for f in files:
        shutil.copy(f, submission / f.name)
    shutil.rmtree(root / "results", ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({ROOT_VARIABLE: str(root), PYTHON_VARIABLE: sys.executable})
    done = subprocess.run([str(root / "source" / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads((root / "results" / "results.json").read_text("utf-8"))
    validate(data)
    return data


def test_the_bundle_has_its_scripts_at_the_root_and_is_reproducible(tmp_path: Path) -> None:
    config = AutograderConfig("backprop", ("--max-examples", "30"), points=5)
    first = build_bundle(config, tmp_path / "a.zip").read_bytes()
    assert build_bundle(config, tmp_path / "b.zip").read_bytes() == first
    with zipfile.ZipFile(tmp_path / "a.zip") as bundle:
        names = bundle.namelist()
        modes = {i.filename: i.external_attr >> 16 for i in bundle.infolist()}
        assert names[:4] == ["setup.sh", "run_autograder", "requirements.txt", "config.json"]
        for script in ("setup.sh", "run_autograder"):
            assert modes[script] & stat.S_IXUSR and bundle.read(script).startswith(b"#!")
        assert "lib/manual_backprop/grading/gradescope.py" in names
        assert "lib/reference/check.py" in names
        assert "lib/manual_backprop/i18n/ko/grading.po" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        pins = bundle.read("requirements.txt").decode().split()
        assert [p.split("==")[0] for p in pins] == ["numpy", "jax", "jaxlib", "hypothesis",
                                                    "nbformat"]
        assert json.loads(bundle.read("config.json"))["options"] == ["--max-examples", "30"]
        for script in ("setup.sh", "run_autograder"):             # bash parses them
            subprocess.run(["bash", "-n"], input=bundle.read(script), check=True)


def test_forbid_imports_goes_to_each_check(tmp_path: Path) -> None:
    assert autograder_main(["gradescope", "--function", "backprop", "--forbid-imports",
                            "jax,torch", "-o", str(tmp_path / "a.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "a.zip") as bundle:
        assert json.loads(bundle.read("config.json"))["options"] == [
            "--forbid-imports", "jax,torch", "--lang", "en"]


def test_run_autograder_on_a_simulated_autograder_tree(tmp_path: Path) -> None:
    root = _autograder(tmp_path)

    right = _grade(root, CORRECT)
    assert right["score"] == 5.0 and right["tests"][0]["status"] == "passed"
    assert right["extra_data"] == {"verdict": "agrees", "diagnosis": []}
    assert right["output"].startswith("OK: agrees with jax.grad on 30 networks")
    assert right["tests"][0]["name"] == "backprop agrees with jax.grad"

    wrong = _grade(root, WRONG)
    assert wrong["score"] == 0.0 and wrong["tests"][0]["status"] == "failed"
    assert wrong["extra_data"]["verdict"] == "wrong"
    assert "sign" in wrong["extra_data"]["diagnosis"]
    assert wrong["output"] == wrong["tests"][0]["output"] and "jax.grad" in wrong["output"]

    broken = tmp_path / "broken.py"
    broken.write_text("def backprop(weights, X, Y)\n    return weights\n")
    error = _grade(root, broken)
    assert (error["score"], error["extra_data"]["verdict"]) == (0.0, "error")
    assert "SyntaxError" in error["output"]

    helper = tmp_path / "helpers.py"
    helper.write_text("def sigmoid(z):\n    return z\n")
    several = _grade(root, helper, CORRECT)        # the file that defines the function
    assert several["score"] == 5.0

    nothing = _grade(root)
    assert nothing["extra_data"] == {"verdict": "error", "diagnosis": ["no_file"]}
    assert nothing["output"] == "no .py or .ipynb file in the folder submission"
    (root / "submission").rmdir()
    assert run(root)["extra_data"] == nothing["extra_data"]


def test_strict_caveats_and_a_timeout_score_nothing() -> None:
    config = AutograderConfig("backprop", points=3, visibility="after_published")
    caveat = {"verdict": "agrees_with_caveats", "ok": True, "report": "r", "diagnosis": []}
    assert results(config, caveat, "", 1.2)["score"] == 3.0
    strict = {**caveat, "ok": False}
    data = results(config, strict, "", 1.2)
    validate(data)
    assert data["score"] == 0.0 and data["visibility"] == "after_published"
    late = results(config, None, "timeout: no verdict within 600 s", 600.4, verdict="timeout")
    validate(late)
    assert (late["score"], late["extra_data"]["verdict"], late["execution_time"]) == (
        0.0, "timeout", 600)


def test_bad_autograder_options_are_usage_errors(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert autograder_main(["gradescope", "--function", "backprop", "--returns", "gradient",
                            "--alpha", "2", "-o", str(tmp_path / "a.zip")]) == 2
    assert capsys.readouterr().err.strip() == ("manual-backprop autograder: error: --alpha goes "
                                               "with --returns update")
    assert autograder_main(["canvas", "--function", "backprop"]) == 2
    assert "invalid choice: 'canvas'" in capsys.readouterr().err
    assert not (tmp_path / "a.zip").exists()
    with pytest.raises(ValueError, match="`visibility` must be one of hidden, after_due_date"):
        AutograderConfig("backprop", visibility="students")
    with pytest.raises(ValueError, match="`points` must be a finite number > 0, got 0"):
        AutograderConfig("backprop", points=0)
