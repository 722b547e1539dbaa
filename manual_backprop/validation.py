"""One validation layer: every public function checks its arguments here, up front.

Errors name the argument, say what it got and what was expected, and suggest a fix where
one is obvious. Nothing is ever broadcast silently.

Dtype policy (README, "Input rules"):

* float32 and float64 are computed in their own dtype and results keep it.
* Float arrays passed together must share one dtype; mixing float32 and float64 is a
  ``TypeError`` (we will not silently pick one precision for you).
* Integer arrays, nested lists and Python numbers carry no precision of their own: they are
  converted exactly to the dtype of the float arrays passed with them (float64 if none).
* bool, complex, string, object and other float widths (float16, longdouble) are a
  ``TypeError``.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS, Activation

__all__ = [
    "HIDDEN_ERRORS",
    "validate_activations",
    "validate_alpha",
    "validate_hidden_error",
    "validate_network",
]

Array = NDArray[np.floating]

HIDDEN_ERRORS = ("exact", "lecture")
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _as_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"`{name}` must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists and the like
        raise TypeError(f"`{name}` could not be read as an array of numbers: {exc}") from None
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(f"`{name}` has dtype bool; expected float32 or float64 numbers")
    if kind == "c":
        raise TypeError(f"`{name}` has complex dtype {arr.dtype}; expected real float32 or float64")
    if kind not in "fiu":
        raise TypeError(f"`{name}` has dtype {arr.dtype}; expected float32 or float64 numbers")
    if kind == "f" and arr.dtype not in _FLOATS:
        raise TypeError(f"`{name}` has dtype {arr.dtype}; only float32 and float64 are supported, "
                        f"pass `{name}.astype(np.float64)`")
    return arr


def _check_2d(name: str, arr: np.ndarray, expected: str) -> None:
    if arr.ndim != 2:
        raise ValueError(f"`{name}` must be 2-dimensional {expected}, got {arr.ndim} dimension(s) "
                         f"with shape {arr.shape}")
    if 0 in arr.shape:
        raise ValueError(f"`{name}` has shape {arr.shape} with a zero-size dimension; every width "
                         f"and the batch size m must be at least 1")


def _check_finite(name: str, arr: Array) -> None:
    # Fast path: the sum of finite numbers is finite unless it overflows; only then scan.
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isfinite(float(np.sum(arr))):
            return
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        count = f"{len(bad)} non-finite entr{'y' if len(bad) == 1 else 'ies'}"
        raise ValueError(f"`{name}` must be finite, but `{name}[{', '.join(map(str, where))}]` = "
                         f"{arr[where]} ({count})")


def validate_network(weights: Any, X: Any, Y: Any | None = None
                     ) -> tuple[list[Array], Array, Array | None]:
    """Check and convert ``weights``, ``X`` and (optionally) ``Y``; return them as float arrays.

    weights: sequence of L ≥ 1 arrays, ``weights[l-1]`` of shape (n_l, n_{l−1}).
    X:       (n_0, m).   Y: (n_L, m).
    The returned arrays are the caller's own when no conversion was needed: never write to them.
    """
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or isinstance(
            weights, (str, bytes)):
        raise TypeError(f"`weights` must be a list of 2-D arrays [W1, W2, ...], got "
                        f"{type(weights).__name__}"
                        + (f" with shape {weights.shape}; wrap a single layer as [W]"
                           if isinstance(weights, np.ndarray) else ""))
    if len(weights) == 0:
        raise ValueError("`weights` is empty; a network needs at least one layer (L >= 1)")

    given: list[tuple[str, Any]] = [(f"weights[{i}]", W) for i, W in enumerate(weights)]
    given += [("X", X)] + ([("Y", Y)] if Y is not None else [])
    raw = [(n, _as_array(n, v)) for n, v in given]

    # One float dtype for the whole computation, set by the float ndarrays that were passed.
    float_args = [(n, np.asarray(v).dtype) for n, v in given
                  if isinstance(v, np.ndarray) and v.dtype.kind == "f"]
    dtypes = {d for _, d in float_args}
    if len(dtypes) > 1:
        listing = ", ".join(f"`{n}` is {d}" for n, d in float_args)
        raise TypeError(f"mixed float dtypes: {listing}; convert them to one dtype, for example "
                        f"`[W.astype(np.float64) for W in weights]` and `X.astype(np.float64)`")
    dtype = dtypes.pop() if dtypes else np.dtype(np.float64)
    conv = {n: a if a.dtype == dtype else a.astype(dtype) for n, a in raw}

    Ws = [conv[f"weights[{i}]"] for i in range(len(weights))]
    for i, W in enumerate(Ws):
        _check_2d(f"weights[{i}]", W, f"(n_{i + 1}, n_{i}) (the lecture's W[{i + 1}])")
    for i in range(1, len(Ws)):
        if Ws[i].shape[1] != Ws[i - 1].shape[0]:
            raise ValueError(f"`weights[{i}].shape[1]` (={Ws[i].shape[1]}) must equal "
                             f"`weights[{i - 1}].shape[0]` (={Ws[i - 1].shape[0]}): "
                             f"W[{i + 1}] takes the {Ws[i - 1].shape[0]} outputs of layer {i} "
                             f"as its inputs")
    n0, nL = Ws[0].shape[1], Ws[-1].shape[0]

    A0 = conv["X"]
    if A0.ndim == 1 and A0.shape[0] == n0:
        raise ValueError(f"`X` has shape {A0.shape} but must be (n_0, m) = ({n0}, m), one sample "
                         f"per column; for one sample pass `X.reshape(-1, 1)`")
    _check_2d("X", A0, f"(n_0, m) = ({n0}, m), one sample per column")
    if A0.shape[0] != n0:
        hint = ("; samples go in columns, pass `X.T`" if A0.shape[1] == n0 else "")
        raise ValueError(f"`X.shape[0]` (={A0.shape[0]}) must equal `weights[0].shape[1]` "
                         f"(={n0}), the number of inputs n_0{hint}")
    m = A0.shape[1]

    Yc: Array | None = None
    if Y is not None:
        Yc = conv["Y"]
        if Yc.shape != (nL, m):
            if Yc.shape == (m,) and nL == 1:
                hint = "; pass `Y.reshape(1, -1)`"
            elif Yc.shape == (m, nL):
                hint = "; samples go in columns, pass `Y.T`"
            else:
                hint = ""
            raise ValueError(f"`Y` has shape {Yc.shape} but must be (n_L, m) = ({nL}, {m}): one "
                             f"target column per sample of X{hint}")
    for name, arr in conv.items():
        _check_finite(name, arr)
    return Ws, A0, Yc


def validate_activations(activation: Any, L: int) -> list[Activation]:
    """One activation per layer, from a name/Activation or a sequence of L of them."""
    if isinstance(activation, (str, Activation)):
        return [_one_activation("activation", activation)] * L
    if isinstance(activation, Sequence):
        if len(activation) != L:
            raise ValueError(f"`activation` lists {len(activation)} activation(s) but the network "
                             f"has L = {L} layer(s); give one name, or one per layer")
        return [_one_activation(f"activation[{i}]", a) for i, a in enumerate(activation)]
    raise TypeError(f"`activation` must be a name such as 'sigmoid', an Activation, or a list of "
                    f"L of them, got {type(activation).__name__}")


def _one_activation(name: str, a: Any) -> Activation:
    if isinstance(a, Activation):
        return a
    if not isinstance(a, str):
        raise TypeError(f"`{name}` must be an activation name such as 'sigmoid' or an "
                        f"Activation, got {type(a).__name__}")
    if a in ACTIVATIONS:
        return ACTIVATIONS[a]
    close = difflib.get_close_matches(a, ACTIVATIONS, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"`{name}` is {a!r}, not a known activation; expected one of "
                     f"{', '.join(map(repr, ACTIVATIONS))}{hint}")


def validate_hidden_error(hidden_error: Any) -> str:
    if not isinstance(hidden_error, str) or hidden_error not in HIDDEN_ERRORS:
        raise ValueError(f"`hidden_error` is {hidden_error!r}; expected 'exact' "
                         f"(E[l] = W[l+1]ᵀ(E[l+1] ⊙ g′(Z[l+1])), the true gradient) or 'lecture' "
                         f"(E[l] = W[l+1]ᵀ E[l+1])")
    return hidden_error


def validate_alpha(alpha: Any) -> float:
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"`alpha` must be a real number (the step size α), got "
                        f"{type(alpha).__name__} {alpha!r}")
    value = float(alpha)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"`alpha` must be a finite positive number (the step size α), "
                         f"got {alpha!r}")
    return value
