"""Verify mode with real TensorFlow: models rebuilt from the extracted graph, trained for a few
steps in worker subprocesses, and judged by the FN8xx rules.  Needs the verify extra."""

from __future__ import annotations

import importlib.util
import json
import re
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, process
from fnlint.reporters import verify_table
from fnlint.rules import VerifyRule, all_rules
from fnlint.pipeline import verify_reports
from fnlint.runner import finish, lint_file
from fnlint.sources import SourceFile
from fnlint.verify import session

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("keras") is None,
                       reason="needs the verify extra (pip install -e '.[verify]')"),
]

VERIFY_RULES = [rule for rule in all_rules() if isinstance(rule, VerifyRule)]
EXAMPLES = [(rule.code, "valid", n, source) for rule in VERIFY_RULES
            for n, source in enumerate(rule.VALID)] + \
           [(rule.code, "invalid", n, example) for rule in VERIFY_RULES
            for n, example in enumerate(rule.INVALID)]


def verify_files(paths, **options):
    """(reports with their findings, the session) for `paths`, as `fnlint verify` makes them."""
    reports = [lint_file(SourceFile(str(p), True), VERIFY_RULES) for p in paths]
    verified = verify_reports(reports, VERIFY_RULES, session.Options(**options))
    return [finish(report) for report in reports], verified


def write(tmp_path: Path, name: str, source: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


def fnlint(*args, env=None):
    return process(*args, cwd=ROOT, env=env, timeout=900)


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    """Every verify rule's examples, verified in one session: {(code, kind, n): findings}."""
    folder = tmp_path_factory.mktemp("examples")
    paths = {}
    for code, kind, n, example in EXAMPLES:
        source = example if kind == "valid" else example.code
        paths[(code, kind, n)] = write(folder, f"{code}_{kind}_{n}.py", source)
    reports, _ = verify_files(list(paths.values()))
    return {key: report.findings for key, report in zip(paths, reports)}


@pytest.mark.parametrize("code, kind, n, example", EXAMPLES, ids=lambda v: str(v)[:12])
def test_verify_rule_examples(examples, code, kind, n, example):
    found = examples[(code, kind, n)]
    assert not [f for f in found if f.code == "FN803"], "fnlint disagrees with Keras"
    if kind == "valid":
        assert [f for f in found if f.code == code] == []
        return
    ours = [f for f in found if f.code == code]
    assert [(f.code, f.line) for f in ours] == [(code, example.line)], found
    for word in example.words:
        assert word in ours[0].message + " " + (ours[0].suggestion or ""), word


def test_three_headed_seed_reports_each_heads_share(tmp_path):
    """The seeds' three-headed model (book example), compiled without and with the book's
    loss_weights [0.25, 1., 10.]: every head's loss is measured at every step, the table
    prints each head's share, and FN805 speaks exactly when one head makes over 90 %."""
    reports, verified = verify_files([ROOT / "fixtures" / "seeds" / "s001_14_losses.py"])
    (model,) = verified.verified
    assert model.status == "trained"
    assert [(r.plan.compile_line, len(r.losses)) for r in model.runs] == [
        (30, 5), (33, 5), (38, 5), (41, 5)]
    weights = [dict(run.plan.heads) for run in model.runs]
    assert weights[:2] == [{"age": 1.0, "income": 1.0, "gender": 1.0}] * 2
    assert weights[2:] == [{"age": 0.25, "income": 1.0, "gender": 10.0}] * 2
    dominant_lines = set()
    for run in model.runs:
        assert all(set(step) == {"age", "income", "gender"} for step in run.heads)
        contributions = run.contributions()
        total = sum(contributions.values())
        assert total == pytest.approx(sum(run.losses) / len(run.losses), rel=1e-3)
        if max(contributions.values()) / total > 0.9:
            dominant_lines.add(run.plan.compile_line)
    found = reports[0].findings
    assert {f.line for f in found if f.code == "FN805"} == dominant_lines
    assert not [f for f in found if f.code in ("FN801", "FN802", "FN803", "FN804")]
    from rich.console import Console

    with open(tmp_path / "table.txt", "w") as stream:
        verify_table.render(verified, Console(file=stream, width=200))
    table = (tmp_path / "table.txt").read_text()
    assert "45,982,476 / 45,982,476" in table
    assert table.count("no head over 90%") + table.count("dominates (") == 4
    for head in ("age", "income", "gender"):
        assert re.search(rf"{head} [\d.e+-]+ → [\d.e+-]+ \(\d+%\)", table), head


def test_custom_layer_is_not_verifiable_and_the_rest_is(tmp_path):
    path = write(tmp_path, "custom.py", """
        import keras
        from keras import layers

        class Scale(layers.Layer):
            def call(self, x):
                return x * 2.0

        a = keras.Input(shape=(4,))
        custom = keras.Model(a, layers.Dense(1)(Scale()(a)))
        b = keras.Input(shape=(4,))
        plain = keras.Model(b, layers.Dense(1)(b))
    """)
    reports, verified = verify_files([path])
    statuses = {v.target.name: (v.status, v.reason) for v in verified.verified}
    assert statuses["functional"][0] == "not verifiable"
    assert "Scale" in statuses["functional"][1] and "custom layer" in statuses["functional"][1]
    assert statuses["functional_1"] == ("trained", None)
    assert reports[0].findings == []


def test_models_with_keras_ops_between_layers_are_rebuilt_and_trained(tmp_path):
    """Op nodes are called again from the allow-list (`keras.ops`, activations), operators
    and ops on constants included; a subscript stays not verifiable, with the op named."""
    path = write(tmp_path, "ops.py", """
        import keras
        from keras import layers, ops

        x = keras.Input(shape=(6, 8))
        q = layers.Dense(8)(x)
        scores = ops.matmul(q, ops.transpose(x, (0, 2, 1))) / ops.sqrt(8.0)
        mixed = ops.matmul(ops.softmax(scores, axis=-1), x) + -q
        halves = ops.split(mixed, 2, axis=-1)
        pooled = ops.mean(ops.concatenate([halves[1], halves[0]], axis=-1), axis=1)
        attention = keras.Model(x, layers.Dense(3, activation="softmax")(pooled),
                                name="attention")
        attention.compile("adam", "categorical_crossentropy")

        y = keras.Input(shape=(6, 8))
        sliced = keras.Model(y, layers.Dense(2)(y[:, -1]), name="sliced")
    """)
    reports, verified = verify_files([path])
    statuses = {v.target.name: (v.status, v.reason) for v in verified.verified}
    assert statuses["attention"] == ("trained", None)
    assert statuses["sliced"][0] == "not verifiable"
    assert "'get_item' (line 16)" in statuses["sliced"][1]
    assert reports[0].findings == []


def test_a_hanging_model_times_out_and_the_next_one_is_verified(tmp_path):
    path = write(tmp_path, "slow.py", """
        import keras
        from keras import layers
        x = keras.Input(shape=(512, 512, 3))
        y = layers.Conv2D(256, 7, padding="same")(x)
        y = layers.Conv2D(256, 7, padding="same")(y)
        slow = keras.Model(x, layers.Dense(1)(layers.GlobalAveragePooling2D()(y)))
        slow.compile("adam", "mse")
        z = keras.Input(shape=(4,))
        fast = keras.Model(z, layers.Dense(1)(z))
    """)
    _, verified = verify_files([path], timeout=3.0)
    slow, fast = verified.verified
    assert (slow.status, slow.reason) == ("failed", "timed out after 3 s")
    assert fast.status == "trained"


def test_a_worker_over_the_memory_limit_is_stopped_and_the_next_model_verified(tmp_path):
    path = write(tmp_path, "huge.py", """
        import keras
        from keras import layers
        x = keras.Input(shape=(40000,))
        huge = keras.Model(x, layers.Dense(40000)(x))   # 1.6e9 weights: 6.4 GB
        z = keras.Input(shape=(4,))
        small = keras.Model(z, layers.Dense(1)(z))
    """)
    _, verified = verify_files([path], memory_mb=2500)
    huge, small = verified.verified
    assert huge.status == "failed"
    assert "2500 MB memory limit" in huge.reason or "died" in huge.reason
    assert small.status == "trained"


def test_verify_never_runs_the_users_module(tmp_path):
    marker = tmp_path / "side_effect.txt"
    path = write(tmp_path, "script.py", f"""
        import keras
        from keras import layers
        open({str(marker)!r}, "w").write("the script ran")
        x = keras.Input(shape=(4,))
        model = keras.Model(x, layers.Dense(2, activation="softmax")(x))
        model.compile("adam", "categorical_crossentropy")
        raise SystemExit("the script ran")
    """)
    result = fnlint("verify", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "trained" in result.stderr
    assert not marker.exists()


def test_check_verify_adds_keras_findings_to_the_static_ones(tmp_path):
    example = next(rule for rule in VERIFY_RULES if rule.code == "FN802").INVALID[0]
    path = write(tmp_path, "vocab.py", example.code)
    result = fnlint("check", "--verify", str(path), "--format", "json")
    codes = sorted({f["code"] for f in json.loads(result.stdout)})
    assert codes == ["FN603", "FN802"]  # static: ids beyond the vocabulary; Keras agrees
    assert result.returncode == 1


def test_a_file_that_crashes_its_worker_costs_that_file_only_in_verify_mode(tmp_path):
    """The worker that analysed vocab.py (and keeps its analysis for the verify rules) dies on
    the next file: that file is an FN000, and vocab.py is still judged with what Keras said."""
    example = next(rule for rule in VERIFY_RULES if rule.code == "FN802").INVALID[0]
    vocab = write(tmp_path, "vocab.py", example.code)
    crash = tmp_path / "crash.py"
    crash.write_text("type Vector = list[float]\nimport keras\nx = " + "not " * 50_000 + "1\n")
    other = write(tmp_path, "other.py", """
        import keras
        x = keras.Input(shape=(4,))
        model = keras.Model(x, keras.layers.Dense(1)(x))
    """)
    result = fnlint("check", "--verify", str(vocab), str(crash), str(other), "--format", "json")
    found = sorted((Path(f["path"]).name, f["code"]) for f in json.loads(result.stdout))
    assert found == [("crash.py", "FN000"), ("vocab.py", "FN603"), ("vocab.py", "FN802")]
    assert result.returncode == 2


def test_verify_without_tensorflow_says_how_to_install_it(tmp_path):
    for package in ("tensorflow", "keras"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(
            f"raise ImportError('No module named {package!r}')\n")
    path = write(tmp_path, "model.py", """
        import keras
        x = keras.Input(shape=(4,))
        model = keras.Model(x, keras.layers.Dense(1)(x))
    """)
    result = fnlint("verify", str(path), env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 2
    assert "pip install 'fnlint[verify]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_models_cut_inside_a_network_are_not_verifiable_and_never_disagree(tmp_path):
    """A model whose outputs are inner layers of a keras.applications network (a feature
    extractor), or a network built on the program's Input: verify rebuilds a network as a
    whole only, so those are not verifiable; a network nested as one layer still trains."""
    path = write(tmp_path, "extractor.py", """
        import keras
        from keras import layers

        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False,
                                              weights=None)
        for layer in base.layers[:-5]:
            layer.trainable = False
        features = base.get_layer("block_3_expand_relu").output
        extractor = keras.Model(base.input, layers.GlobalAveragePooling2D()(features))
        extractor.compile(optimizer="adam", loss="mse")

        images = keras.Input(shape=(64, 64, 3))
        on_input = keras.applications.MobileNetV2(input_tensor=images, include_top=False,
                                                  weights=None, name="on_input")
        head = keras.Model(images, layers.GlobalMaxPooling2D()(on_input.output))
        head.compile(optimizer="adam", loss="mse")

        nested = keras.Model(images, layers.Flatten()(base(images)))
        nested.compile(optimizer="adam", loss="mse")

        whole = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False,
                                               weights=None, name="whole")
        untouched = keras.Model(images, layers.Flatten()(whole(images)))
        untouched.compile(optimizer="adam", loss="mse")
    """)
    reports, verified = verify_files([path])
    assert [f for f in reports[0].findings if f.code.startswith("FN80")] == []
    statuses = {v.target.name: (v.status, v.reason) for v in verified.verified}
    assert statuses["functional"][0] == "not verifiable"
    assert "inside the network 'mobilenetv2_1.00_64'" in statuses["functional"][1]
    assert statuses["functional_1"][0] == "not verifiable"
    assert statuses["functional_2"][0] == "not verifiable"
    assert "frozen one by one" in statuses["functional_2"][1]
    assert statuses["functional_3"] == ("trained", None)


def test_a_pretrained_network_nested_or_cut_agrees_with_keras(tmp_path):
    """A keras.applications network is a Functional model to Keras, used as one layer or cut
    from its own input and output (then Keras lists its layers one by one): no FN803."""
    path = write(tmp_path, "backbone.py", """
        import keras
        from keras import layers

        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False,
                                              weights=None)
        base.trainable = False
        images = keras.Input(shape=(64, 64, 3))
        pooled = layers.GlobalAveragePooling2D()(base(images, training=False))
        nested = keras.Model(images, layers.Dense(3, activation="softmax")(pooled))
        nested.compile(optimizer="adam", loss="categorical_crossentropy")

        features = layers.GlobalMaxPooling2D()(base.output)
        cut = keras.Model(base.input, layers.Dense(2, activation="softmax")(features))
        cut.compile(optimizer="adam", loss="categorical_crossentropy")
    """)
    reports, verified = verify_files([path])
    assert [f for f in reports[0].findings if f.code == "FN803"] == []
    statuses = {v.target.name: v.status for v in verified.verified}
    assert statuses.get("functional") == "trained", verified.verified
    assert statuses.get("functional_1") == "trained", verified.verified
