"""Merges of symbolic sizes that Keras cannot check when it builds the model but that fnlint
proves wrong: which inputs disagree, on which axis, for which input sizes, in words that
`fnlint summary` and the incompatible-merge rule share."""

from __future__ import annotations

from dataclasses import dataclass

from fnlint.analyzer import symbolic
from fnlint.analyzer.layers.merging import Conflict, conflicts


@dataclass(frozen=True)
class MergeConflict:
    node_id: int  # the merge
    sources: tuple  # node ids producing the two disagreeing inputs
    axis: int
    always: bool  # different for every input size (else only for some)
    text: str


def axis_name(axis: int, rank: int) -> str:
    if rank == 4:
        return {1: "height", 2: "width"}.get(axis, f"axis {axis}")
    if rank == 5:
        return {1: "depth", 2: "height", 3: "width"}.get(axis, f"axis {axis}")
    if rank == 3 and axis == 1:
        return "length"
    return f"axis {axis}"


def _sizes(env: dict) -> str:
    return ", ".join(f"{name}={value}" for name, value in env.items())


def _label(data) -> str:
    """`branch_a` ('conv2d'): the variable people know, and the layer Keras names."""
    return f"`{data.variable}` ('{data.name}')" if data.variable else f"'{data.name}'"


def node_conflicts(graph, data) -> list:
    """The MergeConflicts of one merge node (empty for anything else)."""
    shapes = [t.shape if t is not None else None for t in data.inputs]
    if data.layer is None or getattr(data.layer, "spec", None) is None or None in shapes or \
            getattr(data.layer, "network", None) is not None:  # (Keras built the network)
        return []
    found = []
    for conflict in conflicts(data.cls, data.layer.config, shapes):
        found.append(_describe(graph, data, conflict, shapes))
    return found


def _describe(graph, data, conflict: Conflict, shapes) -> MergeConflict:
    first, other = data.inputs[conflict.first], data.inputs[conflict.other]
    a, b = shapes[conflict.first], shapes[conflict.other]
    left, right = a[conflict.axes[0]], b[conflict.axes[1]]
    what = axis_name(conflict.axes[0], len(a))
    source_a, source_b = graph.node(first.node_id), graph.node(other.node_id)
    verdict = conflict.verdict
    text = (f"the {what} of {_label(source_a)} is {left} and of {_label(source_b)} is {right}: "
            f"they ")
    if verdict.kind == symbolic.DIFFERENT:
        text += "differ for every input size"
        if verdict.differ_at and verdict.values and None not in verdict.values:
            text += (f", e.g. {verdict.values[0]} vs {verdict.values[1]} at "
                     f"{_sizes(verdict.differ_at)}")
    else:
        text += (f"agree only for some input sizes: equal at {_sizes(verdict.equal_at)}, "
                 f"different at {_sizes(verdict.differ_at)}")
    return MergeConflict(data.id, (first.node_id, other.node_id), conflict.axes[0],
                         verdict.kind == symbolic.DIFFERENT, text)
