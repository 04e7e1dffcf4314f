"""The ecosystem check, offline: released Keras source is a precision oracle.

The installed Keras (`keras/src`, the public `keras/*` API and the `keras/_tf_keras` surface
that `tf.keras` is) and TensorFlow's bundled Keras (`tensorflow/python/keras`) are linted by
`benchmarks/ecosystem.py --path`; every error or warning there must be one of the reviewed true
findings of `benchmarks/ecosystem_expected.toml`.  The packages are located with
`importlib.util.find_spec` of the top-level names only, which reads the file system and imports
nothing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SCRIPT = ROOT / "benchmarks" / "ecosystem.py"


def site_of(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{package} is not installed")
    return Path(list(spec.submodule_search_locations)[0]).parent


def run_check(tmp_path: Path, *trees: str) -> tuple:
    out = tmp_path / "results.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, str(SCRIPT), "--check", "--list",
                             "--json", str(out), *(f"--path={t}" for t in trees)],
                            capture_output=True, text=True, env=env, timeout=3600)
    return result, json.loads(out.read_text()) if out.exists() else {}


def test_installed_keras_sources_raise_no_unexpected_error_or_warning(tmp_path):
    keras_site = site_of("keras")
    tensorflow_site = site_of("tensorflow")
    result, figures = run_check(tmp_path, f"keras={keras_site}:keras",
                                f"tensorflow={tensorflow_site}:tensorflow/python/keras@2")
    assert figures["keras"]["files"] > 500  # keras/src, the API and the tf.keras surface
    assert figures["tensorflow"]["files"] > 50
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
