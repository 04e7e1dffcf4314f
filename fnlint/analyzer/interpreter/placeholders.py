"""Tensors inside a user layer's or model's methods: placeholders of the shapes a call gives
them, hidden from the module's graph, and shapes as Keras hands them to `build` and
`compute_output_shape`."""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.graph import OP, NodeData
from fnlint.analyzer.layers import dims
from fnlint.analyzer.values import ArrayV, Const, DictV, Seq, TensorV, Unknown, Value

from fnlint.analyzer.interpreter.keras_layers import new_id


def placeholder(interp, shape, dtype, node) -> TensorV:
    """A tensor of `shape` inside an instance: a hidden node of its own."""
    graph = interp.graph
    graph.hiding += 1
    try:
        data = NodeData(new_id(interp), OP, None, "Placeholder", "placeholder", [], [shape],
                        node, interp.stack, dtype=dtype)
        graph.add(data)
    finally:
        graph.hiding -= 1
    return TensorV(data.id, 0, shape, dtype)


def substitute(interp, value: Value, node) -> Value:
    """`value` with each tensor replaced by a placeholder of its shape and dtype."""
    if isinstance(value, TensorV):
        return placeholder(interp, value.shape, value.dtype, node)
    if isinstance(value, Seq) and not value.opaque:
        return Seq([substitute(interp, v, node) for v in value.items], value.kind)
    if isinstance(value, DictV) and not value.opaque:
        return DictV({k: substitute(interp, v, node) for k, v in value.items.items()})
    return value


def input_shape_value(first: Value, shapes: list) -> Value:
    """The `input_shape` Keras builds a layer with: its first argument's shape, or the list
    of shapes of a list of tensors."""
    if isinstance(first, TensorV):
        return keras_shape(shapes[0])
    return Seq([keras_shape(s) for s in shapes], "list")


def keras_shape(shape) -> Value:
    """A shape as Keras hands it to `build` and `compute_output_shape`: symbolic sizes are
    None."""
    if shape is None:
        return Unknown("shape")
    return Seq([Const(d if dims.defined(d) else None) for d in shape], "tuple")


def batch_of(interp, data: Value, node) -> Optional[Value]:
    """What Keras builds an instance on when it is called (or fitted) on arrays: `data` with
    each array a placeholder of its shape, the batch size unknown; None unless every leaf is
    an array of known shape."""
    if isinstance(data, ArrayV):
        if data.shape is None or not data.shape:
            return None
        return placeholder(interp, (None,) + tuple(data.shape[1:]), "float32", node)
    if isinstance(data, (Seq, DictV)) and not data.opaque:
        items = data.items if isinstance(data, Seq) else data.items.values()
        parts = [batch_of(interp, item, node) for item in items]
        if not parts or any(part is None for part in parts):
            return None
        return Seq(parts, data.kind) if isinstance(data, Seq) else \
            DictV(dict(zip(data.items, parts)))
    return None
