"""What the editor shows of the shapes: hover text, inlay hints and `model.summary()`, read
from the analysis of a checked document (`fnlint.analyzer.locate`)."""

from __future__ import annotations

import io
from typing import Optional

from fnlint.analyzer.locate import Locator, Output, Site
from fnlint.reporters.shapes import shape_text
from fnlint.server.checker import Checked

MAX_LISTED = 8  # applications listed in one hover (a loop may apply a layer hundreds of times)


def describe(output: Output) -> str:
    """`(None, 32, 32, 64) from Conv2D 'conv2d_3', 1,792 params`."""
    if output.kind == "input":
        origin = f"Input '{output.name}'"
    elif output.kind == "op":
        origin = "a tensor operation" if output.name == "op" else f"the op '{output.name}'"
    else:
        origin = f"{output.cls} '{output.name}'"
    text = f"{shape_text(output.shape)} from {origin}"
    if output.params is not None:
        text += f", {output.params:,} param{'s' if output.params != 1 else ''}"
    if output.error:
        text += f" (Keras would raise: {output.error})"
    return text


def hover_text(site: Site) -> str:
    """Markdown: one line per application of the site."""
    label = f"`{site.variable}`: " if site.variable else ""
    lines = []
    shown = site.outputs[:MAX_LISTED]
    for number, output in enumerate(shown, 1):
        call = f" (call {number} of {len(site.outputs)})" if len(site.outputs) > 1 else ""
        lines.append(f"{label}{describe(output)}{call}")
    if len(site.outputs) > len(shown):
        lines.append(f"... and {len(site.outputs) - len(shown)} more calls")
    return "\n\n".join(lines)


def hover_at(checked: Checked, uri: str, line: int, column: int) -> Optional[tuple]:
    """(markdown, (uri, start, end)) at a document position (0-based), or None."""
    site = _lookup(checked, uri, line, column, Locator.site_at)
    if site is None:
        return None
    start = checked.places.to_document(site.span.line, site.span.column)
    end = checked.places.to_document(site.span.end_line, site.span.end_column)
    if start is None or end is None or start[0] != uri or end[0] != uri:
        return hover_text(site), None
    return hover_text(site), (start[1:], end[1:])


def inlay_hints(checked: Checked, uri: str, first: int, last: int) -> list:
    """(line, column, label) at the end of each layer line of document `uri` between its
    0-based lines `first` and `last`."""
    locator = checked.locator()
    lines = checked.places.program_lines(uri)
    if locator is None or lines is None:
        return []
    hints = []
    for line, column, site in locator.line_ends:
        if line not in lines:
            continue
        place = checked.places.to_document(line, column)
        if place is None or place[0] != uri or not first <= place[1] <= last:
            continue
        shapes = list(dict.fromkeys(shape_text(o.shape) for o in site.outputs))
        hints.append((place[1], place[2], "→ " + " | ".join(shapes)))
    return hints


def summary_at(checked: Checked, uri: str, line: int, column: int) -> Optional[dict]:
    """The static `model.summary()` of the model under the position: {"model", "text"}."""
    from rich.console import Console

    from fnlint.analyzer.summary import summarize_model
    from fnlint.reporters import summary_table

    model = _lookup(checked, uri, line, column, Locator.model_at)
    if model is None:
        return None
    analysis = checked.report.analysis
    reasons = {id(m): reason for m, reason in analysis.unresolved}
    summary = summarize_model(analysis, model, reasons.get(id(model)))
    buffer = io.StringIO()
    summary_table.render([summary], Console(file=buffer, width=110, no_color=True,
                                            force_terminal=False, highlight=False))
    return {"model": model.name, "variable": model.variable, "text": buffer.getvalue()}


def _lookup(checked: Checked, uri: str, line: int, column: int, find):
    """`find(locator, line, column)` at a document position (0-based), or None."""
    locator = checked.locator()
    point = checked.places.to_program(uri, line, column)
    if locator is None or point is None:
        return None
    return find(locator, *point)
