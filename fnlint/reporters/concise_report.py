"""`path:line:col: CODE message` (flake8 / ruff style), one finding per line; in a notebook
`path:cell 7:line 3:col: ...`."""

from __future__ import annotations


def render(run) -> str:
    return render_findings(run.findings)


def render_findings(findings: list) -> str:
    lines = []
    for f in findings:
        text = f"{f.location}: {f.code} {f.message}"
        if f.suggestion:
            text += f" ({f.suggestion})"
        lines.append(text)
    return "\n".join(lines) + ("\n" if lines else "")
