"""The ecosystem check: fnlint on pinned releases of real, released Keras code.

    python benchmarks/ecosystem.py                       # every package below
    python benchmarks/ecosystem.py --packages keras,spektral --json after.json
    python benchmarks/ecosystem.py --baseline before.json --check

Released, tested library code is a precision oracle: every error or warning fnlint reports
there is false until shown otherwise.  The true ones, each reviewed and with its reason, are
listed in `ecosystem_expected.toml`; every other error or warning is *unexpected* and printed
separately (`--check` exits 1 on any).  Each package is fetched once with
`pip download --no-deps` into a cache outside the repository (`--cache`, default
`~/.cache/fnlint-ecosystem`), unpacked, linted with `fnlint check --format json` and summarized
with `fnlint summary --format json` (the models resolved fully, partly or not at all), each in
a subprocess that imports the fnlint of `PYTHONPATH`.  `--path NAME=DIR[:SUB]` lints a local
tree instead (the test does so on the installed Keras, offline).
"""

from __future__ import annotations

import argparse
import email.parser
import inspect
import json
import resource
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections import Counter
from functools import lru_cache
from pathlib import Path

from fnlint.summaries import per_site  # plain data: the same counting as `summary --stats`

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "ecosystem_expected.toml"
DEFAULT_CACHE = Path("~/.cache/fnlint-ecosystem").expanduser()

# name on PyPI: (pinned version, the Keras its code is written for, its code's folders).  Chosen
# for being mostly Keras code and small enough to lint in a minute or less each.  The Keras is
# passed as `--target-keras` to the fnlint versions that have the setting.
PACKAGES = {
    "keras": ("3.15.1", "3", ["keras"]),
    "tf-keras": ("2.21.0", "2", ["tf_keras"]),
    "keras-hub": ("0.32.0", "3", ["keras_hub"]),
    "keras-cv": ("0.9.0", "3", ["keras_cv"]),
    "segmentation-models": ("1.0.1", "2", ["segmentation_models"]),
    "keras-unet-collection": ("0.1.13", "2", ["keras_unet_collection"]),
    "keras-tcn": ("3.5.7", "2", ["tcn"]),
    "vit-keras": ("0.2.0", "3", ["vit_keras"]),
    "efficientnet": ("1.1.1", "2", ["efficientnet"]),
    "image-classifiers": ("1.0.0", "2", ["classification_models"]),
    "keras-retinanet": ("1.0.0", "2", ["keras_retinanet"]),
    "keras-ocr": ("0.9.3", "2", ["keras_ocr"]),
    "spektral": ("1.3.1", "2", ["spektral"]),
    "qkeras": ("0.9.0", "2", ["qkeras"]),
    "larq": ("0.14.0", "2", ["larq"]),
    "autokeras": ("3.0.0", "3", ["autokeras"]),
    "keras-tuner": ("1.4.8", "3", ["keras_tuner"]),
    "tf-models-official": ("2.20.0", "2", ["official"]),
}
# Released only as an sdist: pip reads its metadata by running its setup.py, as `pip install`
# would.  Every other package is fetched as a wheel only, so no downloaded code ever runs.
SDIST_ONLY = {"keras-retinanet"}
README = "README.md"  # the release's long description, its usage examples: linted too
LOUD = ("error", "warning")  # the severities that are false until shown otherwise


def fetch(name: str, version: str, cache: Path) -> Path:
    """The unpacked release (downloaded and unpacked once; later runs reuse the cache)."""
    root = cache / "src" / f"{name}-{version}"
    if root.is_dir():
        return root
    downloads = cache / "downloads" / f"{name}-{version}"
    downloads.mkdir(parents=True, exist_ok=True)
    if not any(downloads.iterdir()):
        kind = [] if name in SDIST_ONLY else ["--only-binary", ":all:"]
        fetched = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                                  *kind, "--quiet", "--disable-pip-version-check", "-d",
                                  str(downloads), f"{name}=={version}"],
                                 capture_output=True, text=True)
        if fetched.returncode != 0:
            raise SystemExit(f"{name}: pip download {name}=={version} failed:\n"
                             f"{fetched.stderr[-1000:]}")
    archive = next(downloads.iterdir())
    partial = root.with_name(root.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(partial)
    else:
        with tarfile.open(archive) as bundle:
            bundle.extractall(partial, filter="data")
        inner = [p for p in partial.iterdir() if p.is_dir()]
        if len(inner) == 1:  # an sdist holds one folder, name-version/
            for child in inner[0].iterdir():
                child.rename(partial / child.name)
            inner[0].rmdir()
    write_readme(partial)
    partial.rename(root)
    return root


def write_readme(root: Path) -> None:
    """`README.md` from the release's Markdown long description (a wheel's METADATA, an
    sdist's PKG-INFO) when the release has none: its examples are module-level Keras code."""
    if (root / README).exists():
        return
    for metadata in [*root.glob("*.dist-info/METADATA"), root / "PKG-INFO"]:
        if metadata.is_file():
            message = email.parser.Parser().parsestr(metadata.read_text(errors="replace"))
            if "markdown" in (message.get("Description-Content-Type") or ""):
                (root / README).write_text(message.get_payload() or "")
            return


def children_cpu() -> float:
    """CPU seconds of the finished subprocesses so far (a busy machine changes wall time,
    hardly this)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fnlint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fnlint", *args], capture_output=True,
                          text=True)


@lru_cache(maxsize=1)
def check_help() -> str:
    return fnlint("check", "--help").stdout


def version_options(target: str | None) -> list:
    """The options of the fnlint under test that make it lint what this script chose, when it
    has them: `--target-keras`, and `--no-respect-gitignore` (an installed package may sit
    under a git-ignored folder, as pyenv's `versions/`)."""
    options = ["--no-respect-gitignore"] if "--no-respect-gitignore" in check_help() else []
    if target is not None and "--target-keras" in check_help():
        options += ["--target-keras", target]
    return options


def files_of(targets: list) -> list:
    """The files fnlint check will read under `targets` (.gitignore not applied)."""
    from fnlint.sources import discover

    if "respect_gitignore" in inspect.signature(discover).parameters:
        return discover(targets, respect_gitignore=False)
    return discover(targets)


def lint(name: str, root: Path, folders: list, target: str | None, options) -> dict:
    """One package's figures: files, lines, findings (paths relative to `root`), models."""
    targets = [str(root / f) for f in [*folders, README] if (root / f).exists()]
    if not targets:
        raise SystemExit(f"{name}: none of {folders} in {root}")
    files = files_of(targets)
    lines = 0
    for source in files:
        with open(source.path, "rb") as handle:
            lines += handle.read().count(b"\n")
    started, before = time.perf_counter(), children_cpu()
    checked = fnlint("check", "--format", "json", "--exit-zero", "--no-cache",
                     "--file-timeout", str(options.file_timeout), *version_options(target),
                     *(["--jobs", str(options.jobs)] if options.jobs else []), *targets)
    seconds, cpu = time.perf_counter() - started, children_cpu() - before
    if checked.returncode not in (0, 1, 2) or not checked.stdout.startswith("["):
        raise SystemExit(f"{name}: fnlint check failed:\n{checked.stderr[-2000:]}")
    findings = json.loads(checked.stdout)
    for finding in findings:
        finding["path"] = Path(finding["path"]).relative_to(root).as_posix()
    # the files by name: `summary` applies .gitignore to the folders it walks
    summarized = fnlint("summary", "--format", "json", *(source.path for source in files))
    try:
        summaries = json.loads(summarized.stdout)
        sites = per_site(summaries, site=lambda m: (m["path"], m["line"]),
                         status=lambda m: m["status"])
        models = Counter(m["status"] for m in sites)
        causes = Counter(m.get("cause") or "unknown" for m in sites
                         if m["status"] != "complete")
    except (json.JSONDecodeError, TypeError, KeyError):
        raise SystemExit(f"{name}: fnlint summary failed:\n{summarized.stderr[-2000:]}")
    return {"files": len(files), "lines": lines, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "findings": findings,
            "models": {"complete": models["complete"], "partial": models["partial"],
                       "unresolved": models["unresolved"]},
            "causes": dict(causes.most_common())}


def load_expected(path: Path = EXPECTED) -> list:
    """The reviewed true findings: [[finding]] tables of package, file, line, code, reason."""
    entries = tomllib.loads(path.read_text()).get("finding", [])
    for entry in entries:
        missing = {"package", "file", "line", "code", "reason"} - set(entry)
        if missing or not str(entry.get("reason", "")).strip():
            raise SystemExit(f"{path}: an entry lacks {sorted(missing) or ['a reason']}: "
                             f"{entry}")
    return entries


def key(package: str, finding: dict) -> tuple:
    return package, finding["path"], finding["line"], finding["code"]


def unexpected(results: dict, expected: list) -> dict:
    """Per package, its errors and warnings that are not in the reviewed list."""
    known = {(e["package"], e["file"], e["line"], e["code"]) for e in expected}
    return {name: [f for f in result["findings"] if f["severity"] in LOUD
                   and key(name, f) not in known]
            for name, result in results.items()}


def stale(results: dict, expected: list) -> list:
    """Reviewed entries of the packages checked that fnlint no longer reports."""
    found = {key(name, f) for name, result in results.items() for f in result["findings"]}
    return [e for e in expected if e["package"] in results
            and (e["package"], e["file"], e["line"], e["code"]) not in found]


def table(results: dict, surprises: dict) -> str:
    head = (f"{'package':<24}{'files':>6}{'lines':>8}{'err':>6}{'warn':>6}{'info':>6}"
            f"{'unexp':>7}{'models c/p/u':>15}{'full':>6}{'seconds':>9}{'cpu s':>8}  codes")
    rows = [head, "-" * len(head)]
    for name, result in results.items():
        severity = Counter(f["severity"] for f in result["findings"])
        codes = Counter(f["code"] for f in result["findings"])
        models = result["models"]
        rows.append(f"{name:<24}{result['files']:>6}{result['lines']:>8}"
                    f"{severity['error']:>6}{severity['warning']:>6}{severity['info']:>6}"
                    f"{len(surprises[name]):>7}"
                    f"{models['complete']:>7}/{models['partial']}/{models['unresolved']:<4}"
                    f"{_resolved(models):>6}"
                    f"{result['seconds']:>8.1f}{result.get('cpu_seconds', 0):>8.1f}  "
                    + " ".join(f"{c}:{n}" for c, n in sorted(codes.items())))
    causes = Counter()
    for result in results.values():
        causes.update(result.get("causes", {}))
    if causes:
        rows.append("")
        rows.append("why the other model constructions are not fully resolved (all packages):")
        rows.extend(f"  {n:>6}  {cause}" for cause, n in causes.most_common(8))
    return "\n".join(rows) + "\n"


def _resolved(models: dict) -> str:
    """The share of a package's model constructions fnlint resolves completely."""
    total = sum(models.values())
    return f"{100 * models['complete'] / total:.0f}%" if total else "-"


def identity(finding: dict) -> tuple:
    return finding["path"], finding["line"], finding["column"], finding["code"], \
        finding["message"]


def changes(results: dict, baseline: dict) -> str:
    """New and gone findings per package and code since the baseline run."""
    out = []
    for name, result in results.items():
        if name not in baseline:
            out.append(f"{name}: not in the baseline")
            continue
        before = Counter(identity(f) for f in baseline[name]["findings"])
        after = Counter(identity(f) for f in result["findings"])
        new, gone = after - before, before - after
        codes = sorted({f[3] for f in new} | {f[3] for f in gone})
        if not codes:
            continue
        out.append(f"{name}: " + ", ".join(
            f"{code} +{sum(n for f, n in new.items() if f[3] == code)}"
            f"/-{sum(n for f, n in gone.items() if f[3] == code)}" for code in codes))
        for sign, group in (("+", new), ("-", gone)):
            for finding in sorted(group)[:5]:
                out.append(f"  {sign} {finding[0]}:{finding[1]}:{finding[2]} {finding[3]} "
                           f"{finding[4][:100]}")
            if len(group) > 5:
                out.append(f"  {sign} ... and {len(group) - 5} more")
    return "\n".join(out or ["no change since the baseline"]) + "\n"


def parse_paths(values: list) -> dict:
    """`--path NAME=ROOT[:SUB,SUB][@KERAS]`: lint ROOT/SUB (default: ROOT itself) as package
    NAME, written for KERAS (default: what PACKAGES says of NAME, else fnlint's choice)."""
    chosen = {}
    for value in values:
        name, _, rest = value.partition("=")
        rest, _, target = rest.partition("@")
        root, _, subs = rest.partition(":")
        target = target or (PACKAGES[name][1] if name in PACKAGES else None)
        chosen[name] = (Path(root), subs.split(",") if subs else ["."], target)
    return chosen


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", help="comma-separated names (default: all)")
    parser.add_argument("--path", action="append", default=[], metavar="NAME=ROOT[:SUB][@KERAS]",
                        help="lint a local tree instead of downloading (repeatable)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--baseline", type=Path, help="a previous --json to compare with")
    parser.add_argument("--expected", type=Path, default=EXPECTED)
    parser.add_argument("--jobs", type=int, help="passed to fnlint check")
    parser.add_argument("--file-timeout", type=float, default=60.0,
                        help="passed to fnlint check: seconds per file before an FN000 "
                             "[default: 60, so that a busy machine does not change the result]")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 on any unexpected error or warning")
    parser.add_argument("--list", action="store_true", help="print the unexpected findings")
    options = parser.parse_args(argv)

    trees = parse_paths(options.path)
    if not trees:
        names = options.packages.split(",") if options.packages else list(PACKAGES)
        unknown = [n for n in names if n not in PACKAGES]
        if unknown:
            parser.error(f"unknown packages {unknown}; known: {', '.join(PACKAGES)}")
        for name in names:
            version, target, folders = PACKAGES[name]
            trees[name] = (fetch(name, version, options.cache), folders, target)
    results = {}
    for name, (root, folders, target) in trees.items():
        results[name] = lint(name, root, folders, target, options)
        print(f"{name}: {results[name]['files']} files in {results[name]['seconds']:.1f} s",
              file=sys.stderr)
    expected = load_expected(options.expected)
    surprises = unexpected(results, expected)
    sys.stdout.write(table(results, surprises))
    total = sum(map(len, surprises.values()))
    print(f"\n{total} unexpected error/warning finding{'s' if total != 1 else ''}")
    if options.list:
        for name, findings in surprises.items():
            for f in findings:
                print(f"  {name}: {f['path']}:{f['line']}:{f['column']} {f['code']} "
                      f"[{f['severity']}] {f['message']}")
    for entry in stale(results, expected):
        print(f"stale expected entry (no longer reported): {entry['package']} "
              f"{entry['file']}:{entry['line']} {entry['code']}")
    if options.baseline:
        print("\nsince the baseline:")
        sys.stdout.write(changes(results, json.loads(options.baseline.read_text())))
    if options.json:
        options.json.write_text(json.dumps(results, indent=1) + "\n")
    return 1 if options.check and total else 0


if __name__ == "__main__":
    sys.exit(main())
