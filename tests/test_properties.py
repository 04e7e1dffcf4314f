"""Property tests: fnlint never raises on any valid Python program (hypothesmith), and reports
no error on generated correct Keras programs (benchmarks/corpus.py).

CI runs FNLINT_PROPERTY_EXAMPLES examples of each (default 60); the full mode is
`FNLINT_PROPERTY_EXAMPLES=10000 python -m pytest tests/test_properties.py`.  Each example
runs under fnlint's per-file time limit (10 s): a hang fails the test with FileTimeout.
Examples are derandomized (the same every run); FNLINT_PROPERTY_SEED=N draws another series,
so a full run can be split across cores.
"""

from __future__ import annotations

import os
import sys

import hypothesmith
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from conftest import ROOT
from fnlint.analyzer import analyze_source
from fnlint.facts import Facts
from fnlint.rules import all_rules
from fnlint.runner import time_limit

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402

EXAMPLES = int(os.environ.get("FNLINT_PROPERTY_EXAMPLES", "60"))
TIME_LIMIT = 10.0
RULES = all_rules()
SEED = os.environ.get("FNLINT_PROPERTY_SEED")
_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None,
                     suppress_health_check=list(HealthCheck))


def SETTINGS(test):
    return _SETTINGS(test if SEED is None else seed(int(SEED))(test))


def check(source: str) -> list:
    with time_limit(TIME_LIMIT):
        analysis = analyze_source(source, "generated.py")
        findings = list(analysis.diagnostics)
        if analysis.module is not None:
            for rule in RULES:
                findings.extend(rule.check(Facts.of(analysis)))
    return findings


@SETTINGS
@given(hypothesmith.from_node())
def test_any_valid_python_program_is_analyzed_without_an_exception(source):
    # Through the runner, which turns an exception in the analyzer or a rule into an
    # "internal error" FN000 and a hang into a time-limit FN000: neither may appear.
    from fnlint.runner import check_file
    from fnlint.sources import SourceFile

    report = check_file(SourceFile("generated.py", True, "import keras\n" + source), RULES,
                        timeout=TIME_LIMIT)
    assert not [f for f in report.findings
                if "internal error" in f.message or "--file-timeout" in f.message]


@SETTINGS
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=8))
def test_generated_correct_keras_programs_report_no_error(seed, parts):
    errors = [f for f in check(corpus.module(seed, parts)) if f.severity == "error"]
    assert errors == []


@SETTINGS
@given(st.integers(min_value=0, max_value=2**32))
def test_generated_programs_as_notebooks_report_no_error(seed):
    from fnlint.runner import check_file
    from fnlint.sources import SourceFile

    source = SourceFile("generated.ipynb", True, corpus.notebook(corpus.module(seed, 4)))
    report = check_file(source, RULES, timeout=TIME_LIMIT)
    assert [f for f in report.findings if f.severity == "error"] == []
