"""The one pipeline of every command: read → analyze → rules → suppressions and configuration →
findings, over many files.

Each file is analysed once per run, in a worker process of `fnlint.isolation` (killed past its
time, held to a memory limit), because libcst can hang or crash on hostile code.  What comes back
is a `FileResult` of plain data (findings, code frames, model summaries, the fixed text): the
syntax tree and the analysis stay in the worker.  `check` reads the cache first; `summary` and
`graph` get the model summaries; `--fix` and `--diff` get the fixed text (`fnlint.fixing`).
Verify mode (`verify_files`) keeps its analyses in this process, because the verify rules judge
them with what Keras measured: the workers screen its files first.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from fnlint import collector
from fnlint.config import Config
from fnlint.runner import (
    FileReport, analyze_file, check_file, finish, frames_of, internal_error, lint_file,
    over_budget, summarize_report, timed)
from fnlint.sources import SourceFile, Unreadable, read_bytes

FILE_MEMORY_MB = 2048  # model code needs tens of MB; a parser blow-up needs gigabytes
PARALLEL_MINIMUM = 4  # files per process below which starting processes costs more than it saves


@dataclass
class FileResult:
    """What the commands need of one file: light enough to cache and to send back from a
    worker process."""

    path: str
    findings: list
    skipped: bool = False
    frames: dict = field(default_factory=dict)  # cell (None for plain files) -> source lines
    summaries: list = field(default_factory=list)  # ModelSummary (summary, graph)
    fixing: Optional[object] = None  # fixing.Outcome (--fix, --diff)


def result_of(report: FileReport) -> FileResult:
    return FileResult(report.path, report.findings, report.skipped, frames_of(report))


@dataclass
class Batch:
    """How to run many files: what every worker process needs."""

    config: Config
    markdown_extensions: tuple = (".txt",)
    only_verify: bool = False
    timeout: Optional[float] = None
    cache_root: Optional[str] = None  # None: no cache
    memory_mb: Optional[int] = FILE_MEMORY_MB  # address space one file's analysis may add
    summaries: bool = False  # also each file's model summaries (summary, graph)
    rules_run: bool = True  # False: the analysis and its own raw findings only (summary)
    fixing: Optional[object] = None  # a fixing.Request: fix each file (--fix, --diff)

    def rules(self) -> list:
        """The rules to run, loaded with the analyzer they judge (libcst, networkx)."""
        with collector.paused():
            importlib.import_module("fnlint.analyzer")
            from fnlint.rules import VerifyRule, all_rules

            return [rule for rule in all_rules(self.config.rule_options)
                    if self.config.selected(rule.code) and
                    (isinstance(rule, VerifyRule) or not self.only_verify)]

    def cache(self):
        from fnlint.cache import Cache

        return Cache(Path(self.cache_root), self.salt()) if self.cache_root else None

    def salt(self) -> str:
        """What decides the findings besides the file: fnlint's version (its built-in rules),
        the configuration, and the rule plugins installed (without importing any rule)."""
        from importlib import metadata

        from fnlint.cache import fingerprint

        plugins = sorted((e.name, e.value, e.dist.version if e.dist else "")
                         for e in metadata.entry_points(group="fnlint.rules"))
        return fingerprint(dataclasses.asdict(self.config), self.markdown_extensions,
                           self.only_verify, plugins)

    def file_seconds(self) -> Optional[float]:
        """How long a worker may take over one file: a fix run analyses it once per round."""
        if self.timeout is None or self.fixing is None:
            return self.timeout
        from fnlint.fixing import MAX_FIX_ROUNDS

        return self.timeout * (MAX_FIX_ROUNDS + 1)


def run(batch: Batch, sources: list, jobs: int = 1, advance=lambda: None) -> list:
    """FileResults for `sources`, in their order.  The cache is read first, here: only the
    files it lacks are analyzed, with `jobs` > 1 and enough of them in that many processes.
    `advance()` is called as each file is done (for the progress bar)."""
    cache = batch.cache()
    results: list = []
    todo: list = []  # (index, source, key)
    for source in sources:
        hit, source, key = cached(cache, source)
        if hit is None:
            todo.append((len(results), source, key))
        else:
            advance()
        results.append(hit)
    if not todo:
        return results
    done = isolated(batch, [(source, key) for _, source, key in todo], _worker_run, jobs,
                    advance)
    for (index, _, _), result in zip(todo, done):
        results[index] = result
    return results


def process(batch: Batch, source: SourceFile, rules: list, cache=None,
            key=None) -> FileResult:
    """One file through the pipeline (in a worker), its result stored under `key` in the
    cache."""
    from fnlint import cache as caching

    if batch.fixing is not None:
        from fnlint import fixing

        return fixing.fix_file(source, lambda s: check_file(
            s, rules, batch.config, batch.markdown_extensions, batch.timeout), batch.fixing)
    if batch.rules_run:
        report = check_file(source, rules, batch.config, batch.markdown_extensions,
                            batch.timeout)
    else:
        report = timed(lambda: analyze_file(source, batch.markdown_extensions,
                                            target=batch.config.keras),
                       source.path, batch.timeout)
    summaries = summarize_report(report) if batch.summaries else []  # may add an FN000
    result = result_of(report)
    result.summaries = summaries
    if cache is not None and key is not None and not report.over_budget:
        cache.put(key, {"findings": [caching.encode_finding(f) for f in result.findings],
                        "skipped": result.skipped,
                        "frames": {"" if k is None else str(k): v
                                   for k, v in result.frames.items()}})
    return result


def cached(cache, source: SourceFile) -> tuple:
    """(the FileResult the cache holds for `source` or None, the source with its bytes read,
    the cache key or None)."""
    from fnlint import cache as caching

    if cache is None or source.text is not None or source.stdin:
        return None, source, None
    try:
        source = dataclasses.replace(source, data=read_bytes(source))
    except (OSError, Unreadable):  # read() says why, uncached
        return None, source, None
    key = cache.key(f"{source.path}|{source.explicit}", source.data)
    entry = cache.get(key)
    if entry is None:
        return None, source, key
    return FileResult(source.path, [caching.decode_finding(f) for f in entry["findings"]],
                      entry["skipped"], {None if k == "" else int(k): v
                                         for k, v in entry["frames"].items()}), source, key


_WORKER: dict = {}


def _worker_start(batch: Batch) -> None:
    _WORKER["batch"] = batch
    _WORKER["rules"] = batch.rules()
    _WORKER["cache"] = batch.cache()


def _worker_run(job: tuple) -> FileResult:
    source, key = job
    return process(_WORKER["batch"], source, _WORKER["rules"], _WORKER["cache"], key)


def _failed(batch: Batch, path: str, finding) -> FileResult:
    return FileResult(path, finish(FileReport(path, findings=[finding]), batch.config).findings)


def isolated(batch: Batch, jobs_list: list, check, jobs: int = 1, advance=lambda: None) -> list:
    """`check((source, key))` for every job, in worker processes forked from here (so they
    share the analyzer and rules imported once) under the batch's time and memory budget;
    with `jobs` > 1 and enough files, in that many.  A job whose worker crashed or ran out of
    time gets a FileResult with that FN000 instead of its answer.  `advance()` is called as
    each job is done (for the progress bar)."""
    from fnlint import isolation

    if not isolation.available():  # no fork: in-process, with the in-process timeout only
        _worker_start(batch)
        answers = []
        for job in jobs_list:
            answers.append(check(job))
            advance()
        return answers
    batch.rules()

    def guarded(job: tuple):
        try:
            return check(job)
        except Exception as err:  # noqa: BLE001 - fnlint's bug: FN000 for it, not a dead worker
            return _failed(batch, job[0].path, internal_error(job[0].path, err))

    processes = max(1, min(jobs, len(jobs_list) // PARALLEL_MINIMUM))
    answers = isolation.run(jobs_list, guarded, processes, batch.file_seconds(),
                            batch.memory_mb, start=lambda: _worker_start(batch),
                            advance=advance)
    return [_failed(batch, source.path, over_budget(
                source.path, batch.timeout, None if answer.timed_out else answer.how,
                batch.memory_mb))
            if isinstance(answer, isolation.Failure) else answer
            for (source, _), answer in zip(jobs_list, answers)]


def verify_files(batch: Batch, sources: list, options, jobs: int = 1, progress=None) -> tuple:
    """(FileResults, the verify session) of verify mode: each file's static findings and what
    the verify rules judge of its models built and trained in Keras.  The files whose analysis
    crashes or runs out of time or memory in a worker are reported as such; the others are
    analysed here, where the rules judge the analysis.  Raises pool.Unavailable without
    TensorFlow."""
    rules = batch.rules()
    failed = _screened(batch, sources, jobs)
    reports = [FileReport(source.path, findings=failed[source.path].findings)
               if source.path in failed else
               lint_file(source, rules, batch.markdown_extensions, target=batch.config.keras)
               for source in sources]
    session = verify_reports(reports, rules, options, progress)
    return [result_of(finish(report, batch.config)) for report in reports], session


def verify_reports(reports: list, rules: list, options, progress=None):
    """Verify every model of the reports' analyses in Keras (`fnlint.verify`, the oracle) and
    append the verify rules' findings to each report's (raw) findings; the session."""
    from fnlint.rules import VerifyRule
    from fnlint.verify import session

    analyses = [report.analysis if report.analysis is not None and
                report.analysis.module is not None else None for report in reports]
    found = session.verify(analyses, options, progress or (lambda verified, done, total: None))
    judges = [rule for rule in rules if isinstance(rule, VerifyRule)]
    for report, group in zip(reports, found.groups):
        for verified in group:
            for rule in judges:
                try:
                    report.findings.extend(rule.judge(report.analysis, verified))
                except Exception as err:  # noqa: BLE001 - one rule's bug must not lose the rest
                    report.findings.append(internal_error(report.path, err, rule.code))
    return found


def _screened(batch: Batch, sources: list, jobs: int = 1) -> dict:
    """{path: its FileResult with the FN000} for the sources whose check crashed or ran out of
    time or memory in a worker (verify mode then analyses the others here)."""
    todo = [(source, None) for source in sources]
    answers = isolated(batch, todo, _worker_screen, jobs)
    return {source.path: answer for (source, _), answer in zip(todo, answers)
            if answer is not None}


def _worker_screen(job: tuple) -> Optional[FileResult]:
    source, _ = job
    batch = _WORKER["batch"]
    report = check_file(source, _WORKER["rules"], batch.config, batch.markdown_extensions,
                        batch.timeout)
    return FileResult(report.path, report.findings) if report.over_budget else None


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
