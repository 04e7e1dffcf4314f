"""A hostile repository or a pathological file against fnlint (issue 16): each test is an
attack or an input that broke fnlint once.  `pytest -m adversarial` runs them all."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.adversarial

HAS_KERAS = importlib.util.find_spec("keras") is not None


def needs_keras(test):
    """Real TensorFlow: slow (a few seconds per worker), and only with the verify extra."""
    return pytest.mark.slow(pytest.mark.skipif(not HAS_KERAS, reason="needs the verify extra")(
        test))


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


HOSTILE_ARGUMENTS = {
    "a deserializer": "kernel_initializer=keras.optimizers.deserialize({'a': 1})",
    "a serialized Lambda": "kernel_initializer={'class_name': 'Lambda', 'config': {}}",
    "a layer class as activation": "activation=keras.layers.Lambda",
    "a raw TensorFlow op": "activation=tf.raw_ops.Relu",
}


def verify_target(outputs: str):
    """The verify target of a model on a (4,) input whose outputs are `outputs`."""
    from fnlint.analyzer import analyze_source
    from fnlint.verify import recipe

    source = ("import keras\nimport tensorflow as tf\ninputs = keras.Input(shape=(4,))\n"
              f"model = keras.Model(inputs, {outputs})\n")
    (target,) = recipe.targets(analyze_source(source, "model.py"))
    return target


@pytest.mark.parametrize("name", HOSTILE_ARGUMENTS)
def test_verify_recipes_name_only_allowed_keras_objects(name):
    """Item 2: a recipe never names a callable outside the allow-list."""
    target = verify_target(f"keras.layers.Dense(3, {HOSTILE_ARGUMENTS[name]})(inputs)")
    assert target.recipe is None
    assert "Dense 'dense'" in target.reason


def test_verify_recipes_keep_allowed_keras_objects():
    from fnlint.analyzer import analyze_source
    from fnlint.verify import recipe

    source = textwrap.dedent("""
        import keras
        import tensorflow as tf
        inputs = keras.Input(shape=(4,))
        x = keras.layers.Dense(3, activation=tf.nn.relu,
                               kernel_regularizer=keras.regularizers.L2(0.01))(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1, activation=keras.activations.gelu)(x))
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.MeanSquaredError())
    """)
    (target,) = recipe.targets(analyze_source(source, "model.py"))
    assert target.reason is None
    kwargs = [layer["kwargs"] for layer in target.recipe["layers"].values()]
    assert kwargs == [
        {"activation": {"$ref": "tensorflow.nn.relu"},
         "kernel_regularizer": {"$call": "keras.regularizers.L2", "args": [0.01], "kwargs": {}}},
        {"activation": {"$ref": "keras.activations.gelu"}}]


HOSTILE_OPS = {
    "an op that calls a function": "keras.ops.map(print, inputs)",
    "an op that hands data to Python": "keras.ops.convert_to_numpy(inputs)",
    "a private op": "keras.src.ops.add(inputs, inputs)",
    "a TensorFlow op": "tf.math.add(inputs, inputs)",
}


@pytest.mark.parametrize("name", HOSTILE_OPS)
def test_verify_recipes_call_only_allowed_ops(name):
    """Verify mode calls tensor ops between layers again from the allow-list only."""
    target = verify_target(f"keras.layers.Dense(3)({HOSTILE_OPS[name]})")
    assert target.recipe is None
    assert "not rebuilt by verify mode" in target.reason or "not a value" in target.reason


def test_verify_recipes_keep_allowed_ops():
    from fnlint.analyzer import analyze_source
    from fnlint.verify import recipe

    source = textwrap.dedent("""
        import keras
        inputs = keras.Input(shape=(4,))
        scaled = keras.ops.multiply(inputs, keras.ops.sqrt(2.0)) * 0.5
        model = keras.Model(inputs, keras.layers.Dense(3)(keras.activations.relu(scaled)))
    """)
    (target,) = recipe.targets(analyze_source(source, "model.py"))
    assert target.reason is None
    ops_called = [(node["op"], node["args"]) for node in target.recipe["models"]["M0"]["nodes"]
                  if "op" in node]
    assert [op for op, _ in ops_called] == [
        "keras.ops.multiply", "keras.ops.multiply", "keras.activations.relu"]
    assert ops_called[0][1][1] == {"$op": "keras.ops.sqrt", "args": [2.0], "kwargs": {}}


@needs_keras
def test_the_verify_worker_refuses_what_the_allow_list_does_not_hold(tmp_path):
    """Item 2, the worker's own guard: a recipe handed to it directly that calls
    `keras.config.enable_unsafe_deserialization` is refused, not run."""
    from fnlint.analyzer import analyze_source
    from fnlint.verify import pool, recipe

    (target,) = recipe.targets(analyze_source(textwrap.dedent(PLAIN_MODEL), "model.py"))
    good = json.loads(json.dumps(target.recipe))
    bad = json.loads(json.dumps(target.recipe))
    (layer,) = bad["layers"].values()
    layer["kwargs"]["kernel_initializer"] = {
        "$call": "keras.config.enable_unsafe_deserialization", "args": [], "kwargs": {}}
    private = json.loads(json.dumps(target.recipe))
    (layer,) = private["layers"].values()
    layer["path"] = "keras.src.layers.Dense"
    calling = json.loads(json.dumps(target.recipe))
    (model,) = calling["models"].values()
    model["nodes"][1] = {"id": model["nodes"][1]["id"], "op": "keras.ops.map",
                         "args": ["print", {"$tensor": model["nodes"][0]["id"], "index": 0}],
                         "kwargs": {}}
    outcomes, _ = pool.run([bad, private, calling, good], steps=1, timeout=120)
    assert [o.result.get("failure") for o in outcomes] == [
        "verify mode does not call keras.config.enable_unsafe_deserialization",
        "verify mode does not call keras.src.layers.Dense",
        "verify mode does not call keras.ops.map", None]
    assert outcomes[3].result["runs"][0]["steps"]


BUG = ROOT / "fixtures" / "bugs" / "inception_valid_padding.py"  # one FN301
CHAINS = {
    "50,000 minuses": "x = " + "-" * 50_000 + "1\n",
    "12,000 terms": "x = " + " + ".join(["1"] * 12_000) + "\n",
    "3,000 attributes": "x = a" + ".b" * 3_000 + "\n",
    "3,000 subscripts": "x = a" + "[0]" * 3_000 + "\n",
    "3,000 calls": "x = f" + "()" * 3_000 + "\n",
    "5,000 nots": "x = " + "not " * 5_000 + "1\n",
}


def lint_json(*args, cwd=None, timeout=120):
    result = fnlint("check", "--format", "json", "--no-cache", *map(str, args), cwd=cwd,
                    timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("name", CHAINS)
def test_long_chains_are_refused_before_libcst_parses_them(tmp_path, name):
    """Item 3: chains that make libcst's parser crash or take minutes are an FN000 at once."""
    path = tmp_path / "chain.py"
    path.write_text("import keras\n" + CHAINS[name])
    code, found = lint_json(path, BUG, timeout=60)
    assert code == 2
    assert [(f["code"], Path(f["path"]).name) for f in found] == [
        ("FN000", "chain.py"), ("FN301", BUG.name)]
    assert "nested too deeply" in found[0]["message"]


def test_a_long_chain_in_invalid_code_is_pythons_syntax_error(tmp_path):
    """Found by benchmarks/fuzz.py: in code CPython rejects, the depth is not measured, and
    libcst took seconds on the chain before finding the error."""
    path = tmp_path / "cut.py"
    path.write_text("import keras\nx = keras.layers.Conv2D(" + "-" * 3000 + "\n")
    code, found = lint_json("--file-timeout", "2", path)
    assert [(f["code"], f["message"]) for f in found] == [
        ("FN000", "syntax error: '(' was never closed")]


# Python 3.12 syntax (a `type` statement) keeps CPython 3.11's parser from judging the file,
# and a chain of `not`s is not one the text-based guard looks for: libcst parses it, and its
# stack overflows.  Such files test the worker processes behind the guards.
NEWER_SYNTAX = "type Vector = list[float]\n"
CRASHING = NEWER_SYNTAX + "import keras\nx = " + "not " * 50_000 + "1\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_crashes_the_parser_costs_that_file_only(tmp_path, jobs):
    """Items 3-4: a segfault of libcst's native parser on one file is an FN000 for it; the
    findings of the other files are all reported, with one process or several."""
    crash = tmp_path / "crash.py"
    crash.write_text(CRASHING)
    others = [BUG] * 1 + [tmp_path / f"bug{n}.py" for n in range(5)]
    for other in others[1:]:
        other.write_text(BUG.read_text())
    code, found = lint_json("-j", jobs, crash, *others, timeout=60)
    assert code == 2
    assert sorted((f["code"], Path(f["path"]).name) for f in found) == sorted(
        [("FN000", "crash.py")] + [("FN301", other.name) for other in others])
    (crashed,) = [f for f in found if f["code"] == "FN000"]
    assert "crashed" in crashed["message"] and "SIGSEGV" in crashed["message"]


def test_the_file_timeout_stops_the_native_parser(tmp_path):
    """Item 4: libcst's parse is native code no signal interrupts; the worker analysing it is
    killed at the time limit (2,000 spaced subscripts take libcst over 10 s)."""
    slow = tmp_path / "slow.py"
    slow.write_text(NEWER_SYNTAX + "import keras\nx = a" + "[ 0 ]" * 2_000 + "\n")
    code, found = lint_json("--file-timeout", "1", slow, BUG, timeout=12)
    assert code == 2
    assert [(f["code"], Path(f["path"]).name) for f in found] == [
        ("FN000", "slow.py"), ("FN301", BUG.name)]
    assert "analysis stopped after 1 s (--file-timeout)" in found[0]["message"]


def test_the_memory_limit_holds_each_file_to_its_budget(tmp_path):
    """Item 4: a file whose analysis needs more than the address space a worker may add is
    an FN000; the next file is analysed by a fresh worker."""
    from fnlint.config import Config
    from fnlint.pipeline import Batch, run
    from fnlint.sources import SourceFile

    big = tmp_path / "big.py"
    big.write_text("import keras\ninputs = keras.Input(shape=(4,))\nx = inputs\n" +
                   "x = keras.layers.Dense(4)(x)\n" * 3000 + "model = keras.Model(inputs, x)\n")
    results = run(Batch(Config(), timeout=60, memory_mb=16),
                  [SourceFile(str(big), True), SourceFile(str(BUG), True)])
    assert [[f.code for f in result.findings] for result in results] == [["FN000"], ["FN301"]]
    assert "memory" in results[0].findings[0].message


@pytest.mark.parametrize("command", ["summary", "graph"])
def test_summary_and_graph_survive_a_crashing_file(tmp_path, command):
    """Item 4, for the commands that keep each file's analysis."""
    crash = tmp_path / "crash.py"
    crash.write_text(CRASHING)
    result = fnlint(command, str(crash), str(BUG), timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "crash.py:1:1: FN000 analysis stopped: it crashed" in result.stderr
    assert "conv2d" in result.stdout  # the other file's model is drawn


def test_fix_survives_a_crashing_file(tmp_path):
    """Item 4, for --fix: the file that crashes its worker is an FN000; the other is fixed."""
    crash = tmp_path / "crash.py"
    crash.write_text(CRASHING)
    typo = tmp_path / "typo.py"
    typo.write_text("import keras\nx = keras.Input(shape=(8,))\n"
                    "y = keras.layers.Dense(4, activaton='relu')(x)\n")
    result = fnlint("check", "--fix", "--no-cache", str(crash), str(typo), timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "crash.py:1:1: FN000 analysis stopped: it crashed" in result.stdout
    assert "activation='relu'" in typo.read_text()
    assert f"fixed 1 finding in {typo}" in result.stderr


SLOW_MODEL = """
    import keras
    from keras import layers
    x = keras.Input(shape=(512, 512, 3))
    y = layers.Conv2D(256, 7, padding="same")(x)
    y = layers.Conv2D(256, 7, padding="same")(y)
    slow = keras.Model(x, layers.Dense(1)(layers.GlobalAveragePooling2D()(y)))
    slow.compile("adam", "mse")
"""


@needs_keras
def test_verify_exits_2_when_a_model_times_out(tmp_path):
    """Item 9: a model that could not be verified is not a clean run."""
    write(tmp_path, "slow.py", SLOW_MODEL)
    result = fnlint("verify", "--format", "json", "--timeout", "2", "slow.py", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert json.loads(result.stdout) == []
    assert "slow.py functional: failed" in result.stderr
    assert "1 model(s) could not be verified" in result.stderr


def _workers_of(parent: int) -> list:
    """Pids of the verify workers `parent` started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and \
                b"fnlint.verify.worker" in cmdline:
            found.append(int(entry.name))
    return found


def _resident_mb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) // 1024 for line in status.splitlines()
                 if line.startswith("VmRSS:")), 0)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie no one reaped has stopped all the same


@needs_keras
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_verify_workers_die_with_fnlint(tmp_path, how):
    """Item 9: killing fnlint (or Ctrl-C) stops its worker, which would train on unbounded."""
    import signal
    import time

    write(tmp_path, "slow.py", SLOW_MODEL)
    parent = subprocess.Popen([sys.executable, "-c", ENTRY_POINT, "verify", "--timeout", "600",
                               "slow.py"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers = []
        while not workers and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.2)
            workers = _workers_of(parent.pid)
        assert workers, "no verify worker started"
        # Training: TensorFlow alone is about 600 MB, the model's activations gigabytes.
        while max(map(_resident_mb, workers)) < 1200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert max(map(_resident_mb, workers)) >= 1200, "the worker never trained"
        os.kill(parent.pid, getattr(signal, how))
        parent.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(map(_alive, workers))
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_walk_reads_no_device_fifo_or_link_out_of_the_tree(tmp_path):
    """Item 6: links to /dev/zero and to files outside the repository, and a FIFO, are not
    read by a walk (the FIFO hung the run, /dev/zero filled the memory, the outside file's
    lines were printed in --format full)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    secret = tmp_path / "secret.py"
    secret.write_text("import keras\nAPI_KEY = 'hunter2'\nkeras.layers.Dense(4)(oops)\n")
    (repo / "zero.py").symlink_to("/dev/zero")
    (repo / "secret_link.py").symlink_to(secret)
    os.mkfifo(repo / "fifo.py")
    (repo / "inside.py").symlink_to(repo / "model.py")
    (repo / "model.py").write_text(BUG.read_text())
    result = fnlint("check", "--no-cache", "--format", "full", ".", cwd=repo, timeout=60)
    assert "Traceback" not in result.stderr
    assert "hunter2" not in result.stdout
    assert "secret" not in result.stdout and "zero" not in result.stdout
    assert result.stdout.count("FN301") == 2  # model.py and the link to it inside the tree


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "outside"])
def test_a_named_device_fifo_or_outside_link_is_an_fn000(tmp_path, target):
    """Item 6: named files are checked with fstat before a bounded read; a named link out
    of the working directory is followed only with --follow-symlinks."""
    repo = tmp_path / "repo"
    repo.mkdir()
    outside = tmp_path / "outside.py"
    outside.write_text(BUG.read_text())
    if target == "fifo":
        os.mkfifo(repo / "model.py")
    else:
        (repo / "model.py").symlink_to(outside if target == "outside" else target)
    follow = ["--follow-symlinks"] if target == "/dev/zero" else []  # not the link: the device
    code, found = lint_json(*follow, "model.py", cwd=repo, timeout=60)
    assert code == 2 and [f["code"] for f in found] == ["FN000"]
    assert ("outside the working directory" if target == "outside" else
            "not a regular file") in found[0]["message"]
    if target == "outside":
        code, found = lint_json("--follow-symlinks", "model.py", cwd=repo, timeout=60)
        assert [f["code"] for f in found] == ["FN301"]


@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_a_gitignore_that_is_a_fifo_or_a_device_is_not_read(tmp_path, target):
    """Item 6: the walk reads each folder's .gitignore too."""
    if target == "fifo":
        os.mkfifo(tmp_path / ".gitignore")
    else:
        (tmp_path / ".gitignore").symlink_to(target)
    (tmp_path / "model.py").write_text(BUG.read_text())
    code, found = lint_json(".", cwd=tmp_path, timeout=60)
    assert [f["code"] for f in found] == ["FN301"]


def test_the_cache_does_not_read_a_fifo(tmp_path):
    """Item 6: the cache's key read the file outside any limit, and hung on a FIFO."""
    os.mkfifo(tmp_path / "model.py")
    result = fnlint("check", "--format", "json", "model.py", cwd=tmp_path, timeout=60)
    assert [f["code"] for f in json.loads(result.stdout)] == ["FN000"]


def _cache_key(repo: Path, name: str) -> str:
    """The key fnlint's cache files `name` under when checked from `repo` with defaults."""
    from fnlint.config import Config
    from fnlint.pipeline import Batch

    batch = Batch(Config(), (".txt",), cache_root=str(repo))
    return batch.cache().key(f"{name}|True", (repo / name).read_bytes())


def test_the_cache_writes_through_no_link_planted_in_the_repository(tmp_path):
    """Item 7: `.fnlint_cache/.gitignore` and `CACHEDIR.TAG` as links made fnlint create or
    overwrite files anywhere the user can write; a `.fnlint_cache` link moved the cache."""
    repo = tmp_path / "repo"
    (repo / ".fnlint_cache").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (repo / ".fnlint_cache" / ".gitignore").symlink_to(victim)
    (repo / ".fnlint_cache" / "CACHEDIR.TAG").symlink_to(tmp_path / "created.txt")
    (repo / "model.py").write_text(BUG.read_text())
    env = {"XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    result = fnlint("check", "--format", "json", "model.py", cwd=repo, env=env)
    assert [f["code"] for f in json.loads(result.stdout)] == ["FN301"]
    assert victim.read_text() == "precious\n"
    assert not (tmp_path / "created.txt").exists()

    other = tmp_path / "other"
    other.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (other / ".fnlint_cache").symlink_to(elsewhere)
    (other / "model.py").write_text(BUG.read_text())
    fnlint("check", "model.py", cwd=other, env=env)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to hand the folder to another user")
def test_the_cache_refuses_a_folder_of_another_user(tmp_path):
    """Item 7."""
    (tmp_path / ".fnlint_cache").mkdir()
    os.chown(tmp_path / ".fnlint_cache", 65534, 65534)
    (tmp_path / "model.py").write_text(BUG.read_text())
    fnlint("check", "model.py", cwd=tmp_path, env={"XDG_CACHE_HOME": str(tmp_path / "u")})
    assert list((tmp_path / ".fnlint_cache").iterdir()) == []


def test_a_poisoned_cache_entry_hides_no_finding(tmp_path):
    """Item 8: a repository shipping `.fnlint_cache/` entries for its files (the keys are
    predictable) hid their findings; an entry of the wrong shape crashed the run."""
    from fnlint import __version__

    (tmp_path / "model.py").write_text(BUG.read_text())
    key = _cache_key(tmp_path, "model.py")
    folder = tmp_path / ".fnlint_cache" / __version__ / key[:2]
    folder.mkdir(parents=True)
    env = {"XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    empty = {"findings": [], "skipped": False, "frames": {}}
    for forged in [dict(empty, key=key),  # the old, untagged format
                   {"body": json.dumps(empty), "tag": "0" * 64},
                   {"key": key, "findings": [{"bogus": 1}], "skipped": 3, "frames": []}]:
        (folder / f"{key}.json").write_text(json.dumps(forged))
        result = fnlint("check", "--format", "json", "model.py", cwd=tmp_path, env=env)
        assert "Traceback" not in result.stderr
        assert [f["code"] for f in json.loads(result.stdout)] == ["FN301"], forged


def test_a_well_tagged_entry_of_the_wrong_shape_is_ignored(tmp_path, monkeypatch):
    """Item 8: entries are validated in full, not only authenticated."""
    from fnlint.cache import Cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    cache = Cache(tmp_path, "salt")
    cache.put("ab" * 32, {"findings": [{"path": 1}], "skipped": False, "frames": {}})
    cache.put("cd" * 32, {"findings": [], "skipped": False, "frames": {}})
    assert cache.get("ab" * 32) is None
    assert cache.get("cd" * 32) == {"findings": [], "skipped": False, "frames": {}}


def test_a_timeout_is_not_cached(tmp_path):
    """Item 8: a file that ran out of time under a small budget is analysed again under a
    larger one, not served its FN000 from the cache."""
    path = tmp_path / "slow.py"
    path.write_text("import keras\ninputs = keras.Input(shape=(4,))\nx = inputs\n" +
                    "x = keras.layers.Dense(4)(x)\n" * 1500 + "model = keras.Model(inputs, x)\n")
    env = {"XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    first = fnlint("check", "--format", "json", "--file-timeout", "0.1", "slow.py",
                   cwd=tmp_path, env=env)
    assert [f["code"] for f in json.loads(first.stdout)] == ["FN000"]
    second = fnlint("check", "--format", "json", "slow.py", cwd=tmp_path, env=env)
    assert json.loads(second.stdout) == []


MEMORY_BOMBS = {
    "a list of 10**9": "x = [0] * 10**9\n",
    "a chained repeat": "x = 'a' * 9999 * 9999 * 30\n",
    "a format width": "x = '%0900000000d' % 1\n",
    "a doubling loop": "a = 'a'\nfor i in range(200):\n    a = a + a\n",
    "a doubling list": "a = [1]\nfor i in range(200):\n    a = a + a\n",
}


@pytest.mark.parametrize("name", MEMORY_BOMBS)
def test_constants_the_analysis_builds_are_bounded(tmp_path, name):
    """Item 5: a few bytes of source made the interpreter build gigabytes.  Checked in a
    process of its own, under a 1.5 GB address-space limit: it grows by less than 50 MB."""
    code = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (2**30 + 2**29, resource.RLIM_INFINITY))
        from fnlint.analyzer import analyze_source
        from fnlint.analyzer.summary import summarize
        def peak():
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        summarize(analyze_source("import keras\\nx = [0] * 10\\n", "warm.py"))
        before = peak()
        analysis = analyze_source("import keras\\n" + {MEMORY_BOMBS[name]!r}, "bomb.py")
        summarize(analysis)
        grown = peak() - before
        print("done", [d.message for d in analysis.diagnostics], grown < 50 or grown)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "done [] True", result.stderr[-500:]


def test_a_too_large_repeat_is_unknown_not_none():
    """Item 5: `'a' * 10**12` evaluated to None."""
    from fnlint.analyzer import parse_module
    from fnlint.analyzer.interpreter import Interpreter
    from fnlint.analyzer.values import Unknown

    interpreter = Interpreter()
    interpreter.run(parse_module("x = 'a' * 10**12\ny = 2 ** 100\nz = 'ab' * 3\n"))
    values = interpreter.module_scope.vars
    assert isinstance(values["x"], Unknown) and isinstance(values["y"], Unknown)
    assert values["z"].value == "ababab"


def _notebook(source) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": source, "metadata": {},
                                  "outputs": [], "execution_count": None}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


TRACEBACK_FILES = {
    "a 5,000-digit execution_count": ("model.ipynb", _notebook(["import keras\n"]).replace(
        '"execution_count": null', '"execution_count": ' + "9" * 5000), "not a valid notebook"),
    "non-string source items": ("model.ipynb", _notebook(["import keras\n", 5, None]),
                                "not a valid notebook"),
    "a lone surrogate in a notebook": ("model.ipynb", _notebook(["import keras\n",
                                                               "x = '\ud800'\n"]),
                                       "lone surrogate"),
    "a 1,000-long attribute chain": ("model.py", "import keras\nx = keras" + ".layers" * 1000,
                                     "FN202"),
    "a 100,000-digit integer": ("model.py", "import keras\nx = " + "9" * 100_000 + "\n",
                                None),
}


@pytest.mark.parametrize("name", TRACEBACK_FILES)
def test_inputs_that_raised_a_traceback(tmp_path, name):
    """Item 10: each became a traceback (or an 'internal error' FN000)."""
    filename, text, expected = TRACEBACK_FILES[name]
    (tmp_path / filename).write_text(text, encoding="utf-8", errors="surrogatepass")
    code, found = lint_json(filename, cwd=tmp_path)
    assert not any("internal error" in f["message"] for f in found), found
    if expected is None:
        assert found == []
    elif expected.startswith("FN"):
        assert [f["code"] for f in found] == [expected]
    else:
        assert code == 2 and [f["code"] for f in found] == ["FN000"]
        assert expected in found[0]["message"]


CONFIG_ERRORS = {
    "nested 3,000 deep": ("[tool.fnlint]\nexclude = " + "[" * 3000 + "]" * 3000 + "\n",
                          "nested too deeply"),
    "invalid UTF-8": (b"[tool.fnlint]\nselect = ['FN\xff']\n", "not valid UTF-8"),
    "a severity prefix": ("[tool.fnlint.severity]\nFN2 = 'info'\n", "severity.FN2"),
    "a ratio of true": ("[tool.fnlint.rule-options.FN503]\nratio = true\n", "FN503.ratio"),
    "a ratio of nan": ("[tool.fnlint.rule-options.FN503]\nratio = nan\n", "FN503.ratio"),
    "a ratio of -inf": ("[tool.fnlint.rule-options.FN503]\nratio = -inf\n", "FN503.ratio"),
    "a ratio of 0": ("[tool.fnlint.rule-options.FN503]\nratio = 0\n", "FN503.ratio"),
}


@pytest.mark.parametrize("name", CONFIG_ERRORS)
def test_bad_configuration_is_a_one_line_error(tmp_path, name):
    """Items 10 and 13: tracebacks, or settings accepted that did nothing."""
    text, words = CONFIG_ERRORS[name]
    (tmp_path / "pyproject.toml").write_bytes(text if isinstance(text, bytes) else text.encode())
    (tmp_path / "model.py").write_text(BUG.read_text())
    result = fnlint("check", "model.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("fnlint: configuration error:") and words in line, line


@pytest.mark.parametrize("text", ["tool = 5\n", "x = " + "[" * 3000 + "]" * 3000 + "\n"],
                         ids=["tool = 5", "nested 3,000 deep"])
def test_another_tools_odd_pyproject_is_passed_by(tmp_path, text):
    """Item 10: pyproject.toml files without [tool.fnlint] that raised a traceback."""
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "model.py").write_text(BUG.read_text())
    code, found = lint_json("model.py", cwd=tmp_path)
    assert [f["code"] for f in found] == ["FN301"]


def test_configuration_discovery_passes_symlink_loops(tmp_path):
    """Item 10: a symlink loop on the way up (root reads every folder, so unreadable ones
    are not tested here; `find` passes any OSError by)."""
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "pyproject.toml").symlink_to(loop / "pyproject.toml")
    (loop / "model.py").write_text(BUG.read_text())
    code, found = lint_json("model.py", cwd=loop)
    assert [f["code"] for f in found] == ["FN301"]
    (loop / "cycle").symlink_to(loop / "cycle")
    result = fnlint("check", "cycle/model.py", cwd=loop)
    assert "Traceback" not in result.stderr and result.returncode == 2


@pytest.mark.parametrize("where", ["/nonexistent/folder/report.txt", "read-only/report.txt"])
def test_an_unwritable_output_is_a_one_line_error(tmp_path, where):
    """Item 10: `--output` to a missing or unwritable place."""
    (tmp_path / "read-only").mkdir()
    (tmp_path / "read-only").chmod(0o555)
    (tmp_path / "model.py").write_text(BUG.read_text())
    if os.geteuid() == 0 and where.startswith("read-only"):
        where = "/proc/report.txt"  # root writes in any folder; not in /proc
    result = fnlint("check", "--output", where, "model.py", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"fnlint: cannot write the report to {where}" in result.stderr


@pytest.mark.parametrize("data, expected", [
    (b"import keras\nname = '\xff'\n", "cannot decode"),
    ("# -*- coding: latin-1 -*-\nimport keras\ninputs = keras.Input(shape=(4,))\n"
     "x = keras.layers.Dense(4, activation='r\xe9lu')(inputs)\n".encode("latin-1"), "FN204"),
    (b"import keras\n" + b"#" * (5 * 2**20), "file too large"),
], ids=["invalid UTF-8", "a latin-1 cookie", "over 5 MB"])
def test_stdin_is_read_as_a_file_is(tmp_path, data, expected):
    """Items 10 and 14: standard input honours the encoding cookie and the 5 MB limit."""
    result = subprocess.run([sys.executable, "-c", ENTRY_POINT, "check", "--format", "json",
                             "-"], input=data, capture_output=True, timeout=60, cwd=tmp_path)
    assert b"Traceback" not in result.stderr
    found = json.loads(result.stdout)
    assert [f["code"] for f in found] == ["FN000" if not expected.startswith("FN") else
                                          expected]
    if not expected.startswith("FN"):
        assert expected in found[0]["message"]
    else:
        assert "r\u00e9lu" in found[0]["message"]


def test_human_formats_escape_control_characters(tmp_path):
    """Item 12: a string literal printed a fake finding line and terminal escape sequences."""
    (tmp_path / "model.py").write_text(
        "import keras\ninputs = keras.Input(shape=(4,))\n"
        "x = keras.layers.Dense(4, activation='relu\\nmodel.py:1:1: FN999 forged\\x1b[2J\\u202e')"
        "(inputs)\n")
    for output_format in ("concise", "full"):
        result = fnlint("check", "--no-cache", "--format", output_format, "model.py",
                        cwd=tmp_path)
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        assert not any(line.startswith("model.py:1:1: FN999")
                       for line in result.stdout.splitlines())
        assert "relu\\nmodel.py:1:1: FN999 forged\\x1b[2J\\u202e" in result.stdout


FIXABLE = "import keras\noptimizer = keras.optimizers.SGD(lr=0.01)\n"
FIXED = "import keras\noptimizer = keras.optimizers.SGD(learning_rate=0.01)\n"


def fix(*paths, cwd, **options):
    return subprocess.run([sys.executable, "-c", ENTRY_POINT, "check", "--fix", "--no-cache",
                           *map(str, paths)], capture_output=True, text=True, cwd=cwd,
                          timeout=120, **options)


def test_fix_rewrites_the_target_of_a_symlink_and_keeps_the_link(tmp_path):
    """Item 11: --fix replaced the link by a regular file and left the target unfixed."""
    (tmp_path / "real.py").write_text(FIXABLE)
    (tmp_path / "link.py").symlink_to("real.py")
    result = fix("link.py", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert (tmp_path / "link.py").is_symlink()
    assert (tmp_path / "real.py").read_text() == FIXED


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give the file to another user")
def test_fix_keeps_owner_and_mode(tmp_path):
    """Item 11: the rewritten file belonged to the user running fnlint."""
    path = tmp_path / "model.py"
    path.write_text(FIXABLE)
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    fix(path, cwd=tmp_path)
    info = path.stat()
    assert (path.read_text(), info.st_uid, info.st_gid, info.st_mode & 0o777) == (
        FIXED, 65534, 65534, 0o640)


@pytest.mark.parametrize("how", ["read-only", "hard links"])
def test_fix_refuses_read_only_and_hard_linked_files(tmp_path, how):
    """Item 11: --fix rewrote a read-only file without notice, and split hard links."""
    path = tmp_path / "model.py"
    path.write_text(FIXABLE)
    if how == "read-only":
        path.chmod(0o444)
    else:
        os.link(path, tmp_path / "twin.py")
    result = fix(path, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert f"fnlint: cannot fix {path}: the file " in result.stderr
    assert path.read_text() == FIXABLE
    assert "FN" in result.stdout  # the findings are still reported
    if how == "hard links":
        assert path.stat().st_nlink == 2


def test_fix_in_a_read_only_folder_goes_on_with_the_next_file(tmp_path, monkeypatch):
    """Item 10: --fix in a read-only folder was a traceback, and every later file skipped.
    (Root writes in any folder: the folder's refusal is simulated where the temporary file is
    created.)"""
    import tempfile

    from click.testing import CliRunner

    from fnlint.cli import main

    for name in ("locked", "open"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "model.py").write_text(FIXABLE)
    create = tempfile.mkstemp

    def refuse_in_locked(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).name == "locked":
            raise PermissionError(13, "Permission denied")
        return create(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse_in_locked)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--fix", "--no-cache", "locked/model.py",
                                       "open/model.py"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "fnlint: cannot fix locked/model.py: Permission denied" in result.output
    assert (tmp_path / "locked" / "model.py").read_text() == FIXABLE
    assert (tmp_path / "open" / "model.py").read_text() == FIXED


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_graph_never_runs_a_dot_of_the_repository(tmp_path):
    """Item 1, for the other program fnlint starts: `graph --format svg` ran `./dot` when
    PATH held `.`."""
    marker = tmp_path / "ran"
    fake = tmp_path / "dot"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fake.chmod(0o755)
    (tmp_path / "model.py").write_text(BUG.read_text())
    result = fnlint("graph", "--format", "svg", "model.py", cwd=tmp_path,
                    env={"PATH": "." + os.pathsep + os.environ.get("PATH", "")})
    assert not marker.exists()
    assert result.stdout.lstrip().startswith(("<?xml", "<svg")), result.stderr


@pytest.mark.parametrize("call", ["keras.layers.Dense('x' * 10**6)(inputs)",
                                  "keras.layers.Dot(axes='xx')([inputs, inputs])"])
def test_layer_arguments_of_the_wrong_type_are_unknown(tmp_path, call):
    """Found by benchmarks/fuzz.py: a megabyte string as Dense's units made the weight count
    build gigabytes (a timeout), a string as Dot's axes an internal error."""
    (tmp_path / "model.py").write_text(
        f"import keras\ninputs = keras.Input(shape=(784,))\noutputs = {call}\n")
    code, found = lint_json("--file-timeout", "5", "model.py", cwd=tmp_path)
    assert not [f for f in found if f["code"] == "FN000"], found
