"""Python programs inside documents: Jupyter notebooks and Markdown (or plain-text) posts.

A notebook's code cells, in order, form one program (a name defined in cell 3 is known in cell
7), read as IPython reads them (see `notebook`).  A Markdown document's fenced ```python /
```py blocks form one program in which every other line is left blank, so that a program line
is the document's own line.  Plain-text posts (blog exports, notebook dumps such as the seed
documents) often paste code without fences: there, lines that read as Python are kept too, and
a stretch that does not parse (indentation lost in the export) is left out and marks the
program partial — names it defined are unknown, not undefined.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Optional

from fnlint.pycompile import syntax_tree

NOTEBOOK_EXTENSIONS = (".ipynb",)
MARKDOWN_EXTENSIONS = (".md", ".markdown")
PYTHON_FENCES = ("python", "py", "python3", "ipython", "ipython3", "pycon")


class DocumentError(ValueError):
    """The document cannot be read as its format (a notebook that is not valid JSON...)."""


@dataclass
class Program:
    text: str
    cells: Optional[list] = None  # notebooks: per program line, (cell number, line in cell)
    cell_texts: dict = field(default_factory=dict)  # notebooks: cell number -> its source
    partial: bool = False  # code the analysis cannot see may define names (`%run`)
    dropped: list = field(default_factory=list)  # code lines left out: they did not parse
    errors: list = field(default_factory=list)  # (program line, column, message): FN000s
    # notebooks: (cell, line in cell) -> where that line's text starts in the .ipynb file
    file_positions: dict = field(default_factory=dict)

    def file_location(self, cell: int, line: int, column: int) -> Optional[tuple]:
        """(line, column) in the notebook's JSON file of a cell's line and column (what a diff
        of the .ipynb shows), or None where the file could not be matched."""
        found = self.file_positions.get((cell, line))
        if found is None:
            return None
        file_line, start, ascii_only, text = found
        encoded = json.dumps(text[:max(column - 1, 0)], ensure_ascii=ascii_only)
        return file_line, start + len(encoded) - 2

    def cite(self, text: Optional[str]) -> Optional[str]:
        """A message's `line 7` / `lines 7, 9` in a notebook's terms (`cell 2:line 3`): rules
        cite program lines, which in a notebook are all code cells in a row."""
        if self.cells is None or not text or "line" not in text:
            return text
        return _CITED_LINES.sub(lambda found: ", ".join(
            self._cell_line(int(n)) for n in re.split(r", | and ", found.group(2))), text)

    def _cell_line(self, line: int) -> str:
        cell, in_cell = self.locate(line)
        return f"cell {cell}:line {in_cell}" if cell is not None else f"line {line}"

    def locate(self, line: int) -> tuple:
        """(cell, line) of a program line: cell is None outside notebooks."""
        if self.cells is None or not 1 <= line <= len(self.cells):
            return None, line
        return self.cells[line - 1]


_CITED_LINES = re.compile(r"\b(lines?) (\d+(?:(?:, | and )\d+)*)\b")

# -- notebooks -------------------------------------------------------------------------------
_MAGIC = re.compile(r"^\s*(?:%|!|\?)|^\s*\w[\w.]*\?\??\s*$")
_MAGIC_RESULT = re.compile(r"^(\s*)([A-Za-z_]\w*)\s*=\s*[!%]")  # `files = !ls`, `t = %time f()`
_CELL_MAGIC = re.compile(r"^\s*%%\s*([\w!]+)(.*)$")
_FUTURE = re.compile(r"^\s*from\s+__future__\s+import\b")
# `%time history = model.fit(...)`: a line magic that runs the Python statement after it.
_STATEMENT_MAGIC = re.compile(r"^(\s*)(%(?:time|timeit|prun|memit)\s+)(?=[^\s-])")

# Cell magics that run the cell as Python in the notebook's namespace, and those that run
# something else (a shell, a browser, a file write): their cells hold no Python to analyze.
PYTHON_CELL_MAGICS = frozenset({"time", "capture", "prun", "debug", "memit"})
OTHER_CELL_MAGICS = frozenset({
    "bash", "sh", "script", "html", "javascript", "js", "latex", "markdown", "writefile",
    "file", "svg", "perl", "ruby", "system", "!", "sx", "python", "python2", "python3", "pypy",
    "cmd", "powershell", "sql", "bigquery", "cython", "R", "julia", "octave", "dot", "json",
    "yaml", "text", "timeit"})


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def notebook(raw: str) -> Program:
    """The program of a notebook, cell by cell as IPython runs them: a cell's common
    indentation does not count, line magics and shell escapes are skipped (a name they bind
    is unknown), a cell magic that runs Python keeps its cell, and a cell that does not parse
    is left out (an FN000 for that cell; the names it binds are unknown, not undefined)."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as err:  # ValueError: a 5,000-digit number too
        raise DocumentError(f"not a valid notebook (invalid JSON: {err})") from None
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise DocumentError("not a valid notebook (no list of cells)")
    program = Program("", [], {})
    spans = []  # (cell number, first program line index, lines of the cell's program)
    lines: list = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and not all(isinstance(part, str) for part in source):
            raise DocumentError(f"not a valid notebook (cell {number}: its source is not text)")
        source = "".join(source) if isinstance(source, list) else str(source)
        if not _encodable(source):
            raise DocumentError(f"not a valid notebook (cell {number}: a lone surrogate "
                                f"escape, which is not text)")
        program.cell_texts[number] = source
        code, where = _cell_program(source.split("\n"), program)
        spans.append((number, len(lines), len(code)))
        lines.extend(code)
        program.cells.extend((number, index) for index in where)
    if not _parses("\n".join(lines)):
        for number, start, count in spans:
            _leave_out_if_broken(lines, start, count, program)
    program.text = "\n".join(lines) + "\n"
    program.file_positions = _source_positions(raw, cells)
    return program


def _cell_program(cell_lines: list, program: Program) -> tuple:
    """(program lines, the cell line of each) of one cell."""
    where = list(range(1, len(cell_lines) + 1))
    # IPython drops a cell's leading blank lines before it looks for a cell magic.
    top = next((i for i, line in enumerate(cell_lines) if line.strip()), 0)
    magic = _CELL_MAGIC.match(cell_lines[top]) if cell_lines else None
    if magic is not None:
        name, rest = magic.group(1), magic.group(2).split()
        if name not in PYTHON_CELL_MAGICS:
            if name not in OTHER_CELL_MAGICS:  # a magic of unknown effect: may bind anything
                program.dropped.extend(cell_lines[top + 1:])
            return [""] * len(cell_lines), where
        if name == "capture" and rest and rest[-1].isidentifier():
            program.dropped.append(f"{rest[-1]} = ...")  # `%%capture out` binds `out`
        cell_lines = [""] * (top + 1) + cell_lines[top + 1:]
    code, lines_of_cell = [], []
    for number, line in zip(list(where), cell_lines):
        result = _MAGIC_RESULT.match(line)
        statement = _STATEMENT_MAGIC.match(line)
        if result is not None:  # the old value is gone; the new one is unknown
            program.dropped.append(line)
            line = f"{result.group(1)}del {result.group(2)}"
        elif statement is not None:  # the statement keeps its columns inside an `if True:`
            code.append(f"{statement.group(1)}if True:")
            lines_of_cell.append(number)
            line = statement.group(1) + " " * len(statement.group(2)) + line[statement.end():]
        elif _MAGIC.match(line):
            program.partial = program.partial or line.lstrip().startswith("%run")
            indent = line[: len(line) - len(line.lstrip())]
            line = f"{indent}pass" if indent else ""
        elif _FUTURE.match(line):
            line = ""  # valid at the top of a cell, not in the middle of the program
        code.append(line)
        lines_of_cell.append(number)
    where = lines_of_cell
    first = next((line for line in code if line.strip() and not line.lstrip().startswith("#")),
                 "")
    if first[:1].isspace():
        # IPython removes the indentation of an indented cell; a block opened on a line of
        # its own keeps every column where it is.
        code.insert(0, "if True:")
        where.insert(0, where[0])
    return code, where


def _leave_out_if_broken(lines: list, start: int, count: int, program: Program) -> None:
    """Blank out one cell's program lines when they do not parse, with an FN000 for it."""
    text = "\n".join(lines[start:start + count])
    try:
        syntax_tree(text, "<cell>")
        return
    except SyntaxError as err:
        line = min(max(err.lineno or 1, 1), count)
        message, column = err.msg, err.offset or 1
    except (ValueError, RecursionError, MemoryError):
        line, message, column = 1, "the cell cannot be parsed", 1
    program.errors.append((start + line, column,
                           f"syntax error in this cell: {message}; the other cells are still "
                           f"analyzed"))
    program.dropped.extend(lines[start:start + count])
    lines[start:start + count] = [""] * count

_SOURCE_KEY = re.compile(r'(?<!\\)"source"\s*:\s*')


def _source_positions(raw: str, cells: list) -> dict:
    """Where each code cell line starts in the notebook's JSON text: each cell's `source`
    strings are found in file order, as json.dumps writes them (Jupyter's way, or ASCII);
    matching stops at the first string not found, leaving the rest unknown."""
    positions: dict = {}
    cursor = 0
    for number, cell in enumerate(cells, start=1):
        key = _SOURCE_KEY.search(raw, cursor) if isinstance(cell, dict) else None
        if key is None:
            break
        cursor = key.end()
        source = cell.get("source", "")
        pieces = source if isinstance(source, list) else [source]
        code = cell.get("cell_type") == "code"
        line = 1
        for piece in pieces:
            if not isinstance(piece, str):
                return positions
            found = [(raw.find(json.dumps(piece, ensure_ascii=a), cursor), a)
                     for a in (False, True)]
            found = [(at, a) for at, a in found if at >= 0]
            if not found:
                return positions
            at, ascii_only = min(found)
            file_line = raw.count("\n", 0, at) + 1
            quote = at - (raw.rfind("\n", 0, at) + 1) + 1
            cursor = at + len(json.dumps(piece, ensure_ascii=ascii_only))
            done = 0
            segments = piece.split("\n")
            for index, segment in enumerate(segments):
                tail = index == len(segments) - 1 and index > 0 and not segment
                if code and not tail and (number, line) not in positions:
                    start = quote + len(json.dumps(piece[:done], ensure_ascii=ascii_only)) - 1
                    positions[(number, line)] = (file_line, start, ascii_only, segment)
                done += len(segment) + 1
                if index < len(segments) - 1:
                    line += 1
    return positions


class NotFixable(ValueError):
    """The fixed program cannot be written back into the document exactly."""


def rewritten(program: Program, kind: str, text: str, fixed: str) -> str:
    """The document `text` with its program replaced by `fixed` (the same program after
    fixes): only the changed code lines are edited, in place — a notebook's cell strings in
    its JSON, a Markdown fenced block's lines — and everything else stays byte for byte."""
    old_lines, new_lines = program.text.split("\n"), fixed.split("\n")
    if len(old_lines) != len(new_lines):
        raise NotFixable("the fix changes the number of lines")
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines)) if a != b]
    if kind == "notebook":
        return _rewritten_notebook(program, text, changed, new_lines)
    lines = text.split("\n")
    for index in changed:
        old, new = old_lines[index], new_lines[index]
        if not old or not lines[index].endswith(old):
            raise NotFixable(f"line {index + 1} is not code of a fenced block")
        lines[index] = lines[index][:len(lines[index]) - len(old)] + new
    return "\n".join(lines)


def _rewritten_notebook(program: Program, raw: str, changed: list, new_lines: list) -> str:
    starts = [0]
    for line in raw.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    edits = []
    program_lines = program.text.split("\n")
    for index in changed:
        cell, line = program.cells[index]
        found = program.file_positions.get((cell, line))
        old_source = program.cell_texts[cell].split("\n")[line - 1]
        new_source = _cell_line(old_source, program_lines[index], new_lines[index])
        if found is None or found[3] != old_source or new_source is None:
            raise NotFixable(f"cell {cell}, line {line} could not be found in the file")
        file_line, start, ascii_only, segment = found
        at = starts[file_line - 1] + start - 1
        old = json.dumps(segment, ensure_ascii=ascii_only)[1:-1]
        if raw[at:at + len(old)] != old:
            raise NotFixable(f"cell {cell}, line {line} could not be found in the file")
        edits.append((at, old, json.dumps(new_source, ensure_ascii=ascii_only)[1:-1]))
    for at, old, new in sorted(edits, reverse=True):
        raw = raw[:at] + new + raw[at + len(old):]
    check = notebook(raw)
    if check.text.split("\n") != new_lines:
        raise NotFixable("the rewritten notebook does not hold the fixed program")
    return raw


def _cell_line(cell_line: str, read: str, fixed: str) -> Optional[str]:
    """The cell's line after a fix of the line as the program reads it (`fixed`): the same when
    the program reads the cell's own text; a `%time statement` line keeps its magic when the fix
    leaves it alone; None for a line the program reads otherwise (`del x` for `x = !ls`)."""
    if read == cell_line:
        return fixed
    if len(read) != len(cell_line):
        return None
    kept = max(i for i, (a, b) in enumerate(zip(read, cell_line)) if a != b) + 1
    return cell_line[:kept] + fixed[kept:] if fixed[:kept] == read[:kept] else None


# -- Markdown and plain-text posts -----------------------------------------------------------
_PROMPT = re.compile(r"^\s*(?:In|Out)\s*\[\s*\d*\s*\]\s*:")
_KEYWORD_START = re.compile(r"^\s*(?:def|class|for|while|if|elif|else|try|except|finally|with|"
                            r"return|import|from|async|@)\b")
_RULE_LINE = re.compile(r"^\s*[_=\-*#~|+]{3,}\s*$")


def markdown(text: str, loose: bool = False) -> Program:
    """The program of a Markdown document; with `loose`, unfenced code lines count too.
    Fences are found by a CommonMark parser (markdown-it-py): inside list items and block
    quotes, with ``` or ~~~, and info strings such as `python`, `{python}` (Quarto) or
    `{code-cell} ipython3` (MyST)."""
    lines = text.split("\n")
    keep = [False] * len(lines)
    fenced = [False] * len(lines)
    code = [""] * len(lines)  # a fenced line without its container's prefix and indentation
    for first, content, info in _fences(text):
        python = _fence_language(info) in PYTHON_FENCES
        for index in range(first - 1, min(first + len(content) + 1, len(lines))):
            fenced[index] = True  # the fences and their content
        for offset, line in enumerate(content):
            if first + offset < len(lines):
                keep[first + offset] = python
                code[first + offset] = line
    if loose:
        _mark_unfenced_code(lines, keep, fenced)
    program = [(code[i] if fenced[i] else _dedent_block(lines, keep, i)) if keep[i] else ""
               for i in range(len(lines))]
    dropped: list = []
    if not _parses("\n".join(program)):
        program, dropped = _drop_broken_runs(program, keep, lines)
    return Program("\n".join(program), dropped=dropped)


def _fences(text: str) -> list:
    """(index of the first content line, content lines, info string) of each fenced block."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "fence" and token.map:
            found.append((token.map[0] + 1, token.content.split("\n")[:-1], token.info))
    return found


def _fence_language(info: str) -> str:
    """`python`, `{python}`, `{code-cell} ipython3`, `python title="x"` -> the language."""
    words = info.strip().lower().replace("{", " ").replace("}", " ").split()
    if words[:1] == ["code-cell"]:
        words = words[1:]
    return words[0] if words else ""


def _dedent_block(lines, keep, index) -> str:
    """A kept line without the indentation its whole block shares (code inside a list item)."""
    start = index
    while start > 0 and keep[start - 1]:
        start -= 1
    end = index
    while end + 1 < len(lines) and keep[end + 1]:
        end += 1
    margins = [len(line) - len(line.lstrip()) for line in lines[start:end + 1] if line.strip()]
    margin = min(margins) if margins else 0
    return lines[index][margin:]


def _mark_unfenced_code(lines, keep, fenced) -> None:
    depth = 0
    previous_code = False
    for index, line in enumerate(lines):
        if fenced[index]:
            previous_code = False
            continue
        stripped = line.strip()
        if not stripped:
            previous_code = previous_code and depth > 0
            continue
        if _PROMPT.match(line) or _RULE_LINE.match(line):
            previous_code = False
            continue
        code = depth > 0 or stripped.startswith("#") or _KEYWORD_START.match(line) or \
            (previous_code and line[:1].isspace()) or _statement(stripped) or \
            _opens_statement(stripped)
        keep[index] = bool(code)
        previous_code = bool(code)
        if code:
            depth = max(0, depth + sum(stripped.count(c) for c in "([{")
                        - sum(stripped.count(c) for c in ")]}"))


def _statement(line: str) -> bool:
    """A line that parses as Python on its own and reads as code, not prose: an expression
    statement counts only with a call in it (`model.summary()`), since words, comma lists of
    words and the rows of a printed summary (`lstm_14[0][0]`) parse as expressions too."""
    try:
        tree = syntax_tree(line)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    if not tree.body:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not node.id.isascii():
            return False
    return not all(isinstance(statement, ast.Expr) and not any(
        isinstance(node, ast.Call) for node in ast.walk(statement)) for statement in tree.body)


_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def _opens_statement(line: str) -> bool:
    """The first line of a statement continued on the next lines (`model.compile(`)."""
    stack = [c for c in line if c in "([{)]}"]
    opened: list = []
    for c in stack:
        if c in _CLOSERS:
            opened.append(c)
        elif opened:
            opened.pop()
    return bool(opened) and _statement(line + "".join(_CLOSERS[c] for c in reversed(opened)))


def _parses(text: str) -> bool:
    try:
        syntax_tree(text, "<document>")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _drop_broken_runs(program: list, keep: list, lines: list) -> tuple:
    """Keep what parses of each run of code lines (blank lines included, prose excluded):
    statements are gathered greedily; from a line that starts no parseable statement (a `def`
    whose body lost its indentation) to the end of its paragraph, lines are left out."""
    out = list(program)
    dropped: list = []
    index = 0
    while index < len(out):
        if not keep[index]:
            index += 1
            continue
        end = index
        while end + 1 < len(out) and (keep[end + 1] or not lines[end + 1].strip()):
            end += 1
        if not _parses("\n".join(out[index:end + 1])):
            _salvage(out, index, end, dropped)
        index = end + 1
    return out, dropped


def _salvage(out: list, start: int, end: int, dropped: list) -> None:
    line = start
    while line <= end:
        if not out[line].strip():
            line += 1
            continue
        stop = next((j for j in range(line, min(end, line + _MAX_STATEMENT) + 1)
                     if _parses("\n".join(out[line:j + 1]))), None)
        if stop is not None:
            line = stop + 1
            continue
        paragraph = line
        while paragraph <= end and out[paragraph].strip():
            dropped.append(out[paragraph])
            out[paragraph] = ""
            paragraph += 1
        line = paragraph


_MAX_STATEMENT = 40  # lines one statement of a post may span


_BINDINGS = (
    re.compile(r"^\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)"),
    re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)"),
    re.compile(r"\bfor\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\b"),
    re.compile(r"\bas\s+([A-Za-z_]\w*)"),
    re.compile(r"^\s*import\s+([A-Za-z_]\w*)"),
    re.compile(r"^\s*from\s+\S+\s+import\s+(.+)"),
)


def bound_names(lines: list) -> set:
    """Names the left-out lines would have bound (they are unknown, not undefined)."""
    names: set = set()
    for line in lines:
        for pattern in _BINDINGS:
            for match in pattern.finditer(line):
                names.update(re.findall(r"[A-Za-z_]\w*", match.group(1)))
    return names
