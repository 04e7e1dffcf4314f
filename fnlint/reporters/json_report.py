"""A JSON array of findings (the contract other tools read)."""

from __future__ import annotations

import json


def render(run) -> str:
    return json.dumps([f.as_dict() for f in run.findings], indent=2, ensure_ascii=False) + "\n"
