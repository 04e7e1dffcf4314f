"""`fnlint server` driven over stdio by a real LSP client (pygls'): diagnostics that follow the
edits, shapes on hover and as inlay hints, code actions whose edits make the finding go, the
model summary command, settings; for a Python file, a notebook and a Markdown document."""

import asyncio

import pytest

pytest.importorskip("pygls")

from lsprotocol import types  # noqa: E402

from lsp_client import Session  # noqa: E402

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
        session = Session()
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
        assert typo.code_description.href.startswith("https://")
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
            settings={"fnlint": {"inlayHints": False, "ignore": ["FN202"]}}))
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
        left = await session.diagnostics_for(second, since=1)
        assert [d.code for d in left] == ["FN301"]
        await session.stop()

    run(test)


def test_markdown_code_in_a_list_item(tmp_path):
    post = ("# Post\n\n1. Build it:\n\n   ```python\n   import keras\n"
            "   x = keras.Input(shape=(8,))\n   y = keras.layers.Dense(4, activaton='relu')(x)\n"
            "   ```\n")
    uri = (tmp_path / "post.md").as_uri()

    async def test():
        session = Session()
        await session.start(str(tmp_path))
        session.open(uri, post, "markdown")
        (typo,) = await session.diagnostics_for(uri, 1)
        line = post.split("\n")[7]  # the call, in the document's columns (indented by 3)
        assert (typo.code, typo.range.start.line, typo.range.start.character) == \
            ("FN203", 7, line.index("keras.layers.Dense"))
        shown = await hover(session, uri, 7, 3)
        assert shown.contents.value == "`y`: (None, 4) from Dense 'dense', 36 params"
        assert (await inlay(session, uri))[7] == (len(post.split("\n")[7]), "→ (None, 4)")
        await session.stop()

    run(test)
