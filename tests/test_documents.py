"""Notebooks, Markdown and the seed blog posts are linted as programs, and findings land on the
cell and line (or the document line) where the code is."""

import json

from conftest import ROOT, findings_of, invoke
from fnlint.documents import markdown, notebook

DOCUMENTS = ROOT / "fixtures" / "documents"
SEEDS_TEXT = ROOT / "fixtures" / "posts"


def test_notebook_findings_are_reported_by_cell_and_line():
    found = {(f.cell, f.line, f.code) for f in findings_of(DOCUMENTS / "qa_model.ipynb")}
    # cell 6 uses `anser_vocabulary_size`; cell 3 defined `answer_vocabulary_size`
    assert found == {(6, 2, "FN201"), (8, 3, "FN604")}


def test_notebook_names_flow_between_cells_and_magics_are_skipped():
    source = {"cells": [
        {"cell_type": "code", "source": ["%matplotlib inline\n", "import keras\n",
                                         "width = 8"]},
        {"cell_type": "markdown", "source": "text"},
        {"cell_type": "code", "source": "!pip install keras\ninputs = keras.Input((width,))"},
    ], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}
    program = notebook(json.dumps(source))
    assert program.locate(5) == (3, 2)
    assert "pass" not in program.text and "%" not in program.text


def test_notebook_with_invalid_json_is_fn000(tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text('{"cells": [{"source": "import keras"', encoding="utf-8")
    [finding] = findings_of(bad)
    assert finding.code == "FN000" and "invalid JSON" in finding.message


def test_markdown_blocks_keep_their_document_lines():
    found = {(f.line, f.code) for f in findings_of(DOCUMENTS / "inception_post.md")}
    assert found == {(31, "FN301")}  # the `# noqa: FN201` on line 34 hides the undefined data


def test_markdown_only_python_fences_count():
    text = "# t\n```\nnot code(\n```\n```python\nx = 1\n```\n```js\nvar y;\n```\n"
    program = markdown(text)
    assert program.text.split("\n")[5] == "x = 1"
    assert "not code" not in program.text and "var" not in program.text


def test_seed_posts_lint_as_markdown_with_their_bugs_at_their_real_lines():
    expected = {
        "000_3f021e2a885a1ac2.txt": {(223, "FN201"), (274, "FN604"), (319, "FN603"),
                                     (480, "FN307"), (567, "FN402")},
        "001_7e165db09a430f42.txt": {(188, "FN603"), (304, "FN601")},
        "002_bb858232efd8e58b.txt": {(146, "FN307"), (191, "FN402")},
        # the functional-API guide: its loss list lands on the wrong dict outputs
        "003_ca996183787bbdf3.txt": {(211, "FN504"), (211, "FN506"), (215, "FN506")},
        "004_9eaf3c28efc4f9a6.txt": {(23, "FN201"), (95, "FN201"), (152, "FN701"),
                                     (434, "FN405"), (443, "FN701")},
    }
    for name, bugs in expected.items():
        found = {(f.line, f.code) for f in findings_of(SEEDS_TEXT / name)}
        assert bugs <= found, name
        lines = (SEEDS_TEXT / name).read_text(encoding="utf-8").split("\n")
        for line, code in bugs:  # the line really holds the code the finding is about
            assert lines[line - 1].strip(), (name, line)


def test_seed_posts_prose_is_not_code():
    for path in sorted(SEEDS_TEXT.glob("*.txt")):
        for f in findings_of(path):
            if f.code == "FN201":
                name = f.message.split("`")[1]
                assert name.isascii(), (path.name, f.line, name)


def test_stdin_with_a_filename():
    result = invoke(
        "check", "-", "--stdin-filename", "model.py", "--format", "concise",
        input="import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(2, activaton='relu')(x)\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("model.py:3:")
    assert "FN203" in result.stdout


def test_warnings_about_the_linted_code_never_reach_fnlints_output(tmp_path):
    """`"\\d"` makes Python warn when it compiles the code (SyntaxWarning from 3.12): fnlint
    compiles user code only to learn whether it parses, so the warning is not its to print."""
    import subprocess
    import sys

    post = tmp_path / "post.md"
    post.write_text('# Parse\n\n```python\nimport re, keras\npattern = re.compile("\\d+")\n'
                    'x = keras.layers.Dense(2, activaton="relu")\n```\n')
    done = subprocess.run([sys.executable, "-W", "error", "-m", "fnlint", "check", "--fix",
                           "--no-cache", str(post)], capture_output=True, text=True)
    assert "Warning" not in done.stderr, done.stderr
    assert 'activation="relu"' in post.read_text()


def test_markdown_fences_as_commonmark_reads_them(tmp_path):
    """Quarto's {python}, MyST's {code-cell}, ~~~ fences, fences in block quotes and list
    items: the code is linted at the document's own lines, and fixed there."""
    post = tmp_path / "post.md"
    post.write_text("# Models\n\n```{python}\nimport keras\nwidth = 8\n```\n\n"
                    "> ```{code-cell} ipython3\n> a = keras.layers.Dense(widht)\n> ```\n\n"
                    "- step:\n\n  ~~~py\n  b = keras.layers.Conv2d(2, 3)\n  ~~~\n\n"
                    "```text\nnot = python(\n```\n\n    indented = code_block_not_linted\n")
    findings = findings_of(post)
    assert [(f.line, f.code) for f in findings] == [(9, "FN201"), (15, "FN202")]
    invoke("check", "--fix", "--unsafe-fixes", str(post))
    text = post.read_text()
    assert "> a = keras.layers.Dense(width)\n" in text and "  b = keras.layers.Conv2D(2, 3)\n" \
        in text


def test_a_readme_leaves_its_data_to_the_reader_but_its_typos_are_reported(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("Train it on your data:\n\n```python\nimport keras\n"
                      "model = keras.Sequential([keras.layers.Dense(1)])\n"
                      "model.compile('adam', 'mse')\nmodel.fit(x_train, y_train)\n"
                      "mdoel.evaluate(x_test, y_test)\n```\n")
    assert [(f.line, f.code, f.message) for f in findings_of(readme)] == [
        (8, "FN201", "undefined name `mdoel`")]
    script = tmp_path / "train.py"  # the same code as a program: its data must exist
    script.write_text("\n".join(readme.read_text().split("\n")[3:8]))
    assert {f.message for f in findings_of(script) if f.code == "FN201"} >= {
        "undefined name `x_train`", "undefined name `mdoel`"}


def _notebook_file(tmp_path, *cells):
    path = tmp_path / "notebook.ipynb"
    path.write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": source, "metadata": {}, "outputs": []}
        for source in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8")
    return path


def test_notebook_cells_run_as_ipython_runs_them(tmp_path):
    path = _notebook_file(
        tmp_path,
        "import keras\nfrom keras import layers",
        "    width = 8  # an indented cell: IPython removes the indentation\n"
        "    inputs = keras.Input(shape=(width,))",
        "files = !ls data\nsizes = %time len(files)\nprint(files, sizes)",
        "%%time\nhidden = layers.Dense(4)(inputs)",
        "%%capture captured\nmodel = keras.Model(inputs, layers.Dense(1)(hidden))",
        "%%bash\necho $HOME\nnot_python = $HOME",
        "%%writefile train.py\nimport keras\nkeras.Model(undefined_in_the_file)",
        "%time history = model.fit(inputs, inputs)\nprint(captured.stdout, history)",
        "    out = layers.Dense(unit)(hidden)",
    )
    found = [(f.cell, f.line, f.column, f.code) for f in findings_of(path)]
    assert found == [(8, 1, 17, "FN505"), (8, 1, 17, "FN601"), (9, 1, 24, "FN201")]


def test_a_cell_that_does_not_parse_costs_that_cell_alone(tmp_path):
    path = _notebook_file(
        tmp_path,
        "import keras\ninputs = keras.Input(shape=(4,))",
        "def helper(:\n    return 1\nunits = 3",
        "dense = keras.layers.Dense(units)(inputs)\nhelper()\n"
        "model = keras.Model(inputs, dense)\nmodel.compile(loss='mse')\n"
        "model.fit(inputs, inputs)",
    )
    found = findings_of(path)
    assert [(f.cell, f.line, f.column, f.code) for f in found] == [
        (2, 1, 12, "FN000"), (3, 5, 1, "FN601")]
    assert "in this cell" in found[0].message


def test_fixes_in_indented_cells_and_magic_lines_keep_the_cell_as_written(tmp_path):
    path = _notebook_file(
        tmp_path,
        "import keras\nx = keras.Input((4,))\nfiles = !ls",
        "%time y = keras.layers.Dense(2, activaton='relu')(x)",
        "    z = keras.layers.Dense(2, activaton='relu')(x)",
    )
    invoke("check", "--fix", "--no-cache", str(path))
    cells = [cell["source"] for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    assert cells == ["import keras\nx = keras.Input((4,))\nfiles = !ls",
                     "%time y = keras.layers.Dense(2, activation='relu')(x)",
                     "    z = keras.layers.Dense(2, activation='relu')(x)"]


def test_lines_a_notebook_finding_cites_are_cells_and_lines(tmp_path):
    path = _notebook_file(
        tmp_path, "import keras\nimport numpy as np\nfrom keras import layers\n",
        "inputs = keras.Input(shape=(8,))\nx = layers.Dense(4)(inputs)\n"
        "outputs = layers.Dense(1)(x)\nmodel = keras.Model(inputs, outputs)\n",
        "model.compile(loss='binary_crossentropy', optimizer='adam')\n"
        "model.fit(np.zeros((10, 8)), np.zeros((10, 1)))\n")
    [finding] = findings_of(path)
    assert (finding.code, finding.cell, finding.line) == ("FN504", 3, 1)
    assert "Dense (cell 2:line 3)" in finding.message  # not the program's line 7


def test_program_lines_cited_in_a_notebook_message_become_cells():
    source = {"cells": [{"cell_type": "code", "source": "a = 1\nb = 2"},
                        {"cell_type": "code", "source": "c = 3"}],
              "nbformat": 4, "nbformat_minor": 5, "metadata": {}}
    program = notebook(json.dumps(source))
    assert program.cite("shared (lines 1, 3) and built on line 2") == (
        "shared (cell 1:line 1, cell 2:line 1) and built on cell 1:line 2")
    assert markdown("```python\na = 1\n```\n").cite("line 2") == "line 2"
