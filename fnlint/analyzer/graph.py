"""Layer graphs.

`TensorGraph` holds every layer application of one module as a networkx MultiDiGraph: a node is
an Input, a layer call, a nested-model call or a tensor operation; an edge carries one tensor
from its producer to the `slot`-th input of its consumer.  `Model(inputs, outputs)` cuts a
`ModelGraph` out of it the way Keras' `map_graph` does, including Keras' layer order.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Optional

import networkx as nx

# Node kinds.
INPUT, LAYER, MODEL, OP = "input", "layer", "model", "op"


@dataclass
class NodeData:
    """What one application of a layer (or model, or op) knows."""

    id: int
    kind: str
    layer: Any  # LayerV, ModelV, or None for ops
    cls: str
    name: str
    inputs: list  # TensorV (or None for an argument that is not a known tensor), in order
    outputs: list  # output shapes
    call: Any  # the cst node of the call (for positions)
    stack: tuple = ()  # cst call nodes of the inlined helper functions around it
    dtype: Optional[str] = None
    error: Optional[str] = None  # the ShapeError Keras would raise here
    error_kind: Optional[str] = None  # its kind: rank, merge, size, undefined, reshape, build
    unknown_inputs: bool = False  # an argument was not a tensor the analyzer could follow
    speculative: bool = False  # built under a condition or loop the analyzer could not decide
    node_index: int = 0  # index among the applications of the same layer
    weights: Optional[tuple] = None  # (trainable, non_trainable) when this call built the layer
    variable: Optional[str] = None  # the name its output was first assigned to
    used: bool = False  # its output was read back or passed on somewhere
    call_args: list = field(default_factory=list)  # the call's arguments as written, for
    call_kwargs: dict = field(default_factory=dict)  # verify mode to repeat the call
    op: Optional[str] = None  # an op node's function (`keras.ops.matmul`), called with those
    # An op node's layer in Keras 2 (`tf_keras`), which makes one of every op between layers:
    # its unique name (`tf.math.add_1`) and class, None where fnlint does not know it.
    keras2_layer: Optional[tuple] = None


class TensorGraph:
    """Every layer application in one module, in creation order."""

    def __init__(self) -> None:
        self.g = nx.MultiDiGraph()
        self._data: dict = {}  # node id -> NodeData, for lookups faster than networkx views
        # Nodes made inside a user layer's or model's `call()`: looked up by id, but part of
        # no model graph and seen by no rule (the layer's own node stands for them).
        self._hidden: dict = {}
        self.hiding = 0

    def add(self, data: NodeData) -> int:
        if self.hiding:
            self._hidden[data.id] = data
            return data.id
        self.g.add_node(data.id, data=data)
        self._data[data.id] = data
        for slot, tensor in enumerate(data.inputs):
            if tensor is not None:
                self.g.add_edge(tensor.node_id, data.id, slot=slot, index=tensor.index)
        return data.id

    def __len__(self) -> int:
        return len(self._data)

    def node(self, node_id: int) -> NodeData:
        try:
            return self._data[node_id]
        except KeyError:
            return self._hidden[node_id]

    def hidden(self, node_id: int) -> bool:
        return node_id in self._hidden

    @contextmanager
    def shown(self):
        """Nodes added meanwhile are the module's, even inside a user layer's `call()`: a
        Sequential model built by its first call there is a model of the module."""
        hiding, self.hiding = self.hiding, 0
        try:
            yield
        finally:
            self.hiding = hiding

    def nodes(self):
        return iter(self._data.values())


class ScratchGraph(TensorGraph):
    """Nodes computed on the way to a value that is not itself part of the graph (the ops a
    Lambda layer's function traces): the nodes of `base` are read, never extended."""

    def __init__(self, base: TensorGraph) -> None:
        super().__init__()
        self.base = base

    def node(self, node_id: int) -> NodeData:
        data = self._data.get(node_id)
        return data if data is not None else self.base.node(node_id)


@dataclass
class Trace:
    """The result of walking back from a model's outputs to its inputs."""

    nodes: list  # node ids in Keras' discovery order (post-order)
    operation_indices: dict  # layer key -> traversal index
    missing_inputs: list  # Input node ids reached that are not among the model's inputs
    unknown: list  # node ids whose inputs the analyzer could not follow


def path_to(graph: TensorGraph, outputs: list, target: int) -> list:
    """Node ids from one of `outputs` back to node `target` (empty when none leads there)."""
    parents: dict = {}
    queue = [t.node_id for t in outputs]
    seen = set(queue)
    while queue:
        node_id = queue.pop(0)
        if node_id == target:
            path = [node_id]
            while path[-1] in parents:
                path.append(parents[path[-1]])
            return path[::-1]
        for tensor in graph.node(node_id).inputs:
            if tensor is not None and tensor.node_id not in seen:
                seen.add(tensor.node_id)
                parents[tensor.node_id] = node_id
                queue.append(tensor.node_id)
    return []


def layer_key(data: NodeData):
    """The identity Keras groups nodes by (a layer instance, or the op node itself)."""
    if data.layer is None:
        return ("op", data.id)
    return ("layer", id(data.layer))


def trace(graph: TensorGraph, inputs: list, outputs: list) -> Trace:
    """Keras' `_build_map`: a depth-first walk from the outputs that stops at the inputs."""
    input_ids = {(t.node_id, t.index) for t in inputs}
    finished: set = set()
    order: list = []
    operation_indices: dict = {}
    missing: list = []
    unknown: list = []

    for output in outputs:
        stack = [(output.node_id, output.index, False)]
        while stack:
            node_id, index, done = stack.pop()
            if done:
                finished.add(node_id)
                order.append(node_id)
                continue
            if node_id in finished:
                continue
            data = graph.node(node_id)
            key = layer_key(data)
            operation_indices.setdefault(key, len(operation_indices))
            stack.append((node_id, index, True))
            if (node_id, index) in input_ids or data.kind == INPUT:
                if (node_id, index) not in input_ids and node_id not in missing:
                    missing.append(node_id)
                continue
            if data.unknown_inputs:
                unknown.append(node_id)
            for tensor in reversed(data.inputs):
                if tensor is not None and tensor.node_id not in finished:
                    stack.append((tensor.node_id, tensor.index, False))
    return Trace(order, operation_indices, missing, unknown)


@dataclass
class ModelGraph:
    """One model: its nodes as a networkx MultiDiGraph plus what Keras needs to describe it."""

    graph: nx.MultiDiGraph
    inputs: list  # TensorV
    outputs: list  # TensorV
    output_names: Optional[list]  # keys when outputs were given as a dict
    layers: list  # layer keys in Keras' `model.layers` order
    layer_nodes: dict  # layer key -> node ids of this model, in order
    missing_inputs: list  # Input node ids the outputs need but `inputs` lacks
    unknown_nodes: list
    sequential_like: bool = True
    depth: dict = field(default_factory=dict)


def build_model_graph(graph: TensorGraph, inputs: list, outputs: list, output_names=None):
    """Keras' `map_graph`: the nodes between inputs and outputs, and `model.layers` order
    (by decreasing depth, ties broken by discovery order)."""
    found = trace(graph, inputs, outputs)
    node_depth: dict = {}
    layer_depth: dict = {}
    for node_id in reversed(found.nodes):
        data = graph.node(node_id)
        key = layer_key(data)
        depth = max(node_depth.setdefault(node_id, 0), layer_depth.get(key, 0))
        layer_depth[key] = depth
        node_depth[node_id] = depth
        if data.kind != INPUT and not _is_model_input(data, inputs):
            for tensor in data.inputs:
                if tensor is not None:
                    node_depth[tensor.node_id] = max(depth + 1, node_depth.get(tensor.node_id, 0))
    for tensor in inputs:  # inputs that reach no output still belong to the model
        key = layer_key(graph.node(tensor.node_id))
        if key not in layer_depth:
            layer_depth[key] = 0
            found.operation_indices[key] = -1
            node_depth[tensor.node_id] = 0
    by_depth: dict = {}
    for key, depth in layer_depth.items():
        by_depth.setdefault(depth, []).append(key)
    ordered = []
    for depth in sorted(by_depth, reverse=True):
        ordered.extend(sorted(by_depth[depth], key=lambda k: found.operation_indices[k]))

    layer_nodes: dict = {}
    for node_id in sorted(node_depth):
        layer_nodes.setdefault(layer_key(graph.node(node_id)), []).append(node_id)
    sub = graph.g.subgraph(node_depth)  # a read-only view: the model's nodes and their edges
    model = ModelGraph(
        graph=sub, inputs=list(inputs), outputs=list(outputs), output_names=output_names,
        layers=ordered, layer_nodes=layer_nodes, missing_inputs=found.missing_inputs,
        unknown_nodes=found.unknown, depth=node_depth,
    )
    model.sequential_like = _sequential_like(graph, model)
    return model


def _is_model_input(data: NodeData, inputs: list) -> bool:
    return any(t.node_id == data.id for t in inputs)


def _sequential_like(graph: TensorGraph, model: ModelGraph) -> bool:
    """Keras prints the `Connected to` column only for models that are not a simple chain."""
    per_depth: dict = {}
    for node_id, depth in model.depth.items():
        per_depth.setdefault(depth, []).append(node_id)
    for nodes in per_depth.values():
        if len(nodes) > 1:
            return False
        if len([t for t in graph.node(nodes[0]).inputs if t is not None]) > 1:
            return False
    return all(len(nodes) <= 1 for nodes in model.layer_nodes.values())

