"""The benchmark suite: fnlint against ruff, flake8 and pylint on the same Keras model files.

    python benchmarks/run.py                   # N=100 generated modules + the fixtures
    python benchmarks/run.py --sizes 100,1000,10000 --json results.json
    python benchmarks/run.py --sizes 0 --corpus ~/src/keras-io/examples   # real code too

For each corpus (the fixtures, then N generated modules from `corpus.py`) it measures, for
fnlint (cold: --no-cache, default jobs; warm: a second run on the cache) and for
`ruff check --select F`, `flake8 --select F` and `pylint --disable=all --enable=E` where they
are installed: wall time, CPU time, files per second and peak memory (each tool runs as a
subprocess).  It splits fnlint's own time into read, parse, analysis, rules and report (one
process, one file after the other), compares fnlint's CPU with a bare `libcst.parse_module`
of the same files, and times start-up: `fnlint --version` and a one-file lint, cold and warm.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

TOOLS = {
    "ruff F": ["ruff", "check", "--select", "F", "--no-cache", "--quiet", "--exit-zero"],
    "flake8 F": ["flake8", "--select", "F", "--exit-zero"],
    "pylint E": ["pylint", "--disable=all", "--enable=E", "--exit-zero", "--score=n"],
}


# Runs a command and reports its own resource use: a fresh process, so that the peak memory
# (the largest process of the command's tree) is this command's alone.
PROBE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024, "exit": result.returncode,
                  "stderr": result.stderr.decode(errors="replace")[-300:]}))
"""


def measure(command: list, cwd: Path) -> dict:
    """Wall and CPU seconds and peak memory of one command run to completion."""
    probe = subprocess.run([sys.executable, "-c", PROBE, *command], cwd=cwd,
                           capture_output=True, text=True, check=True)
    row = json.loads(probe.stdout)
    row["error"] = row.pop("stderr") if row["exit"] not in (0, 1) else None
    return row


def fnlint_command(*args) -> list:
    return [sys.executable, "-m", "fnlint", *args]


def split(paths: list) -> dict:
    """fnlint's time per phase, summed over the files (seconds of CPU in this process)."""
    import libcst as cst

    from fnlint.analyzer import analyze_source, parse_module
    from fnlint.reporters import Run, renderer
    from fnlint.rules import all_rules, run_rules
    from fnlint.runner import analyze_file, finish
    from fnlint.sources import SourceFile, read

    rules = all_rules()
    phases = dict.fromkeys(("read", "parse", "analysis", "rules", "report"), 0.0)
    findings = []
    for path in paths:
        source = SourceFile(str(path), True)
        start = time.process_time()
        text = read(source).text
        phases["read"] += time.process_time() - start
        if text is None:
            continue
        if path.suffix == ".py":
            start = time.process_time()
            try:
                parse_module(text)
            except cst.ParserSyntaxError:
                pass
            parse = time.process_time() - start
            start = time.process_time()
            analyze_source(text, str(path))
            phases["parse"] += parse
            phases["analysis"] += max(0.0, time.process_time() - start - parse)
        report = analyze_file(source)
        start = time.process_time()
        if report.analysis is not None and report.analysis.module is not None:
            report.findings.extend(run_rules(rules, report.analysis))
        findings.extend(finish(report).findings)
        phases["rules"] += time.process_time() - start
    start = time.process_time()
    renderer("concise").render(Run(findings, files=len(paths)))
    phases["report"] += time.process_time() - start
    return phases


def bare_parse(paths: list) -> float:
    """CPU seconds of `libcst.parse_module` alone over the same code fnlint analyzes: each
    Python file, and each notebook's code cells (read outside the timing)."""
    import libcst as cst

    from fnlint.documents import DocumentError, notebook

    codes = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            try:
                text = notebook(text).text
            except DocumentError:
                continue
        codes.append(text)
    start = time.process_time()
    for code in codes:
        try:
            cst.parse_module(code)
        except (cst.ParserSyntaxError, RecursionError):  # deliberate syntax errors, real oddities
            pass
    return time.process_time() - start


def bench_corpus(name: str, folder: Path, paths: list, tools: dict) -> dict:
    lines = sum(p.read_bytes().count(b"\n") for p in paths)
    print(f"\n== {name}: {len(paths)} files, {lines:,} lines")
    cache = folder / ".fnlint_cache"
    shutil.rmtree(cache, ignore_errors=True)
    rows = {"fnlint": measure(fnlint_command("check", "--no-cache", "--exit-zero", "."),
                              folder)}
    measure(fnlint_command("check", "--exit-zero", "."), folder)  # fills the cache
    rows["fnlint warm cache"] = measure(fnlint_command("check", "--exit-zero", "."), folder)
    rows["fnlint -j1"] = measure(fnlint_command("check", "--no-cache", "--exit-zero", "-j", "1",
                                                "."), folder)
    # flake8 and pylint read only the .py files: the comparison with them is on those alone.
    rows["fnlint .py only"] = measure(fnlint_command("check", "--no-cache", "--exit-zero",
                                                     "--exclude", "*.ipynb", "."), folder)
    shutil.rmtree(cache, ignore_errors=True)
    for tool, command in tools.items():
        if shutil.which(command[0]):
            rows[tool] = measure(command + ["."], folder)
    python_files = [p for p in paths if p.suffix == ".py"]
    result = {"files": len(paths), "python_files": len(python_files), "tools": rows,
              "libcst_parse_cpu": bare_parse(paths),
              "split": split(paths) if len(paths) <= 2000 else None}
    print(f"{'tool':20} {'wall s':>8} {'cpu s':>8} {'files/s':>9} {'peak MB':>8}")
    for tool, row in rows.items():
        row["files"] = len(paths) if tool in ("fnlint", "fnlint warm cache", "fnlint -j1") \
            else len(python_files)
        print(f"{tool:20} {row['wall']:8.2f} {row['cpu']:8.2f} "
              f"{row['files'] / row['wall']:9.0f} {row['peak_mb']:8.0f}"
              + (f"  (failed: {row['error']})" if row["error"] else ""))
    fn = rows["fnlint"]
    print(f"fnlint CPU / bare libcst parse: {fn['cpu'] / max(result['libcst_parse_cpu'], 1e-9):.2f}"
          f"   warm cache speed-up: {fn['wall'] / rows['fnlint warm cache']['wall']:.1f}x")
    for tool in ("pylint E", "flake8 F"):
        if tool in rows:
            print(f"{tool} wall / fnlint wall, on the {len(python_files)} .py files: "
                  f"{rows[tool]['wall'] / rows['fnlint .py only']['wall']:.1f}x")
    if result["split"]:
        print("fnlint time split (CPU s): " + ", ".join(
            f"{k} {v:.2f}" for k, v in result["split"].items()))
    return result


def copy_corpus(source: Path, folder: Path) -> list:
    """The .py and .ipynb files of a real folder, copied with their relative paths, so that
    every tool reads the same files and the cache lands in a scratch folder."""
    shutil.rmtree(folder, ignore_errors=True)
    paths = []
    for path in sorted(source.rglob("*")):
        if path.suffix in (".py", ".ipynb") and path.is_file() and not path.is_symlink():
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            paths.append(target)
    return paths


def file_size_scaling(work: Path) -> dict:
    """One generated module of growing size, checked alone with a time budget above the
    default 10 s: the time per line must stay flat (no quadratic step)."""
    out = {}
    print("\n== one file of growing size (--no-cache, -j 1)")
    for parts in (40, 400, 1800):  # about 500, 4,500 and 20,000 lines
        path = work / f"big_{parts}.py"
        path.write_text(corpus.module(parts, parts=parts), encoding="utf-8")
        lines = path.read_text(encoding="utf-8").count("\n")
        row = measure(fnlint_command("check", "--no-cache", "--exit-zero", "-j", "1",
                                     "--file-timeout", "120", path.name), work)
        out[lines] = row["wall"]
        print(f"{lines:8,} lines  {row['wall']:6.2f} s  {1000 * row['wall'] / lines:6.3f} ms/line"
              + (f"  (failed: {row['error']})" if row["error"] else ""))
    return out


def startup(sample: Path) -> dict:
    """Best of five: `fnlint --version`, and one small file, cold (no cache) and warm."""
    def best(command, cwd):
        return min(measure(command, cwd)["wall"] for _ in range(5))

    folder = sample.parent
    out = {"version": best(fnlint_command("--version"), folder),
           "one_file_cold": best(fnlint_command("check", "--no-cache", "--exit-zero",
                                                sample.name), folder)}
    measure(fnlint_command("check", "--exit-zero", sample.name), folder)
    out["one_file_warm"] = best(fnlint_command("check", "--exit-zero", sample.name), folder)
    print("\n== start-up (best of 5, wall s): " + ", ".join(f"{k} {v:.3f}"
                                                            for k, v in out.items()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100",
                        help="comma-separated numbers of generated modules (default 100; 0: none)")
    parser.add_argument("--json", dest="json_out", default=None, help="write the results here")
    parser.add_argument("--keep", default=None, help="generate the corpora in this folder")
    parser.add_argument("--corpus", action="append", default=[], metavar="DIR",
                        help="also measure a folder of real code (its .py and .ipynb files, "
                             "copied); repeatable")
    parser.add_argument("--fnlint-only", action="store_true",
                        help="leave out ruff, flake8 and pylint even where installed")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="fnlint-bench-"))
    results = {"python": sys.version.split()[0], "cores": os.cpu_count(), "corpora": {}}
    fixtures = work / "fixtures"
    shutil.rmtree(fixtures, ignore_errors=True)
    shutil.copytree(ROOT / "fixtures", fixtures)
    fixture_files = sorted(p for p in fixtures.rglob("*") if p.suffix in (".py", ".ipynb"))
    tools = {} if args.fnlint_only else TOOLS
    results["corpora"]["fixtures"] = bench_corpus("fixtures", fixtures, fixture_files, tools)
    for size in (int(s) for s in args.sizes.split(",") if s and int(s) > 0):
        folder = work / f"generated_{size}"
        shutil.rmtree(folder, ignore_errors=True)
        paths = corpus.write(folder, size)
        results["corpora"][f"generated_{size}"] = bench_corpus(f"generated {size}", folder,
                                                               paths, tools)
    for given in args.corpus:
        name, folder = f"corpus_{Path(given).name}", work / f"corpus_{Path(given).name}"
        paths = copy_corpus(Path(given).expanduser(), folder)
        results["corpora"][name] = bench_corpus(name, folder, paths, tools)
    results["file_size"] = file_size_scaling(work)
    results["startup"] = startup(fixtures / "seeds" / "s000_13_siamese_lstm.py")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
