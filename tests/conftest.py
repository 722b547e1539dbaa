"""Hypothesis profiles, selected with the environment variable HYPOTHESIS_PROFILE:

* ``dev``      — fast, 50 examples per property, for iterating;
* ``ci``       — the default (and what .ci/run uses): 400 examples per property, derandomized
                 (the same networks on every run and machine) and printing the reproduction
                 blob of any failure;
* ``thorough`` — 10,000 examples per property, random, printing the blob:

      HYPOTHESIS_PROFILE=thorough python -m pytest -n auto tests/test_agreement.py \
          tests/test_metamorphic.py tests/test_lecture_hidden_error.py tests/test_numerics.py \
          tests/test_validation.py

At the end pytest prints how many networks each property checked and the largest errors seen;
under pytest-xdist (``-n auto``, the README's test command) the workers' counts are added up.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# parent: Hypothesis's own defaults, whatever the environment (with CI set, Hypothesis loads its
# built-in derandomized "ci" profile at import, which every profile would otherwise inherit)
_common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow],
               parent=settings.get_profile("default"))

settings.register_profile("dev", max_examples=50, **_common)
settings.register_profile("ci", max_examples=400, derandomize=True, print_blob=True, **_common)
settings.register_profile("thorough", max_examples=10_000, print_blob=True, **_common)
settings.register_profile("mutation", max_examples=50, derandomize=True, database=None, **_common)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# the commands print Korean when the locale says so: the suite runs them in an English locale
# (the Korean output has tests of its own, tests/test_i18n.py, which ask for it)
for _name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


def _load_every_local_module() -> None:
    """Hypothesis also draws numbers that appear as constants in the local modules loaded so far
    (hypothesis.internal.conjecture.providers._get_local_constants), so a module first loaded
    by one test changes the networks drawn by every later one: importing the xor module
    changed the network `check` found first for a catalogue function. Loading every
    one of them before the first test makes the derandomized ci profile draw the same networks
    whatever order the tests run in (pytest-xdist distributes them anew on every run)."""
    import importlib
    import pkgutil
    from pathlib import Path

    import manual_backprop
    import reference
    from manual_backprop.cli.check import load_function

    for package in (manual_backprop, reference):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.endswith(".__main__"):          # that one runs the command
                importlib.import_module(info.name)
    root = Path(__file__).resolve().parent.parent
    for path in [*sorted((root / "catalogue").glob("*/*.py")),
                 *sorted((root / "examples" / "adapters").glob("*.py"))]:
        load_function(f"{path}:backprop")


_load_every_local_module()


def pytest_collection_modifyitems(items) -> None:  # type: ignore[no-untyped-def]
    """In a mutation run (mutmut sets MUTANT_UNDER_TEST): the fast, direct tests first, so that
    ``-x`` stops a mutant at the first test that kills it (``tools/mutation/order.py``; mutmut's
    fork-server workers stall with the plugin passed as PYTEST_PLUGINS). Only the order changes."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        from tools.mutation.order import pytest_collection_modifyitems as fast_first

        fast_first(items)


def pytest_sessionfinish(session) -> None:  # type: ignore[no-untyped-def]
    """In a pytest-xdist worker: hand this worker's counts to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from tests import _stats

        workeroutput["networks"] = dict(_stats.networks)
        workeroutput["max_error"] = dict(_stats.max_error)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # type: ignore[no-untyped-def]
    """In the pytest-xdist controller: add up the counts of a finished worker."""
    from tests import _stats

    out = getattr(node, "workeroutput", {})
    for what, n in out.get("networks", {}).items():
        _stats.networks[what] = _stats.networks.get(what, 0) + n
    for what, err in out.get("max_error", {}).items():
        _stats.max_error[what] = max(_stats.max_error.get(what, 0.0), err)


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
    total = sum(n for what, n in _stats.networks.items() if not what.startswith("note:"))
    tr.write_line(f"total: {total} generated networks")
