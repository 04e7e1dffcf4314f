"""Reaching inside keras.applications networks and the program's own models: `get_layer`,
`model.layers`, their outputs, models cut from them, freezing part of a network, `input_tensor=`.

The shapes and counts here are what Keras 3.15 gives (the slow test at the end builds a sample of
networks, sizes and options in real Keras and compares every layer)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, findings_in, findings_of
from fnlint.analyzer import analyze_source
from fnlint.analyzer.layers import application_layers
from fnlint.analyzer.summary import summarize
from fnlint.verify.recipe import targets

N = None


def summaries(*parts: str) -> dict:
    return {s.name: s for s in summarize(analyze_source(program(*parts), "example.py"))}


def program(*parts: str) -> str:
    return "".join(textwrap.dedent(part) for part in parts)


def rows(summary) -> list:
    return [(row.name, row.cls, row.output_shapes[0], row.params) for row in summary.rows]


VGG = """
import keras
from keras import layers

conv_base = keras.applications.VGG16(weights="imagenet", include_top=False,
                                     input_shape=(180, 180, 3))
"""


def test_the_catalog_is_compact_and_lists_every_network_whose_layers_it_can_replay():
    assert application_layers.CATALOG.stat().st_size <= 400_000
    networks = application_layers.known_networks()
    assert {"VGG16", "Xception", "InceptionV3", "MobileNetV2", "ResNet50",
            "EfficientNetB0", "ConvNeXtTiny"} <= set(networks)
    assert not {"NASNetMobile", "NASNetLarge"} & set(networks)  # their layers follow the size
    from fnlint import catalog
    assert application_layers.keras_version() == catalog.keras_version()


def test_the_catalog_is_read_only_by_a_program_that_reaches_inside_a_network():
    application_layers._load.cache_clear()
    summaries(VGG, "model = keras.Sequential([conv_base, layers.Flatten()])\n")
    assert application_layers._load.cache_info().currsize == 0
    summaries(VGG, "cut = conv_base.get_layer('block1_pool')\n")
    assert application_layers._load.cache_info().currsize == 1


def test_a_feature_extractor_cut_at_an_inner_layer_has_that_layers_shape_and_ancestors():
    found = summaries(VGG, """
        extractor = keras.Model(conv_base.input, conv_base.get_layer("block3_pool").output,
                                name="extractor")
    """)["extractor"]
    assert found.status == "complete"
    assert rows(found) == [
        ("input_layer", "InputLayer", (N, 180, 180, 3), 0),
        ("block1_conv1", "Conv2D", (N, 180, 180, 64), 1792),
        ("block1_conv2", "Conv2D", (N, 180, 180, 64), 36928),
        ("block1_pool", "MaxPooling2D", (N, 90, 90, 64), 0),
        ("block2_conv1", "Conv2D", (N, 90, 90, 128), 73856),
        ("block2_conv2", "Conv2D", (N, 90, 90, 128), 147584),
        ("block2_pool", "MaxPooling2D", (N, 45, 45, 128), 0),
        ("block3_conv1", "Conv2D", (N, 45, 45, 256), 295168),
        ("block3_conv2", "Conv2D", (N, 45, 45, 256), 590080),
        ("block3_conv3", "Conv2D", (N, 45, 45, 256), 590080),
        ("block3_pool", "MaxPooling2D", (N, 22, 22, 256), 0),
    ]


def test_freezing_all_but_the_last_layers_counts_as_keras_does():
    found = summaries(VGG, """
        conv_base.trainable = True
        for layer in conv_base.layers[:-4]:
            layer.trainable = False
        inputs = keras.Input(shape=(180, 180, 3))
        x = layers.Flatten()(conv_base(inputs))
        model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x), name="tuned")
    """)
    assert (found["vgg16"].trainable, found["vgg16"].non_trainable) == (7_079_424, 7_635_264)
    assert (found["tuned"].trainable, found["tuned"].non_trainable) == (7_092_225, 7_635_264)
    refrozen = summaries(VGG, """
        for layer in conv_base.layers[:-4]:
            layer.trainable = False
        conv_base.trainable = False
    """)["vgg16"]
    assert (refrozen.trainable, refrozen.non_trainable) == (0, 14_714_688)


def test_every_layers_output_by_name_and_a_few_named_layers():
    found = summaries(VGG, """
        outputs_dict = {layer.name: layer.output for layer in conv_base.layers}
        styles = keras.Model(inputs=conv_base.inputs, outputs=outputs_dict, name="styles")
        settings = {"block2_conv1": 1.0, "block4_pool": 2.0}
        dream = keras.Model(conv_base.inputs, dict(
            [(layer.name, layer.output) for layer in [conv_base.get_layer(n) for n in settings]]),
            name="dream")
    """)
    assert found["styles"].status == "complete"
    assert len(found["styles"].rows) == 19 and found["styles"].total == 14_714_688
    assert [name for name, _ in found["dream"].outputs] == ["block2_conv1", "block4_pool"]
    assert rows(found["dream"])[-1] == ("block4_pool", "MaxPooling2D", (N, 11, 11, 512), 0)
    assert found["dream"].total == 7_635_264


def test_the_last_convolution_and_the_classifier_above_it():
    found = summaries("""
        import keras
        model = keras.applications.Xception(weights="imagenet")
        last_conv_layer = model.get_layer("block14_sepconv2_act")
        last_conv_layer_model = keras.Model(model.inputs, last_conv_layer.output, name="conv")
        classifier_input = keras.Input(shape=last_conv_layer.output.shape[1:])
        x = classifier_input
        for layer_name in ["avg_pool", "predictions"]:
            x = model.get_layer(layer_name)(x)
        classifier_model = keras.Model(classifier_input, x, name="classifier")
    """)
    assert found["conv"].outputs[0][1] == (N, 10, 10, 2048)
    assert found["conv"].status == "complete"
    assert rows(found["classifier"]) == [
        ("input_layer_1", "InputLayer", (N, 10, 10, 2048), 0),
        ("avg_pool", "GlobalAveragePooling2D", (N, 2048), 0),
        ("predictions", "Dense", (N, 1000), 2_049_000),
    ]


def test_layers_by_index_and_the_networks_output_after_reaching_inside():
    found = summaries(VGG, """
        first = conv_base.get_layer(index=1)
        last = conv_base.layers[-1]
        cut = keras.Model(conv_base.input, [first.output, last.output], name="cut")
        head = keras.Model(conv_base.input, layers.Flatten()(conv_base.output), name="head")
    """)
    assert [shape for _, shape in found["cut"].outputs] == [(N, 180, 180, 64), (N, 5, 5, 512)]
    assert rows(found["head"])[-1] == ("flatten", "Flatten", (N, 12800), 0)
    assert len(found["head"].rows) == 20 and found["head"].status == "complete"


@pytest.mark.parametrize("network", [
    "keras.applications.MobileNet(alpha=0.5, include_top=False)",  # alpha changes the layers
    "keras.applications.NASNetMobile(include_top=False)",  # its layers follow the size
    "keras.applications.VGG16(include_top=False, pooling=size)",  # not a constant
    "keras.applications.VGG16(input_shape=(64, 64, 3))",  # its dense top follows the size
])
def test_a_network_whose_layers_are_not_known_stays_unknown_without_findings(network):
    source = f"""
        import keras
        size = input()
        base = {network}
        cut = keras.Model(base.input, base.get_layer("conv_pw_1").output, name="cut")
        every = keras.Model(base.input, [layer.output for layer in base.layers], name="every")
    """
    found = summaries(source)
    assert found["cut"].status == found["every"].status == "unresolved"
    assert findings_in(source) == []


def test_a_network_built_on_the_programs_input():
    source = """
        import keras
        from keras import layers
        inputs = keras.Input(shape=(96, 96, 3))
        base = keras.applications.MobileNetV2(include_top=False, weights=None,
                                              input_tensor=inputs)
        x = layers.GlobalAveragePooling2D()(base.output)
        model = keras.Model(inputs, layers.Dense(3)(x), name="head")
        inner = keras.Model(base.input, base.get_layer("block_1_expand").output, name="inner")
    """
    assert findings_in(source) == []  # once FN101: the network's own Input was not `inputs`
    found = summaries(source)
    assert found["mobilenetv2_1.00_96"].total == 2_257_984
    assert found["head"].status == "complete" and found["head"].total == 2_261_827
    assert rows(found["inner"])[0] == ("input_layer", "InputLayer", (N, 96, 96, 3), 0)
    assert rows(found["inner"])[-1] == ("block_1_expand", "Conv2D", (N, 48, 48, 96), 1536)


def test_a_network_built_on_another_tensor_is_not_followed():
    source = """
        import keras
        from keras import layers
        inputs = keras.Input(shape=(96, 96, 3))
        scaled = layers.Rescaling(1 / 255)(inputs)
        base = keras.applications.MobileNetV2(include_top=False, weights=None,
                                              input_tensor=scaled)
        model = keras.Model(inputs, layers.GlobalAveragePooling2D()(base.output), name="head")
    """
    assert findings_in(source) == []  # (the network's own Input is not the model's)
    assert summaries(source)["head"].status != "complete"


def test_the_activations_of_the_programs_own_model():
    found = summaries("""
        import keras
        from keras import layers
        inputs = keras.Input(shape=(48, 48, 1))
        x = layers.Conv2D(8, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.Flatten()(x)
        model = keras.Model(inputs, layers.Dense(3, activation="softmax")(x))
        layer_outputs = []
        layer_names = []
        for layer in model.layers:
            if isinstance(layer, (layers.Conv2D, layers.MaxPooling2D)):
                layer_outputs.append(layer.output)
                layer_names.append(layer.name)
        activation_model = keras.Model(inputs=model.input, outputs=layer_outputs)
        second = keras.Model(model.inputs, model.get_layer(name="conv2d_1").output)
    """)
    assert [shape for _, shape in found["functional_1"].outputs] == [
        (N, 46, 46, 8), (N, 23, 23, 8), (N, 21, 21, 16)]
    assert found["functional_1"].status == "complete" and found["functional_1"].total == 1248
    assert found["functional_2"].outputs[0][1] == (N, 21, 21, 16)


def test_isinstance_decides_for_known_layers_and_models_only():
    found = analyze_source(textwrap.dedent("""
        import keras
        from keras import layers
        class Mine(layers.Layer):
            pass
        lstm = layers.LSTM(4)
        model = keras.Sequential([layers.Dense(2)])
        facts = [isinstance(lstm, layers.RNN), isinstance(lstm, layers.Dense),
                 isinstance(lstm, (layers.Dense, layers.LSTM)), isinstance(model, keras.Model),
                 isinstance(model, layers.Layer), isinstance(model, layers.Dense),
                 isinstance(Mine(), layers.Dense), isinstance(3, layers.Dense)]
        inputs = keras.Input(shape=(4,))
        kept = keras.Model(inputs, [layers.Dense(1)(inputs)] if facts[0] else inputs)
        dropped = keras.Model(inputs, [layers.Dense(1)(inputs)] if facts[6] else inputs)
    """), "example.py")
    by_name = {s.name: s for s in summarize(found)}
    assert by_name["functional"].status == "complete"  # isinstance(lstm, RNN) is True
    assert by_name["functional_1"].status == "unresolved"  # a user's class: not known


def test_the_fixture_of_models_cut_inside_networks_is_quiet():
    """Its models are compared with Keras' layer by layer by the differential test."""
    path = ROOT / "fixtures" / "layers" / "pretrained_inner_layers.py"
    assert [f"{f.line}: {f.code}" for f in findings_of(path)
            if f.severity in ("warning", "error")] == []
    found = {s.name: s for s in summarize(analyze_source(path.read_text(), str(path)))}
    assert all(s.status == "complete" for s in found.values())


def test_a_model_cut_inside_a_network_is_not_rebuilt_by_verify():
    analysis = analyze_source(program(VGG, """
        cut = keras.Model(conv_base.input, conv_base.get_layer("block1_pool").output)
    """), "example.py")
    (target,) = targets(analysis)
    assert target.recipe is None
    assert "inside the network 'vgg16'" in target.reason


NETWORKS = [  # (network, its options): sizes other than the default, odd and even
    ("VGG16", {"include_top": False, "input_shape": (71, 71, 3)}),
    ("ResNet50", {"include_top": False, "input_shape": (97, 97, 3)}),
    ("MobileNetV2", {"include_top": False, "input_shape": (113, 113, 3)}),
    ("MobileNetV2", {"include_top": False, "input_shape": (96, 96, 3), "pooling": "max"}),
    ("EfficientNetB0", {"include_top": False}),
    ("InceptionV3", {"include_top": False, "input_shape": (150, 150, 3), "pooling": "avg"}),
    ("Xception", {"include_top": True, "classes": 5}),
    ("MobileNetV3Small", {"include_top": True, "input_shape": (64, 64, 3)}),
    ("ConvNeXtTiny", {"include_top": False, "input_shape": (64, 64, 3)}),
    ("DenseNet121", {"include_top": False, "input_shape": (65, 65, 3)}),
]
FROZEN = 7  # the last layers left trainable


def _program(name: str, options: dict) -> str:
    arguments = ", ".join(f"{k}={v!r}" for k, v in options.items())
    return textwrap.dedent(f"""
        import keras
        base = keras.applications.{name}(weights=None, {arguments})
        for layer in base.layers[:-{FROZEN}]:
            layer.trainable = False
        probe = keras.Model(base.input, {{layer.name: layer.output for layer in base.layers}},
                            name="probe")
    """)


KERAS_SIDE = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
out = []
for source in json.loads(sys.stdin.read()):
    keras.backend.clear_session()
    scope = {}
    exec(source, scope)
    probe = scope["probe"]
    out.append({"layers": [[l.name, list(l.output.shape), l.count_params()] for l in probe.layers],
                "trainable": sum(int(w.numpy().size) for w in probe.trainable_weights),
                "frozen": sum(int(w.numpy().size) for w in probe.non_trainable_weights)})
print(json.dumps(out))
"""


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="needs the verify extra")
def test_every_layers_shape_and_count_agree_with_keras_on_a_sample_of_networks():
    programs = [_program(name, options) for name, options in NETWORKS]
    built = subprocess.run([sys.executable, "-c", KERAS_SIDE], input=json.dumps(programs),
                           capture_output=True, text=True, check=True, cwd=ROOT, timeout=1500)
    keras_side = json.loads(built.stdout.strip().splitlines()[-1])
    problems = []
    for (name, options), program, theirs in zip(NETWORKS, programs, keras_side):
        ours = {s.name: s for s in summarize(analyze_source(program, "probe.py"))}["probe"]
        mine = [[row.name, [d if isinstance(d, int) else None for d in row.output_shapes[0]],
                 row.params] for row in ours.rows]
        if mine != theirs["layers"]:
            wrong = [(m, t) for m, t in zip(mine, theirs["layers"]) if m != t][:3]
            problems.append((name, options, len(mine), len(theirs["layers"]), wrong))
        if (ours.trainable, ours.non_trainable) != (theirs["trainable"], theirs["frozen"]):
            problems.append((name, options, (ours.trainable, ours.non_trainable),
                             (theirs["trainable"], theirs["frozen"])))
    assert not problems


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="needs the verify extra")
def test_committed_entries_are_what_the_installed_keras_measures():
    """Fails when Keras changed: regenerate with `--part application-layers`."""
    script = ("import json; from fnlint.catalog.generate_network_layers import "
              "measure_application_layers as m; "
              "print(json.dumps({n: m(n) for n in ('VGG19', 'MobileNetV2')}))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=ROOT, timeout=900)
    fresh = json.loads(result.stdout.strip().splitlines()[-1])
    for name, entry in fresh.items():
        assert entry == application_layers._load()["networks"][name], name
