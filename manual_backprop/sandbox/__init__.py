"""The sandbox: where a submission runs, apart from the judge that grades it.

One process per submission (``launch``: isolated by ``linux``), which loads its own copy of
the submission, calls the function when the judge asks and sends back what it returned and
its arguments as the call left them, as plain data (``wire``; the messages: ``serve``). It
decides nothing and holds nothing of the judge: it imports numpy and the standard library
only (and whatever the submission imports); tests/test_sandbox.py holds that.

The judge's side (starting a sandbox, speaking to it, a callable that stands for the
function) is ``reference.sandboxed``.
"""

from __future__ import annotations

__all__ = ["PROTOCOL_VERSION"]

PROTOCOL_VERSION = 1
"""The version of the messages of ``serve`` (``wire.MAGIC`` names it on every frame)."""
