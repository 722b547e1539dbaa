"""Hypothesis profiles: ``dev`` (fast), ``ci`` (default; derandomized, prints the blob),
``thorough`` (≥ 100,000 networks). Select with the environment variable HYPOTHESIS_PROFILE."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])

settings.register_profile("dev", max_examples=50, **_common)
settings.register_profile("ci", max_examples=300, derandomize=True, print_blob=True, **_common)
settings.register_profile("thorough", max_examples=20_000, print_blob=True, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    from tests import _stats

    if not _stats.networks:
        return
    tr = terminalreporter
    tr.section("networks checked")
    for what, n in sorted(_stats.networks.items()):
        err = _stats.max_error.get(what)
        tail = f", largest relative error {err:.3g}" if err is not None else ""
        tr.write_line(f"{what}: {n} networks{tail}")
    tr.write_line(f"total: {sum(_stats.networks.values())} generated networks")
