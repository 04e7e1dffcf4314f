"""Code actions: one quick fix per fixable finding (safe ones preferred, unsafe ones labelled
so) and `source.fixAll.fnlint`, which applies every safe fix, as one round of `--fix` does.
Fixes are the rules' own libcst edits (`fnlint.fixes`); the fixed program is compared with
the old one and the changed stretches become text edits on the document or cells."""

from __future__ import annotations

import difflib
import os.path
from typing import Optional

from lsprotocol import types

from fnlint.fixes import describe, edits, fixed_source
from fnlint.server.checker import Checked
from fnlint.server.diagnostics import finding_place

FIX_ALL = "source.fixAll.fnlint"


def quick_fixes(checked: Checked, uri: str, first: int, last: int, diagnostics: list,
                position) -> list:
    """Quick fixes for the findings on lines `first`..`last` (0-based) of document `uri`."""
    module = _module(checked)
    if module is None:
        return []
    actions = []
    for index, finding in enumerate(checked.report.findings):
        fixes = edits(finding)
        place = finding_place(checked, finding) if fixes else None
        if place is None or place[0] != uri or place[2][0] < first or place[1][0] > last:
            continue
        code, applied = fixed_source(module, [finding], unsafe=True)
        edit = workspace_edit(checked, code, position) if applied else None
        if edit is None:
            continue
        safe = all(fix.safe for fix in fixes)
        words = "; ".join(describe(fix) for fix in fixes)
        title = f"{finding.code}: {words[:1].upper()}{words[1:]}"
        if not safe:
            title += " (unsafe fix: may change what the code does)"
        actions.append(types.CodeAction(
            title=title, kind=types.CodeActionKind.QuickFix, edit=edit, is_preferred=safe,
            diagnostics=[d for d in diagnostics if isinstance(d.data, dict) and
                         d.data.get("index") == index and d.code == finding.code] or None))
    return actions


def fix_all(checked: Checked, position) -> Optional[types.CodeAction]:
    """Every safe fix of the document at once (the ones a fix reveals come with the next
    check)."""
    module = _module(checked)
    if module is None:
        return None
    code, count = fixed_source(module, checked.report.findings)
    edit = workspace_edit(checked, code, position) if count else None
    if edit is None:
        return None
    return types.CodeAction(title=f"Fix all safely fixable fnlint findings ({count})",
                            kind=FIX_ALL, edit=edit)


def _module(checked: Checked):
    analysis = checked.report.analysis
    return analysis.module if analysis is not None else None


def workspace_edit(checked: Checked, new_program: str, position) -> Optional[
        types.WorkspaceEdit]:
    """The text edits turning the checked program into `new_program`, on the documents the
    changed lines belong to; None when a change cannot be placed (it spans two cells)."""
    changes: dict = {}
    for start, end, text in program_edits(checked.report.program.text, new_program):
        begin = checked.places.to_document(*start)
        finish = checked.places.to_document(*end)
        if begin is None or finish is None or begin[0] != finish[0]:
            return None
        uri = begin[0]
        changes.setdefault(uri, []).append(types.TextEdit(
            types.Range(position(uri, *begin[1:]), position(uri, *finish[1:])), text))
    return types.WorkspaceEdit(changes=changes) if changes else None


def program_edits(old: str, new: str) -> list:
    """((line, column), (line, column), text) replacements, 1-based, turning `old` into
    `new`: one per changed stretch of lines, trimmed to the characters that differ."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    out = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:  # lines inserted before old line i1 + 1
            out.append(((i1 + 1, 1), (i1 + 1, 1), "".join(f"{line}\n" for line in
                                                           new_lines[j1:j2])))
            continue
        before = "\n".join(old_lines[i1:i2])
        after = "\n".join(new_lines[j1:j2]) if j1 < j2 else None
        if after is None:  # lines deleted: up to the start of the next line
            out.append(((i1 + 1, 1), (i2 + 1, 1), ""))
            continue
        prefix = len(os.path.commonprefix([before, after]))
        suffix = len(os.path.commonprefix([before[prefix:][::-1], after[prefix:][::-1]]))
        start = _point(before, prefix, i1 + 1)
        end = _point(before, len(before) - suffix, i1 + 1)
        out.append((start, end, after[prefix:len(after) - suffix]))
    return out


def _point(text: str, offset: int, first_line: int) -> tuple:
    """(line, column), 1-based, of `offset` in `text`, which starts at line `first_line`."""
    head = text[:offset]
    line = first_line + head.count("\n")
    return line, offset - (head.rfind("\n") + 1) + 1
