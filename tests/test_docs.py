"""The docs state what the code does: the Hypothesis profiles of docs/contributing.md are those
of tests/conftest.py, the README stays a landing page, and nothing cites a SPEC the repository
does not hold. (The Python blocks of README.md and docs/*.md run as tests of their own:
pytest-markdown-docs.)"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_profile_table_is_the_conftest() -> None:
    text = (ROOT / "docs" / "contributing.md").read_text("utf-8")
    rows = re.findall(r"^\| `(\w+)`[^|]*\| (\d+) \|", text, re.M)
    assert {name for name, _ in rows} == {"dev", "ci", "thorough", "mutation"}
    for name, examples in rows:
        assert settings.get_profile(name).max_examples == int(examples), name
    assert settings.get_profile("ci").derandomize and settings.get_profile("mutation").derandomize
    assert not settings.get_profile("thorough").derandomize


def test_the_readme_is_a_landing_page() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 150
    quick_start = ["pip install . && python -m manual_backprop",
                   "pip install '.[test]' && python -m pytest -n auto"]
    assert all(command in readme for command in quick_start)
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert quick_start[1] in ci


def test_every_docs_page_is_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text("utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        assert f" {page.name}" in nav, page.name


def test_nothing_cites_a_spec() -> None:
    pattern = re.compile(r"SPEC (§|\.md)")
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if (path.suffix in {".py", ".md", ".toml", ".yml", ".ipynb", ".txt"} and path.is_file()
                and not parts & {".git", "site", "mutants", ".venv", "build"}):
            assert not pattern.search(path.read_text("utf-8", errors="replace")), path
