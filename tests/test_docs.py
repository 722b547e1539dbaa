"""The docs state what the code does: the Hypothesis profiles of docs/contributing.md are those
of tests/conftest.py, the README stays a landing page, and nothing cites a SPEC the repository
does not hold. (The Python blocks of README.md and docs/*.md run as tests of their own:
pytest-markdown-docs.)"""

from __future__ import annotations

import ast
import functools
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.helpers import word_counts

ROOT = Path(__file__).resolve().parent.parent
QUICK_START = ["pip install . && python -m manual_backprop",
               "pip install '.[test]' && python -m pytest -n auto"]


def test_the_profile_table_is_the_conftest() -> None:
    text = (ROOT / "docs" / "contributing.md").read_text("utf-8")
    rows = re.findall(r"^\| `(\w+)`[^|]*\| (\d+) \|", text, re.M)
    assert {name for name, _ in rows} == {"dev", "ci", "thorough", "mutation"}
    for name, examples in rows:
        assert settings.get_profile(name).max_examples == int(examples), name
    assert settings.get_profile("ci").derandomize and settings.get_profile("mutation").derandomize
    assert not settings.get_profile("thorough").derandomize


def test_the_readme_test_command_is_the_ci_one() -> None:
    assert QUICK_START[1] in (ROOT / ".ci" / "run").read_text("utf-8")


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


# ---- the Korean pages (README.ko.md, docs/hidden-error.ko.md, the Korean notebook) ----

KOREAN_NOTEBOOK = ROOT / "examples" / "lecture_walkthrough.ko.ipynb"


def _prose(markdown: str) -> str:
    """What a reader reads as sentences: code blocks (fenced and indented), inline code and link
    targets removed."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"^(    |\t).*$", "", text, flags=re.M)
    text = re.sub(r"`[^`\n]*`", "", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def _notebook(path: Path) -> dict[str, Any]:
    notebook: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return notebook


def _markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        return "\n\n".join("".join(cell["source"]) for cell in _notebook(path)["cells"]
                           if cell["cell_type"] == "markdown")
    return path.read_text("utf-8")


@pytest.mark.parametrize("name", ["README.md", "README.ko.md"])
def test_the_readmes_are_landing_pages(name: str) -> None:
    readme = (ROOT / name).read_text("utf-8")
    assert len(readme.splitlines()) <= 150
    for command in QUICK_START:
        assert command in readme
    if name == "README.ko.md":
        assert "python -m manual_backprop explain --lang ko" in readme
        assert "LANG=ko_KR.UTF-8" in readme


def test_the_readmes_link_each_other_from_their_first_line() -> None:
    assert "[한국어](README.ko.md)" in (ROOT / "README.md").read_text("utf-8").splitlines()[0]
    assert "(README.md)" in (ROOT / "README.ko.md").read_text("utf-8").splitlines()[0]
    korean_page = (ROOT / "docs" / "hidden-error.ko.md").read_text("utf-8")
    assert "(hidden-error.md)" in korean_page.split("\n## ")[0]


def _slug(heading: str) -> str:
    """The anchor mkdocs (Python-Markdown's toc) gives an ASCII heading."""
    return re.sub(r"[\s-]+", "-", re.sub(r"[^\w\s-]", "", heading.strip().lower()))


@pytest.mark.parametrize("name", ["README.md", "README.ko.md", "docs/index.md",
                                  "docs/hidden-error.ko.md", "docs/glossary.md"])
def test_the_links_of_the_landing_pages_resolve(name: str) -> None:
    page = ROOT / name
    for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text("utf-8")):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve()
        assert linked.is_file(), f"{name}: {target}"
        if anchor:
            headings = re.findall(r"^#+ (.*)$", linked.read_text("utf-8"), re.M)
            assert anchor in {_slug(h) for h in headings}, f"{name}: {target}"


@pytest.mark.parametrize("name", ["README.ko.md", "docs/hidden-error.ko.md",
                                  "examples/lecture_walkthrough.ko.ipynb"])
def test_the_korean_pages_are_korean(name: str) -> None:
    """Korean prose outside the code: ten times as many Korean words as English ones (names
    such as numpy, Hypothesis, sigmoid are English), and no paragraph left in English."""
    prose = _prose(_markdown_of(ROOT / name))
    korean, english = word_counts(prose)
    assert korean >= 10 * english, (korean, english)
    for paragraph in re.split(r"\n\s*\n", prose):
        korean, english = word_counts(paragraph)
        assert english < 8 or korean > english, paragraph


def test_the_korean_hidden_error_page_is_the_english_one() -> None:
    """The translation states what the English page states: the same claims in the same order,
    the same numbers, the same indented blocks (formulas, the network Hypothesis prints) and the
    same XOR table, "never" being "도달 못 함"."""
    en = (ROOT / "docs" / "hidden-error.md").read_text("utf-8")
    ko = (ROOT / "docs" / "hidden-error.ko.md").read_text("utf-8")
    assert re.findall(r"\[claim (\d+)\]", en) == re.findall(r"\[주장 (\d+)\]", ko)
    number = re.compile(r"\d+(?:\.\d+)?")
    assert set(number.findall(en)) == set(number.findall(ko))
    code = re.compile(r"^    .*$", re.M)                 # formulas, the network Hypothesis prints
    words = {"(exact)": "(정확한 정의)", "vs.": "대", "(lecture)": "(강의)",
             "exact ΔW": "정확한 ΔW", "lecture ΔW": "강의의 ΔW"}
    assert [functools.reduce(lambda line, w: line.replace(*w), words.items(), line)
            for line in code.findall(en)] == code.findall(ko)
    rows = re.compile(r"^\| \d+ \|.*$", re.M)
    assert [row.replace("never", "도달 못 함") for row in rows.findall(en)] == rows.findall(ko)
    assert re.findall(r"\]\(([\w-]+\.png)\)", en) == re.findall(r"\]\(([\w-]+\.png)\)", ko)


def _code_without_text(source: str) -> str:
    """A cell's code with comments and string constants left out: what it computes."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree)


def test_the_korean_notebook_is_the_english_one_in_korean() -> None:
    """The same code cells (only comments and printed text differ), a first code cell that sets
    the language to Korean, the same cells in the same order, and stored without outputs like
    the English one."""
    en, ko = _notebook(ROOT / "examples" / "lecture_walkthrough.ipynb"), _notebook(KOREAN_NOTEBOOK)
    assert [c["cell_type"] for c in en["cells"]] == [c["cell_type"] for c in ko["cells"]]
    en_code = ["".join(c["source"]) for c in en["cells"] if c["cell_type"] == "code"]
    ko_code = ["".join(c["source"]) for c in ko["cells"] if c["cell_type"] == "code"]
    first = ast.parse(ko_code[0])
    sets_korean = [stmt for stmt in first.body if "set_language" in ast.unparse(stmt)]
    assert [ast.unparse(stmt) for stmt in sets_korean] == [
        "from manual_backprop.i18n import set_language", "set_language('ko')"]
    first.body = [stmt for stmt in first.body if stmt not in sets_korean]
    ko_code[0] = ast.unparse(first)
    assert [_code_without_text(c) for c in en_code] == [_code_without_text(c) for c in ko_code]
    for cell in ko["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert len({cell["id"] for cell in en["cells"] + ko["cells"]}) == 2 * len(en["cells"])
    assert {k: v for k, v in ko.items() if k != "cells"} == {
        k: v for k, v in en.items() if k != "cells"}
    text = KOREAN_NOTEBOOK.read_text("utf-8")
    assert text == json.dumps(ko, indent=1, ensure_ascii=False) + "\n"     # as Jupyter saves


def test_the_korean_files_are_collected_by_the_suite() -> None:
    """README.ko.md's Python blocks run (pytest-markdown-docs on testpaths), and so do the
    Korean notebook (nbmake on examples/) and docs/hidden-error.ko.md (docs/)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    testpaths = config["tool"]["pytest"]["ini_options"]["testpaths"]
    assert {"README.md", "README.ko.md", "docs", "examples"} <= set(testpaths)
