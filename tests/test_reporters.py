"""Every reporter renders the same findings: a notebook finding, a shape finding with notes and
a suggestion, an FN000; SARIF is validated against the official 2.1.0 schema."""

import json
import re

import jsonschema
import pytest
from conftest import ROOT, invoke
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
    result = invoke("check", str(tmp_path / "bad.py"), "--format", fmt,
                    "--output", str(report))
    assert result.exit_code == 1 and result.stdout == ""
    assert "FN203" in report.read_text(encoding="utf-8")


def test_statistics_count_findings_per_code(tmp_path):
    (tmp_path / "bad.py").write_text(
        "import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(2, activaton='relu')(x)\n"
        "z = keras.layers.Dense(2, activaton='relu')(y)\n")
    result = invoke("check", str(tmp_path), "--statistics")
    assert result.stdout == "    2  FN203  unknown-keyword-argument\n"


FIXABLE = ("import keras\nfrom keras import layers\nanswer_size = 5\n"
           "x = keras.Input(shape=(8,))\nh = layers.Dense(16, activaton='relu')(x)\n"
           "out = layers.Dense(anser_size)(h)\n")


def _apply(text: str, edits: list) -> str:
    """Apply text edits the way an editor does (1-based rows and columns, end exclusive)."""
    lines = text.splitlines(keepends=True)
    starts = [sum(len(line) for line in lines[:i]) for i in range(len(lines) + 1)]
    offset = lambda at: starts[at["row"] - 1] + at["column"] - 1  # noqa: E731
    for edit in sorted(edits, key=lambda e: offset(e["location"]), reverse=True):
        text = (text[:offset(edit["location"])] + edit["content"] +
                text[offset(edit["end_location"]):])
    return text


def _check(*args):
    return invoke("check", "--no-cache", *args)


def test_json_carries_each_fix_as_text_edits_with_its_applicability(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(FIXABLE)
    findings = {f["code"]: f for f in json.loads(_check("--format", "json", path).stdout)}
    keyword, rename = findings["FN203"]["fix"], findings["FN201"]["fix"]
    assert keyword["applicability"] == "safe" and rename["applicability"] == "unsafe"
    assert keyword["edits"] == [{"content": "activation", "location": {"row": 5, "column": 22},
                                 "end_location": {"row": 5, "column": 31}}]
    assert rename["message"] == "rename `anser_size` to `answer_size`"
    by_hand = _apply(FIXABLE, keyword["edits"] + rename["edits"])
    _check("--fix", "--unsafe-fixes", path)
    assert by_hand == path.read_text()  # the edits are the fixes --fix applies


def test_sarif_fixes_help_uris_and_every_code_validate(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(FIXABLE)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    plain = json.loads(_check("--format", "sarif", path).stdout)
    jsonschema.validate(plain, schema)
    driver = plain["runs"][0]["tool"]["driver"]
    assert {"FN000", "FN001", "FN203"} <= {rule["id"] for rule in driver["rules"]}
    assert not any("helpUri" in rule for rule in driver["rules"])  # no made-up address
    [keyword] = [r for r in plain["runs"][0]["results"] if r["ruleId"] == "FN203"]
    [fix] = keyword["fixes"]
    assert fix["properties"]["applicability"] == "safe"
    [change] = fix["artifactChanges"]
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 5, "startColumn": 22, "endLine": 5, "endColumn": 31},
        "insertedContent": {"text": "activation"}}]
    base = "https://git.example.org/team/fnlint/-/blob/main/docs/rules/"
    linked = json.loads(_check("--format", "sarif", "--docs-url", base, path).stdout)
    jsonschema.validate(linked, schema)
    uris = {r["id"]: r["helpUri"] for r in linked["runs"][0]["tool"]["driver"]["rules"]}
    assert uris["FN203"] == base + "FN203.md" and uris["FN000"] == base + "FN000.md"
    from_env = invoke("check", "--format", "sarif", str(path),
                      env={"FNLINT_DOCS_URL": base.rstrip("/")})
    assert json.loads(from_env.stdout)["runs"][0]["tool"]["driver"]["rules"][0][
        "helpUri"] == base + "FN000.md"


def test_gitlab_code_quality(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(FIXABLE + "other = layers.Dense(anser_size)(h)\n")
    issues = json.loads(_check("--format", "gitlab", path).stdout)
    assert [i["check_name"] for i in issues] == ["FN203", "FN201", "FN201"]
    assert len({i["fingerprint"] for i in issues}) == 3
    assert issues[0]["severity"] == "major" and issues[0]["description"].startswith("FN203 ")
    assert issues[1]["location"] == {"path": path.as_posix(), "positions": {
        "begin": {"line": 6, "column": 20}, "end": {"line": 6, "column": 30}}}
    again = json.loads(_check("--format", "gitlab", path).stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]


def test_junit_xml(tmp_path):
    from xml.etree import ElementTree

    path = tmp_path / "model.py"
    path.write_text(FIXABLE)
    root = ElementTree.fromstring(_check("--format", "junit", path).stdout)
    assert root.tag == "testsuites" and root.get("failures") == "2"
    [suite] = root
    assert suite.get("name") == str(path) and suite.get("tests") == "2"
    failures = [case.find("failure") for case in suite]
    assert [f.get("type") for f in failures] == ["FN203 unknown-keyword-argument",
                                                 "FN201 undefined-name"]
    clean = tmp_path / "clean.py"
    clean.write_text("import keras\nx = keras.Input((3,))\n")
    root = ElementTree.fromstring(_check("--format", "junit", clean).stdout)
    assert root.get("failures") == "0" and root.find("testsuite/testcase") is not None
    hostile = Finding("a\x1bb.py", 1, 1, "FN000", "analysis-error", "error", "bad \x00 byte")
    ElementTree.fromstring(renderer("junit").render(Run([hostile])))  # still well-formed


def test_notebook_annotations_sit_on_the_notebooks_real_line():
    notebook = ROOT / "fixtures" / "documents" / "qa_model.ipynb"
    lines = notebook.read_text(encoding="utf-8").split("\n")
    out = _check("--format", "github", notebook).stdout.splitlines()
    undefined = COMMAND.match(next(line for line in out if "FN201" in line))
    line, column = int(undefined.group(3)), int(undefined.group(4))
    assert lines[line - 1][column - 1:].startswith("anser_vocabulary_size")
    assert undefined.group(8).startswith("cell 6, line 2: ")
    sarif = json.loads(_check("--format", "sarif", notebook).stdout)
    region = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "FN201")[
        "locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (line, column)
    issue = next(i for i in json.loads(_check("--format", "gitlab", notebook).stdout)
                 if i["check_name"] == "FN201")
    assert issue["location"]["positions"]["begin"] == {"line": line, "column": column}
