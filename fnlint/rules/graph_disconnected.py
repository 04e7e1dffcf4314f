"""FN101 graph-disconnected."""

from __future__ import annotations

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
            for input_id in model.graph.missing_inputs:
                missing = graph.node(input_id)
                given = ", ".join(f"'{graph.node(t.node_id).name}'" for t in model.inputs)
                span = analysis.span(missing.call)
                where = f" (created at line {span.line})" if span else ""
                yield self.finding(
                    analysis, model.node,
                    f"graph disconnected: the outputs of model '{model.name}' need Input "
                    f"'{missing.name}'{where}, which is not among its inputs ({given})",
                    suggestion=f"pass Input '{missing.name}' in `inputs`, or build the outputs "
                               f"from the inputs given")
