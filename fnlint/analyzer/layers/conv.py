"""Convolutions, 1D to 3D, both data formats: plain, transposed, separable and depthwise."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import (
    ShapeError, UNRESOLVED, UndefinedDimError, format_shape, known, layer, ntuple, require_rank, weights,
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


def window(cfg, rank):
    """(kernel, strides, dilation, padding) of a convolution, UNRESOLVED parts included."""
    padding = cfg["padding"].lower() if isinstance(cfg["padding"], str) else UNRESOLVED
    return (ntuple(cfg["kernel_size"], rank), ntuple(cfg["strides"], rank),
            ntuple(cfg.get("dilation_rate", 1), rank), padding)


def input_channels(shape, cfg, name):
    """The channel count of a known input; Keras needs it defined to build the kernel."""
    channels = split(shape, cfg)[2]
    if not dims.defined(channels):
        raise UndefinedDimError(f"{name} needs the channel dimension of its input defined, got "
                         f"{format_shape(shape)}")
    return channels


def conv_spatial(shape, cfg, rank, name):
    """Output spatial sizes of a (non-transposed) convolution, or None if not known."""
    kernel, strides, dilation, padding = window(cfg, rank)
    if not known(kernel, strides, dilation, padding):
        return None
    spatial = split(shape, cfg)[1]
    try:
        return [dims.conv_length(s, k, st, padding, d)
                for s, k, st, d in zip(spatial, kernel, strides, dilation)]
    except ShapeError as err:
        raise type(err)(f"{name} on input {format_shape(shape)}: {err}") from None


def _weights_with(rank, count_fn, *params):
    """A weight counter: `count_fn(cfg, kernel size, input channels)` once the kernel, the
    named parameters, `use_bias` and the input channels are known."""
    def count(cfg, shapes):
        shape = shapes[0]
        kernel = ntuple(cfg["kernel_size"], rank)
        if shape is None or not known(kernel, cfg["use_bias"], *(cfg.get(p) for p in params)):
            return None
        channels = split(shape, cfg)[2]
        if not dims.defined(channels):
            return None
        return (count_fn(cfg, dims.product(kernel), channels), 0)

    return count


def _bias(cfg, size):
    return size if cfg["use_bias"] else 0


def _conv_weights(rank):
    return _weights_with(rank, lambda cfg, k, c: k * (c // cfg.get("groups", 1)) * cfg["filters"]
                         + _bias(cfg, cfg["filters"]), "filters", "groups")


def _conv_output(rank, name):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        if shape is None or cfg["filters"] is UNRESOLVED:
            return [None]
        channels = input_channels(shape, cfg, name)
        groups = cfg.get("groups", 1)
        if known(groups) and groups > 1 and (channels % groups or cfg["filters"] % groups):
            raise ShapeError(
                f"{name} with groups={groups} needs input channels ({channels}) and "
                f"filters ({cfg['filters']}) divisible by the groups")
        out = conv_spatial(shape, cfg, rank, name)
        if out is None:
            return [None]
        return [join(shape[0], out, cfg["filters"], cfg)]

    return output


def _transpose_weights(rank):
    return _weights_with(rank, lambda cfg, k, c: k * c * cfg["filters"]
                         + _bias(cfg, cfg["filters"]), "filters")


def _transpose_output(rank, name):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        kernel, strides, dilation, padding = window(cfg, rank)
        out_pad = cfg["output_padding"]
        out_pad = (None,) * rank if out_pad is None else ntuple(out_pad, rank)
        if shape is None or not known(kernel, strides, dilation, padding, out_pad,
                                      cfg["filters"]):
            return [None]
        input_channels(shape, cfg, name)
        spatial = split(shape, cfg)[1]
        out = [dims.deconv_length(s, k, st, padding, op, d)
               for s, k, st, op, d in zip(spatial, kernel, strides, out_pad, dilation)]
        return [join(shape[0], out, cfg["filters"], cfg)]

    return output


def _depthwise_weights(rank):
    return _weights_with(rank, lambda cfg, k, c: k * c * cfg["depth_multiplier"]
                         + _bias(cfg, c * cfg["depth_multiplier"]), "depth_multiplier")


def _depthwise_output(rank, name):
    def output(cfg, shapes):
        shape = shapes[0]
        require_rank(shape, rank + 2, name)
        if shape is None or cfg["depth_multiplier"] is UNRESOLVED:
            return [None]
        channels = input_channels(shape, cfg, name)
        out = conv_spatial(shape, cfg, rank, name)
        if out is None:
            return [None]
        return [join(shape[0], out, channels * cfg["depth_multiplier"], cfg)]

    return output


def _separable_weights(rank):
    return _weights_with(rank, lambda cfg, k, c: k * c * cfg["depth_multiplier"]
                         + c * cfg["depth_multiplier"] * cfg["filters"]
                         + _bias(cfg, cfg["filters"]), "depth_multiplier", "filters")


for _rank in (1, 2, 3):
    layer(f"Conv{_rank}D", numeric_input=True)(weights(_conv_weights(_rank))(
        _conv_output(_rank, f"Conv{_rank}D")))
    layer(f"Conv{_rank}DTranspose", numeric_input=True)(weights(_transpose_weights(_rank))(
        _transpose_output(_rank, f"Conv{_rank}DTranspose")))
for _rank in (1, 2):
    layer(f"DepthwiseConv{_rank}D", numeric_input=True)(weights(_depthwise_weights(_rank))(
        _depthwise_output(_rank, f"DepthwiseConv{_rank}D")))
    layer(f"SeparableConv{_rank}D", numeric_input=True)(weights(_separable_weights(_rank))(
        _conv_output(_rank, f"SeparableConv{_rank}D")))
