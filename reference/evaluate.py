"""One network: call the user's function under its convention, compare with the expected
gradient, and say how serious a difference is (``Outcome.severity``: "ok", "caveat", "wrong";
the rules are in ``reference.check``'s module doc and ``reference.tolerances``)."""

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
from .jax_oracle import gradients
from .strategies import Network
from .tolerances import (
    RTOL,
    TAME_NET_INPUT,
    WRONG_FLOOR,
    WRONG_RTOL,
    condition_scale,
    kink_ambiguous_layers,
    worst_mismatch,
)

__all__ = ["Outcome", "evaluate", "expected"]

F64 = NDArray[np.float64]
_STRICT = RTOL[np.dtype(np.float64)]
_ARITHMETIC = {"OverflowError", "FloatingPointError", "ZeroDivisionError"}


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
    wrong_error: float = 0.0                   # the same with the floor WRONG_FLOOR
    compared_from: int = 1                     # layers compared_from..L were compared
    net_input: float = 0.0                     # the net input Z[l] of largest magnitude
    modified: list[str] = field(default_factory=list)
    dtypes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def tame(self) -> bool:
        return abs(self.net_input) <= TAME_NET_INPUT


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


def _relative(got: Interpreted, out: Outcome, net: Network, conv: Convention, k: int,
              floor: float | None = None) -> list[tuple[float, int, str, Any, Any, Any]]:
    """Per compared layer: (largest relative error, l, "ΔW" or "Δb", got, expected, scale),
    with the condition scale of float64 (or with the absolute term ``floor``)."""
    assert got.dW is not None and out.expected is not None and got.slack is not None
    L = len(net.weights)
    scale = condition_scale(net.weights, net.X, net.Y, net.activations, conv.hidden_error,
                            np.float64, biases=_biases(net) if conv.biases else None,
                            floor=floor)
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
    out.error = out.wrong_error = max((r for r, *_ in errors), default=0.0)
    if out.error > WRONG_RTOL:       # wrong math, or rounding at the level of an ulp of 1?
        out.wrong_error = max((r for r, *_ in _relative(got, out, net, conv, k, WRONG_FLOOR)),
                              default=0.0)
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


def _severity(out: Outcome) -> str:
    f = out.failure
    if f is None:
        return "ok"
    if f.kind in ("returned", "shape", "modified"):
        return "wrong"
    if f.kind == "raised":
        return "caveat" if not out.tame and f.exception in _ARITHMETIC else "wrong"
    if f.kind == "nan":
        return "wrong" if out.tame else "caveat"
    return "wrong" if out.tame and out.wrong_error > WRONG_RTOL else "caveat"


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
    if c.failure is None:
        got = interpret(c, net, conv)
        out.raw, out.dtypes, out.failure = got.raw, got.dtypes, got.failure
        if got.failure is None:
            out.got, out.got_db = got.dW, got.db
            _compare(out, net, conv, got, kink)
    if out.failure is None and out.modified:
        out.failure = Failure("modified", ngettext(
            "Your function changed its argument {names} in place (its ΔW were right on this "
            "network)",
            "Your function changed its arguments {names} in place (its ΔW were right on this "
            "network)", len(out.modified)).format(names=", ".join(out.modified)))
    out.severity = _severity(out)
    return out
