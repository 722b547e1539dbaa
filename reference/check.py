"""Check anyone's backprop against jax.grad: is the math right?

    python -m manual_backprop check my_homework.py:backprop [--activation tanh] [--layout rows]
    reference.assert_backprop_correct(backprop, activation="tanh")        # in a pytest test

Hypothesis searches float64 networks (depth 1–4 or ``layers``, widths and batch 1–8) with the
given activation in every layer, in two families: *tame* networks, whose every net input
|Z[l]| ≤ ``TAME_NET_INPUT`` (10), and *wild* ones with |W|, |X| ≤ 30, whose net inputs reach
1e4. The function's result, read under its ``Convention`` (``reference.conventions``), is
compared with jax.grad (or, with hidden_error="lecture", the lecture's rule) by the
condition-scaled relative error of ``reference.tolerances``. Each network is then

* **agreeing** — every entry within ``RTOL`` (1e-10) of its condition scale;
* a **numerical caveat** — a larger difference inside the network's rounding envelope, what
  correct formulas in the function's working precision lose on that network
  (``reference.envelope``): NaN/±inf only where such a formula has them, an overflow exception
  only where one overflows;
* **wrong** — anything else: outside the envelope at any net input, an exception, a result that
  is not what the convention says, arguments changed in place.

The first wrong network is shrunk by Hypothesis to a minimal one, made smaller still while it
stays wrong (``reference.reduce``), and reported with a diagnosis that holds on other shapes too
(``reference.diagnose``) and, where another convention fits, a hint (``reference.hints``) that a
full search under it has verified.
Caveats are collected over the search and a probe of one-weight networks W[1] = [[z]]
(``reference.caveats``), and reported with where digits are lost. The verdict: "agrees",
"agrees_with_caveats" (still ok, unless ``strict``), "wrong", or
"agrees_in_another_convention": wrong as called, but the true gradient under other options (the
hint's), so not wrong math; not ok either, the function was checked with the wrong options. A
function that fits only the lecture's hidden error (``--hidden-error lecture``) stays "wrong":
that rule is not the gradient.
At a relu/leaky_relu kink (a net input that is 0, or within rounding of 0) g′ is a convention:
only the layers after the last such layer are compared, so relu′(0) = 0 and 1 both pass.
"""

from __future__ import annotations

import difflib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis import strategies as st
from hypothesis.errors import FlakyFailure, NoSuchExample
from numpy.typing import NDArray

from .calling import CannotCall, Interpreted, call, check_callable, interpret
from .caveats import CaveatLog, probe_networks
from .check_report import format_markdown, format_result
from .conventions import Convention, convention
from .diagnose import Diagnosis, diagnose
from .evaluate import Outcome, evaluate
from .hints import Hint, find_depth_hint, find_hint
from .reduce import reduce
from .strategies import ACTIVATION_NAMES, Network, networks, tame

__all__ = ["DEFAULT_MAX_EXAMPLES", "VERDICTS", "CannotCall", "CheckResult", "Outcome",
           "assert_backprop_correct", "check_backprop", "evaluate", "search_strategy"]

F64 = NDArray[np.float64]
Backprop = Callable[..., Any]
DEFAULT_MAX_EXAMPLES = 400
"""Networks a check tries by default: 400 take 1.4–1.6 s in-process on a 2-core machine (every
wrong function of the catalogue is found within the first few; the probe covers the extreme net
inputs deterministically); --max-examples 5000 searches harder."""
VERDICTS = ("agrees", "agrees_with_caveats", "wrong", "agrees_in_another_convention")
_F64 = np.dtype(np.float64)


def search_strategy(activation: str = "sigmoid", conv: Convention | None = None
                    ) -> st.SearchStrategy[Network]:
    """The networks ``check`` tries: float64, ``activation`` in every layer, biases only with
    ``conv.biases``; depth 1–4 (or ``conv.layers``), widths and batch 1–8; tame networks
    (|W|, |X| ≤ 4 scaled until every |Z[l]| ≤ 10) or wild ones (|W|, |X| ≤ 30), |Y| ≤ 2."""
    conv = conv or Convention()
    depth = (1, 4) if conv.layers is None else (conv.layers, conv.layers)
    common: dict[str, Any] = dict(dtypes=(_F64,), activations=(activation,), mixed=False,
                                  biases=conv.biases, min_depth=depth[0], max_depth=depth[1])
    return st.one_of(networks(**common).map(tame),
                     networks(weight_bound=30.0, input_bound=30.0, bias_bound=30.0, **common))


@dataclass
class CheckResult:
    """What ``check_backprop`` found.

    verdict: one of ``VERDICTS``; ok: True for "agrees" and, unless ``strict``,
    "agrees_with_caveats"; networks: how many were tried before the first wrong
    one (all of them otherwise); max_error: the largest relative error on the networks that
    agreed; caveats: the numerical caveats (``reference.caveats``); and, when wrong, the
    minimal failing network, its ``Outcome``, the diagnosis and a hint (another convention
    that fits, or None).
    """

    ok: bool
    activation: str
    seed: int
    networks: int
    max_error: float
    seconds: float
    verdict: str = "agrees"
    convention: Convention = field(default_factory=Convention)
    strict: bool = False
    network: Network | None = None
    outcome: Outcome | None = None
    diagnosis: list[Diagnosis] = field(default_factory=list)
    flaky: bool = False
    warned: int = 0                    # networks on which numpy warned inside the function
    warnings: list[str] = field(default_factory=list)     # what numpy said there
    caveats: CaveatLog = field(default_factory=CaveatLog)
    hint: Hint | None = None
    hint_seconds: float = 0.0

    def __str__(self) -> str:
        return format_result(self)

    def _repr_markdown_(self) -> str:
        return format_markdown(self)


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATION_NAMES:
        close = difflib.get_close_matches(str(activation), ACTIVATION_NAMES, n=1)
        guess = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"`activation` is {activation!r}; expected one of "
                         f"{', '.join(ACTIVATION_NAMES)}{guess}")
    return activation


@dataclass
class _Search:
    """One search: the first wrong network (shrunk) or None, and what was seen on the way."""

    network: Network | None = None
    flaky: bool = False
    tried: int = 0
    max_error: float = 0.0
    warned: int = 0
    warnings: set[str] = field(default_factory=set)
    caveats: CaveatLog = field(default_factory=CaveatLog)


def _search(fn: Backprop, activation: str, conv: Convention, max_examples: int, seed: int
            ) -> _Search:
    """Hypothesis's search for a wrong network (``search_strategy``), then, if none, the probe
    of one-weight networks (``reference.caveats``); caveats are collected up to the first wrong
    network."""
    out = _Search()
    failed = False                       # a wrong network was seen: stop recording

    def wrong(net: Network) -> bool:
        nonlocal failed
        outcome = evaluate(fn, net, conv)
        if not failed:
            out.tried += 1
            out.warned += bool(outcome.warnings)
            out.warnings.update(outcome.warnings)
            if outcome.severity == "ok":
                out.max_error = max(out.max_error, outcome.error)
            elif outcome.severity == "caveat":
                out.caveats.add(outcome)
            failed = outcome.severity == "wrong"
        return outcome.severity == "wrong"

    config = settings(max_examples=max_examples, database=None, deadline=None,
                      derandomize=False, print_blob=False, verbosity=Verbosity.quiet,
                      suppress_health_check=list(HealthCheck),
                      phases=[Phase.generate, Phase.shrink])
    try:
        out.network = find(search_strategy(activation, conv), wrong, settings=config,
                           random=random.Random(seed))
    except NoSuchExample:
        for net in probe_networks(activation, conv):
            outcome = evaluate(fn, net, conv)
            out.caveats.add_probe(net, outcome)
            if outcome.severity == "wrong":
                out.network = net
                break
    except FlakyFailure:
        out.flaky = True
    return out


def check_backprop(fn: Backprop, activation: str = "sigmoid", *,
                   max_examples: int = DEFAULT_MAX_EXAMPLES, seed: int = 0,
                   layers: int | None = None, layout: str = "columns", loss: str = "sum",
                   returns: str = "gradient", alpha: float | None = None,
                   hidden_error: str = "exact", biases: bool = False, strict: bool = False,
                   hints: bool = True) -> CheckResult:
    """Search for a network on which ``fn`` disagrees with jax.grad.

    fn: in the lecture's convention takes weights (L float64 arrays (n_l, n_{l−1})), X (n_0, m),
        Y (n_L, m) and returns [ΔW[1], ..., ΔW[L]] with ΔW[l] = ∂E/∂W[l] of E = ½ΣΣ(Y − Ŷ)²,
        for ``activation`` in every layer. layers, layout, loss, returns, alpha, hidden_error,
        biases: another convention (``reference.conventions``). max_examples: networks to try
        (≥ 1); seed: the search's seed (the same seed and function give the same report, with
        the same modules loaded: Hypothesis also draws numbers written in them). strict: a
        numerical caveat makes the result not ok. hints: when wrong, look for another
        convention that fits, and keep it only if a full search under it (the same
        ``max_examples`` and ``seed``) agrees.
    ``fn`` runs in this process: the caller trusts its own code (the command line runs files
    in a sandbox instead).
    Raises ``CannotCall`` (a TypeError) when ``fn``'s parameters cannot take the arguments
    of the convention and no other convention fits: its message says how to wrap it.
    """
    if not callable(fn):
        raise TypeError(f"`fn` must be a function (your backprop), got {type(fn).__name__}")
    _check_activation(activation)
    if isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1:
        raise ValueError(f"`max_examples` is {max_examples!r}; expected a whole number ≥ 1")
    conv = convention(layers=layers, layout=layout, loss=loss, returns=returns, alpha=alpha,
                      hidden_error=hidden_error, biases=biases)
    start = time.perf_counter()
    found = _search(fn, activation, conv, max_examples, seed)
    result = CheckResult(True, activation, seed, found.tried, found.max_error, 0.0,
                         convention=conv, strict=strict, network=found.network,
                         flaky=found.flaky, warned=found.warned,
                         warnings=sorted(found.warnings), caveats=found.caveats)
    if result.network is not None and not result.flaky:
        twice = [evaluate(fn, result.network, conv) for _ in range(2)]
        result.flaky = any(o.severity != "wrong" for o in twice) or not _same(*twice)
    if result.network is not None and not result.flaky:
        result.network = reduce(result.network,
                                lambda n: evaluate(fn, n, conv).severity == "wrong",
                                fixed_depth=conv.layers is not None)
    if result.network is not None:
        result.outcome = evaluate(fn, result.network, conv)
        result.flaky = result.outcome.severity != "wrong"
    if result.network is not None and not result.flaky:
        assert result.outcome is not None
        result.verdict = "wrong"
        result.diagnosis = _diagnose(fn, result.network, result.outcome, conv)
        if hints:
            hint_start = time.perf_counter()
            result.hint = _verified_hint(fn, activation, conv, result.network, result.outcome,
                                         max_examples, seed)
            result.hint_seconds = time.perf_counter() - hint_start
        if result.hint is None:
            check_callable(fn, conv)       # CannotCall: its parameters never took the arguments
        if (result.hint is not None and result.hint.agrees
                and result.hint.convention.hidden_error == "exact"):
            result.verdict = "agrees_in_another_convention"   # the gradient, other options
    elif result.flaky:
        result.verdict = "wrong"
    elif result.caveats:
        result.verdict = "agrees_with_caveats"
    result.ok = result.verdict == "agrees" or (result.verdict == "agrees_with_caveats"
                                               and not strict)
    result.seconds = time.perf_counter() - start
    return result


def _same(a: Outcome, b: Outcome) -> bool:
    """The same result twice: the same failure and the same arrays (NaN equal to NaN)."""
    arrays = [(x, y) for x, y in ((a.raw, b.raw), (a.got, b.got))
              if x is not None or y is not None]
    return ((a.failure and a.failure.message) == (b.failure and b.failure.message)
            and all(x is not None and y is not None and len(x) == len(y)
                    and all(np.array_equal(p, q, equal_nan=True) for p, q in zip(x, y))
                    for x, y in arrays))


def _verified_hint(fn: Backprop, activation: str, conv: Convention, net: Network,
                   outcome: Outcome, max_examples: int, seed: int) -> Hint | None:
    """A hint is a verdict: the convention ``find_hint`` proposes (or the depth of
    ``find_depth_hint``) is kept only if the full search under it, with the same
    ``max_examples`` and seed against jax.grad, agrees (for a depth: finds it wrong there, as
    the hint says; if it agrees there, the hint says so instead)."""
    assert outcome.failure is not None
    hint = find_hint(fn, activation, conv, net, seed,
                     computed=outcome.failure.kind in ("mismatch", "nan"))
    if hint is None and outcome.failure.kind == "raised":
        hint = find_depth_hint(fn, activation, conv, seed)     # wrong there too
    if hint is None:
        return None
    rerun = _search(fn, activation, hint.convention, max_examples, seed)
    agrees = rerun.network is None and not rerun.flaky
    if agrees:
        return replace(hint, networks=rerun.tried, agrees=True)
    return None if hint.agrees else hint        # a depth: it runs there, and is wrong there


def _diagnose(fn: Backprop, net: Network, outcome: Outcome | None, conv: Convention
              ) -> list[Diagnosis]:
    """The diagnosis of ``reference.diagnose`` (against the exact gradient or the lecture's rule,
    as checked); with biases that the shrinker did not bring to 0, only its notes (arguments
    changed, float32, overflow): its variants are those of networks without biases."""
    assert outcome is not None
    plain = not conv.biases or all(not np.any(b) for b in (net.biases or []))
    calls: dict[int, tuple[Network, Interpreted | None]] = {}    # other kept: its id stays

    def interpreted(other: Network) -> Interpreted | None:
        if not plain:
            return None
        if id(other) not in calls:
            arg = other if not conv.biases else replace(
                other, biases=[np.zeros((W.shape[0], 1)) for W in other.weights])
            c = call(fn, arg, conv)
            calls[id(other)] = (other, None if c.failure is not None
                                else interpret(c, arg, conv))
        return calls[id(other)][1]

    def run(other: Network) -> list[F64] | None:
        got = interpreted(other)
        return None if got is None or got.failure is not None else got.dW

    def raw_run(other: Network) -> list[NDArray[Any]] | None:
        got = interpreted(other)
        return None if got is None else got.raw

    return diagnose(replace(net, biases=None), outcome.got if plain else None, run,
                    raw=outcome.raw if plain else None, modified=outcome.modified,
                    dtypes=outcome.dtypes, warnings=outcome.warnings,
                    hidden_error=conv.hidden_error, raw_run=raw_run, layers=conv.layers)


def assert_backprop_correct(fn: Backprop, activation: str = "sigmoid", **options: Any
                            ) -> CheckResult:
    """``check_backprop`` for pytest (and nbgrader): raise AssertionError with the full report
    (the minimal failing network, expected vs got, the diagnosis, a hint) unless ``fn``'s
    result is ok; else return it. Options as in ``check_backprop``."""
    result = check_backprop(fn, activation, **options)
    if not result.ok:
        raise AssertionError(str(result))
    return result
