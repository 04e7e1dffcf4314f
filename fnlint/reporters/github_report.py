"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

    ::error file=app.py,line=7,col=5,endLine=7,endColumn=20,title=FN301 incompatible-merge::msg
"""

from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(run) -> str:
    lines = []
    for f in run.findings:
        # a notebook finding sits on the notebook's real line: the line of the .ipynb file
        line, column = (f.file_line, f.file_column) if f.file_line is not None else (
            f.line, f.column)
        where = f"file={_property(f.path)},line={line},col={column}"
        if f.end_line is not None and f.end_column is not None and f.cell is None:
            where += f",endLine={f.end_line},endColumn={f.end_column}"
        message = f.message + (f" ({f.suggestion})" if f.suggestion else "")
        if f.cell is not None:
            message = f"cell {f.cell}, line {f.line}: {message}"
        lines.append(f"::{LEVELS[f.severity]} {where},title={_property(f'{f.code} {f.name}')}"
                     f"::{_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
