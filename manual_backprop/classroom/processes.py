"""The class run's processes: started under limits, in a process group of their own, read
without blocking, killed whole.

A process is started as ``sys.executable -c LIMITER MEMORY_MB PARENT ARGV...``: its address
space limited (``RLIMIT_AS``), no core dumps and (Linux) SIGKILL when the run dies, then it
becomes ``ARGV`` (exec). A program and not a ``preexec_fn``: Python code between fork and
exec in a process where jax runs threads may deadlock (jax warns of it), and the exec'd
program starts clean. Nothing here imports jax.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import manual_backprop

__all__ = ["LIMITER", "Process", "child_env", "kill_group", "limited"]

_CHILD_ENV = {                          # unless set already: one thread each, fewer arenas
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",            # glibc: 64 MB of address space per thread otherwise
}
_KEEP_STDOUT = 16 << 20                 # bytes of a process's output kept (the end of it)
_KEEP_STDERR = 64 << 10

LIMITER = """\
import ctypes, os, resource, signal, sys
limit = int(sys.argv[1]) << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
if sys.platform.startswith("linux"):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != int(sys.argv[2]):      # the run died before prctl
        os._exit(1)
os.execv(sys.argv[3], sys.argv[3:])
"""
"""The first program of every process of a class run (see the module docstring)."""


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a class run's processes: this one's, one thread per numerical
    library, and this checkout first on ``PYTHONPATH`` (unless it is installed), then
    ``extra``."""
    env = dict(os.environ)
    for key, value in _CHILD_ENV.items():
        env.setdefault(key, value)
    root = str(Path(manual_backprop.__file__).resolve().parent.parent)
    if Path(root).name not in ("site-packages", "dist-packages"):   # run this very code
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def limited(argv: Sequence[str], memory_mb: int) -> list[str]:
    """``argv`` run under the limits of ``LIMITER``."""
    return [sys.executable, "-c", LIMITER, str(memory_mb), str(os.getpid()), *argv]


def kill_group(pid: int) -> None:
    """SIGKILL to the process group ``pid`` (gone already: nothing)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Process:
    """A process of the run (leader of its own process group), its stdout and stderr read
    into ``out`` and ``err`` (their ends) as ``selector`` says they are ready (the key's data
    is this object). ``stdin``: whether it gets a pipe (``send``) or /dev/null."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], memory_mb: int,
                 selector: selectors.BaseSelector, stdin: bool = False) -> None:
        self.selector = selector
        self.started = time.monotonic()
        self.out = bytearray()
        self.err = bytearray()
        self.proc = subprocess.Popen(limited(argv, memory_mb),
                                     stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                     start_new_session=True)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.pipes = {self.proc.stdout.fileno(): self.out, self.proc.stderr.fileno(): self.err}
        for fd in self.pipes:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ, self)

    def send(self, line: bytes) -> bool:
        """Write ``line`` to its stdin; False if it is gone."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            return False
        return True

    def read(self, fd: int) -> None:
        """Read what ``fd`` (its stdout or stderr) has; at its end, stop watching it."""
        buffer = self.pipes[fd]
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            self.selector.unregister(fd)
            del self.pipes[fd]
            return
        buffer += chunk
        keep = _KEEP_STDOUT if buffer is self.out else _KEEP_STDERR
        if len(buffer) > keep:
            del buffer[: len(buffer) - keep]

    def exited(self) -> bool:
        """Whether the process has ended (it is not reaped yet: its group id stays its own)."""
        info = os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        return info is not None

    def finish(self) -> int:
        """Kill the group (whatever the process started), collect the output, reap; returns
        the exit status (negative: the signal that ended it)."""
        kill_group(self.proc.pid)
        deadline = time.monotonic() + 2.0            # a writer that left the group
        while self.pipes and time.monotonic() < deadline:
            for fd in list(self.pipes):
                self.read(fd)
            if self.pipes:
                time.sleep(0.01)
        for fd in list(self.pipes):
            self.selector.unregister(fd)
        self.pipes.clear()
        status = self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        return status
