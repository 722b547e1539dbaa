"""Reading the user's own network for ``manual-backprop explain --file FILE``.

Two formats, with the same names as the slides (W[l] of shape (n_l, n_{l−1}), X = A[0] of
shape (n_0, m) with one sample per column, Y of shape (n_L, m)):

``.json``::

    {"weights": [W1, W2, ...],          # each a list of rows, W[l] has n_l rows
     "X": [[...], ...],                  # n_0 rows, m columns
     "Y": [[...], ...],                  # n_L rows, m columns
     "activation": "sigmoid",            # optional: one name or a list of L names
     "alpha": 0.5}                       # optional: the step size α

``.npz`` (``numpy.savez``): arrays ``W1``, ``W2``, ..., ``WL``, ``X``, ``Y``, and optionally
``activation`` (a string or an array of L strings) and ``alpha`` (a number).

Every problem is a ``FileFormatError`` with a one-line message (the CLI prints it and exits 2),
in the current language (``manual_backprop.i18n``: English unless a command chose Korean).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..i18n import _
from ..validation import validate_activations, validate_alpha, validate_network

__all__ = ["FileFormatError", "NetworkFile", "load_network"]

_JSON_KEYS = {"weights", "X", "Y", "activation", "alpha"}


class FileFormatError(ValueError):
    """The file cannot be read as a network; the message is one line, meant for the user."""


@dataclass(frozen=True)
class NetworkFile:
    """A network read from a file: weights[l-1] = W[l] (n_l, n_{l−1}), X (n_0, m), Y (n_L, m);
    activation and alpha are None when the file does not set them."""

    weights: list[NDArray[np.float64]]
    X: NDArray[np.float64]
    Y: NDArray[np.float64]
    activation: str | list[str] | None
    alpha: float | None


def _fail(path: Path, message: str) -> FileFormatError:
    return FileFormatError(f"{path}: {' '.join(message.split())}")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _fail(path, _("not valid JSON: {problem} at line {line}, column {column}").format(
            problem=exc.msg, line=exc.lineno, column=exc.colno)) from None
    except UnicodeDecodeError:
        raise _fail(path, _("not valid JSON: the file is not UTF-8 text")) from None
    if not isinstance(data, dict):
        raise _fail(path, _("expected a JSON object with keys \"weights\", \"X\", \"Y\", got a "
                            "{type}").format(type=type(data).__name__))
    unknown = sorted(set(data) - _JSON_KEYS)
    if unknown:
        raise _fail(path, _("unknown key(s) {keys}; expected \"weights\", \"X\", \"Y\" and "
                            "optionally \"activation\", \"alpha\"").format(
                                keys=", ".join(map(repr, unknown))))
    if "weights" in data and not isinstance(data["weights"], list):
        raise _fail(path, _("\"weights\" must be a list of matrices [W1, W2, ...], got "
                            "{type}").format(type=type(data["weights"]).__name__))
    return data


def _read_npz(path: Path) -> dict[str, Any]:
    if path.is_file() and not zipfile.is_zipfile(path):
        raise _fail(path, _("not a valid .npz file (write it with numpy.savez)"))
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (zipfile.BadZipFile, EOFError):
        raise _fail(path, _("not a valid .npz file (write it with numpy.savez)")) from None
    except ValueError as exc:   # object arrays need pickle, which we never allow
        raise _fail(path, _("cannot read the .npz file: {problem}").format(problem=exc)
                    ) from None
    layer_keys = sorted((k for k in arrays if re.fullmatch(r"W[1-9][0-9]*", k)),
                        key=lambda k: int(k[1:]))
    unknown = sorted(set(arrays) - set(layer_keys) - (_JSON_KEYS - {"weights"}))
    if unknown:
        raise _fail(path, _("unknown array(s) {names}; expected W1, W2, ..., WL, X, Y and "
                            "optionally activation, alpha").format(
                                names=", ".join(map(repr, unknown))))
    if not layer_keys:
        raise _fail(path, _("no weights: expected arrays W1, W2, ..., WL (W1 is the lecture's "
                            "W[1])"))
    expected = [f"W{l}" for l in range(1, len(layer_keys) + 1)]
    if layer_keys != expected:
        raise _fail(path, _("the weights must be W1..WL without gaps, got {names}").format(
            names=", ".join(layer_keys)))
    def f64(a: NDArray[Any]) -> NDArray[Any]:   # explain computes in float64
        return a.astype(np.float64) if a.dtype.kind == "f" else a

    data: dict[str, Any] = {"weights": [f64(arrays[k]) for k in layer_keys]}
    for key in ("X", "Y", "alpha"):
        if key in arrays:
            data[key] = f64(arrays[key])
    if "activation" in arrays:
        act = arrays["activation"]
        if act.dtype.kind != "U":
            raise _fail(path, _("`activation` must be a string array, got dtype {dtype}"
                                ).format(dtype=act.dtype))
        data["activation"] = str(act) if act.ndim == 0 else [str(a) for a in act.ravel()]
    return data


def _activation(path: Path, value: Any, L: int) -> str | list[str] | None:
    if value is None:
        return None
    if not (isinstance(value, str) or (isinstance(value, list)
                                        and all(isinstance(v, str) for v in value))):
        raise _fail(path, _("\"activation\" must be a name or a list of {L} names, got "
                            "{value!r}").format(L=L, value=value))
    try:
        validate_activations(value, L)
    except (TypeError, ValueError) as exc:
        raise _fail(path, str(exc)) from None
    return value


def _alpha(path: Path, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        if value.shape != () or value.dtype.kind not in "fiu":
            raise _fail(path, _("`alpha` must be one number, got an array of shape {shape}"
                                ).format(shape=value.shape))
        value = value.item()
    try:
        return validate_alpha(value)
    except (TypeError, ValueError) as exc:
        raise _fail(path, str(exc)) from None


def load_network(path: str | Path) -> NetworkFile:
    """Read a network from a ``.json`` or ``.npz`` file (format in the module docstring).

    The weights, X and Y are checked exactly as ``manual_backprop.gradients`` checks them
    (shapes chain, finite numbers); any problem raises ``FileFormatError`` with one line.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if not suffix:
        raise _fail(p, _("unknown file type '(none)'; expected .json or .npz"))
    if suffix not in (".json", ".npz"):
        raise _fail(p, _("unknown file type {suffix!r}; expected .json or .npz").format(
            suffix=p.suffix))
    try:
        data = _read_json(p) if suffix == ".json" else _read_npz(p)
    except FileNotFoundError:
        raise _fail(p, _("no such file")) from None
    except IsADirectoryError:
        raise _fail(p, _("is a directory, expected a .json or .npz file")) from None
    except PermissionError:
        raise _fail(p, _("permission denied")) from None
    except OSError as exc:
        raise _fail(p, _("cannot read the file: {problem}").format(problem=exc.strerror or exc)
                    ) from None
    missing = [k for k in ("weights", "X", "Y") if k not in data]
    if missing:
        what = "W1, W2, ..." if suffix == ".npz" else "\"weights\""
        names = ", ".join(what if k == "weights" else k for k in missing)
        raise _fail(p, _("missing {names}; a network file needs the weights, X and Y"
                         ).format(names=names))
    if not data["weights"]:
        raise _fail(p, _("\"weights\" is empty; a network needs at least one layer"))
    try:
        Ws, X, Y = validate_network(list(data["weights"]), data["X"], data["Y"])
    except (TypeError, ValueError) as exc:
        raise _fail(p, str(exc)) from None
    assert Y is not None
    if any(a.dtype != np.float64 for a in (*Ws, X, Y)):   # explain works in float64
        Ws, X, Y = [W.astype(np.float64) for W in Ws], X.astype(np.float64), Y.astype(np.float64)
    activation = _activation(p, data.get("activation"), len(Ws))
    return NetworkFile([np.array(W) for W in Ws], np.array(X), np.array(Y), activation,
                       _alpha(p, data.get("alpha")))
