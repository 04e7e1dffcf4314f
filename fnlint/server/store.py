"""The documents an editor has open, as fnlint reads them, and where their lines go.

A Python file or a Markdown document is one LSP text document; a notebook is an LSP notebook
document whose code cells are text documents of their own (LSP 3.17).  Each becomes the
`SourceFile` the runner checks (a notebook as the JSON of its cells), and `Places` maps the
program's lines and columns back to the document or cell they came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from fnlint import documents
from fnlint.runner import kind_of
from fnlint.sources import KERAS_MENTION, SourceFile

PYTHON, NOTEBOOK, MARKDOWN = "python", "notebook", "markdown"
_SUFFIX = {PYTHON: ".py", NOTEBOOK: ".ipynb", MARKDOWN: ".md"}


@dataclass
class Cell:
    uri: str
    code: bool
    text: str


@dataclass
class Document:
    uri: str
    path: str  # the file's path (or the URI of an unsaved document), for reports and config
    kind: str
    version: int
    text: str = ""  # Python and Markdown
    cells: list = field(default_factory=list)  # notebooks: Cell, in order

    def source(self) -> SourceFile:
        """What the runner checks: the text (the cells as notebook JSON) under a path whose
        extension says its kind."""
        path = self.path if kind_of(self.path) == self.kind else self.path + _SUFFIX[self.kind]
        if self.kind != NOTEBOOK:
            return SourceFile(path, False, self.text)
        cells = [{"cell_type": "code" if cell.code else "markdown", "source": cell.text}
                 for cell in self.cells]
        return SourceFile(path, False, json.dumps({"cells": cells}))

    def mentions_keras(self) -> bool:
        """Whether the document mentions Keras at all (the others are left alone, as in
        `fnlint check` of a folder)."""
        texts = [cell.text for cell in self.cells] if self.kind == NOTEBOOK else [self.text]
        return any(KERAS_MENTION.search(text.encode("utf-8", "replace")) for text in texts)

    def uris(self) -> list:
        """The text documents diagnostics are published to (a notebook: its code cells)."""
        return [cell.uri for cell in self.cells if cell.code] if self.kind == NOTEBOOK \
            else [self.uri]


class Places:
    """Program positions (1-based, code points) <-> document positions (uri, 0-based line,
    0-based code-point column)."""

    def __init__(self, document: Document, program: Optional[documents.Program]) -> None:
        self.document = document
        self.program = program
        self._lines = document.text.split("\n") if document.kind != NOTEBOOK else []
        self._program_lines = program.text.split("\n") if program is not None else []
        self._cell_lines: dict = {}  # (cell number, line in cell) -> program line
        if program is not None and program.cells is not None:
            self._cell_lines = {where: line for line, where in enumerate(program.cells, 1)}

    def to_document(self, line: int, column: int) -> Optional[tuple]:
        """(uri, line, column) of a program position; None outside the document."""
        if self.document.kind == NOTEBOOK:
            if self.program is None or self.program.cells is None or \
                    not 1 <= line <= len(self.program.cells):
                return None
            cell, cell_line = self.program.cells[line - 1]
            return self.in_cell(cell, cell_line, column)
        return self.document.uri, line - 1, column - 1 + self._margin(line)

    def in_cell(self, cell: int, line: int, column: int) -> Optional[tuple]:
        """(uri, line, column) of a position given in a notebook's cell (1-based numbers)."""
        if not 1 <= cell <= len(self.document.cells):
            return None
        return self.document.cells[cell - 1].uri, line - 1, column - 1

    def to_program(self, uri: str, line: int, column: int) -> Optional[tuple]:
        """(line, column), 1-based, of a document position in the program; None when the
        program does not hold that line (Markdown prose, a Markdown cell)."""
        if self.document.kind == NOTEBOOK:
            numbers = [i for i, cell in enumerate(self.document.cells, 1) if cell.uri == uri]
            found = self._cell_lines.get((numbers[0], line + 1)) if numbers else None
            return (found, column + 1) if found is not None else None
        margin = self._margin(line + 1)
        return (line + 1, column + 1 - margin) if column >= margin else None

    def program_lines(self, uri: str) -> Optional[range]:
        """The program lines of one document (a cell: its own lines)."""
        if self.document.kind != NOTEBOOK:
            return range(1, len(self._program_lines) + 1)
        lines = [line for (cell, _), line in self._cell_lines.items()
                 if self.document.cells[cell - 1].uri == uri]
        return range(min(lines), max(lines) + 1) if lines else None

    def _margin(self, line: int) -> int:
        """How far a Markdown code line is indented in the document beyond the program's."""
        if self.document.kind != MARKDOWN or not 1 <= line <= len(self._lines) or \
                line > len(self._program_lines):
            return 0
        written, program = self._lines[line - 1], self._program_lines[line - 1]
        return len(written) - len(program) if program and written.endswith(program) else 0


def kind_for(language: str, uri: str) -> Optional[str]:
    """The kind of an opened text document, from its language id (or its extension); None for
    documents fnlint does not read."""
    if language in (PYTHON, MARKDOWN):
        return language
    lower = uri.lower()
    if lower.endswith(documents.MARKDOWN_EXTENSIONS):
        return MARKDOWN
    return PYTHON if lower.endswith((".py", ".pyi")) else None
