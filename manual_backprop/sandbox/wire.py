"""The sandbox's protocol on the wire: framed messages, plain data, checked on every read.

A frame is ``MAGIC`` (4 bytes), the length of a JSON header and the length of a blob (two
unsigned big-endian integers, 4 and 8 bytes), the header (UTF-8 JSON object with a string
``"type"``) and the blob (the bytes of the arrays the header describes). No pickle: a value is
a tree of tagged JSON nodes,

    null                                    None
    {"t": "b" | "i" | "f" | "s", "v": ...}  bool, int, float ("nan", "inf", "-inf" as strings),
                                            str
    {"t": "a", "d": DTYPE, "s": SHAPE, "o": OFFSET, "n": NBYTES}
                                            a numpy array: dtype (``DTYPES``), shape, its bytes
                                            at blob[OFFSET : OFFSET + NBYTES] (C order)
    {"t": "o", "s": SHAPE, "v": [VALUE, ...]}   a numpy array of objects (each a value)
    {"t": "l" | "u", "v": [VALUE, ...]}     list, tuple
    {"t": "d", "k": [VALUE, ...], "v": [VALUE, ...]}   dict (keys: str, int or bool)

``decode`` (the judge's side) refuses anything else: an unknown tag, a dtype not in
``DTYPES``, a shape whose size does not match its bytes, bytes outside the blob, a tree deeper
than ``MAX_DEPTH`` or with more than ``MAX_NODES`` nodes, a string longer than
``MAX_STRING``. ``encode`` (the sandbox's side) refuses any other object with ``NotPlain``:
whatever its ``__eq__``, ``__array__`` or ``__float__`` would say, it is never asked.

Standard library and numpy only.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["DTYPES", "MAGIC", "MAX_BLOB", "MAX_DEPTH", "MAX_HEADER", "MAX_NODES", "MAX_STRING",
           "Message", "NotPlain", "ProtocolError", "decode", "encode", "read_frame",
           "write_frame"]

MAGIC = b"MBS1"
_PREFIX = struct.Struct(">4sIQ")
MAX_HEADER = 4 << 20           # bytes of JSON in one frame
MAX_BLOB = 1 << 30             # bytes of arrays in one frame
MAX_DEPTH = 16
MAX_NODES = 100_000
MAX_STRING = 64 << 10
DTYPES = frozenset(np.dtype(t).str for t in (
    np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
    np.float16, np.float32, np.float64, np.complex64, np.complex128))
_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}

Message = dict[str, Any]


class ProtocolError(Exception):
    """A frame or a value that is not the protocol's (the message says what)."""


class NotPlain(TypeError):
    """A value that is not plain data (``type_name``: its type's name)."""

    def __init__(self, type_name: str) -> None:
        super().__init__(type_name)
        self.type_name = type_name


# -- frames -----------------------------------------------------------------------------------

def write_frame(fd: int, header: Message, blob: bytes = b"") -> None:
    """Write one frame to the file descriptor ``fd`` (all of it)."""
    data = json.dumps(header, ensure_ascii=True, allow_nan=False).encode("ascii")
    view = memoryview(b"".join([_PREFIX.pack(MAGIC, len(data), len(blob)), data, blob]))
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exactly(read: Callable[[int], bytes], n: int) -> bytes:
    parts: list[bytes] = []
    while n:
        chunk = read(min(n, 1 << 20))
        if not chunk:
            raise EOFError("the pipe closed in the middle of a frame" if parts else "end of file")
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def read_frame(read: Callable[[int], bytes], max_blob: int = MAX_BLOB
               ) -> tuple[Message, bytes]:
    """One frame from ``read(n)`` (which returns up to n bytes, b"" at the end): its header
    and blob. EOFError at the end; ProtocolError for a frame that is not one."""
    magic, header_size, blob_size = _PREFIX.unpack(_read_exactly(read, _PREFIX.size))
    if magic != MAGIC:
        raise ProtocolError(f"not a frame (it starts with {magic!r})")
    if header_size > MAX_HEADER or blob_size > max_blob:
        raise ProtocolError(f"a frame too large ({header_size} + {blob_size} bytes)")
    raw = _read_exactly(read, header_size)
    blob = _read_exactly(read, blob_size)

    def no_constant(name: str) -> Any:
        raise ProtocolError(f"{name} in the header")

    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=no_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"a header that is not JSON: {exc}") from None
    if not isinstance(header, dict) or not isinstance(header.get("type"), str):
        raise ProtocolError("a header without a type")
    return header, blob


# -- values -----------------------------------------------------------------------------------

class _Encoder:
    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.nodes = 0

    def value(self, x: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise NotPlain("a structure too deep or too large")
        kind = type(x)
        if x is None:
            return None
        if kind is bool:
            return {"t": "b", "v": x}
        if kind is int:
            if abs(x) >= 1 << 63:
                raise NotPlain("int too large")
            return {"t": "i", "v": x}
        if kind is float:
            return {"t": "f", "v": x if math.isfinite(x) else str(x)}
        if kind is str:
            if len(x) > MAX_STRING:
                raise NotPlain("str too long")
            return {"t": "s", "v": x}
        if kind is list or kind is tuple:
            return {"t": "l" if kind is list else "u",
                    "v": [self.value(item, depth + 1) for item in x]}
        if kind is dict:
            keys = list(x)
            if any(type(k) not in (str, int, bool) for k in keys):
                raise NotPlain("dict with keys that are not str or int")
            return {"t": "d", "k": [self.value(k, depth + 1) for k in keys],
                    "v": [self.value(x[k], depth + 1) for k in keys]}
        if isinstance(x, np.generic) and type(x).__module__ == "numpy":
            return self.value(np.array(x), depth)
        if kind is np.ndarray:
            if x.dtype == object:
                return {"t": "o", "s": list(x.shape),
                        "v": [self.value(item, depth + 1) for item in x.ravel().tolist()]}
            if x.dtype.str not in DTYPES:
                raise NotPlain(f"ndarray of dtype {x.dtype}")
            data = np.ascontiguousarray(x).tobytes()
            node = {"t": "a", "d": x.dtype.str, "s": list(x.shape), "o": self.size,
                    "n": len(data)}
            self.parts.append(data)
            self.size += len(data)
            return node
        raise NotPlain(kind.__name__)


def encode(value: Any) -> tuple[Any, bytes]:
    """``value`` as a JSON tree and a blob (NotPlain for anything else than the module's
    plain data; the exact types only: a subclass is not asked what it is)."""
    encoder = _Encoder()
    tree = encoder.value(value)
    return tree, b"".join(encoder.parts)


class _Decoder:
    def __init__(self, blob: bytes) -> None:
        self.blob = blob
        self.nodes = 0

    def fail(self, why: str) -> ProtocolError:
        return ProtocolError(f"a value that is not plain data: {why}")

    def shape(self, node: Any) -> tuple[int, ...]:
        if not isinstance(node, list) or len(node) > 32 or not all(
                type(n) is int and 0 <= n < 1 << 40 for n in node):
            raise self.fail("a bad shape")
        return tuple(node)

    def value(self, node: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise self.fail("too deep or too large")
        if node is None:
            return None
        if not isinstance(node, dict) or not isinstance(node.get("t"), str):
            raise self.fail(f"a node {type(node).__name__}")
        tag, v = node["t"], node.get("v")
        if tag == "b" and type(v) is bool:
            return v
        if tag == "i" and type(v) is int and abs(v) < 1 << 63:
            return v
        if tag == "f" and isinstance(v, str) and v in _FLOATS:
            return _FLOATS[v]
        if tag == "f" and isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        if tag == "s" and type(v) is str and len(v) <= MAX_STRING:
            return v
        if tag in ("l", "u") and type(v) is list:
            items = [self.value(item, depth + 1) for item in v]
            return items if tag == "l" else tuple(items)
        if tag == "d" and type(v) is list and type(node.get("k")) is list:
            keys = [self.value(k, depth + 1) for k in node["k"]]
            if len(keys) != len(v) or any(type(k) not in (str, int, bool) for k in keys):
                raise self.fail("a dict's keys")
            return dict(zip(keys, [self.value(item, depth + 1) for item in v]))
        if tag == "a":
            return self.array(node)
        if tag == "o" and type(v) is list:
            shape = self.shape(node.get("s"))
            if math.prod(shape) != len(v):
                raise self.fail("an object array's size")
            out = np.empty(len(v), dtype=object)
            for i, item in enumerate(v):
                out[i] = self.value(item, depth + 1)
            return out.reshape(shape)
        raise self.fail(f"the node {tag!r}")

    def array(self, node: dict[str, Any]) -> np.ndarray[Any, Any]:
        dtype, offset, size = node.get("d"), node.get("o"), node.get("n")
        if dtype not in DTYPES:
            raise self.fail(f"the dtype {dtype!r}")
        shape = self.shape(node.get("s"))
        if type(offset) is not int or type(size) is not int or not (
                0 <= offset <= offset + size <= len(self.blob)):
            raise self.fail("bytes outside the frame")
        kind = np.dtype(dtype)
        if math.prod(shape) * kind.itemsize != size:
            raise self.fail("a shape that does not match its bytes")
        data = self.blob[offset: offset + size]
        return np.frombuffer(data, dtype=kind).reshape(shape).copy()


def decode(tree: Any, blob: bytes) -> Any:
    """The value of ``tree`` (``encode``'s), its arrays' bytes in ``blob``: fresh, writable
    arrays. ProtocolError for anything that is not the protocol's."""
    return _Decoder(blob).value(tree)
