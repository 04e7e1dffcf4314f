"""Pooling layers, local and global, 1D to 3D, both data formats."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.conv import join, split
from fnlint.analyzer.layers.spec import (
    ShapeError, UNRESOLVED, format_shape, known, layer, ntuple, require_rank,
)


def _pool_output(rank, name):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        pool = ntuple(cfg["pool_size"], rank)
        strides = pool if cfg["strides"] is None else ntuple(cfg["strides"], rank)
        padding = cfg["padding"].lower() if isinstance(cfg["padding"], str) else UNRESOLVED
        if shape is None or not known(pool, strides, padding):
            return [None]
        batch, spatial, channels = split(shape, cfg)
        try:
            out = [dims.pool_length(s, p, st, padding) for s, p, st in zip(spatial, pool, strides)]
        except ShapeError as err:
            raise type(err)(f"{name} on input {format_shape(shape)}: {err}") from None
        return [join(batch, out, channels, cfg)]

    return output


for _rank in (1, 2, 3):
    for _kind in ("Max", "Average"):
        _name = f"{_kind}Pooling{_rank}D"
        layer(_name)(_pool_output(_rank, _name))


def _global_output(rank, name):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        if shape is None:
            return [None]
        batch, spatial, channels = split(shape, cfg)
        if cfg["keepdims"] is True:
            return [join(batch, [1] * rank, channels, cfg)]
        return [(batch, channels)]

    return output


for _rank in (1, 2, 3):
    for _kind in ("Max", "Average"):
        _name = f"Global{_kind}Pooling{_rank}D"
        layer(_name)(_global_output(_rank, _name))
