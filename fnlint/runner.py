"""One file through the pipeline: read → program (Python, notebook or Markdown) → analyze →
rules → suppressions and configuration.  Each file is independent: a failure in one becomes an
FN000 finding for it and the others are still analyzed (`fnlint.pipeline` runs many files)."""

from __future__ import annotations

import dataclasses
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from fnlint import documents, suppression
from fnlint.config import Config
from fnlint.findings import analysis_error, internal_error, one_per_site
from fnlint.sources import SourceFile, read

if TYPE_CHECKING:
    from fnlint.analyzer import ModuleAnalysis

@dataclass
class FileReport:
    path: str
    analysis: Optional["ModuleAnalysis"] = None
    findings: list = field(default_factory=list)
    skipped: bool = False
    program: Optional[documents.Program] = None
    text: Optional[str] = None  # the file as read (for code frames and fixes)
    kind: str = "python"  # python, notebook or markdown
    encoding: str = "utf-8"
    bom: bool = False
    over_budget: bool = False  # stopped by the time or memory limit: never cached


def kind_of(path: str, markdown_extensions=()) -> str:
    lower = path.lower()
    if lower.endswith(documents.NOTEBOOK_EXTENSIONS):
        return "notebook"
    if lower.endswith(documents.MARKDOWN_EXTENSIONS + tuple(markdown_extensions)):
        return "markdown"
    return "python"


def analyze_file(source: SourceFile, markdown_extensions=(".txt",), parse=None,
                 target: str = "3") -> FileReport:
    """Read and analyze one file for a project that targets Keras `target`; never raises.
    Plain `.txt` posts are read as Markdown whose unfenced code counts too.  `parse`: as in
    `analyze_source`."""
    report = FileReport(source.path)
    result = read(source)
    if result.skipped:
        report.skipped = True
        return report
    if result.text is None:
        report.findings.append(analysis_error(source.path, result.error, result.line))
        return report
    report.text, report.encoding, report.bom = result.text, result.encoding, result.bom
    kind = report.kind = kind_of(source.path, markdown_extensions)
    try:
        if kind == "notebook":
            program = documents.notebook(result.text)
        elif kind == "markdown":
            loose = not source.path.lower().endswith(documents.MARKDOWN_EXTENSIONS)
            program = documents.markdown(result.text, loose=loose)
        else:
            program = documents.Program(result.text)
    except documents.DocumentError as err:
        report.findings.append(analysis_error(source.path, str(err)))
        return report
    report.program = program
    from fnlint.analyzer import analyze_source  # libcst and networkx: only for files analyzed

    try:
        analysis = analyze_source(program.text, source.path, parse, target=target)
    except MemoryError:  # the worker's address-space limit
        report.findings.append(analysis_error(
            source.path, "analysis stopped: the file needs more memory than the analysis may "
                         "use; it is too large or too deeply nested to analyze"))
        report.over_budget = True
        return report
    except Exception as err:  # noqa: BLE001 - one file's internal error must not stop the run
        report.findings.append(internal_error(source.path, err))
        return report
    if program.partial:
        analysis.names_complete = False
    analysis.fragments = kind == "markdown"
    if program.dropped:
        analysis.hidden_code = "\n".join(program.dropped)
        analysis.hidden_names = frozenset(documents.bound_names(program.dropped))
    report.analysis = analysis
    report.findings.extend(analysis.diagnostics)
    report.findings.extend(analysis_error(source.path, m, line, column)
                           for line, column, m in program.errors)
    return report


def check_file(source: SourceFile, rules: list, config: Optional[Config] = None,
               markdown_extensions=(".txt",), timeout: Optional[float] = None) -> FileReport:
    """Analyze one file, run the rules, and apply suppressions and the configuration.  A file
    whose analysis takes longer than `timeout` seconds gets an FN000 instead of a hang."""
    return finish(timed(lambda: lint_file(source, rules, markdown_extensions,
                                          target=config.keras if config is not None else "3"),
                        source.path, timeout), config)


def timed(work, path: str, timeout: Optional[float]) -> FileReport:
    """`work()`'s report, or the FN000 of a file whose analysis took more than `timeout`."""
    try:
        with time_limit(timeout):
            return work()
    except FileTimeout:
        return FileReport(path, findings=[over_budget(path, timeout)], over_budget=True)


def over_budget(path: str, timeout: Optional[float], crash: Optional[str] = None,
                memory_mb: Optional[int] = None):
    """FN000 for a file whose analysis ran out of time, or crashed the process that analysed
    it (`crash`: how; the memory limit kills it too)."""
    if crash is None:
        return analysis_error(path, f"analysis stopped after {timeout:g} s (--file-timeout): "
                                    f"the file is too large or too deeply nested to analyze "
                                    f"in time")
    memory = f" or went over the {memory_mb} MB memory limit" if memory_mb else ""
    return analysis_error(path, f"analysis stopped: it crashed{memory} ({crash}); the file is "
                                f"too large or too deeply nested to analyze")


class FileTimeout(BaseException):
    """Raised inside a file's analysis when its time is up (a BaseException so that no
    `except Exception` of the analysis swallows it)."""


@contextmanager
def time_limit(seconds: Optional[float]):
    """Interrupt the block after `seconds` (main thread on POSIX only; elsewhere, no limit)."""
    usable = seconds and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def lint_file(source: SourceFile, rules: list, markdown_extensions=(".txt",),
              parse=None, target: str = "3") -> FileReport:
    """Analyze one file and run the rules; the findings are raw until `finish`."""
    report = analyze_file(source, markdown_extensions, parse, target=target)
    if report.analysis is not None and report.analysis.module is not None and \
            not suppression.skip_file(report.program.text):
        from fnlint.analyzer import deep_recursion
        from fnlint.rules import run_rules

        with deep_recursion():
            report.findings.extend(run_rules(rules, report.analysis))
        report.findings = one_per_site(report.findings)
    return report


def finish(report: FileReport, config: Optional[Config] = None) -> FileReport:
    """Apply suppression comments and the configuration to a report's findings, place them in
    their notebook cells, and sort them."""
    config = config or Config()
    text = report.program.text if report.program is not None else ""
    if report.program is not None and suppression.skip_file(text):
        report.findings = []
        return report
    comments = suppression.parse(text)
    findings = suppression.apply(report.findings, comments)
    if config.selected(suppression.UNUSED_CODE):
        findings.extend(suppression.unused(report.path, comments))
    findings = [f for f in findings if config.selected(f.code) and
                not config.ignored_in(report.path, f.code)]
    findings = [dataclasses.replace(f, severity=config.severity[f.code])
                if f.code in config.severity else f for f in findings]
    findings = _with_text_fixes(report, findings)
    if report.program is not None and report.program.cells is not None:
        findings = [_in_cell(f, report.program) for f in findings]
    report.findings = sorted(findings, key=lambda f: f.sort_key())
    return report


def _with_text_fixes(report: FileReport, findings: list) -> list:
    """Each fix also as text edits of the file, for the JSON and SARIF reports (and the cache,
    which keeps no syntax tree); in notebooks and Markdown, whose fixes have no text form
    here, its applicability alone."""
    if not any(f.fix is not None for f in findings) or report.analysis is None or \
            report.analysis.module is None:
        return findings
    from fnlint.fixes import applicability, text_fixes

    if report.kind != "python":
        return [dataclasses.replace(f, fix_applicability=applicability(f))
                if f.fix is not None else f for f in findings]
    return text_fixes(report.analysis, findings)


def _in_cell(finding, program):
    cell, line = program.locate(finding.line)
    end_cell, end_line = program.locate(finding.end_line or finding.line)
    in_file = program.file_location(cell, line, finding.column) if cell is not None else None
    return dataclasses.replace(finding, cell=cell, line=line,
                               message=program.cite(finding.message),
                               suggestion=program.cite(finding.suggestion),
                               notes=tuple(program.cite(note) for note in finding.notes),
                               end_line=end_line if end_cell == cell else line,
                               file_line=in_file[0] if in_file else None,
                               file_column=in_file[1] if in_file else None)


def summarize_report(report: FileReport) -> list:
    """The model summaries of an analyzed file (for `summary` and `graph`); a failure becomes
    an FN000 of that file, appended to its findings, and the other files still print."""
    if report.analysis is None or report.analysis.module is None:
        return []
    from fnlint.analyzer.summary import summarize

    try:
        summaries = summarize(report.analysis)
    except Exception as err:  # noqa: BLE001 - one file's internal error must not stop the run
        report.findings.append(internal_error(report.path, err, "summary"))
        return []
    program = report.program
    if program is not None and program.cells is not None:
        for summary in summaries:
            cell, line = program.locate(summary.line) if summary.line else (None, None)
            summary.cell = (cell, line) if cell is not None else None
    return summaries




def frames_of(report: FileReport) -> dict:
    """Source lines for the code frames of the full report (only of files with findings)."""
    program = report.program
    if not report.findings or program is None:
        return {}
    if program.cells is not None:
        return {cell: text.split("\n") for cell, text in program.cell_texts.items()}
    return {None: report.text.split("\n")} if report.text is not None else {}
