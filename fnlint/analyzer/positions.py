"""Source positions of CST nodes, computed only when a finding or a summary asks for one.

libcst nodes carry no positions; its PositionProvider costs about three parses.  Here one
code-generation pass records token spans for the few node types fnlint reports on, and only in
modules that need a position at all (a clean module in `fnlint check` never pays for it).
"""

from __future__ import annotations

import bisect
import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Optional

import libcst as cst
from libcst._nodes.internal import CodegenState

# Node types whose positions are recorded.
_TRACKED = (cst.Call, cst.Name, cst.Attribute, cst.Arg, cst.SimpleString, cst.Subscript,
            cst.Assign, cst.AugAssign, cst.Expr, cst.Integer, cst.Float, cst.Element,
            cst.DictElement, cst.Ellipsis, cst.ClassDef, cst.FunctionDef, cst.Return, cst.For,
            cst.List, cst.Tuple, cst.Dict, cst.BinaryOperation, cst.UnaryOperation)


@dataclass(frozen=True)
class Span:
    """1-based line and column of the start, and of the end (exclusive column)."""

    line: int
    column: int
    end_line: int
    end_column: int


class _SpanRecorder(CodegenState):
    __slots__ = ("spans",)

    @contextmanager
    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        start = len(self.tokens)
        yield
        if isinstance(node, _TRACKED):
            self.spans[node] = (start, len(self.tokens))


class Positions:
    """Lazily maps CST nodes of one module to Spans."""

    def __init__(self, module: cst.Module, line_offset: int = 0) -> None:
        self._module = module
        self._spans: Optional[dict] = None
        self._offsets: list = []
        self._line_starts: list = []
        self.line_offset = line_offset

    def _compute(self) -> None:
        module = self._module
        state = _SpanRecorder(default_indent=module.default_indent,
                              default_newline=module.default_newline)
        state.spans = {}
        module._codegen(state)
        tokens = state.tokens
        self._offsets = [0, *itertools.accumulate(map(len, tokens))]
        text = "".join(tokens)
        starts = [0]
        find = text.find
        index = find("\n")
        while index != -1:
            starts.append(index + 1)
            index = find("\n", index + 1)
        self._line_starts = starts
        self._spans = state.spans

    def _point(self, offset: int) -> tuple:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1 + self.line_offset, offset - self._line_starts[line] + 1

    def span(self, node) -> Optional[Span]:
        if self._spans is None:
            self._compute()
        tokens = self._spans.get(node)
        if tokens is None:
            return None
        start, end = tokens
        line, column = self._point(self._offsets[start])
        end_line, end_column = self._point(self._offsets[end])
        return Span(line, column, end_line, end_column)

    def containing(self, line: int, column: int) -> list:
        """The recorded nodes whose span contains the point (1-based line and column),
        innermost first: what an editor's cursor is on, with its enclosing expressions."""
        if self._spans is None:
            self._compute()
        index = line - 1 - self.line_offset
        if not 0 <= index < len(self._line_starts):
            return []
        offset = self._line_starts[index] + column - 1
        offsets = self._offsets
        found = [(offsets[end] - offsets[start], node) for node, (start, end)
                 in self._spans.items() if offsets[start] <= offset < offsets[end]]
        return [node for _, node in sorted(found, key=lambda pair: pair[0])]

    def nodes(self, kind) -> list:
        """The recorded nodes of type `kind`, in source order of their ends."""
        if self._spans is None:
            self._compute()
        return [node for node in self._spans if isinstance(node, kind)]
