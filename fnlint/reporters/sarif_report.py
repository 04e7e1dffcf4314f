"""SARIF 2.1.0 for code-scanning services: rule metadata and results with physical locations."""

from __future__ import annotations

import json
from pathlib import Path

from fnlint import __version__
from fnlint.reporters.rule_docs import full_description, summary_line

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    return Path(path).as_posix()


def help_uri(docs_url, code: str):
    """The rule's page (`docs/rules/FN301.md`) under the documentation base URL
    (`--docs-url` / FNLINT_DOCS_URL), or None when none is set: never a made-up address."""
    if not docs_url:
        return None
    return f"{docs_url.rstrip('/')}/{code}.md"


def render(run) -> str:
    descriptors = []
    for rule in run.rules:
        descriptor = {
            "id": rule.code, "name": rule.name,
            "shortDescription": {"text": summary_line(rule)},
            "fullDescription": {"text": full_description(rule)},
            "help": {"text": f"fnlint explain {rule.code}", "markdown": full_description(rule)},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
        }
        uri = help_uri(run.docs_url, rule.code)
        if uri:
            descriptor["helpUri"] = uri
        descriptors.append(descriptor)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for f in run.findings:
        region = {"startLine": f.line, "startColumn": f.column}
        if f.end_line is not None and f.cell is None:
            region.update(endLine=f.end_line, endColumn=f.end_column or f.column)
        message = f.message + (f" ({f.suggestion})" if f.suggestion else "")
        if f.cell is not None:
            message = f"cell {f.cell}, line {f.line}: {message}"
            region = {"startLine": f.file_line or 1}
            if f.file_column is not None:
                region["startColumn"] = f.file_column
        result = {
            "ruleId": f.code, "level": LEVELS[f.severity], "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.path)}, "region": region}}],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.cell is not None:
            result["properties"] = {"cell": f.cell, "lineInCell": f.line}
        if f.text_fix and f.cell is None:
            result["fixes"] = [_fix(f.path, f.text_fix)]
        results.append(result)
    document = {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "fnlint", "version": __version__,
                                      "rules": descriptors}},
                  "results": results, "columnKind": "unicodeCodePoints"}],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _fix(path: str, fix: dict) -> dict:
    """A SARIF `fix`: each text edit a replacement of a region (SARIF has no applicability:
    it is kept in the fix's properties, `unsafe` ones need `--unsafe-fixes`)."""
    return {
        "description": {"text": fix["message"]},
        "artifactChanges": [{"artifactLocation": {"uri": _uri(path)}, "replacements": [{
            "deletedRegion": {"startLine": edit["location"]["row"],
                              "startColumn": edit["location"]["column"],
                              "endLine": edit["end_location"]["row"],
                              "endColumn": edit["end_location"]["column"]},
            "insertedContent": {"text": edit["content"]}} for edit in fix["edits"]]}],
        "properties": {"applicability": fix["applicability"]},
    }
