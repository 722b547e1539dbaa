"""The gradebook files (``manual_backprop.grading.gradebooks``): points, the roster and its
errors (each naming the file and the line), the exact Canvas and Moodle columns, our CSV with
codes and prose apart, Excel's byte order mark, and the settings file beside the CSV."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

import manual_backprop
from manual_backprop.grading.gradebooks import (
    CSV_COLUMNS,
    read_roster,
    score,
    settings_path,
    write_canvas,
    write_gradebook,
    write_moodle,
    write_rows,
    write_settings,
)
from manual_backprop.grading.records import Row, Verdict
from manual_backprop.i18n import use_language

ROWS = [
    Row("alice.py", "", Verdict.AGREES, seconds=2.14),
    Row("bob.ipynb", "", Verdict.WRONG, ("sign",), ("the gradient's sign is flipped",),
        seconds=3.0),
    Row("김민지", "김민지", Verdict.AGREES_WITH_CAVEATS, caveats=("digits lost",), seconds=1.0),
    Row("dave.py", "", Verdict.AGREES_IN_ANOTHER_CONVENTION, hint="rerun with --layout rows"),
    Row("erin.py", "", Verdict.ERROR, ("no_function",), ("no function 'backprop'",)),
    Row("frank.py", "", Verdict.TIMEOUT, ("timeout",), ("no verdict within 60 s",)),
]

ROSTER = """\
submission,student_id,name,email,section
alice,1001,"Kim, Alice",alice@example.org,A
bob.ipynb,1002,Bob Lee,bob@example.org,A
김민지,1003,김민지,minji@example.org,B
dave,1004,Dave,dave@example.org,B
erin,1005,Erin,erin@example.org,B
frank,1006,Frank,frank@example.org,B
,1007,Grace (no submission),grace@example.org,B
"""


def _csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_points_go_to_agrees_and_agrees_with_caveats_only() -> None:
    assert [score(r, 10) for r in ROWS] == [10, 0, 10, 0, 0, 0]
    with pytest.raises(ValueError, match="`points` must be a finite number > 0, got 0"):
        score(ROWS[0], 0)


def test_our_csv_keeps_codes_and_prose_apart(tmp_path: Path) -> None:
    write_rows(ROWS, tmp_path / "marks.csv", points=5)
    table = _csv(tmp_path / "marks.csv")
    assert table[0] == list(CSV_COLUMNS)
    assert table[2] == ["bob.ipynb", "", "wrong", "sign", "the gradient's sign is flipped", "",
                        "", "0", "3.0"]
    assert table[3][:3] == ["김민지", "김민지", "agrees_with_caveats"]
    assert table[3][-2:] == ["5", "1.0"]
    write_rows(ROWS, tmp_path / "plain.csv")
    assert "score" not in _csv(tmp_path / "plain.csv")[0]


def test_excel_gets_a_byte_order_mark(tmp_path: Path) -> None:
    write_rows(ROWS, tmp_path / "excel.csv", excel=True)
    write_rows(ROWS, tmp_path / "plain.csv")
    excel, plain = (tmp_path / "excel.csv").read_bytes(), (tmp_path / "plain.csv").read_bytes()
    assert excel == b"\xef\xbb\xbf" + plain
    assert "김민지" in excel.decode("utf-8-sig") and not plain.startswith(b"\xef\xbb\xbf")


def test_canvas_has_its_export_columns_and_points_possible(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = read_roster(tmp_path / "roster.csv")
    write_canvas(ROWS, roster, tmp_path / "canvas.csv", assignment="HW3 backprop (4711)",
                 points=10)
    assert _csv(tmp_path / "canvas.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "HW3 backprop (4711)"],
        ["Points Possible", "", "", "", "", "10"],
        ["Kim, Alice", "1001", "", "", "A", "10"],
        ["Bob Lee", "1002", "", "", "A", "0"],
        ["김민지", "1003", "", "", "B", "10"],
        ["Dave", "1004", "", "", "B", "0"],
        ["Erin", "1005", "", "", "B", "0"],
        ["Frank", "1006", "", "", "B", "0"],
    ]


def test_a_canvas_export_with_a_submission_column_is_a_roster(tmp_path: Path) -> None:
    (tmp_path / "export.csv").write_text(
        "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,HW1 (11),submission\n"
        "    Points Possible,,,,,10,\n"
        "\"Kim, Alice\",1001,S1001,alice,A,7,alice.py\n"
        "Bob Lee,1002,S1002,bob,A,9,bob.ipynb\n", encoding="utf-8")
    roster = read_roster(tmp_path / "export.csv")
    write_gradebook("canvas", ROWS[:2], roster, tmp_path / "canvas.csv", assignment="HW3",
                    points=2.5)
    assert _csv(tmp_path / "canvas.csv")[1:] == [
        ["Points Possible", "", "", "", "", "2.5"],
        ["Kim, Alice", "1001", "S1001", "alice", "A", "2.5"],
        ["Bob Lee", "1002", "S1002", "bob", "A", "0"],
    ]


def test_moodle_has_an_identity_column_a_grade_and_feedback(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    write_moodle(ROWS, read_roster(tmp_path / "roster.csv"), tmp_path / "moodle.csv",
                 assignment="HW3 backprop", points=10)
    table = _csv(tmp_path / "moodle.csv")
    assert table[0] == ["ID number", "Email address", "HW3 backprop", "Feedback"]
    assert table[1] == ["1001", "alice@example.org", "10", "agrees"]
    assert table[2] == ["1002", "bob@example.org", "0", "wrong; the gradient's sign is flipped"]
    assert table[4] == ["1004", "dave@example.org", "0",
                        "agrees_in_another_convention; rerun with --layout rows"]
    (tmp_path / "ids.csv").write_text("submission,ID number\nalice,1001\n", encoding="utf-8")
    write_moodle(ROWS[:1], read_roster(tmp_path / "ids.csv"), tmp_path / "m2.csv",
                 assignment="HW3", points=1)
    assert _csv(tmp_path / "m2.csv") == [["ID number", "HW3", "Feedback"], ["1001", "1", "agrees"]]


@pytest.mark.parametrize("text, message", [
    ("", "line 1: expected a header with the columns submission and student_id"),
    ("name,student_id\nx,1\n", "line 1: missing column 'submission' (the header has: name, "
                               "student_id)"),
    ("submission,ID,student_id\n", "line 1: two columns give student_id: 'ID' and "
                                   "'student_id'"),
    ("submission,student_id\nalice,1\nbob\n", "line 3: 1 fields, the header has 2"),
    ("submission,student_id\nalice,1\nbob,\n", "line 3: 'bob' has no student_id"),
    ("submission,student_id\nalice,1\nbob,2\nalice,3\n",
     "line 4: submission 'alice' is already on line 2"),
    ("submission,student_id\nalice,1\nbob,1\n", "line 3: student_id '1' is already on line 2"),
])
def test_a_bad_roster_names_the_file_and_the_line(tmp_path: Path, text: str,
                                                  message: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"{path}: {message}")):
        read_roster(path)


def test_a_roster_error_in_korean(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("submission,student_id\nalice,1\nalice,2\n", encoding="utf-8")
    with use_language("ko"), pytest.raises(ValueError, match=re.escape(
            f"{path}: 3번째 줄: submission 'alice'은(는) 이미 2번째 줄에 있습니다")):
        read_roster(path)


def test_every_row_must_be_on_the_roster_once(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("submission,student_id\nalice,1\n", encoding="utf-8")
    roster = read_roster(path)
    with pytest.raises(ValueError, match=re.escape(
            f"{path}: 2 submission(s) not on the roster: bob.ipynb, 김민지")):
        roster.match(ROWS[:3])
    two = [Row("alice.py", "", "agrees"), Row("alice.ipynb", "", "agrees")]
    with pytest.raises(ValueError, match=re.escape(
            f"{path}: line 2: 'alice' matches two submissions: alice.py and alice.ipynb")):
        roster.match(two)


def test_gradebook_arguments_are_checked(tmp_path: Path) -> None:
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = read_roster(tmp_path / "roster.csv")
    with pytest.raises(ValueError, match="`format` must be one of canvas, moodle, got 'excel'"):
        write_gradebook("excel", ROWS, roster, tmp_path / "x.csv", assignment="A", points=1)
    with pytest.raises(ValueError, match="`assignment` must be a non-empty str, got ''"):
        write_canvas(ROWS, roster, tmp_path / "x.csv", assignment="", points=1)
    with pytest.raises(ValueError, match="`points` must be a finite number > 0, got inf"):
        write_moodle(ROWS, roster, tmp_path / "x.csv", assignment="A", points=float("inf"))
    with pytest.raises(TypeError, match=r"`path` must be a pathlib\.Path, got str"):
        read_roster("roster.csv")  # type: ignore[arg-type]


def test_the_settings_go_beside_the_csv(tmp_path: Path) -> None:
    csv_path = tmp_path / "marks.csv"
    assert settings_path(csv_path) == tmp_path / "marks.settings.json"
    written = write_settings(csv_path, {"options": ["--max-examples", "50"], "seed": 0,
                                        "isolation": "landlock+seccomp", "lang": "ko"})
    assert json.loads(written.read_text("utf-8")) == {
        "version": manual_backprop.__version__, "options": ["--max-examples", "50"],
        "seed": 0, "isolation": "landlock+seccomp", "lang": "ko"}
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_settings(csv_path, {"when": object()})
    with pytest.raises(TypeError, match="`settings` must be a mapping, got list"):
        write_settings(csv_path, [])  # type: ignore[arg-type]
