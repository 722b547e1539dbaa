"""The messages the code marks for translation, and the Korean catalogues' state.

    python -m tools.i18n.messages             # what is missing or stale, as .po entries
    python -m tools.i18n.messages FILE.py ... # the same, for these source files only

A message is the string literal given to ``_``, ``N_`` or ``ngettext`` (the singular form
is the catalogue's msgid); tests/test_i18n.py fails while anything is missing or stale.
"""

from __future__ import annotations

import ast
import string
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("manual_backprop", "reference")
CATALOGUES = ROOT / "manual_backprop" / "i18n" / "ko"
MARKERS = {"_": 1, "N_": 1, "ngettext": 2}       # marker → how many leading string arguments


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None
    where: str                                    # path:line


def source_files() -> list[Path]:
    return sorted(p for package in SOURCES for p in (ROOT / package).rglob("*.py"))


def messages(paths: list[Path] | None = None) -> tuple[list[Message], list[str]]:
    """Every marked message of the sources, and the problems found: a marker called with
    something other than string literals (an f-string, a variable) cannot be extracted."""
    found: list[Message] = []
    problems: list[str] = []
    for path in paths or source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in MARKERS):
                continue
            where = f"{rel}:{node.lineno}"
            n = MARKERS[node.func.id]
            args = node.args[:n]
            if len(args) < n or not all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                        for a in args):
                # `_(CONSTANT)` translates a message marked N_ where it was defined; what `_`
                # cannot look up is a string built at run time (an f-string, a sum, a format)
                built = isinstance(args[0], (ast.JoinedStr, ast.BinOp, ast.Call)) if args else False
                if node.func.id != "_" or built:
                    problems.append(f"{where}: {node.func.id}() needs {n} string literal(s)")
                continue
            values = [a.value for a in args
                      if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            found.append(Message(values[0], values[1] if n == 2 else None, where))
    return found, problems


def fields(text: str) -> set[str]:
    """The ``{placeholders}`` of a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def stub(message: Message) -> str:
    """An untranslated .po entry for a message."""
    lines = [f"#: {message.where}", f"msgid {_quote(message.msgid)}"]
    if message.plural is None:
        lines.append('msgstr ""')
    else:
        lines += [f"msgid_plural {_quote(message.plural)}", 'msgstr[0] ""']
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from manual_backprop.i18n.po import read_po

    paths = [Path(a).resolve() for a in argv] or None
    found, problems = messages(paths)
    known: dict[str, object] = {}
    for po in sorted(CATALOGUES.glob("*.po")):
        known.update(read_po(po))
    for p in problems:
        print("# problem:", p)
    seen: set[str] = set()
    for m in found:
        if m.msgid not in known and m.msgid not in seen:
            seen.add(m.msgid)
            print(stub(m), end="\n\n")
    if paths is None:
        used = {m.msgid for m in found}
        for msgid in sorted(set(known) - used):
            print("# stale (no longer in the code):", _quote(msgid))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
