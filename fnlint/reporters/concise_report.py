"""`path:line:col: CODE message` (flake8 / ruff style), one finding per line; in a notebook
`path:cell 7:line 3:col: ...`."""

from __future__ import annotations

from fnlint.reporters import printable


def render(run) -> str:
    return render_findings(run.findings, run.fixable)


def render_findings(findings: list, fixable=lambda finding: False) -> str:
    """One line per finding; `[*]` after the code of those `fixable(finding)`."""
    lines = []
    for f in findings:
        text = f"{f.location}: {f.code} {'[*] ' if fixable(f) else ''}{f.message}"
        if f.suggestion:
            text += f" ({f.suggestion})"
        lines.append(printable(text))
    return "\n".join(lines) + ("\n" if lines else "")
