"""The LSP glue (pygls): documents opened and edited are checked by the Checker; its results
are published as diagnostics and answer hovers, inlay hints, code actions and the model
summary command.  Requests about a document wait for the check of its latest version."""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import ServerTextPosition

from fnlint import __version__
from fnlint.server import actions, settings as configuration, shapes
from fnlint.server.checker import Checked, Checker, Job
from fnlint.server.diagnostics import diagnostics
from fnlint.server.parsing import ParseCache
from fnlint.server.settings import Settings
from fnlint.server.store import NOTEBOOK, Cell, Document, kind_for

SUMMARY_COMMAND = "fnlint.showModelSummary"
WAIT = 10.0  # seconds a request waits for the check of the document's latest version
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(
        notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])],
    save=True)

log = logging.getLogger("fnlint.server")


class FnlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("fnlint", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=NOTEBOOK_SYNC)
        self.documents: dict = {}  # uri of a text document or a notebook -> its kind
        self.checked: dict = {}  # uri -> Checked of its latest published version
        self.published: dict = {}  # uri -> the uris it published diagnostics to
        self.waiting: dict = {}  # uri -> futures of requests waiting for its check
        self.told: set = set()  # configuration errors already shown
        self.parsers: dict = {}  # uri -> the ParseCache of its latest version
        self.settings = Settings()
        self.projects = configuration.Projects()
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self.checker = Checker(self._checked_in_worker)

    # -- documents -----------------------------------------------------------------------
    def snapshot(self, uri: str) -> Optional[Document]:
        kind = self.documents.get(uri)
        if kind is None:
            return None
        path = to_fs_path(uri) or uri
        if kind == NOTEBOOK:
            notebook = self.workspace.get_notebook_document(notebook_uri=uri)
            if notebook is None:
                return None
            cells = [Cell(cell.document, cell.kind == types.NotebookCellKind.Code,
                          self.workspace.get_text_document(cell.document).source)
                     for cell in notebook.cells]
            return Document(uri, path, kind, notebook.version, cells=cells)
        document = self.workspace.get_text_document(uri)
        return Document(uri, path, kind, document.version or 0, text=document.source)

    def owner(self, uri: str) -> Optional[str]:
        """The document a text document belongs to (a cell: its notebook)."""
        if uri in self.documents:
            return uri
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None and notebook.uri in self.documents \
            else None

    def schedule(self, uri: str) -> None:
        document = self.snapshot(uri)
        if document is None:
            return
        config, rules, error = self.projects.for_path(document.path, self.settings)
        if error and error not in self.told:  # once, not on every keystroke
            self.told.add(error)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, error))
        parse = self.parsers.setdefault(uri, ParseCache()).parse
        self.checker.submit(Job(document, config, rules,
                                (".txt",) + tuple(config.markdown_extensions),
                                self.settings.file_timeout, parse))

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)
        self.checked.pop(uri, None)
        self.parsers.pop(uri, None)
        self.checker.forget(uri)
        for target in self.published.pop(uri, ()):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=target, diagnostics=[]))

    # -- results -------------------------------------------------------------------------
    def _checked_in_worker(self, checked: Checked) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self._publish, checked)

    def _publish(self, checked: Checked) -> None:
        uri = checked.document.uri
        current = self.snapshot(uri)
        if current is None or current.version != checked.document.version:
            return  # closed, or a newer version is on its way
        self.checked[uri] = checked
        found = diagnostics(checked, self.position, self.settings.docs_url)
        for target in set(self.published.get(uri, ())) - set(found):
            found[target] = []  # a cell that was removed or moved out of the notebook
        self.published[uri] = list(found)
        for target, items in found.items():
            version = checked.document.version if checked.document.kind != NOTEBOOK else \
                self.workspace.get_text_document(target).version  # the cell's
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=target, diagnostics=items, version=version))
        for future in self.waiting.pop(uri, []):
            if not future.done():
                future.set_result(checked)

    async def current(self, uri: str) -> Optional[Checked]:
        """The check of the latest version of the document `uri` belongs to."""
        top = self.owner(uri)
        if top is None:
            return None
        document = self.snapshot(top)
        checked = self.checked.get(top)
        if checked is not None and document is not None and \
                checked.document.version == document.version:
            return checked
        future = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(top, []).append(future)
        try:
            return await asyncio.wait_for(future, WAIT)
        except asyncio.TimeoutError:
            return None

    # -- positions -----------------------------------------------------------------------
    def position(self, uri: str, line: int, column: int) -> types.Position:
        """A 0-based code-point position as the client counts (UTF-16 by default)."""
        document = self.workspace.get_text_document(uri)
        return document.position_to_client_units(ServerTextPosition(line, column))

    def code_points(self, uri: str, position: types.Position) -> tuple:
        document = self.workspace.get_text_document(uri)
        point = document.position_from_client_units(
            types.Position(position.line, position.character))
        return point.line, point.character

    def range(self, uri: str, start: tuple, end: tuple) -> types.Range:
        return types.Range(self.position(uri, *start), self.position(uri, *end))


server = FnlintServer()


async def _configure(ls: FnlintServer) -> None:
    """Ask the client for the `fnlint` settings (when it answers workspace/configuration)."""
    capabilities = ls.client_capabilities.workspace
    if capabilities is None or not capabilities.configuration:
        return
    try:
        values = await ls.workspace_configuration_async(types.ConfigurationParams(
            items=[types.ConfigurationItem(section=configuration.SECTION)]))
    except Exception as err:  # noqa: BLE001 - a client that cannot answer keeps the defaults
        log.warning("workspace/configuration failed: %s", err)
        return
    _use(ls, values[0] if values else None)


def _use(ls: FnlintServer, value) -> None:
    settings = configuration.from_client(value)
    if settings == ls.settings and not settings.problems:
        return  # nothing to check again
    ls.settings = settings
    ls.projects.forget()
    if ls.settings.problems:
        ls.window_show_message(types.ShowMessageParams(
            types.MessageType.Warning,
            f"fnlint: ignoring settings of the wrong type: {', '.join(ls.settings.problems)}"))
    for uri in list(ls.documents):
        ls.schedule(uri)


@server.feature(types.INITIALIZE)
def initialize(ls: FnlintServer, params: types.InitializeParams) -> None:
    ls.loop = asyncio.get_running_loop()
    options = params.initialization_options
    if isinstance(options, dict):  # clients without workspace/configuration (Helix, eglot)
        ls.settings = configuration.from_client(options.get(configuration.SECTION, options))


@server.feature(types.INITIALIZED)
async def initialized(ls: FnlintServer, params: types.InitializedParams) -> None:
    await _configure(ls)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: FnlintServer,
                                   params: types.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and configuration.SECTION in settings:
        _use(ls, settings[configuration.SECTION])
    else:
        await _configure(ls)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: FnlintServer, params: types.DidOpenTextDocumentParams) -> None:
    kind = kind_for(params.text_document.language_id, params.text_document.uri)
    if kind is not None:
        ls.documents[params.text_document.uri] = kind
        ls.schedule(params.text_document.uri)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
def notebook_did_open(ls: FnlintServer, params: types.DidOpenNotebookDocumentParams) -> None:
    ls.documents[params.notebook_document.uri] = NOTEBOOK
    ls.schedule(params.notebook_document.uri)


def _uri(params) -> str:
    """The URI of the text or notebook document a notification is about."""
    return (getattr(params, "text_document", None) or params.notebook_document).uri


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
def did_change(ls: FnlintServer, params) -> None:
    ls.schedule(_uri(params))


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
def did_save(ls: FnlintServer, params) -> None:
    ls.projects.forget()  # the save may have been of the project's pyproject.toml
    ls.schedule(_uri(params))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
def did_close(ls: FnlintServer, params) -> None:
    ls.close(_uri(params))


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: FnlintServer, params: types.HoverParams) -> Optional[types.Hover]:
    uri = params.text_document.uri
    checked = await ls.current(uri)
    if checked is None:
        return None
    found = shapes.hover_at(checked, uri, *ls.code_points(uri, params.position))
    if found is None:
        return None
    text, span = found
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=ls.range(uri, *span) if span else None)


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
async def inlay_hint(ls: FnlintServer, params: types.InlayHintParams) -> list:
    uri = params.text_document.uri
    if not ls.settings.inlay_hints:
        return []
    checked = await ls.current(uri)
    if checked is None:
        return []
    return [types.InlayHint(position=ls.position(uri, line, column), label=label,
                            kind=types.InlayHintKind.Type, padding_left=True)
            for line, column, label in shapes.inlay_hints(
                checked, uri, params.range.start.line,
                params.range.end.line - (params.range.end.character == 0))]


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]))
async def code_action(ls: FnlintServer, params: types.CodeActionParams) -> list:
    uri = params.text_document.uri
    checked = await ls.current(uri)
    if checked is None:
        return []
    only = params.context.only
    found = []
    if not only or any(types.CodeActionKind.QuickFix.value.startswith(kind) or
                       kind.startswith(types.CodeActionKind.QuickFix.value) for kind in only):
        found += [action for action in actions.quick_fixes(
            checked, uri, params.range.start.line, params.range.end.line,
            params.context.diagnostics, ls.position)
            if ls.settings.unsafe_fixes or action.is_preferred]
    if not only or any(actions.FIX_ALL.startswith(kind) for kind in only):
        fix_all = actions.fix_all(checked, ls.position)
        if fix_all is not None:
            found.append(fix_all)
    return found


@server.command(SUMMARY_COMMAND)
async def model_summary(ls: FnlintServer, uri: str, position: types.Position):
    """The static `model.summary()` of the model under the position: {model, variable, text},
    or None when no model is there."""
    checked = await ls.current(uri)
    if checked is None:
        return None
    return shapes.summary_at(checked, uri, *ls.code_points(uri, position))


def serve() -> None:
    """Run over standard input and output until the client says exit: the protocol in a
    thread of its own, the checks in the main thread (where a stale one can be stopped)."""
    import threading

    import fnlint.analyzer  # noqa: F401 - libcst, networkx and the catalog, loaded once
    from fnlint.rules import all_rules

    all_rules()

    def protocol() -> None:
        try:
            server.start_io()
        finally:
            server.checker.close()

    threading.Thread(target=protocol, name="fnlint-lsp", daemon=True).start()
    server.checker.run()
