"""Layers that rearrange, crop, pad or repeat their input: Flatten, Reshape, Permute,
RepeatVector, Cropping, ZeroPadding and UpSampling (1D to 3D)."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.conv import join, split
from fnlint.analyzer.layers.spec import (
    ReshapeError, ShapeError, UNRESOLVED, format_shape, known, layer, ntuple, require_rank,
)


@layer("Flatten", preserves_dtype=True)
def flatten(cfg, shapes):
    shape = shapes[0]
    if shape is None:
        return [None]
    return [(shape[0], dims.product(shape[1:]))]


@layer("Reshape", preserves_dtype=True)
def reshape(cfg, shapes):
    shape, target = shapes[0], cfg["target_shape"]
    if target is UNRESOLVED or not isinstance(target, (tuple, list)) or not all(
            isinstance(d, int) for d in target):
        return [None]
    target = tuple(target)
    batch = shape[0] if shape else None
    size = dims.product(shape[1:]) if shape is not None else None
    if -1 in target:
        rest = dims.product(d for d in target if d != -1)
        inferred = None
        if dims.defined(size):
            if rest == 0 or size % rest:
                raise ReshapeError(
                    f"Reshape cannot fit an input of size {size} {format_shape(shape)} into "
                    f"{target}: {size} is not a multiple of {rest}")
            inferred = size // rest
        elif dims.is_symbolic(size) and rest:
            inferred = size.exact_div(rest)
        return [(batch,) + tuple(inferred if d == -1 else d for d in target)]
    wanted = dims.product(target)
    if dims.defined(size) and size != wanted:
        raise ReshapeError(
            f"Reshape target {target} has {wanted} elements but the input "
            f"{format_shape(shape)} has {size}")
    return [(batch,) + target]


@layer("Permute", preserves_dtype=True)
def permute(cfg, shapes):
    shape, order = shapes[0], cfg["dims"]
    if shape is None or order is UNRESOLVED:
        return [None]
    if sorted(order) != list(range(1, len(shape))):
        raise ShapeError(f"Permute dims {tuple(order)} must be a permutation of the axes "
                         f"1..{len(shape) - 1} of {format_shape(shape)}")
    return [(shape[0],) + tuple(shape[d] for d in order)]


@layer("RepeatVector", preserves_dtype=True)
def repeat_vector(cfg, shapes):
    shape = shapes[0]
    require_rank(shape, 2, "RepeatVector")
    if shape is None or cfg["n"] is UNRESOLVED:
        return [None]
    return [(shape[0], cfg["n"]) + shape[1:]]


def _pairs(value, rank):
    """Cropping/padding arguments as ((before, after), ...) per spatial axis."""
    if value is UNRESOLVED:
        return UNRESOLVED
    if isinstance(value, int):
        return ((value, value),) * rank
    if isinstance(value, (tuple, list)) and len(value) == rank:
        out = []
        for item in value:
            if isinstance(item, int):
                out.append((item, item))
            elif isinstance(item, (tuple, list)) and len(item) == 2:
                out.append(tuple(item))
            else:
                return UNRESOLVED
        return tuple(out)
    if rank == 1 and isinstance(value, (tuple, list)) and len(value) == 2:
        return (tuple(value),)
    return UNRESOLVED


def _border_output(rank, name, arg, grow):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        pairs = _pairs(cfg[arg], rank)
        if shape is None or pairs is UNRESOLVED:
            return [None]
        batch, spatial, channels = split(shape, cfg) if rank > 1 else (
            shape[0], shape[1:2], shape[2])
        change = dims.pad_length if grow else dims.crop_length
        try:
            out = [change(s, a, b) for s, (a, b) in zip(spatial, pairs)]
        except ShapeError as err:
            raise type(err)(f"{name} on input {format_shape(shape)}: {err}") from None
        if rank == 1:
            return [(batch, out[0], channels)]
        return [join(batch, out, channels, cfg)]

    return output


for _rank in (1, 2, 3):
    layer(f"Cropping{_rank}D", preserves_dtype=True)(
        _border_output(_rank, f"Cropping{_rank}D", "cropping", False))
    layer(f"ZeroPadding{_rank}D")(_border_output(_rank, f"ZeroPadding{_rank}D", "padding", True))


def _upsampling_output(rank, name):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        size = ntuple(cfg["size"], rank)
        if shape is None or not known(size):
            return [None]
        if rank == 1:
            return [(shape[0], dims.scale(shape[1], size[0]), shape[2])]
        batch, spatial, channels = split(shape, cfg)
        return [join(batch, [dims.scale(s, f) for s, f in zip(spatial, size)], channels, cfg)]

    return output


for _rank in (1, 2, 3):
    layer(f"UpSampling{_rank}D")(_upsampling_output(_rank, f"UpSampling{_rank}D"))
