"""Recognise the usual backprop bugs: compare a wrong ΔW with the known wrong variants.

A function that disagrees with ``jax.grad`` is compared, on the same network, with what the
common mistakes compute (each variant computed by ``manual_backprop.gradients``, with a custom
(g, g′) pair where the mistake is in g′, and measured with the same condition scale and
tolerance as the check itself):

    sign              −ΔW                                   (the update direction, not ∂E/∂W)
    factor_2          2·ΔW                                  (the loss without ½)
    mean              ΔW / m                                (averaged over the samples)
    mse               2·ΔW / m                              (mean of (Y − Ŷ)², no ½)
    lecture_hidden_error  hidden_error="lecture"            (E[l] = W[l+1]ᵀE[l+1])
    no_output_g_prime g′ ≡ 1 in layer L                     (δ[L] = E[L])
    no_hidden_g_prime g′ ≡ 1 in layers 1..L−1
    no_g_prime        g′ ≡ 1 in every layer
    g_prime_of_A      g′(A[l]) = g′(g(Z[l])) in every layer (e.g. sigmoid_prime(A))
    derivative_of_Z   A(1 − A) or 1 − A² evaluated at Z     (σ′ = Z(1 − Z), tanh′ = 1 − Z²)
    part_of_batch     the gradient of some of the samples (first, last, all but one; none: zeros)

A variant that matches on the minimal network is *confirmed* if the function also matches it on
a few fixed random networks with several layers and samples (it tells, e.g., a factor 1/m
from "first sample only" when the shrunk network's two samples are equal). When no variant
matches: ``transposed`` (a ΔW[l] whose transpose is right), ``broadcast`` (right for every
single sample, wrong for the batch) and ``hidden_layers`` (ΔW[L] right, earlier layers wrong).
Notes that apply in any case: ``modified_input``, ``float32`` and ``overflow``. They come before
``hidden_layers``, which is a symptom where they are evidence (an overflow that zeroes σ′ in a
hidden layer leaves ΔW[L] right and the earlier layers wrong).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

import manual_backprop as mb
from manual_backprop.i18n import N_, _, use_language

from .strategies import Network
from .tolerances import condition_scale, max_relative_error, rtol_for

__all__ = ["Diagnosis", "confirmation_networks", "diagnose", "variants"]

F64 = NDArray[np.float64]
Run = Callable[[Network], "list[F64] | None"]
_RTOL = rtol_for(np.float64)
_BASELINE: ContextVar[str] = ContextVar("baseline", default="exact")

TEXT = {         # marked N_: translated where they are printed (``Text``)
    "sign": N_("sign flipped: you return −∂E/∂W, the update direction +E·g′(Z)·Aᵀ; the "
               "gradient is ΔW = −E·g′(Z)·Aᵀ with E = Y − Ŷ, and the step is W := W − αΔW"),
    "factor_2": N_("a factor 2: the gradient of ΣΣ(Y − Ŷ)², the loss without the ½ of "
                   "E = ½ΣΣ(Y − Ŷ)²"),
    "mean": N_("a factor 1/m: you average over the m samples; E = ½ΣΣ(Y − Ŷ)² sums over them"),
    "mse": N_("a factor 2/m: the gradient of the mean squared error (1/m)ΣΣ(Y − Ŷ)², not of "
              "E = ½ΣΣ(Y − Ŷ)²"),
    "lecture_hidden_error": N_("the lecture's hidden error E[l] = W[l+1]ᵀE[l+1]: ΔW[L] is "
                               "right, but the gradient needs "
                               "E[l] = W[l+1]ᵀ(E[l+1] ⊙ g′(Z[l+1]))"),
    "no_output_g_prime": N_("missing g′ at the output: δ[L] = E[L] instead of "
                            "E[L] ⊙ g′(Z[L])"),
    "no_hidden_g_prime": N_("missing g′ in the hidden layers: δ[l] = E[l] instead of "
                            "E[l] ⊙ g′(Z[l]) for l < L"),
    "no_g_prime": N_("missing g′ in every layer: δ[l] = E[l] instead of E[l] ⊙ g′(Z[l])"),
    "g_prime_of_A": N_("g′ applied to A instead of Z: you use g′(A[l]) = g′(g(Z[l])) (for "
                       "example sigmoid_prime(A) where sigmoid_prime(z) = σ(z)(1 − σ(z)))"),
    "derivative_of_Z": N_("g′ written in terms of A (σ′ = A(1 − A), tanh′ = 1 − A²) but "
                          "evaluated at Z: σ′ = Z(1 − Z) or tanh′ = 1 − Z²"),
    "part_of_batch": N_("only part of the batch is used: your ΔW is the gradient of {which} "
                        "(a loop that assigns dW = ... instead of dW += ..., or range(m − 1)?)"),
    "transposed": N_("ΔW[{l}] is transposed: you return A[l−1]·δ[l]ᵀ of shape "
                     "(n_{{l−1}}, n_l); W[l] is (n_l, n_{{l−1}}), so ΔW[l] = −δ[l]·A[l−1]ᵀ"),
    "broadcast": N_("right for every single sample (m = 1) but not for the batch of m = {m}: "
                    "the samples get mixed, typically an (m,) array broadcast against an "
                    "(m, 1) one (Y.ravel() − Ŷ.T is an (m, m) matrix)"),
    "hidden_layers": N_("ΔW[L] is right but earlier layers are not: the error is propagated "
                        "back wrongly (E[l−1] = W[l]ᵀ(E[l] ⊙ g′(Z[l])) with the forward pass's "
                        "W[l])"),
    "modified_input": N_("your function changed its argument {which} in place (an update "
                         "W[l] -= αΔW[l] before the error is propagated through W[l]?); "
                         "backprop must use the weights of the forward pass and leave the "
                         "caller's arrays"),
    "float32": N_("you return {dtypes} arrays for float64 inputs: computed in lower precision"),
    "overflow": N_("numpy warned inside your function ({warnings}): an exp that overflows for "
                   "large |z| (compute σ from e = exp(−|z|), never exp(−z) of a large −z)"),
}
"""The explanation of each key, in English (``Diagnosis.text``); ``str(diagnosis)`` is in the
language current when it is printed (``manual_backprop.i18n``)."""


@dataclass(frozen=True)
class Text:
    """A message shown in the language current when it is printed: an English message marked
    for translation (``N_``) and the values of its placeholders (a value that is a ``Text`` is
    translated too)."""

    msgid: str
    fields: tuple[tuple[str, Any], ...] = ()

    def __str__(self) -> str:
        return _(self.msgid).format(**dict(self.fields))     # format() gives a Text its str()


@dataclass(frozen=True)
class Diagnosis:
    """One recognised pattern: ``key`` (see the module doc), the explanation (``text``, in
    English), and whether it also held on the confirmation networks (False: seen on the
    minimal network only). ``str(diagnosis)`` is the explanation in the current language."""

    key: str
    text: str
    confirmed: bool = True
    message: Text | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        text = self.text if self.message is None else str(self.message)
        return text if self.confirmed else _("on this network, {text}").format(text=text)


def _found(key: str, confirmed: bool = True, **fields: Any) -> Diagnosis:
    """The diagnosis ``key`` with the values of its placeholders."""
    message = Text(TEXT[key], tuple(fields.items()))
    with use_language("en"):
        text = str(message)
    return Diagnosis(key, text, confirmed, message)


def _ones(Z: F64) -> F64:
    return np.ones_like(Z)


def _g_prime_variants(name: str) -> dict[str, list[Any]]:
    """The per-layer activations of the g′ mistakes (first entry: layers < L, second: L)."""
    act = mb.ACTIVATIONS[name]
    no_g = (act.g, _ones)
    out: dict[str, list[Any]] = {"no_output_g_prime": [name, no_g],
                                 "no_hidden_g_prime": [no_g, name], "no_g_prime": [no_g, no_g]}
    of_A = (act.g, lambda Z: act.g_prime(act.g(Z)))
    out["g_prime_of_A"] = [of_A, of_A]
    at_Z = {"sigmoid": lambda Z: Z * (1 - Z), "tanh": lambda Z: 1 - Z * Z}.get(name)
    if at_Z is not None:
        out["derivative_of_Z"] = [(act.g, at_Z)] * 2
    return out


def _subset(net: Network, cols: Sequence[int]) -> Network:
    return replace(net, X=net.X[:, list(cols)], Y=net.Y[:, list(cols)])


def _grad(net: Network, activations: Sequence[Any], hidden: str | None = None
          ) -> tuple[list[F64], list[F64]]:
    """The kernel's ΔW of ``net`` (and its condition scale) under ``hidden``, by default the
    baseline of the diagnosis in progress: the exact gradient, or the lecture's rule when the
    function was checked against it (``diagnose(..., hidden_error="lecture")``)."""
    hidden = hidden or _BASELINE.get()
    g: list[Any] = mb.gradients(net.weights, net.X, net.Y, list(activations),
                                hidden_error=hidden)              # float64, as net is
    return g, condition_scale(net.weights, net.X, net.Y, list(activations), hidden)


def _batch_patterns(m: int) -> dict[str, list[int]]:
    return {N_("the first sample only"): [0], N_("the last sample only"): [m - 1],
            N_("all samples but the last"): list(range(m - 1)),
            N_("all samples but the first"): list(range(1, m))}


def _part(net: Network, cols: Sequence[int], scale: list[F64]) -> tuple[list[F64], list[F64]]:
    """The gradient of the samples ``cols`` only (all zeros, measured by ``scale``, if none)."""
    if not cols:
        return [np.zeros_like(W) for W in net.weights], scale
    return _grad(_subset(net, cols), net.activations)


def variants(net: Network) -> dict[str, tuple[list[F64], list[F64]]]:
    """Every variant of the module doc on ``net`` (one activation name for all layers), as
    key -> (ΔW list, condition scales); ``part_of_batch`` keys are "part_of_batch:<which>".
    Variants that equal the gradient on ``net`` (within the tolerance) are left out: they
    cannot explain a disagreement."""
    name, L, m = net.activations[0], len(net.weights), net.m
    exact, scale = _grad(net, net.activations)
    out: dict[str, tuple[list[F64], list[F64]]] = {}
    for key, c in (("sign", -1.0), ("factor_2", 2.0), ("mean", 1 / m), ("mse", 2 / m)):
        out[key] = ([c * d for d in exact], [abs(c) * s for s in scale])
    if _BASELINE.get() == "exact":
        out["lecture_hidden_error"] = _grad(net, net.activations, "lecture")   # = exact if L = 1
    for key, (hidden, last) in _g_prime_variants(name).items():
        out[key] = _grad(net, [hidden] * (L - 1) + [last])
    for which, cols in _batch_patterns(m).items():
        out[f"part_of_batch:{which}"] = _part(net, cols, scale)
    return {k: v for k, v in out.items() if not _matches(exact, v)}


def _matches(got: Sequence[F64], variant: tuple[list[F64], list[F64]]) -> bool:
    return max_relative_error(got, variant[0], variant[1]) <= _RTOL


def confirmation_networks(activation: str) -> list[Network]:
    """Four fixed random networks (L = 1..3, m = 3 or 4) that separate the variants."""
    rng = np.random.default_rng(20240611)
    out = []
    for widths, m in (((2, 3, 2), 3), ((3, 2, 2, 2), 4), ((2, 2), 3), ((2, 4, 1), 4)):
        W: list[NDArray[np.floating]] = [rng.normal(size=(widths[l + 1], widths[l]))
                                         for l in range(len(widths) - 1)]
        X, Y = rng.uniform(-2, 2, (widths[0], m)), rng.uniform(-1, 1, (widths[-1], m))
        out.append(Network(W, X, Y, [activation] * len(W)))
    return out


def _which(net: Network, got: Sequence[F64]) -> Text | None:
    """A proper subset of the samples whose gradient ``got`` is (None if none, m ≤ 8)."""
    if not 1 < net.m <= 8:
        return None
    for size in range(1, net.m):
        for cols in combinations(range(net.m), size):
            if _matches(got, _grad(_subset(net, cols), net.activations)):
                return Text(N_("the samples {columns} (columns of X) of the m = {m}"),
                            (("columns", list(cols)), ("m", net.m)))
    return None


def _notes(modified: Sequence[str], dtypes: Sequence[str], warnings: Sequence[str]
           ) -> list[Diagnosis]:
    out = []
    if modified:
        out.append(_found("modified_input", which=", ".join(modified)))
    low = sorted({d for d in dtypes if d != "float64"})
    if low:
        out.append(_found("float32", dtypes="/".join(low)))
    if any("overflow" in w for w in warnings):
        out.append(_found("overflow", warnings="; ".join(sorted(set(warnings)))))
    return out


def diagnose(net: Network, got: Sequence[F64] | None, run: Run, *,
             raw: Sequence[NDArray[Any]] | None = None, modified: Sequence[str] = (),
             dtypes: Sequence[str] = (), warnings: Sequence[str] = (),
             hidden_error: str = "exact") -> list[Diagnosis]:
    """The recognised patterns, most specific first (empty if none is recognised).

    net: the minimal failing network (float64, one activation name in every layer).
    got: the function's ΔW on ``net`` (L arrays of the weights' shapes), or None when it
        returned something else. run: calls the function on another network, returning its
        ΔW list or None (it raised or returned a malformed result).
    raw: what it returned, as arrays of any shape (for ``transposed``); modified: names of the
        arguments it changed in place; dtypes: the dtypes it returned; warnings: numpy's
        warnings inside it. hidden_error: what ``got`` should have been, the exact gradient or
        the lecture's rule (every variant is then the same mistake made in that rule).
    """
    token = _BASELINE.set(hidden_error)
    try:
        return _diagnose(net, got, run, raw, modified, dtypes, warnings)
    finally:
        _BASELINE.reset(token)


def _diagnose(net: Network, got: Sequence[F64] | None, run: Run,
              raw: Sequence[NDArray[Any]] | None, modified: Sequence[str],
              dtypes: Sequence[str], warnings: Sequence[str]) -> list[Diagnosis]:
    found: list[Diagnosis] = []
    right = got is not None and _matches(got, _grad(net, net.activations))
    if right:
        pass                                  # the values are right: only the notes apply
    elif got is not None:
        found = _variant_diagnoses(net, got, run)
    elif raw is not None and len(raw) == len(net.weights):
        exact, scale = _grad(net, net.activations)
        for l, (r, e, s) in enumerate(zip(raw, exact, scale), start=1):
            if (r.shape != e.shape and r.T.shape == e.shape
                    and max_relative_error([r.T], [e], [s]) <= _RTOL):
                found.append(_found("transposed", l=l))
    if not found and not right and net.m > 1 and _right_per_sample(net, run):
        found.append(_found("broadcast", m=net.m))
    symptom: list[Diagnosis] = []     # a symptom, not a cause: after the notes, which are evidence
    if not found and not right and got is not None and len(net.weights) > 1:
        exact, scale = _grad(net, net.activations)
        if max_relative_error(got[-1:], exact[-1:], scale[-1:]) <= _RTOL:
            symptom.append(_found("hidden_layers"))
    return found + _notes(modified, dtypes, warnings) + symptom


def _right_per_sample(net: Network, run: Run) -> bool:
    for s in range(net.m):
        one = _subset(net, [s])
        got = run(one)
        if got is None or not _matches(got, _grad(one, one.activations)):
            return False
    return True


def _variant_diagnoses(net: Network, got: Sequence[F64], run: Run) -> list[Diagnosis]:
    candidates = [k for k, v in variants(net).items() if _matches(got, v)]
    if not candidates:
        samples = _which(net, got)
        return [] if samples is None else [_found("part_of_batch", False, which=samples)]
    others = [(n, run(n)) for n in confirmation_networks(net.activations[0])]
    checked = [(variants(n), g) for n, g in others if g is not None]
    out = []
    for key in candidates:
        base, which = key.partition(":")[::2]           # part_of_batch:<which samples>
        ok = bool(checked) and all(key not in v or _matches(g, v[key]) for v, g in checked)
        out.append(_found(base, ok, which=Text(which)))    # only part_of_batch's text uses it
    confirmed = [d for d in out if d.confirmed]
    if confirmed or not all(np.all(g == 0) for g in got):
        return confirmed or out
    return []                 # all zeros on this network only: too many bugs give that
