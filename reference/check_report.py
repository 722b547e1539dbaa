"""The report of ``check``: a ``CheckResult`` as text in the lecture's notation (what
``str(result)`` and ``assert_backprop_correct`` show, and what the ``check`` command prints),
and as Markdown for Jupyter (``CheckResult._repr_markdown_``)."""

from __future__ import annotations

from typing import Any

import numpy as np

import manual_backprop as mb

from .tolerances import TAME_NET_INPUT, WRONG_RTOL, rtol_for

__all__ = ["format_markdown", "format_result"]


def _array(a: Any) -> str:
    text = np.array2string(np.asarray(a), separator=", ", floatmode="unique", threshold=400,
                           max_line_width=96)
    return text.replace("\n", "\n" + " " * 10)


def _network_lines(net: Any) -> list[str]:
    L, n = len(net.weights), net.widths
    biases = "with biases" if net.biases is not None else "no biases"
    lines = [f"Minimal failing network: L = {L}, widths n = {'-'.join(map(str, n))}, "
             f"m = {net.m} sample{'s' * (net.m > 1)} (one per column), "
             f"{net.activations[0]} in every layer, {biases}"]
    for l, W in enumerate(net.weights, start=1):
        lines.append(f"  W[{l}] = {_array(W)}    # (n_{l}, n_{l - 1}) = {W.shape}")
    for l, b in enumerate(net.biases or [], start=1):
        lines.append(f"  b[{l}] = {_array(b)}    # (n_{l}, 1)")
    lines.append(f"  X = A[0] = {_array(net.X)}    # (n_0, m) = {net.X.shape}")
    lines.append(f"  Y = {_array(net.Y)}    # (n_L, m) = {net.Y.shape}")
    fwd = mb.forward(net.weights, net.X, net.activations, biases=net.biases)
    lines.append("Forward pass:")
    for l in range(1, L + 1):
        hat = " = Ŷ" if l == L else ""
        lines.append(f"  Z[{l}] = {_array(fwd.Z[l])}    A[{l}]{hat} = {_array(fwd.A[l])}")
    return lines


def _head(result: Any) -> str:
    options = result.convention.options()
    return (f"{result.activation}, float64, seed {result.seed}"
            f"{', ' + options if options else ''}")


def _oracle(result: Any) -> str:
    return ("the lecture's rule" if result.convention.hidden_error == "lecture"
            else "jax.grad")


def _summary(result: Any) -> str:
    rtol = rtol_for(np.float64)
    warned = (f"; numpy warned inside the function on {result.warned} of them" if result.warned
              else "")
    return (f"agrees with {_oracle(result)} on {result.networks} networks ({_head(result)}); "
            f"largest relative error where it agrees {result.max_error:.2g} (tolerance "
            f"{rtol:g}){warned}")


def _caveat_lines(result: Any) -> list[str]:
    strict = ("with --strict they are a failure" if not result.strict else
              "a failure because of --strict")
    return ([f"Numerical caveats: a correct formula losing digits in floating point, not wrong "
             f"math ({strict}):"]
            + [f"  - {line}" for line in result.caveats.lines(result.activation)])


def _read_as(conv: Any) -> str:
    notes = []
    if conv.layout == "rows":
        notes.append("transposed back from your rows layout")
    if conv.returns == "update":
        notes.append(f"recovered from your update as (W − W_new)/α, α = {conv.step:g}")
    if conv.loss == "mean":
        notes.append("times m, from your mean loss")
    return f" ({'; '.join(notes)})" if notes else ""


def format_result(result: Any) -> str:
    """The report of a ``CheckResult``: one line if it agreed, the caveats if it agreed with
    caveats, the full story (network, expected vs got, diagnosis, hint) if it is wrong."""
    rtol = rtol_for(np.float64)
    if result.verdict == "agrees":
        return f"OK: {_summary(result)}"
    if result.verdict == "agrees_with_caveats":
        lead = "FAIL (--strict)" if result.strict else "OK, with numerical caveats"
        return "\n".join([f"{lead}: {_summary(result)}", *_caveat_lines(result)])
    if result.network is None or result.outcome is None or result.outcome.failure is None:
        return (f"FAIL: the function gave different results on the same network "
                f"({_head(result)}): it is not deterministic (random numbers? state kept "
                f"between calls?)")
    out, fail = result.outcome, result.outcome.failure
    if result.hint is not None:           # not wrong math: the convention was not the right one
        net = result.network
        return "\n".join([
            f"FAIL: disagrees with {_oracle(result)} as called ({_head(result)}), on a network "
            f"with L = {len(net.weights)}, widths {'-'.join(map(str, net.widths))}, m = {net.m}:",
            f"  {fail.message}" + ("" if fail.mismatch is None else f": {fail.mismatch}"),
            str(result.hint)])
    lines = [f"FAIL: disagrees with {_oracle(result)} ({_head(result)}): found after "
             f"{result.networks} network{'s' * (result.networks > 1)}, then shrunk by "
             f"Hypothesis.", ""]
    lines += _network_lines(result.network)
    if out.got is not None:
        lines.append(f"Your ΔW{_read_as(result.convention)}:")
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.got, start=1)]
        lines += [f"  Δb[{l}] = {_array(g)}" for l, g in enumerate(out.got_db or [], start=1)]
    elif out.raw is not None:
        lines.append("Your function returned:")
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.raw, start=1)]
    if out.expected is not None:
        what = ("the lecture's rule E[l] = W[l+1]ᵀE[l+1]" if result.convention.hidden_error
                == "lecture" else "jax.grad of E = ½ΣΣ(Y − Ŷ)² (ΔW[l] = ∂E/∂W[l])")
        lines.append(f"{what}:")
        lines += [f"  ΔW[{l}] = {_array(e)}" for l, e in enumerate(out.expected, start=1)]
        lines += [f"  Δb[{l}] = {_array(e)}"
                  for l, e in enumerate(out.expected_db or [], start=1)]
    lines.append("")
    if fail.mismatch is not None:
        lines.append(f"{fail.message}. The first layer that differs, going back from the output "
                     f"as backprop does, is {fail.mismatch.symbol}[{fail.mismatch.layer}]; its "
                     f"worst entry:")
        lines.append(f"  {fail.mismatch}  (tolerance {rtol:g}; wrong math above "
                     f"{WRONG_RTOL:g} where every net input |z| ≤ {TAME_NET_INPUT:g})")
        if out.compared_from > 1:
            lines.append(f"  (ΔW[1..{out.compared_from - 1}] not compared: a relu input there "
                         f"is at its kink, where g′ is a convention)")
    else:
        lines.append(f"{fail.message}.")
    if result.diagnosis:
        lines.append("Diagnosis:")
        lines += [f"  - {d}" for d in result.diagnosis]
    else:
        lines.append("Diagnosis: not one of the known patterns.")
    if result.convention.hidden_error == "lecture":
        lines.append("Note: the lecture's rule E[l] = W[l+1]ᵀE[l+1] is not the gradient: it "
                     "drops g′(Z[l+1]) (see the docs: the hidden-error finding).")
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
    parts = [f"**FAIL**: disagrees with {_oracle(result)} ({_head(result)}), found after "
             f"{result.networks} networks and shrunk by Hypothesis.", "",
             f"Minimal failing network: L = {len(net.weights)}, widths "
             f"{'-'.join(map(str, net.widths))}, m = {net.m}, {net.activations[0]}", ""]
    for l, W in enumerate(net.weights, start=1):
        parts += [_md_matrix(f"W[{l}]", W), ""]
    parts += [_md_matrix("X", net.X), "", _md_matrix("Y", net.Y), ""]
    for l, (g, e) in enumerate(zip(out.got or [], out.expected or []), start=1):
        parts += [_md_matrix(f"your ΔW[{l}]", g), "", _md_matrix(f"expected ΔW[{l}]", e), ""]
    if out.failure is not None:
        worst = f": {out.failure.mismatch}" if out.failure.mismatch is not None else ""
        parts += [f"{out.failure.message}{worst}", ""]
    parts += ["**Diagnosis**:"] + ([f"- {d}" for d in result.diagnosis]
                                   or ["- not one of the known patterns"])
    if result.hint is not None:
        parts += ["", f"**{result.hint}**"]
    return "\n".join(parts)
