"""The command line behaves like a good Unix tool: a reader that goes away (``| head``) and
Ctrl-C end it quietly, with no traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
        time.sleep(4)                           # inside the search by then
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and b"Traceback" not in err + out, (proc.returncode, err)
