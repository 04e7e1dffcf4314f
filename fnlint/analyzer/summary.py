"""What `model.summary()` would print, computed from a model graph: one row per layer of
`model.layers` with its output shape, parameter count and inbound connections, and the totals.
Reporters render these rows (`fnlint.summaries`); they never look at graphs themselves."""

from __future__ import annotations

from typing import Optional

from fnlint import catalog
from fnlint.analyzer import ModuleAnalysis, keras_api
from fnlint.analyzer.conflicts import node_conflicts
from fnlint.analyzer.graph import OP
from fnlint.analyzer.model import APPLICATION, CUSTOM, SEQUENTIAL, SUBCLASSED, ModelV, weights_of
from fnlint.analyzer import values
from fnlint.summaries import (
    COMPLETE, KERAS2_OP, PARTIAL, UNRESOLVED, LayerRow, ModelSummary,
)


def summarize(analysis: ModuleAnalysis) -> list:
    """A ModelSummary for every model the module builds, in construction order."""
    reasons = {id(model): reason for model, reason in analysis.unresolved}
    return [summarize_model(analysis, model, reasons.get(id(model))) for model in analysis.models]


def summarize_model(analysis: ModuleAnalysis, model: ModelV, reason=None) -> ModelSummary:
    span = analysis.span(model.node)
    via = analysis.span(model.stack[0]) if model.stack else None
    counts = model.weights()
    summary = ModelSummary(
        path=analysis.path, line=span.line if span else None, variable=model.variable,
        name=model.name, kind=model.kind, cls=model.cls, inputs=[], outputs=[],
        trainable=counts[0] if counts else None, non_trainable=counts[1] if counts else None,
        via_line=via.line if via else None,
    )
    if model.hypermodel:
        summary.notes.append("the hypermodel at its default hyperparameters (Keras Tuner "
                             "builds it so when the tuner is made)")
    graph = analysis.graph
    for tensor in model.inputs:
        data = graph.node(tensor.node_id)
        summary.inputs.append((data.name, tensor.shape, data.dtype))
    for tensor in model.outputs:
        data = graph.node(tensor.node_id)
        summary.outputs.append((data.name, data.outputs[tensor.index]))
    if model.kind == CUSTOM:
        summary.status, summary.reason = UNRESOLVED, reason or "not a model the analysis follows"
        summary.cause = _unresolved_cause(summary.reason)
        return summary
    if model.kind == APPLICATION:
        summary.status = COMPLETE if model.app is not None and counts else PARTIAL
        if model.app is None:
            summary.reason = "keras.applications network not in fnlint's table"
            summary.cause = "unknown application"
        elif not counts:
            summary.reason = "options of the network that are not constants"
            summary.cause = "dynamic value"
        return summary
    shown = summary.rows  # the rows whose shapes Keras prints
    if model.kind == SUBCLASSED:
        shown = _subclassed_rows(analysis, model, summary)
    elif model.kind == SEQUENTIAL:
        summary.rows = [_row(analysis, obj, None) for obj in model.layers]
        if model.output_tensor is None:
            summary.reason = "no input shape: the Sequential model is never built"
            summary.cause = "never built"
    else:
        summary.sequential_like = model.graph.sequential_like
        keras2 = keras_api.surface(model.flavor, analysis.target) == "keras2"
        unnamed = _keras2_unnamed_op(analysis, model) if keras2 else None
        if unnamed is not None:
            summary.reason, summary.cause = unnamed, KERAS2_OP
        for key in model.graph.layers:
            node_ids = model.graph.layer_nodes[key]
            first = graph.node(node_ids[0])
            if first.kind == OP:
                if keras2 and unnamed is None:
                    summary.rows.append(_keras2_op_row(analysis, first))
                continue
            summary.rows.append(_row(analysis, first.layer, node_ids, keras2))
            for node_id in node_ids:
                summary.notes += [f"{first.name}: {c.text}"
                                  for c in node_conflicts(graph, graph.node(node_id))]
    known = all(shape is not None for row in shown for shape in row.output_shapes)
    if not known or summary.total is None or not summary.rows or summary.cause == KERAS2_OP:
        summary.status = PARTIAL
        if summary.reason is None:
            summary.reason, summary.cause = _partial_reason(summary)
    return summary


def _subclassed_rows(analysis: ModuleAnalysis, model: ModelV, summary: ModelSummary) -> list:
    """A subclassed model's `model.layers`: the layers its attributes hold, each with the
    output of its first call inside the model's `call()`.  Gives the rows whose shape Keras
    prints: not that of a user layer the model's `call()` never calls (one its `train_step`
    or `compute_loss` calls, or built by `self.built = True`), which Keras shows as `?`
    unless the layer says its shape by `compute_output_shape`."""
    instance = model.instance
    shown = []
    if instance.opaque:
        summary.reason = f"the subclass is not followed: {instance.opaque}"
        summary.cause = "subclass not followed"
    elif not instance.built:
        summary.reason = "the subclassed model is never built, called or fitted"
        summary.cause = "never built"
    for obj in instance.tracked():
        row = _row(analysis, obj, None)
        if isinstance(obj, ModelV) or not obj.applications:
            shapes = obj.own_output_shapes() if isinstance(obj, ModelV) else \
                instance.outputs.get(id(obj), [None])
            row.output_shapes = list(shapes)
        if row.params is None or any(shape is None for shape in row.output_shapes):
            row.cause = row.cause or _cause(obj, row.error)
        summary.rows.append(row)
        if not (isinstance(obj, values.LayerV) and obj.instance is not None and obj.instance.built
                and id(obj) not in instance.applied and not obj.instance.declares_shape):
            shown.append(row)
    return shown


def _row(analysis: ModuleAnalysis, obj, node_ids, keras2: bool = False) -> LayerRow:
    """`keras2`: a row of a Keras 2 model, whose ops are layers named as Keras 2 names them."""
    graph = analysis.graph
    applications = obj.applications
    first = graph.node(node_ids[0] if node_ids else applications[0]) if applications else None
    span = analysis.span(first.call) if first is not None else analysis.span(obj.node)
    connected, inbound = _inbound(graph, node_ids or [], keras2)
    counts = weights_of(obj)
    cls = obj.cls if isinstance(obj, ModelV) else obj.cls_name
    error = None
    if node_ids:
        error = next((graph.node(n).error for n in node_ids if graph.node(n).error), None)
    if isinstance(obj, ModelV):
        shapes = obj.own_output_shapes()
    else:  # Keras shows the first call's output of a layer called several times
        shapes = list(first.outputs) if first is not None else [None]
    row = LayerRow(
        name=obj.name, cls=cls, line=span.line if span else None,
        output_shapes=shapes,
        params=sum(counts) if counts is not None else None,
        connected=connected, inbound=inbound, error=error, calls=max(1, len(node_ids or ())),
        lines=tuple(sorted({s.line for s in (analysis.span(graph.node(n).call)
                                              for n in node_ids or ()) if s})),
        dtype=first.dtype if first is not None else None,
    )
    if isinstance(obj, ModelV):
        row.nested = True
        if obj.kind == APPLICATION and obj.app_output is not None and node_ids and \
                node_ids[0] == obj.app_output.node_id:
            row.inlined = _network_layers(obj)
    if row.params is None or any(shape is None for shape in row.output_shapes):
        row.cause = _cause(obj, error)
    return row


def _network_layers(model: ModelV) -> Optional[int]:
    """The layers of a keras.applications network after its Input, where known: measured
    without the top, plus the pooling layer `pooling=` adds."""
    entry = catalog.application(model.app.name)
    if entry is None or model.app_config.get("include_top", True) is not False:
        return None
    return entry["layers"] - 1 + (model.app_config.get("pooling") is not None)


def _keras2_unnamed_op(analysis: ModuleAnalysis, model: ModelV) -> Optional[str]:
    """Keras 2 wraps a tensor op between layers in a layer of its own (TFOpLambda,
    SlicingOpLambda) that `model.layers` lists: why fnlint cannot list one of this model's
    (the reason of a partial summary showing the other layers), None when it can list all."""
    graph = analysis.graph
    for key in model.graph.layers:
        data = graph.node(model.graph.layer_nodes[key][0])
        if data.kind == OP and data.keras2_layer is None:
            return (f"the op '{data.name}' between layers is a TFOpLambda layer of its own in "
                    "Keras 2, whose name fnlint does not know")
    return None


def _keras2_op_row(analysis: ModuleAnalysis, data) -> LayerRow:
    """The row of an op's layer in Keras 2: named as Keras 2 names it, no weights."""
    span = analysis.span(data.call)
    name, cls = data.keras2_layer
    connected, inbound = _inbound(analysis.graph, [data.id], True)
    row = LayerRow(name=name, cls=cls, line=span.line if span else None,
                   output_shapes=list(data.outputs), params=0, connected=connected,
                   inbound=inbound, error=data.error, lines=(span.line,) if span else (),
                   dtype=data.dtype)
    if any(shape is None for shape in row.output_shapes):
        row.cause = "op without shape inference"
    return row


def _inbound(graph, node_ids: list, keras2: bool) -> tuple:
    """`Connected to` (`name[node][tensor]`) and the inbound layers' names of the nodes,
    the layers of ops named as Keras 2 names them where `keras2`."""
    connected, inbound = [], []
    for node_id in node_ids:
        for tensor in graph.node(node_id).inputs:
            if tensor is None:
                continue
            source = graph.node(tensor.node_id)
            name = source.keras2_layer[0] if keras2 and source.keras2_layer else source.name
            connected.append(f"{name}[{source.node_index}][{tensor.index}]")
            inbound.append(name)
    return connected, inbound


def _partial_reason(summary: ModelSummary) -> tuple:
    unknown = [row for row in summary.rows if row.params is None or
               any(shape is None for shape in row.output_shapes)]
    if unknown:
        row = unknown[0]
        if row.error:
            return f"layer '{row.name}' cannot be built: {row.error}", "layer cannot be built"
        return (f"layer '{row.name}' ({row.cls}) has an unknown shape or parameter count",
                row.cause or "unknown value")
    return "some shapes or counts are unknown", "unknown value"


_UNRESOLVED_CAUSES = (  # words of an unresolved model's reason -> its cause
    ("(parameter ", "argument of a builder never called"), ("loaded from a file", "loaded model"),
    ("a KerasHub preset", "KerasHub preset: its configuration is downloaded at run time"),
    ("(call", "value from a call not followed"), ("(instance", "value from a call not followed"),
    ("(differs between branches", "branches or loops not decided"),
    ("(changed in a loop", "branches or loops not decided"),
)


def _unresolved_cause(reason: str) -> str:
    return next((cause for words, cause in _UNRESOLVED_CAUSES if words in reason),
                "model not followed")


def _unknown_input(reason: Optional[str]) -> str:
    """Why an Input's shape is unknown, in the words of the coverage statistics."""
    reason = reason or ""
    if reason.startswith(("parameter ", "*args", "**kwargs")):
        return "argument of a builder never called"
    if reason in ("shape", "dimension") or reason.startswith("array"):
        return "input shape from data"
    if reason.startswith("call of "):
        return "input shape from a call not followed"
    return "unknown input shape"


def _cause(obj, row_error) -> str:
    """Why a layer's shape or count is unknown."""
    if row_error:
        return "layer cannot be built"
    if isinstance(obj, ModelV):
        return "nested model not resolved"
    if obj.cls_name == "InputLayer":
        return _unknown_input(obj.unknown)
    if obj.instance is not None:  # state not followed, a sub-layer's argument or an op unknown
        if obj.instance.opaque:
            return "custom layer not followed"
        if any(isinstance(part, values.LayerV) and part.spec is not None and _unknown_argument(part)
               for part in obj.instance.tracked()):
            return ARGUMENT_NOT_KNOWN
        return "custom call() not followed"
    if obj.spec is None:
        return "custom layer"
    if obj.spec.output is None:
        return "layer without shape inference"
    if _unknown_argument(obj):
        return ARGUMENT_NOT_KNOWN
    return "unknown input or argument"


ARGUMENT_NOT_KNOWN = "layer argument not known (from data, a call or a parameter)"


def _unknown_argument(layer) -> bool:
    return any(value is values.UNRESOLVED or isinstance(value, values.Unknown)
               for value in layer.config.values())
