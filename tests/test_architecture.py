"""The layers only point down: no import cycle anywhere in ``manual_backprop`` and ``reference``
(imports inside functions and under ``TYPE_CHECKING`` included), ``reference`` never imports the
command-line or teaching layers, and the kernel modules import numpy and the standard library only.

    kernel          manual_backprop/*.py                 numpy only
    language        manual_backprop/i18n/                the standard library (every layer's text)
    teaching        manual_backprop/teaching/            the kernel (and reference, for jax.grad)
    reference       reference/                           the kernel, jax, Hypothesis
    command line    manual_backprop/cli/, classroom/     all of the above
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("manual_backprop", "reference")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES
            for p in sorted((ROOT / package).rglob("*.py"))}


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """Every module (of ``modules``, or external top-level name) that ``path`` imports anywhere,
    plus the packages the import runs on the way (importing a.b.c runs a and a.b first), except
    the importing module's own enclosing packages, which are always initialised before it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base]
            targets += [f"{base}.{alias.name}" for alias in node.names
                        if f"{base}.{alias.name}" in modules]
        for target in targets:
            parts = target.split(".")
            found.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    own = name.split(".")
    return found - {".".join(own[: i + 1]) for i in range(len(own) - 1)}


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    modules = set(sources)
    return {name: _imports(name, path, modules) for name, path in sources.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the project's modules, or None."""
    state: dict[str, int] = {}            # 1: on the DFS stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in graph or nxt == node:
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_planted_cycle() -> None:
    graph = _graph()
    graph["manual_backprop.backprop"] = graph["manual_backprop.backprop"] | {"manual_backprop.cli"}
    assert _cycle(graph) is not None


def test_reference_never_imports_the_command_line_or_teaching_layers() -> None:
    for name, imported in _graph().items():
        if name.startswith("reference"):
            upward = {m for m in imported if m.startswith(("manual_backprop.cli",
                                                            "manual_backprop.classroom",
                                                            "manual_backprop.teaching"))}
            assert not upward, f"{name} imports {sorted(upward)}"


KERNEL = sorted(n for n in _sources() if n.count(".") <= 1 and n.startswith("manual_backprop")
                and n not in ("manual_backprop.cli", "manual_backprop.classroom",
                              "manual_backprop.teaching", "manual_backprop.__main__"))


@pytest.mark.parametrize("name", KERNEL)
def test_the_kernel_imports_numpy_and_the_standard_library_only(name: str) -> None:
    imported = _graph()[name]
    outside = {m.split(".")[0] for m in imported} - {"numpy", "manual_backprop", "__future__"}
    assert not {m for m in outside if m not in sys.stdlib_module_names}, sorted(outside)
    assert not {m for m in imported if m.startswith(("manual_backprop.cli",
                                                     "manual_backprop.teaching"))}, name
