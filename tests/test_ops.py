"""The ops shape library on what the differential test cannot show: signatures bound as Keras
binds them, symbolic sizes carried through, and unknown (never an error) where an argument
is not known."""

from __future__ import annotations

import textwrap

import pytest

from fnlint import catalog
from fnlint.analyzer.layers.spec import MergeError, ReshapeError, ShapeError
from fnlint.analyzer.ops import Tensor, infer, subscript_of, table
from fnlint.analyzer.symbolic import Expr, Symbol, SymbolName
from fnlint.analyzer.values import UNRESOLVED

H = Expr.of(Symbol(1, "H", SymbolName("img", True)))
W = Expr.of(Symbol(1, "W", SymbolName("img", True)))


def test_declared_keras_signatures_are_keras_own():
    """Each `keras.ops` op binds its arguments by the names, order and defaults Keras 3
    declares (from the catalog generated from real Keras)."""
    listed = catalog.module_names("keras.ops")
    checked = 0
    for path, spec in table().items():
        module, _, name = path.rpartition(".")
        if module != "keras.ops" or any(p.variadic or p.keywords for p in spec.params):
            continue
        keras_params = {p["name"]: p for p in listed[name]["params"]}
        ours = [p.name for p in spec.params]
        assert ours == list(keras_params)[:len(ours)], path
        for param in spec.params:
            if "default" in keras_params[param.name]:
                assert param.default == keras_params[param.name]["default"], (path, param.name)
        checked += 1
    assert checked >= 40


def test_every_keras_path_is_a_public_keras_name():
    for path in table():
        module, _, name = path.rpartition(".")
        names = catalog.module_names(module)
        if path.startswith(("keras.ops.", "keras.activations.")) and names is not None:
            assert name in names, path


@pytest.mark.parametrize("path, args, kwargs, shape", [
    ("keras.ops.concatenate", [[Tensor((None, H, 8)), Tensor((None, H, 4))]], {"axis": -1},
     (None, H, 12)),
    ("keras.ops.concatenate", [[Tensor((None, H, 8)), Tensor((None, W, 8))]], {"axis": 1},
     (None, H + W, 8)),
    ("keras.ops.reshape", [Tensor((4, H, 8)), (-1, 8)], {}, (4 * H, 8)),
    ("keras.ops.add", [Tensor((None, H, 1)), Tensor((None, 1, W))], {}, (None, H, W)),
    ("keras.ops.transpose", [Tensor((None, H, W, 3)), (0, 3, 1, 2)], {}, (None, 3, H, W)),
    ("keras.ops.shape", [Tensor((None, H, 3))], {}, (None, H, 3)),
    ("keras.ops.split", [Tensor((None, 2 * H)), 2], {"axis": 1},
     (Tensor((None, H)), Tensor((None, H)))),
])
def test_symbolic_sizes_are_carried(path, args, kwargs, shape):
    result = infer(path, args, kwargs)
    assert (result.shape if isinstance(result, Tensor) else result) == shape


def test_sizes_different_for_every_input_size_do_not_broadcast():
    with pytest.raises(MergeError):
        infer("keras.ops.add", [Tensor((None, H, 8)), Tensor((None, H + 1, 8))], {})


def test_the_symbolic_shape_of_a_tensor_reshapes_it():
    """`ops.reshape(x, (batch, -1, 8))` with `batch = ops.shape(x)[0]`: a dimension the
    program computes is a size of the target."""
    assert infer("keras.ops.reshape", [Tensor((None, 4, 8)), (None, -1, 8)], {}).shape == \
        (None, None, 8)
    with pytest.raises(ReshapeError):
        infer("keras.ops.reshape", [Tensor((2, H, 8)), (2 * H, 3)], {})


@pytest.mark.parametrize("path, args, kwargs", [
    ("keras.ops.reshape", [Tensor((None, 4, 8)), UNRESOLVED], {}),
    ("keras.ops.matmul", [Tensor(None), Tensor((8, 16))], {}),
    ("keras.ops.sum", [Tensor((None, 4))], {"axis": UNRESOLVED}),
    ("keras.ops.transpose", [Tensor((None, 4, 8))], {"axes": (0, 1, 1)}),
    ("keras.ops.matmul", [Tensor((None, 4, 8))], {}),  # a call Python refuses
    ("keras.ops.matmul", [Tensor((None, 4, 8)), Tensor((8, 2))], {"bogus": 1}),
    ("keras.ops.where", [Tensor((None, 4), "bool")], {}),  # the indices of true elements
    ("keras.ops.einsum", [UNRESOLVED, Tensor((3, 4))], {}),
    ("tensorflow.gather", [Tensor((10, 8)), Tensor((None, 2))], {"batch_dims": 1}),
    ("keras.ops.no_such_op", [Tensor((3,))], {}),
])
def test_what_is_not_known_gives_no_shape_and_no_error(path, args, kwargs):
    assert infer(path, args, kwargs) is None


def test_only_a_definite_mismatch_is_an_error():
    assert infer("keras.ops.matmul", [Tensor((None, 4, H)), Tensor((8, 2))], {}).shape == \
        (None, 4, 2)
    with pytest.raises(ShapeError, match="inner dimensions"):
        infer("keras.ops.matmul", [Tensor((None, 4, 7)), Tensor((8, 2))], {})


def test_subscripts():
    x = Tensor((None, H, 8), "float32")
    assert subscript_of(x, (slice(None), 0)).shape == (None, 8)
    assert subscript_of(x, (Ellipsis, slice(None, 4))).shape == (None, H, 4)
    assert subscript_of(x, (slice(None), slice(None), UNRESOLVED)) is None


# -- through the interpreter: ops between layers ---------------------------------------------

def _output_shapes(source: str) -> dict:
    """Layer name -> output shape, as `fnlint summary` prints them, of the module's models."""
    from fnlint.analyzer import analyze_source
    from fnlint.analyzer.summary import summarize
    rows = {}
    for summary in summarize(analyze_source(textwrap.dedent(source), "m.py")):
        rows.update({row.name: row.output_shapes[0] for row in summary.rows})
    return rows


def test_operators_subscripts_and_shape_sizes_carry_shapes_between_layers():
    shapes = _output_shapes("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        x = keras.Input(shape=(10, 8))
        gate = layers.Dense(1, name="gate")(x)
        scaled = x * tf.nn.sigmoid(gate) + 1.0
        last = scaled[:, -1]
        steps = tf.reshape(scaled, [tf.shape(x)[0], 80])
        both = tf.concat([last, steps], axis=-1)
        out = layers.Dense(3, name="out")(-both)
        model = keras.Model(x, out)
    """)
    assert shapes["out"] == (None, 3)


def test_keras2_backend_ops_resolve():
    shapes = _output_shapes("""
        from tensorflow import keras
        from tensorflow.keras import backend as K, layers
        x = keras.Input(shape=(6, 4))
        pooled = K.mean(K.permute_dimensions(x, (0, 2, 1)), axis=-1)
        out = layers.Dense(2, name="out")(K.concatenate([pooled, K.max(x, axis=1)]))
        model = keras.Model(x, out)
    """)
    assert shapes["out"] == (None, 2)


def test_an_op_fnlint_does_not_know_leaves_the_model_unresolved_without_a_finding():
    from fnlint.analyzer import analyze_source
    from fnlint.analyzer.summary import summarize
    source = textwrap.dedent("""
        import keras
        from keras import layers, ops
        x = keras.Input(shape=(10,))
        y = ops.searchsorted(x, x)
        out = layers.Dense(2, name="out")(y)
        model = keras.Model(x, out)
    """)
    analysis = analyze_source(source, "m.py")
    assert [d.error for d in analysis.graph.nodes() if d.error] == []
    (summary,) = summarize(analysis)
    assert {row.name: row.output_shapes[0] for row in summary.rows}["out"] is None


def test_ops_on_constants_and_arrays_run_eagerly_into_data():
    from fnlint.analyzer.interpreter.keras_ops import call_op
    from fnlint.analyzer.values import ArrayV, Const, Unknown
    value = call_op(None, "keras.ops.expand_dims", [ArrayV((100, 28, 28)), Const(-1)], {}, None)
    assert isinstance(value, ArrayV) and value.shape == (100, 28, 28, 1)
    assert isinstance(call_op(None, "keras.ops.sqrt", [Const(32.0)], {}, None), ArrayV)
    assert isinstance(call_op(None, "keras.ops.matmul", [ArrayV((2, 3)), ArrayV((4, 5))], {},
                              None), Unknown)  # the program's own data: not a model finding


def test_the_editor_hover_names_the_op_with_its_shape():
    from fnlint.analyzer import analyze_source
    from fnlint.analyzer.locate import Locator
    from fnlint.server.shapes import hover_text
    source = ("import keras\nfrom keras import ops\nx = keras.Input(shape=(4, 8))\n"
              "scores = ops.matmul(x, ops.transpose(x, (0, 2, 1)))\n")
    site = Locator(analyze_source(source, "m.py")).site_at(4, 2)
    assert hover_text(site) == "`scores`: (None, 4, 4) from the op 'matmul'"


def test_hostile_op_arguments_cost_nothing_and_raise_nothing():
    from fnlint.analyzer import analyze_source
    source = textwrap.dedent("""
        import keras
        from keras import ops
        x = keras.Input(shape=(8, 4))
        a = ops.arange(float("inf"))
        b = ops.split(x, 10**12, axis=1)
        c = ops.tile(x, (10**18, 10**18, 10**18))
        d = ops.reshape(x, (10**30, -1))
        e = x[::0]
        f = ops.einsum("ij" * 5000 + "->", x)
        g = ops.repeat(x, [1] * 50000, axis=1)
        h = ops.pad(x, ((0, 0), (10**20, 10**20), (0, 0)))
    """)
    analysis = analyze_source(source, "m.py")
    assert analysis.diagnostics == []


# -- Keras 2: ops between layers are layers of their own ----------------------------------------

def _summaries(source: str, target: str = "3") -> list:
    from fnlint.analyzer import analyze_source
    from fnlint.analyzer.summary import summarize
    return summarize(analyze_source(textwrap.dedent(source), "m.py", target=target))


KERAS2_OPS = """
    import tensorflow as tf
    import {package} as K2
    from {package} import layers
    x = K2.Input(shape=(8,))
    h = layers.Dense(4)(x)
    y = tf.reduce_mean(h * 2.0, axis=1, keepdims=True)
    model = K2.Model(x, layers.Dense(2)(y))
"""


@pytest.mark.parametrize("package, target", [("tf_keras", "3"), ("tensorflow.keras", "2")])
def test_a_keras2_model_lists_its_ops_between_layers_as_keras2_names_them(package, target):
    """Keras 2 lists `h * 2.0` and `tf.reduce_mean` as TFOpLambda layers of their own, with
    0 parameters: the summary shows them, named as tf_keras names them, between the others."""
    from fnlint.summaries import COMPLETE
    (summary,) = _summaries(KERAS2_OPS.format(package=package), target)
    assert [(row.name, row.cls, row.output_shapes, row.params) for row in summary.rows] == [
        ("input_1", "InputLayer", [(None, 8)], 0), ("dense", "Dense", [(None, 4)], 36),
        ("tf.math.multiply", "TFOpLambda", [(None, 4)], 0),
        ("tf.math.reduce_mean", "TFOpLambda", [(None, 1)], 0),
        ("dense_1", "Dense", [(None, 2)], 4)]
    assert summary.rows[3].connected == ["tf.math.multiply[0][0]"]
    assert summary.rows[4].connected == ["tf.math.reduce_mean[0][0]"]
    assert (summary.status, summary.total) == (COMPLETE, 40)


@pytest.mark.parametrize("op", ["tf.nn.moments(h, axes=[1])[0]", "K2.backend.all(h, axis=1)",
                                "tf.reshape(h, (tf.shape(h)[0], 2, 2))"])
def test_a_keras2_op_that_makes_layers_fnlint_does_not_name_leaves_the_model_partial(op):
    """`tf.nn.moments` and `K.all` make several layers in Keras 2; `tf.shape(h)[0]` two
    more than fnlint has nodes for: the summary shows the other layers and says why."""
    from fnlint.summaries import KERAS2_OP, PARTIAL
    source = KERAS2_OPS.format(package="tf_keras").replace(
        "tf.reduce_mean(h * 2.0, axis=1, keepdims=True)", op)
    (summary,) = _summaries(source)
    assert [row.cls for row in summary.rows] == ["InputLayer", "Dense", "Dense"]
    assert (summary.status, summary.cause) == (PARTIAL, KERAS2_OP)
    assert "TFOpLambda" in summary.reason


def test_the_same_model_on_keras3_is_complete():
    from fnlint.summaries import COMPLETE
    source = KERAS2_OPS.format(package="keras").replace("tf.reduce_mean", "K2.ops.mean")
    (summary,) = _summaries(source)
    assert summary.status == COMPLETE


@pytest.mark.parametrize("before", [
    "if sys.argv[1] == 'debug':\n    extra = tf.nn.relu(h)",  # Keras makes it or not
    "stats = tf.nn.moments(h, axes=[1])",  # six layers, which fnlint does not name
    "n = tf.shape(h)[0]",  # a shape layer, a getitem layer
    "part = h['logits']",  # a dict where fnlint sees a tensor: no layer, or an error
])
def test_keras2_op_names_after_an_op_fnlint_cannot_count_are_unsure(before):
    """Keras 2 counts op layers by name across the session: after an op on a branch not
    decided, or one whose layers fnlint does not know, a later op's `_N` is not sure."""
    from fnlint.summaries import KERAS2_OP, PARTIAL
    source = "\n".join([
        "import sys", "import tensorflow as tf", "import tf_keras", "from tf_keras import layers",
        "x = tf_keras.Input(shape=(4,))", "h = layers.Dense(4)(x)", before,
        "model = tf_keras.Model(x, layers.Dense(2)(tf.nn.relu(h)))"])
    (summary,) = _summaries(source)
    assert (summary.status, summary.cause) == (PARTIAL, KERAS2_OP)
    assert [row.cls for row in summary.rows] == ["InputLayer", "Dense", "Dense"]


def test_keras2_op_names_before_such_an_op_stay_sure():
    from fnlint.summaries import COMPLETE
    source = textwrap.dedent(KERAS2_OPS.format(package="tf_keras")) + \
        "stats = tf.nn.moments(y, axes=[1])\n"
    (summary,) = _summaries(source)
    assert summary.status == COMPLETE


def test_keras2_op_layers_are_left_out_of_the_comparison_with_keras_where_not_listed():
    """Verify mode and the differential test compare the layers fnlint lists."""
    from fnlint.verify.compare import disagreements
    (summary,) = _summaries(KERAS2_OPS.format(package="tf_keras").replace(
        "tf.reduce_mean(h * 2.0, axis=1, keepdims=True)",
        "tf.nn.moments(h * 2.0, axes=[1], keepdims=True)[0]"))
    op = {"class": "TFOpLambda", "shapes": [[None, 1]], "params": 0}
    built = {"params": 40, "layers": [
        {"name": "input_1", "class": "InputLayer", "shapes": [[None, 8]], "params": 0},
        {"name": "dense", "class": "Dense", "shapes": [[None, 4]], "params": 36},
        {"name": "tf.math.multiply", "class": "TFOpLambda", "shapes": [[None, 4]], "params": 0},
        {"name": "tf.math.reduce_mean", **op}, {"name": "tf.stop_gradient", **op},
        {"name": "tf.math.squared_difference", **op}, {"name": "tf.math.reduce_mean_1", **op},
        {"name": "dense_1", "class": "Dense", "shapes": [[None, 2]], "params": 4}]}
    assert [d.text for d in disagreements(built, summary)] == []
    built["layers"][-1]["params"] = 5
    assert [d.text for d in disagreements(built, summary)] == [
        "dense_1 (Dense): params 4 != Keras 5"]


def test_keras2_op_layers_are_compared_with_keras_where_listed():
    from fnlint.verify.compare import disagreements
    (summary,) = _summaries(KERAS2_OPS.format(package="tf_keras"))
    built = {"params": 40, "layers": [
        {"name": "input_1", "class": "InputLayer", "shapes": [[None, 8]], "params": 0},
        {"name": "dense", "class": "Dense", "shapes": [[None, 4]], "params": 36},
        {"name": "tf.math.multiply", "class": "TFOpLambda", "shapes": [[None, 4]], "params": 0},
        {"name": "tf.math.reduce_mean", "class": "TFOpLambda", "shapes": [[None, 1]],
         "params": 0},
        {"name": "dense_1", "class": "Dense", "shapes": [[None, 2]], "params": 4}]}
    assert disagreements(built, summary, complete=True) == []
    built["layers"][3]["name"] = "tf.math.reduce_mean_1"
    assert disagreements(built, summary, complete=True) != []


# -- Lambda layers: the function inlined on the symbolic input ----------------------------------

def test_lambda_functions_give_their_output_shapes():
    shapes = _output_shapes("""
        import keras
        from keras import layers, ops

        def swap(t):
            return ops.transpose(t, (0, 2, 1))

        x = keras.Input(shape=(10, 6))
        mean = layers.Lambda(lambda t: ops.mean(t, axis=1), name="mean")(x)
        swapped = layers.Lambda(swap, name="swapped")(x)
        given = layers.Lambda(lambda t: t, output_shape=(3, 20), name="given")(x)
        pair = layers.Lambda(function=lambda p: ops.concatenate(p, axis=-1), name="pair")(
            [mean, mean])
        model = keras.Model(x, [swapped, given, pair])
    """)
    assert shapes["mean"] == (None, 6)
    assert shapes["swapped"] == (None, 6, 10)
    assert shapes["given"] == (None, 3, 20)  # Keras takes output_shape= as given
    assert shapes["pair"] == (None, 12)


def test_a_lambda_not_followed_is_unknown_without_a_finding_or_op_nodes():
    from fnlint.analyzer import analyze_source
    from fnlint.analyzer.graph import OP
    from fnlint.analyzer.summary import summarize
    source = textwrap.dedent("""
        import keras
        from keras import layers, ops
        from helpers import transform
        x = keras.Input(shape=(10, 6))
        a = layers.Lambda(transform, name="a")(x)
        b = layers.Lambda(lambda t: transform(t), name="b")(x)
        c = layers.Lambda(lambda t: ops.matmul(t, t), name="c")(x)  # (10, 6) @ (10, 6)
        d = layers.Lambda(lambda t: layers.Dense(3)(t), name="d")(x)
        e = layers.Lambda(lambda t, u: t + u, name="e")(x)
        model = keras.Model(x, [a, b, c, d, e])
    """)
    analysis = analyze_source(source, "m.py")
    (summary,) = summarize(analysis)
    rows = {row.name: row for row in summary.rows}
    assert all(rows[name].output_shapes == [None] for name in "abcde")
    assert list(rows) == ["input_layer", "a", "b", "c", "d", "e"]  # no Dense made inside
    assert [d for d in analysis.graph.nodes() if d.kind == OP or d.error] == []


def test_keras2_traces_a_lambda_even_with_output_shape_given():
    """tf_keras shows the traced output of `Lambda(f, output_shape=...)`, Keras 3 the given
    shape (both measured with the installed packages)."""
    source = """
        import {package} as K
        x = K.Input(shape=(8,))
        y = K.layers.Lambda(lambda t: t * 2.0, output_shape=(5,), name="scaled")(x)
        model = K.Model(x, y)
    """
    assert _output_shapes(source.format(package="tf_keras"))["scaled"] == (None, 8)
    assert _output_shapes(source.format(package="keras"))["scaled"] == (None, 5)
