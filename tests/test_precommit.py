"""The pre-commit hook, run by real `pre-commit` from this repository (`try-repo`) on a fresh
git repository: it fails on a buggy file and passes on a clean one."""

import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT
from fnlint import __version__

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


def _readme_block(language: str, containing: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", readme, re.M | re.S)
    return next(block for block in blocks if containing in block)


def test_the_readme_snippet_works_in_a_fresh_repository(tmp_path):
    """README's .pre-commit-config.yaml, copied as it is (only `repo:` pointed at a clone of
    this repository, tagged as releases are): non-Keras files, excluded folders and Markdown
    without Keras pass, the Keras bug fails."""
    snippet = _readme_block("yaml", ".pre-commit-config.yaml")
    rev = re.search(r"^\s*rev: (\S+)$", snippet, re.M).group(1)
    assert rev == f"v{__version__}"  # the tag a release of this version carries
    clone = tmp_path / "fnlint"
    git(tmp_path, "clone", "-q", str(ROOT), str(clone))
    git(clone, "tag", rev)
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    config = re.sub(r"^(\s*- repo: )\S+$", rf"\g<1>{clone.as_posix()}", snippet, flags=re.M)
    (project / ".pre-commit-config.yaml").write_text(config)
    (project / "pyproject.toml").write_text('[tool.fnlint]\nexclude = ["generated/"]\n')
    (project / "model.py").write_text(BUGGY)
    (project / "util.py").write_text("def helper():\n    return undefined_thing\n")
    (project / "NOTES.md").write_text("# Notes\n\n```python\nprint(later_defined)\n```\n")
    (project / "generated").mkdir()
    (project / "generated" / "bad.py").write_text(BUGGY)
    git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}

    def hook(*files):
        return subprocess.run(["pre-commit", "run", "--files", *files], cwd=project, env=env,
                              capture_output=True, text=True, timeout=900)

    failed = hook("model.py", "util.py", "NOTES.md", "generated/bad.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "model.py:3:" in failed.stdout and "FN203" in failed.stdout
    assert "util.py" not in failed.stdout and "generated" not in failed.stdout
    passed = hook("util.py", "NOTES.md", "generated/bad.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr
