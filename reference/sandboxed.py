"""The judge's side of the sandbox: a submission's function, called in a sandbox process.

    with Runtime() as runtime:                                  # one per run
        sandbox = Sandbox(runtime, runtime.copy(Path("alice.py")), "backprop",
                          filename="alice.py", limits=Limits(timeout=60))
        fn = sandbox.start()        # a SandboxedFunction (LoadFailure if it is not there)
        result = reference.check.check_backprop(fn)            # the checker, unchanged
        sandbox.close()

The judge never imports the submission: ``Sandbox`` starts ``manual_backprop.sandbox.launch``
(numpy and the standard library only) on the run's copy of it, and speaks the protocol of
``manual_backprop.sandbox.serve`` over two pipes it created. ``SandboxedFunction`` stands for
the function: its ``__signature__`` and ``__name__`` are the ones the sandbox reported, and a
call sends the arrays, waits for the answer (until the submission's deadline), writes the
arguments as the call left them back into the arrays and lists it was given (so the checker
sees changes in place), re-issues the numpy warnings the call raised and raises a
``RemoteError`` (an Exception named as the submission's was, with the frame it came from) when
the function raised. Everything else — a sandbox that dies, is late, says something outside
the protocol or returns an object that is not plain data — raises ``SandboxFailure``, a
BaseException that the checker does not catch, ending that submission's check as ``error`` or
``timeout``. So does the sandbox's ``forbidden`` (``forbid``: the modules of
``--forbid-imports``): the submission tried to import one of them, caught or not, and the
check ends as ``error`` with the code ``forbidden_import``.
"""

from __future__ import annotations

import inspect
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

import manual_backprop
from manual_backprop.i18n import _
from manual_backprop.sandbox.forbid import forbidden_message
from manual_backprop.sandbox.launch import BOOTSTRAP
from manual_backprop.sandbox.wire import ProtocolError, decode, encode, read_frame, write_frame

__all__ = ["Limits", "LoadFailure", "RemoteError", "Runtime", "Sandbox", "SandboxFailure",
           "SandboxedFunction", "describe_isolation", "isolation_missing", "probe_isolation"]

_KEEP_OUTPUT = 64 << 10            # bytes of the sandbox's stdout and stderr kept (the end)
_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
        "PYTHONUNBUFFERED": "1",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2"}
_GRACE = 2.0                       # seconds a sandbox has to exit after ``bye``


class SandboxFailure(BaseException):
    """The submission's check ends here. kind: "error" or "timeout"; reason: one line (in the
    current language); output: the sandbox's stdout and stderr (their ends), as text; code:
    the reason as a stable code (``FAILURE_CODES``), for scripts and gradebooks.

    A BaseException: the checker catches Exception from the function it calls, and must not
    catch this."""

    def __init__(self, kind: str, reason: str, output: str = "", code: str = "crashed") -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.output = output
        self.code = code


class RemoteError(Exception):
    """The submission's function raised: the message is its message; ``frame`` where it was
    raised (``traceback.FrameSummary``, or None when the call itself failed). Each remote
    exception type gets a subclass of its own name (``_remote_class``), so that reports name
    it as an in-process check would."""

    frame: traceback.FrameSummary | None = None


_CLASSES: dict[str, type[RemoteError]] = {}


def _remote_class(name: str) -> type[RemoteError]:
    if not name.isidentifier():
        name = "Exception"
    if name not in _CLASSES:
        _CLASSES[name] = type(name, (RemoteError,), {"__module__": "sandbox"})
    return _CLASSES[name]


class LoadFailure(Exception):
    """The function could not be loaded (it raised on import, is missing, is not callable);
    the message is one line, as ``check`` prints a usage error. memory: it ran out of
    memory while loading."""

    def __init__(self, message: str, memory: bool = False) -> None:
        super().__init__(message)
        self.memory = memory


@dataclass(frozen=True)
class Limits:
    """A sandbox's limits: timeout (seconds for the whole check of one submission, from the
    sandbox's start), memory_mb (address space), processes, file_mb (the largest file it may
    write), tmp_mb (its writable directory, a tmpfs where there is a mount namespace)."""

    timeout: float = 60.0
    memory_mb: int = 2048
    processes: int = 32
    file_mb: int = 64
    tmp_mb: int = 64

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError(f"`timeout` is {self.timeout!r}; expected seconds > 0")
        for name in ("memory_mb", "processes", "file_mb", "tmp_mb"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"`{name}` is {value!r}; expected a whole number ≥ 1")


def _installation() -> list[str]:
    """What a sandbox may read of this machine: the Python installation (every entry of
    sys.path under its prefixes, the interpreter), the shared libraries, a few devices."""
    prefixes = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                              sys.base_exec_prefix)}
    paths = set(prefixes)
    paths.add(os.path.realpath(sys.executable))
    paths.update(["/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib",
                  "/etc/ld.so.cache", "/etc/localtime", "/dev/null", "/dev/zero",
                  "/dev/urandom"])
    return sorted(p for p in paths if os.path.exists(p))


class Runtime:
    """A run's directory: a copy of the sandbox's code (the ``manual_backprop`` package,
    numpy and the standard library only) and one directory per submission with its copy,
    made before any submission runs. Removed by ``close`` (or the ``with`` block's end)."""

    def __init__(self, parent: Path | None = None) -> None:
        self.owner = True
        self.dir = Path(tempfile.mkdtemp(prefix="manual-backprop-run-", dir=parent))
        os.chmod(self.dir, 0o711)                    # a sandbox may pass, never list
        self.lib = self.dir / "lib"
        source = Path(manual_backprop.__file__).resolve().parent
        shutil.copytree(source, self.lib / "manual_backprop",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for root, _dirs, files in os.walk(self.lib):
            os.chmod(root, 0o755)
            for name in files:
                os.chmod(os.path.join(root, name), 0o644)
        self._count = 0

    @classmethod
    def attach(cls, directory: Path) -> Runtime:
        """The runtime made by another process (a class run's, for its judges): its copies
        are there already; ``close`` leaves it to its maker."""
        if not (directory / "lib" / "manual_backprop").is_dir():
            raise ValueError(f"`directory` {str(directory)!r} is not a run's directory")
        runtime = cls.__new__(cls)
        runtime.owner = False
        runtime.dir = directory
        runtime.lib = directory / "lib"
        runtime._count = 0
        return runtime

    def copy(self, path: Path) -> Path:
        """Copy the submission ``path`` into a directory of its own; returns the copy."""
        return self.write(path.name, path.read_bytes())

    def write(self, filename: str, content: bytes,
              extra: Sequence[tuple[str, bytes]] = ()) -> Path:
        """Write a submission (``filename``, ``content``) and the files beside it that it may
        import (``extra``: (path relative to it, bytes) pairs) into a directory of their
        own; returns the submission's path there."""
        self._count += 1
        home = self.dir / str(self._count)
        src = home / "src"
        src.mkdir(parents=True)
        (home / "home").mkdir()
        os.chmod(home, 0o711)
        os.chmod(src, 0o755)
        for name, data in [*extra, (filename, content)]:
            target = src / name
            if src not in target.resolve().parents:
                raise ValueError(f"`extra` path {name!r} is not inside the submission's "
                                 "directory")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o644)
        if os.geteuid() == 0:                        # the sandbox writes as nobody
            os.chown(home / "home", 65534, 65534)
        return src / filename

    def close(self) -> None:
        """Remove the directory (if this object made it)."""
        if self.owner:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Drain(threading.Thread):
    """Reads a pipe to its end, keeping the last ``_KEEP_OUTPUT`` bytes."""

    def __init__(self, fd: int) -> None:
        super().__init__(daemon=True)
        self.fd = fd
        self.data = bytearray()

    def run(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            self.data += chunk
            if len(self.data) > _KEEP_OUTPUT:
                del self.data[: len(self.data) - _KEEP_OUTPUT]
        os.close(self.fd)


def _status_reason(code: int | None) -> str:
    if code is None:
        return _("the sandbox stopped answering")
    if code >= 128 and code - 128 in signal.valid_signals():
        name = signal.Signals(code - 128).name
        return _("killed by {signal}").format(signal=name)
    return _("exited with status {status} without a verdict").format(status=code)


class Sandbox:
    """One submission's sandbox (see the module docstring). ``copy``: the run's copy of the
    submission (``Runtime.copy``); function: its name; filename: the name its code is
    compiled under (the original path, as reports show it); cells: a notebook's code cells
    (``manual_backprop.cli.notebook.code_cells``), or None for a ``.py`` file; deadline: a
    ``time.monotonic()`` (system-wide on Linux: a class run's supervisor gives it) before
    ``limits.timeout`` from the start, if the submission's time began earlier; forbid: the
    modules the submission may not import (``--forbid-imports``; empty: any)."""

    def __init__(self, runtime: Runtime, copy: Path, function: str, *, filename: str,
                 cells: list[str] | None = None, all_cells: bool = False,
                 limits: Limits | None = None, lang: str = "en",
                 deadline: float | None = None, forbid: Iterable[str] = ()) -> None:
        self.runtime = runtime
        self.copy = copy
        self.function = function
        self.filename = filename
        self.cells = cells
        self.all_cells = all_cells
        self.limits = limits or Limits()
        self.lang = lang
        self.given_deadline = deadline
        self.forbid = sorted(set(forbid))
        if not all(isinstance(n, str) and n for n in self.forbid):
            raise ValueError(f"`forbid` must be module names, got {self.forbid!r}")
        self.isolation: dict[str, Any] = {}
        self.process: subprocess.Popen[bytes] | None = None
        self.deadline = 0.0
        self._calls = 0
        self._drains: list[_Drain] = []
        self._to = self._from = -1

    # -- the process --------------------------------------------------------------------------

    def _config(self, probe: bool) -> dict[str, Any]:
        home = self.copy.parent.parent / "home"
        return {"read": [*_installation(), str(self.runtime.lib), str(self.copy.parent)],
                "home": str(home), "memory_mb": self.limits.memory_mb,
                "cpu_seconds": max(1, int(self.limits.timeout) + 1),
                "processes": self.limits.processes, "file_mb": self.limits.file_mb,
                "tmp_mb": self.limits.tmp_mb, "parent": os.getpid(), "probe": probe,
                "fds": [0, 0]}

    def launch(self, probe: bool = False) -> dict[str, Any]:
        """Start the sandbox and read its ``ready``: the isolation it got (a dict)."""
        self.deadline = time.monotonic() + self.limits.timeout
        if self.given_deadline is not None:
            self.deadline = min(self.deadline, self.given_deadline)
        to_read, to_write = os.pipe()         # judge → sandbox
        from_read, from_write = os.pipe()     # sandbox → judge
        config = self._config(probe)
        config["fds"] = [to_read, from_write]
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", BOOTSTRAP, str(self.runtime.lib),
                 json.dumps(config)], stdin=subprocess.DEVNULL, stdout=out_write,
                stderr=err_write, pass_fds=(to_read, from_write), env=_ENV,
                start_new_session=True, cwd="/")
        finally:
            for fd in (to_read, from_write, out_write, err_write):
                os.close(fd)
        self._to, self._from = to_write, from_read
        self._drains = [_Drain(out_read), _Drain(err_read)]
        for drain in self._drains:
            drain.start()
        message, _blob = self._read()
        if message["type"] != "ready" or not isinstance(message.get("isolation"), dict):
            raise self._failure("error", _("the sandbox broke the protocol: {what}").format(
                what=message["type"]), "protocol")
        self.isolation = message["isolation"]
        return self.isolation

    def start(self) -> SandboxedFunction:
        """Launch, load the submission and return its function (LoadFailure if it cannot be
        loaded; SandboxFailure if the sandbox fails)."""
        if self.process is None:
            self.launch()
        self._write({"type": "load", "path": str(self.copy), "filename": self.filename,
                     "function": self.function, "cells": self.cells,
                     "all_cells": self.all_cells, "lang": self.lang,
                     "forbid": self.forbid})
        message, _blob = self._read()
        if message["type"] == "failed":
            raise self._load_failure(message)
        if message["type"] != "hello":
            raise self._failure("error", _("the sandbox broke the protocol: {what}").format(
                what=message["type"]), "protocol")
        return SandboxedFunction(self, message)

    def _load_failure(self, message: dict[str, Any]) -> LoadFailure:
        kind, where = message.get("kind"), self.filename
        if kind == "memory":
            return LoadFailure(_("memory limit ({memory_mb} MB) exceeded").format(
                memory_mb=self.limits.memory_mb), memory=True)
        if kind == "notebook":
            return LoadFailure(_string(message.get("message")))
        if kind == "missing":
            names = [n for n in message.get("names") or [] if isinstance(n, str)]
            hint = _(" (it defines: {names})").format(names=", ".join(names)) if names else ""
            return LoadFailure(_("{module} has no function {name!r}{hint}").format(
                module=where, name=self.function, hint=hint))
        if kind == "not_callable":
            return LoadFailure(_("{module}:{name} is a {type}, not a function").format(
                module=where, name=self.function, type=_string(message.get("type_name"))))
        if kind == "import":
            line = message.get("line")
            at = _(" (line {line})").format(line=line) if type(line) is int and line else ""
            error = _string(message.get("type_name"))
            if error == "MemoryError":
                return LoadFailure(_("memory limit ({memory_mb} MB) exceeded").format(
                    memory_mb=self.limits.memory_mb), memory=True)
            return LoadFailure(_("cannot import {module}: {error}: {message}{at}").format(
                module=where, error=error, message=_string(message.get("message")), at=at))
        raise self._failure("error", _("the sandbox broke the protocol: {what}").format(
            what="failed"), "protocol")

    def output(self) -> str:
        """The sandbox's stdout and stderr so far (their ends), as text."""
        parts = [bytes(d.data).decode("utf-8", "replace") for d in self._drains]
        return "".join(p if p.endswith("\n") or not p else p + "\n" for p in parts)

    def close(self) -> str:
        """Say ``bye``, give the sandbox ``_GRACE`` seconds, then kill its process group (the
        PID namespace dies with its first process); returns its output."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            try:
                write_frame(self._to, {"type": "bye"})
                self.process.wait(timeout=_GRACE)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._kill()
        for fd in (self._to, self._from):
            try:
                os.close(fd)
            except OSError:
                pass
        self._to = self._from = -1
        for drain in self._drains:
            drain.join(timeout=_GRACE)
        return self.output()

    def _kill(self) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- messages -----------------------------------------------------------------------------

    def _failure(self, kind: str, reason: str, code: str = "crashed") -> SandboxFailure:
        if self.process is not None:
            self._kill()
            for drain in self._drains:
                drain.join(timeout=_GRACE)
        return SandboxFailure(kind, reason, self.output(), code)

    def _write(self, header: dict[str, Any], blob: bytes = b"") -> None:
        try:
            write_frame(self._to, header, blob)
        except OSError:
            raise self._ended() from None

    def _ended(self) -> SandboxFailure:
        """The sandbox is gone (or going): why, from its exit status."""
        assert self.process is not None
        try:
            code = self.process.wait(timeout=max(0.1, min(_GRACE,
                                                          self.deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            code = None
        if code is not None and code == 128 + signal.SIGKILL and time.monotonic() >= (
                self.deadline - 0.05):
            return self._failure("timeout", self._late(), "timeout")
        if any(sign in self.output() for sign in ("MemoryError", "Cannot allocate memory",
                                                   "bad_alloc", "out of memory")):
            return self._failure("error", _("memory limit ({memory_mb} MB) exceeded").format(
                memory_mb=self.limits.memory_mb), "memory_limit")
        return self._failure("error", _status_reason(code))

    def _late(self) -> str:
        return _("no verdict within {timeout:g} s (killed)").format(timeout=self.limits.timeout)

    def _read(self) -> tuple[dict[str, Any], bytes]:
        def read(n: int) -> bytes:
            while True:
                left = self.deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                ready, _w, _x = select.select([self._from], [], [], left)
                if ready:
                    return os.read(self._from, n)

        try:
            message, blob = read_frame(read)
        except TimeoutError:
            raise self._failure("timeout", self._late(), "timeout") from None
        except EOFError:
            raise self._ended() from None
        except ProtocolError as exc:
            raise self._failure("error", _("the sandbox broke the protocol: {what}").format(
                what=exc), "protocol") from None
        if message["type"] == "forbidden":
            names = message.get("names")
            name = _string(names[0]) if isinstance(names, list) and names else ""
            raise self._failure("error", forbidden_message(name or "?"), "forbidden_import")
        return message, blob

    def call(self, args: tuple[Any, ...]) -> Any:
        """Call the function on ``args`` in the sandbox (see ``SandboxedFunction``)."""
        self._calls += 1
        call_id = self._calls
        tree, blob = encode(list(args))
        self._write({"type": "call", "id": call_id, "args": tree}, blob)
        message, data = self._read()
        kind = message["type"]
        if message.get("id") != call_id or kind not in ("returned", "raised", "not_plain"):
            raise self._failure("error", _("the sandbox broke the protocol: {what}").format(
                what=kind), "protocol")
        if kind == "not_plain":
            where = message.get("where")
            reason = (_("your function returned a {type}, which is not plain data (arrays, "
                        "lists, tuples, dicts, numbers, None)") if where == "result" else
                      _("your function left a {type} in its arguments, which is not plain "
                        "data")).format(type=_string(message.get("type_name")))
            raise self._failure("error", reason, "not_plain")
        _warn(message.get("warnings"))
        if kind == "raised":
            name = _string(message.get("type_name"))
            if name == "MemoryError":
                raise self._failure("error", _("memory limit ({memory_mb} MB) exceeded").format(
                    memory_mb=self.limits.memory_mb), "memory_limit")
            exc = _remote_class(name)(_string(message.get("message")))
            file, line = message.get("file"), message.get("line")
            if isinstance(file, str) and type(line) is int:
                exc.frame = traceback.FrameSummary(file, line, "", lookup_line=False,
                                                   line=_string(message.get("code")))
            raise exc
        try:
            value = decode(message.get("value"), data)
        except ProtocolError as exc:
            raise self._failure("error", _("the sandbox broke the protocol: {what}").format(
                what=exc), "protocol") from None
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)
                and len(value[1]) == len(args)):
            raise self._failure("error", _("the sandbox broke the protocol: {what}").format(
                what="returned"), "protocol")
        result, after = value
        for given, left in zip(args, after):
            if not _write_back(given, left):
                raise self._failure("error", _("your function changed the type or shape of "
                                               "an argument"), "changed_arguments")
        return result


def _string(value: Any) -> str:
    return value[:2000] if isinstance(value, str) else ""


_CATEGORIES: dict[str, type[Warning]] = {
    c.__name__: c for c in (RuntimeWarning, UserWarning, DeprecationWarning, FutureWarning,
                            PendingDeprecationWarning, SyntaxWarning, ImportWarning,
                            UnicodeWarning, BytesWarning, ResourceWarning, Warning)}


def _warn(caught: Any) -> None:
    """Re-issue the sandbox's warnings here (their text kept; a category not built in is a
    UserWarning)."""
    if not isinstance(caught, list):
        return
    for item in caught[:100]:
        if isinstance(item, list) and len(item) == 2:
            category = _CATEGORIES.get(_string(item[0]), UserWarning)
            warnings.warn(_string(item[1]), category, stacklevel=2)


def _write_back(given: Any, left: Any) -> bool:
    """Make ``given`` (an argument as sent) what the call left it as (``left``); False if it
    cannot be (another type or shape)."""
    if isinstance(given, np.ndarray):
        if not isinstance(left, np.ndarray) or left.shape != given.shape:
            return False
        given[...] = left
        return True
    if isinstance(given, list):
        if not isinstance(left, list):
            return False
        pairs = list(zip(given, left))
        if len(given) == len(left) and all(_write_back(g, x) for g, x in pairs):
            return True
        given[:] = left                       # replaced, added or removed items
        return True
    return True                               # a number: passed by value


class SandboxedFunction:
    """Stands for the submission's function (see the module docstring)."""

    def __init__(self, sandbox: Sandbox, hello: dict[str, Any]) -> None:
        self._sandbox = sandbox
        self.__name__ = self.__qualname__ = _string(hello.get("name")) or sandbox.function
        self.skipped = [_string(s) for s in hello.get("skipped") or [] if isinstance(s, str)]
        self.__signature__ = _signature(hello.get("parameters"))

    def __call__(self, *args: Any) -> Any:
        return self._sandbox.call(args)

    def __repr__(self) -> str:
        return f"<{self.__name__} in a sandbox>"


_KINDS = {kind.name: kind for kind in inspect._ParameterKind}


def _signature(parameters: Any) -> inspect.Signature | None:
    if not isinstance(parameters, list):
        return None
    try:
        return inspect.Signature([
            inspect.Parameter(str(name), _KINDS[str(kind)],
                              default=None if has_default else inspect.Parameter.empty)
            for name, kind, has_default in parameters])
    except (TypeError, ValueError, KeyError):
        return None


# -- which isolation -------------------------------------------------------------------------

LAYERS = ("namespaces", "tmpfs", "unprivileged", "rlimits", "landlock", "seccomp")


def probe_isolation(runtime: Runtime) -> dict[str, Any]:
    """The isolation a sandbox gets on this machine (a sandbox started for nothing else)."""
    probe = runtime.dir / "probe.py"
    probe.write_text("", encoding="utf-8")
    copy = runtime.copy(probe)
    sandbox = Sandbox(runtime, copy, "f", filename=str(probe), limits=Limits(timeout=30))
    try:
        return sandbox.launch(probe=True)
    finally:
        sandbox.close()


def isolation_missing(isolation: dict[str, Any]) -> list[str]:
    """The layers a sandbox did not get (``LAYERS``; landlock below ABI 4 misses TCP)."""
    missing = [layer for layer in LAYERS if not isolation.get(layer)]
    if isolation.get("landlock") and int(isolation["landlock"]) < 4:
        missing.append("landlock-tcp")
    return missing


def describe_isolation(isolation: dict[str, Any]) -> str:
    """One line: the isolation a sandbox got, and what it lacks."""
    have = []
    if isolation.get("namespaces"):
        have.append(_("PID, network and mount namespaces"))
    if isolation.get("unprivileged"):
        have.append(_("user nobody") if isolation.get("root") else _("no capabilities"))
    if isolation.get("rlimits"):
        have.append(_("limits on processes, file size, CPU time and memory"))
    if isolation.get("landlock"):
        have.append(_("Landlock ABI {abi} (files{tcp})").format(
            abi=isolation["landlock"],
            tcp=_(", TCP, signals") if int(isolation["landlock"]) >= 6 else
            (_(", TCP") if int(isolation["landlock"]) >= 4 else "")))
    if isolation.get("seccomp"):
        have.append(_("seccomp (no network sockets, no io_uring)"))
    line = _("isolation: {layers}").format(layers=", ".join(have) or _("none"))
    missing = isolation_missing(isolation)
    if missing:
        line += _("; missing: {layers}").format(layers=", ".join(missing))
    return line
