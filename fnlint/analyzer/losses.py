"""What a `compile()` call says about each output of a model: its loss and its weight.

Keras 3's CompileLoss matches `loss` and `loss_weights` to the model's outputs: one value for
every output, a list in output order (exactly as long as the outputs), or a dict keyed by output
name (`model.output_names`: the dict keys of dict outputs, else the output layers' names).
Anything not constant is unknown, and an unknown never becomes a mismatch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from fnlint import catalog
from fnlint.analyzer.graph import INPUT
from fnlint.analyzer.model import SUBCLASSED
from fnlint.analyzer.values import ApiObject, Const, DictV, LayerV, Ref, Seq, TensorV, to_python

_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence", "bce": "binary_crossentropy", "huber_loss": "huber",
}
CATEGORICAL = ("categorical_crossentropy", "sparse_categorical_crossentropy",
               "categorical_focal_crossentropy")
BINARY = ("binary_crossentropy", "binary_focal_crossentropy")
REGRESSION = ("mean_squared_error", "mean_absolute_error", "huber", "log_cosh",
              "mean_squared_logarithmic_error", "mean_absolute_percentage_error")


def canonical_loss(name: str) -> str:
    """`CategoricalCrossentropy`, `MSE` and `mse` to the loss function's name."""
    snake = re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", name).lower()
    return _ALIASES.get(snake, snake)


@dataclass(frozen=True)
class Loss:
    name: str  # the loss function's name: categorical_crossentropy, mean_squared_error, ...
    written: str  # as the source gives it
    from_logits: Optional[bool] = False  # None when not a constant


def loss_of(value) -> Optional[Loss]:
    """The Keras loss a `loss=` value names, or None for anything else (a custom function)."""
    if isinstance(value, Const) and isinstance(value.value, str):
        if value.value not in catalog.identifiers("loss"):
            return None  # a misspelt identifier is unknown-identifier's finding
        return Loss(canonical_loss(value.value), repr(value.value))
    if isinstance(value, Ref) and value.path.startswith("keras.losses."):
        name = value.path.rpartition(".")[2]
        return Loss(canonical_loss(name), name) if name in catalog.identifiers("loss") else None
    if isinstance(value, ApiObject) and value.path.startswith("keras.losses."):
        name = value.path.rpartition(".")[2]
        if name not in catalog.identifiers("loss"):
            return None
        logits = to_python(value.kwargs["from_logits"]) if "from_logits" in value.kwargs \
            else (None if value.args else False)
        return Loss(canonical_loss(name), f"{name}(...)",
                    logits if isinstance(logits, bool) else None)
    return None


@dataclass
class Head:
    """One output of the model with what compile() assigns to it."""

    index: int
    name: str
    tensor: TensorV
    loss: Optional[Loss] = None  # None: no loss, or one fnlint does not know
    weight: Optional[float] = 1.0  # None when unknown


@dataclass
class Mismatch:
    """`loss` or `loss_weights` given in a structure that does not fit the outputs."""

    argument: str  # "loss" or "loss_weights"
    count: Optional[int] = None  # a list of this many entries, for a different number of outputs
    unknown_keys: list = field(default_factory=list)  # dict keys that name no output


@dataclass
class CompileFacts:
    call: Any  # the compile ModelCall
    heads: list
    names_certain: bool  # output names are the user's own (explicit names or dict keys)
    mismatches: list = field(default_factory=list)


def model_outputs(model) -> list:
    """The outputs compile() and fit() train: a functional or Sequential model's, or the
    tensors a built subclassed model's `call()` returned on what built it (its layers'
    outputs inside the call, which the module's graph does not show)."""
    if model.outputs:
        return model.outputs
    instance = getattr(model, "instance", None)
    if model.kind == SUBCLASSED and instance is not None and not instance.opaque and \
            instance.output_tensors:
        return list(instance.output_tensors)
    return []


def output_names(model) -> tuple:
    """(names of the outputs, whether the user chose them) as Keras' `model.output_names`
    (a subclassed model has none: Keras matches its losses to the structure `call()`
    returns)."""
    graph = model.tensor_graph
    if model.output_struct == "dict" and model.output_names:
        return list(model.output_names), True
    nodes = [graph.node(t.node_id) for t in model_outputs(model)]
    names = [data.name for data in nodes]
    certain = model.kind != SUBCLASSED and \
        all(getattr(data.layer, "explicit_name", False) for data in nodes)
    return names, certain


def compile_facts(model, call) -> Optional[CompileFacts]:
    """How `call` (a compile) distributes losses and weights over `model`'s outputs."""
    outputs = model_outputs(model)
    if not outputs or model.tensor_graph is None or model.custom_training:
        return None  # (a subclass whose train_step computes its own losses: not compile's)
    names, certain = output_names(model)
    facts = CompileFacts(call, [Head(i, name, t) for i, (name, t) in
                                enumerate(zip(names, outputs))], certain)
    loss = call.argument("loss")
    for head, value in _distribute(facts, "loss", loss):
        head.loss = loss_of(value) if value is not None else None
    weights = call.argument("loss_weights")
    if weights is not None and not (isinstance(weights, Const) and weights.value is None):
        for head in facts.heads:
            head.weight = None
        for head, value in _distribute(facts, "loss_weights", weights, broadcast=False):
            number = to_python(value) if value is not None else None
            head.weight = float(number) if isinstance(number, (int, float)) and \
                not isinstance(number, bool) else None
    if model.kind == SUBCLASSED:
        # Keras 3.15 lines a subclassed model's losses up with what call() returns by its
        # own rules (a list of two losses trains a single output): no structure is judged.
        facts.mismatches = []
    return facts


def _distribute(facts: CompileFacts, argument: str, value, broadcast=True):
    """(head, the part of `value` meant for it) pairs, recording structural mismatches."""
    heads = facts.heads
    if value is None:
        return []
    if isinstance(value, Seq):
        if len(value.items) != len(heads):
            facts.mismatches.append(Mismatch(argument, count=len(value.items)))
            return []
        return list(zip(heads, value.items))
    if isinstance(value, DictV):
        by_name = {head.name: head for head in heads}
        unknown = [key for key in value.items if key not in by_name]
        if unknown:
            if facts.names_certain:
                facts.mismatches.append(Mismatch(argument, unknown_keys=unknown))
            return []
        return [(by_name[key], item) for key, item in value.items.items()]
    return [(head, value) for head in heads] if broadcast else []


def output_activation(graph, tensor: TensorV) -> Optional[str]:
    """The activation that produces a model output ('softmax', 'sigmoid', 'linear', ...), when
    the output layer states one as a constant (a TimeDistributed or Bidirectional wrapper's
    is its layer's)."""
    data = graph.node(tensor.node_id)
    layer = data.layer
    if data.kind == INPUT or layer is None or not hasattr(layer, "config"):
        return None
    while layer.cls_name in _WRAPPERS and isinstance(layer.config.get("layer"), LayerV):
        layer = layer.config["layer"]  # TimeDistributed(Dense(...)): the inner layer's
    if layer.cls_name == "Softmax":
        return "softmax"
    if layer.spec is None or "activation" not in layer.spec.params:
        return None
    activation = layer.config.get("activation")
    if activation is None:
        return "linear"
    return activation if isinstance(activation, str) else None


_WRAPPERS = ("TimeDistributed", "Bidirectional")


def per_output(heads: list, value) -> list:
    """(head, value) pairs for data given to fit() for the outputs: a list in output order, a
    dict keyed by output name, or one value for a single output.  Parts that do not line up
    are left out (a wrong count is data-shape-mismatch's finding)."""
    if value is None:
        return []
    if isinstance(value, Seq):
        if len(value.items) == len(heads):
            return list(zip(heads, value.items))
        return [(heads[0], value)] if len(heads) == 1 else []
    if isinstance(value, DictV):
        by_name = {head.name: head for head in heads}
        return [(by_name[key], item) for key, item in value.items.items() if key in by_name]
    return [(heads[0], value)] if len(heads) == 1 else []


def compiled_models(analysis):
    """(model, compile call, CompileFacts) for every compile the analysis is sure of."""
    for model in analysis.models:
        if model.speculative:
            continue
        for call in model.compiles:
            facts = None if call.speculative else compile_facts(model, call)
            if facts is not None:
                yield model, call, facts
