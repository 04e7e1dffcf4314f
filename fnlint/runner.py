"""Runs the pipeline over files: read → program (Python, notebook or Markdown) → analyze → rules
→ suppressions and configuration.  Each file is independent: a failure in one becomes an FN000
finding for it and the others are still analyzed."""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass, field
from typing import Optional

from fnlint import __version__, documents, suppression
from fnlint.analyzer import ModuleAnalysis, analyze_source
from fnlint.config import Config
from fnlint.findings import analysis_error
from fnlint.sources import SourceFile, read

BUG_HINT = ("this is a bug in fnlint: please report it with the file that triggers it "
            "(fnlint {version})")


@dataclass
class FileReport:
    path: str
    analysis: Optional[ModuleAnalysis] = None
    findings: list = field(default_factory=list)
    skipped: bool = False
    program: Optional[documents.Program] = None
    text: Optional[str] = None  # the file as read (for code frames and fixes)
    kind: str = "python"  # python, notebook or markdown
    encoding: str = "utf-8"
    bom: bool = False


def kind_of(path: str, markdown_extensions=()) -> str:
    lower = path.lower()
    if lower.endswith(documents.NOTEBOOK_EXTENSIONS):
        return "notebook"
    if lower.endswith(documents.MARKDOWN_EXTENSIONS + tuple(markdown_extensions)):
        return "markdown"
    return "python"


def analyze_file(source: SourceFile, markdown_extensions=(".txt",)) -> FileReport:
    """Read and analyze one file; never raises.  Plain `.txt` posts are read as Markdown
    whose unfenced code counts too."""
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
    try:
        analysis = analyze_source(program.text, source.path)
    except Exception as err:  # noqa: BLE001 - one file's internal error must not stop the run
        report.findings.append(internal_error(source.path, err))
        return report
    if program.partial:
        analysis.names_complete = False
    if program.dropped:
        analysis.hidden_code = "\n".join(program.dropped)
        analysis.hidden_names = frozenset(documents.bound_names(program.dropped))
    report.analysis = analysis
    report.findings.extend(analysis.diagnostics)
    return report


def check_file(source: SourceFile, rules: list, config: Optional[Config] = None,
               markdown_extensions=(".txt",)) -> FileReport:
    """Analyze one file, run the rules, and apply suppressions and the configuration."""
    return finish(lint_file(source, rules, markdown_extensions), config)


def lint_file(source: SourceFile, rules: list, markdown_extensions=(".txt",)) -> FileReport:
    """Analyze one file and run the rules; the findings are raw until `finish`."""
    report = analyze_file(source, markdown_extensions)
    if report.analysis is not None and report.analysis.module is not None and \
            not suppression.skip_file(report.program.text):
        for rule in rules:
            try:
                report.findings.extend(rule.check(report.analysis))
            except Exception as err:  # noqa: BLE001 - a failing rule must not lose the others
                report.findings.append(internal_error(source.path, err, rule.code))
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
    if report.program is not None and report.program.cells is not None:
        findings = [_in_cell(f, report.program) for f in findings]
    report.findings = sorted(findings, key=lambda f: f.sort_key())
    return report


def _in_cell(finding, program):
    cell, line = program.locate(finding.line)
    end_cell, end_line = program.locate(finding.end_line or finding.line)
    return dataclasses.replace(finding, cell=cell, line=line,
                               end_line=end_line if end_cell == cell else line)


def internal_error(path: str, err: Exception, where: str = "analysis"):
    frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    place = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    return analysis_error(
        path, f"internal error in {where}: {type(err).__name__}: {err}{place}",
        suggestion=BUG_HINT.format(version=__version__))
