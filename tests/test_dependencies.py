"""`target-keras`: the Keras a project is written for, from its declared dependencies (each kind
of dependency file), the setting and the flag; `--show-settings` says which and why."""

import textwrap

import pytest
from conftest import invoke, run as fnlint

from fnlint.dependencies import detect

KERAS2_CODE = textwrap.dedent("""\
    import keras
    from keras.optimizers import SGD
    import keras.backend as K
    inputs = keras.Input(shape=(8,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(SGD(lr=0.01), "mse", metrics=[lambda y, p: K.mean(p)])
""")


def project(tmp_path, name, text):
    (tmp_path / ".git").mkdir(exist_ok=True)  # the repository's root: the walk stops here
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "train.py").write_text(KERAS2_CODE)
    return str(tmp_path / "src" / "train.py")


@pytest.mark.parametrize("name, text, line, words", [
    ("requirements.txt", "numpy>=1.20\ntensorflow==2.15.0\n", 2, "tensorflow==2.15.0"),
    ("requirements-dev.txt", "# tools\nkeras<3\n", 2, "keras<3"),
    ("requirements.txt", "-r requirements/base.txt\n", 2, "tf-keras"),
    ("pyproject.toml", """\
        [project]
        name = "demo"
        dependencies = [
            "numpy",
            "tensorflow>=2.10,<2.16",
        ]
        """, 5, "tensorflow>=2.10,<2.16"),
    ("pyproject.toml", """\
        [project]
        name = "demo"
        [project.optional-dependencies]
        gpu = ["tf_keras>=2.16"]
        """, 4, "tf_keras"),
    ("pyproject.toml", """\
        [tool.poetry.dependencies]
        python = "^3.10"
        tensorflow = "~2.15"
        """, 3, "tensorflow"),
    ("pyproject.toml", """\
        [tool.poetry.group.ml.dependencies]
        keras = {version = "2.13.1"}
        """, 2, "keras"),
    ("setup.cfg", """\
        [metadata]
        name = demo
        [options]
        install_requires =
            numpy
            tensorflow-cpu<=2.15.1
        """, 6, "tensorflow-cpu<=2.15.1"),
    ("setup.cfg", """\
        [options.extras_require]
        train =
            keras==2.4.3
        """, 3, "keras==2.4.3"),
    ("setup.py", """\
        from setuptools import setup
        setup(
            name="demo",
            install_requires=["numpy", "keras>=2.2.4,<2.4"],
        )
        """, 4, "keras>=2.2.4,<2.4"),
    ("setup.py", """\
        import setuptools
        setuptools.setup(name="demo", extras_require={
            "gpu": ["tensorflow-gpu==2.4.1"],
        })
        """, 3, "tensorflow-gpu==2.4.1"),
    ("PKG-INFO", """\
        Metadata-Version: 2.1
        Name: demo
        Requires-Dist: numpy
        Requires-Dist: tensorflow (<2.16,>=2.12)
        """, 4, "tensorflow (<2.16,>=2.12)"),
    ("environment.yml", """\
        name: demo
        channels: [conda-forge]
        dependencies:
          - python=3.10
          - conda-forge::tensorflow=2.12
        """, 5, "tensorflow=2.12"),
    ("environment.yml", """\
        name: demo
        dependencies:
          - python=3.11
          - pip:
            - tensorflow==2.15.1
        """, 5, "tensorflow==2.15.1"),
])
def test_a_keras_2_dependency_in_each_kind_of_file_targets_keras_2(
        tmp_path, name, text, line, words):
    if "-r requirements/base.txt" in text:
        (tmp_path / "requirements").mkdir()
        (tmp_path / "requirements" / "base.txt").write_text("numpy\ntf-keras==2.15.0\n")
    target = detect(project(tmp_path, name, text))
    assert target.keras == "2", target
    assert words in target.reason and target.line == line, target
    assert target.file.endswith("base.txt" if "-r " in text else name)


@pytest.mark.parametrize("name, text", [
    ("requirements.txt", "tensorflow>=2.16\nnumpy\n"),
    ("requirements.txt", "keras>=3.0\n"),
    ("requirements.txt", "tensorflow\nkeras\n"),  # unpinned: today's releases are Keras 3
    ("pyproject.toml", "[project]\nname = 'x'\ndependencies = ['tensorflow~=2.15']\n"),
    ("pyproject.toml", "[tool.poetry.dependencies]\ntensorflow = '^2.15'\n"),  # allows 2.16+
    ("environment.yml", "dependencies:\n  - tensorflow=2.17\n"),
])
def test_anything_else_targets_keras_3(tmp_path, name, text):
    assert detect(project(tmp_path, name, text)).keras == "3"


def test_without_a_dependency_file_keras_3_is_the_default(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "train.py").write_text(KERAS2_CODE)
    target = detect(str(tmp_path / "train.py"))
    assert target.keras == "3" and "default" in target.reason and target.file is None


def test_the_nearest_project_decides_and_the_walk_stops_at_the_repository(tmp_path):
    (tmp_path / "requirements.txt").write_text("tensorflow==2.15\n")
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / "train.py").write_text(KERAS2_CODE)
    assert detect(str(repository / "train.py")).keras == "3"  # not the folder above the repo
    (repository / "requirements.txt").write_text("keras==2.12.0\n")
    assert detect(str(repository / "train.py")).keras == "2"


def test_broken_or_huge_dependency_files_are_not_a_crash(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project\ndependencies = [")
    (tmp_path / "setup.cfg").write_text("not ini at all\n[[[")
    (tmp_path / "environment.yml").write_bytes(b"\xff\xfe dependencies:\n  - \x00\n")
    (tmp_path / "setup.py").write_text("setup(install_requires=[" * 300)
    (tmp_path / "requirements.txt").write_text("-r requirements.txt\n" + "x" * 2_000_000)
    assert detect(str(tmp_path)).keras == "3"


def run(*args):
    """`fnlint check --no-cache ARGS`: (exit code, stdout)."""
    return fnlint("check", "--no-cache", *args)[:2]


def test_on_a_keras_2_project_keras_2_code_gets_no_finding(tmp_path):
    path = project(tmp_path, "requirements.txt", "tensorflow==2.15.0\n")
    assert run(path) == (0, "")
    code, out = run("--target-keras", "3", path)  # the same code meets Keras 3
    assert code == 1
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == \
        ["FN701", "FN202"], out
    assert "learning_rate=" in out and "keras.ops.mean" in out


def test_show_settings_names_the_target_and_why(tmp_path):
    path = project(tmp_path, "requirements.txt", "numpy\ntensorflow==2.15.0\n")
    code, out = run("--show-settings", path)
    assert code == 0
    assert 'target-keras = "auto"' in out
    assert "# targeted: Keras 2 (auto: " in out and "requirements.txt:2: tensorflow==2.15.0" in out
    assert "# checked against: keras 3." in out and "tf_keras 2." in out
    code, out = run("--show-settings", "--target-keras", "3", path)
    assert 'target-keras = "3"' in out and "Keras 3 (set by --target-keras)" in out


def test_target_keras_setting_and_its_errors(tmp_path):
    path = project(tmp_path, "requirements.txt", "tensorflow==2.15.0\n")
    (tmp_path / "pyproject.toml").write_text('[tool.fnlint]\ntarget-keras = "3"\n')
    code, out = run("--show-settings", path)
    assert f"Keras 3 (set in {tmp_path / 'pyproject.toml'})" in out
    assert run(path)[0] == 1  # Keras 3 findings on the Keras 2 code
    (tmp_path / "pyproject.toml").write_text("[tool.fnlint]\ntarget-keras = 3\n")
    result = invoke("check", path)
    assert result.exit_code == 2
    assert 'target-keras must be one of "3", "2", "auto"' in result.stderr
