"""Recipes: each resolved model of a module as plain JSON that the verify worker rebuilds.

A recipe names Keras classes by their public path and gives their arguments as the source
wrote them; tensors, layers and models refer to each other by key (`n12` a graph node, `L3` a
layer, `M1` a model), so a shared layer stays one instance.  Anything that is not a constant,
a Keras object or a tensor of the graph makes the model not verifiable, with the reason: the
user's own code is never needed, and never run.  Synthetic data is planned here too, from the
graph and from the arrays the source builds for `fit()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import networkx as nx

from fnlint.analyzer import ModuleAnalysis
from fnlint.analyzer.graph import INPUT, MODEL, OP
from fnlint.analyzer.layers.spec import ShapeError
from fnlint.analyzer.losses import BINARY, compile_facts, output_activation, per_output
from fnlint.analyzer.model import APPLICATION, FUNCTIONAL, SEQUENTIAL, ModelV, tensor_shapes
from fnlint.analyzer.values import (
    ApiObject, ArrayV, Const, DictV, LayerV, Ref, Seq, TensorV, UNRESOLVED)
from fnlint.verify import allowed

BATCH = 8
SMALL_BATCH = 2  # for models over LARGE parameters, so that a step stays within seconds
LARGE = 5_000_000
SIZES = (16, 32, 64, 128, 256, 512, 1024)  # tried in turn for sizes the graph leaves free
IMAGE_SIZE = 32  # where free sizes of image inputs start
TRAINING_CALLS = ("fit", "train_on_batch", "fit_generator")


class NotVerifiable(Exception):
    """Part of a model that cannot be rebuilt without running the user's code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Run:
    """One compile of a model, trained on synthetic data."""

    compile_key: str  # where the compile call is (a key of Target.places)
    fit_key: Optional[str]  # the fit() whose data the synthetic data copies, if any
    heads: list  # (output name, loss weight or None)
    from_source: bool  # False: fnlint's default compile (the source never compiles it)
    compile_line: Optional[int] = None
    keyed: bool = False  # the compile gives losses or weights by output name
    skipped: Optional[str] = None  # why this compile is not trained


@dataclass
class Target:
    """One model to verify: its recipe, or why it has none."""

    path: str
    model: ModelV
    recipe: Optional[dict] = None
    reason: Optional[str] = None
    places: dict = field(default_factory=dict)  # recipe key -> cst node, for findings
    runs: list = field(default_factory=list)  # Run, one per recipe["runs"] entry
    line: Optional[int] = None  # of the model's constructor
    analysis: Any = field(default=None, repr=False, compare=False)  # the module's

    @property
    def name(self) -> str:
        return self.model.name


@dataclass
class Counted:
    """What a plain Target keeps of its model: the name and the parameter counts."""

    name: str
    counts: Optional[tuple]

    def weights(self) -> Optional[tuple]:
        return self.counts


def plain(target: Target) -> Target:
    """The target as plain data, to leave the worker process that analysed the file: the
    recipe, its runs and the model's name and counts, no syntax tree and no analysis."""
    return Target(target.path, Counted(target.model.name, target.model.weights()),
                  target.recipe, target.reason, {}, target.runs, target.line)


def targets(analysis: ModuleAnalysis) -> list:
    """A Target for every functional or Sequential model of the module, in source order."""
    components = {id(analysis.graph.node(n).layer) for n in _model_nodes(analysis)}
    out = []
    for model in analysis.models:
        if model.kind not in (FUNCTIONAL, SEQUENTIAL):
            continue
        weights = model.weights()
        builder = _Builder(analysis, SMALL_BATCH if weights and sum(weights) > LARGE else BATCH)
        span = analysis.span(model.node)
        target = Target(analysis.path, model, places=builder.places,
                        line=span.line if span else None, analysis=analysis)
        try:
            if model.speculative:
                raise NotVerifiable("the model is built under a condition fnlint cannot decide")
            root = builder.model(model)
            target.recipe = {"root": root, "layers": builder.layers, "models": builder.models,
                             "flavor": model.flavor or "keras", "runs": []}
            compiles = [c for c in model.compiles if not c.speculative]
            if compiles:
                for call in compiles:
                    builder.plan_run(target, model, call)
            elif id(model) not in components:
                builder.plan_run(target, model, None)
        except NotVerifiable as err:
            target.recipe, target.reason = None, err.reason
        out.append(target)
    return out


def _model_nodes(analysis: ModuleAnalysis) -> list:
    return [data.id for data in analysis.graph.nodes() if data.kind == MODEL]


class _Builder:
    """Encodes one model and everything it uses."""

    def __init__(self, analysis: ModuleAnalysis, batch: int = BATCH) -> None:
        self.analysis = analysis
        self.batch = batch
        self.layers: dict = {}
        self.models: dict = {}
        self.places: dict = {}

    def line(self, node) -> str:
        span = self.analysis.span(node)
        return f"line {span.line}" if span else "an unknown line"

    # -- values --------------------------------------------------------------------------
    def encode(self, value, what: str, constant: bool = False):
        """A JSON form of an argument; NotVerifiable when it is not something fnlint knows or
        names a callable outside `allowed`.  `constant`: inside the arguments of a Keras
        object, where only plain constants and other allowed objects may appear."""
        if isinstance(value, Const):
            if value.value is not None and not isinstance(value.value, (bool, int, float, str)):
                raise NotVerifiable(f"{what} is a {type(value.value).__name__} constant")
            return value.value
        if isinstance(value, Seq):
            items = [self.encode(item, what, constant) for item in value.items]
            return items if value.kind == "list" else {"$tuple": items}
        if isinstance(value, DictV):
            if allowed.SERIALIZED_KEY in value.items:
                raise NotVerifiable(f"{what} is a serialized Keras object")
            return {"$dict": [[key, self.encode(item, what, constant)]
                              for key, item in value.items.items()]}
        if isinstance(value, Ref) and allowed.referable(value.path):
            return {"$ref": value.path}
        if isinstance(value, ApiObject) and allowed.instantiable(value.path):
            return {"$call": value.path,
                    "args": [self.encode(a, what, True) for a in value.args],
                    "kwargs": {k: self.encode(v, what, True) for k, v in value.kwargs.items()}}
        if isinstance(value, (Ref, ApiObject)):
            raise NotVerifiable(f"{what} is `{value.path}`, which verify mode does not call")
        if not constant and isinstance(value, ArrayV) and value.op_call is not None \
                and allowed.op(value.op_call[0]):  # `ops.sqrt(8.0)`: the op, called again
            path, args, kwargs = value.op_call
            return {"$op": path, "args": [self.encode(a, what) for a in args],
                    "kwargs": {k: self.encode(v, what) for k, v in kwargs.items()}}
        if not constant and isinstance(value, TensorV):
            return {"$tensor": f"n{value.node_id}", "index": value.index}
        if not constant and isinstance(value, LayerV):
            return {"$layer": self.layer(value)}
        if not constant and isinstance(value, ModelV):
            return {"$model": self.model(value)}
        raise NotVerifiable(f"{what} is not a value fnlint knows")

    # -- layers and models ---------------------------------------------------------------
    def layer(self, layer: LayerV) -> str:
        key = f"L{layer.uid}"
        if key in self.layers:
            return key
        where = f"{layer.cls_name} '{layer.name}' ({self.line(layer.node)})"
        if layer.network is not None:
            raise NotVerifiable(f"{where} is a layer inside the network '{layer.network.name}': "
                                f"verify rebuilds a keras.applications network as a whole only")
        if layer.spec is None:
            raise NotVerifiable(f"{where} is a custom layer: its code is the script's")
        if layer.spec.package != "keras":  # verify builds Keras' own classes only
            raise NotVerifiable(f"{where} is a KerasHub layer, not a Keras one")
        if layer.cls_name in allowed.USER_CODE_LAYERS:
            raise NotVerifiable(f"{where} runs a function of the script")
        if not allowed.layer(f"keras.layers.{layer.cls_name}"):
            raise NotVerifiable(f"{where} is not a public Keras layer")
        if not layer.args_complete:
            raise NotVerifiable(f"the arguments of {where} are given with * or **")
        self.places[key] = layer.node
        self.layers[key] = {
            "path": f"keras.layers.{layer.cls_name}",
            "args": [self.encode(a, f"an argument of {where}") for a in layer.args],
            "kwargs": {k: self.encode(v, f"argument `{k}` of {where}")
                       for k, v in layer.kwargs.items()},
            "trainable": layer.trainable is not False,
        }
        return key

    def model(self, model: ModelV) -> str:
        key = f"M{model.uid}"
        if key in self.models:
            return key
        self.places[key] = model.node
        where = f"model '{model.name}' ({self.line(model.node)})"
        name = {"name": model.name} if model.explicit_name else {}
        if model.kind == APPLICATION:
            config = dict(model.app_config, weights=None)  # never download weights
            if model.app is None or any(v is UNRESOLVED for v in config.values()) or \
                    not allowed.application(f"keras.applications.{model.app.name}"):
                raise NotVerifiable(f"the options of {where} are not all constants")
            if any(layer.trainable is not model.trainable for layer in model.app_layers or ()):
                raise NotVerifiable(f"the layers of {where} are frozen one by one: verify "
                                    f"rebuilds a keras.applications network as a whole only")
            recipe = {"kind": "application", "path": f"keras.applications.{model.app.name}",
                      "kwargs": config}
        elif model.kind == SEQUENTIAL:
            recipe = self.sequential(model, where)
        elif model.kind == FUNCTIONAL:
            recipe = self.functional(model, where)
        else:
            reason = next((r for m, r in self.analysis.unresolved if m is model), "")
            raise NotVerifiable(f"{where} is not resolved{': ' + reason if reason else ''}")
        recipe.update(name=name.get("name"), trainable=model.trainable is not False)
        self.models[key] = recipe
        return key

    def sequential(self, model: ModelV, where: str) -> dict:
        if model.input_tensor is None:
            raise NotVerifiable(f"{where} has no input shape: Keras builds it from data "
                                f"fnlint does not know")
        start = self.analysis.graph.node(model.input_tensor.node_id)
        items = []
        for obj in model.layers:
            items.append(self.model(obj) if isinstance(obj, ModelV) else self.layer(obj))
        return {"kind": "sequential", "input": self.input_spec(start), "items": items}

    def functional(self, model: ModelV, where: str) -> dict:
        graph = self.analysis.graph
        if model.graph.unknown_nodes:
            node = graph.node(model.graph.unknown_nodes[0])
            raise NotVerifiable(f"the inputs of '{node.name}' ({self.line(node.call)}) are "
                                f"not tensors fnlint followed")
        ends = [t.node_id for t in model.inputs + model.outputs]
        needed = set(ends)
        for node_id in ends:
            needed |= nx.ancestors(graph.g, node_id)
        nodes = []
        for node_id in sorted(needed):
            data = graph.node(node_id)
            key = f"n{node_id}"
            self.places[key] = data.call
            if data.kind == INPUT:
                nodes.append(dict(self.input_spec(data), id=key))
                continue
            if data.kind == OP:
                nodes.append(self.operation(data, key))
                continue
            what = f"the call of '{data.name}' ({self.line(data.call)})"
            callee = self.model(data.layer) if data.kind == MODEL else self.layer(data.layer)
            nodes.append({"id": key, "callee": callee,
                          "args": [self.encode(a, what) for a in data.call_args],
                          "kwargs": {k: self.encode(v, what)
                                     for k, v in data.call_kwargs.items()}})
        if model.output_struct == "dict":
            written = model.output_keys_written or model.output_names
            by_name = dict(zip(model.output_names, model.outputs))
            outputs = {"$dict": [[k, self.encode(by_name[k], where)] for k in written]}
        elif model.output_struct == "list":
            outputs = [self.encode(t, where) for t in model.outputs]
        else:
            outputs = self.encode(model.outputs[0], where)
        inputs = [self.encode(t, where) for t in model.inputs]
        return {"kind": "functional", "nodes": nodes, "outputs": outputs,
                "inputs": inputs[0] if len(inputs) == 1 else inputs}

    def operation(self, data, key: str) -> dict:
        """A tensor op between layers, called again with its arguments as written: only the
        public `keras.ops` functions `allowed.op` lists (TensorFlow's own ops do not take
        Keras 3's symbolic tensors)."""
        where = f"the tensor operation '{data.name}' ({self.line(data.call)})"
        if data.op is None or not allowed.op(data.op):
            spelled = f" `{data.op}`" if data.op else ""
            raise NotVerifiable(f"{where}{spelled} is not rebuilt by verify mode")
        return {"id": key, "op": data.op,
                "args": [self.encode(a, f"an argument of {where}") for a in data.call_args],
                "kwargs": {k: self.encode(v, f"argument `{k}` of {where}")
                           for k, v in data.call_kwargs.items()}}

    def input_spec(self, data) -> dict:
        shape = data.outputs[0]
        if shape is None:
            raise NotVerifiable(f"the shape of input '{data.name}' ({self.line(data.call)}) is "
                                f"not a constant")
        batch = shape[0] if isinstance(shape[0], int) else None
        return {"input": [d if isinstance(d, int) else None for d in shape[1:]],
                "batch_size": batch, "dtype": data.dtype or "float32",
                "name": data.layer.name if getattr(data.layer, "explicit_name", False) else None}

    # -- training ------------------------------------------------------------------------
    def plan_run(self, target: Target, model: ModelV, call) -> None:
        """Add a run for `call` (a compile) or, when None, for fnlint's default compile."""
        key = f"c{len(target.runs)}"
        self.places[key] = call.node if call is not None else model.node
        fit = _first_fit(model, call)
        fit_key = None
        if fit is not None:
            fit_key = f"f{len(target.runs)}"
            self.places[fit_key] = fit.node
        facts = compile_facts(model, call) if call is not None else None
        heads = facts.heads if facts is not None else []
        span = self.analysis.span(self.places[key])
        run = Run(key, fit_key, [(h.name, h.weight) for h in heads] if heads else [],
                  from_source=call is not None, compile_line=span.line if span else None,
                  keyed=call is not None and any(isinstance(call.argument(a), DictV)
                                                 for a in ("loss", "loss_weights")))
        target.runs.append(run)
        entry = {"at": key, "fit_at": fit_key}
        target.recipe["runs"].append(entry)
        try:
            entry["compile"] = self.compile_arguments(model, call)
            x, y = self.data(model, facts, fit)
            entry["x"], entry["y"] = x, y
        except NotVerifiable as err:
            run.skipped = err.reason
            entry["skip"] = err.reason

    def compile_arguments(self, model: ModelV, call) -> dict:
        if call is None:
            return {"optimizer": "adam", "loss": self.default_losses(model)}
        out = {}
        for name in ("optimizer", "loss", "loss_weights", "metrics"):
            value = call.argument(name)
            if value is None:
                continue
            try:
                out[name] = self.encode(value, f"`{name}` of compile() ({self.line(call.node)})")
            except NotVerifiable:
                if name != "metrics":  # metrics change nothing verify mode measures
                    raise
        return out

    def default_losses(self, model: ModelV) -> list:
        losses = []
        for tensor in model.outputs:
            activation = output_activation(self.analysis.graph, tensor)
            losses.append({"softmax": "categorical_crossentropy",
                           "sigmoid": "binary_crossentropy"}.get(activation, "mean_squared_error"))
        return losses

    def data(self, model: ModelV, facts, fit) -> tuple:
        """Synthetic (x, y) specs: the source's own arrays where known, else from the graph."""
        given_x = fit.argument("x") if fit is not None else None
        given_y = fit.argument("y") if fit is not None else None
        inputs = model.inputs
        sources = _per_input(model, given_x)
        bases = [_array_shape(sources[i]) or t.shape for i, t in enumerate(inputs)]
        if any(shape is None for shape in bases):
            raise NotVerifiable("the model's input shape is not known")
        shapes, outputs = _concrete(model, bases, _least_size(self.analysis, model),
                                    self.batch)
        xs = [self.input_data(model, t, shape, sources[i])
              for i, (t, shape) in enumerate(zip(inputs, shapes))]
        x = xs[0] if len(xs) == 1 else xs
        heads = facts.heads if facts is not None else []
        given = {h.index: v for h, v in per_output(heads, given_y)} if heads else {}
        losses = [h.loss for h in heads] if heads else [None] * len(model.outputs)
        ys = []
        for i, out in enumerate(outputs):
            head = heads[i] if heads else None
            array = given.get(head.index) if head is not None else None
            ys.append(self.target_data(out, losses[i], array, head, model, i))
        names = [h.name for h in heads] if heads else None
        if model.output_struct == "dict" and names:
            y = {"$dict": [[name, spec] for name, spec in zip(names, ys)]}
        else:
            y = ys[0] if len(ys) == 1 and model.output_struct != "list" else ys
        return x, y

    def input_data(self, model: ModelV, tensor: TensorV, shape: tuple, source) -> dict:
        dtype = self.analysis.graph.node(tensor.node_id).dtype or "float32"
        spec = {"$data": "normal", "shape": list(shape), "dtype": dtype}
        if isinstance(source, ArrayV) and _array_shape(source) is not None:
            return _from_array(source, self.batch, dtype)
        if dtype.startswith(("int", "uint")):
            spec.update({"$data": "ids", "low": 0,
                         "high": _vocabulary(self.analysis, model, tensor) or 2})
        elif not dtype.startswith(("float", "bfloat")):
            raise NotVerifiable(f"input of dtype {dtype} is not generated by verify mode")
        return spec

    def target_data(self, shape, loss, array, head, model, index) -> dict:
        if isinstance(array, ArrayV) and _array_shape(array) is not None:
            return _from_array(array, self.batch)
        name = f"output '{head.name}'" if head is not None else f"output {index}"
        if shape is None or not all(isinstance(d, int) for d in shape[1:]):
            raise NotVerifiable(f"the shape of {name} is not known")
        shape = (self.batch,) + tuple(shape[1:])
        if head is None:  # fnlint's default compile
            loss_name = self.default_losses(model)[index]
        elif loss is None:
            raise NotVerifiable(f"the loss of {name} is not a Keras loss fnlint knows")
        else:
            loss_name = loss.name
        if loss_name == "sparse_categorical_crossentropy":
            return {"$data": "ids", "shape": list(shape[:-1]), "dtype": "int32", "low": 0,
                    "high": shape[-1]}
        if loss_name in ("categorical_crossentropy", "categorical_focal_crossentropy",
                         "kl_divergence", "poisson"):
            return {"$data": "onehot", "shape": list(shape), "dtype": "float32"}
        if loss_name in BINARY or loss_name in ("hinge", "squared_hinge"):
            return {"$data": "binary", "shape": list(shape), "dtype": "float32"}
        return {"$data": "normal", "shape": list(shape), "dtype": "float32"}


def _first_fit(model: ModelV, call):
    """The first training call made after `call` (or with no compile, the first at all)."""
    for training in model.trainings:
        if training.method in TRAINING_CALLS and training.compile is call and \
                not training.speculative:
            return training
    return None


def _per_input(model: ModelV, given) -> list:
    """The source's array for each model input (None where not known)."""
    count = len(model.inputs)
    if given is None:
        return [None] * count
    if isinstance(given, Seq) and len(given.items) == count:
        return list(given.items)
    if isinstance(given, DictV):
        graph = model.tensor_graph
        names = [graph.node(t.node_id).name for t in model.inputs]
        return [given.items.get(name) for name in names]
    return [given] if count == 1 else [None] * count


def _array_shape(value) -> Optional[tuple]:
    if isinstance(value, ArrayV) and value.shape and \
            all(isinstance(d, int) for d in value.shape):
        return value.shape
    return None


def _from_array(array: ArrayV, batch: int, dtype: Optional[str] = None) -> dict:
    """Data like the source's own array: its per-sample shape, kind and range."""
    shape = (min(batch, array.shape[0] or batch),) + tuple(array.shape[1:])
    if array.origin == "to_categorical":
        return {"$data": "onehot", "shape": list(shape), "dtype": "float32"}
    kind = array.dtype or ("int" if (dtype or "").startswith("int") else "float")
    if kind == "int" and array.high is not None:
        return {"$data": "ids", "shape": list(shape), "dtype": "int32",
                "low": int(array.low or 0), "high": int(array.high)}
    spec = {"$data": "uniform" if array.high is not None else "normal",
            "shape": list(shape), "dtype": "int32" if kind == "int" else "float32"}
    if array.high is not None:
        spec.update(low=float(array.low or 0.0), high=float(array.high))
    return spec


def _vocabulary(analysis: ModuleAnalysis, model: ModelV, tensor: TensorV) -> Optional[int]:
    """The smallest `input_dim` of the Embedding layers an integer input feeds."""
    sizes = []
    for consumer in analysis.graph.g.successors(tensor.node_id):
        data = analysis.graph.node(consumer)
        if data.cls == "Embedding" and isinstance(data.layer, LayerV):
            size = data.layer.config.get("input_dim")
            if isinstance(size, Const):
                size = size.value
            if isinstance(size, int):
                sizes.append(size)
    return min(sizes) if sizes else None


def _least_size(analysis: ModuleAnalysis, model: ModelV) -> int:
    """Where the search for free sizes starts: images of at least the smallest size of the
    `keras.applications` networks the model contains."""
    least = 0
    for obj in model.layer_objects():
        if isinstance(obj, ModelV) and obj.app is not None:
            least = max(least, obj.app.min_size)
    return least


def _concrete(model: ModelV, bases: list, least: int, batch: int) -> tuple:
    """Input shapes with free sizes filled in — the smallest size, from 16 for sequences and 32
    for images, for which every layer builds with positive sizes — and the output shapes."""
    image = any(len(shape) >= 4 for shape in bases)
    start = max(least, IMAGE_SIZE if image else SIZES[0])
    free = any(not isinstance(d, int) for shape in bases for d in shape[1:])

    def attempt(size):
        shapes = [(shape[0] if isinstance(shape[0], int) else batch,) +
                  tuple(d if isinstance(d, int) else size for d in shape[1:]) for shape in bases]
        try:
            seen, outputs = tensor_shapes(model, shapes)
        except (ShapeError, TypeError, ValueError, ZeroDivisionError):
            return shapes, None
        return shapes, outputs if all(_positive(s) for s in seen) else None

    first = attempt(start)
    if first[1] is not None or not free:
        return first[0], first[1] or [None] * len(model.outputs)
    low = start
    for size in [s for s in SIZES if s > start]:
        found = attempt(size)
        if found[1] is not None:
            high = size  # the smallest size that builds lies in (low, high]
            while high - low > 1:
                middle = (low + high) // 2
                if attempt(middle)[1] is not None:
                    high = middle
                else:
                    low = middle
            return attempt(high)
        low = size
    return first[0], [None] * len(model.outputs)


def _positive(shape) -> bool:
    if shape is None:
        return True
    return all(not isinstance(d, int) or d > 0 for d in shape)
