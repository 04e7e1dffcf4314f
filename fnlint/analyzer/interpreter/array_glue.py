"""Where the interpreter hands data to `analyzer/arrays` and `analyzer/pipelines`: NumPy and
other data-making calls, array methods, subscripts, comparisons and attributes, arithmetic on
arrays, scikit-learn transformers, and the methods of data pipelines.  Each hook answers
for data only; what is not data it leaves to the interpreter.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from fnlint.analyzer import arrays, pipelines
from fnlint.analyzer.graph import INPUT, TensorGraph
from fnlint.analyzer.values import (
    UNKNOWN, UNRESOLVED, ApiObject, ArrayV, BoundMethod, Const, Function, LayerV, PipelineV,
    TensorV, Unknown, Value, is_data, to_python,
)

from fnlint.analyzer.interpreter import partials
from fnlint.analyzer.interpreter.scopes import Scope
from fnlint.analyzer.interpreter.semantics import is_int, shape_value


def data_call(interp, path: str, kind: str, detail, args, kwargs, node) -> Optional[Value]:
    """A call that makes data (`numpy.*`, `to_categorical`, a dataset, `tf.constant`,
    `tf.ones`, `train_test_split`, a data pipeline...), or None when `path` is not one or
    makes no data of these arguments."""
    if kind == "to_categorical":
        return arrays.to_categorical(args, kwargs, node)
    if kind == "dataset" and detail == "california_housing":
        return arrays.california_housing(args, kwargs, node)
    if kind == "dataset":
        return arrays.dataset(detail, node)
    if path in _DATA_MAKERS and args:
        made = make_data(interp, path, args[0], kwargs, node)
        if made is not None:
            return made
    if path in _FILLED_DATA:
        shape = to_python(kwargs.get("shape", args[0] if args else UNKNOWN))
        if isinstance(shape, (tuple, list)) and all(is_int(d) for d in shape):
            return ArrayV(tuple(shape), origin="constant", node=node)
    if path in _OBJECTS:
        return ApiObject(path, args, kwargs, node)
    made = pipelines.call(path, args, kwargs, node)
    if made is not None:
        return made
    return arrays.call(path, args, kwargs, node)


# Objects whose methods make data: scikit-learn's transformers, Keras' ImageDataGenerator.
_OBJECTS = frozenset(arrays.sklearn.TRANSFORMERS) | {pipelines.IMAGE_GENERATOR}


def object_attribute(interp, obj: ApiObject, attr: str, node) -> Value:
    """`scaler.fit_transform`, `datagen.flow_from_directory`: the methods that make data."""
    if obj.path in arrays.sklearn.TRANSFORMERS and attr in arrays.sklearn.TRANSFORM_METHODS \
            + ("fit",):
        return BoundMethod(obj, attr)
    if obj.path == pipelines.IMAGE_GENERATOR and attr in pipelines.GENERATOR_METHODS:
        return BoundMethod(obj, attr)
    return Unknown(f"{obj.path}.{attr}")


def object_method(interp, obj: ApiObject, name: str, args, kwargs, node) -> Value:
    if obj.path == pipelines.IMAGE_GENERATOR:
        return pipelines.generator_flow(obj, name, args, kwargs, node)
    if name == "fit":
        return obj  # `scaler.fit(x)` returns the scaler
    return arrays.sklearn.transform(obj.path, name, args, kwargs, node)


def pipeline_attribute(interp, pipeline: PipelineV, attr: str, node) -> Value:
    if pipelines.has_method(attr):
        return BoundMethod(pipeline, attr)
    return Unknown(f"dataset.{attr}")


def pipeline_method(interp, pipeline: PipelineV, name: str, args, kwargs, node) -> Value:
    """`dataset.batch(32)`, `.map(fn)` (fn is followed on the element's arrays), ..."""
    mapped = None
    if name == "map" and args and len(node.args) >= 1:
        mapped = map_element(interp, args[0], node.args[0].value,
                             pipelines.map_arguments(pipeline), node)
        if mapped is None:
            return Unknown("Dataset.map of a function not followed")
    return pipelines.method(pipeline, name, args, kwargs, node, mapped)


def map_element(interp, func: Value, written, element: list, node) -> Optional[Value]:
    """What `func` returns for the arrays of one element: a user function (or a
    `functools.partial` of one) is inlined, a lambda written in the call has its body
    evaluated with its parameters bound, a layer is applied to an element of one array."""
    from fnlint.analyzer.interpreter.calls import inline  # (calls imports this module)
    from fnlint.analyzer.interpreter.keras_layers import apply

    func, args, kwargs, complete = partials.unwrap(func, element, {}, True)
    if isinstance(func, Function):
        value = inline(interp, func, args, kwargs, node, complete, func.env)
    elif isinstance(func, LayerV) and len(args) == 1 and not kwargs and complete and \
            isinstance(args[0], ArrayV):
        value = apply(interp, func, args, {}, node, True)
    elif isinstance(written, cst.Lambda):
        params = written.params
        names = [p.name.value for p in params.params]
        where = next((scope for code, scope in interp.deferred if code is written), None)
        if where is None or len(names) != len(element) or \
                isinstance(params.star_arg, (cst.Param, cst.ParamStar)) or \
                params.kwonly_params or params.star_kwarg is not None or params.posonly_params:
            return None
        scope = Scope(where)
        scope.vars.update(zip(names, element))
        value = interp.eval(written.body, scope)
    else:
        return None
    return None if isinstance(value, Unknown) else value


def array_method(array: ArrayV, name: str, args, kwargs, node) -> Value:
    """`array.reshape(...)`, `.astype(...)`, `.copy()`, `.squeeze()`, `.transpose()`, ..."""
    return arrays.method(array, name, args, kwargs, node)


def array_attribute(interp, array: ArrayV, attr: str, node) -> Value:
    if attr == "shape":
        return shape_value(array.shape)
    if attr == "ndim":
        return Const(len(array.shape)) if array.shape is not None else Unknown("ndim")
    made = arrays.attribute(array, attr, node)
    if made is not None:
        return made
    if arrays.has_method(array, attr):
        return BoundMethod(array, attr)
    return Unknown(f"array.{attr}")


def array_subscript(interp, array: ArrayV, elements, scope, node) -> Value:
    """`array[...]`: each element of the subscript evaluated (a slice to a Python slice of
    constant bounds, or UNRESOLVED)."""
    parts = []
    for element in elements:
        part = element.slice
        if isinstance(part, cst.Slice):
            bounds = [to_python(interp.eval(b, scope)) if b is not None else None
                      for b in (part.lower, part.upper, part.step)]
            parts.append(slice(*bounds) if all(b is None or is_int(b) for b in bounds)
                         else UNRESOLVED)
        else:
            parts.append(interp.eval(part.value, scope))
    return arrays.select(array, parts, node)


def array_index(array: ArrayV, key: Value, node) -> Value:
    """`array[key]` for a key already evaluated."""
    return arrays.select(array, [key], node)


def array_row(value: Value, node=None) -> Optional[Value]:
    """What `for row in array:` (the loop `node`) binds at each iteration: an array of the
    other axes."""
    if isinstance(value, ArrayV) and value.shape:
        row = arrays.subscript(value, [0])
        return row if not isinstance(row, ArrayV) or node is None else \
            arrays.common.derive(value, shape=row.shape, node=node, step="row")
    return None


def array_comparison(op: str, left: Value, right: Value) -> Optional[Value]:
    """`y == 1`, `x > 0.5`: a boolean array of the array's shape (a mask), when the other
    side is a number or an array of the same shape; None otherwise."""
    array = left if isinstance(left, ArrayV) else right
    other = right if array is left else left
    if op not in _ORDER or not isinstance(array, ArrayV) or array.shape is None:
        return None
    if isinstance(other, ArrayV) and other.shape != array.shape or \
            not isinstance(other, ArrayV) and not isinstance(to_python(other), (int, float)):
        return None
    return ArrayV(array.shape, "bool", origin="comparison", node=array.node)


_ORDER = frozenset({"Equal", "NotEqual", "LessThan", "GreaterThan", "LessThanEqual",
                    "GreaterThanEqual"})


def make_data(interp, path: str, value: Value, kwargs, node) -> Optional[Value]:
    """`tf.constant(...)`, `keras.ops.convert_to_numpy(...)` and friends: data, not a
    symbolic tensor (None: a symbolic argument, an operation in the graph).  An array stays
    the array it was (with the `dtype=` given)."""
    always = _DATA_MAKERS[path]
    if isinstance(value, ArrayV):
        dtype = kwargs.get("dtype")
        return value if dtype is None else arrays.with_dtype(value, dtype, node)
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
        return ArrayV(array.shape, "float", origin=array.origin, node=array.node,
                      steps=array.steps)
    if op in ("Add", "Subtract", "Multiply") and isinstance(to_python(other), (int, float)):
        return ArrayV(array.shape, array.dtype if isinstance(to_python(other), int) else "float",
                      origin=array.origin, node=array.node, steps=array.steps)
    return ArrayV(array.shape, None, origin=array.origin, node=array.node, steps=array.steps)


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
