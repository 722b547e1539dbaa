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

A diagnosis is a claim about the code, so it is named only when it holds on other shapes too:
a variant that matches on the minimal network must also match on the *confirmation networks*,
four fixed random networks with other m, other n_L and other depths (at the checked depth when
the function handles one depth only), and their copies with a small output error
(Y = Ŷ + (Y − Ŷ)/100). When a factor variant (sign, factor_2, mean, mse) does not hold there,
the factor c with ΔW = c × the gradient is measured on every network: ``factor_depends_on_shape``
lists the factors when they differ (m taken from the wrong axis), ``constant_factor`` names one
that is the same everywhere but none of the above; otherwise nothing is named. When no variant
matches: ``transposed`` (a ΔW[l] whose transpose is right, on the confirmation networks too),
``broadcast`` (right for every single sample, wrong for the batch, also on a confirmation network
with a small output error, so that no magnitude-dependent bug such as clipping is mistaken for it)
and ``hidden_layers`` (ΔW[L] right and earlier layers wrong, and never ΔW[L] wrong on a
confirmation network). Notes that apply in any case: ``modified_input``, ``float32`` and
``overflow``. They come before ``hidden_layers``, which is a symptom where they are evidence (an
overflow that zeroes σ′ in a hidden layer leaves ΔW[L] right and the earlier layers wrong).
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
RawRun = Callable[[Network], "list[NDArray[Any]] | None"]
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
                               "E[l] = W[l+1]ᵀ(E[l+1] ⊙ g′(Z[l+1])) (why: docs/hidden-error.md, "
                               "the hidden-error finding)"),
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
    "factor_depends_on_shape": N_("ΔW is c × the gradient with a factor c that depends on the "
                                  "shape: {factors} (a count taken from the wrong axis of X or "
                                  "Y: m is X.shape[1], the samples)"),
    "constant_factor": N_("ΔW is c × the gradient with c = {factor:.4g} on every network tried "
                          "({networks} networks of different shapes)"),
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
    """One recognised pattern, confirmed on other shapes: ``key`` (see the module doc) and the
    explanation (``text``, in English). ``str(diagnosis)`` is the explanation in the current
    language."""

    key: str
    text: str
    message: Text | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return self.text if self.message is None else str(self.message)


def _found(key: str, **fields: Any) -> Diagnosis:
    """The diagnosis ``key`` with the values of its placeholders."""
    message = Text(TEXT[key], tuple(fields.items()))
    with use_language("en"):
        text = str(message)
    return Diagnosis(key, text, message)


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


def confirmation_networks(activation: str, layers: int | None = None) -> list[Network]:
    """Four fixed random networks (L = 1..3, m = 3 or 4, n_L = 1 or 2; all of depth ``layers``
    when given) that separate the variants, then the same four with a small output error,
    Y = Ŷ + (Y − Ŷ)/100."""
    rng = np.random.default_rng(20240611)
    shapes = [((2, 3, 2), 3), ((3, 2, 2, 2), 4), ((2, 2), 3), ((2, 4, 1), 4)]
    if layers is not None:
        shapes = [((w[0], *[w[1]] * (layers - 1), w[-1]), m) for w, m in shapes]
    out = []
    for widths, m in shapes:
        W: list[NDArray[np.floating]] = [rng.normal(size=(widths[l + 1], widths[l]))
                                         for l in range(len(widths) - 1)]
        X, Y = rng.uniform(-2, 2, (widths[0], m)), rng.uniform(-1, 1, (widths[-1], m))
        out.append(Network(W, X, Y, [activation] * len(W)))
    for net in list(out):
        Y_hat = mb.forward(net.weights, net.X, net.activations).A[-1]
        out.append(replace(net, Y=Y_hat + (net.Y - Y_hat) / 100))
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
             hidden_error: str = "exact", raw_run: RawRun | None = None,
             layers: int | None = None) -> list[Diagnosis]:
    """The recognised patterns, each confirmed on other shapes, most specific first (empty if
    none is recognised).

    net: the minimal failing network (float64, one activation name in every layer).
    got: the function's ΔW on ``net`` (L arrays of the weights' shapes), or None when it
        returned something else. run: calls the function on another network, returning its
        ΔW list or None (it raised or returned a malformed result).
    raw: what it returned, as arrays of any shape (for ``transposed``); raw_run: the same on
        another network (None: ``transposed`` cannot be confirmed, and is not named);
        modified: names of the arguments it changed in place; dtypes: the dtypes it returned;
        warnings: numpy's warnings inside it. hidden_error: what ``got`` should have been, the
        exact gradient or the lecture's rule (every variant is then the same mistake made in
        that rule). layers: the only depth the function handles, if it handles one (the
        confirmation networks are then of that depth).
    """
    token = _BASELINE.set(hidden_error)
    try:
        others = confirmation_networks(net.activations[0], layers)
        results: dict[int, tuple[Network, list[F64] | None]] = {}   # n kept: its id stays

        def memo(n: Network) -> list[F64] | None:
            if id(n) not in results:
                results[id(n)] = (n, run(n))
            return results[id(n)][1]

        return _diagnose(net, got, memo, raw, modified, dtypes, warnings, raw_run, others)
    finally:
        _BASELINE.reset(token)


def _diagnose(net: Network, got: Sequence[F64] | None, run: Run,
              raw: Sequence[NDArray[Any]] | None, modified: Sequence[str],
              dtypes: Sequence[str], warnings: Sequence[str], raw_run: RawRun | None,
              others: list[Network]) -> list[Diagnosis]:
    found: list[Diagnosis] = []
    right = got is not None and _matches(got, _grad(net, net.activations))
    if right:
        pass                                  # the values are right: only the notes apply
    elif got is not None:
        found = _variant_diagnoses(net, got, run, others)
    elif raw is not None and len(raw) == len(net.weights):
        found = [_found("transposed", l=l) for l in _transposed(net, raw)
                 if raw_run is not None and _transposed_elsewhere(l, raw_run, others)]
    if (not found and not right and net.m > 1 and _right_per_sample(net, run)
            and _broadcast_elsewhere(run, others)):
        found.append(_found("broadcast", m=net.m))
    symptom: list[Diagnosis] = []     # a symptom, not a cause: after the notes, which are evidence
    if (not found and not right and got is not None and len(net.weights) > 1
            and _last_right(net, got) and _hidden_layers_elsewhere(run, others)):
        symptom.append(_found("hidden_layers"))
    return found + _notes(modified, dtypes, warnings) + symptom


def _transposed(net: Network, raw: Sequence[NDArray[Any]]) -> list[int]:
    """The layers l whose returned array is the transpose of the right ΔW[l]."""
    exact, scale = _grad(net, net.activations)
    return [l for l, (r, e, s) in enumerate(zip(raw, exact, scale), start=1)
            if r.T.shape == e.shape and (r.shape != e.shape or e.shape[0] == e.shape[1])
            and max_relative_error([r.T], [e], [s]) <= _RTOL]


def _transposed_elsewhere(l: int, raw_run: RawRun, others: list[Network]) -> bool:
    """ΔW[l] is transposed on every confirmation network with a layer l where the function
    returns one array per layer (at least one)."""
    seen = False
    for n in others:
        raw = raw_run(n) if len(n.weights) >= l else None
        if raw is None or len(raw) != len(n.weights):
            continue
        if l not in _transposed(n, raw):
            return False
        seen = True
    return seen


def _last_right(net: Network, got: Sequence[F64]) -> bool:
    exact, scale = _grad(net, net.activations)
    return max_relative_error(got[-1:], exact[-1:], scale[-1:]) <= _RTOL


def _hidden_layers_elsewhere(run: Run, others: list[Network]) -> bool:
    """ΔW[L] right wherever the function returns values (with more than one layer), and the
    earlier layers wrong on at least one of them."""
    seen = False
    for n in others:
        got = run(n)
        if got is None or len(n.weights) < 2:
            continue
        if not _last_right(n, got):
            return False
        seen = seen or not _matches(got, _grad(n, n.activations))
    return seen


def _right_per_sample(net: Network, run: Run) -> bool:
    for s in range(net.m):
        one = _subset(net, [s])
        got = run(one)
        if got is None or not _matches(got, _grad(one, one.activations)):
            return False
    return True


def _broadcast_elsewhere(run: Run, others: list[Network]) -> bool:
    """Right for every single sample wherever that returns values, and wrong for the batch on
    a confirmation network with a small output error (magnitudes cannot explain it there)."""
    seen = False
    for i, n in enumerate(others):
        ones = [_subset(n, [s]) for s in range(n.m)]
        singles = [run(one) for one in ones]
        if any(g is not None and not _matches(g, _grad(one, one.activations))
               for g, one in zip(singles, ones)):
            return False
        if i >= len(others) // 2 and all(g is not None for g in singles):     # small error
            batch = run(n)
            seen = seen or batch is None or not _matches(batch, _grad(n, n.activations))
    return seen


_FACTORS = ("sign", "factor_2", "mean", "mse")


def _variant_diagnoses(net: Network, got: Sequence[F64], run: Run, others: list[Network]
                       ) -> list[Diagnosis]:
    candidates = [k for k, v in variants(net).items() if _matches(got, v)]
    checked = [(variants(n), g) for n, g in ((n, run(n)) for n in others) if g is not None]
    out = []
    for key in candidates:
        base, which = key.partition(":")[::2]           # part_of_batch:<which samples>
        if checked and all(key not in v or _matches(g, v[key]) for v, g in checked):
            out.append(_found(base, which=Text(which)))  # only part_of_batch's text uses it
    if out:
        return out
    if all(np.all(g == 0) for g in got):
        return []                 # all zeros on this network only: too many bugs give that
    samples = _which(net, got)
    if samples is not None:
        elsewhere = [_which(n, g) for n, g in ((n, run(n)) for n in others[:len(others) // 2])
                     if g is not None]
        if elsewhere and all(w is not None for w in elsewhere):
            return [_found("part_of_batch", which=samples)]
    return _measured_factor(net, got, run, others)


def _is_factor(net: Network, got: Sequence[F64], c: float) -> bool:
    """``got`` = c × the gradient of ``net``, within the tolerance."""
    exact, scale = _grad(net, net.activations)
    return _matches(got, ([c * e for e in exact], [max(abs(c), 1.0) * s for s in scale]))


def _factor(net: Network, got: Sequence[F64]) -> float | None:
    """c with ``got`` = c × the gradient (least squares, then checked), or None."""
    exact, _scale = _grad(net, net.activations)
    norm = sum(float(np.sum(e * e)) for e in exact)
    if norm == 0:
        return None
    c = sum(float(np.sum(g * e)) for g, e in zip(got, exact)) / norm
    return c if _is_factor(net, got, c) else None


def _shape(net: Network) -> str:
    return f"n = {'-'.join(map(str, net.widths))}, m = {net.m}"


def _small_error(net: Network) -> Network:
    """``net`` with the output error divided by 100: Y = Ŷ + (Y − Ŷ)/100."""
    Y_hat = mb.forward(net.weights, net.X, net.activations).A[-1]
    return replace(net, Y=Y_hat + (net.Y - Y_hat) / 100)


def _measured_factor(net: Network, got: Sequence[F64], run: Run, others: list[Network]
                     ) -> list[Diagnosis]:
    """A factor c measured on the minimal network and on every confirmation network where the
    function returns values, each the same on its copy with a small output error (a factor of
    the shape, not of the magnitudes, as clipping would be): named when it is a factor
    everywhere and not 1 on some confirmation network."""
    half = len(others) // 2
    pairs = [(net, got, _small_error(net))] + [(n, run(n), twin) for n, twin in
                                               zip(others[:half], others[half:])]
    measured = []
    for n, g, twin in pairs:
        if g is None:
            continue
        c, g_twin = _factor(n, g), run(twin)
        if c is None or g_twin is None or not _is_factor(twin, g_twin, c):
            return []
        measured.append((n, c))
    if len(measured) < 2 or all(round(c, 4) == 1 for _, c in measured[1:]):
        return []             # a factor of the minimal network only (a 1×1 ΔW is one always)
    if len({round(c, 4) for _, c in measured}) == 1:
        return [_found("constant_factor", factor=measured[0][1], networks=len(measured))]
    factors = "; ".join(f"c = {c:.4g} at {_shape(n)}" for n, c in measured)
    return [_found("factor_depends_on_shape", factors=factors)]
