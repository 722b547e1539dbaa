"""``check``'s details in Korean (manual_backprop/i18n/ko/check_details.po): the numerical
caveats (reference/caveats.py), the convention hints (reference/hints.py with the phrases of
reference/conventions.py), what a function returned or did wrong (reference/calling.py,
reference/evaluate.py) and the report of ``check_activation`` (reference/activation_check.py).

Each is asked for in both languages: in Korean it has at least twice (mostly three times) as
many Korean words as English ones (tests/helpers.py, ``word_counts``), uses the lecture's terms
(docs/glossary.md) and keeps symbols and option names as they are; in English it is what it
always was. The verdict lines around them (reference/check_report.py) are ko/check.po's and
are not looked at here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax.numpy as jnp
import numpy as np
import pytest

import manual_backprop as mb
from manual_backprop.cli import main
from manual_backprop.i18n import use_language
from reference.activation_check import check_activation
from reference.calling import call, interpret
from reference.caveats import STABLE, Caveat, CaveatLog
from reference.conventions import Convention, convention
from reference.evaluate import evaluate
from reference.hints import Hint
from reference.strategies import Network
from tests.helpers import word_counts

ROOT = Path(__file__).resolve().parent.parent
INF = math.inf


def _korean(text: str, ratio: float = 3.0) -> None:
    """Korean: at least ``ratio`` times as many Korean words as English ones, and some."""
    ko, en = word_counts(text)
    assert ko >= 3 and ko >= ratio * en, (ko, en, text)


# -- numerical caveats ----------------------------------------------------------------------

def _log(zs: list[float], probe: list[tuple[float, float]] | None = None,
         float32: bool = False) -> CaveatLog:
    """Caveats on networks whose most extreme net inputs are ``zs`` (rounding where |z| < 700,
    NaN/inf beyond), and a probe."""
    search = [Caveat("nonfinite", INF, z) if abs(z) > 700 else
              Caveat("rounding", 10.0 ** -(3 + i), z, float32=float32)
              for i, z in enumerate(zs)]
    return CaveatLog(search=search, probe=probe or [])


PROBE = [(z, e) for size, e in [(1.0, 0.0), (2.0, 1e-17), (30.0, 2.5e-6), (400.0, 1.2e-3),
                                (800.0, INF)] for z in (size, -size)]
LOGS = [
    pytest.param(_log([-470.2, -30.0, -800.0], PROBE), {
        "en": ["rounding: on 2 of the networks tried the relative error exceeds 1e-10 (at most "
               "0.001, 3 significant digits kept); all of them with a net input below −10; the "
               "least extreme z = -30",
               "NaN, ±inf or an overflow: on 1 of the networks tried; all of them with a net "
               "input below −10; the least extreme z = -800",
               "one weight, W[1] = [[z]] (then W[2] = [[1]]), X = [[1]]: digits lost at z = "
               "-800: NaN/inf (0 digits), z = -400: 0.0012 (3 digits), z = -30: 2.5e-06 (6 "
               "digits), z = 30: 2.5e-06 (6 digits), z = 400: 0.0012 (3 digits), z = 800: "
               "NaN/inf (0 digits); every digit elsewhere"],
        "ko": ["자릿수 손실: 시도한 신경망 중 2개에서 상대 오차가 1e-10을 넘습니다(최대 0.001, "
               "유효숫자 3자리만 남음). 모두 순입력이 −10보다 작은 신경망이며, 그중 가장 덜 "
               "극단적인 순입력은 z = -30입니다",
               "NaN, ±inf 또는 오버플로: 시도한 신경망 중 1개에서 생깁니다. 모두 순입력이 "
               "−10보다 작은 신경망이며, 그중 가장 덜 극단적인 순입력은 z = -800입니다",
               "가중치 하나짜리 신경망 W[1] = [[z]] (다음 층은 W[2] = [[1]]), X = [[1]]: "
               "자릿수를 잃는 곳: z = -800: NaN/inf (유효숫자 0자리), z = -400: 0.0012 (유효숫자 "
               "3자리), z = -30: 2.5e-06 (유효숫자 6자리), z = 30: 2.5e-06 (유효숫자 6자리), "
               "z = 400: 0.0012 (유효숫자 3자리), z = 800: NaN/inf (유효숫자 0자리). 그 밖의 "
               "z에서는 모든 자릿수가 남습니다"]}, id="below-10"),
    pytest.param(_log([24.27, 711.2]), {
        "en": ["rounding: on 1 of the networks tried the relative error exceeds 1e-10 (at most "
               "0.001, 3 significant digits kept); all of them with a net input above 10; the "
               "least extreme z = 24.27",
               "NaN, ±inf or an overflow: on 1 of the networks tried; all of them with a net "
               "input above 10; the least extreme z = 711.2"],
        "ko": ["자릿수 손실: 시도한 신경망 중 1개에서 상대 오차가 1e-10을 넘습니다(최대 0.001, "
               "유효숫자 3자리만 남음). 모두 순입력이 10보다 큰 신경망이며, 그중 가장 덜 극단적인 "
               "순입력은 z = 24.27입니다",
               "NaN, ±inf 또는 오버플로: 시도한 신경망 중 1개에서 생깁니다. 모두 순입력이 "
               "10보다 큰 신경망이며, 그중 가장 덜 극단적인 순입력은 z = 711.2입니다"]},
                 id="above-10"),
    pytest.param(_log([-40.5, 30.25]), {
        "en": ["rounding: on 2 of the networks tried the relative error exceeds 1e-10 (at most "
               "0.001, 3 significant digits kept); with net inputs on both sides; the least "
               "extreme z = 30.25"],
        "ko": ["자릿수 손실: 시도한 신경망 중 2개에서 상대 오차가 1e-10을 넘습니다(최대 0.001, "
               "유효숫자 3자리만 남음). 순입력이 −10보다 작은 신경망과 10보다 큰 신경망이 모두 "
               "있으며, 가장 덜 극단적인 순입력은 z = 30.25입니다"]}, id="both-sides"),
    pytest.param(_log([-3.5, 837.6], [(1.0, 0.0), (-1.0, 0.0)], float32=True), {
        "en": ["rounding: on 1 of the networks tried the relative error exceeds 1e-10 (at most "
               "0.001, 3 significant digits kept); most extreme net inputs from z = -3.5 to -3.5",
               "NaN, ±inf or an overflow: on 1 of the networks tried; all of them with a net "
               "input above 10; the least extreme z = 837.6",
               "one weight, W[1] = [[z]] (then W[2] = [[1]]), X = [[1]]: every digit for every "
               "z tried (|z| from 1 to 1e4)",
               "about 7 significant digits where float64 keeps 16: the function computes (or "
               "returns) float32; compute in float64"],
        "ko": ["자릿수 손실: 시도한 신경망 중 1개에서 상대 오차가 1e-10을 넘습니다(최대 0.001, "
               "유효숫자 3자리만 남음). 신경망마다 가장 극단적인 순입력은 z = -3.5부터 "
               "-3.5까지입니다",
               "NaN, ±inf 또는 오버플로: 시도한 신경망 중 1개에서 생깁니다. 모두 순입력이 "
               "10보다 큰 신경망이며, 그중 가장 덜 극단적인 순입력은 z = 837.6입니다",
               "가중치 하나짜리 신경망 W[1] = [[z]] (다음 층은 W[2] = [[1]]), X = [[1]]: 시도한 "
               "모든 z(|z| = 1부터 1e4까지)에서 모든 자릿수가 남습니다",
               "float64라면 유효숫자 16자리가 남을 곳에서 약 7자리만 남습니다: 함수가 float32로 "
               "계산하거나 float32를 반환합니다. float64로 계산하세요"]}, id="float32-tame"),
]


@pytest.mark.parametrize("log, lines", LOGS)
def test_the_caveats_in_both_languages(log: CaveatLog, lines: dict[str, list[str]]) -> None:
    """Every line of the caveats (rounding, NaN/inf, the probe, float32; the net inputs below,
    above, on both sides and within ±10), exactly, in English as before and in Korean."""
    for lang in ("en", "ko"):
        with use_language(lang):
            got = log.lines("softplus")
        assert got[:-1] == lines[lang]
    with use_language("ko"):
        _korean("\n".join(log.lines("softplus")))


@pytest.mark.parametrize("activation", sorted(STABLE))
def test_the_stable_formula_of_every_activation_in_korean(activation: str) -> None:
    with use_language("en"):
        (english,) = CaveatLog().lines(activation)
    assert english == f"stable: {STABLE[activation]}"
    with use_language("ko"):
        (korean,) = CaveatLog().lines(activation)
    assert korean.startswith("안정한 계산법: ")
    _korean(korean, 2.0)
    for symbol in ("g′", "relu′", "σ′", "tanh′", "log1p", "max(z, 0"):   # formulas unchanged
        assert (symbol in korean) == (symbol in english), symbol


def test_the_caveats_use_the_lectures_terms() -> None:
    with use_language("ko"):
        text = "\n".join(_log([-470.2, 30.0, -800.0], PROBE).lines("sigmoid"))
    for term in ("자릿수 손실", "순입력", "상대 오차", "유효숫자", "신경망", "활성화 함수의 미분"):
        assert term in text, term


# -- hints ----------------------------------------------------------------------------------

HINTS = [
    pytest.param(convention(layers=2), "it handles L = 2 layers only", "층이 L = 2개인 신경망만",
                 id="layers"),
    pytest.param(convention(layers=1), "it handles L = 1 layer only", "층이 L = 1개인 신경망만",
                 id="one-layer"),
    pytest.param(convention(layout="rows"), "samples are rows", "샘플 하나가 한 행", id="rows"),
    pytest.param(convention(loss="mean"), "the loss is averaged over the batch",
                 "오차함수가 배치에 대한 평균", id="mean"),
    pytest.param(convention(returns="update", alpha=0.5), "with α = 0.5",
                 "가중치 조정 W := W − αΔW까지 직접 수행(학습률 α = 0.5)", id="update"),
    pytest.param(convention(hidden_error="lecture"), "it agrees with the lecture's rule if",
                 "강의의 규칙과 일치합니다", id="lecture"),
    pytest.param(convention(biases=True), "it takes biases", "편향도 받아 ΔW와 Δb를 반환",
                 id="biases"),
    pytest.param(convention(layers=2, layout="rows", loss="mean", returns="update",
                            hidden_error="lecture", biases=True),
                 "only and samples are rows", "층이 L = 2개인 신경망만 처리; 샘플 하나가",
                 id="all"),
]


@pytest.mark.parametrize("conv, english, korean", HINTS)
def test_the_hint_of_every_convention_in_both_languages(conv: Convention, english: str,
                                                        korean: str) -> None:
    """The hint names the options as they are (scripts and students copy them) and says the
    rest in Korean; in English it is the sentence it always was."""
    hint = Hint(conv, 21)
    with use_language("en"):
        en = str(hint)
    what = "the lecture's rule" if conv.hidden_error == "lecture" else "jax.grad"
    assert en == (f"Hint: it agrees with {what} if {' and '.join(conv.phrases())} (checked on "
                  f"21 networks): rerun with {conv.options()}")
    assert english in en
    with use_language("ko"):
        ko = str(hint)
    assert ko.startswith("힌트: 다음 규약으로 보면 ") and "신경망 21개에서 확인" in ko
    assert ko.endswith(f"다시 실행하세요: {conv.options()}") and korean in ko, ko
    assert "jax.grad와 일치" in ko or "강의의 규칙과 일치" in ko
    _korean(ko)


def test_the_hint_when_the_lectures_own_convention_fits() -> None:
    """Someone passed a convention option their function does not use: the hint says to drop
    the options (it once read "agrees with jax.grad if  (...): rerun with ")."""
    hint = Hint(Convention(), 21)
    with use_language("en"):
        assert str(hint) == ("Hint: it agrees with jax.grad in the lecture's own conventions "
                             "(checked on 21 networks): rerun without the convention options")
    with use_language("ko"):
        ko = str(hint)
    assert ko == ("힌트: 강의의 기본 규약으로 보면 jax.grad와 일치합니다(신경망 21개에서 확인). "
                  "규약 옵션 없이 다시 실행하세요")


def test_the_hints_of_the_catalogue_in_english_are_as_before() -> None:
    """Two hints exactly as /work/english_before shows them (the catalogue's conventions)."""
    with use_language("en"):
        assert str(Hint(convention(returns="update", hidden_error="lecture"), 21)) == (
            "Hint: it agrees with the lecture's rule if it takes the step W := W − αΔW itself, "
            "with α = 1 and it uses the lecture's hidden error E[l] = W[l+1]ᵀE[l+1] (not the "
            "gradient) (checked on 21 networks): rerun with --returns update --hidden-error "
            "lecture")
        assert str(Hint(convention(layout="rows", loss="mean", biases=True), 21)) == (
            "Hint: it agrees with jax.grad if samples are rows (X is (m, n_0), W[l] is "
            "(n_{l−1}, n_l)) and the loss is averaged over the batch (E = ½·(1/m)·ΣΣ(y − ŷ)²) "
            "and it takes biases: FUNC(weights, biases, X, Y) returning ΔW and Δb (checked on "
            "21 networks): rerun with --layout rows --loss mean --biases")


# -- what the function returned or did wrong --------------------------------------------------

NET = Network([np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([[1.0, -0.5]])],
              np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 1.0]]), np.array([[0.5, -0.5, 1.0]]),
              ["sigmoid", "sigmoid"])
NET_B = Network(NET.weights, NET.X, NET.Y, NET.activations,
                biases=[np.zeros((2, 1)), np.zeros((1, 1))])


def _right(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return list(mb.gradients(W, X, Y))


def _raises(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> Any:
    raise RuntimeError("not implemented yet")


def _modifies(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    out = _right(W, X, Y)
    W[0] += 1.0
    X += 1.0
    return out


def _modifies_X(W: list[np.ndarray], X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    out = _right(W, X, Y)
    X += 1.0
    return out


FAILURES: list[Any] = [
    pytest.param(_raises, {}, "Your function raised RuntimeError: not implemented yet (at ",
                 "함수에서 예외가 발생했습니다: RuntimeError: not implemented yet (위치 ",
                 id="raised"),
    pytest.param(lambda W, X, Y: _right(W, X, Y)[:-1], {},
                 "Your function returned 1 arrays; expected L = 2 (ΔW[1], ..., ΔW[2], one per "
                 "weight matrix)",
                 "함수가 배열 1개를 반환했습니다. 가중치 행렬마다 하나씩 L = 2개(ΔW[1], ..., "
                 "ΔW[2])가 필요합니다", id="count-dW"),
    pytest.param(lambda W, X, Y: W[:1], {"returns": "update"},
                 "Your function returned 1 new weight arrays; expected L = 2 (W[1], ..., W[2], "
                 "one per weight matrix)",
                 "함수가 새 가중치 배열 1개를 반환했습니다. 가중치 행렬마다 하나씩 L = 2개(W[1], "
                 "..., W[2])가 필요합니다", id="count-W"),
    pytest.param(lambda W, b, X, Y: (_right(W, X, Y), b[:1]), {"biases": True},
                 "Your function returned 1 Δb arrays; expected L = 2 (Δb[1], ..., Δb[2], one "
                 "per layer)",
                 "함수가 Δb 배열 1개를 반환했습니다. 층마다 하나씩 L = 2개(Δb[1], ..., Δb[2])가 "
                 "필요합니다", id="count-db"),
    pytest.param(lambda W, b, X, Y: (W, b[:1]), {"biases": True, "returns": "update"},
                 "Your function returned 1 new bias arrays; expected L = 2 (b[1], ..., b[2], "
                 "one per layer)",
                 "함수가 새 편향 배열 1개를 반환했습니다. 층마다 하나씩 L = 2개(b[1], ..., b[2])가 "
                 "필요합니다", id="count-b"),
    pytest.param(lambda W, X, Y: {"dw1": W[0]}, {},
                 "Your function returned a dict with keys ['dw1']; expected dW1..dW2",
                 "함수가 반환한 dict의 키는 ['dw1']입니다. 필요한 키는 dW1..dW2입니다",
                 id="dict"),
    pytest.param(lambda W, b, X, Y: {"W1": W[0]}, {"biases": True, "returns": "update"},
                 "Your function returned a dict with keys ['W1']; expected W1..W2 and b1..b2",
                 "함수가 반환한 dict의 키는 ['W1']입니다. 필요한 키는 W1..W2, b1..b2입니다",
                 id="dict-biases"),
    pytest.param(lambda W, X, Y: _right(W, X, Y)[0], {},
                 "Your function returned one ndarray of shape (2, 2); expected a list of L = 2 "
                 "arrays [ΔW[1], ..., ΔW[2]]",
                 "함수가 모양이 (2, 2)인 ndarray 하나를 반환했습니다. 필요한 반환값은 배열 L = "
                 "2개의 리스트 [ΔW[1], ..., ΔW[2]]입니다", id="one-array"),
    pytest.param(lambda W, X, Y: "dW", {},
                 "Your function returned one str; expected a list of L = 2 arrays [ΔW[1], ..., "
                 "ΔW[2]]",
                 "함수가 str 하나를 반환했습니다. 필요한 반환값은 배열 L = 2개의 리스트 [ΔW[1], "
                 "..., ΔW[2]]입니다", id="str"),
    pytest.param(lambda W, X, Y: None, {},
                 "Your function returned NoneType, not a list of L = 2 arrays [ΔW[1], ..., "
                 "ΔW[2]]",
                 "함수의 반환값이 NoneType입니다. 필요한 반환값은 배열 L = 2개의 리스트 [ΔW[1], "
                 "..., ΔW[2]]입니다", id="none"),
    pytest.param(lambda W, b, X, Y: [*_right(W, X, Y), W[0]], {"biases": True},
                 "Your function returned 3 items; expected a pair (a list of L = 2 arrays "
                 "[ΔW[1], ..., ΔW[2]], the 2 Δb[l])",
                 "함수가 항목 3개를 반환했습니다. 필요한 반환값은 쌍 (배열 L = 2개의 리스트 "
                 "[ΔW[1], ..., ΔW[2]], Δb[l] 2개)입니다", id="items"),
    pytest.param(lambda W, b, X, Y: (1.0, 2.0), {"biases": True, "returns": "update"},
                 "Your function returned a pair that is not two lists; expected a pair (a list "
                 "of L = 2 arrays [W[1], ..., W[2]], the 2 b[l])",
                 "함수가 반환한 쌍은 리스트 두 개가 아닙니다. 필요한 반환값은 쌍 (배열 L = 2개의 "
                 "리스트 [W[1], ..., W[2]], b[l] 2개)입니다", id="pair"),
    pytest.param(lambda W, X, Y: [g + 0j for g in _right(W, X, Y)], {},
                 "Your ΔW[1] has dtype complex128; expected real numbers (float64)",
                 "함수가 반환한 ΔW[1]의 dtype이 complex128입니다. 실수(float64)여야 합니다",
                 id="dtype"),
    pytest.param(lambda W, X, Y: [w.T for w in W], {"layout": "rows"},
                 "Your ΔW[2] has shape (1, 2); expected (2, 1), the shape of W[2] (n_1, n_2)",
                 "함수가 반환한 ΔW[2]의 모양이 (1, 2)입니다. W[2]의 모양 (n_1, n_2) = (2, 1)이어야 "
                 "합니다", id="shape"),
    pytest.param(lambda W, b, X, Y: (_right(W, X, Y), [c.ravel() for c in b]), {"biases": True},
                 "Your Δb[1] has shape (2,); expected (2, 1), the shape of b[1]",
                 "함수가 반환한 Δb[1]의 모양이 (2,)입니다. b[1]의 모양 (2, 1)이어야 합니다",
                 id="shape-b"),
    pytest.param(lambda W, X, Y: [g * np.nan for g in _right(W, X, Y)], {},
                 "Your ΔW[1] has 4 non-finite entries (ΔW[1][k=0, j=0] = nan)",
                 "함수가 반환한 ΔW[1]에 유한하지 않은 원소가 4개 있습니다(ΔW[1][k=0, j=0] = nan)",
                 id="nan"),
    pytest.param(lambda W, X, Y: [g / (g != g[0, 0]) for g in _right(W, X, Y)], {},
                 "Your ΔW[1] has 1 non-finite entry (ΔW[1][k=0, j=0] = ",
                 "함수가 반환한 ΔW[1]에 유한하지 않은 원소가 1개 있습니다(ΔW[1][k=0, j=0] = ",
                 id="inf"),
    pytest.param(_modifies_X, {},
                 "Your function changed its argument X in place (its ΔW were right on this "
                 "network)",
                 "함수가 받은 인자 X의 값을 직접 바꿨습니다(이 신경망에서 ΔW는 맞았습니다)",
                 id="modifies-X"),
    pytest.param(_modifies, {},
                 "Your function changed its arguments W[1], X in place (its ΔW were right on "
                 "this network)",
                 "함수가 받은 인자 W[1], X의 값을 직접 바꿨습니다(이 신경망에서 ΔW는 맞았습니다)",
                 id="modifies-W-X"),
    pytest.param(lambda W, X, Y: [-g for g in _right(W, X, Y)], {}, "ΔW[1], ΔW[2] differ",
                 "ΔW[1], ΔW[2]의 값이 다릅니다", id="differ"),
    pytest.param(lambda W, X, Y: [_right(W, X, Y)[0], 2 * _right(W, X, Y)[1]], {},
                 "ΔW[2] differs", "ΔW[2]의 값이 다릅니다", id="differs"),
]


@pytest.mark.parametrize("fn, options, english, korean", FAILURES)
def test_what_the_function_did_wrong_in_both_languages(fn: Callable[..., Any],
                                                       options: dict[str, Any], english: str,
                                                       korean: str) -> None:
    """Every message of reference/calling.py and reference/evaluate.py: what the function
    raised, returned (how many arrays, a dict, one array, something else, the dtype, the
    shape, NaN/inf) or changed in place, and which ΔW differ."""
    conv = convention(**options)
    net = NET_B if conv.biases else NET
    messages = {}
    for lang in ("en", "ko"):
        with use_language(lang):
            outcome = evaluate(fn, net, conv, oracle="kernel")
        assert outcome.severity == "wrong" and outcome.failure is not None
        messages[lang] = outcome.failure.message
    assert messages["en"].startswith(english), messages["en"]
    assert messages["ko"].startswith(korean), messages["ko"]
    ours = (messages["ko"].split(" (위치 ")[0]                  # Python's words aside: the
            .replace("RuntimeError: not implemented yet", ""))  # exception and the line
    _korean(ours, 2.0)
    assert "Your " not in messages["ko"]


def test_the_interpreted_result_in_korean_says_what_was_expected() -> None:
    """``interpret`` alone (the hint search's path): the same Korean messages."""
    conv = Convention()
    with use_language("ko"):
        got = interpret(call(lambda W, X, Y: None, NET, conv), NET, conv)
    assert got.failure is not None
    assert got.failure.message.startswith("함수의 반환값이 NoneType입니다")


# -- check_activation -------------------------------------------------------------------------

def _sigmoid(z: Any) -> Any:
    return 1 / (1 + np.exp(-z))


def test_the_activation_report_in_both_languages() -> None:
    """A wrong g′ (finite differences: a numpy g) and its problems: the dtype, the shape,
    non-finite values; and a right one (jax.grad), one with kinks skipped."""
    def wrong(z: Any) -> Any:
        return np.ones_like(z, dtype=np.float32)

    reports = {}
    for lang in ("en", "ko"):
        with use_language(lang):
            reports[lang] = str(check_activation(_sigmoid, wrong, z=np.linspace(-2, 2, 30),
                                                 method="fd", name="mine"))
    en, ko = reports["en"], reports["ko"]
    assert en.startswith("mine: g′ DISAGREES with finite differences of g at 30 points "
                         "(float64); largest relative error ")
    assert "\n  ... (first 10 disagreements shown)\n" in en
    assert "g′ returned dtype float32 for float64 input (the kernel casts it back to float64)" in en
    assert ko.startswith("mine: 점 30개에서 g′가 g의 유한 차분 결과와 일치하지 않습니다(float64)")
    for text in ("입력은 float64인데 g′가 반환한 dtype은 float32입니다(커널이 다시 float64로 "
                 "바꿉니다)", "\n  ... (일치하지 않는 점 중 처음 10개만 보였습니다)\n",
                 "허용 오차", "기댓값", "(상대 오차 "):
        assert text in ko, text
    _korean(ko, 2.0)

    def short(z: Any) -> Any:
        return np.ones_like(z)[:-1]

    with use_language("ko"):
        bad = str(check_activation(_sigmoid, short, z=[0.0, 1.0, 2.0], method="fd"))
        good = str(check_activation(lambda z: 1 / (1 + jnp.exp(-z)),
                                    mb.ACTIVATIONS["sigmoid"].g_prime, name="sigmoid"))
        relu = str(check_activation(lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0,
                                    method="fd", name="relu"))
        float32 = str(check_activation(
            _sigmoid, lambda z: (_sigmoid(z) * (1 - _sigmoid(z))).astype(np.float64),
            dtype=np.float32, method="fd"))
    assert "z의 모양은 (3,)인데 g′가 반환한 모양은 (2,)입니다. g′는 원소별로" in bad
    assert "g′의 값이 유한하지 않습니다: g′(" in bad
    assert good.startswith("sigmoid: 점 ") and "g의 jax.grad 결과와 일치합니다" in good
    assert "꺾이는 점" in relu and "건너뛰었습니다" in relu
    assert "입력은 float32인데 g′가 반환한 dtype은 float64입니다" in float32
    for text in (bad, good, relu, float32):
        _korean(text, 2.0)


def test_the_activation_report_shows_numpys_warnings_in_korean() -> None:
    def warns(z: Any) -> Any:
        return np.log(z - 100) * 0 + _sigmoid(z) * (1 - _sigmoid(z))

    with use_language("ko"):
        text = str(check_activation(_sigmoid, warns, lo=-2, hi=2, n=11, method="fd"))
    assert "계산 중 경고: RuntimeWarning: invalid value encountered in log" in text


def test_g_and_g_prime_exactly_zero_in_both_languages() -> None:
    def zero(z: Any) -> Any:
        return np.zeros_like(z)

    with use_language("en"):
        en = str(check_activation(zero, lambda z: np.ones_like(z), z=[0.0], method="fd"))
    with use_language("ko"):
        ko = str(check_activation(zero, lambda z: np.ones_like(z), z=[0.0], method="fd"))
    assert "(where g and g′ are exactly 0)" in en and "(g와 g′가 정확히 0인 곳)" in ko


# -- the check command: the lines of these modules in its output ---------------------------------

def _check(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["check", *argv])
    return status, capsys.readouterr().out


def _ours(out: str, status: int) -> list[str]:
    """The lines of the output that these modules write: the caveats (the list under the
    verdict of a function that agrees), or the hint and, above it, what the function did on
    the network (the verdict lines around them are reference/check_report.py's)."""
    lines = out.splitlines()
    if status == 0:
        return [line for line in lines if line.startswith("  - ")]
    return [lines[1], *(line for line in lines if line.startswith(("힌트:", "Hint:")))]


COMMANDS = [
    pytest.param([f"{ROOT}/catalogue/correct/softplus_log_exp.py:backprop", "--activation",
                  "softplus", "--max-examples", "100"], 0,
                 ["NaN, ±inf 또는 오버플로", "순입력", "자릿수를 잃는 곳", "안정한 계산법"],
                 id="caveats-softplus"),
    pytest.param([f"{ROOT}/catalogue/correct/float32_inside.py:backprop", "--activation",
                  "tanh", "--max-examples", "100"], 0, ["float64로 계산하세요", "유효숫자"],
                 id="caveats-float32"),
    pytest.param([f"{ROOT}/catalogue/conventions/rows_layout.py:backprop", "--activation",
                  "tanh", "--max-examples", "50"], 3,
                 ["다른 규약", "힌트:", "샘플 하나가 한 행", "--layout rows"], id="hint-rows"),
    pytest.param([f"{ROOT}/examples/adapters/nnfs_style.py:backprop", "--max-examples", "50"],
                 3, ["힌트:", "오차함수가 배치에 대한 평균", "편향도 받아", "--layout rows --loss "
                     "mean --biases"], id="hint-nnfs"),
    pytest.param([f"{ROOT}/examples/adapters/course_xor_script.py:backprop", "--max-examples",
                  "50"], 1, ["강의의 규칙과 일치합니다", "가중치 조정", "학습률 α = 1",
                             "--hidden-error lecture"],
                 id="hint-xor-script"),
    pytest.param([f"{ROOT}/catalogue/conventions/with_biases.py:backprop",
                  "--max-examples", "50"], 3,
                 ["함수에서 예외가 발생했습니다: TypeError", "힌트:", "--biases"],
                 id="hint-biases"),
]


@pytest.mark.parametrize("argv, status, terms", COMMANDS)
def test_the_check_command_prints_these_lines_in_korean(
        argv: list[str], status: int, terms: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``check --lang=ko``: the caveat lines and the hint are Korean (three times as many Korean
    words as English ones), the options in them as they are; a Korean locale without --lang
    prints the same; --lang=en prints them in English."""
    code, korean = _check([*argv, "--lang=ko"], capsys)
    assert code == status
    ours = _ours(korean, status)
    assert len(ours) >= 2, korean
    raised = [line for line in ours if "예외가 발생했습니다" in line]     # Python's words in it
    assert all(line.startswith("  함수에서 예외가 발생했습니다: ") for line in raised)
    _korean("\n".join(line for line in ours if line not in raised))
    for term in terms:
        assert term in korean, term
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert _check(argv, capsys)[1] == korean
    english = _ours(_check([*argv, "--lang=en"], capsys)[1], status)
    assert len(english) == len(ours)
    ko, en = word_counts("\n".join(english))
    assert ko == 0 and en > 0


def test_the_json_of_check_has_korean_prose_and_the_same_keys(
        capsys: pytest.CaptureFixture[str]) -> None:
    """--json: the same keys and machine-readable values in both languages; the hint and the
    caveat lines are prose, in the language asked for."""
    caveats = [f"{ROOT}/catalogue/correct/softplus_log_exp.py:backprop", "--activation",
               "softplus", "--max-examples", "100", "--json"]
    hint = [f"{ROOT}/catalogue/buggy/mean_over_samples.py:backprop", "--max-examples", "50",
            "--json"]
    for argv in (caveats, hint):
        out = {lang: json.loads(_check([*argv, f"--lang={lang}"], capsys)[1])
               for lang in ("en", "ko")}
        assert out["en"].keys() == out["ko"].keys()
        for key in ("verdict", "ok", "diagnosis", "hint_options", "caveat_kinds"):
            assert out["en"][key] == out["ko"][key], key
        prose = [*out["ko"]["caveats"], *([out["ko"]["hint"]] if out["ko"]["hint"] else [])]
        assert prose
        _korean("\n".join(prose))
    assert out["ko"]["hint"].endswith("다시 실행하세요: --loss mean")
    assert out["en"]["hint"].endswith("rerun with --loss mean")
