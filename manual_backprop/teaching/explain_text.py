"""The text of ``manual-backprop explain``: the slides' steps 1–4 in their order, with numbers.

Headings carry the slides' Korean words with an English gloss; every number is printed with
6 decimals (scientific notation below 1e-4 or from 1e5 on, so nothing rounds to zero).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .explain import Explanation

__all__ = ["MAX_SAMPLES", "fmt", "matrix", "render", "side_by_side"]

MAX_SAMPLES = 8
"""Step 3's table shows at most this many samples (the sum always covers all of them)."""


def fmt(x: float) -> str:
    """One number: 6 decimals, or 4 significant decimals in scientific notation if tiny/huge."""
    x += 0.0                                  # −0.0 prints as 0.000000
    if x == 0 or 1e-4 <= abs(x) < 1e5:
        return f"{x:.6f}"
    return f"{x:.4e}"


def matrix(M: NDArray[np.floating]) -> list[str]:
    """A matrix as aligned text lines, one per row."""
    cells = [[fmt(float(v)) for v in row] for row in np.atleast_2d(M)]
    width = max(len(c) for row in cells for c in row)
    return ["[" + "  ".join(c.rjust(width) for c in row) + "]" for row in cells]


def side_by_side(blocks: Sequence[tuple[str, NDArray[np.floating]]], indent: str = "    ") -> str:
    """Several labelled matrices next to each other (labels on the first line)."""
    cols = [[label, *matrix(M)] for label, M in blocks]
    widths = [max(len(s) for s in col) for col in cols]
    rows = max(len(c) for c in cols)
    lines = []
    for i in range(rows):
        parts = [(col[i] if i < len(col) else "").ljust(w) for col, w in zip(cols, widths)]
        lines.append(indent + "   ".join(parts).rstrip())
    return "\n".join(lines)


def _show(label: str, M: NDArray[np.floating], indent: str = "    ") -> str:
    lines = matrix(M)
    pad = " " * (len(label) + 3)
    return "\n".join(indent + (f"{label} = " if i == 0 else pad) + line
                     for i, line in enumerate(lines))


def _sum(terms: list[float]) -> str:
    """t0 + t1 − t2 ... with the signs written once."""
    text = fmt(terms[0])
    for x in terms[1:]:
        text += f" {'−' if x < 0 else '+'} {fmt(abs(x))}"
    return text


def _heading(title: str) -> str:
    return f"\n{title}\n{'─' * min(len(title) + 8, 96)}"


def _jax_note(ex: Explanation, l: int) -> str:
    if ex.jax_grad is None:
        return "    (jax is not installed: no jax.grad column)"
    diff = float(np.max(np.abs(ex.dW["exact"][l] - ex.jax_grad[l])))
    gap = float(np.max(np.abs(ex.dW["lecture"][l] - ex.jax_grad[l])))
    return (f"    max |exact − jax.grad| = {diff:.1e}      "
            f"max |lecture − jax.grad| = {gap:.1e}")


def _dW_blocks(ex: Explanation, l: int, both: bool) -> list[tuple[str, NDArray[np.floating]]]:
    blocks: list[tuple[str, NDArray[np.floating]]] = [(f"ΔW[{l}] exact", ex.dW["exact"][l])]
    if both:
        blocks.append((f"ΔW[{l}] lecture", ex.dW["lecture"][l]))
    if ex.jax_grad is not None:
        blocks.append((f"jax.grad ∂E/∂W[{l}]", ex.jax_grad[l]))
    return blocks


def _steps_1_to_4(ex: Explanation) -> list[str]:
    L, t = ex.L, ex.weight
    prev = "은닉층 (hidden layer)" if L > 1 else "입력층 (input layer)"
    out = [_heading(f"1단계 (step 1): W[{L}] := W[{L}] − αΔW[{L}] = W[{L}] − α ∂E/∂W[{L}]"),
           "    경사하강법 (gradient descent): adjust W to make the error E smaller.",
           "    문제는? 행렬 미분의 어려움 (differentiating by a matrix is hard)"
           f" → 해결책: one weight w_jk[{L}] at a time:",
           f"    w_jk[{L}] = the weight between node j of the {prev} and node k of the output "
           f"layer; here j = {t.j}, k = {t.k} (counted from 0).",
           f"    ⚠ index warning: w_jk is stored at W[{L}][k, j] = W[{L}][{t.k}, {t.j}] = "
           f"{fmt(t.w_jk)}: W[{L}] has shape (n_out, n_in) = {ex.W[L].shape}, row k, column j.",
           _heading("2단계 (step 2): w_jk := w_jk − α ∂E/∂w_jk,  ∂E/∂w_jk = −(y_k − ŷ_k) "
                    "∂ŷ_k/∂w_jk"),
           "    ∂/∂w_jk ½Σ_m (y_m − ŷ_m)²: only output node k depends on w_jk, and "
           "합성함수 미분법 (the chain rule) gives −(y_k − ŷ_k) ∂ŷ_k/∂w_jk.",
           f"    y_k − ŷ_k = {', '.join(map(fmt, t.error))}"
           + ("   (one value per sample)" if ex.m > 1 else ""),
           _heading("3단계 (step 3): Δw_jk = ∂E/∂w_jk = −(y_k − ŷ_k) · g′(z_k) · a_j"),
           "    ∂ŷ_k/∂w_jk = ∂g(z_k)/∂w_jk = g′(z_k) ∂z_k/∂w_jk = g′(z_k) · a_j   "
           "(∵ z_k = Σ_j w_jk a_j)",
           f"    {'sample':>8}{'−(y_k − ŷ_k)':>16}{'g′(z_k)':>14}{'a_j':>14}{'product':>14}"]
    rows = list(enumerate(zip(t.error, t.g_prime, t.a_j, t.terms)))
    for s, (e, g, a, term) in rows[:MAX_SAMPLES]:
        out.append(f"    {s:>8}{fmt(-e):>16}{fmt(g):>14}{fmt(a):>14}{fmt(term):>14}")
    if ex.m > MAX_SAMPLES:
        out.append(f"    {'...':>8}   ({ex.m - MAX_SAMPLES} more samples)")
    out += [f"    Δw_jk = {_sum(t.terms) + ' = ' if 1 < ex.m <= MAX_SAMPLES else ''}"
            f"{'Σ over the samples = ' if ex.m > MAX_SAMPLES else ''}{fmt(t.dw_jk)}"
            "   (error of output node k × slope of g at its net input z_k × output of node j)",
            f"    the matrix form (step 4) puts it at ΔW[{L}][k, j] = ΔW[{L}][{t.k}, {t.j}] = "
            f"{fmt(t.matrix_entry)}",
            _heading(f"4단계 (step 4): ΔW[{L}] = ∂E/∂W[{L}] = −E[{L}] · g′(Z[{L}]) · "
                     f"A[{L - 1}]ᵀ   (first · elementwise ⊙, second a matrix product)"),
            _show(f"E[{L}] = Y − Ŷ", ex.E["exact"][L]),
            _show(f"g′(Z[{L}])", ex.g_prime[L]),
            _show(f"A[{L - 1}]ᵀ", ex.A[L - 1].T),
            side_by_side(_dW_blocks(ex, L, both=False)),
            _jax_note(ex, L),
            f"    ΔW[{L}] of the last layer needs no hidden error: the same under both "
            "definitions."]
    return out


def _hidden_layer(ex: Explanation, l: int) -> list[str]:
    out = [_heading(f"W[{l}] 의 오차함수 미분 (differentiating E by W[{l}]): ΔW[{l}] = "
                    f"−E[{l}] · g′(Z[{l}]) · A[{l - 1}]ᵀ"),
           f"    은닉층의 오차 E[{l}] (hidden error), two definitions:",
           f"      lecture 8-3:            E[{l}] = W[{l + 1}]ᵀ E[{l + 1}]",
           f"      exact (chain rule):     E[{l}] = W[{l + 1}]ᵀ (E[{l + 1}] ⊙ g′(Z[{l + 1}]))",
           side_by_side([(f"E[{l}] lecture", ex.E["lecture"][l]),
                         (f"E[{l}] exact", ex.E["exact"][l])]),
           _show(f"g′(Z[{l}])", ex.g_prime[l]),
           side_by_side(_dW_blocks(ex, l, both=True)),
           _jax_note(ex, l)]
    if np.array_equal(ex.dW["lecture"][l], ex.dW["exact"][l]):
        out.append("    The two agree here: every later layer is linear (g′ ≡ 1) or the "
                   "difference vanishes.")
    else:
        out.append(f"    The lecture's ΔW[{l}] is not ∂E/∂W[{l}]: its E[{l}] skips the factor "
                   f"g′(Z[{l + 1}]) of the chain rule (docs/hidden-error.md).")
    return out


def _update(ex: Explanation) -> list[str]:
    out = [_heading("역전파의 가중치 조정 (the weight update): W[l] := W[l] − αΔW[l] = W[l] + "
                    "α E[l] · g′(Z[l]) · A[l−1]ᵀ"),
           f"    α = {ex.alpha:g}"]
    for l in range(ex.L, 0, -1):
        blocks: list[tuple[str, NDArray[np.floating]]]
        if l == ex.L:       # the last layer's ΔW is the same under both definitions
            blocks = [(f"W[{l}] now", ex.W[l]), (f"new W[{l}] (both)", ex.W_new["exact"][l])]
        else:
            blocks = [(f"W[{l}] now", ex.W[l]), (f"new W[{l}] exact", ex.W_new["exact"][l]),
                      (f"new W[{l}] lecture", ex.W_new["lecture"][l])]
        out.append(side_by_side(blocks))
    out.append(f"    E after one step: {fmt(ex.loss_new['exact'])} (exact), "
               f"{fmt(ex.loss_new['lecture'])} (lecture); before: {fmt(ex.loss)}")
    return out


def render(ex: Explanation, default_example: bool = True) -> str:
    """The whole explanation as text."""
    L = ex.L
    widths = "-".join(str(ex.A[l].shape[0]) for l in range(L + 1))
    acts = ex.activation[0] if len(set(ex.activation)) == 1 else ", ".join(ex.activation)
    source = ("the worked example of lecture 8-3" if default_example
              else "your network")
    out = ["역전파 2 (Backpropagation 2): the lecture's derivation with numbers",
           f"{source}: {widths} (L = {L}), g = {acts}, m = {ex.m} sample(s), α = {ex.alpha:g}",
           "Notation as in the slides: W[l] has shape (n_l, n_{l−1}), one sample per column."]
    if L != 2:
        out.append(f"The slides draw L = 2; with L = {L} steps 1–4 are about the last layer "
                   f"W[{L}], and the W[1] section is repeated for every earlier layer."
                   if L > 2 else "With L = 1 there is no hidden layer and no hidden error: "
                   "steps 1–4 are the whole story.")
    out.append(_heading("순전파 (forward pass)"))
    out += [_show(f"W[{l}]", ex.W[l]) for l in range(1, L + 1)]
    out += [_show("A[0] = X", ex.A[0]), _show("Y", ex.Y)]
    for l in range(1, L + 1):
        out.append(_show(f"Z[{l}] = W[{l}] A[{l - 1}]", ex.Z[l]) + "      순입력 (net input)")
        name = f"Ŷ = A[{l}] = g(Z[{l}])" if l == L else f"A[{l}] = g(Z[{l}])"
        out.append(_show(name, ex.A[l]) + ("      예측값 (prediction)" if l == L
                                           else "      활성화 함수 (activation)"))
    out.append(f"    E = ½ΣΣ(Y − Ŷ)² = {fmt(ex.loss)}      오차함수 (error function)")
    out.append(_show(f"E[{L}] = Y − Ŷ", ex.E["exact"][L]) + "      출력층의 오차 (output error)")
    out += _steps_1_to_4(ex)
    for l in range(L - 1, 0, -1):
        out += _hidden_layer(ex, l)
    out += _update(ex)
    return "\n".join(out)
