"""Keras 2's op layers: in `tf_keras` (and `tf.keras` before TF 2.16) a TensorFlow op called
on a symbolic tensor between layers becomes a layer of its own, which `model.layers` lists and
`model.summary()` shows with 0 parameters.  TensorFlow dispatches the call to a `TFOpLambda`
(a subscript to a `SlicingOpLambda`) named "tf." + the canonical name of the function that
received the tensor, made unique as layer names are (`tf.math.add`, `tf.math.add_1`).

The names are those of TensorFlow 2.21 with tf_keras 2.21, one row per op family: the layer's
name, then every path of the ops library that reaches the same TensorFlow function (checked
against real tf_keras by `tests/test_keras2_op_layers.py`).  An op missing here, or one that
makes several layers (`tf.nn.moments`, `K.all`), has no row: the model stays partial.
"""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.ops.spec import Tensor, table

TF_OP, SLICING_OP = "TFOpLambda", "SlicingOpLambda"
NO_LAYER = ""  # the op reads static facts of the tensor: Keras 2 makes no layer for it

_TF, _K = "tensorflow.", "keras.backend."

FAMILIES = {  # the layer's name -> the op paths that make it
    "tf.math.abs": (_TF + "abs", _TF + "math.abs"),
    "tf.math.add": (_TF + "add", _TF + "math.add"),
    "tf.math.subtract": (_TF + "subtract", _TF + "math.subtract"),
    "tf.math.multiply": (_TF + "multiply", _TF + "math.multiply"),
    "tf.math.truediv": (_TF + "divide", _TF + "math.divide", _TF + "truediv",
                        _TF + "math.truediv"),
    "tf.compat.v1.floor_div": (_TF + "math.floordiv",),
    "tf.math.floormod": (_TF + "math.floormod",),
    "tf.math.pow": (_TF + "pow", _TF + "math.pow"),
    "tf.math.negative": (_TF + "negative", _TF + "math.negative"),
    "tf.math.maximum": (_TF + "maximum", _TF + "math.maximum"),
    "tf.math.minimum": (_TF + "minimum", _TF + "math.minimum"),
    "tf.math.equal": (_TF + "equal", _TF + "math.equal"),
    "tf.math.not_equal": (_TF + "not_equal", _TF + "math.not_equal"),
    "tf.math.greater": (_TF + "greater", _TF + "math.greater"),
    "tf.math.greater_equal": (_TF + "greater_equal", _TF + "math.greater_equal"),
    "tf.math.less": (_TF + "less", _TF + "math.less"),
    "tf.math.less_equal": (_TF + "less_equal", _TF + "math.less_equal"),
    "tf.math.logical_and": (_TF + "logical_and", _TF + "math.logical_and"),
    "tf.math.logical_or": (_TF + "logical_or", _TF + "math.logical_or"),
    "tf.math.exp": (_TF + "exp", _TF + "math.exp"),
    "tf.math.log": (_TF + "math.log",),
    "tf.math.sqrt": (_TF + "sqrt", _TF + "math.sqrt"),
    "tf.math.rsqrt": (_TF + "math.rsqrt",),
    "tf.math.square": (_TF + "square", _TF + "math.square"),
    "tf.math.erf": (_TF + "math.erf",),
    "tf.math.sigmoid": (_TF + "sigmoid", _TF + "math.sigmoid", _TF + "nn.sigmoid"),
    "tf.math.tanh": (_TF + "tanh", _TF + "math.tanh", _TF + "nn.tanh"),
    "tf.math.softplus": (_TF + "math.softplus", _TF + "nn.softplus"),
    "tf.math.l2_normalize": (_TF + "math.l2_normalize", _TF + "nn.l2_normalize"),
    "tf.math.argmax": (_TF + "argmax", _TF + "math.argmax", _K + "argmax"),
    "tf.math.argmin": (_TF + "argmin", _TF + "math.argmin", _K + "argmin"),
    "tf.math.reduce_all": (_TF + "reduce_all", _TF + "math.reduce_all"),
    "tf.math.reduce_any": (_TF + "reduce_any", _TF + "math.reduce_any"),
    "tf.math.reduce_logsumexp": (_TF + "reduce_logsumexp", _TF + "math.reduce_logsumexp"),
    "tf.math.reduce_max": (_TF + "reduce_max", _TF + "math.reduce_max", _K + "max"),
    "tf.math.reduce_min": (_TF + "reduce_min", _TF + "math.reduce_min", _K + "min"),
    "tf.math.reduce_mean": (_TF + "reduce_mean", _TF + "math.reduce_mean", _K + "mean"),
    "tf.math.reduce_prod": (_TF + "reduce_prod", _TF + "math.reduce_prod", _K + "prod"),
    "tf.math.reduce_sum": (_TF + "reduce_sum", _TF + "math.reduce_sum", _K + "sum"),
    "tf.math.reduce_std": (_TF + "math.reduce_std", _K + "std"),
    "tf.math.reduce_variance": (_TF + "math.reduce_variance", _K + "var"),
    "tf.math.top_k": (_TF + "math.top_k", _TF + "nn.top_k"),
    "tf.nn.softmax": (_TF + "nn.softmax", _TF + "math.softmax", _K + "softmax"),
    "tf.nn.log_softmax": (_TF + "nn.log_softmax",),
    "tf.nn.relu": (_TF + "nn.relu",),
    "tf.nn.relu6": (_TF + "nn.relu6",),
    "tf.nn.elu": (_TF + "nn.elu",),
    "tf.nn.selu": (_TF + "nn.selu",),
    "tf.nn.gelu": (_TF + "nn.gelu",),
    "tf.nn.leaky_relu": (_TF + "nn.leaky_relu",),
    "tf.nn.silu": (_TF + "nn.silu", _TF + "nn.swish"),
    "tf.clip_by_value": (_TF + "clip_by_value",),
    "tf.where": (_TF + "where",),
    "tf.cast": (_TF + "cast", _K + "cast"),
    "tf.stop_gradient": (_TF + "stop_gradient",),
    "tf.zeros_like": (_TF + "zeros_like",),
    "tf.ones_like": (_TF + "ones_like",),
    "tf.linalg.matmul": (_TF + "matmul", _TF + "linalg.matmul"),
    "tf.einsum": (_TF + "einsum", _TF + "linalg.einsum"),
    "tf.tensordot": (_TF + "tensordot", _TF + "linalg.tensordot"),
    "tf.compat.v1.norm": (_TF + "norm", _TF + "linalg.norm"),
    "tf.reshape": (_TF + "reshape", _K + "reshape", _K + "flatten"),
    "tf.compat.v1.transpose": (_TF + "transpose", _K + "permute_dimensions"),
    "tf.concat": (_TF + "concat", _K + "concatenate"),
    "tf.stack": (_TF + "stack", _K + "stack"),
    "tf.split": (_TF + "split",),
    "tf.expand_dims": (_TF + "expand_dims", _K + "expand_dims"),
    "tf.compat.v1.squeeze": (_TF + "squeeze", _K + "squeeze"),
    "tf.tile": (_TF + "tile", _K + "tile"),
    "tf.broadcast_to": (_TF + "broadcast_to",),
    "tf.compat.v1.pad": (_TF + "pad",),
    "tf.slice": (_TF + "slice",),
    "tf.compat.v1.gather": (_TF + "gather", _K + "gather"),
    "tf.one_hot": (_TF + "one_hot", _K + "one_hot"),
    "tf.image.resize": (_TF + "image.resize",),
    "tf.image.extract_patches": (_TF + "image.extract_patches",),
    "tf.compat.v1.shape": (_TF + "shape", _K + "shape"),
    NO_LAYER: (_K + "int_shape",),
}

# Python's operators on a Keras 2 tensor (the interpreter's operator names) and subscripts.
OPERATORS = {"Add": "tf.__operators__.add", "Subtract": "tf.math.subtract",
             "Multiply": "tf.math.multiply", "Divide": "tf.math.truediv",
             "FloorDivide": "tf.compat.v1.floor_div", "Modulo": "tf.math.floormod",
             "Power": "tf.math.pow", "MatrixMultiply": "tf.linalg.matmul",
             "Minus": "tf.math.negative"}
GETITEM = "tf.__operators__.getitem"

NAMES = {path: name for name, paths in FAMILIES.items() for path in paths}

# Where the Python function in between chooses other ops from its arguments:
# `tf.concat([x])` is `tf.identity(x)`; Keras 2's backend casts a bool tensor to float
# before reducing it (one more layer) and computes a softmax over several axes by hand.
ONE_VALUE = {_TF + "concat": "tf.identity", _K + "concatenate": "tf.identity"}
CASTS_BOOL = frozenset({_K + "mean", _K + "std", _K + "var"})
INT_AXIS = frozenset({_K + "softmax"})


def layer_name(path: str, args: list, kwargs: dict) -> Optional[str]:
    """The name (before Keras makes it unique) of the op layer Keras 2 makes of a call of the
    op at `path` on these arguments (as the ops library takes them); NO_LAYER when it makes
    none, None when fnlint does not know it exactly."""
    name = NAMES.get(path)
    if not name or path not in ONE_VALUE and path not in CASTS_BOOL and path not in INT_AXIS:
        return name
    spec = table().get(path)
    bound = spec.bind(args, kwargs) if spec is not None else None
    if bound is None:
        return None
    if path in ONE_VALUE:
        values = bound.get("xs")
        if not isinstance(values, (list, tuple)):
            return None
        return ONE_VALUE[path] if len(values) == 1 else name
    if path in CASTS_BOOL:
        x = bound.get("x")
        return name if isinstance(x, Tensor) and x.dtype not in (None, "bool") else None
    axis = bound.get("axis")
    return name if isinstance(axis, int) and not isinstance(axis, bool) else None
