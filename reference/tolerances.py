"""The tolerances, by the dtype the kernel computed in, and the one import for the error measure.

A gradient entry's error is |got − expected| divided by its condition scale, the size that
first-order rounding-error analysis says the errors are proportional to; it is held to
``rtol_for(dtype)``. How the scale is built, where the oracles themselves limit it (saturation,
underflow, kinks), and the reasoning behind each tolerance: ``docs/numerics.md``.

The measure lives in two modules, and every public name of both is importable from here:
``reference.condition`` (``condition_scale``, ``loss_scale``, ``underflow_floor``,
``kink_ambiguous_layers``, ``KINK_ULPS``) and ``reference.compare`` (``relative_errors``,
``max_relative_error``, ``worst_mismatch``, ``assert_gradients_close``, ``GradientMismatch``,
``GradientsWithBiases``).
"""

from __future__ import annotations

import numpy as np

from .compare import (
    GradientMismatch,
    GradientsWithBiases,
    assert_gradients_close,
    max_relative_error,
    relative_errors,
    worst_mismatch,
)
from .condition import (
    KINK_ULPS,
    condition_scale,
    kink_ambiguous_layers,
    loss_scale,
    underflow_floor,
)

__all__ = [
    "ACTIVATION_FD_RTOL",
    "ACTIVATION_RTOL",
    "ENVELOPE_SAFETY",
    "FD_RTOL",
    "KINK_ULPS",
    "RTOL",
    "TAME_NET_INPUT",
    "UPDATE_ROUNDING",
    "GradientMismatch",
    "GradientsWithBiases",
    "assert_gradients_close",
    "condition_scale",
    "kink_ambiguous_layers",
    "loss_scale",
    "max_relative_error",
    "relative_errors",
    "rtol_for",
    "underflow_floor",
    "worst_mismatch",
]

RTOL: dict[np.dtype, float] = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 1e-4}
"""Allowed error / condition scale, by the dtype the kernel computed in: about 100 roundings
of eps (2e-14 in float64, 1.2e-5 in float32) with a margin (docs/numerics.md)."""

FD_RTOL = 1e-6
"""Allowed |finite difference − exact| / (condition scale + E at the stencil): the central
difference D(h) with h = eps^(1/3)·max(1, |w|) ≈ 6e-6 has rounding error ≈ n·eps·E(w ± h)/h ≈
4e-11·n·E(w ± h) for a loss summed from n ≤ 64 terms; the Richardson extrapolation
(4 D(h/2) − D(h))/3 used by ``finite_differences`` triples that (≈ 8e-9·E) and replaces the
truncation error h²·|f‴|/6 of D(h) (which reaches 1.7e-6 of the scale with large weights through
identity layers into tanh) by O(h⁴·|f⁽⁵⁾|); both stay below 1e-6 of that scale (the largest
ratio observed is printed by every test run)."""


TAME_NET_INPUT = 10.0
"""``check`` searches two families of networks: *tame* ones, scaled until every net input
|Z[l]| ≤ 10, where every usual formula is accurate (the unstable ones lose digits only in a
tail, by a factor ≈ e^|z|: log(1 + e^z) and ½(1 + tanh(z/2)) at z = −10 err by
eps · e^10 ≈ 5e-12 relative, float64), and wild ones, whose net inputs reach 1e4."""

ENVELOPE_SAFETY = 4.0
"""``check``'s line between rounding and wrong math is the rounding envelope of each network
(``reference.envelope``): S times the largest deviation from the oracle of the correct forms of
g and g′ run through that network in the function's working precision, plus ``RTOL`` of the
condition scale. S = 4: a student's formula of the same kind as one of the family (the same
cancellation, the same overflow) may order its few operations differently, and the digits lost
in the unstable step are the amplification (e^|z|, 1/|1 − σ|, ...) times the roundings made
there, 1 to 3; a factor 4 covers a form that rounds up to four times as often there. Wrong math
errs by O(1) of the gradient; the measured margins of the catalogue on both sides are in
docs/numerics.md, "The rounding envelope"."""

UPDATE_ROUNDING = 4.0
"""``check --returns update``: ΔW is recovered as (W_before − W_after)/α, and the roundings of
the update W − αΔW (≤ eps · |W_after| + eps · α|ΔW|), of the subtraction and of the division
leave an absolute error ≤ UPDATE_ROUNDING · eps · (|W_before| + |W_after|) / α per entry,
which is subtracted from the difference before dividing by the scale."""

ACTIVATION_RTOL: dict[np.dtype, float] = {np.dtype(np.float64): 1e-10,
                                           np.dtype(np.float32): 1e-4}
"""Allowed |g′(z) − jax.grad(g)(z)| / (|g′(z)| + |g(z)|/max(1, |z|) + tiny/eps), by the dtype
g′ was evaluated in. jax's derivative is computed from rounded intermediates of about the size
of g(z), so its error is ≈ c · eps · |g(z)|, at most c · eps · max(1, |z|) of the scale:
≤ 1e-10 for c ≤ 45 roundings up to |z| = 1e4. In float32, g′'s own few roundings of eps32 =
1.2e-7 dominate; 1e-4 as for the kernel (``RTOL``). A wrong g′ is off by O(1)."""

ACTIVATION_FD_RTOL: dict[np.dtype, float] = {np.dtype(np.float64): 1e-6,
                                              np.dtype(np.float32): 1e-4}
"""The same measure against a central difference of g in float64 with h = eps^(1/3) ≈ 6e-6:
its rounding error eps · |g| / h is ≈ 4e-11 · max(1, |z|) of the scale (≤ 4e-7 up to
|z| = 1e4) and its truncation h² |g‴| / 6 ≈ 6e-12 |g‴|; float32 g′ as above."""


def rtol_for(dtype: np.dtype | type) -> float:
    """The tolerance for a kernel that computed in ``dtype`` (float32 or float64)."""
    return RTOL[np.dtype(dtype)]
