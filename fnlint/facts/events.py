"""What the interpreter noticed outside the layer graphs, as typed facts.

The interpreter records each happening as a kind and a bag of data; rules read them here as one
frozen dataclass per kind, with named, annotated fields.  Every event has the source node it
happened at (`node`: for the span, and for fixes that rewrite it), the inlined helper calls
around it (`stack`) and whether the analysis only supposes it (`speculative`: under a condition
or loop it could not decide).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


@dataclass(frozen=True, eq=False)
class Event:
    node: Any  # the libcst node it happened at
    stack: tuple = field(default=(), repr=False)
    speculative: bool = False


@dataclass(frozen=True, eq=False)
class InputRebound(Event):
    """`x = Dense(8)(x)` where `x` held a model's `Input`: the name now holds `value`."""

    name: str = ""
    input: Any = None  # the Tensor the name held (the Input's)
    value: Any = None  # the Tensor it holds now


@dataclass(frozen=True, eq=False)
class UndefinedName(Event):
    """A name read where nothing defines it; `scope` is where it was read."""

    name: str = ""
    scope: Any = field(default=None, repr=False)

    @property
    def visible(self) -> set:
        """The user's names in reach of the scope (built-ins excluded)."""
        names: set = set()
        scope = self.scope
        while scope is not None:
            names.update(scope.vars)
            scope = scope.parent
        return names


@dataclass(frozen=True, eq=False)
class LayerAttribute(Event):
    """`layer.output`, `layer.input_shape`, ...: `attr` of a Layer called `calls` times."""

    layer: Any = None
    attr: str = ""
    calls: int = 0
    surface: Optional[str] = None  # the Keras API surface the layer's package is checked on


@dataclass(frozen=True, eq=False)
class RemovedMethod(Event):
    """A model method Keras 3 removed (`fit_generator`), read on the model named `owner`."""

    owner: str = ""
    attr: str = ""
    surface: Optional[str] = None


@dataclass(frozen=True, eq=False)
class SummaryCall(Event):
    """`model.summary()`."""

    model: Any = None


@dataclass(frozen=True, eq=False)
class NotATensor(Event):
    """A layer or model (`target`) called on `value`, which is not a tensor."""

    target: Any = None
    value: Any = None


@dataclass(frozen=True, eq=False)
class UnknownKeyword(Event):
    """A keyword argument the signature of `callee` lacks (`accepted`: the ones it has)."""

    callee: str = ""
    keyword: str = ""
    accepted: tuple = ()
    surface: Optional[str] = None


@dataclass(frozen=True, eq=False)
class IgnoredKeyword(Event):
    """A keyword Keras 3 accepts but ignores, on code that meets Keras 3."""

    callee: str = ""
    keyword: str = ""
    surface: Optional[str] = None


@dataclass(frozen=True, eq=False)
class IntShape(Event):
    """`shape=8` (an int where Keras wants a tuple) given to `callee`."""

    callee: str = ""
    keyword: str = ""
    value: int = 0


@dataclass(frozen=True, eq=False)
class UnknownAttribute(Event):
    """`module.attr` that the Keras API surface `surface` does not have; `flavor`: the package
    the name came through (`keras`, `tf.keras`, `tf_keras`)."""

    module: str = ""
    attr: str = ""
    flavor: Optional[str] = None
    surface: Optional[str] = None


@dataclass(frozen=True, eq=False)
class RemovedModule(Event):
    """A Keras 2 module path (`keras.layers.core`, `tf.keras.layers.experimental`) that Keras
    3 does not have, in code that meets Keras 3; `module`: its canonical `keras.…` path."""

    module: str = ""
    flavor: Optional[str] = None
    surface: Optional[str] = None


@dataclass(frozen=True, eq=False)
class TensorFlowOp(Event):
    """A TensorFlow function (`op`, `tensorflow.squeeze`) called on a KerasTensor of a model
    under construction on a Keras 3 surface."""

    op: str = ""
    flavor: Optional[str] = None
    surface: Optional[str] = None


@dataclass(frozen=True, eq=False)
class SavePath(Event):
    """`model.save(path)` or `model.save_weights(path)` (`method`) with a constant path."""

    method: str = ""
    path: str = ""
    surface: Optional[str] = None
    save_format: Any = None


@dataclass(frozen=True, eq=False)
class OutputShapeDisagreement(Event):
    """A user layer whose `compute_output_shape` (the event's node) certainly declares other
    output shapes (`declared`) than its `call()` computes (`computed`) on `inputs`."""

    layer: Any = None
    declared: tuple = ()
    computed: tuple = ()
    inputs: tuple = ()


KINDS = {
    "input-rebound": InputRebound, "undefined-name": UndefinedName,
    "layer-attribute": LayerAttribute, "removed-method": RemovedMethod,
    "summary": SummaryCall, "not-a-tensor": NotATensor, "unknown-keyword": UnknownKeyword,
    "ignored-keyword": IgnoredKeyword, "int-shape": IntShape,
    "unknown-attribute": UnknownAttribute, "output-shape-disagreement": OutputShapeDisagreement,
    "removed-module": RemovedModule, "tensorflow-op": TensorFlowOp,
    "save-path": SavePath,
}


def typed(events: list) -> tuple:
    """The interpreter's events as typed facts, in the order they happened."""
    return tuple(KINDS[event.kind](event.node, event.stack, event.speculative, **event.data)
                 for event in events)
