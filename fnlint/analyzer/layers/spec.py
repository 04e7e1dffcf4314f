"""The layer registry: one `LayerSpec` per Keras layer class, as Keras keeps one
`compute_output_shape` per layer.

A spec joins the constructor signature, generated from real Keras into the catalog (to bind
positional arguments and spot unknown keywords), with what a family module knows: how to compute
the output shapes from the input shapes, and how many weights the layer creates once built.  Shape
functions return a list with one shape per output; a shape is a tuple of dims (int, or None for
the batch and unknown sizes) or None when even the rank is unknown.  They raise `ShapeError`
exactly where Keras would raise at build time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from fnlint import catalog
from fnlint.analyzer.values import UNRESOLVED
from fnlint.shapes_text import format_shape  # noqa: F401  (the layer modules' import)

Shape = Optional[tuple]


class ShapeError(Exception):
    """Keras would raise building this layer on these inputs; the message says why.  The
    subclasses say what kind of mistake it is, which is what the rules report on."""

    kind = "build"


class RankError(ShapeError):
    kind = "rank"


class MergeError(ShapeError):
    kind = "merge"


class SizeError(ShapeError):
    """A dimension becomes zero or negative."""

    kind = "size"


class UndefinedDimError(ShapeError):
    """A layer needs a size Keras does not know (None) to build its weights."""

    kind = "undefined"


class ReshapeError(ShapeError):
    kind = "reshape"


SHARED = "shared"  # a second call of one layer instance that its built weights cannot take
OP_ERROR = "op"  # a tensor operation between layers (`ops.matmul`, `x + y`) Keras refuses

# Every kind of error the shape engine records on a layer call (`NodeData.error_kind`), with
# what it means.  Each is reported by exactly one rule, the one that lists it in its
# `ERROR_KINDS` (a test checks), so that an error the engine finds is never left unreported.
ERROR_KINDS = {
    ShapeError.kind: "the layer cannot be built on its input or from its arguments",
    RankError.kind: "the input has a rank the layer does not accept",
    MergeError.kind: "the inputs of a merge layer cannot be merged",
    SizeError.kind: "a size becomes zero or negative",
    UndefinedDimError.kind: "the layer needs a size that is None to create its weights",
    ReshapeError.kind: "a Reshape target holds a different number of elements than its input",
    SHARED: "a shared layer called on inputs its weights, built by its first call, cannot take",
    OP_ERROR: "a tensor operation (keras.ops, tf., an operator or a subscript) Keras cannot "
              "compute on its inputs",
}


@dataclass(frozen=True)
class Shapes:
    """What a family module knows about one layer class: how it maps shapes."""

    output: Callable  # (cfg, [input shapes]) -> [output shapes]
    weights: Callable  # (cfg, [input shapes]) -> (trainable, non_trainable) or None
    value_params: tuple = ()  # parameters kept as abstract values (a wrapped layer)
    multi_input: bool = False  # takes a list of tensors as its first argument
    call_params: tuple = ()  # a call by parameter names: its parameters after the first
    call_tensors: tuple = ()  # of those, the tensors its shapes depend on (the rest: masks)
    call_options: tuple = ()  # of those, the options that change its outputs (if not falsy)


# What rules and the interpreter ask of a layer class beyond its shapes, declared by the family
# modules next to the layers it is true of (`traits(...)`), read with `has_trait`.
TRAIT_NAMES = {
    "preserves_dtype": "its output keeps the dtype of its input (the rest compute in float)",
    "numeric_input": "computes with its input's values as numbers (strings and ids are wrong)",
    "batch_statistics": "keeps moving statistics of the batches it sees",
    "recurrent": "a recurrent layer over (batch, timesteps, ...) sequences",
    "merge": "merges a list of tensors that must agree in size",
}
TRAITS: dict = {}  # class name -> frozenset of trait names
# Layers a Keras layer creates when it is built (its first call): they take auto names then,
# so a `Dropout()` made after a MultiHeadAttention's first call is `dropout_1`.
BUILT_SUBLAYERS: dict = {}  # class name -> class names, in creation order


def builds(name: str, *classes) -> None:
    """Declare the layers class `name` creates when built: class names, or one function of
    the layer's configuration that returns them."""
    BUILT_SUBLAYERS[name] = classes[0] if len(classes) == 1 and callable(classes[0]) \
        else classes


def traits(*names, **flags) -> None:
    """Declare traits (`recurrent=True`, ...) of the Keras classes `names`."""
    unknown = set(flags) - set(TRAIT_NAMES)
    if unknown:
        raise ValueError(f"unknown layer traits: {sorted(unknown)}")
    declared = frozenset(flag for flag, on in flags.items() if on)
    for name in names:
        TRAITS[name] = TRAITS.get(name, frozenset()) | declared


def has_trait(cls_name: str, trait: str) -> bool:
    """Whether the layer class named `cls_name` (the class' own name, as layers and graph
    nodes carry it; also a class Keras 3 no longer has, such as tf.keras 2's
    SyncBatchNormalization) has `trait`."""
    if trait not in TRAIT_NAMES:
        raise ValueError(f"unknown layer trait: {trait}")
    return trait in TRAITS.get(cls_name, ())


@dataclass(frozen=True)
class LayerSpec:
    """A Keras layer class: its signature from the catalog, its shapes from a family module
    (`output` None for the classes whose shapes fnlint does not compute)."""

    name: str  # the class' own name, which Keras prints and derives auto names from
    params: tuple  # constructor parameters that may be given by position, in order
    defaults: dict
    required: tuple
    keywords: Optional[frozenset]  # accepted keywords, None when any is
    output: Optional[Callable] = None
    weights: Callable = lambda cfg, shapes: None
    value_params: tuple = ()
    multi_input: bool = False
    traits: frozenset = frozenset()  # names from TRAIT_NAMES
    call_params: tuple = ()
    call_tensors: tuple = ()
    call_options: tuple = ()
    package: str = "keras"  # or "keras_hub": the package whose class it is

    def built_layers(self, config: dict) -> tuple:
        """The unnamed layers its first call creates (`BUILT_SUBLAYERS`), by class name."""
        built = BUILT_SUBLAYERS.get(self.name, ())
        return built(config) if callable(built) else built

    def accepts(self, keyword: str) -> bool:
        return self.keywords is None or keyword in self.keywords


SHAPES: dict = {}
# The configuration key where a layer called by parameter names (`call_params`) keeps which of
# its `call_tensors` its first call gave: Keras builds it for those (a cross-attention).
CALLED_WITH = "__called_with__"


def layer(*names, value_params=(), multi_input=False, **flags):
    """Decorator over an output-shape function: registers it for the Keras classes `names`
    (with the `traits` given as flags); a weight-count function is attached with `@weights`
    right below."""
    traits(*names, **flags)

    def wrap(output):
        entry = Shapes(output, getattr(output, "weights_fn", lambda cfg, shapes: (0, 0)),
                       tuple(value_params), multi_input)
        for name in names:
            SHAPES[name] = entry
        return output

    return wrap


def weights(fn):
    """Pair a weight-count function with the output function below it (a new function
    object, so that one output function can serve layers with different weights)."""

    def attach(output):
        def paired(cfg, shapes):
            return output(cfg, shapes)

        paired.weights_fn = fn
        return paired

    return attach


@lru_cache(maxsize=None)
def lookup(name: str) -> Optional[LayerSpec]:
    """The spec of a `keras.layers` class name or alias; None when Keras has no such class."""
    canonical = catalog.layer_class(name)
    if canonical is None:
        return None
    return spec_of(catalog.layer_class_name(canonical), catalog.layer_signature(canonical),
                   SHAPES.get(canonical), TRAITS.get(canonical, frozenset()))


def spec_of(name: str, signature, shapes: Optional[Shapes], traits=frozenset(),
            package: str = "keras") -> LayerSpec:
    """A layer class' spec from its catalog signature and its family module's shapes."""
    return LayerSpec(
        name=name, params=signature.positional, defaults=signature.defaults,
        required=signature.required, keywords=signature.keywords,
        output=shapes.output if shapes else None,
        weights=shapes.weights if shapes else (lambda cfg, shapes: None),
        value_params=shapes.value_params if shapes else (),
        multi_input=shapes.multi_input if shapes else False,
        traits=traits, package=package,
        call_params=shapes.call_params if shapes else (),
        call_tensors=shapes.call_tensors if shapes else (),
        call_options=shapes.call_options if shapes else (),
    )


def known(*values) -> bool:
    """Whether every configuration value is a resolved constant."""
    return all(value is not UNRESOLVED for value in values)


def ntuple(value, n: int):
    """Keras' `standardize_tuple`: an int becomes an n-tuple; a tuple or list stays."""
    if value is UNRESOLVED:
        return UNRESOLVED
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    if isinstance(value, (tuple, list)) and len(value) == n and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return tuple(value)
    return UNRESOLVED


def require_rank(shape: Shape, ranks, layer_name: str) -> None:
    """Raise like Keras' InputSpec when a known rank is not one the layer accepts."""
    if shape is None:
        return
    ranks = (ranks,) if isinstance(ranks, int) else tuple(ranks)
    if len(shape) not in ranks:
        wanted = " or ".join(str(r) for r in ranks)
        raise RankError(
            f"{layer_name} expects input of rank {wanted}, got rank {len(shape)} "
            f"with shape {format_shape(shape)}"
        )


def require_min_rank(shape: Shape, rank: int, layer_name: str) -> None:
    if shape is not None and len(shape) < rank:
        raise RankError(
            f"{layer_name} expects input of rank {rank} or more, got rank {len(shape)} "
            f"with shape {format_shape(shape)}"
        )
