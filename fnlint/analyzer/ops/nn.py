"""Convolutions, pooling and images: `conv`, `depthwise_conv`, `max_pool`/`average_pool`,
`image.resize`, `image.extract_patches`, with the spatial arithmetic the layers use."""

from __future__ import annotations

from fnlint.analyzer.layers import dims
from fnlint.analyzer.layers.spec import RankError, ShapeError, ntuple
from fnlint.analyzer.ops.spec import (
    Tensor, Unknowable, format_shape, is_int, known, op, shape_of,
)
from fnlint.analyzer.values import UNRESOLVED

CHANNELS_LAST = "channels_last"


def _layout(data_format) -> bool:
    """Whether the channels come last (None: Keras' default, channels_last)."""
    known(data_format)
    if data_format not in (None, CHANNELS_LAST, "channels_first"):
        raise Unknowable()
    return data_format in (None, CHANNELS_LAST)


def _spatial(shape: tuple, last: bool) -> tuple:
    return shape[1:-1] if last else shape[2:]


def _arrange(batch, spatial: tuple, channels, last: bool) -> tuple:
    return (batch,) + spatial + (channels,) if last else (batch, channels) + spatial


def _windows(spatial: tuple, sizes, strides, dilation, padding, length_fn, what: str) -> tuple:
    n = len(spatial)
    sizes, strides = ntuple(sizes, n), ntuple(strides, n)
    dilation = ntuple(dilation, n)
    if UNRESOLVED in (sizes, strides, dilation) or not isinstance(padding, str):
        raise Unknowable()
    padding = padding.lower()
    if padding not in ("valid", "same", "causal"):
        raise Unknowable()
    out = []
    for length, size, stride, rate in zip(spatial, sizes, strides, dilation):
        if stride <= 0 or size <= 0:
            raise ShapeError(f"{what} sizes and strides must be positive")
        out.append(length_fn(length, size, stride, padding, rate))
    return tuple(out)


def _conv(length, kernel, stride, padding, rate):
    return dims.conv_length(length, kernel, stride, padding, rate)


def _pool(length, pool, stride, padding, rate):
    return dims.pool_length(length, pool, stride, padding)


@op("inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1", "conv")
def conv(inputs, kernel, strides, padding, data_format, dilation_rate, depthwise=False):
    """The kernel is (*spatial, in_channels, filters) (depthwise: (*spatial, in, multiplier));
    its input channels must be the input's (a divisor of them: groups)."""
    shape, kernel_shape = shape_of(inputs), shape_of(kernel)
    known(strides, padding, dilation_rate)
    last = _layout(data_format)
    if len(shape) != len(kernel_shape) or len(shape) < 3:
        raise RankError(f"a kernel of shape {format_shape(kernel_shape)} needs an input of "
                        f"rank {len(kernel_shape)}, got {format_shape(shape)}")
    channels = shape[-1] if last else shape[1]
    kernel_in = kernel_shape[-2]
    if dims.defined(channels) and dims.defined(kernel_in) and (
            channels != kernel_in if depthwise else channels % kernel_in):
        raise ShapeError(f"the kernel takes {kernel_in} input channels, the input "
                         f"{format_shape(shape)} has {channels}")
    if not all(dims.defined(k) for k in kernel_shape[:-2]):
        raise Unknowable()
    spatial = _windows(_spatial(shape, last), tuple(kernel_shape[:-2]), strides,
                       dilation_rate, padding, _conv, "kernel")
    filters = dims.product([kernel_shape[-2], kernel_shape[-1]]) if depthwise \
        else kernel_shape[-1]
    return Tensor(_arrange(shape[0], spatial, filters, last), inputs.dtype)


@op("inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1",
    "depthwise_conv")
def depthwise_conv(inputs, kernel, strides, padding, data_format, dilation_rate):
    return conv(inputs, kernel, strides, padding, data_format, dilation_rate, depthwise=True)


@op("inputs, pool_size, strides=None, padding='valid', data_format=None", "max_pool",
    "average_pool")
def pool(inputs, pool_size, strides, padding, data_format):
    shape = shape_of(inputs)
    known(pool_size, strides, padding)
    last = _layout(data_format)
    if len(shape) < 3:
        raise RankError(f"pooling needs a batch of inputs with channels, got "
                        f"{format_shape(shape)}")
    spatial = _windows(_spatial(shape, last), pool_size,
                       pool_size if strides is None else strides, 1, padding, _pool, "pool")
    return Tensor(_arrange(shape[0], spatial, shape[-1] if last else shape[1], last),
                  inputs.dtype)


@op("images, size, interpolation='bilinear', antialias=False, crop_to_aspect_ratio=False, "
    "pad_to_aspect_ratio=False, fill_mode='constant', fill_value=0.0, data_format=None",
    "keras.ops.image.resize")
@op("images, size, method='bilinear', preserve_aspect_ratio=False, antialias=False, name=None",
    "tensorflow.image.resize")
def resize(images, size, data_format=None, preserve_aspect_ratio=False, **_):
    """A single image (rank 3) or a batch (rank 4) gets the new height and width."""
    shape = shape_of(images)
    known(size, preserve_aspect_ratio)
    last = _layout(data_format)
    if len(shape) not in (3, 4):
        raise RankError(f"resize takes an image of rank 3 or a batch of rank 4, got "
                        f"{format_shape(shape)}")
    if preserve_aspect_ratio or not isinstance(size, (tuple, list)) or len(size) != 2 or \
            not all(is_int(s) for s in size):
        raise Unknowable()
    at = len(shape) - 3 if last else len(shape) - 2
    out = shape[:at] + tuple(size) + shape[at + 2:]
    return Tensor(out, images.dtype)


@op("images, size, strides=None, dilation_rate=1, padding='valid', data_format=None",
    "keras.ops.image.extract_patches")
def extract_patches(images, size, strides, dilation_rate, padding, data_format):
    """Each patch of size*size pixels becomes one vector of size*size*channels."""
    shape = shape_of(images)
    known(size, strides, dilation_rate, padding)
    last = _layout(data_format)
    if len(shape) not in (3, 4):
        raise Unknowable()  # 3D patches, or not an image
    batched = shape if len(shape) == 4 else (1,) + shape
    patch = ntuple(size, 2)
    if patch is UNRESOLVED:
        raise Unknowable()
    channels = batched[-1] if last else batched[1]
    spatial = _windows(_spatial(batched, last), patch, patch if strides is None else strides,
                       dilation_rate, padding, _conv, "patch")
    out = _arrange(batched[0], spatial, dims.product([patch[0], patch[1], channels]), last)
    return Tensor(out if len(shape) == 4 else out[1:], images.dtype)


@op("images, sizes, strides, rates, padding, name=None", "tensorflow.image.extract_patches")
def tf_extract_patches(images, sizes, strides, rates, padding, **_):
    """TensorFlow's patches: sizes, strides and rates as [1, rows, cols, 1]."""
    shape = shape_of(images)
    known(sizes, strides, rates, padding)
    windows = [v[1:3] if isinstance(v, (tuple, list)) and len(v) == 4 else None
               for v in (sizes, strides, rates)]
    if None in windows or len(shape) != 4 or not isinstance(padding, str):
        raise Unknowable()
    size, stride, rate = (tuple(w) for w in windows)
    spatial = _windows(shape[1:3], size, stride, rate, padding, _conv, "patch")
    return Tensor((shape[0],) + spatial + (dims.product([size[0], size[1], shape[3]]),),
                  images.dtype)


@op("query, key, value, bias=None, mask=None, scale=None, is_causal=False, "
    "flash_attention=None, attn_logits_soft_cap=None", "dot_product_attention")
def dot_product_attention(query, key, value, **_):
    """(batch, length, heads, depth) in and out: the query's shape."""
    q, k, v = shape_of(query), shape_of(key), shape_of(value)
    if not len(q) == len(k) == len(v) == 4:
        raise RankError(f"dot_product_attention takes (batch, length, heads, depth) tensors, "
                        f"got {format_shape(q)}, {format_shape(k)} and {format_shape(v)}")
    return Tensor(q, query.dtype)
