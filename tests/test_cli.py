"""The command line as a user meets it: output, exit codes, bad input."""

import json
import subprocess
import sys

from conftest import invoke, run
from fnlint import __version__

CLEAN = "import keras\ninp = keras.Input(shape=(4,))\nmodel = keras.Model(inp, keras.layers.Dense(2)(inp))\n"
BROKEN = "from keras import Input, Model\nfrom keras.layers import Dense\na = Input(shape=(3,))\nb = Input(shape=(3,))\nm = Model(a, Dense(1)(b))\n"


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_clean_file_exits_zero(tmp_path):
    (tmp_path / "ok.py").write_text(CLEAN)
    code, out, err = run(str(tmp_path))
    assert code == 0 and out == ""
    assert "no findings in 1 file checked" in err


def test_findings_exit_one_and_check_is_the_default_command(tmp_path):
    (tmp_path / "bad.py").write_text(BROKEN)
    for args in ([str(tmp_path)], ["check", str(tmp_path)]):
        code, out, _ = run(*args)
        assert code == 1
        assert f"{tmp_path / 'bad.py'}:5:5: FN101 graph disconnected" in out


def test_json_findings_contract(tmp_path):
    (tmp_path / "bad.py").write_text(BROKEN)
    code, out, _ = run("check", "--format", "json", str(tmp_path))
    [finding] = json.loads(out)
    assert code == 1
    assert set(finding) == {"path", "line", "column", "end_line", "end_column", "code", "name",
                            "severity", "message", "suggestion", "cell", "fix"}
    assert finding["fix"]["applicability"] == "unsafe"  # FN101: add the Input to `inputs`
    assert (finding["code"], finding["name"], finding["severity"]) == (
        "FN101", "graph-disconnected", "error")
    assert (finding["line"], finding["column"], finding["end_line"]) == (5, 5, 5)


def test_select_and_ignore(tmp_path):
    (tmp_path / "bad.py").write_text(BROKEN)
    assert run("--ignore", "FN1", str(tmp_path))[0] == 0
    assert run("--select", "FN4", str(tmp_path))[0] == 0
    assert run("--select", "FN101", str(tmp_path))[0] == 1


def test_syntax_error_is_fn000_and_other_files_still_checked(tmp_path):
    (tmp_path / "a_broken.py").write_text("import keras\nx = (\n")
    (tmp_path / "b_bad.py").write_text(BROKEN)
    code, out, _ = run(str(tmp_path))
    assert code == 2
    assert f"{tmp_path / 'a_broken.py'}:2:5: FN000 syntax error" in out
    assert "FN101" in out
    assert "Traceback" not in out


def test_undecodable_and_binary_files_are_fn000(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"import keras\nname = '\xe9t\xe9'\n")
    (tmp_path / "blob.py").write_bytes(b"keras\x00\x01\x02")
    code, out, _ = run(str(tmp_path))
    assert code == 2
    assert "latin.py:2:1: FN000 cannot decode file as utf-8" in out
    assert "blob.py:1:1: FN000 binary file" in out


def test_encoding_cookie_and_bom_are_honoured(tmp_path):
    (tmp_path / "cookie.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport keras\nlabel = '\xe9t\xe9'\n" + CLEAN.encode())
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + CLEAN.encode())
    assert run(str(tmp_path))[0] == 0


def test_files_without_keras_are_skipped_walked_or_named(tmp_path):
    """pre-commit names every staged file: a named `util.py` without Keras is skipped as the
    walk skips it, so that the hook and `fnlint .` in CI agree."""
    plain = tmp_path / "plain.py"
    plain.write_text("def f(:\n")  # would be a syntax error if it were parsed
    code, _, err = run(str(tmp_path))
    assert code == 0 and "(1 skipped: no Keras)" in err
    code, out, err = run(str(plain))
    assert code == 0 and out == "" and "0 files checked (1 skipped: no Keras)" in err
    (tmp_path / "model.py").write_text("import keras\ndef f(:\n")
    code, out, _ = run(str(tmp_path / "model.py"))
    assert code == 2 and "FN000" in out


def test_walk_skips_tool_folders_and_excludes(tmp_path):
    for folder in (".git", ".venv", "__pycache__", "build", "node_modules", "generated"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bad.py").write_text(BROKEN)
    (tmp_path / "keep.py").write_text(BROKEN)
    code, out, _ = run("--exclude", "generated", str(tmp_path))
    assert code == 1 and out.count("FN101") == 1 and "keep.py" in out


def test_missing_path_is_fn000(tmp_path):
    code, out, _ = run(str(tmp_path / "nope.py"))
    assert code == 2 and "file not found" in out


def test_summary_table(seeds_dir):
    code, out, _ = run("summary", str(seeds_dir / "s000_13_siamese_lstm.py"))
    assert code == 0
    for text in ("Layer (type)", "Output Shape", "Param #", "Connected to",
                 "lstm (LSTM)", "(None, 32)", "20,608", "lstm[0][0], lstm[1][0]",
                 "Total params: 20,673 (80.75 KB)", "s000_13_siamese_lstm.py:17"):
        assert text in out, text


def test_summary_json_contract(seeds_dir):
    code, out, _ = run("summary", "--format", "json", str(seeds_dir / "s003_08_toy_resnet.py"))
    [model] = json.loads(out)
    assert code == 0
    assert {"path", "line", "variable", "name", "kind", "inputs", "outputs", "total_params",
            "trainable_params", "non_trainable_params", "layers"} <= set(model)
    assert (model["name"], model["kind"], model["variable"]) == ("toy_resnet", "functional",
                                                                 "model")
    assert model["inputs"] == [{"name": "img", "shape": [None, 32, 32, 3], "dtype": "float32"}]
    assert model["total_params"] == 223242 and model["non_trainable_params"] == 0
    add = [layer for layer in model["layers"] if layer["class"] == "Add"][0]
    assert add == {"name": "add", "class": "Add", "line": 12, "output_shape": [None, 9, 9, 64],
                   "params": 0, "inbound": ["conv2d_3", "max_pooling2d"]}


def test_summary_of_unparseable_file_exits_two(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import keras\ndef build():\nreturn keras.Sequential()\n")
    code, _, err = run("summary", str(broken))
    assert code == 2 and "FN000 syntax error: expected an indented block" in err


def test_python_dash_m_works_like_the_script(tmp_path):
    (tmp_path / "bad.py").write_text(BROKEN)
    done = subprocess.run([sys.executable, "-m", "fnlint", str(tmp_path)], capture_output=True,
                          text=True)
    assert done.returncode == 1 and "FN101" in done.stdout


def test_internal_error_is_fn000_with_a_bug_hint_and_other_files_go_on(tmp_path, monkeypatch):
    from fnlint.analyzer import interpreter

    original = interpreter.Interpreter.run

    def explode(self, module):
        if "boom" in module.code:
            raise RuntimeError("simulated analyzer bug")
        return original(self, module)

    monkeypatch.setattr(interpreter.Interpreter, "run", explode)
    (tmp_path / "a.py").write_text("import keras  # boom\n")
    (tmp_path / "b.py").write_text(BROKEN)
    code, out, _ = run(str(tmp_path))
    assert code == 2
    assert "a.py:1:1: FN000 internal error in analysis: RuntimeError: simulated analyzer bug" in out
    assert "please report it" in out
    assert "b.py:5:5: FN101" in out


def test_rules_lists_every_rule_with_its_code_name_and_severity():
    result = invoke("rules")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("FN301  incompatible-merge") and " error " in line for line in lines)
    assert any(line.startswith("FN402  input-rebound") and " warning " in line for line in lines)
    assert "FN202  unknown-keras-attribute" in result.output and "`from ... import`" in result.output


def test_explain_prints_the_rule_page_by_code_or_name():
    by_code = invoke("explain", "fn301")
    assert by_code.exit_code == 0
    assert by_code.output.startswith("# FN301 incompatible-merge (error)")
    for section in ("## What it does", "## Why is this bad?", "## Example"):
        assert section in by_code.output
    assert invoke("explain", "incompatible-merge").output == by_code.output
    missing = invoke("explain", "FN999")
    assert missing.exit_code == 2 and "fnlint rules" in missing.output


def test_summary_prints_none_where_keras_does_and_symbols_on_request(seeds_dir):
    """Keras prints `(None, None, 128)` for an Input of shape (None, 128); fnlint's symbols
    (`left_input.1`) are its own, shown with --symbolic and kept in JSON."""
    siamese = str(seeds_dir / "s000_13_siamese_lstm.py")
    code, out, _ = run("summary", siamese)
    lines = out.splitlines()
    assert code == 0 and lines[0] == 'Model: "functional"'
    assert lines[1].startswith(f"{siamese}:17")
    assert "│ input_layer (InputLayer)   │ (None, None, 128) │" in out and "left_input" not in out
    code, out, _ = run("summary", "--symbolic", siamese)
    assert "(None, left_input.1, 128)" in out and "(None, right_input.1, 128)" in out
    code, out, _ = run("summary", "--format", "json", siamese)
    assert json.loads(out)[0]["layers"][0]["output_shape"] == [None, "left_input.1", 128]


def test_exclude_patterns_with_a_slash_or_dot_slash_name_the_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "bad.py").write_text(BROKEN)
    (tmp_path / "keep.py").write_text(BROKEN)
    for pattern in ("generated/", "./generated", "generated"):
        code, out, _ = run("--exclude", pattern, ".")
        assert out.count("FN101") == 1 and "keep.py" in out, pattern


def test_force_exclude_applies_the_excludes_to_named_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "bad.py").write_text(BROKEN)
    (tmp_path / "pyproject.toml").write_text('[tool.fnlint]\nexclude = ["generated/"]\n')
    code, out, _ = run("generated/bad.py")
    assert code == 1 and "FN101" in out  # named: linted, as ruff does without the flag
    code, out, err = run("--force-exclude", "generated/bad.py")
    assert code == 0 and out == "" and "0 files checked" in err


def test_gitignore_is_respected(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the repository's top: its .gitignore rules the walk
    (tmp_path / ".gitignore").write_text("build_out/\n*.gen.py\n!keep.gen.py\n")
    (tmp_path / "build_out").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("scratch.py\n")
    for name in ("build_out/bad.py", "a.gen.py", "keep.gen.py", "sub/scratch.py",
                 "sub/real.py"):
        (tmp_path / name).write_text(BROKEN)
    code, out, _ = run(".")
    assert sorted(line.split(":")[0] for line in out.splitlines()) == ["keep.gen.py",
                                                                       "sub/real.py"]
    code, out, _ = run("--no-respect-gitignore", ".")
    assert out.count("FN101") == 5
    code, out, _ = run("--force-exclude", "sub/scratch.py", "sub/real.py")
    assert [line.split(":")[0] for line in out.splitlines()] == ["sub/real.py"]


def test_a_gitignore_outside_any_repository_ignores_nothing(tmp_path, monkeypatch):
    # pyenv's own .gitignore names `versions/`: the Keras installed below it is still linted.
    (tmp_path / ".gitignore").write_text("versions/\n")
    (tmp_path / "versions" / "pkg").mkdir(parents=True)
    (tmp_path / "versions" / "pkg" / "model.py").write_text(BROKEN)
    monkeypatch.chdir(tmp_path / "versions")
    code, out, _ = run("pkg")
    assert [line.split(":")[0] for line in out.splitlines()] == ["pkg/model.py"]


def test_summary_never_cuts_a_long_path_in_two(tmp_path):
    deep = tmp_path / ("a_rather_long_folder_name_" * 3) / "models"
    deep.mkdir(parents=True)
    path = deep / "siamese_model_with_a_long_name.py"
    path.write_text(CLEAN)
    code, out, _ = run("summary", str(path))
    assert code == 0 and f"{path}:3" in out.splitlines()[1]


def test_server_without_pygls_says_how_to_install_it():
    done = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['pygls'] = None\n"
                               "from fnlint.cli import main; main(['server'])"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "pip install 'fnlint[server]'" in done.stderr
