"""FN101 graph-disconnected."""

from __future__ import annotations

from fnlint.analyzer.graph import path_to
from fnlint.analyzer.model import FUNCTIONAL
from fnlint.rules import Rule, register


@register
class GraphDisconnected(Rule):
    """## What it does
    Reports a `Model(inputs, outputs)` whose outputs need an `Input` that is not among `inputs`.

    ## Why is this bad?
    Keras cannot compute the outputs from the inputs it is given and raises
    `ValueError: Graph disconnected` when the model is built.

    ## Example
    ```python
    unrelated_input = Input(shape=(32,))
    bad_model = Model(unrelated_input, output_tensor)
    ```
    Use instead: `Model(input_tensor, output_tensor)`, passing the Input the outputs come from.
    """

    code = "FN101"
    name = "graph-disconnected"
    severity = "error"

    def check(self, analysis):
        graph = analysis.graph
        for model in analysis.models:
            if model.kind != FUNCTIONAL or model.graph is None or model.speculative:
                continue
            if model.graph.unknown_nodes:
                continue  # part of the graph is unknown: the missing input may come from there
            given = ", ".join(_label(graph.node(t.node_id)) for t in model.inputs)
            for input_id in model.graph.missing_inputs:
                missing = graph.node(input_id)
                span = analysis.span(missing.call)
                where = f" (line {span.line})" if span else ""
                route = " -> ".join(graph.node(n).name
                                    for n in reversed(path_to(graph, model.outputs, input_id)))
                yield self.finding(
                    analysis, model.node,
                    f"graph disconnected: the outputs of model '{model.name}' are computed from "
                    f"Input {_label(missing)}{where}, which is not among its inputs ({given}); "
                    f"path: {route}",
                    suggestion=f"pass {_label(missing)} as the model's input")


def _label(data) -> str:
    return f"`{data.variable}`" if data.variable else f"'{data.name}'"
