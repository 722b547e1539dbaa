"""Calling a user's backprop function under a ``Convention`` and reading what it returns.

``call`` runs the function on copies of a network (always given in the lecture's layout:
W[l] (n_l, n_{l−1}), X (n_0, m), Y (n_L, m)), in the convention's layout and argument order.
``interpret`` turns what it returned into the lecture's ΔW (and Δb) in float64, so that one
comparison serves every convention. Results may be a list or tuple in layer order, a pair
(ΔW list, Δb list) with biases, or a dict with keys dW1…dWL (db1…dbL) or W1…WL (b1…bL); with
returns="update" the new weights (or None, the given arrays changed in place).
"""

from __future__ import annotations

import inspect
import re
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from manual_backprop.i18n import _, ngettext

from .conventions import Convention
from .strategies import Network
from .tolerances import UPDATE_ROUNDING

__all__ = ["Call", "CannotCall", "Failure", "Interpreted", "call", "check_callable", "interpret",
           "passes_alpha", "positional_parameters", "separate_weights"]

F64 = NDArray[np.float64]
Arrays = list[NDArray[Any]]
_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class Failure:
    """Why one network disagrees. kind: "raised", "returned" (not what the convention
    expects), "shape", "nan", "mismatch" or "modified"; message: one line; mismatch: the
    worst entry of the first layer that differs, going back from the output ("mismatch");
    exception: the exception's type name ("raised")."""

    kind: str
    message: str
    mismatch: Any = None
    exception: str | None = None


@dataclass
class Call:
    """One call of the function on a network: what it returned or raised, and what it did to
    its arguments (``weights``/``biases`` as passed, after the call; ``modified``: every
    argument changed in place, which an update may do to the weights and biases)."""

    result: Any = None
    failure: Failure | None = None
    weights: list[NDArray[Any]] = field(default_factory=list)
    biases: list[NDArray[Any]] | None = None
    modified: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def positional_parameters(fn: Callable[..., Any]) -> int | None:
    """How many positional arguments ``fn`` accepts (None: any number, or unknown)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


def separate_weights(fn: Callable[..., Any], conv: Convention) -> bool:
    """Whether ``fn`` takes the weights one by one, ``backprop(W1, ..., WL, X, Y[, alpha])``
    (the slides' own signature): at a fixed depth L without biases, when its first parameter is
    named W1 (or w1, W_1) and it has L + 2 positional parameters (L + 3 with an update that is
    given α). A function ``(weights, X, Y, alpha)`` has L + 2 parameters at L = 2 too: the
    name tells them apart."""
    n, L = positional_parameters(fn), conv.layers
    if L is None or conv.biases or n is None:
        return False
    try:
        first = next(iter(inspect.signature(fn).parameters), "")
    except (TypeError, ValueError):
        return False
    named = re.fullmatch(r"[Ww]_?1", first) is not None
    return named and (n == L + 2 or (conv.returns == "update" and n == L + 3))


def _base_parameters(fn: Callable[..., Any], conv: Convention) -> int:
    """How many parameters the weights (and biases), X and Y take."""
    if separate_weights(fn, conv):
        return (conv.layers or 1) + 2
    return 4 if conv.biases else 3


def passes_alpha(fn: Callable[..., Any], conv: Convention) -> bool:
    """Whether ``fn`` is given α: with returns="update", when it takes one more parameter."""
    n = positional_parameters(fn)
    return conv.returns == "update" and n is not None and n > _base_parameters(fn, conv)


class CannotCall(TypeError):
    """``fn`` cannot be called the way the convention calls it (its parameters do not bind):
    nothing about its math is known. The message says how it is called and how to wrap it."""


def _binds(signature: inspect.Signature, names: list[str]) -> TypeError | None:
    try:
        signature.bind(*names)
    except TypeError as exc:
        return exc
    return None


def check_callable(fn: Callable[..., Any], conv: Convention) -> None:
    """Raise ``CannotCall`` when ``fn``'s parameters cannot take the convention's arguments
    (weights[, biases], X, Y[, alpha]) and either no convention's can (``json.dumps``) or its
    parameters are the weights one by one (``backprop(W1, W2, X, Y)``: the first parameter
    named W1 or w1); nothing otherwise, or when its signature is unknown."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    weights = ([f"W{l}" for l in range(1, (conv.layers or 1) + 1)]
               if separate_weights(fn, conv) else ["weights"])
    names = [*weights, *(["biases"] if conv.biases else []), "X", "Y",
             *(["alpha"] if passes_alpha(fn, conv) else [])]
    exc = _binds(signature, names)
    if exc is None:
        return
    params = list(signature.parameters)
    separate = bool(params) and re.fullmatch(r"[Ww]_?1", params[0]) is not None
    styles = (["weights", "X", "Y"], ["weights", "biases", "X", "Y"],
              ["weights", "X", "Y", "alpha"], ["weights", "biases", "X", "Y", "alpha"])
    if not separate and any(_binds(signature, style) is None for style in styles):
        return                                   # another convention calls it: a verdict
    name = getattr(fn, "__name__", "fn")
    k = positional_parameters(fn) or 0
    lines = [_("{name}{signature} cannot be called as check calls it, {name}({arguments}) "
               "with weights = [W[1], ..., W[L]]: {error}").format(
                   name=name, signature=f"({', '.join(params)})", arguments=", ".join(names),
                   error=exc)]
    if separate and k >= 3:
        listed = ", ".join(f"W[{l}]" for l in range(1, k - 1))
        lines.append(_("if its arguments are {weights}, X, Y, check it with --layers {L}"
                       ).format(weights=listed, L=k - 2))
    raise CannotCall("; ".join(lines)) from None


def _in_layout(net: Network, conv: Convention
               ) -> tuple[Arrays, Arrays | None, NDArray[Any], NDArray[Any]]:
    """``net``'s arrays as ``conv`` passes them: views (transposed for layout="rows")."""
    rows = conv.layout == "rows"
    Ws = [W.T if rows else W for W in net.weights]
    bs = None
    if conv.biases:
        assert net.biases is not None
        bs = [b.ravel() if rows else b for b in net.biases]
    X, Y = (net.X.T, net.Y.T) if rows else (net.X, net.Y)
    return Ws, bs, X, Y


def call(fn: Callable[..., Any], net: Network, conv: Convention) -> Call:
    """Call ``fn`` on copies of ``net`` (float64, the lecture's layout) in ``conv``'s layout and
    argument order; record an exception, numpy's warnings and arguments changed in place."""
    Ws0, bs0, X0, Y0 = _in_layout(net, conv)
    Ws, X, Y = [np.array(W) for W in Ws0], np.array(X0), np.array(Y0)    # the copies it gets
    bs = None if bs0 is None else [np.array(b) for b in bs0]
    args: list[Any] = [*(Ws if separate_weights(fn, conv) else [Ws]),
                       *([bs] if bs is not None else []), X, Y]
    if passes_alpha(fn, conv):
        args.append(conv.step)
    out = Call(weights=Ws, biases=bs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out.result = fn(*args)
        except MemoryError:
            raise
        except Exception as exc:
            frame = getattr(exc, "frame", None)      # raised in a sandbox: its frame, there
            if not isinstance(frame, traceback.FrameSummary):
                frames = traceback.extract_tb(exc.__traceback__)[1:]   # [0]: fn(*args) here
                frame = frames[-1] if frames else None
            out.failure = Failure("raised", _raised(exc, frame), exception=type(exc).__name__)
    out.warnings = [str(w.message) for w in caught]
    named: list[tuple[str, Any, Any]] = [
        *((f"W[{l}]", a, b) for l, (a, b) in enumerate(zip(Ws, Ws0), start=1)),
        *((f"b[{l}]", a, b) for l, (a, b) in enumerate(zip(bs or [], bs0 or []), start=1)),
        ("X", X, X0), ("Y", Y, Y0)]
    out.modified = [n for n, a, b in named if np.shape(a) != np.shape(b)
                    or not np.array_equal(a, b)]
    return out


def _raised(exc: Exception, frame: traceback.FrameSummary | None) -> str:
    """The message of an exception the function raised, with the line that raised it (none
    when the call itself failed, e.g. a function that takes other arguments)."""
    if frame is not None and frame.line:
        return _("Your function raised {name}: {error} (at {file}:{line}: {code})").format(
            name=type(exc).__name__, error=exc, file=frame.filename, line=frame.lineno,
            code=frame.line)
    return _("Your function raised {name}: {error}").format(name=type(exc).__name__, error=exc)


@dataclass
class Interpreted:
    """What the function returned, in the lecture's terms: dW (and db) in float64, the lecture's
    layout and summed loss; ``slack`` the absolute rounding an update adds, per entry of
    [*dW, *db]; ``raw`` the arrays as returned (any shape) and their ``dtypes``."""

    dW: list[F64] | None = None
    db: list[F64] | None = None
    slack: list[F64] | None = None
    raw: list[NDArray[Any]] | None = None
    dtypes: list[str] = field(default_factory=list)
    failure: Failure | None = None


def _what(conv: Convention, L: int) -> str:
    """What the function should return, in words (the language of the output)."""
    prefix = "W" if conv.returns == "update" else "ΔW"
    what = _("a list of L = {L} arrays [{symbol}[1], ..., {symbol}[{L}]]").format(
        L=L, symbol=prefix)
    if not conv.biases:
        return what
    return _("a pair ({weights}, the {L} {symbol}[l])").format(
        weights=what, L=L, symbol="b" if prefix == "W" else "Δb")


def _from_dict(result: dict[Any, Any], conv: Convention, L: int
               ) -> tuple[list[Any], list[Any] | None] | str:
    keys = ["W"] if conv.returns == "update" else ["dW", "W"]
    bkeys = ["b"] if conv.returns == "update" else ["db", "b"]
    for k, bk in zip(keys, bkeys):
        if all(f"{k}{l}" in result for l in range(1, L + 1)):
            Ws = [result[f"{k}{l}"] for l in range(1, L + 1)]
            if not conv.biases:
                return Ws, None
            if all(f"{bk}{l}" in result for l in range(1, L + 1)):
                return Ws, [result[f"{bk}{l}"] for l in range(1, L + 1)]
    found = sorted(map(str, result))
    if conv.biases:
        return _("Your function returned a dict with keys {keys}; expected {weights} and "
                 "{biases}").format(keys=found, weights=f"{keys[0]}1..{keys[0]}{L}",
                                    biases=f"{bkeys[0]}1..{bkeys[0]}{L}")
    return _("Your function returned a dict with keys {keys}; expected {weights}").format(
        keys=found, weights=f"{keys[0]}1..{keys[0]}{L}")


def _split(result: Any, conv: Convention, L: int, got: Call
           ) -> tuple[list[Any], list[Any] | None] | str:
    """The returned weight-like and bias-like sequences, or a message saying what is wrong."""
    if conv.returns == "update" and result is None:
        return list(got.weights), (list(got.biases) if got.biases is not None else None)
    if isinstance(result, dict):
        return _from_dict(result, conv, L)
    if isinstance(result, np.ndarray) and result.ndim != 3:
        return _("Your function returned one {type} of shape {shape}; expected {expected}"
                 ).format(type=type(result).__name__, shape=result.shape,
                          expected=_what(conv, L))
    if isinstance(result, (str, bytes)):
        return _("Your function returned one {type}; expected {expected}").format(
            type=type(result).__name__, expected=_what(conv, L))
    try:
        items = list(result)
    except TypeError:
        return _("Your function returned {type}, not {expected}").format(
            type=type(result).__name__, expected=_what(conv, L))
    if conv.biases:
        if len(items) != 2 or any(isinstance(i, np.ndarray) and i.ndim != 3 for i in items):
            return _("Your function returned {n} items; expected {expected}").format(
                n=len(items), expected=_what(conv, L))
        try:
            return list(items[0]), list(items[1])
        except TypeError:
            return _("Your function returned a pair that is not two lists; expected {expected}"
                     ).format(expected=_what(conv, L))
    return items, None


def _how_many(symbol: str) -> str:
    """The message for a function that returns the wrong number of arrays ``symbol``[l]."""
    if symbol == "ΔW":
        return _("Your function returned {n} arrays; expected L = {L} (ΔW[1], ..., ΔW[{L}], one "
                 "per weight matrix)")
    if symbol == "W":
        return _("Your function returned {n} new weight arrays; expected L = {L} (W[1], ..., "
                 "W[{L}], one per weight matrix)")
    if symbol == "Δb":
        return _("Your function returned {n} Δb arrays; expected L = {L} (Δb[1], ..., Δb[{L}], "
                 "one per layer)")
    return _("Your function returned {n} new bias arrays; expected L = {L} (b[1], ..., b[{L}], "
             "one per layer)")


def _arrays(items: Sequence[Any], symbol: str, expect: Sequence[tuple[int, ...]],
            out: Interpreted) -> list[NDArray[Any]] | None:
    L = len(expect)
    if len(items) != L:
        out.failure = Failure("returned", _how_many(symbol).format(n=len(items), L=L))
        return None
    arrays = []
    for l, a in enumerate(items, start=1):
        try:
            arr = np.asarray(a)
        except (ValueError, TypeError) as exc:      # ragged lists, objects numpy cannot read
            out.failure = Failure("returned", _("Your {symbol}[{l}] is not an array: "
                                                "{error}").format(symbol=symbol, l=l, error=exc))
            return None
        if arr.dtype.kind not in "fiu":
            out.failure = Failure("returned", _("Your {symbol}[{l}] has dtype {dtype}; expected "
                                                "real numbers (float64)").format(
                                                    symbol=symbol, l=l, dtype=arr.dtype))
            return None
        arrays.append(arr)
    return arrays


def interpret(got: Call, net: Network, conv: Convention) -> Interpreted:
    """The lecture's ΔW (and Δb) from what ``fn`` returned on ``net`` under ``conv``; a
    ``Failure`` ("returned", "shape" or "nan") when that is not possible."""
    out = Interpreted()
    L, rows, update = len(net.weights), conv.layout == "rows", conv.returns == "update"
    split = _split(got.result, conv, L, got)
    if isinstance(split, str):
        out.failure = Failure("returned", split)
        return out
    w_sym, b_sym = ("W", "b") if update else ("ΔW", "Δb")
    w_shapes = [W.T.shape if rows else W.shape for W in net.weights]
    b_shapes = [(W.shape[0],) if rows else (W.shape[0], 1) for W in net.weights]
    Ws = _arrays(split[0], w_sym, w_shapes, out)
    bs = None if split[1] is None or Ws is None else _arrays(split[1], b_sym, b_shapes, out)
    if Ws is None or (conv.biases and bs is None):
        return out
    out.dtypes = [str(a.dtype) for a in [*Ws, *(bs or [])]]
    raw_W = [a.astype(np.float64).T if rows and a.ndim == 2 else a.astype(np.float64)
             for a in Ws]
    out.raw = raw_W
    for l, (a, shape) in enumerate(zip(Ws, w_shapes), start=1):
        if a.shape != shape:
            dims = f"(n_{l - 1}, n_{l})" if rows else f"(n_{l}, n_{l - 1})"
            out.failure = Failure("shape", _(
                "Your {symbol}[{l}] has shape {shape}; expected {expected}, the shape of W[{l}] "
                "{dims}").format(symbol=w_sym, l=l, shape=a.shape, expected=shape, dims=dims))
            return out
    for l, (a, shape) in enumerate(zip(bs or [], b_shapes), start=1):
        if a.shape != shape:
            out.failure = Failure("shape", _(
                "Your {symbol}[{l}] has shape {shape}; expected {expected}, the shape of b[{l}]"
            ).format(symbol=b_sym, l=l, shape=a.shape, expected=shape))
            return out
    dW = [np.asarray(a.T if rows else a, dtype=np.float64) for a in Ws]
    db = None if bs is None else [np.asarray(a, dtype=np.float64).reshape(-1, 1) for a in bs]
    slack = [np.zeros_like(d) for d in [*dW, *(db or [])]]
    if update:
        before = [*net.weights, *(net.biases or [])][: len(slack)]
        after = [*dW, *(db or [])]
        with np.errstate(all="ignore"):
            changes = [(b - a) / conv.step for b, a in zip(before, after)]
            slack = [UPDATE_ROUNDING * _EPS * (np.abs(b) + np.abs(a)) / conv.step
                     for b, a in zip(before, after)]
        dW, db = changes[:L], (changes[L:] if db is not None else None)
    if conv.loss == "mean":
        dW = [d * net.m for d in dW]
        db = None if db is None else [d * net.m for d in db]
        slack = [s * net.m for s in slack]
    out.dW, out.db, out.slack = dW, db, slack
    for symbol, arrays in (("ΔW", dW), ("Δb", db or [])):
        for l, a in enumerate(arrays, start=1):
            bad = np.argwhere(~np.isfinite(a))
            if len(bad):
                k, j = bad[0]
                out.failure = Failure("nan", ngettext(
                    "Your {symbol}[{l}] has {n} non-finite entry ({symbol}[{l}][k={k}, j={j}] "
                    "= {value})",
                    "Your {symbol}[{l}] has {n} non-finite entries ({symbol}[{l}][k={k}, "
                    "j={j}] = {value})", len(bad)).format(symbol=symbol, l=l, n=len(bad), k=k,
                                                          j=j, value=a[k, j]))
                return out
    return out
