"""The rounding envelope of a network: what correct formulas, evaluated in the function's
working precision, actually lose there.

``check`` calls a difference from the expected gradient a *numerical caveat* only when it is
inside this envelope; outside, it is wrong math, whatever the net inputs. For one network and
a precision p (float64, or float32 when the function works in float32), every correct way of
writing g and g′ in ``FORMS`` — naive, textbook and stable, the formulas the catalogue's correct
functions are built from — is run through the whole network in p (``variants``), and each entry
of ΔW[l] (and Δb[l]) gets

    envelope = ENVELOPE_SAFETY · max_v |ΔW_v − J| + RTOL[p] · scale_p

where J is the expected value (jax.grad, or the lecture's rule), the max runs over the variants
that are finite at that entry, and scale_p is the condition scale of p (``reference.condition``):
the second term is what any correct order of the sums and products may lose, the first what the
instability of a formula (e^|z| in a cancellation, an overflow) loses on *this* network.
The function's entry may be NaN or ±inf only where some variant is non-finite too, and an
arithmetic exception (OverflowError, FloatingPointError) is rounding only on a network where some
variant overflows (a non-finite intermediate). Why these forms, the safety factor and the margins
measured over the catalogue: docs/numerics.md, "The rounding envelope".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .strategies import Network
from .tolerances import ENVELOPE_SAFETY, RTOL, condition_scale

__all__ = ["FORMS", "Envelope", "Variant", "envelope", "scales", "variants", "working_precision"]

Array = NDArray[np.floating]
G = Callable[[Array], Array]
GPrime = Callable[[Array, Array], Array]          # g′ from (Z, A = g(Z))


def _sigmoid(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    return np.asarray(np.where(z >= 0, 1 / (1 + e), e / (1 + e)))


def _exp_ratio_sigmoid(z: Array) -> Array:
    e = np.exp(z)
    return np.asarray(e / (1 + e))


def _tanh_exp_ratio(z: Array) -> Array:
    p, q = np.exp(z), np.exp(-z)
    return np.asarray((p - q) / (p + q))


def _tanh_exp2(z: Array) -> Array:
    e = np.exp(2 * z)
    return np.asarray((e - 1) / (e + 1))


def _tanh_expm1(z: Array) -> Array:
    e = np.expm1(2 * z)
    return np.asarray(e / (e + 2))


def _stable_sigmoid_prime(z: Array) -> Array:
    e = np.exp(-np.abs(z))
    return np.asarray(e / ((1 + e) * (1 + e)))


_SIGMOID_G: dict[str, G] = {
    "σ = 1/(1 + e^−z)": lambda z: 1 / (1 + np.exp(-z)),
    "σ = e^z/(1 + e^z)": _exp_ratio_sigmoid,
    "σ = ½(1 + tanh(z/2))": lambda z: 0.5 * (1 + np.tanh(0.5 * z)),
    "σ = exp(−logaddexp(0, −z))": lambda z: np.exp(-np.logaddexp(0, -z)),
    "σ = 1/(1 + e^−|z|) or e^−|z|/(1 + e^−|z|)": _sigmoid,
}
_SIGMOID_PRIME: dict[str, GPrime] = {
    "σ′ = σ(1 − σ)": lambda z, a: a * (1 - a),
    "σ′ = e^−z/(1 + e^−z)²": lambda z, a: np.exp(-z) / (1 + np.exp(-z)) ** 2,
    "σ′ = σ(z)σ(−z)": lambda z, a: _sigmoid(z) * _sigmoid(-z),
    "σ′ = e^−|z|/(1 + e^−|z|)²": lambda z, a: _stable_sigmoid_prime(z),
}
_TANH_G: dict[str, G] = {
    "tanh = np.tanh(z)": np.tanh,
    "tanh = (e^z − e^−z)/(e^z + e^−z)": _tanh_exp_ratio,
    "tanh = (e^2z − 1)/(e^2z + 1)": _tanh_exp2,
    "tanh = expm1(2z)/(expm1(2z) + 2)": _tanh_expm1,
    "tanh = sinh(z)/cosh(z)": lambda z: np.sinh(z) / np.cosh(z),
    "tanh = 2σ(2z) − 1": lambda z: 2 / (1 + np.exp(-2 * z)) - 1,
}
_TANH_PRIME: dict[str, GPrime] = {
    "tanh′ = 1 − tanh²": lambda z, a: 1 - a * a,
    "tanh′ = 4/(e^z + e^−z)²": lambda z, a: 4 / (np.exp(z) + np.exp(-z)) ** 2,
    "tanh′ = 1/cosh²(z)": lambda z, a: 1 / np.cosh(z) ** 2,
}
_SOFTPLUS_G: dict[str, G] = {
    "softplus = log(1 + e^z)": lambda z: np.log(1 + np.exp(z)),
    "softplus = log1p(e^z)": lambda z: np.log1p(np.exp(z)),
    "softplus = z + log1p(e^−z)": lambda z: z + np.log1p(np.exp(-z)),
    "softplus = logaddexp(0, z)": lambda z: np.logaddexp(0, z),
    "softplus = max(z, 0) + log1p(e^−|z|)": lambda z: (np.maximum(z, 0)
                                                       + np.log1p(np.exp(-np.abs(z)))),
}
_SOFTPLUS_PRIME: dict[str, GPrime] = {
    "softplus′ = 1/(1 + e^−z)": lambda z, a: 1 / (1 + np.exp(-z)),
    "softplus′ = e^z/(1 + e^z)": lambda z, a: _exp_ratio_sigmoid(z),
    "softplus′ = σ(z), stable": lambda z, a: _sigmoid(z),
}
FORMS: dict[str, tuple[dict[str, G], dict[str, GPrime]]] = {
    "sigmoid": (_SIGMOID_G, _SIGMOID_PRIME),
    "tanh": (_TANH_G, _TANH_PRIME),
    "softplus": (_SOFTPLUS_G, _SOFTPLUS_PRIME),
    "relu": ({"relu = max(z, 0)": lambda z: np.maximum(z, 0)},
             {"relu′ = (z > 0)": lambda z, a: (z > 0).astype(z.dtype)}),
    "leaky_relu": ({"max(z, 0.01 z)": lambda z: np.maximum(z, 0.01 * z)},
                   {"g′ = 1 or 0.01": lambda z, a: np.where(z > 0, 1, 0.01).astype(z.dtype)}),
    "identity": ({"g(z) = z": lambda z: z}, {"g′ = 1": lambda z, a: np.ones_like(z)}),
}
"""Per activation: the correct forms of g and of g′ (g′ from Z and A = g(Z)), named by their
formula as the report shows it. Every g form is paired with every g′ form; each is exact in
real arithmetic (tests/test_envelope.py checks each against jax at moderate z)."""


@dataclass(frozen=True)
class Variant:
    """One correct backprop of a network in one precision: its ΔW (and Δb) as float64,
    the form's name, and whether any intermediate (Z, A, g′, δ) was non-finite."""

    name: str
    dW: list[NDArray[np.float64]]
    db: list[NDArray[np.float64]] | None
    overflowed: bool


def variants(net: Network, hidden_error: str, dtype: np.dtype | type) -> list[Variant]:
    """Every pairing of ``FORMS`` for ``net``'s activation (the first layer's name: ``check``
    uses one activation in every layer), run through ``net`` in ``dtype``: the lecture's
    forward pass and ΔW[l] = −E[l]·g′(Z[l])·A[l−1]ᵀ, Δb[l] = −Σ_samples E[l]·g′(Z[l]), with the
    exact hidden error E[l−1] = W[l]ᵀ(E[l]⊙g′(Z[l])) or, with hidden_error="lecture",
    E[l−1] = W[l]ᵀE[l]. The g′ forms of one g form run side by side, stacked on a first axis."""
    g_forms, g_prime_forms = FORMS[net.activations[0]]
    dt = np.dtype(dtype)
    Ws = [np.asarray(W, dtype=dt) for W in net.weights]
    bs = None if net.biases is None else [np.asarray(b, dtype=dt) for b in net.biases]
    X, Y = np.asarray(net.X, dtype=dt), np.asarray(net.Y, dtype=dt)
    L, P = len(Ws), len(g_prime_forms)
    out = []
    with np.errstate(all="ignore"):
        for g_name, g in g_forms.items():
            A, Z = [X], []
            for l, W in enumerate(Ws):
                Z.append(W @ A[-1] if bs is None else W @ A[-1] + bs[l])       # Z[l]
                A.append(np.asarray(g(Z[-1]), dtype=dt))                      # A[l] = g(Z[l])
            finite = np.full(P, all(np.isfinite(a).all() for a in [*Z, *A]))
            E = np.broadcast_to(Y - A[-1], (P, *Y.shape))                     # E[L] = Y − Ŷ
            dW: list[Array] = [E] * L
            db: list[Array] = [E] * L
            for l in range(L - 1, -1, -1):
                G = np.stack([np.broadcast_to(np.asarray(gp(Z[l], A[l + 1]), dtype=dt),
                                              Z[l].shape) for gp in g_prime_forms.values()])
                delta = E * G                                             # E[l] ⊙ g′(Z[l])
                dW[l] = -delta @ A[l].T                                   # −δ[l]·A[l−1]ᵀ
                db[l] = -delta.sum(axis=2, keepdims=True)
                finite &= np.isfinite(delta).all(axis=(1, 2))
                E = Ws[l].T @ (delta if hidden_error == "exact" else E)   # E[l−1]
            for i, p_name in enumerate(g_prime_forms):
                out.append(Variant(f"{g_name}, {p_name}" if P > 1 else g_name,
                                   [d[i].astype(np.float64) for d in dW],
                                   None if bs is None else [d[i].astype(np.float64) for d in db],
                                   not bool(finite[i])))
    return out


def working_precision(raw: Sequence[NDArray[np.floating]], dtypes: Sequence[str]
                      ) -> tuple[np.dtype, bool]:
    """The precision the function's results show, and whether that is evidence of float32:
    float32 when it returned float32 (or float16) arrays (evidence), or float64 arrays whose
    every entry is a float32 number — it computed in float32 and cast back; evidence when some
    entry needs more than ``_SIMPLE_BITS`` significant bits, which a float64 computation gives
    by chance about once in 2^29; results as simple as 0 or 0.0625 are float32 numbers whatever
    computed them, and are allowed float32's rounding, not blamed on it. float64 otherwise."""
    if any(d in ("float32", "float16") for d in dtypes):
        return np.dtype(np.float32), True
    values = np.concatenate([np.ravel(r) for r in raw]) if raw else np.zeros(0)
    values = values[np.isfinite(values)]
    with np.errstate(all="ignore"):
        if not np.array_equal(values, values.astype(np.float32).astype(np.float64)):
            return np.dtype(np.float64), False
    mantissa, _exponent = np.frexp(values)
    simple = mantissa * 2.0 ** _SIMPLE_BITS == np.round(mantissa * 2.0 ** _SIMPLE_BITS)
    return np.dtype(np.float32), bool(values.size) and not bool(simple.all())


_SIMPLE_BITS = 12


@dataclass(frozen=True)
class Envelope:
    """Per gradient entry of ΔW[1..L] then Δb[1..L]: ``bound``, the largest difference from
    the expected value that correct formulas explain; ``nonfinite``, where some variant is NaN
    or ±inf; ``spread``, the part of the bound set by the variants (ENVELOPE_SAFETY times the
    largest deviation) and ``form``, the index in ``names`` of the variant that set it.
    ``overflows``: some variant overflowed on this network."""

    precision: np.dtype
    bound: list[NDArray[np.float64]]
    nonfinite: list[NDArray[np.bool_]]
    spread: list[NDArray[np.float64]]
    form: list[NDArray[np.intp]]
    names: list[str]
    overflows: bool

    def name(self, i: int, index: tuple[Any, ...]) -> str | None:
        """The form whose loss sets the bound of entry ``index`` of array ``i`` (None where the
        precision's own term ``RTOL`` · scale is larger)."""
        if self.spread[i][index] <= self.bound[i][index] - self.spread[i][index]:
            return None
        return self.names[int(self.form[i][index])]


def envelope(net: Network, expected: Sequence[NDArray[np.float64]], hidden_error: str,
             precision: np.dtype | type, scale: Sequence[NDArray[np.float64]] | None = None
             ) -> Envelope:
    """The envelope of ``net`` (float64, the lecture's layout; with biases when ``net.biases``)
    around ``expected`` ([*ΔW, *Δb] as the oracle gives them) in ``precision``; ``scale``: the
    condition scales of ``precision`` in the same order, if already computed."""
    p = np.dtype(precision)
    runs = variants(net, hidden_error, p)
    per_entry = list(scale) if scale is not None else scales(net, hidden_error, p)
    bound, nonfinite, spread, form = [], [], [], []
    for i, (J, s) in enumerate(zip(expected, per_entry)):
        devs = np.stack([[*v.dW, *(v.db or [])][i] for v in runs]) - J
        bad = ~np.isfinite(devs)
        dev = np.where(bad, 0.0, np.abs(np.where(bad, 0.0, devs)))
        which = np.argmax(dev, axis=0)
        spread.append(ENVELOPE_SAFETY * np.take_along_axis(dev, which[None], axis=0)[0])
        bound.append(spread[-1] + RTOL[p] * np.asarray(s, dtype=np.float64))
        nonfinite.append(np.asarray(bad.any(axis=0)))
        form.append(which)
    return Envelope(p, bound, nonfinite, spread, form, [v.name for v in runs],
                    any(v.overflowed for v in runs))


def scales(net: Network, hidden_error: str, p: np.dtype) -> list[NDArray[np.float64]]:
    """The condition scales of ``net`` in ``p``, [*ΔW, *Δb]."""
    acts = list(net.activations)
    if net.biases is None:
        return condition_scale(net.weights, net.X, net.Y, acts, hidden_error, p)
    dW, db = condition_scale(net.weights, net.X, net.Y, acts, hidden_error, p,
                             biases=net.biases)
    return [*dW, *db]
