"""`--statistics`: how many findings of each code, most frequent first."""

from __future__ import annotations

from collections import Counter


def render(findings: list) -> str:
    counts = Counter((f.code, f.name) for f in findings)
    lines = [f"{n:>5}  {code}  {name}" for (code, name), n in
             sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    return "\n".join(lines) + ("\n" if lines else "")
