"""Numerical caveats: where a correct backprop loses digits or returns inf/NaN.

``check`` calls a difference a *caveat* when it is rounding, not math: above the strict
tolerance (1e-10 of the condition scale) but inside the network's rounding envelope, what
correct formulas evaluated in the function's working precision lose there
(``reference.envelope``). A ``CaveatLog`` collects them over the search, each with the envelope
it was within, and over a *probe*: networks W[1] = [[z]],
W[2] = [[1]], X = [[1]] (one layer if the function handles only one, W[l] = [[1]] after the
first if it needs more) with Y = Ŷ + 1, so that the first net input is exactly z, ΔW[1] shows
g′(z), ΔW[2] shows g(z), and nothing cancels; z runs over ±1, ±2, ±5, ..., ±1e4. The probe
says, per z, how many significant digits the function keeps, which a random search can only
hint at.

Digits kept = −log10(relative error), at most 16 (float64's 15.95); "none" for NaN, ±inf or an
overflow exception.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

import manual_backprop as mb
from manual_backprop.i18n import N_, _

from .conventions import Convention
from .evaluate import Outcome, Within
from .strategies import Network

__all__ = ["PROBE_Z", "STABLE", "Caveat", "CaveatLog", "digits", "probe_networks"]

PROBE_Z = (1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 50.0, 100.0, 200.0,
           355.0, 400.0, 709.0, 710.0, 745.0, 800.0, 1e3, 1e4)
"""|z| of the probe's one-weight networks (both signs): where exp overflows (709.78), where
(1 + e^−z)² does (≈ 355), and the tails where 1 + e^z rounds to 1 (z < −37)."""

STABLE = {
    "sigmoid": N_("σ(z) = 1/(1 + e^−z) for z ≥ 0 and e^z/(1 + e^z) for z < 0 (one exp of −|z|, "
                  "never overflows; scipy.special.expit does this), and σ′ = σ(1 − σ) or "
                  "e^−|z|/(1 + e^−|z|)²"),
    "tanh": N_("np.tanh(z) (never overflows) and tanh′ = 1 − tanh(z)², or 4/(e^z + e^−z)² "
               "written with e^−2|z|"),
    "softplus": N_("softplus(z) = max(z, 0) + log1p(e^−|z|) (np.logaddexp(0, z)) and "
                   "g′ = σ(z) computed as for sigmoid"),
    "relu": N_("relu(z) = max(z, 0) and relu′ = (z > 0): nothing to lose"),
    "leaky_relu": N_("max(z, 0.01 z) and g′ = 1 for z > 0, 0.01 for z < 0: nothing to lose"),
    "identity": N_("g(z) = z and g′ = 1: nothing to lose"),
}
"""A formula that keeps every digit for every finite z, per activation (in English; the
report shows it translated)."""


def digits(error: float) -> float:
    """Significant digits kept at relative error ``error`` (0 for NaN/inf, at most 16)."""
    if not math.isfinite(error):
        return 0.0
    if error <= 1e-16:
        return 16.0
    return max(0.0, min(16.0, -math.log10(error)))


@dataclass
class Caveat:
    """One network with a caveat: what happened and its most extreme net input."""

    kind: str               # "rounding" or "nonfinite" (NaN, ±inf, an overflow exception)
    error: float            # relative error (inf for nonfinite)
    net_input: float        # the net input of largest magnitude (the probe: z itself)
    probe: bool = False
    float32: bool = False   # the function works in float32 (returned, or cast back)
    within: Within | None = None    # the envelope it was within


@dataclass
class CaveatLog:
    """The caveats of one check: from the search and from the probe (``probe`` holds every
    probe point, caveat or not, as (z, relative error))."""

    search: list[Caveat] = field(default_factory=list)
    probe: list[tuple[float, float]] = field(default_factory=list)
    probed: list[Caveat] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.search or self.probed)

    @staticmethod
    def _caveat(outcome: Outcome, probe: bool) -> Caveat:
        f = outcome.failure
        nonfinite = f is not None and f.kind in ("nan", "raised")
        within = outcome.within
        return Caveat("nonfinite" if nonfinite else "rounding",
                      math.inf if nonfinite else outcome.error, outcome.net_input, probe,
                      any(d == "float32" for d in outcome.dtypes)
                      or (within is not None and within.float32), within)

    def add(self, outcome: Outcome) -> None:
        """Record a search network whose outcome was a caveat."""
        self.search.append(self._caveat(outcome, False))

    def add_probe(self, net: Network, outcome: Outcome) -> None:
        """Record a probe network (every one: the probe also shows where nothing is lost)."""
        c = self._caveat(outcome, True)
        z = float(net.weights[0][0, 0])
        self.probe.append((z, c.error if outcome.severity != "ok" else outcome.error))
        if outcome.severity == "caveat":
            self.probed.append(c)

    @property
    def kinds(self) -> list[str]:
        """The kinds of caveat found: "rounding", "nonfinite" and/or "float32"."""
        every = self.search + self.probed
        out = sorted({c.kind for c in every})
        if any(c.float32 for c in every):     # the cause of the rounding
            out = [k for k in out if k != "rounding"] + ["float32"]
        return out

    def lines(self, activation: str) -> list[str]:
        """The report: what was lost where, and the formula that keeps every digit there (in
        the language of the output)."""
        out = []
        rounding = [c for c in self.search if c.kind == "rounding"]
        nonfinite = [c for c in self.search if c.kind == "nonfinite"]
        if rounding:
            worst = max(c.error for c in rounding)
            out.append(_("rounding: on {n} of the networks tried the relative error exceeds "
                         "1e-10 (at most {worst:.2g}, {kept:.0f} significant digits kept); "
                         "{inputs}").format(n=len(rounding), worst=worst, kept=digits(worst),
                                            inputs=_inputs(rounding)))
            out += _envelope_text(rounding)
        if nonfinite:
            out.append(_("NaN, ±inf or an overflow: on {n} of the networks tried; {inputs}")
                       .format(n=len(nonfinite), inputs=_inputs(nonfinite)))
        if self.probe:
            out.append(_("one weight, W[1] = [[z]] (then W[2] = [[1]]), X = [[1]]: {digits}")
                       .format(digits=_probe_text(self.probe)))
        if "float32" in self.kinds:
            out.append(_("about 7 significant digits where float64 keeps 16: the function "
                         "computes (or returns) float32; compute in float64"))
        out.append(_("stable: {formula}").format(formula=_(STABLE[activation])))
        return out


def _envelope_text(caveats: list[Caveat]) -> list[str]:
    """The caveat closest to its envelope: its error, the envelope, and what set it (nothing
    for caveats recorded without one)."""
    known = [c for c in caveats if c.within is not None]
    if not known:
        return []
    c = max(known, key=lambda c: c.within.ratio if c.within else 0.0)
    w = c.within
    assert w is not None
    if w.form is None:
        what = _("what {precision} rounding of any correct formula loses there (1e-10 of the "
                 "scale in float64, 1e-4 in float32)").format(precision=w.precision)
    else:
        what = _("what {form} loses in {precision} at z = {z:.4g}").format(
            form=w.form, precision=w.precision, z=c.net_input)
    return [_("each within the rounding envelope of its network, what correct formulas lose "
              "there; the closest: {symbol}[{layer}] off by {error:.2g} ≤ {bound:.2g} (both "
              "relative to the condition scale), {what}").format(
        symbol=w.symbol, layer=w.layer, error=w.error, bound=w.bound, what=what)]


def _inputs(caveats: list[Caveat]) -> str:
    zs = [c.net_input for c in caveats]
    closest = min(zs, key=abs)
    signs = {z < 0 for z in zs if abs(z) > 10}
    if all(abs(z) > 10 for z in zs):
        if signs == {True}:
            text = _("all of them with a net input below −10; the least extreme z = {z:.4g}")
        elif signs == {False}:
            text = _("all of them with a net input above 10; the least extreme z = {z:.4g}")
        else:
            text = _("with net inputs on both sides; the least extreme z = {z:.4g}")
        return text.format(z=closest)
    return _("most extreme net inputs from z = {low:.4g} to {high:.4g}").format(
        low=min(zs), high=max(zs))


def _probe_text(points: list[tuple[float, float]]) -> str:
    lossy = sorted((z, e) for z, e in points if not e <= 1e-10)
    if not lossy:
        return _("every digit for every z tried (|z| from 1 to 1e4)")
    shown = [_("z = {z:g}: {error} ({kept:.0f} digits)").format(
                 z=z, error="NaN/inf" if not math.isfinite(e) else f"{e:.2g}", kept=digits(e))
             for z, e in lossy]
    if len(shown) > 8:
        shown = [*shown[:4], "…", *shown[-3:]]
    return _("digits lost at {points}; every digit elsewhere").format(points=", ".join(shown))


def probe_networks(activation: str, conv: Convention) -> list[Network]:
    """The one-weight networks of the probe (module doc), in the order z = +1, −1, +2, −2, …"""
    L = conv.layers or 2
    out = []
    for size in PROBE_Z:
        for z in (size, -size):
            W: list[NDArray[np.floating]] = [np.array([[z]]),
                                             *(np.ones((1, 1)) for _ in range(L - 1))]
            X = np.ones((1, 1))
            bs: list[NDArray[np.floating]] | None = (
                [np.zeros((1, 1)) for _ in range(L)] if conv.biases else None)
            with np.errstate(all="ignore"):
                Y_hat = mb.forward(W, X, activation).A[-1]
            Y = Y_hat + 1.0
            if not np.all(np.isfinite(Y)):
                continue
            out.append(Network(W, X, Y, [activation] * L, np.dtype(np.float64), bs))
    return out
