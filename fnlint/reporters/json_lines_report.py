"""One JSON object per finding per line (streams well through `jq` and log collectors)."""

from __future__ import annotations

import json


def render(run) -> str:
    return "".join(json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in run.findings)
