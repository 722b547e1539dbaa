"""Memory (issue 5): at its peak, ``gradients`` keeps no more alive than the forward cache
(A[l] and g′(Z[l]) for every layer) and its outputs (ΔW[l]). Measured with tracemalloc, which
sees numpy's array data (numpy reports its allocations to it): a count of bytes, not a time,
so it is the same on every run. ``benchmarks/run.py`` reports the same ratio at 1024³."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import manual_backprop as mb


@pytest.mark.parametrize("hidden_error", ["exact", "lecture"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_peak_memory_stays_within_the_forward_cache_and_the_outputs(dtype: type,
                                                                    hidden_error: str) -> None:
    n, m = 512, 256                       # 512-512-512, m = 256: every array spans many blocks
    rng = np.random.default_rng(0)
    W = [(rng.standard_normal((n, n)) / np.sqrt(n)).astype(dtype) for _ in range(2)]
    X = rng.standard_normal((n, m)).astype(dtype)
    Y = rng.random((n, m)).astype(dtype)
    item = np.dtype(dtype).itemsize
    bound = 2 * 2 * n * m * item + 2 * n * n * item   # A[1], A[2], g′(Z[1]), g′(Z[2]); ΔW[1], ΔW[2]
    mb.gradients(W, X, Y, hidden_error=hidden_error)  # first call: imports, caches
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        dW = mb.gradients(W, X, Y, hidden_error=hidden_error)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [G.shape for G in dW] == [(n, n), (n, n)]
    assert peak - before <= bound, (f"peak {(peak - before) / 2**20:.3f} MiB > bound "
                                    f"{bound / 2**20:.3f} MiB ({dtype.__name__}, {hidden_error})")
