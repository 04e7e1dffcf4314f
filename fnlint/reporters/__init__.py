"""Reporters turn one run's findings into text; they never analyze.  Every finding reporter has
`render(run) -> str` over the same `Run`."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github")


@dataclass
class Run:
    findings: list
    files: int = 0  # files analyzed
    skipped: int = 0  # files skipped before parsing (no mention of Keras)
    seconds: float = 0.0
    rules: list = field(default_factory=list)  # the rules that ran (for SARIF metadata)
    sources: dict = field(default_factory=dict)  # (path, cell) -> source lines, for code frames


def renderer(name: str):
    """The module that renders format `name` (imported only when used)."""
    from importlib import import_module

    return import_module(f"fnlint.reporters.{name.replace('-', '_')}_report")
