"""After Hypothesis has shrunk a failing network: smaller still, by steps that keep it failing.

Hypothesis shrinks the choices that drew a network; a network whose failure needs a net input
beyond some size (|z| > 10, |z| > 709.78) can come back wider than it needs to be, because
every narrower draw also has smaller net inputs. ``reduce`` tries, in turn, until none applies:

* with one sample, the whole input layer as one input: X = [[1]] and W[1] = Z[1] (the same net
  inputs, rounded once);
* the first layer dropped (the network from layer 2 on, with X = A[1]), or the last (the
  network up to layer L − 1, with Y = A[L−1] + 1, so that nothing cancels), unless the depth is
  fixed;
* a sample dropped, then a unit of any layer (inputs, hidden, outputs) with its weights,
  biases and targets;

each kept only if the function is still wrong on the result (``wrong``). Every step is
deterministic, so the same search gives the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np

import manual_backprop as mb

from .strategies import Network

__all__ = ["reduce"]


def reduce(net: Network, wrong: Callable[[Network], bool], *, fixed_depth: bool = False,
           limit: int = 200) -> Network:
    """The smallest network reached from ``net`` by the steps of the module doc on which
    ``wrong`` holds (``net`` itself if none applies); at most ``limit`` calls of ``wrong``."""
    calls = 0
    changed = True
    while changed and calls < limit:
        changed = False
        for smaller in _smaller(net, fixed_depth):
            calls += 1
            if wrong(smaller):
                net, changed = smaller, True
                break
            if calls >= limit:
                break
    return net


def _smaller(net: Network, fixed_depth: bool) -> Iterator[Network]:
    L, widths = len(net.weights), net.widths
    with np.errstate(all="ignore"):
        forward = mb.forward(net.weights, net.X, net.activations, biases=net.biases,
                             check_finite=False)
    if net.m == 1 and (widths[0] > 1 or net.X[0, 0] != 1):
        Z1 = np.asarray(forward.Z[1], dtype=np.float64)
        if net.biases is not None:
            Z1 = Z1 - net.biases[0]                   # W[1]·1 + b[1] is then Z[1]
        yield replace(net, weights=[Z1, *net.weights[1:]],
                      X=np.ones((1, 1)))
    if L > 1 and not fixed_depth and np.all(np.isfinite(forward.A[1])):
        yield replace(net, weights=list(net.weights[1:]), X=np.asarray(forward.A[1]),
                      activations=list(net.activations[1:]),
                      biases=None if net.biases is None else list(net.biases[1:]))
    if L > 1 and not fixed_depth and np.all(np.isfinite(forward.A[L - 1])):
        yield replace(net, weights=list(net.weights[:-1]), Y=np.asarray(forward.A[L - 1]) + 1,
                      activations=list(net.activations[:-1]),
                      biases=None if net.biases is None else list(net.biases[:-1]))
    for j in range(net.m if net.m > 1 else 0):
        yield replace(net, X=np.delete(net.X, j, axis=1), Y=np.delete(net.Y, j, axis=1))
    for l in range(L + 1):
        for i in range(widths[l] if widths[l] > 1 else 0):
            yield _without_unit(net, l, i)


def _without_unit(net: Network, l: int, i: int) -> Network:
    """``net`` without unit i of layer l (0: an input, L: an output)."""
    Ws, bs = list(net.weights), None if net.biases is None else list(net.biases)
    X, Y = net.X, net.Y
    if l == 0:
        X = np.delete(X, i, axis=0)
    else:
        Ws[l - 1] = np.delete(Ws[l - 1], i, axis=0)
        if bs is not None:
            bs[l - 1] = np.delete(bs[l - 1], i, axis=0)
    if l < len(Ws):
        Ws[l] = np.delete(Ws[l], i, axis=1)
    else:
        Y = np.delete(Y, i, axis=0)
    return replace(net, weights=Ws, X=X, Y=Y, biases=bs)
