"""A real LSP client (pygls') driving `fnlint server` over stdio, for the server's tests and
its benchmark: it answers workspace/configuration and collects published diagnostics."""

from __future__ import annotations

import asyncio
import os
import sys
import time

from lsprotocol import types
from pygls.lsp.client import LanguageClient


class Session:
    def __init__(self, settings: dict | None = None) -> None:
        self.client = LanguageClient("fnlint-tests", "1")
        self.settings = settings or {}  # answered to workspace/configuration, and sent as
        # initializationOptions (for the first check, before that question is answered)
        self.diagnostics: dict = {}  # uri -> [(version, [Diagnostic], arrival time)]
        self.arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams):
            self.diagnostics.setdefault(params.uri, []).append(
                (params.version, params.diagnostics, time.perf_counter()))
            self.arrived.set()

        @self.client.feature(types.WORKSPACE_CONFIGURATION)
        def configuration(params: types.ConfigurationParams):
            return [self.settings for _ in params.items]

    async def start(self, root: str) -> types.InitializeResult:
        env = dict(os.environ)
        await self.client.start_io(sys.executable, "-m", "fnlint", "server", env=env, cwd=root)
        self.stderr = bytearray()
        self._reading = asyncio.create_task(self._read_stderr())
        result = await self.client.initialize_async(types.InitializeParams(
            process_id=os.getpid(), root_uri=f"file://{root}",
            initialization_options={"fnlint": self.settings},
            capabilities=types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(configuration=True),
                notebook_document=types.NotebookDocumentClientCapabilities(
                    synchronization=types.NotebookDocumentSyncClientCapabilities()),
                text_document=types.TextDocumentClientCapabilities(
                    inlay_hint=types.InlayHintClientCapabilities(),
                    hover=types.HoverClientCapabilities(
                        content_format=[types.MarkupKind.Markdown])))))
        self.client.initialized(types.InitializedParams())
        return result

    async def _read_stderr(self) -> None:
        """What the server logs (read so that a full pipe never blocks it)."""
        stream = self.client._server.stderr
        while chunk := await stream.read(4096):
            self.stderr += chunk

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    async def diagnostics_for(self, uri: str, version=None, timeout: float = 15.0,
                              since: int = 0) -> list:
        """The diagnostics of `uri` published after the `since`-th publication (of `version`
        when given), waiting for them."""
        deadline = time.monotonic() + timeout
        while True:
            for number, (got, items, _) in enumerate(self.diagnostics.get(uri, [])):
                if number >= since and (version is None or got == version):
                    return items
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {uri} (version {version}); the "
                                   f"server said: {self.stderr.decode(errors='replace')}")
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except asyncio.TimeoutError:
                pass

    def count(self, uri: str) -> int:
        return len(self.diagnostics.get(uri, []))

    def open(self, uri: str, text: str, language: str = "python", version: int = 1) -> None:
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))

    def replace(self, uri: str, text: str, version: int) -> None:
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))
