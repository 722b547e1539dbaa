"""The main job: a verification report of the kernel against jax.grad and finite differences.

For every activation and a few architectures (the lecture's 2-3-2 example, XOR 2-4-1, a deeper
network and a single layer) it prints, per layer, the largest relative error of the exact
kernel's ΔW[l] against ``jax.grad`` (float64 and float32) and against central finite
differences, and how far the lecture's hidden error is from the gradient. Exit status 1 if the
exact kernel disagrees anywhere.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

import reference
from reference.tolerances import max_relative_error

from ..activations import ACTIVATIONS
from ..backprop import gradients
from ..i18n import _, columns, pad
from .args import ExitingParser, add_language_option

__all__ = ["Row", "main", "verify"]

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class Row:
    network: str
    activation: str
    layer: int                 # l of ΔW[l]
    vs_jax_float64: float      # max relative error (condition-scaled, docs/numerics.md)
    vs_jax_float32: float
    vs_finite_differences: float | None   # None: every FD stencil crossed a relu kink
    lecture_distance: float    # ‖ΔW_lecture − ∂E/∂W‖ / ‖∂E/∂W‖ (0 where it is exact)
    ok: bool


def _architectures() -> list[tuple[str, list[F64], F64, F64]]:
    rng = np.random.default_rng(2026)
    lecture = [np.array([[0.1, 0.4], [0.2, 0.2], [0.3, 0.0]]),
               np.array([[0.3, 0.2, 0.1], [0.2, 0.1, 0.1]])]
    xor_X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    xor_W = [rng.uniform(-1, 1, (4, 2)), rng.uniform(-1, 1, (1, 4))]
    deep_W = [rng.normal(0, 1, (5, 4)), rng.normal(0, 1, (6, 5)), rng.normal(0, 1, (3, 6))]
    one_W = [rng.normal(0, 1, (2, 3))]
    return [        # the names are the JSON's values (English); the table translates them
        ("lecture 2-3-2", lecture, np.array([[1.0], [0.0]]), np.array([[1.0], [1.0]])),
        ("XOR 2-4-1", xor_W, xor_X, np.array([[0.0, 1.0, 1.0, 0.0]])),
        ("deep 4-5-6-3", deep_W, rng.normal(0, 2, (4, 7)), rng.uniform(0, 1, (3, 7))),
        ("single 3-2", one_W, rng.normal(0, 2, (3, 5)), rng.uniform(0, 1, (2, 5))),
    ]


def _network_label(name: str) -> str:
    """The name the table prints for a network of ``_architectures`` (``Row.network``, which
    the JSON keeps in English)."""
    labels = {"lecture 2-3-2": _("lecture 2-3-2"), "XOR 2-4-1": _("XOR 2-4-1"),
              "deep 4-5-6-3": _("deep 4-5-6-3"), "single 3-2": _("single 3-2")}
    return labels.get(name, name)


def verify() -> list[Row]:
    """Compute the report's rows."""
    rows = []
    for net_name, W, X, Y in _architectures():
        for act in ACTIVATIONS:
            names = [act] * len(W)
            exact = gradients(W, X, Y, act)
            lecture = gradients(W, X, Y, act, hidden_error="lecture")
            W32 = [w.astype(np.float32) for w in W]
            X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
            exact32 = gradients(W32, X32, Y32, act)
            jax64 = reference.gradients(W, X, Y, act)
            jax32 = reference.gradients(W32, X32, Y32, act)
            scale64 = reference.condition_scale(W, X, Y, names)
            scale32 = reference.condition_scale(W32, X32, Y32, names, dtype=np.float32)
            fd = reference.finite_differences(W, X, Y, names)
            for l in range(len(W)):
                e64 = max_relative_error([exact[l]], [jax64[l]], [scale64[l]])
                e32 = max_relative_error([exact32[l]], [jax32[l]], [scale32[l]])
                valid = fd.valid[l]
                efd: float | None = None
                if valid.any():
                    fd_scale = scale64[l] + fd.stencil_loss[l]
                    efd = float(np.max(np.abs(exact[l] - fd.gradients[l])[valid]
                                       / fd_scale[valid]))
                norm = float(np.linalg.norm(jax64[l]))
                dist = float(np.linalg.norm(lecture[l] - jax64[l]))
                ok = (e64 <= reference.rtol_for(np.float64)
                      and e32 <= reference.rtol_for(np.float32)
                      and (efd is None or efd <= reference.FD_RTOL))
                rows.append(Row(net_name, act, l + 1, e64, e32, efd,
                                dist / norm if norm > 0 else dist, ok))
    return rows


def _fmt(x: float | None) -> str:
    return _("n/a") if x is None else f"{x:.1e}"


def _print_table(rows: Sequence[Row]) -> None:
    print(_("manual_backprop — verification report"))
    print(_("The hand-written ΔW[l] (hidden_error='exact') against jax.grad and finite "
            "differences."))
    print(_("Relative error = |ΔW − oracle| / condition scale of the entry (docs/numerics.md);"))
    print(_("tolerances: {float64:g} (float64), {float32:g} (float32), {fd:g} (finite "
            "differences).").format(float64=reference.rtol_for(np.float64),
                                    float32=reference.rtol_for(np.float32),
                                    fd=reference.FD_RTOL))
    print(_("Last column: how far the lecture's E[l] = W[l+1]ᵀE[l+1] puts ΔW[l] from "
            "∂E/∂W[l], ‖ΔW − ∂E/∂W‖ / ‖∂E/∂W‖.") + "\n")
    disagrees = _("DISAGREES")
    table = [[_network_label(r.network) if i == 0 or r.network != rows[i - 1].network else "",
              r.activation, str(r.layer), _fmt(r.vs_jax_float64), _fmt(r.vs_jax_float32),
              _fmt(r.vs_finite_differences), f"{r.lecture_distance:.3g}",
              "" if r.ok else disagrees] for i, r in enumerate(rows)]
    header = [_("network"), _("activation"), "ΔW[l]", "jax f64", "jax f32", _("FD"),
              _("lecture"), ""]
    # the English widths, or wider where a translation needs it (two spaces between columns)
    widths = [max(w, *(columns(line[c]) + 2 for line in [header, *table]))
              for c, w in enumerate((15, 12, 7, 9, 9, 9, 10))] + [0]
    right = [False, False, False, True, True, True, True, False]
    head = "".join(pad(t, w, r) for t, w, r in zip(header, widths, right)) + "  "
    print(head)
    print("-" * columns(head))
    for line in table:
        print("".join(pad(t, w, r) for t, w, r in zip(line, widths[:-1], right))
              + "  " + line[-1])
    bad = [r for r in rows if not r.ok]
    n_nets = len({(r.network, r.activation) for r in rows})
    print()
    if bad:
        print(_("FAIL: the exact kernel disagrees in {bad} of {total} layer checks.")
              .format(bad=len(bad), total=len(rows)))
    else:
        worst = max(r.lecture_distance for r in rows)
        print(_("OK: the exact kernel agrees with jax.grad and finite differences on all "
                "{networks} networks ({layers} layers). The lecture's hidden error is exact for "
                "the last layer and behind identity layers; elsewhere its ΔW is off by up to "
                "{worst:.3g} times the gradient's norm.")
              .format(networks=n_nets, layers=len(rows), worst=worst))


def main(argv: Sequence[str] | None = None) -> int:
    parser = ExitingParser(
        prog="manual-backprop",
        description=_("Verify the hand-written backprop against jax.grad and finite "
                      "differences. Subcommands: explain, xor, check (see `manual-backprop "
                      "COMMAND --help`)."))
    parser.add_argument("--json", action="store_true",
                        help=_("print the report as one JSON object"))
    add_language_option(parser)
    args = parser.parse_args(argv)
    rows = verify()
    ok = all(r.ok for r in rows)
    if args.json:
        out: dict[str, Any] = {"ok": ok, "rows": [asdict(r) for r in rows]}
        json.dump(out, sys.stdout, indent=1)
        print()
    else:
        _print_table(rows)
    return 0 if ok else 1
