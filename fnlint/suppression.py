"""Inline suppression comments, as flake8 and ruff users write them.

`# noqa` (every code) or `# noqa: FN201,FN3` on the line of a finding, `# fnlint:
ignore[FN201]` likewise, and `# fnlint: skip-file` anywhere at the start of a line.  A comment
naming only other tools' codes (`# noqa: E501`) is not fnlint's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fnlint.findings import INFO, Finding

UNUSED_CODE, UNUSED_NAME = "FN001", "unused-suppression"

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+\d*(?:[\s,]+[A-Za-z]+\d*)*))?", re.I)
_IGNORE = re.compile(r"#\s*fnlint:\s*ignore\[(?P<codes>[^\]]*)\]")
_SKIP_FILE = re.compile(r"^\s*#\s*fnlint:\s*skip-file\b", re.M)


@dataclass
class Suppression:
    line: int
    column: int
    codes: tuple  # code prefixes; empty means every code
    used: set = field(default_factory=set)

    def matches(self, code: str) -> bool:
        return not self.codes or any(code.startswith(prefix) for prefix in self.codes)


def skip_file(text: str) -> bool:
    return _SKIP_FILE.search(text) is not None


def parse(text: str) -> dict:
    """Suppressions by line number."""
    found: dict = {}
    if "noqa" not in text and "fnlint:" not in text:
        return found
    for number, line in enumerate(text.split("\n"), start=1):
        if "#" not in line:
            continue
        for pattern in (_NOQA, _IGNORE):
            match = pattern.search(line)
            if match is None:
                continue
            raw = match.group("codes")
            codes = tuple(c.upper() for c in re.split(r"[\s,]+", raw or "") if c)
            if raw is not None and not any(c.startswith("FN") for c in codes):
                continue  # another tool's codes
            found.setdefault(number, []).append(
                Suppression(number, match.start() + 1, tuple(c for c in codes
                                                             if c.startswith("FN"))))
    return found


def apply(findings: list, suppressions: dict) -> list:
    """The findings no comment suppresses (on the finding's first or last line)."""
    kept = []
    for finding in findings:
        lines = {finding.line, finding.end_line or finding.line}
        hit = next((s for line in lines for s in suppressions.get(line, ())
                    if s.matches(finding.code)), None)
        if hit is None or finding.code == "FN000":
            kept.append(finding)
        else:
            hit.used.add(finding.code)
    return kept


def unused(path: str, suppressions: dict) -> list:
    """FN001 for each comment that suppressed nothing."""
    out = []
    for entries in suppressions.values():
        for entry in entries:
            if entry.used:
                continue
            what = ", ".join(entry.codes) if entry.codes else "every code"
            out.append(Finding(path, entry.line, entry.column, UNUSED_CODE, UNUSED_NAME, INFO,
                               f"this suppression ({what}) matches no finding",
                               suggestion="remove the comment"))
    return out
