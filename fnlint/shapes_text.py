"""Shapes in the words of messages and reports: `(None, 28, 28)`, `(10,)`, `?` when unknown.

Neutral ground: the analyzer writes its errors with it, rules their messages (through
`fnlint.facts`), reporters their tables, and none of them has to import another for it."""

from __future__ import annotations

from typing import Optional


def format_shape(shape: Optional[tuple]) -> str:
    if shape is None:
        return "?"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
