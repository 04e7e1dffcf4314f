"""What sits at a source position, for editors: the tensor a name holds, the layer a call
applies, the shape to show at the end of each layer line, the model under the cursor.

Everything is read from a finished ModuleAnalysis (a graph node keeps the cst call it was made
at, `Positions` maps nodes to spans); nothing is analyzed again.  Only what the analysis knows
is shown: a name whose tensor the graph does not tie to this spot shows nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Optional

import libcst as cst

from fnlint.analyzer import ModuleAnalysis
from fnlint.analyzer.graph import INPUT, OP, NodeData
from fnlint.analyzer.model import ModelV, weights_of
from fnlint.analyzer.positions import Span


@dataclass(frozen=True)
class Output:
    """One tensor as an editor shows it: its shape and the layer application that made it."""

    shape: Optional[tuple]
    kind: str  # graph node kind: input, layer, model or op
    cls: str
    name: str
    params: Optional[int]
    error: Optional[str] = None


@dataclass(frozen=True)
class Site:
    """A name or a layer call in the source and the tensors it stands for: several when the
    call runs more than once (in a loop, in a helper function called twice)."""

    span: Span
    variable: Optional[str]  # the name, when the site is a name
    outputs: tuple


class Locator:
    """Position lookups over one analysis (build it once per analysis: it indexes the graph)."""

    def __init__(self, analysis: ModuleAnalysis) -> None:
        self.analysis = analysis
        self.by_call: dict = {}  # id(cst call) -> graph nodes made at it
        for data in analysis.graph.nodes():
            self.by_call.setdefault(id(data.call), []).append(data)
        self.by_constructor = {id(layer.node): layer for layer in analysis.layers}

    # -- hover -------------------------------------------------------------------------------
    def site_at(self, line: int, column: int) -> Optional[Site]:
        """The name or layer call at a 1-based position, innermost first."""
        if self.analysis.positions is None:
            return None
        chain = self.analysis.positions.containing(line, column)
        for depth, node in enumerate(chain):
            if isinstance(node, cst.Name):
                outputs = self._name_outputs(node, chain[depth + 1:])
                if outputs:
                    return Site(self.analysis.span(node), node.value, outputs)
            elif isinstance(node, cst.Call):
                outputs = self._call_outputs(node)
                if outputs:
                    return Site(self.analysis.span(node), None, outputs)
        return None

    def _call_outputs(self, call) -> tuple:
        nodes = self.by_call.get(id(call))
        if nodes:
            return tuple(_output(data, data.outputs[0] if len(data.outputs) == 1 else None)
                         for data in nodes)
        layer = self.by_constructor.get(id(call))  # `Dense(8)` built here, applied elsewhere
        if layer is None:
            return ()
        graph = self.analysis.graph
        return tuple(_output(graph.node(n), _single(graph.node(n))) for n in layer.applications)

    def _name_outputs(self, name, ancestors) -> tuple:
        """The tensors a name stands for where it is written: an assignment's target, an input
        of a layer call, or an input or output given to `Model(...)`."""
        for node in ancestors:
            if isinstance(node, cst.Assign):
                return self._target_outputs(node, name)
            if isinstance(node, cst.Call):
                tensors = self._argument_tensors(node, name)
                if tensors:
                    graph = self.analysis.graph
                    return tuple(_output(graph.node(t.node_id), t.shape) for t in tensors)
        return ()

    def _target_outputs(self, assign, name) -> tuple:
        nodes = self.by_call.get(id(assign.value), ())
        for target in assign.targets:
            if target.target is name:
                return tuple(_output(data, _single(data)) for data in nodes if _single(data)
                             is not None or len(data.outputs) == 1)
            if isinstance(target.target, (cst.Tuple, cst.List)):
                for index, element in enumerate(target.target.elements):
                    if element.value is name:
                        return tuple(_output(data, data.outputs[index]) for data in nodes
                                     if len(data.outputs) == len(target.target.elements))
        return ()

    def _argument_tensors(self, call, name) -> list:
        """The TensorVs `name` is given as in `call`: its first argument (alone or an element
        of a list of names) for a layer call, `inputs`/`outputs` for `Model(...)`."""
        tensors = []
        # Other tensor arguments follow the first argument's in a node's inputs: their count
        # is unknown, so the first argument's tensors are matched only without them.
        alone = len(call.args) == 1 and call.args[0].keyword is None and not call.args[0].star
        for data in self.by_call.get(id(call), ()) if alone else ():
            tensors += _matching(call.args[0].value, name, data.inputs)
        for model in self.analysis.models:
            if model.node is call and isinstance(model, ModelV):
                tensors += _matching(_argument(call, "inputs", 0), name, model.inputs)
                tensors += _matching(_argument(call, "outputs", 1), name, model.outputs)
        return tensors

    # -- inlay hints -------------------------------------------------------------------------
    @functools.cached_property
    def line_ends(self) -> list:
        """(line, column after the statement's code, Site) for each line that ends with a
        layer call assigned or listed there (`x = Dense(8)(x)`, a layer in `Sequential([...])`),
        the outermost call of the line; lines whose shapes are unknown are left out."""
        positions = self.analysis.positions
        if positions is None:
            return []
        lines = self.analysis.source.split("\n")
        best: dict = {}  # end line -> (span, call)
        for call in positions.nodes(cst.Call):
            nodes = self.by_call.get(id(call))
            if not nodes or all(data.kind == OP for data in nodes):
                continue
            span = self.analysis.span(call)
            if span is None or span.end_line > len(lines) or \
                    not _ends_line(lines[span.end_line - 1], span.end_column):
                continue
            held = best.get(span.end_line)
            if held is None or (span.line, span.column) < (held[0].line, held[0].column):
                best[span.end_line] = (span, call)
        ends = []
        for line, (span, call) in sorted(best.items()):
            outputs = self._call_outputs(call)
            if outputs and all(o.shape is not None for o in outputs):
                text = lines[line - 1]
                ends.append((line, len(_code_part(text)) + 1, Site(span, None, outputs)))
        return ends

    # -- models ------------------------------------------------------------------------------
    def model_at(self, line: int, column: int) -> Optional[ModelV]:
        """The model built at the position, named there, or holding the layer call there; the
        only model of the module when the position is on none."""
        models = self.analysis.models
        if self.analysis.positions is not None:
            chain = self.analysis.positions.containing(line, column)
            for node in chain:
                for model in models:
                    if model.node is node:
                        return model
                if isinstance(node, cst.Name):
                    named = [m for m in models if m.variable == node.value]
                    if named:
                        return named[-1]
                if isinstance(node, cst.Call) and id(node) in self.by_call:
                    ids = {data.id for data in self.by_call[id(node)]}
                    holding = [m for m in models if m.graph is not None and
                               ids & set(m.graph.depth)]
                    if holding:
                        return holding[0]
        return models[0] if len(models) == 1 else None


def _output(data: NodeData, shape) -> Output:
    counts = None if data.kind in (INPUT, OP) else weights_of(data.layer)
    return Output(shape, data.kind, data.cls, data.name,
                  sum(counts) if counts is not None else None, data.error)


def _single(data: NodeData):
    return data.outputs[0] if len(data.outputs) == 1 else None


def _argument(call, keyword: str, position: int):
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    return positional[position].value if position < len(positional) else None


def _matching(expression, name, tensors: list) -> list:
    """The tensor of `tensors` that `name` stands for in `expression`: the expression itself
    (when it is the only tensor), or one element of a list or tuple of plain names as long as
    `tensors` (a name holding a list of tensors would shift the order: nothing is shown)."""
    if expression is None:
        return []
    if expression is name:
        return [tensors[0]] if len(tensors) == 1 and tensors[0] is not None else []
    if isinstance(expression, (cst.List, cst.Tuple)):
        elements = [element.value for element in expression.elements]
        if all(isinstance(e, cst.Name) for e in elements) and len(elements) == len(tensors):
            return [tensors[i] for i, e in enumerate(elements)
                    if e is name and tensors[i] is not None]
    return []


def _code_part(text: str) -> str:
    """A line without its comment and trailing space (a `#` inside a string is no comment)."""
    quote = None
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quote:
            escaped = True
        elif quote and char == quote:
            quote = None
        elif not quote and char in "'\"":
            quote = char
        elif not quote and char == "#":
            return text[:index].rstrip()
    return text.rstrip()


def _ends_line(text: str, end_column: int) -> bool:
    """Whether only closing brackets and commas follow column `end_column` on the line."""
    rest = _code_part(text)[end_column - 1:]
    return all(c in ")]}, " for c in rest)
