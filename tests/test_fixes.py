"""`--fix`, `--diff` and `--unsafe-fixes`: typos repaired, files rewritten atomically in their
own encoding, line endings and permissions, and a second pass changes nothing."""

import ast
import os
import shutil
import stat

import pytest
from conftest import ROOT, check, findings_of, invoke
from fnlint import atomic
from fnlint.fixes import edits
from fnlint.sources import discover

TYPOS = ("import keras\nfrom keras import layers\nanswer_vocabulary_size = 500\n"
         "x = keras.Input(shape=(8,))\n"
         "h = layers.Dense(16, activaton='rleu')(x)\n"
         "out = layers.Dense(anser_vocabulary_size, activation='softmax')(h)\n"
         "model = keras.Model(x, out)\n"
         "model.compile(optimizer=keras.optimizers.SGD(lr=0.01), loss='categorical_crossentropyy')\n"
         "emb = layers.Embedding(256, 50000)\n")


def fixable(path):
    return [f for f in findings_of(path) if any(e.safe for e in edits(f))]


def test_fix_repairs_typos_and_keeps_the_rest(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(TYPOS)
    check(path, "--fix")
    text = path.read_text()
    assert "activation='relu'" in text
    assert "SGD(learning_rate=0.01)" in text and "loss='categorical_crossentropy'" in text
    # unsafe fixes: not without --unsafe-fixes (a user's name, an argument order)
    assert "Dense(anser_vocabulary_size" in text and "Embedding(256, 50000)" in text
    code, out, _ = check(path)
    assert [line.split(" ")[1] for line in out.splitlines()] == ["FN201", "FN603"]
    check(path, "--fix", "--unsafe-fixes")
    assert "Embedding(50000, 256)" in path.read_text()
    assert "Dense(answer_vocabulary_size" in path.read_text()


def test_a_rename_to_another_user_name_is_never_applied_by_fix_alone(tmp_path):
    """With `decoder` defined, `encoder` is one slip from it, and the renamed program would
    run: a different model, silently."""
    path = tmp_path / "model.py"
    source = ("import keras\ninp = keras.Input(shape=(8,))\n"
              "decoder = keras.layers.Dense(8)\nz = encoder(inp)\n")
    path.write_text(source)
    code, out, _ = check(path, "--fix")
    assert path.read_text() == source and "FN201" in out
    assert check(path, "--diff")[1] == ""
    check(path, "--fix", "--unsafe-fixes")
    assert "z = decoder(inp)" in path.read_text()


def test_a_builtin_is_never_proposed_for_an_undefined_name(tmp_path):
    """`gen` is one slip from the built-in `len`: `fit_generator(gen)` must become
    `fit(gen)` (the Keras 2 rename is safe), never `fit(len)`, with or without unsafe fixes."""
    path = tmp_path / "train.py"
    path.write_text("import keras\nmodel = keras.Sequential([keras.Input((4,)), "
                    "keras.layers.Dense(1)])\nmodel.compile(loss='mse')\n"
                    "model.fit_generator(gen, epochs=2)\n")
    code, out, _ = check(path)
    assert "undefined name `gen`" in out and "len" not in out
    check(path, "--fix", "--unsafe-fixes")
    assert "model.fit(gen, epochs=2)" in path.read_text()


def test_diff_shows_without_writing(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(TYPOS)
    code, out, _ = check(path, "--diff", "--unsafe-fixes")
    assert code == 1 and path.read_text() == TYPOS
    assert "-out = layers.Dense(anser_vocabulary_size" in out
    assert "+out = layers.Dense(answer_vocabulary_size" in out


def test_encoding_line_endings_bom_and_permissions_are_kept(tmp_path):
    latin = tmp_path / "latin.py"
    latin.write_bytes("# -*- coding: latin-1 -*-\n# café\nimport keras\r\n"
                      "x = keras.layers.Dense(2, activaton='relu')\r\n".encode("latin-1"))
    latin.chmod(0o751)
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbfimport keras\nx = keras.layers.Conv2d(2, 3)\n")
    check(tmp_path, "--fix")
    assert latin.read_bytes() == ("# -*- coding: latin-1 -*-\n# café\nimport keras\r\n"
                                  "x = keras.layers.Dense(2, activation='relu')\r\n"
                                  ).encode("latin-1")
    assert stat.S_IMODE(latin.stat().st_mode) == 0o751
    assert bom.read_bytes() == b"\xef\xbb\xbfimport keras\nx = keras.layers.Conv2D(2, 3)\n"
    assert not [p for p in tmp_path.iterdir() if "fnlint-tmp" in p.name]


def test_fix_over_every_fixture_parses_and_a_second_pass_changes_nothing(tmp_path):
    tree = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree)
    check(tree, "--fix", "--markdown-ext", ".txt")
    after = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    for path, data in after.items():
        original = (ROOT / path.relative_to(tmp_path)).read_bytes()
        if path.suffix == ".py" and _parses(original):  # (s002_04 is broken on purpose)
            ast.parse(data.decode("utf-8"))
    def changed():
        return {p.name for p in after if p.read_bytes() != (ROOT / p.relative_to(tmp_path)
                                                            ).read_bytes()}

    renamed_user_names = {"s000_06_qa_model.py", "s004_01_sequential_list_typo.py",
                          "s004_06_binary_mdoel_typo_ctx.py"}  # FN201: unsafe fixes
    assert "s004_08_mlp_sgd_lr_decay.py" in changed() and not renamed_user_names & changed()
    check(tree, "--fix", "--unsafe-fixes", "--markdown-ext", ".txt")
    after = {p: p.read_bytes() for p in after}
    assert renamed_user_names <= changed()
    for source in discover([str(tree / "seeds")]):
        assert fixable(source.path) == [], source.path
    check(tree, "--fix", "--unsafe-fixes", "--markdown-ext", ".txt")
    assert {p: p.read_bytes() for p in after} == after


def _parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except SyntaxError:
        return False
    return True


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.py"
    path.write_text("old\n")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_atomically(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["model.py"]


def test_unsafe_fix_adds_the_missing_input(tmp_path):
    path = tmp_path / "model.py"
    path.write_text("import keras\nseen = keras.Input((3,))\nhidden = keras.Input((3,))\n"
                    "out = keras.layers.add([seen, hidden])\nmodel = keras.Model(seen, out)\n")
    check(path, "--fix")
    assert "keras.Model(seen, out)" in path.read_text()
    check(path, "--fix", "--unsafe-fixes")
    assert "keras.Model([seen, hidden], out)" in path.read_text()
    assert "FN101" not in check(path)[1]


def _notebook(*cells, escape_letters=False):
    import json

    document = {"cells": [{"cell_type": "code", "execution_count": None, "id": str(i),
                           "metadata": {}, "outputs": [],
                           "source": [line + "\n" for line in cell.split("\n")[:-1]] +
                           [cell.split("\n")[-1]]} for i, cell in enumerate(cells)],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    return text.replace("activaton", "\\u0061ctivaton") if escape_letters else text


def test_fix_rewrites_the_notebook_cell_in_place(tmp_path):
    import json

    path = tmp_path / "train.ipynb"
    original = _notebook("import keras\nfrom keras import layers", "# é\nx = keras.Input((4,))"
                         "\ny = layers.Dense(2, activaton='rleu')(x)\nmodel = keras.Model(x, y)")
    path.write_text(original, encoding="utf-8")
    code, out, _ = check(path, "--diff")
    assert code == 1 and path.read_text(encoding="utf-8") == original
    assert """-    "y = layers.Dense(2, activaton='rleu')(x)\\n",""" in out
    check(path, "--fix")
    fixed = path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(original.split("\n"), fixed.split("\n")) if a != b]
    assert changed == [("""    "y = layers.Dense(2, activaton='rleu')(x)\\n",""",
                        """    "y = layers.Dense(2, activation='relu')(x)\\n",""")]
    assert json.loads(fixed)["cells"][1]["source"][2] == "y = layers.Dense(2, activation='relu')(x)\n"
    assert check(path)[0] == 0
    assert not [p for p in tmp_path.iterdir() if "fnlint-tmp" in p.name]


def test_fix_rewrites_the_markdown_fenced_block_in_place(tmp_path):
    path = tmp_path / "post.md"
    original = ("# A model\n\n1. Build it:\n\n   ```python\n   import keras\n"
                "   x = keras.Input((4,))\n   y = keras.layers.Conv2d(2, 3)(x)\n   ```\n\n"
                "`activaton` in prose stays.\n")
    path.write_text(original)
    code, out, _ = check(path, "--diff")
    assert "+   y = keras.layers.Conv2D(2, 3)(x)\n" in out and path.read_text() == original
    check(path, "--fix")
    assert path.read_text() == original.replace("Conv2d", "Conv2D")


def test_a_notebook_fix_that_cannot_be_placed_says_so(tmp_path):
    path = tmp_path / "escaped.ipynb"
    original = _notebook("import keras\nx = keras.Input((4,))\n"
                         "y = keras.layers.Dense(2, activaton='relu')(x)", escape_letters=True)
    path.write_text(original)
    result = invoke("check", "--fix", str(path))
    assert path.read_text() == original and "FN203" in result.stdout
    assert f"{path}: not fixable in this notebook: cell 1, line 3 could not be found" in \
        result.stderr
FIXED = TYPOS.replace("activaton='rleu'", "activation='relu'").replace(
    "lr=", "learning_rate=").replace("crossentropyy", "crossentropy")  # the safe fixes


def test_fix_of_standard_input_prints_the_fixed_source():
    result = invoke("check", "--fix", "-", "--stdin-filename", "m.py",
                    input=TYPOS)
    assert result.stdout == FIXED  # format on save: the code, and nothing else
    assert "m.py:9:7: FN603" in result.stderr and result.exit_code == 1  # what is left
    assert "m.py:6:20: FN201" in result.stderr


def test_fixable_findings_are_marked_and_counted_as_ruff_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the cache goes here: a second run reads it
    path = tmp_path / "model.py"
    path.write_text(TYPOS)
    for _ in range(2):
        result = invoke("check", "--format", "concise", str(path))
        marked = {line.split(" ")[1]: "[*]" in line for line in result.stdout.splitlines()}
        assert marked == {"FN201": False, "FN203": True, "FN204": True, "FN701": True,
                          "FN603": False}  # FN201 and FN603 are unsafe fixes
        assert result.stderr.splitlines()[-1] == \
            "[*] 3 fixable with `--fix` (2 more with `--unsafe-fixes`)"
    unsafe = invoke("check", "--format", "concise", "--unsafe-fixes", str(path))
    assert "FN603 [*]" in unsafe.stdout
    assert unsafe.stderr.splitlines()[-1] == "[*] 5 fixable with `--fix`"
    full = invoke("check", "--format", "full", "--no-cache", str(path))
    assert "FN203 [*] error" in full.stdout and full.stdout.rstrip().endswith(
        "[*] 3 fixable with `--fix` (2 more with `--unsafe-fixes`)")


def test_show_fixes_lists_what_was_fixed(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(TYPOS)
    would = invoke("check", "--show-fixes", "--no-cache", str(path))
    assert "Would fix 3 findings:" in would.stderr and path.read_text() == TYPOS
    result = invoke("check", "--fix", "--show-fixes", str(path))
    assert path.read_text() == FIXED
    listing = result.stderr[result.stderr.index("Fixed "):].splitlines()
    # 'rleu' is found, and fixed, once `activaton=` is `activation=`: a second round
    assert listing[:2] == ["Fixed 4 findings:", f"- {path}:"]
    assert "    1 × FN203 (unknown-keyword-argument)" in listing
    assert "    2 × FN204 (unknown-identifier)" in listing
