"""Helpers shared by the tests: the command line run in-process or as a subprocess, every
rule's findings on a file or a program, and the models a program builds."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize
from fnlint.cli import main
from fnlint.rules import all_rules
from fnlint.runner import check_file
from fnlint.sources import SourceFile

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"


def models_of(source: str, path: str = "example.py") -> dict:
    """Summaries of the models a source builds, by variable name (later ones win)."""
    return {s.variable: s for s in summarize(analyze_source(source, path))}


def seed_models(name: str) -> list:
    path = SEEDS / f"{name}.py"
    return summarize(analyze_source(path.read_text(encoding="utf-8"), str(path)))


def invoke(*args, **kwargs):
    """`fnlint ARGS` run in-process (click's CliRunner, `input=`, `env=`): its Result."""
    return CliRunner().invoke(main, [str(arg) for arg in args], **kwargs)


def run(*args, **kwargs) -> tuple:
    """`fnlint ARGS`: (exit code, stdout, stderr)."""
    result = invoke(*args, **kwargs)
    return result.exit_code, result.stdout, result.stderr


def process(*args, cwd=None, timeout=300, env=None, input=None):
    """`python -m fnlint ARGS` as a subprocess in `cwd` (`env`: added to this environment):
    its CompletedProcess, with text output."""
    return subprocess.run([sys.executable, "-m", "fnlint", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, input=input,
                          env={**os.environ, **(env or {})})


def check(*args, **kwargs) -> tuple:
    """`fnlint check --format concise ARGS`: (exit code, stdout, stderr)."""
    return run("check", "--format", "concise", *args, **kwargs)


def findings_of(path, **kwargs) -> list:
    """Every rule's findings on the file at `path` (Python, notebook or Markdown), named as on
    the command line; `kwargs` go to `check_file`."""
    return check_file(SourceFile(str(path), True), all_rules(), **kwargs).findings


def findings_in(source: str, path: str = "example.py") -> list:
    """Every rule's findings on a program given as (indented) text."""
    return check_file(SourceFile(path, True, text=textwrap.dedent(source)),
                      all_rules()).findings


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


