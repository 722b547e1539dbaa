"""A pytest plugin for mutation runs (``-p tools.mutation.order``, or
``PYTEST_PLUGINS=tools.mutation.order`` as ``tools/mutation/rerun.py`` sets it; run from the
repository root or from mutmut's ``mutants/`` copy, see ``[tool.mutmut]`` in pyproject.toml): run
the fast, direct tests first, so that ``-x`` stops a mutant at the first test that can kill it
instead of after minutes of property tests. Only the order changes."""

from __future__ import annotations

from typing import Any

FIRST = ("tests/test_validation.py", "tests/test_worked_example.py", "tests/test_activations.py",
         "tests/test_condition.py", "tests/test_compare.py", "tests/test_diagnose.py",
         "tests/test_cli.py", "tests/test_explain.py", "tests/test_xor.py")


def _rank(nodeid: str) -> int:
    return next((i for i, path in enumerate(FIRST) if nodeid.startswith(path)), len(FIRST))


def pytest_collection_modifyitems(items: list[Any]) -> None:
    items.sort(key=lambda item: _rank(item.nodeid))     # stable: file order kept within a rank
