"""Parsing only what an edit touched: a module is split into its top-level statements (each
with the comments and blank lines after it), each stretch is parsed alone and kept, and the
next version re-parses only the stretches whose text changed; the module is assembled from
their statements as one parse of the whole text would build it.  The parse is most of a
check's time, and an edit touches one statement.

Anything unusual (a stretch that does not parse alone, indentation other than four spaces,
`\\r\\n` line endings) falls back to parsing the whole text.
"""

from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from fnlint.analyzer import parse_module

_CONTINUES = re.compile(r"(?:else|elif|except|finally)\b")  # a clause of the statement above
_STRING = re.compile(r"[rRbBuUfF]{0,2}('''|\"\"\"|'|\")")


def statement_starts(lines: list) -> list:
    """Indices of the lines that start a top-level statement: at column 0, outside brackets,
    strings and backslash continuations, not a comment, not a clause of the statement above
    and not after a decorator."""
    starts = []
    depth = 0
    quote = None  # the open string's quote, across lines for triple quotes
    continued = decorated = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if quote is None and depth == 0 and not continued and stripped and \
                not line[0].isspace() and not stripped.startswith("#") and \
                not _CONTINUES.match(stripped) and line[0] not in ")]}" and not decorated:
            starts.append(index)
        if quote is None and depth == 0 and not continued and stripped and \
                not stripped.startswith("#"):
            decorated = stripped.startswith("@")
        depth, quote, continued = _scan(line, depth, quote)
    return starts


def _scan(line: str, depth: int, quote: Optional[str]) -> tuple:
    """(bracket depth, open quote, backslash continuation) after one line."""
    position, length = 0, len(line)
    while position < length:
        char = line[position]
        if quote is not None:
            if char == "\\":
                position += 2
                continue
            if line.startswith(quote, position):
                position += len(quote)
                quote = None
                continue
            position += 1
            continue
        if char == "#":
            break
        match = _STRING.match(line, position) if char in "'\"rRbBuUfF" else None
        if match and (position == 0 or not (line[position - 1].isalnum() or
                                           line[position - 1] == "_")):
            quote = match.group(1)
            position = match.end()
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        position += 1
    if quote is not None and len(quote) == 1:
        quote = None  # an unterminated one-line string: a syntax error the parse reports
    continued = quote is None and line.rstrip("\n").endswith("\\")
    return depth, quote, continued


class ParseCache:
    """The parsed stretches of one document's latest version."""

    def __init__(self) -> None:
        self._parsed: dict = {}  # stretch text -> cst.Module of it alone

    def parse(self, source: str) -> cst.Module:
        """The module of `source`, re-parsing only the stretches not seen in the previous
        version; raises as `parse_module` does."""
        lines = source.splitlines(keepends=True)
        if "\r" in source or len(lines) < 2:
            return self._whole(source)
        starts = statement_starts(lines)
        if not starts:
            return self._whole(source)
        bounds = [0] + starts[1:] + [len(lines)] if starts[0] != 0 else starts + [len(lines)]
        parsed: dict = {}
        pieces = []
        for begin, end in zip(bounds, bounds[1:]):
            text = "".join(lines[begin:end])
            module = self._parsed.get(text) if text not in parsed else None
            if module is None:
                try:
                    module = parse_module(text)
                except (cst.ParserSyntaxError, RecursionError):
                    return self._whole(source)
            if module.default_indent != "    " or module.default_newline != "\n":
                return self._whole(source)
            parsed[text] = module
            pieces.append(module)
        self._parsed = parsed
        return _assemble(pieces)

    def _whole(self, source: str) -> cst.Module:
        self._parsed = {}
        return parse_module(source)


def _assemble(pieces: list) -> cst.Module:
    """One module from stretches parsed alone: a stretch's trailing comments and blank lines
    (its footer) lead the next stretch's first statement, as in a parse of the whole."""
    body: list = []
    carried: tuple = ()
    for piece in pieces:
        statements = list(piece.body)
        if carried:
            statements[0] = statements[0].with_changes(
                leading_lines=(*carried, *statements[0].leading_lines))
        body.extend(statements)
        carried = piece.footer
    first = pieces[0]
    return cst.Module(body=body, header=first.header, footer=carried,
                      encoding=first.encoding, default_indent="    ", default_newline="\n",
                      has_trailing_newline=pieces[-1].has_trailing_newline)
