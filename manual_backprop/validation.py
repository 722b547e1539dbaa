"""One validation layer: every public function checks its arguments here, up front.

Errors name the argument, say what it got and what was expected, and suggest a fix where
one is obvious. Nothing is ever broadcast silently. Everything is O(size) with small
constants (finiteness is one dot product per array; only a non-finite Σx² triggers a scan).

Dtype policy (docs/guide.md, "Input rules"):

* float32 and float64 are computed in their own dtype and results keep it.
* Float arrays passed together (weights, X, Y, biases) must share one dtype; mixing float32
  and float64 ndarrays is a ``TypeError`` (we will not silently pick one precision for you:
  a float64 X would make a float32 network compute in float64, or round the data).
* Integer arrays, nested lists and Python numbers carry no precision of their own: they are
  converted to the dtype of the float arrays passed with them (float64 if none). Integers
  beyond 2**53 (2**24 in float32) are rounded by that conversion, like any float literal.
* bool, complex, string, object and other float widths (float16, longdouble) are a
  ``TypeError``.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .activations import ACTIVATIONS, Activation

__all__ = [
    "HIDDEN_ERRORS",
    "Validated",
    "validate_activations",
    "validate_alpha",
    "validate_arrays",
    "validate_check_finite",
    "validate_hidden_error",
    "validate_network",
]

Array = NDArray[np.floating]

HIDDEN_ERRORS = ("exact", "lecture")
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


class Validated(NamedTuple):
    """Checked arguments, all of one float dtype (the caller's own arrays where no conversion
    was needed: never write to them)."""

    weights: list[Array]         # weights[l-1] = W[l], (n_l, n_{l−1})
    X: Array                     # (n_0, m)
    Y: Array | None              # (n_L, m), or None when not passed
    biases: list[Array] | None   # biases[l-1] = b[l], (n_l, 1), or None when not passed


def _as_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"`{name}` must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:  # ragged nested lists and the like
        raise TypeError(f"`{name}` could not be read as an array of numbers: {exc}") from None
    kind = arr.dtype.kind
    if kind == "b":
        raise TypeError(f"`{name}` has dtype bool; expected float32 or float64 numbers "
                        f"(pass `{name}.astype(np.float64)` if you mean 0 and 1)")
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


def _sum_of_squares_is_finite(arr: Array) -> bool:
    """True proves every entry of ``arr`` finite: Σx² (one BLAS dot; 7 µs against np.sum's
    20 µs for 128×784 entries) is NaN or inf when any x is NaN or ±inf, in any summation order,
    and a term a BLAS might skip is a zero. False also when finite squares overflow (|x| ≳ 1e154
    in float64, 1e19 in float32): the caller then scans. np.vdot raises no floating-point
    warning when Σx² overflows or is NaN (tests/test_validation.py, huge finite inputs).
    """
    return math.isfinite(np.vdot(arr, arr))


def _check_finite(name: str, arr: Array) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        if _sum_of_squares_is_finite(arr):    # the common case: one pass, then done
            return
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size:
        where = tuple(int(i) for i in bad[0])
        count = f"{len(bad)} non-finite entr{'y' if len(bad) == 1 else 'ies'}"
        raise ValueError(f"`{name}` must be finite, but `{name}[{', '.join(map(str, where))}]` = "
                         f"{arr[where]} ({count})")


def _check_sequence(name: str, value: Any, what: str, one: str) -> None:
    if isinstance(value, np.ndarray) or not isinstance(value, Sequence) or isinstance(
            value, (str, bytes)):
        raise TypeError(f"`{name}` must be a list of {what}, got {type(value).__name__}"
                        + (f" with shape {value.shape}; wrap a single layer as [{one}]"
                           if isinstance(value, np.ndarray) else ""))


def _plain(weights: Any, X: Any, Y: Any | None, *, check_finite: bool) -> Validated | None:
    """The common case in a few microseconds: a list or tuple of 2-D ``numpy.ndarray`` weights
    that chain, X (n_0, m) and Y (n_L, m) or None, all of one dtype, float32 or float64, every
    dimension ≥ 1, every entry finite. These need no conversion and have no error, so they are
    returned as they are (the caller's arrays: never write to them). Anything else, or a
    doubt: None, and ``validate_arrays`` goes the long way, which converts or names the error.
    """
    if type(weights) not in (list, tuple) or not weights or type(X) is not np.ndarray:
        return None
    dtype = X.dtype
    if dtype not in _FLOATS or X.ndim != 2 or 0 in X.shape:
        return None
    n = X.shape[0]
    for W in weights:
        if type(W) is not np.ndarray or W.dtype != dtype or W.ndim != 2 or W.shape[1] != n or (
                W.shape[0] == 0):
            return None
        n = W.shape[0]
    if Y is not None and (type(Y) is not np.ndarray or Y.dtype != dtype
                          or Y.shape != (n, X.shape[1])):
        return None
    if check_finite:                          # Σx² as in _sum_of_squares_is_finite, inlined:
        for arr in (*weights, X) if Y is None else (*weights, X, Y):   # np.vdot raises no
            if not math.isfinite(np.vdot(arr, arr)):   # floating-point warning, so no errstate
                return None                   # the long way names the entry (or scans)
    return Validated(list(weights), X, Y, None)


def validate_arrays(weights: Any, X: Any, Y: Any | None = None, biases: Any | None = None,
                    check_finite: bool = True) -> Validated:
    """Check and convert ``weights``, ``X`` and, when given, ``Y`` and ``biases``.

    weights: sequence of L ≥ 1 arrays, ``weights[l-1]`` = W[l] of shape (n_l, n_{l−1}).
    X: (n_0, m).   Y: (n_L, m).   biases: sequence of L arrays, ``biases[l-1]`` = b[l] of
    shape (n_l, 1).
    check_finite: False skips the finiteness check (see ``validate_check_finite``); shapes,
    dtypes and types are checked all the same.
    """
    check_finite = validate_check_finite(check_finite)
    plain = _plain(weights, X, Y, check_finite=check_finite) if biases is None else None
    if plain is not None:
        return plain
    _check_sequence("weights", weights, "2-D arrays [W1, W2, ...]", "W")
    if len(weights) == 0:
        raise ValueError("`weights` is empty; a network needs at least one layer (L >= 1)")
    L = len(weights)
    if biases is not None:
        _check_sequence("biases", biases, "column arrays [b1, b2, ...] of shape (n_l, 1)", "b")
        if len(biases) != L:
            raise ValueError(f"`biases` has {len(biases)} array(s) but the network has L = {L} "
                             f"layer(s) (len(weights)); give one b[l] of shape (n_l, 1) per layer")

    given: list[tuple[str, Any]] = [(f"weights[{i}]", W) for i, W in enumerate(weights)]
    given += [("X", X)] + ([("Y", Y)] if Y is not None else [])
    given += [(f"biases[{i}]", b) for i, b in enumerate(biases)] if biases is not None else []
    raw = [(n, _as_array(n, v)) for n, v in given]

    # One float dtype for the whole computation, set by the float ndarrays that were passed.
    float_args = [(n, v.dtype) for n, v in given
                  if isinstance(v, np.ndarray) and v.dtype.kind == "f"]
    dtypes = {d for _, d in float_args}
    if len(dtypes) > 1:
        listing = ", ".join(f"`{n}` is {d}" for n, d in float_args)
        raise TypeError(f"mixed float dtypes: {listing}; convert them to one dtype, for example "
                        f"`[W.astype(np.float64) for W in weights]` and `X.astype(np.float64)`")
    dtype = dtypes.pop() if dtypes else np.dtype(np.float64)
    conv = {n: a if a.dtype == dtype else a.astype(dtype) for n, a in raw}

    Ws = [conv[f"weights[{i}]"] for i in range(L)]
    for i, W in enumerate(Ws):
        _check_2d(f"weights[{i}]", W, f"(n_{i + 1}, n_{i}) (the lecture's W[{i + 1}])")
    for i in range(1, L):
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

    bs: list[Array] | None = None
    if biases is not None:
        bs = [conv[f"biases[{i}]"] for i in range(L)]
        for i, b in enumerate(bs):
            n = Ws[i].shape[0]
            if b.shape != (n, 1):
                hint = (f"; pass `biases[{i}].reshape(-1, 1)`" if b.shape in ((n,), (1, n))
                        else "")
                raise ValueError(f"`biases[{i}]` has shape {b.shape} but must be (n_{i + 1}, 1) "
                                 f"= ({n}, 1), a column: b[{i + 1}] adds one number to each of "
                                 f"the {n} net inputs of layer {i + 1}{hint}")
    if check_finite:
        for name, arr in conv.items():
            _check_finite(name, arr)
    return Validated(Ws, A0, Yc, bs)


def validate_check_finite(check_finite: Any) -> bool:
    """``check_finite`` (scipy.linalg's convention): True, the default, reads every input once
    more to prove it finite and names the first NaN or ±inf in a ``ValueError``; False skips
    that read, for a caller who validated the data once: a NaN or ±inf input then gives
    NaN, ±inf or meaningless results, with no error."""
    if isinstance(check_finite, (bool, np.bool_)):
        return bool(check_finite)
    raise TypeError(f"`check_finite` must be True or False, got {type(check_finite).__name__} "
                    f"{check_finite!r}")


def validate_network(weights: Any, X: Any, Y: Any | None = None
                     ) -> tuple[list[Array], Array, Array | None]:
    """Check and convert ``weights``, ``X`` and (optionally) ``Y``; return them as float arrays.

    weights: sequence of L ≥ 1 arrays, ``weights[l-1]`` of shape (n_l, n_{l−1}).
    X:       (n_0, m).   Y: (n_L, m).
    The returned arrays are the caller's own when no conversion was needed: never write to them.
    """
    Ws, A0, Yc, _ = validate_arrays(weights, X, Y)
    return Ws, A0, Yc


def validate_activations(activation: Any, L: int) -> list[Activation]:
    """One activation per layer.

    activation: a name (``ACTIVATIONS``), an ``Activation``, a pair ``(g, g_prime)`` of
    functions, or a sequence of L of these (one per layer).
    """
    if _is_one_activation(activation):
        return [_one_activation("activation", activation)] * L
    if isinstance(activation, Sequence):
        if len(activation) != L:
            raise ValueError(f"`activation` lists {len(activation)} activation(s) but the network "
                             f"has L = {L} layer(s); give one name, or one per layer")
        return [_one_activation(f"activation[{i}]", a) for i, a in enumerate(activation)]
    raise TypeError(f"`activation` must be a name such as 'sigmoid', an Activation, a (g, g′) "
                    f"pair of functions, or a list of L of them, got {type(activation).__name__}")


def _is_pair(a: Any) -> bool:
    """A (g, g′) pair: two plain functions (not names, not Activation objects)."""
    return (isinstance(a, (tuple, list)) and len(a) == 2
            and all(callable(f) and not isinstance(f, Activation) for f in a))


def _is_one_activation(a: Any) -> bool:
    return isinstance(a, (str, Activation)) or _is_pair(a) or callable(a)


def _one_activation(name: str, a: Any) -> Activation:
    if isinstance(a, Activation):
        return a
    if _is_pair(a):
        return Activation.from_pair(a[0], a[1])
    if callable(a):
        raise TypeError(f"`{name}` is the function {getattr(a, '__name__', a)!r} without its "
                        f"derivative; pass the pair (g, g_prime) or Activation(name, g, g_prime)")
    if not isinstance(a, str):
        raise TypeError(f"`{name}` must be an activation name such as 'sigmoid', an "
                        f"Activation or a (g, g′) pair, got {type(a).__name__} {a!r}")
    if a in ACTIVATIONS:
        return ACTIVATIONS[a]
    close = difflib.get_close_matches(a.lower(), ACTIVATIONS, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"`{name}` is {a!r}, not a known activation; expected one of "
                     f"{', '.join(map(repr, ACTIVATIONS))}{hint}")


def validate_hidden_error(hidden_error: Any) -> str:
    """'exact' or 'lecture' (docs/hidden-error.md)."""
    if isinstance(hidden_error, str) and hidden_error in HIDDEN_ERRORS:
        return hidden_error
    close = (difflib.get_close_matches(hidden_error.lower(), HIDDEN_ERRORS, n=1, cutoff=0.5)
             if isinstance(hidden_error, str) else [])
    hint = f"; did you mean {close[0]!r}?" if close else ""
    exc = ValueError if isinstance(hidden_error, str) else TypeError
    raise exc(f"`hidden_error` is {hidden_error!r}; expected 'exact' "
              f"(E[l] = W[l+1]ᵀ(E[l+1] ⊙ g′(Z[l+1])), the true gradient) or 'lecture' "
              f"(E[l] = W[l+1]ᵀ E[l+1]){hint}")


def validate_alpha(alpha: Any) -> float:
    """The step size α: a finite real number > 0."""
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"`alpha` must be a real number (the step size α), got "
                        f"{type(alpha).__name__} {alpha!r}")
    value = float(alpha)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"`alpha` must be a finite positive number (the step size α), "
                         f"got {alpha!r}")
    return value
