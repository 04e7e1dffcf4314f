"""`path:line:col: CODE message` (flake8 / ruff style), one finding per line."""

from __future__ import annotations


def render(findings: list) -> str:
    lines = []
    for f in findings:
        text = f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}"
        if f.suggestion:
            text += f" ({f.suggestion})"
        lines.append(text)
    return "\n".join(lines) + ("\n" if lines else "")
