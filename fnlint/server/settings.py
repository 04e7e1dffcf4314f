"""The server's settings: the editor's (`workspace/configuration`, section `fnlint`) on top of
the project's `[tool.fnlint]`, found from each document as `fnlint check` finds it.

    "fnlint": {
        "inlayHints": true,          # output shapes at the ends of layer lines
        "select": [], "ignore": [], "extendSelect": [],   # as the command-line options
        "unsafeFixes": true,         # offer unsafe fixes as code actions (labelled)
        "fileTimeout": 10,           # seconds one check may take
        "docsUrl": null              # where docs/rules/FNxxx.md are published (default:
    }                                #   FNLINT_DOCS_URL): each diagnostic links its rule
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

from fnlint.config import Config, ConfigError

SECTION = "fnlint"


@dataclass(frozen=True)
class Settings:
    inlay_hints: bool = True
    select: tuple = ()
    ignore: tuple = ()
    extend_select: tuple = ()
    unsafe_fixes: bool = True
    file_timeout: float = 10.0
    docs_url: Optional[str] = field(default_factory=lambda: os.environ.get("FNLINT_DOCS_URL"))
    problems: tuple = field(default=(), compare=False)  # settings that were not understood


def from_client(value) -> Settings:
    """Settings from the editor's `fnlint` section; values of the wrong type are left at their
    defaults and named in `problems`."""
    if not isinstance(value, dict):
        return Settings()
    problems = []
    found: dict = {}
    for key, name, kind in (("inlayHints", "inlay_hints", bool), ("select", "select", list),
                            ("ignore", "ignore", list), ("extendSelect", "extend_select", list),
                            ("unsafeFixes", "unsafe_fixes", bool),
                            ("fileTimeout", "file_timeout", (int, float)),
                            ("docsUrl", "docs_url", str)):
        if key not in value or value[key] is None:
            continue
        item = value[key]
        if not isinstance(item, kind) or isinstance(item, bool) and kind is not bool or \
                kind is list and not all(isinstance(code, str) for code in item):
            problems.append(f"fnlint.{key}")
            continue
        found[name] = tuple(item) if kind is list else item
    if found.get("file_timeout", 1) <= 0:
        problems.append("fnlint.fileTimeout")
        found.pop("file_timeout")
    return Settings(**found, problems=tuple(problems))


class Projects:
    """The configuration and the rules for each document, cached per pyproject.toml (read
    again when it changes; which file holds a folder's configuration is looked up once per
    folder, until `forget`)."""

    def __init__(self) -> None:
        self._cache: dict = {}
        self._found: dict = {}  # folder -> its pyproject.toml with [tool.fnlint], or None

    def forget(self) -> None:
        self._cache.clear()
        self._found.clear()

    def for_path(self, path: str, settings: Settings) -> tuple:
        """(Config, rules, error message or None) for the document at `path`."""
        from fnlint import config as configuration
        from fnlint.config import read_config
        from fnlint.pipeline import Batch

        folder = os.path.dirname(path) if os.path.isabs(path) else None
        if folder not in self._found:
            self._found[folder] = configuration.find(folder) if folder else None
        found = self._found[folder]
        key = (str(found), _mtime(found), settings.select, settings.ignore,
               settings.extend_select)
        if key not in self._cache:
            error = None
            try:
                config = read_config([folder or "."], str(found) if found else None,
                                     settings.select, settings.ignore, settings.extend_select)
            except ConfigError as err:
                config, error = Config(), f"fnlint: configuration error: {err}"
            self._cache[key] = (config, Batch(config).rules(), error)
        return self._cache[key]


def _mtime(path) -> Optional[float]:
    try:
        return os.stat(path).st_mtime if path else None
    except OSError:
        return None
