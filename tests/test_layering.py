"""`python -m fnlint.devtools.layering`: rules see only the facts, reporters never analyze, no
module grows past the limit; run on fnlint itself and on a tree that breaks each rule."""

import subprocess
import sys
import textwrap

from conftest import ROOT


def layering(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fnlint.devtools.layering", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


def test_fnlint_itself_keeps_its_layers():
    done = layering()
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_each_violation_is_one_line_and_the_check_fails(tmp_path):
    rules, reporters = tmp_path / "fnlint" / "rules", tmp_path / "fnlint" / "reporters"
    rules.mkdir(parents=True)
    reporters.mkdir()
    (rules / "sneaky.py").write_text(textwrap.dedent("""\
        from typing import TYPE_CHECKING

        import libcst
        from fnlint import catalog
        from fnlint.facts import ArrayV
        from fnlint.analyzer.values import Seq

        if TYPE_CHECKING:
            from fnlint.analyzer import ModuleAnalysis


        def check(facts):
            from fnlint import runner
            return runner
        """))
    (reporters / "table.py").write_text("from fnlint.analyzer.graph import INPUT\n")
    (tmp_path / "fnlint" / "big.py").write_text("x = 1\n" * 601)
    done = layering(tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    allowed = "fnlint.facts, fnlint.findings, fnlint.fixes, fnlint.rules, fnlint.catalog"
    assert "fnlint/big.py:1: 601 lines, over the limit of 600: split it by concept" in lines
    assert "fnlint/rules/sneaky.py:3: a rule imports libcst: rules never parse or walk " \
           "graphs; read fnlint.facts" in lines
    assert f"fnlint/rules/sneaky.py:6: a rule imports fnlint.analyzer.values: rules see " \
           f"only {allowed}" in lines
    assert f"fnlint/rules/sneaky.py:13: a rule imports fnlint.runner: rules see only " \
           f"{allowed}" in lines
    assert "fnlint/reporters/table.py:1: a reporter imports fnlint.analyzer.graph: " \
           "reporters render findings and summaries, they never analyze" in lines
    # the facts, the catalog and annotation-only imports are allowed
    assert not [line for line in lines if ":4:" in line or ":5:" in line or ":9:" in line]


def test_an_exception_that_no_longer_applies_is_reported(tmp_path, monkeypatch):
    """A listed exception whose file is gone, small again or clean: remove it."""
    from fnlint.devtools import layering as check

    monkeypatch.setattr(check, "SIZE_EXCEPTIONS", {"fnlint/cli.py": "long"})
    monkeypatch.setattr(check, "REPORTER_EXCEPTIONS", {"fnlint/reporters/graph_report.py": "x"})
    (tmp_path / "fnlint" / "reporters").mkdir(parents=True)
    (tmp_path / "fnlint" / "cli.py").write_text("x = 1\n" * 600)
    (tmp_path / "fnlint" / "reporters" / "graph_report.py").write_text("import json\n")
    assert list(check.violations(tmp_path)) == [
        "fnlint/cli.py:1: listed in SIZE_EXCEPTIONS but not over 600 lines (or gone): remove "
        "the exception",
        "fnlint/reporters/graph_report.py:1: listed in REPORTER_EXCEPTIONS but imports no "
        "analyzer module (or is gone): remove the exception"]
