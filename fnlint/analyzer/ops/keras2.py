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

_TF, _K, _A = "tensorflow.", "keras.backend.", "keras.activations."

# `tf.X` and `tf.math.X`, one function, which Keras 2 names `tf.math.X`.
_MATH = ("abs", "add", "subtract", "multiply", "pow", "negative", "maximum", "minimum", "equal",
         "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
         "logical_or", "exp", "sqrt", "square", "sigmoid", "tanh", "argmax", "argmin",
         "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max", "reduce_min",
         "reduce_mean", "reduce_prod", "reduce_sum", "floor", "round", "sign")
# `tf.math.X` only.
_MATH_ONLY = ("floormod", "log", "rsqrt", "erf", "reduce_std", "reduce_variance", "log1p",
              "expm1", "ceil", "reciprocal", "sin", "cos", "log_sigmoid")
# Where the name is another function's than the path says: the layer's name -> op paths.
_OTHERS = {
    "tf.math.truediv": ("divide", "math.divide", "truediv", "math.truediv"),
    "tf.compat.v1.floor_div": ("math.floordiv",),
    "tf.math.softplus": ("math.softplus", "nn.softplus"),
    "tf.nn.softsign": ("nn.softsign", "math.softsign"),
    "tf.math.l2_normalize": ("math.l2_normalize", "nn.l2_normalize"),
    "tf.math.top_k": ("math.top_k", "nn.top_k"),
    "tf.nn.softmax": ("nn.softmax", "math.softmax"), "tf.nn.silu": ("nn.silu", "nn.swish"),
    "tf.linalg.matmul": ("matmul", "linalg.matmul"), "tf.einsum": ("einsum", "linalg.einsum"),
    "tf.tensordot": ("tensordot", "linalg.tensordot"),
    "tf.compat.v1.norm": ("norm", "linalg.norm"), "tf.compat.v1.transpose": ("transpose",),
    "tf.compat.v1.squeeze": ("squeeze",), "tf.compat.v1.pad": ("pad",),
    "tf.compat.v1.gather": ("gather",), "tf.compat.v1.shape": ("shape",),
}
# `tf.X` named `tf.X`.
_SAME = ("nn.log_softmax", "nn.relu", "nn.relu6", "nn.elu", "nn.selu", "nn.gelu",
         "nn.leaky_relu", "clip_by_value", "where", "cast", "stop_gradient", "zeros_like",
         "ones_like", "reshape", "concat", "stack", "split", "expand_dims", "tile",
         "broadcast_to", "slice", "one_hot", "image.resize", "image.extract_patches",
         "identity")
# Keras 2's backend functions that call one TensorFlow op on the tensor: `K.X` -> its name.
_BACKEND = {
    "argmax": "tf.math.argmax", "argmin": "tf.math.argmin", "max": "tf.math.reduce_max",
    "min": "tf.math.reduce_min", "mean": "tf.math.reduce_mean", "prod": "tf.math.reduce_prod",
    "sum": "tf.math.reduce_sum", "std": "tf.math.reduce_std", "var": "tf.math.reduce_variance",
    "softmax": "tf.nn.softmax", "cast": "tf.cast", "reshape": "tf.reshape",
    "flatten": "tf.reshape", "permute_dimensions": "tf.compat.v1.transpose",
    "concatenate": "tf.concat", "stack": "tf.stack", "expand_dims": "tf.expand_dims",
    "squeeze": "tf.compat.v1.squeeze", "tile": "tf.tile", "gather": "tf.compat.v1.gather",
    "one_hot": "tf.one_hot", "shape": "tf.compat.v1.shape", "abs": "tf.math.abs",
    "exp": "tf.math.exp", "log": "tf.math.log", "square": "tf.math.square",
    "pow": "tf.math.pow", "maximum": "tf.math.maximum", "minimum": "tf.math.minimum",
    "sigmoid": "tf.math.sigmoid", "tanh": "tf.math.tanh", "softplus": "tf.math.softplus",
    "softsign": "tf.nn.softsign", "sign": "tf.math.sign", "round": "tf.math.round",
    "equal": "tf.math.equal", "not_equal": "tf.math.not_equal", "greater": "tf.math.greater",
    "greater_equal": "tf.math.greater_equal", "less": "tf.math.less",
    "less_equal": "tf.math.less_equal", "clip": "tf.clip_by_value",
    "l2_normalize": "tf.math.l2_normalize", "transpose": "tf.compat.v1.transpose",
    "zeros_like": "tf.zeros_like", "ones_like": "tf.ones_like", "int_shape": NO_LAYER,
}  # `K.sqrt` is two layers (`tf.math.maximum`, `tf.math.sqrt`): not listed
# Keras 2's activation functions called on a tensor: `activations.X` -> its name.
_ACTIVATIONS = {"relu": "tf.nn.relu", "sigmoid": "tf.math.sigmoid", "tanh": "tf.math.tanh",
                "softmax": "tf.nn.softmax", "elu": "tf.nn.elu", "selu": "tf.nn.selu",
                "softplus": "tf.math.softplus", "softsign": "tf.nn.softsign",
                "swish": "tf.nn.silu", "gelu": "tf.nn.gelu"}


def _families() -> dict:
    """The layer's name -> the op paths that make it."""
    found: dict = {f"tf.math.{name}": [_TF + name, _TF + "math." + name] for name in _MATH}
    found["tf.math.sigmoid"].append(_TF + "nn.sigmoid")
    found["tf.math.tanh"].append(_TF + "nn.tanh")
    found.update({f"tf.math.{name}": [_TF + "math." + name] for name in _MATH_ONLY})
    found.update({name: [_TF + path for path in paths] for name, paths in _OTHERS.items()})
    found.update({f"tf.{path}": [_TF + path] for path in _SAME})
    for function, name in _BACKEND.items():
        found.setdefault(name, []).append(_K + function)
    for function, name in _ACTIVATIONS.items():
        found[name].append(_A + function)
    return {name: tuple(paths) for name, paths in found.items()}


FAMILIES = _families()

# Python's operators on a Keras 2 tensor (the interpreter's operator names) and subscripts.
OPERATORS = {"Add": "tf.__operators__.add", "Subtract": "tf.math.subtract",
             "Multiply": "tf.math.multiply", "Divide": "tf.math.truediv",
             "FloorDivide": "tf.compat.v1.floor_div", "Modulo": "tf.math.floormod",
             "Power": "tf.math.pow", "MatrixMultiply": "tf.linalg.matmul",
             "Minus": "tf.math.negative"}
GETITEM = "tf.__operators__.getitem"

# `keras.applications.<module>.preprocess_input` on a tensor: the op layers Keras 2 makes, by
# the module's mode (`imagenet_utils.preprocess_input`); a module without a mode returns the
# tensor itself (its network rescales inside).
PREPROCESSING = {"tf": ("tf.math.truediv", "tf.math.subtract"),
                 "caffe": (GETITEM, "tf.nn.bias_add"),
                 "torch": ("tf.math.truediv", "tf.nn.bias_add", "tf.math.truediv")}
PREPROCESSING_MODES = {
    "mobilenet": "tf", "mobilenet_v2": "tf", "resnet_v2": "tf", "inception_v3": "tf",
    "inception_resnet_v2": "tf", "xception": "tf", "nasnet": "tf", "resnet": "caffe",
    "resnet50": "caffe", "vgg16": "caffe", "vgg19": "caffe", "densenet": "torch",
    "efficientnet": None, "efficientnet_v2": None, "mobilenet_v3": None, "convnext": None,
    "regnet": None, "resnet_rs": None,
}

NAMES = {path: name for name, paths in FAMILIES.items() for path in paths}

# Where the Python function in between chooses other ops from its arguments:
# `tf.concat([x])` is `tf.identity(x)`; Keras 2's backend casts a bool tensor to float
# before reducing it (one more layer) and computes a softmax over several axes by hand;
# `activations.relu(x, alpha=0.1)` is a leaky ReLU, `activations.elu(x, 0.5)` a `tf.where`.
ONE_VALUE = {_TF + "concat": "tf.identity", _K + "concatenate": "tf.identity"}
CASTS_BOOL = frozenset({_K + "mean", _K + "std", _K + "var"})
INT_AXIS = frozenset({_K + "softmax", _A + "softmax"})
X_ONLY = frozenset({_A + "relu", _A + "elu"})


def layer_name(path: str, args: list, kwargs: dict) -> Optional[str]:
    """The name (before Keras makes it unique) of the op layer Keras 2 makes of a call of the
    op at `path` on these arguments (as the ops library takes them); NO_LAYER when it makes
    none, None when fnlint does not know it exactly."""
    name = NAMES.get(path)
    if not name or path not in ONE_VALUE and path not in CASTS_BOOL and path not in INT_AXIS \
            and path not in X_ONLY:
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
    if path in X_ONLY:
        return name if not bound.get("rest") and not bound.get("options") else None
    axis = bound.get("axis")
    return name if isinstance(axis, int) and not isinstance(axis, bool) else None
