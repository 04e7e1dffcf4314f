"""`fnlint rules` and `fnlint explain CODE`: the rule catalog as people read it."""

from __future__ import annotations

import inspect
import json
import re


def summary_line(rule) -> str:
    """The first sentence of a rule's "What it does" section."""
    doc = inspect.getdoc(type(rule)) or ""
    body = doc.split("## What it does", 1)[-1].split("##", 1)[0]
    text = " ".join(body.split())
    return re.split(r"\.\s+(?=[A-Z])", text)[0].rstrip(".") + "." if text else ""


def render_list(rules: list) -> str:
    width = max((len(rule.name) for rule in rules), default=0)
    lines = [f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  {summary_line(rule)}"
             for rule in rules]
    return "\n".join(lines) + "\n"


def render_json(rules: list) -> str:
    """`fnlint rules --format json`: what tools read of the catalog (ruff's keys)."""
    return json.dumps([{"code": rule.code, "name": rule.name, "severity": rule.severity,
                        "summary": summary_line(rule), "explanation": full_description(rule)}
                       for rule in rules], indent=2) + "\n"


def render_explanation(rule) -> str:
    doc = inspect.getdoc(type(rule)) or ""
    return f"# {rule.code} {rule.name} ({rule.severity})\n\n{doc}\n"


def full_description(rule) -> str:
    """The rule's whole documentation (Markdown)."""
    return inspect.getdoc(type(rule)) or summary_line(rule)
