"""Command line: `fnlint PATH...` (= `fnlint check PATH...`) and `fnlint summary PATH...`.

Exit codes: 0 nothing found, 1 findings, 2 usage error or a file that could not be analyzed.
Heavy modules (libcst, networkx, rich) are imported inside the commands so that
`fnlint --version` starts fast.
"""

from __future__ import annotations

import sys

import click

from fnlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultCheckGroup(click.Group):
    """A group where a first argument that is not a command means `check`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                     "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultCheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fnlint")
def main() -> None:
    """fnlint: a static graph analyzer and linter for Keras functional-API model code.

    `fnlint PATH...` is the same as `fnlint check PATH...`.
    """


def _codes(values) -> list:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _selected(code: str, select: list, ignore: list) -> bool:
    if code == "FN000":
        return True
    if select and not any(code.startswith(prefix) for prefix in select):
        return False
    return not any(code.startswith(prefix) for prefix in ignore)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["concise", "json"]),
              default="concise", show_default=True, help="How findings are printed.")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching this pattern (repeatable).")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only report these codes or prefixes, e.g. FN1,FN402.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Do not report these codes or prefixes.")
def check(paths, output_format, exclude, select, ignore) -> None:
    """Lint Keras model code and report findings."""
    from fnlint.reporters import concise, json_findings
    from fnlint.rules import all_rules
    from fnlint.runner import check_file
    from fnlint.sources import discover

    select, ignore = _codes(select), _codes(ignore)
    rules = [rule for rule in all_rules() if _selected(rule.code, select, ignore)]
    findings, checked, skipped = [], 0, 0
    for source in discover(paths, exclude):
        report = check_file(source, rules)
        if report.skipped:
            skipped += 1
            continue
        checked += 1
        findings.extend(f for f in report.findings if _selected(f.code, select, ignore))
    renderer = json_findings if output_format == "json" else concise
    sys.stdout.write(renderer.render(findings))
    sys.stdout.flush()
    if output_format == "concise":
        counts = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
        click.echo(f"{counts} in {checked} file{'s' if checked != 1 else ''} "
                   f"({skipped} skipped: no Keras)", err=True)
    sys.exit(_exit_code(findings))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True)
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip files and folders matching this pattern (repeatable).")
@click.option("--stats", is_flag=True,
              help="Only count the models resolved completely, partly or not at all, and why.")
def summary(paths, output_format, exclude, stats) -> None:
    """Print every model's layers, output shapes and parameter counts, like model.summary()."""
    from fnlint.analyzer.summary import summarize
    from fnlint.reporters import concise
    from fnlint.runner import analyze_file
    from fnlint.sources import discover

    summaries, problems, files = [], [], 0
    for source in discover(paths, exclude):
        report = analyze_file(source)
        problems.extend(report.findings)
        files += not report.skipped
        if report.analysis is not None and report.analysis.module is not None:
            summaries.extend(summarize(report.analysis))
    if stats:
        from fnlint.reporters import stats as stats_report

        sys.stdout.write(stats_report.render(summaries, files))
    elif output_format == "json":
        from fnlint.reporters import summary_json

        sys.stdout.write(summary_json.render(summaries))
    else:
        from rich.console import Console

        from fnlint.reporters import summary_table

        summary_table.render(summaries, Console(width=None if sys.stdout.isatty() else 110))
    sys.stdout.flush()
    if problems:
        sys.stderr.write(concise.render(problems))
    sys.exit(EXIT_ERROR if any(f.code == "FN000" for f in problems) else EXIT_CLEAN)


@main.command("rules")
def list_rules() -> None:
    """List every rule: code, name, severity and what it reports."""
    from fnlint.reporters import rule_docs
    from fnlint.rules import all_rules

    sys.stdout.write(rule_docs.render_list(all_rules()))


@main.command()
@click.argument("code")
def explain(code) -> None:
    """Explain one rule (`fnlint explain FN301`): what it does, why, an example and the fix."""
    from fnlint.reporters import rule_docs
    from fnlint.rules import all_rules

    rules = {rule.code: rule for rule in all_rules()}
    rules.update({rule.name: rule for rule in all_rules()})
    rule = rules.get(code.upper()) or rules.get(code.lower())
    if rule is None:
        raise click.UsageError(f"no rule {code!r}; `fnlint rules` lists them")
    sys.stdout.write(rule_docs.render_explanation(rule))


def _exit_code(findings: list) -> int:
    if any(f.code == "FN000" for f in findings):
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_CLEAN
