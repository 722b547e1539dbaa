"""The figure of ``manual-backprop xor --plot FILE.png``: both loss curves and both decision
regions. matplotlib is optional (the extra ``plot``) and imported only here, on call.

The figure's text is English in both languages: matplotlib's own font (DejaVu Sans) has no
Hangul, so Korean labels would be drawn as empty boxes (and warn "Glyph missing"), and a font
that has them is not something every machine has. The messages printed about the figure
(``matplotlib_missing``, and the CLI's) are translated."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..backprop import forward
from ..i18n import _
from .xor import X_XOR, Y_XOR, Run

__all__ = ["INSTALL_HINT", "decision_grid", "figure", "matplotlib_missing", "plot"]

INSTALL_HINT = "pip install '.[plot]'"
LABELS = {"exact": "exact  ΔW = ∂E/∂W", "lecture": "lecture  E[1] = W[2]ᵀE[2]"}


def matplotlib_missing() -> str | None:
    """None if matplotlib can be imported, else a one-line message saying how to install it."""
    try:
        found = importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        found = False
    if found:
        return None
    return _("--plot needs matplotlib, which is not installed: {hint}").format(hint=INSTALL_HINT)


def decision_grid(weights: list[Any], n: int = 201, lo: float = -0.5, hi: float = 1.5
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ŷ on an n × n grid over [lo, hi]²: returns (x1, x2, Ŷ), each of shape (n, n)."""
    x1, x2 = np.meshgrid(np.linspace(lo, hi, n), np.linspace(lo, hi, n))
    X = np.vstack([x1.ravel(), x2.ravel()])              # A[0]: (2, n²), one point per column
    Y_hat = forward(weights, X).A[-1].reshape(n, n)
    return x1, x2, Y_hat


def plot(runs: Mapping[str, Run], path: str, title: str = "XOR") -> None:
    """Write ``figure(runs, title)`` to ``path`` (a PNG)."""
    figure(runs, title).savefig(path, dpi=110)


def figure(runs: Mapping[str, Run], title: str = "XOR") -> Any:
    """One matplotlib Figure: loss per epoch (log scale) and the decision regions of both runs.

    runs: {"exact": Run, "lecture": Run} as returned by ``manual_backprop.teaching.xor.train``.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 4.2), layout="constrained")
    ax_loss, *ax_regions = fig.subplots(1, 3)
    colors = {"exact": "tab:blue", "lecture": "tab:orange"}
    for name, run in runs.items():
        epochs = np.arange(0, len(run.loss) + 1)
        ax_loss.plot(epochs, [run.initial_loss, *run.loss], color=colors[name],
                     label=LABELS[name])
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("E = ½ΣΣ(Y − Ŷ)²")
    ax_loss.set_title("loss")
    ax_loss.grid(True, which="both", alpha=0.3)
    ax_loss.legend()

    for ax, (name, run) in zip(ax_regions, runs.items()):
        x1, x2, Y_hat = decision_grid(run.weights)
        filled = ax.contourf(x1, x2, Y_hat, levels=np.linspace(0, 1, 11), cmap="RdBu_r",
                             vmin=0, vmax=1)
        ax.contour(x1, x2, Y_hat, levels=[0.5], colors="k", linewidths=1.5)
        for (a, b), y, p in zip(X_XOR.T, Y_XOR[0], run.predictions):
            ax.scatter([a], [b], s=120, c="white" if y == 0 else "black", edgecolors="k",
                       zorder=3)
            ax.annotate(f"ŷ={p:.3f}", (a, b), textcoords="offset points", xytext=(0, 11),
                        ha="center", fontsize=9, zorder=4)
        ax.set_title(f"{LABELS[name]}\nfinal E = {run.final_loss:.2e}")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.set_aspect("equal")
    fig.colorbar(filled, ax=ax_regions, label="Ŷ (black line: Ŷ = 0.5)", shrink=0.9)
    fig.suptitle(f"{title}    (● target 1, ○ target 0)")
    return fig
