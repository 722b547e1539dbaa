"""Elementwise passes in cache-sized blocks, shared among threads when the arrays are large.

The in-place activations make several passes over Z (abs, exp, ...). Done in blocks of
``_BLOCK_BYTES``, the passes over one block run in the L2 cache instead of going to main memory
once each. With more than one core, the blocks of a large array (``_PARALLEL_BYTES`` or more)
are split among threads, one contiguous run of blocks each: numpy releases the GIL inside its
ufunc loops, so the threads compute at once, as the BLAS does in the matrix products. Every
element is computed by the same ufuncs on the same inputs whichever thread does it, so the bits
are those of the serial pass.

Threads: the CPUs this process may run on (``os.sched_getaffinity``), or fewer when
``MANUAL_BACKPROP_NUM_THREADS``, else ``OMP_NUM_THREADS`` or ``OPENBLAS_NUM_THREADS`` (the
variables that size the BLAS pool), says so; ``MANUAL_BACKPROP_NUM_THREADS=1`` turns threads off.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]

_BLOCK_BYTES = 1 << 17
"""128 KiB: several passes over a block stay in the L2 cache."""

_PARALLEL_BYTES = 1 << 20
"""Arrays of 1 MiB or more are shared among threads (below, handing work to a thread and
waiting for it costs more than it saves; see docs/benchmarks.md)."""

_THREAD_VARIABLES = ("MANUAL_BACKPROP_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")

_pool: ThreadPoolExecutor | None = None
_pool_pid = -1


def threads() -> int:
    """How many threads an elementwise pass may use (see the module docstring)."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    n = n or 1
    for variable in _THREAD_VARIABLES:
        value = os.environ.get(variable, "")
        if value.isdigit() and int(value) >= 1:
            return min(n, int(value))
    return n


def _executor() -> ThreadPoolExecutor:
    """One pool per process (a forked child gets a new one: the parent's threads are gone)."""
    global _pool, _pool_pid
    if _pool is None or _pool_pid != os.getpid():
        _pool = ThreadPoolExecutor(thread_name_prefix="manual_backprop")
        _pool_pid = os.getpid()
    return _pool


def _run(block: Callable[..., None], flat: list[Array], scratch: int, start: int, stop: int,
         size: int) -> None:
    """``block`` on flat[start:stop] piece by piece, ``size`` elements at a time."""
    tmp = [np.empty(min(size, stop - start), flat[0].dtype) for _ in range(scratch)]
    for i in range(start, stop, size):
        j = min(i + size, stop)
        block(*(a[i:j] for a in flat), *(t[: j - i] for t in tmp))


def in_blocks(block: Callable[..., None], arrays: tuple[Array, ...], scratch: int) -> None:
    """Run ``block`` on matching pieces of ``arrays`` (one shape; the first, which the block
    writes, C-contiguous) and of ``scratch`` scratch arrays of their dtype, at most
    _BLOCK_BYTES at a time, on several threads when they are large (see the module docstring).
    """
    Z = arrays[0]
    size = max(1, _BLOCK_BYTES // Z.itemsize)
    if Z.size <= size:                          # one block: no slicing (small arrays, fast)
        block(*arrays, *[np.empty_like(Z) for _ in range(scratch)])
        return
    if not Z.flags.c_contiguous:
        raise ValueError("an in-place activation needs a C-contiguous Z (pass Z.copy())")
    flat = [a.reshape(-1) for a in arrays]      # views (a copy only of a strided read-only input)
    n = Z.size
    workers = threads() if Z.nbytes >= _PARALLEL_BYTES else 1
    if workers == 1:
        _run(block, flat, scratch, 0, n, size)
        return
    per = -(-n // (size * workers)) * size      # whole blocks per thread
    runs = [(i, min(i + per, n)) for i in range(0, n, per)]
    pool = _executor()
    futures = [pool.submit(contextvars.copy_context().run,   # the caller's np.errstate
                           _run, block, flat, scratch, i, j, size) for i, j in runs[1:]]
    try:
        _run(block, flat, scratch, *runs[0], size)
    finally:
        for f in futures:
            f.result()


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
