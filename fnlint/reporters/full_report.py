"""The terminal report: each finding with its code frame, a caret under the exact span, the
fix, the notes (shapes of every input and where they came from), and a one-line summary."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape as escape_markup

from fnlint.reporters import printable

STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def escape(text: str) -> str:
    """Neither rich markup nor control characters of the linted file reach the terminal."""
    return escape_markup(printable(text))


def render(run, color: bool = False, width: int = 100, summary: bool = True) -> str:
    """The report for a terminal `width` columns wide: messages wrap between words and code
    frames are cut to a window around the span, so nothing wraps mid-word."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False)
    for f in run.findings:
        style = STYLES.get(f.severity, "bold")
        marker = "[*] " if run.fixable(f) else ""
        console.print(f"[bold]{escape(f.location)}[/]: [{style}]{f.code}[/] {escape(marker)}"
                      f"[{style}]{f.severity}[/]: {escape(f.message)} [dim]({f.name})[/]")
        _frame(console, run.sources.get((f.path, f.cell)), f)
        if f.suggestion:
            console.print(f"  [green]= fix:[/] {escape(f.suggestion)}")
        for note in f.notes:
            console.print(f"  [blue]= note:[/] {escape(note)}")
        console.print()
    if summary:
        console.print(run.summary_line())
        if run.fixable_line():
            console.print(escape(run.fixable_line()))
    return buffer.getvalue()


def _frame(console, lines, f) -> None:
    if not lines or not 1 <= f.line <= len(lines):
        return
    text = lines[f.line - 1].rstrip("\n").expandtabs(4)
    gutter = len(str(f.line))
    start = max(f.column - 1, 0)
    end = f.end_column - 1 if f.end_line == f.line and f.end_column else len(text)
    end = max(start + 1, min(end, len(text)))
    text, start, end = _window(text, start, end, console.width - gutter - 3)
    carets = "^" * (end - start)
    console.print(f"[blue]{' ' * gutter} |[/]")
    console.print(f"[blue]{f.line} |[/] {escape(text)}")
    console.print(f"[blue]{' ' * gutter} |[/] {' ' * start}[bold red]{carets}[/]")


def _window(text: str, start: int, end: int, room: int) -> tuple:
    """(the part of a source line that fits `room` columns, keeping the span [start, end) in
    view, with `…` where it was cut; the span's new columns), as ruff cuts long lines."""
    room = max(room, 20)
    if len(text) <= room:
        return text, start, end
    left = max(0, min(start - 8, len(text) - room))  # a little context before the span
    if end - left > room:  # a span wider than the window: show its beginning
        end = left + room - 1
    piece = text[left:left + room]
    if left > 0:
        piece = "…" + piece[1:]
    if left + room < len(text):
        piece = piece[:-1] + "…"
    return piece, start - left, min(end - left, len(piece) - (left + room < len(text)))
