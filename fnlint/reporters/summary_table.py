"""`fnlint summary`: a table per model in the layout of Keras 3's `model.summary()`."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from fnlint.reporters.shapes import shapes_text


def _count(n) -> str:
    return "?" if n is None else f"{n:,}"


def _bytes(n) -> str:
    if n is None:
        return ""
    size = n * 4.0  # float32 weights, as Keras reports
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f" ({size:.2f} {unit})"
        size /= 1024
    return ""


def model_renderable(summary, symbolic: bool = False):
    """Keras' `Model: "name"` header, where the model is built, then Keras' table; sizes
    that depend on the inputs' free sizes read `None` as in Keras, or their expression with
    `symbolic`."""
    where = f"{summary.path}:{summary.line}" if summary.line else summary.path
    if summary.via_line:
        where += f" (via the call at line {summary.via_line})"
    title = Text.assemble(("Model: ", "bold"), (f'"{summary.name}"', "bold cyan"))
    location = Text.assemble((f"{where}", "dim"), (f"  {summary.cls}", "dim"),
                             (f"  {summary.variable} = ..." if summary.variable else "", "dim"),
                             no_wrap=True, overflow="ignore")  # a path is never cut in two
    parts = [title, location]
    if summary.rows:
        table = Table(box=box.HEAVY_HEAD, show_lines=True, header_style="bold")
        table.add_column("Layer (type)", overflow="fold")
        table.add_column("Output Shape", overflow="fold")
        table.add_column("Param #", justify="right")
        if not summary.sequential_like:
            table.add_column("Connected to", overflow="fold")
        for row in summary.rows:
            cells = [f"{row.name} ({row.cls})", shapes_text(row.output_shapes, symbolic),
                     _count(row.params)]
            if not summary.sequential_like:
                cells.append(", ".join(row.connected) or "-")
            table.add_row(*cells, style="red" if row.error else None)
        parts.append(table)
    parts.append(Text(f" Total params: {_count(summary.total)}{_bytes(summary.total)}"))
    parts.append(Text(f" Trainable params: {_count(summary.trainable)}{_bytes(summary.trainable)}"))
    parts.append(Text(f" Non-trainable params: {_count(summary.non_trainable)}"
                      f"{_bytes(summary.non_trainable)}"))
    for note in summary.notes:
        parts.append(Text(f" ! {note}", style="bold red"))
    if summary.reason:
        parts.append(Text(f" {summary.status}: {summary.reason}", style="yellow"))
    return Group(*parts)


def render(summaries: list, console: Console, symbolic: bool = False) -> None:
    if not summaries:
        console.print("No models found.")
    for summary in summaries:
        console.print(model_renderable(summary, symbolic), crop=False)
        console.print()
