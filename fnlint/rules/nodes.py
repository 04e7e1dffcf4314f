"""Reading the layer graph for rules: the calls where Keras would raise, and where a tensor
came from, in the user's words."""

from __future__ import annotations

from fnlint.facts import UndefinedName, format_shape
from fnlint.rules.suggest import did_you_mean


def failing_calls(facts, kinds):
    """Graph nodes whose layer call Keras would refuse with an error of one of `kinds`, once
    per call site (a loop applies one call many times), skipping what the analysis only
    supposes (built under a condition it could not decide)."""
    seen = set()
    for data in facts.graph.nodes():
        if data.error_kind in kinds and not data.speculative and id(data.call) not in seen:
            seen.add(id(data.call))
            yield data


def line_of(facts, node) -> str:
    span = facts.span(node)
    return f" (line {span.line})" if span else ""


def origin(facts, tensor) -> str:
    """`` `y` ('conv2d', line 7) is (None, 8, 8, 64) `` for the tensor a layer receives."""
    if tensor is None:
        return "an input the analysis could not follow"
    source = facts.graph.node(tensor.node_id)
    span = facts.span(source.call)
    where = f"'{source.name}'" + (f", line {span.line}" if span else "")
    label = f"`{source.variable}` ({where})" if source.variable else where
    return f"{label} is {format_shape(tensor.shape)}"


def inputs_text(facts, data) -> str:
    return "; ".join(origin(facts, t) for t in data.inputs)


def input_places(facts, data) -> list:
    """(call node, origin) of each input a layer call receives: a finding's related places."""
    return [(facts.graph.node(t.node_id).call, origin(facts, t))
            for t in data.inputs if t is not None]


def argument_node(node, name: str, position=None):
    """The source expression of argument `name` (or of positional `position`) of the call
    `node`, or the call itself when it has no such argument."""
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
    if position is not None and position < len(positional):
        return positional[position].value
    return node


def dict_key_node(expression, key):
    """The key expression `key` in a dict literal, else the expression itself."""
    for element in getattr(expression, "elements", ()):
        literal = getattr(getattr(element, "key", None), "evaluated_value", None)
        if literal == key:
            return element.key
    return expression


def misspelt_elsewhere(facts, model) -> bool:
    """Whether an undefined name is a typo of the model's variable (`mdoel.add(...)`): code
    meant to change the model did not, so what the analysis knows of it is not what the
    author meant (the typo is undefined-name's finding)."""
    if not model.variable:
        return False
    return any(did_you_mean(event.name, [model.variable]) == model.variable
               for event in facts.events_of(UndefinedName))
