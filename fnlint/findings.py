"""Findings: what rules (and the analyzer, for FN000) report."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Optional

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    name: str
    severity: str
    message: str
    end_line: Optional[int] = None
    end_column: Optional[int] = None
    suggestion: Optional[str] = None
    notes: tuple = field(default=())  # extra lines for the human reporter (shapes, origins)
    cell: Optional[int] = None  # notebooks: the 1-based cell; `line` is then within the cell
    file_line: Optional[int] = None  # notebooks: the line in the .ipynb file (GitHub, GitLab)
    file_column: Optional[int] = None
    fix: Any = field(default=None, compare=False, repr=False)  # fixes.Fix edit(s) repairing it
    text_fix: Optional[dict] = field(default=None, compare=False, repr=False)  # as text edits
    # `safe` or `unsafe` where a fix exists but has no text form (a notebook's cells): what a
    # finding read back from the cache still says of it (`[*]`).
    fix_applicability: Optional[str] = field(default=None, compare=False, repr=False)
    # Other places the finding names (the other branch of a merge, where an array was built):
    # (line, column, end_line, end_column, message), in the analyzed program's lines (a
    # notebook's: all code cells in a row).
    related: tuple = field(default=(), compare=False)

    def sort_key(self):
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    @property
    def location(self) -> str:
        """`path:line:col`, or `path:cell 7:line 3:col` inside a notebook."""
        if self.cell is not None:
            return f"{self.path}:cell {self.cell}:line {self.line}:{self.column}"
        return f"{self.path}:{self.line}:{self.column}"

    def as_dict(self) -> dict:
        return {
            "path": self.path, "line": self.line, "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
            "code": self.code, "name": self.name, "severity": self.severity,
            "message": self.message, "suggestion": self.suggestion, "cell": self.cell,
            "fix": self.text_fix,
        }


def analysis_error(path: str, message: str, line: int = 1, column: int = 1,
                   suggestion: Optional[str] = None) -> Finding:
    """FN000: the file could not be read or analyzed."""
    return Finding(path, line, column, "FN000", "analysis-error", ERROR, message,
                   suggestion=suggestion)


BUG_HINT = ("this is a bug in fnlint: please report it with the file that triggers it "
            "(fnlint {version})")


def internal_error(path: str, err: Exception, where: str = "analysis") -> Finding:
    """FN000 for an exception of fnlint's own (`where`: the analysis, or a rule's code), with
    the place it was raised and a request to report it."""
    import traceback

    from fnlint import __version__

    frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    place = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    return analysis_error(
        path, f"internal error in {where}: {type(err).__name__}: {err}{place}",
        suggestion=BUG_HINT.format(version=__version__))


def one_per_site(findings: list) -> list:
    """One finding per code and span: a line reached by many loop iterations or inlined call
    sites is one mistake to fix, not one per pass.  Where the passes disagree (other shapes at
    another call site), the first is kept and its message says how many variants there are."""
    groups: dict = {}
    for finding in findings:
        key = (finding.path, finding.cell, finding.code, finding.line, finding.column,
               finding.end_line, finding.end_column)
        groups.setdefault(key, []).append(finding)
    out = []
    for group in groups.values():
        first = group[0]
        variants = len(dict.fromkeys(f.message for f in group))
        if variants > 1:
            first = replace(first, message=f"at {variants} call sites or loop iterations, "
                                           f"e.g. {first.message}")
        out.append(first)
    return out
