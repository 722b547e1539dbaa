"""What ``check`` claims is checked before it is printed: a hint only after a full search under
its options agrees, a smaller minimal network only while it still fails, and the four
functions that once passed or got a false lead are wrong with no "rerun with"."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import manual_backprop as mb
from manual_backprop.cli.check import load_function
from reference import check_backprop
from reference.conventions import Convention
from reference.hints import find_hint
from reference.reduce import reduce
from reference.strategies import Network

ROOT = Path(__file__).resolve().parent.parent


def _mean_then_clipped(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    """The gradient of the averaged loss, clipped to [−0.5, 0.5]: on the hint search's tame
    networks nothing reaches 0.5, so --loss mean fits there; a full search finds where not."""
    m = X.shape[1]
    return [np.clip(d / m, -0.5, 0.5) for d in mb.gradients(weights, X, Y, "sigmoid")]


def test_a_hint_is_printed_only_if_the_full_search_under_it_agrees() -> None:
    result = check_backprop(_mean_then_clipped, max_examples=200)
    assert result.outcome is not None and result.network is not None
    proposed = find_hint(_mean_then_clipped, "sigmoid", Convention(), result.network, 0,
                         computed=True)
    assert proposed is not None and proposed.options == "--loss mean"   # the 21 networks fit
    assert result.verdict == "wrong" and result.hint is None
    assert "rerun with" not in str(result)
    right = check_backprop(lambda W, X, Y: [d / X.shape[1] for d in mb.gradients(W, X, Y)],
                           max_examples=200)
    assert right.verdict == "agrees_in_another_convention" and right.hint is not None
    assert right.hint.networks == 200 and "(checked on 200 networks)" in str(right)


def _deep_only(weights: list[Any], X: Any, Y: Any) -> list[Any]:
    """Right at depth 1 and 2, wrong (a factor 1.0001 in ΔW[1]) from depth 3 on."""
    dW = mb.gradients(weights, X, Y, "sigmoid")
    return [1.0001 * dW[0], *dW[1:]] if len(weights) >= 3 else dW


def test_a_function_that_computes_at_every_depth_gets_no_depth_hint() -> None:
    """It agrees at L = 2, but it handles L = 3 (and is wrong there): "it agrees if it handles
    L = 2 layers only" would be a false lead."""
    result = check_backprop(_deep_only, max_examples=200)
    assert result.verdict == "wrong" and result.hint is None
    assert result.network is not None and len(result.network.weights) == 3


def test_reduce_keeps_the_failure_and_drops_what_it_does_not_need() -> None:
    """Seven inputs whose net input is 900: one input X = [[1]] with W[1] = [[900]] keeps it,
    and every unit and sample that the failure does not need is dropped."""
    W: list[Any] = [np.full((2, 7), 900 / 7), np.ones((1, 2))]
    net = Network(W, np.ones((7, 3)), np.zeros((1, 3)), ["sigmoid"] * 2)

    def big(n: Network) -> bool:
        Z = mb.forward(n.weights, n.X, n.activations).Z[1]
        return bool(np.max(np.abs(Z)) > 800)

    small = reduce(net, big)
    assert big(small) and small.widths == [1, 1] and small.m == 1
    np.testing.assert_allclose(small.weights[0], [[900.0]])
    assert reduce(net, lambda n: False) is net
    assert reduce(net, big, fixed_depth=True).widths == [1, 1, 1]


def _check_file(name: str) -> Any:
    fn = load_function(f"{ROOT / 'catalogue' / 'buggy' / name}:backprop")
    mod = sys.modules[fn.__module__]
    return check_backprop(fn, mod.ACTIVATION, **mod.OPTIONS)


@pytest.mark.parametrize(("name", "first_lines"), [
    pytest.param("clipped_net_inputs.py", ["Diagnosis: not one of the known patterns."],
                 id="net-inputs-clipped"),
    pytest.param("deep_factor.py", ["ΔW[L] is right but earlier layers are not"],
                 id="factor-1.0001"),
    pytest.param("clipped_gradients.py", ["Diagnosis: not one of the known patterns."],
                 id="gradients-clipped"),
    pytest.param("course_class_wrong_axis.py", ["a factor c that depends on the shape: c = 2 "
                                                "at n = 1-1, m = 2; c = 1.5 at n = 2-3-2, m = 3"],
                 id="wrong-axis"),
])
def test_the_issues_four_functions_are_wrong_without_a_rerun_hint(name: str,
                                                                  first_lines: list[str]) -> None:
    result = _check_file(name)
    text = str(result)
    assert result.verdict == "wrong" and not result.ok, text
    assert result.hint is None and "rerun with" not in text
    assert text.startswith("FAIL: disagrees with jax.grad")
    assert "Not rounding:" in text and "wrong math." in text
    for line in first_lines:
        assert line in text, text
