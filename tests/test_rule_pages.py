"""docs/rules/FNxxx.md are generated from the rule classes: stale pages fail here (regenerate
with `python docs/generate_rule_pages.py`)."""

from conftest import ROOT
from fnlint.reporters.rule_docs import rule_pages
from fnlint.rules import documented_rules

FOLDER = ROOT / "docs" / "rules"


def test_rule_pages_are_up_to_date():
    expected = rule_pages(documented_rules())
    committed = {p.name: p.read_text(encoding="utf-8") for p in FOLDER.glob("*.md")}
    assert sorted(committed) == sorted(expected), "run python docs/generate_rule_pages.py"
    for name, text in expected.items():
        assert committed[name] == text, f"{name} is stale: run python docs/generate_rule_pages.py"


def test_every_code_has_a_page_with_the_rule_sections():
    for rule in documented_rules():
        page = (FOLDER / f"{rule.code}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {rule.code} {rule.name} ({rule.severity})")
        assert "## What it does" in page and "## Why is this bad?" in page
