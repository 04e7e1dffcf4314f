"""`[tool.fnlint]` in pyproject.toml: which rules run, how severe they are, what fails a run.

Found by walking up from the first linted path (or given with `--config`).  Unknown keys,
unknown codes and bad values are configuration errors (exit 2), never silently ignored.

    [tool.fnlint]
    select = ["FN"]                 # codes or prefixes to report (default: every rule)
    ignore = ["FN404"]
    extend-select = ["FN001"]       # added to select (FN001 is off unless selected)
    exclude = ["notebooks/scratch/*"]
    fail-on = "warning"             # error | warning | info: lowest severity that fails
    markdown-extensions = [".txt"]  # more extensions read as Markdown
    target-keras = "auto"           # "3" | "2" | "auto": the project's declared dependencies
    [tool.fnlint.per-file-ignores]
    "tests/*" = ["FN201"]
    [tool.fnlint.severity]
    FN503 = "error"
    [tool.fnlint.rule-options.FN503]
    ratio = 50
"""

from __future__ import annotations

import fnmatch
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SEVERITIES = ("error", "warning", "info")
KEYS = {"select", "ignore", "extend-select", "exclude", "per-file-ignores", "severity",
        "fail-on", "rule-options", "markdown-extensions", "target-keras"}
TARGETS = ("3", "2", "auto")
OFF_BY_DEFAULT = ("FN001",)


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    select: list = field(default_factory=list)
    ignore: list = field(default_factory=list)
    extend_select: list = field(default_factory=list)
    exclude: list = field(default_factory=list)
    per_file_ignores: dict = field(default_factory=dict)
    severity: dict = field(default_factory=dict)
    fail_on: str = "warning"
    rule_options: dict = field(default_factory=dict)
    markdown_extensions: list = field(default_factory=list)
    target_keras: str = "auto"  # the setting
    keras: str = "3"  # the Keras the analysis targets: the setting, or what "auto" found
    keras_reason: str = "default"  # why (for --show-settings)

    def selected(self, code: str) -> bool:
        """Whether findings of `code` are reported (FN000 always is)."""
        if code == "FN000":
            return True
        chosen = self.select + self.extend_select
        if code in OFF_BY_DEFAULT:
            return any(code.startswith(p) and len(p) > 2 for p in chosen) and \
                not _matches(code, self.ignore)
        if self.select and not _matches(code, chosen):
            return False
        return not _matches(code, self.ignore)

    def ignored_in(self, path: str, code: str) -> bool:
        posix = Path(path).as_posix()
        return any(_matches(code, codes) and (fnmatch.fnmatch(posix, pattern) or
                                              fnmatch.fnmatch(posix, f"*/{pattern}"))
                   for pattern, codes in self.per_file_ignores.items())

    def fails(self, severity: str) -> bool:
        return SEVERITIES.index(severity) <= SEVERITIES.index(self.fail_on)


def _matches(code: str, prefixes) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def find(start: str) -> Optional[Path]:
    """The nearest pyproject.toml with a [tool.fnlint] table, walking up from `start`.  A
    pyproject.toml that cannot be decoded is a configuration error (it may be ours); folders
    that cannot be read, links that loop and other tools' broken files are passed by."""
    try:
        here = Path(start).resolve()
        if not here.is_dir():
            here = here.parent
    except (OSError, RuntimeError):  # a symlink loop, an unreadable folder
        here = Path(start).absolute().parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        try:
            if not candidate.is_file():
                continue
            data = candidate.read_bytes()
        except (OSError, RuntimeError):
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ConfigError(f"{candidate}: not valid UTF-8 (byte {err.start}): "
                              f"pyproject.toml must be UTF-8") from None
        try:
            tool = _toml(text).get("tool", {})
        except ConfigError:
            if "fnlint" in text:
                return candidate  # perhaps ours, and broken: `load` says how
            continue
        if isinstance(tool, dict) and "fnlint" in tool:
            return candidate
    return None


def _toml(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"invalid TOML: {err}") from None
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply") from None


def load(path: Optional[Path], known_codes, options_of) -> Config:
    """The configuration in `path` (None: defaults), checked against the known codes
    (`known_codes()`, called only when there are codes to check: it loads every rule) and each
    rule's options (`options_of(code)` -> dict of defaults)."""
    if path is None:
        return Config()
    try:
        data = _toml(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool must be a table")
    table = tool.get("fnlint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.fnlint must be a table")
    if table is None:
        if Path(path).name != "pyproject.toml":
            table = data  # a dedicated fnlint.toml holds the keys at the top level
        else:
            raise ConfigError(f"{path}: no [tool.fnlint] table")
    where = f"{path}: [tool.fnlint]"
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(unknown)} (known: {', '.join(sorted(KEYS))})")
    def codes(key, value) -> list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of codes")
        out = [v.strip().upper() for v in value]
        known = set(known_codes()) | {"FN000", *OFF_BY_DEFAULT} if out else set()
        for code in out:
            if not any(k.startswith(code) for k in known):
                raise ConfigError(f"{where}: {key}: no rule code starts with {code!r}")
        return out

    config = Config()
    config.select = codes("select", table.get("select", []))
    config.ignore = codes("ignore", table.get("ignore", []))
    config.extend_select = codes("extend-select", table.get("extend-select", []))
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
        raise ConfigError(f"{where}: exclude must be a list of glob patterns")
    config.exclude = exclude
    extensions = table.get("markdown-extensions", [])
    if not isinstance(extensions, list) or not all(isinstance(v, str) for v in extensions):
        raise ConfigError(f"{where}: markdown-extensions must be a list like [\".txt\"]")
    config.markdown_extensions = [e if e.startswith(".") else f".{e}" for e in extensions]
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: per-file-ignores must be a table of glob = [codes]")
    config.per_file_ignores = {glob: codes(f"per-file-ignores.{glob}", value)
                               for glob, value in per_file.items()}
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{where}: severity must be a table of CODE = \"error\"|...")
    for code, level in severity.items():
        if code.upper() not in set(known_codes()):
            raise ConfigError(f"{where}: severity.{code}: not a rule code (severity takes "
                              f"whole codes, such as FN201)")
        if level not in SEVERITIES:
            raise ConfigError(f"{where}: severity.{code} must be one of {', '.join(SEVERITIES)}")
    config.severity = {code.upper(): level for code, level in severity.items()}
    fail_on = table.get("fail-on", "warning")
    if fail_on not in SEVERITIES:
        raise ConfigError(f"{where}: fail-on must be one of {', '.join(SEVERITIES)}")
    config.fail_on = fail_on
    target = table.get("target-keras", "auto")
    if target not in TARGETS:
        raise ConfigError(f"{where}: target-keras must be one of \"3\", \"2\", \"auto\" "
                          f"(a string), not {target!r}")
    config.target_keras = target
    options = table.get("rule-options", {})
    if not isinstance(options, dict):
        raise ConfigError(f"{where}: rule-options must be a table per code")
    for code, values in options.items():
        defaults = options_of(code.upper())
        if defaults is None:
            raise ConfigError(f"{where}: rule-options.{code}: no rule {code!r} has options")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: rule-options.{code} must be a table")
        for name, value in values.items():
            if name not in defaults:
                raise ConfigError(f"{where}: rule-options.{code}: unknown option {name!r} "
                                  f"(known: {', '.join(sorted(defaults))})")
            default = defaults[name]
            number = isinstance(default, (int, float)) and not isinstance(default, bool)
            if type(value) is not type(default) and not (
                    isinstance(default, float) and type(value) is int):
                raise ConfigError(f"{where}: rule-options.{code}.{name} must be a "
                                  f"{type(default).__name__}")
            if number and not (math.isfinite(value) and value > 0):
                raise ConfigError(f"{where}: rule-options.{code}.{name} must be a finite "
                                  f"number above 0")
        config.rule_options[code.upper()] = dict(values)
    return config


def resolve_target(config: Config, start: str, path: Optional[Path] = None,
                   flag: Optional[str] = None) -> None:
    """Set which Keras the analysis targets: `flag` (`--target-keras`), else the
    configuration's `target-keras`; "auto" reads the declared dependencies of the project
    holding `start` (the configuration file `path` is named as the reason of a setting)."""
    if flag:
        config.target_keras = flag
    if config.target_keras == "auto":
        from fnlint import dependencies

        target = dependencies.detect(start)
        config.keras, config.keras_reason = target.keras, f"auto: {target.describe()}"
    else:
        config.keras = config.target_keras
        config.keras_reason = "set by --target-keras" if flag else f"set in {path}"


def _codes(values) -> list:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def read_config(paths, config_file=None, select=(), ignore=(), extend_select=(), fail_on=None,
                target_keras=None):
    """The configuration from `config_file` or the nearest pyproject.toml of the first path,
    with the command line's (or an editor's) choices on top and the Keras the project targets
    resolved (`target_keras`: the `--target-keras` flag); raises ConfigError."""
    registry: list = []

    def rules() -> list:  # loading the rules imports the analyzer: only when codes need it
        from fnlint.rules import all_rules

        if not registry:
            registry.extend(all_rules())
        return registry

    def known() -> list:
        return [r.code for r in rules()] + ["FN000", "FN001"]

    def options_of(code):
        return next((r.OPTIONS for r in rules() if r.code == code and r.OPTIONS), None)

    start = next((p for p in paths if p != "-"), ".")
    found = Path(config_file) if config_file else find(start)
    config = load(found, known, options_of)
    for flag, values in (("--select", select), ("--ignore", ignore),
                         ("--extend-select", extend_select)):
        for code in _codes(values):
            if not any(k.startswith(code) for k in known()):
                raise ConfigError(f"{flag}: no rule code starts with {code!r}")
    for where, codes in (("--ignore", _codes(ignore)), (f"{found}: ignore", config.ignore),
                         *((f"{found}: per-file-ignores {pattern!r}", codes)
                           for pattern, codes in config.per_file_ignores.items())):
        if "FN000" in codes:  # a file not analyzed must never pass as clean
            raise ConfigError(
                f"{where}: FN000 cannot be ignored: it means a file was not analyzed (fix "
                f"it, exclude it, or add a `# fnlint: skip-file` line)")
    if select:
        config.select = _codes(select)
    config.ignore += _codes(ignore)
    config.extend_select += _codes(extend_select)
    if fail_on:
        config.fail_on = fail_on
    resolve_target(config, start, found, target_keras)
    return config
