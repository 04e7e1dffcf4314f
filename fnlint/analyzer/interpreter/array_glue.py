"""Where the interpreter hands data to `analyzer/arrays.py`: NumPy and other data-making
calls, array methods, subscripts and attributes, and arithmetic on arrays.  Each hook answers
for data only; what is not data it leaves to the interpreter.
"""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer import arrays
from fnlint.analyzer.graph import INPUT, TensorGraph
from fnlint.analyzer.values import (
    UNKNOWN, ArrayV, BoundMethod, Const, TensorV, Unknown, Value, is_data, to_python,
)

from fnlint.analyzer.interpreter.semantics import is_int, shape_value


def data_call(interp, path: str, kind: str, detail, args, kwargs, node) -> Optional[Value]:
    """A call that makes data (`numpy.*`, `to_categorical`, a dataset, `tf.constant`,
    `tf.ones`...), or None when `path` is not one or makes no data of these arguments."""
    if kind == "to_categorical":
        return arrays.to_categorical(args, kwargs, node)
    if kind == "dataset":
        return arrays.dataset(detail, node)
    if path in _DATA_MAKERS and args:
        made = make_data(interp, path, args[0], node)
        if made is not None:
            return made
    if path in _FILLED_DATA:
        shape = to_python(kwargs.get("shape", args[0] if args else UNKNOWN))
        if isinstance(shape, (tuple, list)) and all(is_int(d) for d in shape):
            return ArrayV(tuple(shape), origin="constant", node=node)
    if path.startswith("numpy."):
        return arrays.construct(path[6:], args, kwargs, node)
    return None


def array_method(array: ArrayV, name: str, args, kwargs) -> Value:
    """`array.reshape(...)`, `.astype(...)`, `.copy()` (the names of ARRAY_METHODS)."""
    if name == "reshape":
        return arrays.reshape(array, args)
    if name == "astype":
        return arrays.with_dtype(array, args[0] if args else kwargs.get("dtype"))
    if name == "copy":
        return array
    return Unknown(f"array.{name}")


ARRAY_METHODS = ("reshape", "astype", "copy", "squeeze")


def array_attribute(interp, array: ArrayV, attr: str, node) -> Value:
    if attr == "shape":
        return shape_value(array.shape)
    if attr == "ndim":
        return Const(len(array.shape)) if array.shape is not None else Unknown("ndim")
    if attr == "T" and array.shape is not None:
        return ArrayV(tuple(reversed(array.shape)), array.dtype, array.low, array.high,
                      origin=array.origin, node=array.node)
    if attr in ARRAY_METHODS:
        return BoundMethod(array, attr)
    return Unknown(f"array.{attr}")


def array_subscript(array: ArrayV, bounds=None, key=None) -> Value:
    """`array[lower:upper]` (`bounds`: the slice's lower, upper and step) or `array[key]`."""
    if bounds is not None:
        if bounds[2] is None and all(b is None or isinstance(b, int) for b in bounds):
            return arrays.slice_rows(array, bounds[0], bounds[1])
        return Unknown("array slice")
    if isinstance(key, int) and array.shape:
        return ArrayV(array.shape[1:], array.dtype, array.low, array.high,
                      origin=array.origin, node=array.node)
    return Unknown("subscript")


def make_data(interp, path: str, value: Value, node) -> Optional[Value]:
    """`tf.constant(...)`, `keras.ops.convert_to_numpy(...)` and friends: data, not a
    symbolic tensor (None: a symbolic argument, an operation in the graph)."""
    always = _DATA_MAKERS[path]
    if is_data(value):
        shape = value.shape if isinstance(value, ArrayV) else arrays.nested_shape(value)
        return ArrayV(shape, origin="constant", node=node)
    if not always or (isinstance(value, TensorV) and
                      descends_from_input(interp.graph, value)):
        return None
    return ArrayV(None, origin="constant", node=node)


# Calls that make data from their argument: True when whatever it is (`tf.constant` fails on a
# symbolic tensor), False when only from data (`convert_to_tensor` keeps a tensor symbolic).
_DATA_MAKERS = {"tensorflow.constant": True, "keras.ops.convert_to_numpy": True,
                "tensorflow.convert_to_tensor": False, "keras.ops.convert_to_tensor": False}


# Calls that make data of a constant shape (a shape computed from a symbolic tensor would make
# a symbolic result: those stay operations).
_FILLED_DATA = frozenset({
    "tensorflow.ones", "tensorflow.zeros", "tensorflow.fill", "tensorflow.random.normal",
    "tensorflow.random.uniform", "keras.ops.ones", "keras.ops.zeros", "keras.ops.full",
    "keras.random.normal", "keras.random.uniform"})


def arithmetic_array(op: str, left: Value, right: Value) -> Value:
    array = left if isinstance(left, ArrayV) else right
    other = right if array is left else left
    if isinstance(other, ArrayV) and other.shape != array.shape:
        return Unknown("array broadcast")
    if op in ("Divide",):
        return ArrayV(array.shape, "float", origin=array.origin, node=array.node)
    if op in ("Add", "Subtract", "Multiply") and isinstance(to_python(other), (int, float)):
        return ArrayV(array.shape, array.dtype if isinstance(to_python(other), int) else "float",
                      origin=array.origin, node=array.node)
    return ArrayV(array.shape, None, origin=array.origin, node=array.node)


def descends_from_input(graph: TensorGraph, tensor: TensorV) -> bool:
    """Whether a tensor is computed from an `Input`: only those are symbolic for certain (a
    layer called on values the analysis does not know may well have run eagerly)."""
    todo, seen = [tensor.node_id], set()
    while todo:
        node_id = todo.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        data = graph.node(node_id)
        if data.kind == INPUT:
            return True
        todo.extend(t.node_id for t in data.inputs if t is not None)
    return False
