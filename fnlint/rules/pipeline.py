"""FN000 and FN001: codes the pipeline reports itself (the runner when a file cannot be
analyzed, the suppression pass for comments that suppress nothing).  No rule checks a graph for
them, but they are documented, listed and explained like every rule."""

from __future__ import annotations

from fnlint.rules import Rule


class PipelineCode(Rule):
    """A code reported outside the rules: `check` finds nothing, the documentation is real."""

    def check(self, facts):
        return iter(())


class AnalysisError(PipelineCode):
    """## What it does
    Reports a file fnlint could not analyze.  The causes: a syntax error, an undecodable or
    binary file, a wrong encoding cookie, an invalid notebook, a file too large or nested too
    deeply, an analysis that ran past `--file-timeout`, or an internal error of fnlint.

    ## Why is this bad?
    Nothing in the file was checked, so a clean report would be a lie.  The finding says why,
    the other files are still analyzed, and the run exits 2 (even with `--exit-zero`).  It
    cannot be ignored or selected away: fix the file, exclude it (`exclude = [...]`), or skip
    it with a `# fnlint: skip-file` line.

    ## Example
    ```python
    def build(:
        return keras.Sequential()
    ```
    Use instead: valid Python (`def build():`).  An internal error comes with a request to
    report the file to fnlint.
    """

    code = "FN000"
    name = "analysis-error"
    severity = "error"


class UnusedSuppression(PipelineCode):
    """## What it does
    Reports a `# noqa: FN...` or `# fnlint: ignore[...]` comment that suppresses nothing
    (off unless selected: `--extend-select FN001`, like ruff's RUF100).

    ## Why is this bad?
    A stale suppression hides the next real finding on its line, and tells readers a problem
    is there when it is not.

    ## Example
    ```python
    units = 8  # noqa: FN201
    ```
    Use instead: remove the comment, or name the code that is really reported on the line.
    """

    code = "FN001"
    name = "unused-suppression"
    severity = "info"


CODES = (AnalysisError(), UnusedSuppression())
