"""The oracle's persistent compilation cache (``_enable_compilation_cache`` in jax_oracle.py):
on by default in ``$XDG_CACHE_HOME/manual-backprop/jax``, off with
``MANUAL_BACKPROP_NO_JAX_CACHE=1``, never taking over a cache directory the user configured for
jax, and never caching the user's own jax compilations. Each case runs in a new process (the
setting is read once, at import)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = """
import numpy as np, jax, jax.numpy as jnp
import reference
reference.gradients([np.ones((2, 3))], np.ones((3, 4)), np.zeros((2, 4)), "tanh")
jax.jit(lambda x: jnp.sin(x) * 3)(jnp.ones(5)).block_until_ready()   # the user's own jit
"""


def _run(tmp_path: Path, **env: str) -> None:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("MANUAL_BACKPROP_", "JAX_", "XDG_CACHE_HOME"))}
    clean.update(XDG_CACHE_HOME=str(tmp_path / "xdg"), JAX_PLATFORMS="cpu", **env)
    subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, env=clean, check=True,
                   timeout=300)


def _entries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*")) if directory.is_dir() else []


@pytest.mark.parametrize("variable", ["", "MANUAL_BACKPROP_JAX_CACHE_DIR"])
def test_the_oracle_caches_its_own_compilations_and_nothing_else(tmp_path: Path,
                                                                 variable: str) -> None:
    ours = tmp_path / "xdg" / "manual-backprop" / "jax"
    if variable:
        ours = tmp_path / "chosen"
    _run(tmp_path, **({variable: str(ours)} if variable else {}))
    entries = _entries(ours)
    assert entries, f"no cache entry in {ours}"
    assert all(e.startswith("jit__masked_loss") for e in entries), entries   # not the user's jit


def test_the_cache_is_off_with_MANUAL_BACKPROP_NO_JAX_CACHE(tmp_path: Path) -> None:
    _run(tmp_path, MANUAL_BACKPROP_NO_JAX_CACHE="1")
    assert _entries(tmp_path / "xdg" / "manual-backprop" / "jax") == []


def test_a_cache_directory_the_user_configured_for_jax_is_left_alone(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    _run(tmp_path, JAX_COMPILATION_CACHE_DIR=str(theirs))
    assert _entries(tmp_path / "xdg" / "manual-backprop" / "jax") == []
    # (what jax writes to theirs follows their own threshold, 1 s by default: on a loaded
    # machine the oracle's compilation can take longer, so nothing is asserted about it)
