"""The sandbox on its own: it imports no part of the judge; the wire carries plain data only and
refuses the rest; each layer of isolation stops the attack it is there for, in a process of
its own (``linux`` applied to a fresh child, nothing else)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from manual_backprop.sandbox import linux
from manual_backprop.sandbox.wire import NotPlain, ProtocolError, decode, encode

ROOT = Path(__file__).resolve().parent.parent


def test_the_sandbox_imports_no_jax_hypothesis_or_reference() -> None:
    code = ("import sys, manual_backprop.sandbox, manual_backprop.sandbox.launch, "
            "manual_backprop.sandbox.serve, manual_backprop.sandbox.notebook, "
            "manual_backprop.sandbox.linux, manual_backprop.sandbox.wire\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('jax', 'jaxlib', 'hypothesis', 'reference', 'nbformat'))\nprint(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_plain_data_goes_through_the_wire_unchanged() -> None:
    value = [[np.arange(6.0).reshape(2, 3), np.float32(2.5)], (None, True, 3, -1.5, "x"),
             {"dW1": np.ones((1, 1), dtype=np.float32), 2: float("nan")},
             np.array([np.zeros(2), None], dtype=object)]
    back = decode(*encode(value))
    assert back[0][0].tolist() == value[0][0].tolist() and back[0][1].dtype == np.float32
    assert back[1] == (None, True, 3, -1.5, "x")
    assert back[2]["dW1"].dtype == np.float32 and np.isnan(back[2][2])
    assert back[3].dtype == object and back[3][1] is None


class _Liar:
    def __eq__(self, other: object) -> bool:
        return True

    def __array__(self, *args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("asked")


@pytest.mark.parametrize("value", [_Liar(), [np.zeros(1), _Liar()], {"a": {1, 2}},
                                   np.ma.masked_array([1.0]), {(1, 2): 3}])
def test_anything_else_is_not_plain_and_never_asked(value: object) -> None:
    with pytest.raises(NotPlain):
        encode(value)


@pytest.mark.parametrize("tree", [{"t": "a", "d": "|O", "s": [1], "o": 0, "n": 8},
                                  {"t": "a", "d": "<f8", "s": [2], "o": 0, "n": 8},
                                  {"t": "a", "d": "<f8", "s": [1], "o": 4, "n": 8},
                                  {"t": "p", "v": "os.system"}, {"t": "l", "v": 3},
                                  {"t": "f", "v": "NaN-ish"}, {"t": "f", "v": []},
                                  {"t": "d", "k": [{"t": "l", "v": []}], "v": [None]}])
def test_the_judge_refuses_what_is_not_the_protocol(tree: object) -> None:
    with pytest.raises(ProtocolError):
        decode(tree, b"\0" * 8)


def _in_child(setup: str, attack: str) -> subprocess.CompletedProcess[str]:
    """Run ``attack`` in a fresh Python after the layer ``setup`` (code using ``linux``)."""
    code = f"import os, socket, sys\nfrom manual_backprop.sandbox import linux\n{setup}\n{attack}"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


READ = "open({path!r}).read(1); print('read')"


@pytest.mark.skipif(linux.landlock_abi() == 0, reason="no Landlock")
def test_landlock_alone_stops_reading_the_judges_source() -> None:
    judge = str(ROOT / "reference" / "check.py")
    assert _in_child("", READ.format(path=judge)).stdout == "read\n"       # without it
    denied = _in_child(f"linux.landlock([sys.prefix, sys.base_prefix, {str(ROOT)!r} + "
                       "'/manual_backprop'], [])", READ.format(path=judge))
    assert "PermissionError" in denied.stderr


@pytest.mark.skipif(linux.landlock_abi() < 4, reason="no Landlock TCP rules")
def test_landlock_alone_stops_tcp(unused_port: int) -> None:
    attack = f"socket.create_connection(('127.0.0.1', {unused_port}), timeout=1)"
    assert "ConnectionRefusedError" in _in_child("", attack).stderr       # the network is there
    denied = _in_child("linux.landlock(['/'], [])", attack)
    assert "PermissionError" in denied.stderr


def test_seccomp_alone_stops_network_sockets_and_io_uring() -> None:
    attack = "socket.socket(socket.AF_INET, socket.SOCK_STREAM); print('socket')"
    assert _in_child("", attack).stdout == "socket\n"
    denied = _in_child("linux.seccomp()", attack + "\n")
    assert "Address family not supported" in denied.stderr
    uring = ("import ctypes; r = ctypes.CDLL(None, use_errno=True).syscall(425, 8, "
             "ctypes.create_string_buffer(120)); print(r, ctypes.get_errno())")
    assert _in_child("linux.seccomp()", uring).stdout.split() == ["-1", "1"]    # EPERM


def test_rlimits_alone_stop_a_fork_bomb_of_nobody() -> None:
    bomb = ("import resource\nn = 0\ntry:\n    for _ in range(200):\n        if os.fork() == 0:\n"
            "            import time; time.sleep(2); os._exit(0)\n        n += 1\n"
            "except OSError:\n    pass\nprint(n)")
    setup = ("linux.set_limits(processes=8, file_mb=1, cpu_seconds=30, memory_mb=4096)\n"
             "linux.drop_root() if os.geteuid() == 0 else None")
    made = int(_in_child(setup, bomb).stdout)
    assert made < 8


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_pid_namespace_takes_a_setsid_grandchild_with_it(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("as root only here (a user namespace otherwise)")
    marker = tmp_path / "pid"
    code = ("import os, time\nfrom manual_backprop.sandbox import linux\n"
            "linux.unshare_namespaces(user=False)\nif os.fork() == 0:\n"
            "    if os.fork() == 0:\n        os.setsid()\n"
            "        if os.fork() == 0:\n"
            f"            open({str(marker)!r}, 'w').write(open('/proc/self/stat').read()"
            ".split()[0] if False else str(os.getpid()))\n            time.sleep(60)\n"
            "        os._exit(0)\n    time.sleep(1)\n    os._exit(0)\nos.wait()\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60, check=True)
    assert marker.exists()
    # the grandchild's pid is its pid in the namespace; none of its kind is alive
    alive = [p for p in os.listdir("/proc") if p.isdigit() and _sleeping_marker(p, marker)]
    assert alive == []


def _sleeping_marker(pid: str, marker: Path) -> bool:
    try:
        return str(marker) in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False
