"""The pre-commit hook, run by real `pre-commit` from this repository (`try-repo`) on a fresh
git repository: it fails on a buggy file and passes on a clean one."""

import os
import shutil
import subprocess

import pytest

from conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pre-commit") is None or shutil.which("git") is None,
                       reason="needs pre-commit and git (the test extra installs them)"),
]

BUGGY = "import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(2, activaton='relu')(x)\n"
CLEAN = "import keras\nx = keras.Input((4,))\ny = keras.layers.Dense(2, activation='relu')(x)\n"


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hook_fails_on_a_bug_and_passes_on_clean_code(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    (project / "model.py").write_text(BUGGY)
    (project / "fixed.py").write_text(CLEAN)
    git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}

    def hook(*files):
        return subprocess.run(["pre-commit", "try-repo", str(ROOT), "fnlint", "--files", *files],
                              cwd=project, env=env, capture_output=True, text=True, timeout=900)

    failed = hook("model.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "model.py:3:" in failed.stdout and "FN203" in failed.stdout
    passed = hook("fixed.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr
