"""Program values as the ops library takes them as arguments: what the interpreter passes
to an op, and what a model's op nodes are computed again from on other input shapes."""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.ops.spec import Tensor
from fnlint.analyzer.values import UNRESOLVED, ArrayV, Const, Ref, Seq, SizeV, TensorV, Value

# Dtype names a Ref may end with (`tf.float32`, `np.int32`, `keras.backend.floatx()` aside).
DTYPES = frozenset({"float16", "bfloat16", "float32", "float64", "int8", "int16", "int32",
                    "int64", "uint8", "uint16", "uint32", "uint64", "bool", "complex64",
                    "complex128", "string"})


def argument(value: Value, shapes: Optional[dict] = None):
    """An argument as the ops library takes it: tensors (and arrays) as `Tensor`, sizes read
    from tensors as their dims, constants and sequences of them as Python values, anything
    else UNRESOLVED.  `shapes`: (node id, index) -> the shape a tensor has instead, for an op
    computed again on other inputs."""
    if isinstance(value, TensorV):
        key = (value.node_id, value.index)
        return Tensor(shapes[key] if shapes is not None and key in shapes else value.shape,
                      value.dtype)
    if isinstance(value, ArrayV):
        return Tensor(value.shape, None)
    if isinstance(value, SizeV):
        return value.dim
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Seq) and not value.opaque:
        items = [argument(item, shapes) for item in value.items]
        return tuple(items) if value.kind == "tuple" else items
    if isinstance(value, Ref):
        name = value.path.rpartition(".")[2]
        return name if name in DTYPES else UNRESOLVED
    return UNRESOLVED
