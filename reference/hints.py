"""Hints: when a function is wrong under the convention it was checked with, is there another
under which it is right? ("rerun with --layout rows").

``find_hint`` tries every combination of the conventions of ``reference.conventions`` that
differ from the given one (depth, layout, loss, update style, the lecture's hidden error,
biases), fewest changes first. A candidate fits when the function is not wrong under it on the
failing network (when that network suits the candidate) and on ``MORE_NETWORKS`` (20) more
random tame networks (against the kernel's gradient, which needs no jax compilation for new
shapes); the first that fits is the hint. For an update whose step the function
chooses itself, α is estimated from the first network ((W_before − W_after)/ΔW, rounded to three
digits) and then verified like everything else. The search stops after ``DEADLINE`` seconds.
When no convention fits and the function raised on a network of a depth it does not handle
(``W1, W2 = weights`` on one layer), ``find_depth_hint`` names the depth at which it runs: there
it is wrong too, and a rerun at that depth shows where. ``--layers 1``
is never hinted: a network of one layer has no hidden layer, so there is no backpropagation to
check (and many a bug in the hidden layers is right there).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from manual_backprop.i18n import _

from .calling import Call, call, interpret, passes_alpha, positional_parameters
from .conventions import HIDDEN_ERRORS, LAYOUTS, LOSSES, RETURNS, Convention
from .evaluate import evaluate, expected
from .strategies import Network, tame

__all__ = ["DEADLINE", "MORE_NETWORKS", "Hint", "candidates", "find_depth_hint", "find_hint"]

MORE_NETWORKS = 20
DEADLINE = 3.0
F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Hint:
    """A convention under which the function agrees, and on how many networks it was seen;
    or, with ``agrees=False``, the depth at which it runs at all (``find_depth_hint``)."""

    convention: Convention
    networks: int
    agrees: bool = True

    @property
    def options(self) -> str:
        return self.convention.options()

    def __str__(self) -> str:
        """The hint line, in the language of the output (the options as they are)."""
        if not self.agrees:
            return _("Hint: it runs only if it handles L = {layers} layers (checked on "
                     "{networks} networks), and it is wrong there too: rerun with {options} to "
                     "see where").format(layers=self.convention.layers, networks=self.networks,
                                         options=self.options)
        phrases = self.convention.phrases()
        if not phrases:                          # the lecture's own convention fits
            return _("Hint: it agrees with jax.grad in the lecture's own conventions (checked "
                     "on {networks} networks): rerun without the convention options").format(
                         networks=self.networks)
        conditions = phrases[0]
        for phrase in phrases[1:]:
            conditions = _("{conditions} and {condition}").format(conditions=conditions,
                                                                 condition=phrase)
        if self.convention.hidden_error == "lecture":
            text = _("Hint: it agrees with the lecture's rule if {conditions} (checked on "
                     "{networks} networks): rerun with {options}")
        else:
            text = _("Hint: it agrees with jax.grad if {conditions} (checked on {networks} "
                     "networks): rerun with {options}")
        return text.format(conditions=conditions, networks=self.networks, options=self.options)


def candidates(fn: Callable[..., Any], conv: Convention) -> list[Convention]:
    """Every other convention worth trying for ``fn``, fewest changes from ``conv`` first."""
    n = positional_parameters(fn)
    biases = [conv.biases] + ([not conv.biases] if n is None or n >= 4 else [])
    out = []
    for layers, layout, loss, returns, hidden, b in itertools.product(
            [conv.layers] if conv.layers is not None else [None, 2, 3, 4],
            sorted(LAYOUTS, key=lambda v: v != conv.layout),
            sorted(LOSSES, key=lambda v: v != conv.loss),
            sorted(RETURNS, key=lambda v: v != conv.returns),
            sorted(HIDDEN_ERRORS, key=lambda v: v != conv.hidden_error), biases):
        c = Convention(layers, layout, loss, returns, conv.alpha if returns == "update" else None,
                       hidden, b)
        if c != conv:
            out.append(c)
    changed = [(sum(getattr(c, f) != getattr(conv, f) for f in
                    ("layers", "layout", "loss", "returns", "hidden_error", "biases")), i)
               for i, c in enumerate(out)]
    return [out[i] for _, i in sorted(changed)]


def _tame_networks(activation: str, layers: int | None, biases: bool, seed: int, count: int
                   ) -> list[Network]:
    rng = np.random.default_rng([seed, layers or 0, int(biases)])
    out = []
    for _network in range(count):
        L = layers or int(rng.integers(1, 5))
        n = rng.integers(1, 5, L + 1)
        m = int(rng.integers(1, 5))
        W: list[NDArray[np.floating]] = [rng.uniform(-2, 2, (int(n[l + 1]), int(n[l])))
                                         for l in range(L)]
        X, Y = rng.uniform(-2, 2, (int(n[0]), m)), rng.uniform(-1, 1, (int(n[-1]), m))
        bs: list[NDArray[np.floating]] | None = (
            [rng.uniform(-1, 1, (int(n[l + 1]), 1)) for l in range(L)] if biases else None)
        out.append(tame(Network(W, X, Y, [activation] * L, np.dtype(np.float64), bs)))
    return out


def _estimated_alpha(fn: Callable[..., Any], net: Network, cand: Convention) -> float | None:
    """The step α of an update that ``fn`` takes itself, from one network; None if it is not
    one positive number for every entry."""
    trial = replace(cand, alpha=1.0)
    got = interpret(call(fn, net, trial), net, trial)
    if got.failure is not None or got.dW is None:
        return None
    want, _db = expected(net, cand, "kernel")
    ratios = [g[np.abs(e) > 1e-3 * np.abs(e).max()] / e[np.abs(e) > 1e-3 * np.abs(e).max()]
              for g, e in zip(got.dW, want) if np.abs(e).max() > 0]
    if not ratios:
        return None
    r = np.concatenate(ratios)
    alpha = float(np.median(r))
    if not np.isfinite(alpha) or alpha <= 0:
        return None
    return float(f"{alpha:.3g}")


def find_hint(fn: Callable[..., Any], activation: str, conv: Convention, failing: Network,
              seed: int, computed: bool = False) -> Hint | None:
    """The first convention (``candidates`` order) under which ``fn`` is not wrong on
    ``failing`` (where it suits) and on ``MORE_NETWORKS`` more tame networks; None if none
    fits (or the search ran past ``DEADLINE`` seconds). ``computed``: ``fn`` returned values of
    the right shapes on ``failing`` (wrong ones), so it handles that depth, and a convention
    that fixes another depth ("it handles L = 2 layers only") is no explanation."""
    start = time.perf_counter()
    pools: dict[tuple[int | None, bool], list[Network]] = {}
    calls: dict[tuple[int, str, bool, bool, float], Call] = {}
    cache: dict[Any, Any] = {}                # what evaluate computes once per network

    def fits(net: Network, cand: Convention) -> bool:
        alpha = passes_alpha(fn, cand)
        key = (id(net), cand.layout, cand.biases, alpha, cand.step if alpha else 0.0)
        if key not in calls:
            calls[key] = call(fn, net, cand)
        return bool(evaluate(fn, net, cand, calls[key], cache, "kernel").severity != "wrong")

    for cand in candidates(fn, conv):
        if time.perf_counter() - start > DEADLINE:
            return None
        if (computed and conv.layers is None and cand.layers is not None
                and cand.layers != len(failing.weights)):
            continue
        pool_key = (cand.layers, cand.biases)
        if pool_key not in pools:
            pools[pool_key] = _tame_networks(activation, cand.layers, cand.biases, seed,
                                             MORE_NETWORKS + 1)
        suits = (cand.biases == conv.biases
                 and (cand.layers is None or cand.layers == len(failing.weights)))
        nets = ([failing] if suits else []) + pools[pool_key][: MORE_NETWORKS + (not suits)]
        if cand.returns == "update" and not passes_alpha(fn, cand):
            alpha = _estimated_alpha(fn, nets[0], cand)
            if alpha is None:
                continue
            cand = replace(cand, alpha=alpha)
        if all(fits(net, cand) for net in nets):
            return Hint(cand, len(nets))
    return None


def find_depth_hint(fn: Callable[..., Any], activation: str, conv: Convention, seed: int
                    ) -> Hint | None:
    """For a function checked at any depth that raised: the first depth L = 2, 3, 4 at which it
    raises on none of ``MORE_NETWORKS`` tame networks (its math is then wrong there: no
    convention fitted), as a ``Hint`` with ``agrees=False``; None if there is none."""
    if conv.layers is not None:
        return None
    for layers in (2, 3, 4):
        cand = replace(conv, layers=layers)
        nets = _tame_networks(activation, layers, conv.biases, seed, MORE_NETWORKS)
        outcomes = (evaluate(fn, net, cand, oracle="kernel") for net in nets)
        if all(o.failure is None or o.failure.kind != "raised" for o in outcomes):
            return Hint(cand, len(nets), agrees=False)
    return None
