"""Every rule's VALID and INVALID examples run as tests (Fixit's model)."""

import re
from pathlib import Path

import pytest

from fnlint.examples import findings
from fnlint.rules import VerifyRule, all_rules

RULES = all_rules()
STATIC = [rule for rule in RULES if not isinstance(rule, VerifyRule)]  # verify rules' examples
VALID = [pytest.param(rule, source, id=f"{rule.code}-valid-{i}")  # run in test_verify.py
         for rule in STATIC for i, source in enumerate(rule.VALID)]
INVALID = [pytest.param(rule, example, id=f"{rule.code}-invalid-{i}")
           for rule in STATIC for i, example in enumerate(rule.INVALID)]


@pytest.mark.parametrize("rule, source", VALID)
def test_valid_examples_are_not_reported(rule, source):
    assert findings(rule, source, getattr(source, "target", "3")) == []


@pytest.mark.parametrize("rule, example", INVALID)
def test_invalid_examples_are_reported(rule, example):
    found = findings(rule, example.code, example.target)
    assert [(f.code, f.line) for f in found] == [(rule.code, example.line)]
    for word in example.words:
        assert word in found[0].message + " " + (found[0].suggestion or ""), word


def test_every_rule_has_examples_and_documentation():
    for rule in RULES:
        if isinstance(rule, VerifyRule):  # each costs a Keras training run: one of each
            # (FN803 reports fnlint's own bugs: it has no wrong user code to show)
            assert rule.VALID and (rule.INVALID or rule.code == "FN803"), rule.code
        else:
            assert len(rule.VALID) >= 3 and len(rule.INVALID) >= 3, rule.code
        doc = rule.__doc__ or ""
        assert "## What it does" in doc and "## Why is this bad?" in doc and "## Example" in doc


def test_readme_rule_table_matches_the_registry():
    """The README's table is the public list of codes: every rule, with its name and severity."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): (m.group(2), m.group(3)) for m in
            re.finditer(r"^\| (FN\d{3}) \| ([a-z-]+) \| (error|warning|info) \|", readme, re.M)}
    registered = {rule.code: (rule.name, rule.severity) for rule in RULES}
    registered["FN000"] = ("analysis-error", "error")
    registered["FN001"] = ("unused-suppression", "info")
    assert rows == registered
