"""Each rule's docs are its contract: the example is flagged, the corrected code is silent, and
the page under docs/rules/ is the one the rule's class renders (as `tfv explain` prints it)."""
from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from flake8_tfv.analyze import Settings
from flake8_tfv.cli import main
from flake8_tfv.docs import nav_entries, pages, with_current_nav
from flake8_tfv.fix import findings
from flake8_tfv.rules import all_rules

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"
MKDOCS = Path(__file__).resolve().parent.parent / "mkdocs.yml"
RULES = all_rules()
ALL = Settings()


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"TFV[1-9]\d\d", c) for c in codes)
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_example_is_flagged(rule):
    code = textwrap.dedent(rule.example)
    ast.parse(code)
    assert rule.code in {d.code for d in findings(code, ALL)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_use_instead_is_silent(rule):
    code = textwrap.dedent(rule.use_instead)
    ast.parse(code)
    assert findings(code, ALL) == []


@pytest.mark.parametrize("name", sorted(pages()))
def test_docs_page_is_current(name):
    page = DOCS / name
    assert page.exists(), f"missing {page}: run `python -m flake8_tfv.docs`"
    assert page.read_text(encoding="utf-8") == pages()[name], f"{page} is stale: run `python -m flake8_tfv.docs`"


def test_no_stray_pages():
    assert {p.name for p in DOCS.glob("*.md")} == set(pages())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_prints_the_page(rule, capsys):
    assert main(["explain", rule.code.lower()]) == 0
    assert capsys.readouterr().out == rule.docs()


def test_every_rule_page_is_in_the_site_navigation():
    """mkdocs.yml lists each rule's page (`mkdocs build --strict` fails on a page left out of it)."""
    config = MKDOCS.read_text(encoding="utf-8")
    assert config == with_current_nav(config), "mkdocs.yml's rule pages are stale: run `python -m flake8_tfv.docs`"
    for rule in RULES:
        assert f"rules/{rule.code}.md" in config
    assert len(nav_entries()) == len(RULES)


def test_the_guide_pages_link_only_to_pages_that_exist():
    docs = DOCS.parent
    nav_pages = set(re.findall(r":\s*([\w/-]+\.md)\s*$", MKDOCS.read_text(encoding="utf-8"), re.MULTILINE))
    nav_pages |= set(re.findall(r"^\s*-\s*([\w/-]+\.md)\s*$", MKDOCS.read_text(encoding="utf-8"), re.MULTILINE))
    on_disk = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    assert nav_pages == on_disk
