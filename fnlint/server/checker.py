"""Checking documents while the user types.

One thread (the server's main thread) checks one document at a time with the analyzer, the
rules and the catalog kept loaded; only the edited document is checked again.  Edits that
arrive while a document waits are folded into one check of its latest text, and a check made
stale by a newer edit (or running past its time limit) is stopped where it is: the checking
thread gets a `Stopped`, a BaseException that no `except Exception` of the analysis swallows.
"""

from __future__ import annotations

import ctypes
import gc
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from fnlint import runner
from fnlint.config import Config
from fnlint.findings import analysis_error
from fnlint.server.store import Document, Places


class Stopped(BaseException):
    """Raised inside a check that a newer edit made stale."""


class TimedOut(Stopped):
    """Raised inside a check that ran past its time limit."""


@dataclass
class Checked:
    """One document version as checked: the findings, the analysis, where lines go."""

    document: Document
    report: runner.FileReport
    places: Places
    seconds: float
    _locator: object = field(default=None, repr=False)

    def locator(self):
        """Position lookups into the analysis (built on first use); None without one."""
        analysis = self.report.analysis
        if self._locator is None and analysis is not None and analysis.module is not None:
            from fnlint.analyzer.locate import Locator

            self._locator = Locator(analysis)
        return self._locator


@dataclass
class Job:
    document: Document
    config: Config
    rules: list
    markdown_extensions: tuple
    timeout: Optional[float]
    parse: Optional[Callable] = None  # the document's ParseCache.parse


def check(job: Job) -> Checked:
    """Check one document version (in the calling thread)."""
    started = time.perf_counter()
    document = job.document
    if not document.mentions_keras():
        report = runner.FileReport(document.path, skipped=True)
    else:
        report = runner.finish(runner.lint_file(document.source(), job.rules,
                                                job.markdown_extensions, job.parse,
                                                target=job.config.keras), job.config)
    return Checked(document, report, Places(document, report.program),
                   time.perf_counter() - started)


def timed_out(job: Job) -> Checked:
    report = runner.FileReport(job.document.path, findings=[analysis_error(
        job.document.path, f"analysis stopped after {job.timeout:g} s (the fileTimeout "
                           f"setting): the file is too large or too deeply nested to analyze "
                           f"in time")])
    return Checked(job.document, report, Places(job.document, None), job.timeout or 0.0)


def _global_state() -> tuple:
    """What the analysis changes for a while and puts back in `finally` blocks: a stop that
    lands inside one of them would leave it changed (the collector paused, libcst's node
    validation off, a deep recursion limit)."""
    import libcst

    return gc.isenabled(), sys.getrecursionlimit(), libcst.CSTNode.__dict__.get("__post_init__")


def _restore(state: tuple) -> None:
    import libcst

    enabled, limit, validate = state
    if enabled:
        gc.enable()
    sys.setrecursionlimit(limit)
    if validate is not None:
        libcst.CSTNode.__post_init__ = validate


class Checker:
    """Checks submitted documents one at a time in the thread that calls `run` (`done(checked)`
    is called there).  In the main thread on POSIX a check is stopped by a signal, whose
    handler Python always runs in the main thread; elsewhere by an asynchronous exception
    (which CPython may hand to another thread state with the same thread id)."""

    def __init__(self, done: Callable[[Checked], None]) -> None:
        self._done = done
        self._lock = threading.Condition()
        self._pending: dict = {}  # uri -> Job, oldest first
        self._running: Optional[Job] = None
        self._deadline: Optional[float] = None  # when the running check times out
        self._stop: Optional[type] = None  # what the running check is stopped with
        self._closed = False
        self._ident: Optional[int] = None  # the thread running the checks
        self._signal = False  # stops come as STOP_SIGNAL
        self._watchdog = threading.Thread(target=self._watch, name="fnlint-watchdog",
                                          daemon=True)
        self._watchdog.start()

    def run(self) -> None:
        """Check jobs until `close`."""
        by_signal = STOP_SIGNAL is not None and \
            threading.current_thread() is threading.main_thread()
        previous = signal.signal(STOP_SIGNAL, self._on_signal) if by_signal else None
        with self._lock:
            self._ident, self._signal = threading.get_ident(), by_signal
        try:
            self._work()
        finally:
            if by_signal:  # (None: a handler not set from Python)
                signal.signal(STOP_SIGNAL, signal.SIG_DFL if previous is None else previous)

    def _on_signal(self, signum, frame) -> None:
        stop = self._stop
        if stop is not None:
            raise stop()

    def submit(self, job: Job) -> None:
        """Check `job` soon; a check of an older version of the same document stops."""
        with self._lock:
            self._pending.pop(job.document.uri, None)
            self._pending[job.document.uri] = job
            running = self._running
            if running is not None and running.document.uri == job.document.uri:
                self._raise(Stopped)
            self._lock.notify_all()

    def checking(self) -> Optional[tuple]:
        """(uri, version) of the document being checked, or None."""
        with self._lock:
            job = self._running
            return (job.document.uri, job.document.version) if job is not None else None

    def forget(self, uri: str) -> None:
        """The document was closed: drop its pending check and stop a running one."""
        with self._lock:
            self._pending.pop(uri, None)
            if self._running is not None and self._running.document.uri == uri:
                self._raise(Stopped)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._pending.clear()
            if self._running is not None:
                self._raise(Stopped)
            self._lock.notify_all()

    def _work(self) -> None:
        state = _global_state()  # as it is between checks
        while True:
            try:
                if not self._serve(state):
                    return
            except Stopped:  # it landed just outside the check: before or in `_settle`
                try:
                    self._settle(state)
                except Stopped:  # a second one in that instant: settled next time round
                    pass

    def _serve(self, state: tuple) -> bool:
        """Check the next job and report it; False once closed."""
        job = self._next()
        if job is None:
            return False
        try:
            try:
                checked = check(job)
            except TimedOut:
                checked = timed_out(job)
        finally:
            self._settle(state)
        self._done(checked)
        return True

    def _settle(self, state: tuple) -> None:
        """No check runs any more: void a stop that came too late, put back global state."""
        with self._lock:
            self._running = self._deadline = None
            self._raise(None)
        _restore(state)

    def _next(self) -> Optional[Job]:
        with self._lock:
            while not self._pending and not self._closed:
                self._lock.wait()
            if self._closed:
                return None
            uri = next(iter(self._pending))
            job = self._running = self._pending.pop(uri)
            self._deadline = time.monotonic() + job.timeout if job.timeout else None
            self._lock.notify_all()
            return job

    def _watch(self) -> None:
        """Stop the running check at its deadline, and stop it again while it runs on: a stop
        that lands in a finalizer the garbage collector ran meanwhile is swallowed there."""
        with self._lock:
            while not self._closed:
                if self._running is not None and self._stop is not None:
                    self._send(self._stop)
                    self._lock.wait(RETRY)
                elif self._running is None or self._deadline is None:
                    self._lock.wait()
                elif self._deadline > time.monotonic():
                    self._lock.wait(self._deadline - time.monotonic())
                else:
                    self._raise(TimedOut)
                    self._deadline = None

    def _raise(self, exception) -> None:
        """Stop the running check with `exception` (None: no more, void one not raised yet);
        only with the lock held, so that it lands in the check it is meant for."""
        self._stop = exception
        self._send(exception)
        self._lock.notify_all()

    def _send(self, exception) -> None:
        if self._ident is None:
            return
        if self._signal:
            if exception is not None:
                signal.pthread_kill(self._ident, STOP_SIGNAL)
            return
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(self._ident), ctypes.py_object(exception) if exception else None)


RETRY = 0.05  # seconds between stops of a check that has not stopped yet
STOP_SIGNAL = getattr(signal, "SIGUSR1", None) if hasattr(signal, "pthread_kill") else None
