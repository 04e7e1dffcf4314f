"""Models: functional graphs, Sequential stacks and opaque `keras.applications` networks.

A model is itself callable like a layer; calling it on new inputs propagates their shapes through
its graph again, as Keras does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from fnlint.analyzer import ops
from fnlint.analyzer.graph import INPUT, OP, ModelGraph, TensorGraph
from fnlint.analyzer.ops.arguments import argument
from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import ShapeError, format_shape
from fnlint.analyzer.values import LayerV, Value
from fnlint.summaries import (  # noqa: F401 - the kinds
    APPLICATION, CUSTOM, FUNCTIONAL, SEQUENTIAL, SUBCLASSED,
)


@dataclass(eq=False)
class ModelV(Value):
    kind: str
    name: str
    uid: int
    node: Any  # the constructor call
    tensor_graph: Optional[TensorGraph] = None
    graph: Optional[ModelGraph] = None
    explicit_name: bool = False
    variable: Optional[str] = None
    stack: tuple = ()
    layers: list = field(default_factory=list)  # Sequential: the added layers, in order
    input_tensor: Any = None  # Sequential: the tensor its stack starts from
    output_tensor: Any = None  # Sequential: the tensor its stack ends with
    output_names: Optional[list] = None
    output_struct: str = "single"  # how outputs were given: single, list or dict
    output_keys_written: list = field(default_factory=list)  # dict outputs: keys in source order
    app: Any = None  # the Application of an opaque network
    app_config: dict = field(default_factory=dict)
    app_input: Any = None  # the network's own Input (`base.input`), made on first use
    app_output: Any = None  # the network applied to it (`base.output`): a model cut from it
    # holds the network's layers themselves, as Keras flattens them
    app_input_name: Optional[str] = None  # the name Keras gives that Input
    app_layers: Optional[list] = None  # its layers, made when the program reaches inside it
    # (`base.layers`, `get_layer`; see interpreter/networks.py); [] when they are not known
    app_names: dict = field(default_factory=dict)  # auto-name prefix -> the names its layers
    # of that class took from the session when it was built, in the order Keras made them
    compiles: list = field(default_factory=list)
    trainings: list = field(default_factory=list)  # fit / evaluate / predict calls
    applications: list = field(default_factory=list)
    trainable: Any = True
    flavor: Optional[str] = None
    speculative: bool = False
    escaped: bool = False  # passed to code the analysis does not follow
    hypermodel: bool = False  # built by a Keras Tuner tuner, at the default hyperparameters
    instance: Any = None  # a subclassed model's interpreted state (subclasses.Instance)
    custom_training: bool = False  # a subclass overrides train_step, compute_loss...: its
    # losses and data are its own, not compile()'s

    @property
    def cls(self) -> str:
        if self.instance is not None:
            return self.instance.cls.name
        return {FUNCTIONAL: "Functional", SEQUENTIAL: "Sequential"}.get(
            self.kind, self.app.name if self.app else "Model")

    # -- inputs and outputs --------------------------------------------------------------
    @property
    def inputs(self) -> list:
        if self.kind == FUNCTIONAL and self.graph is not None:
            return self.graph.inputs
        if self.kind == SEQUENTIAL and self.input_tensor is not None:
            return [self.input_tensor]
        return []

    @property
    def outputs(self) -> list:
        if self.kind == FUNCTIONAL and self.graph is not None:
            return self.graph.outputs
        if self.kind == SEQUENTIAL and self.output_tensor is not None:
            return [self.output_tensor]
        return []

    def own_output_shapes(self) -> list:
        """The shapes of the model's own outputs, which Keras shows for a model used as a
        layer (its first node is its own graph, not the call)."""
        if self.kind == APPLICATION:
            return [application_output(self, own_input_shape(self))]
        if self.kind == SUBCLASSED:
            return self.instance.output_shapes or [None]
        return [t.shape for t in self.outputs] or [None]

    @property
    def resolved(self) -> bool:
        return self.kind in (FUNCTIONAL, SEQUENTIAL) and bool(self.outputs)

    # -- parameters ------------------------------------------------------------------------
    def layer_objects(self) -> list:
        """The layer instances of `model.layers`, in Keras' order."""
        if self.kind == SEQUENTIAL:
            return list(self.layers)
        if self.kind != FUNCTIONAL or self.graph is None:
            return []
        out = []
        for key in self.graph.layers:
            node = self.tensor_graph.node(self.graph.layer_nodes[key][0])
            if node.kind != OP:
                out.append(node.layer)
        return out

    def weights(self) -> Optional[tuple]:
        """(trainable, non_trainable) parameter counts, None when any layer's is unknown."""
        if self.kind == APPLICATION:
            return application_weights(self)
        if self.kind == SUBCLASSED:
            counts = self.instance.weights()
            if counts is not None and self.trainable is False:
                return (0, sum(counts))
            return counts
        if not self.resolved:
            return None
        counts = summed_weights(self.layer_objects())
        if counts is not None and self.trainable is False:
            return (0, sum(counts))
        return counts

    # -- calling the model as a layer -------------------------------------------------------
    def output_shapes(self, shapes: list) -> Optional[list]:
        """The output shapes of calling this model on inputs of `shapes`."""
        if self.kind == APPLICATION:
            return [application_output(self, shapes[0] if shapes else None)]
        if not self.resolved:
            return None
        expected = [t.shape for t in self.inputs]
        if len(shapes) != len(expected):
            raise ShapeError(
                f"model '{self.name}' expects {len(expected)} input(s), got {len(shapes)}"
            )
        for got, want in zip(shapes, expected):
            check_input(self.name, got, want)
        if all(got == want for got, want in zip(shapes, expected)):
            return [t.shape for t in self.outputs]
        return propagate(self, shapes)


def summed_weights(objects, own: tuple = (0, 0)) -> Optional[tuple]:
    """(trainable, non_trainable) of `own` weights and the layers and models `objects`,
    None when any count is unknown."""
    trainable, frozen = own
    for obj in objects:
        counts = weights_of(obj)
        if counts is None:
            return None
        trainable += counts[0]
        frozen += counts[1]
    return (trainable, frozen)


def weights_of(obj) -> Optional[tuple]:
    if isinstance(obj, ModelV):
        return obj.weights()
    if isinstance(obj, LayerV):
        if obj.cls_name == "InputLayer":
            return (0, 0)
        counts = obj.instance.weights() if obj.instance is not None else obj.weights
        if counts is None:
            return None
        if obj.trainable is False:
            return (0, sum(counts))
        return counts
    return None


def check_input(name: str, got, want) -> None:
    """Raise as Keras' input spec of a model does on a symbolic call: a trailing axis of size 1
    is dropped from either shape, then the sizes they both have must agree (a tensor of
    another rank passes, `(None, 8, 8)` into a model built for `(None, 8)`)."""
    if got is None or want is None:
        return
    squeezed = [s[:-1] if s and s[-1] == 1 else s for s in (got, want)]
    if not all(dims.compatible(g, w) for g, w in zip(squeezed[0][1:], squeezed[1][1:])):
        raise ShapeError(
            f"model '{name}' expects input shape {format_shape(want)}, got {format_shape(got)}"
        )


def propagate(model: ModelV, shapes: list) -> Optional[list]:
    """Recompute a functional or Sequential model's output shapes for new input shapes (a
    layer that cannot take its new input gives unknowns)."""
    return _through(model, shapes, strict=False)[1]


def tensor_shapes(model: ModelV, shapes: list) -> tuple:
    """(every tensor shape, the output shapes) of a functional or Sequential model fed inputs
    of `shapes`, unknowns included; raises ShapeError where Keras would fail to build it."""
    return _through(model, shapes, strict=True)


def _through(model: ModelV, shapes: list, strict: bool) -> tuple:
    """(all shapes, output shapes) of `model` on `shapes`."""
    from fnlint.analyzer.inference import layer_outputs  # (imports this module)

    def outputs_of(obj, ins):
        if obj is None:
            return None
        try:
            return layer_outputs(obj, ins)[0]
        except ShapeError:
            if strict:
                raise
            return None

    seen: list = []
    if model.kind == SEQUENTIAL:
        shape = shapes[0]
        for layer in model.layers:
            out = outputs_of(layer, [shape])
            if out is None:
                return seen, None
            shape = out[0]
            seen.append(shape)
        return seen, [shape]
    graph = model.tensor_graph
    known = {}
    for tensor, shape in zip(model.inputs, shapes):
        known[(tensor.node_id, tensor.index)] = shape
    for node_id in sorted(model.graph.graph.nodes):
        data = graph.node(node_id)
        if data.kind == INPUT or any((node_id, i) in known for i in range(len(data.outputs))):
            continue
        if data.kind == OP:
            outs = _op_outputs(data, known, strict)
        else:
            ins = [known.get((t.node_id, t.index)) if t is not None else None
                   for t in data.inputs]
            outs = outputs_of(data.layer, ins)
        for i, shape in enumerate(outs or [None] * len(data.outputs)):
            known[(node_id, i)] = shape
            seen.append(shape)
    return seen, [known.get((t.node_id, t.index)) for t in model.outputs]


def _op_outputs(data, known: dict, strict: bool) -> Optional[list]:
    """The output shapes of an op node computed again on the tensors' `known` shapes, from
    the call as written (None: unknown, as for an op the library does not know)."""
    if data.op is None:
        return None
    try:
        result = ops.infer(data.op, [argument(a, known) for a in data.call_args],
                           {k: argument(v, known) for k, v in data.call_kwargs.items()})
    except ShapeError:
        if strict:
            raise
        return None
    if isinstance(result, ops.Tensor):
        return [result.shape]
    if isinstance(result, tuple) and result and all(isinstance(r, ops.Tensor) for r in result):
        return [r.shape for r in result]
    return None


def app_options(model: ModelV):
    """(include_top, classes, pooling, input size) of an application call, or None when an
    option is not a known constant."""
    cfg = model.app_config
    include_top, classes = cfg.get("include_top", True), cfg.get("classes", 1000)
    pooling, shape = cfg.get("pooling"), cfg.get("input_shape")
    if not isinstance(include_top, bool) or not isinstance(classes, int) or \
            pooling not in (None, "avg", "max"):
        return None
    size = shape[0] if isinstance(shape, (tuple, list)) and len(shape) == 3 else None
    return include_top, classes, pooling, size


def application_weights(model: ModelV) -> Optional[tuple]:
    options = app_options(model)
    if model.app is None or options is None:
        return None
    include_top, classes, _, size = options
    counts = model.app.weights(include_top, classes, size)
    if model.app_layers and model.trainable is not False:  # layers frozen one by one
        counts = summed_weights(model.app_layers)
    if counts is not None and model.trainable is False:
        return (0, sum(counts))
    return counts


def application_output(model: ModelV, shape) -> Optional[tuple]:
    app, options = model.app, app_options(model)
    if app is None or options is None:
        return None
    include_top, classes, pooling, _ = options
    batch = shape[0] if shape else None
    if include_top:
        return (batch, classes)
    if pooling is not None:
        return (batch, app.channels)
    if shape is None or len(shape) != 4:
        return None
    built_on_size = model.app_config.get("input_shape") is not None
    return (batch, app.spatial(shape[1], built_on_size), app.spatial(shape[2], built_on_size),
            app.channels)


def built_input_shape(model: ModelV) -> tuple:
    """The shape of the Input an application network builds itself: `input_shape=`, its
    default size under a classification top, else images of any size."""
    shape = model.app_config.get("input_shape")
    if isinstance(shape, (tuple, list)):
        return (None,) + tuple(shape)
    size = model.app.default_size if model.app is not None else None
    if model.app_config.get("include_top", True) is True:
        return (None, size, size, 3)
    return (None, None, None, 3)


def own_input_shape(model: ModelV) -> tuple:
    """The input shape an application network is built for: `input_shape=`, or images of any
    size."""
    shape = model.app_config.get("input_shape")
    return (None,) + tuple(shape) if isinstance(shape, (tuple, list)) else (None, None, None, 3)
