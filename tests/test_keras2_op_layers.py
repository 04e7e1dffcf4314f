"""Keras 2's op layers against real tf_keras: every row of fnlint's table of the layers Keras 2
makes of an op between layers (`fnlint.analyzer.ops.keras2`) is the layer tf_keras makes of a
call of that op, by name, class and output shapes; and on small Keras 2 models with ops between
their layers, fnlint's summary equals `model.layers` of the model tf_keras builds, row by row
(names with their `_1` suffixes, classes, shapes, parameters).  tf_keras runs in subprocesses.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from fnlint.analyzer import analyze_source, ops
from fnlint.analyzer.interpreter.keras_ops import OPERATORS
from fnlint.analyzer.layers import dims
from fnlint.analyzer.ops import keras2
from fnlint.analyzer.summary import summarize
from fnlint.summaries import COMPLETE
from fnlint.verify.compare import disagreements

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None,
                       reason="needs tf_keras (pip install tf-keras)"),
]

TF, K, A = "tensorflow.", "keras.backend.", "keras.activations."
X = "T((None, 4, 6))"
XY = "T((None, 4, 6)), T((None, 4, 6))"
BOOLS = "T((None, 4), 'bool'), T((None, 4), 'bool')"
AXIS = "T((None, 4, 8)), axis=1"

# The arguments of a call of each row of the table: every TensorFlow path of the row is called
# on them; the Keras 2 backend paths have calls of their own.
ROW_CASES = {
    "tf.math.abs": X, "tf.math.add": XY, "tf.math.subtract": XY, "tf.math.multiply": XY,
    "tf.math.truediv": XY, "tf.compat.v1.floor_div": XY, "tf.math.floormod": XY,
    "tf.math.pow": XY, "tf.math.negative": X, "tf.math.maximum": XY, "tf.math.minimum": XY,
    "tf.math.equal": XY, "tf.math.not_equal": XY, "tf.math.greater": XY,
    "tf.math.greater_equal": XY, "tf.math.less": XY, "tf.math.less_equal": XY,
    "tf.math.logical_and": BOOLS, "tf.math.logical_or": BOOLS, "tf.math.exp": X,
    "tf.math.log": X, "tf.math.sqrt": X, "tf.math.rsqrt": X, "tf.math.square": X,
    "tf.math.erf": X, "tf.math.sigmoid": X, "tf.math.tanh": X, "tf.math.softplus": X,
    "tf.math.l2_normalize": "T((None, 8)), axis=-1", "tf.math.argmax": "T((None, 10)), axis=-1",
    "tf.math.argmin": "T((None, 10)), axis=-1",
    "tf.math.reduce_all": "T((None, 4, 8), 'bool'), axis=1",
    "tf.math.reduce_any": "T((None, 4, 8), 'bool'), axis=1",
    "tf.math.reduce_logsumexp": AXIS, "tf.math.reduce_max": AXIS, "tf.math.reduce_min": AXIS,
    "tf.math.reduce_mean": AXIS, "tf.math.reduce_prod": AXIS,
    "tf.math.reduce_sum": "T((None, 4, 8)), axis=-1, keepdims=True",
    "tf.math.reduce_std": AXIS, "tf.math.reduce_variance": AXIS,
    "tf.math.top_k": "T((None, 10)), k=3", "tf.nn.softmax": "T((None, 4, 10)), axis=1",
    "tf.nn.log_softmax": X, "tf.nn.relu": X, "tf.nn.relu6": X, "tf.nn.elu": X,
    "tf.nn.selu": X, "tf.nn.gelu": X, "tf.nn.leaky_relu": X, "tf.nn.silu": X,
    "tf.clip_by_value": "T((None, 4)), 0.0, 1.0",
    "tf.where": "T((None, 4), 'bool'), T((None, 4)), T((None, 4))",
    "tf.cast": "T((None, 4)), 'int32'", "tf.stop_gradient": X, "tf.zeros_like": X,
    "tf.ones_like": X, "tf.linalg.matmul": "T((None, 4, 8)), T((None, 6, 8)), transpose_b=True",
    "tf.einsum": "'bij,bjk->bik', T((None, 3, 4)), T((None, 4, 2))",
    "tf.tensordot": "T((None, 8)), T((8, 3)), axes=1", "tf.compat.v1.norm": "T((None, 4, 8)), axis=-1",
    "tf.reshape": "T((None, 4, 8)), (-1, 32)",
    "tf.compat.v1.transpose": "T((None, 4, 8)), perm=[0, 2, 1]",
    "tf.concat": "[T((None, 4)), T((None, 6))], axis=-1",
    "tf.stack": "[T((None, 4)), T((None, 4))], axis=1", "tf.split": "T((None, 12)), 3, axis=1",
    "tf.expand_dims": "T((None, 4)), 1", "tf.compat.v1.squeeze": "T((None, 4, 1)), axis=-1",
    "tf.tile": "T((None, 4)), [1, 3]", "tf.broadcast_to": "T((2, 1, 4)), [2, 3, 4]",
    "tf.compat.v1.pad": "T((None, 4, 4, 3)), [[0, 0], [1, 1], [1, 1], [0, 0]]",
    "tf.slice": "T((None, 10, 8)), [0, 2, 0], [-1, 4, -1]",
    "tf.compat.v1.gather": "T((None, 10, 8)), T((3,), 'int32'), axis=1",
    "tf.one_hot": "T((None,), 'int32'), 10", "tf.image.resize": "T((None, 32, 32, 3)), (64, 64)",
    "tf.image.extract_patches": "T((None, 32, 32, 3)), [1, 8, 8, 1], [1, 8, 8, 1], "
                                "[1, 1, 1, 1], 'VALID'",
    "tf.compat.v1.shape": X, "tf.identity": X, "tf.math.floor": X, "tf.math.round": X,
    "tf.math.sign": X, "tf.math.log1p": X, "tf.math.expm1": X, "tf.math.ceil": X,
    "tf.math.reciprocal": X, "tf.math.sin": X, "tf.math.cos": X, "tf.math.log_sigmoid": X,
    "tf.nn.softsign": X,
}
BACKEND_CASES = [
    (K + "argmax", "T((None, 10))"), (K + "argmin", "T((None, 10))"), (K + "max", AXIS),
    (K + "min", AXIS), (K + "mean", AXIS), (K + "prod", AXIS), (K + "sum", AXIS),
    (K + "std", AXIS), (K + "var", AXIS), (K + "softmax", "T((None, 10))"),
    (K + "cast", "T((None, 4)), 'int32'"), (K + "reshape", "T((None, 4, 8)), (-1, 32)"),
    (K + "flatten", "T((2, 3, 4))"), (K + "permute_dimensions", "T((None, 4, 8)), (0, 2, 1)"),
    (K + "concatenate", "[T((None, 4)), T((None, 6))]"),
    (K + "stack", "[T((None, 4)), T((None, 4))]"), (K + "expand_dims", "T((None, 4))"),
    (K + "squeeze", "T((None, 4, 1)), -1"), (K + "tile", "T((None, 4)), [1, 3]"),
    (K + "gather", "T((10, 8)), T((None,), 'int32')"), (K + "one_hot", "T((None,), 'int32'), 10"),
    (K + "shape", "T((None, 4))"), (K + "int_shape", "T((None, 4))"), (K + "abs", X),
    (K + "exp", X), (K + "log", X), (K + "square", X), (K + "sqrt", X), (K + "pow", f"{X}, 2"),
    (K + "maximum", XY), (K + "minimum", XY), (K + "sigmoid", X), (K + "tanh", X),
    (K + "softplus", X), (K + "softsign", X), (K + "sign", X), (K + "round", X),
    (K + "equal", XY), (K + "not_equal", XY), (K + "greater", XY), (K + "greater_equal", XY),
    (K + "less", XY), (K + "less_equal", XY), (K + "clip", f"{X}, 0.0, 1.0"),
    (K + "l2_normalize", f"{X}, axis=-1"), (K + "transpose", "T((None, 4, 8))"),
    (K + "zeros_like", X), (K + "ones_like", X),
    (A + "relu", X), (A + "sigmoid", X), (A + "tanh", X), (A + "softmax", X), (A + "elu", X),
    (A + "selu", X), (A + "softplus", X), (A + "softsign", X), (A + "swish", X), (A + "gelu", X),
]
# Calls where the function in between picks other ops from its arguments.
CONDITIONAL_CASES = [
    (TF + "concat", "[T((None, 4))], axis=-1"), (K + "concatenate", "[T((None, 4))]"),
    (K + "mean", "T((None, 4), 'bool')"), (K + "std", "T((None, 4), 'bool')"),
    (K + "softmax", "T((None, 4, 6)), axis=(1, 2)"), (A + "relu", f"{X}, alpha=0.1"),
    (A + "relu", f"{X}, max_value=6.0"), (A + "elu", f"{X}, alpha=0.5"),
    (A + "softmax", f"{X}, axis=(1, 2)"),
]
# Python's operators: (the interpreter's name, the function, its arguments).
OPERATOR_CASES = [
    ("Add", "operator.add", "T((None, 4)), T((None, 4))"), ("Add", "operator.add", "2.0, T((None, 4))"),
    ("Subtract", "operator.sub", "1.0, T((None, 4))"),
    ("Multiply", "operator.mul", "T((None, 4)), 3"), ("Divide", "operator.truediv", "1.0, T((None, 4))"),
    ("FloorDivide", "operator.floordiv", "T((None, 4)), 2.0"),
    ("Modulo", "operator.mod", "T((None, 4)), 2.0"), ("Power", "operator.pow", "T((None, 4)), 2"),
    ("MatrixMultiply", "operator.matmul", "T((None, 4, 8)), T((8, 5))"),
]


CASES = ([(path, args) for name, args in ROW_CASES.items() for path in keras2.FAMILIES[name]
          if path.startswith(TF)] + BACKEND_CASES
         + CONDITIONAL_CASES + [(function, args) for _, function, args in OPERATOR_CASES]
         + [("operator.neg", "T((None, 4))"), ("__getitem__", "T((None, 4, 8)), (slice(None), 0)"),
            ("__getitem__", "T((None, 4, 8)), (Ellipsis, slice(None, 2))")])
OURS = ([None] * (len(CASES) - len(OPERATOR_CASES) - 3)
        + [keras2.OPERATORS[name] for name, _, _ in OPERATOR_CASES]
        + [keras2.OPERATORS["Minus"], keras2.GETITEM, keras2.GETITEM])


def _arguments(arguments: str):
    return eval(f"capture({arguments})",  # noqa: S307 - the table's own source
                {"capture": lambda *a, **k: (list(a), k),
                 "T": lambda shape, dtype="float32": ops.Tensor(tuple(shape), dtype)})


def _expected(index: int):
    """fnlint's layer name for the case and the shapes of its outputs (None: not tensors)."""
    path, arguments = CASES[index]
    args, kwargs = _arguments(arguments)
    if path == "__getitem__":
        return OURS[index], [ops.subscript_of(args[0], args[1])]
    if path.startswith("operator."):
        name = next(n for n, f, _ in OPERATOR_CASES if f == path) if path != "operator.neg" \
            else "Minus"
        op = OPERATORS[name][0] if name != "Minus" else "keras.ops.negative"
        return OURS[index], [ops.infer(op, args, kwargs)]
    result = ops.infer(path, args, kwargs)
    outputs = list(result) if isinstance(result, tuple) else [result]
    tensors = all(isinstance(t, ops.Tensor) for t in outputs)
    return keras2.layer_name(path, args, kwargs), outputs if tensors else None


@pytest.fixture(scope="module")
def real() -> dict:
    table = {"cases": CASES}
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "keras2_op_layers.py")],
                          input=json.dumps(table), capture_output=True, text=True,
                          timeout=600, cwd=ROOT / "tests")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_every_path_of_the_table_is_called():
    assert set(ROW_CASES) == {name for name, paths in keras2.FAMILIES.items()
                              if any(p.startswith(TF) for p in paths)}
    assert set(keras2.NAMES) <= {path for path, _ in CASES}


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{path}({args})" for path, args in CASES])
def test_the_op_layer_is_the_one_tf_keras_makes(index, real):
    name, outputs = _expected(index)
    made = real["cases"][index]
    if name is None:  # fnlint abstains: Keras 2 makes several layers, or another one
        path = CASES[index][0]
        assert "error" not in made, made
        assert len(made) != 1 or made[0][0] != keras2.NAMES.get(path), made
        return
    if name == keras2.NO_LAYER:
        assert "error" in made, made  # the static facts are no layer's output
        return
    assert "error" not in made, made
    cls = keras2.SLICING_OP if name == keras2.GETITEM else keras2.TF_OP
    assert [(n, c) for n, c, _ in made] == [(name, cls)]
    if outputs is not None:
        assert [[dims.keras_dim(d) for d in t.shape] for t in outputs] == made[0][2]


# -- whole models: fnlint's summary against tf_keras' model.layers ---------------------------

MODELS = {
    "arithmetic": """
        import tensorflow as tf
        import tf_keras
        from tf_keras import layers

        x = tf_keras.Input(shape=(8, 4))
        y = tf_keras.Input(shape=(8, 4))
        h = layers.Dense(4)(x)
        a = h + y
        b = a * 2.0
        c = tf.reduce_mean(b, axis=1, keepdims=True)
        d = tf.concat([a, c], axis=1)
        e = tf.nn.softmax(d[:, 0])
        f = tf.math.add(1.0 - e, e / 2)
        g = tf.reshape(f * 3, (-1, 2, 2))
        model = tf_keras.Model([x, y], layers.Dense(2)(g), name="arithmetic")
    """,
    "attention": """
        import tensorflow as tf
        import tf_keras
        from tf_keras import layers

        tokens = tf_keras.Input(shape=(10, 16))
        q, k, v = layers.Dense(8)(tokens), layers.Dense(8)(tokens), layers.Dense(8)(tokens)
        scores = tf.matmul(q, k, transpose_b=True) / 8 ** 0.5
        weights = tf.nn.softmax(scores, axis=-1)
        context = tf.matmul(weights, v)
        swapped = tf.transpose(context, perm=[0, 2, 1])
        pooled = tf.reduce_max(swapped, axis=-1)
        first = context[:, 0, :]
        last = context[:, -1]
        joined = tf.concat([pooled, first, last], axis=-1)
        model = tf_keras.Model(tokens, layers.Dense(3, activation="softmax")(joined),
                               name="attention")
    """,
    "backend": """
        import tf_keras
        from tf_keras import backend as K
        from tf_keras import layers

        x = tf_keras.Input(shape=(6, 4))
        h = layers.Dense(4)(x)
        m = K.mean(h, axis=1)
        s = K.sum(h, axis=1)
        c = K.concatenate([m, s])
        e = K.expand_dims(c)
        p = K.permute_dimensions(e, (0, 2, 1))
        q = K.squeeze(p, 1)
        r = K.softmax(q)
        model = tf_keras.Model(x, layers.Dense(2)(K.reshape(r, (-1, 8))), name="backend")
    """,
    "constants": """
        import numpy as np
        import tensorflow as tf
        import tf_keras
        from tf_keras import layers

        x = tf_keras.Input(shape=(4,))
        scale = tf.ones((4,)) * 2.0
        offset = np.zeros((4,), "float32") + 1.0
        h = layers.Dense(4)(x)
        h = (h - offset) * scale
        h = 2.0 * h + 1
        h = -h ** 2
        h = tf.reshape(h, (-1, h.shape[-1], 1))
        model = tf_keras.Model(x, layers.Flatten()(h), name="constants")
    """,
    "two_models": """
        import tensorflow as tf
        import tf_keras
        from tf_keras import layers

        def block(t):
            return tf.nn.relu(t * 0.5)

        a = tf_keras.Input(shape=(3,))
        first = tf_keras.Model(a, layers.Dense(3, name="tf.math.multiply_1")(block(a)),
                               name="first")
        b = tf_keras.Input(shape=(3,))
        h = block(block(b))
        parts = tf.split(h, 3, axis=1)
        shared = layers.Dense(2)
        second = tf_keras.Model(b, tf.add(shared(parts[0]), shared(parts[2])), name="second")
    """,
    "transformer": """
        import tensorflow as tf
        import tf_keras as keras
        from tf_keras import layers

        inputs = keras.Input(shape=(20,))
        positions = tf.range(start=0, limit=20, delta=1)
        x = layers.Embedding(1000, 32)(inputs) + layers.Embedding(20, 32)(positions)
        attention = layers.MultiHeadAttention(num_heads=2, key_dim=32)(x, x)
        x = layers.LayerNormalization(epsilon=1e-6)(x + attention)
        x = layers.LayerNormalization()(x + layers.Dense(32)(layers.Dense(64)(x)))
        x = layers.Dropout(0.1)(tf.reduce_mean(x, axis=1))
        model = keras.Model(inputs, layers.Dense(2, activation="softmax")(x), name="transformer")
    """,
    "preprocessing": """
        import tf_keras as keras
        from tf_keras import layers
        from tf_keras.applications import densenet, efficientnet, mobilenet_v2, resnet50

        images = keras.Input(shape=(32, 32, 3))
        a = layers.Conv2D(4, 3)(mobilenet_v2.preprocess_input(images))
        b = layers.Conv2D(4, 3)(resnet50.preprocess_input(images))
        c = layers.Conv2D(4, 3)(densenet.preprocess_input(images))
        d = layers.Conv2D(4, 3)(efficientnet.preprocess_input(images))
        merged = layers.Concatenate()([a, b, c, d])
        model = keras.Model(images, layers.Dense(2)(layers.GlobalAveragePooling2D()(merged)),
                            name="preprocessing")
    """,
    "inside_layers": """
        import tensorflow as tf
        import tf_keras
        from tf_keras import layers

        class Scale(layers.Layer):
            def call(self, inputs):
                return tf.reduce_mean(inputs * 2.0, axis=-1, keepdims=True) + inputs

        x = tf_keras.Input(shape=(5, 4))
        h = Scale()(layers.Lambda(lambda t: tf.reduce_mean(t * 2.0, axis=1))(x))
        h = tf.reduce_mean(h * 2.0, axis=-1, keepdims=True)
        model = tf_keras.Model(x, layers.Dense(1)(h + 1.0), name="inside_layers")
    """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("keras2_models")
    paths = {}
    for name, source in MODELS.items():
        paths[name] = folder / f"{name}.py"
        paths[name].write_text(textwrap.dedent(source), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "keras_build.py"),
                           *map(str, paths.values())], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    return {name: (paths[name], out[str(paths[name])]) for name in MODELS}


@pytest.mark.parametrize("name", list(MODELS))
def test_the_summary_equals_tf_keras_row_by_row(name, built):
    path, result = built[name]
    assert result["error"] is None, result["error"]
    ours = {s.name: s for s in summarize(analyze_source(path.read_text(encoding="utf-8"),
                                                        str(path)))}
    assert sorted(ours) == sorted(m["name"] for m in result["models"])
    for model in result["models"]:
        summary = ours[model["name"]]
        assert (summary.status, summary.reason) == (COMPLETE, None)
        rows = [(r.name, r.cls, [list(dims.keras_dim(d) for d in s) for s in r.output_shapes],
                 r.params) for r in summary.rows]
        assert rows == [(layer["name"], layer["class"], layer["shapes"], layer["params"])
                        for layer in model["layers"]]
        assert disagreements(model, summary, complete=True) == []


def test_verify_mode_rebuilds_a_keras2_model_with_operators_in_keras3_and_agrees(tmp_path):
    """Verify mode builds the model in Keras 3, where its ops are no layers: fnlint's rows of
    Keras 2's op layers are left out of the comparison, not a disagreement (FN803)."""
    from test_verify import verify_files

    path = tmp_path / "k2ops.py"
    path.write_text(textwrap.dedent("""
        import tf_keras
        from tf_keras import layers

        x = tf_keras.Input(shape=(6, 8))
        h = layers.Dense(8)(x)
        mixed = h * 0.5 + layers.Dense(8)(h)
        model = tf_keras.Model(x, layers.Dense(3, activation="softmax")(layers.Flatten()(mixed)))
        model.compile("adam", "categorical_crossentropy")
    """), encoding="utf-8")
    reports, verified = verify_files([path])
    assert [(v.status, v.reason) for v in verified.verified] == [("trained", None)]
    assert reports[0].findings == []
