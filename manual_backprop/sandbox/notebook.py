"""Run a student's Jupyter notebook's code cells as a module (in the sandbox, or in-process).

    module, skipped = load_cells(Path("alice.ipynb"), sources)              # definitions only
    module, skipped = load_cells(Path("alice.ipynb"), sources, all_cells=True)   # every cell
    backprop = module.backprop

``sources`` are the code cells' sources, which the judge reads from the notebook's JSON
(``manual_backprop.cli.notebook.code_cells``, nbformat): this module, which the sandbox runs,
needs only the standard library.

The code cells run in order, in a fresh module with its own ``__name__`` (registered in
``sys.modules``) and the notebook's directory on ``sys.path`` while they run, as the ``FILE.py``
loader of ``check`` does. As in Jupyter, ``__file__`` is not defined (which also keeps the
notebook's JSON out of the constants Hypothesis draws from local modules); tracebacks and
``inspect.getsource`` show the cells' lines, under the file name ``"PATH (cell N)"`` (in the
language of the messages).

IPython syntax is dropped in both modes (and reported): a cell whose first non-blank line is a
cell magic (``%%timeit``, ``%%bash``, ...) is skipped whole; a line that starts a statement with
``%`` (line magic), ``!`` (shell) or ``?`` (help), ends in ``?``/``??`` after a dotted name
(help), or assigns one (``files = !ls``, ``t = %timeit -o f()``) is removed (replaced by ``pass``
inside a block, so the rest still parses). Lines inside a string or bracket are left alone.

By default only what *defines* things runs, decided statement by statement on the ``ast`` of
each cell (top-level statements), so a cell that defines ``backprop`` and then trains for ten
minutes runs the definition only. A statement runs when it is

* an ``import`` or ``from ... import``;
* a ``def``, ``async def`` or ``class`` (with its decorators, default values and class body:
  they are part of the definition);
* an assignment (``=``, annotated, or augmented ``+=`` etc.) to plain names (``x``, ``a, b``,
  ``*rest``) of a *constant expression*;
* an ``if`` whose condition is a constant expression: its condition is evaluated and the
  branch taken goes through this same rule, statement by statement (so
  ``if __name__ == "__main__":`` runs nothing);
* a ``try`` every statement of which (body, handlers, ``else``, ``finally``) is one of the
  above, run whole (``try: import cupy as xp`` / ``except ImportError: import numpy as xp``);
* ``pass``, a docstring or ``...`` (nothing to run, never reported).

A *constant expression* is built only from literals (numbers, strings, bytes, ``True``,
``False``, ``None``, ``...``); tuple, list, set and dict displays of constant expressions; unary
and binary operators, ``and``/``or`` and comparisons between constant expressions; names that
are already defined when the statement is reached (by an earlier statement that ran, or a
builtin), and attributes of them (``np.pi``, ``np.float64``); and calls of ``numpy.array`` or
``numpy.asarray`` (however numpy was imported) whose arguments are constant expressions
(``X = np.array([[0, 1], [1, 0]], dtype=float)``). Comprehensions, subscripts, lambdas and every
other call are not constant: ``W = np.random.randn(3, 2)`` and ``W = train(W)`` are skipped.

Everything else (loops, ``with``, calls such as ``train(...)`` or ``plt.show()``, assignments
of computed values, bare expressions shown as output) is skipped and reported, cell by cell, as
a ``SkippedCell``. The rule keeps out work a student wrote on purpose (training, plotting,
printing); it is not a defence against hostile code (definitions can still run anything from a
decorator or a default value). ``all_cells=True`` runs every statement of every cell in order,
as "Run All" would (IPython syntax still dropped).

Errors (``NotebookError``, one line naming the notebook and the cell): a file that is not a
valid notebook (JSON, nbformat schema), a cell that does not parse, a statement that raises
(or calls ``sys.exit``) while running.

The messages (errors, ``SkippedCell``) are in the language current when the notebook is loaded
(``manual_backprop.i18n``; a ``SkippedCell``'s heading, when it is printed).
"""

from __future__ import annotations

import ast
import builtins
import io
import linecache
import re
import sys
import tokenize
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import _

__all__ = ["NotebookError", "SkippedCell", "load_cells"]

_MAX_LISTED = 3               # statements named per cell in a SkippedCell's reason
_LINE_WIDTH = 60              # characters of a source line quoted in a message


class NotebookError(ValueError):
    """The notebook cannot be read or one of its cells fails; the message is one line."""


@dataclass(frozen=True)
class SkippedCell:
    """A code cell that did not run, or not all of it.

    index: 1-based, among the notebook's code cells (markdown cells are not counted);
    first_line: the cell's first non-blank line; partly: some of it ran;
    reason: one line, naming each skipped statement or dropped line by its line in the cell.
    """

    index: int
    first_line: str
    partly: bool
    reason: str

    def __str__(self) -> str:
        message = (_("cell {index} ({first_line}): partly skipped: {reason}") if self.partly
                   else _("cell {index} ({first_line}): skipped: {reason}"))
        return message.format(index=self.index, first_line=self.first_line, reason=self.reason)


def _short(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _LINE_WIDTH else line[: _LINE_WIDTH - 1] + "…"


def _first_line(source: str) -> str:
    return next((_short(x) for x in source.splitlines() if x.strip()), "")


# -- IPython syntax -------------------------------------------------------------------------

_ASSIGNED_MAGIC = re.compile(r"^[A-Za-z_][\w\s,()\[\]*]*=\s*[%!]")
_HELP = re.compile(r"^[A-Za-z_][\w.]*\?{1,2}$")


def _inside_something(text: str) -> bool:
    """Whether ``text`` ends inside a string, a bracket or a backslash continuation."""
    try:
        for _token in tokenize.generate_tokens(io.StringIO(text).readline):
            pass
    except tokenize.TokenError:
        return True
    except SyntaxError:                       # IndentationError from dedents: not our concern
        return False
    return False


def _ipython_kind(stripped: str) -> str | None:
    if stripped.startswith("%"):
        return _("a line magic")
    if stripped.startswith("!"):
        return _("a shell command")
    if stripped.startswith("?") or _HELP.match(stripped):
        return _("a help request")
    if _ASSIGNED_MAGIC.match(stripped):
        return _("an assigned magic or shell command")
    return None


def _drop_ipython(source: str) -> tuple[str | None, list[tuple[int, str, str]]]:
    """The cell's Python (None: a cell magic, skip it all) and the dropped lines
    (line number in the cell, line, what it is). Line numbers are kept."""
    lines = source.splitlines()
    first = next((x.strip() for x in lines if x.strip()), "")
    if first.startswith("%%"):
        return None, [(1, first, _("a cell magic"))]
    kept: list[str] = []
    dropped: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        kind = _ipython_kind(stripped) if stripped else None
        if kind is not None and not _inside_something("\n".join(kept) + "\n"):
            indent = line[: len(line) - len(line.lstrip())]
            kept.append(indent + "pass" if indent else "")
            dropped.append((number, stripped, kind))
        else:
            kept.append(line)
    return "\n".join(kept) + "\n", dropped


# -- what runs by default ----------------------------------------------------------------------

class _NotConstant(Exception):
    """Why an expression is not a constant expression: the message, or _CALL / _COMPUTED
    (which ``_why_not`` names in full: "an assignment of a call")."""


_CALL = "call"
_COMPUTED = "computed value"


def _defined(name: str, namespace: dict[str, Any]) -> bool:
    return name in namespace or hasattr(builtins, name)


def _lookup(node: ast.expr, namespace: dict[str, Any]) -> Any:
    """The object a name or dotted name refers to (for the callee of a call)."""
    if isinstance(node, ast.Name):
        if node.id in namespace:
            return namespace[node.id]
        return getattr(builtins, node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_lookup(node.value, namespace), node.attr)
    raise _NotConstant(_CALL)                   # a call of a computed function


def _is_numpy_array_maker(fn: Any) -> bool:
    numpy = sys.modules.get("numpy")
    return numpy is not None and any(fn is getattr(numpy, n, None) for n in ("array", "asarray"))


def _check_constant(node: ast.expr, namespace: dict[str, Any], annotation: bool = False) -> None:
    """Raise _NotConstant unless ``node`` is a constant expression (module docstring)."""
    def check(n: ast.expr) -> None:
        _check_constant(n, namespace, annotation)

    if isinstance(node, ast.Constant):
        return
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        for elt in node.elts:
            check(elt)
    elif isinstance(node, ast.Dict):
        for key in node.keys:
            if key is None:
                raise _NotConstant(_("a ** in a dict"))
            check(key)
        for value in node.values:
            check(value)
    elif isinstance(node, ast.UnaryOp):
        check(node.operand)
    elif isinstance(node, ast.BinOp):
        check(node.left)
        check(node.right)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            check(value)
    elif isinstance(node, ast.Compare):
        check(node.left)
        for comparator in node.comparators:
            check(comparator)
    elif isinstance(node, ast.Name):
        if not _defined(node.id, namespace):
            raise _NotConstant(_("uses {name!r}, not defined by what ran so far").format(
                name=node.id))
    elif isinstance(node, ast.Attribute):
        check(node.value)
    elif annotation and isinstance(node, ast.Subscript):
        check(node.value)
        check(node.slice)
    elif isinstance(node, ast.Call):
        try:
            fn = _lookup(node.func, namespace)
        except (_NotConstant, AttributeError):
            raise _NotConstant(_CALL) from None
        if not _is_numpy_array_maker(fn):
            raise _NotConstant(_CALL)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise _NotConstant(_CALL)
            check(arg)
        for keyword in node.keywords:
            if keyword.arg is None:
                raise _NotConstant(_CALL)
            check(keyword.value)
    else:
        raise _NotConstant(_COMPUTED)


def _check_target(node: ast.expr) -> None:
    if isinstance(node, ast.Name):
        return
    if isinstance(node, ast.Tuple | ast.List):
        for elt in node.elts:
            _check_target(elt)
    elif isinstance(node, ast.Starred):
        _check_target(node.value)
    else:
        raise _NotConstant(_("an assignment to an item or attribute"))


_SILENT = "silent"


def _why_not(stmt: ast.stmt, namespace: dict[str, Any]) -> str | None:
    """None if ``stmt`` runs by default, _SILENT if there is nothing to run, else why not.
    (``if`` statements are handled by the caller.)"""
    try:
        if isinstance(stmt, ast.Import | ast.ImportFrom | ast.FunctionDef
                      | ast.AsyncFunctionDef | ast.ClassDef):
            return None
        if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr)
                                          and isinstance(stmt.value, ast.Constant)):
            return _SILENT
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                _check_target(target)
            _check_constant(stmt.value, namespace)
            return None
        if isinstance(stmt, ast.AnnAssign):
            _check_target(stmt.target)
            _check_constant(stmt.annotation, namespace, annotation=True)
            if stmt.value is not None:
                _check_constant(stmt.value, namespace)
            return None
        if isinstance(stmt, ast.AugAssign):
            _check_target(stmt.target)
            assert isinstance(stmt.target, ast.Name)
            if not _defined(stmt.target.id, namespace):
                raise _NotConstant(_("uses {name!r}, not defined by what ran so far").format(
                    name=stmt.target.id))
            _check_constant(stmt.value, namespace)
            return None
        if isinstance(stmt, ast.Try):
            for handler in stmt.handlers:
                if handler.type is not None:
                    _check_constant(handler.type, namespace)
            for inner in [*stmt.body, *stmt.orelse, *stmt.finalbody,
                          *(s for h in stmt.handlers for s in h.body)]:
                if isinstance(inner, ast.If | ast.Try) or _why_not(inner, namespace) not in (
                        None, _SILENT):
                    return _("a try block that does more than define")
            return None
    except _NotConstant as exc:
        if str(exc) == _CALL:
            return _("an assignment of a call")
        if str(exc) == _COMPUTED:
            return _("an assignment of a computed value")
        return str(exc)
    if isinstance(stmt, ast.For | ast.AsyncFor | ast.While):
        return _("a loop")
    if isinstance(stmt, ast.With | ast.AsyncWith):
        return _("a with block")
    if isinstance(stmt, ast.Expr):
        if isinstance(stmt.value, ast.Call):
            return _("a call")
        if isinstance(stmt.value, ast.Await):
            return _("an await")
        return _("an expression (output only)")
    return _("a {kind} statement").format(kind=type(stmt).__name__.lower())


# -- running ------------------------------------------------------------------------------------

class _Cell:
    def __init__(self, path: Path, index: int, source: str) -> None:
        self.path = path
        self.index = index
        self.first_line = _first_line(source)
        self.filename = _("{path} (cell {index})").format(path=path, index=index)
        self.lines = source.splitlines()

    def where(self, lineno: int | None = None) -> str:
        where = (_("{notebook}: cell {index} ({first_line}, line {line})") if lineno
                 else _("{notebook}: cell {index} ({first_line})"))
        return where.format(notebook=self.path.name, index=self.index,
                            first_line=self.first_line, line=lineno)

    def note(self, stmt: ast.stmt, why: str) -> str:
        """A statement that did not run, and why."""
        line = self.lines[stmt.lineno - 1] if 0 < stmt.lineno <= len(self.lines) else ""
        return _note(stmt.lineno, line, why)

    def run(self, stmts: list[ast.stmt], namespace: dict[str, Any]) -> None:
        code = compile(ast.Module(body=stmts, type_ignores=[]), self.filename, "exec")
        self._guarded(lambda: exec(code, namespace), stmts[0].lineno)

    def evaluate(self, expr: ast.expr, namespace: dict[str, Any]) -> Any:
        code = compile(ast.Expression(body=expr), self.filename, "eval")
        return self._guarded(lambda: eval(code, namespace), expr.lineno)

    def _guarded(self, action: Callable[[], Any], first_line: int) -> Any:
        try:
            return action()
        except SystemExit as exc:
            raise NotebookError(_("{where}: called sys.exit({code})").format(
                where=self.where(first_line), code=repr(exc.code))) from None
        except Exception as exc:
            lineno = None
            tb = exc.__traceback__
            while tb is not None:
                if tb.tb_frame.f_code.co_filename == self.filename:
                    lineno = tb.tb_lineno
                tb = tb.tb_next
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            where = f"{self.where(lineno)}: {type(exc).__name__}"
            raise NotebookError(f"{where}: {_short(message)}" if message else where) from None


def _run_definitions(cell: _Cell, body: list[ast.stmt], namespace: dict[str, Any],
                     skipped: list[tuple[int, str]]) -> bool:
    """Run what defines things in ``body``, statement by statement; the others are appended
    to ``skipped``. Returns whether anything ran."""
    ran = False
    for stmt in body:
        if isinstance(stmt, ast.If):
            try:
                _check_constant(stmt.test, namespace)
            except _NotConstant:
                skipped.append((stmt.lineno,
                                cell.note(stmt, _("an if on a computed condition"))))
                continue
            taken = stmt.body if cell.evaluate(stmt.test, namespace) else stmt.orelse
            ran = _run_definitions(cell, taken, namespace, skipped) or ran
            continue
        why = _why_not(stmt, namespace)
        if why is None:
            cell.run([stmt], namespace)
            ran = True
        elif why != _SILENT:
            skipped.append((stmt.lineno, cell.note(stmt, why)))
    return ran


def _note(lineno: int, line: str, why: str) -> str:
    """A line of a cell that did not run, and why (a SkippedCell's reason lists them)."""
    return _("line {line} `{text}` ({why})").format(line=lineno, text=_short(line), why=why)


def _listing(notes: list[tuple[int, str]]) -> str:
    items = [text for _line, text in sorted(notes)]
    shown = "; ".join(items[:_MAX_LISTED])
    more = len(items) - _MAX_LISTED
    return _("{items}; and {more} more").format(items=shown, more=more) if more > 0 else shown


def load_cells(path: Path, sources: list[str], all_cells: bool = False
               ) -> tuple[types.ModuleType, list[SkippedCell]]:
    """Run the notebook's code cells (``sources``) in a new module (see the module docstring
    for which statements run); returns the module and the cells that were skipped or partly skipped.
    NotebookError (one line, naming the cell) if the notebook cannot be read or a cell fails
    to parse or raises."""
    path = Path(path)
    name = f"_checked_nb_{abs(hash(str(path.resolve())))}"
    module = types.ModuleType(name)
    namespace = module.__dict__
    skipped_cells: list[SkippedCell] = []
    directory = str(path.resolve().parent)
    sys.modules[name] = module                 # dataclasses and pickling look the module up
    sys.path.insert(0, directory)
    try:
        for index, source in enumerate(sources, 1):
            cell = _Cell(path, index, source)
            python, dropped = _drop_ipython(source)
            if python is None:
                skipped_cells.append(SkippedCell(
                    index, cell.first_line, False,
                    _("a cell magic ({magic})").format(magic=cell.first_line.split()[0])))
                continue
            linecache.cache[cell.filename] = (len(python), None, python.splitlines(True),
                                              cell.filename)
            try:
                tree = ast.parse(python, cell.filename)
            except SyntaxError as exc:
                raise NotebookError(f"{cell.where(exc.lineno)}: SyntaxError: {exc.msg}"
                                    ) from None
            notes = [(n, _note(n, text, kind)) for n, text, kind in dropped]
            if all_cells:
                if tree.body:
                    cell.run(tree.body, namespace)
                ran = bool(tree.body)
            else:
                ran = _run_definitions(cell, tree.body, namespace, notes)
            if notes:
                skipped_cells.append(SkippedCell(index, cell.first_line, ran, _listing(notes)))
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        if directory in sys.path:
            sys.path.remove(directory)
    return module, skipped_cells
