"""The command line: ``manual-backprop SUBCOMMAND ...`` is the subcommand's ``main``, without a
subcommand it is the verification report; and it behaves like a good Unix tool: a reader that
goes away (``| head``) and Ctrl-C end it quietly, with no traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from manual_backprop import cli

ROOT = Path(__file__).resolve().parent.parent


def _json_of(status: int, capsys: pytest.CaptureFixture[str]) -> object:
    assert status == 0
    return json.loads(capsys.readouterr().out)


def test_a_subcommand_is_its_main_with_the_rest_of_the_arguments(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop xor ARGS`` is ``xor.main(ARGS)``, the arguments given as a list or read
    from sys.argv."""
    from manual_backprop.cli import xor

    args = ["--epochs", "2", "--hidden", "2", "--json"]
    direct = _json_of(xor.main(args), capsys)
    assert _json_of(cli.main(["xor", *args]), capsys) == direct
    monkeypatch.setattr(sys, "argv", ["manual-backprop", "xor", *args])
    assert _json_of(cli.main(), capsys) == direct


def test_the_exit_status_of_a_subcommand_is_returned(capsys: pytest.CaptureFixture[str]) -> None:
    """A usage error of a subcommand is its exit status 2, returned as an int."""
    status = cli.main(["check", "no_such_file.py:f"])
    assert status == 2 and type(status) is int
    assert "no such file" in capsys.readouterr().err


def test_without_a_subcommand_it_is_the_verification_report(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``manual-backprop --json`` is the report of the arguments given (not of sys.argv), and
    the report finds the kernel right."""
    from manual_backprop.cli import report

    monkeypatch.setattr(sys, "argv", ["pytest", "--not-an-option"])
    via_cli = _json_of(cli.main(["--json"]), capsys)
    assert via_cli == _json_of(report.main(["--json"]), capsys)
    assert isinstance(via_cli, dict) and via_cli["ok"] is True


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    # 20,000 epochs of loss values as JSON: far more than a pipe's buffer holds
    with subprocess.Popen([sys.executable, "-m", "manual_backprop", "xor", "--json",
                           "--epochs", "20000"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, cwd=ROOT) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()                     # what `| head -c 10` does
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141 and err == "", err


def test_ctrl_c_ends_the_command_quietly() -> None:
    with subprocess.Popen([sys.executable, "-m", "manual_backprop", "check",
                           "catalogue/correct/loops.py:backprop", "--max-examples", "100000"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) as proc:
        try:
            time.sleep(4)                       # inside the search by then
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        finally:
            proc.kill()                         # never leave it running (nor the suite waiting)
    assert proc.returncode == 130 and b"Traceback" not in err + out, (proc.returncode, err)


# -- the report in Korean (--lang ko, or a Korean locale) -------------------------------------

@pytest.fixture(scope="module")
def report_rows() -> list[object]:
    """The report's rows, computed once (3 s) while the language is Korean: they are data,
    the same in both languages."""
    from manual_backprop.cli import report
    from manual_backprop.i18n import use_language

    with use_language("ko"):
        return list(report.verify())


def _report(argv: list[str], rows: list[object], monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from manual_backprop.cli import report

    monkeypatch.setattr(report, "verify", lambda: rows)
    status = cli.main(argv)
    return status, capsys.readouterr().out


def _columns(text: str) -> int:
    """The terminal columns of a line: two for a wide (Hangul) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(text: str) -> list[str]:
    """The header, the rule and the rows of the report's table."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if set(line) == {"-"}) - 1
    return lines[start:lines.index("", start)]


def test_the_report_in_korean(report_rows: list[object], monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """The lecture's words (docs/glossary.md), more than twice as many Korean words as English
    ones (tests/helpers.word_counts; the English left are the activation names, which stay),
    the networks' names translated, the same numbers as in English, columns that line up on a
    terminal in both languages, and a Korean locale says the same without --lang."""
    import re

    from tests.helpers import word_counts

    status, korean = _report(["--lang", "ko"], report_rows, monkeypatch, capsys)
    assert status == 0
    ko, en = word_counts(korean)
    assert ko >= 2.5 * en, (ko, en, korean)
    for term in ("검증 보고서", "손으로 구현한 역전파", "상대 오차", "허용 오차", "유한 차분",
                 "은닉층의 오차", "기울기", "신경망", "활성화 함수", "강의 방식",
                 "강의 예제 2-3-2", "XOR 문제 2-4-1", "깊은 신경망 4-5-6-3", "단층 신경망 3-2",
                 "통과: ", "신경망 24개(층 48개)"):
        assert term in korean, term
    for word in ("report", "lecture", "deep", "single", "network", "OK:", "tolerances",
                 "finite", "relative", "times"):
        assert word not in korean.lower(), word
    _, english = _report(["--lang", "en"], report_rows, monkeypatch, capsys)
    number = r"(?<![0-9A-Za-z_.])[-+]?\d+(?:\.\d+)?(?:e[-+]\d+)?(?!\.?[0-9A-Za-z_])"
    assert re.findall(number, korean) == re.findall(number, english)
    for text in (korean, english):
        table = _table(text)
        assert len(table) == 2 + len(report_rows)
        assert {_columns(line) for line in table} == {len(table[1])}, table
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert _report([], report_rows, monkeypatch, capsys)[1] == korean


def test_a_failing_report_in_korean(report_rows: list[object], monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A layer that disagrees (and one whose finite differences all crossed a kink): the
    verdict, the mark and "n/a" in both languages, exit status 1."""
    import dataclasses

    rows = list(report_rows)
    rows[3] = dataclasses.replace(rows[3], ok=False, vs_finite_differences=None)
    status, korean = _report(["--lang", "ko"], rows, monkeypatch, capsys)
    assert status == 1
    assert "\n실패: 정확한 은닉층의 오차를 쓰는 역전파가 층별 검사 48개 중 1개에서 " in korean
    assert korean.count("불일치") == 1 and "없음" in _table(korean)[5]
    status, english = _report(["--lang", "en"], rows, monkeypatch, capsys)
    assert status == 1
    assert "\nFAIL: the exact kernel disagrees in 1 of 48 layer checks.\n" in english
    assert english.count("DISAGREES") == 1 and "n/a" in _table(english)[5]
    for text in (korean, english):               # the marked row is the only longer one
        table = _table(text)
        assert [i for i, line in enumerate(table) if _columns(line) != len(table[1])] == [5]


def test_the_reports_json_is_the_same_in_both_languages(
        report_rows: list[object], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Computed in Korean, the rows name the networks in English (the JSON's values), and the
    JSON is the same whatever the language."""
    names = {r.network for r in report_rows}                # type: ignore[attr-defined]
    assert names == {"lecture 2-3-2", "XOR 2-4-1", "deep 4-5-6-3", "single 3-2"}
    _, korean = _report(["--json", "--lang", "ko"], report_rows, monkeypatch, capsys)
    _, english = _report(["--json", "--lang", "en"], report_rows, monkeypatch, capsys)
    assert korean == english and json.loads(korean)["rows"][0]["network"] == "lecture 2-3-2"


def test_the_reports_help_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help", "--lang", "ko"])
    help_text = capsys.readouterr().out
    assert "손으로 구현한 역전파를 jax.grad 및 유한 차분과 비교하여 검증합니다." in help_text
    assert "보고서를 JSON 객체 하나로 출력" in help_text
