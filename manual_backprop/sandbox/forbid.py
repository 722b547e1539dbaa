"""``--forbid-imports jax,torch,tensorflow,autograd``: a submission that imports one of them
(or a submodule: ``jax.numpy``) is ``error``, with a message naming the import. The
sandbox (``serve``) loads the submission, and runs each call, inside

    with ImportBlocker(parse_forbidden("jax,torch"), on_attempt=report) as blocker:
        ...load the submission, call its function...
    blocker.attempts            # ["jax"]: report("jax") told the judge, which gives ``error``

``parse_forbidden`` reads the option's value (the command line's half, in the judge) and
``forbidden_message`` is the diagnosis the judge gives; this module is the sandbox's, so it
imports the standard library and ``manual_backprop.i18n`` only.

The blocker is an import hook (a finder first on ``sys.meta_path``), so every way of importing
counts: ``import``, ``from ... import``, ``__import__``, ``importlib.import_module``. A
forbidden module that is already imported is hidden from ``sys.modules`` inside the block (and
put back after), so it is imported anew and meets the hook. The attempt is recorded even when
the submission catches the ``ImportError`` (``try: import torch except ImportError: ...``):
importing it is what the rule forbids. What this does not stop is code that loads a module's
files by path (``importlib.util.spec_from_file_location``): the rule is a homework's, and the
sandbox's isolation is what keeps the judge safe.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType, TracebackType

from ..i18n import _

__all__ = ["ForbiddenImport", "ImportBlocker", "forbidden_message", "parse_forbidden"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


NEEDED = frozenset({"numpy", "manual_backprop"})
"""What the sandbox needs to run a check: never forbidden."""


def parse_forbidden(text: str) -> frozenset[str]:
    """``--forbid-imports``' value: module names separated by commas (``jax,torch``).
    ValueError naming what it got for an empty list, a name that is not a module's, or one
    the sandbox needs (``NEEDED``)."""
    if not isinstance(text, str):
        raise TypeError(f"`text` must be a str, got {type(text).__name__}")
    names = [n.strip() for n in text.split(",")]
    bad = [n for n in names if not _NAME.fullmatch(n)]
    if not text.strip() or bad:
        raise ValueError(_("--forbid-imports: expected module names separated by commas, such "
                           "as jax,torch,tensorflow,autograd, got {text!r}").format(text=text))
    needed = sorted(n for n in names if n.split(".")[0] in NEEDED)
    if needed:
        raise ValueError(_("--forbid-imports: {names} cannot be forbidden: the sandbox itself "
                           "needs it (the arrays are numpy arrays)").format(
                               names=", ".join(needed)))
    return frozenset(names)


def forbidden_message(module: str) -> str:
    """The diagnosis, in prose, of a submission that imported ``module``."""
    return _("imports {module}, which this assignment forbids (--forbid-imports)").format(
        module=module)


class ForbiddenImport(ImportError):
    """The import of a module that ``--forbid-imports`` names (``.name`` is the module)."""


def _forbids(names: frozenset[str], fullname: str) -> bool:
    return any(fullname == n or fullname.startswith(n + ".") for n in names)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, blocker: ImportBlocker) -> None:
        self.blocker = blocker

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if _forbids(self.blocker.names, fullname):
            self.blocker.attempts.append(fullname)
            if self.blocker.on_attempt is not None:
                self.blocker.on_attempt(fullname)
            raise ForbiddenImport(f"import of {fullname} is forbidden (--forbid-imports)",
                                  name=fullname)
        return None


class ImportBlocker:
    """Inside ``with ImportBlocker(names)``, importing a module of ``names`` (or a submodule)
    raises ``ForbiddenImport`` and is recorded in ``attempts``; ``on_attempt(module)`` is
    called first (from the importing thread), if given. The same blocker may be entered
    again after it is left (the sandbox enters it for the load and for each call)."""

    def __init__(self, names: Iterable[str],
                 on_attempt: Callable[[str], None] | None = None) -> None:
        self.names = frozenset(names)
        bad = [n for n in self.names if not isinstance(n, str) or not _NAME.fullmatch(n)]
        if bad:
            raise ValueError(f"`names` must be module names, got {sorted(map(repr, bad))}")
        self.attempts: list[str] = []
        self.on_attempt = on_attempt
        self._finder = _Finder(self)
        self._hidden: dict[str, ModuleType] = {}

    def __enter__(self) -> ImportBlocker:
        self._hidden = {k: m for k, m in sys.modules.items() if _forbids(self.names, k)}
        for key in self._hidden:
            del sys.modules[key]
        sys.meta_path.insert(0, self._finder)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._finder in sys.meta_path:
            sys.meta_path.remove(self._finder)
        sys.modules.update(self._hidden)
        self._hidden = {}
