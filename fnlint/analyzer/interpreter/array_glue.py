"""Where the interpreter hands data to `analyzer/arrays.py`: NumPy and data-making calls,
array methods, subscripts and attributes, and arithmetic on arrays.
"""

from __future__ import annotations

from typing import Optional


from fnlint.analyzer import arrays
from fnlint.analyzer.graph import INPUT, TensorGraph
from fnlint.analyzer.values import ArrayV, TensorV, Unknown, Value, is_data, to_python



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
