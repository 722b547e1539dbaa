"""The language of the output: the catalogues are complete, the locale and ``--lang`` choose
the language, and every command speaks Korean when asked (and English otherwise)."""

from __future__ import annotations

from pathlib import Path

import pytest

from manual_backprop.i18n import (
    _,
    catalogue,
    get_language,
    language_from_env,
    ngettext,
    set_language,
    use_language,
)
from manual_backprop.i18n.po import read_po, read_po_entries
from tools.i18n.messages import CATALOGUES, fields, messages

# -- the catalogues ---------------------------------------------------------------------------


def _entries() -> list[tuple[Path, object]]:
    return [(po, e) for po in sorted(CATALOGUES.glob("*.po")) for e in read_po_entries(po)
            if e.msgid]


def test_every_message_is_extractable() -> None:
    """A message built at run time (an f-string given to ``_``) cannot be in a catalogue."""
    _, problems = messages()
    assert problems == []


def test_a_message_built_at_run_time_is_a_problem(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text('A = N_("constant")\nx = 1\n_(f"built {x}")\n_("a" + "b")\n_(A)\n'
                      'ngettext("{n} one", "{n} more", 2)\nfor _ in range(2):\n    pass\n')
    found, problems = messages([source])
    assert [(m.msgid, m.plural) for m in found] == [("constant", None),
                                                     ("{n} one", "{n} more")]
    assert [p.split(": ", 1)[1] for p in problems] == ["_() needs 1 string literal(s)"] * 2


def test_catalogues_are_complete_in_both_languages() -> None:
    """Every message of the code (English) has a Korean translation and every Korean entry is
    a message of the code: nothing exists in one language only."""
    found, _ = messages()
    code = {m.msgid for m in found}
    korean = set(catalogue("ko"))
    assert sorted(code - korean) == [], "messages without a Korean translation"
    assert sorted(korean - code) == [], "Korean entries the code no longer has"
    written = [e.msgid for _, e in _entries()]
    assert sorted({m for m in written if written.count(m) > 1}) == [], "translated twice"


def test_translations_keep_the_placeholders_and_the_plural_forms() -> None:
    found, _ = messages()
    plural = {m.msgid: m.plural for m in found}
    for po, e in _entries():
        assert not e.fuzzy, f"{po.name}:{e.line}: fuzzy"
        assert (e.msgid_plural is not None) == (plural.get(e.msgid) is not None), \
            f"{po.name}:{e.line}: plural form in the code and the catalogue differ"
        if e.msgid_plural is not None:
            assert e.msgid_plural == plural[e.msgid], f"{po.name}:{e.line}"
        for text in e.msgstr.values():
            assert text, f"{po.name}:{e.line}: not translated"
            assert fields(text) == fields(e.msgid), f"{po.name}:{e.line}: placeholders differ"


def test_the_po_reader(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr "Language: ko\\n"\n\n'
                  '# a comment\nmsgid "one "\n"line"\nmsgstr "한 "\n"줄 \\"따옴표\\""\n\n'
                  '#, fuzzy\nmsgid "guess"\nmsgstr "추측"\n\n'
                  'msgid "{n} sample"\nmsgid_plural "{n} samples"\nmsgstr[0] "샘플 {n}개"\n\n'
                  'msgid "untranslated"\nmsgstr ""\n', encoding="utf-8")
    assert read_po(po) == {"one line": '한 줄 "따옴표"', "{n} sample": ("샘플 {n}개",)}
    po.write_text('msgid "a"\nmsgstr b\n', encoding="utf-8")
    with pytest.raises(ValueError, match="quoted string"):
        read_po(po)


# -- choosing the language ----------------------------------------------------------------------

@pytest.mark.parametrize(("env", "lang"), [
    pytest.param({}, "en", id="nothing-set"),
    pytest.param({"LANG": "ko_KR.UTF-8"}, "ko", id="LANG-ko"),
    pytest.param({"LANG": "en_US.UTF-8"}, "en", id="LANG-en"),
    pytest.param({"LC_ALL": "ko_KR.UTF-8", "LANG": "C"}, "ko", id="LC_ALL-ko-wins"),
    pytest.param({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "en", id="LC_ALL-C-wins"),
    pytest.param({"LC_ALL": "", "LANG": "ko"}, "ko", id="empty-LC_ALL-ignored"),
    pytest.param({"LC_MESSAGES": "ko_KR", "LANG": "en_US"}, "ko", id="LC_MESSAGES"),
    pytest.param({"LANGUAGE": "ko:en", "LANG": "en_US"}, "ko", id="LANGUAGE-list"),
])
def test_language_from_env(env: dict[str, str], lang: str) -> None:
    assert language_from_env(env) == lang


def test_language_of_a_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from manual_backprop.cli.args import language_of

    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert language_of([]) == "ko"
    assert language_of(["--lang", "en"]) == "en"
    assert language_of(["--lang=en", "x", "--lang", "ko"]) == "ko"
    assert language_of(["--lang", "fr"]) == "ko"          # the parser reports "fr"
    assert language_of(["--", "--lang", "en"]) == "ko"
    monkeypatch.setenv("LANG", "C")
    assert language_of(["--lang=ko"]) == "ko"


def test_set_and_use_language() -> None:
    msgid = next(iter(catalogue("ko")))
    before = get_language()
    try:
        set_language("ko")
        assert _(msgid) == catalogue("ko")[msgid]
        with use_language("en"):
            assert _(msgid) == msgid
        assert get_language() == "ko"
    finally:
        set_language(before)
    assert ngettext("{n} sample", "{n} samples", 2) == "{n} samples"
    with pytest.raises(ValueError, match=r"`lang` \(='fr'\) must be one of en, ko"):
        set_language("fr")


def test_a_bad_lang_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    from manual_backprop.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["xor", "--lang", "fr"])
    assert exc.value.code == 2
    assert "--lang" in capsys.readouterr().err


# -- every command in Korean ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
BUGGY = f"{ROOT / 'catalogue' / 'buggy' / 'sign_flipped.py'}:backprop"
COMMANDS = [
    pytest.param([], id="report"),
    pytest.param(["explain"], id="explain"),
    pytest.param(["xor"], id="xor"),
    pytest.param(["check", BUGGY], id="check-buggy"),
]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from manual_backprop.cli import main

    main(argv)
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", COMMANDS)
def test_every_command_speaks_korean(argv: list[str], capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``--lang ko`` the output has at least twice as many Korean words as English words
    of three letters or more (tests/helpers.py, ``word_counts``: symbols and option names
    aside), and a Korean locale gives the same output without ``--lang``."""
    from tests.helpers import word_counts

    korean = _run([*argv, "--lang", "ko"], capsys)
    ko, en = word_counts(korean)
    assert ko >= 2 * en, (ko, en, korean)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert _run(argv, capsys) == korean
    english = _run([*argv, "--lang", "en"], capsys)
    assert word_counts(english)[0] < word_counts(english)[1] / 2


@pytest.mark.parametrize("command", [pytest.param([], id="report"), pytest.param(["xor"], id="xor"),
                                     pytest.param(["explain"], id="explain"),
                                     pytest.param(["check"], id="check")])
def test_help_and_usage_errors_in_korean(command: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """argparse's own words (usage, options, the -h help, its errors) in Korean too."""
    from manual_backprop.cli import main

    def status(argv: list[str]) -> int | str | None:
        """The exit status, returned or raised (argparse's help and errors raise SystemExit)."""
        try:
            return main(argv)
        except SystemExit as exc:
            return exc.code

    assert status([*command, "--help", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("사용법: ") and "\n옵션:\n" in out and "도움말" in out, out
    assert "usage" not in out and "show this help" not in out
    command = [*command, BUGGY] if command == ["check"] else command   # its FILE is required
    assert status([*command, "--no-such-option", "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    assert ": 오류: " in err and "--no-such-option" in err, err
    assert status([*command, "--no-such-option", "--lang", "en"]) == 2
    assert "error: unrecognized arguments: --no-such-option" in capsys.readouterr().err
