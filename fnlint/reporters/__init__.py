"""Reporters turn one run's findings into text; they never analyze.  Every finding reporter has
`render(run) -> str` over the same `Run`."""

from __future__ import annotations

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


def renderer(name: str):
    """The module that renders format `name` (imported only when used)."""
    from importlib import import_module

    return import_module(f"fnlint.reporters.{name.replace('-', '_')}_report")
