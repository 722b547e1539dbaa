"""``manual_backprop`` is a numpy-only kernel: importing it never imports jax or Hypothesis."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_kernel_imports_numpy_and_the_standard_library_only() -> None:
    code = ("import sys, manual_backprop; "
            "print(','.join(m for m in ('jax', 'jaxlib', 'hypothesis', 'reference', 'scipy', "
            "'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import manual_backprop pulled in: {out.stdout.strip()}"
