"""The ``check`` command line: load ``FILE.py:FUNC`` or ``package.module:FUNC``, run
``reference.check.check_backprop`` and print the report in the lecture's notation.

    python -m manual_backprop check FILE.py:FUNC [--activation NAME] [--max-examples N]
                                                 [--seed S]

Exit status: 0 the function agrees with jax.grad on every network tried (one summary line);
1 it disagrees (the minimal failing network, expected vs got, the diagnosis); 2 a usage error
(one line on stderr: missing file, no such function, not callable, bad option).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

import manual_backprop as mb
from manual_backprop.cli import positive_int

from .strategies import ACTIVATION_NAMES
from .tolerances import rtol_for

__all__ = ["UsageError", "format_result", "load_function", "main"]

PROG = "manual-backprop check"


class UsageError(ValueError):
    """A problem with the command line or the function to load; the message is one line."""


def _import_file(path: Path) -> Any:
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    spec = importlib.util.spec_from_file_location(f"_checked_{abs(hash(path))}", path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module           # dataclasses and pickling look the module up
    sys.path.insert(0, str(path.parent.resolve()))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    return module


def load_function(target: str) -> Any:
    """The function named by ``FILE.py:FUNC`` or ``package.module:FUNC`` (UsageError if not)."""
    where, sep, name = target.rpartition(":")
    if not sep or not where or not name:
        raise UsageError(f"expected FILE.py:FUNC or package.module:FUNC, got {target!r}")
    try:
        if where.endswith(".py") or "/" in where or "\\" in where:
            module = _import_file(Path(where))
        else:
            module = importlib.import_module(where)
    except UsageError:
        raise
    except Exception as exc:
        line = getattr(exc, "lineno", None)
        at = f" (line {line})" if line else ""
        raise UsageError(f"cannot import {where}: {type(exc).__name__}: {exc}{at}") from None
    if not hasattr(module, name):
        public = [n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                  and getattr(v, "__module__", None) == module.__name__]
        hint = f" (it defines: {', '.join(public)})" if public else ""
        raise UsageError(f"{where} has no function {name!r}{hint}")
    fn = getattr(module, name)
    if not callable(fn):
        raise UsageError(f"{where}:{name} is a {type(fn).__name__}, not a function")
    return fn


def _array(a: Any) -> str:
    text = np.array2string(np.asarray(a), separator=", ", floatmode="unique", threshold=400,
                           max_line_width=96)
    return text.replace("\n", "\n" + " " * 10)


def _network_lines(net: Any) -> list[str]:
    L, n = len(net.weights), net.widths
    lines = [f"Minimal failing network: L = {L}, widths n = {'-'.join(map(str, n))}, "
             f"m = {net.m} sample{'s' * (net.m > 1)} (one per column), "
             f"{net.activations[0]} in every layer, no biases"]
    for l, W in enumerate(net.weights, start=1):
        lines.append(f"  W[{l}] = {_array(W)}    # (n_{l}, n_{l - 1}) = {W.shape}")
    lines.append(f"  X = A[0] = {_array(net.X)}    # (n_0, m) = {net.X.shape}")
    lines.append(f"  Y = {_array(net.Y)}    # (n_L, m) = {net.Y.shape}")
    fwd = mb.forward(net.weights, net.X, net.activations)
    lines.append("Forward pass:")
    for l in range(1, L + 1):
        hat = " = Ŷ" if l == L else ""
        lines.append(f"  Z[{l}] = {_array(fwd.Z[l])}    A[{l}]{hat} = {_array(fwd.A[l])}")
    return lines


def format_result(result: Any) -> str:
    """The report of a ``CheckResult``: one line if it agreed, the full story if not."""
    rtol = rtol_for(np.float64)
    head = f"{result.activation}, float64, seed {result.seed}"
    if result.ok:
        warned = (f"; numpy warned inside the function on {result.warned} of them (the "
                  f"results were right)" if result.warned else "")
        return (f"OK: agrees with jax.grad on {result.networks} networks ({head}); largest "
                f"relative error {result.max_error:.2g} (tolerance {rtol:g}){warned}")
    if result.network is None or result.outcome is None or result.outcome.failure is None:
        return (f"FAIL: the function gave different results on the same network ({head}): it "
                f"is not deterministic (random numbers? state kept between calls?)")
    out, fail = result.outcome, result.outcome.failure
    lines = [f"FAIL: disagrees with jax.grad ({head}): found after {result.networks} "
             f"network{'s' * (result.networks > 1)}, then shrunk by Hypothesis.", ""]
    lines += _network_lines(result.network)
    if out.got is not None:
        lines.append("Your ΔW:")
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.got, start=1)]
    elif out.raw is not None:
        lines.append("Your function returned:")
        lines += [f"  ΔW[{l}] = {_array(g)}" for l, g in enumerate(out.raw, start=1)]
    if out.expected is not None:
        lines.append("jax.grad of E = ½ΣΣ(Y − Ŷ)² (ΔW[l] = ∂E/∂W[l]):")
        lines += [f"  ΔW[{l}] = {_array(e)}" for l, e in enumerate(out.expected, start=1)]
    lines.append("")
    if fail.mismatch is not None:
        lines.append(f"{fail.message}. The first layer that differs, going back from the output "
                     f"as backprop does, is ΔW[{fail.mismatch.layer}]; its worst entry:")
        lines.append(f"  {fail.mismatch}  (tolerance {rtol:g})")
        if out.compared_from > 1:
            lines.append(f"  (ΔW[1..{out.compared_from - 1}] not compared: a relu input there "
                         f"is at its kink, where g′ is a convention)")
    else:
        lines.append(f"{fail.message}.")
    if result.diagnosis:
        lines.append("Diagnosis:")
        lines += [f"  - {d}" for d in result.diagnosis]
    else:
        lines.append("Diagnosis: not one of the known patterns.")
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    from .check import DEFAULT_MAX_EXAMPLES

    p = _Parser(prog=PROG, description="Check your own backprop FUNC(weights, X, Y) -> "
                "[ΔW[1], ..., ΔW[L]] against jax.grad on random networks; print the minimal "
                "network on which it disagrees. Exit 0 agree, 1 disagree, 2 usage error.")
    p.add_argument("target", metavar="FILE.py:FUNC",
                   help="the function, as path/to/file.py:name or package.module:name")
    p.add_argument("--activation", default="sigmoid", choices=ACTIVATION_NAMES,
                   metavar="NAME", help="g in every layer: " + ", ".join(ACTIVATION_NAMES) +
                   " (default sigmoid)")
    p.add_argument("--max-examples", type=positive_int, default=DEFAULT_MAX_EXAMPLES,
                   metavar="N", help=f"networks to try (default {DEFAULT_MAX_EXAMPLES})")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="seed of the search (default 0; the same seed gives the same report)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0, 1 or 2)."""
    from .check import check_backprop

    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        fn = load_function(args.target)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    result = check_backprop(fn, args.activation, max_examples=args.max_examples, seed=args.seed)
    print(result)
    if not result.ok:
        print(f"\nReproduce: python -m manual_backprop check {args.target} --activation "
              f"{args.activation} --max-examples {args.max_examples} --seed {args.seed}")
    return 0 if result.ok else 1
