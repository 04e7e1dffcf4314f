"""Which Keras a project is written for, read from the dependencies it declares
(`target-keras = "auto"`): `tensorflow<2.16` (TensorFlow bundled Keras 2 until 2.16),
`keras<3` and `tf-keras` mean Keras 2; anything else, Keras 3.

The project is the nearest folder, walking up from the linted path (and not above the
repository's root), that holds a dependency file: `pyproject.toml` ([project] dependencies and
optional dependencies, Poetry's tables), `requirements*.txt` (following `-r`), `setup.cfg`
and `setup.py` (`install_requires`, `extras_require`; setup.py as a syntax tree), an sdist's
`PKG-INFO` or `environment.yml`.  Nothing here imports or runs the project.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Iterator, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KERAS2_TENSORFLOW = (2, 16)  # the first TensorFlow whose `tf.keras` is Keras 3
TENSORFLOW = {"tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos",
              "tensorflow-intel", "tf-nightly", "tf-nightly-cpu", "tf-nightly-gpu"}
DEPENDENCY_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "environment.yml",
                    "environment.yaml", "PKG-INFO")
MAX_BYTES = 1_000_000  # a dependency file larger than this is not a dependency file


class Target:
    """The Keras a project targets, and why (for `--show-settings`).  Plain classes here:
    a dataclass or named tuple costs a compile at import, on every run."""

    __slots__ = ("keras", "reason", "file", "line")

    def __init__(self, keras: str, reason: str, file: Optional[str] = None,
                 line: Optional[int] = None) -> None:
        self.keras = keras  # "3" or "2"
        self.reason = reason
        self.file = file
        self.line = line

    def describe(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{where}{self.reason}"

    def __repr__(self) -> str:
        return f"Target(keras={self.keras!r}, {self.describe()!r})"


class Requirement:
    __slots__ = ("name", "specifiers", "text", "file", "line")

    def __init__(self, name: str, specifiers: tuple, text: str, file: str, line: int) -> None:
        self.name = name  # normalized: lower case, `-` for `_` and `.`
        self.specifiers = specifiers  # (operator, version text)
        self.text = text
        self.file = file
        self.line = line


def detect(start: str) -> Target:
    """The target of the project holding `start`: Keras 2 when a dependency file declares
    it (the first such requirement is the reason), else Keras 3."""
    folder = _project(Path(start))
    if folder is None:
        return Target("3", "no dependency file declares Keras 2 (default: Keras 3)")
    keras3 = None
    for requirement in requirements(folder):
        verdict = _verdict(requirement)
        if verdict is None:
            continue
        found = Target(verdict[0], f"{requirement.text} {verdict[1]}",
                       _shown(folder / requirement.file), requirement.line)
        if verdict[0] == "2":
            return found
        keras3 = keras3 or found
    return keras3 or Target("3", f"no dependency file in {folder} declares Keras 2 "
                                 f"(default: Keras 3)")


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") \
            else str(path)
    except ValueError:  # another drive
        return str(path)


def _project(start: Path) -> Optional[Path]:
    """The nearest folder holding a dependency file, not above the repository's root."""
    try:
        here = Path(os.path.realpath(start))  # Path.resolve raises on a symlink loop
    except (OSError, ValueError):
        return None
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        try:
            with os.scandir(folder) as entries:
                names = {entry.name for entry in entries}
        except OSError:
            return None
        if any(name in names for name in DEPENDENCY_FILES) or any(
                name.startswith("requirements") and name.endswith(".txt") for name in names):
            return folder
        if ".git" in names:
            return None
    return None


def requirements(folder: Path) -> Iterator[Requirement]:
    """Every requirement the folder's dependency files declare, file by file."""
    readers = [("pyproject.toml", _pyproject), ("setup.cfg", _setup_cfg),
               ("setup.py", _setup_py), ("PKG-INFO", _pkg_info),
               ("environment.yml", _environment), ("environment.yaml", _environment)]
    for name, reader in readers:
        path = folder / name
        text = _text(path)
        if text is not None:
            yield from reader(text, name)
    for path in sorted(folder.glob("requirements*.txt")):
        yield from _requirements_txt(path, folder, set())


def _text(path: Path) -> Optional[str]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


# Patterns compiled on first use (by `re`'s cache): most runs find no dependency file.
_NAME = r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$"
_SPECIFIER = r"(===|==|!=|<=|>=|~=|<|>|\^|~|=)?\s*([0-9][0-9A-Za-z.*+!-]*)"


def parse(text: str, file: str, line: int, conda: bool = False) -> Optional[Requirement]:
    """One requirement (`tensorflow>=2.10,<2.16`, conda's `tensorflow=2.15`, Poetry's
    `^2.15`), or None for what is not one."""
    text = text.split(";", 1)[0].split("#", 1)[0].strip()
    if conda and "::" in text:
        text = text.split("::", 1)[1]
    match = re.match(_NAME, text)
    if match is None:
        return None
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    specifiers = []
    for part in match.group(2).split(","):
        part = part.strip().lstrip("(").rstrip(")").strip()
        if not part:
            continue
        found = re.fullmatch(_SPECIFIER, part.split()[0] if conda else part)
        if found is None:
            if part.startswith("@"):
                break  # a direct URL: no version to read
            return None
        operator = found.group(1) or ("==" if conda or not specifiers else "")
        if operator == "=":  # conda's `=2.15` is 2.15.*
            operator, version = "==", found.group(2).rstrip(".*") + ".*"
        else:
            version = found.group(2)
        specifiers.append((operator or "==", version))
    return Requirement(name, tuple(specifiers), text, file, line)


def _version(text: str) -> tuple:
    parts = []
    for piece in text.split("."):
        digits = re.match(r"\d+", piece)
        if digits is None:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


def _below(specifiers: tuple, limit: tuple) -> bool:
    """Whether every version the specifiers allow is below `limit`."""
    for operator, text in specifiers:
        version = _version(text)
        if not version:
            continue
        if operator == "<":
            below = _compare(version, limit) <= 0
        elif operator == "<=" or operator in ("==", "===") and not text.endswith("*"):
            below = _compare(version, limit) < 0
        elif operator in ("==", "==="):  # `2.15.*`
            below = _compare(_bump(version), limit) <= 0
        elif operator == "~=":  # `~=2.15.0` is `>=2.15.0, <2.16`
            below = len(version) >= 2 and _compare(_bump(version[:-1]), limit) <= 0
        elif operator == "~":  # Poetry's `~2.15` is `>=2.15, <2.16`
            below = _compare(_bump(version[:2]), limit) <= 0
        elif operator == "^":  # Poetry's `^2.15` is `>=2.15, <3`
            below = _compare(_bump(version[:1]), limit) <= 0
        else:
            below = False
        if below:
            return True
    return False


def _bump(prefix: tuple) -> tuple:
    return prefix[:-1] + (prefix[-1] + 1,)


def _compare(a: tuple, b: tuple) -> int:
    size = max(len(a), len(b))
    a, b = a + (0,) * (size - len(a)), b + (0,) * (size - len(b))
    return (a > b) - (a < b)


def _at_least(specifiers: tuple, limit: tuple) -> bool:
    """Whether every version the specifiers allow is at least `limit`."""
    return any(operator in (">=", ">", "==", "===", "~=", "^", "~") and
               _version(text) and _compare(_version(text), limit) >= 0
               for operator, text in specifiers)


def _verdict(requirement: Requirement) -> Optional[tuple]:
    """("2" or "3", why) for a requirement that decides the Keras, else None."""
    name, specifiers = requirement.name, requirement.specifiers
    if name == "tf-keras":
        return ("2", "declares tf_keras, Keras 2")
    if name == "keras":
        if _below(specifiers, (3,)):
            return ("2", "allows only Keras 2")
        if _at_least(specifiers, (3,)):
            return ("3", "requires Keras 3")
    if name in TENSORFLOW:
        if _below(specifiers, KERAS2_TENSORFLOW):
            return ("2", "allows only TensorFlow before 2.16, whose tf.keras is Keras 2")
        if _at_least(specifiers, KERAS2_TENSORFLOW):
            return ("3", "requires TensorFlow 2.16 or later, whose tf.keras is Keras 3")
    return None


def _line_of(text: str, needle: str) -> int:
    """The first line that mentions `needle` as a whole word (TOML and INI parsers keep no
    positions)."""
    needle = needle.strip().lower()
    for number, line in enumerate(text.lower().splitlines(), 1):
        start = line.find(needle)
        while start >= 0:
            end = start + len(needle)
            if not _word_character(line[start - 1:start]) and \
                    not _word_character(line[end:end + 1]):
                return number
            start = line.find(needle, start + 1)
    return 1


def _word_character(char: str) -> bool:
    return char != "" and (char.isalnum() or char in "-_")


def _pyproject(text: str, file: str) -> Iterator[Requirement]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):  # another tool's file, broken or hostile
        return
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    declared = list(project.get("dependencies", []) or [])
    optional = project.get("optional-dependencies", {})
    if isinstance(optional, dict):
        for group in optional.values():
            declared += group if isinstance(group, list) else []
    for item in declared:
        if isinstance(item, str):
            found = parse(item, file, _line_of(text, item))
            if found is not None:
                yield found
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) \
        else {}
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    groups = poetry.get("group", {})
    if isinstance(groups, dict):
        tables += [g.get("dependencies", {}) for g in groups.values() if isinstance(g, dict)]
    for table in tables:
        if not isinstance(table, dict):
            continue
        for name, spec in table.items():
            version = spec.get("version", "") if isinstance(spec, dict) else spec
            if not isinstance(version, str) or version.strip() == "*":
                version = ""
            found = parse(f"{name} {version}", file, _line_of(text, name))
            if found is not None:
                yield found


def _setup_cfg(text: str, file: str) -> Iterator[Requirement]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return
    values = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values += [value for _, value in parser.items("options.extras_require")]
    for value in values:
        for item in value.splitlines():
            if item.strip():
                found = parse(item, file, _line_of(text, item))
                if found is not None:
                    yield found


def _setup_py(text: str, file: str) -> Iterator[Requirement]:
    """The string literals of `setup(install_requires=[...], extras_require={...})`, read
    from the syntax tree: setup.py is never run."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.keyword) or \
                node.arg not in ("install_requires", "extras_require"):
            continue
        values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
        for value in values:
            items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
            for item in items:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    found = parse(item.value, file, item.lineno)
                    if found is not None:
                        yield found


def _pkg_info(text: str, file: str) -> Iterator[Requirement]:
    """An unpacked sdist's metadata: `Requires-Dist: tensorflow (<2.16)`."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("Requires-Dist:"):
            found = parse(line[len("Requires-Dist:"):], file, number)
            if found is not None:
                yield found


def _requirements_txt(path: Path, folder: Path, seen: set) -> Iterator[Requirement]:
    if path in seen or len(seen) > 20:
        return
    seen.add(path)
    text = _text(path)
    if text is None:
        return
    try:
        file = str(path.relative_to(folder))
    except ValueError:
        file = str(path)
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        include = re.match(r"^(?:-r|--requirement)\s*=?\s*(\S+)", stripped)
        if include:
            yield from _requirements_txt(path.parent / include.group(1), folder, seen)
        elif stripped and not stripped.startswith(("#", "-")):
            found = parse(stripped, file, number)
            if found is not None:
                yield found


def _environment(text: str, file: str) -> Iterator[Requirement]:
    """Conda's `dependencies:` list and its `pip:` sub-list (a YAML subset: list items)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"^dependencies\s*:", line):
            inside = True
            continue
        if inside and re.match(r"^\S", line):
            inside = False
        item = re.match(r"^\s*-\s*([^\s:#][^#]*?)\s*(?:#.*)?$", line) if inside else None
        if item and not item.group(1).endswith(":"):
            found = parse(item.group(1), file, number, conda=True)
            if found is not None:
                yield found
