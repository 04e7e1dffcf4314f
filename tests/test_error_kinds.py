"""Every kind of error the shape engine records is reported by exactly one rule."""

import textwrap
from collections import Counter

from fnlint.analyzer import analyze_source
from fnlint.analyzer.layers.spec import ERROR_KINDS, ShapeError
from fnlint.rules import all_rules


def _kinds_of(cls):
    return {cls.kind}.union(*(_kinds_of(sub) for sub in cls.__subclasses__()))


def test_every_shape_error_kind_is_registered():
    assert _kinds_of(ShapeError) <= set(ERROR_KINDS)


def test_every_kind_is_claimed_by_exactly_one_rule():
    claims = Counter(kind for rule in all_rules() for kind in rule.ERROR_KINDS)
    assert set(claims) == set(ERROR_KINDS)
    assert [kind for kind, count in claims.items() if count > 1] == []


def test_the_examples_show_every_kind_the_engine_records():
    seen = set()
    for rule in all_rules():
        for example in rule.INVALID:
            analysis = analyze_source(textwrap.dedent(example.code), "example.py")
            seen.update(d.error_kind for d in analysis.graph.nodes() if d.error_kind)
    assert seen == set(ERROR_KINDS)
