"""Elementwise passes in cache-sized blocks.

The in-place activations make several passes over Z (abs, exp, ...). Done in blocks of
``_BLOCK_BYTES``, the passes over one block run in the L2 cache instead of going to main memory
once each. Every element is computed by the same ufuncs on the same inputs as in one pass over
the whole array, so the bits are those of the unblocked computation.

One thread: sharing the blocks of a large array among threads (numpy releases the GIL inside
its ufunc loops) was measured slower in the kernel, not faster: every pass follows a matrix
product, whose idle OpenBLAS workers spin-wait on the other core (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]

_BLOCK_BYTES = 1 << 17
"""128 KiB: several passes over a block stay in the L2 cache."""


def in_blocks(block: Callable[..., None], arrays: tuple[Array, ...], scratch: int) -> None:
    """Run ``block`` on matching pieces of ``arrays`` (one shape; the first, which the block
    writes, C-contiguous) and of ``scratch`` scratch arrays of their dtype, at most
    _BLOCK_BYTES at a time.
    """
    Z = arrays[0]
    size = max(1, _BLOCK_BYTES // Z.itemsize)
    if Z.size <= size:                          # one block: no slicing (small arrays, fast)
        block(*arrays, *[np.empty_like(Z) for _ in range(scratch)])
        return
    if not Z.flags.c_contiguous:
        raise ValueError("an in-place activation needs a C-contiguous Z (pass Z.copy())")
    flat = [a.reshape(-1) for a in arrays]      # views (a copy only of a strided read-only input)
    tmp = [np.empty(size, Z.dtype) for _ in range(scratch)]
    for i in range(0, Z.size, size):
        j = min(i + size, Z.size)
        block(*(a[i:j] for a in flat), *(t[: j - i] for t in tmp))


def _subtract(a: Array, b: Array) -> None:
    np.subtract(a, b, out=a)


def _multiply(a: Array, b: Array) -> None:
    np.multiply(a, b, out=a)


def subtract_in_place(a: Array, b: Array) -> Array:
    """a := a − b (a C-contiguous, b of a's shape), in blocks; returns a."""
    if a.nbytes <= _BLOCK_BYTES:
        a -= b                                  # one block: the operator's shorter call
        return a
    in_blocks(_subtract, (a, b), scratch=0)
    return a


def multiply_in_place(a: Array, b: Array) -> Array:
    """a := a ⊙ b (a C-contiguous, b of a's shape), in blocks; returns a."""
    if a.nbytes <= _BLOCK_BYTES:
        a *= b
        return a
    in_blocks(_multiply, (a, b), scratch=0)
    return a
