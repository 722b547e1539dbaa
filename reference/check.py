"""Check anyone's backprop: ``FUNC(weights, X, Y) -> [ΔW[1], ..., ΔW[L]]`` against jax.grad.

    python -m manual_backprop check my_homework.py:backprop [--activation tanh]
    reference.assert_backprop_correct(backprop, activation="tanh")        # in a pytest test

Hypothesis searches float64 networks (depth 1–4, widths 1–8, batch 1–8; |W|, |X| ≤ 4, and a
second family with |W|, |X| ≤ 30 whose net inputs reach 1e4, where a naive exp overflows) with
the given activation in every layer and no biases, and compares the function's result with
``reference.gradients`` (jax.grad of E = ½ΣΣ(Y − Ŷ)²) by the condition-scaled relative error
of ``reference.tolerances`` (tolerance ``rtol_for(float64)``). The first disagreement is
shrunk by Hypothesis to a minimal network (fewest layers, nodes and samples, simplest values),
which is what is reported, with a diagnosis from ``reference.diagnose`` where one applies.

What counts as a disagreement: a ΔW entry beyond the tolerance; an exception; a result that is
not L arrays of the weights' shapes; NaN or ±inf; and changing the caller's arrays in place.
numpy's floating-point warnings inside the function (an ``exp`` that overflows) are *not*:
they are recorded and the returned values are judged (a naive σ = 1/(1 + exp(−z)) is right,
with warnings, where σ′ = exp(−z)/(1 + exp(−z))² gives inf/inf = NaN and is reported).
At a relu/leaky_relu kink (a net input that is 0, or within rounding of 0) g′ is a convention:
only the layers after the last such layer are compared, so relu′(0) = 0 and 1 both pass.
"""

from __future__ import annotations

import random
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis import strategies as st
from hypothesis.errors import FlakyFailure, NoSuchExample
from numpy.typing import NDArray

import manual_backprop as mb

from .check_report import format_result
from .diagnose import Diagnosis, diagnose
from .jax_oracle import gradients
from .strategies import ACTIVATION_NAMES, Network, networks
from .tolerances import (
    GradientMismatch,
    condition_scale,
    kink_ambiguous_layers,
    relative_errors,
    rtol_for,
    worst_mismatch,
)

__all__ = ["DEFAULT_MAX_EXAMPLES", "CheckResult", "Failure", "Outcome", "assert_backprop_correct",
           "check_backprop", "evaluate", "search_strategy"]

F64 = NDArray[np.float64]
Backprop = Callable[[list[NDArray[np.floating]], NDArray[np.floating], NDArray[np.floating]],
                    Any]
DEFAULT_MAX_EXAMPLES = 1000
_F64 = np.dtype(np.float64)


@dataclass(frozen=True)
class Failure:
    """Why one network disagrees. kind: "raised", "returned" (not L arrays of real numbers),
    "shape", "nan", "mismatch" or "modified"; message: one line; mismatch: the worst entry of
    the first layer that differs, going back from the output (kind "mismatch" only)."""

    kind: str
    message: str
    mismatch: GradientMismatch | None = None


@dataclass
class Outcome:
    """The function on one network: its ΔW (float64, validated) or None, and what went wrong."""

    failure: Failure | None
    got: list[F64] | None = None
    raw: list[NDArray[Any]] | None = None     # as returned, any shapes (for the diagnosis)
    expected: list[F64] | None = None
    error: float = 0.0                         # largest relative error over compared layers
    compared_from: int = 1                     # layers compared_from..L were compared
    modified: list[str] = field(default_factory=list)
    dtypes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _kink_layer(net: Network) -> int:
    """The last relu/leaky_relu layer with a net input at (or within rounding of) the kink."""
    k = max(kink_ambiguous_layers(net.weights, net.X, net.activations, np.float64), default=0)
    if net.activations[0] in ("relu", "leaky_relu"):
        Z = mb.forward(net.weights, net.X, net.activations).Z[1:]
        k = max([k] + [l for l, z in enumerate(Z, start=1) if z is not None and not z.all()])
    return k


def _call(fn: Backprop, net: Network, out: Outcome) -> Any:
    Ws, X, Y = [W.copy() for W in net.weights], net.X.copy(), net.Y.copy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(Ws, X, Y)
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f" (at {frame.filename}:{frame.lineno}: {frame.line})" if frame.line else ""
            out.failure = Failure("raised", f"Your function raised {type(exc).__name__}: "
                                  f"{exc}{where}")
            result = None
    out.warnings = [str(w.message) for w in caught]
    named = [(f"W[{l}]", a, b) for l, (a, b) in enumerate(zip(Ws, net.weights), start=1)]
    out.modified = [n for n, a, b in [*named, ("X", X, net.X), ("Y", Y, net.Y)]
                    if np.shape(a) != np.shape(b) or not np.array_equal(a, b)]
    return result


def _validated(result: Any, net: Network, out: Outcome) -> list[F64] | None:
    L = len(net.weights)
    if (isinstance(result, np.ndarray) and result.ndim != 3) or isinstance(result, (str, bytes)):
        shape = f" of shape {result.shape}" if isinstance(result, np.ndarray) else ""
        out.failure = Failure("returned", f"Your function returned one "
                              f"{type(result).__name__}{shape}; expected a list of L = {L} "
                              f"arrays [ΔW[1], ..., ΔW[{L}]]")
        return None
    try:
        items = [np.asarray(a) for a in result]
    except TypeError:
        out.failure = Failure("returned", f"Your function returned {type(result).__name__}, "
                              f"not a list of L = {L} arrays [ΔW[1], ..., ΔW[{L}]]")
        return None
    if len(items) != L:
        out.failure = Failure("returned", f"Your function returned {len(items)} arrays; "
                              f"expected L = {L} (ΔW[1], ..., ΔW[{L}], one per weight matrix)")
        return None
    for l, a in enumerate(items, start=1):
        if a.dtype.kind not in "fiu":
            out.failure = Failure("returned", f"Your ΔW[{l}] has dtype {a.dtype}; expected real "
                                  f"numbers (float64)")
            return None
    out.dtypes = [str(a.dtype) for a in items]
    out.raw = [a.astype(np.float64) for a in items]
    for l, (a, W) in enumerate(zip(items, net.weights), start=1):
        if a.shape != W.shape:
            out.failure = Failure("shape", f"Your ΔW[{l}] has shape {a.shape}; expected {W.shape}, "
                                  f"the shape of W[{l}] (n_{l}, n_{l - 1})")
            return None
    for l, a in enumerate(out.raw, start=1):
        bad = np.argwhere(~np.isfinite(a))
        if len(bad):
            k, j = bad[0]
            out.failure = Failure("nan", f"Your ΔW[{l}] has {len(bad)} non-finite "
                                  f"entr{'ies' if len(bad) > 1 else 'y'} "
                                  f"(ΔW[{l}][k={k}, j={j}] = {a[k, j]})")
            return None
    return out.raw


def evaluate(fn: Backprop, net: Network) -> Outcome:
    """Call ``fn`` on ``net`` (copies of float64 weights (n_l, n_{l−1}), X (n_0, m), Y (n_L, m))
    and compare with jax.grad; ``Outcome.failure`` is None when it agrees."""
    out = Outcome(None)
    result = _call(fn, net, out)
    if out.failure is None:
        out.got = _validated(result, net, out)
    out.expected = gradients(net.weights, net.X, net.Y, net.activations)
    if out.got is None:
        return out
    k = _kink_layer(net)
    out.compared_from = k + 1
    scale = condition_scale(net.weights, net.X, net.Y, net.activations, "exact", np.float64)
    rel = relative_errors(out.got[k:], out.expected[k:], scale[k:])
    out.error = max((float(r.max()) for r in rel), default=0.0)
    bad = [l for l, r in enumerate(rel, start=k + 1) if float(r.max()) > rtol_for(_F64)]
    if bad:
        l = bad[-1]                                   # backprop order: from the output back
        w = worst_mismatch([out.got[l - 1]], [out.expected[l - 1]], [scale[l - 1]])
        w = GradientMismatch(l, w.k, w.j, w.expected, w.got, w.relative_error)
        layers = ", ".join(f"ΔW[{i}]" for i in bad)
        out.failure = Failure("mismatch", f"{layers} differ{'s' if len(bad) == 1 else ''}", w)
    elif out.modified:
        s = "s" * (len(out.modified) > 1)
        out.failure = Failure("modified", f"Your function changed its argument{s} "
                              f"{', '.join(out.modified)} in place (its ΔW were right on this "
                              f"network)")
    return out


def search_strategy(activation: str = "sigmoid") -> st.SearchStrategy[Network]:
    """The networks ``check`` tries: float64, ``activation`` in every layer, no biases; depth
    1–4, widths and batch 1–8, |W|, |X| ≤ 4 or (second family) ≤ 30, |Y| ≤ 2."""
    common: dict[str, Any] = dict(dtypes=(_F64,), activations=(activation,), mixed=False,
                                  biases=False)
    return st.one_of(networks(**common),
                     networks(weight_bound=30.0, input_bound=30.0, **common))


@dataclass
class CheckResult:
    """What ``check_backprop`` found. ok: no disagreement; networks: how many were tried before
    the first disagreement (all of them when ok); max_error: the largest relative error on the
    networks that agreed; seconds: wall time; and, when not ok, the minimal failing network,
    its ``Outcome`` and the diagnosis."""

    ok: bool
    activation: str
    seed: int
    networks: int
    max_error: float
    seconds: float
    network: Network | None = None
    outcome: Outcome | None = None
    diagnosis: list[Diagnosis] = field(default_factory=list)
    flaky: bool = False
    warned: int = 0                    # networks on which numpy warned inside the function

    def __str__(self) -> str:
        return format_result(self)


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATION_NAMES:
        raise ValueError(f"`activation` is {activation!r}; expected one of "
                         f"{', '.join(ACTIVATION_NAMES)}")
    return activation


def check_backprop(fn: Backprop, activation: str = "sigmoid", *,
                   max_examples: int = DEFAULT_MAX_EXAMPLES, seed: int = 0) -> CheckResult:
    """Search for a network on which ``fn(weights, X, Y)`` disagrees with jax.grad.

    fn: takes weights (L float64 arrays (n_l, n_{l−1})), X (n_0, m), Y (n_L, m) and returns
        [ΔW[1], ..., ΔW[L]] with ΔW[l] = ∂E/∂W[l] of E = ½ΣΣ(Y − Ŷ)², for ``activation`` in
        every layer. max_examples: networks to try (≥ 1); seed: the search's seed (the same
        seed and function give the same networks and the same report, with the same modules
        loaded: Hypothesis also draws numbers written in them).
    """
    _check_activation(activation)
    if isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1:
        raise ValueError(f"`max_examples` is {max_examples!r}; expected a whole number ≥ 1")
    start = time.perf_counter()
    stats = {"tried": 0, "error": 0.0, "warned": 0, "failed": False}

    def disagrees(net: Network) -> bool:
        outcome = evaluate(fn, net)
        if not stats["failed"]:
            stats["tried"] += 1
            stats["warned"] += bool(outcome.warnings)
            if outcome.failure is None:
                stats["error"] = max(stats["error"], outcome.error)
            stats["failed"] = outcome.failure is not None
        return outcome.failure is not None

    config = settings(max_examples=max_examples, database=None, deadline=None,
                      derandomize=False, print_blob=False, verbosity=Verbosity.quiet,
                      suppress_health_check=list(HealthCheck),
                      phases=[Phase.generate, Phase.shrink])
    result = CheckResult(True, activation, seed, 0, 0.0, 0.0)
    try:
        result.network = find(search_strategy(activation), disagrees, settings=config,
                              random=random.Random(seed))
    except NoSuchExample:
        pass
    except FlakyFailure:
        result.flaky = True
    result.networks, result.max_error = int(stats["tried"]), float(stats["error"])
    result.warned = int(stats["warned"])
    if result.network is not None:
        result.outcome = evaluate(fn, result.network)
        result.flaky = result.outcome.failure is None
    result.ok = result.network is None and not result.flaky
    if result.network is not None and not result.flaky:
        result.diagnosis = _diagnose(fn, result.network, result.outcome)
    result.seconds = time.perf_counter() - start
    return result


def _diagnose(fn: Backprop, net: Network, outcome: Outcome | None) -> list[Diagnosis]:
    assert outcome is not None

    def run(other: Network) -> list[F64] | None:
        o = Outcome(None)
        r = _call(fn, other, o)
        return None if o.failure is not None else _validated(r, other, o)

    return diagnose(net, outcome.got, run, raw=outcome.raw, modified=outcome.modified,
                    dtypes=outcome.dtypes, warnings=outcome.warnings)


def assert_backprop_correct(fn: Backprop, activation: str = "sigmoid", *,
                            max_examples: int = DEFAULT_MAX_EXAMPLES,
                            seed: int = 0) -> CheckResult:
    """``check_backprop`` for pytest: raise AssertionError with the full report (the minimal
    failing network, expected vs got, the diagnosis) if ``fn`` disagrees; else return the
    result (networks tried, largest relative error). Arguments as in ``check_backprop``."""
    result = check_backprop(fn, activation, max_examples=max_examples, seed=seed)
    if not result.ok:
        raise AssertionError(str(result))
    return result
