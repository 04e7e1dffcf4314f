"""A hostile repository or a pathological file against fnlint (issue 16): each test is an
attack or an input that broke fnlint once.  `pytest -m adversarial` runs them all."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.adversarial

HAS_KERAS = importlib.util.find_spec("keras") is not None
needs_keras = pytest.mark.skipif(not HAS_KERAS, reason="needs the verify extra")

# The `fnlint` console script: sys.path[0] is the script's directory, never the working one.
ENTRY_POINT = ("import sys; sys.path[0] = {root!r}; from fnlint.cli import main; "
               "sys.exit(main())").format(root=str(ROOT))


def fnlint(*args, cwd=None, timeout=300, input=None, env=None):
    """Run fnlint as its entry point does, in `cwd`."""
    return subprocess.run([sys.executable, "-c", ENTRY_POINT, *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, input=input,
                          env={**os.environ, **(env or {})})


def write(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


PLAIN_MODEL = """
    import keras
    from keras import layers
    inputs = keras.Input(shape=(4,))
    model = keras.Model(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="adam", loss="mse")
"""


def plant(folder: Path, marker: Path) -> None:
    """Modules that a careless import would pick up from the repository, each leaving a
    marker file behind when it is run."""
    payload = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    write(folder, "keras.py", payload)
    write(folder, "json.py", payload)
    write(folder, "tensorflow.py", payload)
    write(folder, "fnlint/__init__.py", payload)
    write(folder, "fnlint/verify/__init__.py", payload)
    write(folder, "fnlint/verify/worker.py", payload + "def main():\n    return 0\n")


@needs_keras
def test_verify_never_imports_the_repositorys_modules(tmp_path):
    """Item 1: a repository's keras.py, json.py or fnlint/ must not run in the verify worker."""
    repo = tmp_path / "repo"
    marker = tmp_path / "ran"
    plant(repo, marker)
    write(repo, "model.py", PLAIN_MODEL)
    result = fnlint("verify", "--format", "json", "model.py", cwd=repo)
    assert not marker.exists(), marker.read_text()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "functional: trained" in result.stderr  # by the real Keras, not the planted one
