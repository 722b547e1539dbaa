"""manual_backprop: the lecture's backpropagation ("역전파 2"), written by hand in numpy.

    import manual_backprop as mb
    mb.loss(weights, X, Y, activation="sigmoid")          # ½ΣΣ(Y − Ŷ)²
    mb.gradients(weights, X, Y, activation="sigmoid", hidden_error="exact")   # [ΔW[1], ...]
    mb.step(weights, X, Y, alpha, activation="sigmoid")   # [W[l] − α ΔW[l], ...]

Imports numpy and the standard library only; the oracles that verify it live in ``reference``.
"""

from .activations import ACTIVATIONS, Activation
from .backprop import ActivationSpec, Forward, Gradients, Parameters, forward, gradients, loss, step
from .elementwise import gradients_elementwise
from .validation import HIDDEN_ERRORS

__all__ = [
           "ACTIVATIONS",
           "HIDDEN_ERRORS",
           "Activation",
           "ActivationSpec",
           "Forward",
           "Gradients",
           "Parameters",
           "forward",
           "gradients",
           "gradients_elementwise",
           "loss",
           "step",
]

__version__ = "0.1.0"
