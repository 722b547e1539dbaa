"""The XOR network of lectures 9-2/9-3, trained twice.

    A[0] = X = [[0, 0, 1, 1],          Y = [[0, 1, 1, 0]]          (one sample per column)
                [0, 1, 0, 1]]
    2-N-1 network (N = 4 by default), no biases, sigmoid in both layers,
    W[1], W[2] uniform in [−1, 1) from ``numpy.random.default_rng(seed)`` (W[1] drawn first),
    full batch: every epoch is one step W[l] := W[l] − α ΔW[l] on all four samples.

The same initial weights are trained with the exact gradient (hidden_error="exact") and with
the lecture's hidden error E[1] = W[2]ᵀE[2] (hidden_error="lecture"), side by side.
``loss[e]`` is E = ½ΣΣ(Y − Ŷ)² after e + 1 epochs; "epochs to E < t" is the first epoch
(1-based) whose loss is below t, or None if it never gets there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..backprop import forward, loss, step
from ..validation import HIDDEN_ERRORS

__all__ = ["THRESHOLDS", "X_XOR", "Y_XOR", "Run", "initial_weights", "train"]

F64 = NDArray[np.float64]
Array = NDArray[np.floating]

X_XOR: F64 = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
"""The four inputs as columns, in the order (0,0), (0,1), (1,0), (1,1): shape (2, 4)."""
Y_XOR: F64 = np.array([[0.0, 1.0, 1.0, 0.0]])
"""The targets, shape (1, 4)."""
THRESHOLDS = (0.1, 0.05, 0.02, 0.01)
"""The loss levels E < t whose first epoch is reported."""


@dataclass(frozen=True)
class Run:
    """One training run.

    hidden_error: "exact" or "lecture". weights: the final [W[1] (N, 2), W[2] (1, N)].
    loss: E after each epoch, length ``epochs``. predictions: Ŷ for the four inputs, shape (4,).
    epochs_to: threshold t -> first epoch (1-based) with E < t, or None.
    """

    hidden_error: str
    weights: list[Array]
    initial_loss: float
    loss: list[float]
    predictions: list[float]
    epochs_to: dict[float, int | None]

    @property
    def final_loss(self) -> float:
        return self.loss[-1] if self.loss else self.initial_loss

    def to_json(self) -> dict[str, Any]:
        return {"predictions": self.predictions, "loss": self.loss,
                "final_loss": self.final_loss, "initial_loss": self.initial_loss,
                "epochs_to_loss": {str(t): e for t, e in self.epochs_to.items()},
                "weights": [W.tolist() for W in self.weights]}


def initial_weights(seed: int, hidden: int = 4) -> list[F64]:
    """[W[1] (hidden, 2), W[2] (1, hidden)], uniform in [−1, 1) from ``default_rng(seed)``."""
    if hidden < 1:
        raise ValueError(f"`hidden` must be at least 1, got {hidden}")
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.0, 1.0, (hidden, 2)), rng.uniform(-1.0, 1.0, (1, hidden))]


def _first_below(losses: Sequence[float], t: float) -> int | None:
    """The first epoch (1-based) whose loss is below t, or None."""
    return next((e + 1 for e, E in enumerate(losses) if E < t), None)


def train(weights: Sequence[F64], epochs: int = 1000, alpha: float = 1.0,
          hidden_error: str = "exact",
          thresholds: Sequence[float] = THRESHOLDS) -> Run:
    """Full-batch gradient descent on XOR from ``weights`` ([W[1] (N, 2), W[2] (1, N)]).

    epochs: number of steps (≥ 0); alpha: step size α; hidden_error: "exact" or "lecture".
    """
    if hidden_error not in HIDDEN_ERRORS:
        raise ValueError(f"`hidden_error` is {hidden_error!r}; expected one of {HIDDEN_ERRORS}")
    if epochs < 0:
        raise ValueError(f"`epochs` must be ≥ 0, got {epochs}")
    W: list[Array] = [np.array(w, dtype=np.float64) for w in weights]
    initial = loss(W, X_XOR, Y_XOR)
    history: list[float] = []
    for _ in range(epochs):
        W = step(W, X_XOR, Y_XOR, alpha, hidden_error=hidden_error)   # W[l] := W[l] − α ΔW[l]
        history.append(loss(W, X_XOR, Y_XOR))
    epochs_to = {t: _first_below(history, t) for t in thresholds}
    predictions = forward(W, X_XOR).A[-1].ravel().tolist()
    return Run(hidden_error, W, initial, history, predictions, epochs_to)
