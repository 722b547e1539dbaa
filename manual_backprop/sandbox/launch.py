"""The sandbox's first process: isolate, then serve the protocol (``serve``).

The judge starts it as ``python -I -B -c BOOTSTRAP CONFIG`` (``BOOTSTRAP`` puts the run's copy
of this package first on ``sys.path``; CONFIG is a JSON object, ``Config``), with the
protocol's pipes on file descriptors 3 (judge → sandbox) and 4 (sandbox → judge) and its
stdout and stderr captured. This process (the *launcher*) dies with the judge, unshares the
namespaces (``linux.unshare_namespaces``) and forks the *guest*, the first process of the new
PID namespace, which mounts a tmpfs on its directory, gives up root, sets its limits, restricts
itself with Landlock and seccomp, says which isolation it got (a ``ready`` message, before any
submission code has run) and serves. The launcher waits for the guest and exits with its
status; without a PID namespace it is a subreaper and kills whatever is left.

A layer that the kernel lacks is left out and reported, never silently: the judge decides
whether the run may go on (``--require-isolation``).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TypedDict

from . import linux
from .wire import write_frame

__all__ = ["BOOTSTRAP", "Config", "main"]

BOOTSTRAP = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from manual_backprop.sandbox.launch import main; main(sys.argv[2])")
"""The program the judge runs: ``python -I -B -c BOOTSTRAP LIB CONFIG``."""


class Config(TypedDict):
    """What the judge tells the launcher. read: paths the guest may read (the Python
    installation, the run's copy of this package, its own copy of the submission); home: its
    directory, where a tmpfs of ``tmp_mb`` is mounted (or, without a mount namespace, the
    directory itself) and the only place it may write; memory_mb, cpu_seconds, processes,
    file_mb: its limits; parent: the judge's pid; probe: only say which isolation there is;
    fds: the protocol's pipes (judge → sandbox, sandbox → judge)."""

    read: list[str]
    home: str
    memory_mb: int
    cpu_seconds: int
    processes: int
    file_mb: int
    tmp_mb: int
    parent: int
    probe: bool
    fds: list[int]


_OUT = 4


def _try(report: dict[str, Any], key: str, action: Any) -> Any:
    try:
        value = action()
    except OSError as exc:
        report[key] = False
        report.setdefault("errors", []).append(f"{key}: {exc.strerror or exc}")
        return None
    report[key] = True if value is None else value
    return value


def _guest(config: Config, report: dict[str, Any]) -> None:
    """The guest's isolation, in order; then the ``ready`` message (and ``serve``)."""
    linux.die_with_parent()
    os.setsid()
    home = config["home"]
    if report["namespaces"]:
        def tmpfs() -> None:
            linux.mount_private()
            linux.mount_tmpfs(home, config["tmp_mb"],
                              linux.NOBODY if report["root"] else os.geteuid(),
                              linux.NOBODY if report["root"] else os.getegid())

        _try(report, "tmpfs", tmpfs)
    else:
        report["tmpfs"] = False
    if report["root"] and report["tmpfs"]:       # pyenv's Python under /root (0700)
        _try(report, "exposed", lambda: linux.expose(config["read"], home))
    if report["root"]:
        _try(report, "unprivileged", linux.drop_root)
    else:
        _try(report, "unprivileged", linux.drop_capabilities)
    linux.die_with_parent()          # a change of user clears PR_SET_PDEATHSIG: again
    _try(report, "rlimits", lambda: linux.set_limits(
        processes=config["processes"], file_mb=config["file_mb"],
        cpu_seconds=config["cpu_seconds"], memory_mb=config["memory_mb"]))
    _try(report, "landlock", lambda: linux.landlock(config["read"], [home]))
    _try(report, "seccomp", linux.seccomp)
    os.chdir(home)
    os.environ.update(HOME=home, TMPDIR=home, MPLCONFIGDIR=home, PYTHONHASHSEED="0")
    write_frame(_OUT, {"type": "ready", "isolation": report})
    if config["probe"]:
        os._exit(0)
    from .serve import serve

    status = serve(3, _OUT)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _protocol_fds(fd_in: int, fd_out: int) -> None:
    """The judge's pipes on file descriptors 3 and 4, whatever numbers they came with."""
    import fcntl

    high_in = fcntl.fcntl(fd_in, fcntl.F_DUPFD, 10)
    high_out = fcntl.fcntl(fd_out, fcntl.F_DUPFD, 10)
    os.close(fd_in)
    os.close(fd_out)
    os.dup2(high_in, 3)
    os.dup2(high_out, _OUT)
    os.close(high_in)
    os.close(high_out)


def main(raw: str) -> None:
    """Run the launcher with the JSON ``Config`` ``raw``; never returns."""
    config: Config = json.loads(raw)
    _protocol_fds(*config["fds"])
    try:
        linux.die_with_parent()
    except OSError:
        pass
    if os.getppid() != config["parent"]:           # the judge died before prctl
        os._exit(1)
    root = os.geteuid() == 0
    report: dict[str, Any] = {"root": root, "kernel": os.uname().release}
    _try(report, "namespaces", lambda: linux.unshare_namespaces(user=not root))
    if not report["namespaces"]:
        _try(report, "subreaper", linux.subreaper)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            _guest(config, report)
        except SystemExit as exc:                  # the submission's sys.exit()
            sys.stdout.flush()
            code = exc.code
            os._exit(code if isinstance(code, int) else 0 if code is None else 1)
        except BaseException as exc:               # a bug of ours: say so and end
            print(f"sandbox: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            os._exit(70)
    for fd in (3, _OUT):                           # only the guest speaks the protocol
        os.close(fd)
    _pid, status = os.waitpid(pid, 0)
    if not report["namespaces"]:
        linux.kill_descendants()
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)
