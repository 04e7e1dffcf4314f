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
import itertools
import multiprocessing
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
           memory_mb: Optional[int], inherited: tuple = ()) -> None:
    for other in inherited:  # the parent's ends of the workers' pipes, forked along
        other.close()
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
    def __init__(self, context, start, function, memory_mb, inherited=()) -> None:
        self.connection, child = context.Pipe()
        # The child closes the parent's end of its own pipe (and of the others'), so that a
        # parent that is gone is a closed pipe there.
        self.process = context.Process(
            target=_serve, args=(child, start, function, memory_mb,
                                 tuple(inherited) + (self.connection,)), daemon=True)
        self.process.start()
        child.close()
        self.index: Optional[int] = None
        self.serial = 0
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
    with Pool(function, processes, timeout, memory_mb, start) as pool:
        return pool.map(items, advance)[0]


class Pool:
    """Workers kept from one round of items (`map`) to the next, so that what a worker keeps
    in its memory of an item (a file's analysis) serves a later item routed to it (the same
    file's verify results)."""

    def __init__(self, function: Callable, processes: int = 1, timeout: Optional[float] = None,
                 memory_mb: Optional[int] = None, start: Callable[[], None] = lambda: None):
        self.function, self.processes, self.timeout = function, processes, timeout
        self.memory_mb, self.start = memory_mb, start
        self.context = multiprocessing.get_context("fork")
        self.idle: list = []
        self.live: list = []  # every worker started and not yet stopped
        self.serials = itertools.count(1)

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.idle:
            worker.stop()
        self.idle = []

    def _spawn(self) -> _Worker:
        """A new worker, which closes its copies of the other workers' pipes: a pipe held
        open by a sibling would never tell a worker that fnlint is gone (its last answer,
        larger than the pipe's buffer, would block forever)."""
        self.live = [w for w in self.live if not w.connection.closed]
        worker = _Worker(self.context, self.start, self.function, self.memory_mb,
                         tuple(w.connection for w in self.live))
        worker.serial = next(self.serials)
        self.live.append(worker)
        return worker

    def map(self, items: Iterable, advance: Callable[[], None] = lambda: None,
            route: Optional[list] = None) -> tuple:
        """(results in item order, a `Failure` for an item whose worker crashed or ran out of
        time; the serial of the worker that answered each item, None for a Failure).
        `route[i]`: the serial of the worker to give item i, while that worker lives (once
        it is gone, any worker takes the item)."""
        items = list(items)
        results: list = [None] * len(items)
        served: list = [None] * len(items)
        if not items:
            return results, served
        route = route or [None] * len(items)
        todo = list(range(len(items)))
        busy: dict = {}  # connection -> worker

        def next_for(worker: _Worker) -> Optional[int]:
            live = {w.serial for w in self.idle} | {w.serial for w in busy.values()}
            for position, index in enumerate(todo):
                if route[index] == worker.serial or route[index] not in live:
                    return todo.pop(position)
            return None

        def fail(worker: _Worker, failure: Failure) -> None:
            results[worker.index] = failure
            advance()
            del busy[worker.connection]
            worker.stop()
            if todo:
                self.idle.append(self._spawn())

        try:
            while len(self.idle) < min(self.processes, len(items)):
                self.idle.append(self._spawn())
            while todo or busy:
                for worker in list(self.idle):
                    index = next_for(worker)
                    if index is None:
                        continue
                    self.idle.remove(worker)
                    if worker.give(index, items[index], self.timeout):
                        busy[worker.connection] = worker
                    else:  # died before it could take the item: try again with a new one
                        worker.stop()
                        todo.insert(0, index)
                        self.idle.append(self._spawn())
                if not busy:
                    continue
                now = time.monotonic()
                nearest = min(w.deadline for w in busy.values())
                ready = wait(list(busy),
                             None if nearest == float("inf") else max(0, nearest - now))
                for connection in ready:
                    worker = busy[connection]
                    try:
                        results[worker.index] = connection.recv()
                    except (EOFError, OSError):
                        worker.process.join()
                        fail(worker, Failure(False, _death(worker.process)))
                        continue
                    served[worker.index] = worker.serial
                    del busy[connection]
                    self.idle.append(worker)
                    advance()
                now = time.monotonic()
                for worker in [w for w in busy.values() if w.deadline <= now]:
                    fail(worker, Failure(True))
        finally:
            for worker in busy.values():
                worker.stop()
        return results, served
