"""The analyzer understands the ways people write Keras model code."""

import textwrap

import pytest

from conftest import models_of
from fnlint.analyzer import analyze_source

N = None


def model(source, variable="model"):
    return models_of(textwrap.dedent(source))[variable]


def shapes(summary):
    return [r.output_shapes[0] if len(r.output_shapes) == 1 else r.output_shapes
            for r in summary.rows]


BODY = """
inp = {Input}(shape=(16,))
out = {Dense}(4)(inp)
model = {Model}(inp, out)
"""


@pytest.mark.parametrize("imports, names", [pytest.param(*case, id=case[0].replace("\n", "; "))
                                             for case in (
    ("import keras", dict(Input="keras.Input", Dense="keras.layers.Dense", Model="keras.Model")),
    ("from keras import layers, Input, Model",
     dict(Input="Input", Dense="layers.Dense", Model="Model")),
    ("from keras.layers import Dense, Input\nfrom keras.models import Model",
     dict(Input="Input", Dense="Dense", Model="Model")),
    ("import tensorflow as tf",
     dict(Input="tf.keras.Input", Dense="tf.keras.layers.Dense", Model="tf.keras.Model")),
    ("from tensorflow import keras",
     dict(Input="keras.Input", Dense="keras.layers.Dense", Model="keras.models.Model")),
    ("from tensorflow.keras import layers\nfrom tensorflow.keras import Input, Model",
     dict(Input="Input", Dense="layers.Dense", Model="Model")),
    ("import tf_keras as keras",
     dict(Input="keras.Input", Dense="keras.layers.Dense", Model="keras.Model")),
    ("import tensorflow as tf\nL = tf.keras.layers\nK = tf.keras",
     dict(Input="L.Input", Dense="L.Dense", Model="K.Model")),
    ("from keras.layers import *\nfrom keras.models import *",
     dict(Input="Input", Dense="Dense", Model="Model")),
)])
def test_import_styles(imports, names):
    summary = model(imports + BODY.format(**names))
    assert shapes(summary) == [(N, 16), (N, 4)]
    assert summary.total == 68


def test_constants_and_arithmetic_feed_layer_arguments():
    summary = model("""
        import keras
        from keras import layers
        cfg = {"hidden": [32, 16], "classes": 5}
        width = 4 * 8
        inp = keras.Input(shape=(width // 2 + 1,))
        x = layers.Dense(cfg["hidden"][0] * 2)(inp)
        x = layers.Dense(units=cfg["hidden"][-1])(x)
        out = layers.Dense(cfg["classes"], activation="softmax")(x)
        model = keras.Model(inputs=inp, outputs=out)
    """)
    assert shapes(summary) == [(N, 17), (N, 64), (N, 16), (N, 5)]
    assert summary.total == 17 * 64 + 64 + 64 * 16 + 16 + 16 * 5 + 5


def test_merges_as_functions_and_classes():
    summary = model("""
        from keras import layers, Input, Model
        a = Input(shape=(8,))
        b = Input(shape=(8,))
        s = layers.add([a, b])
        m = layers.multiply([a, b])
        c = layers.Concatenate(axis=1)([s, m])
        d = layers.dot([a, b], axes=1)
        e = layers.concatenate([c, d], axis=-1)
        model = Model([a, b], e)
    """)
    by_name = {r.name: r.output_shapes[0] for r in summary.rows}
    assert by_name == {"input_layer": (N, 8), "input_layer_1": (N, 8), "add": (N, 8),
                       "multiply": (N, 8), "dot": (N, 1), "concatenate": (N, 16),
                       "concatenate_1": (N, 17)}


def test_lstm_states_unpack_and_bidirectional():
    summary = model("""
        from keras import layers, Input, Model
        seq = Input(shape=(10, 8))
        out, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(seq)
        both = layers.Bidirectional(layers.GRU(3))(out)
        model = Model(seq, [both, h, c])
    """)
    rows = {r.cls: r for r in summary.rows}
    assert rows["LSTM"].output_shapes == [(N, 10, 4), (N, 4), (N, 4)]
    assert rows["LSTM"].params == 4 * (4 * (8 + 4) + 4)
    assert rows["Bidirectional"].output_shapes == [(N, 6)]
    assert rows["Bidirectional"].params == 2 * (3 * (3 * (4 + 3)) + 2 * 9)
    assert [s for _, s in summary.outputs] == [(N, 6), (N, 4), (N, 4)]


def test_multi_head_attention_takes_query_and_value():
    summary = model("""
        from keras import layers, Input, Model
        q = Input(shape=(5, 16))
        v = Input(shape=(7, 16))
        att = layers.MultiHeadAttention(num_heads=2, key_dim=4)(q, v)
        model = Model([q, v], att)
    """)
    attention = summary.rows[-1]
    assert attention.output_shapes == [(N, 5, 16)]
    assert attention.inbound == ["input_layer", "input_layer_1"]
    assert attention.params == 3 * (16 * 8 + 8) + 8 * 16 + 16


def test_model_outputs_as_dict_and_keywords():
    summary = model("""
        import keras
        x = keras.Input(shape=(3,), name="features")
        y = keras.layers.Dense(2, name="score")(x)
        model = keras.Model(inputs={"features": x}, outputs={"score": y}, name="scorer")
    """)
    assert summary.name == "scorer"
    assert summary.outputs == [("score", (N, 2))]


def test_sequential_styles():
    found = models_of(textwrap.dedent("""
        import keras
        from keras import layers
        a = keras.Sequential([layers.Dense(8, input_shape=(4,)), layers.Dense(2)])
        b = keras.Sequential()
        b.add(layers.Dense(8, input_dim=4))
        b.add(layers.Dense(2))
        c = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8), layers.Dense(2)])
        d = keras.Sequential([layers.Dense(8), layers.Dense(2)])
    """))
    for name in "abc":
        assert shapes(found[name]) == [(N, 8), (N, 2)], name
        assert found[name].total == 4 * 8 + 8 + 8 * 2 + 2
    assert found["d"].status == "partial" and found["d"].total is None  # never built


def test_embedding_input_dim_is_its_vocabulary_not_the_input_width():
    found = models_of(textwrap.dedent("""
        import keras
        from keras import layers
        a = keras.Sequential([layers.Embedding(2500, 16), layers.GlobalAveragePooling1D()])
        b = keras.Sequential([keras.Input(shape=(40,), dtype="int32"),
                              layers.Embedding(2500, 16), layers.GlobalAveragePooling1D()])
    """))
    assert found["a"].status != "complete"  # Keras builds it only on its first data
    assert [row.params for row in found["a"].rows] == [None, None]  # and no (None, 2500) input
    assert shapes(found["b"]) == [(N, 40, 16), (N, 16)]
    assert found["b"].total == 2500 * 16


def test_sequential_used_as_layer_and_time_distributed_model():
    found = models_of(textwrap.dedent("""
        from keras import layers, Input, Model, Sequential
        frame = Sequential([Input(shape=(28, 28, 1)), layers.Conv2D(4, 3), layers.Flatten()])
        video = Input(shape=(10, 28, 28, 1))
        per_frame = layers.TimeDistributed(frame)(video)
        summary = layers.LSTM(6)(per_frame)
        model = Model(video, summary)
    """))
    rows = {r.cls: r for r in found["model"].rows}
    assert rows["TimeDistributed"].output_shapes == [(N, 10, 26 * 26 * 4)]
    assert rows["TimeDistributed"].params == 3 * 3 * 4 + 4
    assert found["model"].total == 40 + 4 * (6 * (2704 + 6) + 6)


def test_application_as_opaque_model():
    summary = model("""
        from tensorflow.keras import applications, layers, Input, Model
        base = applications.Xception(weights=None, include_top=False)
        image = Input(shape=(250, 250, 3))
        features = base(image)
        pooled = layers.GlobalAveragePooling2D()(features)
        model = Model(image, pooled)
    """)
    # As in Keras' summary, a nested network's row shows its own output (built for images of
    # any size); the call on 250x250 images gives (None, 8, 8, 2048) to the layers after it.
    assert shapes(summary) == [(N, 250, 250, 3), (N, N, N, 2048), (N, 2048)]
    assert summary.total == 20_861_480 and summary.non_trainable == 54_528


def test_residual_blocks_from_a_helper_in_a_loop_with_shape_conditions():
    summary = model("""
        import keras
        from keras import layers

        def residual_block(x, filters, stride=1):
            shortcut = x
            y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
            y = layers.BatchNormalization()(y)
            y = layers.Conv2D(filters, 3, padding="same")(y)
            if stride != 1 or x.shape[-1] != filters:
                shortcut = layers.Conv2D(filters, 1, strides=stride)(x)
            return layers.add([y, shortcut])

        inputs = keras.Input(shape=(32, 32, 16))
        x = inputs
        for filters, stride in [(16, 1), (32, 2), (32, 1)]:
            x = residual_block(x, filters, stride=stride)
        outputs = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, outputs)
    """)
    classes = [r.cls for r in summary.rows]
    assert classes.count("Add") == 3
    assert classes.count("Conv2D") == 7  # one projection shortcut, in the second block only
    assert summary.outputs[0][1] == (N, 32)
    assert [r.output_shapes[0] for r in summary.rows if r.cls == "Add"] == [
        (N, 32, 32, 16), (N, 16, 16, 32), (N, 16, 16, 32)]
    bn = [r for r in summary.rows if r.cls == "BatchNormalization"]
    assert [r.params for r in bn] == [64, 128, 128]
    assert summary.non_trainable == (16 + 32 + 32) * 2


def test_unknown_condition_follows_both_branches_and_forgets_what_differs():
    summary = model("""
        import sys
        import keras
        inputs = keras.Input(shape=(8,))
        if sys.argv:
            width = 16
        else:
            width = 32
        hidden = keras.layers.Dense(width)(inputs)
        outputs = keras.layers.Dense(1)(hidden)
        model = keras.Model(inputs, outputs)
    """)
    assert shapes(summary) == [(N, 8), None, None]
    assert summary.status == "partial" and summary.total is None


def test_known_condition_takes_one_branch():
    summary = model("""
        import keras
        DEEP = False
        inputs = keras.Input(shape=(8,))
        x = inputs
        if DEEP:
            x = keras.layers.Dense(64)(x)
        else:
            x = keras.layers.Dense(4)(x)
        model = keras.Model(inputs, x)
    """)
    assert shapes(summary) == [(N, 8), (N, 4)]


def test_get_layer_layers_and_output_attributes():
    found = models_of(textwrap.dedent("""
        import keras
        inp = keras.Input(shape=(4,))
        hidden = keras.layers.Dense(8, name="hidden")(inp)
        out = keras.layers.Dense(2)(hidden)
        base = keras.Model(inp, out)
        probe = keras.Model(base.input, base.get_layer("hidden").output)
        head = keras.Model(base.inputs, base.layers[1].output)
    """))
    assert found["probe"].outputs == [("hidden", (N, 8))]
    assert found["head"].outputs == [("hidden", (N, 8))]


def test_compile_fit_and_numpy_arrays_are_recorded():
    analysis = analyze_source(textwrap.dedent("""
        import numpy as np
        import keras
        inp = keras.Input(shape=(64,))
        out = keras.layers.Dense(10, activation="softmax")(inp)
        model = keras.Model(inp, out)
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy")
        x = np.random.random((1000, 64))
        y = keras.utils.to_categorical(np.random.randint(10, size=(1000, 1)), num_classes=10)
        model.fit(x, y, epochs=2)
    """))
    model = analysis.models[0]
    assert [c.method for c in model.compiles] == ["compile"]
    fit = model.trainings[0]
    assert fit.method == "fit" and fit.compiled
    x, y = fit.args
    assert x.shape == (1000, 64) and x.dtype == "float" and (x.low, x.high) == (0.0, 1.0)
    assert y.shape == (1000, 10) and y.origin == "to_categorical"


def test_numpy_reshape_slicing_and_randint_range():
    analysis = analyze_source(textwrap.dedent("""
        import numpy as np
        import keras
        inp = keras.Input(shape=(784,))
        model = keras.Model(inp, keras.layers.Dense(10)(inp))
        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        x_train = x_train.reshape(60000, 784).astype("float32") / 255
        labels = np.random.randint(0, 1, size=(100, 500))
        model.fit(x_train[:1000], labels)
    """))
    x, y = analysis.models[0].trainings[0].args
    assert x.shape == (1000, 784) and x.dtype == "float"
    assert y.shape == (100, 500) and (y.low, y.high) == (0, 1)


def test_eager_calls_on_data_return_data_of_the_inferred_shape_and_add_no_node():
    analysis = analyze_source(textwrap.dedent("""
        import numpy as np
        import keras
        import tensorflow as tf
        inp = keras.Input(shape=(3,))
        dense = keras.layers.Dense(4)
        model = keras.Model(inp, dense(inp))
        a = dense(np.zeros((2, 3)))
        b = model(tf.constant([[1.0, 2.0, 3.0]]))
        c = model.predict(np.ones((5, 3)))
        d = keras.layers.Dense(2)(b)
        e = keras.Sequential([keras.layers.Dense(1)])(keras.ops.convert_to_numpy(c))
    """))
    assert len(analysis.graph) == 2 and len(analysis.models) == 2  # Input, Dense call
    assert len(analysis.layers[1].applications) == 1
    assert [call.method for call in analysis.models[0].trainings] == ["predict"]


def test_eager_results_keep_their_shapes():
    analysis = analyze_source(textwrap.dedent("""
        import numpy as np
        import keras
        inp = keras.Input(shape=(3,))
        model = keras.Model(inp, keras.layers.Dense(4)(inp))
        model.compile(loss="mse")
        model.fit(keras.layers.Dense(3)(np.zeros((2, 5))), model.predict(np.ones((2, 3))))
    """))
    x, y = analysis.models[0].trainings[-1].args
    assert x.shape == (2, 3) and y.shape == (None, 4)


def test_python_semantics_of_containers_del_and_main():
    analysis = analyze_source(textwrap.dedent("""
        import keras
        from config import steps
        sizes = [8, 4]
        changed = {"a": 1}
        for step in range(steps):
            sizes.append(step)
            changed["b"] = 2
        kept = []
        for size in [1, 2, 3]:
            if size > steps:
                break
            kept.append(size)
        last = [16, 32].pop()
        settings = {"units": 2, "seed": 1}
        del settings["seed"]
        if __name__ == "__main__":
            inp = keras.Input(shape=(3,))
            model = keras.Model(inp, keras.layers.Dense(last + len(settings))(inp))
            other = keras.Input(shape=(len(sizes), len(changed)))
            third = keras.Input(shape=(len(kept),))
    """))
    [model] = analysis.models
    assert not model.speculative  # scripts run their main block
    assert model.graph.outputs[0].shape == (None, 33)  # pop() gave 32, the dict kept 1 key
    assert analysis.graph.node(3).outputs == [None]  # the lengths after the loop are unknown
    assert analysis.graph.node(4).outputs == [None]  # (and after an undecided break)


def test_containers_made_in_an_undecided_loop_stay_known_there():
    analysis = analyze_source(textwrap.dedent("""
        import keras
        from config import steps
        def block(x, **options):
            units = options.pop("units")
            widths = []
            widths.append(units)
            return keras.layers.Dense(widths[0] * 2)(x)
        inp = keras.Input(shape=(3,))
        for step in range(steps):
            out = block(inp, units=4)
    """))
    assert analysis.graph.node(2).outputs == [(None, 8)]


def test_input_rebound_is_an_event():
    analysis = analyze_source(textwrap.dedent("""
        from keras import applications, Input
        base = applications.Xception(weights=None, include_top=False)
        right_input = Input(shape=(250, 250, 3))
        right_input = base(right_input)
    """))
    events = [e for e in analysis.events if e.kind == "input-rebound"]
    assert len(events) == 1 and events[0].data["name"] == "right_input"


def test_shared_layer_instances_are_recognisable():
    analysis = analyze_source(textwrap.dedent("""
        from keras import layers, Input
        shared = layers.Dense(3)
        a = shared(Input(shape=(4,)))
        b = shared(Input(shape=(4,)))
    """))
    dense = [layer for layer in analysis.layers if layer.cls_name == "Dense"]
    assert len(dense) == 1 and len(dense[0].applications) == 2
    nodes = [analysis.graph.node(i) for i in dense[0].applications]
    assert [n.node_index for n in nodes] == [0, 1]


def test_graph_edges_carry_tensors_in_argument_order():
    analysis = analyze_source(textwrap.dedent("""
        from keras import layers, Input
        a = Input(shape=(4,))
        b = Input(shape=(4,))
        d = layers.subtract([b, a])
    """))
    graph = analysis.graph.g
    node = max(graph.nodes)
    slots = sorted((attrs["slot"], graph.nodes[src]["data"].name)
                   for src, _, attrs in graph.in_edges(node, data=True))
    assert slots == [(0, "input_layer_1"), (1, "input_layer")]


def test_unrolling_and_recursion_are_bounded():
    analysis = analyze_source(textwrap.dedent("""
        import keras
        def forever(x):
            return forever(x)
        inp = keras.Input(shape=(4,))
        out = forever(inp)
        for i in range(10**9):
            inp = keras.layers.Dense(4)(inp)
        model = keras.Model(inp, out)
    """))
    assert analysis.diagnostics == []
    assert analysis.models[0].kind == "custom"  # the output is unknown: no model, no finding


def test_positions_are_exact():
    analysis = analyze_source("import keras\n\nx = keras.Input(shape=(3,))\ny =  keras.layers.Dense(2)(x)\n")
    node = analysis.graph.node(2)
    span = analysis.span(node.call)
    assert (span.line, span.column, span.end_line, span.end_column) == (4, 6, 4, 30)


def test_syntax_error_is_a_diagnostic_not_an_exception():
    analysis = analyze_source("import keras\ndef f(:\n    pass\n", "bad.py")
    [finding] = analysis.diagnostics
    assert finding.code == "FN000" and finding.line == 2 and "syntax error" in finding.message


def test_parsing_trusts_the_parser_but_nodes_built_afterwards_are_still_validated():
    import libcst as cst

    analysis = analyze_source("import keras\nx = keras.Input((3,))\n")
    assert analysis.module is not None and not analysis.diagnostics
    with pytest.raises(cst.CSTValidationError):  # what a fix building a bad node must hit
        cst.Name("not a name")


def test_keras_2_code_gets_keras_2_auto_names():
    source = textwrap.dedent("""
        import tf_keras
        a = tf_keras.Input(shape=(4,))
        b = tf_keras.Input(shape=(4,))
        model = tf_keras.Model([a, b], tf_keras.layers.Dense(2)(tf_keras.layers.add([a, b])))
        other = tf_keras.Model(a, tf_keras.layers.Dense(1)(a))
    """)
    found = models_of(source)
    assert (found["model"].name, found["other"].name) == ("model", "model_1")
    assert [row.name for row in found["model"].rows][:2] == ["input_1", "input_2"]
    keras3 = models_of(source.replace("tf_keras", "keras"))
    assert keras3["model"].name == "functional"
    assert [row.name for row in keras3["model"].rows][:2] == ["input_layer", "input_layer_1"]


def test_formatted_strings_of_constants_name_layers():
    source = """
import keras
from keras import layers

inputs = keras.Input((4,))
x = inputs
for i in range(3):
    x = layers.Dense(8, name=f"block{i}_dense")(x)
model = keras.Model(inputs, layers.Dense(1, name=f"head_{i}")(x))
"""
    model = models_of(source)["model"]
    assert [row.name for row in model.rows][1:] == ["block0_dense", "block1_dense",
                                                    "block2_dense", "head_2"]
