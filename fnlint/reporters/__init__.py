"""Reporters turn one run's findings into text; they never analyze.  Every finding reporter has
`render(run) -> str` over the same `Run`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")


@dataclass
class Run:
    findings: list
    files: int = 0  # files analyzed
    skipped: int = 0  # files skipped before parsing (no mention of Keras)
    seconds: float = 0.0
    rules: list = field(default_factory=list)  # the rules that ran (for SARIF metadata)
    sources: dict = field(default_factory=dict)  # (path, cell) -> source lines, for code frames
    docs_url: Optional[str] = None  # where docs/rules/FNxxx.md are published (SARIF helpUri)
    unsafe_fixes: bool = False  # fixes that may change behaviour count as applicable

    def fixable(self, finding) -> bool:
        """Whether `--fix` (with this run's `--unsafe-fixes`) repairs the finding: `[*]`; read
        from its fix edits, or from their text form in a finding read back from the cache."""
        if finding.fix is not None:
            from fnlint.fixes import edits  # the analysis ran here: libcst is loaded

            return any(fix.safe or self.unsafe_fixes for fix in edits(finding))
        text = finding.text_fix
        known = text["applicability"] if text is not None else finding.fix_applicability
        return known is not None and (known == "safe" or self.unsafe_fixes)

    def fixable_line(self) -> str:
        """`[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`)`, or nothing (ruff's
        closing line)."""
        count = sum(map(self.fixable, self.findings))
        hidden = sum(1 for f in self.findings if (f.fix is not None or f.text_fix is not None
                                                   or f.fix_applicability is not None)
                     and not self.fixable(f))
        if not count:
            return f"{hidden} fixable with `--fix --unsafe-fixes`" if hidden else ""
        more = f" ({hidden} more with `--unsafe-fixes`)" if hidden else ""
        return f"[*] {count} fixable with `--fix`{more}"

    def summary_line(self) -> str:
        """`2 errors, 1 warning in 3 files checked (1 skipped: no Keras) in 0.12 s`."""
        counts: dict = {}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
                 for s in ("error", "warning", "info") if s in counts]
        found = ", ".join(parts) if parts else "no findings"
        return (f"{found} in {self.files} file{'s' if self.files != 1 else ''} checked"
                f" ({self.skipped} skipped: no Keras) in {self.seconds:.2f} s")


# C0 and C1 controls (newlines, ESC), DEL, bidirectional marks and overrides, lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with control characters escaped (`\\n`, `\\x1b`, `\\u202e`), for the human
    formats: a string literal or a file name cannot print a fake `path:1:1: FN999` line or a
    terminal escape sequence (json, sarif and github escape them their own way)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def renderer(name: str):
    """The module that renders format `name` (imported only when used)."""
    from importlib import import_module

    return import_module(f"fnlint.reporters.{name.replace('-', '_')}_report")
