"""Findings as LSP diagnostics: on the right document (a notebook's cell), with the code, the
severity, the rule's documentation link and the fix in the message, as `fnlint check`
prints it."""

from __future__ import annotations

from lsprotocol import types

from fnlint.fixes import edits
from fnlint.reporters.sarif_report import help_uri
from fnlint.server.checker import Checked

SEVERITY = {"error": types.DiagnosticSeverity.Error,
            "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
SOURCE = "fnlint"


def finding_place(checked: Checked, finding) -> tuple:
    """(uri, start (line, column), end (line, column)), 0-based code points, or None."""
    places = checked.places
    if finding.cell is not None:
        start = places.in_cell(finding.cell, finding.line, finding.column)
        end = places.in_cell(finding.cell, finding.end_line or finding.line,
                             finding.end_column or finding.column)
    else:
        start = places.to_document(finding.line, finding.column)
        end = places.to_document(finding.end_line or finding.line,
                                 finding.end_column or finding.column)
    if start is None:
        uris = checked.document.uris()
        return (uris[0], (0, 0), (0, 0)) if uris else None  # FN000 of an unreadable notebook
    if end is None or end[0] != start[0] or end[1:] < start[1:]:
        end = start
    return start[0], start[1:], end[1:]


def diagnostics(checked: Checked, position, docs_url=None) -> dict:
    """uri -> [Diagnostic] for every document of `checked` (empty lists clear old ones);
    `position(uri, line, column)` converts code points to the client's units; each links its
    rule's page under `docs_url` (the `docsUrl` setting or FNLINT_DOCS_URL), when set."""
    out: dict = {uri: [] for uri in checked.document.uris()}
    for index, finding in enumerate(checked.report.findings):
        place = finding_place(checked, finding)
        if place is None:
            continue
        uri, start, end = place
        message = finding.message
        if finding.suggestion:
            message += f"\nfix: {finding.suggestion}"
        message += "".join(f"\nnote: {note}" for note in finding.notes)
        out.setdefault(uri, []).append(types.Diagnostic(
            range=types.Range(position(uri, *start), position(uri, *end)),
            message=message, severity=SEVERITY.get(finding.severity), code=finding.code,
            code_description=types.CodeDescription(href=help_uri(docs_url, finding.code))
            if docs_url else None, source=SOURCE,
            related_information=related(checked, finding, position) or None,
            data={"index": index, "version": checked.document.version,
                  "fixable": bool(edits(finding))}))
    return out


def related(checked: Checked, finding, position) -> list:
    """The other places a finding names (the other branch of a merge, where an array was
    built), as related information."""
    out = []
    for line, column, end_line, end_column, text in finding.related:
        start = checked.places.to_document(line, column)
        end = checked.places.to_document(end_line, end_column)
        if start is None or end is None or end[0] != start[0]:
            continue
        out.append(types.DiagnosticRelatedInformation(
            types.Location(start[0], types.Range(position(*start), position(*end))), text))
    return out
