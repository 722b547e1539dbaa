"""A judge of a class run: one process that lives for the whole run, imports jax once and
checks submission after submission, each in a fresh sandbox of its own.

    python -m manual_backprop.classroom.judge

It never runs submission code: ``check FILE:FUNC`` (``manual_backprop.cli.check.main``) runs
the function in a sandbox on the copy the run made (``cli.sandboxing.Prepared``). It speaks
JSON lines with the run (``run``): on its stdin, one request per submission,
``{"id", "argv", "run_dir", "copy", "timeout", "deadline", "memory_mb"}``; on its stdout (the
file descriptor it had at its start; descriptor 1 is then made its stderr, so nothing else
can write there) ``{"type": "ready"}`` once jax is loaded, then for each request
``{"type": "done", "id", "status", "stdout", "stderr"}``: the check's exit status and what it
printed, which the run reads as a check's output (``interpret``). It ends at the end of its
stdin.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any, TextIO

__all__ = ["main", "serve"]


def serve(requests: TextIO, answers: TextIO) -> None:
    """Answer every request of ``requests`` on ``answers`` (see the module docstring)."""
    import numpy as np

    from reference import gradients
    from reference.jax_scope import x64

    from ..cli.args import language_of
    from ..cli.check import main as check
    from ..cli.sandboxing import Prepared
    from ..i18n import use_language

    with x64():                                  # load and compile before the first request
        gradients([np.ones((2, 2))], np.ones((2, 2)), np.ones((2, 2)))
    _answer(answers, {"type": "ready"})
    for line in requests:
        request: dict[str, Any] = json.loads(line)
        argv = [str(a) for a in request["argv"]]
        prepared = Prepared(Path(request["run_dir"]), Path(request["copy"]),
                            float(request["timeout"]), float(request["deadline"]),
                            int(request["memory_mb"]))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                with use_language(language_of(argv)):
                    status = check(argv, prepared=prepared)
            except SystemExit as exc:            # argparse
                status = exc.code if isinstance(exc.code, int) else 2
            except Exception:                    # a bug of ours: that submission's error
                traceback.print_exc()
                status = 70
        _answer(answers, {"type": "done", "id": request["id"], "status": status,
                          "stdout": out.getvalue(), "stderr": err.getvalue()})


def _answer(answers: TextIO, message: dict[str, Any]) -> None:
    answers.write(json.dumps(message, ensure_ascii=False) + "\n")
    answers.flush()


def main() -> int:
    """Serve stdin, answering on the stdout this process was started with."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    requests = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8")
    serve(requests, answers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
