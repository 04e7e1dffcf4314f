"""Static analysis never imports TensorFlow or Keras, whatever the code imports."""

import sys

from fnlint.analyzer.summary import summarize
from fnlint.rules import all_rules
from fnlint.runner import check_file
from fnlint.sources import discover


def test_linting_every_fixture_imports_neither_tensorflow_nor_keras(seeds_dir):
    rules = all_rules()
    reports = [check_file(source, rules) for source in discover([str(seeds_dir.parent)])]
    assert len(reports) >= 80
    for report in reports:
        if report.analysis is not None and report.analysis.module is not None:
            summarize(report.analysis)
    assert not [r for r in reports for f in r.findings if "internal error" in f.message]
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "tf_keras"))
    assert heavy == []
