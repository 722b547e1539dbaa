"""A reader of gettext ``.po`` catalogues (the subset the project writes: ``msgid``,
``msgid_plural``, ``msgstr``, ``msgstr[N]``, strings continued on following lines, comments;
entries marked ``#, fuzzy`` are left out, as ``msgfmt`` does)."""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["Catalogue", "PoEntry", "read_po", "read_po_entries"]

Catalogue = dict[str, "str | tuple[str, ...]"]
"""msgid → translation (a tuple of forms for a plural message)."""


class PoEntry:
    """One message of a catalogue, as written."""

    def __init__(self) -> None:
        self.msgid: str | None = None
        self.msgid_plural: str | None = None
        self.msgstr: dict[int, str] = {}
        self.fuzzy = False
        self.line = 0

    def translation(self) -> str | tuple[str, ...]:
        if self.msgid_plural is None:
            return self.msgstr.get(0, "")
        return tuple(self.msgstr[i] for i in sorted(self.msgstr))


def _string(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def read_po_entries(path: Path) -> list[PoEntry]:
    """Every entry of a ``.po`` file, the header (``msgid ""``) included."""
    entries: list[PoEntry] = []
    entry = PoEntry()
    field: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, field
        if entry.msgid is not None:
            entries.append(entry)
        entry, field = PoEntry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#"):
            if entry.msgid is not None:
                finish()
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
        elif line.startswith('"'):
            if field is None:
                raise ValueError(f"{path}:{number}: a string continues nothing")
            value = _string(line, path, number)
            name, index = field
            if name == "msgid":
                entry.msgid = (entry.msgid or "") + value
            elif name == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            else:
                entry.msgstr[index] += value
        else:
            keyword, _, rest = line.partition(" ")
            if keyword == "msgid":
                if entry.msgid is not None:
                    finish()
                entry.msgid, field, entry.line = _string(rest, path, number), ("msgid", 0), number
            elif keyword == "msgid_plural":
                entry.msgid_plural, field = _string(rest, path, number), ("msgid_plural", 0)
            elif keyword == "msgstr":
                entry.msgstr[0], field = _string(rest, path, number), ("msgstr", 0)
            elif keyword.startswith("msgstr[") and keyword.endswith("]"):
                index = int(keyword[7:-1])
                entry.msgstr[index], field = _string(rest, path, number), ("msgstr", index)
            else:
                raise ValueError(f"{path}:{number}: unexpected line {raw!r}")
    finish()
    return entries


def read_po(path: Path) -> Catalogue:
    """The translations of a ``.po`` file: msgid → msgstr, without the header and fuzzy or
    untranslated entries."""
    out: Catalogue = {}
    for entry in read_po_entries(path):
        translation = entry.translation()
        if entry.msgid and not entry.fuzzy and translation and all(translation):
            out[entry.msgid] = translation
    return out
