"""How ``check`` calls a user's backprop function and reads its result, for every convention.

The lecture's convention (the default) is ``FUNC(weights, X, Y) -> [ΔW[1], ..., ΔW[L]]`` with
W[l] of shape (n_l, n_{l−1}), X (n_0, m) and Y (n_L, m), one sample per column, no biases, any
depth, and ΔW[l] = ∂E/∂W[l] of E = ½ΣΣ(Y − Ŷ)². A ``Convention`` changes one thing at a time:

    layers=N              the function handles depth N only
    layout="rows"         X (m, n_0), Y (m, n_L), W[l] (n_{l−1}, n_l), ΔW[l] returned so;
                          b[l] of shape (n_l,)
    loss="mean"           E = ½·(1/m)·ΣΣ(y − ŷ)²: the gradient is ΔW/m
    returns="update"      the function does W := W − αΔW itself and returns the new weights
                          (or updates the given arrays in place and returns None); a function
                          with one more parameter is given α = ``alpha`` (default 1), one
                          without uses its own step, which must be ``alpha``
    hidden_error="lecture"  compare with the lecture's E[l] = W[l+1]ᵀE[l+1] (not the gradient)
    biases=True           FUNC(weights, biases, X, Y) returns ΔW and Δb, b[l] of shape (n_l, 1)

How a function is called and read under a convention is ``reference.calling``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from manual_backprop.i18n import _, ngettext

__all__ = ["HIDDEN_ERRORS", "LAYOUTS", "LOSSES", "RETURNS", "Convention", "convention"]

LAYOUTS = ("columns", "rows")
LOSSES = ("sum", "mean")
RETURNS = ("gradient", "update")
HIDDEN_ERRORS = ("exact", "lecture")


@dataclass(frozen=True)
class Convention:
    """How the function is called and what it returns (module doc); the default is the
    lecture's."""

    layers: int | None = None
    layout: str = "columns"
    loss: str = "sum"
    returns: str = "gradient"
    alpha: float | None = None
    hidden_error: str = "exact"
    biases: bool = False

    @property
    def step(self) -> float:
        """α of ``returns="update"`` (1 unless given, as in the course's XOR script)."""
        return 1.0 if self.alpha is None else self.alpha

    def options(self) -> str:
        """The command-line options that select this convention ("" for the lecture's)."""
        out = []
        if self.layers is not None:
            out.append(f"--layers {self.layers}")
        if self.layout != "columns":
            out.append(f"--layout {self.layout}")
        if self.loss != "sum":
            out.append(f"--loss {self.loss}")
        if self.returns != "gradient":
            out.append(f"--returns {self.returns}")
            if self.alpha is not None:
                out.append(f"--alpha {self.alpha:g}")
        if self.hidden_error != "exact":
            out.append(f"--hidden-error {self.hidden_error}")
        if self.biases:
            out.append("--biases")
        return " ".join(out)

    def phrases(self) -> list[str]:
        """What this convention assumes, in words (empty for the lecture's), in the language of
        the output."""
        out = []
        if self.layers is not None:
            out.append(ngettext("it handles L = {n} layer only", "it handles L = {n} layers only",
                                self.layers).format(n=self.layers))
        if self.layout == "rows":
            out.append(_("samples are rows (X is (m, n_0), W[l] is (n_{l−1}, n_l))"))
        if self.loss == "mean":
            out.append(_("the loss is averaged over the batch (E = ½·(1/m)·ΣΣ(y − ŷ)²)"))
        if self.returns == "update":
            out.append(_("it takes the step W := W − αΔW itself, with α = {alpha:g}")
                       .format(alpha=self.step))
        if self.hidden_error == "lecture":
            out.append(_("it uses the lecture's hidden error E[l] = W[l+1]ᵀE[l+1] (not the "
                         "gradient)"))
        if self.biases:
            out.append(_("it takes biases: FUNC(weights, biases, X, Y) returning ΔW and Δb"))
        return out


def convention(*, layers: Any = None, layout: Any = "columns", loss: Any = "sum",
               returns: Any = "gradient", alpha: Any = None, hidden_error: Any = "exact",
               biases: Any = False) -> Convention:
    """A validated ``Convention`` (ValueError/TypeError naming the argument otherwise)."""
    if layers is not None and (isinstance(layers, bool) or not isinstance(layers, int)
                               or not 1 <= layers <= 4):
        raise ValueError(f"`layers` is {layers!r}; expected None (any depth 1–4) or a whole "
                         f"number from 1 to 4")
    for name, value, allowed in (("layout", layout, LAYOUTS), ("loss", loss, LOSSES),
                                 ("returns", returns, RETURNS),
                                 ("hidden_error", hidden_error, HIDDEN_ERRORS)):
        if value not in allowed:
            raise ValueError(f"`{name}` is {value!r}; expected one of "
                             f"{', '.join(map(repr, allowed))}")
    if alpha is not None:
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
            raise TypeError(f"`alpha` is a {type(alpha).__name__}; expected a number > 0")
        if not np.isfinite(alpha) or alpha <= 0:
            raise ValueError(f"`alpha` is {alpha!r}; expected a finite number > 0")
        if returns != "update":
            raise ValueError("`alpha` goes with returns='update' (the function takes the step "
                             "W := W − αΔW itself)")
        alpha = float(alpha)
    if not isinstance(biases, bool):
        raise TypeError(f"`biases` is a {type(biases).__name__}; expected True or False")
    return Convention(layers, layout, loss, returns, alpha, hidden_error, biases)
