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


def render_page(rule) -> str:
    """The rule's page, `docs/rules/FNxxx.md` (what SARIF's helpUri points at)."""
    examples = "".join(f"\n```python\n{source.strip()}\n```\n" for source in rule.VALID[:1])
    page = render_explanation(rule)
    if examples:
        page += f"\n## Code the rule accepts\n{examples}"
    return page + (f"\nSuppress it on one line with `# noqa: {rule.code}`; configure it with "
                   f"`select`, `ignore` and `severity` under `[tool.fnlint]`.\n"
                   if rule.code != "FN000" else "")


def render_index(rules: list) -> str:
    """`docs/rules/README.md`: every page, by code."""
    rows = "".join(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.severity} | "
                   f"{summary_line(rule)} |\n" for rule in rules)
    return ("# fnlint rules\n\nGenerated from the rule classes by "
            "`python docs/generate_rule_pages.py`: do not edit by hand.\n\n"
            "| code | name | severity | reports |\n|---|---|---|---|\n" + rows)


def rule_pages(rules: list) -> dict:
    """File name -> text of every rule page and the index."""
    pages = {f"{rule.code}.md": render_page(rule) for rule in rules}
    pages["README.md"] = render_index(rules)
    return pages
