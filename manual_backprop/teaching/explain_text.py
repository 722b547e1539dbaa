"""The text of ``manual-backprop explain``: the slides' steps 1–4 in their order, with numbers.

In English, headings carry the slides' Korean words with an English gloss; in Korean
(``--lang ko``, the catalogue ``manual_backprop/i18n/ko/explain.po``) the text is the
lecture's handout, without glosses. Every number is printed with 6 decimals (scientific
notation below 1e-4 or from 1e5 on, so nothing rounds to zero), the same in both languages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..i18n import _, columns, pad
from .explain import Explanation

__all__ = ["MAX_SAMPLES", "fmt", "matrix", "render", "side_by_side"]

MAX_SAMPLES = 8
"""Step 3's table shows at most this many samples (the sum always covers all of them)."""

IND = "    "
"""The indent of a section's lines (messages are translated without it)."""
NOTE = "      "
"""What separates a matrix from the note on its right (순입력, 예측값, ...)."""


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
    """Several labelled matrices next to each other (labels on the first line, aligned by
    terminal columns, so that Korean labels stay above their matrices)."""
    cols = [[label, *matrix(M)] for label, M in blocks]
    widths = [max(columns(s) for s in col) for col in cols]
    rows = max(len(c) for c in cols)
    lines = []
    for i in range(rows):
        parts = [pad(col[i] if i < len(col) else "", w) for col, w in zip(cols, widths)]
        lines.append(indent + "   ".join(parts).rstrip())
    return "\n".join(lines)


def _show(label: str, M: NDArray[np.floating], indent: str = "    ") -> str:
    lines = matrix(M)
    under = " " * (columns(label) + 3)                 # below "label = "
    return "\n".join(indent + (f"{label} = " if i == 0 else under) + line
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
        return IND + _("(jax is not installed: no jax.grad column)")
    diff = float(np.max(np.abs(ex.dW["exact"][l] - ex.jax_grad[l])))
    gap = float(np.max(np.abs(ex.dW["lecture"][l] - ex.jax_grad[l])))
    return IND + _("max |exact − jax.grad| = {diff:.1e}      "
                   "max |lecture − jax.grad| = {gap:.1e}").format(diff=diff, gap=gap)


def _dW_blocks(ex: Explanation, l: int, both: bool) -> list[tuple[str, NDArray[np.floating]]]:
    blocks: list[tuple[str, NDArray[np.floating]]] = [
        (_("ΔW[{l}] exact").format(l=l), ex.dW["exact"][l])]
    if both:
        blocks.append((_("ΔW[{l}] lecture").format(l=l), ex.dW["lecture"][l]))
    if ex.jax_grad is not None:
        blocks.append((f"jax.grad ∂E/∂W[{l}]", ex.jax_grad[l]))
    return blocks


def _step_3_sum(ex: Explanation) -> str:
    """Step 3's Δw_jk: the samples' terms added up (written out for up to MAX_SAMPLES)."""
    t = ex.weight
    if ex.m == 1:
        text = _("Δw_jk = {dw}   (error of output node k × slope of g at its net input z_k × "
                 "output of node j)")
    elif ex.m <= MAX_SAMPLES:
        text = _("Δw_jk = {terms} = {dw}   (error of output node k × slope of g at its net "
                 "input z_k × output of node j)")
    else:
        text = _("Δw_jk = Σ over the samples = {dw}   (error of output node k × slope of g at "
                 "its net input z_k × output of node j)")
    return IND + text.format(terms=_sum(t.terms), dw=fmt(t.dw_jk))


def _steps_1_to_4(ex: Explanation) -> list[str]:
    L, t = ex.L, ex.weight
    if L > 1:
        which = _("w_jk[{L}] = the weight between node j of the 은닉층 (hidden layer) and node k "
                  "of the output layer; here j = {j}, k = {k} (counted from 0).")
    else:
        which = _("w_jk[{L}] = the weight between node j of the 입력층 (input layer) and node k "
                  "of the output layer; here j = {j}, k = {k} (counted from 0).")
    if ex.m > 1:
        error = _("y_k − ŷ_k = {values}   (one value per sample)")
    else:
        error = _("y_k − ŷ_k = {values}")
    out = [_heading(_("1단계 (step 1): W[{L}] := W[{L}] − αΔW[{L}] = W[{L}] − α ∂E/∂W[{L}]"
                      ).format(L=L)),
           IND + _("경사하강법 (gradient descent): adjust W to make the error E smaller."),
           IND + _("문제는? 행렬 미분의 어려움 (differentiating by a matrix is hard) → 해결책: "
                   "one weight w_jk[{L}] at a time:").format(L=L),
           IND + which.format(L=L, j=t.j, k=t.k),
           IND + _("⚠ index warning: w_jk is stored at W[{L}][k, j] = W[{L}][{k}, {j}] = "
                   "{w_jk}: W[{L}] has shape (n_out, n_in) = {shape}, row k, column j."
                   ).format(L=L, j=t.j, k=t.k, w_jk=fmt(t.w_jk), shape=ex.W[L].shape),
           _heading(_("2단계 (step 2): w_jk := w_jk − α ∂E/∂w_jk,  ∂E/∂w_jk = −(y_k − ŷ_k) "
                      "∂ŷ_k/∂w_jk")),
           IND + _("∂/∂w_jk ½Σ_m (y_m − ŷ_m)²: only output node k depends on w_jk, and "
                   "합성함수 미분법 (the chain rule) gives −(y_k − ŷ_k) ∂ŷ_k/∂w_jk."),
           IND + error.format(values=", ".join(map(fmt, t.error))),
           _heading(_("3단계 (step 3): Δw_jk = ∂E/∂w_jk = −(y_k − ŷ_k) · g′(z_k) · a_j")),
           IND + _("∂ŷ_k/∂w_jk = ∂g(z_k)/∂w_jk = g′(z_k) ∂z_k/∂w_jk = g′(z_k) · a_j   "
                   "(∵ z_k = Σ_j w_jk a_j)"),
           # the table's head: columns 8, 16, 14, 14 and 14 wide, as the rows below
           IND + _("  sample    −(y_k − ŷ_k)       g′(z_k)           a_j       product")]
    rows = list(enumerate(zip(t.error, t.g_prime, t.a_j, t.terms)))
    for s, (e, g, a, term) in rows[:MAX_SAMPLES]:
        out.append(f"{IND}{s:>8}{fmt(-e):>16}{fmt(g):>14}{fmt(a):>14}{fmt(term):>14}")
    if ex.m > MAX_SAMPLES:
        out.append(f"{IND}{'...':>8}   "
                   + _("({n} more samples)").format(n=ex.m - MAX_SAMPLES))
    out += [_step_3_sum(ex),
            IND + _("the matrix form (step 4) puts it at ΔW[{L}][k, j] = ΔW[{L}][{k}, {j}] = "
                    "{entry}").format(L=L, j=t.j, k=t.k, entry=fmt(t.matrix_entry)),
            _heading(_("4단계 (step 4): ΔW[{L}] = ∂E/∂W[{L}] = −E[{L}] · g′(Z[{L}]) · "
                       "A[{prev}]ᵀ   (first · elementwise ⊙, second a matrix product)"
                       ).format(L=L, prev=L - 1)),
            _show(f"E[{L}] = Y − Ŷ", ex.E["exact"][L]),
            _show(f"g′(Z[{L}])", ex.g_prime[L]),
            _show(f"A[{L - 1}]ᵀ", ex.A[L - 1].T),
            side_by_side(_dW_blocks(ex, L, both=False)),
            _jax_note(ex, L),
            IND + _("ΔW[{L}] of the last layer needs no hidden error: the same under both "
                    "definitions.").format(L=L)]
    return out


def _hidden_layer(ex: Explanation, l: int) -> list[str]:
    out = [_heading(_("W[{l}] 의 오차함수 미분 (differentiating E by W[{l}]): ΔW[{l}] = "
                      "−E[{l}] · g′(Z[{l}]) · A[{prev}]ᵀ").format(l=l, prev=l - 1)),
           IND + _("은닉층의 오차 E[{l}] (hidden error), two definitions:").format(l=l),
           # the two definitions' formulas start in the same column
           IND + _("  lecture 8-3:            E[{l}] = W[{next}]ᵀ E[{next}]"
                   ).format(l=l, next=l + 1),
           IND + _("  exact (chain rule):     E[{l}] = W[{next}]ᵀ (E[{next}] ⊙ g′(Z[{next}]))"
                   ).format(l=l, next=l + 1),
           side_by_side([(_("E[{l}] lecture").format(l=l), ex.E["lecture"][l]),
                         (_("E[{l}] exact").format(l=l), ex.E["exact"][l])]),
           _show(f"g′(Z[{l}])", ex.g_prime[l]),
           side_by_side(_dW_blocks(ex, l, both=True)),
           _jax_note(ex, l)]
    if np.array_equal(ex.dW["lecture"][l], ex.dW["exact"][l]):
        out.append(IND + _("The two agree here: every later layer is linear (g′ ≡ 1) or the "
                           "difference vanishes."))
    else:
        out.append(IND + _("The lecture's ΔW[{l}] is not ∂E/∂W[{l}]: its E[{l}] skips the "
                           "factor g′(Z[{next}]) of the chain rule (docs/hidden-error.md)."
                           ).format(l=l, next=l + 1))
    return out


def _update(ex: Explanation) -> list[str]:
    out = [_heading(_("역전파의 가중치 조정 (the weight update): W[l] := W[l] − αΔW[l] = W[l] + "
                      "α E[l] · g′(Z[l]) · A[l−1]ᵀ")),
           IND + _("α = {alpha:g}").format(alpha=ex.alpha)]
    for l in range(ex.L, 0, -1):
        now = _("W[{l}] now").format(l=l)
        blocks: list[tuple[str, NDArray[np.floating]]]
        if l == ex.L:       # the last layer's ΔW is the same under both definitions
            blocks = [(now, ex.W[l]),
                      (_("new W[{l}] (both)").format(l=l), ex.W_new["exact"][l])]
        else:
            blocks = [(now, ex.W[l]),
                      (_("new W[{l}] exact").format(l=l), ex.W_new["exact"][l]),
                      (_("new W[{l}] lecture").format(l=l), ex.W_new["lecture"][l])]
        out.append(side_by_side(blocks))
    out.append(IND + _("E after one step: {exact} (exact), {lecture} (lecture); before: "
                       "{before}").format(exact=fmt(ex.loss_new["exact"]),
                                          lecture=fmt(ex.loss_new["lecture"]),
                                          before=fmt(ex.loss)))
    return out


def render(ex: Explanation, default_example: bool = True) -> str:
    """The whole explanation as text, in the current language (``manual_backprop.i18n``)."""
    L = ex.L
    widths = "-".join(str(ex.A[l].shape[0]) for l in range(L + 1))
    acts = ex.activation[0] if len(set(ex.activation)) == 1 else ", ".join(ex.activation)
    if default_example:
        source = _("the worked example of lecture 8-3: {widths} (L = {L}), g = {g}, "
                   "m = {m} sample(s), α = {alpha:g}")
    else:
        source = _("your network: {widths} (L = {L}), g = {g}, m = {m} sample(s), "
                   "α = {alpha:g}")
    out = [_("역전파 2 (Backpropagation 2): the lecture's derivation with numbers"),
           source.format(widths=widths, L=L, g=acts, m=ex.m, alpha=ex.alpha),
           # printed as it is, never .format()ted: n_{l−1} is not a placeholder
           _("Notation as in the slides: W[l] has shape (n_l, n_{l−1}), one sample per "
             "column.")]
    if L > 2:
        out.append(_("The slides draw L = 2; with L = {L} steps 1–4 are about the last layer "
                     "W[{L}], and the W[1] section is repeated for every earlier layer."
                     ).format(L=L))
    elif L == 1:
        out.append(_("With L = 1 there is no hidden layer and no hidden error: steps 1–4 are "
                     "the whole story."))
    out.append(_heading(_("순전파 (forward pass)")))
    out += [_show(f"W[{l}]", ex.W[l]) for l in range(1, L + 1)]
    out += [_show("A[0] = X", ex.A[0]), _show("Y", ex.Y)]
    for l in range(1, L + 1):
        out.append(_show(f"Z[{l}] = W[{l}] A[{l - 1}]", ex.Z[l]) + NOTE + _("순입력 (net input)"))
        if l == L:
            out.append(_show(f"Ŷ = A[{l}] = g(Z[{l}])", ex.A[l])
                       + NOTE + _("예측값 (prediction)"))
        else:
            out.append(_show(f"A[{l}] = g(Z[{l}])", ex.A[l])
                       + NOTE + _("활성화 함수 (activation)"))
    out.append(IND + _("E = ½ΣΣ(Y − Ŷ)² = {loss}      오차함수 (error function)"
                       ).format(loss=fmt(ex.loss)))
    out.append(_show(f"E[{L}] = Y − Ŷ", ex.E["exact"][L])
               + NOTE + _("출력층의 오차 (output error)"))
    out += _steps_1_to_4(ex)
    for l in range(L - 1, 0, -1):
        out += _hidden_layer(ex, l)
    out += _update(ex)
    return "\n".join(out)
