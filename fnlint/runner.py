"""Runs the pipeline over files: read → analyze → rules.  Each file is independent: a failure in
one becomes an FN000 finding for it and the others are still analyzed."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Optional

from fnlint import __version__
from fnlint.analyzer import ModuleAnalysis, analyze_source
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


def analyze_file(source: SourceFile) -> FileReport:
    """Read and analyze one file; never raises."""
    report = FileReport(source.path)
    result = read(source)
    if result.skipped:
        report.skipped = True
        return report
    if result.text is None:
        report.findings.append(analysis_error(source.path, result.error, result.line))
        return report
    try:
        report.analysis = analyze_source(result.text, source.path)
    except Exception as err:  # noqa: BLE001 - one file's internal error must not stop the run
        report.findings.append(internal_error(source.path, err))
        return report
    report.findings.extend(report.analysis.diagnostics)
    return report


def check_file(source: SourceFile, rules: list) -> FileReport:
    """Analyze one file and run the rules on it."""
    report = analyze_file(source)
    if report.analysis is None or report.analysis.module is None:
        return report
    for rule in rules:
        try:
            report.findings.extend(rule.check(report.analysis))
        except Exception as err:  # noqa: BLE001 - a failing rule must not lose the others
            report.findings.append(internal_error(source.path, err, rule.code))
    report.findings.sort(key=lambda f: f.sort_key())
    return report


def internal_error(path: str, err: Exception, where: str = "analysis"):
    frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    place = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    return analysis_error(
        path, f"internal error in {where}: {type(err).__name__}: {err}{place}",
        suggestion=BUG_HINT.format(version=__version__))
