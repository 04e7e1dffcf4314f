"""A third-party rule package, built from docs/plugins.md, installed for real with pip and run
by `fnlint check` through the `fnlint.rules` entry point."""

import os
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # a pip build and three fnlint processes: about 5 s

PAGE = ROOT / "docs" / "plugins.md"
FILE = re.compile(r"<!-- file: (\S+) -->\n(`{3,})\w+\n(.*?\n)\2\n", re.S)


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    """The page's package, pip-installed into a directory of its own: (its env, a folder)."""
    root = tmp_path_factory.mktemp("plugin")
    package, site = root / "fnlint-dropout", root / "site"
    package.mkdir()
    files = {name: text for name, _, text in FILE.findall(PAGE.read_text(encoding="utf-8"))}
    assert set(files) == {"pyproject.toml", "fnlint_dropout.py", "test_fnlint_dropout.py"}
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    return install(package, site), root


def install(package, site) -> dict:
    """pip-install the package folder into `site`: the environment fnlint then runs in."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
         "--no-index", "--quiet", "--target", str(site), str(package)],
        capture_output=True, text=True, cwd=package.parent)
    assert done.returncode == 0, done.stderr
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}


def fnlint(env, cwd, *args):
    return subprocess.run([sys.executable, "-m", "fnlint", *args], capture_output=True,
                          text=True, env=env, cwd=cwd)


def test_the_plugin_reports_its_finding_in_fnlint_check(plugin):
    env, root = plugin
    (root / "model.py").write_text(textwrap.dedent("""\
        import keras
        from keras import layers
        x = keras.Input(shape=(16,))
        y = layers.Dense(8, activation="relu")(x)
        y = layers.Dropout(0.95)(y)
        z = layers.Dropout(0.3)(y)
        """))
    done = fnlint(env, root, "check", "--no-cache", "model.py")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[0] == \
        "model.py:5:5: KXD001 Dropout drops 95% of its inputs (rate=0.95) (the rate is the " \
        "share dropped: Dropout(0.05) keeps 95%)"
    assert done.stdout.count("KXD001") == 1  # Dropout(0.3) is fine
    ignored = fnlint(env, root, "check", "--no-cache", "--ignore", "KXD", "model.py")
    assert ignored.returncode == 0 and "KXD001" not in ignored.stdout
    listed = fnlint(env, root, "rules")
    assert re.search(r"KXD001\s+dropout-rate-too-high", listed.stdout), listed.stdout


def test_the_plugin_examples_pass_fnlint_s_example_runner(plugin):
    env, root = plugin
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(root / "fnlint-dropout" / "test_fnlint_dropout.py")],
                          capture_output=True, text=True, env=env, cwd=root / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_fnlint_without_the_plugin_does_not_report_it(plugin, tmp_path):
    env, _ = plugin
    (tmp_path / "model.py").write_text("from keras import layers\ny = layers.Dropout(0.95)\n")
    assert "KXD001" in fnlint(env, tmp_path, "check", "--no-cache", "model.py").stdout
    bare = fnlint({**env, "PYTHONPATH": str(ROOT)}, tmp_path, "check", "--no-cache", "model.py")
    assert (bare.returncode, bare.stdout.count("KXD001")) == (0, 0)


def test_a_plugin_that_fails_to_load_stops_the_run_with_one_clear_line(tmp_path):
    package, site = tmp_path / "fnlint-broken", tmp_path / "site"
    package.mkdir()
    (package / "pyproject.toml").write_text(textwrap.dedent("""\
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "fnlint-broken"
        version = "0.1"
        [project.entry-points."fnlint.rules"]
        broken = "fnlint_broken"
        """))
    (package / "fnlint_broken.py").write_text('import numpyy  # a typo: no such module\n')
    env = install(package, site)
    (tmp_path / "model.py").write_text("import keras\nx = keras.Input(shape=(3,))\n")
    for args in (("check", "--no-cache", "model.py"), ("summary", "model.py"), ("rules",)):
        done = fnlint(env, tmp_path, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert done.stderr.splitlines() == [
            "fnlint: the rule plugin 'broken' (fnlint_broken) failed to load: "
            "ModuleNotFoundError: No module named 'numpyy'; fix or uninstall it"], done.stderr
