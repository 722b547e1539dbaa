"""The report of ``check``: a ``CheckResult`` as text in the lecture's notation (what
``str(result)`` and ``assert_backprop_correct`` show, and what the ``check`` command prints),
and as Markdown for Jupyter (``CheckResult._repr_markdown_``), both in the language current
when they are made (``manual_backprop.i18n``: English, or Korean)."""

from __future__ import annotations

from typing import Any

import numpy as np

import manual_backprop as mb
from manual_backprop.i18n import _, ngettext

from .caveats import STABLE
from .tolerances import rtol_for

__all__ = ["format_markdown", "format_result"]


def _array(a: Any) -> str:
    text = np.array2string(np.asarray(a), separator=", ", floatmode="unique", threshold=400,
                           max_line_width=96)
    return text.replace("\n", "\n" + " " * 10)


def _network_lines(net: Any) -> list[str]:
    L, n = len(net.weights), net.widths
    biases = _("with biases") if net.biases is not None else _("no biases")
    lines = [ngettext("Minimal failing network: L = {L}, widths n = {widths}, m = {m} sample "
                      "(one per column), {activation} in every layer, {biases}",
                      "Minimal failing network: L = {L}, widths n = {widths}, m = {m} samples "
                      "(one per column), {activation} in every layer, {biases}", net.m
                      ).format(L=L, widths="-".join(map(str, n)), m=net.m,
                               activation=net.activations[0], biases=biases)]
    lines += _array_lines(net)
    fwd = mb.forward(net.weights, net.X, net.activations, biases=net.biases)
    lines.append(_("Forward pass:"))
    for l in range(1, L + 1):
        hat = " = Ŷ" if l == L else ""
        lines.append(f"  Z[{l}] = {_array(fwd.Z[l])}    A[{l}]{hat} = {_array(fwd.A[l])}")
    return lines


def _head(result: Any) -> str:
    options = result.convention.options()
    return (_("{activation}, float64, seed {seed}").format(activation=result.activation,
                                                            seed=result.seed)
            + (", " + options if options else ""))


def _oracle(result: Any) -> str:
    return (_("the lecture's rule") if result.convention.hidden_error == "lecture"
            else "jax.grad")


def _summary(result: Any) -> str:
    rtol = rtol_for(np.float64)
    warned = ""
    if result.warned:
        shown = sorted(set(result.warnings))
        named = "; ".join(shown[:3]) + ("; …" if len(shown) > 3 else "")
        warned = _("; numpy warned inside the function on {warned} of them ({warnings}): an "
                   "exp or a division that overflows for extreme net inputs, harmless where the "
                   "results agree; this form does not warn: {formula}").format(
            warned=result.warned, warnings=named, formula=_(STABLE[result.activation]))
    return _("agrees with {oracle} on {networks} networks ({head}); largest relative error "
             "where it agrees {error:.2g} (tolerance {rtol:g}){warned}").format(
        oracle=_oracle(result), networks=result.networks, head=_head(result),
        error=result.max_error, rtol=rtol, warned=warned)


def _caveat_lines(result: Any) -> list[str]:
    strict = (_("with --strict they are a failure") if not result.strict else
              _("a failure because of --strict"))
    return ([_("Numerical caveats: a correct formula losing digits in floating point, not "
               "wrong math ({strict}):").format(strict=strict)]
            + [f"  - {line}" for line in result.caveats.lines(result.activation)])


def _array_lines(net: Any, rows: bool = False) -> list[str]:
    """W[l], b[l], X and Y with their shapes, in the lecture's layout or, with ``rows``, as a
    function of ``--layout rows`` got them (samples as rows)."""
    lines = []
    for l, W in enumerate(net.weights, start=1):
        W_, dims = (W.T, f"(n_{l - 1}, n_{l})") if rows else (W, f"(n_{l}, n_{l - 1})")
        lines.append(f"  W[{l}] = {_array(W_)}    # {dims} = {W_.shape}")
    for l, b in enumerate(net.biases or [], start=1):
        lines.append(f"  b[{l}] = {_array(b.ravel())}    # (n_{l},)" if rows
                     else f"  b[{l}] = {_array(b)}    # (n_{l}, 1)")
    X, Y = (net.X.T, net.Y.T) if rows else (net.X, net.Y)
    lines.append(f"  X = {_array(X)}    # (m, n_0) = {X.shape}" if rows
                 else f"  X = A[0] = {_array(X)}    # (n_0, m) = {X.shape}")
    lines.append(f"  Y = {_array(Y)}    # {'(m, n_L)' if rows else '(n_L, m)'} = {Y.shape}")
    return lines


def _read_as(conv: Any) -> str:
    notes = []
    if conv.layout == "rows":
        notes.append(_("transposed back from your rows layout"))
    if conv.returns == "update":
        notes.append(_("recovered from your update as (W − W_new)/α, α = {step:g}").format(
            step=conv.step))
    if conv.loss == "mean":
        notes.append(_("times m, from your mean loss"))
    return f" ({'; '.join(notes)})" if notes else ""


def _outside_lines(out: Any) -> list[str]:
    """Why the difference is wrong math and not rounding: the envelope it is outside."""
    w = out.within
    if w is None:
        return []
    if out.failure is not None and out.failure.kind == "raised":
        return [_("Not rounding: {exception} on a network where no correct formula overflows."
                  ).format(exception=out.failure.exception)]
    if w.ratio == float("inf"):
        return ["  " + _("Not rounding: {symbol}[{layer}] is NaN or ±inf where no correct "
                         "formula is, in {precision}.").format(symbol=w.symbol, layer=w.layer,
                                                               precision=w.precision)]
    what = (_("what {form} loses there").format(form=w.form) if w.form is not None else
            _("what any correct formula's rounding loses there"))
    precision = (w.precision if w.precision == "float64" or w.float32 else
                 _("float32, as its results here are all float32 numbers"))
    return ["  " + _("Not rounding: {symbol}[{layer}] is off by {error:.3g} of its condition "
                     "scale, {ratio:.3g} × this network's rounding envelope ({bound:.3g}, {what} "
                     "in {precision}): wrong math.").format(
        symbol=w.symbol, layer=w.layer, error=w.error, ratio=w.ratio, bound=w.bound, what=what,
        precision=precision)]


def format_result(result: Any) -> str:
    """The report of a ``CheckResult``: one line if it agreed, the caveats if it agreed with
    caveats, the full story (network, expected vs got, diagnosis, hint) if it is wrong."""
    rtol = rtol_for(np.float64)
    if result.verdict == "agrees":
        return _("OK: {summary}").format(summary=_summary(result))
    if result.verdict == "agrees_with_caveats":
        lead = (_("FAIL (--strict): {summary}") if result.strict else
                _("OK, with numerical caveats: {summary}"))
        return "\n".join([lead.format(summary=_summary(result)), *_caveat_lines(result)])
    if result.network is None or result.outcome is None or result.outcome.failure is None:
        return _("FAIL: the function gave different results on the same network ({head}): it "
                 "is not deterministic (random numbers? state kept between calls?)").format(
            head=_head(result))
    out, fail = result.outcome, result.outcome.failure
    if result.hint is not None and result.hint.agrees:   # the convention was not the right one
        net = result.network
        lead = (_("ANOTHER CONVENTION: not checked as asked; as called ({head}) it disagrees "
                  "with {oracle} on a network with L = {L}, widths {widths}, m = {m}:")
                if result.verdict == "agrees_in_another_convention" else   # not wrong math
                _("FAIL: disagrees with {oracle} as called ({head}), on a network with L = {L}, "
                  "widths {widths}, m = {m}:"))       # the lecture's rule: not the gradient
        return "\n".join([
            lead.format(oracle=_oracle(result), head=_head(result), L=len(net.weights),
                        widths="-".join(map(str, net.widths)), m=net.m),
            f"  {fail.message}" + ("" if fail.mismatch is None else
                                   f": {fail.mismatch}"),
            str(result.hint)])
    lines = [ngettext("FAIL: disagrees with {oracle} ({head}): found after {networks} network, "
                      "then shrunk by Hypothesis.",
                      "FAIL: disagrees with {oracle} ({head}): found after {networks} networks, "
                      "then shrunk by Hypothesis.", result.networks).format(
        oracle=_oracle(result), head=_head(result), networks=result.networks), ""]
    lines += _network_lines(result.network)
    if result.convention.layout == "rows":
        lines += [_("As your function got them (samples as rows):"),
                  *_array_lines(result.network, rows=True)]
    if out.got is not None:
        lines.append(_("Your ΔW{read_as}:").format(read_as=_read_as(result.convention)))
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.got, start=1)]
        lines += [f"  Δb[{l}] = {_array(g)}" for l, g in enumerate(out.got_db or [], start=1)]
    elif out.raw is not None:
        lines.append(_("Your function returned:"))
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.raw, start=1)]
    if out.expected is not None:
        lines.append(_("the lecture's rule E[l] = W[l+1]ᵀE[l+1]:")
                     if result.convention.hidden_error == "lecture"
                     else _("jax.grad of E = ½ΣΣ(Y − Ŷ)² (ΔW[l] = ∂E/∂W[l]):"))
        lines += [f"  ΔW[{l}] = {_array(e)}" for l, e in enumerate(out.expected, start=1)]
        lines += [f"  Δb[{l}] = {_array(e)}"
                  for l, e in enumerate(out.expected_db or [], start=1)]
    lines.append("")
    if fail.mismatch is not None:
        lines.append(_("{message}. The first layer that differs, going back from the output as "
                       "backprop does, is {symbol}[{layer}]; its worst entry:").format(
            message=fail.message, symbol=fail.mismatch.symbol, layer=fail.mismatch.layer))
        lines.append("  " + _("{entry}  (tolerance {rtol:g})").format(entry=fail.mismatch,
                                                                      rtol=rtol))
        lines += _outside_lines(out)
        if out.compared_from > 1:
            lines.append("  " + _("(ΔW[1..{last}] not compared: a relu input there is at its "
                                  "kink, where g′ is a convention)").format(
                last=out.compared_from - 1))
    else:
        lines.append(f"{fail.message}.")
        lines += _outside_lines(out)
    if result.diagnosis:
        lines.append(_("Diagnosis:"))
        lines += [f"  - {d}" for d in result.diagnosis]
    else:
        lines.append(_("Diagnosis: not one of the known patterns."))
    if result.convention.hidden_error == "lecture":
        lines.append(_("Note: the lecture's rule E[l] = W[l+1]ᵀE[l+1] is not the gradient: it "
                       "drops g′(Z[l+1]) (docs/hidden-error.md, the hidden-error finding)."))
    if result.hint is not None:
        lines.append(str(result.hint))
    return "\n".join(lines)


def _md_matrix(name: str, a: Any) -> str:
    a = np.atleast_2d(np.asarray(a))
    head = "| " + name + " | " + " | ".join(f"j={j}" for j in range(a.shape[1])) + " |"
    rule = "|---" * (a.shape[1] + 1) + "|"
    rows = [f"| k={k} | " + " | ".join(f"{x:.6g}" for x in row) + " |"
            for k, row in enumerate(a)]
    return "\n".join([head, rule, *rows])


def format_markdown(result: Any) -> str:
    """The report as Markdown: the verdict, the minimal network as tables, the worst entry, the
    diagnosis, the caveats and the hint (what Jupyter shows for a ``CheckResult``)."""
    if result.verdict != "wrong" or result.network is None or result.outcome is None:
        text = format_result(result).splitlines()
        verdict = text[0].split(":", 1)
        return "\n".join([f"**{verdict[0]}**:{verdict[1] if len(verdict) > 1 else ''}", ""]
                         + [line.replace("  - ", "- ", 1) for line in text[1:]])
    net, out = result.network, result.outcome
    parts = [_("**FAIL**: disagrees with {oracle} ({head}), found after {networks} networks and "
               "shrunk by Hypothesis.").format(oracle=_oracle(result), head=_head(result),
                                               networks=result.networks), "",
             _("Minimal failing network: L = {L}, widths {widths}, m = {m}, {activation}").format(
                 L=len(net.weights), widths="-".join(map(str, net.widths)), m=net.m,
                 activation=net.activations[0]), ""]
    for l, W in enumerate(net.weights, start=1):
        parts += [_md_matrix(f"W[{l}]", W), ""]
    parts += [_md_matrix("X", net.X), "", _md_matrix("Y", net.Y), ""]
    for l, (g, e) in enumerate(zip(out.got or [], out.expected or []), start=1):
        parts += [_md_matrix(_("your ΔW[{l}]").format(l=l), g), "",
                  _md_matrix(_("expected ΔW[{l}]").format(l=l), e), ""]
    if out.failure is not None:
        worst = (f": {out.failure.mismatch}" if out.failure.mismatch is not None
                 else "")
        parts += [f"{out.failure.message}{worst}", ""]
    parts += [_("**Diagnosis**:")] + ([f"- {d}" for d in result.diagnosis]
                                      or ["- " + _("not one of the known patterns")])
    if result.hint is not None:
        parts += ["", f"**{result.hint}**"]
    return "\n".join(parts)
