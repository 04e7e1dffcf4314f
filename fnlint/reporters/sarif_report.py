"""SARIF 2.1.0 for code-scanning services: rule metadata and results with physical locations."""

from __future__ import annotations

import json
from pathlib import Path

from fnlint import __version__
from fnlint.reporters.rule_docs import full_description, summary_line

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
HELP_URI = "https://github.com/fnlint/fnlint#rules"
ANALYSIS_ERROR = ("FN000", "analysis-error", "error",
                  "The file could not be read or analyzed: a syntax error, an undecodable or "
                  "binary file, or an internal error.")


def _uri(path: str) -> str:
    return Path(path).as_posix()


def render(run) -> str:
    descriptors = [{
        "id": ANALYSIS_ERROR[0], "name": ANALYSIS_ERROR[1],
        "shortDescription": {"text": ANALYSIS_ERROR[3]},
        "defaultConfiguration": {"level": "error"}, "helpUri": HELP_URI,
    }]
    for rule in run.rules:
        descriptors.append({
            "id": rule.code, "name": rule.name,
            "shortDescription": {"text": summary_line(rule)},
            "fullDescription": {"text": full_description(rule)},
            "help": {"text": f"fnlint explain {rule.code}", "markdown": full_description(rule)},
            "helpUri": f"{HELP_URI}", "defaultConfiguration": {"level": LEVELS[rule.severity]},
        })
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for f in run.findings:
        region = {"startLine": f.line, "startColumn": f.column}
        if f.end_line is not None and f.cell is None:
            region.update(endLine=f.end_line, endColumn=f.end_column or f.column)
        message = f.message + (f" ({f.suggestion})" if f.suggestion else "")
        if f.cell is not None:
            message = f"cell {f.cell}, line {f.line}: {message}"
            region = {"startLine": 1}
        result = {
            "ruleId": f.code, "level": LEVELS[f.severity], "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": _uri(f.path)}, "region": region}}],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.cell is not None:
            result["properties"] = {"cell": f.cell, "lineInCell": f.line}
        results.append(result)
    document = {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "fnlint", "version": __version__,
                                      "informationUri": HELP_URI, "rules": descriptors}},
                  "results": results, "columnKind": "unicodeCodePoints"}],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
