"""Check a user's derivative g′ against ``jax.grad`` of g (or finite differences) over a range.

    report = reference.check_activation(g, g_prime)          # or check_activation((g, g_prime))
    print(report)                                            # a clear, multi-line report
    assert report.ok, report

How: the points z are ``np.linspace(lo, hi, n)`` plus the kink neighbourhood {0, ±tiny, ±1e-300,
±1e-8, ±1} (or your own ``z``). The expected g′(z) is ``jax.grad`` of g when g is
jax-traceable (written with ``jax.numpy`` or plain arithmetic), else — or with
``method="fd"`` — the central difference (g(z + h) − g(z − h)) / 2h
with h = eps^(1/3); there, points where the forward and backward differences disagree (g′
jumps inside the stencil: a kink) are skipped and counted. Each point's error is divided by
|g′(z)| + |g(z)| / max(1, |z|) + tiny / eps and compared with ``ACTIVATION_RTOL`` or
``ACTIVATION_FD_RTOL`` (their reasoning is in ``docs/numerics.md``). At a kink the
expected value is jax's convention (relu′(0) = 0, leaky_relu′(0) = 1), as in the kernel.
A g′ that returns non-finite values, the wrong shape, or emits a floating-point warning fails.
g (the reference side) is evaluated in jax's 64-bit mode, switched on for the call only; g′ is
called as it is, in whatever mode the caller's jax is in.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from numpy.typing import ArrayLike, NDArray

from manual_backprop.i18n import _

from .jax_scope import x64
from .tolerances import ACTIVATION_FD_RTOL, ACTIVATION_RTOL

__all__ = ["ActivationCheck", "check_activation"]

F64 = NDArray[np.float64]
_TINY = float(np.finfo(np.float64).tiny)
_EPS = float(np.finfo(np.float64).eps)
_NEAR_KINK = (0.0, _TINY, -_TINY, 1e-300, -1e-300, 1e-8, -1e-8, 1.0, -1.0)


@dataclass(frozen=True)
class ActivationCheck:
    """The outcome of ``check_activation``; ``bool(check)`` is ``check.ok``."""

    name: str
    ok: bool
    method: str                 # "jax.grad" or "finite differences"
    dtype: str                  # the dtype g′ was evaluated in
    points: int                 # points compared
    skipped: tuple[float, ...]  # finite differences: points where g′ jumps inside the stencil
    worst_z: float
    got: float                  # the user's g′(worst_z)
    expected: float
    relative_error: float
    rtol: float
    failures: tuple[tuple[float, float, float, float], ...] = ()  # (z, got, expected, rel)
    problems: tuple[str, ...] = field(default=())                  # shape, finiteness, warnings

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        """The report, in the language of the output."""
        if self.ok:
            head = _("{name}: g′ agrees with {method} of g at {points} points ({dtype}); largest "
                     "relative error {error:.3g} (allowed {rtol:g}) at z = {z}: g′ = {got}, "
                     "expected {expected}")
        else:
            head = _("{name}: g′ DISAGREES with {method} of g at {points} points ({dtype}); "
                     "largest relative error {error:.3g} (allowed {rtol:g}) at z = {z}: g′ = "
                     "{got}, expected {expected}")
        method = (_("finite differences") if self.method == "finite differences"
                  else self.method)
        lines = [head.format(name=self.name, method=method, points=self.points,
                             dtype=self.dtype, error=self.relative_error, rtol=self.rtol,
                             z=repr(self.worst_z), got=repr(self.got),
                             expected=repr(self.expected))]
        for z, got, exp, rel in self.failures:
            if rel > 1e100:
                text = _("z = {z}: g′(z) = {got}, expected {expected} (where g and g′ are "
                         "exactly 0)")
            else:
                text = _("z = {z}: g′(z) = {got}, expected {expected} (relative error "
                         "{error:.3g})")
            lines.append("  " + text.format(z=repr(z), got=repr(got), expected=repr(exp),
                                            error=rel))
        if len(self.failures) == 10:
            lines.append("  " + _("... (first 10 disagreements shown)"))
        lines += [f"  {p}" for p in self.problems]
        if self.skipped:
            lines.append("  " + _("skipped {n} point(s) where g′ jumps inside the difference "
                                  "stencil (a kink), e.g. z = {z}").format(
                                      n=len(self.skipped), z=repr(self.skipped[0])))
        return "\n".join(lines)


def _jax_derivative(g: Callable[[Any], Any], z: F64) -> F64 | None:
    """jax.grad of g at every z, or None if g is not jax-traceable."""
    try:
        d = jax.vmap(jax.grad(lambda t: jnp.reshape(g(t), ())))(jnp.asarray(z))
        return np.asarray(d, dtype=np.float64)
    except Exception:  # numpy calls on tracers, Python control flow on values, ...
        return None


def _numpy(f: Callable[[Any], Any], z: F64) -> F64:
    return np.asarray(f(z), dtype=np.float64)


def _finite_difference(g: Callable[[Any], Any], z: F64) -> tuple[F64, NDArray[np.bool_]]:
    """Central differences and a mask of the points where g′ jumps inside the stencil.

    h = eps^(1/3) (an activation's natural length scale is 1, not |z|), taken as the exactly
    representable steps (z + h) − z. A kink: the one-sided slopes differ by more than 1e-3 of
    the scale, and that difference does not halve with the step, as h·g″ of a smooth g would.
    """
    def d(h: float) -> tuple[F64, F64]:
        hp, hm = (z + h) - z, z - (z - h)
        gp, g0, gm = _numpy(g, z + hp), _numpy(g, z), _numpy(g, z - hm)
        return (gp - gm) / (hp + hm), (gp - g0) / hp - (g0 - gm) / hm
    h = _EPS ** (1 / 3)
    central, jump = d(h)
    _central_half, jump_half = d(h / 2)
    scale = np.abs(central) + np.abs(_numpy(g, z)) / np.maximum(1.0, np.abs(z)) + _TINY / _EPS
    smooth = np.abs(jump - 2 * jump_half) <= 0.25 * np.abs(jump)
    kink = (np.abs(jump) > 1e-3 * scale) & ~smooth
    return central, kink


def check_activation(g: Any, g_prime: Callable[[Any], Any] | None = None, *,
                     z: ArrayLike | None = None, lo: float = -10.0, hi: float = 10.0,
                     n: int = 2001, method: str = "auto", dtype: Any = np.float64,
                     name: str | None = None) -> ActivationCheck:
    """Check g′ against the derivative of g.

    g: a function of an array (elementwise), or a (g, g′) pair, or an object with ``g`` and
       ``g_prime`` (such as ``manual_backprop.Activation``); then leave ``g_prime`` out.
    g_prime: the derivative to check, elementwise like g.
    z: the points (any shape; flattened); default ``linspace(lo, hi, n)`` plus points at and
       near 0 (see the module doc).
    method: "auto" (jax.grad if g is jax-traceable, else finite differences), "jax" or "fd".
    dtype: float64 or float32, the dtype g′ is evaluated in (the reference is float64).
    Returns an ``ActivationCheck``; ``print`` it for the report.
    """
    if g_prime is None:
        if hasattr(g, "g") and hasattr(g, "g_prime"):
            name = name or getattr(g, "name", None)
            g, g_prime = g.g, g.g_prime
        elif isinstance(g, (tuple, list)) and len(g) == 2:
            g, g_prime = g
        else:
            raise TypeError("`g_prime` is missing: pass check_activation(g, g_prime), a (g, g′) "
                            "pair, or an Activation")
    if not callable(g) or not callable(g_prime):
        raise TypeError(f"`g` and `g_prime` must be functions, got {type(g).__name__} and "
                        f"{type(g_prime).__name__}")
    if method not in ("auto", "jax", "fd"):
        raise ValueError(f"`method` is {method!r}; expected 'auto', 'jax' or 'fd'")
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"`dtype` is {dt}; expected float32 or float64")
    name = str(name or getattr(g, "__name__", "activation"))
    g = getattr(g, "unchecked", g)      # manual_backprop's checking wrapper around a custom g
    if z is None:
        pts = np.unique(np.concatenate([np.linspace(lo, hi, n), _NEAR_KINK]))
    else:
        pts = np.asarray(z, dtype=np.float64).ravel()
    pts = pts.astype(dt).astype(np.float64)          # the points g′ will really see

    problems: list[str] = []
    with warnings.catch_warnings(record=True) as caught, np.errstate(
            over="warn", divide="warn", invalid="warn", under="ignore"):
        warnings.simplefilter("always")
        got_raw = np.asarray(g_prime(pts.astype(dt)))
        with x64():                     # the reference side, in float64 (a jax g too)
            expected = _jax_derivative(g, pts) if method in ("auto", "jax") else None
            if expected is None and method == "jax":
                raise TypeError(f"{name}: jax cannot trace g; use method='fd' or 'auto'")
            used = "jax.grad" if expected is not None else "finite differences"
            kink = np.zeros(pts.shape, dtype=bool)
            if expected is None:
                expected, kink = _finite_difference(g, pts)
            g_values = _numpy(g, pts)
    problems += list(dict.fromkeys(_("warning while evaluating: {category}: {message}").format(
        category=w.category.__name__, message=w.message) for w in caught))
    if got_raw.shape != pts.shape:
        problems.append(_("g′ returned shape {shape} for z of shape {z_shape}; it must be "
                          "elementwise").format(shape=got_raw.shape, z_shape=pts.shape))
        got_raw = np.broadcast_to(got_raw, pts.shape) if got_raw.size == 1 else np.full(
            pts.shape, np.nan)
    if got_raw.dtype != dt:
        problems.append(_("g′ returned dtype {got} for {dtype} input (the kernel casts it back "
                          "to {dtype})").format(got=got_raw.dtype, dtype=dt))
    got = got_raw.astype(np.float64)
    if not np.all(np.isfinite(got)):
        k = int(np.argmax(~np.isfinite(got)))
        problems.append(_("g′ is not finite: g′({z}) = {value}").format(z=repr(pts[k]),
                                                                        value=repr(got[k])))

    scale = np.abs(expected) + np.abs(g_values) / np.maximum(1.0, np.abs(pts)) + _TINY / _EPS
    rel = np.where(got == expected, 0.0, np.abs(got - expected) / scale)
    rel = np.where(np.isfinite(rel), rel, np.inf)
    rel[kink] = 0.0
    rtol = (ACTIVATION_RTOL if used == "jax.grad" else ACTIVATION_FD_RTOL)[dt]
    k = int(np.argmax(rel))
    bad = np.flatnonzero(rel > rtol)[:10]
    return ActivationCheck(
        name=name, ok=not bad.size and not problems, method=used, dtype=str(dt),
        points=int(np.sum(~kink)), skipped=tuple(float(p) for p in pts[kink]),
        worst_z=float(pts[k]), got=float(got[k]), expected=float(expected[k]),
        relative_error=float(rel[k]), rtol=rtol,
        failures=tuple((float(pts[i]), float(got[i]), float(expected[i]), float(rel[i]))
                       for i in bad),
        problems=tuple(problems))
