"""`python -m fnlint.devtools.layering`: the house's layering, checked.

Data flows one way: sources -> analyzer -> facts -> rules -> reporters -> cli.  This fails
(exit 1, one `path:line: why` line per violation) when

- a rule module (`fnlint/rules/`) imports from fnlint anything but the facts, findings, fixes,
  the rules package itself and the Keras API catalog, or imports libcst or networkx (rules
  never parse and never walk graphs themselves: the facts do);
- a reporter (`fnlint/reporters/`) imports the analyzer (reporters render, never analyze);
- a module of `fnlint/` is longer than MAX_LINES (one sitting's reading).

Imports under `if TYPE_CHECKING:` are annotations only and never run: they are not counted.
The exceptions are listed below with their reason; one that no longer applies is a violation
too, so the lists cannot go stale.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path
from typing import Iterator

MAX_LINES = 600

RULE_IMPORTS = (
    "fnlint.facts", "fnlint.findings", "fnlint.fixes", "fnlint.rules",
    "fnlint.catalog",  # the Keras API as data (names, signatures), read-only like the facts
)
RULE_FORBIDDEN_PACKAGES = ("libcst", "networkx")
REPORTER_FORBIDDEN = ("fnlint.analyzer",)

# path (relative to the repository) -> why it may import what it does
REPORTER_EXCEPTIONS: dict = {}
# path -> why it may be longer than MAX_LINES
SIZE_EXCEPTIONS: dict = {}


def _imports(tree: ast.Module) -> Iterator[tuple]:
    """(line, imported module) of every import that runs (not those under TYPE_CHECKING);
    `from fnlint import catalog` counts as `fnlint.catalog`."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking(node.test):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "fnlint":
                for alias in node.names:
                    yield node.lineno, f"fnlint.{alias.name}"
            else:
                yield node.lineno, node.module


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _within(module: str, packages: tuple) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(root: Path) -> Iterator[str]:
    """Every violation under the repository `root` (the directory holding `fnlint/`)."""
    package = root / "fnlint"
    seen_reporters, seen_sizes = set(), set()
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (not text.endswith("\n") and bool(text))
        if lines > MAX_LINES:
            if relative in SIZE_EXCEPTIONS:
                seen_sizes.add(relative)
            else:
                yield f"{relative}:1: {lines} lines, over the limit of {MAX_LINES}: split it " \
                      f"by concept"
        parts = path.relative_to(package).parts
        if parts[0] not in ("rules", "reporters") or len(parts) < 2:
            continue
        for line, module in _imports(ast.parse(text, relative)):
            if parts[0] == "rules":
                if module.split(".")[0] in RULE_FORBIDDEN_PACKAGES:
                    yield f"{relative}:{line}: a rule imports {module}: rules never parse " \
                          f"or walk graphs; read fnlint.facts"
                elif _within(module, ("fnlint",)) and not _within(module, RULE_IMPORTS):
                    yield f"{relative}:{line}: a rule imports {module}: rules see only " \
                          f"{', '.join(RULE_IMPORTS)}"
            elif _within(module, REPORTER_FORBIDDEN):
                if relative in REPORTER_EXCEPTIONS:
                    seen_reporters.add(relative)
                else:
                    yield f"{relative}:{line}: a reporter imports {module}: reporters " \
                          f"render findings and summaries, they never analyze"
    for relative in sorted(SIZE_EXCEPTIONS.keys() - seen_sizes):
        yield f"{relative}:1: listed in SIZE_EXCEPTIONS but not over {MAX_LINES} lines " \
              f"(or gone): remove the exception"
    for relative in sorted(REPORTER_EXCEPTIONS.keys() - seen_reporters):
        yield f"{relative}:1: listed in REPORTER_EXCEPTIONS but imports no analyzer " \
              f"module (or is gone): remove the exception"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fnlint.devtools.layering",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2],
                        help="the repository to check (default: this fnlint's)")
    args = parser.parse_args(argv)
    found = list(violations(args.root))
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
