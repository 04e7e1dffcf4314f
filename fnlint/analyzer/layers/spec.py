"""The layer registry: one `LayerSpec` per Keras layer class, as Keras keeps one
`compute_output_shape` per layer.

A spec knows the constructor signature (to bind positional arguments), how to compute the
output shapes from the input shapes, and how many weights the layer creates once built.  Shape
functions return a list with one shape per output; a shape is a tuple of dims (int, or None for
the batch and unknown sizes) or None when even the rank is unknown.  They raise `ShapeError`
exactly where Keras would raise at build time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from fnlint.analyzer.values import UNRESOLVED

Shape = Optional[tuple]

# Keyword arguments every Keras 3 layer accepts (base `Layer.__init__`, plus the
# Keras 2-era `input_shape` / `input_dim` / `batch_size` that Keras 3 still pops).
BASE_KWARGS = (
    "name", "dtype", "trainable", "autocast", "activity_regularizer",
    "input_shape", "input_dim", "batch_size", "batch_input_shape", "weights",
)


class ShapeError(Exception):
    """Keras would raise building this layer on these inputs; the message says why."""


@dataclass(frozen=True)
class LayerSpec:
    name: str
    params: tuple  # constructor parameters in positional order
    defaults: dict
    output: Callable  # (cfg, [input shapes]) -> [output shapes]
    weights: Callable = lambda cfg, shapes: (0, 0)  # -> (trainable, non_trainable)
    aliases: tuple = ()
    value_params: tuple = ()  # parameters kept as abstract values (a wrapped layer)
    multi_input: bool = False  # takes a list of tensors as its first argument
    extra_kwargs: tuple = ()  # accepted keywords that are not positional parameters
    required: tuple = field(default=())


REGISTRY: dict = {}


def register(spec: LayerSpec) -> LayerSpec:
    REGISTRY[spec.name] = spec
    for alias in spec.aliases:
        REGISTRY[alias] = spec
    return spec


def layer(name, params, defaults=None, *, aliases=(), value_params=(), multi_input=False,
          extra_kwargs=(), required=None):
    """Decorator form: `@layer("Dense", ("units", ...))` over the output-shape function; the
    weight function is attached with `@<output>.weights` style via `weights=` on `register`."""

    def wrap(output):
        spec = LayerSpec(
            name=name,
            params=tuple(params),
            defaults=dict(defaults or {}),
            output=output,
            weights=getattr(output, "weights_fn", lambda cfg, shapes: (0, 0)),
            aliases=tuple(aliases),
            value_params=tuple(value_params),
            multi_input=multi_input,
            extra_kwargs=tuple(extra_kwargs),
            required=tuple(required if required is not None else ()),
        )
        return register(spec)

    return wrap


def weights(fn):
    """Attach a weight-count function to the output function defined right below it."""

    def attach(output):
        output.weights_fn = fn
        return output

    return attach


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
        raise ShapeError(
            f"{layer_name} expects input of rank {wanted}, got rank {len(shape)} "
            f"with shape {format_shape(shape)}"
        )


def require_min_rank(shape: Shape, rank: int, layer_name: str) -> None:
    if shape is not None and len(shape) < rank:
        raise ShapeError(
            f"{layer_name} expects input of rank {rank} or more, got rank {len(shape)} "
            f"with shape {format_shape(shape)}"
        )


def format_shape(shape: Shape) -> str:
    if shape is None:
        return "?"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def product(dims):
    total = 1
    for dim in dims:
        if dim is None:
            return None
        total *= dim
    return total
