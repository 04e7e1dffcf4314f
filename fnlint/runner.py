"""Runs the pipeline over files: read → program (Python, notebook or Markdown) → analyze → rules
→ suppressions and configuration.  Each file is independent: a failure in one becomes an FN000
finding for it and the others are still analyzed."""

from __future__ import annotations

import dataclasses
import importlib
import os
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from fnlint import collector, documents, suppression
from fnlint.config import Config
from fnlint.findings import analysis_error, internal_error, one_per_site
from fnlint.sources import SourceFile, Unreadable, read, read_bytes

if TYPE_CHECKING:
    from fnlint.analyzer import ModuleAnalysis

@dataclass
class FileReport:
    path: str
    analysis: Optional["ModuleAnalysis"] = None
    findings: list = field(default_factory=list)
    skipped: bool = False
    program: Optional[documents.Program] = None
    text: Optional[str] = None  # the file as read (for code frames and fixes)
    kind: str = "python"  # python, notebook or markdown
    encoding: str = "utf-8"
    bom: bool = False
    over_budget: bool = False  # stopped by the time or memory limit: never cached


def kind_of(path: str, markdown_extensions=()) -> str:
    lower = path.lower()
    if lower.endswith(documents.NOTEBOOK_EXTENSIONS):
        return "notebook"
    if lower.endswith(documents.MARKDOWN_EXTENSIONS + tuple(markdown_extensions)):
        return "markdown"
    return "python"


def analyze_file(source: SourceFile, markdown_extensions=(".txt",), parse=None,
                 target: str = "3") -> FileReport:
    """Read and analyze one file for a project that targets Keras `target`; never raises.
    Plain `.txt` posts are read as Markdown whose unfenced code counts too.  `parse`: as in
    `analyze_source`."""
    report = FileReport(source.path)
    result = read(source)
    if result.skipped:
        report.skipped = True
        return report
    if result.text is None:
        report.findings.append(analysis_error(source.path, result.error, result.line))
        return report
    report.text, report.encoding, report.bom = result.text, result.encoding, result.bom
    kind = report.kind = kind_of(source.path, markdown_extensions)
    try:
        if kind == "notebook":
            program = documents.notebook(result.text)
        elif kind == "markdown":
            loose = not source.path.lower().endswith(documents.MARKDOWN_EXTENSIONS)
            program = documents.markdown(result.text, loose=loose)
        else:
            program = documents.Program(result.text)
    except documents.DocumentError as err:
        report.findings.append(analysis_error(source.path, str(err)))
        return report
    report.program = program
    from fnlint.analyzer import analyze_source  # libcst and networkx: only for files analyzed

    try:
        analysis = analyze_source(program.text, source.path, parse, target=target)
    except MemoryError:  # the worker's address-space limit
        report.findings.append(analysis_error(
            source.path, "analysis stopped: the file needs more memory than the analysis may "
                         "use; it is too large or too deeply nested to analyze"))
        report.over_budget = True
        return report
    except Exception as err:  # noqa: BLE001 - one file's internal error must not stop the run
        report.findings.append(internal_error(source.path, err))
        return report
    if program.partial:
        analysis.names_complete = False
    analysis.fragments = kind == "markdown"
    if program.dropped:
        analysis.hidden_code = "\n".join(program.dropped)
        analysis.hidden_names = frozenset(documents.bound_names(program.dropped))
    report.analysis = analysis
    report.findings.extend(analysis.diagnostics)
    report.findings.extend(analysis_error(source.path, m, line, column)
                           for line, column, m in program.errors)
    return report


def check_file(source: SourceFile, rules: list, config: Optional[Config] = None,
               markdown_extensions=(".txt",), timeout: Optional[float] = None) -> FileReport:
    """Analyze one file, run the rules, and apply suppressions and the configuration.  A file
    whose analysis takes longer than `timeout` seconds gets an FN000 instead of a hang."""
    try:
        with time_limit(timeout):
            report = lint_file(source, rules, markdown_extensions,
                               target=config.keras if config is not None else "3")
    except FileTimeout:
        report = FileReport(source.path, findings=[over_budget(source.path, timeout)],
                            over_budget=True)
    return finish(report, config)


def over_budget(path: str, timeout: Optional[float], crash: Optional[str] = None,
                memory_mb: Optional[int] = None):
    """FN000 for a file whose analysis ran out of time, or crashed the process that analysed
    it (`crash`: how; the memory limit kills it too)."""
    if crash is None:
        return analysis_error(path, f"analysis stopped after {timeout:g} s (--file-timeout): "
                                    f"the file is too large or too deeply nested to analyze "
                                    f"in time")
    memory = f" or went over the {memory_mb} MB memory limit" if memory_mb else ""
    return analysis_error(path, f"analysis stopped: it crashed{memory} ({crash}); the file is "
                                f"too large or too deeply nested to analyze")


class FileTimeout(BaseException):
    """Raised inside a file's analysis when its time is up (a BaseException so that no
    `except Exception` of the analysis swallows it)."""


@contextmanager
def time_limit(seconds: Optional[float]):
    """Interrupt the block after `seconds` (main thread on POSIX only; elsewhere, no limit)."""
    usable = seconds and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise FileTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def lint_file(source: SourceFile, rules: list, markdown_extensions=(".txt",),
              parse=None, target: str = "3") -> FileReport:
    """Analyze one file and run the rules; the findings are raw until `finish`."""
    report = analyze_file(source, markdown_extensions, parse, target=target)
    if report.analysis is not None and report.analysis.module is not None and \
            not suppression.skip_file(report.program.text):
        from fnlint.analyzer import deep_recursion
        from fnlint.rules import run_rules

        with deep_recursion():
            report.findings.extend(run_rules(rules, report.analysis))
        report.findings = one_per_site(report.findings)
    return report


def finish(report: FileReport, config: Optional[Config] = None) -> FileReport:
    """Apply suppression comments and the configuration to a report's findings, place them in
    their notebook cells, and sort them."""
    config = config or Config()
    text = report.program.text if report.program is not None else ""
    if report.program is not None and suppression.skip_file(text):
        report.findings = []
        return report
    comments = suppression.parse(text)
    findings = suppression.apply(report.findings, comments)
    if config.selected(suppression.UNUSED_CODE):
        findings.extend(suppression.unused(report.path, comments))
    findings = [f for f in findings if config.selected(f.code) and
                not config.ignored_in(report.path, f.code)]
    findings = [dataclasses.replace(f, severity=config.severity[f.code])
                if f.code in config.severity else f for f in findings]
    findings = _with_text_fixes(report, findings)
    if report.program is not None and report.program.cells is not None:
        findings = [_in_cell(f, report.program) for f in findings]
    report.findings = sorted(findings, key=lambda f: f.sort_key())
    return report


def _with_text_fixes(report: FileReport, findings: list) -> list:
    """Each fix also as text edits of the file, for the JSON and SARIF reports (and the cache,
    which keeps no syntax tree)."""
    if report.kind != "python" or report.analysis is None or report.analysis.module is None:
        return findings
    from fnlint.fixes import text_fixes

    return text_fixes(report.analysis, findings)


def _in_cell(finding, program):
    cell, line = program.locate(finding.line)
    end_cell, end_line = program.locate(finding.end_line or finding.line)
    in_file = program.file_location(cell, line, finding.column) if cell is not None else None
    return dataclasses.replace(finding, cell=cell, line=line,
                               end_line=end_line if end_cell == cell else line,
                               file_line=in_file[0] if in_file else None,
                               file_column=in_file[1] if in_file else None)


def summarize_report(report: FileReport) -> list:
    """The model summaries of an analyzed file (for `summary` and `graph`); a failure becomes
    an FN000 of that file, appended to its findings, and the other files still print."""
    if report.analysis is None or report.analysis.module is None:
        return []
    from fnlint.analyzer.summary import summarize

    try:
        return summarize(report.analysis)
    except Exception as err:  # noqa: BLE001 - one file's internal error must not stop the run
        report.findings.append(internal_error(report.path, err, "summary"))
        return []


@dataclass
class FileResult:
    """What the report needs of one checked file: light enough to cache and to send back from a
    worker process."""

    path: str
    findings: list
    skipped: bool = False
    frames: dict = field(default_factory=dict)  # cell (None for plain files) -> source lines


def frames_of(report: FileReport) -> dict:
    """Source lines for the code frames of the full report (only of files with findings)."""
    program = report.program
    if not report.findings or program is None:
        return {}
    if program.cells is not None:
        return {cell: text.split("\n") for cell, text in program.cell_texts.items()}
    return {None: report.text.split("\n")} if report.text is not None else {}


FILE_MEMORY_MB = 2048  # model code needs tens of MB; a parser blow-up needs gigabytes


@dataclass
class Batch:
    """How to check many files: what `check_many` needs in every worker process."""

    config: Config
    markdown_extensions: tuple = (".txt",)
    only_verify: bool = False
    timeout: Optional[float] = None
    cache_root: Optional[str] = None  # None: no cache
    memory_mb: Optional[int] = FILE_MEMORY_MB  # address space one file's analysis may add

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


def check_uncached(batch: Batch, source: SourceFile, rules: list, cache=None,
                   key=None) -> FileResult:
    """Check one file and store the result under `key` in the cache."""
    from fnlint import cache as caching

    report = check_file(source, rules, batch.config, batch.markdown_extensions, batch.timeout)
    result = FileResult(source.path, report.findings, report.skipped, frames_of(report))
    if cache is not None and key is not None and not report.over_budget:
        cache.put(key, {"findings": [caching.encode_finding(f) for f in result.findings],
                        "skipped": result.skipped,
                        "frames": {"" if k is None else str(k): v
                                   for k, v in result.frames.items()}})
    return result


_WORKER: dict = {}


def _worker_start(batch: Batch) -> None:
    _WORKER["batch"] = batch
    _WORKER["rules"] = batch.rules()
    _WORKER["cache"] = batch.cache()


def _worker_check(job: tuple) -> FileResult:
    source, key = job
    return check_uncached(_WORKER["batch"], source, _WORKER["rules"], _WORKER["cache"], key)


def check_many(batch: Batch, sources: list, jobs: int = 1, advance=lambda: None) -> list:
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
    done = isolated(batch, [(source, key) for _, source, key in todo], _worker_check, jobs,
                    advance)
    for (index, _, _), result in zip(todo, done):
        results[index] = result if not isinstance(result, FileReport) else \
            FileResult(result.path, result.findings)
    return results


def isolated(batch: Batch, jobs_list: list, check, jobs: int = 1, advance=lambda: None) -> list:
    """`check((source, key))` for every job, in worker processes forked from here (so they
    share the analyzer and rules imported once) under the batch's time and memory budget;
    with `jobs` > 1 and enough files, in that many.  A job whose worker crashed or ran out of
    time gets a (finished) FileReport with that FN000 instead of its result.  `advance()` is
    called as each job is done (for the progress bar)."""
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
            path = job[0].path
            return finish(FileReport(path, findings=[internal_error(path, err)]), batch.config)

    processes = max(1, min(jobs, len(jobs_list) // PARALLEL_MINIMUM))
    answers = isolation.run(jobs_list, guarded, processes, batch.timeout, batch.memory_mb,
                            start=lambda: _worker_start(batch), advance=advance)
    return [finish(FileReport(source.path, findings=[over_budget(
                source.path, batch.timeout, None if answer.timed_out else answer.how,
                batch.memory_mb)], over_budget=True), batch.config)
            if isinstance(answer, isolation.Failure) else answer
            for (source, _), answer in zip(jobs_list, answers)]


def screened(batch: Batch, sources: list, jobs: int = 1) -> dict:
    """{path: its finished FileReport with the FN000} for the sources whose check crashed or
    ran out of time or memory in a worker.  For the commands that need each file's analysis
    in this process (summary, graph, verify, --fix): they analyse the other files, known to
    finish, and report these.  Costs a second analysis of each file, in parallel with `jobs`."""
    todo = [(source, None) for source in sources]
    answers = isolated(batch, todo, _worker_screen, jobs)
    return {source.path: answer for (source, _), answer in zip(todo, answers)
            if answer is not None}


def _worker_screen(job: tuple) -> Optional[FileReport]:
    source, _ = job
    batch = _WORKER["batch"]
    report = check_file(source, _WORKER["rules"], batch.config, batch.markdown_extensions,
                        batch.timeout)
    return FileReport(report.path, findings=report.findings, over_budget=True) \
        if report.over_budget else None


PARALLEL_MINIMUM = 4  # files per process below which starting processes costs more than it saves


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 1)
