"""Reductions over axes (`sum`, `mean`, `max`, `argmax`, ... with `axis` and `keepdims`) and
their `tf.reduce_*` and `K.*` spellings; what each makes of the dtype is in the table."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.ops.spec import (
    Tensor, axes_list, axis_index, dtype_of, float_dtype, known, op, register,
    shape_of,
)


def reduced_shape(shape: tuple, axis, keepdims) -> tuple:
    """Keras' `reduce_shape`: the reduced axes go, or stay as 1 with keepdims."""
    known(keepdims)
    if axis is None:
        return (1,) * len(shape) if keepdims else ()
    drop = axes_list(axis, len(shape))
    if keepdims:
        return tuple(1 if i in drop else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in drop)


def _sum_dtype(dtype):
    return "int32" if dtype in ("bool", "int8", "int16") else \
        "uint32" if dtype in ("uint8", "uint16") else dtype


REDUCTIONS = {  # name -> the dtype of the result from the input's
    "sum": _sum_dtype, "prod": _sum_dtype, "max": lambda d: d, "min": lambda d: d,
    "amax": lambda d: d, "amin": lambda d: d, "mean": float_dtype, "std": float_dtype,
    "var": float_dtype, "logsumexp": float_dtype, "any": lambda d: "bool",
    "all": lambda d: "bool",
}
TF_REDUCTIONS = {"reduce_sum": "sum", "reduce_mean": "mean", "reduce_max": "max",
                 "reduce_min": "min", "reduce_prod": "prod", "reduce_std": "std",
                 "reduce_variance": "var", "reduce_logsumexp": "logsumexp",
                 "reduce_any": "any", "reduce_all": "all"}
BACKEND_REDUCTIONS = ("sum", "mean", "max", "min", "prod", "std", "var", "any", "all")


def reduction(dtype_rule):
    def rule(x, axis=None, keepdims=False, **_):
        return Tensor(reduced_shape(shape_of(x), axis, keepdims), dtype_rule(dtype_of(x)))
    return rule


for _name, _dtype in REDUCTIONS.items():
    register(_name, "x, axis=None, keepdims=False, **options", reduction(_dtype))
for _tf, _name in TF_REDUCTIONS.items():
    for _path in (f"tensorflow.{_tf}", f"tensorflow.math.{_tf}"):
        register(_path, "input_tensor:x, axis=None, keepdims=False, name=None",
                 reduction(REDUCTIONS[_name]))
for _name in BACKEND_REDUCTIONS:
    register(f"keras.backend.{_name}", "x, axis=None, keepdims=False",
             reduction(REDUCTIONS[_name]))


def _arg_reduction(x, axis=None, keepdims=False, output_type="int32", **_):
    """The index of the largest (smallest) element: over the flattened tensor without an
    axis."""
    shape = shape_of(x)
    known(axis, keepdims)
    if axis is None:
        return Tensor((1,) * len(shape) if keepdims else (), "int32")
    index = axis_index(axis, len(shape))
    out = tuple(1 if i == index else d for i, d in enumerate(shape)) if keepdims else \
        shape[:index] + shape[index + 1:]
    return Tensor(out, output_type if isinstance(output_type, str) else None)


for _name in ("argmax", "argmin"):
    register(_name, "x, axis=None, keepdims=False", _arg_reduction)
    register(f"keras.backend.{_name}", "x, axis=-1, output_type='int64'", _arg_reduction)
    for _path in (f"tensorflow.{_name}", f"tensorflow.math.{_name}"):
        register(_path, "input:x, axis=0, output_type='int64', name=None", _arg_reduction)


def _flattened(shape: tuple) -> tuple:
    return (dims.product(shape),)


@op("x, axis=None, dtype=None", "cumsum", "cumprod")
def scan(x, axis=None, dtype=None):
    """Running sums and products: the flattened tensor without an axis."""
    shape = shape_of(x)
    known(axis, dtype)
    if axis is not None:
        axis_index(axis, len(shape))
    out = _flattened(shape) if axis is None else shape
    result = dtype if isinstance(dtype, str) else dtype_of(x)
    return Tensor(out, "int32" if result == "bool" else result)


def ordering(dtype_rule):
    """`sort` (the values) and `argsort` (their indices) along an axis, or flattened."""
    def rule(x, axis):
        shape = shape_of(x)
        known(axis)
        if axis is not None:
            axis_index(axis, len(shape))
        return Tensor(_flattened(shape) if axis is None else shape, dtype_rule(dtype_of(x)))
    return rule


op("x, axis=-1", "sort")(ordering(lambda d: d))
op("x, axis=-1", "argsort")(ordering(lambda d: "int32"))


@op("x, axes, keepdims=False, synchronized=False", "moments")
@op("x, axes, shift=None, keepdims=False, name=None", "tensorflow.nn.moments")
def moments(x, axes, keepdims=False, **_):
    """(mean, variance) over `axes`."""
    out = Tensor(reduced_shape(shape_of(x), axes, keepdims), dtype_of(x))
    return out, out


@op("x, ord=None, axis=None, keepdims=False", "norm")
@op("tensor:x, ord='euclidean', axis=None, keepdims=None, name=None", "tensorflow.norm",
    "tensorflow.linalg.norm")
def norm(x, axis=None, keepdims=False, **_):
    return Tensor(reduced_shape(shape_of(x), axis, bool(keepdims)), float_dtype(dtype_of(x)))
