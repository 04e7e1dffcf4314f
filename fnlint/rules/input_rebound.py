"""FN402 input-rebound."""

from __future__ import annotations

from fnlint.rules import Rule, register


@register
class InputRebound(Rule):
    """## What it does
    Reports a name that held an `Input` tensor being reassigned to a layer's output.

    ## Why is this bad?
    Later uses of the name no longer mean the input: `Model(inputs=[..., right_input])` then
    gets a layer output instead of an Input, and the model cannot be built.

    ## Example
    ```python
    right_input = Input(shape=(250, 250, 3))
    right_input = xception_base(right_input)
    ```
    Use instead: `right_features = xception_base(right_input)`.
    """

    code = "FN402"
    name = "input-rebound"
    severity = "warning"

    def check(self, analysis):
        graph = analysis.graph
        for event in analysis.events:
            if event.kind != "input-rebound":
                continue
            name = event.data["name"]
            produced = graph.node(event.data["value"].node_id)
            yield self.finding(
                analysis, event.node,
                f"'{name}' held an Input and is reassigned to the output of "
                f"'{produced.name}' ({produced.cls}); later uses of '{name}' no longer mean "
                f"the input",
                suggestion=f"give the output its own name, e.g. "
                           f"`{_suggest(name)} = ...`")


def _suggest(name: str) -> str:
    if name.endswith("_input"):
        return name[: -len("_input")] + "_features"
    return name + "_out"
