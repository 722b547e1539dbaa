"""``check FILE.py:FUNC`` and ``check FILE.ipynb:FUNC`` through a sandbox: the function is
never loaded in this process (``reference.sandboxed``).

    with sandboxed_function("alice.py", "backprop") as (fn, skipped, sandbox):
        result = check_backprop(fn)

A class run copies every submission before the first one runs and gives its judges each
copy (``Prepared``): the file at the target's path is then never read again.

A ``package.module:FUNC`` target names installed code, which the caller trusts as it trusts
the Python API: ``check`` loads it in-process (``load_target``).
"""

from __future__ import annotations

import contextlib
import resource
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reference.sandboxed import (
    Limits,
    LoadFailure,
    Runtime,
    Sandbox,
    SandboxedFunction,
    describe_isolation,
    isolation_missing,
)

from ..i18n import _, get_language
from .args import UsageError
from .notebook import NotebookError, code_cells

__all__ = ["SINGLE_TIMEOUT", "Prepared", "is_file_target", "memory_limit_mb",
           "sandboxed_function"]

SINGLE_TIMEOUT = 3600.0
"""Seconds a single check's sandbox may take (a class run gives each its ``--timeout``)."""


@dataclass(frozen=True)
class Prepared:
    """A submission a class run has prepared: ``run_dir`` its ``Runtime``'s directory,
    ``copy`` the submission's copy there (``Runtime.copy``), ``timeout`` its seconds,
    ``deadline`` the ``time.monotonic()`` at which they end, ``memory_mb`` its address
    space."""

    run_dir: Path
    copy: Path
    timeout: float
    deadline: float
    memory_mb: int


def is_file_target(where: str) -> bool:
    """Whether ``where`` (a target without its ``:FUNC``) names a file, not a module."""
    return where.endswith((".py", ".ipynb")) or "/" in where or "\\" in where


def memory_limit_mb(default: int = 4096) -> int:
    """The address space this process may use, in MB (``default`` when unlimited): a
    sandbox gets no more than its judge."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    return default if soft == resource.RLIM_INFINITY else max(1, soft >> 20)


@contextlib.contextmanager
def sandboxed_function(where: str, function: str, *, all_cells: bool = False,
                       require_isolation: bool = False, timeout: float = SINGLE_TIMEOUT,
                       prepared: Prepared | None = None, forbid: frozenset[str] = frozenset()
                       ) -> Iterator[tuple[SandboxedFunction, list[str], Sandbox]]:
    """The function ``function`` of the file ``where``, running in a sandbox of its own, the
    notebook cells that did not run, and the sandbox (its ``isolation``, ``output()``).
    UsageError when the file or the function cannot be loaded, or (``require_isolation``)
    when the sandbox lacks a layer of isolation. ``prepared``: the class run's copy of
    ``where``, its time and memory (else the file is copied now, into a runtime of its own).
    ``forbid``: the modules it may not import (``--forbid-imports``): trying one ends the
    check with ``SandboxFailure`` (code ``forbidden_import``), while loading it or later."""
    path = Path(where) if prepared is None else prepared.copy
    if not path.is_file():
        raise UsageError(_("no such file: {path}").format(path=where))
    cells = None
    if where.endswith(".ipynb"):
        try:
            cells = code_cells(path)
        except NotebookError as exc:
            raise UsageError(str(exc).replace(str(path), where)) from None
    with (Runtime() if prepared is None else Runtime.attach(prepared.run_dir)) as runtime:
        copy = runtime.copy(path) if prepared is None else prepared.copy
        limits = (Limits(timeout=timeout, memory_mb=memory_limit_mb()) if prepared is None
                  else Limits(timeout=prepared.timeout, memory_mb=prepared.memory_mb))
        sandbox = Sandbox(runtime, copy, function, filename=where, cells=cells,
                          all_cells=all_cells, lang=get_language(), limits=limits,
                          deadline=None if prepared is None else prepared.deadline,
                          forbid=forbid)
        try:
            isolation = sandbox.launch()
            if require_isolation and isolation_missing(isolation):
                raise UsageError(_("--require-isolation: {line}").format(
                    line=describe_isolation(isolation)))
            try:
                fn = sandbox.start()
            except LoadFailure as exc:
                raise UsageError(str(exc)) from None
            yield fn, fn.skipped, sandbox
        finally:
            sandbox.close()
