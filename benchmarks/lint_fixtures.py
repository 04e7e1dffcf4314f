"""Times fnlint on every fixture: libcst parse alone, full analysis (graphs, shapes, rules),
and positions, in CPU milliseconds per file.  Run: python benchmarks/lint_fixtures.py [PATH...]

The budget (issue: analysis must cost no more than parsing) reads off the last column.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import libcst as cst

from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize
from fnlint.rules import all_rules
from fnlint.runner import check_file
from fnlint.sources import SourceFile, discover, read

ROOT = Path(__file__).resolve().parent.parent


def cpu(fn, repeat: int = 5) -> float:
    """Best CPU time of `repeat` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main(paths: list) -> None:
    sources = [s for s in discover(paths or [str(ROOT / "fixtures")])]
    texts = [(s.path, read(SourceFile(s.path, True)).text) for s in sources]
    texts = [(p, t) for p, t in texts if t is not None]
    lines = sum(t.count("\n") + 1 for _, t in texts)
    rules = all_rules()

    def parse_all():
        for _, text in texts:
            try:
                cst.parse_module(text)
            except cst.ParserSyntaxError:
                pass

    def analyze_all():
        for path, text in texts:
            analyze_source(text, path)

    def check_all():
        for source in sources:
            check_file(source, rules)

    def summary_all():
        for path, text in texts:
            analysis = analyze_source(text, path)
            if analysis.module is not None:
                summarize(analysis)

    n = len(texts)
    parse = cpu(parse_all)
    results = [("libcst.parse_module", parse), ("analyze (parse + graphs + shapes)", cpu(analyze_all)),
               ("fnlint check (read + analyze + rules)", cpu(check_all)),
               ("fnlint summary (analyze + positions)", cpu(summary_all))]
    print(f"{n} files, {lines} lines")
    print(f"{'step':40} {'total ms':>10} {'ms/file':>9} {'x parse':>8}")
    for name, seconds in results:
        print(f"{name:40} {seconds * 1000:10.1f} {seconds * 1000 / n:9.2f} {seconds / parse:8.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
