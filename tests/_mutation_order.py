"""A pytest plugin for mutation runs (``-p tests._mutation_order``, see ``[tool.mutmut]`` in
pyproject.toml): run the fast, direct tests first, so that ``-x`` stops a mutant at the first
test that can kill it instead of after minutes of property tests. Only the order changes."""

from __future__ import annotations

from typing import Any

FIRST = ("tests/test_validation.py", "tests/test_mutation_killers.py",
         "tests/test_worked_example.py", "tests/test_activations.py", "tests/test_explain.py",
         "tests/test_xor.py")


def _rank(nodeid: str) -> int:
    return next((i for i, path in enumerate(FIRST) if nodeid.startswith(path)), len(FIRST))


def pytest_collection_modifyitems(items: list[Any]) -> None:
    items.sort(key=lambda item: _rank(item.nodeid))     # stable: file order kept within a rank
