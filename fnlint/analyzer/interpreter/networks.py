"""Inside `keras.applications` networks: `base.layers`, `base.get_layer(name)` and their
outputs, which feature extractors, Grad-CAM and style transfer cut models from.

A network stays one opaque value until a program reaches inside it; then its layers are made
from the per-layer catalog (`analyzer/layers/application_layers.py`) and called on the network's
own Input as Keras built them, so that `Model(base.input, base.get_layer("block4_pool").output)`
holds those layers one by one, as Keras' model does.
"""

from __future__ import annotations

from typing import Optional

from fnlint.analyzer.graph import LAYER, MODEL
from fnlint.analyzer.layers import application_layers
from fnlint.analyzer.layers.spec import LayerSpec
from fnlint.analyzer.model import APPLICATION, ModelV, app_options, built_input_shape
from fnlint.analyzer.values import LayerV, Seq, TensorV

from fnlint.analyzer.interpreter.keras_layers import apply, input_node, snake_case


def network_layers(interp, model: ModelV) -> Optional[list]:
    """The layers of `model.layers` of a keras.applications network (its InputLayer first),
    made and called on first use; None when the analysis does not know them (options other
    than the plain ones, a network whose layers follow its input size, an unknown option)."""
    if model.app_layers is not None:
        return model.app_layers or None
    model.app_layers = []
    options = app_options(model)
    if model.kind != APPLICATION or model.app is None or options is None or \
            not set(model.app_config) <= application_layers.PLAIN_OPTIONS or \
            "input_tensor" in model.app_config and model.app_input is None:
        return None  # (built on a tensor other than an Input: its layers hang off the program's)
    include_top, classes, pooling, size = options
    rows = application_layers.network_layers(model.app.name, include_top, pooling)
    if rows is None or size not in (None, model.app.default_size) and any(
            row.step[0] == "dense" and rows[row.inbound[0]].step[0] == "flatten"
            for row in rows[1:]):
        return None  # (VGG's dense top on other sizes: its weights are measured on the default)
    tensors = [application_input(interp, model)]
    made = [interp.graph.node(tensors[0].node_id).layer]
    built_on_size = model.app_config.get("input_shape") is not None
    for row in rows[1:]:
        layer = LayerV(row.cls, _spec(row, classes, built_on_size), {},
                       _name(row, model.app_names), len(interp.layers), model.node, model.flavor,
                       explicit_name=not row.auto_named, speculative=model.speculative,
                       network=model)
        layer.trainable = model.trainable
        interp.layers.append(layer)
        inputs = [tensors[i] for i in row.inbound]
        output = apply(interp, layer, [inputs[0] if len(inputs) == 1 else Seq(inputs, "list")],
                       {}, model.node)
        if not isinstance(output, TensorV):
            return None
        interp.graph.node(output.node_id).used = True  # the network's own graph, not dead code
        made.append(layer)
        tensors.append(output)
    model.app_layers = made
    return made


def application_input(interp, model: ModelV) -> TensorV:
    """The Input a keras.applications network built itself, made on first use."""
    if model.app_input is None:
        model.app_input = input_node(interp, built_input_shape(model), "float32",
                                     model.app_input_name, model.node, model.flavor)
        interp.graph.node(model.app_input.node_id).layer.explicit_name = False
    return model.app_input


def _name(row, taken: dict) -> str:
    """A layer's name: the catalog's, or for one Keras names after its class, the name the
    network took from the session for it when it was built (the catalog's, measured in a
    fresh session, says which: `conv2d_5` is the sixth Conv2D it made)."""
    if not row.auto_named:
        return row.name
    prefix = snake_case(row.cls)
    suffix = row.name[len(prefix) + 1:]
    index = int(suffix) if suffix.isdigit() else 0
    names = taken.get(prefix, ())
    return names[index] if index < len(names) else row.name


def _spec(row, classes: int, built_on_size: bool) -> LayerSpec:
    """A spec that gives the layer's shape by its catalog step, and its weights as measured."""
    weights = application_layers.weights_for(row, classes)
    return LayerSpec(
        name=row.cls, params=(), defaults={}, required=(), keywords=None,
        output=lambda cfg, shapes: [application_layers.output_shape(
            row.step, shapes, classes, built_on_size)],
        weights=lambda cfg, shapes: weights,
    )


def set_trainable(model: ModelV, value) -> None:
    """`base.trainable = value` sets every layer of the network, as Keras does."""
    for layer in model.app_layers or ():
        layer.trainable = value


def mixes_network_and_its_layers(graph, model_graph) -> bool:
    """Whether a model holds a network applied whole to its own Input (`base.output` taken
    before the program reached inside it) and layers of that network: Keras lists those layers
    once, fnlint would count them twice."""
    whole, inner = set(), set()
    for node_id in model_graph.graph.nodes:
        data = graph.node(node_id)
        own = data.layer.app_input if data.kind == MODEL else None
        if data.kind == MODEL and data.layer.kind == APPLICATION and own is not None and \
                data.inputs and data.inputs[0] is not None and \
                data.inputs[0].node_id == own.node_id:
            whole.add(id(data.layer))
        elif data.kind == LAYER and data.layer.network is not None:
            inner.add(id(data.layer.network))
    return bool(whole & inner)
