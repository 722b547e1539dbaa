"""reference: everything that verifies ``manual_backprop``.

* ``gradients`` / ``loss`` — ``jax.grad`` of ½ΣΣ(Y − Ŷ)² in float64 (the first oracle);
* ``finite_differences`` — central differences in float64 (the second, independent oracle);
* ``check_activation`` — a user's g′ against jax.grad of g (or finite differences), with a report;
* ``check_backprop`` / ``assert_backprop_correct`` — a user's whole backprop function against
  jax.grad on Hypothesis-generated networks, with the minimal failing network and a diagnosis;
* ``tolerances`` — the tolerances, and (re-exported from ``condition`` and ``compare``) the
  error measure: the condition scale and the comparisons (explained in docs/numerics.md);
* ``strategies`` — Hypothesis strategies that generate random networks.

Importing this module leaves jax's configuration alone: the oracles compute in float64 in
jax's 64-bit mode switched on for each call only (``reference.jax_scope``), so a float32 jax
program that imports ``reference`` keeps computing in float32.
"""

from . import strategies, tolerances
from .activation_check import ActivationCheck, check_activation
from .check import CheckResult, assert_backprop_correct, check_backprop
from .finite_differences import FiniteDifferences, finite_differences
from .jax_oracle import gradients, gradients_unpadded, loss
from .strategies import Network, networks
from .tolerances import (
                         FD_RTOL,
                         RTOL,
                         GradientsWithBiases,
                         assert_gradients_close,
                         condition_scale,
                         max_relative_error,
                         rtol_for,
)

__all__ = [
                         "FD_RTOL",
                         "RTOL",
                         "ActivationCheck",
                         "CheckResult",
                         "FiniteDifferences",
                         "GradientsWithBiases",
                         "Network",
                         "assert_backprop_correct",
                         "assert_gradients_close",
                         "check_activation",
                         "check_backprop",
                         "condition_scale",
                         "finite_differences",
                         "gradients",
                         "gradients_unpadded",
                         "loss",
                         "max_relative_error",
                         "networks",
                         "rtol_for",
                         "strategies",
                         "tolerances",
]
