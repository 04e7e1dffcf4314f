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


def run_check(tmp_path: Path, *trees: str, options=()) -> tuple:
    out = tmp_path / "results.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, str(SCRIPT), "--check", "--list",
                             "--json", str(out), *options, *(f"--path={t}" for t in trees)],
                            capture_output=True, text=True, env=env, timeout=3600)
    return result, json.loads(out.read_text()) if out.exists() else {}


def test_a_reviewed_finding_passes_the_check_and_a_new_one_fails_it(tmp_path):
    package = tmp_path / "src" / "mini"
    package.mkdir(parents=True)
    (package / "typo.py").write_text("from keras import layers\nconv = layers.Conv2d(8, 3)\n")
    (package / "fine.py").write_text("from keras import layers\ndense = layers.Dense(8)\n")
    reviewed = tmp_path / "expected.toml"
    reviewed.write_text('[[finding]]\npackage = "mini"\nfile = "mini/typo.py"\nline = 2\n'
                        'code = "FN202"\nreason = "Conv2d is a typo of Conv2D"\n')
    tree = f"mini={tmp_path / 'src'}:mini"

    result, figures = run_check(tmp_path, tree, options=["--expected", str(reviewed)])
    assert result.returncode == 0, result.stdout
    assert figures["mini"]["files"] == 2
    assert [(f["path"], f["line"], f["code"]) for f in figures["mini"]["findings"]] == \
        [("mini/typo.py", 2, "FN202")]
    assert "0 unexpected" in result.stdout

    baseline = tmp_path / "before.json"
    (tmp_path / "results.json").rename(baseline)
    (package / "fine.py").write_text("from keras import layers\ndense = layers.Dens(8)\n")
    result, _ = run_check(tmp_path, tree, options=["--expected", str(reviewed),
                                                   "--baseline", str(baseline)])
    assert result.returncode == 1
    assert "1 unexpected error/warning finding" in result.stdout
    assert "mini/fine.py:2" in result.stdout  # listed, and new since the baseline
    assert "mini: FN202 +1/-0" in result.stdout


def test_an_entry_no_longer_reported_is_called_stale(tmp_path):
    package = tmp_path / "src" / "mini"
    package.mkdir(parents=True)
    (package / "fine.py").write_text("from keras import layers\ndense = layers.Dense(8)\n")
    reviewed = tmp_path / "expected.toml"
    reviewed.write_text('[[finding]]\npackage = "mini"\nfile = "mini/fine.py"\nline = 2\n'
                        'code = "FN202"\nreason = "was a typo"\n')
    result, _ = run_check(tmp_path, f"mini={tmp_path / 'src'}:mini",
                          options=["--expected", str(reviewed)])
    assert result.returncode == 0
    assert "stale expected entry (no longer reported): mini mini/fine.py:2 FN202" in result.stdout


def test_every_reviewed_true_finding_has_a_reason():
    sys.path.insert(0, str(SCRIPT.parent))
    import ecosystem

    for entry in ecosystem.load_expected():
        assert entry["package"] in ecosystem.PACKAGES, entry
        assert len(entry["reason"].split()) >= 5, entry


@pytest.mark.slow  # a benchmark run: 1-2 min on 395k lines of Keras and TensorFlow
def test_installed_keras_sources_raise_no_unexpected_error_or_warning(tmp_path):
    keras_site = site_of("keras")
    tensorflow_site = site_of("tensorflow")
    if not (tensorflow_site / "tensorflow" / "python" / "keras").is_dir():
        pytest.skip("this TensorFlow bundles no tensorflow/python/keras")
    result, figures = run_check(tmp_path, f"keras={keras_site}:keras",
                                f"tensorflow={tensorflow_site}:tensorflow/python/keras@2")
    assert figures["keras"]["files"] > 500  # keras/src, the API and the tf.keras surface
    assert figures["tensorflow"]["files"] > 50
    assert result.returncode == 0, result.stdout[:8000] + result.stderr[-2000:]
