"""Times verify mode: TensorFlow's import in the worker, then per model the build and the
training of each compile, on the seed fixtures by default.  Needs the verify extra.

Run: python benchmarks/verify_models.py [--steps N] [--json OUT] [PATH...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from fnlint.rules import VerifyRule, all_rules
from fnlint.pipeline import verify_reports
from fnlint.runner import lint_file
from fnlint.sources import discover
from fnlint.verify import session

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "fixtures" / "seeds")])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--json", dest="json_out", default=None)
    args = parser.parse_args()
    rules = [rule for rule in all_rules() if isinstance(rule, VerifyRule)]
    reports = [lint_file(source, rules) for source in discover(args.paths)]
    verified = verify_reports(reports, rules, session.Options(steps=args.steps))
    models = []
    for item in verified.verified:
        if item.outcome is None:
            continue
        result = item.result
        models.append({
            "path": item.target.path, "model": item.target.name, "status": item.status,
            "params": item.keras_params, "build_seconds": result.get("build_seconds"),
            "train_seconds": [run.seconds for run in item.runs],
            "total_seconds": item.seconds, "peak_mb": result.get("peak_mb")})
    small = [m for m in models if m["params"] is not None and m["params"] < 1_000_000]
    figures = {
        "keras": verified.keras.get("keras"),
        "import_seconds": verified.keras.get("import_seconds"),
        "models": len(verified.verified), "verified": len(models),
        "median_build_seconds": _median(m["build_seconds"] for m in models),
        "median_train_seconds_per_compile": _median(
            s for m in models for s in m["train_seconds"]),
        "median_total_seconds_small_models": _median(m["total_seconds"] for m in small),
        "max_total_seconds": max((m["total_seconds"] for m in models), default=None),
        "total_seconds": verified.seconds,
    }
    for key, value in figures.items():
        print(f"{key:36} {value:.2f}" if isinstance(value, float) else f"{key:36} {value}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"figures": figures, "models": models},
                                                  indent=2))
    return 0


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


if __name__ == "__main__":
    sys.exit(main())
