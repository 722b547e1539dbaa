"""The command line: ``manual-backprop SUBCOMMAND ...`` is the subcommand's ``main``, without a
subcommand it is the verification report; and it behaves like a good Unix tool: a reader that
goes away (``| head``) and Ctrl-C end it quietly, with no traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from manual_backprop import cli

ROOT = Path(__file__).resolve().parent.parent


def _json_of(status: int, capsys: pytest.CaptureFixture[str]) -> object:
    assert status == 0
    return json.loads(capsys.readouterr().out)


def test_a_subcommand_is_its_main_with_the_rest_of_the_arguments(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop xor ARGS`` is ``xor.main(ARGS)``, the arguments given as a list or read
    from sys.argv."""
    from manual_backprop.cli import xor

    args = ["--epochs", "2", "--hidden", "2", "--json"]
    direct = _json_of(xor.main(args), capsys)
    assert _json_of(cli.main(["xor", *args]), capsys) == direct
    monkeypatch.setattr(sys, "argv", ["manual-backprop", "xor", *args])
    assert _json_of(cli.main(), capsys) == direct


def test_the_exit_status_of_a_subcommand_is_returned(capsys: pytest.CaptureFixture[str]) -> None:
    """A usage error of a subcommand is its exit status 2, returned as an int."""
    status = cli.main(["check", "no_such_file.py:f"])
    assert status == 2 and type(status) is int
    assert "no such file" in capsys.readouterr().err


def test_without_a_subcommand_it_is_the_verification_report(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop --json`` is the report of the arguments given (not of sys.argv), and
    the report finds the kernel right."""
    from manual_backprop.cli import report

    monkeypatch.setattr(sys, "argv", ["pytest", "--not-an-option"])
    via_cli = _json_of(cli.main(["--json"]), capsys)
    assert via_cli == _json_of(report.main(["--json"]), capsys)
    assert isinstance(via_cli, dict) and via_cli["ok"] is True


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    # 20,000 epochs of loss values as JSON: far more than a pipe's buffer holds
    with subprocess.Popen([sys.executable, "-m", "manual_backprop", "xor", "--json",
                           "--epochs", "20000"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=ROOT) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()                     # what `| head -c 10` does
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141 and err == "", err


def test_ctrl_c_ends_the_command_quietly() -> None:
    with subprocess.Popen([sys.executable, "-m", "manual_backprop", "check",
                           "catalogue/correct/loops.py:backprop", "--max-examples", "100000"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) as proc:
        try:
            time.sleep(4)                       # inside the search by then
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        finally:
            proc.kill()                         # never leave it running (nor the suite waiting)
    assert proc.returncode == 130 and b"Traceback" not in err + out, (proc.returncode, err)
