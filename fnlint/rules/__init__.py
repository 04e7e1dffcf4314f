"""Rule plugins.

A rule is a class with a stable `code` and `name`, a `severity`, and a `check(facts)` method
that yields Findings from the `fnlint.facts.Facts` of one module; rules read facts, they never
parse or analyze.  Rules register themselves with `@register`; third-party packages add theirs
through the `fnlint.rules` entry-point group (docs/plugins.md).  The pipeline runs them with
`run_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Iterator, Optional

from fnlint.findings import Finding, internal_error

if TYPE_CHECKING:
    from fnlint.analyzer import ModuleAnalysis
    from fnlint.facts import Facts, Verified

_REGISTRY: dict = {}
_PLUGINS_LOADED = False


@dataclass(frozen=True)
class Invalid:
    """An example the rule must report: at `line`, with every word of `words` in the message,
    in a project that targets Keras `target`."""

    code: str
    line: int
    words: tuple = ()
    target: str = "3"


class Valid(str):
    """A VALID example for a project that targets Keras `target` (a plain string: Keras 3)."""

    target: str

    def __new__(cls, code: str, target: str = "3") -> "Valid":
        example = super().__new__(cls, code)
        example.target = target
        return example


class Rule:
    """A check over the facts of one module.  Subclasses set `code` (stable; plugins use a
    prefix of their own, not FN), `name`, `severity`, VALID and INVALID examples and OPTIONS,
    document themselves as "What it does / Why is this bad? / Example", and implement
    `check(facts)`, yielding `self.finding(...)`s (docs/plugins.md)."""

    code = ""
    name = ""
    severity = "error"
    VALID: tuple = ()  # sources the rule must stay silent on
    INVALID: tuple = ()  # Invalid examples
    OPTIONS: dict = {}  # option -> default, set under [tool.fnlint.rule-options.CODE]
    ERROR_KINDS: tuple = ()  # the shape-engine error kinds it reports (layers.spec.ERROR_KINDS)

    def __init__(self, options: Optional[dict] = None) -> None:
        self.options = {**self.OPTIONS, **(options or {})}

    def check(self, facts: Facts) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, facts: Facts, at, message: str, suggestion=None,
                severity=None, notes=(), fix=None, related=()) -> Finding:
        """A finding at `at` (a fact or a libcst node the facts gave); `related`: (fact or
        node, message) of the other places it names."""
        span = facts.span(at)
        places = tuple((s.line, s.column, s.end_line, s.end_column, text)
                       for s, text in ((facts.span(n), text) for n, text in related) if s)
        return Finding(
            facts.path, span.line if span else 1, span.column if span else 1, self.code,
            self.name, severity or self.severity, message,
            end_line=span.end_line if span else None,
            end_column=span.end_column if span else None, suggestion=suggestion,
            notes=tuple(notes), fix=fix, related=places)


class VerifyRule(Rule):
    """A rule that judges what verify mode measured in real Keras (`fnlint verify`, `check
    --verify`); static checks never report it.  Its examples run in the verify tests."""

    def check(self, facts: Facts) -> Iterator[Finding]:
        return iter(())

    def judge(self, facts: Facts, verified: Verified) -> Iterator[Finding]:
        """Findings from `verified` (what real Keras measured of one model of the module)."""
        raise NotImplementedError


def run_rules(rules: list, analysis: ModuleAnalysis, verified: Optional[Verified] = None
              ) -> list:
    """The findings of `rules` on one analyzed module: each rule's `check`, or with
    `verified`, each VerifyRule's `judge` of it.  The facts are built once; a rule that raises
    costs its own findings only (an internal-error FN000 in their place)."""
    from fnlint.facts import Facts

    facts = Facts.of(analysis)
    findings: list = []
    for rule in rules:
        if verified is not None and not isinstance(rule, VerifyRule):
            continue
        try:
            findings.extend(rule.check(facts) if verified is None
                            else rule.judge(facts, verified))
        except Exception as err:  # noqa: BLE001 - a failing rule must not lose the rest
            findings.append(internal_error(facts.path, err, rule.code))
    return findings


def register(rule_class):
    _REGISTRY[rule_class.code] = rule_class
    return rule_class


class PluginError(Exception):
    """An installed `fnlint.rules` plugin cannot be loaded: the run stops with this message
    (exit 2) rather than checking without the rules the project relies on."""


def all_rules(options: Optional[dict] = None) -> list:
    """Instances of every registered rule, built-in and plugged in, ordered by code, with the
    options configured per code."""
    global _PLUGINS_LOADED
    if not _PLUGINS_LOADED:
        _PLUGINS_LOADED = True
        from fnlint.rules import builtin  # noqa: F401  (registers the built-in rules)

        for entry in metadata.entry_points(group="fnlint.rules"):
            try:
                entry.load()
            except Exception as err:  # noqa: BLE001 - whatever a broken plugin raises
                raise PluginError(f"the rule plugin '{entry.name}' ({entry.value}) failed to "
                                  f"load: {type(err).__name__}: {err}; fix or uninstall "
                                  f"it") from err
    options = options or {}
    return [_REGISTRY[code](options.get(code)) for code in sorted(_REGISTRY)]


def documented_rules(options: Optional[dict] = None) -> list:
    """Every code a user can meet, for `rules`, `explain`, SARIF and the rule pages: the rules
    and the codes the pipeline reports itself (FN000, FN001)."""
    from fnlint.rules.pipeline import CODES

    return sorted([*CODES, *all_rules(options)], key=lambda rule: rule.code)
