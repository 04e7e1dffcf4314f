"""Command line: `fnlint PATH...` (= `fnlint check PATH...`) and `fnlint summary PATH...`.

Exit codes: 0 nothing at or above `fail-on` (default warning), 1 findings at or above it, 2 a
configuration or usage error or a file that could not be analyzed (even with `--exit-zero`).
Heavy modules (libcst, networkx, rich) are imported inside the commands so that
`fnlint --version` starts fast.
"""

from __future__ import annotations

import sys

import click

from fnlint import __version__
from fnlint.reporters import FORMATS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FILE_TIMEOUT = 10.0  # seconds of analysis per file (check's --file-timeout; summary, graph)


class DefaultCheckGroup(click.Group):
    """A group where a first argument that is not a command means `check`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                     "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        from fnlint.rules import PluginError

        try:
            return super().invoke(ctx)
        except PluginError as err:
            click.echo(f"fnlint: {err}", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=DefaultCheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fnlint")
def main() -> None:
    """fnlint: a static graph analyzer and linter for Keras functional-API model code.

    `fnlint PATH...` is the same as `fnlint check PATH...`.
    """


def load_config(paths, config_file, select=(), ignore=(), extend_select=(), fail_on=None,
                target_keras=None):
    """`config.read_config`; configuration errors exit 2 with a clear message."""
    from fnlint.config import ConfigError, read_config

    try:
        return read_config(paths, config_file, select, ignore, extend_select, fail_on,
                           target_keras)
    except ConfigError as err:
        click.echo(f"fnlint: configuration error: {err}", err=True)
        sys.exit(EXIT_ERROR)


REPORT_OPTIONS = [
    click.argument("paths", nargs=-1, required=True, type=click.Path()),
    click.option("--format", "--output-format", "output_format", type=click.Choice(FORMATS),
                 default=None,
                 help="How findings are printed [default: full on a terminal, else concise]; "
                      "`--output-format` is ruff's spelling."),
    click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
                 help="Write the report to this file instead of standard output."),
    click.option("--docs-url", envvar="FNLINT_DOCS_URL", default=None, metavar="URL",
                 help="Where the rule pages (docs/rules/FNxxx.md) are published, e.g. your "
                      "repository's .../blob/main/docs/rules: SARIF links each rule there."),
    click.option("--statistics", is_flag=True,
                 help="Print the number of findings per code instead of the findings."),
    click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
                 default=None, help="Use this pyproject.toml (or fnlint.toml)."),
    click.option("--exclude", multiple=True, metavar="GLOB",
                 help="Skip files and folders matching this pattern (repeatable)."),
    click.option("--force-exclude", is_flag=True,
                 help="Apply the excludes and .gitignore to files named on the command line "
                      "too (as pre-commit names them), as ruff does."),
    click.option("--no-respect-gitignore", "ignore_gitignore", is_flag=True,
                 help="Also lint the files .gitignore ignores."),
    click.option("--select", multiple=True, metavar="CODES",
                 help="Only report these codes or prefixes, e.g. FN1,FN402."),
    click.option("--extend-select", multiple=True, metavar="CODES",
                 help="Report these codes too (e.g. FN001, off by default)."),
    click.option("--ignore", multiple=True, metavar="CODES",
                 help="Do not report these codes or prefixes."),
    click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
                 help="Lowest severity that makes the exit code 1 [default: warning]."),
    click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported."),
    click.option("--quiet", "-q", is_flag=True,
                 help="Print the findings only: no summary line, progress or fix counts."),
    click.option("--markdown-ext", multiple=True, metavar="EXT",
                 help="Also read files with this extension as Markdown (e.g. .txt)."),
    click.option("--stdin-filename", default=None,
                 help="The path to report for the code read from standard input (`-`)."),
    click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                 help="Processes checking files in parallel [default: the number of cores]; "
                      "in verify mode, worker processes [default: 1]."),
    click.option("--no-cache", is_flag=True,
                 help="Analyze every file, ignoring and not writing .fnlint_cache/."),
    click.option("--file-timeout", type=click.FloatRange(min=0.1), default=FILE_TIMEOUT,
                 show_default=True, help="Seconds one file's analysis may take before it is "
                                         "reported as FN000 instead."),
    click.option("--follow-symlinks", is_flag=True,
                 help="Read named files that are symlinks to outside the working directory."),
    click.option("--target-keras", type=click.Choice(["3", "2", "auto"]), default=None,
                 help="The Keras the code is written for [default: the target-keras setting, "
                      "else auto: read from the project's declared dependencies]."),
]
FIX_OPTIONS = [
    click.option("--fix", is_flag=True, help="Apply the safe fixes to the files (atomically)."),
    click.option("--unsafe-fixes", is_flag=True,
                 help="Also apply fixes that change behaviour (with --fix or --diff)."),
    click.option("--diff", is_flag=True,
                 help="Print the fixes as a diff instead of applying them."),
    click.option("--show-fixes", is_flag=True,
                 help="List the findings fixed (with --fix) or fixable, per file and code."),
]
VERIFY_OPTIONS = [
    click.option("--timeout", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
                 help="Verify mode: seconds each model may take to build and train."),
    click.option("--steps", type=click.IntRange(min=1), default=5, show_default=True,
                 help="Verify mode: training steps per compile."),
    click.option("--memory-limit", type=click.IntRange(min=64), default=8192,
                 show_default=True, metavar="MB",
                 help="Verify mode: memory a worker may use before it is stopped."),
]


def _with(options):
    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


@main.command()
@_with(REPORT_OPTIONS + FIX_OPTIONS + [click.option(
    "--verify", "verifying", is_flag=True,
    help="Also build and train every resolved model in real Keras (needs the verify "
         "extra)."), click.option(
    "--show-settings", is_flag=True,
    help="Print the settings resolved for the paths (which Keras is targeted and why) "
         "and exit.")] + VERIFY_OPTIONS)
def check(show_settings=False, **options) -> None:
    """Lint Keras model code (Python files, notebooks, Markdown) and report findings."""
    if options["verifying"] and (options["fix"] or options["diff"]):
        raise click.UsageError("--verify cannot be combined with --fix or --diff")
    if show_settings:
        _show_settings(options)
        return
    _lint(**options)


def _show_settings(options) -> None:
    """The resolved settings, as `[tool.fnlint]` keys (ruff's `--show-settings`)."""
    from fnlint import catalog
    from fnlint import config as configuration

    paths = options["paths"]
    config = load_config(paths, options["config_file"], options["select"], options["ignore"],
                         options["extend_select"], options["fail_on"], options["target_keras"])
    found = options["config_file"] or configuration.find(
        next((p for p in paths if p != "-"), "."))
    lines = [f"# fnlint {__version__} settings for {' '.join(paths)}",
             f"# configuration: {found or 'none found (defaults)'}",
             f"select = {config.select!r}", f"ignore = {config.ignore!r}",
             f"extend-select = {config.extend_select!r}", f"exclude = {config.exclude!r}",
             f"fail-on = {config.fail_on!r}",
             f"markdown-extensions = {config.markdown_extensions!r}",
             f"per-file-ignores = {config.per_file_ignores!r}",
             f"severity = {config.severity!r}", f"rule-options = {config.rule_options!r}",
             f"target-keras = {config.target_keras!r}",
             f"# targeted: Keras {config.keras} ({config.keras_reason})",
             f"# checked against: keras {catalog.surface_version(catalog.KERAS3)} (Keras 3 "
             f"and its tf.keras), tf_keras {catalog.surface_version('keras2')} (Keras 2)"]
    click.echo("\n".join(line.replace("'", '"') for line in lines))


@main.command()
@_with(REPORT_OPTIONS + VERIFY_OPTIONS)
def verify(**options) -> None:
    """Rebuild every model fnlint resolved in real Keras and train it a few steps on synthetic
    data (the script itself is never run); report what Keras says (FN8xx)."""
    _lint(**options, verifying=True, only_verify=True, fix=False, unsafe_fixes=False,
          diff=False)


def use_color(stream) -> bool:
    """Colour on a terminal; `NO_COLOR` (no-color.org) turns it off and `FORCE_COLOR` on, when
    set to anything but the empty string (NO_COLOR wins)."""
    import os

    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def terminal_width() -> int:
    """The terminal's columns (`COLUMNS` wins, as for every tool), else 100."""
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def _lint(paths, output_format, output, docs_url, statistics, config_file, exclude,
          force_exclude, ignore_gitignore, select,
          extend_select, ignore, fail_on, exit_zero, quiet, markdown_ext, stdin_filename, jobs,
          no_cache, file_timeout, follow_symlinks, target_keras, fix, unsafe_fixes, diff,
          verifying, timeout, steps, memory_limit, show_fixes=False, only_verify=False) -> None:
    import time

    import os

    from fnlint import pipeline
    from fnlint.progress import FileProgress
    from fnlint.reporters import Run, renderer
    from fnlint.sources import SourceFile, discover

    started = time.perf_counter()
    config = load_config(paths, config_file, select, ignore, extend_select, fail_on,
                         target_keras)
    extensions = tuple(config.markdown_extensions) + tuple(
        e if e.startswith(".") else f".{e}" for e in markdown_ext)
    batch = pipeline.Batch(config, (".txt",) + extensions, only_verify, file_timeout,
                           None if no_cache or verifying or fix or diff else os.getcwd())
    if fix or diff:
        from fnlint import fixing

        batch.fixing = fixing.Request(unsafe_fixes, diff)
    # Loading the rules imports the analyzer: a run served by the cache does without them.
    rules = batch.rules() if verifying or fix or diff or output_format == "sarif" else []
    sources = []
    if "-" in paths:
        from fnlint.sources import MAX_BYTES

        # Bytes, decoded as a file is (its coding cookie, a BOM), within the same 5 MB.
        sources.append(SourceFile(stdin_filename or "<stdin>", True,
                                  data=sys.stdin.buffer.read(MAX_BYTES + 1), stdin=True))
    sources += discover([p for p in paths if p != "-"], list(exclude) + config.exclude,
                        extensions, force_exclude, not ignore_gitignore, follow_symlinks)
    if output_format == "sarif":  # every code's metadata, FN000 and FN001 included
        from fnlint.rules import documented_rules

        run = Run([], rules=documented_rules(config.rule_options), docs_url=docs_url)
    else:
        run = Run([], rules=rules)
    run.unsafe_fixes = unsafe_fixes
    diffs, session, fixed, fixed_stdin = [], None, [], None
    if verifying:
        results, session = _verify(batch, sources, timeout, steps, memory_limit, jobs)
    else:
        with FileProgress("fixing" if fix or diff else "checking", len(sources),
                          quiet=quiet) as progress:
            results = pipeline.run(batch, sources, jobs or pipeline.default_jobs(),
                                   progress.advance)
    if fix or diff:
        from fnlint import fixing

        settled = fixing.settle(results, quiet)
        for message in settled.messages:
            click.echo(message, err=True)
        results, diffs, fixed, fixed_stdin = (settled.results, settled.diff, settled.fixed,
                                              settled.stdin_text)
    for result in results:
        if result.skipped:
            run.skipped += 1
            continue
        run.files += 1
        run.findings.extend(result.findings)
        run.sources.update({(result.path, cell): lines for cell, lines in result.frames.items()})
    run.seconds = time.perf_counter() - started
    if diff:
        sys.stdout.write("".join(diffs))
        sys.exit(EXIT_FINDINGS if diffs else EXIT_CLEAN)
    if show_fixes:
        _show_fixes(fixed if fix else [f for f in run.findings if run.fixable(f)], fix)
    if fixed_stdin is not None:  # the code on standard output, what is left on standard error
        sys.stdout.write(fixed_stdin)
        sys.stdout.flush()
        sys.stderr.write(renderer("concise").render(run))
        if not quiet:
            click.echo(run.summary_line(), err=True)
        sys.exit(_exit_code(run.findings, config, exit_zero))
    output_format = output_format or ("full" if sys.stdout.isatty() and not output
                                      else "concise")
    if statistics:  # counts per code instead of the findings, as in ruff
        from fnlint.reporters import statistics as counts

        text = counts.render(run.findings)
    elif output_format == "full":
        text = renderer("full").render(run, color=use_color(sys.stdout) and not output,
                                       width=terminal_width() if not output else 100,
                                       summary=not quiet)
    else:
        text = renderer(output_format).render(run)
    # A lone surrogate of a linted string (`'\ud800'`) is written as its escape, not a crash.
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if output:
        from fnlint.atomic import write_atomically

        try:
            write_atomically(output, text)
        except OSError as err:
            click.echo(f"fnlint: cannot write the report to {output}: "
                       f"{err.strerror or err}", err=True)
            sys.exit(EXIT_ERROR)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if session is not None:
        _print_verify_table(session, to_stdout=output_format in ("full", "concise")
                            and not output and not statistics)
    if output_format == "concise" and not quiet:
        click.echo(run.summary_line(), err=True)
        if run.fixable_line():
            click.echo(run.fixable_line(), err=True)
    if session is not None and session.failed():
        click.echo(f"fnlint: {len(session.failed())} model(s) could not be verified (timed out, "
                   f"over the memory limit or crashed the worker)", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(_exit_code(run.findings, config, exit_zero))


def _verify(batch, sources, timeout, steps, memory_limit, jobs) -> tuple:
    """(FileResults, session) of verify mode, with progress on standard error; exit 2 with
    the install hint when TensorFlow is missing."""
    from fnlint import pipeline
    from fnlint.verify import pool, session

    options = session.Options(steps=steps, timeout=timeout, jobs=jobs or 1,
                              memory_mb=memory_limit)
    analysing = jobs or pipeline.default_jobs()  # processes analysing the files
    try:
        if sys.stderr.isatty():
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("verifying models in Keras", total=None)

                def progress(verified, done, total):
                    bar.update(task, completed=done, total=total,
                               description=f"verified {verified.target.name}")
                return pipeline.verify_files(batch, sources, options, analysing, progress)

        def progress(verified, done, total):
            click.echo(f"verify {done}/{total}: {verified.target.path} "
                       f"{verified.target.name}: {verified.status} "
                       f"({verified.seconds:.1f} s)", err=True)
        return pipeline.verify_files(batch, sources, options, analysing, progress)
    except pool.Unavailable as err:
        click.echo(f"fnlint: {err}", err=True)
        sys.exit(EXIT_ERROR)


def _print_verify_table(session, to_stdout: bool) -> None:
    from rich.console import Console

    from fnlint.reporters import verify_table

    stream = sys.stdout if to_stdout else sys.stderr
    verify_table.render(session, Console(file=stream, width=None if stream.isatty() else 120))
    stream.flush()


def _show_fixes(findings: list, applied: bool) -> None:
    """ruff's enumeration: `Fixed 3 findings:` (or `Would fix`), then per file, per code."""
    if not findings:
        return
    per_file: dict = {}
    for f in findings:
        codes = per_file.setdefault(f.path, {})
        codes[(f.code, f.name)] = codes.get((f.code, f.name), 0) + 1
    lines = [f"{'Fixed' if applied else 'Would fix'} {len(findings)} "
             f"finding{'s' if len(findings) != 1 else ''}:"]
    for path, codes in per_file.items():
        lines.append(f"- {path}:")
        lines += [f"    {count} × {code} ({name})" for (code, name), count in sorted(codes.items())]
    click.echo("\n".join(lines), err=True)


def _models(paths, exclude, with_rules: bool = False) -> tuple:
    """(the model summaries, the findings, the files analyzed) of `summary` and `graph`, with
    `check`'s excludes; a file that fails costs that file only (an FN000 in the findings).
    With `with_rules`, the findings are the rules' too (the graph marks their layers)."""
    from fnlint import pipeline
    from fnlint.progress import FileProgress
    from fnlint.sources import discover

    config = load_config(paths, None)
    sources = discover(paths, list(exclude) + config.exclude)
    batch = pipeline.Batch(config, timeout=FILE_TIMEOUT, summaries=True, rules_run=with_rules)
    with FileProgress("analyzing", len(sources)) as progress:
        results = pipeline.run(batch, sources, pipeline.default_jobs(), progress.advance)
    return ([s for result in results for s in result.summaries],
            [f for result in results for f in result.findings],
            sum(not result.skipped for result in results))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True)
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching this pattern (repeatable).")
@click.option("--stats", is_flag=True,
              help="Only count the models resolved completely, partly or not at all, and why.")
@click.option("--symbolic", is_flag=True,
              help="Show sizes that depend on the inputs' free sizes as expressions "
                   "(`floor((image.H - 1)/2) + 1`) instead of Keras' None.")
def summary(paths, output_format, exclude, stats, symbolic) -> None:
    """Print every model's layers, output shapes and parameter counts, like model.summary()."""
    from fnlint.reporters import concise_report

    summaries, problems, files = _models(paths, exclude)
    if stats:
        from fnlint.reporters import stats as stats_report

        sys.stdout.write(stats_report.render(summaries, files))
    elif output_format == "json":
        from fnlint.reporters import summary_json

        sys.stdout.write(summary_json.render(summaries))
    else:
        from rich.console import Console

        from fnlint.reporters import summary_table

        summary_table.render(summaries, Console(width=None if sys.stdout.isatty() else 110),
                             symbolic)
    sys.stdout.flush()
    if problems:
        sys.stderr.write(concise_report.render_findings(problems))
    sys.exit(EXIT_ERROR if any(f.code == "FN000" for f in problems) else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--model", "model_name", default=None, help="Only the model with this name or "
              "variable.")
@click.option("--format", "output_format", default="mermaid", show_default=True,
              type=click.Choice(["mermaid", "dot", "json", "svg", "png"]),
              help="svg and png are drawn by Graphviz's `dot`, when it is installed.")
@click.option("--output", "-o", "output_dir", type=click.Path(file_okay=False), default=None,
              help="Write one file per model into this folder instead of standard output.")
@click.option("--show-shapes/--hide-shapes", default=True, show_default=True,
              help="Output shapes on the layers.")
@click.option("--show-dtype", is_flag=True, help="Output dtypes on the layers.")
@click.option("--rankdir", type=click.Choice(["TB", "LR", "BT", "RL"]), default="TB",
              show_default=True, help="Direction: top to bottom, left to right...")
@click.option("--expand-nested", is_flag=True,
              help="Draw the layers of nested models inside a box for each.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching this pattern (repeatable).")
def graph(paths, model_name, output_format, output_dir, show_shapes, show_dtype, rankdir,
          expand_nested, exclude) -> None:
    """Draw each model as keras.utils.plot_model does: layers, classes and output shapes,
    shared layers and findings marked; one diagram per model."""
    from pathlib import Path

    from fnlint.reporters import concise_report, graph_report, graphviz

    every, findings, _ = _models(paths, exclude, with_rules=True)
    summaries = [s for s in every if s.rows]
    problems = [f for f in findings if f.code == "FN000"]
    if model_name is not None:
        summaries = [s for s in summaries if model_name in (s.name, s.variable)]
        if not summaries:
            raise click.UsageError(f"no model named {model_name!r} in {', '.join(paths)}")
    image = output_format in graphviz.IMAGE_FORMATS
    if image and len(summaries) > 1 and output_dir is None:
        raise click.UsageError(f"{len(summaries)} models: --format {output_format} draws one "
                               f"per file, give --output DIR (or --model NAME)")
    options = graph_report.Options(show_shapes, show_dtype, rankdir, expand_nested)
    diagrams = [graph_report.diagram(s, findings, options, every) for s in summaries]

    def content(diagram_):
        if image:
            return graphviz.render_image(graph_report.dot(diagram_, options), output_format)
        return graph_report.one(diagram_, output_format, options).encode("utf-8")

    try:
        if output_dir is not None:
            from fnlint.atomic import write_atomically

            folder = Path(output_dir)
            folder.mkdir(parents=True, exist_ok=True)
            extension = {"mermaid": "mmd"}.get(output_format, output_format)
            taken: set = set()
            for diagram_ in diagrams:
                target = folder / graph_report.file_name(diagram_.summary, extension, taken)
                # bytes through latin-1, which maps each byte to one character and back
                write_atomically(target, content(diagram_).decode("latin-1"), "latin-1")
                click.echo(f"wrote {target}", err=True)
        elif image:
            if diagrams:
                sys.stdout.buffer.write(content(diagrams[0]))
        else:
            sys.stdout.write(graph_report.document(diagrams, output_format, options))
    except graphviz.GraphvizError as err:
        click.echo(f"fnlint: {err}", err=True)
        sys.exit(EXIT_ERROR)
    sys.stdout.flush()
    if problems:
        sys.stderr.write(concise_report.render_findings(problems))
    sys.exit(EXIT_ERROR if problems else EXIT_CLEAN)


@main.command()
def server() -> None:
    """Run the language server (diagnostics, fixes, shapes on hover) over standard input and
    output, for editors; needs the server extra (`pip install 'fnlint[server]'`)."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError as err:
        click.echo(f"fnlint: the language server needs pygls and lsprotocol ({err}); "
                   f"install them with: pip install 'fnlint[server]'", err=True)
        sys.exit(EXIT_ERROR)
    from fnlint.server.protocol import serve

    serve()


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True)
def list_rules(output_format) -> None:
    """List every rule: code, name, severity and what it reports."""
    from fnlint.reporters import rule_docs
    from fnlint.rules import documented_rules

    render = rule_docs.render_json if output_format == "json" else rule_docs.render_list
    sys.stdout.write(render(documented_rules()))


@main.command()
@click.argument("code")
def explain(code) -> None:
    """Explain one rule (`fnlint explain FN301`): what it does, why, an example and the fix."""
    from fnlint.reporters import rule_docs
    from fnlint.rules import documented_rules

    rules = {rule.code: rule for rule in documented_rules()}
    rules.update({rule.name: rule for rule in documented_rules()})
    rule = rules.get(code.upper()) or rules.get(code.lower())
    if rule is None:
        raise click.UsageError(f"no rule {code!r}; `fnlint rules` lists them")
    sys.stdout.write(rule_docs.render_explanation(rule))


def _exit_code(findings: list, config, exit_zero: bool = False) -> int:
    """2 when a file could not be analyzed, 1 for findings at or above `fail-on`, else 0."""
    if any(f.code == "FN000" for f in findings):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(config.fails(f.severity) for f in findings) else EXIT_CLEAN
