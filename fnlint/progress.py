"""A progress bar for long runs: on standard error, only on a terminal, and only once a run
has taken a second (short runs and pipes stay silent, as ruff's and pip's do)."""

from __future__ import annotations

import sys
import time

DELAY = 1.0  # seconds before the bar appears


class FileProgress:
    """Counts files done out of `total`; shows a transient rich bar once `delay` has passed."""

    def __init__(self, label: str, total: int, stream=None, quiet: bool = False,
                 delay: float = DELAY, clock=time.monotonic) -> None:
        self.label, self.total, self.delay, self.clock = label, total, delay, clock
        self.stream = sys.stderr if stream is None else stream
        self.enabled = not quiet and total > 1 and _is_terminal(self.stream)
        self.started = clock()
        self.done = 0
        self.bar = self.task = None

    def advance(self, path: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is None and self.clock() - self.started >= self.delay:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, \
                TimeElapsedColumn

            console = Console(file=self.stream, force_terminal=True)
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=self.total)
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> "FileProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
