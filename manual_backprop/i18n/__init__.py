"""The language of what the commands print: English (the messages in the code) or Korean (the
catalogues ``ko/*.po`` next to this file, in the lecture's own words; docs/glossary.md).

Code marks each human-readable message with ``_`` (or ``ngettext`` when it counts something),
as gettext does; a message written as a constant, to be translated later, is marked ``N_``::

    from manual_backprop.i18n import _
    print(_("{n} layers").format(n=2))

The language is ``get_language()``: the one ``set_language`` chose (the commands set it from
``--lang``, else from the locale, ``language_from_env``), English for library calls that
nobody set it for; ``use_language`` changes it for a ``with`` block only. Standard library
only: the kernel's rule "numpy and the standard library" holds for this package too.
"""

from __future__ import annotations

import contextvars
import functools
import os
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .po import Catalogue, read_po

__all__ = ["LANGUAGES", "N_", "_", "catalogue", "columns", "get_language", "language_from_env",
           "ngettext", "pad", "set_language", "use_language"]

LANGUAGES = ("en", "ko")
"""The languages: English (the source messages) and Korean."""

_HERE = Path(__file__).resolve().parent
_default = "en"
_scoped: contextvars.ContextVar[str | None] = contextvars.ContextVar("language", default=None)


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` (={lang!r}) must be one of {', '.join(LANGUAGES)}")
    return lang


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first of ``LANGUAGE`` (its first entry),
    ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set and not empty decides, as for gettext;
    Korean if it begins with ``ko`` (``ko_KR.UTF-8``, ``ko``), English otherwise."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").split(":")[0].strip()
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def set_language(lang: str) -> None:
    """Choose the language of every message from now on (``"en"`` or ``"ko"``)."""
    global _default
    _default = _checked(lang)


def get_language() -> str:
    """The language messages are printed in now."""
    return _scoped.get() or _default


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """The language of the messages inside a ``with`` block (then the one before again)."""
    token = _scoped.set(_checked(lang))
    try:
        yield
    finally:
        _scoped.reset(token)


@functools.cache
def catalogue(lang: str) -> Catalogue:
    """Every translated message of a language: the union of its ``*.po`` files (empty for
    English, whose messages are the code's own)."""
    merged = Catalogue()
    if _checked(lang) != "en":
        for path in sorted((_HERE / lang).glob("*.po")):
            merged.update(read_po(path))
    return merged


def _(message: str) -> str:
    """``message`` in the current language (itself in English)."""
    lang = get_language()
    if lang == "en":
        return message
    translated = catalogue(lang).get(message)
    return translated if isinstance(translated, str) and translated else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that counts ``n`` things: English has two, Korean one."""
    lang = get_language()
    if lang != "en":
        translated = catalogue(lang).get(singular)
        if isinstance(translated, tuple) and translated[0]:
            return translated[0]                 # Korean: nplurals=1
    return singular if n == 1 else plural


def N_(message: str) -> str:
    """Mark a constant message for translation where it is used (``_(CONSTANT)``)."""
    return message


def columns(text: str) -> int:
    """The columns ``text`` takes on a terminal: 2 for a wide character (Hangul, CJK), else 1
    (for English, ``len``: what f-string padding counts). Tables pad by this, so that Korean
    lines up."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``columns``), on the left if
    ``right``: ``ljust``/``rjust`` for text that may be Korean."""
    space = " " * (width - columns(text))
    return space + text if right else text + space
