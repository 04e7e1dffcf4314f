"""The benchmark suite runs in its small configuration (N=100) with the full suite: it must
work and report every figure.  Its timings are read by people, never asserted (a loaded
machine would make such a test flaky)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_benchmark_runs_small_and_reports_every_figure(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes",
                             "100", "--fnlint-only", "--json", str(out)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text())
    generated = figures["corpora"]["generated_100"]
    assert generated["files"] == 100
    cold, warm = generated["tools"]["fnlint"], generated["tools"]["fnlint warm cache"]
    assert cold["exit"] == 0 and warm["exit"] == 0  # no file of the corpus is an FN000
    assert set(generated["split"]) == {"read", "parse", "analysis", "rules", "report"}
    assert set(figures["startup"]) == {"version", "one_file_cold", "one_file_warm"}
    assert len(figures["file_size"]) == 3
    assert "fnlint CPU / bare libcst parse" in result.stdout
