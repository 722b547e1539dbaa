"""Load a student's function from a Jupyter notebook (``.ipynb``) as a module, in-process.

    module, skipped = load_notebook(Path("alice.ipynb"))        # definitions only
    module, skipped = load_notebook(Path("alice.ipynb"), all_cells=True)   # every cell
    backprop = module.backprop

``code_cells`` reads the notebook's JSON (the judge's side; reading runs nothing): a notebook
of format 4 directly, any other through nbformat, whose import takes seconds (jsonschema's
format checkers: 3.4 s of a 4.5 s notebook check once, more on a busy machine);
the cells run by ``manual_backprop.sandbox.notebook.load_cells`` (the rule of what runs is
documented there), which the sandbox runs on the cells the judge sends it. ``load_notebook``
does both in this process, for code that trusts the notebook (``check`` on a function
object).
"""

from __future__ import annotations

import json
import types
import warnings
from pathlib import Path
from typing import Any

from ..i18n import _
from ..sandbox.notebook import NotebookError, SkippedCell, load_cells

__all__ = ["NotebookError", "SkippedCell", "code_cells", "load_cells", "load_notebook"]

_LINE_WIDTH = 60              # characters of a message quoted


def _short(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _LINE_WIDTH else line[: _LINE_WIDTH - 1] + "…"


def _v4_code_cells(text: str) -> list[str] | None:
    """The code cells of a notebook of format 4 whose cells have the shape of that format's
    (``cell_type`` a string, ``source`` a string or a list of strings), else None."""
    try:
        nb: Any = json.loads(text)
    except ValueError:
        return None
    if not (isinstance(nb, dict) and nb.get("nbformat") == 4
            and isinstance(nb.get("cells"), list)):
        return None
    sources = []
    for cell in nb["cells"]:
        if not (isinstance(cell, dict) and isinstance(cell.get("cell_type"), str)):
            return None
        source = cell.get("source")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            return None
        if cell["cell_type"] == "code":
            sources.append(source)
    return sources


def code_cells(path: Path) -> list[str]:
    """The sources of the notebook's code cells, in order (NotebookError if it is not one)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookError(_("cannot read {path}: {error}").format(path=path, error=exc)
                            ) from None
    cells = _v4_code_cells(text)
    if cells is not None:
        return cells
    import nbformat

    try:
        with warnings.catch_warnings():          # old notebooks: missing cell ids, etc.
            warnings.simplefilter("ignore")
            nb = nbformat.convert(nbformat.reader.reads(text), 4)  # type: ignore[no-untyped-call]
            nbformat.validate(nb)
    except Exception as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(_("{path} is not a valid notebook: {message}").format(
            path=path, message=_short(message))) from None
    return [str(cell.source) for cell in nb.cells if cell.cell_type == "code"]


def load_notebook(path: Path, all_cells: bool = False) -> tuple[types.ModuleType,
                                                                 list[SkippedCell]]:
    """Run the notebook's code cells in a new module, in this process (``load_cells``);
    returns the module and the cells that were skipped or partly skipped. NotebookError (one
    line, naming the cell) if the notebook cannot be read or a cell fails to parse or raises."""
    path = Path(path)
    return load_cells(path, code_cells(path), all_cells=all_cells)
