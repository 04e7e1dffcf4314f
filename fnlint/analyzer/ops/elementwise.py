"""Element-wise ops: broadcasting arithmetic and comparisons, `where`, `cast`, and the unary
maths and activations that keep the shape (`relu`, `sigmoid`, `softmax` along an axis,
`gelu`, ...).  What each does to the dtype is data: the tables below."""

from __future__ import annotations

from fnlint.analyzer.ops.spec import (
    Tensor, Unknowable, axes_list, axis_index, broadcast, dtype_of, float_dtype, known, op,
    register, result_dtype, shape_of,
)

# Binary ops that broadcast, by how the result's dtype follows the operands'.
ARITHMETIC = ("add", "subtract", "multiply", "maximum", "minimum", "power", "mod",
              "floor_divide")
TRUE_DIVISION = ("divide", "true_divide")
COMPARISONS = ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
               "logical_and", "logical_or", "logical_xor")
# TensorFlow's spellings of the same, under `tf.` and `tf.math.`.
TF_BINARY = {"add": "add", "subtract": "subtract", "multiply": "multiply",
             "maximum": "maximum", "minimum": "minimum", "pow": "power", "divide": "divide",
             "truediv": "divide", "equal": "equal", "not_equal": "not_equal", "less": "less",
             "greater": "greater", "less_equal": "less_equal",
             "greater_equal": "greater_equal", "logical_and": "logical_and",
             "logical_or": "logical_or", "floordiv": "floor_divide", "floormod": "mod"}

# Unary ops that keep the shape: those that keep the dtype, and those that compute in float.
KEEP_DTYPE = ("relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "swish",
              "sigmoid", "hard_sigmoid", "log_sigmoid", "softplus", "softsign", "mish",
              "hard_silu", "hard_swish", "tanh_shrink", "sparse_plus", "squareplus",
              "sparse_sigmoid", "soft_shrink", "hard_shrink", "hard_tanh", "erf", "rsqrt",
              "abs", "absolute", "negative", "square", "sign", "round", "nan_to_num",
              "stop_gradient", "copy", "conj", "real", "linear")
TO_FLOAT = ("tanh", "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "reciprocal",
            "sin", "cos", "tan", "sinh", "cosh", "arctan", "arcsin", "arccos", "floor", "ceil")
BOOLEAN = ("logical_not", "isnan", "isinf", "isfinite")
TF_UNARY = {"nn.relu": "relu", "nn.relu6": "relu6", "nn.elu": "elu", "nn.selu": "selu",
            "nn.leaky_relu": "leaky_relu", "nn.gelu": "gelu", "nn.silu": "silu",
            "nn.swish": "silu", "nn.sigmoid": "sigmoid", "nn.tanh": "tanh",
            "nn.softplus": "softplus", "math.sigmoid": "sigmoid", "math.tanh": "tanh",
            "sigmoid": "sigmoid", "tanh": "tanh", "exp": "exp", "math.exp": "exp",
            "math.log": "log", "sqrt": "sqrt", "math.sqrt": "sqrt", "math.rsqrt": "rsqrt",
            "abs": "abs", "math.abs": "abs", "square": "square", "math.square": "square",
            "negative": "negative", "math.negative": "negative", "stop_gradient": "stop_gradient",
            "math.erf": "erf", "math.softplus": "softplus", "identity": "copy",
            "floor": "floor", "math.floor": "floor", "math.ceil": "ceil", "round": "round",
            "math.round": "round", "sign": "sign", "math.sign": "sign", "math.log1p": "log1p",
            "math.expm1": "expm1", "math.reciprocal": "reciprocal", "math.sin": "sin",
            "math.cos": "cos", "math.log_sigmoid": "log_sigmoid", "nn.softsign": "softsign",
            "math.softsign": "softsign"}
# Keras 2's backend functions of the same (`K.maximum(x, y)`, `K.exp(x)`).
K_BINARY = {"maximum": "maximum", "minimum": "minimum", "equal": "equal",
            "not_equal": "not_equal", "greater": "greater", "greater_equal": "greater_equal",
            "less": "less", "less_equal": "less_equal"}
K_UNARY = ("abs", "exp", "log", "sqrt", "square", "sigmoid", "tanh", "softplus", "softsign",
           "sign", "round")


def binary(dtype_rule):
    def rule(x1, x2, **_):
        return Tensor(broadcast(shape_of(x1), shape_of(x2)), dtype_rule(x1, x2))
    return rule


def _true_division(x1, x2):
    dtype = result_dtype(x1, x2)
    return float_dtype(dtype) if dtype else None


def unary(dtype_rule):
    def rule(x, **_):
        return Tensor(shape_of(x), dtype_rule(x.dtype) if isinstance(x, Tensor) else None)
    return rule


RULES = {}  # keras.ops name -> its rule, which the TensorFlow spellings share
for _name in ARITHMETIC + TRUE_DIVISION + COMPARISONS:
    RULES[_name] = binary(_true_division if _name in TRUE_DIVISION else
                          (lambda a, b: "bool") if _name in COMPARISONS else result_dtype)
    register(_name, "x1, x2", RULES[_name])
for _tf, _name in TF_BINARY.items():
    for _path in (f"tensorflow.{_tf}", f"tensorflow.math.{_tf}"):
        register(_path, "x:x1, y:x2, name=None", RULES[_name])
for _k, _name in K_BINARY.items():
    register(f"keras.backend.{_k}", "x:x1, y:x2", RULES[_name])
register("keras.backend.pow", "x:x1, a:x2", RULES["power"])

for _names, _dtype in ((KEEP_DTYPE, lambda d: d), (TO_FLOAT, float_dtype),
                       (BOOLEAN, lambda d: "bool")):
    for _name in _names:
        RULES[_name] = unary(_dtype)
        register(_name, "x, *rest, **options", RULES[_name])
for _tf, _name in TF_UNARY.items():
    register(f"tensorflow.{_tf}", "x, *rest, **options", RULES[_name])
for _name in K_UNARY:
    register(f"keras.backend.{_name}", "x", RULES[_name])


@op("x, axis=-1", "softmax", "log_softmax")
@op("x, axis=-1", "keras.backend.softmax")
@op("logits:x, axis=None, name=None", "tensorflow.nn.softmax", "tensorflow.math.softmax",
    "tensorflow.nn.log_softmax")
def softmax(x, axis, **_):
    """Softmax along an axis that must exist; the axis may be a tuple in Keras 3."""
    shape = shape_of(x)
    known(axis)
    for a in (axis if isinstance(axis, (tuple, list)) else [-1 if axis is None else axis]):
        axis_index(a, len(shape))
    return Tensor(shape, dtype_of(x))


@op("condition, x1=None, x2=None", "where")
@op("condition, x:x1=None, y:x2=None, name=None", "tensorflow.where")
def where(condition, x1, x2, **_):
    if x1 is None or x2 is None:
        raise Unknowable()  # the indices of the true elements: as many as there are
    shape = broadcast(shape_of(condition), shape_of(x1), shape_of(x2))
    return Tensor(shape, result_dtype(x1, x2))


@op("x, dtype", "cast")
@op("x, dtype, name=None", "tensorflow.cast", "keras.backend.cast")
def cast(x, dtype, **_):
    known(dtype)
    return Tensor(shape_of(x), dtype if isinstance(dtype, str) else None)


@op("x, x_min, x_max", "clip")
@op("t:x, clip_value_min:x_min, clip_value_max:x_max, name=None", "tensorflow.clip_by_value")
@op("x, min_value:x_min, max_value:x_max", "keras.backend.clip")
def clip(x, x_min, x_max, **_):
    return Tensor(broadcast(shape_of(x), shape_of(x_min), shape_of(x_max)), dtype_of(x))


@op("x, dtype=None", "zeros_like", "ones_like")
@op("x, fill_value, dtype=None", "full_like")
@op("input:x, dtype=None, name=None", "tensorflow.zeros_like", "tensorflow.ones_like")
@op("x, dtype=None, name=None", "keras.backend.zeros_like", "keras.backend.ones_like")
def like(x, dtype=None, **_):
    """A new tensor of x's shape (and dtype unless given)."""
    known(dtype)
    return Tensor(shape_of(x), dtype if isinstance(dtype, str) else dtype_of(x))


@op("x, axis=None", "flip")
@op("x, shift, axis=None", "roll")
@op("x, k=0", "tril", "triu")
@op("x, axis=-1, order=2, epsilon=None", "normalize")
@op("x, axis=None, epsilon=1e-12, name=None, dim=None", "tensorflow.math.l2_normalize",
    "tensorflow.nn.l2_normalize")
@op("x, axis=None", "keras.backend.l2_normalize")
def same_shape(x, axis=None, **_):
    """Ops that rearrange or rescale values in place: the shape (and axes) stay."""
    shape = shape_of(x)
    known(axis)
    if axis is not None:
        axes_list(axis, len(shape))
    return Tensor(shape, dtype_of(x))


# The real dtype of each complex one.
_REAL_PART = {"complex64": "float32", "complex128": "float64"}


@op("input:x, name=None", "tensorflow.math.real", "tensorflow.math.imag", "tensorflow.real",
    "tensorflow.imag")
def real_part(x, **_):
    """A complex tensor's real (or imaginary) part: its shape, in the real dtype."""
    dtype = dtype_of(x)
    return Tensor(shape_of(x), _REAL_PART.get(dtype, dtype))


@op("input:x, name=None", "tensorflow.signal.fft", "tensorflow.signal.ifft")
@op("input:x, name=None", "tensorflow.signal.fft2d", "tensorflow.signal.ifft2d")
def fourier(x, **_):
    """A discrete Fourier transform over the inner axes of a complex tensor: its shape."""
    if dtype_of(x) not in _REAL_PART:
        raise Unknowable()  # (TensorFlow refuses a real input: not this rule's to say)
    return Tensor(shape_of(x), dtype_of(x))
