"""Whatever fnlint is fed, it answers: a clear FN000 where a file cannot be analyzed, never a
traceback, never a hang; and a fix interrupted by a kill leaves the old file or the new one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from conftest import process as fnlint


def lint(path: Path, *args):
    result = fnlint("check", "--format", "json", "--no-cache", str(path), *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def nested(depth: int) -> str:
    return "import keras\nx = " + "(" * depth + "1" + ")" * depth + "\n"


ADVERSARIAL = {
    "syntax error": (b"import keras\nx = keras.Input(shape=(3,)\n", "syntax error"),
    "NUL byte": (b"import keras\nx = 1\0\n", "binary file"),
    "invalid UTF-8": (b"import keras\nname = '\xff\xfe'\n", "cannot decode"),
    "wrong encoding cookie": (b"# -*- coding: klingon -*-\nimport keras\n", "cannot decode"),
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_file_gets_a_clear_fn000(tmp_path, name):
    data, words = ADVERSARIAL[name]
    path = tmp_path / "model.py"
    path.write_bytes(data)
    code, found = lint(path)
    assert code == 2
    assert [f["code"] for f in found] == ["FN000"]
    assert words in found[0]["message"]


@pytest.mark.parametrize("source", [
    nested(150),
    "import keras\nx = " + "abs(" * 150 + "1" + ")" * 150 + "\n",
    "import keras\nx = 1" + " + 1" * 1000 + "\n",
    "import keras\ninputs = keras.Input(shape=(4,))\nx = inputs\n" +
    "x = keras.layers.Dense(4)(x)\n" * 1000 + "model = keras.Model(inputs, x)\n",
], ids=["parentheses", "calls 150 deep", "sum of 1,000 terms", "1,000 layers"])
def test_code_nested_or_chained_deeply_is_analyzed(tmp_path, source):
    path = tmp_path / "deep.py"
    path.write_text(source)
    assert lint(path) == (0, [])


@pytest.mark.parametrize("source", [
    "import keras\nx = " + "abs(" * 1000 + "1" + ")" * 1000 + "\n",
    "import keras\nx = " + "[" * 5000 + "]" * 5000 + "\n",
], ids=["calls 1,000 deep", "lists 5,000 deep"])
def test_brackets_nested_beyond_pythons_limit_are_a_syntax_error(tmp_path, source):
    path = tmp_path / "deep.py"
    path.write_text(source)
    code, found = lint(path)
    assert code == 2 and [f["code"] for f in found] == ["FN000"]
    assert "too many nested parentheses" in found[0]["message"]


def test_a_huge_file_is_reported_not_parsed(tmp_path):
    path = tmp_path / "huge.py"
    line = "import keras\n" + "x = keras.layers.Dense(10)  # padding the file to ten megabytes\n"
    path.write_text(line * (10 * 2**20 // len(line)))
    started = time.perf_counter()
    code, found = lint(path)
    assert time.perf_counter() - started < 30
    assert code == 2 and [f["code"] for f in found] == ["FN000"]
    assert "MB" in found[0]["message"]


def test_an_empty_file_and_a_comment_only_file_are_clean(tmp_path):
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "comment.py").write_text("# keras\n")
    for name in ("empty.py", "comment.py"):
        assert lint(tmp_path / name) == (0, [])


DATA_NUMPY_AND_TENSORFLOW_REFUSE = """
import numpy as np
import tensorflow as tf
import keras
from tensorflow.keras.preprocessing.image import ImageDataGenerator
import pandas as pd
inf = float("inf")
a = np.arange(0, inf)
c = np.random.randint(0, 10, size=(-5,))
d = np.zeros((10**12, 3)).reshape(-1, 7)
e = np.eye(10**9)[np.random.randint(0, 3, size=(5,))]
f = tf.data.Dataset.from_tensor_slices(np.zeros((4, 3))).batch("a").map(lambda *q: q)
g = ImageDataGenerator().flow_from_directory("d", target_size=5, color_mode=3, batch_size=-1)
h = keras.utils.image_dataset_from_directory("d", image_size=(0, -1), batch_size=0)
i = keras.utils.timeseries_dataset_from_array(np.zeros((5, 2)), None, sequence_length=-3)
j = pd.read_csv("x", usecols=[]).iloc[:, 5:2]
k = np.zeros((3, 4))[::0]
m = np.zeros((3, 4))[..., ..., 1]
n = np.concatenate([np.zeros((2, 3)), np.zeros((2,))])
p = np.zeros((3, 4)).transpose(0, 0)
q = np.expand_dims(np.zeros(3), axis=(0, 0))
s = tf.one_hot(np.zeros(3, dtype=int), -2)
def gen():
    yield
    yield from gen()
model = keras.Sequential([keras.layers.Dense(2)])
model.build((None, -3))
model.compile("adam", "mse")
model.fit(c, c)
model.fit(f)
model.fit(gen())
model.fit(d, batch_size=0, validation_split=2)
for row in np.zeros((0, 3)):
    model.predict(row)
"""


def test_data_numpy_or_tensorflow_would_refuse_is_unknown_not_a_crash(tmp_path):
    """Sizes NumPy and TensorFlow raise on (negative, zero, infinite) make unknown arrays and
    pipelines: the program fails on that line, and fnlint neither crashes nor reports the
    fit."""
    path = tmp_path / "refused.py"
    path.write_text(DATA_NUMPY_AND_TENSORFLOW_REFUSE)
    code, found = lint(path)
    assert (code, found) == (0, [])


def test_a_notebook_with_invalid_json_gets_fn000(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [{"cell_type": "code", "source": ["import keras"')
    code, found = lint(path)
    assert code == 2 and [f["code"] for f in found] == ["FN000"]


@pytest.mark.parametrize("source, limit", [
    ("""
import keras
def a(x, n):
    return b(keras.layers.Dense(4)(x), n)
def b(x, n):
    return a(x, n)
y = a(keras.Input(shape=(4,)), 3)
""", 20),
    ("""
import keras
inputs = keras.Input(shape=(4,))
x = inputs
for i in range(10**9):
    x = keras.layers.Dense(4)(x)
model = keras.Model(inputs, x)
""", 20),
    ("""
import keras
def grow(x, depth):
    if depth == 0:
        return x
    return grow(keras.layers.Dense(4)(x), depth - 1) + grow(x, depth - 1)
y = grow(keras.Input(shape=(4,)), 60)
""", 20),
    ("""
import keras
class Twice(keras.layers.Layer):
    def call(self, x):
        return self(x) + self(x)
y = Twice()(keras.Input(shape=(4,)))
""", 20),
    ("""
import keras
class Tree(keras.layers.Layer):
    def __init__(self, depth=0):
        super().__init__()
        self.children = [Tree(depth + 1) for _ in range(3)] if depth < 14 else []
    def call(self, x):
        for child in self.children:
            x = child(x)
        return x
y = Tree()(keras.Input(shape=(4,)))
""", 20),
], ids=["mutual recursion", "a loop of 10**9 steps", "recursion that branches 2**60 ways",
        "a layer calling itself twice in call()", "layers nested 3**14 ways"])
def test_recursion_and_unrolling_bombs_finish_quickly(tmp_path, source, limit):
    path = tmp_path / "bomb.py"
    path.write_text(source)
    started = time.perf_counter()
    code, found = lint(path)
    assert time.perf_counter() - started < limit
    assert all(f["code"] in ("FN000", "FN101", "FN102", "FN103") for f in found), found


def test_file_timeout_turns_a_slow_file_into_fn000(tmp_path):
    path = tmp_path / "slow.py"
    blocks = "".join(f"""
def block_{i}(x):
    for j in range(30):
        x = keras.layers.Dense(8)(x)
    return x
""" for i in range(40))
    # About 7 s of analysis on the development machine: a margin of 35x over the
    # timeout, so a faster CI machine still hits it (five rounds once finished in 0.2 s).
    calls = "".join(f"y = block_{i}(y)\n" for i in range(40)) * 100
    path.write_text("import keras\ny = keras.Input(shape=(8,))\n" + blocks + calls)
    code, found = lint(path, "--file-timeout", "0.2")
    assert code == 2
    assert [f["code"] for f in found] == ["FN000"]
    assert "--file-timeout" in found[0]["message"]


def test_tree_walk_survives_symlink_loops_and_broken_links(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg", target_is_directory=True)
    (tmp_path / "pkg" / "broken.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "pkg" / "model.py").write_text("import keras\nx = keras.Input(shape=(3,))\n")
    result = fnlint("check", "--format", "json", "--no-cache", str(tmp_path), timeout=60)
    assert "Traceback" not in result.stderr
    found = json.loads(result.stdout)
    assert all(f["code"] == "FN000" and "broken.py" in f["path"] for f in found), found


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a POSIX user that file permissions apply to")
def test_an_unreadable_file_gets_fn000(tmp_path):
    path = tmp_path / "secret.py"
    path.write_text("import keras\n")
    path.chmod(0)
    code, found = lint(path)
    assert code == 2 and "cannot read" in found[0]["message"]


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux's /proc")
def test_a_file_whose_read_fails_gets_fn000(tmp_path):
    """Unreadable even for root: reading /proc/self/mem at offset 0 is an I/O error.  (A walk
    no longer follows a link out of the folder walked, issue 16: the link is named, and
    followed on request.)"""
    (tmp_path / "secret.py").symlink_to("/proc/self/mem")
    (tmp_path / "model.py").write_text("import keras\nx = keras.Input(shape=(3,))\n")
    code, found = lint(tmp_path / "secret.py", str(tmp_path / "model.py"), "--follow-symlinks")
    assert code == 2
    assert [(Path(f["path"]).name, f["code"]) for f in found] == [("secret.py", "FN000")]
    assert "cannot read file: Input/output error" in found[0]["message"]


@pytest.mark.slow
def _children(pid: int) -> list:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_fix_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path):
    """`--fix` rewrites through a temporary file and one atomic rename: kill it anywhere and
    the file is exactly the old version or exactly the fixed one."""
    line = "opt_{0} = keras.optimizers.SGD(lr=0.01)\n"
    old = "import keras\n" + "".join(line.format(i) for i in range(3000))
    path = tmp_path / "model.py"
    path.write_text(old)
    fixed = fnlint("check", "--fix", "--no-cache", str(path), timeout=300)
    assert "Traceback" not in fixed.stderr
    new = path.read_text()
    assert new != old and "learning_rate=0.01" in new
    rng = random.Random(7)
    for _ in range(8):
        path.write_text(old)
        process = subprocess.Popen([sys.executable, "-m", "fnlint", "check", "--fix",
                                    "--no-cache", str(path)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 3.0))
        workers = _children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait()
        text = path.read_text()
        assert text in (old, new)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived a killed fnlint"
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".fnlint-tmp")] == \
        ["model.py"]


def test_the_cli_reports_a_missing_path_without_a_traceback(tmp_path):
    result = fnlint("check", str(tmp_path / "nowhere.py"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not found" in result.stdout + result.stderr


def test_fixtures_folder_as_a_whole_never_crashes():
    result = fnlint("check", "--format", "json", "--no-cache", str(ROOT / "fixtures"),
                    timeout=300)
    assert "Traceback" not in result.stderr
    assert not [f for f in json.loads(result.stdout) if "internal error" in f["message"]]
