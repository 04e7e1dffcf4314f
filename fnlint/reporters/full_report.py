"""The terminal report: each finding with its code frame, a caret under the exact span, the
fix, the notes (shapes of every input and where they came from), and a one-line summary."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def render(run, color: bool = False, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, soft_wrap=True)
    for f in run.findings:
        style = STYLES.get(f.severity, "bold")
        console.print(f"[bold]{escape(f.location)}[/]: [{style}]{f.code}[/] "
                      f"[{style}]{f.severity}[/]: {escape(f.message)} [dim]({f.name})[/]")
        _frame(console, run.sources.get((f.path, f.cell)), f)
        if f.suggestion:
            console.print(f"  [green]= fix:[/] {escape(f.suggestion)}")
        for note in f.notes:
            console.print(f"  [blue]= note:[/] {escape(note)}")
        console.print()
    console.print(run.summary_line())
    return buffer.getvalue()


def _frame(console, lines, f) -> None:
    if not lines or not 1 <= f.line <= len(lines):
        return
    text = lines[f.line - 1].rstrip("\n").expandtabs(4)
    gutter = len(str(f.line))
    start = max(f.column - 1, 0)
    end = f.end_column - 1 if f.end_line == f.line and f.end_column else len(text)
    carets = "^" * max(1, min(end, len(text)) - start)
    console.print(f"[blue]{' ' * gutter} |[/]")
    console.print(f"[blue]{f.line} |[/] {escape(text)}")
    console.print(f"[blue]{' ' * gutter} |[/] {' ' * start}[bold red]{carets}[/]")
