"""reference: everything that verifies ``manual_backprop``.

* ``gradients`` / ``loss`` — ``jax.grad`` of ½ΣΣ(Y − Ŷ)² in float64 (the first oracle);
* ``finite_differences`` — central differences in float64 (the second, independent oracle);
* ``tolerances`` — the one place where tolerances and the error measure are defined;
* ``strategies`` — Hypothesis strategies that generate random networks.

Importing this module switches jax to 64-bit mode (``jax_enable_x64``).
"""

from . import strategies, tolerances
from .finite_differences import FiniteDifferences, finite_differences
from .jax_oracle import gradients, gradients_unpadded, loss
from .strategies import Network, networks
from .tolerances import (
                         FD_RTOL,
                         RTOL,
                         assert_gradients_close,
                         condition_scale,
                         max_relative_error,
                         rtol_for,
)

__all__ = [
                         "FD_RTOL",
                         "RTOL",
                         "FiniteDifferences",
                         "Network",
                         "assert_gradients_close",
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
