"""How fast `fnlint server` answers an edit: the time from a `textDocument/didChange` (one
character typed) to the `publishDiagnostics` of that version, over stdio with a real LSP client,
for generated model files of about 100, 500 and 2,000 lines (`corpus.py`: correct Keras code,
so the check runs every rule over the whole module).

    python benchmarks/server.py                      # 100, 500 and 2,000 lines
    python benchmarks/server.py --lines 500 --edits 50 --json server.json

It also times one check in this process (the analysis and rules alone, what the server does
per edit besides the protocol) for the same files and edits, in wall and CPU time (on a
machine shared with other work the CPU time is what a check costs), re-parsing only the edited
statement as the server does, and the CPU time of a check that parses the whole module.
Needs the server extra (pygls).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests"), str(ROOT)]

import corpus  # noqa: E402
from lsprotocol import types  # noqa: E402
from lsp_client import Session  # noqa: E402


def model_file(lines: int, seed: int = 7) -> str:
    """A correct model module of at least `lines` lines, ending in a comment line to type in."""
    parts = 1
    while True:
        source = corpus.module(seed, parts)
        if len(source.splitlines()) >= lines:
            return source + "# edit\n"
        parts += 1


def percentile(values: list, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def over_stdio(source: str, edits: int, warmup: int = 3) -> list:
    """Seconds from each one-character edit to its diagnostics."""
    folder = tempfile.mkdtemp(prefix="fnlint-server-bench-")
    session = Session()
    await session.start(folder)
    uri = (Path(folder) / "model.py").as_uri()
    session.open(uri, source)
    await session.diagnostics_for(uri, 1, timeout=120)
    last = len(source.split("\n")) - 2  # the `# edit` line
    column = len("# edit")
    times = []
    for version in range(2, 2 + warmup + edits):
        started = time.perf_counter()
        session.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(last, column), types.Position(last, column)),
                text="x")]))
        column += 1
        await session.diagnostics_for(uri, version, timeout=120)
        arrived = session.diagnostics[uri][-1][2]
        if version >= 2 + warmup:
            times.append(arrived - started)
    await session.stop()
    return times


def in_process(source: str, repeats: int, incremental: bool) -> tuple:
    """Seconds of one check after a one-character edit, in this process (analysis and rules,
    what the server's worker does per edit), re-parsing only the edited statement as the
    server does (`incremental`) or the whole module: (wall times, CPU times; on a shared
    machine the CPU time is what a check costs)."""
    from fnlint.config import Config
    from fnlint.pipeline import Batch
    from fnlint.runner import finish, lint_file
    from fnlint.server.parsing import ParseCache
    from fnlint.sources import SourceFile

    rules = Batch(Config()).rules()
    parse = ParseCache().parse if incremental else None
    walls, cpus = [], []
    for _ in range(repeats + 1):
        source = source.replace("# edit", "# editx", 1)
        started, cpu = time.perf_counter(), time.process_time()
        finish(lint_file(SourceFile("model.py", False, source), rules, parse=parse), Config())
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return walls[1:], cpus[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", default="100,500,2000",
                        help="comma-separated sizes of the model files [default: 100,500,2000]")
    parser.add_argument("--edits", type=int, default=30, help="edits timed per size")
    parser.add_argument("--json", default=None, help="also write the results to this file")
    options = parser.parse_args()
    results = []
    print(f"{'lines':>6} {'edit→diagnostics':>17} {'p95':>9} {'check (server)':>15} "
          f"{'CPU':>8} {'check (whole parse) CPU':>24}")
    for lines in (int(n) for n in options.lines.split(",")):
        source = model_file(lines)
        served = asyncio.run(over_stdio(source, options.edits))
        alone, cpu = in_process(source, options.edits, incremental=True)
        _, whole_cpu = in_process(source, options.edits, incremental=False)
        row = {"lines": len(source.splitlines()), "edits": options.edits,
               "median_ms": statistics.median(served) * 1000,
               "p95_ms": percentile(served, 0.95) * 1000,
               "check_median_ms": statistics.median(alone) * 1000,
               "check_cpu_median_ms": statistics.median(cpu) * 1000,
               "whole_parse_check_cpu_median_ms": statistics.median(whole_cpu) * 1000}
        results.append(row)
        print(f"{row['lines']:>6} {row['median_ms']:>14.1f} ms {row['p95_ms']:>6.1f} ms "
              f"{row['check_median_ms']:>12.1f} ms {row['check_cpu_median_ms']:>5.1f} ms "
              f"{row['whole_parse_check_cpu_median_ms']:>21.1f} ms", flush=True)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
