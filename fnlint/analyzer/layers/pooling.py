"""Pooling (local and global) and up-sampling layers."""

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
            raise ShapeError(f"{name} on input {format_shape(shape)}: {err}") from None
        return [join(batch, out, channels, cfg)]

    return output


for _rank in (1, 2, 3):
    for _kind in ("Max", "Average"):
        _name = f"{_kind}Pooling{_rank}D"
        layer(_name, ("pool_size", "strides", "padding", "data_format"),
              {"pool_size": 2 if _rank == 1 else (2,) * _rank, "strides": None,
               "padding": "valid", "data_format": None},
              aliases=(f"{_kind[:3] if _kind == 'Max' else 'Avg'}Pool{_rank}D",))(
            _pool_output(_rank, _name))


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
        layer(_name, ("data_format", "keepdims"), {"data_format": None, "keepdims": False},
              aliases=(f"Global{_kind[:3] if _kind == 'Max' else 'Avg'}Pool{_rank}D",))(
            _global_output(_rank, _name))


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


layer("UpSampling1D", ("size",), {"size": 2})(_upsampling_output(1, "UpSampling1D"))
layer("UpSampling2D", ("size", "data_format", "interpolation"),
      {"size": (2, 2), "data_format": None, "interpolation": "nearest"})(
    _upsampling_output(2, "UpSampling2D"))
layer("UpSampling3D", ("size", "data_format"), {"size": (2, 2, 2), "data_format": None})(
    _upsampling_output(3, "UpSampling3D"))
