"""``manual-backprop xor``: the XOR network of lecture 9-2 trained twice from the same weights."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import manual_backprop as mb
from manual_backprop.cli.xor import main
from manual_backprop.teaching.xor import THRESHOLDS, X_XOR, Y_XOR, initial_weights, train


def test_the_data_and_initial_weights() -> None:
    np.testing.assert_array_equal(X_XOR, [[0, 0, 1, 1], [0, 1, 0, 1]])
    np.testing.assert_array_equal(Y_XOR, [[0, 1, 1, 0]])
    W1, W2 = initial_weights(3, hidden=5)
    assert W1.shape == (5, 2) and W2.shape == (1, 5)
    rng = np.random.default_rng(3)              # documented: W[1] drawn first, then W[2]
    np.testing.assert_array_equal(W1, rng.uniform(-1, 1, (5, 2)))
    np.testing.assert_array_equal(W2, rng.uniform(-1, 1, (1, 5)))
    assert not np.array_equal(initial_weights(4)[0], initial_weights(3)[0])


@given(st.integers(0, 2**32 - 1), st.integers(1, 8))
def test_initial_weights_lie_in_minus_one_one(seed: int, hidden: int) -> None:
    for W in initial_weights(seed, hidden):
        assert np.all((W >= -1) & (W < 1))


@given(st.integers(0, 10_000), st.integers(1, 6), st.sampled_from(["exact", "lecture"]))
def test_training_is_the_kernels_step_repeated(seed: int, hidden: int, h: str) -> None:
    """Every epoch is one mb.step on all four samples; loss[e] is E after epoch e + 1;
    predictions are Ŷ of the final weights in the order (0,0), (0,1), (1,0), (1,1)."""
    W = initial_weights(seed, hidden)
    run = train(W, epochs=3, alpha=0.7, hidden_error=h)
    assert run.initial_loss == mb.loss(W, X_XOR, Y_XOR)
    for e in range(3):
        W = mb.step(W, X_XOR, Y_XOR, 0.7, hidden_error=h)
        assert run.loss[e] == mb.loss(W, X_XOR, Y_XOR)
    for Wr, Wk in zip(run.weights, W):
        np.testing.assert_array_equal(Wr, Wk)
    for i, x in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        y_hat = mb.forward(W, np.array(x, dtype=float).reshape(2, 1)).A[-1][0, 0]
        assert run.predictions[i] == pytest.approx(y_hat, rel=1e-15)


@given(st.integers(0, 10_000))
def test_both_runs_share_the_start_and_the_last_layers_first_step(seed: int) -> None:
    W = initial_weights(seed)
    exact, lecture = train(W, 1, 1.0, "exact"), train(W, 1, 1.0, "lecture")
    assert exact.initial_loss == lecture.initial_loss
    np.testing.assert_array_equal(exact.weights[1], lecture.weights[1])   # ΔW[2]: no E[1]
    assert not np.array_equal(exact.weights[0], lecture.weights[0])       # ΔW[1] differs


@given(st.lists(st.floats(0.0, 1.0), max_size=30))
def test_epochs_to_threshold_is_the_first_epoch_below_it(losses: list[float]) -> None:
    from manual_backprop.teaching.xor import _first_below

    for t in THRESHOLDS:
        e = _first_below(losses, t)
        if e is None:
            assert all(E >= t for E in losses)
        else:
            assert losses[e - 1] < t and all(E >= t for E in losses[: e - 1])


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "--epochs", "20", "--seed", "1", "--hidden", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"exact", "lecture"}
    W = initial_weights(1, 3)
    for h, run in data.items():
        assert set(run) == {"predictions", "loss", "final_loss", "initial_loss",
                            "epochs_to_loss", "weights"}
        assert len(run["predictions"]) == 4 and all(0 < p < 1 for p in run["predictions"])
        assert len(run["loss"]) == 20 and run["final_loss"] == run["loss"][-1]
        assert set(run["epochs_to_loss"]) == {str(t) for t in THRESHOLDS}
        expected = train(W, 20, 1.0, h)
        assert run["loss"] == expected.loss and run["predictions"] == expected.predictions


def test_text_output_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--epochs", "1000", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "exact" in out and "lecture" in out
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "ŷ(1,1)" in out and "final loss E" in out
    run = {h: train(initial_weights(0), 1000, 1.0, h) for h in ("exact", "lecture")}
    assert f"{run['exact'].final_loss:.6f}" in lines["final loss E"]
    assert f"{run['lecture'].final_loss:.6f}" in lines["final loss E"]
    for t in THRESHOLDS:
        row = next(line for line in out.splitlines() if line.startswith(f"epochs to E < {t:g} "))
        cells = row.split()[-2:]
        assert cells == [str(run[h].epochs_to[t] or "never") for h in ("exact", "lecture")]
    note = "The lecture's rule is not the gradient, yet it ended lower here"
    assert run["lecture"].final_loss < run["exact"].final_loss and note in out
    assert main(["--epochs", "100", "--alpha", "10"]) == 0       # a step too large for it
    big = {h: train(initial_weights(0), 100, 10.0, h) for h in ("exact", "lecture")}
    assert big["exact"].final_loss < big["lecture"].final_loss
    assert note not in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--epochs", "0"], ["--alpha", "-1"], ["--hidden", "0"],
                                  ["--alpha", "nan"], ["--seed", "x"]])
def test_bad_options_exit_2(args: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2


def test_plot_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "xor.png"
    assert main(["--epochs", "30", "--plot", str(path)]) == 0
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    assert f"wrote {path}" in capsys.readouterr().out


def test_plot_without_matplotlib_says_how_to_install_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)     # import matplotlib now fails
    path = tmp_path / "xor.png"
    assert main(["--plot", str(path)]) == 2
    err = capsys.readouterr().err
    assert "pip install '.[plot]'" in err and len(err.strip().splitlines()) == 1
    assert not path.exists()


def test_plot_to_an_unwritable_place_is_exit_2(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    assert main(["--epochs", "2", "--plot", str(tmp_path / "no" / "such" / "dir.png")]) == 2
    assert "cannot write" in capsys.readouterr().err


# -- in Korean (--lang ko, or a Korean locale) ------------------------------------------------

def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from manual_backprop import cli

    status = cli.main(["xor", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _columns(text: str) -> int:
    """The terminal columns of a line: two for a wide (Hangul) character."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _numbers(text: str) -> list[str]:
    import re

    return re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?!\.?\d)", text)


def test_the_table_in_korean(capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The lecture's words (docs/glossary.md), twice as many Korean words as English ones and
    more (tests/helpers.word_counts), the same numbers as in English, columns that line up on a
    terminal (Hangul takes two columns), and a Korean locale says the same without --lang."""
    from tests.helpers import word_counts

    status, korean, _ = _cli(["--lang", "ko"], capsys)
    assert status == 0
    ko, en = word_counts(korean)
    assert ko >= 3 * en, (ko, en, korean)
    for term in ("에포크", "오차함수", "레이블", "학습률", "초기 가중치", "편향 없음", "전체 배치",
                 "정확한 기울기 (∂E/∂W)", "강의 방식 (W[2]ᵀE[2])", "최종 오차함수 E",
                 "E < 0.01에 도달한 에포크", "도달 못 함"):
        assert term in korean, term
    for word in ("epochs", "target", "final loss", "never", "exact", "lecture", "biases"):
        assert word not in korean, word
    english = _cli(["--lang", "en"], capsys)[1]
    assert _numbers(korean) == _numbers(english)
    table = korean.splitlines()[3:13]                  # then a blank line and the note
    assert len(table) == 10 and len({_columns(line) for line in table}) == 1, table
    assert korean.splitlines()[14].startswith("강의의 규칙은 기울기가 아닌데도")
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert _cli([], capsys)[1] == korean


def test_the_json_is_the_same_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--json", "--epochs", "50", "--hidden", "3"]
    assert _cli([*args, "--lang", "ko"], capsys)[1] == _cli([*args, "--lang", "en"], capsys)[1]


def test_help_and_messages_in_korean(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit):
        _cli(["--help", "--lang", "ko"], capsys)
    help_text = capsys.readouterr().out
    for term in ("XOR 신경망", "은닉층의 오차", "초기 가중치를 뽑는 난수 시드", "학습할 에포크 수",
                 "학습률 α", "은닉층의 노드 수 N", "JSON 객체 하나로 출력", "결정 영역"):
        assert term in help_text, term
    if importlib.util.find_spec("matplotlib") is not None:
        path = tmp_path / "xor.png"
        status, out, _ = _cli(["--epochs", "3", "--plot", str(path), "--lang", "ko"], capsys)
        assert status == 0 and out.endswith(f"\n그림을 {path}에 저장했습니다.\n")
        status, _, err = _cli(["--epochs", "3", "--plot", str(tmp_path / "no" / "x.png"),
                               "--lang", "ko"], capsys)
        assert status == 2 and err.startswith("manual-backprop xor: 오류: ")
        assert f"{tmp_path / 'no' / 'x.png'}에 그림을 쓸 수 없습니다: " in err
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    status, _, err = _cli(["--plot", str(tmp_path / "x.png"), "--lang", "ko"], capsys)
    assert status == 2
    assert err == ("manual-backprop xor: 오류: --plot에는 matplotlib가 필요하지만 설치되어 있지 "
                   "않습니다: pip install '.[plot]'\n")
