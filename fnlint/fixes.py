"""Fixes as libcst edits; files are rewritten with `fnlint.atomic.rewrite`."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any, Optional

import libcst as cst

from fnlint.pycompile import literal_value, syntax_tree


@dataclass(frozen=True)
class Fix:
    """An edit of the syntax tree that repairs a finding: rename a name, a keyword or a string
    identifier inside `node`, swap its first two positional arguments, or add the Input `new`
    to the `inputs` of a `Model(...)` call.  `safe` fixes cannot change the meaning of a
    correct program; the others run with `--unsafe-fixes`."""

    action: str  # "rename", "keyword", "string", "swap" or "add_input"
    node: Any = field(compare=False, repr=False)
    old: str = ""
    new: str = ""
    safe: bool = True


class _Rename(cst.CSTTransformer):
    def __init__(self, old: str, new: str, strings: bool) -> None:
        super().__init__()
        self.old, self.new, self.strings = old, new, strings

    def leave_Name(self, original, updated):
        if not self.strings and updated.value == self.old:
            return updated.with_changes(value=self.new)
        return updated

    def leave_SimpleString(self, original, updated):
        if self.strings and literal_value(original) == self.old:
            quote = updated.quote
            return updated.with_changes(value=f"{updated.prefix}{quote}{self.new}{quote}")
        return updated


def _edit(fix: Fix, node):
    if fix.action in ("rename", "string"):
        return node.visit(_Rename(fix.old, fix.new, fix.action == "string"))
    if fix.action == "keyword":
        return node.with_changes(args=[
            arg.with_changes(keyword=cst.Name(fix.new))
            if arg.keyword is not None and arg.keyword.value == fix.old else arg
            for arg in node.args])
    if fix.action == "swap":
        positional = [i for i, arg in enumerate(node.args) if arg.keyword is None and not arg.star]
        if len(positional) < 2:
            return node
        args = list(node.args)
        first, second = positional[:2]
        args[first], args[second] = (args[first].with_changes(value=args[second].value),
                                     args[second].with_changes(value=args[first].value))
        return node.with_changes(args=args)
    if fix.action == "add_input":
        return _add_input(node, fix.new)
    return node


def _add_input(call, name: str):
    """`Model(a, out)` -> `Model([a, name], out)`; `Model(inputs=[a], ...)` -> `[a, name]`."""
    index = next((i for i, arg in enumerate(call.args) if arg.keyword is not None and
                  arg.keyword.value == "inputs"), None)
    if index is None:
        index = next((i for i, arg in enumerate(call.args) if arg.keyword is None), None)
    if index is None:
        return call
    value = call.args[index].value
    added = cst.Element(cst.Name(name))
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if isinstance(value, cst.List) and value.elements:
        last = value.elements[-1].with_changes(comma=space)
        new_value = value.with_changes(elements=[*value.elements[:-1], last, added])
    else:
        new_value = cst.List([cst.Element(value, comma=space), added])
    args = list(call.args)
    args[index] = args[index].with_changes(value=new_value)
    return call.with_changes(args=args)


class _ApplyFixes(cst.CSTTransformer):
    def __init__(self, fixes: list) -> None:
        super().__init__()
        self.by_node: dict = {}
        for fix in fixes:
            self.by_node.setdefault(id(fix.node), []).append(fix)

    def on_leave(self, original_node, updated_node):
        for fix in self.by_node.get(id(original_node), ()):
            updated_node = _edit(fix, updated_node)
        return updated_node


def edits(finding) -> tuple:
    """The Fix edits of a finding (none, one, or several: a call with two renamed keywords)."""
    fix = finding.fix
    return () if fix is None else fix if isinstance(fix, tuple) else (fix,)


def fixed_source(module, findings: list, unsafe: bool = False) -> tuple:
    """(the module's code with the findings' fixes applied, how many were applied); the code
    is returned unchanged when the result would not parse."""
    fixes = [fix for f in findings for fix in edits(f) if fix.safe or unsafe]
    if not fixes:
        return module.code, 0
    code = module.visit(_ApplyFixes(fixes)).code
    if not _parses(code):
        return module.code, 0
    return code, len(fixes)


def _parses(code: str) -> bool:
    try:
        syntax_tree(code, "<fixed>")
        cst.parse_module(code)
    except (SyntaxError, ValueError, cst.ParserSyntaxError):
        return False
    return True


def describe(fix: Fix) -> str:
    """What the fix does, in a few words (the `message` of JSON and SARIF fixes)."""
    if fix.action == "keyword":
        return f"replace `{fix.old}=` with `{fix.new}=`"
    if fix.action == "string":
        return f"replace '{fix.old}' with '{fix.new}'"
    if fix.action == "swap":
        return "swap the first two arguments"
    if fix.action == "add_input":
        return f"add `{fix.new}` to the model's inputs"
    return f"rename `{fix.old}` to `{fix.new}`"


def applicability(finding) -> str:
    """`safe` when every edit of the finding's fix is safe (what `--fix` applies)."""
    return "safe" if all(fix.safe for fix in edits(finding)) else "unsafe"


def text_fixes(analysis, findings: list) -> list:
    """The findings with their fixes also as text edits of the module's code, for tools (JSON,
    SARIF): each edit replaces the 1-based [location, end_location) range (columns in code
    points) with `content`; `applicability` is `safe` (what `--fix` applies) or `unsafe`.
    Each edit is computed on its node alone, so a file of a thousand typos costs no more than
    a thousand small renders (`--fix` itself checks that the whole result parses)."""
    if not any(f.fix is not None for f in findings):
        return findings
    code = analysis.source  # what the module's code generation would give, without its cost
    starts = [0]
    for line in code.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    return [replace(f, text_fix=_text_fix(analysis, f, code, starts)) if f.fix is not None
            else f for f in findings]


def _text_fix(analysis, finding, code: str, starts: list) -> Optional[dict]:
    changes = edits(finding)
    found = []
    for fix in changes:
        span = analysis.span(fix.node)
        if span is None or span.line > len(starts) - 1:
            return None
        try:
            old = analysis.module.code_for_node(fix.node)
            new = analysis.module.code_for_node(_edit(fix, fix.node))
        except RecursionError:  # a node nested past the interpreter's stack: no text edit
            return None
        at = starts[span.line - 1] + span.column - 1
        if code[at:at + len(old)] != old:
            return None
        if new == old:
            return None
        start, end, content = _edit_between(old, new)
        found.append({"content": content, "location": _position(starts, at + start),
                      "end_location": _position(starts, at + end)})
    if not found:
        return None
    return {"applicability": applicability(finding),
            "message": "; ".join(describe(fix) for fix in changes), "edits": found}


def _edit_between(old: str, new: str) -> tuple:
    """(start, end, content): the one range of `old` that `new` replaces, widened to whole
    words."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    tail = 0
    while tail < limit - start and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    while start > 0 and _word(old[start - 1]):
        start -= 1
    while tail > 0 and _word(old[len(old) - tail]):
        tail -= 1
    return start, len(old) - tail, new[start:len(new) - tail]


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _position(starts: list, offset: int) -> dict:
    row = bisect.bisect_right(starts, offset) - 1
    return {"row": row + 1, "column": offset - starts[row] + 1}
