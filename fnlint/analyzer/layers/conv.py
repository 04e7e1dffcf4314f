"""Convolutions and their transposes, 1D to 3D, both data formats."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import (
    ShapeError, UNRESOLVED, format_shape, known, layer, ntuple, product, require_rank, weights,
)


def channel_axis(cfg):
    return 1 if cfg.get("data_format") == "channels_first" else -1


def split(shape, cfg):
    """(batch, spatial dims, channels) of a known shape, honouring data_format."""
    if channel_axis(cfg) == 1:
        return shape[0], shape[2:], shape[1]
    return shape[0], shape[1:-1], shape[-1]


def join(batch, spatial, channels, cfg):
    if channel_axis(cfg) == 1:
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


CONV_PARAMS = ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
               "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
               "kernel_regularizer", "bias_regularizer", "activity_regularizer",
               "kernel_constraint", "bias_constraint")
CONV_DEFAULTS = {"strides": 1, "padding": "valid", "data_format": None, "dilation_rate": 1,
                 "groups": 1, "activation": None, "use_bias": True}
TRANSPOSE_PARAMS = ("filters", "kernel_size", "strides", "padding", "output_padding",
                    "data_format", "dilation_rate", "activation", "use_bias",
                    "kernel_initializer", "bias_initializer", "kernel_regularizer",
                    "bias_regularizer", "activity_regularizer", "kernel_constraint",
                    "bias_constraint")
TRANSPOSE_DEFAULTS = {"strides": 1, "padding": "valid", "output_padding": None,
                      "data_format": None, "dilation_rate": 1, "activation": None,
                      "use_bias": True}


def _conv_config(cfg, rank):
    kernel = ntuple(cfg["kernel_size"], rank)
    strides = ntuple(cfg["strides"], rank)
    dilation = ntuple(cfg["dilation_rate"], rank)
    padding = cfg["padding"].lower() if isinstance(cfg["padding"], str) else UNRESOLVED
    return kernel, strides, dilation, padding


def _conv_weights(rank, transpose=False):
    def count(cfg, shapes):
        shape = shapes[0]
        kernel = ntuple(cfg["kernel_size"], rank)
        if shape is None or not known(kernel, cfg["filters"], cfg["use_bias"]):
            return None
        channels = split(shape, cfg)[2]
        if channels is None:
            return None
        groups = 1 if transpose else cfg.get("groups", 1)
        if groups is UNRESOLVED:
            return None
        filters = cfg["filters"]
        return (product(kernel) * (channels // groups) * filters
                + (filters if cfg["use_bias"] else 0), 0)

    return count


def _conv_output(rank, name, transpose=False):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        kernel, strides, dilation, padding = _conv_config(cfg, rank)
        if shape is None or not known(kernel, strides, dilation, padding, cfg["filters"]):
            return [None]
        batch, spatial, channels = split(shape, cfg)
        if channels is None:
            raise ShapeError(
                f"{name} needs the channel dimension of its input defined, got "
                f"{format_shape(shape)}"
            )
        if transpose:
            out_pad = ntuple(cfg["output_padding"], rank) if cfg["output_padding"] is not None \
                else (None,) * rank
            if out_pad is UNRESOLVED:
                return [None]
            out = [dims.deconv_length(s, k, st, padding, op, d)
                   for s, k, st, op, d in zip(spatial, kernel, strides, out_pad, dilation)]
        else:
            groups = cfg.get("groups", 1)
            if known(groups) and groups > 1 and (channels % groups or cfg["filters"] % groups):
                raise ShapeError(
                    f"{name} with groups={groups} needs input channels ({channels}) and "
                    f"filters ({cfg['filters']}) divisible by the groups"
                )
            try:
                out = [dims.conv_length(s, k, st, padding, d)
                       for s, k, st, d in zip(spatial, kernel, strides, dilation)]
            except ShapeError as err:
                raise ShapeError(f"{name} on input {format_shape(shape)}: {err}") from None
        return [join(batch, out, cfg["filters"], cfg)]

    return output


for _rank in (1, 2, 3):
    _name = f"Conv{_rank}D"
    layer(_name, CONV_PARAMS, CONV_DEFAULTS, aliases=(f"Convolution{_rank}D",),
          required=("filters", "kernel_size"))(
        weights(_conv_weights(_rank))(_conv_output(_rank, _name)))
    _name = f"Conv{_rank}DTranspose"
    layer(_name, TRANSPOSE_PARAMS, TRANSPOSE_DEFAULTS, aliases=(f"Convolution{_rank}DTranspose",),
          required=("filters", "kernel_size"))(
        weights(_conv_weights(_rank, transpose=True))(
            _conv_output(_rank, _name, transpose=True)))
