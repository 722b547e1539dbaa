"""The report of ``check``: a ``CheckResult`` as text in the lecture's notation (what
``str(result)`` and ``assert_backprop_correct`` show, and what the ``check`` command prints)."""

from __future__ import annotations

from typing import Any

import numpy as np

import manual_backprop as mb

from .tolerances import rtol_for

__all__ = ["format_result"]


def _array(a: Any) -> str:
    text = np.array2string(np.asarray(a), separator=", ", floatmode="unique", threshold=400,
                           max_line_width=96)
    return text.replace("\n", "\n" + " " * 10)


def _network_lines(net: Any) -> list[str]:
    L, n = len(net.weights), net.widths
    lines = [f"Minimal failing network: L = {L}, widths n = {'-'.join(map(str, n))}, "
             f"m = {net.m} sample{'s' * (net.m > 1)} (one per column), "
             f"{net.activations[0]} in every layer, no biases"]
    for l, W in enumerate(net.weights, start=1):
        lines.append(f"  W[{l}] = {_array(W)}    # (n_{l}, n_{l - 1}) = {W.shape}")
    lines.append(f"  X = A[0] = {_array(net.X)}    # (n_0, m) = {net.X.shape}")
    lines.append(f"  Y = {_array(net.Y)}    # (n_L, m) = {net.Y.shape}")
    fwd = mb.forward(net.weights, net.X, net.activations)
    lines.append("Forward pass:")
    for l in range(1, L + 1):
        hat = " = Ŷ" if l == L else ""
        lines.append(f"  Z[{l}] = {_array(fwd.Z[l])}    A[{l}]{hat} = {_array(fwd.A[l])}")
    return lines


def format_result(result: Any) -> str:
    """The report of a ``CheckResult``: one line if it agreed, the full story if not."""
    rtol = rtol_for(np.float64)
    head = f"{result.activation}, float64, seed {result.seed}"
    if result.ok:
        warned = (f"; numpy warned inside the function on {result.warned} of them (the "
                  f"results were right)" if result.warned else "")
        return (f"OK: agrees with jax.grad on {result.networks} networks ({head}); largest "
                f"relative error {result.max_error:.2g} (tolerance {rtol:g}){warned}")
    if result.network is None or result.outcome is None or result.outcome.failure is None:
        return (f"FAIL: the function gave different results on the same network ({head}): it "
                f"is not deterministic (random numbers? state kept between calls?)")
    out, fail = result.outcome, result.outcome.failure
    lines = [f"FAIL: disagrees with jax.grad ({head}): found after {result.networks} "
             f"network{'s' * (result.networks > 1)}, then shrunk by Hypothesis.", ""]
    lines += _network_lines(result.network)
    if out.got is not None:
        lines.append("Your ΔW:")
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.got, start=1)]
    elif out.raw is not None:
        lines.append("Your function returned:")
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.raw, start=1)]
    if out.expected is not None:
        lines.append("jax.grad of E = ½ΣΣ(Y − Ŷ)² (ΔW[l] = ∂E/∂W[l]):")
        lines += [f"  ΔW[{l}] = {_array(e)}" for l, e in enumerate(out.expected, start=1)]
    lines.append("")
    if fail.mismatch is not None:
        lines.append(f"{fail.message}. The first layer that differs, going back from the output "
                     f"as backprop does, is ΔW[{fail.mismatch.layer}]; its worst entry:")
        lines.append(f"  {fail.mismatch}  (tolerance {rtol:g})")
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
    return "\n".join(lines)
