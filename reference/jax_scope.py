"""64-bit jax inside ``reference`` only: ``x64()`` and the ``in_x64`` decorator.

The oracles compute in float64, which jax allows only with ``jax_enable_x64``. ``reference``
never switches it on for the whole process (a float32 jax program that imports ``reference``
keeps computing in float32): every entry point that runs jax does so inside ``x64()``,
``jax.enable_x64(True)``, a thread-local scope restored on exit. jax keys its compiled
functions on this flag, so a jitted function called both inside and outside the scope keeps
two separate traces and never mixes 32- and 64-bit ones.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import jax

__all__ = ["in_x64", "x64"]

P = ParamSpec("P")
R = TypeVar("R")


def x64() -> Any:
    """A context manager: jax in 64-bit mode inside, as it was outside."""
    return jax.enable_x64(True)


def in_x64(f: Callable[P, R]) -> Callable[P, R]:
    """``f`` run inside ``x64()``."""
    @functools.wraps(f)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with x64():
            return f(*args, **kwargs)
    return wrapped
