"""Models built in functions nobody calls, pretrained networks as values, and how
`summary --stats` explains what it cannot resolve."""

import json
import textwrap

from conftest import findings_in, run
from fnlint.analyzer import analyze_source
from fnlint.analyzer.summary import summarize

N = None


def summaries(source: str, path: str = "example.py") -> dict:
    return {s.name: s for s in summarize(analyze_source(textwrap.dedent(source), path))}


def shapes(summary):
    return [r.output_shapes[0] for r in summary.rows]


BUILDER = """
from tensorflow import keras
from tensorflow.keras import layers


def conv_block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return layers.MaxPooling2D()(x)


def build_model(input_shape=(64, 64, 3), num_classes=10):
    inputs = keras.Input(shape=input_shape)
    x = conv_block(inputs, 16)
    x = layers.Flatten()(x)
    outputs = layers.Dense(num_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="classifier")


def build_head(features, num_classes):
    inputs = keras.Input(shape=(features,))
    return keras.Model(inputs, layers.Dense(num_classes)(inputs), name="head")
"""


def test_a_builder_never_called_is_resolved_on_its_defaults():
    model = summaries(BUILDER)["classifier"]
    assert model.status == "complete"
    assert shapes(model) == [(N, 64, 64, 3), (N, 64, 64, 16), (N, 32, 32, 16), (N, 16384),
                             (N, 10)]
    # the helper runs inlined, on the builder's arguments: Keras' first names
    assert [r.name for r in model.rows][1:3] == ["conv2d", "max_pooling2d"]
    assert model.total == 448 + 16384 * 10 + 10


def test_parameters_without_a_default_are_unknown_and_never_reported():
    head = summaries(BUILDER)["head"]
    assert head.status == "partial"
    assert head.cause == "argument of a builder never called"
    assert findings_in(BUILDER) == []


def test_a_builder_called_in_the_file_is_not_run_again_on_its_defaults():
    source = BUILDER + "\nmodel = build_model((32, 32, 1), 3)\n"
    built = [s for s in summarize(analyze_source(source)) if s.name == "classifier"]
    assert [shapes(s)[0] for s in built] == [(N, 32, 32, 1)]


def test_a_method_of_a_plain_class_that_builds_a_model_runs_with_an_unknown_self():
    model = summaries("""
        import keras

        class Factory:
            def make(self, units=8):
                return keras.Sequential([keras.Input((4,)), keras.layers.Dense(units)],
                                        name="made")
    """)["made"]
    assert (model.status, shapes(model)) == ("complete", [(N, 8)])


def test_the_runs_of_uncalled_builders_share_a_bounded_budget():
    # each builder takes 20,000 steps after building its model: a few run, the one that
    # exceeds the budget is undone (its model is not reported half-analysed), the rest wait
    builders = "\n".join(textwrap.dedent(f"""
        def build_{i}(width=2):
            x = keras.Input((4,))
            model = keras.Model(x, keras.layers.Dense(width)(x), name="m{i}")
            for a in range(200):
                for b in range(100):
                    y = a
            return model
        """) for i in range(30))
    analysis = analyze_source("import keras\n" + builders)
    names = [m.name for m in analysis.models]
    assert names == [f"m{i}" for i in range(len(names))] and 0 < len(names) < 5
    assert not [d for d in analysis.diagnostics if d.code == "FN000"]


def test_code_a_test_expects_to_fail_is_not_reported():
    assert findings_in("""
        import keras
        from keras import layers
        import pytest

        class MergeTest:
            def test_subtract_needs_two(self):
                a, b = keras.Input((4,)), keras.Input((4,))
                with self.assertRaisesRegex(ValueError, "exactly 2 inputs"):
                    layers.Subtract()([a, b, a])
                with pytest.raises(ValueError):
                    layers.Conv2D(4, 3, padding="sam")(a)
    """) == []


def test_a_frozen_backbone_cut_from_its_own_input_and_output():
    model = summaries("""
        import keras
        from keras import layers

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False,
                                              weights=None)
        base.trainable = False
        x = layers.GlobalAveragePooling2D()(base.output)
        model = keras.Model(base.input, layers.Dense(4, activation="softmax")(x), name="cut")
    """)["cut"]
    assert model.status == "complete"
    assert [(r.cls, r.output_shapes[0]) for r in model.rows] == [
        ("InputLayer", (N, 96, 96, 3)), ("MobileNetV2", (N, 3, 3, 1280)),
        ("GlobalAveragePooling2D", (N, 1280)), ("Dense", (N, 4))]
    assert model.rows[1].inlined == 153  # Keras lists the network's layers one by one
    assert (model.trainable, model.non_trainable) == (5124, 2257984)


def test_preprocess_input_keeps_the_shape_and_clone_model_the_structure():
    found = summaries("""
        import keras
        from keras import layers

        images = keras.Input(shape=(32, 32, 3))
        scaled = keras.applications.resnet50.preprocess_input(images)
        original = keras.Model(images, layers.Dense(2)(layers.Flatten()(scaled)), name="net")
        copy = keras.models.clone_model(original)
        loaded = keras.models.load_model("model.keras")
    """, "example.py")
    net = found["net"]
    assert net.status == "complete" and shapes(net)[-1] == (N, 2)
    statuses = [(s.name, s.status) for s in summarize(analyze_source(textwrap.dedent("""
        import keras
        images = keras.Input(shape=(8,))
        original = keras.Model(images, keras.layers.Dense(2)(images), name="net")
        copy = keras.models.clone_model(original)
        loaded = keras.models.load_model("model.keras")
        loaded.fit(x, y)
    """)))]
    assert statuses == [("net", "complete"), ("net", "complete"), ("loaded model", "unresolved")]


def test_stats_give_honest_causes_and_notebook_cells(tmp_path):
    notebook = tmp_path / "book.ipynb"
    cells = [["import numpy as np\n", "import keras\n"],
             ["def build(n_features):\n",
              "    inputs = keras.Input(shape=(n_features,))\n",
              "    return keras.Model(inputs, keras.layers.Dense(1)(inputs))\n"]]
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
                   "execution_count": None} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    code, out, _ = run("summary", "--stats", notebook)
    assert code == 0
    assert "argument of a builder never called" in out
    assert f"{notebook}:cell 2:line 3" in out
    assert "custom layer" not in out


def test_stats_count_each_construction_once_as_its_least_resolved_build(tmp_path):
    source = tmp_path / "folds.py"
    source.write_text(textwrap.dedent("""\
        import keras

        def build(width):
            inputs = keras.Input(shape=(width,))
            return keras.Model(inputs, keras.layers.Dense(1)(inputs))

        for fold in range(3):
            model = build(8)
        other = build(open("width.txt").read())
    """))
    code, out, _ = run("summary", "--stats", source)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("1 model in 1 file: 1 functional (4 builds:")
    assert [line.split() for line in lines[1:4]] == [
        ["complete", "0", "0.0%"], ["partial", "1", "100.0%"], ["unresolved", "0", "0.0%"]]
