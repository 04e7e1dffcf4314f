"""The fix loop of `--fix` and `--diff`: apply a file's fixes, check the result again, and go on
until nothing more is fixed (a fix may reveal another: a keyword, then its value).

The loop runs where the file is analysed (a worker of `fnlint.pipeline`), on the file's bytes in
memory; what comes back is plain text (`Outcome`), written here, in this process, atomically and
in the file's encoding (`settle`).  In a notebook or a Markdown document only the fixed lines of
its cells or fenced blocks change.  Code read from standard input is fixed in memory and goes to
standard output.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Optional

MAX_FIX_ROUNDS = 10


@dataclass(frozen=True)
class Request:
    unsafe: bool = False  # also the fixes that change behaviour (--unsafe-fixes)
    diff_only: bool = False  # show the first round's fixes as a diff (--diff)


@dataclass
class Outcome:
    """What fixing one file gave: plain data, sent back from the worker."""

    text: Optional[str] = None  # the fixed file (None: nothing to write)
    encoding: str = "utf-8"
    bom: bool = False
    applied: int = 0  # fixes applied, over all rounds
    fixed: list = field(default_factory=list)  # the findings they repair (--show-fixes)
    notes: list = field(default_factory=list)  # for standard error: why a document is not fixed
    diff: list = field(default_factory=list)  # unified diff lines (--diff)
    unfixed: Optional[object] = None  # the FileResult before fixing, kept if writing fails
    stdin: bool = False  # `text` is standard input's fixed code, for standard output


def applicable(findings: list, unsafe: bool) -> list:
    """The findings that `--fix` (with `unsafe`: `--unsafe-fixes`) repairs."""
    from fnlint.fixes import edits

    return [f for f in findings if any(fix.safe or unsafe for fix in edits(f))]


def fix_file(source, recheck: Callable, request: Request):
    """The FileResult of `source` fixed (or, with `diff_only`, as it is, with the diff);
    `recheck(source)` checks a source and gives its finished FileReport."""
    from fnlint.pipeline import result_of

    report = recheck(source)
    if (source.text is not None or source.stdin) and not request.diff_only:
        text, report, fixed = _fix_text(source, report, request.unsafe, recheck)
        result = result_of(report)
        result.fixing = Outcome(text=text, fixed=fixed, stdin=True)
        return result
    report, outcome = _fix_file(source, report, request, recheck)
    result = result_of(report)
    result.fixing = outcome
    return result


def _fix_text(source, report, unsafe: bool, recheck: Callable) -> tuple:
    """(the fixed code, its report, the findings fixed) of code read from standard input:
    round after round, as a file is fixed (Python only: other code comes back unchanged)."""
    from fnlint.fixes import fixed_source

    fixed: list = []
    text = report.text if report.text is not None else source.text
    for _ in range(MAX_FIX_ROUNDS):
        if report.kind != "python" or report.analysis is None or report.analysis.module is None:
            break
        code, applied = fixed_source(report.analysis.module, report.findings, unsafe)
        if not applied or code == text:
            break
        fixed += applicable(report.findings, unsafe)
        text = code
        report = recheck(dataclasses.replace(source, text=code))
    return text, report, fixed


def _fix_file(source, report, request: Request, recheck: Callable) -> tuple:
    """(the last report, the Outcome) of fixing a file round after round; each round checks
    the bytes the file would be written as."""
    import difflib

    from fnlint import documents
    from fnlint.fixes import fixed_source
    from fnlint.pipeline import result_of

    first = report
    outcome = Outcome(encoding=report.encoding, bom=report.bom, unfixed=result_of(report))
    for _ in range(MAX_FIX_ROUNDS):
        if report.analysis is None or report.analysis.module is None:
            break
        code, applied = fixed_source(report.analysis.module, report.findings, request.unsafe)
        if not applied or code == report.program.text:
            break
        text = code
        if report.kind != "python":
            try:
                text = documents.rewritten(report.program, report.kind, report.text, code)
            except documents.NotFixable as err:
                outcome.notes.append(f"{source.path}: not fixable in this {report.kind}: {err}")
                break
        if request.diff_only:
            outcome.diff = list(difflib.unified_diff(
                report.text.splitlines(keepends=True), text.splitlines(keepends=True),
                f"{source.path}", f"{source.path} (fixed)"))
            return first, outcome
        outcome.text, outcome.encoding, outcome.bom = text, report.encoding, report.bom
        outcome.applied += applied
        outcome.fixed += applicable(report.findings, request.unsafe)
        report = recheck(dataclasses.replace(source, data=_encoded(outcome)))
    return report, outcome


def _encoded(outcome: Outcome) -> bytes:
    return (("\ufeff" if outcome.bom else "") + outcome.text).encode(outcome.encoding)


@dataclass
class Settled:
    """The fix run, once its files are written."""

    results: list  # FileResults: a file that could not be written keeps its findings
    fixed: list = field(default_factory=list)  # the findings fixed (--show-fixes)
    diff: list = field(default_factory=list)  # unified diff lines of every file (--diff)
    stdin_text: Optional[str] = None  # standard input's fixed code
    messages: list = field(default_factory=list)  # for standard error, in file order


def settle(results: list, quiet: bool = False) -> Settled:
    """Write each fixed file atomically, in its encoding (`fnlint.atomic.rewrite`); a file
    that cannot be written (read-only, hard-linked, a folder fnlint cannot write in) is left
    as it was, with a message."""
    from fnlint.atomic import rewrite

    settled = Settled([])
    for result in results:
        outcome = result.fixing
        if outcome is None:  # its analysis failed in the worker: an FN000
            settled.results.append(result)
            continue
        settled.messages += outcome.notes
        settled.diff += outcome.diff
        if outcome.stdin:
            settled.stdin_text = outcome.text
            settled.fixed += outcome.fixed
        elif outcome.text is not None:
            try:
                rewrite(result.path, ("\ufeff" if outcome.bom else "") + outcome.text,
                        outcome.encoding)
            except OSError as err:
                settled.messages.append(f"fnlint: cannot fix {result.path}: "
                                        f"{err.strerror or err}")
                result = outcome.unfixed
            else:
                settled.fixed += outcome.fixed
                if outcome.applied and not quiet:
                    settled.messages.append(f"fixed {outcome.applied} finding"
                                            f"{'s' if outcome.applied != 1 else ''} in "
                                            f"{result.path}")
        settled.results.append(result)
    return settled
