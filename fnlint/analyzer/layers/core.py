"""Core layers: Dense, EinsumDense, Embedding, Lambda and the layers that keep their input's
shape (activations, dropouts, noise, masking)."""

from __future__ import annotations

import re
from typing import Optional

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import (
    ShapeError, UNRESOLVED, UndefinedDimError, format_shape, known, layer, require_min_rank, traits,
    weights,
)


def identity(cfg, shapes):
    return [shapes[0]]


def require_defined_last(shape, name: str, what: str = "last dimension") -> None:
    """Keras builds these weights from the last axis: it must be a defined size."""
    if shape is not None and shape and not dims.defined(shape[-1]):
        raise UndefinedDimError(f"{name} needs the {what} of its input defined, got "
                         f"{format_shape(shape)}")


def _dense_weights(cfg, shapes):
    shape, units = shapes[0], cfg["units"]
    if shape is None or not dims.defined(shape[-1]) or not known(units, cfg["use_bias"]):
        return None
    return (shape[-1] * units + (units if cfg["use_bias"] else 0), 0)


@layer("Dense", numeric_input=True)
@weights(_dense_weights)
def dense(cfg, shapes):
    shape = shapes[0]
    require_min_rank(shape, 2, "Dense")
    require_defined_last(shape, "Dense")
    if shape is None or cfg["units"] is UNRESOLVED:
        return [None]
    return [shape[:-1] + (cfg["units"],)]


_EINSUM = re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$")


def _einsum_plan(cfg, shape):
    """(kernel shape, bias shape, output shape) as Keras' `_analyze_split_string` computes
    them for equations without an ellipsis; None when not computable."""
    equation, out = cfg["equation"], cfg["output_shape"]
    match = _EINSUM.match(equation) if isinstance(equation, str) else None
    if match is None or shape is None or out is UNRESOLVED:
        return None
    in_spec, weight_spec, out_spec = match.groups()
    if len(in_spec) != len(shape):
        raise ShapeError(f"EinsumDense equation '{equation}' expects input rank {len(in_spec)},"
                         f" got {format_shape(shape)}")
    out = [out] if isinstance(out, int) else list(out)
    output = [shape[0]] + out  # Keras keeps the given sizes, even of shared axes
    if len(output) != len(out_spec):
        return None
    for i, char in enumerate(out_spec):
        if char in in_spec and i > 0 and output[i] is not None:
            size = shape[in_spec.index(char)]
            if not dims.defined(size) or size != output[i]:
                raise ShapeError(f"EinsumDense: input and output shapes differ at shared "
                                 f"dimension '{char}': {size} vs {output[i]}")
    kernel = []
    for char in weight_spec:
        if char in out_spec:
            kernel.append(output[out_spec.index(char)])
        elif char in in_spec:
            kernel.append(shape[in_spec.index(char)])
        else:
            return None
    bias_axes = cfg["bias_axes"]
    bias = [output[out_spec.index(c)] for c in bias_axes] if isinstance(bias_axes, str) else []
    return kernel, bias, tuple(output)


def _einsum_weights(cfg, shapes):
    plan = _einsum_plan(cfg, shapes[0])
    if plan is None or not all(dims.defined(d) for d in plan[0] + plan[1]):
        return None
    return (dims.product(plan[0]) + (dims.product(plan[1]) if plan[1] else 0), 0)


@layer("EinsumDense", numeric_input=True)
@weights(_einsum_weights)
def einsum_dense(cfg, shapes):
    plan = _einsum_plan(cfg, shapes[0])
    return [plan[2] if plan else None]


@layer("Embedding")
@weights(lambda cfg, shapes: (cfg["input_dim"] * cfg["output_dim"], 0)
         if known(cfg["input_dim"], cfg["output_dim"]) else None)
def embedding(cfg, shapes):
    shape = shapes[0]
    if shape is None or cfg["output_dim"] is UNRESOLVED:
        return [None]
    return [shape + (cfg["output_dim"],)]


def embedding_table(cfg) -> Optional[tuple]:
    """The shape of an Embedding's `embeddings` weight (a tied output projection reads it)."""
    sizes = (cfg.get("input_dim"), cfg.get("output_dim"))
    return sizes if all(isinstance(d, int) and not isinstance(d, bool) and d > 0
                        for d in sizes) else None


layer("Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
      "GaussianDropout", "GaussianNoise", "AlphaDropout", "ActivityRegularization", "ReLU",
      "LeakyReLU", "ELU", "Softmax", "Masking", "Identity")(identity)
traits("Masking", "Identity", preserves_dtype=True)


def _prelu_weights(cfg, shapes):
    shape, shared = shapes[0], cfg["shared_axes"]
    if shape is None or shared is UNRESOLVED:
        return None
    sizes = list(shape[1:])
    if shared is not None:
        for axis in ([shared] if isinstance(shared, int) else shared):
            sizes[axis - 1] = 1
    if not all(dims.defined(d) for d in sizes):
        return None
    return (dims.product(sizes), 0)


@layer("PReLU")
@weights(_prelu_weights)
def prelu(cfg, shapes):
    return [shapes[0]]


@layer("Lambda")
def lambda_layer(cfg, shapes):
    """Unknown unless `output_shape=` is given (a tuple without the batch axis)."""
    out = cfg["output_shape"]
    if isinstance(out, (tuple, list)) and shapes[0] is not None and all(
            d is None or dims.defined(d) for d in out):
        return [(shapes[0][0],) + tuple(out)]
    return [None]
