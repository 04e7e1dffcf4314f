"""The one pipeline of every command: read → analyze → rules → suppressions and configuration →
findings, over many files.

Each file is analysed once per run, in a worker process of `fnlint.isolation` (killed past its
time, held to a memory limit), because libcst can hang or crash on hostile code.  What comes back
is a `FileResult` of plain data (findings, code frames, model summaries, the fixed text): the
syntax tree and the analysis stay in the worker.  `check` reads the cache first; `summary` and
`graph` get the model summaries; `--fix` and `--diff` get the fixed text (`fnlint.fixing`).
Verify mode (`verify_files`) runs in two rounds over the same workers: each keeps the analyses
it made and sends back the models' recipes; Keras builds and trains them (`fnlint.verify`); the
verify rules then judge each file in the worker that keeps its analysis.
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
from fnlint.findings import internal_error
from fnlint.runner import (
    FileReport, analyze_file, check_file, finish, frames_of, lint_file, over_budget,
    summarize_report, timed)
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
    targets: Optional[list] = None  # verify mode: its models' plain recipe.Targets, to judge
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
    done = isolated(batch, [(source, key) for _, source, key in todo], jobs, advance)
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


def isolated(batch: Batch, jobs_list: list, jobs: int = 1, advance=lambda: None) -> list:
    """The FileResult of every job (source, cache key), in worker processes forked from here
    (so they share the analyzer and rules imported once) under the batch's time and memory
    budget; with `jobs` > 1 and enough files, in that many.  A job whose worker crashed or ran
    out of time gets a FileResult with that FN000 instead of its answer.  `advance()` is
    called as each job is done (for the progress bar)."""
    from fnlint import isolation

    if not isolation.available():  # no fork: in-process, with the in-process timeout only
        _worker_start(batch)
        answers = []
        for job in jobs_list:
            answers.append(_worker_run(job))
            advance()
        return answers
    batch.rules()
    processes = max(1, min(jobs, len(jobs_list) // PARALLEL_MINIMUM))
    answers = isolation.run(jobs_list, _guarded(batch, _worker_run), processes,
                            batch.file_seconds(), batch.memory_mb,
                            start=lambda: _worker_start(batch), advance=advance)
    return [_answer(batch, source, answer) for (source, _), answer in zip(jobs_list, answers)]


def _guarded(batch: Batch, check):
    """`check(job)` (a job's first item is its SourceFile) where an exception, fnlint's bug,
    is that file's FN000, not a dead worker."""
    def guarded(job: tuple):
        try:
            return check(job)
        except Exception as err:  # noqa: BLE001 - one file's internal error must not stop the run
            path = job[0].path
            return _failed(batch, path, internal_error(path, err))
    return guarded


def _answer(batch: Batch, source: SourceFile, answer) -> FileResult:
    """A worker's answer, or the FN000 of a file whose worker crashed or ran out of time."""
    from fnlint import isolation

    if not isinstance(answer, isolation.Failure):
        return answer
    return _failed(batch, source.path, over_budget(
        source.path, batch.timeout, None if answer.timed_out else answer.how, batch.memory_mb))


def verify_files(batch: Batch, sources: list, options, jobs: int = 1, progress=None) -> tuple:
    """(FileResults, the verify session) of verify mode.  Each file is analysed once, in a
    worker that keeps its analysis: the worker sends back the recipes of its models (plain
    data), Keras builds and trains them (`fnlint.verify`), and the same worker judges what came
    back with the verify rules.  Raises pool.Unavailable without TensorFlow."""
    from fnlint import isolation
    from fnlint.verify import session

    progress = progress or (lambda verified, done, total: None)
    analyse = [(source, "analyse", index) for index, source in enumerate(sources)]
    if not isolation.available():  # no fork: in-process, with the in-process timeout only
        _worker_start(batch)
        firsts = [_worker_verify(item) for item in analyse]
        found = session.verify([first.targets or [] for first in firsts], options, progress)
        return [_worker_verify(item) if item else first
                for first, item in zip(firsts, _judgements(sources, firsts, found))], found
    batch.rules()
    processes = max(1, min(jobs, len(sources) // PARALLEL_MINIMUM))
    with isolation.Pool(_guarded(batch, _worker_verify), processes, batch.timeout,
                        batch.memory_mb, start=lambda: _worker_start(batch)) as workers:
        answers, served = workers.map(analyse)
        firsts = [_answer(batch, source, answer) for source, answer in zip(sources, answers)]
        found = session.verify([first.targets or [] for first in firsts], options, progress)
        judge = _judgements(sources, firsts, found)
        todo = [i for i, item in enumerate(judge) if item]
        answers, _ = workers.map([judge[i] for i in todo], route=[served[i] for i in todo])
    results = list(firsts)
    for index, answer in zip(todo, answers):
        results[index] = _answer(batch, sources[index], answer)
    return results, found


def _judgements(sources: list, firsts: list, found) -> list:
    """The second round's item of each file: what Keras gave of its models, for the worker
    that keeps the file's analysis (None: the file is done, its analysis failed)."""
    return [(source, "judge", index, [verified.outcome for verified in group])
            if first.targets is not None else None
            for index, (source, first, group) in enumerate(zip(sources, firsts, found.groups))]


def _worker_verify(item: tuple) -> FileResult:
    """Verify mode in a worker: "analyse" a file (kept here, its recipes sent back), then
    "judge" what Keras gave of its models."""
    from fnlint.verify import outcome, recipe

    batch, kept = _WORKER["batch"], _WORKER.setdefault("kept", {})
    source, step, index = item[:3]
    if step == "judge" and index not in kept:  # its worker died since: analysed again
        _worker_verify((source, "analyse", index))
    if step == "analyse":
        report = timed(lambda: lint_file(source, _WORKER["rules"], batch.markdown_extensions,
                                         target=batch.config.keras), source.path, batch.timeout)
        usable = report.analysis is not None and report.analysis.module is not None
        kept[index] = report, recipe.targets(report.analysis) if usable else []
        return FileResult(source.path, [], report.skipped,
                          targets=[recipe.plain(target) for target in kept[index][1]])
    report, targets = kept.pop(index)
    judge(report, _WORKER["rules"],
          [outcome.read(target, answer) for target, answer in zip(targets, item[3])])
    return result_of(finish(report, batch.config))


def verify_reports(reports: list, rules: list, options, progress=None):
    """Verify every model of the reports' analyses in Keras, in this process, and append the
    verify rules' findings to each report's (raw) findings; the session."""
    from fnlint.verify import recipe, session

    found = session.verify([recipe.targets(report.analysis) if report.analysis is not None and
                            report.analysis.module is not None else [] for report in reports],
                           options, progress or (lambda verified, done, total: None))
    for report, group in zip(reports, found.groups):
        judge(report, rules, group)
    return found


def judge(report: FileReport, rules: list, verified: list) -> None:
    """The verify rules' findings of what Keras gave of the report's models (`verified`),
    appended to its raw findings (a failing rule's: an FN000)."""
    from fnlint.rules import run_rules

    for each in verified:
        report.findings.extend(run_rules(rules, report.analysis, each))


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
