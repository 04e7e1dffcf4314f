"""GitLab Code Quality: the JSON array a merge request's Code Quality widget reads
(`artifacts: reports: codequality:`), one issue per finding with a stable fingerprint."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def _fingerprint(f, seen: dict) -> str:
    """Stable across runs while the finding stays (path, code, message; not the line, which
    moves when code is added above), unique within the report."""
    base = hashlib.sha256(f"{f.path}\0{f.code}\0{f.message}".encode()).hexdigest()
    seen[base] = seen.get(base, 0) + 1
    if seen[base] == 1:
        return base
    return hashlib.sha256(f"{base}\0{seen[base]}".encode()).hexdigest()


def render(run) -> str:
    seen: dict = {}
    issues = []
    for f in run.findings:
        line, column = (f.file_line, f.file_column) if f.file_line is not None else (
            f.line, f.column)
        message = f.message + (f" ({f.suggestion})" if f.suggestion else "")
        if f.cell is not None:
            message = f"cell {f.cell}, line {f.line}: {message}"
        issues.append({
            "type": "issue", "check_name": f.code, "description": f"{f.code} {message}",
            "categories": ["Bug Risk"], "severity": SEVERITIES[f.severity],
            "fingerprint": _fingerprint(f, seen),
            "location": {"path": Path(f.path).as_posix(), "positions": {
                "begin": {"line": line, "column": column},
                "end": {"line": line + (f.end_line or f.line) - f.line,
                        "column": column + (f.end_column or f.column) - f.column}}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
