"""One network: call the user's function under its convention, compare with the expected
gradient, and say how serious a difference is (``Outcome.severity``: "ok" within the strict
tolerance, "caveat" within the network's rounding envelope (``reference.envelope``), "wrong"
otherwise; the rules are in ``reference.check``'s module doc)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

import manual_backprop as mb
from manual_backprop.i18n import ngettext

from .calling import Call, Failure, Interpreted, call, interpret
from .conventions import Convention
from .envelope import envelope, scales, variants, working_precision
from .jax_oracle import gradients
from .strategies import Network
from .tolerances import RTOL, condition_scale, kink_ambiguous_layers, worst_mismatch

__all__ = ["Outcome", "Within", "evaluate", "expected"]

F64 = NDArray[np.float64]
_STRICT = RTOL[np.dtype(np.float64)]
_ARITHMETIC = {"OverflowError", "FloatingPointError", "ZeroDivisionError"}
_EPS = {np.dtype(np.float64): float(np.finfo(np.float64).eps),
        np.dtype(np.float32): float(np.finfo(np.float32).eps)}


@dataclass(frozen=True)
class Within:
    """How a difference compares with the network's rounding envelope, at the entry where the
    ratio error / envelope is largest: ``ratio`` (≤ 1: rounding; inf: a NaN/±inf where no
    correct formula has one), the entry's error and envelope divided by its condition scale,
    the correct form whose loss set the envelope there (None: the precision's own rounding),
    the working precision ("float64" or "float32", ``reference.envelope.working_precision``)
    and whether the results are evidence of float32 work."""

    ratio: float
    error: float = 0.0
    bound: float = 0.0
    form: str | None = None
    precision: str = "float64"
    layer: int = 0
    symbol: str = "ΔW"
    float32: bool = False          # evidence that the function works in float32


@dataclass
class Outcome:
    """The function on one network: its ΔW (float64, the lecture's layout) or None, what went
    wrong, and how serious it is (``severity``: "ok", "caveat" or "wrong")."""

    failure: Failure | None
    severity: str = "ok"
    got: list[F64] | None = None
    got_db: list[F64] | None = None
    raw: list[NDArray[Any]] | None = None     # as returned, any shapes (for the diagnosis)
    expected: list[F64] | None = None
    expected_db: list[F64] | None = None
    error: float = 0.0                         # largest relative error over compared layers
    within: Within | None = None               # against the envelope, when error > RTOL
    compared_from: int = 1                     # layers compared_from..L were compared
    net_input: float = 0.0                     # the net input Z[l] of largest magnitude
    modified: list[str] = field(default_factory=list)
    dtypes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _biases(net: Network) -> list[NDArray[np.floating]] | None:
    return None if net.biases is None else list(net.biases)


def _net_inputs(net: Network) -> list[NDArray[np.floating]]:
    """Z[1], ..., Z[L] of ``net`` (the kernel, float64)."""
    Z = mb.forward(net.weights, net.X, net.activations, biases=_biases(net)).Z[1:]
    return [z for z in Z if z is not None]


def _extreme(Z: list[NDArray[np.floating]]) -> float:
    """The net input of largest magnitude."""
    flat = np.concatenate([z.ravel() for z in Z])
    return float(flat[np.argmax(np.abs(flat))]) if flat.size else 0.0


def _kink_layer(net: Network, Z: list[NDArray[np.floating]]) -> int:
    """The last relu/leaky_relu layer with a net input at (or within rounding of) the kink."""
    if not any(a in ("relu", "leaky_relu") for a in net.activations):
        return 0                                  # no kink: not worth a forward pass
    k = max(kink_ambiguous_layers(net.weights, net.X, net.activations, np.float64,
                                  biases=_biases(net)), default=0)
    if net.activations[0] in ("relu", "leaky_relu"):
        k = max([k] + [l for l, z in enumerate(Z, start=1) if not z.all()])
    return k


def expected(net: Network, conv: Convention, oracle: str = "jax"
             ) -> tuple[list[F64], list[F64] | None]:
    """What the function should return, in the lecture's terms: jax.grad of E = ½ΣΣ(Y − Ŷ)², or
    with hidden_error="lecture" the lecture's rule (the kernel, float64); Δb with biases.
    oracle="kernel": the kernel's gradient instead of jax.grad (the suite proves them equal
    within the tolerance; it needs no compilation, which the hint search cannot afford)."""
    bs = _biases(net) if conv.biases else None
    kernel = conv.hidden_error == "lecture" or oracle == "kernel"
    g: Any = (mb.gradients(net.weights, net.X, net.Y, net.activations,
                           hidden_error=conv.hidden_error, biases=bs) if kernel else
              gradients(net.weights, net.X, net.Y, net.activations, biases=bs))
    dW, db = (g, None) if bs is None else g
    return ([np.asarray(d, dtype=np.float64) for d in dW],
            None if db is None else [np.asarray(d, dtype=np.float64) for d in db])


def _relative(got: Interpreted, out: Outcome, net: Network, conv: Convention, k: int
              ) -> list[tuple[float, int, str, Any, Any, Any]]:
    """Per compared layer: (largest relative error, l, "ΔW" or "Δb", got, expected, scale),
    with the condition scale of float64."""
    assert got.dW is not None and out.expected is not None and got.slack is not None
    L = len(net.weights)
    scale = condition_scale(net.weights, net.X, net.Y, net.activations, conv.hidden_error,
                            np.float64, biases=_biases(net) if conv.biases else None)
    sW, sb = (scale.dW, scale.db) if conv.biases else (scale, [])  # type: ignore[union-attr]
    pairs = [(got.dW[i], out.expected[i], sW[i], got.slack[i], i + 1, "ΔW") for i in range(L)]
    if got.db is not None and out.expected_db is not None:
        pairs += [(got.db[i], out.expected_db[i], sb[i], got.slack[L + i], i + 1, "Δb")
                  for i in range(L)]
    errors: list[tuple[float, int, str, Any, Any, Any]] = []
    for g, e, s, slack, l, symbol in pairs:
        if l <= k:
            continue
        diff = np.maximum(np.abs(g - e) - slack, 0.0)
        rel = np.where(diff == 0, 0.0, diff / s)
        errors.append((float(rel.max()), l, symbol, g, e, s))
    return errors


def _compare(out: Outcome, net: Network, conv: Convention, got: Interpreted, k: int) -> None:
    out.compared_from = k + 1
    errors = _relative(got, out, net, conv, k)
    out.error = max((r for r, *_ in errors), default=0.0)
    bad = [x for x in errors if x[0] > _STRICT]
    if not bad:
        return
    worst = max(bad, key=lambda x: (x[1], x[0]))          # backprop order: from the output back
    _, l, symbol, g, e, s = worst
    w = worst_mismatch([g], [e], [s], symbol)
    w = replace(w, layer=l)                               # the layer of the whole network
    names = ", ".join(f"{sym}[{i}]" for _, i, sym, *_ in sorted(bad, key=lambda x: x[1]))
    out.failure = Failure("mismatch", ngettext("{names} differs", "{names} differ", len(bad))
                          .format(names=names), w)


def _plain(net: Network, conv: Convention) -> Network:
    """``net`` with biases only if the convention has them."""
    return net if conv.biases else replace(net, biases=None)


def _within(got: Interpreted, out: Outcome, net: Network, conv: Convention, k: int) -> Within:
    """The function's ΔW (and Δb) against the envelope, layers k+1..L: the largest ratio of its
    difference (less an update's slack) to the envelope, and where it is. The precision's own
    term RTOL · scale is tried first: a difference within it needs no variant."""
    assert got.dW is not None and got.slack is not None
    p, evidence = working_precision(got.raw or [], got.dtypes)
    net = _plain(net, conv)
    scale = scales(net, conv.hidden_error, p)
    gots = [*got.dW, *(got.db or [])]
    wants = [*(out.expected or []), *(out.expected_db or [])]
    L, env = len(net.weights), None
    diffs, finite = [], []
    with np.errstate(invalid="ignore"):
        for g, e, slack in zip(gots, wants, got.slack):
            finite.append(np.isfinite(g))
            diffs.append(np.where(finite[-1], np.maximum(
                np.abs(g - e) - slack * _EPS[p] / _EPS[np.dtype(np.float64)], 0.0), 0.0))
    if all(f.all() and np.all(d <= RTOL[p] * s) for f, d, s in zip(finite, diffs, scale)):
        bounds = [RTOL[p] * s for s in scale]
    else:
        env = envelope(net, wants, conv.hidden_error, p, scale)
        bounds = env.bound
    worst = Within(0.0, precision=str(p), float32=evidence)
    for i, (d, f, bound, s) in enumerate(zip(diffs, finite, bounds, scale)):
        l, symbol = i % L + 1, "ΔW" if i < L else "Δb"
        if l <= k:
            continue
        if env is not None and not np.all(f | env.nonfinite[i]):
            return Within(float("inf"), precision=str(p), layer=l, symbol=symbol,
                          float32=evidence)
        ratio = np.divide(d, bound, out=np.zeros_like(d), where=d != 0)
        j = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        if ratio[j] > worst.ratio:
            worst = Within(float(ratio[j]), float(d[j] / s[j]), float(bound[j] / s[j]),
                           None if env is None else env.name(i, j), str(p), l, symbol, evidence)
    return worst


def _severity(out: Outcome, net: Network, conv: Convention, got: Interpreted | None) -> str:
    f = out.failure
    if f is None:
        return "ok"
    if f.kind in ("returned", "shape", "modified"):
        return "wrong"
    if f.kind == "raised":                         # rounding only where a correct form overflows
        if f.exception not in _ARITHMETIC:
            return "wrong"
        if any(v.overflowed for v in variants(_plain(net, conv), conv.hidden_error,
                                              np.float64)):
            return "caveat"                        # no value to hold to the envelope
        out.within = Within(float("inf"))
        return "wrong"
    assert got is not None                         # "mismatch" or "nan": measured
    out.within = _within(got, out, net, conv, out.compared_from - 1)
    return "caveat" if out.within.ratio <= 1 else "wrong"


def evaluate(fn: Callable[..., Any], net: Network, conv: Convention | None = None,
             done: Call | None = None, cache: dict[Any, Any] | None = None,
             oracle: str = "jax") -> Outcome:
    """Call ``fn`` on ``net`` (float64 weights (n_l, n_{l−1}), X (n_0, m), Y (n_L, m), in the
    lecture's layout) under ``conv`` and compare with the expected gradient; ``Outcome``
    says how serious a difference is. ``done``: an earlier ``call`` of ``fn`` on ``net`` under
    the same convention's calling style, to interpret again instead of calling anew; ``cache``:
    a dict kept between calls on the same networks (the expected gradients, the net inputs);
    ``oracle``: "jax" or "kernel" (see ``expected``)."""
    conv = conv or Convention()
    c = done if done is not None else call(fn, net, conv)
    allowed = ("W[", "b[") if conv.returns == "update" else ()    # an update changes them
    out = Outcome(c.failure, modified=[n for n in c.modified if not n.startswith(allowed)],
                  warnings=list(c.warnings))
    cache = {} if cache is None else cache
    key = (id(net), conv.hidden_error, conv.biases)
    if key not in cache:
        Z = _net_inputs(net)
        cache[key] = (_extreme(Z), _kink_layer(net, Z), expected(net, conv, oracle))
    out.net_input, kink, (out.expected, out.expected_db) = cache[key]
    got = None
    if c.failure is None:
        got = interpret(c, net, conv)
        out.raw, out.dtypes, out.failure = got.raw, got.dtypes, got.failure
        out.compared_from = kink + 1
        if got.failure is None:
            out.got, out.got_db = got.dW, got.db
            _compare(out, net, conv, got, kink)
    if out.failure is None and out.modified:
        out.failure = Failure("modified", ngettext(
            "Your function changed its argument {names} in place (its ΔW were right on this "
            "network)",
            "Your function changed its arguments {names} in place (its ΔW were right on this "
            "network)", len(out.modified)).format(names=", ".join(out.modified)))
    out.severity = _severity(out, net, conv, got)
    return out
