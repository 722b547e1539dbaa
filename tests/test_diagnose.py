"""``reference.diagnose`` called directly: each known mistake, computed from the kernel, is named
(and confirmed on the fixed networks), and nothing is named where nothing fits.

``tests/test_check.py`` checks the same through ``check`` on the catalogue's functions, which
takes jax and the search for a minimal network; these compute with numpy only. The mistakes
here are built the way ``diagnose`` models them; that the models match the code students
write is what the catalogue's tests show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

import manual_backprop as mb
from manual_backprop.i18n import use_language
from reference.condition import condition_scale
from reference.diagnose import Diagnosis, _matches, confirmation_networks, diagnose, variants
from reference.strategies import Network
from reference.tolerances import rtol_for

Grads = list[Any]
Run = Callable[[Network], "Grads | None"]


def _net(widths: Sequence[int], m: int, activation: str = "sigmoid", seed: int = 1) -> Network:
    rng = np.random.default_rng(seed)
    W: list[Any] = [rng.normal(size=(widths[l + 1], widths[l])) for l in range(len(widths) - 1)]
    return Network(W, rng.uniform(-2, 2, (widths[0], m)), rng.uniform(-1, 1, (widths[-1], m)),
                   [activation] * len(W))


def _grad(net: Network, activations: Sequence[Any] | None = None, hidden: str = "exact"
          ) -> Grads:
    return mb.gradients(net.weights, net.X, net.Y, list(activations or net.activations),
                        hidden_error=hidden)


def _columns(net: Network, cols: Sequence[int]) -> Network:
    return replace(net, X=net.X[:, list(cols)], Y=net.Y[:, list(cols)])


def _times(c: Callable[[Network], float]) -> Run:
    return lambda n: [c(n) * d for d in _grad(n)]


def _g_prime_bug(layers: Callable[[int, int], bool], g_prime: Callable[[str], Any]) -> Run:
    """The kernel with g′ replaced by ``g_prime(name)`` in the layers l (1..L) where
    ``layers(l, L)``."""

    def run(n: Network) -> Grads:
        L = len(n.weights)
        acts = [(mb.ACTIVATIONS[a].g, g_prime(a)) if layers(l, L) else a
                for l, a in enumerate(n.activations, start=1)]
        return _grad(n, acts)
    return run


def _ones(a: str) -> Any:
    return np.ones_like


def _of_A(a: str) -> Any:
    act = mb.ACTIVATIONS[a]
    return lambda Z: act.g_prime(act.g(Z))


def _at_Z(a: str) -> Any:
    return {"sigmoid": lambda Z: Z * (1 - Z), "tanh": lambda Z: 1 - Z * Z}[a]


EVERY, OUTPUT, HIDDEN = (lambda l, L: True), (lambda l, L: l == L), (lambda l, L: l < L)


def _keys(found: list[Diagnosis]) -> list[str]:
    return [d.key for d in found]


def _diagnose(net: Network, run: Run, **kw: Any) -> list[str]:
    return _keys(diagnose(net, run(net), run, **kw))


@pytest.mark.parametrize(("run", "activation", "expected"), [
    pytest.param(_times(lambda n: -1.0), "sigmoid", "sign", id="sign"),
    pytest.param(_times(lambda n: 2.0), "tanh", "factor_2", id="factor_2"),
    pytest.param(_times(lambda n: 1 / n.m), "sigmoid", "mean", id="mean"),
    pytest.param(_times(lambda n: 2 / n.m), "relu", "mse", id="mse"),
    pytest.param(lambda n: _grad(n, hidden="lecture"), "tanh", "lecture_hidden_error",
                 id="lecture_hidden_error"),
    pytest.param(_g_prime_bug(OUTPUT, _ones), "sigmoid", "no_output_g_prime",
                 id="no_output_g_prime"),
    pytest.param(_g_prime_bug(HIDDEN, _ones), "tanh", "no_hidden_g_prime",
                 id="no_hidden_g_prime"),
    pytest.param(_g_prime_bug(EVERY, _ones), "softplus", "no_g_prime", id="no_g_prime"),
    pytest.param(_g_prime_bug(EVERY, _of_A), "sigmoid", "g_prime_of_A", id="g_prime_of_A"),
    pytest.param(_g_prime_bug(EVERY, _at_Z), "tanh", "derivative_of_Z", id="derivative_of_Z"),
    pytest.param(_g_prime_bug(EVERY, _at_Z), "sigmoid", "derivative_of_Z",
                 id="derivative_of_Z-sigmoid"),
    pytest.param(lambda n: _grad(_columns(n, [0])), "sigmoid", "part_of_batch",
                 id="first-sample"),
    pytest.param(lambda n: _grad(_columns(n, range(1, n.m))), "leaky_relu", "part_of_batch",
                 id="all-but-the-first"),
])
def test_each_known_mistake_is_named_and_confirmed(run: Run, activation: str,
                                                   expected: str) -> None:
    net = _net((2, 3, 2), 3, activation)
    assert _diagnose(net, run) == [expected]


def test_the_part_of_the_batch_is_named() -> None:
    net = _net((2, 3, 2), 3)
    last = diagnose(net, _grad(_columns(net, [2])), lambda n: _grad(_columns(n, [n.m - 1])))
    assert last[0].text.startswith("only part of the batch is used: your ΔW is the gradient of "
                                   "the last sample only (")
    but_last = diagnose(net, _grad(_columns(net, [0, 1])),
                        lambda n: _grad(_columns(n, range(n.m - 1))))
    assert "gradient of all samples but the last (" in but_last[0].text


def _even_samples(n: Network) -> Grads:
    return _grad(_columns(n, range(0, n.m, 2)))


def test_a_subset_of_the_samples_is_named_when_other_shapes_use_a_subset_too() -> None:
    """Samples 0 and 2 of 4: none of the fixed patterns; _which finds the subset, and the
    confirmation networks a subset of theirs (the even samples); with nothing to confirm it
    on, it is not named."""
    net = _net((2, 2, 1), 4)
    found = diagnose(net, _even_samples(net), _even_samples)
    assert _keys(found) == ["part_of_batch"]
    assert found[0].text == ("only part of the batch is used: your ΔW is the gradient of the "
                             "samples [0, 2] (columns of X) of the m = 4 (a loop that assigns "
                             "dW = ... instead of dW += ..., or range(m − 1)?)")
    assert diagnose(net, _even_samples(net), lambda n: None) == []
    assert diagnose(net, _even_samples(net), _grad) == []        # the whole batch elsewhere


@pytest.mark.parametrize(("m", "cols"), [(3, [1]), (8, [1, 2, 3, 4, 5, 6])])
def test_any_proper_subset_of_up_to_8_samples_is_found(m: int, cols: list[int]) -> None:
    """The middle sample of 3 (a subset of one sample that is neither the first nor the last),
    six of 8."""
    net = _net((2, 2, 1), m)
    found = diagnose(net, _grad(_columns(net, cols)), _even_samples)
    assert _keys(found) == ["part_of_batch"]
    assert f"the samples {cols} (columns of X) of the m = {m} " in found[0].text


@pytest.mark.parametrize("m", [1, 9])
def test_subsets_are_searched_for_2_to_8_samples(m: int) -> None:
    net = _net((2, 2, 1), m)
    cols = [0] if m == 1 else [0, 2]
    got = _grad(_columns(net, cols)) if m > 1 else [0.5 * d for d in _grad(net)]
    assert diagnose(net, got, lambda n: None) == []


def test_a_variant_matches_up_to_the_tolerance_inclusive() -> None:
    rtol = rtol_for(np.float64)
    variant = ([np.zeros((1, 1))], [np.ones((1, 1))])          # ΔW = 0, scale 1
    assert _matches([np.array([[rtol]])], variant)
    assert not _matches([np.array([[np.nextafter(rtol, 1.0)]])], variant)


def test_a_mistake_seen_on_the_minimal_network_only_is_not_named() -> None:
    """A diagnosis is a claim about the code: one that holds on the minimal network only is
    not printed (and a right result elsewhere is no factor either)."""
    net = _net((2, 3, 2), 3)

    def run(n: Network) -> Grads | None:
        return _grad(n) if n is not net else [-d for d in _grad(n)]

    assert diagnose(net, run(net), run) == []


def test_without_the_confirmation_networks_nothing_is_named() -> None:
    net = _net((2, 3, 2), 3)
    assert diagnose(net, [-d for d in _grad(net)], lambda n: None) == []


def test_all_zeros_on_the_minimal_network_only_names_nothing() -> None:
    """Zeros are the "no sample" part of a one-sample batch, and what many bugs return."""
    net = _net((2, 2, 1), 1)
    assert diagnose(net, [np.zeros_like(W) for W in net.weights], _grad) == []


def test_zeros_confirmed_as_no_sample_are_named() -> None:
    net = _net((2, 2, 1), 1)

    def zeros(n: Network) -> Grads | None:
        return (_grad(_columns(n, range(n.m - 1))) if n.m > 1
                else [np.zeros_like(W) for W in n.weights])

    assert _diagnose(net, zeros) == ["part_of_batch"]


def test_a_right_result_gets_only_the_notes() -> None:
    net = _net((2, 3, 2), 2)
    found = diagnose(net, _grad(net), _grad, modified=["W[1]", "X"], dtypes=["float64"],
                     warnings=["divide by zero encountered"])
    assert _keys(found) == ["modified_input"]
    assert "changed its argument W[1], X in place" in found[0].text
    assert diagnose(net, _grad(net), _grad) == []


def test_the_notes_come_after_the_cause_and_before_the_symptom() -> None:
    net = _net((2, 3, 2), 2)

    def hidden_wrong(n: Network) -> Grads | None:
        return [1.5 * d for d in _grad(n)[:-1]] + _grad(n)[-1:]

    found = diagnose(net, hidden_wrong(net), hidden_wrong, dtypes=["float32", "float64",
                                                                    "float16", "float32"],
                     warnings=["overflow encountered in exp", "overflow encountered in exp",
                               "invalid value"])
    assert _keys(found) == ["float32", "overflow", "hidden_layers"]
    assert found[0].text == "you return float16/float32 arrays for float64 inputs: computed in " \
                            "lower precision"
    assert "(invalid value; overflow encountered in exp)" in found[1].text
    sign = diagnose(net, [-d for d in _grad(net)], _times(lambda n: -1.0), modified=["Y"])
    assert _keys(sign) == ["sign", "modified_input"]


@pytest.mark.parametrize("widths", [(2, 3, 2), (2, 3, 2, 2)])
def test_a_right_last_layer_with_wrong_earlier_ones_is_hidden_layers(
        widths: tuple[int, ...]) -> None:
    net = _net(widths, 2)

    def wrong_first(n: Network) -> Grads | None:
        return [1.5 * d for d in _grad(n)[:1]] + _grad(n)[1:]

    assert _diagnose(net, wrong_first) == ["hidden_layers"]


def test_hidden_layers_needs_the_last_layer_right_and_more_than_one_layer() -> None:
    net = _net((2, 3, 2), 2)

    def wrong_last(n: Network) -> Grads | None:
        return _grad(n)[:-1] + [1.5 * d for d in _grad(n)[-1:]]

    assert diagnose(net, wrong_last(net), wrong_last) == []
    one = _net((2, 2), 2)                    # one layer: a factor, not a hidden-layer symptom
    assert _keys(diagnose(one, [1.5 * d for d in _grad(one)], _times(lambda n: 1.5))) == [
        "constant_factor"]


def _transposing(layer: int) -> Callable[[Network], Grads]:
    return lambda n: [d.T if l == layer else d for l, d in enumerate(_grad(n), start=1)]


@pytest.mark.parametrize("layer", [1, 2])
def test_a_transposed_layer_is_named(layer: int) -> None:
    net = _net((2, 3, 4), 2)
    raw = _transposing(layer)(net)
    found = diagnose(net, None, lambda n: None, raw=raw, raw_run=_transposing(layer))
    assert _keys(found) == ["transposed"]
    assert found[0].text.startswith(f"ΔW[{layer}] is transposed: you return A[l−1]·δ[l]ᵀ of "
                                    "shape (n_{l−1}, n_l)")


def test_a_wrong_transposed_layer_or_a_wrong_count_is_not_named_transposed() -> None:
    net = _net((2, 3, 4), 2)
    right = _grad(net)
    for raw in ([2 * right[0].T, right[1]], [right[0].T], [right[0], right[1]]):
        assert diagnose(net, None, lambda n: None, raw=raw, raw_run=_transposing(1)) == []


def test_a_transposed_layer_is_named_only_if_it_is_transposed_on_other_shapes_too() -> None:
    net = _net((2, 3, 4), 2)
    raw = _transposing(1)(net)

    def only_here(n: Network) -> Grads:
        return raw if n is net else _grad(n)

    assert diagnose(net, None, lambda n: None, raw=raw, raw_run=only_here) == []
    assert diagnose(net, None, lambda n: None, raw=raw) == []      # nothing to confirm it on


@pytest.mark.parametrize("m", [2, 3])
def test_right_per_sample_but_not_for_the_batch_is_broadcast(m: int) -> None:
    net = _net((2, 3, 1), m)

    def mixed(n: Network) -> Grads | None:
        return _grad(n) if n.m == 1 else [d + 1.0 for d in _grad(n)]

    found = diagnose(net, mixed(net), mixed)
    assert _keys(found) == ["broadcast"]
    assert f"not for the batch of m = {m}: " in found[0].text

    def wrong_for_one(n: Network) -> Grads | None:
        return [d + 1.0 for d in _grad(n)] if n.m == 1 else None

    assert diagnose(net, None, wrong_for_one) == []
    assert diagnose(_columns(net, [0]), [d + 1.0 for d in _grad(_columns(net, [0]))],
                    mixed) == []                                    # m = 1: no batch to mix


def test_against_the_lectures_rule_the_mistakes_are_the_same_mistakes_in_that_rule() -> None:
    net = _net((2, 3, 2), 3, "tanh")

    def lecture_sign(n: Network) -> Grads | None:
        return [-d for d in _grad(n, hidden="lecture")]

    assert _diagnose(net, lecture_sign, hidden_error="lecture") == ["sign"]
    assert _diagnose(net, lambda n: _grad(n, hidden="lecture"), hidden_error="lecture") == []
    # the exact gradient, against the lecture's rule: ΔW[L] right, the earlier layers not
    assert _diagnose(net, lambda n: _grad(n), hidden_error="lecture") == ["hidden_layers"]
    assert "lecture_hidden_error" not in _baseline_lecture_variants(net)
    assert _diagnose(net, lecture_sign) == []            # the exact baseline: no variant fits


def test_against_the_lectures_rule_rounding_is_measured_by_that_rules_scale() -> None:
    """A dead relu output: the exact ΔW[1] is 0 (its scale only the underflow floor), the
    lecture's rule gives ΔW[1] ≠ 0. Within rounding of the lecture's rule is right against that
    rule: its own condition scale measures the difference."""
    net = Network([np.array([[1.0], [2.0]]), np.array([[-1.0, -1.0]])], np.array([[1.0, 2.0]]),
                  np.array([[0.5, 0.5]]), ["relu", "relu"])
    lecture = _grad(net, hidden="lecture")
    assert np.all(_grad(net)[0] == 0) and np.all(lecture[0] != 0)
    nearly = [d * (1 + 1e-13) for d in lecture]
    assert diagnose(net, nearly, lambda n: None, hidden_error="lecture") == []


def _baseline_lecture_variants(net: Network) -> set[str]:
    """The variant keys when ``diagnose`` runs against the lecture's rule."""
    seen: set[str] = set()

    def run(n: Network) -> Grads:
        seen.update(variants(n))
        return _grad(n)

    diagnose(net, [-d for d in _grad(net, hidden="lecture")], run, hidden_error="lecture")
    assert "sign" in seen                     # the confirmation networks were compared
    return seen


def test_variants_that_equal_the_gradient_are_left_out() -> None:
    one_layer = _net((2, 2), 3, "identity")
    keys = set(variants(one_layer))
    assert "lecture_hidden_error" not in keys                 # the same rule when L = 1
    assert not keys & {"no_output_g_prime", "no_hidden_g_prime", "no_g_prime", "g_prime_of_A"}
    assert {"sign", "factor_2", "mean", "mse", "part_of_batch:the first sample only"} <= keys
    two = _net((2, 3, 2), 3)
    assert set(variants(two)) == {
        "sign", "factor_2", "mean", "mse", "lecture_hidden_error", "no_output_g_prime",
        "no_hidden_g_prime", "no_g_prime", "g_prime_of_A", "derivative_of_Z",
        "part_of_batch:the first sample only", "part_of_batch:the last sample only",
        "part_of_batch:all samples but the last", "part_of_batch:all samples but the first"}


def test_the_scales_of_the_variants_are_the_gradients_scaled() -> None:
    net = _net((2, 3, 2), 4)
    v = variants(net)
    exact = _grad(net)
    scale = condition_scale(net.weights, net.X, net.Y, net.activations)
    for key, c in (("sign", -1.0), ("factor_2", 2.0), ("mean", 0.25), ("mse", 0.5)):
        for l in range(2):
            np.testing.assert_allclose(v[key][0][l], c * exact[l], rtol=1e-15)
            np.testing.assert_allclose(v[key][1][l], abs(c) * scale[l], rtol=1e-15)


def test_the_confirmation_networks_are_fixed() -> None:
    nets = confirmation_networks("tanh")
    shapes = [([2, 3, 2], 3, ["tanh"] * 2), ([3, 2, 2, 2], 4, ["tanh"] * 3),
              ([2, 2], 3, ["tanh"]), ([2, 4, 1], 4, ["tanh"] * 2)]
    assert [(n.widths, n.m, n.activations) for n in nets] == shapes * 2
    for n, small in zip(nets[:4], nets[4:]):        # the same, with (Y − Ŷ)/100
        Y_hat = mb.forward(n.weights, n.X, n.activations).A[-1]
        np.testing.assert_allclose(small.Y - Y_hat, (n.Y - Y_hat) / 100, rtol=1e-12)
        assert all(np.array_equal(a, b) for a, b in zip(n.weights, small.weights))
    assert [n.widths for n in confirmation_networks("tanh", layers=2)] == [
        [2, 3, 2], [3, 2, 2], [2, 2, 2], [2, 4, 1]] * 2
    nets = nets[:4]
    again = confirmation_networks("relu")
    assert all(np.array_equal(a.X, b.X) for a, b in zip(nets, again))
    for n in nets:       # X in (−2, 2), Y in (−1, 1), both signs; the same on every machine
        assert -2 < n.X.min() < 0 < n.X.max() < 2 and -1 < n.Y.min() < 0 < n.Y.max() < 1
    assert round(float(nets[0].weights[0][0, 0]), 12) == round(float(
        np.random.default_rng(20240611).normal()), 12)


def test_a_diagnosis_without_a_message_prints_its_text() -> None:
    assert str(Diagnosis("sign", "the text")) == "the text"


def test_the_text_is_english_and_str_follows_the_language() -> None:
    net = _net((2, 3, 2), 3)
    with use_language("ko"):
        found = diagnose(net, [-d for d in _grad(net)], _times(lambda n: -1.0))
        korean = str(found[0])
    assert found[0].text.startswith("sign flipped: you return −∂E/∂W")
    assert korean != found[0].text and str(found[0]) == found[0].text


def test_a_factor_that_depends_on_the_shape_is_measured_not_named_a_factor_2() -> None:
    """m taken from the wrong axis (n_L instead of m): 2 on a network with m = 2, n_L = 1, but
    not on other shapes, so not "factor_2"; the factors measured are printed instead."""
    net = _net((1, 1, 1), 2)
    wrong_axis = _times(lambda n: n.m / n.widths[-1])
    found = diagnose(net, wrong_axis(net), wrong_axis)
    assert _keys(found) == ["factor_depends_on_shape"]
    assert found[0].text.startswith("ΔW is c × the gradient with a factor c that depends on "
                                    "the shape: c = 2 at n = 1-1-1, m = 2; c = 1.5 at n = 2-3-2, "
                                    "m = 3; c = 2 at n = 3-2-2-2, m = 4; c = 1.5 at n = 2-2, m = 3;"
                                    " c = 4 at n = 2-4-1, m = 4")


def test_a_constant_factor_none_of_the_known_ones_is_named_with_its_value() -> None:
    net = _net((2, 3, 2), 3)
    found = diagnose(net, [0.5 * d for d in _grad(net)], _times(lambda n: 0.5))
    assert _keys(found) == ["constant_factor"]
    assert found[0].text == "ΔW is c × the gradient with c = 0.5 on every network tried (5 " \
                            "networks of different shapes)"


def _clipped(n: Network) -> Grads:
    return [np.clip(d, -0.1, 0.1) for d in _grad(n)]


def test_a_magnitude_dependent_bug_is_not_a_factor_nor_broadcast() -> None:
    """Clipping: each of 8 equal samples has ΔW = −0.05, right; the batch's −0.4 is clipped to
    −0.1, a quarter of the gradient. Neither "broadcast" (right per sample, wrong for the batch)
    nor a factor 0.25 holds on the same shapes with a small output error, where clipping does
    nothing."""
    net = Network([np.zeros((1, 1))], np.ones((1, 8)), np.full((1, 8), 0.7), ["sigmoid"])
    np.testing.assert_allclose(_grad(_columns(net, [0]))[0], [[-0.05]], rtol=1e-12)
    np.testing.assert_allclose(_clipped(net)[0], [[-0.1]], rtol=1e-12)
    assert diagnose(net, _clipped(net), _clipped) == []
    assert _keys(diagnose(net, _clipped(net), _times(lambda n: 0.25))) == ["constant_factor"]

    def clipped_batch(n: Network) -> Grads:         # per sample right on every network
        return _grad(n) if n.m == 1 else _clipped(n)

    assert diagnose(net, clipped_batch(net), clipped_batch) == []

    def scaled_if_large(n: Network) -> Grads:       # a factor 0.25 of large gradients only
        g = _grad(n)
        big = max(float(np.abs(d).max()) for d in g) > 0.01
        return [0.25 * d if big else d for d in g]

    assert _keys(diagnose(net, scaled_if_large(net), _times(lambda n: 0.25))) == [
        "constant_factor"]
    assert diagnose(net, scaled_if_large(net), scaled_if_large) == []


def test_hidden_layers_is_not_named_where_the_last_layer_is_wrong_on_another_shape() -> None:
    net = _net((2, 3, 2), 2)

    def wrong_first_here(n: Network) -> Grads | None:
        if n is net:
            return [1.5 * d for d in _grad(n)[:1]] + _grad(n)[1:]
        return [1.5 * d for d in _grad(n)]

    assert diagnose(net, wrong_first_here(net), wrong_first_here) == []
