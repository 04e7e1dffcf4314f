"""Keras layers in the graph: constructing layers and Inputs, calling them on tensors (or
eagerly on data), and tensor operations between them.
"""

from __future__ import annotations

import functools
import re

import libcst as cst

from fnlint.analyzer import keras_api
from fnlint.analyzer.graph import INPUT, LAYER, MODEL, NodeData, ScratchGraph
from fnlint.analyzer.layers import has_trait, lookup
from fnlint.analyzer.inference import layer_outputs
from fnlint.analyzer.layers.core import embedding_table
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import CALLED_WITH, SHARED, ShapeError, format_shape
from fnlint.analyzer.symbolic import Expr, Symbol, SymbolName
from fnlint.analyzer.model import ModelV
from fnlint.analyzer.values import (
    UNKNOWN, UNRESOLVED, ArrayV, BoundMethod, ClassV, Const, DictV, Function, LayerV, Ref, Seq, TensorV,
    Unknown, Value, flatten, is_data, to_python,
)

from fnlint.analyzer.interpreter.semantics import is_dim, shape_value


@functools.lru_cache(maxsize=1024)
def snake_case(name: str) -> str:
    """Keras' `to_snake_case`, which auto-generated layer names are built from."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def tensor_attribute(interp, tensor: TensorV, attr: str, node) -> Value:
    if attr == "shape":
        return shape_value(tensor.shape)
    if attr == "dtype":
        return Const(tensor.dtype) if tensor.dtype else Unknown("dtype")
    if attr == "ndim":
        return Const(len(tensor.shape)) if tensor.shape is not None else Unknown("ndim")
    return Unknown(f"tensor.{attr}")


def layer_attribute(interp, layer: LayerV, attr: str, node) -> Value:
    if layer.instance is not None:
        from fnlint.analyzer.interpreter.subclasses import attribute  # (imports this module)
        found = attribute(interp, layer, attr, node)
        if found is not None:
            return found
    if attr == "build":
        return BoundMethod(layer, attr)
    if attr == "embeddings" and layer.cls_name == "Embedding" and interp.graph.hiding:
        table = embedding_table(layer.config)  # read inside a user layer's call()
        if table is not None:
            from fnlint.analyzer.interpreter.placeholders import placeholder  # (imports this)
            return placeholder(interp, table, "float32", node)
    if attr in ("output", "input", "output_shape", "input_shape", "get_output_at",
                "get_input_at", "get_output_shape_at", "get_input_shape_at"):
        interp.event("layer-attribute", node, layer=layer, attr=attr,
                     calls=len(layer.applications),
                     surface=keras_api.surface(layer.flavor, interp.target))
    if attr == "name":
        return Const(layer.name)
    if attr in ("output", "input") and layer.applications:
        data = interp.graph.node(layer.applications[0])
        if attr == "input":
            return data.inputs[0] if len(data.inputs) == 1 and data.inputs[0] else \
                Unknown("layer input")
        return outputs_value(interp, data) if data.outputs else Unknown("layer output")
    if attr == "trainable":
        return Const(layer.trainable) if layer.trainable is not UNRESOLVED else UNKNOWN
    return Unknown(f"layer.{attr}")


def auto_name(interp, cls_name: str) -> str:
    prefix = snake_case(cls_name)
    count = interp.uids[prefix]
    interp.uids[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def construct_layer(interp, cls_name: str, args, kwargs, node, flavor,
                    complete=True, spec=None) -> LayerV:
    """A layer of a Keras class (or of the class `spec` gives, a KerasHub one)."""
    spec = spec or lookup(cls_name)
    config: dict = {}
    unknown_kwargs: dict = {}
    if spec is not None:
        config.update(spec.defaults)
        for param in spec.required:
            config[param] = UNRESOLVED
        for param, value in zip(spec.params, args):
            config[param] = value if param in spec.value_params else to_python(value)
        for key, value in kwargs.items():
            config[key] = value if key in spec.value_params else to_python(value)
            if not spec.accepts(key):
                unknown_kwargs[key] = value
    else:
        config = {key: to_python(value) for key, value in kwargs.items()}
    name = to_python(kwargs.get("name", Const(None)))
    explicit = isinstance(name, str)
    layer = LayerV(spec.name if spec else cls_name, spec, config,
                   name if explicit else auto_name(interp, spec.name if spec else cls_name),
                   len(interp.layers), node, flavor, explicit, unknown_kwargs=unknown_kwargs,
                   args=list(args), kwargs=dict(kwargs), args_complete=complete,
                   speculative=interp.speculative > 0)
    if "trainable" in kwargs:
        layer.trainable = to_python(kwargs["trainable"])
    interp.layers.append(layer)
    return layer


def custom_layer(interp, cls: ClassV, kwargs, node) -> LayerV:
    name = to_python(kwargs.get("name", Const(None)))
    explicit = isinstance(name, str)
    layer = LayerV(cls.name, None, {}, name if explicit else auto_name(interp, cls.name),
                   len(interp.layers), node, None, explicit)
    interp.layers.append(layer)
    return layer


def make_input(interp, args, kwargs, node, flavor) -> Value:
    def arg(i, key):
        return kwargs[key] if key in kwargs else (args[i] if len(args) > i else None)

    shape_arg, batch_shape = arg(0, "shape"), arg(4, "batch_shape")
    batch = to_python(arg(1, "batch_size")) if arg(1, "batch_size") is not None else None
    shape = None
    if batch_shape is not None:
        py = to_python(batch_shape)
        if isinstance(py, (tuple, list)) and all(is_dim(d) for d in py):
            shape = tuple(py)
    elif shape_arg is not None:
        py = to_python(shape_arg)
        if isinstance(py, (tuple, list)) and all(is_dim(d) for d in py):
            shape = (batch if isinstance(batch, int) else None,) + tuple(py)
    dtype = _dtype_name(arg(2, "dtype")) if arg(2, "dtype") is not None else "float32"
    tensor = input_node(interp, shape, dtype if isinstance(dtype, str) else None,
                        to_python(arg(5, "name")) if arg(5, "name") else None, node,
                        flavor)
    layer = interp.graph.node(tensor.node_id).layer
    if "optional" in kwargs:
        layer.config["optional"] = to_python(kwargs["optional"])
    if shape is None:
        given = batch_shape if batch_shape is not None else shape_arg
        layer.unknown = next((v.reason for v in flatten([given]) if isinstance(v, Unknown)),
                             None) if given is not None else "no shape"
    return tensor


def make_input_layer(interp, args, kwargs, node, flavor) -> Value:
    """`InputLayer(input_shape=...)` as the first element of a Sequential."""
    shape = kwargs.get("shape", kwargs.get("input_shape", args[0] if args else None))
    py = to_python(shape) if shape is not None else UNRESOLVED
    layer = construct_layer(interp, "InputLayer", [], {k: v for k, v in kwargs.items()
                                                       if k == "name"}, node, flavor)
    if isinstance(py, (tuple, list)) and all(is_dim(d) for d in py):
        layer.config["input_shape"] = tuple(py)
    return layer


def input_name(interp, flavor) -> str:
    """Keras 3 names Inputs input_layer, input_layer_1...; Keras 2 input_1, input_2..."""
    if keras_api.surface(flavor, interp.target) != "keras2":
        return auto_name(interp, "InputLayer")
    interp.uids["input"] += 1
    return f"input_{interp.uids['input']}"


def input_node(interp, shape, dtype, name, node, flavor) -> TensorV:
    explicit = isinstance(name, str)
    layer = LayerV("InputLayer", None, {"shape": shape, "dtype": dtype},
                   name if explicit else input_name(interp, flavor), len(interp.layers),
                   node, flavor, explicit, weights=(0, 0))
    interp.layers.append(layer)
    node_id = new_id(interp)
    if shape is not None and None in shape[1:]:
        owner = SymbolName(layer.name, explicit)
        interp.symbol_names[node_id] = owner
        shape = symbolic_shape(shape, node_id, owner)
    data = NodeData(node_id, INPUT, layer, "InputLayer", layer.name, [], [shape],
                    node, interp.stack, dtype=dtype, speculative=interp.speculative > 0)
    interp.graph.add(data)
    layer.applications.append(data.id)
    return TensorV(data.id, 0, shape, dtype)


def new_id(interp) -> int:
    interp.node_ids += 1
    return interp.node_ids


def apply(interp, obj, args, kwargs, node, complete=True) -> Value:
    """Call a layer or model on its inputs: a new node in the graph."""
    if obj.instance is not None:  # a user subclass: built from its call()'s first parameter
        from fnlint.analyzer.interpreter.subclasses import call_inputs, first_argument
        first = first_argument(obj, args, kwargs)
        first = UNKNOWN if first is None else first
    else:
        first = args[0] if args else kwargs.get("inputs", kwargs.get("query", UNKNOWN))
    if is_data(first) and not any(isinstance(v, TensorV)
                                  for v in flatten(args + list(kwargs.values()))):
        if not (interp.graph.hiding and isinstance(first, ArrayV) and first.shape and args):
            return eager(interp, obj, first, node)
        # Inside a user layer's call() Keras traces, data is a constant tensor of its shape
        # (`self.positions(ops.arange(200))`): the layer is built there, as on any tensor.
        from fnlint.analyzer.interpreter.placeholders import placeholder  # (imports this)
        first = placeholder(interp, tuple(first.shape), None, node)
        args = [first] + list(args[1:])
    if isinstance(first, ArrayV) or (isinstance(first, Seq) and any(
            isinstance(v, ArrayV) for v in first.items)):
        return Unknown("data mixed with tensors")
    multi = isinstance(obj, LayerV) and obj.spec is not None and obj.spec.multi_input
    inputs, hidden = call_inputs(args, kwargs) if obj.instance is not None \
        else _call_inputs(first, args, kwargs, obj)
    shaped = len(inputs)  # the inputs its shapes are computed from; then those it only joins
    if obj.instance is None:
        inputs = inputs + _keyword_tensors(kwargs, inputs)
    tensors = [v if isinstance(v, TensorV) else None for v in inputs]
    unknown = not complete or any(t is None for t in tensors) or not inputs or bool(hidden)
    bad = [v for v in inputs if isinstance(v, (Const, LayerV, ModelV, Function)) or (
        isinstance(v, Ref) and keras_api.mentions_keras(v.path))]
    if _takes_none(interp, obj):
        bad = [v for v in bad if not (isinstance(v, Const) and v.value is None)]
    if isinstance(obj, ModelV) and isinstance(first, DictV) and obj.inputs and \
            len(first.items) != len(obj.inputs):
        unknown = True  # Keras picks a dict's entries by the inputs' names, ignoring others
    if bad or (multi and isinstance(first, TensorV)):
        interp.event("not-a-tensor", node, target=obj, value=bad[0] if bad else first)
    shapes = [t.shape if t is not None else None for t in tensors[:shaped]]
    if obj.instance is not None:  # a user subclass: its call() is run on these inputs
        from fnlint.analyzer.interpreter.subclasses import infer  # (imports this module)
        outputs, weights, error, error_kind = infer(interp, obj, args, kwargs, node, complete)
    else:
        outputs, weights, error, error_kind = _infer(interp, obj, shapes, unknown)
    function_dtype = None
    if isinstance(obj, LayerV) and obj.cls_name == "Lambda" and not unknown and error is None \
            and (outputs == [None] or keras_api.surface(obj.flavor, interp.target) == "keras2"):
        # Keras 3 takes `output_shape=` as given; Keras 2 traces the function all the same.
        outputs, function_dtype = lambda_output(interp, obj, first)
    count = len(outputs) if outputs else max(1, len(obj.outputs)
                                             if isinstance(obj, ModelV) else 1)
    if outputs is None:
        outputs = [None] * count
    kind = MODEL if isinstance(obj, ModelV) else LAYER
    cls = obj.cls if isinstance(obj, ModelV) else obj.cls_name
    dtype = None
    if isinstance(obj, LayerV) and has_trait(obj.cls_name, "preserves_dtype") and tensors \
            and tensors[0] is not None:
        dtype = tensors[0].dtype
    elif isinstance(obj, LayerV) and obj.spec is not None:
        dtype = function_dtype or "float32"
    data = NodeData(new_id(interp), kind, obj, cls, obj.name, tensors, outputs, node,
                    interp.stack, dtype=dtype, error=error, error_kind=error_kind,
                    unknown_inputs=unknown,
                    speculative=interp.speculative > 0, node_index=len(obj.applications),
                    weights=weights, call_args=list(args), call_kwargs=dict(kwargs))
    if isinstance(obj, LayerV) and not obj.applications:
        obj.weights = weights
        # Keras 3 makes them when it builds the layer, taking auto names; Keras 2 builds it
        # in a scratch graph of its own, whose names are apart.
        if keras_api.surface(obj.flavor, interp.target) != "keras2" and obj.spec is not None:
            for built in obj.spec.built_layers(obj.config):
                auto_name(interp, built)
    obj.applications.append(data.id)
    interp.graph.add(data)
    if isinstance(obj, ModelV) and obj.output_struct == "dict" and obj.output_names:
        return DictV({name: TensorV(data.id, i, outputs[i] if i < len(outputs) else None)
                      for i, name in enumerate(obj.output_names)})
    return outputs_value(interp, data, isinstance(obj, ModelV) and obj.output_struct == "list")


def _takes_none(interp, obj) -> bool:
    """Whether `None` is a valid input: a user's layer may accept it, and a model does for
    an `Input(..., optional=True)`."""
    if isinstance(obj, LayerV):
        return obj.spec is None
    return isinstance(obj, ModelV) and any(
        interp.graph.node(t.node_id).layer.config.get("optional") is True for t in obj.inputs)


# Events about the code as written (names, keywords), not about the values it computed.
SOURCE_EVENTS = frozenset({"undefined-name", "unknown-attribute", "unknown-keyword",
                           "ignored-keyword", "int-shape", "removed-method"})


def lambda_output(interp, layer: LayerV, inputs: Value) -> tuple:
    """([shape], dtype) of a Lambda layer without `output_shape=`: its function (a user
    function, or a lambda written in the constructor) inlined on the symbolic input, as
    Keras traces it.  The ops it computes are not the model's nodes (Keras shows one Lambda
    layer), so they go to a graph of their own; a function that makes layers or models, or
    that the analysis does not follow, leaves the output unknown."""
    from fnlint.analyzer.interpreter.array_glue import map_element  # (it imports calls)

    function = layer.args[0] if layer.args else layer.kwargs.get("function", UNKNOWN)
    written = None
    if isinstance(layer.node, cst.Call):
        written = next((arg.value for arg in layer.node.args
                        if (arg.keyword is None and arg.star == "")
                        or (arg.keyword is not None and arg.keyword.value == "function")), None)
    graph, counts = interp.graph, (len(interp.layers), len(interp.models), len(interp.events))
    interp.graph = ScratchGraph(graph)
    interp.speculative += 1
    try:
        value = map_element(interp, function, written, [inputs], layer.node)
    finally:
        interp.graph = graph
        interp.speculative -= 1
        made = (len(interp.layers), len(interp.models)) != counts[:2]
        del interp.layers[counts[0]:], interp.models[counts[1]:]
        # What the function's code says of names holds however it is run; the rest of its
        # events belong to a graph that is thrown away.
        interp.events[counts[2]:] = [e for e in interp.events[counts[2]:]
                                     if e.kind in SOURCE_EVENTS]
    if made or not isinstance(value, TensorV) or value.shape is None:
        return [None], None
    return [value.shape], value.dtype


def _call_inputs(first: Value, args, kwargs, obj=None) -> tuple:
    """The values a layer call computes from (its first argument's tensors, then those of
    an attention's value and key, a state, a mask), and the unknown values among the others
    that may be tensors."""
    if isinstance(obj, LayerV) and obj.spec is not None and obj.spec.call_params:
        return _named_call_inputs(first, args, kwargs, obj)
    primary = flatten([first]) if isinstance(first, (Seq, DictV)) else [first]
    extra = [v for v in args[1:] if isinstance(v, TensorV)]
    # An unknown second argument may be a tensor (the value of an attention, a state):
    # what the call computes from is then unknown.
    hidden = [v for v in flatten(args[1:]) if isinstance(v, Unknown)]
    for key in ("value", "key", "initial_state", "mask"):
        if key in kwargs:
            extra.extend(v for v in flatten([kwargs[key]]) if isinstance(v, TensorV))
            if key != "mask":
                hidden.extend(v for v in flatten([kwargs[key]]) if isinstance(v, Unknown))
    return primary + extra, hidden


def _keyword_tensors(kwargs: dict, inputs: list) -> list:
    """The other tensors given by keyword (`attention_mask=` from an Input): Keras 3 makes
    every tensor argument an input of the call's node, though its shapes ignore them."""
    taken = {id(v) for v in inputs}
    return [v for value in kwargs.values() for v in flatten([value])
            if isinstance(v, TensorV) and id(v) not in taken]


def _named_call_inputs(first: Value, args, kwargs, layer: LayerV) -> tuple:
    """The inputs of a call by parameter names (KerasHub's layers): the first, the tensors
    its shapes depend on, in order, then the others (masks: inputs of the node, which its
    shapes ignore); unknown where an option changes its outputs or a value may be a tensor.
    Which tensors the first call gave is kept in the layer's configuration."""
    spec = layer.spec
    named = dict(zip(spec.call_params, args[1:]))
    named.update((key, value) for key, value in kwargs.items() if key in spec.call_params)
    given = tuple(key for key in spec.call_tensors if not _absent(named.get(key)))
    layer.config.setdefault(CALLED_WITH, given)
    others = [v for key, value in named.items() if key not in spec.call_tensors
              for v in flatten([value])]
    masks = [v for v in others if isinstance(v, TensorV)]
    hidden = [v for v in others if isinstance(v, Unknown)]  # maybe a mask from an Input
    hidden += [named[key] for key in given if isinstance(named[key], Unknown)]
    hidden += [named[key] for key in spec.call_options if not _absent(named.get(key))
               and not (isinstance(named[key], Const) and named[key].value is False)]
    if len(args) > len(spec.call_params) + 1 or isinstance(first, (Seq, DictV)):
        hidden.append(UNKNOWN)
    return [first] + [named[key] for key in given] + masks, hidden


def _absent(value) -> bool:
    return value is None or isinstance(value, Const) and value.value is None


def _infer(interp, obj, shapes: list, unknown: bool) -> tuple:
    """(outputs, weights, error, error kind) of a call of `obj` on inputs of `shapes`; a
    shared layer whose weights, built by its first call, do not fit these inputs fails."""
    error = error_kind = None
    outputs = None
    weights = None
    try:
        if isinstance(obj, ModelV) and unknown:
            weights = obj.weights()
        elif not unknown:
            outputs, weights = layer_outputs(obj, shapes)
    except ShapeError as err:
        error, error_kind = str(err), err.kind
    except (TypeError, ValueError, ZeroDivisionError, IndexError, KeyError, AttributeError):
        outputs = None  # a configuration value of an unexpected type: unknown, not a bug
    if isinstance(obj, LayerV) and obj.applications and error is None and \
            None not in (weights, obj.weights) and weights != obj.weights:
        first = interp.graph.node(obj.applications[0])
        error, error_kind, outputs = (
            f"'{obj.name}' was built by its first call on "
            f"{', '.join(format_shape(t.shape) for t in first.inputs if t is not None)} "
            f"and cannot take {', '.join(format_shape(s) for s in shapes)}", SHARED, None)
    return outputs, weights, error, error_kind


def eager(interp, obj, data: Value, node) -> Value:
    """A layer or model called on concrete data runs eagerly: the result is data of the
    inferred shape.  Nothing is added to the graph and the layer is not marked built by
    it (an eager call is not part of any model)."""
    if obj.instance is not None:
        from fnlint.analyzer.interpreter.subclasses import eager as run  # (imports this module)
        return run(interp, obj, data, node)
    shapes = None
    if isinstance(data, ArrayV) and data.shape is not None:
        try:
            shapes = layer_outputs(obj, [data.shape])[0]
        except (ShapeError, TypeError, ValueError, ZeroDivisionError, IndexError, KeyError,
                AttributeError):
            shapes = None  # what Keras would say here is not the analysis' to guess
    return data_of(interp, obj, shapes, node, "eager")


def data_of(interp, obj, shapes, node, origin: str) -> Value:
    """The data a layer or model returns for output `shapes` (None: unknown) when it runs
    eagerly or predicts: arrays, structured as the model's outputs."""
    if not shapes:
        return ArrayV(None, origin=origin, node=node)
    arrays = [ArrayV(None if shape is None else tuple(dims.keras_dim(d) for d in shape),
                     origin=origin, node=node) for shape in shapes]
    struct = obj.output_struct if isinstance(obj, ModelV) else "single"
    if struct == "dict" and obj.output_names and len(obj.output_names) == len(arrays):
        return DictV(dict(zip(obj.output_names, arrays)))
    return arrays[0] if len(arrays) == 1 and struct != "list" else Seq(arrays, "list")


def outputs_value(interp, data: NodeData, as_list: bool = False) -> Value:
    tensors = [TensorV(data.id, i, shape, data.dtype) for i, shape in enumerate(data.outputs)]
    if len(tensors) == 1 and not as_list:
        return tensors[0]
    return Seq(tensors, "list")


def _dtype_name(value):
    """'int32' for `"int32"`, `tf.int32`, `np.int32` or `keras.backend` dtype names."""
    if isinstance(value, Ref):
        return value.path.rpartition(".")[2]
    return to_python(value)


def symbolic_shape(shape: tuple, node_id: int, owner: SymbolName) -> tuple:
    """An Input's shape with each None size after the batch axis made a symbol: `H`, `W`
    (and `D`) for the spatial axes of an image with a known channel count, else the axis."""
    rank = len(shape)
    unknown = [i for i in range(1, rank) if shape[i] is None]
    labels = {i: str(i) for i in unknown}
    if rank in (4, 5) and shape[-1] is not None and unknown == list(range(1, rank - 1)):
        labels = dict(zip(unknown, "DHW"[5 - rank:]))
    return (shape[0],) + tuple(
        Expr.of(Symbol(node_id, labels[i], owner)) if i in labels else shape[i]
        for i in range(1, rank))
