"""Every reporter renders the same findings: a notebook finding, a shape finding with notes and
a suggestion, an FN000; SARIF is validated against the official 2.1.0 schema."""

import json
import re

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import ROOT
from fnlint.cli import main
from fnlint.findings import Finding
from fnlint.reporters import Run, renderer
from fnlint.rules import all_rules

SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"  # from ../shared/schemas
FINDINGS = [
    Finding("models/net.py", 7, 10, "FN301", "incompatible-merge", "error",
            "Concatenate inputs: 128 vs 3 channels", end_line=7, end_column=31,
            suggestion="project `x` with a 1x1 Conv2D", notes=("`y` is (None, 8, 8, 128)",)),
    Finding("nb.ipynb", 2, 5, "FN201", "undefined-name", "error", "undefined name `mdoel`",
            end_line=2, end_column=10, suggestion="did you mean `model`?", cell=4),
    Finding("docs/post.md", 12, 1, "FN503", "unbalanced-loss-weights", "warning",
            "head 'age' outweighs head 'gender' 4752-fold, 100% of it: a, b"),
    Finding("broken.py", 1, 1, "FN000", "analysis-error", "error", "syntax error: invalid"),
]
SOURCES = {("models/net.py", None): ["import keras"] * 6 +
           ["merged = layers.concatenate([y, x])"]}


def run():
    return Run(FINDINGS, files=4, skipped=1, seconds=0.25, rules=all_rules(), sources=SOURCES)


def test_concise():
    lines = renderer("concise").render(run()).splitlines()
    assert lines[0] == ("models/net.py:7:10: FN301 Concatenate inputs: 128 vs 3 channels "
                        "(project `x` with a 1x1 Conv2D)")
    assert lines[1].startswith("nb.ipynb:cell 4:line 2:5: FN201")
    assert len(lines) == 4


def test_full_shows_the_frame_the_caret_the_fix_and_a_summary():
    text = renderer("full").render(run())
    assert "7 | merged = layers.concatenate([y, x])" in text
    caret = next(line for line in text.splitlines() if "^" in line)
    assert caret.index("^") == text.splitlines()[text.splitlines().index(
        next(l for l in text.splitlines() if l.startswith("7 |")))].index("layers")
    assert caret.count("^") == 21
    assert "= fix: project `x`" in text and "= note: `y` is (None, 8, 8, 128)" in text
    assert text.rstrip().endswith("3 errors, 1 warning in 4 files checked (1 skipped: no "
                                  "Keras) in 0.25 s")


def test_json_and_json_lines_carry_the_same_objects():
    array = json.loads(renderer("json").render(run()))
    lines = [json.loads(line) for line in renderer("json-lines").render(run()).splitlines()]
    assert array == lines and len(array) == 4
    assert array[1]["cell"] == 4 and array[0]["cell"] is None


def test_sarif_validates_against_the_schema():
    document = json.loads(renderer("sarif").render(run()))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    results = document["runs"][0]["results"]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [r["ruleId"] for r in results] == ["FN301", "FN201", "FN503", "FN000"]
    assert rules[results[0]["ruleIndex"]]["id"] == "FN301"
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7, "startColumn": 10, "endLine": 7, "endColumn": 31}
    assert results[2]["level"] == "warning" and results[1]["properties"]["cell"] == 4


COMMAND = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+)"
                     r"(?:,endLine=(\d+),endColumn=(\d+))?,title=([^:]+)::(.*)$")


def test_github_workflow_commands():
    lines = renderer("github").render(run()).splitlines()
    parsed = [COMMAND.match(line) for line in lines]
    assert all(parsed), lines
    first = parsed[0].groups()
    assert first[:6] == ("error", "models/net.py", "7", "10", "7", "31")
    assert first[6] == "FN301 incompatible-merge"
    assert parsed[1].group(8).startswith("cell 4, line 2: ")
    assert parsed[2].group(1) == "warning" and "100%25 of it" in parsed[2].group(8)
    assert "%2C" not in parsed[2].group(8)  # commas are only escaped in properties


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "json-lines", "sarif", "github"])
def test_each_format_from_the_command_line_and_to_a_file(tmp_path, fmt):
    (tmp_path / "bad.py").write_text(
        "import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(2, activaton='relu')(x)\n")
    report = tmp_path / "report.out"
    result = CliRunner().invoke(main, ["check", str(tmp_path / "bad.py"), "--format", fmt,
                                       "--output", str(report)])
    assert result.exit_code == 1 and result.stdout == ""
    assert "FN203" in report.read_text(encoding="utf-8")


def test_statistics_count_findings_per_code(tmp_path):
    (tmp_path / "bad.py").write_text(
        "import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(2, activaton='relu')(x)\n"
        "z = keras.layers.Dense(2, activaton='relu')(y)\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--statistics"])
    assert result.stdout == "    2  FN203  unknown-keyword-argument\n"
