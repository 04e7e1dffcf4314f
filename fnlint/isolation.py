"""Long-lived worker processes that each analyse one file at a time under a budget enforced from
outside: a hard kill past the time limit and an address-space limit (RLIMIT_AS).

libcst's native parser can recurse until it segfaults, run for minutes or allocate gigabytes on
a few kilobytes of pathological code, and no signal interrupts it.  In a worker, such a file
kills or stalls only that worker: the file becomes a `Failure`, a fresh worker (forked again
from the parent, with everything the parent imported) takes the next file, and every other
file's results are kept.  Workers are reused from file to file, so a run pays a fork per
worker, not per file.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterable, Optional

GRACE_SECONDS = 1.0  # past the time limit, for the in-process timeout to answer first


@dataclass
class Failure:
    """What became of an item whose worker died (`crashed`: how) or ran out of time."""

    timed_out: bool
    how: str = ""


def available() -> bool:
    """Whether workers can be forked (POSIX); elsewhere callers run in-process, unguarded."""
    return "fork" in multiprocessing.get_all_start_methods()


def _limit_memory(memory_mb: Optional[int]) -> None:
    """Cap this process' address space at its current size plus `memory_mb`."""
    if not memory_mb:
        return
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status
                        if line.startswith("VmSize:"))
        limit = size + memory_mb * 2**20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, StopIteration):
        pass  # not Linux: the time limit still holds


def _serve(connection, start: Callable[[], None], function: Callable,
           memory_mb: Optional[int]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    faulthandler.disable()  # a crash is the parent's FN000 to report, not a dump of stacks
    _limit_memory(memory_mb)
    start()
    while True:
        try:
            item = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(function(item))


class _Worker:
    def __init__(self, context, start, function, memory_mb) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, start, function, memory_mb),
                                       daemon=True)
        self.process.start()
        child.close()
        self.index: Optional[int] = None
        self.deadline = float("inf")

    def give(self, index: int, item, timeout: Optional[float]) -> bool:
        self.index = index
        self.deadline = time.monotonic() + timeout + GRACE_SECONDS if timeout else float("inf")
        try:
            self.connection.send(item)
            return True
        except (BrokenPipeError, OSError):
            return False

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _death(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def run(items: Iterable, function: Callable, processes: int = 1,
        timeout: Optional[float] = None, memory_mb: Optional[int] = None,
        start: Callable[[], None] = lambda: None,
        advance: Callable[[], None] = lambda: None) -> list:
    """`function(item)` for every item, in worker processes (`start()` runs once in each);
    results in item order, a `Failure` for an item whose worker crashed or ran past `timeout`
    seconds (plus a grace second); `advance()` as each item is done.  Results must pickle."""
    items = list(items)
    results: list = [None] * len(items)
    if not items:
        return results
    context = multiprocessing.get_context("fork")
    todo = list(range(len(items)))[::-1]
    idle: list = []
    busy: dict = {}  # connection -> worker

    def spawn():
        return _Worker(context, start, function, memory_mb)

    def fail(worker: _Worker, failure: Failure) -> None:
        results[worker.index] = failure
        advance()
        del busy[worker.connection]
        worker.stop()

    try:
        idle = [spawn() for _ in range(max(1, min(processes, len(items))))]
        while todo or busy:
            while todo and idle:
                worker = idle.pop()
                index = todo.pop()
                if worker.give(index, items[index], timeout):
                    busy[worker.connection] = worker
                else:  # died before it could take the item: try again with a new one
                    worker.stop()
                    todo.append(index)
                    idle.append(spawn())
            now = time.monotonic()
            nearest = min(w.deadline for w in busy.values())
            ready = wait(list(busy), None if nearest == float("inf") else max(0, nearest - now))
            for connection in ready:
                worker = busy[connection]
                try:
                    results[worker.index] = connection.recv()
                except (EOFError, OSError):
                    worker.process.join()
                    fail(worker, Failure(False, _death(worker.process)))
                    if todo:
                        idle.append(spawn())
                    continue
                del busy[connection]
                idle.append(worker)
                advance()
            now = time.monotonic()
            for worker in [w for w in busy.values() if w.deadline <= now]:
                fail(worker, Failure(True))
                if todo:
                    idle.append(spawn())
    finally:
        for worker in idle + list(busy.values()):
            worker.stop()
    return results
