"""The data fixtures of issue 18: programs that crash at (or silently mis-train in) `fit`,
`evaluate` or `predict` because the data does not suit the model, its loss or its activation.

Each `fixtures/data/NN_name.py` marks its one faulty line with `# expect: FNxxx`, the code
fnlint must report there (FN604 is reported where the targets are built, as the rule does;
FN504 at compile's `loss`; FN602 and FN505 at the `fit`/`predict` call).  Real Keras confirms
each bug (it raises at that call, or trains without error on the wrong objective); the corrected
twin of each, `fixtures/clean/data/NN_name.py`, is trained by the differential test and must
be silent (the clean corpus test).

`NOT_YET` lists the fixtures fnlint does not catch yet, with why: the array-tracking work's
to-do list.  It can only shrink honestly: a listed fixture that starts being caught fails the
test until it is moved out, and no fixture may get a finding on a line it does not mark.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, findings_of

DATA = sorted((ROOT / "fixtures" / "data").glob("*.py"))
TWINS = ROOT / "fixtures" / "clean" / "data"
MARKER = re.compile(r"#\s*expect:\s*(FN\d{3})\s*$")

NOT_YET: dict = {}  # every fixture is caught


def expectations(path: Path) -> dict:
    """{line: code} of the `# expect:` markers."""
    return {number: match.group(1)
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if (match := MARKER.search(line))}


def test_the_corpus_is_about_forty_programs():
    assert len(DATA) >= 40


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.stem)
def test_fixture_marks_one_bug_and_has_a_clean_twin(path):
    text = path.read_text(encoding="utf-8")
    assert re.fullmatch(r"\d\d_[a-z0-9_]+", path.stem)
    assert text.startswith('"""') and text.index('"""', 3) > 3, "a docstring naming the bug"
    assert len(expectations(path)) == 1
    twin = TWINS / path.name
    assert twin.exists()
    assert expectations(twin) == {}


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.stem)
def test_fixture_is_caught_at_its_line_or_listed_not_yet(path):
    expected = expectations(path)
    found = findings_of(path)
    stray = [f"{f.line}: {f.code} {f.message}" for f in found if f.line not in expected]
    assert stray == [], "fnlint reports a line the fixture does not mark"
    at_marks = [f for f in found if f.line in expected]
    if path.stem in NOT_YET:
        assert at_marks == [], f"caught now: move {path.stem} out of NOT_YET"
        return
    [finding] = at_marks  # one finding per site
    assert finding.code == expected[finding.line]
    assert finding.suggestion, "every finding carries a concrete fix"


def test_not_yet_names_only_fixtures():
    assert set(NOT_YET) <= {p.stem for p in DATA}


@pytest.mark.parametrize("path", sorted(TWINS.glob("*.py")), ids=lambda p: p.stem)
def test_twin_is_silent(path):
    """Also covered by the clean corpus test (warnings and errors); here nothing at all."""
    assert [f"{f.line}: {f.code} {f.message}" for f in findings_of(path)] == []
