"""Every rule's VALID and INVALID examples run as tests (Fixit's model)."""

import textwrap

import pytest

from fnlint.analyzer import analyze_source
from fnlint.rules import all_rules

RULES = all_rules()
VALID = [(rule, source) for rule in RULES for source in rule.VALID]
INVALID = [(rule, example) for rule in RULES for example in rule.INVALID]


def findings(rule, source):
    return list(rule.check(analyze_source(textwrap.dedent(source), "example.py")))


@pytest.mark.parametrize("rule, source", VALID, ids=lambda v: getattr(v, "code", ""))
def test_valid_examples_are_not_reported(rule, source):
    assert findings(rule, source) == []


@pytest.mark.parametrize("rule, example", INVALID, ids=lambda v: getattr(v, "code", ""))
def test_invalid_examples_are_reported(rule, example):
    found = findings(rule, example.code)
    assert [(f.code, f.line) for f in found] == [(rule.code, example.line)]
    for word in example.words:
        assert word in found[0].message + " " + (found[0].suggestion or ""), word


def test_every_rule_has_examples_and_documentation():
    for rule in RULES:
        assert len(rule.VALID) >= 3 and len(rule.INVALID) >= 3, rule.code
        doc = rule.__doc__ or ""
        assert "## What it does" in doc and "## Why is this bad?" in doc and "## Example" in doc
