"""`fnlint server` driven over stdio by a real LSP client (pygls'): diagnostics that follow the
edits, shapes on hover and as inlay hints, code actions whose edits make the finding go, the
model summary command, settings; for a Python file, a notebook and a Markdown document."""

import asyncio
import threading
import time

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from lsp_client import Session  # noqa: E402

from fnlint.config import Config  # noqa: E402
from fnlint.pipeline import Batch  # noqa: E402
from fnlint.server.checker import Checker, Job  # noqa: E402
from fnlint.server.store import Document  # noqa: E402

MODEL = """import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(64, 3, padding="same")(inputs)
x = layers.MaxPooling2D()(x)
a = layers.Conv2D(8, 3)(x)
b = layers.Conv2D(8, 5)(x)
merged = layers.Concatenate()([a, b])
flat = layers.Flatten()(merged)
outputs = layers.Dense(10, activaton="softmax")(flat)
model = keras.Model(inputs, outputs)
"""


def run(test):
    asyncio.run(asyncio.wait_for(test(), 60))


def apply(text: str, edits) -> str:
    """The text with LSP TextEdits applied (ASCII text: UTF-16 columns are characters)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(position):
        return offsets[position.line] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def ident(uri):
    return types.TextDocumentIdentifier(uri=uri)


def whole(lines=100):
    return types.Range(types.Position(0, 0), types.Position(lines, 0))


async def hover(session, uri, line, character):
    return await session.client.text_document_hover_async(
        types.HoverParams(ident(uri), types.Position(line, character)))


async def inlay(session, uri):
    hints = await session.client.text_document_inlay_hint_async(
        types.InlayHintParams(ident(uri), whole()))
    return {hint.position.line: (hint.position.character, hint.label) for hint in hints or ()}


async def code_actions(session, uri, diagnostics):
    return await session.client.text_document_code_action_async(types.CodeActionParams(
        ident(uri), whole(), types.CodeActionContext(diagnostics=diagnostics)))


def test_python_file(tmp_path):
    async def test():
        session = Session({"docsUrl": "https://example.org/docs/rules"})
        result = await session.start(str(tmp_path))
        capabilities = result.capabilities
        assert capabilities.hover_provider and capabilities.inlay_hint_provider
        assert "source.fixAll.fnlint" in capabilities.code_action_provider.code_action_kinds
        assert capabilities.notebook_document_sync is not None
        assert "fnlint.showModelSummary" in capabilities.execute_command_provider.commands
        uri = (tmp_path / "model.py").as_uri()
        session.open(uri, MODEL)

        found = await session.diagnostics_for(uri, 1)
        by_code = {d.code: d for d in found}
        assert set(by_code) == {"FN203", "FN301"}
        typo = by_code["FN203"]
        assert (typo.range.start.line, typo.range.start.character) == (10, 10)
        assert typo.severity == types.DiagnosticSeverity.Error and typo.source == "fnlint"
        assert typo.code_description.href == "https://example.org/docs/rules/FN203.md"
        assert "did you mean `activation=`" in typo.message
        merge = by_code["FN301"]
        assert merge.range.start.line == 8
        assert [(r.location.range.start.line, r.message) for r in merge.related_information] \
            == [(6, "`a` ('conv2d_1', line 7) is (None, 14, 14, 8)"),
                (7, "`b` ('conv2d_2', line 8) is (None, 12, 12, 8)")]

        shown = await hover(session, uri, 4, 0)
        assert shown.contents.value == \
            "`x`: (None, 32, 32, 64) from Conv2D 'conv2d', 1,792 params"
        assert (shown.range.start.line, shown.range.end.character) == (4, 1)
        line = MODEL.split("\n")[8]
        argument = await hover(session, uri, 8, line.index("b]"))  # Concatenate()([a, b])
        assert argument.contents.value == \
            "`b`: (None, 12, 12, 8) from Conv2D 'conv2d_2', 12,808 params"
        call = await hover(session, uri, 5, 12)  # on `MaxPooling2D`
        assert call.contents.value == \
            "(None, 16, 16, 64) from MaxPooling2D 'max_pooling2d', 0 params"
        assert await hover(session, uri, 0, 3) is None  # `import`: nothing to show

        hints = await inlay(session, uri)
        assert hints[4] == (len(MODEL.split("\n")[4]), "→ (None, 32, 32, 64)")
        assert hints[3][1] == "→ (None, 32, 32, 3)" and hints[7][1] == "→ (None, 12, 12, 8)"
        assert 8 not in hints  # the merge Keras refuses has no shape to show

        summary = await session.client.workspace_execute_command_async(
            types.ExecuteCommandParams("fnlint.showModelSummary",
                                       [uri, {"line": 11, "character": 2}]))
        assert summary["variable"] == "model"
        assert "conv2d (Conv2D)" in summary["text"] and "1,792" in summary["text"]

        actions = await code_actions(session, uri, found)
        fix = next(a for a in actions if a.kind == types.CodeActionKind.QuickFix)
        assert fix.title == "FN203: Replace `activaton=` with `activation=`"
        assert fix.is_preferred and fix.diagnostics[0].code == "FN203"
        assert any(a.kind == "source.fixAll.fnlint" for a in actions)
        fixed = apply(MODEL, fix.edit.changes[uri])
        assert 'activation="softmax"' in fixed
        session.replace(uri, fixed, 2)
        assert {d.code for d in await session.diagnostics_for(uri, 2)} == {"FN301"}

        repaired = fixed.replace("Conv2D(8, 5)", "Conv2D(8, 3)")
        session.replace(uri, repaired, 3)
        assert list(await session.diagnostics_for(uri, 3)) == []
        assert (await inlay(session, uri))[8][1] == "→ (None, 14, 14, 16)"

        broken = repaired.replace("Flatten()", "Flaten()")
        session.replace(uri, broken, 4)
        assert [d.code for d in await session.diagnostics_for(uri, 4)] == ["FN202"]

        session.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
            settings={"fnlint": {"inlayHints": False, "ignore": ["FN202"],
                                 "docsUrl": "https://example.org/docs/rules"}}))
        assert list(await session.diagnostics_for(uri, 4, since=session.count(uri))) == []
        assert await inlay(session, uri) == {}
        await session.stop()

    run(test)


def notebook_cell(uri, kind, text, language="python"):
    return (types.NotebookCell(kind=kind, document=uri),
            types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))


def test_notebook(tmp_path):
    head, body = MODEL.split("x = layers.Conv2D")
    body = "x = layers.Conv2D" + body
    notebook = (tmp_path / "model.ipynb").as_uri()
    cells = [notebook_cell(f"{notebook}#cell0", types.NotebookCellKind.Markup, "# A model",
                           "markdown"),
             notebook_cell(f"{notebook}#cell1", types.NotebookCellKind.Code, head),
             notebook_cell(f"{notebook}#cell2", types.NotebookCellKind.Code, body)]
    second = f"{notebook}#cell2"

    async def test():
        session = Session()
        await session.start(str(tmp_path))
        session.client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
            types.NotebookDocument(uri=notebook, notebook_type="jupyter-notebook", version=1,
                                   cells=[cell for cell, _ in cells]),
            [item for _, item in cells]))
        found = await session.diagnostics_for(second)
        assert sorted((d.code, d.range.start.line) for d in found) == [("FN203", 6),
                                                                       ("FN301", 4)]
        assert list(await session.diagnostics_for(f"{notebook}#cell1")) == []

        shown = await hover(session, second, 0, 0)
        assert shown.contents.value == \
            "`x`: (None, 32, 32, 64) from Conv2D 'conv2d', 1,792 params"
        inputs = await hover(session, f"{notebook}#cell1", 3, 2)
        assert inputs.contents.value == "`inputs`: (None, 32, 32, 3) from Input 'input_layer'"
        hints = await inlay(session, second)
        assert hints[0] == (len(body.split("\n")[0]), "→ (None, 32, 32, 64)")
        assert hints[3][1] == "→ (None, 12, 12, 8)"

        actions = await code_actions(session, second, found)
        fix = next(a for a in actions if a.title.startswith("FN203"))
        assert list(fix.edit.changes) == [second]
        session.client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
            types.VersionedNotebookDocumentIdentifier(version=2, uri=notebook),
            types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
                text_content=[types.NotebookDocumentCellContentChanges(
                    document=types.VersionedTextDocumentIdentifier(uri=second, version=2),
                    changes=[types.TextDocumentContentChangePartial(
                        range=edit.range, text=edit.new_text)
                        for edit in fix.edit.changes[second]])]))))
        left = await session.diagnostics_for(second, 2)  # the cell's version
        assert [d.code for d in left] == ["FN301"]
        await session.stop()

    run(test)


def test_markdown_code_in_a_list_item_and_the_project_configuration(tmp_path):
    post = ("# Post\n\n1. Build it:\n\n   ```python\n   import keras\n"
            "   x = keras.Input(shape=(8,))\n   y = keras.layers.Dense(4, activaton='relu')(x)\n"
            "   ```\n")
    uri = (tmp_path / "docs" / "post.md").as_uri()
    (tmp_path / "pyproject.toml").write_text('[tool.fnlint]\nseverity = {FN203 = "warning"}\n')

    async def test():
        session = Session()
        await session.start(str(tmp_path))
        session.open(uri, post, "markdown")
        (typo,) = await session.diagnostics_for(uri, 1)
        assert typo.severity == types.DiagnosticSeverity.Warning  # the project's [tool.fnlint]
        line = post.split("\n")[7]  # the call, in the document's columns (indented by 3)
        assert (typo.code, typo.range.start.line, typo.range.start.character) == \
            ("FN203", 7, line.index("keras.layers.Dense"))
        shown = await hover(session, uri, 7, 3)
        assert shown.contents.value == "`y`: (None, 4) from Dense 'dense', 36 params"
        assert (await inlay(session, uri))[7] == (len(post.split("\n")[7]), "→ (None, 4)")
        await session.stop()

    run(test)


SLOW = """import keras
from keras import layers
x = keras.Input(shape=(8,))
for i in range(200):
    for j in range(200):
        x = layers.Dense(8)(x)
"""  # seconds of analysis: 40,000 layer calls


def wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the checker did not get there"
        time.sleep(0.01)


def test_a_stale_check_is_stopped_and_a_long_one_times_out():
    done, seen = [], {}
    checker = Checker(done.append)
    rules = Batch(Config()).rules()

    def job(version, text, timeout=None):
        return Job(Document("file:///m.py", "/m.py", "python", version, text=text), Config(),
                   rules, (".txt",), timeout)

    def edit() -> None:  # the protocol's side: edits arrive while the checks run
        try:
            checker.submit(job(1, SLOW))
            wait_for(lambda: checker.checking() == ("file:///m.py", 1))
            checker.submit(job(2, MODEL))
            wait_for(lambda: done)
            seen["first"] = list(done)
            checker.submit(job(3, SLOW, timeout=0.3))
            wait_for(lambda: len(done) == 2)
        finally:
            checker.close()

    editor = threading.Thread(target=edit)
    editor.start()
    checker.run()  # the checks, in the main thread as in `fnlint server`
    editor.join()
    # One document at a time: version 2 came first, so version 1 was stopped.
    assert [checked.document.version for checked in seen["first"]] == [2]
    assert {f.code for f in done[0].report.findings} == {"FN203", "FN301"}
    (stopped,) = done[1].report.findings
    assert stopped.code == "FN000" and "analysis stopped after 0.3 s" in stopped.message, \
        (done[1].seconds, done[1].report.findings)


HELPER = """import keras
from keras import layers

def block(x, filters):
    y = layers.Conv2D(filters, 3, padding="same")(x)  # a comment, "quoted"
    return layers.Add()([x, y])

inputs = keras.Input(shape=(16, 16, 8))
h = block(inputs, 8)
h = block(h, 8)
seq = keras.Sequential([
    keras.Input(shape=(4,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(2),
])
"""


def test_shapes_of_a_helper_called_twice_and_of_a_sequential_model():
    from fnlint.analyzer.locate import Locator
    from fnlint.runner import analyze_file
    from fnlint.server.shapes import hover_text
    from fnlint.sources import SourceFile

    locator = Locator(analyze_file(SourceFile("m.py", True, HELPER)).analysis)
    assert hover_text(locator.site_at(5, 5)) == "\n\n".join([
        "`y`: (None, 16, 16, 8) from Conv2D 'conv2d', 584 params (call 1 of 2)",
        "`y`: (None, 16, 16, 8) from Conv2D 'conv2d_1', 584 params (call 2 of 2)"])
    assert locator.site_at(9, 1) is None  # `h = block(...)`: no layer call of its own here
    lines = HELPER.split("\n")
    ends = {line: (column, [o.shape for o in site.outputs])
            for line, column, site in locator.line_ends}
    assert ends[5] == (lines[4].index("  #") + 1, [(None, 16, 16, 8), (None, 16, 16, 8)])
    assert ends[12][1] == [(None, 4)]
    assert ends[13][1] == [(None, 16)] and ends[14][1] == [(None, 2)]
    assert 9 not in ends and 10 not in ends and 11 not in ends


TRICKY = '''"""Docstring
x = 1
"""
# a comment
import keras  # trailing


@decorator
def f(a,
b):
    return a
if True:
    y = 1
else:
    y = 2
try:
    pass
except ValueError:
    pass
finally:
    pass
z = [
1, 2]
w = 1 + \\
2
s = f"{z!r}" + r'\\'' + """
not = code
"""

# end'''


def test_reparsing_only_the_edited_statements_builds_the_module_a_whole_parse_builds():
    import libcst as cst

    from conftest import ROOT
    from fnlint.analyzer import parse_module
    from fnlint.server.parsing import ParseCache

    sources = [TRICKY, TRICKY + "\n", MODEL, HELPER, SLOW] + [
        path.read_text(encoding="utf-8") for path in sorted((ROOT / "fixtures").rglob("*.py"))]
    for source in sources:
        try:
            whole = parse_module(source)
        except cst.ParserSyntaxError:
            with pytest.raises(cst.ParserSyntaxError):
                ParseCache().parse(source)
            continue
        module = ParseCache().parse(source)
        assert module.code == source and module.deep_equals(whole)

    cache = ParseCache()
    before = cache.parse(MODEL)
    edited = MODEL.replace("Conv2D(8, 5)", "Conv2D(8, 7)")
    after = cache.parse(edited)
    assert after.code == edited and after.deep_equals(parse_module(edited))
    parsed_again = [i for i, (old, new) in enumerate(zip(before.body, after.body))
                    if old.body is not new.body]  # (a statement after blank lines is a copy)
    assert parsed_again == [6]  # only `b = layers.Conv2D(8, 7)(x)`
    with pytest.raises(cst.ParserSyntaxError):
        cache.parse(edited.replace("Flatten()(merged)", "Flatten()(merged"))
