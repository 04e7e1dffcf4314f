"""Keras models: `Model(...)`, `Sequential`, pretrained applications, and the methods
(compile, fit, predict, summary, add, get_layer) the analysis follows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from fnlint import catalog
from fnlint.analyzer import keras_api, pipelines
from fnlint.analyzer.graph import INPUT, build_model_graph
from fnlint.analyzer.layers.applications import application, application_variant
from fnlint.analyzer.layers.applications import model_name as application_name
from fnlint.analyzer.model import (
    APPLICATION, CUSTOM, FUNCTIONAL, SEQUENTIAL, SUBCLASSED, ModelV,
)
from fnlint.analyzer.inference import layer_outputs
from fnlint.analyzer.layers.spec import ShapeError
from fnlint.analyzer.values import (
    UNKNOWN, UNRESOLVED, ArrayV, BoundMethod, Const, DictV, LayerV, PipelineV, Seq, TensorV,
    Unknown, Value, flatten, sorted_keys, to_python,
)

from fnlint.analyzer.interpreter.keras_layers import (
    apply, auto_name, data_of, input_node, outputs_value, snake_case,
)
from fnlint.analyzer.interpreter import networks, saved_models
from fnlint.analyzer.interpreter.keras_names import check_keywords
from fnlint.analyzer.interpreter.semantics import is_dim, is_int, iteration


_TRAINING_METHODS = frozenset({"fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                               "predict_on_batch", "fit_generator", "evaluate_generator",
                               "predict_generator"})
_PREDICT_METHODS = ("predict", "predict_on_batch", "predict_generator")
# Keras 2 model methods that Keras 3 removed.
_REMOVED_MODEL_METHODS = ("fit_generator", "evaluate_generator", "predict_generator",
                          "predict_classes", "predict_proba")
# The model methods that are values the program may call (calls are followed by MODEL_METHODS).
_BOUND_METHODS = frozenset({"compile", "summary", "add", "get_layer", "pop", "build", "save",
                            "save_weights", "count_params"}) | _TRAINING_METHODS


@dataclass
class ModelCall:
    """`model.compile(...)`, `model.fit(...)` and friends, with their evaluated arguments."""

    method: str
    node: Any
    args: list
    kwargs: dict
    compiled: bool  # whether compile() had been called on the model before this call
    stack: tuple = ()
    speculative: bool = False
    compile: Any = None  # for fit and friends: the latest compile() before the call
    build_error: Any = None  # a BuildError: the data given cannot build the model

    def argument(self, name: str):
        """The value given for parameter `name`, by keyword or by position, or None.  For a
        data pipeline given as `x`, `x` and `y` are the arrays of each of its batches."""
        value = self.given(name)
        if name in ("x", "y") and self.method not in ("compile",):
            batches = pipelines.fit_data(self.given("x"))
            if batches is not None and (name == "x" or value is None):
                return batches[0] if name == "x" else batches[1]
        return value

    @property
    def pipeline(self):
        """The data pipeline given as `x` (its batches are `x` and `y`), or None."""
        given = self.given("x")
        return given if isinstance(given, PipelineV) else None

    def given(self, name: str):
        """The value written for parameter `name`, by keyword or by position, or None."""
        if name in self.kwargs:
            return self.kwargs[name]
        signature = catalog.model_method(self.method)
        if signature is not None and name in signature.positional:
            index = signature.positional.index(name)
            return self.args[index] if index < len(self.args) else None
        return None


def model_attribute(interp, model: ModelV, attr: str, node) -> Value:
    if attr in _REMOVED_MODEL_METHODS:
        interp.event("removed-method", node, owner=model.name, attr=attr,
                     surface=keras_api.surface(model.flavor, interp.target))
    if model.instance is not None:
        from fnlint.analyzer.interpreter.subclasses import attribute  # (imports this module)
        found = attribute(interp, model, attr, node)
        if found is not None:
            return found
    if attr in _BOUND_METHODS:
        return BoundMethod(model, attr)
    read = _MODEL_ATTRIBUTES.get(attr)
    return read(interp, model, attr, node) if read is not None else Unknown(f"model.{attr}")


def _model_layers(interp, model: ModelV) -> Value:
    if model.kind == SUBCLASSED and not model.instance.opaque:
        return Seq(model.instance.tracked(), "list")
    if model.kind == APPLICATION:
        made = networks.network_layers(interp, model)
        return Seq(list(made), "list") if made else Unknown("model layers")
    if model.kind in (FUNCTIONAL, SEQUENTIAL) and (model.resolved or model.layers):
        return Seq(list(model.layer_objects()), "list")
    return Unknown("model layers")


def _model_tensors(interp, model: ModelV, attr: str, node) -> Value:
    """`model.input(s)` and `model.output(s)`."""
    if model.kind == APPLICATION:
        tensors = _application_tensors(interp, model, attr.startswith("input"), node)
    else:
        tensors = model.inputs if attr.startswith("input") else model.outputs
    if not tensors:
        return Unknown(f"model.{attr}")
    if attr in ("input", "output") and len(tensors) == 1:
        return tensors[0]
    return Seq(list(tensors), "list")


def _application_tensors(interp, model: ModelV, inputs: bool, node) -> list:
    """`base.input` and `base.output` of a keras.applications network: the Input it built
    itself, and its output on that Input: its last layer's once the program reached inside
    it, else the network applied to it as one node (a model made from them holds the
    network's layers themselves, as Keras flattens them)."""
    if model.app is None or "input_tensor" in model.app_config and model.app_input is None:
        return []  # built on a tensor other than an Input: its inputs are the program's
    if inputs:
        return [networks.application_input(interp, model)]
    if model.app_output is None and model.app_layers:
        last = interp.graph.node(model.app_layers[-1].applications[0])
        model.app_output = outputs_value(interp, last)
    if model.app_output is None:
        own = networks.application_input(interp, model)
        output = apply(interp, model, [own], {}, model.node)
        if not isinstance(output, TensorV):
            return []
        model.app_output = output
    return [model.app_output]


_MODEL_ATTRIBUTES = {
    "name": lambda interp, model, attr, node: Const(model.name),
    "layers": lambda interp, model, attr, node: _model_layers(interp, model),
    "input": _model_tensors, "inputs": _model_tensors,
    "output": _model_tensors, "outputs": _model_tensors,
    "trainable": lambda interp, model, attr, node: Const(model.trainable)
    if model.trainable is not UNRESOLVED else UNKNOWN,
}


def call_model_method(interp, model: ModelV, name: str, args, kwargs, node) -> Value:
    """`model.name(*args, **kwargs)`: checked against the method's signature, then followed
    where MODEL_METHODS says how."""
    surface = keras_api.surface(model.flavor, interp.target)
    if surface is not None:
        check_keywords(interp, f"{model.name}.{name}", catalog.model_method(name, surface),
                       kwargs, node, surface)
    method = MODEL_METHODS.get(name)
    return method(interp, model, name, args, kwargs, node) if method is not None \
        else Unknown(f"model.{name}")


def _compile(interp, model: ModelV, name, args, kwargs, node) -> Value:
    model.compiles.append(ModelCall(name, node, args, kwargs, bool(model.compiles),
                                    interp.stack, interp.speculative > 0))
    return Const(None)


def _train(interp, model: ModelV, name, args, kwargs, node) -> Value:
    """fit, evaluate, predict and friends: recorded with the latest compile before them.
    The first of them builds a Sequential model that has no input yet on its data (and a
    subclassed model not yet built)."""
    call = ModelCall(name, node, args, kwargs, bool(model.compiles), interp.stack,
                     interp.speculative > 0, model.compiles[-1] if model.compiles else None)
    model.trainings.append(call)
    if name == "fit":
        saved_models.remember_checkpoints(interp, model, call.given("callbacks"))
    data = call.argument("x")
    if model.instance is not None and data is not None:
        from fnlint.analyzer.interpreter.subclasses import build_on_data  # (imports this)
        build_on_data(interp, model, data, node)
    if _unbuilt(model) and not interp.speculative and isinstance(data, ArrayV) and \
            data.shape:
        call.build_error = build_sequential(interp, model,
                                            (_first_batch(call, data),) + data.shape[1:], node)
    if name in _PREDICT_METHODS:
        shapes = [t.shape for t in model.outputs] if model.resolved else None
        return data_of(interp, model, shapes, node, "predict")
    return Unknown(f"result of {name}")


def _build(interp, model: ModelV, name, args, kwargs, node) -> Value:
    """`model.build((None, 10))`: a Sequential model without an input gets one."""
    shape = to_python(args[0] if args else kwargs.get("input_shape", UNKNOWN))
    if _unbuilt(model) and not interp.speculative and isinstance(shape, (tuple, list)) and \
            shape and all(d is None or is_int(d) and d > 0 for d in shape):
        build_sequential(interp, model, tuple(shape), node, refuse=False)
    return Const(None)


# Pipelines Keras reads as Python generators or PyDatasets (ImageDataGenerator's flows are).
_UNSIZED_PIPELINES = frozenset({"generator", "flow", "flow_from_directory",
                                "flow_from_dataframe"})


def _first_batch(call: ModelCall, data: ArrayV) -> Optional[int]:
    """The batch axis Keras builds the model with (None: any): a pipeline's as it yields
    it; for arrays, `*_on_batch` the whole array, `predict` its first batch (`batch_size`
    rows, 32 by default, or fewer), `fit` and `evaluate` the batch size when it divides the
    rows they train on."""
    rows = data.shape[0]
    if call.pipeline is not None and call.pipeline.origin in _UNSIZED_PIPELINES:
        return None  # Keras' generator and PyDataset adapters give specs of any batch size
    if call.pipeline is not None or not is_int(rows):
        return rows if is_int(rows) else None
    split = to_python(call.given("validation_split") or Const(0.0))
    size = to_python(call.given("batch_size") or Const(None))
    size = 32 if size is None else size
    if not is_int(size) or size <= 0 or not isinstance(split, (int, float)) or \
            not 0 <= split < 1:
        return None
    if call.method.endswith("_on_batch"):
        return rows  # the array is the batch
    if call.method in _PREDICT_METHODS:
        return min(size, rows)
    if split:
        rows = int(math.floor(rows * (1.0 - split)))
    return size if rows % size == 0 else None


def build_on_first_call(interp, model: ModelV, shape: tuple, node) -> None:
    """A Sequential model without an input called on a tensor is built on its shape."""
    if _unbuilt(model) and not interp.speculative:
        with interp.graph.shown():
            build_sequential(interp, model, shape, node)


def _unbuilt(model: ModelV) -> bool:
    return model.kind == SEQUENTIAL and model.input_tensor is None and bool(model.layers)


@dataclass
class BuildError:
    """Data that cannot build a Sequential model: the layer that refuses its input."""

    layer: Any
    shape: tuple  # what the layer got
    message: str  # Keras' error, in its words
    data_shape: tuple  # the shape the model was built on
    trailing_axis_fits: bool  # the data with one more axis of 1 would build it


def _first_refusal(layers: list, shape: tuple):
    """(layer, its input shape, ShapeError) of the first layer that cannot take its input;
    None when every layer takes it (or what one gives is unknown); raises TypeError and
    friends for configurations of unexpected types."""
    current = shape
    for layer in layers:
        try:
            outputs = layer_outputs(layer, [current])[0]
        except ShapeError as err:
            return layer, current, err
        if not outputs or len(outputs) != 1:
            return None
        current = outputs[0]
    return None


def build_sequential(interp, model: ModelV, shape: tuple, node,
                     refuse: bool = True) -> Optional[BuildError]:
    """Build a Sequential model without an input on inputs of `shape`, as Keras does at its
    first call, `build` or `fit`: an InputLayer, then each layer on the previous output.
    When a layer cannot take its input, the model stays unbuilt and a BuildError says why
    (for the data of a `fit`); `refuse=False` (an explicit `build(shape)`) builds the graph
    anyway, so that the refusing layer carries Keras' error as in a model with an Input."""
    try:
        refusal = _first_refusal(model.layers, shape)
        if refusal is not None and refuse:
            layer, got, err = refusal
            return BuildError(layer, got, str(err), shape,
                              _first_refusal(model.layers, shape + (1,)) is None)
    except (TypeError, ValueError, ZeroDivisionError, IndexError, KeyError, AttributeError):
        return None  # a configuration value of an unexpected type: not built, unknown
    first = model.layers[0]
    model.input_tensor = model.output_tensor = input_node(
        interp, shape, "float32", None, node, first.flavor)
    for layer in model.layers:
        result = apply(interp, layer, [model.output_tensor], {}, layer.node)
        model.output_tensor = result if isinstance(result, TensorV) else None
        if model.output_tensor is None:
            break
    sequential_rebuild(interp, model)
    return None


def _summary(interp, model: ModelV, name, args, kwargs, node) -> Value:
    interp.event("summary", node, model=model)
    return Const(None)


def _add(interp, model: ModelV, name, args, kwargs, node) -> Value:
    if args and model.kind == SEQUENTIAL:
        sequential_add(interp, model, args[0], node)
        return Const(None)
    return Unknown(f"model.{name}")


def _get_layer(interp, model: ModelV, name, args, kwargs, node) -> Value:
    """`model.get_layer(name)` or `get_layer(index=i)`: the layer, as in `model.layers`."""
    wanted = to_python(args[0] if args else kwargs.get("name", Const(None)))
    index = to_python(args[1] if len(args) > 1 else kwargs.get("index", Const(None)))
    objects = networks.network_layers(interp, model) if model.kind == APPLICATION \
        else model.layer_objects()
    if isinstance(wanted, str):
        return next((obj for obj in objects or () if obj.name == wanted), Unknown("get_layer"))
    if wanted is None and is_int(index) and objects and -len(objects) <= index < len(objects):
        return objects[index]
    return Unknown("get_layer")


def _save(interp, model: ModelV, name, args, kwargs, node) -> Value:
    """`model.save(path)` and `model.save_weights(path)`: a `save-path` event for the rules
    (Keras 3 takes only some file extensions); a saved model may be loaded again."""
    path = args[0] if args else kwargs.get("filepath", UNKNOWN)
    surface = keras_api.surface(model.flavor, interp.target)
    if isinstance(path, Const) and isinstance(path.value, str) and surface is not None:
        interp.event("save-path", node, method=name, path=path.value, surface=surface,
                     save_format=to_python(kwargs.get("save_format", Const(None))))
    if name == "save":
        saved_models.remember(interp, model, path)
    return Const(None)


MODEL_METHODS = {"compile": _compile, "summary": _summary, "add": _add, "build": _build,
                 "get_layer": _get_layer, "save": _save, "save_weights": _save, **{name: _train for name in _TRAINING_METHODS}}


def make_model(interp, args, kwargs, node, flavor) -> Value:
    inputs = kwargs.get("inputs", args[0] if args else None)
    outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
    name = to_python(kwargs.get("name", args[2] if len(args) > 2 else Const(None)))
    explicit = isinstance(name, str)
    generic = "Model" if keras_api.surface(flavor, interp.target) == "keras2" else "Functional"
    model = ModelV(FUNCTIONAL, name if explicit else auto_name(interp, generic),
                   len(interp.models), node, interp.graph, explicit_name=explicit,
                   stack=interp.stack, flavor=flavor, speculative=interp.speculative > 0)
    interp.models.append(model)
    if inputs is None or outputs is None:
        model.kind = CUSTOM
        interp.unresolved_models.append((model, "Model() without inputs and outputs"))
        return model
    in_list = flatten([inputs])
    out_list = flatten([outputs])
    if isinstance(outputs, DictV):
        model.output_struct = "dict"
        model.output_names = [str(k) for k in sorted_keys(outputs.items)]
        model.output_keys_written = [str(k) for k in outputs.items]
    elif isinstance(outputs, Seq):
        model.output_struct = "list"
    if not all(isinstance(t, TensorV) for t in in_list + out_list) or not out_list:
        model.kind = CUSTOM
        why = next((v.reason for v in in_list + out_list
                    if isinstance(v, Unknown) and v.reason), None)
        interp.unresolved_models.append((model, "inputs or outputs the analysis could not "
                                                "follow" + (f" ({why})" if why else "")))
        return model
    model.graph = build_model_graph(interp.graph, in_list, out_list, model.output_names)
    if networks.mixes_network_and_its_layers(interp.graph, model.graph):
        model.kind = CUSTOM
        interp.unresolved_models.append((model, "a network's output taken whole and its "
                                                "layers' outputs in one model"))
        return model
    if model.output_names is None:
        model.output_names = [interp.graph.node(t.node_id).name for t in out_list]
    return model


def make_sequential(interp, args, kwargs, node, flavor) -> Value:
    name = to_python(kwargs.get("name", args[1] if len(args) > 1 else Const(None)))
    explicit = isinstance(name, str)
    model = ModelV(SEQUENTIAL, name if explicit else auto_name(interp, "Sequential"),
                   len(interp.models), node, interp.graph, explicit_name=explicit,
                   stack=interp.stack, flavor=flavor, speculative=interp.speculative > 0)
    interp.models.append(model)
    layers = kwargs.get("layers", args[0] if args else None)
    if layers is not None:
        items = iteration(layers)
        if items is None:
            model.kind = CUSTOM
            interp.unresolved_models.append((model, "Sequential layers not followed"))
            return model
        for item in items:
            sequential_add(interp, model, item, node, rebuild=False)
        sequential_rebuild(interp, model)
    return model


def sequential_rebuild(interp, model: ModelV) -> None:
    """Keras rebuilds a Sequential model with a known input after every `add` (and once
    after its constructor's list), each time through a new auto-named Functional model:
    the names `functional_N` of later models count these."""
    if model.kind == SEQUENTIAL and model.input_tensor is not None and model.layers:
        auto_name(interp, "Functional")


def sequential_add(interp, model: ModelV, item: Value, node, rebuild=True) -> None:
    if model.kind != SEQUENTIAL:
        return
    sequential_append(interp, model, item, node)
    if rebuild:
        sequential_rebuild(interp, model)


def sequential_append(interp, model: ModelV, item: Value, node) -> None:
    if isinstance(item, TensorV) and interp.graph.node(item.node_id).kind == INPUT \
            and not model.layers and model.input_tensor is None:
        model.input_tensor = model.output_tensor = item
        return
    if isinstance(item, LayerV) and item.cls_name == "InputLayer":
        shape = item.config.get("input_shape")
        if isinstance(shape, tuple) and model.input_tensor is None:
            model.input_tensor = model.output_tensor = input_node(
                interp, (None,) + shape, "float32", item.name, item.node, item.flavor)
        return
    if not isinstance(item, (LayerV, ModelV)):
        model.kind = CUSTOM
        interp.unresolved_models.append((model, "a Sequential element the analysis could "
                                                "not follow"))
        return
    if model.input_tensor is None and not model.layers and isinstance(item, LayerV):
        shape = _declared_input_shape(item)
        if shape is not None:
            model.input_tensor = model.output_tensor = input_node(
                interp, shape, "float32", None, item.node, item.flavor)
    model.layers.append(item)
    if model.output_tensor is not None:
        result = apply(interp, item, [model.output_tensor], {}, item.node)
        model.output_tensor = result if isinstance(result, TensorV) else None


def make_application(interp, name: str, kwargs, node, flavor) -> Value:
    config = {key: to_python(value) for key, value in kwargs.items()}
    tensor = kwargs.get("input_tensor")
    on_input = isinstance(tensor, TensorV) and tensor.shape is not None and \
        interp.graph.node(tensor.node_id).kind == INPUT
    if on_input and not isinstance(config.get("input_shape"), (tuple, list)):
        config["input_shape"] = tuple(d if is_int(d) else None for d in tensor.shape[1:])
    model_name = application_name(name, config) or snake_case(name)
    # The network's own Input takes a name (not when it is built on the program's Input), and
    # so do the layers it names after their class (InceptionV3's `conv2d_93`).
    own_input = None if on_input else auto_name(interp, "InputLayer")
    model = ModelV(APPLICATION, model_name, len(interp.models), node, interp.graph,
                   explicit_name=True, stack=interp.stack, flavor=flavor,
                   app=application(name), app_config=config, app_input_name=own_input,
                   app_input=tensor if on_input else None)
    variant = application_variant(config)
    if variant is not None:
        model.app_names = {prefix: [auto_name(interp, prefix) for _ in range(count)]
                           for prefix, count in catalog.application_auto_names(
                               name, variant).items()}
    interp.models.append(model)
    return model


def clone_model(interp, source: Value, node) -> Value:
    """`keras.models.clone_model(model)`: a model of the same structure, layers and names
    (the weights are new: nothing the analysis tracks); unknown for anything else."""
    if not isinstance(source, ModelV) or source.kind not in (FUNCTIONAL, SEQUENTIAL):
        return Unknown("clone_model")
    return copy_model(interp, source, node)


def copy_model(interp, source: ModelV, node, escaped: bool = False) -> ModelV:
    """A new model made at `node` with `source`'s structure, layers and names."""
    model = ModelV(source.kind, source.name, len(interp.models), node, interp.graph,
                   graph=source.graph, explicit_name=True, stack=interp.stack,
                   layers=list(source.layers), input_tensor=source.input_tensor,
                   output_tensor=source.output_tensor, output_names=source.output_names,
                   output_struct=source.output_struct, flavor=source.flavor,
                   speculative=interp.speculative > 0, escaped=escaped)
    interp.models.append(model)
    return model


def load_model(interp, args, kwargs, node, flavor) -> Value:
    """`load_model(path)`: the model this program saved to that path, if it saved exactly
    one there (compiled or not, as saved); else a model whose layers are in the file."""
    saved = saved_models.source(interp, args[0] if args else kwargs.get("filepath", UNKNOWN))
    if saved is not None and saved.kind in (FUNCTIONAL, SEQUENTIAL) and saved.resolved \
            and not saved.escaped:
        return copy_model(interp, saved, node, escaped=True)
    model = ModelV(CUSTOM, "loaded model", len(interp.models), node,
                   interp.graph, stack=interp.stack, flavor=flavor, escaped=True,
                   speculative=interp.speculative > 0)
    interp.models.append(model)
    interp.unresolved_models.append((model, "a model loaded from a file"))
    return model


def preset_model(interp, cls_name: str, node) -> ModelV:
    """`keras_hub.models.BertBackbone.from_preset(...)`: a model whose configuration KerasHub
    downloads when the program runs, so nothing of its structure is known here."""
    model = ModelV(CUSTOM, cls_name, len(interp.models), node, interp.graph,
                   stack=interp.stack, escaped=True, speculative=interp.speculative > 0)
    interp.models.append(model)
    interp.unresolved_models.append((model, "a KerasHub preset, whose configuration is "
                                            "downloaded at run time"))
    return model


def _declared_input_shape(layer: LayerV) -> Optional[tuple]:
    """The batch shape a first Sequential layer declares with input_shape / input_dim.
    `input_dim` is Keras 2's width shortcut only where it is not the layer's own argument:
    `Embedding(2500, 16)`'s input_dim is its vocabulary, and its input is ids of any length."""
    config = layer.config
    shape = config.get("batch_input_shape")
    if isinstance(shape, (tuple, list)) and all(is_dim(d) for d in shape):
        return tuple(shape)
    own = catalog.callable_signature("keras.layers", layer.cls_name)
    if isinstance(config.get("input_dim"), int) and \
            (own is None or "input_dim" not in own.positional):
        return (None, config["input_dim"])
    shape = config.get("input_shape")
    if isinstance(shape, (tuple, list)) and all(is_dim(d) for d in shape):
        batch = config.get("batch_size")
        return (batch if isinstance(batch, int) else None,) + tuple(shape)
    return None
