"""The command line's conventions, as users of ruff and of other terminal tools expect them:
every code listed and explained, ruff's spellings, colour switches, quiet runs, reports that
fit the terminal, and progress only on a terminal."""

import io
import json
import re

from conftest import invoke
from fnlint.progress import FileProgress

TYPO = ("import keras\nfrom keras import layers\ninputs = keras.Input(shape=(32,))\n"
        "hidden_representation_of_everything = layers.Dense(64, activation='relu', "
        "kernel_initializer='glorot_uniform')(inputs)\n"
        "outputs = layers.Dense(10, activation='softmax', name='classification_head_for_"
        "the_whole_thing')(hidden_representation_of_everythin)\n"
        "model = keras.Model(inputs, outputs)\n")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_rules_and_explain_know_the_pipeline_codes():
    listed = invoke("rules").stdout.splitlines()
    assert listed[0].startswith("FN000  analysis-error") and " error " in listed[0]
    assert listed[1].startswith("FN001  unused-suppression") and " info " in listed[1]
    for code in ("FN000", "FN001"):
        page = invoke("explain", code)
        assert page.exit_code == 0 and page.stdout.startswith(f"# {code} ")
        assert "## Why is this bad?" in page.stdout
    assert invoke("explain", "unused-suppression").stdout.startswith("# FN001")


def test_rules_as_json():
    result = invoke("rules", "--format", "json")
    rules = {rule["code"]: rule for rule in json.loads(result.stdout)}
    assert {"FN000", "FN001", "FN301", "FN806"} <= set(rules)
    assert rules["FN301"]["name"] == "incompatible-merge"
    assert rules["FN301"]["severity"] == "error"
    assert rules["FN301"]["explanation"].startswith("## What it does")
    assert rules["FN000"]["summary"] == "Reports a file fnlint could not analyze."


def test_ignoring_fn000_is_refused(tmp_path):
    (tmp_path / "m.py").write_text("import keras\ndef broken(:\n")
    result = invoke("check", "--ignore", "FN000", tmp_path)
    assert result.exit_code == 2
    assert "--ignore: FN000 cannot be ignored: it means a file was not analyzed" in \
        result.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.fnlint]\nignore = ["FN000"]\n')
    result = invoke("check", tmp_path)
    assert result.exit_code == 2 and "ignore: FN000 cannot be ignored" in result.stderr
    assert "Traceback" not in result.output
    (tmp_path / "pyproject.toml").write_text('[tool.fnlint.per-file-ignores]\n'
                                             '"m.py" = ["FN000"]\n')
    result = invoke("check", tmp_path)
    assert result.exit_code == 2
    assert "per-file-ignores 'm.py': FN000 cannot be ignored" in result.stderr


def test_output_format_is_an_alias_of_format(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(TYPO)
    spelled = invoke("check", "--output-format", "json", path)
    assert spelled.exit_code == 1
    assert spelled.stdout == invoke("check", "--format", "json", path).stdout
    assert json.loads(spelled.stdout)[0]["code"] == "FN201"


def test_no_color_and_force_color(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(TYPO)
    piped = invoke("check", "--format", "full", path)
    assert not ANSI.search(piped.stdout)
    forced = invoke("check", "--format", "full", path, env={"FORCE_COLOR": "1"})
    assert ANSI.search(forced.stdout) and "FN201" in ANSI.sub("", forced.stdout)
    refused = invoke("check", "--format", "full", path,
                     env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not ANSI.search(refused.stdout) and "FN201" in refused.stdout


def test_quiet_prints_the_findings_only(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(TYPO.replace("activation='relu'", "activaton='relu'"))
    concise = invoke("check", "-q", path)
    assert "FN201" in concise.stdout and concise.stderr == ""
    full = invoke("check", "--quiet", "--format", "full", path)
    assert "FN201" in full.stdout and "checked" not in full.stdout
    fixed = invoke("check", "-q", "--fix", path)
    assert "activation='relu'" in path.read_text() and "fixed" not in fixed.stderr


def test_frames_fit_an_80_column_terminal(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(TYPO)
    text = invoke("check", "--format", "full", path, env={"COLUMNS": "80"}).stdout
    lines = text.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    # words are never cut: the message's words are all whole on some line
    assert "`hidden_representation_of_everythin`" in text
    assert "`hidden_representation_of_everything`?" in text
    frame = next(i for i, line in enumerate(lines) if line.startswith("5 | "))
    caret = lines[frame + 1]
    start = caret.index("^")
    assert lines[frame][start:start + caret.count("^")] == "hidden_representation_of_everythin"
    wide = invoke("check", "--format", "full", path, env={"COLUMNS": "200"}).stdout
    assert "5 | outputs = layers.Dense(10" in wide  # the whole line where it fits


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_appears_on_a_terminal_after_a_second_only():
    now = [0.0]
    stream = Terminal()
    with FileProgress("checking", 3, stream=stream, clock=lambda: now[0]) as progress:
        progress.advance()
        assert stream.getvalue() == ""  # a short run stays silent
        now[0] = 1.5
        progress.advance()
    assert "checking" in stream.getvalue() and "2/3" in stream.getvalue()
    piped = io.StringIO()
    with FileProgress("checking", 3, stream=piped, clock=lambda: 5.0) as progress:
        progress.advance()
    assert piped.getvalue() == ""
    quiet = Terminal()
    with FileProgress("checking", 3, stream=quiet, quiet=True, clock=lambda: 5.0) as progress:
        progress.advance()
    assert quiet.getvalue() == ""
