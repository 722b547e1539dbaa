"""The guest's side of the protocol: load the submission, then answer calls until ``bye``.

Messages (``wire`` frames; the judge's first, then in turn):

    judge → sandbox   load{path, filename, function, cells, all_cells, lang, forbid}
    sandbox → judge   hello{name, parameters, skipped}            the function is there
                      failed{stage, kind, type, message, line, names}   it is not
    judge → sandbox   call{id, args}
    sandbox → judge   returned{id, result, args, warnings}       what it returned, and its
                                                                 arguments after the call
                      raised{id, type, message, file, line, code, warnings}
                      not_plain{id, where, type}                 it returned an object
    judge → sandbox   bye                                        the guest exits 0
    sandbox → judge   forbidden{names}                           at any time after load: the
                                                                 submission tried to import
                                                                 a module of ``forbid``

``path`` is the sandbox's own copy of the submission; ``filename`` the name its code is
compiled under (the original path, so that tracebacks read as in-process ones); ``cells``
the code cells of a notebook (else null). ``parameters`` are [name, kind, has_default] in
order, ``kind`` one of ``inspect.Parameter``'s kinds by name. ``warnings`` are [category name,
message]. ``forbid`` are the module names of ``--forbid-imports`` (empty: none): while the
submission is loaded and while each call runs, importing one of them or a submodule (by
``import``, ``__import__`` or ``importlib``) raises ``ForbiddenImport``
(``forbid.ImportBlocker``) and sends ``forbidden`` at once, before the answer in progress,
with the module it tried (each module once). It is sent whether the submission catches the
``ImportError`` or not, and before whatever it does next (exits, loops, crashes). The guest
decides nothing: every message is the judge's to check and judge.
"""

from __future__ import annotations

import contextlib
import inspect
import linecache
import os
import sys
import threading
import traceback
import types
import warnings
from pathlib import Path
from typing import Any

from .forbid import ImportBlocker
from .wire import NotPlain, ProtocolError, decode, encode, read_frame, write_frame

__all__ = ["serve"]

_MAX_NAMES = 20
_MAX_TEXT = 2000


def _text(value: Any) -> str:
    try:
        text = str(value)
    except BaseException:
        text = "<unprintable>"
    return text[:_MAX_TEXT]


def _load_file(path: Path, filename: str) -> types.ModuleType:
    source = path.read_text(encoding="utf-8")
    name = f"_checked_{abs(hash(filename))}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    code = compile(source, filename, "exec", dont_inherit=True)
    sys.modules[name] = module               # dataclasses and pickling look the module up
    sys.path.insert(0, str(path.parent))
    try:
        exec(code, module.__dict__)
    finally:
        sys.path.pop(0)
    return module


def _load(message: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The ``hello`` or ``failed`` message, and the function (None when failed)."""
    path, filename, name = Path(message["path"]), str(message["filename"]), message["function"]
    skipped: list[str] = []
    try:
        if message.get("cells") is not None:
            from ..i18n import set_language
            from .notebook import NotebookError, load_cells

            set_language(message.get("lang", "en"))
            try:
                module, cells = load_cells(Path(filename), list(message["cells"]),
                                           all_cells=bool(message.get("all_cells")))
            except NotebookError as exc:
                return {"type": "failed", "stage": "load", "kind": "notebook",
                        "message": _text(exc)}, None
            skipped = [_text(c) for c in cells]
        else:
            module = _load_file(path, filename)
    except MemoryError:
        return {"type": "failed", "stage": "load", "kind": "memory"}, None
    except Exception as exc:
        line = getattr(exc, "lineno", None)
        text = exc.msg if isinstance(exc, SyntaxError) and exc.msg else _text(exc)
        return {"type": "failed", "stage": "load", "kind": "import",
                "type_name": type(exc).__name__, "message": _text(text),
                "line": line if type(line) is int else None}, None
    if not hasattr(module, name):
        public = [n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                  and getattr(v, "__module__", None) == module.__name__][:_MAX_NAMES]
        return {"type": "failed", "stage": "load", "kind": "missing", "names": public}, None
    fn = getattr(module, name)
    if not callable(fn):
        return {"type": "failed", "stage": "load", "kind": "not_callable",
                "type_name": type(fn).__name__}, None
    parameters: list[list[Any]] | None
    try:
        parameters = [[p.name, p.kind.name, p.default is not p.empty]
                      for p in inspect.signature(fn).parameters.values()]
    except (TypeError, ValueError):
        parameters = None
    return {"type": "hello", "name": _text(getattr(fn, "__name__", name)),
            "parameters": parameters, "skipped": skipped}, fn


def _warnings(caught: list[warnings.WarningMessage]) -> list[list[str]]:
    return [[w.category.__name__, _text(w.message)] for w in caught[:100]]


def _call(fn: Any, message: dict[str, Any], blob: bytes) -> tuple[dict[str, Any], bytes]:
    call_id = message["id"]
    args = decode(message["args"], blob)
    if not isinstance(args, list):
        raise ProtocolError("call: args is not a list")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(*args)
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)[1:]   # [0]: this line
            frame = frames[-1] if frames else None
            return {"type": "raised", "id": call_id, "type_name": type(exc).__name__,
                    "message": _text(exc), "file": frame.filename if frame else None,
                    "line": frame.lineno if frame else None,
                    "code": frame.line if frame else None,
                    "warnings": _warnings(caught)}, b""
    for where, value in (("result", result), ("arguments", args)):
        try:
            encode(value)
        except NotPlain as exc:
            return {"type": "not_plain", "id": call_id, "where": where,
                    "type_name": exc.type_name}, b""
    tree, data = encode([result, args])
    return {"type": "returned", "id": call_id, "value": tree,
            "warnings": _warnings(caught)}, data


class _Writer:
    """Frames to the judge, one at a time (an import hook may send one from any thread)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._lock = threading.Lock()
        self._reported: set[str] = set()

    def send(self, header: dict[str, Any], blob: bytes = b"") -> None:
        with self._lock:
            write_frame(self.fd, header, blob)

    def forbidden(self, module: str) -> None:
        """``forbidden{names}`` for an attempt to import ``module`` (each module once)."""
        if module not in self._reported:
            self._reported.add(module)
            self.send({"type": "forbidden", "names": [_text(module)]})


def _blocker(names: Any, writer: _Writer) -> contextlib.AbstractContextManager[Any]:
    """The ``with`` block that a load and each call run in: an ``ImportBlocker`` reporting to
    ``writer`` for ``load``'s ``forbid``, or nothing when it is empty."""
    if not names:
        return contextlib.nullcontext()
    if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise ProtocolError("load: forbid is not a list of module names")
    try:
        return ImportBlocker(names, on_attempt=writer.forbidden)
    except ValueError as exc:
        raise ProtocolError(f"load: {exc}") from None


def serve(fd_in: int, fd_out: int) -> int:
    """Answer the judge on ``fd_in``/``fd_out`` until ``bye`` (0) or the end of its pipe (1)."""
    def read(n: int) -> bytes:
        return os.read(fd_in, n)

    writer = _Writer(fd_out)
    fn: Any = None
    blocker: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
    while True:
        try:
            message, blob = read_frame(read)
        except EOFError:
            return 1
        kind = message["type"]
        if kind == "bye":
            return 0
        if kind == "load" and fn is None:
            blocker = _blocker(message.get("forbid"), writer)
            with blocker:
                answer, fn = _load(message)
            writer.send(answer)
            if fn is None:
                return 0
        elif kind == "call" and fn is not None:
            try:
                with blocker:
                    answer, data = _call(fn, message, blob)
            except MemoryError:
                answer, data = {"type": "raised", "id": message["id"], "type_name":
                                "MemoryError", "message": "", "file": None, "line": None,
                                "code": None, "warnings": []}, b""
            writer.send(answer, data)
        else:
            raise ProtocolError(f"unexpected message {kind!r}")
