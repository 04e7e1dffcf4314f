"""Worker subprocesses for verify mode, each with a time and memory limit per model.

A worker imports TensorFlow once and then verifies recipes one at a time.  When a model
takes longer than its time limit, grows past the memory limit or kills the worker, that model
gets a failure and a fresh worker takes the next one: one model never stops the others.
"""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

STARTUP_SECONDS = 300  # importing TensorFlow on a cold disk can be slow
INSTALL_HINT = "install the verify extra: pip install 'fnlint[verify]'"


class Unavailable(Exception):
    """Keras or TensorFlow cannot be imported: verify mode cannot run at all."""


@dataclass
class Outcome:
    """What became of one recipe: the worker's answer, or why there is none."""

    result: Optional[dict] = None
    failure: Optional[str] = None  # timeout, memory limit, worker crash
    seconds: float = 0.0


def available() -> Optional[str]:
    """None when Keras and TensorFlow can be found, else what to do about it."""
    missing = [name for name in ("tensorflow", "keras") if importlib.util.find_spec(name) is None]
    if missing:
        return f"verify mode needs {' and '.join(missing)}: {INSTALL_HINT}"
    return None


# What the worker keeps of the caller's environment: where libraries and accelerators are, the
# locale and home (for Keras' own configuration), nothing that changes what Python imports.
KEPT_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "LD_LIBRARY_PATH")
KEPT_PREFIXES = ("CUDA_", "KERAS_", "TF_", "XLA_", "NVIDIA_")


def isolated_command(module: str) -> list:
    """`python -I` running `module`'s main() from the running fnlint, whatever the working
    directory holds.  -I drops the working directory, PYTHONPATH and the user site from
    sys.path; the worker gets back the running fnlint's directory and the caller's import path
    minus every entry in the working directory (`''`, `.`, a `PYTHONPATH=src`), so a linted
    repository's `keras.py`, `json.py` or `fnlint/` is never imported."""
    import fnlint

    from fnlint.sources import outside_working_directory

    home = os.path.dirname(os.path.dirname(os.path.abspath(fnlint.__file__)))
    path = [home] + outside_working_directory(sys.path)
    code = (f"import sys; sys.path[0:0] = {path!r}; "
            f"from {module} import main; sys.exit(main())")
    return [sys.executable, "-I", "-u", "-c", code]


def isolated_environment(**extra: str) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key in KEPT_ENVIRONMENT or key.startswith(KEPT_PREFIXES)}
    return {**env, **extra}


class Worker:
    """One isolated worker process (see `isolated_command`) in an empty directory of its own."""

    def __init__(self, memory_mb: Optional[int]) -> None:
        self.memory_mb = memory_mb
        self.stderr = tempfile.TemporaryFile()
        self.directory = tempfile.mkdtemp(prefix="fnlint-verify-")
        # A session (and process group) of its own: Ctrl-C in the terminal reaches fnlint only,
        # and stop() kills whatever the worker started too.  The worker dies with fnlint.
        self.process = subprocess.Popen(
            isolated_command("fnlint.verify.worker"), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.stderr, cwd=self.directory,
            start_new_session=True, env=isolated_environment(
                TF_CPP_MIN_LOG_LEVEL="3", FNLINT_PARENT_PID=str(os.getpid())))
        self.buffer = b""
        self.info: dict = {}

    def start(self) -> dict:
        ready, failure = self._answer(STARTUP_SECONDS)
        if ready is None or not ready.get("ready"):
            self.stop()
            reason = ready.get("error") if ready else failure
            raise Unavailable(f"verify mode cannot import Keras ({reason}): {INSTALL_HINT}")
        self.info = ready
        return ready

    def ask(self, request: dict, timeout: float) -> Outcome:
        started = time.perf_counter()
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return Outcome(failure=self._died(), seconds=0.0)
        answer, failure = self._answer(timeout)
        return Outcome(answer, failure, time.perf_counter() - started)

    def _answer(self, timeout: float) -> tuple:
        """(the next JSON line, None) or (None, why not) within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        try:
            while b"\n" not in self.buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.stop()
                    return None, f"timed out after {timeout:g} s"
                if self._over_memory():
                    self.stop()
                    return None, f"used more than the {self.memory_mb} MB memory limit"
                if not selector.select(min(left, 0.2)):
                    continue
                chunk = os.read(self.process.stdout.fileno(), 1 << 16)
                if not chunk:
                    return None, self._died()
                self.buffer += chunk
        finally:
            selector.close()
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line), None

    def _over_memory(self) -> bool:
        if not self.memory_mb:
            return False
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) > self.memory_mb * 1024
        except OSError:  # not Linux, or already gone
            return False
        return False

    def _died(self) -> str:
        code = self.process.wait()
        self.stderr.seek(0)
        tail = self.stderr.read().decode(errors="replace").strip().splitlines()[-1:]
        signal = f" (signal {-code})" if code < 0 else f" (exit code {code})"
        return "the worker process died" + signal + (f": {tail[0][:300]}" if tail else "")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (OSError, AttributeError):  # not POSIX, or the group is gone
                self.process.kill()
            self.process.wait()
        self.stderr.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def run(recipes: list, steps: int, timeout: float, jobs: int = 1,
        memory_mb: Optional[int] = None,
        done: Callable[[int, Outcome], None] = lambda index, outcome: None) -> tuple:
    """Verify every recipe; returns (outcomes in recipe order, what the first worker reported
    when ready: Keras version, import seconds).  Raises Unavailable without TensorFlow."""
    missing = available()
    if missing:
        raise Unavailable(missing)
    outcomes: list = [None] * len(recipes)
    if not recipes:
        return outcomes, {}
    todo: queue.Queue = queue.Queue()
    for index in range(len(recipes)):
        todo.put(index)
    live: list = []  # every worker started: stopped on every way out of here
    lock = threading.Lock()

    def started() -> Worker:
        worker = Worker(memory_mb)
        with lock:
            live.append(worker)
        worker.start()
        return worker

    def serve(worker: Optional[Worker]) -> None:
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                break
            if worker is None:
                try:
                    worker = started()
                except Unavailable as err:
                    outcomes[index] = Outcome(failure=str(err))
                    continue
            outcome = worker.ask({"id": index, "recipe": recipes[index], "steps": steps},
                                 timeout)
            if outcome.failure is not None:
                worker.stop()
                worker = None
            outcomes[index] = outcome
            with lock:
                done(index, outcome)
        if worker is not None:
            worker.stop()

    try:
        first = started()
        threads = [threading.Thread(target=serve, args=(first if n == 0 else None,),
                                    daemon=True)
                   for n in range(max(1, min(jobs, len(recipes))))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for worker in live:
            worker.stop()
    return outcomes, first.info
