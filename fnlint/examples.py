"""Running a rule's VALID and INVALID examples: fnlint's own rule tests and plugins' use it.

A VALID example must get no finding of the rule; an INVALID one exactly one, at its `line`,
with each of its `words` in the message or the suggestion.  Examples are analyzed as
`example.py` of a project targeting Keras `example.target`.
"""

from __future__ import annotations

import textwrap

from fnlint.analyzer import analyze_source
from fnlint.facts import Facts


def findings(rule, source: str, target: str = "3") -> list:
    """The findings of `rule` (an instance) on one example's source."""
    analysis = analyze_source(textwrap.dedent(source), "example.py", target=target)
    return list(rule.check(Facts.of(analysis)))


def problems(rule) -> list:
    """What is wrong with the examples of `rule`, one line each; empty when they all hold."""
    out = []
    for i, source in enumerate(rule.VALID):
        found = findings(rule, source, getattr(source, "target", "3"))
        out.extend(f"VALID[{i}]: reported at line {f.line}: {f.message}" for f in found)
    for i, example in enumerate(rule.INVALID):
        found = findings(rule, example.code, example.target)
        places = [(f.code, f.line) for f in found]
        if places != [(rule.code, example.line)]:
            out.append(f"INVALID[{i}]: expected one {rule.code} at line {example.line}, "
                       f"got {places or 'none'}")
            continue
        text = found[0].message + " " + (found[0].suggestion or "")
        out.extend(f"INVALID[{i}]: {word!r} is not in {text.strip()!r}"
                   for word in example.words if word not in text)
    return out
