"""``manual-backprop explain``: the worked example's numbers, the text, the JSON, the file
formats and their errors, the text, help and errors in Korean (``--lang ko``), and properties of
the explanation on random networks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given

import manual_backprop as mb
import reference
from manual_backprop.activations import ACTIVATIONS
from manual_backprop.cli import main as command
from manual_backprop.cli.explain import main
from manual_backprop.i18n import use_language
from manual_backprop.teaching.explain import WORKED_EXAMPLE, explain_network, to_json
from manual_backprop.teaching.explain_text import MAX_SAMPLES, render
from manual_backprop.teaching.network_file import FileFormatError, load_network
from reference import networks, rtol_for
from tests.helpers import (
    A1,
    DW1,
    DW2,
    Y_HAT,
    Z2,
    jax_sees_the_same_net_inputs,
    scale,
    word_counts,
)

F64 = (np.dtype(np.float64),)
_E2 = 1 - np.array(Y_HAT)                                   # E[2] = Y − Ŷ, with Y = [1, 1]ᵀ
G_PRIME_Z2 = (np.array(Y_HAT) * (1 - np.array(Y_HAT))).tolist()   # σ′(Z[2]) = Ŷ(1 − Ŷ)
_W2T = np.array(WORKED_EXAMPLE["weights"][1]).T
E1 = {"lecture": (_W2T @ _E2).tolist(),                     # W[2]ᵀ E[2]
      "exact": (_W2T @ (_E2 * G_PRIME_Z2)).tolist()}        # W[2]ᵀ (E[2] ⊙ g′(Z[2]))


def worked() -> mb.explain.Explanation:  # type: ignore[name-defined]
    return explain_network(WORKED_EXAMPLE["weights"], WORKED_EXAMPLE["X"], WORKED_EXAMPLE["Y"])


# --- the worked example of lecture 8-3 ------------------------------------------------------------
def test_worked_example_numbers() -> None:
    ex = worked()
    np.testing.assert_allclose(ex.Z[1].ravel(), [0.1, 0.2, 0.3], atol=1e-12)
    np.testing.assert_allclose(ex.A[1].ravel(), A1, atol=1e-10)
    np.testing.assert_allclose(ex.Z[2].ravel(), Z2, atol=1e-10)
    np.testing.assert_allclose(ex.A[2].ravel(), Y_HAT, atol=1e-10)
    np.testing.assert_allclose(ex.E["exact"][2].ravel(), 1 - np.array(Y_HAT), atol=1e-10)
    np.testing.assert_allclose(ex.g_prime[2].ravel(), G_PRIME_Z2, atol=1e-9)
    for h in ("exact", "lecture"):
        np.testing.assert_allclose(ex.dW[h][2], DW2, atol=1e-10)
        np.testing.assert_allclose(ex.dW[h][1], DW1[h], atol=1e-10)
        np.testing.assert_allclose(ex.E[h][1].ravel(), E1[h], atol=1e-9)
        np.testing.assert_allclose(ex.W_new[h][1], np.array(WORKED_EXAMPLE["weights"][0])
                                   - 0.5 * np.array(DW1[h]), atol=1e-12)
    assert ex.jax_grad is not None
    np.testing.assert_allclose(ex.jax_grad[1], DW1["exact"], atol=1e-10)
    np.testing.assert_allclose(ex.jax_grad[2], DW2, atol=1e-10)
    t = ex.weight                          # w_00 of W[2]: −(y_0 − ŷ_0) · σ′(z_0) · a_0
    assert (t.layer, t.j, t.k, t.w_jk) == (2, 0, 0, 0.3)
    assert t.error[0] == pytest.approx(1 - Y_HAT[0], abs=1e-10)
    assert t.g_prime[0] == pytest.approx(G_PRIME_Z2[0], abs=1e-9)
    assert t.a_j[0] == pytest.approx(A1[0], abs=1e-10)
    assert t.dw_jk == pytest.approx(DW2[0][0], abs=1e-10) == t.matrix_entry


def test_the_weight_trace_uses_the_index_warning() -> None:
    """w_jk with j = 2 (hidden), k = 1 (output) is W[2][1, 2], not W[2][2, 1]."""
    ex = explain_network(WORKED_EXAMPLE["weights"], WORKED_EXAMPLE["X"], WORKED_EXAMPLE["Y"],
                         j=2, k=1, with_jax=False)
    assert ex.weight.w_jk == 0.1 == WORKED_EXAMPLE["weights"][1][1][2]
    assert ex.weight.dw_jk == pytest.approx(DW2[1][2], abs=1e-10)
    with pytest.raises(ValueError, match=r"j, k.*shape \(2, 3\)"):
        explain_network(WORKED_EXAMPLE["weights"], WORKED_EXAMPLE["X"], WORKED_EXAMPLE["Y"],
                        j=1, k=2, with_jax=False)


def test_text_follows_the_slides(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    order = ["순전파", "1단계", "2단계", "3단계", "4단계", "W[1] 의 오차함수 미분",
             "역전파의 가중치 조정"]
    positions = [out.index(h) for h in order]
    assert positions == sorted(positions), "the sections are not in the slides' order"
    # names what the repository holds (the lecture), never an unpublished document
    assert "the worked example of lecture 8-3: 2-3-2" in out and "SPEC" not in out
    for label in ["Z[1] = W[1] A[0]", "A[1] = g(Z[1])", "Z[2] = W[2] A[1]", "Ŷ = A[2]",
                  "E[2] = Y − Ŷ", "g′(Z[2])", "ΔW[2] exact", "E[1] lecture", "E[1] exact",
                  "ΔW[1] exact", "ΔW[1] lecture", "jax.grad ∂E/∂W[1]", "W[2][k, j] = W[2][0, 0]",
                  "new W[1] exact", "new W[1] lecture"]:
        assert label in out, label
    # every quantity with at least 4 decimals (here 6): Z[2], σ′, ΔW[2], E[1], ΔW[1] both
    for number in ["0.324905", "0.217423", "0.243517", "-0.053627", "0.215016", "0.052677",
                   "-0.013136", "-0.053620", "0.187376"]:
        assert number in out, number
    assert not re.search(r"(?<![\d.])-?\d+\.\d{1,3}(?![\de])", out.replace("α = 0.5", "")), \
        "a number printed with fewer than 4 decimals"


# --- JSON ---------------------------------------------------------------------------------------
def test_json_has_every_quantity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"L", "m", "activation", "alpha", "W", "X", "Y", "Z", "A", "Y_hat",
                         "loss", "g_prime_Z", "E", "dW", "jax_grad", "W_new", "loss_new",
                         "weight"}
    assert (data["L"], data["m"], data["activation"], data["alpha"]) == (
        2, 1, ["sigmoid", "sigmoid"], 0.5)
    assert set(data["A"]) == {"0", "1", "2"} and set(data["Z"]) == {"1", "2"}
    assert set(data["E"]) == set(data["dW"]) == set(data["W_new"]) == {"exact", "lecture"}
    np.testing.assert_allclose(data["dW"]["lecture"]["1"], DW1["lecture"], atol=1e-10)
    np.testing.assert_allclose(data["dW"]["exact"]["1"], DW1["exact"], atol=1e-10)
    np.testing.assert_allclose(data["jax_grad"]["1"], DW1["exact"], atol=1e-10)
    np.testing.assert_allclose(data["g_prime_Z"]["2"], [[g] for g in G_PRIME_Z2], atol=1e-9)
    np.testing.assert_allclose(data["Y_hat"], [[y] for y in Y_HAT], atol=1e-10)
    assert data["weight"]["stored_at"] == "W[2][0, 0]"
    assert data["loss_new"]["exact"] < data["loss"]


# --- files --------------------------------------------------------------------------------------
def _write(tmp_path: Path, name: str, content: Any) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    elif name.endswith(".npz"):
        np.savez(p, **content)
    else:
        p.write_text(content if isinstance(content, str) else json.dumps(content))
    return p


GOOD = {"weights": WORKED_EXAMPLE["weights"], "X": [[1, 0.5], [0, -1]], "Y": [[1, 0], [1, 1]]}
BAD_FILES: list[tuple[str, Any, str]] = [
    ("missing.json", None, "no such file"),
    ("net.txt", "{}", "unknown file type"),
    ("broken.json", '{"weights": [[[1, 2]]], "X": ', "not valid JSON"),
    ("latin1.json", b"\xff\xfe{", "not UTF-8"),
    ("list.json", "[1, 2]", "expected a JSON object"),
    ("typo.json", {**GOOD, "w1": 1}, "unknown key"),
    ("noY.json", {k: v for k, v in GOOD.items() if k != "Y"}, "missing Y"),
    ("empty.json", {**GOOD, "weights": []}, "at least one layer"),
    ("shapes.json", {**GOOD, "Y": [[1, 0]]}, "`Y` has shape (1, 2)"),
    ("ragged.json", {**GOOD, "X": [[1, 0.5], [0]]}, "could not be read"),
    ("nan.json", {**GOOD, "X": [[1, "NaN"], [0, 1]]}, "`X`"),
    ("act.json", {**GOOD, "activation": "sigmod"}, "did you mean 'sigmoid'"),
    ("acts.json", {**GOOD, "activation": ["tanh"]}, "L = 2"),
    ("alpha.json", {**GOOD, "alpha": 0}, "`alpha` must be a finite positive number"),
    ("garbage.npz", b"not a zip file", "not a valid .npz"),
    ("gap.npz", {"W1": np.ones((2, 2)), "W3": np.ones((1, 2)), "X": np.ones((2, 1)),
                 "Y": np.ones((1, 1))}, "without gaps"),
    ("noweights.npz", {"X": np.ones((2, 1)), "Y": np.ones((1, 1))}, "no weights"),
    ("extra.npz", {"W1": np.ones((1, 2)), "X": np.ones((2, 1)), "Y": np.ones((1, 1)),
                   "b1": np.ones(1)}, "unknown array"),
    ("vector.npz", {"W1": np.ones(2), "X": np.ones((2, 1)), "Y": np.ones((1, 1))},
     "must be 2-dimensional"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_one_clear_line_and_exit_2(tmp_path: Path, name: str, content: Any,
                                                 message: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name if content is None else _write(tmp_path, name, content)
    assert main(["--file", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"manual-backprop explain: error: {path}: ")
    assert message in lines[0]


def test_the_command_line_exits_2_without_a_traceback(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.json", {**GOOD, "Y": [[1]]})
    for args in (["--file", str(bad)], ["--weight", "x"], ["--activation", "nope"]):
        run = subprocess.run([sys.executable, "-m", "manual_backprop", "explain", *args],
                             capture_output=True, text=True, cwd=Path(__file__).parent.parent)
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_a_good_file_gives_the_same_numbers_as_the_python_api(tmp_path: Path, suffix: str,
                                                              capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    if suffix == ".json":
        path = _write(tmp_path, "net.json", {**GOOD, "activation": ["tanh", "identity"],
                                             "alpha": 0.25})
    else:
        path = _write(tmp_path, "net.npz", {"W1": np.array(GOOD["weights"][0], np.float32),
                                            "W2": np.array(GOOD["weights"][1]), "X": GOOD["X"],
                                            "Y": GOOD["Y"], "alpha": 0.25,
                                            "activation": np.array(["tanh", "identity"])})
    net = load_network(path)
    assert (net.activation, net.alpha) == (["tanh", "identity"], 0.25)
    assert main(["--file", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["activation"], data["alpha"], data["m"]) == (["tanh", "identity"], 0.25, 2)
    expected = mb.gradients(GOOD["weights"], GOOD["X"], GOOD["Y"], ["tanh", "identity"],
                            hidden_error="lecture")
    for l in (1, 2):
        np.testing.assert_allclose(data["dW"]["lecture"][str(l)], expected[l - 1], rtol=1e-6)
    # the command line wins over the file
    assert main(["--file", str(path), "--json", "--activation", "sigmoid", "--alpha", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["activation"], data["alpha"]) == (["sigmoid", "sigmoid"], 2.0)


def test_loader_raises_file_format_error(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="missing X, Y"):
        load_network(_write(tmp_path, "a.json", {"weights": GOOD["weights"]}))


# --- in Korean (--lang ko): the lecture's handout ----------------------------------------------
def _explain(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The command as a user runs it (``manual_backprop.cli.main`` chooses the language)."""
    status = command(["explain", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _english_words(text: str) -> set[str]:
    """The English words ``word_counts`` counts (three letters or more, not part of a symbol)."""
    tokens = re.findall(r"[\w.\-/\[\]]+", text)
    return {t.rstrip(".") for t in tokens
            if not t.startswith("-") and re.fullmatch(r"[A-Za-z]{3,}\.?", t)}


def _numbers(text: str) -> list[str]:
    return re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?", text)


HANDOUT_ORDER = ["순전파", "순입력", "활성화 함수", "예측값", "오차함수", "출력층의 오차",
                 "1단계", "경사하강법", "행렬 미분의 어려움 → 해결책", "2단계", "합성함수 미분법",
                 "3단계", "4단계", "원소별 곱", "W[1] 의 오차함수 미분", "은닉층의 오차",
                 "역전파의 가중치 조정", "학습률 α"]


def test_the_korean_text_is_the_lecture_handout(capsys: pytest.CaptureFixture[str]) -> None:
    status, korean, _ = _explain(["--lang", "ko"], capsys)
    assert status == 0
    ko, en = word_counts(korean)
    assert ko >= 3 * en and ko >= 200, (ko, en)
    # the slides' words, in the slides' order; no English gloss, no English sentence
    position = 0
    for term in HANDOUT_ORDER:              # each after the one before
        assert term in korean[position:], f"{term} missing or out of the slides' order"
        position = korean.index(term, position)
    for gloss in ["(step", "(forward pass)", "(hidden", "(the chain rule)", "Backpropagation"]:
        assert gloss not in korean, gloss
    assert _english_words(korean) == {"sigmoid"}
    # the same numbers, in the same places, as in English
    _, english, _ = _explain(["--lang", "en"], capsys)
    assert "1단계 (step 1)" in english and "학습률" not in english
    assert _numbers(korean) == _numbers(english) and len(_numbers(korean)) > 100
    assert korean.count("\n") == english.count("\n")


def test_a_korean_locale_speaks_korean_without_lang(capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _, korean, _ = _explain(["--lang", "ko"], capsys)
    _, korean_json, _ = _explain(["--lang", "ko", "--json"], capsys)
    _, english_json, _ = _explain(["--lang", "en", "--json"], capsys)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert _explain([], capsys)[1] == korean
    assert _explain(["--lang", "en"], capsys)[1].startswith("역전파 2 (Backpropagation 2)")
    # the JSON holds numbers and codes only: the same in both languages, keys and all
    assert korean_json == english_json == _explain(["--json"], capsys)[1]


def _columns(text: str) -> int:
    """Terminal columns: a Hangul syllable takes two."""
    return sum(2 if "\uac00" <= c <= "\ud7a3" else 1 for c in text)


@pytest.mark.parametrize("narrow", [False, True], ids=["worked-example", "labels-wider"])
def test_korean_labels_stay_above_their_matrices(tmp_path: Path, narrow: bool,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Side-by-side matrices and step 3's table are aligned by terminal columns, also where a
    Korean label is wider than its matrix (one input: ΔW[1] is a single column)."""
    net = {"weights": [[[0.5], [-0.3]], [[0.2, 0.7]]], "X": [[1.0]], "Y": [[1.0]]}
    argv = ["--file", str(_write(tmp_path, "narrow.json", net))] if narrow else []
    korean = _explain([*argv, "--lang", "ko"], capsys)[1].splitlines()
    for label in ["E[1] 강의", "ΔW[1] 정확", "현재 W[1]"]:
        i = next(i for i, line in enumerate(korean) if line.lstrip().startswith(label))
        heads, row = korean[i], korean[i + 1]
        starts = [m.start(1) for m in re.finditer(r"(?:^ *|   )(\[)", row)]
        labels = [m.start(1) for m in re.finditer(r"(?:^ *|   )(\S)", heads)]
        assert [_columns(heads[:c]) for c in labels] == [_columns(row[:c]) for c in starts], \
            (heads, row)
    head = next(i for i, line in enumerate(korean) if "세 인수의 곱" in line)
    assert _columns(korean[head]) == _columns(korean[head + 1])            # right-aligned
    assert _columns(korean[head][:korean[head].index("샘플") + 2]) == 4 + 8     # over "0"


def _korean_file_text(tmp_path: Path, name: str, net: dict[str, Any], extra: list[str],
                      capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    path = _write(tmp_path, name, net)
    status, korean, err = _explain(["--file", str(path), *extra, "--lang", "ko"], capsys)
    assert (status, err) == (0, "")
    _, english, _ = _explain(["--file", str(path), *extra, "--lang", "en"], capsys)
    ko, en = word_counts(korean)
    assert ko >= 3 * max(en, 1) and ko >= 200, (ko, en)
    assert _english_words(korean) <= set(ACTIVATIONS), _english_words(korean)
    assert _numbers(korean) == _numbers(english)
    return korean, english


_RNG = np.random.default_rng(7)
KOREAN_FILES: list[tuple[str, dict[str, Any], list[str], list[str]]] = [
    ("two_samples.json", {**GOOD, "activation": ["tanh", "identity"], "alpha": 0.25}, [],
     ["여러분의 신경망: 2-3-2", "샘플 m = 2개", "학습률 α = 0.25", "샘플마다 하나",
      "샘플별 항의 합", "여기서는 두 정의가 같습니다"]),
    ("deeper.json", {"weights": [_RNG.normal(size=shape).tolist()
                                 for shape in [(3, 2), (4, 3), (2, 4)]],
                     "X": _RNG.normal(size=(2, 3)).tolist(), "Y": [[1, 0, 1], [0, 1, 0]]},
     ["--weight", "3,1"],
     ["L = 3인 이 신경망", "1단계: W[3]", "4단계: ΔW[3]", "W[2] 의 오차함수 미분",
      "W[1] 의 오차함수 미분", "강의 정의로 구한 ΔW[2] ≠ ∂E/∂W[2]", "j = 3, k = 1",
      "W[3][1, 3]", "은닉층 노드 j와 출력층 노드 k"]),
    ("one_layer.json", {"weights": [[[0.5, -0.2]]], "X": [[1, 0], [0, 1]], "Y": [[1, 0]]}, [],
     ["L = 1이면 은닉층이 없으므로", "입력층 노드 j와 출력층 노드 k", "새 W[1] (두 정의 모두)"]),
    ("many_samples.json", {**GOOD, "X": _RNG.normal(size=(2, MAX_SAMPLES + 2)).tolist(),
                           "Y": _RNG.uniform(size=(2, MAX_SAMPLES + 2)).tolist()}, [],
     ["(나머지 샘플 2개 생략)", "Δw_jk = 모든 샘플에 대한 합 ="]),
]


@pytest.mark.parametrize(("name", "net", "extra", "phrases"), KOREAN_FILES,
                         ids=[f[0] for f in KOREAN_FILES])
def test_korean_for_your_own_network(tmp_path: Path, name: str, net: dict[str, Any],
                                     extra: list[str], phrases: list[str],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    korean, _ = _korean_file_text(tmp_path, name, net, extra, capsys)
    for phrase in phrases:
        assert phrase in korean, phrase


def test_korean_without_jax() -> None:
    ex = explain_network(WORKED_EXAMPLE["weights"], WORKED_EXAMPLE["X"], WORKED_EXAMPLE["Y"],
                         j=2, k=1, with_jax=False)
    with use_language("ko"):
        korean = render(ex)
    assert "(jax가 설치되어 있지 않아 jax.grad 열은 없습니다)" in korean
    assert "j = 2, k = 1" in korean and _english_words(korean) == {"sigmoid"}
    assert "(jax is not installed: no jax.grad column)" in render(ex)       # English by default


def test_korean_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        command(["explain", "--help", "--lang", "ko"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for phrase in ["강의의 유도 과정(역전파 2, 1단계–4단계)을 숫자로", "여러분의 신경망",
                   "학습률 α", "3단계에서 따라갈 마지막 층의 가중치 w_jk", "JSON 객체 하나로 출력"]:
        assert phrase in " ".join(text.split()), phrase
    ko, en = word_counts(text)                  # argparse's own words ("usage", ...) included
    assert ko >= 2 * en, (ko, en)


# the Korean of each bad file whose message is explain's own (the rest come from
# manual_backprop/validation.py, shared with the Python API)
KOREAN_FILE_ERRORS = {
    "missing.json": "파일이 없습니다",
    "net.txt": "알 수 없는 파일 형식 '.txt'; .json 또는 .npz 파일이어야 합니다",
    "broken.json": "올바른 JSON이 아닙니다: 1번째 줄 30번째 열에서",
    "latin1.json": "올바른 JSON이 아닙니다: UTF-8 텍스트 파일이 아닙니다",
    "list.json": "키 \"weights\", \"X\", \"Y\"를 가진 JSON 객체여야 하는데 list입니다",
    "typo.json": "알 수 없는 키 'w1'; 키는",
    "noY.json": "빠진 항목: Y. 신경망 파일에는 가중치, X, Y가 모두 있어야 합니다",
    "empty.json": "\"weights\"가 비어 있습니다. 신경망에는 층이 하나 이상 있어야 합니다",
    "garbage.npz": "올바른 .npz 파일이 아닙니다 (numpy.savez로 저장해야 합니다)",
    "gap.npz": "가중치는 빠진 번호 없이 W1..WL이어야 하는데 W1, W3입니다",
    "noweights.npz": "가중치가 없습니다: 배열 W1, W2, ..., WL이 있어야 합니다",
    "extra.npz": "알 수 없는 배열 'b1'; 배열은 W1, W2, ..., WL, X, Y와",
    "noext": "확장자가 없는 파일입니다. .json 또는 .npz 파일이어야 합니다",
    "dir.json": "디렉터리입니다. .json 또는 .npz 파일이어야 합니다",
    "weights.json": "\"weights\"는 행렬의 목록 [W1, W2, ...]이어야 하는데 int입니다",
    "actnum.json": "\"activation\"은 이름 하나 또는 이름 2개의 목록이어야 하는데 3입니다",
    "actint.npz": "`activation`은 문자열 배열이어야 하는데 dtype이 int64입니다",
    "alpha2.npz": "`alpha`는 숫자 하나여야 하는데 모양이 (2,)인 배열입니다",
    "object.npz": ".npz 파일을 읽을 수 없습니다: ",
}
_ONE = {"W1": np.ones((1, 2)), "X": np.ones((2, 1)), "Y": np.ones((1, 1))}
KOREAN_BAD_FILES = [
    *BAD_FILES, ("noext", "{}", ""), ("weights.json", {**GOOD, "weights": 3}, ""),
    ("actnum.json", {**GOOD, "activation": 3}, ""),
    ("actint.npz", {**_ONE, "activation": np.array([1])}, ""),
    ("alpha2.npz", {**_ONE, "alpha": np.array([1.0, 2.0])}, ""),
]


@pytest.mark.parametrize(("name", "content"), [b[:2] for b in KOREAN_BAD_FILES],
                         ids=[b[0] for b in KOREAN_BAD_FILES])
def test_a_bad_file_in_korean(tmp_path: Path, name: str, content: Any,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / name if content is None else _write(tmp_path, name, content)
    status, out, err = _explain(["--file", str(path), "--lang", "ko"], capsys)
    assert (status, out) == (2, "")
    assert err.startswith(f"manual-backprop explain: 오류: {path}: ") and err.count("\n") == 1
    if name in KOREAN_FILE_ERRORS:
        assert KOREAN_FILE_ERRORS[name] in err, err
        assert word_counts(err)[0] >= 2


def test_korean_special_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directory, and an .npz file of Python objects (which needs pickle, never allowed)."""
    (tmp_path / "dir.json").mkdir()
    np.savez(tmp_path / "object.npz", W1=np.array([object()], dtype=object), allow_pickle=True)
    for name in ("dir.json", "object.npz"):
        status, _, err = _explain(["--file", str(tmp_path / name), "--lang", "ko"], capsys)
        assert status == 2 and KOREAN_FILE_ERRORS[name] in err, err


def test_korean_errors_of_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _explain(["--weight", "x", "--lang", "ko"], capsys)
    assert (status, err) == (2, "manual-backprop explain: 오류: --weight에는 0,1처럼 정수 두 개 "
                                "J,K를 주어야 합니다. 받은 값: 'x'\n")
    status, _, err = _explain(["--weight", "1,2", "--lang", "ko"], capsys)
    assert status == 2 and err == (
        "manual-backprop explain: 오류: `j, k` = 1, 2인 가중치는 W[2]에 없습니다: W[2]의 모양이 "
        "(2, 3)이므로 0 <= j < 3 (층 1의 노드), 0 <= k < 2 (층 2의 노드)이어야 합니다\n")
    status, _, err = _explain(["--weight", "1,2", "--lang", "en"], capsys)
    assert err.startswith("manual-backprop explain: error: `j, k` = 1, 2 is not a weight of W[2]")


# --- properties on random networks -------------------------------------------------------------
@given(networks(dtypes=F64, max_depth=4))
def test_the_explained_hidden_errors_give_the_kernels_dW(net: reference.Network) -> None:
    """ΔW[l] = −(E[l] ⊙ g′(Z[l])) A[l−1]ᵀ with explain's E[l] is the kernel's ΔW[l] under both
    definitions; the exact one is jax.grad; step 3's sum is the matrix entry [k, j]."""
    ex = explain_network(net.weights, net.X, net.Y, net.activations, 0.1,
                         j=net.widths[-2] - 1, k=net.widths[-1] - 1, with_jax=False)
    for h in ("exact", "lecture"):
        for l in range(1, ex.L + 1):
            formula = -(ex.E[h][l] * ex.g_prime[l]) @ ex.A[l - 1].T
            np.testing.assert_allclose(formula, ex.dW[h][l], rtol=1e-12, atol=1e-300,
                                       err_msg=f"{h} ΔW[{l}]")
    if jax_sees_the_same_net_inputs(net):     # XLA flushes subnormal net inputs to 0
        reference.assert_gradients_close(list(ex.dW["exact"].values()), reference.gradients(
            net.weights, net.X, net.Y, net.activations), scale(net), rtol_for(np.float64))
    t = ex.weight
    assert t.matrix_entry == ex.dW["exact"][ex.L][t.k, t.j]
    elementwise = mb.gradients_elementwise(net.weights, net.X, net.Y, net.activations)
    assert t.dw_jk == pytest.approx(elementwise[-1][t.k, t.j], rel=1e-9, abs=1e-300)


@given(networks(dtypes=F64, max_depth=4, max_batch=12))
def test_the_text_and_json_work_for_every_depth(net: reference.Network) -> None:
    ex = explain_network(net.weights, net.X, net.Y, net.activations, 0.1, with_jax=False)
    text = render(ex, default_example=False)
    for l in range(1, ex.L):
        assert f"W[{l}] 의 오차함수 미분" in text
    assert f"4단계 (step 4): ΔW[{ex.L}]" in text
    assert ("W[0]" not in text) and ("E[0]" not in text)
    data = json.loads(json.dumps(to_json(ex)))
    assert set(data["E"]["lecture"]) == {str(l) for l in range(1, ex.L + 1)}
    np.testing.assert_array_equal(data["dW"]["exact"][str(ex.L)], ex.dW["exact"][ex.L])


@given(networks(dtypes=F64))
def test_json_files_round_trip_exactly(net: reference.Network) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "net.json"
        path.write_text(json.dumps({"weights": [W.tolist() for W in net.weights],
                                    "X": net.X.tolist(), "Y": net.Y.tolist(),
                                    "activation": net.activations}))
        loaded = load_network(path)
    for a, b in zip([*loaded.weights, loaded.X, loaded.Y], [*net.weights, net.X, net.Y]):
        np.testing.assert_array_equal(a, b)
    assert loaded.activation == net.activations


@given(networks(dtypes=F64, max_depth=4, max_batch=12))
def test_the_korean_text_works_for_every_depth(net: reference.Network) -> None:
    """Any depth, any number of samples: Korean with the same numbers as the English text,
    and no English word but the activations' names."""
    ex = explain_network(net.weights, net.X, net.Y, net.activations, 0.1, with_jax=False)
    english = render(ex, default_example=False)
    with use_language("ko"):
        korean = render(ex, default_example=False)
    assert _numbers(korean) == _numbers(english)
    assert _english_words(korean) <= set(ACTIVATIONS)
    for l in range(1, ex.L):
        assert f"W[{l}] 의 오차함수 미분: ΔW[{l}]" in korean
    assert f"4단계: ΔW[{ex.L}]" in korean
