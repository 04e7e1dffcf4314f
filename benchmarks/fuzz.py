"""Fuzzing fnlint with mutants of its own fixtures: no traceback, no hang, no crash.

    python benchmarks/fuzz.py                       # 3,000 mutants, seed 0
    python benchmarks/fuzz.py --count 10000 --seed 7 --keep /tmp/fuzz-failures

Each mutant is one fixture (Python, notebook, Markdown) with one to three random mutations: a
token deleted, a line duplicated, a line deleted, a huge literal (a 5,000-digit number, a
megabyte string, `* 10**12`) put in place of a number or a string, or the file cut short.  The
mutants go through the real pipeline (`pipeline.run`: worker processes with the time and
memory limits) and every result is judged: an FN000 naming an internal error is a traceback
inside fnlint, one saying the analysis crashed is a crash of the analysing process, one saying
it stopped after the time limit is a hang.  Anything else (findings, syntax errors, a clean
file) is a fine answer.  Failing mutants are written to `--keep` to reproduce them.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fnlint.config import Config  # noqa: E402
from fnlint.pipeline import Batch, run  # noqa: E402
from fnlint.sources import SourceFile  # noqa: E402

HUGE = ["9" * 5000, "10**12", "'a' * 10**12", "[0] * 10**9", repr("x" * 2**20),
        "-" * 3000 + "1", "(" * 300 + "1" + ")" * 300]
VERDICTS = {"internal error": "traceback", "analysis stopped: it crashed": "crash",
            "analysis stopped after": "hang"}


def fixtures() -> list:
    return sorted(p for p in (ROOT / "fixtures").rglob("*")
                  if p.suffix in (".py", ".ipynb", ".md", ".txt") and p.is_file())


def tokens(text: str) -> list:
    """(start offset, end offset, type) of the file's tokens, as far as it tokenizes."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE,
                              tokenize.INDENT, tokenize.DEDENT):
                continue
            (row, col), (end_row, end_col) = token.start, token.end
            out.append((starts[row - 1] + col, starts[end_row - 1] + end_col, token.type))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return out


def mutate(text: str, rng: random.Random) -> str:
    found = tokens(text)
    lines = text.splitlines(keepends=True) or [""]
    kind = rng.choice(["delete token", "duplicate line", "delete line", "huge literal",
                       "cut"])
    if kind == "delete token" and found:
        start, end, _ = rng.choice(found)
        return text[:start] + text[end:]
    if kind == "huge literal":
        literals = [t for t in found if t[2] in (tokenize.NUMBER, tokenize.STRING)]
        if literals:
            start, end, _ = rng.choice(literals)
            return text[:start] + rng.choice(HUGE) + text[end:]
    if kind == "duplicate line":
        index = rng.randrange(len(lines))
        return "".join(lines[:index + 1] + lines[index:])
    if kind == "delete line":
        index = rng.randrange(len(lines))
        return "".join(lines[:index] + lines[index + 1:])
    return text[:rng.randrange(len(text) + 1)]


def verdict(result) -> str:
    for finding in result.findings:
        if finding.code == "FN000":
            for words, name in VERDICTS.items():
                if words in finding.message:
                    return name
    return "fine"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    originals = [(path, path.read_text(encoding="utf-8")) for path in fixtures()]
    mutants = []
    for number in range(args.count):
        path, text = rng.choice(originals)
        for _ in range(rng.randint(1, 3)):
            text = mutate(text, rng)
        mutants.append(SourceFile(f"mutant{number:05d}{path.suffix}", True, text=text))
    started = time.perf_counter()
    results = run(Batch(Config(), timeout=args.timeout), mutants, args.jobs)
    seconds = time.perf_counter() - started
    counts: dict = {}
    for source, result in zip(mutants, results):
        name = verdict(result)
        counts[name] = counts.get(name, 0) + 1
        if name != "fine":
            print(f"{name}: {source.path}: {result.findings[0].message[:200]}")
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / source.path).write_text(source.text, encoding="utf-8")
    print(f"{args.count} mutants of {len(originals)} fixtures (seed {args.seed}) in "
          f"{seconds:.1f} s: " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items())))
    return 0 if set(counts) <= {"fine"} else 1


if __name__ == "__main__":
    sys.exit(main())
